"""Printable facilitator material, built with the site: a Draaiboek (A4 PDF) per module with
steps or agenda blocks, and a Handout (at most two A4 pages) per themablad.

The HTML comes from the Jinja templates in ``templates/druk/``; :mod:`macros.printing.pdf` lays it out
as tagged PDFs (language nl, the shipped font embedded) and caches them by content hash, like
the card decks. Entry points: :func:`site_plan` (cheap: what the site links to) and
:func:`build_site_printed` (the site build).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment

from ..content.model import Corpus
from ..render import print_html
from ..store.cache import Cache
from ..store.errors import ContentError
from . import pdf

SITE_FOLDER = "druk"


class DrukFout(ContentError):
    """A printed document that cannot be made; the message is Dutch, for the editor (code DRUK)."""

    code = "DRUK"


@dataclass(frozen=True)
class Drukwerk:
    """One printed document the site offers."""

    soort: str  # "draaiboek" or "handout"
    id: str  # the module or sheet id
    titel: str  # the PDF title

    @property
    def key(self) -> str:
        return f"{self.soort}-{self.id}"

    @property
    def url(self) -> str:
        """Site-relative URL of the PDF."""
        return f"{SITE_FOLDER}/{self.key}.pdf"


def site_plan(corpus: Corpus) -> list[Drukwerk]:
    """Every printed document the site offers (nothing is rendered)."""
    plan = [
        Drukwerk("draaiboek", module.id, f"Draaiboek: {module.soort_label} {module.titel}")
        for module in corpus.modules
        if module.onderdelen
    ]
    plan += [Drukwerk("handout", sheet.id, f"Handout: {sheet.volledige_titel}") for sheet in corpus.themabladen]
    return plan


@cache
def environment() -> Environment:
    """The print templates' environment with the site's text filters (Markdown sanitised)."""
    from ..render.render import DOELGROEP_LABELS, KERNWAARDE_LABELS, klok, markdown_html, minuten

    env = print_html.environment().overlay(trim_blocks=True, lstrip_blocks=True)
    env.filters = {**env.filters}  # an overlay shares its parent's filters: add these to this one only
    env.filters.update(
        markdown=markdown_html,
        minuten=minuten,
        klok=klok,
        kernwaarde=lambda k: KERNWAARDE_LABELS.get(k, k),
        doelgroep=lambda d: DOELGROEP_LABELS.get(d, d),
        opzoeken=lambda ids, table: [table[i] for i in ids if i in table],
    )
    return env


@cache
def stylesheet() -> str:
    """The A4 stylesheet of the facilitator material."""
    return environment().get_template("druk/druk.css.j2").render(fonts=print_html.FONT_DIR.as_uri())


@cache
def shared_renderer() -> pdf.Renderer:
    return pdf.finalize_at_exit(pdf.Renderer(stylesheet()))


def draaiboek_html(corpus: Corpus, module_id: str, *, site_url: str | None = None) -> str:
    from .draaiboek import context

    return (
        environment()
        .get_template("druk/draaiboek.html.j2")
        .render(**context(corpus, corpus.module[module_id], site_url=site_url))
    )


def handout_html(corpus: Corpus, sheet_id: str, *, site_url: str | None = None) -> str:
    from .handout import context

    return (
        environment()
        .get_template("druk/handout.html.j2")
        .render(**context(corpus, corpus.themablad[sheet_id], site_url=site_url))
    )


def document_html(corpus: Corpus, item: Drukwerk, *, site_url: str | None = None) -> str:
    if item.soort == "draaiboek":
        return draaiboek_html(corpus, item.id, site_url=site_url)
    if item.soort == "handout":
        return handout_html(corpus, item.id, site_url=site_url)
    raise ValueError(item.soort)


def sheet_positions(documents) -> dict[str, str]:
    """``file:line`` (the line of its id) of every valid themablad file, by sheet id."""
    return {
        doc.data["id"]: f"{doc.loaded.file}:{doc.loaded.pos(('id',)).line}"
        for doc in documents
        if doc.kind == "themablad" and doc.schema_ok
    }


@dataclass(frozen=True)
class HandoutFit:
    """How a sheet's handout fits (:func:`measure_handouts`). Only for one that does not fit: how
    many pages the sheet takes without its dilemmas (``own_pages``), and the dilemmas it shows without
    any one of which it would fit (``culprits``, ids)."""

    pages: int
    own_pages: int = 0
    culprits: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        from .handout import fits

        return fits(self.pages)


def measure_handouts(
    corpus: Corpus, sheet_ids, *, cache_dir: Path | None = None, site_url: str | None = None
) -> dict[str, HandoutFit]:
    """How the handout of each sheet in ``sheet_ids`` fits: the one measurement of validation
    (macros/verdict/handouts.py) and the build (:func:`build_site_printed`), so they cannot disagree.

    Each handout is laid out exactly as the build lays it out (the same HTML, stylesheet and
    renderer), or its page count is read from the build's cache ``druk`` (``cache_dir``); one that
    fits is kept there, so the build links its PDF instead of laying it out again. For one that does
    not fit, the handout is laid out again without its dilemmas, and without each dilemma it shows
    in turn, to say what makes it too long (these layouts are not kept).
    """
    with _collector_on():
        return _measure_handouts(corpus, sheet_ids, cache_dir, site_url)


@contextmanager
def _collector_on():
    """The cyclic garbage collector on while documents are laid out: a laid-out document is a web of
    boxes that only it frees, and `kompas valideer` switches it off (its own data has no cycles), which
    let 2000 handouts keep 3.6 GB."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def _measure_handouts(corpus: Corpus, sheet_ids, cache_dir: Path | None, site_url: str | None) -> dict[str, HandoutFit]:
    from .handout import context, fits, shown

    renderer = shared_renderer()
    cache = Cache(cache_dir)
    cached = cache.linked(pdf.PDF_SUFFIX)
    template = environment().get_template("druk/handout.html.j2")
    found: dict[str, HandoutFit] = {}
    for sheet_id in sheet_ids:
        sheet = corpus.themablad[sheet_id]
        html = template.render(**context(corpus, sheet, site_url=site_url))
        pages = pdf.measure_cached(html, renderer, "druk", cache, cached, keep=fits)
        if fits(pages):
            found[sheet_id] = HandoutFit(pages)
            continue

        def pages_with(dilemmas, more) -> int:
            variant = template.render(**context(corpus, sheet, site_url=site_url, dilemmas=dilemmas, more=more))
            with pdf.fewer_collections():
                return len(renderer.layout(variant).pages)

        dilemmas, more = shown(corpus, sheet)
        own = pages_with((), 0)
        culprits = (
            ()
            if not fits(own)
            else tuple(
                item.id for item in dilemmas if fits(pages_with(tuple(d for d in dilemmas if d is not item), more))
            )
        )
        found[sheet_id] = HandoutFit(pages, own, culprits)
    return found


