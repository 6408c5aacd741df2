"""The HTML of printed matter, the same for WeasyPrint and the browser.

One card template for every card: the PDF decks (macros/printing/cards.py), the session page's
browser print and the printed dilemma page (macros/render/session.py) all lay out the cards made
here with the same Jinja macros (``templates/kaarten/``) and the same generated stylesheet,
at the size step the fit estimator (:mod:`macros.content.cards_fit`) chose. The draaiboeken and
handouts use the same template environment. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape

from ..content import cards_fit
from ..content.cards_fit import FONT_DIR, SPEC, BackContent
from ..content.model import Corpus, Dilemma
from ..store.errors import ContentError


@cache
def environment() -> Environment:
    """The Jinja environment of the print templates (HTML autoescaped, CSS templates not)."""
    env = Environment(
        loader=PackageLoader("macros.render", "templates"),
        autoescape=select_autoescape(disabled_extensions=("css.j2",), default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        auto_reload=False,
    )  # templates are code: not checked on disk at every use
    env.filters["pt"] = _points
    return env


@pass_context
def _points(context, value) -> str:
    """``{{ 13 | pt }}``: a length in points at the ``scale`` of the stylesheet being rendered.

    The scale comes from the template's context, not from a filter made per format: Jinja folds a
    filter of a constant into the compiled template, so with a per-format filter the template
    compiled for one format (and kept between builds, macros/site/adapter.py) gave the other
    format that format's lengths. A filter that reads the context is never folded.
    """
    return f"{value * context['scale']:.4f}pt"


def font_faces() -> str:
    """The ``@font-face`` rules of the shipped font (family "Kompas Lato")."""
    return environment().get_template("druk/lettertypen.css.j2").render(fonts=FONT_DIR.as_uri())


FORMATEN = ("a4", "a5")
A4 = (210.0, 297.0)
A5 = (148.0, 210.0)
CARD_MM = (105.0, 148.0)
A5_SCALE = A5[0] / CARD_MM[0]  # the A6 card scaled to the width of an A5 page


class KaartFout(ContentError):
    """A card or deck that cannot be made; the message is Dutch, for the user (code KAART)."""

    code = "KAART"


# -- cards -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """What one card shows, with the chosen size step of each side."""

    id: str
    titel: str
    context: str
    vraag: str
    blad: str
    back: BackContent
    front_step: int
    back_step: int
    bron: str | None = None  # the source line on the back ("Naar ...")
    qr: str | None = None  # the QR code to the dilemma's page (an SVG data URI), when the site has a site_url
    adres: str | None = None  # that page's address


def dilemma_address(site_url: str, item_id: str) -> str:
    """The dilemma's page under the ``latest`` version alias (mike) of the site."""
    return f"{site_url.rstrip('/')}/latest/dilemmas/{item_id}/"


@cache
def qr_data_uri(address: str) -> str:
    """A QR code of ``address`` as an SVG data URI (no quiet zone: the card around it is white)."""
    import segno

    return segno.make_qr(address, error="m").svg_data_uri(border=0, omitsize=True)


def sheet_label(corpus: Corpus, item: Dilemma) -> str:
    """The front's footer: the dilemma's first sheet, or its first topic (onderwerp) when it has no sheet."""
    sheet = cards_fit.first_sheet(corpus, item)
    if sheet is None:
        topic = next((corpus.onderwerp[i] for i in item.onderwerpen if i in corpus.onderwerp), None)
        return f"Onderwerp · {topic.titel}" if topic is not None else "Dilemma"
    if sheet.nummer is not None:
        return f"Themablad {sheet.nummer} · {sheet.titel}"
    return f"Themablad · {sheet.titel}"


def make_card(corpus: Corpus, item: Dilemma, site_url: str | None = None) -> Card:
    """The card of a dilemma, ready for any deck (made once per card of a corpus)."""
    return corpus.derived_for(item, ("card", site_url), lambda: _make_card(corpus, item, site_url))


def _make_card(corpus: Corpus, item: Dilemma, site_url: str | None) -> Card:
    fit = cards_fit.fit_card(corpus, item)
    bron = cards_fit.source_line(corpus, item)
    if not fit.ok or not cards_fit.source_fits(bron):
        raise KaartFout(
            f"Het dilemma '{item.id}' past niet op een kaart ({item.pad}); kompas valideer meldt dit als KAART-TE-LANG."
        )
    adres = dilemma_address(site_url, item.id) if site_url else None
    return Card(
        item.id,
        item.titel,
        item.context,
        item.vraag,
        sheet_label(corpus, item),
        fit.back_content,
        fit.front_step,
        fit.back_step,
        bron,
        qr_data_uri(adres) if adres else None,
        adres,
    )


@dataclass(frozen=True)
class Slot:
    card: Card
    left: float  # mm
    top: float  # mm

    @property
    def plek(self) -> str:
        """The CSS class that places the card (see :func:`slot_positions`)."""
        return plek(self.left, self.top)


def plek(left: float, top: float) -> str:
    """The class name of a card position: the stylesheet places cards, not a style attribute.

    WeasyPrint shares one computed style between elements with the same parent style and
    the same matching rules, but never for an element with a style (or id) attribute; a
    card without one lets every card of the same size step share the styles of all its
    boxes, which makes the cascade and the layout much cheaper.
    """
    return f"plek-{round(left * 1000)}-{round(top * 1000)}"


@dataclass(frozen=True)
class Mark:
    kind: str  # "v" (vertical) or "h"
    left: float
    top: float
    length: float


