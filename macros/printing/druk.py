"""Printable facilitator material, built with the site: a Draaiboek (A4 PDF) per module with
steps or agenda blocks, and a Handout (at most two A4 pages) per themablad.

The HTML comes from the Jinja templates in ``templates/druk/``; :mod:`macros.printing.pdf` lays it out
as tagged PDFs (language nl, the shipped font embedded) and caches them by content hash, like
the card decks. Entry points: :func:`site_plan` (cheap: what the site links to) and
:func:`build_site_printed` (the site build).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment

from ..content.model import Corpus
from ..render import print_html
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
    ``positions`` maps a sheet id to its ``file:line`` for that message.
    """
    from .handout import MAX_PAGES

    plan = site_plan(corpus)
    jobs = [(document_html(corpus, item, site_url=site_url), Path(out_dir) / Path(item.url).name) for item in plan]

    def check(index: int, pages: int) -> None:
        item = plan[index]
        if item.soort == "handout" and pages > MAX_PAGES:
            where = (positions or {}).get(item.id, f"themablad {item.id}")
            raise DrukFout(
                f"{where}: de handout van dit themablad past niet op {MAX_PAGES} A4-pagina's "
                f"(het worden er {pages}). Kort de inleiding, het kader of de toelichtingen in, "
                "of verplaats dilemma's naar een ander themablad."
            )

    return pdf.build_cached(jobs, shared_renderer(), "druk", cache_dir=cache_dir, check=check)
