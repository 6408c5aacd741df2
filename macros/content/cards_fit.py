"""The layout of a dilemma card, and a fast estimate of whether its text fits.

This module is the single source of truth for the card's geometry and type sizes:
the CSS template of the cards (``templates/kaarten/kaarten.css.j2``) is filled from
:data:`SPEC`, and the estimator below stacks the same blocks with line wrapping
computed from the real advance widths of the shipped font. It imports no WeasyPrint,
so the validator stays fast; ``tests/print/test_cards.py`` proves the estimate agrees with
what WeasyPrint really lays out.

Wrapping model (matches Pango 1.50 for Dutch prose with kerning and ligatures switched
off in the CSS): a line may break at a space (the space hangs at the end of the line),
except where the Unicode line breaking rules forbid it (before closing punctuation or a
slash, after an opening bracket, between a quote and an opening bracket), and after a
hyphen or dash that follows a letter or digit, or after a slash, when a letter follows.
A line holds as many unbreakable runs as fit in the text width. Where Pango knows more
break opportunities than this model (e.g. around an em dash), the estimate can only be
longer than the real text, never shorter.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .diagnostics import Diagnostic
from .model import KERNWAARDEN, Corpus, Dilemma, Themablad, Uitspraak

if TYPE_CHECKING:
    from .document import Document

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
METRICS_FILE = FONT_DIR / "lato-metrics.json"
FONT_FILES = {
    "regular": "Lato-Regular.ttf",
    "italic": "Lato-Italic.ttf",
    "bold": "Lato-Bold.ttf",
    "black": "Lato-Black.ttf",
}
MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Spec:
    """The card geometry in points (A6) and the type scale per shrink step."""

    width: float = 105 * MM
    height: float = 148 * MM
    pad_x: float = 9 * MM
    pad_top: float = 8 * MM
    pad_bottom: float = 7 * MM
    header: float = 24.0  # brand line + rule + gap above the flowing text
    footer: float = 31.0  # gap + rule + two small lines below the flowing text (front)
    # the back's footer: gap + rule + padding + the QR code to the dilemma's page, with the
    # note, the source line and the id beside it; the room is kept also when the site has no
    # site_url (no QR code), so whether a card fits never depends on mkdocs.yml
    back_footer: float = 50.0
    qr_size: float = 14 * MM  # the QR code, at least 14 mm so a phone reads it from a table
    qr_gap: float = 6.0  # between the footer text and the QR code
    source_size: float = 6.5  # the source line ("Naar ...") in one line of small print
    # body sizes of the flowing text, largest first; the last one is the minimum
    steps: tuple[float, ...] = (12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
    # front
    title_scale: float = 1.6
    title_lh: float = 1.16
    title_gap: float = 0.85  # x body size, below the title
    context_lh: float = 1.4
    context_gap: float = 1.0
    question_scale: float = 1.05
    question_lh: float = 1.32
    question_rule: float = 3.0  # the question is a tinted panel at the foot of the flow, with a rule on the left
    question_indent: float = 9.0  # space between the rule and the text
    question_pad_right: float = 8.0
    question_pad: float = 0.75  # x body size, above and below the text
    # back
    label_scale: float = 0.72  # small caps section labels
    label_lh: float = 1.4
    label_gap: float = 0.3
    item_lh: float = 1.32
    item_gap: float = 0.35
    list_indent: float = 1.35  # x body size, room for the numbers
    section_gap: float = 0.75
    values_height: float = 1.75  # x body size, the row of core value labels
    kader_scale: float = 0.95
    ruling_scale: float = 0.9
    ecli_scale: float = 0.82
    max_kader: int = 3
    max_inherited_rulings: int = 3

    @cached_property
    def text_width(self) -> float:
        return self.width - 2 * self.pad_x

    @cached_property
    def question_width(self) -> float:
        return self.text_width - self.question_rule - self.question_indent - self.question_pad_right

    @cached_property
    def flow_height(self) -> float:
        return self.height - self.pad_top - self.pad_bottom - self.header - self.footer

    @cached_property
    def back_flow_height(self) -> float:
        return self.height - self.pad_top - self.pad_bottom - self.header - self.back_footer

    @cached_property
    def source_width(self) -> float:
        """The width of the back's footer lines (beside the QR code)."""
        return self.text_width - self.qr_size - self.qr_gap

    @cached_property
    def minimum(self) -> float:
        return self.steps[-1]


SPEC = Spec()


