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

import contextlib
import copy
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..content.model import DOELGROEPEN, KERNWAARDEN, Corpus, Dilemma
from ..render.print_html import (  # noqa: F401 - the card HTML; re-exported for the deck's callers
    A4,
    A5,
    A5_SCALE,
    CARD_MM,
    FORMATEN,
    INDENT,
    Card,
    KaartFout,
    Mark,
    Sheet,
    Slot,
    cards_html,
    cut_marks,
    deck_description,
    deck_html,
    dilemma_address,
    layout_a4,
    layout_a5,
    make_card,
    page_count,
    plek,
    qr_data_uri,
    sheet_label,
    sheets_html,
    slot_positions,
    stylesheet,
)
from ..store import atomic
from ..store.cache import DOCUMENT_GRACE_SECONDS, Cache
from ..store.keys import digest, folder_digest
from . import pdf
from .merge import merge
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
class SelectionRefused(KaartFout):
    """A selection that names what does not exist, or matches nothing (code SELECTIE, exit code 2)."""

    code = "SELECTIE"


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
        for label, values in (
            ("themablad", self.themabladen),
            ("module", self.modules),
            ("kernwaarde", self.kernwaarden),
            ("doelgroep", self.doelgroepen),
            ("id", self.ids),
        ):
            if values:
                parts.append(f"{label} {' of '.join(values)}")
        return " en ".join(parts) if parts else "alle dilemma's"


def _unknown(kind: str, values, known, hint: str) -> None:
    missing = [v for v in values if v not in known]
    if missing:
        names = ", ".join(f"'{v}'" for v in missing)
        adjective = "Onbekend" if kind in ("themablad", "dilemma-id") else "Onbekende"  # het themablad, de module
        raise SelectionRefused(f"{adjective} {kind}: {names}. {hint}")


def _choices(values) -> str:
    return ", ".join(values) if values else "(geen)"


def select(corpus: Corpus, selectie: Selectie) -> tuple[Dilemma, ...]:
    """The dilemmas of a selection, or :class:`SelectionRefused` for an unknown value or no match.

    Order: the order of the named modules and ids (the session's order) first, then the
    corpus order (by title).
    """
    _unknown(
        "themablad",
        selectie.themabladen,
        corpus.themablad,
        f"Bestaande themabladen: {_choices(sorted(corpus.themablad))}.",
    )
    _unknown("module", selectie.modules, corpus.module, f"Bestaande modules: {_choices(sorted(corpus.module))}.")
    _unknown("kernwaarde", selectie.kernwaarden, KERNWAARDEN, f"Kies uit: {', '.join(KERNWAARDEN)}.")
    _unknown("doelgroep", selectie.doelgroepen, DOELGROEPEN, f"Kies uit: {', '.join(DOELGROEPEN)}.")
    _unknown("dilemma-id", selectie.ids, corpus.dilemma, "Dilemma-id's staan als bestandsnaam in content/dilemmas/.")

    module_ids: list[str] = []
    for module_id in selectie.modules:
        module_ids.extend(corpus.module[module_id].alle_dilemmas)
    preferred = list(dict.fromkeys([*module_ids, *selectie.ids]))
    order = corpus.derived("dilemma_order", lambda: {item.id: index for index, item in enumerate(corpus.dilemmas)})
    candidates: Sequence[Dilemma] = corpus.dilemmas
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
        raise SelectionRefused(
            f"Geen dilemma's gevonden voor {selectie.omschrijving()}. Er is geen PDF gemaakt; maak de selectie ruimer."
        )
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


def render_document(
    corpus: Corpus,
    dilemmas,
    formaat: str = "a4",
    titel: str | None = None,
    renderer=None,
    *,
    site_url: str | None = None,
):
    """The whole deck laid out as one WeasyPrint document (for the tests, which measure the layout
    and compare it with a deck put together from parts; the decks themselves are made from parts)."""
    return layout_html(deck_html(corpus, list(dilemmas), formaat, titel, site_url=site_url), formaat, renderer)


class Renderer(pdf.Renderer):
    """The font configuration and stylesheet of one format, shared by the decks of a build."""

    def __init__(self, formaat: str = "a4") -> None:
        super().__init__(stylesheet(formaat))
        self.formaat = formaat


