"""The verdict on a project: the content-only core, then the measurers of :mod:`.measures`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..content.cache import FOLDER as VALIDATION_FOLDER
from ..content.diagnostics import sort_diagnostics
from ..content.validate import Result, validate_corpus
from ..content.vocabulary import SCHEMA_DIR
from ..store.keys import project_cache_dir
from . import measures


def validate_project(
    root: Path, *, cache_root: Path | None = None, today: date | None = None, schema_dir: Path = SCHEMA_DIR
) -> Result:
    """Every problem of the content of the project at ``root``, at once.

    ``cache_root``: the project's cache folder (``.cache``, or ``KOMPAS_CACHE_DIR``; see
    :func:`macros.store.keys.cache_root`); the content checks keep their per-file results in its
    ``valideren`` folder and each measurer may keep its own there. None: nothing is cached (the
    verdict is the same, only slower). The measurers run on every result; its corpus holds the
    items that passed their schema, and a measurer measures what the build would make of them.
    """
    cache_dir = project_cache_dir(root, VALIDATION_FOLDER, base=cache_root) if cache_root is not None else None
    result = validate_corpus(root, today=today, schema_dir=schema_dir, cache_dir=cache_dir)
    if not measures.MEASURERS:
        return result
    found = list(result.diagnostics)
    for measurer in measures.MEASURERS:
        found.extend(measurer(result, cache_root))
    return Result(corpus=result.corpus, diagnostics=tuple(sort_diagnostics(found)), documents=result.documents)
