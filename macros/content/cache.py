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
from importlib.util import find_spec
from pathlib import Path

from ..store.atomic import remove_dead_writers, write_bytes
from ..store.keys import project_cache_dir, project_key
from .diagnostics import Diagnostic
from .load import Deferred, Loaded

FOLDER = "valideren"
FORMAT = 1  # bump when the stored layout changes
_MAGIC = b"kompas-validatiecache\n"
_HERE = Path(__file__).resolve().parent
# every module whose code can change a diagnostic, the loaded data or the model
_SOURCES = ("cache.py", "load.py", "schema.py", "checks.py", "validate.py", "model.py", "cards_fit.py",
            "diagnostics.py", "layout.py", "vocabulary.py")
_LIBRARIES = ("yaml", "yaml._yaml", "jsonschema", "jsonschema_rs", "jsonschema_rs.jsonschema_rs", "referencing")
STALE_SECONDS = 30 * 24 * 3600  # a shared cache folder (KOMPAS_CACHE_DIR) forgets projects unused this long


_stat = os.stat  # (tests simulate a file system with coarse timestamps here)


def validation_cache_dir(root: Path) -> Path:
    """Where :func:`macros.content.validate.validate_corpus` keeps its per-file results by default."""
    return project_cache_dir(root, FOLDER)


