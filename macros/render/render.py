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
    KERNWAARDE_LABELS,
    MAANDEN,
    MELDROUTES_PAGE,
    _relpath,
    datum,
    environment,
    klok,
    markdown_html,
    markdown_inline_text,
    minuten,
    page_path,
    page_url,
    relative_url,
)


class Renderer:
    """Renders pages and fragments for one corpus. ``current`` is the URL of the page being rendered."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        today: date | None = None,
        history_url: str | None = None,
        decks: dict[str, Any] | None = None,
    ) -> None:
        self.corpus = corpus
        self.today = today or date.today()
        self.history_url = history_url  # e.g. 'https://git.example/kompas/-/commits/main/{path}'
        self.decks = decks or {}  # deck key ('alle', 'themablad-<id>', 'module-<id>', ...) -> its printed document

    def render(self, template: str, current: str, **context) -> str:
        def link(target: str) -> str:
            return relative_url(target, current)

        def to(kind: str, item_id: str) -> str:
            return relative_url(page_url(kind, item_id), current)

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

    # -- fragments for hand-written pages -----------------------------------------
    def fragment(self, name: str, current: str, **context) -> str:
        return self.render(f"fragmenten/{name}.md.j2", current, **context)
