"""The validator's cache: what one content file yields on its own, kept between runs.

``validate_corpus(root, cache_dir=...)`` (macros/content/validate.py) keeps here, per content file,
keyed by its path relative to the project, its kind and the SHA-256 of its bytes:

* the loaded data (the model and the checks across files need it),
* the diagnostics of loading, of the schema and of the per-file checks
  (:func:`macros.content.checks.check_file`), and whether the schema accepted the file;

and per dilemma the result of the card-fit estimate (``cards_fit.check_cards``), keyed by
a digest of exactly what that estimate reads (see :meth:`Store.check_cards`).

The model, the checks across files and the rules that depend on the date always run.
Positions (line and column of every value) are not stored: a check across files that
reports on a file from the cache gets them by loading that file's bytes again, which
happens only for files with such a problem.

One cache file per project and fingerprint; the fingerprint covers the source of every
module that influences validation, the schema files, the font metrics of the card
estimate and the installed YAML and JSON Schema libraries, so a cache is never used
across a change of code or schemas. A missing, unreadable, corrupt or foreign cache file
is ignored without a word: the cache can make validation faster, never different, and
never make it fail. The file is written atomically, and only when something changed.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import keys
from ..store.cache import Cache
from ..store.keys import installed_versions, project_cache_dir
from .diagnostics import Diagnostic
from .load import Deferred, Loaded

if TYPE_CHECKING:
    from .document import Document
    from .model import Corpus, Dilemma

_StoredDiagnostics = tuple[tuple[str, int, int, str, str, str], ...]
_Status = tuple[int, int, int, int, int]  # size, mtime, ctime, inode, device
# kind, SHA-256 of the bytes, data, load diagnostics, other diagnostics, schema ok, status
_FileEntry = tuple[str, bytes, Any, _StoredDiagnostics, _StoredDiagnostics, bool, "_Status | None"]
_CardEntry = tuple[str, _StoredDiagnostics]  # key, diagnostics
_Hit = tuple[Loaded, bool, list[Diagnostic]]  # loaded, schema ok, diagnostics

FOLDER = "valideren"
FORMAT = 1  # bump when the stored layout changes
_HERE = Path(__file__).resolve().parent
# every module whose code can change a diagnostic, the loaded data or the model
_SOURCES = (
    "cache.py",
    "load.py",
    "schema.py",
    "checks.py",
    "validate.py",
    "model.py",
    "cards_fit.py",
    "diagnostics.py",
    "layout.py",
    "vocabulary.py",
)
_LIBRARIES = {
    "yaml": "PyYAML",
    "jsonschema": "jsonschema",
    "jsonschema_rs": "jsonschema-rs",
    "referencing": "referencing",
}


_stat = os.stat  # (tests simulate a file system with coarse timestamps here)


def validation_cache_dir(root: Path) -> Path:
    """Where :func:`macros.content.validate.validate_corpus` keeps its per-file results by default."""
    return project_cache_dir(root, FOLDER)


def fingerprint(schema_dir: Path) -> str:
    """A digest of everything besides the content that the cached results depend on (no path: the
    same in every checkout of the same code)."""
    import yaml

    from .cards_fit import FONT_DIR, FONT_FILES, METRICS_FILE
    from .vocabulary import SCHEMA_DIR

    parts: list[str | bytes] = [f"{FORMAT}", sys.version, sys.implementation.cache_tag]
    for name in _SOURCES:
        parts += [name, (_HERE / name).read_bytes()]
    for folder in dict.fromkeys((Path(SCHEMA_DIR), Path(schema_dir))):  # checks.py reads the default schemas too
        for path in sorted(folder.glob("*.schema.json")):
            parts += [path.name, path.read_bytes()]
    if METRICS_FILE.is_file():  # the card estimate's advance widths
        parts.append(METRICS_FILE.read_bytes())
    else:  # read from the fonts themselves
        for name in sorted(FONT_FILES.values()):
            path = FONT_DIR / name
            parts.append(path.read_bytes() if path.is_file() else b"-")
    parts.append(f"yaml {yaml.__version__} {getattr(yaml, '__with_libyaml__', None)}")
    # the installed YAML and JSON Schema libraries, by the versions beside their code
    parts.append(installed_versions(_LIBRARIES))
    return keys.digest(*parts)[:32]


class _DataOnly(pickle.Unpickler):
    """Unpickles plain data only (dicts, lists, tuples, text, numbers): a cache file can
    never make Python import or call anything."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} in a validation cache")


def _stored(diagnostics: Iterable[Diagnostic]) -> _StoredDiagnostics:
    return tuple((d.file, d.line, d.column, d.code, d.message, d.hint) for d in diagnostics)


