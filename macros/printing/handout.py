"""What the Handout of a themablad shows, in the order of the paper original: Inleiding,
Kader, Dilemma's, Casuïstiek, Interne richtlijnen, Wet- en regelgeving, Gerelateerde
themabladen and the hulpvragen, on at most two A4 pages.

The layout is ``templates/druk/handout.html.j2``; :mod:`macros.printing.druk` renders it to PDF,
measures it (:func:`macros.printing.druk.measure_handouts`, the one measurement that validation and
the build share) and refuses a sheet that needs more than :data:`MAX_PAGES` pages.

The template gets :func:`context` and nothing else (no corpus): what a handout shows is exactly what
:func:`sources` names, so a cache keyed on those files (macros/verdict/handouts.py) cannot miss a change.
"""

from __future__ import annotations

from ..content.model import Corpus, Dilemma, Themablad

MAX_PAGES = 2
# A sheet's dilemmas are written in other files and their number grows with the corpus; the
# handout shows the first few in full and counts the rest, so its length stays the sheet's own.
MAX_DILEMMAS = 6


def fits(pages: int) -> bool:
    """Whether a handout of ``pages`` pages may be printed: the one rule of validation and build."""
    return pages <= MAX_PAGES


def shown(corpus: Corpus, sheet: Themablad) -> tuple[tuple[Dilemma, ...], int]:
    """The dilemmas a sheet's handout shows in full, and how many it only counts."""
    dilemmas = corpus.dilemmas_van(sheet.id)
    return tuple(dilemmas[:MAX_DILEMMAS]), max(0, len(dilemmas) - MAX_DILEMMAS)


def sources(corpus: Corpus, sheet: Themablad) -> list[str]:
    """The content files whose items go into the sheet's handout (project-relative paths, in order),
    besides the two registers (wetgeving and reeks) every handout reads: the sheet, the dilemmas
    it shows in full, the rulings it cites and its related sheets. What the handout shows of the
    dilemmas it only counts is their number (:func:`shown`)."""
    dilemmas, _ = shown(corpus, sheet)
    rulings = [corpus.uitspraak[e].pad for e in sheet.casuistiek if e in corpus.uitspraak]
    related = [corpus.themablad[i].pad for i in sheet.gerelateerd if i in corpus.themablad]
    return [sheet.pad, *(d.pad for d in dilemmas), *rulings, *related]


def context(
    corpus: Corpus,
    sheet: Themablad,
    *,
    site_url: str | None = None,
    dilemmas: tuple[Dilemma, ...] | None = None,
    more: int | None = None,
) -> dict:
    """The template context of a sheet's Handout. ``dilemmas`` and ``more``: show these dilemmas and
    count this many others instead of the sheet's own (to find out which dilemma makes it too long)."""
    own, counted = shown(corpus, sheet)
    rulings = [corpus.uitspraak[e] for e in sheet.casuistiek if e in corpus.uitspraak]
    related = [corpus.themablad[i] for i in sheet.gerelateerd if i in corpus.themablad]
    questions = list(sheet.hulpvragen) + (list(corpus.reeks.hulpvragen) if corpus.reeks else [])
    address = f"{site_url.rstrip('/')}/latest/themabladen/{sheet.id}/" if site_url else None
    laws = {ref.wet: corpus.wet[ref.wet] for ref in sheet.wetgeving if ref.wet in corpus.wet}
    return {
        "t": sheet,
        "wetten": laws,
        "dilemmas": list(own if dilemmas is None else dilemmas),
        "meer_dilemmas": counted if more is None else more,
        "uitspraken": rulings,
        "gerelateerd": related,
        "hulpvragen": questions,
        "adres": address,
        "titel": f"Handout: {sheet.volledige_titel}",
    }