def build_site_printed(
    corpus: Corpus,
    out_dir: Path,
    *,
    cache_dir: Path | None = None,
    site_url: str | None = None,
    positions: dict[str, str] | None = None,
) -> list[pdf.Printed]:
    """Write every document of :func:`site_plan` into ``out_dir`` (cached by content hash).

    A handout longer than two pages raises :class:`DrukFout` (nothing of it is written);
    ``positions`` maps a sheet id to its ``file:line`` for that message. Validation measured every
    handout the same way (:func:`measure_handouts`) and left it in the same cache, so for content
    that passed validation each handout is linked from there, and this refusal cannot happen
    (docs/weigeringen.md).
    """
    from .handout import MAX_PAGES, fits

    plan = site_plan(corpus)
    jobs = [(document_html(corpus, item, site_url=site_url), Path(out_dir) / Path(item.url).name) for item in plan]

    def check(index: int, pages: int) -> None:
        item = plan[index]
        if item.soort == "handout" and not fits(pages):
            where = (positions or {}).get(item.id, f"themablad {item.id}")
            raise DrukFout(
                f"{where}: de handout van dit themablad past niet op {MAX_PAGES} A4-pagina's "
                f"(het worden er {pages}). Kort de inleiding, het kader of de toelichtingen in, "
                "of verplaats dilemma's naar een ander themablad."
            )

    return pdf.build_cached(jobs, shared_renderer(), "druk", cache_dir=cache_dir, check=check)
