"""Rendering: Jinja templates (autoescape on) turn the model into page fragments.

Pages are Markdown documents whose headings are fixed Markdown (so the site engine
builds the table of contents and checks anchors) and whose bodies are HTML blocks
from templates. Text from content is always escaped; Markdown fields are converted
here and sanitised with nh3, so no script, event handler or ``javascript:`` URL can
come from content. This module knows nothing about MkDocs.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
import re
from datetime import date
from functools import cache, lru_cache

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..content.memo import memo
from ..content.model import DOELGROEPEN, FASEN, HERKOMSTEN, KERNWAARDEN, MODULE_SOORTEN, REDACTIE_LABEL, SOORT_LABELS, Corpus, ecli_id

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")
KERNWAARDE_LABELS = {k: k.capitalize() for k in KERNWAARDEN}
DOELGROEP_LABELS = {"aspirant": "Aspiranten", "medewerker": "Medewerkers", "leidinggevende": "Leidinggevenden",
                    "trainer": "Trainers en gespreksleiders", "docent": "Docenten"}

_ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4",
                 "table", "thead", "tbody", "tr", "th", "td", "hr", "abbr"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
MELDROUTES_PAGE = "melden-en-hulp/"  # the hand-written page that calls the meldroutes() macro; a route's anchor is its id


# -- URLs --------------------------------------------------------------------------
def page_path(kind: str, item_id: str) -> str:
    """The source path (relative to docs_dir) of a generated page."""
    folder = {"themablad": "themabladen", "dilemma": "dilemmas", "uitspraak": "uitspraken",
              "module": "modules", "onderwerp": "onderwerpen", "kernwaarde": "dilemmas/kernwaarde",
              "doelgroep": "dilemmas/doelgroep", "herkomst": "dilemmas/herkomst"}[kind]
    return f"{folder}/{item_id}.md"


def page_url(kind: str, item_id: str) -> str:
    """The site-relative URL of a generated page (directory URLs)."""
    return page_path(kind, item_id)[: -len(".md")] + "/"


EDITOR_PAGE = "redactie/"


def edit_url(pad: str, current: str) -> str | None:
    """The browser editor's address of the item in content file ``pad``, seen from page ``current``:
    redactie/#/collections/<collection>/entries/<slug>, where the collection is the item's content
    folder (themabladen, dilemmas, uitspraken, modules, onderwerpen) and the slug its file name."""
    path = PurePosixPath(pad)
    if path.suffix != ".yaml" or not path.parent.name:
        return None
    return f"{relative_url(EDITOR_PAGE, current)}#/collections/{path.parent.name}/entries/{path.stem}"


@lru_cache(maxsize=1 << 16)
def relative_url(target: str, current: str) -> str:
    """``target`` (site-relative, e.g. 'dilemmas/x/' or 'kaarten/a.pdf') as seen from page URL ``current``."""
    base = current if current.endswith("/") or not current else posixpath.dirname(current) + "/"
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    start = base.rstrip("/") or "."
    path = _relpath(target.rstrip("/") or ".", start)
    if target.endswith("/") and path != ".":
        path += "/"
    elif path == ".":
        path = "./"
    return path + anchor


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two site-relative paths, without asking the file system for the
    working directory (it did for each of the 160,000 links of a 100x corpus)."""
    to, start = posixpath.normpath(path), posixpath.normpath(start)
    if to.startswith(("/", "..")) or start.startswith(("/", "..")):
        return posixpath.relpath(path, start)  # not a site path: the general rule
    to_parts = [] if to == "." else to.split("/")
    start_parts = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to_parts, start_parts):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + to_parts[common:]
    return "/".join(parts) if parts else "."


# -- filters -----------------------------------------------------------------------
@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def markdown_html(text: str | None) -> Markup:
    """Markdown from a content field, converted and sanitised (kept between builds: a pure
    function of the text and the code, see :mod:`macros.content.memo`)."""
    if not text:
        return Markup("")
    return Markup(memo("markdown").get((text,), lambda: _markdown_html(text)))


