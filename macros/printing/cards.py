"""Print-ready dilemma card decks (PDF) for team sessions.

A deck is either A4 sheets with four A6 cards (105 × 148 mm) and cut marks, each
front sheet followed by its back sheet mirrored for long-edge duplex, or A5 with one
card per page (front page, back page). The HTML comes from the Jinja templates in
``templates/kaarten/``; WeasyPrint turns it into a tagged PDF with the shipped Lato
font embedded. The type size of each side is chosen by :mod:`macros.content.cards_fit`, the
same estimator the validator uses, so a card that validates never overflows.

Entry points: :func:`select` (the CLI's selections), :func:`render_deck` and
:func:`build_site_decks` (the site build).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..content import atomic
from ..content.memo import digest, folder_digest

from . import pdf
from ..render.print_html import (  # noqa: F401 - the card HTML; re-exported for the deck's callers
    A4, A5, A5_SCALE, CARD_MM, FORMATEN, INDENT, Card, KaartFout, Mark, Sheet, Slot, cards_html, cut_marks, deck_html,
    dilemma_address, layout_a4, layout_a5, make_card, page_count, plek, qr_data_uri, sheet_label, slot_positions,
    stylesheet)
from ..content.model import DOELGROEPEN, KERNWAARDEN, Corpus, Dilemma
from .pdf import fewer_collections

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
    order = corpus.derived("dilemma_order", lambda: {item.id: index for index, item in enumerate(corpus.dilemmas)})
    candidates = corpus.dilemmas
    if selectie.modules or selectie.ids:  # only these can match: no need to look at every dilemma
        named = set(module_ids) if selectie.modules else set(selectie.ids)
        candidates = [corpus.dilemma[i] for i in sorted(named & corpus.dilemma.keys(), key=order.__getitem__)]
    wanted_modules = set(module_ids)
    result = []
    for item in candidates:
        if selectie.themabladen and not set(item.themabladen) & set(selectie.themabladen):
            continue
        if selectie.modules and item.id not in wanted_modules:
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
    return tuple(sorted(result, key=lambda d: (rank.get(d.id, len(rank)), order[d.id])))


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
    """Every deck the site offers, cheap to compute (nothing is rendered; made once per corpus)."""
    return list(corpus.derived("site_deck_plan", lambda: tuple(_site_deck_plan(corpus))))


def _site_deck_plan(corpus: Corpus) -> list[DeckJob]:
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


# Up to this many cards to lay out (a warm build after a few changed dilemmas), the decks are drawn
# in this process: starting worker processes (each importing WeasyPrint and setting up the fonts)
# costs more than they save. Either way the bytes are the same.
SMALL_WORK = 120


@cache
def deck_code() -> str:
    """The code that turns cards into deck HTML: :func:`cards_html` (macros/render/print_html.py), the
    card templates and the template engine. Part of a deck's cache key, with the cards themselves."""
    from importlib.metadata import version

    render = Path(__file__).resolve().parent.parent / "render"
    engine = f"Jinja2={version('Jinja2')} MarkupSafe={version('MarkupSafe')}"
    return digest(folder_digest([render / "templates" / "kaarten"]),
                  (render / "print_html.py").read_text(encoding="utf-8"), engine)


def _deck_html(cards: list[Card], formaat: str, titel: str):
    """A function that makes the HTML of a deck (only called for a deck that is drawn)."""
    return lambda: cards_html(cards, formaat, titel)


def _card_id(page) -> str:
    """The id of the card on an A5 front page (from its anchor, ``voor-<id>``)."""
    anchor = next(name for name in page.anchors if name.startswith("voor-"))
    return anchor.removeprefix("voor-")


def build_site_decks(corpus: Corpus, out_dir: Path, *, cache_dir: Path | None = None, workers: int = 1,
                     site_url: str | None = None) -> list[Deck]:
    """Render every deck of :func:`site_deck_plan` into ``out_dir``, in A4 and in A5.

    Files (``F`` is ``a4`` or ``a5``): ``dilemmakaarten-F.pdf`` (the whole deck),
    ``themablad-<id>-F.pdf`` per theme sheet with dilemmas, ``module-<id>-F.pdf`` per module
    that uses dilemmas. With ``cache_dir``, a deck whose cards, title, stylesheet, Kompas code and
    WeasyPrint version are unchanged is copied from the cache instead of rendered again (its HTML
    follows from those, and rendering is deterministic, so the bytes are the same). ``workers`` > 1
    renders in parallel processes when there is more than :data:`SMALL_WORK` cards to lay out.
    The A5 decks of sheets and modules are written from the pages of the whole A5 deck when
    that one is rendered too (the same bytes as laid out on their own).
    Call it only for a corpus without validation errors: a dilemma that does not fit raises
    :class:`KaartFout`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if cache_dir is not None:
        cache_dir = atomic.cache_folder(Path(cache_dir))
    planned = []  # (job, formaat, html, target, cached); html: a function, made only when needed
    for job in site_deck_plan(corpus):
        cards = [make_card(corpus, item, site_url) for item in job.items]
        described = repr(cards) if cache_dir is not None else ""
        for formaat in FORMATEN:
            html = _deck_html(cards, formaat, job.titel)
            target = out_dir / Path(job.url(formaat)).name
            cached = None
            if cache_dir is not None:
                # The HTML is a pure function of the cards, the format, the title and the code
                # (templates): keyed on those, an unchanged deck is found without making its HTML.
                key = pdf.digest(described, stylesheet(formaat), f"{formaat}\0{job.titel}\0{deck_code()}")
                cached = cache_dir / f"{key}{atomic.ENTRY_SUFFIX}"
            planned.append((job, formaat, html, target, cached))
    fresh: dict[Path, str] = {}  # cache entry -> the temporary file a worker renders it into
    todo = []
    for job, formaat, html, target, cached in planned:
        if cached is None:
            todo.append((job, formaat, html(), str(target)))
        elif cached not in fresh and not atomic.entry_valid(cached):
            fresh[cached] = str(cached.with_name(f"{atomic.writing_prefix()}{cached.stem}.tmp"))
            todo.append((job, formaat, html(), fresh[cached]))
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
    if workers > 1 and len(tasks) > 1 and sum(len(job.items) for job, *_ in todo) > SMALL_WORK:
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
            _render_to(html(), formaat, str(target))  # damaged since it was checked: never copy it
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
