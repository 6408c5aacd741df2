"""The page environment of the render layer: Jinja (autoescape on) with the filters and globals every
page and fragment template uses, the sanitised Markdown of content fields, and the paths and URLs
of generated pages. :mod:`.render` (the pages) and :mod:`.session` (the session page's files) both
build on it; neither imports the other's way back."""

from __future__ import annotations

import posixpath
import re
from datetime import date
from functools import cache, lru_cache
from pathlib import PurePosixPath

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..content.markdown_limits import MAX_OUTPUT_DEPTH, first_problem
from ..content.model import (
    DOELGROEPEN,
    FASEN,
    HERKOMSTEN,
    KERNWAARDEN,
    MODULE_SOORTEN,
    REDACTIE_LABEL,
    SOORT_LABELS,
    ecli_id,
)
from ..store.memo import memo

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
KERNWAARDE_LABELS = {k: k.capitalize() for k in KERNWAARDEN}
DOELGROEP_LABELS = {
    "aspirant": "Aspiranten",
    "medewerker": "Medewerkers",
    "leidinggevende": "Leidinggevenden",
    "trainer": "Trainers en gespreksleiders",
    "docent": "Docenten",
}

_ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "abbr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
MELDROUTES_PAGE = (
    "melden-en-hulp/"  # the hand-written page that calls the meldroutes() macro; a route's anchor is its id
)


# -- URLs --------------------------------------------------------------------------
def page_path(kind: str, item_id: str) -> str:
    """The source path (relative to docs_dir) of a generated page."""
    folder = {
        "themablad": "themabladen",
        "dilemma": "dilemmas",
        "uitspraak": "uitspraken",
        "module": "modules",
        "onderwerp": "onderwerpen",
        "kernwaarde": "dilemmas/kernwaarde",
        "doelgroep": "dilemmas/doelgroep",
        "herkomst": "dilemmas/herkomst",
    }[kind]
    return f"{folder}/{item_id}.md"


def page_url(kind: str, item_id: str) -> str:
    """The site-relative URL of a generated page (directory URLs)."""
    return page_path(kind, item_id)[: -len(".md")] + "/"


EDITOR_PAGE = "redactie/"  # the browser editor (issue 27, macros/site/redactie.py)


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
    function of the text and the code, see :mod:`macros.store.memo`)."""
    if not text:
        return Markup("")
    return Markup(memo("markdown").get((text,), lambda: _markdown_html(text)))


def _markdown_html(text: str) -> str:
    """Bounded whatever the text: a text beyond the Markdown limits of the validator
    (:func:`macros.content.markdown_limits.first_problem`) never reaches Python-Markdown, and HTML
    nested deeper than :data:`MAX_OUTPUT_DEPTH` (which WeasyPrint could not lay out) is not kept; both
    become plain paragraphs. Validated content never takes that way (tests/unit/render/)."""
    if first_problem(text) is not None:
        return plain_paragraphs(text)
    try:
        html = converted(text)
    except RecursionError:
        return plain_paragraphs(text)
    if html_depth(html) > MAX_OUTPUT_DEPTH:
        return plain_paragraphs(text)
    return html


def converted(text: str) -> str:
    """``text`` through Python-Markdown and nh3, unguarded (use :func:`markdown_html`)."""
    converter = _markdown()
    converter.reset()
    return nh3.clean(
        converter.convert(text),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset({"br", "hr", "img", "wbr"})


def html_depth(html: str) -> int:
    """How many elements the (well-formed, sanitised) ``html`` nests in each other at most."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() in _VOID or match.group(3):
            continue
        if match.group(1):
            depth -= 1
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def plain_paragraphs(text: str) -> str:
    """``text`` as escaped paragraphs, no Markdown: linear, whatever the text."""
    parts = [part.strip() for part in re.split(r"\n[ \t]*\n", text)]
    return "".join(f"<p>{escape(part)}</p>" for part in parts if part)


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
    env.filters.update(
        markdown=markdown_html,
        md=markdown_inline_text,
        datum=datum,
        minuten=minuten,
        klok=klok,
        kernwaarde=lambda k: KERNWAARDE_LABELS.get(k, k),
        doelgroep=lambda d: DOELGROEP_LABELS.get(d, d),
        opzoeken=lambda ids, table: [table[i] for i in ids if i in table],
    )
    env.tests["contains"] = lambda container, value: value in container
    env.globals.update(
        KERNWAARDEN=KERNWAARDEN,
        DOELGROEPEN=DOELGROEPEN,
        FASEN=FASEN,
        MODULE_SOORTEN=MODULE_SOORTEN,
        SOORT_LABELS=SOORT_LABELS,
        KERNWAARDE_LABELS=KERNWAARDE_LABELS,
        DOELGROEP_LABELS=DOELGROEP_LABELS,
        HERKOMSTEN=HERKOMSTEN,
        REDACTIE_LABEL=REDACTIE_LABEL,
        MELDROUTES_PAGE=MELDROUTES_PAGE,
        page_url=page_url,
        ecli_id=ecli_id,
    )
    return env
