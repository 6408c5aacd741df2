"""The data behind the session page (``sessie/``): compose, print and present a team session.

The page itself is a generated Markdown page (``templates/sessie.md.j2``); its script
(``overrides/assets/javascripts/kompas-sessie.js``) works on three kinds of static files
made here, all written with the site:

- ``sessie/dilemmas.json``: a compact index of every dilemma (id, title, sheets, core
  values, target groups, modules) plus the sheets, modules (with their time boxes) and
  labels, fetched when the page opens. It holds no situations or questions, so that it
  stays small at 10,000 dilemmas.
- ``sessie/kaarten/<id>.json``: per dilemma an HTML fragment (``{"id": …, "html": …}``)
  with the front and back of its card, rendered with the same Jinja macros
  (``templates/kaarten/kaart.html.j2``) and at the same size steps as the PDF decks, and
  the text the presenter view shows. Fetched only for the cards that are selected. JSON,
  not ``.html``: a fragment is not a page (no search index, link check or page tests).
- ``sessie/methoden/<id>.json``: per module with a time plan an HTML fragment with one
  section per step (title, minutes, what the trainer says or asks, the dilemmas the step
  names), rendered with ``templates/sessie/methode.html.j2``. The presenter shows each
  section as a slide; the draaiboek of a session lists them. Fetched when a time plan is chosen.
- ``sessie/lettertypen.json``: the card fonts, subset at build time to the characters the
  session files can hold (:func:`font_characters`), base64. Only ``Sessie downloaden``
  fetches it; the browser subsets them again to the characters of the one file it saves.
- ``assets/kaarten/kaarten.css``: the decks' own stylesheet (``kaarten/kaarten.css.j2``,
  via :func:`macros.render.print_html.stylesheet`) for A4 and A5, with every rule scoped under a class
  so it restyles nothing else on a page, each format on its own named page, and the
  shipped fonts by site-relative URL (``assets/fonts/``).

This module knows nothing about MkDocs; the adapter (:mod:`macros.site.adapter`) registers the files.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import posixpath
from dataclasses import dataclass
from functools import cache, lru_cache

import tinycss2

from ..content.cards_fit import FONT_DIR, FONT_FILES
from ..content.model import DOELGROEPEN, HERKOMSTEN, KERNWAARDEN, Corpus, Dilemma
from ..store.memo import memo
from . import print_html

PAGE = "sessie.md"  # source path of the generated page: URL sessie/
PAGE_URL = "sessie/"
DRAAIBOEK_PAGE = "sessie/draaiboek.md"  # the draaiboek of any selection: URL sessie/draaiboek/
DRAAIBOEK_URL = "sessie/draaiboek/"
INDEX = "sessie/dilemmas.json"
FRAGMENT_FOLDER = "sessie/kaarten"
METHOD_FOLDER = "sessie/methoden"
FONTS = "sessie/lettertypen.json"
STYLESHEET = "assets/kaarten/kaarten.css"
FONT_FOLDER = "assets/fonts"
SCOPE = "kompas-druk"  # class and id of the element that holds the printed cards (one per page)


def fragment_path(item_id: str) -> str:
    return f"{FRAGMENT_FOLDER}/{item_id}.json"


def method_path(module_id: str) -> str:
    return f"{METHOD_FOLDER}/{module_id}.json"


def scope_class(formaat: str) -> str:
    return f"{SCOPE}--{formaat}"


def page_name(formaat: str) -> str:
    """The named CSS page of a format: the card sheets print on it, the rest of a page does not."""
    return f"kompas-{formaat}"


# -- the scoped stylesheet ---------------------------------------------------------------
def _selectors(prelude) -> list[str]:
    """The selectors of a rule's prelude, split at its top-level commas only (a comma inside
    ``:is()`` or ``:not()`` is part of a function token, not of the list)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [text for text in (tinycss2.serialize(part).strip() for part in parts) if text]


