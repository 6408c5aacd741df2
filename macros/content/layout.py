"""Where each kind of content lives in a project, and which files there are content.

The validator, the scaffolder, the spelling check and the CLI find folders here, without
importing the validation step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Layout:
    """Where each kind of content lives, relative to the project root."""

    root: Path

    @property
    def themabladen(self) -> Path:
        return self.root / "themabladen"

    @property
    def modules(self) -> Path:
        return self.root / "modules"

    @property
    def dilemmas(self) -> Path:
        return self.root / "content" / "dilemmas"

    @property
    def uitspraken(self) -> Path:
        return self.root / "content" / "uitspraken"

    @property
    def onderwerpen(self) -> Path:
        return self.root / "content" / "onderwerpen"

    @property
    def bronnen(self) -> Path:
        return self.root / "content" / "bronnen.yaml"

    @property
    def meldroutes(self) -> Path:
        return self.root / "content" / "meldroutes.yaml"

    @property
    def wetgeving(self) -> Path:
        return self.root / "content" / "wetgeving.yaml"

    @property
    def reeks(self) -> Path:
        return self.root / "content" / "reeks.yaml"

    @property
    def pages(self) -> Path:
        return self.root / "content" / "pages"

    def sources(self) -> list[Path]:
        """Every folder and file the validator reads (whether or not it exists yet)."""
        return [folder for _, folder in self.folders()] + [path for _, path in self.registers()]

    def folders(self) -> list[tuple[str, Path]]:
        return [
            ("themablad", self.themabladen),
            ("dilemma", self.dilemmas),
            ("uitspraak", self.uitspraken),
            ("module", self.modules),
            ("onderwerp", self.onderwerpen),
        ]

    def registers(self) -> list[tuple[str, Path]]:
        """The single-file kinds: one file each, in content/."""
        return [
            ("wetgeving", self.wetgeving),
            ("reeks", self.reeks),
            ("bronnen", self.bronnen),
            ("meldroutes", self.meldroutes),
        ]

    def relative(self, path: Path) -> str:
        path = self._resolved(path.parent) / path.name  # a symbolic link keeps its own name
        try:
            return path.relative_to(self._resolved(self.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def folder_prefix(self, folder: Path) -> str:
        """``relative(folder / name) == folder_prefix(folder) + name`` for every file name:
        the listing of a folder needs no path arithmetic per file."""
        return self.relative(folder / "x")[:-1]  # the same code path as relative(), so always the same answer

    def _resolved(self, folder: Path) -> Path:
        """A folder resolved once per layout: resolving costs a system call per path part, per file."""
        cache: dict[Path, Path] = self.__dict__.setdefault("_folders", {})
        if folder not in cache:
            cache[folder] = folder.resolve()
        return cache[folder]


def discover(layout: Layout) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """Every content file with its kind, and warnings for stray files."""
    found, stray = _discover(layout)
    return [(kind, path) for kind, path, _ in found], stray


def _discover(layout: Layout) -> tuple[list[tuple[str, Path, str]], list[Diagnostic]]:
    """Every content file with its kind and its name relative to the project (as
    :meth:`Layout.relative` gives it), and warnings for stray files.

    One ``os.scandir`` per folder: the entry's type comes with the listing, so a plain
    file costs no system call; a symbolic link is followed as ``Path.is_dir`` does.

    What is not read, and why, is a diagnostic here, before anything is opened: a content folder or
    file that is a symbolic link out of the project (BESTAND-BUITEN-PROJECT), and a FIFO, socket or
    device named like a content file (BESTAND-SOORT). :func:`macros.content.load.read_file` checks
    the same again on the file it opens.
    """
    found: list[tuple[str, Path, str]] = []
    stray: list[Diagnostic] = []
    root = layout._resolved(layout.root)
    for kind, folder in layout.folders():
        if not folder.is_dir():
            continue
        if not _within(layout._resolved(folder), root):
            stray.append(_outside(folder.relative_to(layout.root).as_posix() + "/", "map"))
            continue
        _discover_folder(layout, kind, folder, root, found, stray)
    for kind, path in layout.registers():
        if os.path.lexists(path):
            _discover_register(layout, kind, path, root, found, stray)
    return found, stray


def _discover_folder(
    layout: Layout,
    kind: str,
    folder: Path,
    root: Path,
    found: list[tuple[str, Path, str]],
    stray: list[Diagnostic],
) -> None:
    """The content files of one folder (into ``found``) and what is not read there (into ``stray``)."""
    prefix = layout.folder_prefix(folder)
    with os.scandir(folder) as listing:
        entries = sorted((entry.name, entry) for entry in listing)
    for name, entry in entries:
        if name.startswith(".") or name == "README.md":
            continue
        problem = _entry_problem(layout, folder, prefix, entry, root)
        if problem is None:
            found.append((kind, folder / name, prefix + name))
        else:
            stray.append(problem)


def _entry_problem(layout: Layout, folder: Path, prefix: str, entry: os.DirEntry[str], root: Path) -> Diagnostic | None:
    """Why an entry of a content folder is not read, or None when it is a content file."""
    name = entry.name
    path = folder / name
    link = entry.is_symlink()
    if link and not _within(Path(os.path.realpath(path)), root):
        return _outside(prefix + name, "bestand")
    is_dir = path.is_dir() if link else entry.is_dir(follow_symlinks=False)
    if is_dir:
        return Diagnostic(
            prefix + name,
            0,
            0,
            "BESTAND-ONBEKEND",
            f"De map '{name}' wordt niet gelezen: inhoud staat direct in {layout.relative(folder)}/.",
            "Zet de bestanden die gepubliceerd moeten worden direct in de map erboven; "
            "haal oude versies weg (git bewaart ze).",
        )
    if not name.endswith(".yaml"):  # Path.suffix == ".yaml" (names starting with "." are skipped)
        return Diagnostic(
            prefix + name,
            0,
            0,
            "BESTAND-ONBEKEND",
            f"Het bestand '{name}' wordt niet gelezen: alleen .yaml-bestanden zijn inhoud.",
            "Geef het de extensie .yaml (niet .yml) of verplaats het buiten deze map.",
        )
    if link or not entry.is_file(follow_symlinks=False):
        from .load import not_regular  # (load imports this module's neighbours, not this module)

        try:
            special = not_regular(entry.stat().st_mode)
        except OSError:
            special = None  # a dangling link: read_file says so
        if special is not None:
            return _special(prefix + name, special)
    return None


def _discover_register(
    layout: Layout,
    kind: str,
    path: Path,
    root: Path,
    found: list[tuple[str, Path, str]],
    stray: list[Diagnostic],
) -> None:
    """A register file (one file per kind, in content/) into ``found``, or why it is not read into ``stray``."""
    from .load import not_regular

    file = path.relative_to(layout.root).as_posix()
    if not _within(Path(os.path.realpath(path)), root):
        stray.append(_outside(file, "bestand"))
        return
    try:
        special = not_regular(path.stat().st_mode)
    except OSError:
        special = None  # a dangling link: read_file says so
    if special == "een map":
        return  # (as before: a register that is a folder is no register)
    if special is not None:
        stray.append(_special(file, special))
        return
    found.append((kind, path, layout.relative(path)))


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _outside(file: str, what: str) -> Diagnostic:
    return Diagnostic(
        file,
        0,
        0,
        "BESTAND-BUITEN-PROJECT",
        f"Dit is een snelkoppeling naar een {what} buiten de projectmap; Kompas leest {'het' if what == 'bestand' else 'haar'} niet.",
        "Zet de inhoud zelf in het project (git bewaart haar dan ook), of haal de snelkoppeling weg.",
    )


def _special(file: str, kind: str) -> Diagnostic:
    return Diagnostic(
        file,
        0,
        0,
        "BESTAND-SOORT",
        f"Dit is geen gewoon bestand maar {kind}; Kompas leest het niet.",
        "Zet hier een gewoon YAML-bestand neer, of haal dit weg.",
    )
