"""What the Draaiboek of a module shows: the facts, the agenda with clock times, the notes for
the facilitator per step, the dilemmas with their hulpvragen and the materials to print.

The layout is ``templates/druk/draaiboek.html.j2``; :mod:`macros.printing.druk` renders it to PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Corpus, Dilemma, Module, Themablad
from .cards import DeckJob, site_deck_plan


@dataclass(frozen=True)
class Materiaal:
    """One thing to print for a session, and how many."""

    wat: str
    bestand: str | None  # the PDF on the site, site-relative
    aantal: int | None  # copies; None when the module names no group size
    eenheid: str  # "set" or "exemplaar"


def _deck(corpus: Corpus, module: Module) -> DeckJob | None:
    return next((job for job in site_deck_plan(corpus) if job.soort == "module" and job.id == module.id), None)


def materialen(corpus: Corpus, module: Module) -> list[Materiaal]:
    """The module's card deck (one set per participant) and a handout of each sheet it uses
    (one per participant), at the upper bound of the group size."""
    copies = module.deelnemers.max if module.deelnemers else None
    result = []
    deck = _deck(corpus, module) if module.alle_dilemmas else None
    if deck is not None:
        cards = len(deck.items)
        result.append(
            Materiaal(
                f"Dilemmakaarten van deze module ({cards} kaart{'en' if cards != 1 else ''}), "
                "A4, vier per vel, dubbelzijdig",
                deck.url("a4"),
                copies,
                "set",
            )
        )
    for sheet_id in module.alle_themabladen:
        sheet = corpus.themablad.get(sheet_id)
        if sheet is not None:
            result.append(
                Materiaal(f"Handout: {sheet.volledige_titel}", f"druk/handout-{sheet.id}.pdf", copies, "exemplaar")
            )
    return result


def context(corpus: Corpus, module: Module, *, site_url: str | None = None) -> dict:
    """The template context of a module's Draaiboek."""
    dilemmas: list[Dilemma] = [corpus.dilemma[i] for i in module.alle_dilemmas if i in corpus.dilemma]
    sheets: list[Themablad] = [corpus.themablad[i] for i in module.alle_themabladen if i in corpus.themablad]
    address = f"{site_url.rstrip('/')}/latest/modules/{module.id}/" if site_url else None
    return {
        "mod": module,
        "c": corpus,
        "dilemmas": dilemmas,
        "themabladen": sheets,
        "materialen": materialen(corpus, module),
        "adres": address,
        "titel": f"Draaiboek: {module.soort_label} {module.titel}",
    }