@cache
def shared_renderer(formaat: str) -> Renderer:
    """One :class:`Renderer` per format and process: setting up the fonts costs about half a
    second, more than laying out a small deck, and the output does not depend on reuse."""
    renderer = Renderer(formaat)
    pdf.finalize_at_exit(renderer)
    return renderer


def layout_html(html: str, formaat: str = "a4", renderer: Renderer | None = None):
    """Lay out deck HTML with the card stylesheet and the shipped font (a WeasyPrint document)."""
    return (renderer or shared_renderer(formaat)).layout(html)


def render_deck(
    corpus: Corpus,
    dilemmas,
    out_path: Path,
    formaat: str = "a4",
    titel: str | None = None,
    *,
    site_url: str | None = None,
    workers: int | None = None,
) -> Deck:
    """Write a deck of the given dilemmas to ``out_path`` (PDF) and describe it.

    ``formaat`` is ``"a4"`` (four cards per sheet, fronts and mirrored backs, cut marks)
    or ``"a5"`` (one card per page). Raises :class:`KaartFout` for an empty list or a
    dilemma that does not fit on a card. The PDF is tagged, has the title and language
    ``nl`` in its metadata and embeds the shipped font. ``site_url``: for the QR codes of
    the backs (see :func:`deck_html`). Made from its parts like the site's decks (see
    :func:`build_site_decks`), so a selection of the same cards has the same bytes; a large deck
    is laid out in ``workers`` processes (default: two, or one on a single core).
    """
    dilemmas = list(dilemmas)
    if not dilemmas:
        raise KaartFout("Er zijn geen dilemma's om kaarten van te maken.")
    titel = titel or "Dilemmakaarten"
    cards = [make_card(corpus, item, site_url) for item in dilemmas]
    with tempfile.TemporaryDirectory(prefix="kompas-kaarten-") as folder:
        parts = _parts(cards, formaat)
        _lay_out_parts(parts, Path(folder), workers=workers or min(2, os.cpu_count() or 1))
        data = _put_together(Path(folder), parts, titel, formaat)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(data)
    return Deck(out_path, titel, formaat, len(cards), page_count(len(cards), formaat))


# -- parts -----------------------------------------------------------------------------------------
# A deck is made of parts that do not depend on each other: two pages per card in A5, two pages per
# sheet of four cards in A4 (its fronts and its mirrored backs). Each part is laid out once, kept in
# the card cache by its cards and the code that draws them (``<key>.deel``, verified), and the decks
# are put together from the parts (macros/printing/merge.py). A changed card is laid out in its own
# A5 part (shared by every deck that holds it) and in the A4 sheet of each of those decks; the
# decks are put together again in milliseconds. Parts laid out in one WeasyPrint document are written
# one by one from its pages: the same bytes as a part laid out on its own (tests/print/test_cards.py), so a
# deck does not depend on which parts were laid out together, and a warm build equals a cold one.

PART_SUFFIX = ".deel"
PART_BATCH = 40  # cards laid out in one WeasyPrint document (and one task of a worker process)
PART_TITLE = "Dilemmakaarten"  # (a deck has its own title and description; merge sets them)


def deck_parts(cards: list[Card], formaat: str) -> list[tuple[Card, ...]]:
    """The cards of each part of a deck, in order."""
    size = 4 if formaat == "a4" else 1
    return [tuple(cards[start : start + size]) for start in range(0, len(cards), size)]


def part_key(group: tuple[Card, ...], formaat: str) -> str:
    """The cache key of a part: its cards, its format and stylesheet, the drawing code, WeasyPrint."""
    return pdf.digest(repr(group), stylesheet(formaat), f"deel\0{formaat}\0{deck_code()}")


def _parts(cards: list[Card], formaat: str) -> list[tuple[str, str, tuple[Card, ...]]]:
    """The ``(key, format, cards)`` of each part of a deck, in order."""
    return [(part_key(group, formaat), formaat, group) for group in deck_parts(cards, formaat)]


def _put_together(folder: Path, parts, titel: str, formaat: str) -> bytes:
    """The PDF of a deck from its parts (laid out in ``folder`` by :func:`_lay_out_parts`)."""
    count = sum(len(group) for _, _, group in parts)
    return merge([_read_part(folder, *part) for part in parts], titel, deck_description(count, formaat))