# -- font metrics ----------------------------------------------------------------------
def font_metrics_from_fonts() -> dict[str, Any]:
    """Advance widths (font units) per code point, read from the shipped TTF files."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; only needed to (re)build the table

    result = {}
    for style, name in FONT_FILES.items():
        font = TTFont(FONT_DIR / name, lazy=True)
        advances = font["hmtx"].metrics
        widths = {str(code): advances[glyph][0] for code, glyph in sorted(font.getBestCmap().items())}
        result[style] = {
            "file": name,
            "units_per_em": font["head"].unitsPerEm,
            "notdef": advances[".notdef"][0],
            "widths": widths,
        }
    return result


def write_metrics_file() -> None:
    """Regenerate ``lato-metrics.json`` (run after replacing a font file)."""
    METRICS_FILE.write_text(
        json.dumps(font_metrics_from_fonts(), separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )


@dataclass
class Font:
    widths: dict[str, float]  # character -> advance in em
    fallback: float  # advance in em for a character the font lacks (drawn by a fallback font)
    _cache: dict[str, float] = field(default_factory=dict)

    def em(self, text: str) -> float:
        """The advance of ``text`` in em (no kerning, no ligatures)."""
        cached = self._cache.get(text)
        if cached is None:
            widths, fallback = self.widths, self.fallback
            cached = self._cache[text] = sum(widths.get(ch, fallback) for ch in text)
        return cached


@cache
def fonts() -> dict[str, Font]:
    data = json.loads(METRICS_FILE.read_text(encoding="utf-8")) if METRICS_FILE.is_file() else font_metrics_from_fonts()
    result = {}
    for style, info in data.items():
        upm = info["units_per_em"]
        widths = {chr(int(code)): width / upm for code, width in info["widths"].items()}
        result[style] = Font(widths, fallback=max(info["notdef"] / upm, widths.get("M", 0.9)))
    return result


# -- line wrapping -----------------------------------------------------------------------
_SPACES = re.compile(r"[ \t\n\r\f]+")
_DASHES = "-\u2010\u2013\u2014"
# break opportunities inside a word: after a dash that follows a letter or digit, and
# after a slash, when a letter follows ("politie-eenheid", "en/of")
_DASH_BREAK = re.compile(rf"(?<=[^\W_][{_DASHES}])(?=[^\W\d_])|(?<=/)(?=[^\W\d_])")
# Unicode line breaking rules that forbid a break at a space (UAX #14, as Pango 1.50 applies them):
_NO_BREAK_BEFORE = frozenset(")]}!?,.;:/")  # LB13: closing punctuation and slash, even after a space
_OPENING = frozenset("([{\u201e\u00a1\u00bf")  # LB14: no break after an opening bracket, even before a space
_QUOTES = frozenset("\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201f\u00ab\u00bb\u2039\u203a")  # LB15: quote SP* × (


_NBSP = re.compile("[\u00a0\u2007\u202f]")  # spaces that do not break (str.split() would split at them)
_INNER_BREAK = re.compile(r"[-\u2010\u2013\u2014/]")
_MAYBE_GLUED = re.compile(
    r" [)\]}!?,.;:/]|[(\[{\u201e\u00a1\u00bf] |[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201f"
    r"\u00ab\u00bb\u2039\u203a] [(\[{]|\u2014 \u2014"
)


def normalize(text: str) -> str:
    """Whitespace collapsed the way CSS ``white-space: normal`` does."""
    return _SPACES.sub(" ", text).strip()


LONG_RUN = 40  # characters: beyond this, a run without spaces is treated as unbreakable


def _pieces(word: str) -> list[str]:
    """Break opportunities inside a word (after a dash or slash before a letter).

    A very long run such as a web address or encoded data is kept whole: Pango's
    line breaking inside such runs follows rules the estimator does not model, so the
    estimator stays on the safe side and the validator reports it (KAART-TE-LANG).
    """
    if len(word) > LONG_RUN:
        return [word]
    return _DASH_BREAK.split(word)


def _glued(previous: str, word: str) -> bool:
    """True when no line break is allowed at the space between two words."""
    first, last = word[0], previous[-1]
    return (
        first in _NO_BREAK_BEFORE
        or last in _OPENING
        or (last in _QUOTES and first in "([{")
        or (last == "\u2014" and first == "\u2014")
    )


@lru_cache(maxsize=8192)
def units(text: str) -> tuple[tuple[str, bool], ...]:
    """The unbreakable runs of ``text``, each with whether a space precedes it."""
    text = normalize(text) if _NBSP.search(text) is None else " ".join(w for w in _SPACES.split(text) if w)
    words = text.split(" ") if text else []
    if _INNER_BREAK.search(text) is None and _MAYBE_GLUED.search(text) is None:
        return tuple((word, index > 0) for index, word in enumerate(words))  # the common case: break at spaces
    result: list[tuple[str, bool]] = []
    previous = ""
    for word in words:
        for index, piece in enumerate(_pieces(word)):
            if index == 0 and result and _glued(previous, word):
                text_so_far, spaced = result[-1]
                result[-1] = (text_so_far + " " + piece, spaced)
            elif index == 0:
                result.append((piece, bool(result)))
            else:
                result.append((piece, False))
        previous = word
    return tuple(result)


def wrap(text: str, font: Font, size: float, width: float) -> list[str] | None:
    """The lines of ``text`` at ``size`` points in a box ``width`` points wide.

    None when an unbreakable run (a long word or web address) is wider than the box:
    such text overflows sideways whatever the size.
    """
    limit = width / size + 1e-6
    space = font.em(" ")
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for piece, spaced in units(text):
        advance = font.em(piece)
        if advance > limit:
            return None
        glue = space if (current and spaced) else 0.0
        if current and used + glue + advance > limit:
            lines.append("".join(current))
            current, used, glue = [], 0.0, 0.0
        if glue:
            current.append(" ")
        current.append(piece)
        used += glue + advance
    if current:
        lines.append("".join(current))
    return lines


@lru_cache(maxsize=16384)
def count_lines(text: str, style: str, size: float, width: float) -> int | None:
    """``len(wrap(...))``, fast: the validator calls this for every block of every card."""
    font = fonts()[style]
    known, em = font._cache, font.em
    limit = width / size + 1e-6
    space = em(" ")
    lines, used = 0, 0.0
    if _NBSP.search(text) is None and _INNER_BREAK.search(text) is None and _MAYBE_GLUED.search(text) is None:
        for word in text.split():  # the common case: every space is a break opportunity
            advance = known.get(word)
            if advance is None:
                advance = em(word)
            if advance > limit:
                return None
            if lines and used + space + advance <= limit:
                used += space + advance
            else:
                lines += 1
                used = advance
        return lines
    for piece, spaced in units(text):
        advance = known.get(piece)
        if advance is None:
            advance = em(piece)
        if advance > limit:
            return None
        if lines and used + (space if spaced else 0.0) + advance <= limit:
            used += (space if spaced else 0.0) + advance
        else:
            lines += 1
            used = advance
    return lines


# -- the blocks of a card ---------------------------------------------------------------
class Block(NamedTuple):
    """One block of the flowing text: a paragraph, or a fixed-height row."""

    text: str | None
    style: str  # regular, italic or bold
    size: float
    line_height: float  # in points
    width: float
    gap: float  # padding below, in points
    fixed_height: float = 0.0

    def height(self) -> float | None:
        if self.text is None:
            return self.fixed_height + self.gap
        lines = count_lines(self.text, self.style, self.size, self.width)
        if lines is None:
            return None
        return lines * self.line_height + self.gap


def stack_height(blocks: list[Block]) -> float | None:
    total = 0.0
    for block in blocks:
        height = block.height()
        if height is None:
            return None
        total += height
    return total


@dataclass(frozen=True)
class BackContent:
    """What the back of a card shows."""

    hulpvragen: tuple[str, ...]
    kernwaarden: tuple[str, ...]
    kader: tuple[str, ...]
    uitspraken: tuple[Uitspraak, ...]
    ruling_titles: bool = True

    def reduced(self) -> list["BackContent"]:
        """This content, then variants with less of the sheet's material, most complete first."""
        variants = [self]
        for count in range(len(self.kader) - 1, -1, -1):
            variants.append(BackContent(self.hulpvragen, self.kernwaarden, self.kader[:count], self.uitspraken))
        if self.uitspraken:
            variants.append(BackContent(self.hulpvragen, self.kernwaarden, (), self.uitspraken, ruling_titles=False))
        return variants