@dataclass(frozen=True)
class Sheet:
    side: str  # "voorkanten" or "achterkanten"
    slots: tuple[Slot, ...]
    marks: tuple[Mark, ...] = ()


def _fmt(value: float) -> float:
    return round(value, 3)


def cut_marks() -> tuple[Mark, ...]:
    """Ticks at the page edges on the two cut lines, and a cross where they meet."""
    width, height = A4
    mid_x, mid_y = CARD_MM[0], height / 2
    tick, arm = 9.0, 4.0  # ticks reach past the unprintable margin of most printers (about 4 mm)
    return (
        Mark("v", mid_x, 0.0, tick),
        Mark("v", mid_x, height - tick, tick),
        Mark("h", 0.0, mid_y, tick),
        Mark("h", width - tick, mid_y, tick),
        Mark("v", mid_x, mid_y - arm, 2 * arm),
        Mark("h", mid_x - arm, mid_y, 2 * arm),
    )


def _a4_position(column: int, row: int) -> tuple[float, float]:
    """(left, top) in mm of a card on an A4 sheet."""
    top = (A4[1] - 2 * CARD_MM[1]) / 2
    return column * CARD_MM[0], _fmt(top + row * CARD_MM[1])


def _a5_position() -> tuple[float, float]:
    return 0.0, _fmt((A5[1] - CARD_MM[1] * A5_SCALE) / 2)


def slot_positions(formaat: str) -> tuple[tuple[float, float], ...]:
    """Every (left, top) in mm where a card of this format can be: the stylesheet has a class for each."""
    if formaat == "a5":
        return (_a5_position(),)
    return tuple(_a4_position(column, row) for row in (0, 1) for column in (0, 1))


def layout_a4(cards: list[Card]) -> list[Sheet]:
    """Front sheet, then its back sheet with the columns swapped (long-edge duplex)."""
    sheets = []
    for start in range(0, len(cards), 4):
        group = cards[start : start + 4]
        front, back = [], []
        for index, card in enumerate(group):
            column, row = index % 2, index // 2
            front.append(Slot(card, *_a4_position(column, row)))
            back.append(Slot(card, *_a4_position(1 - column, row)))
        sheets.append(Sheet("voorkanten", tuple(front), cut_marks()))
        sheets.append(Sheet("achterkanten", tuple(back)))
    return sheets


def layout_a5(cards: list[Card]) -> list[Sheet]:
    """One card per page: its front page, then its back page."""
    sheets = []
    for card in cards:
        sheets.append(Sheet("voorkanten", (Slot(card, *_a5_position()),)))
        sheets.append(Sheet("achterkanten", (Slot(card, *_a5_position()),)))
    return sheets


# -- rendering ---------------------------------------------------------------------------
@cache
def stylesheet(formaat: str) -> str:
    """The CSS of a deck: the card geometry of :data:`cards_fit.SPEC`, scaled for A5."""
    scale = A5_SCALE if formaat == "a5" else 1.0
    page = A5 if formaat == "a5" else A4
    template = environment().get_template("kaarten/kaarten.css.j2")
    positions = [(plek(left, top), left, top) for left, top in slot_positions(formaat)]
    marks = cut_marks() if formaat == "a4" else ()
    metrics = cards_fit.fonts()
    return template.render(
        scale=scale,
        spec=SPEC,
        page_width=page[0],
        page_height=page[1],
        fonts=FONT_DIR.as_uri(),
        positions=positions,
        marks=marks,
        quote_em=metrics["black"].em("\u201c"),
    )


def deck_html(
    corpus: Corpus, dilemmas, formaat: str = "a4", titel: str | None = None, *, site_url: str | None = None
) -> str:
    """The HTML of a deck (also useful to inspect a layout in a browser).

    ``site_url``: the site's address, for the QR codes.
    """
    if formaat not in FORMATEN:
        raise KaartFout(f"Onbekend formaat '{formaat}'. Kies uit: {', '.join(FORMATEN)}.")
    return cards_html([make_card(corpus, item, site_url) for item in dilemmas], formaat, titel)


# whitespace with a line break between two tags: only the template's indentation (the spaces that
# matter, between the core value labels, are on one line); dropping it saves parsing and boxes
INDENT = re.compile(r">[ \t]*\n\s*<")


def cards_html(cards: list[Card], formaat: str = "a4", titel: str | None = None) -> str:
    """The HTML of a deck of prepared cards (sizes already chosen)."""
    if not cards:
        raise KaartFout("Er zijn geen dilemma's om kaarten van te maken.")
    sheets = layout_a5(cards) if formaat == "a5" else layout_a4(cards)
    return sheets_html(sheets, titel or "Dilemmakaarten", deck_description(len(cards), formaat))


def sheets_html(sheets: list[Sheet], titel: str, beschrijving: str) -> str:
    """The HTML of laid-out sheets (pages) of cards, with the document's title and description."""
    html = (
        environment().get_template("kaarten/deck.html.j2").render(titel=titel, beschrijving=beschrijving, sheets=sheets)
    )
    return INDENT.sub("><", html)


def deck_description(aantal: int, formaat: str) -> str:
    """The description in a deck's PDF metadata."""
    return f"{aantal} dilemmakaarten van Kompas, " + (
        "A4 met vier kaarten per vel, dubbelzijdig (lange zijde)" if formaat == "a4" else "A5 met één kaart per pagina"
    )


def page_count(aantal: int, formaat: str) -> int:
    return 2 * (math.ceil(aantal / 4) if formaat == "a4" else aantal)
