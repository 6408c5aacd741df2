"""What a build makes of a valid corpus, besides the theme: the renderer, the Markdown of every
generated page and the printed documents. Shared by the hooks (macros/site/adapter.py) and the
`make serve` loop (macros/site/serve.py); knows nothing of the site engine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..content.model import DOELGROEPEN, HERKOMSTEN, KERNWAARDEN
from ..printing import druk
from ..printing.cards import SITE_FOLDER, KaartFout, build_site_decks, site_deck_plan
from ..render import session
from ..render.render import Renderer, page_path, page_plan
from ..store.keys import project_cache_dir
from . import redactie


def make_renderer(corpus, settings: dict) -> Renderer:
    """The renderer of a build (and of every `make serve` rebuild): which printed documents the
    pages link to follows the ``kaarten`` switch (decks, draaiboeken and handouts alike); item pages
    link to the browser editor when it is built (extra.kompas.redactie, or `make redactie`)."""
    decks: dict[str, Any] = {job.key: job for job in site_deck_plan(corpus)} if settings.get("kaarten", True) else {}
    if decks:  # the printed facilitator material (draaiboeken, handouts) follows the same switch
        decks.update({item.key: item for item in druk.site_plan(corpus)})
    try:
        editor = redactie.instellingen(settings) is not None
    except redactie.RedactieFout:
        editor = False  # hook_config has already stopped the build with the reason
    return Renderer(corpus, history_url=settings.get("geschiedenis"), decks=decks, edit_links=editor)


def generated_pages(renderer: Renderer) -> dict[str, str]:
    """Every generated page: source path → Markdown (the pages of :func:`macros.render.render.page_plan`)."""
    return {src: renderer.page(kind, item) for src, kind, item in page_plan(renderer.corpus)}


def generated_page(renderer: Renderer, src_uri: str) -> str | None:
    """The Markdown of one generated page (None: no such page)."""
    corpus = renderer.corpus
    folder, _, name = src_uri[: -len(".md")].rpartition("/")
    if folder == "dilemmas" and name in corpus.dilemma:
        return renderer.dilemma(corpus.dilemma[name])
    if folder == "themabladen" and name in corpus.themablad:
        return renderer.themablad(corpus.themablad[name])
    if folder == "modules" and name in corpus.module:
        return renderer.module(corpus.module[name])
    if folder == "onderwerpen" and name in corpus.onderwerp:
        return renderer.onderwerp(corpus.onderwerp[name])
    if folder == "uitspraken":
        ruling = _ruling_pages(corpus).get(src_uri)
        return None if ruling is None else renderer.uitspraak(ruling)
    if folder == "dilemmas/kernwaarde" and name in KERNWAARDEN:
        return renderer.dilemmas_per_kernwaarde(name)
    if folder == "dilemmas/doelgroep" and name in DOELGROEPEN:
        return renderer.dilemmas_per_doelgroep(name)
    if folder == "dilemmas/herkomst" and name in HERKOMSTEN:
        return renderer.dilemmas_per_herkomst(name)
    if src_uri == session.PAGE:
        return renderer.sessie()
    if src_uri == session.DRAAIBOEK_PAGE:
        return renderer.sessie_draaiboek()
    return None


_RULINGS: dict = {}


def _ruling_pages(corpus) -> dict:
    """Page path -> ruling, per corpus (kept for the last corpus only)."""
    if _RULINGS.get("corpus") is not corpus:
        _RULINGS.clear()
        _RULINGS.update(corpus=corpus, pages={page_path("uitspraak", u.id): u for u in corpus.uitspraken})
    return _RULINGS["pages"]


def card_cache_dir(root: Path) -> Path:
    """Where rendered card decks are kept between builds (KOMPAS_CACHE_DIR overrides)."""
    return project_cache_dir(root, "kaarten")


def print_documents(result, root: Path, site_dir: Path, site_url: str | None, *, workers: int | None = None):
    """The card decks, draaiboeken and handouts of a valid corpus into ``site_dir`` (cached per
    document); raises KaartFout or DrukFout with a Dutch message that names what was not made."""
    try:
        decks = build_site_decks(
            result.corpus,
            site_dir / SITE_FOLDER,
            cache_dir=card_cache_dir(root),
            workers=workers or min(2, os.cpu_count() or 1),
            site_url=site_url,
        )
    except KaartFout as error:
        raise KaartFout(f"De dilemmakaarten zijn niet gemaakt: {error}") from None
    try:
        printed = druk.build_site_printed(
            result.corpus,
            site_dir / druk.SITE_FOLDER,
            cache_dir=project_cache_dir(root, "druk"),
            site_url=site_url,
            positions=druk.sheet_positions(result.documents),
        )
    except druk.DrukFout as error:
        raise druk.DrukFout(f"De draaiboeken en handouts zijn niet gemaakt: {error}") from None
    return decks, printed