def front_blocks(item: Dilemma, body: float, spec: Spec = SPEC) -> list[Block]:
    width = spec.text_width
    title = body * spec.title_scale
    blocks = [Block(item.titel, "bold", title, title * spec.title_lh, width, body * spec.title_gap)]
    if item.context:
        blocks.append(Block(item.context, "regular", body, body * spec.context_lh, width, body * spec.context_gap))
    if item.vraag:
        size = body * spec.question_scale
        blocks.append(
            Block(item.vraag, "bold", size, size * spec.question_lh, spec.question_width, 2 * body * spec.question_pad)
        )
    return blocks


def _label(body: float, spec: Spec) -> Block:
    size = body * spec.label_scale
    return Block(
        None,
        "bold",
        size,
        size * spec.label_lh,
        spec.text_width,
        body * spec.label_gap,
        fixed_height=size * spec.label_lh,
    )


def back_blocks(content: BackContent, body: float, spec: Spec = SPEC) -> list[Block]:
    width = spec.text_width
    list_width = width - body * spec.list_indent
    blocks: list[Block] = [_label(body, spec)]
    for index, question in enumerate(content.hulpvragen):
        last = index == len(content.hulpvragen) - 1
        blocks.append(
            Block(
                question,
                "regular",
                body,
                body * spec.item_lh,
                list_width,
                body * (spec.section_gap if last else spec.item_gap),
            )
        )
    blocks.append(_label(body, spec))
    blocks.append(
        Block(None, "regular", body, 0.0, width, body * spec.section_gap, fixed_height=body * spec.values_height)
    )
    if content.kader:
        blocks.append(_label(body, spec))
        size = body * spec.kader_scale
        for index, statement in enumerate(content.kader):
            last = index == len(content.kader) - 1
            blocks.append(
                Block(
                    statement,
                    "italic",
                    size,
                    size * spec.item_lh,
                    list_width,
                    body * (spec.section_gap if last else spec.item_gap),
                )
            )
    if content.uitspraken:
        blocks.append(_label(body, spec))
        ecli = body * spec.ecli_scale
        size = body * spec.ruling_scale
        for index, ruling in enumerate(content.uitspraken):
            last = index == len(content.uitspraken) - 1
            gap = 0.0 if last else body * spec.item_gap
            if content.ruling_titles:
                blocks.append(
                    Block(None, "bold", ecli, ecli * spec.item_lh, width, 0.0, fixed_height=ecli * spec.item_lh)
                )
                blocks.append(Block(ruling.titel, "regular", size, size * spec.item_lh, width, gap))
            else:
                blocks.append(
                    Block(None, "bold", ecli, ecli * spec.item_lh, width, gap, fixed_height=ecli * spec.item_lh)
                )
    return blocks