def fingerprint(schema_dir: Path) -> str:
    """A digest of everything besides the content that the cached results depend on."""
    from .cards_fit import FONT_DIR, FONT_FILES, METRICS_FILE
    from .schema import SCHEMA_DIR

    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}".encode())
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (_HERE / name).read_bytes())
    for folder in dict.fromkeys((Path(SCHEMA_DIR), Path(schema_dir))):  # checks.py reads the default schemas too
        for path in sorted(folder.glob("*.schema.json")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if METRICS_FILE.is_file():  # the card estimate's advance widths
        digest.update(METRICS_FILE.read_bytes())
    else:  # read from the fonts themselves
        for name in sorted(FONT_FILES.values()):
            path = FONT_DIR / name
            digest.update(path.read_bytes() if path.is_file() else b"-")
    import yaml

    digest.update(f"yaml {yaml.__version__} {getattr(yaml, '__with_libyaml__', None)}".encode())
    for name in _LIBRARIES:
        # An installed library is identified by where its code lives and when it was written:
        # installing another version rewrites it. (Asking importlib.metadata for the version
        # costs more than a warm validation run spends on everything else at startup.)
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            stat = os.stat(origin) if origin else None
        except OSError:
            stat = None
        digest.update(f"{name} {origin} {stat and stat.st_size} {stat and stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:32]


class _DataOnly(pickle.Unpickler):
    """Unpickles plain data only (dicts, lists, tuples, text, numbers): a cache file can
    never make Python import or call anything."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} in a validation cache")


def _stored(diagnostics) -> tuple:
    return tuple((d.file, d.line, d.column, d.code, d.message, d.hint) for d in diagnostics)


def _restored(stored) -> list[Diagnostic]:
    return [Diagnostic(*fields) for fields in stored] if stored else []


class Store:
    """The cache of one validation run: :meth:`lookup` each file (then :meth:`lookup_bytes` and
    :meth:`remember` when needed), :meth:`check_cards`, then :meth:`save`."""

    # A file whose status (size, times, inode) is the one recorded is not read again. As in
    # git's index, a status is only recorded for a file last changed well before the run
    # began: a later change then always gets a later time, so it can never look unchanged
    # (file systems keep times with a coarse granularity; FAT with 2 seconds).
    SETTLED_NS = 3_000_000_000

    def __init__(self, path: Path | None, key: str, files: dict, cards: dict) -> None:
        self.path = path  # None: nothing is written (no usable cache folder)
        self.key = key
        self._old_files = files
        self._old_cards = cards
        self.files: dict = {}  # this run's entries: files that are gone are dropped
        self.cards: dict = {}
        self.digests: dict[str, bytes] = {}  # file -> SHA-256 of its bytes in this run
        self._status: dict[str, tuple | None] = {}
        self._settled = time.time_ns() - self.SETTLED_NS
        self.changed = False
        self.hits = 0

    @classmethod
    def open(cls, cache_dir: Path, root: Path, schema_dir: Path) -> "Store":
        """The cache for ``root`` in ``cache_dir``; an empty one when there is none or it is unusable."""
        try:
            key = f"{project_key(root)}-{fingerprint(schema_dir)}"
            path = Path(cache_dir) / f"{key}.pickle"
        except (OSError, ValueError):
            return cls(None, "", {}, {})
        files, cards = cls._read(path, key)
        remove_dead_writers(Path(cache_dir))  # of runs killed while writing
        return cls(path, key, files, cards)

    @staticmethod
    def _read(path: Path, key: str) -> tuple[dict, dict]:
        try:
            blob = path.read_bytes()
        except OSError:
            return {}, {}
        try:
            header = _MAGIC + key.encode() + b"\n"
            if not blob.startswith(header):
                return {}, {}
            checksum, payload = blob[len(header):len(header) + 32], blob[len(header) + 32:]
            if hashlib.sha256(payload).digest() != checksum:
                return {}, {}
            content = _DataOnly(io.BytesIO(payload)).load()
            if (isinstance(content, dict) and content.get("key") == key and isinstance(content.get("files"), dict)
                    and isinstance(content.get("cards"), dict)):
                return content["files"], content["cards"]
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, it is simply not used
            pass
        return {}, {}

    # -- per file ------------------------------------------------------------------------
    def lookup(self, file: str, kind: str, path: Path):
        """``(loaded, schema_ok, diagnostics)`` of a file whose status is the recorded one, or
        None (then read it and ask :meth:`lookup_bytes`)."""
        try:
            stat = _stat(path)
            status = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)
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

    def lookup_bytes(self, file: str, kind: str, raw: bytes, path: Path):
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

    def _hit(self, file: str, entry: tuple, raw: bytes | None, path: Path):
        try:
            kind, digest, data, loaded_diagnostics, found, schema_ok, _ = entry
            loaded = Deferred(file, data, _restored(loaded_diagnostics), raw=raw, path=path)
            result = loaded, bool(schema_ok), _restored(found)
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            return None
        self.files[file] = entry
        self.digests[file] = digest
        self.hits += 1
        return result

    def remember(self, file: str, kind: str, raw: bytes, loaded: Loaded, schema_ok: bool, found) -> None:
        """Keep what one file yielded (after both lookups missed)."""
        digest = self.digests.get(file) or hashlib.sha256(raw).digest()
        self.digests[file] = digest
        self.files[file] = (kind, digest, loaded.data, _stored(loaded.diagnostics), _stored(found), schema_ok,
                            self._status.get(file))
        self.changed = True

    # -- the card-fit estimate per dilemma -------------------------------------------------
    def check_cards(self, documents, corpus) -> list[Diagnostic]:
        """``cards_fit.check_cards(documents, corpus)``, computed only for dilemmas whose inputs changed.

        The estimate of one dilemma reads: the dilemma itself and the positions in its file
        (both follow from the file's path and bytes), the kader of its first existing sheet,
        and the titles of the rulings its card shows. The memo key is a digest of exactly those.
        """
        from .cards_fit import card_rulings, check_cards, first_sheet

        result: list[Diagnostic] = []
        pending: dict[str, tuple] = {}  # file -> (document, key)
        kader_digests: dict = {}  # per sheet id, within this run
        ruling_digests: dict = {}  # per (own rulings) or (sheets), within this run
        for doc in documents:
            if doc.kind != "dilemma" or not doc.schema_ok:
                continue
            file = doc.loaded.file
            item = corpus.dilemma.get(doc.data.get("id"))
            if item is None or item.pad != file:
                continue  # check_cards skips it as well
            digest = self.digests.get(file)
            if digest is None:
                pending[file] = (doc, None)
                continue
            sheet = first_sheet(corpus, item)
            if sheet is None:
                kader = b"-"
            elif (kader := kader_digests.get(sheet.id)) is None:
                kader = kader_digests[sheet.id] = hashlib.sha256(repr(sheet.kader).encode()).digest()
            source = ("eigen", item.uitspraken) if item.uitspraken else ("themabladen", item.themabladen)
            if (rulings := ruling_digests.get(source)) is None:
                titles = tuple(ruling.titel for ruling in card_rulings(corpus, item))
                rulings = ruling_digests[source] = hashlib.sha256(repr(titles).encode()).digest()
            key = hashlib.sha256(digest + kader + rulings + file.encode()).digest()
            entry = self._old_cards.get(file)
            try:
                if entry is not None and entry[0] == key:
                    result.extend(_restored(entry[1]))
                    self.cards[file] = entry
                    continue
            except Exception:  # noqa: BLE001 - a malformed entry is a miss
                pass
            pending[file] = (doc, key)
        if pending:
            fresh = check_cards([doc for doc, _ in pending.values()], corpus)
            result.extend(fresh)
            per_file: dict[str, list[Diagnostic]] = {file: [] for file in pending}
            for diagnostic in fresh:
                per_file.setdefault(diagnostic.file, []).append(diagnostic)
            for file, (_, key) in pending.items():
                if key is not None:
                    self.cards[file] = (key, _stored(per_file[file]))
                    self.changed = True
        return result

    # -- writing ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write the cache when something changed (atomically); never raises."""
        if self.path is None:
            return
        if not self.changed and self.files.keys() == self._old_files.keys() \
                and self.cards.keys() == self._old_cards.keys():
            return
        try:
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True)
            payload = pickle.dumps({"key": self.key, "files": self.files, "cards": self.cards}, protocol=5)
            write_bytes(self.path, _MAGIC + self.key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload)
            project = self.key.split("-", 1)[0]
            stale = time.time() - STALE_SECONDS
            for old in folder.glob("*.pickle"):
                # this project's caches of older code or schemas, and long-unused ones of other projects
                if old != self.path and (old.name.startswith(project + "-") or old.stat().st_mtime < stale):
                    old.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, not an error
            pass
