"""Print-ready dilemma card decks (PDF) for team sessions.

A deck is either A4 sheets with four A6 cards (105 × 148 mm) and cut marks, each
front sheet followed by its back sheet mirrored for long-edge duplex, or A5 with one
card per page (front page, back page). The HTML comes from the Jinja templates in
``templates/kaarten/``; WeasyPrint turns it into a tagged PDF with the shipped Lato
font embedded. The type size of each side is chosen by :mod:`macros.cards_fit`, the
same estimator the validator uses, so a card that validates never overflows.

Entry points: :func:`select` (the CLI's selections), :func:`render_deck` and
:func:`build_site_decks` (the site build).
"""

from __future__ import annotations

import copy
import math
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment

from . import atomic, cards_fit, pdf
from .cards_fit import MM, SPEC, BackContent
from .model import DOELGROEPEN, KERNWAARDEN, Corpus, Dilemma
from .pdf import cache_page_references, fewer_collections  # noqa: F401 - shared with the other printed documents

FORMATEN = ("a4", "a5")
A4 = (210.0, 297.0)
A5 = (148.0, 210.0)
CARD_MM = (105.0, 148.0)
A5_SCALE = A5[0] / CARD_MM[0]  # the A6 card scaled to the width of an A5 page


class KaartFout(Exception):
    """A selection or deck that cannot be made; the message is Dutch, for the user."""


# -- selection ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Selectie:
    """Which dilemmas go into a deck: AND between kinds, OR within a kind; empty = all."""

    themabladen: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    kernwaarden: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    @property
    def leeg(self) -> bool:
        return not (self.themabladen or self.modules or self.kernwaarden or self.doelgroepen or self.ids)

    def omschrijving(self) -> str:
        parts = []
        for label, values in (("themablad", self.themabladen), ("module", self.modules),
                              ("kernwaarde", self.kernwaarden), ("doelgroep", self.doelgroepen), ("id", self.ids)):
            if values:
                parts.append(f"{label} {' of '.join(values)}")
        return " en ".join(parts) if parts else "alle dilemma's"


def _unknown(kind: str, values, known, hint: str) -> None:
    missing = [v for v in values if v not in known]
    if missing:
        names = ", ".join(f"'{v}'" for v in missing)
        adjective = "Onbekend" if kind in ("themablad", "dilemma-id") else "Onbekende"  # het themablad, de module
        raise KaartFout(f"{adjective} {kind}: {names}. {hint}")


def _choices(values) -> str:
    return ", ".join(values) if values else "(geen)"


def select(corpus: Corpus, selectie: Selectie) -> tuple[Dilemma, ...]:
    """The dilemmas of a selection, or :class:`KaartFout` for an unknown value or no match.

    Order: the order of the named modules and ids (the session's order) first, then the
    corpus order (by title).
    """
    _unknown("themablad", selectie.themabladen, corpus.themablad,
             f"Bestaande themabladen: {_choices(sorted(corpus.themablad))}.")
    _unknown("module", selectie.modules, corpus.module, f"Bestaande modules: {_choices(sorted(corpus.module))}.")
    _unknown("kernwaarde", selectie.kernwaarden, KERNWAARDEN, f"Kies uit: {', '.join(KERNWAARDEN)}.")
    _unknown("doelgroep", selectie.doelgroepen, DOELGROEPEN, f"Kies uit: {', '.join(DOELGROEPEN)}.")
    _unknown("dilemma-id", selectie.ids, corpus.dilemma, "Dilemma-id's staan als bestandsnaam in content/dilemmas/.")

    module_ids: list[str] = []
    for module_id in selectie.modules:
        module_ids.extend(corpus.module[module_id].alle_dilemmas)
    preferred = list(dict.fromkeys([*module_ids, *selectie.ids]))
    result = []
    for item in corpus.dilemmas:
        if selectie.themabladen and not set(item.themabladen) & set(selectie.themabladen):
            continue
        if selectie.modules and item.id not in module_ids:
            continue
        if selectie.kernwaarden and not set(item.kernwaarden) & set(selectie.kernwaarden):
            continue
        if selectie.doelgroepen and not set(item.doelgroep) & set(selectie.doelgroepen):
            continue
        if selectie.ids and item.id not in selectie.ids:
            continue
        result.append(item)
    if not result:
        raise KaartFout(f"Geen dilemma's gevonden voor {selectie.omschrijving()}. Er is geen PDF gemaakt; "
                        "maak de selectie ruimer.")
    rank = {item_id: index for index, item_id in enumerate(preferred)}
    order = {item.id: index for index, item in enumerate(corpus.dilemmas)}
    return tuple(sorted(result, key=lambda d: (rank.get(d.id, len(rank)), order[d.id])))


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