# -- choosing what goes on the back --------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    """
alle alleen altijd andere anders beter daar daarom dan dat deze die dit doen door echt eigen elke
geen gaat hebt heeft hier hoe hoor jouw jezelf jullie kan kun kunt maar meer mijn moet naar niet
niets niks nog ook over want wanneer waar wat weer welke wie wil worden wordt zich zijn zonder zou
zouden jouw mijzelf mezelf tijdens samen""".split()
)


def _stems(text: str) -> set[str]:
    stems = set()
    for word in _WORD.findall(text.casefold()):
        if word in _STOP:
            continue
        stems.add(word[:5])  # a crude stem: Dutch compounds and inflections share their start
    return stems


def relevant_kader(item: Dilemma, sheet: Themablad | None, limit: int = SPEC.max_kader) -> tuple[str, ...]:
    """The sheet's kader statements that share the most words with the dilemma, in sheet order."""
    if sheet is None:
        return ()
    words = _stems(" ".join((item.titel, item.situatie, *item.hulpvragen)))
    scored = [(-len(words & _stems(statement)), index) for index, statement in enumerate(sheet.kader)]
    chosen = sorted(index for _, index in sorted(scored)[:limit])
    return tuple(sheet.kader[index] for index in chosen)


def card_rulings(corpus: Corpus, item: Dilemma, spec: Spec = SPEC) -> tuple[Uitspraak, ...]:
    """The dilemma's own rulings, or at most a few of its sheets' rulings."""
    rulings = corpus.uitspraken_van_dilemma(item)
    if not item.uitspraken:
        rulings = rulings[: spec.max_inherited_rulings]
    return rulings


def first_sheet(corpus: Corpus, item: Dilemma) -> Themablad | None:
    for sheet_id in item.themabladen:
        if sheet_id in corpus.themablad:
            return corpus.themablad[sheet_id]
    return None


def back_content(corpus: Corpus, item: Dilemma) -> BackContent:
    values = tuple(v for v in KERNWAARDEN if v in item.kernwaarden)
    return BackContent(
        item.hulpvragen, values, relevant_kader(item, first_sheet(corpus, item)), card_rulings(corpus, item)
    )