def _restored(stored: _StoredDiagnostics | None) -> list[Diagnostic]:
    return [Diagnostic(*fields) for fields in stored] if stored else []


class Store:
    """The cache of one validation run: :meth:`lookup` each file (then :meth:`lookup_bytes` and
    :meth:`remember` when needed), :meth:`check_cards`, then :meth:`save`."""

    # A file whose status (size, times, inode) is the one recorded is not read again. As in
    # git's index, a status is only recorded for a file last changed well before the run
    # began: a later change then always gets a later time, so it can never look unchanged
    # (file systems keep times with a coarse granularity; FAT with 2 seconds).
    SETTLED_NS = 3_000_000_000

    def __init__(
        self, cache: Cache | None, key: str, files: dict[str, _FileEntry], cards: dict[str, _CardEntry]
    ) -> None:
        self.cache = cache  # None: nothing is written (no usable cache folder)
        self.key = key
        self._old_files = files
        self._old_cards = cards
        self.files: dict[str, _FileEntry] = {}  # this run's entries: files that are gone are dropped
        self.cards: dict[str, _CardEntry] = {}
        self.digests: dict[str, bytes] = {}  # file -> SHA-256 of its bytes in this run
        self._status: dict[str, _Status | None] = {}
        self._settled = time.time_ns() - self.SETTLED_NS
        self.changed = False
        self.hits = 0
        self.root: Path | None = None  # the project: a file read again is checked as the first read was

    @property
    def name(self) -> str:
        """The entry of this cache: one per fingerprint (code, schemas, libraries)."""
        return f"{self.key}.pickle"

    @classmethod
    def open(cls, cache_dir: Path, schema_dir: Path) -> "Store":
        """The cache in ``cache_dir`` (the project's validation folder); an empty one when there is none
        or it is unusable."""
        try:
            key = fingerprint(schema_dir)
        except (OSError, ValueError):
            return cls(None, "", {}, {})
        cache = Cache(cache_dir)
        if not cache:
            return cls(None, key, {}, {})
        files, cards = cls._read(cache.read(f"{key}.pickle"), key)
        return cls(cache, key, files, cards)

    @staticmethod
    def _read(payload: bytes | None, key: str) -> tuple[dict[str, _FileEntry], dict[str, _CardEntry]]:
        if payload is None:  # missing, torn or damaged (the entry's checksum)
            return {}, {}
        try:
            content = _DataOnly(io.BytesIO(payload)).load()
            if (
                isinstance(content, dict)
                and content.get("key") == key
                and isinstance(content.get("files"), dict)
                and isinstance(content.get("cards"), dict)
            ):
                return content["files"], content["cards"]
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, it is simply not used
            pass
        return {}, {}

    # -- per file ------------------------------------------------------------------------
    def lookup(self, file: str, kind: str, path: Path) -> _Hit | None:
        """``(loaded, schema_ok, diagnostics)`` of a file whose status is the recorded one, or
        None (then read it and ask :meth:`lookup_bytes`)."""
        try:
            stat = _stat(path)
            status: _Status | None = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)
            if max(stat.st_mtime_ns, stat.st_ctime_ns) >= self._settled:
                status = None  # changed just now: may change again within the same tick
        except (OSError, ValueError):
            status = None
        self._status[file] = status
        entry = self._old_files.get(file)
        if status is None or entry is None:
            return None
        try:
            if entry[6] != status or entry[0] != kind:
                return None
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            return None
        return self._hit(file, entry, None, path)

    def lookup_bytes(self, file: str, kind: str, raw: bytes, path: Path) -> _Hit | None:
        """``(loaded, schema_ok, diagnostics)`` of a file seen before with these bytes, or None."""
        digest = self.digests[file] = hashlib.sha256(raw).digest()
        entry = self._old_files.get(file)
        if entry is None:
            return None
        try:
            if entry[0] != kind or entry[1] != digest:
                return None
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            return None
        status = self._status.get(file)
        if entry[6] != status:  # the same bytes with a new status (e.g. after a checkout): record it
            entry = (*entry[:6], status)
            self.changed = True
        return self._hit(file, entry, raw, path)

    def _hit(self, file: str, entry: _FileEntry, raw: bytes | None, path: Path) -> _Hit | None:
        try:
            kind, digest, data, loaded_diagnostics, found, schema_ok, _ = entry
            loaded = Deferred(file, data, _restored(loaded_diagnostics), raw=raw, path=path, root=self.root)
            result: _Hit = loaded, bool(schema_ok), _restored(found)
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            return None
        self.files[file] = entry
        self.digests[file] = digest
        self.hits += 1
        return result

    def remember(
        self, file: str, kind: str, raw: bytes, loaded: Loaded, schema_ok: bool, found: Iterable[Diagnostic]
    ) -> None:
        """Keep what one file yielded (after both lookups missed)."""
        digest = self.digests.get(file) or hashlib.sha256(raw).digest()
        self.digests[file] = digest
        self.files[file] = (
            kind,
            digest,
            loaded.data,
            _stored(loaded.diagnostics),
            _stored(found),
            schema_ok,
            self._status.get(file),
        )
        self.changed = True

    # -- the card-fit estimate per dilemma -------------------------------------------------
    def check_cards(self, documents: Iterable[Document], corpus: Corpus) -> list[Diagnostic]:
        """``cards_fit.check_cards(documents, corpus)``, computed only for dilemmas whose inputs changed.

        The estimate of one dilemma reads: the dilemma itself and the positions in its file
        (both follow from the file's path and bytes), the kader of its first existing sheet,
        the titles of the rulings its card shows and its source line (from the source register).
        The memo key is a digest of exactly those (:class:`_CardKeys`).
        """
        from .cards_fit import check_cards

        result: list[Diagnostic] = []
        pending: dict[str, tuple[Document, str | None]] = {}  # file -> (document, key)
        card_keys = _CardKeys(corpus)
        for doc in documents:
            if doc.kind != "dilemma" or not doc.schema_ok:
                continue
            file = doc.loaded.file
            item = corpus.dilemma.get(str(doc.data.get("id")))
            if item is None or item.pad != file:
                continue  # check_cards skips it as well
            digest = self.digests.get(file)
            key = card_keys.key(item, digest, file) if digest is not None else None
            kept = self._kept_card(file, key) if key is not None else None
            if kept is not None:
                result.extend(kept)
            else:
                pending[file] = (doc, key)
        if pending:
            fresh = check_cards([doc for doc, _ in pending.values()], corpus)
            result.extend(fresh)
            self._remember_cards(pending, fresh)
        return result

    def _kept_card(self, file: str, key: str) -> list[Diagnostic] | None:
        """The kept estimate of a dilemma whose key is the recorded one, or None."""
        entry = self._old_cards.get(file)
        try:
            if entry is not None and entry[0] == key:
                self.cards[file] = entry
                return _restored(entry[1])
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            pass
        return None

    def _remember_cards(self, pending: dict[str, tuple[Document, str | None]], fresh: list[Diagnostic]) -> None:
        per_file: dict[str, list[Diagnostic]] = {file: [] for file in pending}
        for diagnostic in fresh:
            per_file.setdefault(diagnostic.file, []).append(diagnostic)
        for file, (_, key) in pending.items():
            if key is not None:
                self.cards[file] = (key, _stored(per_file[file]))
                self.changed = True

    # -- writing ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write the cache when something changed (atomically), and drop the entries of other code or
        schemas; never raises."""
        if self.cache is None:
            return
        if (
            not self.changed
            and self.files.keys() == self._old_files.keys()
            and self.cards.keys() == self._old_cards.keys()
        ):
            return
        try:
            payload = pickle.dumps({"key": self.key, "files": self.files, "cards": self.cards}, protocol=5)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, not an error
            return
        if self.cache.write(self.name, payload):
            self.cache.keep_only({self.key})


class _CardKeys:
    """The key of one dilemma's card estimate: its bytes, the kader of its first existing sheet, the
    titles of the rulings its card shows, its source line and its file (digests shared within a run)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.kaders: dict[str, bytes] = {}  # per sheet id
        self.rulings: dict[tuple[str, tuple[str, ...]], bytes] = {}  # per (own rulings) or (sheets)

    def key(self, item: Dilemma, digest: bytes, file: str) -> str:
        from .cards_fit import card_rulings, first_sheet

        corpus = self.corpus
        sheet = first_sheet(corpus, item)
        kader: bytes | None
        if sheet is None:
            kader = b"-"
        elif (kader := self.kaders.get(sheet.id)) is None:
            kader = self.kaders[sheet.id] = hashlib.sha256(repr(sheet.kader).encode()).digest()
        source = ("eigen", item.uitspraken) if item.uitspraken else ("themabladen", item.themabladen)
        if (rulings := self.rulings.get(source)) is None:
            titles = tuple(ruling.titel for ruling in card_rulings(corpus, item))
            rulings = self.rulings[source] = hashlib.sha256(repr(titles).encode()).digest()
        return keys.digest(digest, kader, rulings, corpus.bronregel(item), file)
