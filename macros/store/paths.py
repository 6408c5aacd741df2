"""Where Kompas may write: the rules for every folder or file a user names.

Whatever an editor types, Kompas never destroys a file it did not make. A command checks
its output paths here before it touches anything and refuses (exit code 2, a Dutch message)
when a path breaks a rule:

* a site folder (``kompas bouw --uit``, MkDocs' ``site_dir``) is never the project itself,
  a folder that contains the project, or anything inside a source folder; an existing
  non-empty folder is only replaced when a Kompas build made it (the marker file every
  build writes), except the project's default ``site/``;
* a card deck (``kompas kaarten --uit``) is a ``.pdf`` outside the source folders, and an
  existing file is only overwritten when it is a PDF;
* a cache folder (``KOMPAS_CACHE_DIR``) follows the folder rule, and the subfolders Kompas
  writes into must be empty or its own;
* a value that becomes part of a file name (an id, an ECLI) fully matches the schema's
  own pattern (ECMA-262 semantics) before any path is built; the content layer hands the
  pattern in (:class:`NameRule`), this module does not read schemas.

This module knows nothing about content, MkDocs, WeasyPrint or the command line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import PathRefused, os_reason, path_refused
from .text import shortened as visible

# The folders of a project that hold what editors and developers made.
SOURCE_FOLDERS = ("content", "themabladen", "modules", "schemas", "macros", "tests", ".git", "bench", "scripts")
# Written into every site Kompas builds: a folder with this file may be replaced by a build.
SITE_MARKER = ".kompas-site"
SITE_MARKER_TEXT = "Deze map is gebouwd door Kompas. Een nieuwe bouw vervangt haar helemaal.\n"
# Written into every cache folder Kompas makes.
CACHE_MARKER = ".kompas-cache"
CACHE_MARKER_TEXT = "Tussenresultaten van Kompas; weggooien mag altijd.\n"


def real(path: Path | str) -> Path:
    """The absolute path with every symbolic link resolved (also for a path that does not exist yet)."""
    return Path(os.path.realpath(os.path.abspath(path)))


def _source_folder(path: Path, root: Path) -> str | None:
    """The source folder of ``root`` that is ``path`` or contains it, or None."""
    for name in SOURCE_FOLDERS:
        folder = real(root / name)
        if path == folder or folder in path.parents:
            return name
    return None


def enclosing_source_folder(path: Path) -> tuple[Path, str] | None:
    """(project, source folder) when ``path`` lies inside a source folder of a Kompas project
    above it (a folder with mkdocs.yml): e.g. ``--map content`` or ``--map tests/fixtures/x``.
    A folder with its own mkdocs.yml is a project of its own (the benchmark's corpora in
    bench/work/, a test project): its own rules apply."""
    path = real(path)
    if (path / "mkdocs.yml").is_file():
        return None
    for folder in path.parents:
        if (folder / "mkdocs.yml").is_file():
            name = _source_folder(path, folder)
            if name is not None:
                return folder, name
    return None


def _folder_rule(shown: str, target: Path, root: Path, what: str) -> None:
    shown = visible(shown)
    if target == root:
        raise PathRefused(
            f"'{shown}' is de projectmap zelf. {what} zou al je bestanden vervangen; "
            "kies een andere map, bijvoorbeeld site/."
        )
    if target in root.parents:
        raise PathRefused(
            f"'{shown}' bevat de projectmap {root}. {what} zou het hele project vervangen; "
            "kies een map buiten het project of de standaardmap site/."
        )
    source = _source_folder(target, root)
    if source is not None:
        raise PathRefused(
            f"'{shown}' ligt in de bronmap {source}/ van het project. Daar schrijft Kompas nooit; "
            "kies een andere map, bijvoorbeeld site/."
        )


def lexical(path: Path | str) -> Path:
    """The absolute path as written, ``..`` folded but no symbolic link resolved."""
    return Path(os.path.abspath(path))


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or lies below it (both as given: resolve them first if needed)."""
    return path == root or root in path.parents