# -- the source line on the back ------------------------------------------------------------
def source_line(corpus: Corpus, item: Dilemma) -> str:
    """The source line of a dilemma's card (model.Corpus.bronregel): 'Naar <title>' or the editors' own text."""
    return normalize(corpus.bronregel(item))


def source_fits(line: str, spec: Spec = SPEC) -> bool:
    """True when the source line fits on one line beside the QR code."""
    return fonts()["regular"].em(normalize(line)) * spec.source_size <= spec.source_width + 1e-6


# -- fitting -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fit:
    """The chosen body size of each side (None when a side does not fit at the minimum)."""

    front: float | None
    back: float | None
    back_content: BackContent
    front_excess: float = 0.0  # points too tall at the minimum size
    back_excess: float = 0.0
    too_wide: str | None = None  # a word wider than a line

    @property
    def ok(self) -> bool:
        return self.front is not None and self.back is not None

    @property
    def front_step(self) -> int:
        return SPEC.steps.index(self.front) if self.front is not None else len(SPEC.steps) - 1

    @property
    def back_step(self) -> int:
        return SPEC.steps.index(self.back) if self.back is not None else len(SPEC.steps) - 1


def _largest_fitting(
    make_blocks: Callable[[float], list[Block]], spec: Spec, available: float
) -> tuple[float | None, float, bool]:
    """(size, excess at the minimum, too wide) for the first step whose blocks fit in ``available`` points."""
    excess, too_wide = 0.0, False
    for size in spec.steps:
        height = stack_height(make_blocks(size))
        if height is None:  # a word wider than a line at this size: a smaller size may still fit
            excess, too_wide = 0.0, True
            continue
        if height <= available + 1e-6:
            return size, 0.0, False
        excess, too_wide = height - available, False
    return None, excess, too_wide


def _too_wide_word(texts: Iterable[tuple[str, str, float, float]], spec: Spec) -> str | None:
    for text, style, size, width in texts:
        font = fonts()[style]
        for piece, _ in units(text):
            if font.em(piece) * size > width:
                return piece
    return None


def fit_card(corpus: Corpus, item: Dilemma, spec: Spec = SPEC) -> Fit:
    """Choose the largest size at which each side of the card fits (once per card of a corpus: the
    dilemma page, the session page, the decks and the validation all ask; kept between builds)."""
    return corpus.derived_for(item, ("fit", spec), lambda: _kept_fit(corpus, item, spec))


def _kept_fit(corpus: Corpus, item: Dilemma, spec: Spec) -> Fit:
    """The fit from the build's memo (:mod:`macros.store.memo`): it is a pure function of the
    dilemma, the content of its back and the card geometry, which together are the key."""
    from ..store.memo import memo

    content = back_content(corpus, item)
    kept = memo("kaartmaat").get((repr(item), repr(content), repr(spec)), lambda: list(_fit_sizes(item, content, spec)))
    front, back, variant, front_excess, back_excess, too_wide = kept
    return Fit(front, back, content.reduced()[variant], front_excess, back_excess, too_wide)


def _fit_sizes(item: Dilemma, content: BackContent, spec: Spec) -> tuple[Any, ...]:
    """(front size, back size, index of the back variant in ``content.reduced()``, front excess,
    back excess, a word too wide) of the card."""
    front, front_excess, front_wide = _largest_fitting(
        lambda size: front_blocks(item, size, spec), spec, spec.flow_height
    )
    variants = content.reduced()
    back, back_excess, back_wide = None, 0.0, False
    for index, variant in enumerate(variants):
        back, back_excess, back_wide = _largest_fitting(
            lambda size: back_blocks(variant, size, spec), spec, spec.back_flow_height
        )
        if back is not None or back_wide:
            break
    else:
        index = len(variants) - 1
    too_wide = None
    if front_wide or back_wide:
        minimum = spec.minimum
        blocks = [*front_blocks(item, minimum, spec), *back_blocks(variants[index], minimum, spec)]
        too_wide = _too_wide_word(((b.text, b.style, b.size, b.width) for b in blocks if b.text), spec)
    return front, back, index, front_excess, back_excess, too_wide


def _lines(excess: float, body: float, spec: Spec) -> int:
    return max(1, math.ceil(excess / (body * spec.context_lh)))


def _fits(blocks: list[Block], available: float) -> bool:
    height = stack_height(blocks)
    return height is not None and height <= available + 1e-6


