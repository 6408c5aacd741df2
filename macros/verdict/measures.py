"""Checks of the whole corpus that need more than the content layer: measurements of a later
layer (printing) taken on a corpus that passed the content checks.

A measurer is a function ``(result, cache_root) -> diagnostics``: ``result`` is the content-only
verdict of :func:`macros.content.validate.validate_corpus` (corpus, documents with positions,
diagnostics), ``cache_root`` the project's cache folder (``.cache`` or ``KOMPAS_CACHE_DIR``; None
without a cache) for a cache of its own (macros/store/). Every diagnostic it returns must carry a
code of the catalogue (macros/content/diagnostics.py), a file and a line.

:data:`MEASURERS` is the list :func:`macros.verdict.validate_project` runs. It is empty today:
the handout fit of issue 31 ("One verdict") goes here, with the same measurement the build uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..content.diagnostics import Diagnostic
from ..content.validate import Result

Measurer = Callable[[Result, Path | None], Sequence[Diagnostic]]

MEASURERS: list[Measurer] = []
