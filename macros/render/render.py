"""Rendering: Jinja templates (autoescape on) turn the model into page fragments.

Pages are Markdown documents whose headings are fixed Markdown (so the site engine
builds the table of contents and checks anchors) and whose bodies are HTML blocks
from templates. Text from content is always escaped; Markdown fields are converted
here and sanitised with nh3, so no script, event handler or ``javascript:`` URL can
come from content. This module knows nothing about MkDocs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from ..content.model import Corpus
from .base import (  # noqa: F401 - the page environment, also used from here by the other layers
    DOELGROEP_LABELS,
    EDITOR_PAGE,
    KERNWAARDE_LABELS,
    MAANDEN,
    MELDROUTES_PAGE,
    _relpath,
    datum,
    edit_url,
    environment,
    klok,
    markdown_html,
    markdown_inline_text,
    minuten,
    page_path,
    page_url,
    relative_url,
)

# The macros a hand-written page in content/pages/ may call, ``{{ naam() }}`` without arguments: name ->
# the fragment it renders for that page. macros/site/adapter.py registers them with mkdocs-macros;
# macros/verdict/pages.py checks every page against this list before a build.
MACROS = {
    "themablad_overzicht": "themablad_overzicht",
    "dilemma_overzicht": "dilemma_overzicht",
    "jurisprudentie_overzicht": "jurisprudentie",
    "wetgeving_overzicht": "wetgeving",
    "module_overzicht": "module_overzicht",
    "onderwerp_overzicht": "onderwerp_overzicht",
    "meldroutes": "meldroutes",
    "kernwaarden_overzicht": "kernwaarden",
    "reeks_inleiding": "reeks",
    "start_tegels": "start",
    "wijzigingen": "wijzigingen",
    "te_herzien": "te_herzien",
    "kaarten_overzicht": "kaarten",
}


def page_plan(corpus: Corpus) -> list[tuple[str, str, object]]:
    """Every page a build generates, ``(source path, kind, item)``, in the order the build adds them:
    the one list the build (macros/site/pages.py) and validation (macros/verdict/pages.py: a
    hand-written page may not take one of these names) both use. Nothing is rendered."""
    from ..content.model import DOELGROEPEN, HERKOMSTEN, KERNWAARDEN
    from . import session

    plan: list[tuple[str, str, object]] = []
    for kind, items in (
        ("themablad", corpus.themabladen),
        ("dilemma", corpus.dilemmas),
        ("uitspraak", corpus.uitspraken),
        ("module", corpus.modules),
        ("onderwerp", corpus.onderwerpen),
    ):
        plan.extend((page_path(kind, item.id), kind, item) for item in items)
    for kind, values in (("kernwaarde", KERNWAARDEN), ("doelgroep", DOELGROEPEN), ("herkomst", HERKOMSTEN)):
        plan.extend((page_path(kind, value), kind, value) for value in values)
    plan.append((session.PAGE, "sessie", None))
    plan.append((session.DRAAIBOEK_PAGE, "sessie-draaiboek", None))
    return plan


class Renderer:
    """Renders pages and fragments for one corpus. ``current`` is the URL of the page being rendered."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        today: date | None = None,
        history_url: str | None = None,
        decks: dict[str, Any] | None = None,
        edit_links: bool = False,
    ) -> None:
        self.corpus = corpus
        self.edit_links = edit_links  # a "Bewerken" link on item pages to the browser editor (redactie/)
        self.today = today or date.today()
        self.history_url = history_url  # e.g. 'https://git.example/kompas/-/commits/main/{path}'
        self.decks = decks or {}  # deck key ('alle', 'themablad-<id>', 'module-<id>', ...) -> its printed document

    def render(self, template: str, current: str, **context) -> str:
        def link(target: str) -> str:
            return relative_url(target, current)

        def to(kind: str, item_id: str) -> str:
            return relative_url(page_url(kind, item_id), current)

        def edit(pad: str) -> str | None:
            return edit_url(pad, current) if self.edit_links else None

        return (
            environment()
            .get_template(template)
            .render(
                corpus=self.corpus,
                c=self.corpus,
                link=link,
                to=to,
                today=self.today,
                current=current,
                history_url=self.history_url,
                decks=self.decks,
                bewerken=edit,
                **context,
            )
        )

    # -- generated item pages ---------------------------------------------------
    def themablad(self, sheet) -> str:
        return self.render("themablad.md.j2", page_url("themablad", sheet.id), t=sheet)

    def dilemma(self, item) -> str:
        from . import session

        return self.render(
            "dilemma.md.j2",
            page_url("dilemma", item.id),
            d=item,
            druk=Markup(session.card_html(self.corpus, item)),
            kaartstijl=session.STYLESHEET,
            sessie=session.PAGE_URL,
        )

    def uitspraak(self, ruling) -> str:
        return self.render("uitspraak.md.j2", page_url("uitspraak", ruling.id), u=ruling)

    def module(self, module) -> str:
        return self.render("module.md.j2", page_url("module", module.id), mod=module)

    def onderwerp(self, topic) -> str:
        return self.render("onderwerp.md.j2", page_url("onderwerp", topic.id), o=topic)

    def sessie(self) -> str:
        """The session page (compose, print and present a team session; macros/render/session.py)."""
        from . import session

        modules = [mod for mod in self.corpus.modules if mod.alle_dilemmas]
        vellen = {formaat: session.sheet_slots(formaat) for formaat in ("a4", "a5")}
        marks = {formaat: session.sheet_marks(formaat) for formaat in ("a4", "a5")}
        return self.render(
            "sessie.md.j2",
            session.PAGE_URL,
            stylesheet=session.STYLESHEET,
            index=session.INDEX,
            fragmenten=session.FRAGMENT_FOLDER,
            methoden=session.METHOD_FOLDER,
            lettertypen=session.FONTS,
            draaiboek=session.DRAAIBOEK_URL,
            modules=modules,
            timed=session.timed_modules(self.corpus),
            vellen=vellen,
            marks=marks,
        )

    def sessie_draaiboek(self) -> str:
        """The draaiboek of the session chosen on the session page, made in the browser (a print view)."""
        from . import session

        return self.render(
            "sessie_draaiboek.md.j2",
            session.DRAAIBOEK_URL,
            index=session.INDEX,
            fragmenten=session.FRAGMENT_FOLDER,
            methoden=session.METHOD_FOLDER,
        )

    def dilemmas_per_kernwaarde(self, value: str) -> str:
        items = [d for d in self.corpus.dilemmas if value in d.kernwaarden]
        return self.render(
            "dilemma_groep.md.j2", page_url("kernwaarde", value), items=items, groep="kernwaarde", waarde=value
        )

    def dilemmas_per_doelgroep(self, value: str) -> str:
        items = [d for d in self.corpus.dilemmas if value in d.doelgroep]
        return self.render(
            "dilemma_groep.md.j2", page_url("doelgroep", value), items=items, groep="doelgroep", waarde=value
        )

    def dilemmas_per_herkomst(self, value: str) -> str:
        """The dilemmas from the sources, or the editors' own examples (a key of HERKOMSTEN)."""
        items = self.corpus.dilemmas_per_herkomst.get(value, ())
        return self.render(
            "dilemma_groep.md.j2", page_url("herkomst", value), items=items, groep="herkomst", waarde=value
        )

    def page(self, kind: str, item) -> str:
        """The Markdown of one page of :func:`page_plan`."""
        if kind == "sessie":
            return self.sessie()
        if kind == "sessie-draaiboek":
            return self.sessie_draaiboek()
        if kind in ("kernwaarde", "doelgroep", "herkomst"):
            return getattr(self, f"dilemmas_per_{kind}")(item)
        return getattr(self, kind)(item)

    # -- fragments for hand-written pages -----------------------------------------
    def fragment(self, name: str, current: str, **context) -> str:
        return self.render(f"fragmenten/{name}.md.j2", current, **context)