def _scoped_rules(rules, scope: str, name: str, font_url: str) -> list[str]:
    out: list[str] = []
    for rule in rules:
        if rule.type in ("whitespace", "comment"):
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            body = tinycss2.serialize(rule.content)
            for file_name in FONT_FILES.values():
                body = body.replace((FONT_DIR / file_name).as_uri(), f"{font_url}/{file_name}")
            out.append(f"@font-face {{{body}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page":
            out.append(f"@page {name} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
            body = "\n".join(_scoped_rules(inner, scope, name, font_url))
            out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()} {{\n{body}\n}}")
        elif rule.type == "qualified-rule":
            scoped = [
                scope if selector in ("html", "body") else f"{scope} {selector}"
                for selector in _selectors(rule.prelude)
            ]
            out.append(f"{', '.join(dict.fromkeys(scoped))} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "error":
            raise ValueError(f"Fout in het kaartenstylesheet: {rule.message}")
        else:
            raise ValueError(
                f"Deze regel in het kaartenstylesheet kan niet worden afgebakend: {tinycss2.serialize([rule])[:80]}"
            )
    return out


def scope_stylesheet(css: str, formaat: str, font_url: str) -> str:
    """The deck stylesheet of ``formaat``, every rule under ``#kompas-druk.kompas-druk--<formaat>``.

    ``html``/``body`` rules apply to the scope element itself; ``@page`` becomes the named
    page :func:`page_name`, which every sheet (``.vel``) asks for; ``@media`` and
    ``@supports`` blocks are scoped inside; the font files are taken from ``font_url`` (a
    URL relative to the stylesheet). The id in the scope makes every rule outweigh the
    theme's typography around it (``[dir=ltr] .md-typeset ul li`` and the like), which
    would otherwise change the widths the fit estimator counted on.
    """
    scope = f"#{SCOPE}.{scope_class(formaat)}"
    name = page_name(formaat)
    # What the host page would otherwise pass on to the cards (the theme sets kerning and
    # ligature features on the body and letter-spacing on headings); the deck has no host.
    out: list[str] = [
        f"{scope} {{ font-feature-settings: normal; letter-spacing: normal; word-spacing: normal; "
        f"text-transform: none; text-indent: 0; }}",
        f"{scope} h2, {scope} h3 {{ letter-spacing: normal; }}",
    ]
    out += _scoped_rules(
        tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), scope, name, font_url
    )
    out.append(f"{scope} .vel {{ page: {name}; }}")
    return "\n".join(out) + "\n"


@cache
def site_stylesheet() -> str:
    """The card stylesheet of the site: A4 and A5, scoped; fonts next to it in assets/fonts/."""
    font_url = posixpath.relpath(FONT_FOLDER, posixpath.dirname(STYLESHEET))
    header = (
        "/* Dilemmakaarten: het stylesheet van de PDF-kaarten (macros/render/templates/kaarten/kaarten.css.j2),\n"
        "   afgebakend tot .kompas-druk. Gemaakt door macros/render/session.py; niet met de hand wijzigen. */\n"
    )
    return header + "".join(
        scope_stylesheet(print_html.stylesheet(formaat), formaat, font_url) for formaat in print_html.FORMATEN
    )


def font_files() -> dict[str, str]:
    """Site path -> absolute source path of the shipped card fonts."""
    return {f"{FONT_FOLDER}/{name}": str(FONT_DIR / name) for name in FONT_FILES.values()}


# -- the index ---------------------------------------------------------------------------
def _timed_steps(module) -> list[list]:
    """[title, minutes] of each part of a module, when every part has a duration."""
    parts = module.onderdelen
    if not parts or any(not part.duur for part in parts):
        return []
    return [[part.titel, part.duur] for part in parts]


def session_index(corpus: Corpus, kernwaarde_labels: dict, doelgroep_labels: dict) -> dict:
    """The compact index the session page fetches (see the module docstring).

    Dilemmas are rows ``[id, title, [sheet indexes], [core value indexes], [group indexes],
    [module indexes], origin index, [topic indexes]]`` in corpus order; indexes point into the
    lists of the same file (the origin into ``bronsoorten``: from the sources or the editors' own
    example, model.HERKOMSTEN; the topics into ``onderwerpen``).
    """
    sheets = list(corpus.themabladen)
    sheet_index = {sheet.id: i for i, sheet in enumerate(sheets)}
    modules = [module for module in corpus.modules if module.alle_dilemmas]
    value_index = {value: i for i, value in enumerate(KERNWAARDEN)}
    group_index = {group: i for i, group in enumerate(DOELGROEPEN)}
    kind_index = {kind: i for i, kind in enumerate(HERKOMSTEN)}
    topics = list(corpus.onderwerpen)
    topic_index = {topic.id: i for i, topic in enumerate(topics)}
    in_modules: dict[str, list[int]] = {}
    for i, module in enumerate(modules):
        for item_id in module.alle_dilemmas:
            in_modules.setdefault(item_id, []).append(i)
    rows = []
    for item in corpus.dilemmas:
        rows.append(
            [
                item.id,
                item.titel,
                [sheet_index[s] for s in item.themabladen if s in sheet_index],
                [value_index[v] for v in item.kernwaarden if v in value_index],
                [group_index[g] for g in item.doelgroep if g in group_index],
                sorted(set(in_modules.get(item.id, ()))),
                kind_index[corpus.herkomst(item)],
                [topic_index[o] for o in item.onderwerpen if o in topic_index],
            ]
        )
    return {
        "versie": 1,
        "themabladen": [[sheet.id, sheet.volledige_titel] for sheet in sheets],
        "modules": [
            [
                module.id,
                f"{module.soort_label}: {module.titel}",
                [i for i in module.alle_dilemmas if i in corpus.dilemma],
                _timed_steps(module),
            ]
            for module in modules
        ],
        "kernwaarden": [[value, kernwaarde_labels.get(value, value)] for value in KERNWAARDEN],
        "doelgroepen": [[group, doelgroep_labels.get(group, group)] for group in DOELGROEPEN],
        "bronsoorten": [[kind, label] for kind, label in HERKOMSTEN.items()],
        "onderwerpen": [[topic.id, topic.titel] for topic in topics],
        "dilemmas": rows,
    }


def index_json(corpus: Corpus, kernwaarde_labels: dict, doelgroep_labels: dict) -> str:
    return json.dumps(
        session_index(corpus, kernwaarde_labels, doelgroep_labels), ensure_ascii=False, separators=(",", ":")
    )


def timed_modules(corpus: Corpus):
    """The modules a session can follow in the presenter view: every part has minutes."""
    return [module for module in corpus.modules if _timed_steps(module)]


# -- the card pieces ---------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """What the site needs of one dilemma's card: the card (sizes chosen) and its sheet's kader."""

    card: print_html.Card
    item: Dilemma
    kader: tuple[str, ...]
    blad: str


def piece(corpus: Corpus, item: Dilemma) -> Piece:
    from ..content.cards_fit import first_sheet

    sheet = first_sheet(corpus, item)
    return Piece(
        print_html.make_card(corpus, item), item, sheet.kader if sheet else (), print_html.sheet_label(corpus, item)
    )


def fragment_html(corpus: Corpus, item: Dilemma) -> str:
    """The card of one dilemma (front, back) and its presenter text, as an HTML fragment (a pure
    function of its :class:`Piece`: kept between builds, see :mod:`macros.store.memo`)."""
    stuk = piece(corpus, item)

    def make() -> str:
        template = print_html.environment().get_template("sessie/stuk.html.j2")
        return print_html.INDENT.sub("><", template.render(stuk=stuk))

    return memo("kaarthtml").get(("stuk", repr(stuk)), make)


def card_html(corpus: Corpus, item: Dilemma, formaat: str = "a5") -> str:
    """One card laid out as in a deck of ``formaat`` (front sheet, back sheet), scoped: the
    printed dilemma page (a pure function of the card, kept between builds like :func:`fragment_html`)."""
    card = print_html.make_card(corpus, item)  # made once per dilemma and corpus

    def make() -> str:
        sheets = print_html.layout_a5([card]) if formaat == "a5" else print_html.layout_a4([card])
        template = print_html.environment().get_template("sessie/druk.html.j2")
        return print_html.INDENT.sub(
            "><", template.render(sheets=sheets, scope=SCOPE, scope_format=scope_class(formaat))
        )

    return memo("kaarthtml").get(("druk", formaat, repr(card)), make)


def sheet_slots(formaat: str) -> dict[str, list[str]]:
    """The position classes of the card slots of one sheet, per side, in card order.

    Taken from the deck layout itself (:func:`macros.render.print_html.layout_a4` on a full sheet), so
    the page's script places a card exactly where the PDF has it.
    """
    full = [object()] * (4 if formaat == "a4" else 1)
    layout = print_html.layout_a4 if formaat == "a4" else print_html.layout_a5
    sheets = layout(full)  # type: ignore[arg-type]
    return {sheet.side: [slot.plek for slot in sheet.slots] for sheet in sheets[:2]}


def sheet_marks(formaat: str):
    """The cut marks of a front sheet (only A4 has them)."""
    return print_html.cut_marks() if formaat == "a4" else ()


# -- the steps of a method ----------------------------------------------------------------
def method_html(module) -> str:
    """The steps of a module with a time plan as an HTML fragment: one section per step, which
    the presenter shows as a slide and the draaiboek lists (``templates/sessie/methode.html.j2``)."""
    from .base import environment as page_environment

    def make() -> str:
        template = page_environment().get_template("sessie/methode.html.j2")
        return print_html.INDENT.sub("><", template.render(mod=module).strip())

    return memo("kaarthtml").get(("methode", repr(module)), make)


# -- the fonts of a downloaded session -----------------------------------------------------
# Always in the subset, whatever the corpus holds: the text of the page and of the saved file
# itself (Dutch, with arrows and typographic punctuation), so a file never lacks a glyph the
# font has. Plus every character of the session files (titles, situations, steps, sheets).
BASE_CHARACTERS = frozenset(
    map(
        chr,
        [
            *range(0x20, 0x7F),
            *range(0xA0, 0x180),
            *range(0x2010, 0x2028),
            0x2030,
            0x2039,
            0x203A,
            0x20AC,
            0x2122,
            *range(0x2190, 0x2194),
            0x2212,
        ],
    )
)


def font_characters(texts) -> str:
    """The characters a saved session can hold: :data:`BASE_CHARACTERS` and those of ``texts``
    (the session files), control characters left out, sorted."""
    chars = set(BASE_CHARACTERS)
    for text in texts:
        chars.update(text)
    return "".join(sorted(c for c in chars if c >= " " and not 0x7F <= ord(c) < 0xA0))


def fonts_json(characters: str) -> str:
    """``{"versie": 1, "lettertypen": {file name: base64 TrueType}}``: each card font subset to
    ``characters`` (kept between builds, and within one process for `make serve`)."""
    return memo("kaarthtml").get(("lettertypen", characters), lambda: _fonts_json(characters))


@lru_cache(maxsize=2)
def _fonts_json(characters: str) -> str:
    fonts = {
        name: base64.b64encode(subset_font(FONT_DIR / name, characters)).decode("ascii") for name in FONT_FILES.values()
    }
    return json.dumps({"versie": 1, "lettertypen": fonts}, sort_keys=True)


def subset_font(path, characters: str) -> bytes:
    """The TrueType font at ``path`` with only the glyphs of ``characters``: no hinting and no
    layout tables (the cards set neither kerning nor ligatures), a format 4 ``cmap`` only, glyph
    outlines as they are (composite glyphs keep their components). The browser's second subset
    (``kompas-downloaden.js``) relies on exactly these tables. Same input, same bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]  # with the copyright and the licence (OFL) of the font, in English
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "gasp"]
    head_log = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = head_log.level
    head_log.setLevel(logging.ERROR)  # Lato's own 'created' date is read as a Unix time, with a warning
    try:
        font = TTFont(str(path), recalcTimestamp=False)
        font["head"]  # read here, under the lowered level
    finally:
        head_log.setLevel(level)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in characters})
    subsetter.subset(font)
    font["cmap"].tables = [
        table for table in font["cmap"].tables if (table.platformID, table.platEncID, table.format) == (3, 1, 4)
    ]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def site_files(corpus: Corpus, kernwaarde_labels: dict, doelgroep_labels: dict) -> dict[str, str]:
    """Every static file of the session page: site path -> text."""
    files = {INDEX: index_json(corpus, kernwaarde_labels, doelgroep_labels), STYLESHEET: site_stylesheet()}
    for item in corpus.dilemmas:
        files[fragment_path(item.id)] = json.dumps(
            {"id": item.id, "html": fragment_html(corpus, item)}, ensure_ascii=False
        )
    for module in timed_modules(corpus):
        files[method_path(module.id)] = json.dumps({"id": module.id, "html": method_html(module)}, ensure_ascii=False)
    files[FONTS] = fonts_json(font_characters(files.values()))
    return files