def leaves_project(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` resolves to a place outside the project at ``root`` through a symbolic link that
    lies in the project (the path itself, or a folder on the way). A path outside the project that
    passes through the user's own links elsewhere is not such a path."""
    root_real = real(root)
    if inside(real(path), root_real):
        return False
    for part in (lexical(path), *lexical(path).parents):
        if os.path.islink(part) and inside(real(part.parent), root_real):
            return True
    return False


def _refuse_os(error: OSError | ValueError, shown: str) -> PathRefused:
    if isinstance(error, OSError):
        return path_refused(error, shown)
    return PathRefused(
        f"'{visible(shown)}' is als pad niet te gebruiken: de naam bevat een teken dat een pad niet mag bevatten.",
        hint="Kies een ander pad. Er is niets geschreven of verwijderd.",
    )


def _looked_at(path: Path | str) -> None:
    """Raise the OSError (or ValueError) that makes ``path`` unusable as a path to write: too long, a
    file where a folder should be, a loop of links, no access. A path that does not exist yet is fine
    (its folders are made), as long as the nearest existing folder on the way is a folder."""
    path = lexical(path)
    try:
        os.stat(path)
        return
    except FileNotFoundError:
        pass
    for parent in path.parents:
        try:
            info = os.stat(parent)
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
        return


def check_site_dir(site_dir: Path | str, root: Path | str, *, shown: str | None = None) -> Path:
    """The resolved site folder, or :class:`PathRefused` when a build may not replace it.

    A site folder written as a path in the project that is, or resolves through, a symbolic link to a
    place outside the project is refused (the build would replace what the link leads to). The
    project's default ``site/`` may be replaced without the marker of a Kompas site only when it is a
    plain folder: not a link, and not reached through one."""
    shown = shown if shown is not None else str(site_dir)
    try:
        _looked_at(site_dir)
        root = real(root)
        target = real(site_dir)
        if leaves_project(site_dir, root):
            raise PathRefused(
                f"'{visible(shown)}' is een snelkoppeling (of ligt achter een snelkoppeling) naar een "
                "map buiten de projectmap. Kompas volgt geen snelkoppeling naar buiten: de bouw zou "
                "die map vervangen.",
                hint="Geef de map buiten het project zelf met --uit, of maak van "
                "site/ een gewone map. Er is niets geschreven of verwijderd.",
            )
        _folder_rule(shown, target, root, "Een bouw")
        if target.exists() or target.is_symlink():
            if not target.is_dir():
                raise PathRefused(
                    f"'{visible(shown)}' is een bestand, geen map. Kompas bouwt de site in een map; "
                    "kies een map die nog niet bestaat."
                )
            written = lexical(site_dir)  # the project's own site/, a plain folder (not a link to it)
            plain_default = (
                target == root / "site"
                and written.name == "site"
                and not os.path.islink(written)
                and real(written.parent) == root
            )
            if not plain_default and not is_kompas_site(target) and any(target.iterdir()):
                raise PathRefused(
                    f"'{visible(shown)}' bestaat al, is niet leeg en is niet door Kompas gebouwd "
                    f"(er staat geen {SITE_MARKER} in). Kompas vervangt geen map die het niet zelf "
                    "maakte; kies een lege of nieuwe map."
                )
    except (OSError, ValueError) as error:
        raise _refuse_os(error, shown) from None
    return target


def is_kompas_site(folder: Path) -> bool:
    try:
        return (Path(folder) / SITE_MARKER).read_text(encoding="utf-8") == SITE_MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def check_pdf_out(out: Path | str, root: Path | str) -> Path:
    """The resolved PDF path, or :class:`PathRefused` when ``kompas kaarten`` may not write it."""
    shown = str(out)
    try:
        return _check_pdf_out(out, root, shown)
    except (OSError, ValueError) as error:
        raise _refuse_os(error, shown) from None


def _check_pdf_out(out: Path | str, root: Path | str, shown: str) -> Path:
    _looked_at(out)
    target = real(out)
    root = real(root)
    if target.suffix.lower() != ".pdf":
        raise PathRefused(
            f"'{visible(shown)}' eindigt niet op .pdf. Kompas schrijft alleen een PDF-bestand, "
            "bijvoorbeeld --uit kaarten.pdf."
        )
    if leaves_project(out, root):
        raise PathRefused(
            f"'{visible(shown)}' is een snelkoppeling (of ligt achter een snelkoppeling) naar een plek "
            "buiten de projectmap. Kompas volgt geen snelkoppeling naar buiten.",
            hint="Geef de plek buiten het project zelf met --uit. Er is niets geschreven.",
        )
    source = _source_folder(target, root)
    if source is not None or target == root or target in root.parents:
        raise PathRefused(
            f"'{visible(shown)}' ligt in de bronmap {source}/ van het project. Daar schrijft Kompas "
            "nooit; kies een andere plek, bijvoorbeeld --uit kaarten.pdf."
        )
    if target.is_dir():
        raise PathRefused(
            f"'{visible(shown)}' is een map. Geef een bestandsnaam, bijvoorbeeld --uit {visible(shown)}/kaarten.pdf."
        )
    if target.exists():
        try:
            with open(target, "rb", opener=_nonblocking) as handle:
                regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
                head = handle.read(5) if regular else b""
        except OSError as error:
            raise PathRefused(
                f"'{visible(shown)}' bestaat al en is niet te lezen ({os_reason(error).rstrip('.')}); "
                "Kompas overschrijft het niet."
            ) from None
        if not regular or head != b"%PDF-":
            raise PathRefused(
                f"'{visible(shown)}' bestaat al en is geen PDF. Kompas overschrijft alleen een eerder "
                "gemaakte PDF; kies een andere naam."
            )
    if not target.parent.is_dir():
        raise PathRefused(f"De map van '{visible(shown)}' bestaat niet. Maak die eerst, of kies een andere plek.")
    return target


def _nonblocking(path: Path | str, flags: int) -> int:
    """Open without waiting (a FIFO named like the PDF would block an ordinary open)."""
    return os.open(path, flags | os.O_NONBLOCK)


# The folders Kompas writes in a cache folder (macros/store/cache.py: <name>/<project>/...; publiceren/: the
# temporary folder of a running release; sloten/: the project locks before issue 30, and its release
# folders), and the names Kompas gives what it puts directly in them.
CACHE_FOLDERS = (
    "valideren",
    "memo",
    "kaarten",
    "druk",
    "paginas",
    "zoekindex",
    "links",
    "sjablonen",
    "sloten",
    "publiceren",
)
_CACHE_NAMES = re.compile(r"^([0-9a-f]{16}|[0-9a-f]{16}\.lock|publiceren-.*|\.schrijven-.*\.tmp)$")


def check_cache_dir(configured: Path | str, root: Path | str, subfolders: Iterable[str] = CACHE_FOLDERS) -> Path:
    """``KOMPAS_CACHE_DIR``: the folder rule, and the subfolders Kompas writes into are empty,
    absent or its own (its marker, or only the names Kompas gives its cache files)."""
    shown = str(configured)
    try:
        return _check_cache_dir(configured, root, subfolders, shown)
    except (OSError, ValueError) as error:
        refused = _refuse_os(error, shown)
        raise PathRefused(f"KOMPAS_CACHE_DIR: {refused.message}", hint=refused.hint) from None


def _check_cache_dir(configured: Path | str, root: Path | str, subfolders: Iterable[str], shown: str) -> Path:
    _looked_at(configured)
    target = real(configured)
    root = real(root)
    if target == root or target in root.parents or _source_folder(target, root) is not None:
        try:
            _folder_rule(shown, target, root, "De cache")
        except PathRefused as error:
            raise PathRefused(
                f"KOMPAS_CACHE_DIR: {error}".replace("bijvoorbeeld site/", "bijvoorbeeld .cache/")
            ) from None
    if target.exists() and not target.is_dir():
        raise PathRefused(f"KOMPAS_CACHE_DIR: '{visible(shown)}' is een bestand, geen map.")
    for name in subfolders:
        folder = target / name
        if folder.is_dir() and not is_cache_folder(folder, name):
            raise PathRefused(
                f"KOMPAS_CACHE_DIR: '{visible(folder)}' bestaat al en bevat bestanden die niet van Kompas zijn. "
                "Kompas schrijft daar niet in; kies een andere map voor KOMPAS_CACHE_DIR."
            )
        if folder.exists() and not folder.is_dir():
            raise PathRefused(f"KOMPAS_CACHE_DIR: '{visible(folder)}' is een bestand, geen map.")
    return target


def is_cache_folder(folder: Path, name: str = "") -> bool:
    """Whether Kompas made ``folder`` (a subfolder of a cache folder): its marker, or only names Kompas
    gives (project folders, locks, temporary files)."""
    if (folder / CACHE_MARKER).is_file():
        return True
    try:
        return all(_CACHE_NAMES.match(entry.name) for entry in folder.iterdir())
    except OSError:
        return False


def mark_cache_folder(folder: Path) -> None:
    """Create ``folder`` (with parents) and its marker; raises OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / CACHE_MARKER
    if not marker.is_file():
        marker.write_text(CACHE_MARKER_TEXT, encoding="utf-8")


# -- values that become file names ------------------------------------------------------


@dataclass(frozen=True)
class NameRule:
    """What a value that becomes (part of) a file name must be, as the schemas define it: the
    pattern (compiled with JSON Schema's meaning, see :func:`macros.content.schema.ecma_regex`) and the
    longest length. The content layer hands it in (:func:`macros.content.schema.name_rule`)."""

    pattern: re.Pattern[str]
    max_length: int | None = None


def check_id(value: str, option: str, rule: NameRule) -> str:
    """An id as the schemas define it (``rule``: definition ``id``), fully matched; PathRefused otherwise."""
    maximum = rule.max_length
    if not _full(rule.pattern, value) or (maximum is not None and len(value) > maximum):
        raise PathRefused(
            f"{option} {_visible(value)} is geen geldig id: gebruik kleine letters, cijfers en "
            f"streepjes{f' (hoogstens {maximum} tekens)' if maximum else ''}, "
            "bijvoorbeeld gedrag-in-vrije-tijd."
        )
    return value


def check_ecli_value(value: str, rule: NameRule) -> str:
    """An ECLI as the uitspraak schema defines it (``rule``), fully matched; PathRefused otherwise."""
    if not _full(rule.pattern, value):
        raise PathRefused(
            f"{_visible(value)} is geen geldige ECLI. Een ECLI ziet eruit als "
            "ECLI:NL:CRVB:2014:3729 (land, instantie, jaar, nummer), zonder spaties of regeleinden."
        )
    return value


def _full(pattern: re.Pattern[str], value: str) -> bool:
    match = pattern.search(value)
    return match is not None and match.start() == 0 and match.end() == len(value)


def _visible(value: str) -> str:
    """The value quoted, with line breaks and other control characters made visible."""
    return visible(repr(value) if any(not ch.isprintable() for ch in value) else f"'{value}'")
