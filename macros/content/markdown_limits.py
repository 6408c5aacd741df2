"""How much Markdown syntax a content field may hold: the limits that keep rendering bounded.

Python-Markdown (the site) and WeasyPrint (the handouts and draaiboeken) take time or stack that grows
faster than the text for some shapes of text: 19,000 backticks take hours (the code-span pattern is
cubic in a run of backticks), thousands of ``[`` or `` `a` `` spans take minutes (each match rescans
the paragraph), ``1. 1. 1. ...`` on one line or thousands of nested quotes end in a recursion error.
Real content needs none of that: the starter content has at most two of a syntax character in a row,
one level of nesting and no ``[``, `` ` `` or ``<`` at all. So a Markdown field may hold at most

* :data:`MAX_RUN` of the same syntax character in a row (MARKDOWN-REEKS),
* :data:`MAX_NESTING` levels of block quotes and lists in each other, and :data:`MAX_HTML_NESTING`
  HTML elements in each other (MARKDOWN-NESTING),
* a number of each of the characters whose patterns rescan a paragraph for every match
  (:data:`HEAVY`: 100 of ``[``, `` ` `` and ``<``; 400 of ``*``, ``_`` and ``#``) (MARKDOWN-TEKENS).
  Within these limits the slowest text we found renders in a fifth of a second; without them a
  field of 20,000 characters took minutes.

:func:`first_problem` finds the first limit a text breaks, in one pass over the text (no regular
expression that could itself backtrack). The validator reports it with file:line (macros/content/
checks.py); the renderer (macros/render/base.py) asks the same before Markdown sees a text and
renders a text that breaks a limit as plain paragraphs, so rendering is bounded even where
validation was skipped. Within the limits, the renderer's own output check (at most
:data:`MAX_OUTPUT_DEPTH` elements in each other) always holds (tests/unit/render/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_RUN = 10
MAX_NESTING = 6
MAX_HTML_NESTING = 8
MAX_OUTPUT_DEPTH = 40  # the renderer's bound on its HTML; WeasyPrint recurses past some 100 list levels

SYNTAX = frozenset("`*_~[]()<>!#\\|+-=&")
HEAVY = {"[": 100, "`": 100, "<": 100, "*": 400, "_": 400, "#": 400}  # the most of each a field may hold
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr", "param"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,20})\b[^<>]{0,500}?(/?)>")
_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))[ \t]?")


@dataclass(frozen=True)
class Problem:
    """A limit a text breaks: the code, where (an index in the text) and what, in Dutch."""

    code: str  # MARKDOWN-REEKS, MARKDOWN-NESTING or MARKDOWN-TEKENS
    index: int
    message: str


def _shown(character: str) -> str:
    return f"'{character}'"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def first_problem(text: str) -> Problem | None:
    """The first Markdown limit ``text`` breaks, or None. Linear in the text."""
    run = _longest_run(text)
    if run is not None:
        index, character, length = run
        return Problem(
            "MARKDOWN-REEKS",
            index,
            f"bevat {_number(length)} keer het teken {_shown(character)} achter elkaar; hooguit "
            f"{MAX_RUN} dezelfde opmaaktekens mogen achter elkaar staan",
        )
    for character, most in HEAVY.items():
        count = text.count(character)
        if count > most:
            return Problem(
                "MARKDOWN-TEKENS",
                _nth(text, character, most + 1),
                f"bevat {_number(count)} keer het teken {_shown(character)}; een Markdown-veld mag er "
                f"hooguit {most} bevatten",
            )
    deepest = _deepest_line(text)
    if deepest is not None:
        return Problem(
            "MARKDOWN-NESTING",
            deepest,
            f"is meer dan {MAX_NESTING} niveaus diep genest (citaten met '>' of lijsten in elkaar); "
            f"hooguit {MAX_NESTING}",
        )
    html = _deepest_html(text)
    if html is not None:
        return Problem(
            "MARKDOWN-NESTING",
            html,
            f"heeft meer dan {MAX_HTML_NESTING} HTML-elementen in elkaar; hooguit {MAX_HTML_NESTING}",
        )
    return None


def _nth(text: str, character: str, n: int) -> int:
    index = -1
    for _ in range(n):
        index = text.index(character, index + 1)
    return index


def _longest_run(text: str) -> tuple[int, str, int] | None:
    """(start, character, length) of the first run of one syntax character longer than MAX_RUN."""
    previous, start = "", 0
    for index, character in enumerate(text):
        if character != previous:
            if previous in SYNTAX and index - start > MAX_RUN:
                return start, previous, index - start
            previous, start = character, index
    if previous in SYNTAX and len(text) - start > MAX_RUN:
        return start, previous, len(text) - start
    return None


def nesting(line: str) -> int:
    """The levels of containers a line opens: block-quote markers and list markers at its start (also
    several on one line: ``> > -`` is three), plus one level per four columns of indentation."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    levels, position = indent // 4, indent
    while levels <= MAX_NESTING:
        match = _MARKER.match(expanded, position)
        if match is None or match.end() == position:
            break
        levels += 1
        position = match.end()
    return levels


def _deepest_line(text: str) -> int | None:
    """The index of the first line nested deeper than MAX_NESTING."""
    index = 0
    for line in text.split("\n"):
        if nesting(line) > MAX_NESTING:
            return index
        index += len(line) + 1
    return None


def _deepest_html(text: str) -> int | None:
    """The index of the first HTML tag that opens an element deeper than MAX_HTML_NESTING (tags
    as written in the text, closing tags counted back; void elements do not nest)."""
    if "<" not in text:
        return None
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if depth > MAX_HTML_NESTING:
            return match.start()
    return None