def _markdown_html(text: str) -> str:
    converter = _markdown()
    converter.reset()
    html = converter.convert(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer")


def markdown_inline_text(text: str) -> Markup:
    """Plain text made safe to place in a Markdown heading or list line."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


def datum(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def minuten(value: int | None) -> str:
    if not value:
        return ""
    hours, minutes = divmod(int(value), 60)
    if not hours:
        return f"{minutes} min"
    if not minutes:
        return f"{hours} uur"
    return f"{hours} uur {minutes} min"


def klok(value: int) -> str:
    hours, minutes = divmod(int(value), 60)
    return f"{hours}:{minutes:02d}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("macros.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are code: not checked on disk at every page (38,000 times at 100x)
    )
    env.filters.update(markdown=markdown_html, md=markdown_inline_text, datum=datum, minuten=minuten, klok=klok,
                       kernwaarde=lambda k: KERNWAARDE_LABELS.get(k, k),
                       doelgroep=lambda d: DOELGROEP_LABELS.get(d, d),
                       opzoeken=lambda ids, table: [table[i] for i in ids if i in table])
    env.tests["contains"] = lambda container, value: value in container
    env.globals.update(KERNWAARDEN=KERNWAARDEN, DOELGROEPEN=DOELGROEPEN, FASEN=FASEN, MODULE_SOORTEN=MODULE_SOORTEN,
                       SOORT_LABELS=SOORT_LABELS, KERNWAARDE_LABELS=KERNWAARDE_LABELS,
                       DOELGROEP_LABELS=DOELGROEP_LABELS, HERKOMSTEN=HERKOMSTEN, REDACTIE_LABEL=REDACTIE_LABEL,
                       MELDROUTES_PAGE=MELDROUTES_PAGE, page_url=page_url, ecli_id=ecli_id)
    return env


class Renderer:
    """Renders pages and fragments for one corpus. ``current`` is the URL of the page being rendered."""

    def __init__(self, corpus: Corpus, *, today: date | None = None, history_url: str | None = None,
                 decks: dict[str, str] | None = None, edit_links: bool = False) -> None:
        self.corpus = corpus
        self.edit_links = edit_links  # a "Bewerken" link on item pages to the browser editor (redactie/)
        self.today = today or date.today()
        self.history_url = history_url  # e.g. 'https://git.example/kompas/-/commits/main/{path}'
        self.decks = decks or {}  # deck key ('alle', 'themablad-<id>', 'module-<id>') -> site-relative PDF URL

    def render(self, template: str, current: str, **context) -> str:
        def link(target: str) -> str:
            return relative_url(target, current)

        def to(kind: str, item_id: str) -> str:
            return relative_url(page_url(kind, item_id), current)

        def edit(pad: str) -> str | None:
            return edit_url(pad, current) if self.edit_links else None

        return environment().get_template(template).render(
            corpus=self.corpus, c=self.corpus, link=link, to=to, today=self.today, current=current,
            history_url=self.history_url, decks=self.decks, bewerken=edit, **context)

    # -- generated item pages ---------------------------------------------------
    def themablad(self, sheet) -> str:
        return self.render("themablad.md.j2", page_url("themablad", sheet.id), t=sheet)

    def dilemma(self, item) -> str:
        from . import session

        return self.render("dilemma.md.j2", page_url("dilemma", item.id), d=item,
                           druk=Markup(session.card_html(self.corpus, item)), kaartstijl=session.STYLESHEET,
                           sessie=session.PAGE_URL)

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
        return self.render("sessie.md.j2", session.PAGE_URL, stylesheet=session.STYLESHEET, index=session.INDEX,
                           fragmenten=session.FRAGMENT_FOLDER, methoden=session.METHOD_FOLDER,
                           lettertypen=session.FONTS, draaiboek=session.DRAAIBOEK_URL, modules=modules,
                           timed=session.timed_modules(self.corpus), vellen=vellen, marks=marks)

    def sessie_draaiboek(self) -> str:
        """The draaiboek of the session chosen on the session page, made in the browser (a print view)."""
        from . import session

        return self.render("sessie_draaiboek.md.j2", session.DRAAIBOEK_URL, index=session.INDEX,
                           fragmenten=session.FRAGMENT_FOLDER, methoden=session.METHOD_FOLDER)

    def dilemmas_per_kernwaarde(self, value: str) -> str:
        items = [d for d in self.corpus.dilemmas if value in d.kernwaarden]
        return self.render("dilemma_groep.md.j2", page_url("kernwaarde", value), items=items,
                           groep="kernwaarde", waarde=value)

    def dilemmas_per_doelgroep(self, value: str) -> str:
        items = [d for d in self.corpus.dilemmas if value in d.doelgroep]
        return self.render("dilemma_groep.md.j2", page_url("doelgroep", value), items=items,
                           groep="doelgroep", waarde=value)

    def dilemmas_per_herkomst(self, value: str) -> str:
        """The dilemmas from the sources, or the editors' own examples (a key of HERKOMSTEN)."""
        items = self.corpus.dilemmas_per_herkomst.get(value, ())
        return self.render("dilemma_groep.md.j2", page_url("herkomst", value), items=items,
                           groep="herkomst", waarde=value)

    # -- fragments for hand-written pages -----------------------------------------
    def fragment(self, name: str, current: str, **context) -> str:
        return self.render(f"fragmenten/{name}.md.j2", current, **context)
