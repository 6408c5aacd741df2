"""Text that reaches a terminal: characters that control it or reorder what it shows.

Content, file names and paths come from people Kompas does not trust with the terminal of an
editor (docs/dreigingsmodel.md). A title with ``ESC [2J`` would clear the screen of whoever runs
``kompas valideer``; a right-to-left override would make a file name read as another. So:

* :data:`CONTROL_CHARACTERS`: what content may never hold (the validator refuses it, code
  TEKST-STUURTEKEN): C0 controls other than tab and line feed, DEL, C1 controls, and the
  bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). What Dutch
  text uses (no-break space, soft hyphen) is ordinary text.
* :func:`visible`: the one function every printer of Kompas passes a text through before it
  reaches a terminal (diagnostics, refusals, warnings, the build's log): each such character, and
  the invisible bidirectional marks and line separators, becomes its code point (``<U+001B>``).
  :func:`json_safe` does the same for JSON text (as ``\\u001b`` escapes, so the data stays equal).
"""

from __future__ import annotations

import re
import unicodedata

# What content may not hold: C0 but tab and line feed, DEL, C1, bidi embeddings/overrides/isolates.
_CONTROL_RANGES = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_CHARACTERS = frozenset(
    chr(c)
    for c in [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
CONTROL = re.compile(f"[{_CONTROL_RANGES}]")
# Never printed raw either: the invisible direction marks and the Unicode line and paragraph separators.
_UNSAFE = re.compile(f"[{_CONTROL_RANGES}\u061c\u200e\u200f\u2028\u2029]")

# Names of the C0 and C1 controls (unicodedata has none for them).
_C0_NAMES = (
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "FILE SEPARATOR",
    "GROUP SEPARATOR",
    "RECORD SEPARATOR",
    "UNIT SEPARATOR",
)


def code_point(character: str) -> str:
    """``U+001B``: how a message names a character it may not print."""
    return f"U+{ord(character):04X}"


def describe(character: str) -> str:
    """``U+001B (ESCAPE)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``, ``U+0085``: the code point and, where
    Unicode has one, the name."""
    value = ord(character)
    if value < 0x20:
        name = _C0_NAMES[value]
    elif value == 0x7F:
        name = "DELETE"
    else:
        name = unicodedata.name(character, "")
    return f"{code_point(character)} ({name})" if name else code_point(character)


def visible(text: object) -> str:
    """``text`` safe for a terminal: every control or reordering character as ``<U+XXXX>``; tab and
    line feed stay. The identity for a text without them (almost every text)."""
    text = str(text)
    return _UNSAFE.sub(lambda match: f"<{code_point(match.group(0))}>", text)


def json_safe(text: str) -> str:
    """JSON text with every control or reordering character as a ``\\uXXXX`` escape: the same data,
    nothing a terminal acts on. (``json.dumps`` escapes C0 itself, but not DEL, C1 or U+202E.)"""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def shortened(text: object, limit: int = 120) -> str:
    """:func:`visible`, and at most ``limit`` characters (a path of 4,000 characters in a message only
    hides the message)."""
    shown = visible(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 21]}…{shown[-20:]}"
