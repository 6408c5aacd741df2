"""One function validates the whole corpus: load → schema → model → cross-file checks.

The CLI and the site build both call :func:`validate_corpus`, so they can never
disagree about what is valid.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import cache, checks
from .diagnostics import Diagnostic, sort_diagnostics
from .document import Document
from .layout import Layout, _discover
from .load import Loaded, load_bytes, read_file
from .model import Bron, Corpus, Dilemma, Meldroutes, Module, Onderwerp, Reeks, Themablad, Uitspraak, Wet
from .schema import validate_document
from .vocabulary import SCHEMA_DIR


@dataclass(frozen=True)
class Result:
    corpus: Corpus
    diagnostics: tuple[Diagnostic, ...]
    documents: tuple[Document, ...] = field(default=(), repr=False)
    # file -> SHA-256 of its bytes in this run (when validated with a cache: the key of what a file yields;
    # a measurer of macros/verdict/ keys its own cache on the files whose content goes into what it measures)
    digests: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    # what the verdict left to measure later (macros/verdict/: only with measure_now=False)
    deferred: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_files(self, files: set[str]) -> tuple[Diagnostic, ...]:
        """The diagnostics in ``files``, and those about them (a sheet whose handout one of them makes
        too long: :attr:`Diagnostic.related`)."""
        return tuple(d for d in self.diagnostics if d.file in files or not files.isdisjoint(d.related))


def _model(documents: list[Document]) -> Corpus:
    kinds: dict[str, list[Any]] = {
        "themablad": [],
        "dilemma": [],
        "uitspraak": [],
        "module": [],
        "onderwerp": [],
        "wetgeving": [],
        "reeks": [],
        "bronnen": [],
        "meldroutes": [],
    }
    builders = {
        "themablad": Themablad.from_data,
        "dilemma": Dilemma.from_data,
        "uitspraak": Uitspraak.from_data,
        "module": Module.from_data,
        "onderwerp": Onderwerp.from_data,
    }
    for doc in documents:
        if not doc.schema_ok:
            continue
        if doc.kind in builders:
            kinds[doc.kind].append(builders[doc.kind](doc.data, doc.loaded.file))
        elif doc.kind == "wetgeving":
            kinds["wetgeving"].extend(
                Wet(w["id"], w["titel"], w["afkorting"], w.get("bwb"), w.get("omschrijving"))
                for w in doc.data["wetten"]
            )
        elif doc.kind == "reeks":
            kinds["reeks"].append(Reeks.from_data(doc.data))
        elif doc.kind == "bronnen":
            kinds["bronnen"].extend(Bron.from_data(b) for b in doc.data["bronnen"])
        elif doc.kind == "meldroutes":
            kinds["meldroutes"].append(Meldroutes.from_data(doc.data))
    return Corpus.create(
        themabladen=_unique(kinds["themablad"], "id"),
        dilemmas=_unique(kinds["dilemma"], "id"),
        uitspraken=_unique(kinds["uitspraak"], "ecli"),
        wetten=_unique(kinds["wetgeving"], "id"),
        modules=_unique(kinds["module"], "id"),
        reeks=kinds["reeks"][0] if kinds["reeks"] else None,
        onderwerpen=_unique(kinds["onderwerp"], "id"),
        bronnen=_unique(kinds["bronnen"], "id"),
        meldroutes=kinds["meldroutes"][0] if kinds["meldroutes"] else None,
    )


def _unique(items: list[Any], attribute: str) -> list[Any]:
    """Keep the first item of each id; duplicates are reported by the checks."""
    seen: dict[str, object] = {}
    for item in items:
        seen.setdefault(getattr(item, attribute), item)
    return list(seen.values())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while validating, then back as it was.

    Validation builds hundreds of thousands of long-lived containers (the loaded data, the
    positions) and no reference cycles worth collecting (plain dicts, lists and tuples; a
    few cycles in jsonschema's errors, collected once the collector is back on). With the
    collector on, its passes over the growing heap cost about as much as the loading
    itself at 100x; pausing it is safe for the CLI and for a long-running build alike.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_corpus(
    root: Path, *, today: date | None = None, schema_dir: Path = SCHEMA_DIR, cache_dir: Path | None = None
) -> Result:
    """Validate every content file under ``root`` and return all problems at once.

    With ``cache_dir`` (the project's validation cache folder, see
    :func:`macros.content.cache.validation_cache_dir`) the results that depend on one file alone (its
    loaded data, schema problems and per-file checks) and the card-fit estimate per dilemma are kept
    there between runs (macros/content/cache.py); the model, the checks across files and the rules that
    depend on ``today`` always run. The diagnostics are the same with or without it.
    """
    layout = Layout(Path(root))
    today = today or date.today()
    with _collector_paused():
        files, diagnostics = _discover(layout)
        store = cache.Store.open(cache_dir, schema_dir) if cache_dir is not None else None
        if store is not None:
            store.root = layout.root  # a file read again later (for its positions) gets the same checks
        documents: list[Document] = []
        for kind, path, file in files:
            hit = store.lookup(file, kind, path) if store is not None else None  # unchanged: not even read
            if hit is None:
                read = read_file(path, file, root=layout.root)  # only regular files inside the project
                if isinstance(read, Loaded):  # unreadable or too big: its own diagnostic, nothing to cache
                    documents.append(Document(kind, path, read))
                    diagnostics.extend(read.diagnostics)
                    continue
                raw = read
                hit = store.lookup_bytes(file, kind, raw, path) if store is not None else None
            if hit is not None:
                loaded, schema_ok, found = hit
                doc = Document(kind, path, loaded, schema_ok)
                diagnostics.extend(loaded.diagnostics)
            else:
                loaded = load_bytes(raw, file, deferred=True)  # positions when a problem needs them
                doc = Document(kind, path, loaded)
                problems = []
                if loaded.ok and loaded.data is not None:
                    problems = validate_document(kind, loaded, schema_dir)
                    doc.schema_ok = not problems
                found = problems + checks.check_file(doc)
                diagnostics.extend(loaded.diagnostics)
                if store is not None:
                    store.remember(file, kind, raw, loaded, doc.schema_ok, found)
            diagnostics.extend(found)
            documents.append(doc)
        corpus = _model(documents)
        diagnostics.extend(
            checks.check_corpus(
                documents, corpus, layout, today, cards=store.check_cards if store is not None else None
            )
        )
        if store is not None:
            store.save()
        return Result(
            corpus=corpus,
            diagnostics=tuple(sort_diagnostics(diagnostics)),
            documents=tuple(documents),
            digests=store.digests if store is not None else {},
        )
