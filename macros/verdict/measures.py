"""Checks of the whole project that need more than the content layer: measurements of a later layer
(printing) and the rules of a later build stage (the pages the site makes), taken on the result of
the content checks.

A measurer is a function ``(result, context) -> diagnostics``: ``result`` is the content-only verdict
of :func:`macros.content.validate.validate_corpus` (corpus, documents with positions, diagnostics,
the digest of every file), ``context`` a :class:`Context`: the project, its cache folder for a cache
of its own (macros/store/), and whether it may take the time to measure what it has not measured
before. Every diagnostic it returns carries a code of the catalogue (macros/content/diagnostics.py),
a file and a line.

:data:`MEASURERS` is the list :func:`macros.verdict.validate_project` runs: the handout fit of every
themablad (macros/verdict/handouts.py, with the same measurement the build uses) and the rules of
the site for the hand-written pages and the menu (macros/verdict/pages.py). docs/weigeringen.md
lists every refusal of the build and the check here that comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..content.diagnostics import Diagnostic
from ..content.validate import Result
from .context import Context

Measurer = Callable[[Result, Context], Sequence[Diagnostic]]


def _handouts(result: Result, context: Context) -> Sequence[Diagnostic]:
    from .handouts import check_handouts

    return check_handouts(result, context)


def _pages(result: Result, context: Context) -> Sequence[Diagnostic]:
    from .pages import check_pages

    return check_pages(result, context)


MEASURERS: list[Measurer] = [_handouts, _pages]
