"""What the Handout of a themablad shows, in the order of the paper original: Inleiding,
Kader, Dilemma's, Casuïstiek, Interne richtlijnen, Wet- en regelgeving, Gerelateerde
themabladen and the hulpvragen, on at most two A4 pages.

The layout is ``templates/druk/handout.html.j2``; :mod:`macros.printing.druk` renders it to PDF and
refuses (:class:`macros.printing.druk.DrukFout`) a sheet that needs more than :data:`MAX_PAGES` pages.
"""

from __future__ import annotations

from ..content.model import Corpus, Themablad

MAX_PAGES = 2
# A sheet's dilemmas are written in other files and their number grows with the corpus; the
# handout shows the first few in full and counts the rest, so its length stays the sheet's own.
MAX_DILEMMAS = 6


def context(corpus: Corpus, sheet: Themablad, *, site_url: str | None = None) -> dict:
    """The template context of a sheet's Handout."""
    rulings = [corpus.uitspraak[e] for e in sheet.casuistiek if e in corpus.uitspraak]
    related = [corpus.themablad[i] for i in sheet.gerelateerd if i in corpus.themablad]
    questions = list(sheet.hulpvragen) + (list(corpus.reeks.hulpvragen) if corpus.reeks else [])
    address = f"{site_url.rstrip('/')}/latest/themabladen/{sheet.id}/" if site_url else None
    dilemmas = corpus.dilemmas_van(sheet.id)
    return {
        "t": sheet,
        "c": corpus,
        "dilemmas": dilemmas[:MAX_DILEMMAS],
        "meer_dilemmas": max(0, len(dilemmas) - MAX_DILEMMAS),
        "uitspraken": rulings,
        "gerelateerd": related,
        "hulpvragen": questions,
        "adres": address,
        "titel": f"Handout: {sheet.volledige_titel}",
    }