def configured_site_url(root: Path) -> str | None:
    """``site_url`` from the project's mkdocs.yml (None when it is missing or empty)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # MkDocs tags such as !ENV
    try:
        data = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("site_url") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def sheet_label(corpus: Corpus, item: Dilemma) -> str:
    sheet = cards_fit.first_sheet(corpus, item)
    if sheet is None:
        return "Dilemma"
    if sheet.nummer is not None:
        return f"Themablad {sheet.nummer} · {sheet.titel}"
    return f"Themablad · {sheet.titel}"


def make_card(corpus: Corpus, item: Dilemma, site_url: str | None = None) -> Card:
    fit = cards_fit.fit_card(corpus, item)
    bron = cards_fit.source_line(item)
    if not fit.ok or not cards_fit.source_fits(bron):
        raise KaartFout(f"Het dilemma '{item.id}' past niet op een kaart ({item.pad}); "
                        "kompas valideer meldt dit als KAART-TE-LANG.")
    adres = dilemma_address(site_url, item.id) if site_url else None
    return Card(item.id, item.titel, item.context, item.vraag, sheet_label(corpus, item), fit.back_content,
                fit.front_step, fit.back_step, bron, qr_data_uri(adres) if adres else None, adres)


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


def _cut_marks() -> tuple[Mark, ...]:
    """Ticks at the page edges on the two cut lines, and a cross where they meet."""
    width, height = A4
    mid_x, mid_y = CARD_MM[0], height / 2
    tick, arm = 9.0, 4.0  # ticks reach past the unprintable margin of most printers (about 4 mm)
    return (Mark("v", mid_x, 0.0, tick), Mark("v", mid_x, height - tick, tick),
            Mark("h", 0.0, mid_y, tick), Mark("h", width - tick, mid_y, tick),
            Mark("v", mid_x, mid_y - arm, 2 * arm), Mark("h", mid_x - arm, mid_y, 2 * arm))


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
        group = cards[start:start + 4]
        front, back = [], []
        for index, card in enumerate(group):
            column, row = index % 2, index // 2
            front.append(Slot(card, *_a4_position(column, row)))
            back.append(Slot(card, *_a4_position(1 - column, row)))
        sheets.append(Sheet("voorkanten", tuple(front), _cut_marks()))
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
def _environment() -> Environment:
    return pdf.environment()


@cache
def stylesheet(formaat: str) -> str:
    """The CSS of a deck: the card geometry of :data:`cards_fit.SPEC`, scaled for A5."""
    scale = A5_SCALE if formaat == "a5" else 1.0
    env = _environment().overlay()
    env.filters["pt"] = lambda value: f"{value * scale:.4f}pt"
    page = A5 if formaat == "a5" else A4
    template = env.get_template("kaarten/kaarten.css.j2")
    positions = [(plek(left, top), left, top) for left, top in slot_positions(formaat)]
    marks = _cut_marks() if formaat == "a4" else ()
    metrics = cards_fit.fonts()
    return template.render(spec=SPEC, page_width=page[0], page_height=page[1],
                           fonts=pdf.FONT_DIR.as_uri(), positions=positions, marks=marks,
                           quote_em=metrics["black"].em("\u201c"))


def deck_html(corpus: Corpus, dilemmas, formaat: str = "a4", titel: str | None = None, *,
              site_url: str | None = None) -> str:
    """The HTML of a deck (also useful to inspect a layout in a browser).

    ``site_url``: the site's address, for the QR codes.
    """
    if formaat not in FORMATEN:
        raise KaartFout(f"Onbekend formaat '{formaat}'. Kies uit: {', '.join(FORMATEN)}.")
    return cards_html([make_card(corpus, item, site_url) for item in dilemmas], formaat, titel)


# whitespace with a line break between two tags: only the template's indentation (the spaces that
# matter, between the core value labels, are on one line); dropping it saves parsing and boxes
_INDENT = re.compile(r">[ \t]*\n\s*<")


def cards_html(cards: list[Card], formaat: str = "a4", titel: str | None = None) -> str:
    """The HTML of a deck of prepared cards (sizes already chosen)."""
    if not cards:
        raise KaartFout("Er zijn geen dilemma's om kaarten van te maken.")
    sheets = layout_a5(cards) if formaat == "a5" else layout_a4(cards)
    beschrijving = (f"{len(cards)} dilemmakaarten van Kompas, "
                    + ("A4 met vier kaarten per vel, dubbelzijdig (lange zijde)" if formaat == "a4"
                       else "A5 met één kaart per pagina"))
    html = _environment().get_template("kaarten/deck.html.j2").render(
        titel=titel or "Dilemmakaarten", beschrijving=beschrijving, sheets=sheets)
    return _INDENT.sub("><", html)


@dataclass(frozen=True)
class Deck:
    """A rendered deck: what the site links to."""

    path: Path
    titel: str
    formaat: str
    aantal: int  # number of cards
    paginas: int
    soort: str = "selectie"  # "alles", "themablad", "module" or "selectie"
    id: str | None = None  # the sheet or module id


def page_count(aantal: int, formaat: str) -> int:
    return 2 * (math.ceil(aantal / 4) if formaat == "a4" else aantal)


def render_document(corpus: Corpus, dilemmas, formaat: str = "a4", titel: str | None = None, renderer=None, *,
                    site_url: str | None = None):
    """The laid-out WeasyPrint document of a deck (for :func:`render_deck` and for tests)."""
    return layout_html(deck_html(corpus, list(dilemmas), formaat, titel, site_url=site_url),
                       formaat, renderer)


class Renderer(pdf.Renderer):
    """The font configuration and stylesheet of one format, shared by the decks of a build."""

    def __init__(self, formaat: str = "a4") -> None:
        super().__init__(stylesheet(formaat))
        self.formaat = formaat


@cache
def shared_renderer(formaat: str) -> Renderer:
    """One :class:`Renderer` per format and process: setting up the fonts costs about half a
    second, more than laying out a small deck, and the output does not depend on reuse."""
    return pdf.finalize_at_exit(Renderer(formaat))


def layout_html(html: str, formaat: str = "a4", renderer: Renderer | None = None):
    """Lay out deck HTML with the card stylesheet and the shipped font (a WeasyPrint document)."""
    return (renderer or shared_renderer(formaat)).layout(html)


def _write(document, out_path: Path) -> Path:
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(out_path, pdf_tags=True)
    return out_path


def render_deck(corpus: Corpus, dilemmas, out_path: Path, formaat: str = "a4", titel: str | None = None,
                renderer: Renderer | None = None, *, site_url: str | None = None) -> Deck:
    """Write a deck of the given dilemmas to ``out_path`` (PDF) and describe it.

    ``formaat`` is ``"a4"`` (four cards per sheet, fronts and mirrored backs, cut marks)
    or ``"a5"`` (one card per page). Raises :class:`KaartFout` for an empty list or a
    dilemma that does not fit on a card. The PDF is tagged, has the title and language
    ``nl`` in its metadata and embeds the shipped font. ``site_url``: for the QR codes of
    the backs (see :func:`deck_html`).
    """
    dilemmas = list(dilemmas)
    titel = titel or "Dilemmakaarten"
    with fewer_collections():
        document = render_document(corpus, dilemmas, formaat, titel, renderer, site_url=site_url)
        return Deck(_write(document, out_path), titel, formaat, len(dilemmas), len(document.pages))


def _a5_subset(full, positions: dict[str, int], ids, titel: str):
    """The pages of some cards, taken from an A5 deck that holds them all (one layout for every deck).

    An A5 page holds one side of one card, so the pages are the same as in a deck laid out on
    its own: the PDF is byte for byte the one :func:`render_deck` writes for these cards.
    """
    pages = [full.pages[2 * positions[card_id] + side] for card_id in ids for side in (0, 1)]
    document = full.copy(pages)
    document.metadata = copy.copy(full.metadata)
    document.metadata.title = titel
    document.metadata.description = f"{len(ids)} dilemmakaarten van Kompas, A5 met één kaart per pagina"
    return document


@dataclass(frozen=True)
class DeckJob:
    """One deck the site offers: the whole deck, a theme sheet's or a module's."""

    soort: str  # "alles", "themablad" or "module"
    id: str | None
    titel: str
    items: tuple[Dilemma, ...]

    @property
    def key(self) -> str:
        return "alles" if self.soort == "alles" else f"{self.soort}-{self.id}"

    @property
    def stem(self) -> str:
        return "dilemmakaarten" if self.soort == "alles" else self.key

    def url(self, formaat: str) -> str:
        """Site-relative URL of the PDF."""
        return f"{SITE_FOLDER}/{self.stem}-{formaat}.pdf"


SITE_FOLDER = "kaarten"


# The deck of all cards is prebuilt up to this many cards (100 A4 pages). Above it, nobody prints
# the whole deck, and it would be drawn again after every change to any card; every card is still
# in a prebuilt deck: that of each of its theme sheets (a dilemma names at least one).
WHOLE_DECK_MAX = 200


def site_deck_plan(corpus: Corpus) -> list[DeckJob]:
    """Every deck the site offers, cheap to compute (nothing is rendered)."""
    jobs: list[DeckJob] = []
    if corpus.dilemmas and len(corpus.dilemmas) <= WHOLE_DECK_MAX:
        jobs.append(DeckJob("alles", None, "Dilemmakaarten: alle dilemma's", corpus.dilemmas))
    for sheet in corpus.themabladen:
        items = corpus.dilemmas_van(sheet.id)
        if items:
            jobs.append(DeckJob("themablad", sheet.id, f"Dilemmakaarten: {sheet.volledige_titel}", items))
    for module in corpus.modules:
        if module.alle_dilemmas:
            items = select(corpus, Selectie(modules=(module.id,)))
            jobs.append(DeckJob("module", module.id, f"Dilemmakaarten: {module.soort_label} {module.titel}", items))
    return jobs


def _render_to(html: str, formaat: str, out_path: str, subsets=()) -> int:
    """Render deck HTML to a PDF file; returns the page count (runs in a worker process).

    ``subsets`` (A5 only, ``html`` being the whole deck): ``(card ids, title, path)`` of more
    decks, written from the pages of this one instead of being laid out again.
    """
    with fewer_collections():
        document = layout_html(html, formaat)
        document.write_pdf(out_path, pdf_tags=True)
        if subsets:
            positions = {}
            for index, page in enumerate(document.pages[::2]):
                positions[_card_id(page)] = index
            for ids, titel, path in subsets:
                _a5_subset(document, positions, ids, titel).write_pdf(path, pdf_tags=True)
        return len(document.pages)


def _card_id(page) -> str:
    """The id of the card on an A5 front page (from its anchor, ``voor-<id>``)."""
    anchor = next(name for name in page.anchors if name.startswith("voor-"))
    return anchor.removeprefix("voor-")


def _digest(html: str, formaat: str) -> str:
    import hashlib

    import weasyprint

    hasher = hashlib.sha256()
    for part in (weasyprint.__version__, formaat, stylesheet(formaat), html):
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def build_site_decks(corpus: Corpus, out_dir: Path, *, cache_dir: Path | None = None, workers: int = 1,
                     site_url: str | None = None) -> list[Deck]:
    """Render every deck of :func:`site_deck_plan` into ``out_dir``, in A4 and in A5.

    Files (``F`` is ``a4`` or ``a5``): ``dilemmakaarten-F.pdf`` (the whole deck),
    ``themablad-<id>-F.pdf`` per theme sheet with dilemmas, ``module-<id>-F.pdf`` per module
    that uses dilemmas. With ``cache_dir``, a deck whose HTML, stylesheet and WeasyPrint
    version are unchanged is copied from the cache instead of rendered again (rendering is
    deterministic, so the bytes are the same). ``workers`` > 1 renders in parallel processes.
    The A5 decks of sheets and modules are written from the pages of the whole A5 deck when
    that one is rendered too (the same bytes as laid out on their own).
    Call it only for a corpus without validation errors: a dilemma that does not fit raises
    :class:`KaartFout`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if cache_dir is not None:
        cache_dir = atomic.cache_folder(Path(cache_dir))
    planned = []  # (job, formaat, html, target, cached)
    for job in site_deck_plan(corpus):
        for formaat in FORMATEN:
            html = deck_html(corpus, job.items, formaat, job.titel, site_url=site_url)
            target = out_dir / Path(job.url(formaat)).name
            cached = cache_dir / f"{_digest(html, formaat)}{atomic.ENTRY_SUFFIX}" if cache_dir is not None else None
            planned.append((job, formaat, html, target, cached))
    fresh: dict[Path, str] = {}  # cache entry -> the temporary file a worker renders it into
    todo = []
    for job, formaat, html, target, cached in planned:
        if cached is None:
            todo.append((job, formaat, html, str(target)))
        elif cached not in fresh and not atomic.entry_valid(cached):
            fresh[cached] = str(cached.with_name(f"{atomic.writing_prefix()}{cached.stem}.tmp"))
            todo.append((job, formaat, html, fresh[cached]))
    # Whenever the whole A5 deck is rendered (any change to any card), every other A5 deck to
    # render is a subset of its pages: one A5 layout for all of them.
    whole_a5 = next((entry for entry in todo if entry[0].soort == "alles" and entry[1] == "a5"), None)
    tasks = []  # arguments of _render_to; the largest first, so that it starts at once
    if whole_a5 is not None:
        subsets = tuple((tuple(item.id for item in job.items), job.titel, path)
                        for job, formaat, html, path in todo if formaat == "a5" and job.soort != "alles")
        tasks.append((whole_a5[2], "a5", whole_a5[3], subsets))
    tasks += [(html, formaat, path, ()) for job, formaat, html, path in todo
              if not (whole_a5 is not None and formaat == "a5")]
    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_render_to, *zip(*tasks)))
    else:
        for args in tasks:
            _render_to(*args)
    for cached, temporary in fresh.items():
        atomic.store_entry(Path(temporary), cached)
    decks = []
    for job, formaat, html, target, cached in planned:
        if cached is not None and not atomic.copy_entry(cached, target):
            _render_to(html, formaat, str(target))  # damaged since it was checked: never copy it
        decks.append(Deck(target, job.titel, formaat, len(job.items), page_count(len(job.items), formaat),
                          job.soort, job.id))
    return decks


def deck_title(corpus: Corpus, selectie: Selectie) -> str:
    """The PDF title of a selection: the sheet or module when it is just one, else a description."""
    if selectie.leeg:
        return "Dilemmakaarten: alle dilemma's"
    only = [values for values in (selectie.themabladen, selectie.modules, selectie.kernwaarden,
                                  selectie.doelgroepen, selectie.ids) if values]
    if len(only) == 1 and len(selectie.themabladen) == 1 and selectie.themabladen[0] in corpus.themablad:
        return f"Dilemmakaarten: {corpus.themablad[selectie.themabladen[0]].volledige_titel}"
    if len(only) == 1 and len(selectie.modules) == 1 and selectie.modules[0] in corpus.module:
        module = corpus.module[selectie.modules[0]]
        return f"Dilemmakaarten: {module.soort_label} {module.titel}"
    return f"Dilemmakaarten: {selectie.omschrijving()}"
