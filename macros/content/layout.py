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
    """
    found: list[tuple[str, Path, str]] = []
    stray: list[Diagnostic] = []
    for kind, folder in layout.folders():
        if not folder.is_dir():
            continue
        prefix = layout.folder_prefix(folder)
        with os.scandir(folder) as listing:
            entries = sorted((entry.name, entry) for entry in listing)
        for name, entry in entries:
            if name.startswith(".") or name == "README.md":
                continue
            path = folder / name
            is_dir = path.is_dir() if entry.is_symlink() else entry.is_dir(follow_symlinks=False)
            if is_dir:
                stray.append(
                    Diagnostic(
                        prefix + name,
                        0,
                        0,
                        "BESTAND-ONBEKEND",
                        f"De map '{name}' wordt niet gelezen: inhoud staat direct in {layout.relative(folder)}/.",
                        "Zet de bestanden die gepubliceerd moeten worden direct in de map erboven; "
                        "haal oude versies weg (git bewaart ze).",
                    )
                )
                continue
            if name.endswith(".yaml"):  # Path.suffix == ".yaml" (names starting with "." are skipped)
                found.append((kind, path, prefix + name))
            else:
                stray.append(
                    Diagnostic(
                        prefix + name,
                        0,
                        0,
                        "BESTAND-ONBEKEND",
                        f"Het bestand '{name}' wordt niet gelezen: alleen .yaml-bestanden zijn inhoud.",
                        "Geef het de extensie .yaml (niet .yml) of verplaats het buiten deze map.",
                    )
                )
    for kind, path in layout.registers():
        if path.is_file():
            found.append((kind, path, layout.relative(path)))
    return found, stray