def _render_parts(formaat: str, groups: list[tuple[Card, ...]], keys: list[str], folder: str) -> int:
    """Lay out parts in one document and store each part's PDF in ``folder`` (runs in a worker
    process); returns the number of pages laid out."""
    sheets = [sheet for group in groups for sheet in (layout_a4 if formaat == "a4" else layout_a5)(list(group))]
    with fewer_collections():
        document = layout_html(sheets_html(sheets, PART_TITLE, ""), formaat)
        for index, key in enumerate(keys):
            part = document.copy(document.pages[2 * index : 2 * index + 2])
            part.metadata = copy.copy(document.metadata)
            buffer = io.BytesIO()
            part.write_pdf(buffer, pdf_tags=True)
            if not Cache(folder, prepared=True).write(f"{key}{PART_SUFFIX}", buffer.getvalue(), sync=False):
                raise OSError(f"het deel {key} van de kaarten kan niet bewaard worden in {folder}")
        return len(document.pages)


def _lay_out_parts(parts, folder: Path, workers: int) -> int:
    """Lay out the ``(key, format, cards)`` parts that ``folder`` does not hold (sound); returns how
    many cards were laid out. Up to :data:`SMALL_WORK` cards in this process, else in ``workers``."""
    missing: dict[str, tuple[str, tuple[Card, ...]]] = {}
    kept = Cache(folder, prepared=True)
    for key, formaat, group in parts:
        if key not in missing and kept.read(f"{key}{PART_SUFFIX}") is None:
            missing[key] = (formaat, group)
    tasks = []
    for formaat in FORMATEN:
        todo = [(key, group) for key, (kind, group) in missing.items() if kind == formaat]
        step = max(1, PART_BATCH // (4 if formaat == "a4" else 1))
        for start in range(0, len(todo), step):
            batch = todo[start : start + step]
            tasks.append((formaat, [group for _, group in batch], [key for key, _ in batch], str(folder)))
    cards = sum(len(group) for _, group in missing.values())
    if workers > 1 and len(tasks) > 1 and cards > SMALL_WORK:
        from concurrent.futures import ProcessPoolExecutor

        from ..store.children import die_with_parent

        # a worker dies with the build that started it (a killed build leaves no worker behind)
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            list(pool.map(_render_parts, *zip(*tasks)))
    else:
        for task in tasks:
            _render_parts(*task)
    return cards


def _read_part(folder: Path, key: str, formaat: str, group: tuple[Card, ...]) -> bytes:
    """The PDF of a part (laid out again when its entry was damaged since it was written)."""
    kept = Cache(folder, prepared=True)
    data = kept.read(f"{key}{PART_SUFFIX}")
    if data is None:
        _render_parts(formaat, [group], [key], str(folder))
        data = kept.read(f"{key}{PART_SUFFIX}")
        if data is None:
            raise OSError(f"het deel {key} van de kaarten kan niet bewaard worden in {folder}")
    return data


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


# Up to this many cards to lay out (a warm build after a few changed dilemmas), the decks are drawn
# in this process: starting worker processes (each importing WeasyPrint and setting up the fonts)
# costs more than they save. Either way the bytes are the same.
SMALL_WORK = 120


@cache
def deck_code() -> str:
    """The code that turns cards into a deck: :func:`cards_html` (macros/render/print_html.py), the card
    templates and the template engine, the parts and how they are put together (this module,
    macros/printing/merge.py, the font subsetting, pikepdf and qpdf). Part of the cache key of a
    deck and of a part, with the cards themselves."""
    from importlib.metadata import version

    here = Path(__file__).resolve().parent
    render = here.parent / "render"
    engine = (
        f"Jinja2={version('Jinja2')} MarkupSafe={version('MarkupSafe')} pikepdf={version('pikepdf')} "
        f"qpdf={_qpdf_version()}"
    )
    return digest(
        folder_digest([render / "templates" / "kaarten"]),
        *(
            path.read_text(encoding="utf-8")
            for path in (render / "print_html.py", here / "cards.py", here / "merge.py", here / "weasyprint_fonts.py")
        ),
        engine,
    )


def _qpdf_version() -> str:
    import pikepdf

    return str(pikepdf.__libqpdf_version__)


def build_site_decks(
    corpus: Corpus, out_dir: Path, *, cache_dir: Path | None = None, workers: int = 1, site_url: str | None = None
) -> list[Deck]:
    """Render every deck of :func:`site_deck_plan` into ``out_dir``, in A4 and in A5.

    Files (``F`` is ``a4`` or ``a5``): ``dilemmakaarten-F.pdf`` (the whole deck),
    ``themablad-<id>-F.pdf`` per theme sheet with dilemmas, ``module-<id>-F.pdf`` per module
    that uses dilemmas. A deck is put together from its parts (see above), each laid out once per
    build and kept in ``cache_dir`` between builds. With ``cache_dir``, a deck whose cards, title,
    stylesheet, Kompas code and WeasyPrint version are unchanged is linked from the cache instead
    (its HTML follows from those, and rendering is deterministic, so the bytes are the same; the
    cache keeps the PDFs that builds wrote as linked entries, see
    :func:`macros.printing.pdf.keep_document`). ``workers`` > 1 lays out parts in parallel
    processes when there are more than :data:`SMALL_WORK` cards to lay out.
    Call it only for a corpus without validation errors: a dilemma that does not fit raises
    :class:`KaartFout`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = Cache(cache_dir)
    with contextlib.ExitStack() as stack:
        folder = (
            cache.folder
            if cache.folder is not None
            else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kompas-kaarten-")))
        )
        return _build_decks(corpus, out_dir, cache, folder, workers, site_url)


def _build_decks(corpus, out_dir: Path, cache: Cache, folder: Path, workers: int, site_url) -> list[Deck]:
    cached = cache.linked(pdf.PDF_SUFFIX)
    planned = []  # (job, formaat, cards, target, key)
    used: set[str] = set()  # the keys of the decks and parts this build uses (the rest is removed)
    for job in site_deck_plan(corpus):
        cards = [make_card(corpus, item, site_url) for item in job.items]
        described = repr(cards) if cache else ""
        for formaat in FORMATEN:
            key = None
            if cache:
                # The HTML is a pure function of the cards, the format, the title and the code
                # (templates): keyed on those, an unchanged deck is found without making its HTML.
                key = pdf.digest(described, stylesheet(formaat), f"{formaat}\0{job.titel}\0{deck_code()}")
                used.add(key)
                used.update(part_key(group, formaat) for group in deck_parts(cards, formaat))
            planned.append((job, formaat, cards, out_dir / Path(job.url(formaat)).name, key))
    made: dict[str, Path] = {}  # cache key -> the site file that holds that deck (linked or put together)
    todo = []  # (job, formaat, parts, target, key) of the decks to put together
    for job, formaat, cards, target, key in planned:
        if key is not None:
            if key in made:
                continue
            made[key] = target
            if key in cached and cache.link(cached[key][0], cached[key][1], target):
                continue
        todo.append((job, formaat, _parts(cards, formaat), target, key))
    _lay_out_parts([part for *_, parts, _, _ in todo for part in parts], folder, workers)
    for job, formaat, parts, target, key in todo:
        data = _put_together(folder, parts, job.titel, formaat)
        with open(target, "wb") as out:
            out.write(data)
        if key is not None:
            pdf.keep_document(target, cache, key, cached.get(key), data)
    decks = []
    for job, formaat, cards, target, key in planned:
        if key is not None and made[key] != target:
            atomic.link_or_copy(made[key], target)  # the same deck twice (same cards and title)
        decks.append(
            Deck(target, job.titel, formaat, len(job.items), page_count(len(job.items), formaat), job.soort, job.id)
        )
    cache.keep_only(used, grace=DOCUMENT_GRACE_SECONDS)
    return decks


def deck_title(corpus: Corpus, selectie: Selectie) -> str:
    """The PDF title of a selection: the sheet or module when it is just one, else a description."""
    if selectie.leeg:
        return "Dilemmakaarten: alle dilemma's"
    only = [
        values
        for values in (selectie.themabladen, selectie.modules, selectie.kernwaarden, selectie.doelgroepen, selectie.ids)
        if values
    ]
    if len(only) == 1 and len(selectie.themabladen) == 1 and selectie.themabladen[0] in corpus.themablad:
        return f"Dilemmakaarten: {corpus.themablad[selectie.themabladen[0]].volledige_titel}"
    if len(only) == 1 and len(selectie.modules) == 1 and selectie.modules[0] in corpus.module:
        module = corpus.module[selectie.modules[0]]
        return f"Dilemmakaarten: {module.soort_label} {module.titel}"
    return f"Dilemmakaarten: {selectie.omschrijving()}"