def fits_at_minimum(
    corpus: Corpus, item: Dilemma, spec: Spec = SPEC, tallest: dict[str, tuple[str, ...]] | None = None
) -> bool:
    """A quick sufficient test: both sides fit at the minimum size.

    The back is tried with the sheet's tallest kader statements, so it holds whichever
    statements the card finally shows. False only means "look closer" (:func:`fit_card`).
    """
    minimum = spec.minimum
    if not _fits(front_blocks(item, minimum, spec), spec.flow_height):
        return False
    sheet = first_sheet(corpus, item)
    kader: tuple[str, ...] = ()
    if sheet is not None:
        key = sheet.id
        if tallest is None or key not in tallest:
            size, width = minimum * spec.kader_scale, spec.text_width - minimum * spec.list_indent
            ranked = sorted(sheet.kader, key=lambda text: -(count_lines(text, "italic", size, width) or 10**6))
            kader = tuple(ranked[: spec.max_kader])
            if tallest is not None:
                tallest[key] = kader
        else:
            kader = tallest[key]
    values = tuple(v for v in KERNWAARDEN if v in item.kernwaarden)
    content = BackContent(item.hulpvragen, values, kader, card_rulings(corpus, item, spec))
    return _fits(back_blocks(content, minimum, spec), spec.back_flow_height)


def check_cards(documents: Iterable[Document], corpus: Corpus, spec: Spec = SPEC) -> list[Diagnostic]:
    """KAART-TE-LANG for every dilemma whose card does not fit, even at the smallest size."""
    result: list[Diagnostic] = []
    tallest: dict[str, tuple[str, ...]] = {}
    for doc in documents:
        if doc.kind != "dilemma" or not doc.schema_ok:
            continue
        item = corpus.dilemma.get(str(doc.data.get("id")))
        if item is None or item.pad != doc.loaded.file:
            continue
        line = source_line(corpus, item)
        if not source_fits(line, spec):
            shown = next(
                (i for i, (ref, source) in enumerate(corpus.bronnen_van(item.bronnen)) if not source.is_redactie), 0
            )
            pos = doc.loaded.pos(("bronnen", shown, "bron"))
            result.append(
                Diagnostic(
                    doc.loaded.file,
                    pos.line,
                    pos.column,
                    "KAART-TE-LANG",
                    f"De bronregel '{line}' past niet op één regel onder aan de dilemmakaart.",
                    "De kaart noemt de titel van de eerste bron uit content/bronnen.yaml. Kort die titel in, of noem "
                    "eerst een bron met een kortere titel; deel en toelichting staan niet op de kaart.",
                )
            )
        if fits_at_minimum(corpus, item, spec, tallest):
            continue
        fit = fit_card(corpus, item, spec)
        if fit.ok:
            continue
        minimum = f"{spec.minimum:g} pt"
        if fit.too_wide:
            pos = doc.loaded.pos(("situatie",))
            result.append(
                Diagnostic(
                    doc.loaded.file,
                    pos.line,
                    pos.column,
                    "KAART-TE-LANG",
                    f"Het woord '{fit.too_wide}' is te breed voor een regel op de dilemmakaart.",
                    "Breek het woord op (bijvoorbeeld een webadres weglaten of een samenstelling met een streepje).",
                )
            )
            continue
        if fit.front is None:
            pos = doc.loaded.pos(("situatie",))
            result.append(
                Diagnostic(
                    doc.loaded.file,
                    pos.line,
                    pos.column,
                    "KAART-TE-LANG",
                    f"De voorkant van de dilemmakaart loopt over, ook met de kleinste letter ({minimum}): "
                    f"titel en situatie zijn ongeveer {_lines(fit.front_excess, spec.minimum, spec)} regel(s) te lang.",
                    "Kort de situatie (of de titel) in.",
                )
            )
        if fit.back is None:
            pos = doc.loaded.pos(("hulpvragen",))
            what = "de hulpvragen en uitspraken zijn" if item.uitspraken else "de hulpvragen zijn"
            result.append(
                Diagnostic(
                    doc.loaded.file,
                    pos.line,
                    pos.column,
                    "KAART-TE-LANG",
                    f"De achterkant van de dilemmakaart loopt over, ook met de kleinste letter ({minimum}): "
                    f"{what} samen ongeveer {_lines(fit.back_excess, spec.minimum, spec)} regel(s) te lang.",
                    "Kort de hulpvragen in of gebruik er minder"
                    + (" (of noem minder uitspraken)." if item.uitspraken else "."),
                )
            )
    return result
