"""The handout fit of every themablad, in the verdict: the build's own measurement, kept per sheet.

Whether a sheet's handout fits on two A4 pages only WeasyPrint can say. This check asks the one
function the build uses (:func:`macros.printing.druk.measure_handouts`), so `kompas valideer` and
`kompas bouw` cannot disagree, and keeps each answer in the cache ``handouts``:

* the **key** of a sheet's answer is a digest of everything its handout is made of: the bytes of the
  sheet, of the dilemmas it shows in full (in their order) and how many more it counts, of the rulings
  and related sheets it names and of the two registers it reads (:func:`macros.printing.handout.sources`:
  the template gets nothing else), and of the code, fonts, schemas and libraries that lay it out, and
  the ``site_url`` it prints. A warm run computes the keys from the digests the content check already
  made and measures nothing; after a change only the sheets whose handout it touches are measured;
* per project one **index** (``<cachemap>/handouts/<project>/index.json``) holds the answers of the
  last run, so a warm run reads one file; each answer is also an entry of its own in the part of the
  cache that all projects of the cache folder share (``<cachemap>/handouts/gedeeld/<key>.json``): the
  key names no project, so a copy of a project (another checkout, a test) finds the answers of the
  original. Unused shared entries go after 30 days.

A project whose mkdocs.yml switches the printed material off (``extra.kompas.kaarten: false``) has no
handouts, so nothing is measured. A sheet is measured only when none of the files its handout is made of has an error (the build
would not get that far; the error is reported already). A handout that does not fit is reported at
the sheet (``file:line`` of its id), naming what makes it too long: the sheet itself (it does not fit
without its dilemmas either), or the dilemma(s) without any one of which it would fit, with title and
file; the diagnostic is also shown when only such a dilemma's file is validated
(:attr:`macros.content.diagnostics.Diagnostic.related`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..content.diagnostics import Diagnostic
from ..content.layout import Layout
from ..content.validate import Result
from ..store import keys
from ..store.cache import Cache
from .context import Context

FOLDER = "handouts"
SHARED = "gedeeld"  # the entries every project of the cache folder shares (their keys name no project)
INDEX = "index.json"
CODE = "code.json"  # the digest of the code, and the status of its files when it was computed
SHARED_GRACE_SECONDS = 30 * 24 * 3600
FORMAT = "1"  # bump when an answer's stored form changes

_PACKAGE = Path(__file__).resolve().parent.parent  # macros/
# What lays a handout out besides its content: the print and render code and templates, the model and
# its labels, this module, the shipped font; and the libraries below (by their installed version).
_CODE = ("printing", "render", "content/model.py", "content/vocabulary.py", "verdict/handouts.py", "fonts")
_LIBRARIES = {
    "weasyprint": "weasyprint",
    "pydyf": "pydyf",
    "tinycss2": "tinycss2",
    "cssselect2": "cssselect2",
    "pyphen": "pyphen",
    "fontTools": "fonttools",
    "jinja2": "Jinja2",
    "markdown": "Markdown",
    "nh3": "nh3",
}


def code_digest(cache: Cache | None = None) -> str:
    """The code, font, schemas and libraries a handout's layout depends on (not the whole package).
    The bytes are read again only when a file's status changed since ``cache`` last saw it (the
    font alone is 2.7 MB; a warm validation computes this every run)."""
    from ..content.vocabulary import SCHEMA_DIR

    folders = [_PACKAGE / part for part in _CODE] + [Path(SCHEMA_DIR)]
    files = [
        path
        for folder in folders
        for path in (sorted(folder.rglob("*")) if folder.is_dir() else [folder])
        if path.is_file() and "__pycache__" not in path.parts
    ]
    try:
        status = keys.digest(
            *(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}" for path in files for info in (path.stat(),))
        )
    except OSError:
        status = None
    if cache and status:
        try:
            known = json.loads(cache.read(CODE) or b"{}")
        except ValueError:
            known = {}
        if isinstance(known, dict) and known.get("status") == status and isinstance(known.get("digest"), str):
            return known["digest"]
    found = keys.digest(FORMAT, keys.folder_digest(folders), keys.installed_versions(_LIBRARIES))
    if cache and status:
        cache.write(CODE, json.dumps({"status": status, "digest": found}).encode("ascii"), sync=False)
    return found


def check_handouts(result: Result, context: Context) -> list[Diagnostic]:
    corpus = result.corpus
    if not corpus.themabladen or keys.project_settings(context.root).get("kaarten", True) is False:
        return []  # (`kaarten: false` in mkdocs.yml: the build makes no printed material, so no handouts)
    from ..printing.handout import fits, shown, sources  # (the model only: no WeasyPrint, no Jinja)

    layout = Layout(context.root)
    registers = [layout.relative(layout.wetgeving), layout.relative(layout.reeks)]
    with_errors = {d.file for d in result.diagnostics if d.is_error}
    config = keys.project_config(context.root)
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    site_url = site_url.strip() or None if site_url else None
    store = _Store.open(context.root, context.cache_root)
    code = code_digest(store.index) if store else ""
    # Nothing changed since the last run (no content file, no error, no code): its answers hold as they are.
    whole = (
        keys.digest(
            code,
            site_url or "",
            *sorted(with_errors),
            b"".join(name.encode("utf-8", "surrogateescape") + digest for name, digest in result.digests.items()),
        )
        if store
        else ""
    )
    answers = store.whole(whole, {sheet.id for sheet in corpus.themabladen}) if store else None
    todo: dict[str, str | None] = {}  # sheet id -> key (None: no key, not kept)
    if answers is None:
        answers = {}
        for sheet in corpus.themabladen:
            files = sources(corpus, sheet)
            if with_errors.intersection(files) or with_errors.intersection(registers):
                continue
            key = None
            if store:
                digests = [result.digests[file] for file in files if file in result.digests]
                if len(digests) == len(files):
                    _, counted = shown(corpus, sheet)
                    registered = b"".join(result.digests.get(file) or b"-" for file in registers)
                    key = keys.digest(code, site_url or "", str(counted), b"".join(digests), registered)
                    answer = store.get(sheet.id, key)
                    if answer is not None:
                        answers[sheet.id] = answer
                        continue
            todo[sheet.id] = key
    if todo and not context.measure_now:
        context.deferred.extend(f"handout van themablad {sheet_id}" for sheet_id in todo)
        whole = ""  # not every sheet has its answer: the next run looks at each again
    elif todo:
        from ..printing import druk  # WeasyPrint only now, when something is to be measured

        druk_cache = keys.project_cache_dir(context.root, "druk", base=context.cache_root) if store else None
        measured = druk.measure_handouts(corpus, list(todo), cache_dir=druk_cache, site_url=site_url)
        for sheet_id, fit in measured.items():
            answer = (fit.pages, fit.own_pages, tuple(fit.culprits))
            answers[sheet_id] = answer
            key = todo[sheet_id]
            if key is not None:
                store.put(sheet_id, key, answer)
            else:
                whole = ""
    store.save(whole)
    positions = {doc.loaded.file: doc for doc in result.documents if doc.kind == "themablad"}
    return [
        _diagnostic(corpus, corpus.themablad[sheet_id], positions.get(corpus.themablad[sheet_id].pad), *answer)
        for sheet_id, answer in answers.items()
        if not fits(answer[0])
    ]


def _diagnostic(corpus, sheet, doc, pages: int, own: int, culprits: tuple[str, ...]) -> Diagnostic:
    from ..printing.handout import MAX_DILEMMAS, MAX_PAGES, fits, shown

    def where(path, key: bool = False) -> tuple[int, int]:
        if doc is None:
            return 1, 1
        position = doc.loaded.pos(path, key=key)
        return position.line, position.column

    said = f"De handout van dit themablad past niet op {MAX_PAGES} A4-pagina's (het worden er {pages})"
    dilemmas, _ = shown(corpus, sheet)
    if not fits(own):
        line, column = where(("inleiding",), key=True)
        return Diagnostic(
            sheet.pad,
            line,
            column,
            "HANDOUT-TE-LANG",
            f"{said}; ook zonder dilemma's worden het er {own}: het themablad zelf is te lang.",
            "Kort de inleiding, het kader, de toelichtingen bij de wet- en regelgeving of de "
            "samenvattingen van de uitspraken in de casuïstiek in.",
        )
    # the longest first: after an edit that made a handout too long, that is most often the one edited
    named = sorted(
        (corpus.dilemma[item_id] for item_id in culprits if item_id in corpus.dilemma),
        key=lambda item: -(len(item.titel) + len(item.situatie)),
    )
    line, column = where(("id",))
    if named:
        listed = ", ".join(f"'{item.titel}' ({item.pad})" for item in named)
        if len(named) == 1:
            message = f"{said} door het dilemma {listed}: zonder dat dilemma past hij wel."
        else:
            message = (
                f"{said} door een van de dilemma's {listed} (de langste eerst): zonder een van die "
                "dilemma's past hij wel."
            )
        hint = (
            f"Kort de situatie van {'dat dilemma' if len(named) == 1 else 'een van die dilemma’s'} in, of "
            f"haal dit themablad uit de themabladen van het dilemma. De handout toont de eerste "
            f"{MAX_DILEMMAS} dilemma's van een themablad helemaal, de andere telt hij alleen."
        )
    else:
        named = list(dilemmas)
        listed = ", ".join(f"'{item.titel}' ({item.pad})" for item in named)
        message = (
            f"{said}; zonder één dilemma past hij nog steeds niet, zonder alle dilemma's wel. "
            f"De dilemma's in de handout: {listed}."
        )
        hint = (
            "Kort de situaties van die dilemma's of de inleiding en het kader in, of zet een paar van die "
            "dilemma's bij een ander themablad."
        )
    return Diagnostic(
        sheet.pad, line, column, "HANDOUT-TE-LANG", message, hint, related=tuple(item.pad for item in named)
    )


class _Store:
    """The answers of the cache ``handouts``: the project's index of the last run (per sheet its key and
    answer, and the key of the whole run), over the shared entries (per key)."""

    def __init__(self, index: Cache | None, shared: Cache | None) -> None:
        self.index, self.shared = index, shared
        self.old: dict = {}
        self.new: dict = {}  # sheet id -> [key, answer]
        self.fresh: dict = {}  # key -> answer measured in this run: shared entries to write
        self.unchanged = False
        if index:
            try:
                data = json.loads(index.read(INDEX) or b"{}")
                self.old = data if isinstance(data, dict) and isinstance(data.get("bladen"), dict) else {}
            except ValueError:
                self.old = {}

    @classmethod
    def open(cls, root: Path, cache_root: Path | None) -> "_Store":
        if cache_root is None:
            return cls(None, None)
        return cls(
            Cache(keys.project_cache_dir(root, FOLDER, base=cache_root)), Cache(Path(cache_root) / FOLDER / SHARED)
        )

    def __bool__(self) -> bool:
        return bool(self.index)

    def whole(self, key: str, sheets: set[str]) -> dict[str, tuple] | None:
        """Every sheet's answer of the last run, when that run had the same whole-run ``key``."""
        sheets_before = self.old.get("bladen", {})
        if not key or self.old.get("geheel") != key or set(sheets_before) - sheets:
            return None
        found = {
            sheet: _answer(entry[1])
            for sheet, entry in sheets_before.items()
            if isinstance(entry, list) and len(entry) == 2
        }
        if any(answer is None for answer in found.values()):
            return None
        self.unchanged = True
        return {sheet: answer for sheet, answer in found.items() if answer is not None}

    def get(self, sheet: str, key: str) -> tuple | None:
        entry = self.old.get("bladen", {}).get(sheet)
        answer = _answer(entry[1]) if isinstance(entry, list) and len(entry) == 2 and entry[0] == key else None
        if answer is None and self.shared:
            try:
                answer = _answer(json.loads(self.shared.read(f"{key}.json") or b"null"))
            except ValueError:
                answer = None
        if answer is not None:
            self.new[sheet] = [key, _stored(answer)]
        return answer

    def put(self, sheet: str, key: str, answer: tuple) -> None:
        self.new[sheet] = [key, _stored(answer)]
        self.fresh[key] = _stored(answer)

    def save(self, whole: str) -> None:
        """Write the index when it changed, and the shared entries of this run's measurements; never raises."""
        if not self.index or not self.shared or self.unchanged:
            return
        for key, answer in self.fresh.items():
            self.shared.write(f"{key}.json", json.dumps(answer).encode("utf-8"), sync=False)
        if self.fresh:
            self.shared.keep_only({key for key, _ in self.new.values()}, grace=SHARED_GRACE_SECONDS)
        data = {"geheel": whole, "bladen": self.new}
        if data != self.old:
            self.index.write(INDEX, json.dumps(data, sort_keys=True).encode("utf-8"), sync=False)


def _stored(answer: tuple) -> list:
    """An answer as JSON gives it back (so that an unchanged index is seen as unchanged)."""
    pages, own, culprits = answer
    return [pages, own, list(culprits)]


def _answer(value) -> tuple | None:
    """A stored answer ``[pages, own pages, [culprit ids]]``, or None when it is not one."""
    try:
        pages, own, culprits = value
        if isinstance(pages, int) and isinstance(own, int) and all(isinstance(c, str) for c in culprits):
            return pages, own, tuple(culprits)
    except (TypeError, ValueError):
        pass
    return None
