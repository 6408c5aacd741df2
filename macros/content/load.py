"""Strict YAML loading with positions.

The loader reads YAML events (libyaml when available) and builds plain Python data
itself, so nothing in a content file can change meaning silently or run code:

* only ``true``/``false``, ``null``/``~``/empty and decimal integers without leading
  zeros are converted; every other plain scalar keeps its literal text (``no``, ``on``,
  ``1.10``, ``0755``, ``1:30`` and dates stay text; the schema checks date fields). An
  integer of more than :data:`MAX_INT_DIGITS` digits is never built (Python refuses to turn
  one of more than 4,300 digits into text): it is a diagnostic, YAML-GETAL;
* duplicate keys, anchors/aliases, tags and multiple documents are diagnostics;
  aliases are never expanded, so an alias bomb costs nothing;
* bytes that are not UTF-8, binary files, empty files and oversized files are
  diagnostics, never tracebacks;
* only regular files are read (:func:`read_file`): a FIFO, socket or device named like a content
  file is refused by its name, never opened in a way that waits; with the project folder given, a
  symbolic link that leads out of the project is refused before anything is read.

Every value and key gets its 1-based line and column, keyed by its path in the data.

Most files are fine, and their positions are only ever read to report a problem. The
validator therefore loads with ``deferred=True``: a file in which nothing could give a
diagnostic (no anchor, alias, tag, duplicate or odd key, too deep nesting, second
document or syntax error) is read into plain data in one quick pass, and its positions
are worked out by the full loader the first time something asks for them
(:class:`Deferred`). Anything unusual goes through the full loader at once, so both ways
give the same data, diagnostics and positions (tests/unit/content/test_load.py checks that).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml import events as ev

from .diagnostics import Diagnostic

try:  # libyaml is much faster; the pure-Python parser gives the same events.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)


MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_INT_DIGITS = 18  # no number in Kompas content comes near; Python's int -> str stops at 4,300
SCHEMA_LINE_PREFIX = "# yaml-language-server: $schema="


def schema_reference(file: str, kind: str) -> str:
    """The schema path a content file's first line names: relative to ``file``, which is
    relative to the project root (forward slashes)."""
    return "../" * file.count("/") + f"schemas/{kind}.schema.json"


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

# Field names and short values are interned: one string object per distinct text, however
# many files use it. Less memory, and the validator's cache (pickle) stores each such text once.
_intern = sys.intern
_SHORT = 40

Path_ = tuple[Any, ...]  # a path into the data: keys (str) and list indices (int)


class Pos(NamedTuple):  # a named tuple: built for every YAML node, so it must be cheap
    line: int
    column: int


@dataclass
class Loaded:
    """The result of loading one file."""

    file: str
    data: object = None
    positions: dict[Path_, Pos] = field(default_factory=dict)  # path -> Pos of the value
    key_positions: dict[Path_, Pos] = field(default_factory=dict)  # path -> Pos of the key
    diagnostics: list[Diagnostic] = field(default_factory=list)
    first_line: str = ""
    source: str = ""  # the text, to point at a word inside a value that spans lines
    ends: dict[Path_, int] = field(default_factory=dict)  # path -> last line, only for values that span lines

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def pos(self, path: Path_, key: bool = False) -> Pos:
        """The position of a path, falling back to its nearest known ancestor."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if not key and path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return self.positions.get((), Pos(1, 1))


class _Stop(Exception):
    """Raised to abandon a file after a fatal diagnostic."""


class Deferred(Loaded):
    """A :class:`Loaded` whose data and load diagnostics are known, and whose positions and
    line ends are worked out by the full loader the first time something asks for them.

    ``text`` is the file's text when it is at hand (then the source and first line are
    too); otherwise everything besides data and diagnostics comes from ``raw`` or, when
    that is None as well, from reading ``path`` again (the validator's cache)."""

    def __init__(
        self,
        file: str,
        data: object,
        diagnostics: list[Diagnostic],
        *,
        text: str | None = None,
        raw: bytes | None = None,
        path: Path | None = None,
        root: Path | None = None,
    ) -> None:  # noqa: D107
        self.file = file
        self._root = root
        self.data = data
        self.diagnostics = diagnostics
        self._text = text
        self._raw = raw
        self._path = path
        self._full: Loaded | None = None

    def _loaded(self) -> Loaded:
        if self._full is None:
            if self._text is not None:
                self._full = load_text(self._text, self.file)
            else:
                if self._raw is not None:
                    raw: bytes | Loaded = self._raw
                else:
                    assert self._path is not None  # (a Deferred is made with text, raw or path)
                    raw = read_file(self._path, self.file, root=self._root)
                self._full = raw if isinstance(raw, Loaded) else load_bytes(raw, self.file)
        return self._full

    positions = property(lambda self: self._loaded().positions)
    key_positions = property(lambda self: self._loaded().key_positions)
    ends = property(lambda self: self._loaded().ends)
    source = property(lambda self: self._text if self._text is not None else self._loaded().source)
    first_line = property(
        lambda self: self._text.split("\n", 1)[0] if self._text is not None else self._loaded().first_line
    )


class _Unusual(Exception):
    """Raised by the quick pass at anything the full loader could have something to say about."""


_ScalarEvent = ev.ScalarEvent
_MappingStart, _MappingEnd = ev.MappingStartEvent, ev.MappingEndEvent
_SequenceStart, _SequenceEnd = ev.SequenceStartEvent, ev.SequenceEndEvent
_DocumentEnd, _StreamEnd = ev.DocumentEndEvent, ev.StreamEndEvent


def _quick_data(text: str) -> Any:  # noqa: C901, PLR0915 - one tight loop over the events of every file: a call per event costs
    """The data of ``text`` as the full loader builds it, without positions; raises
    :class:`_Unusual` (or a ``yaml.YAMLError``) where the full loader might report a problem."""
    parser = _Parser(text)
    get: Callable[[], Any] = parser.get_event
    get()  # StreamStart
    if type(get()) is not ev.DocumentStartEvent:  # an empty file
        raise _Unusual
    containers: list[Any] = []  # the open mappings and sequences, innermost last
    keys: list[str | None] = []  # per open mapping: the key waiting for its value (None: a key comes next)
    result = None
    while True:
        event = get()
        kind = type(event)
        if kind is _ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value = event.value
            if len(value) <= _SHORT:
                value = _intern(value)
            if not event.style:
                value = _plain_value(value)
                if type(value) is str and _long_int(value):
                    raise _Unusual
        elif kind is _MappingStart or kind is _SequenceStart:
            if event.anchor is not None or event.tag is not None or len(containers) >= MAX_DEPTH:
                raise _Unusual
            if containers and type(containers[-1]) is dict and keys[-1] is None:
                raise _Unusual  # a list or block as a key
            containers.append({} if kind is _MappingStart else [])
            keys.append(None)
            continue
        elif kind is _MappingEnd or kind is _SequenceEnd:
            value = containers.pop()
            keys.pop()
        elif kind is _DocumentEnd:
            break
        else:  # an alias
            raise _Unusual
        if not containers:
            result = value
            continue
        parent = containers[-1]
        if type(parent) is list:
            parent.append(value)
            continue
        key = keys[-1]
        if key is None:  # this scalar is a key
            if type(value) is not str or value in parent or value == "<<":
                raise _Unusual
            keys[-1] = _intern(value)
        else:
            parent[key] = value
            keys[-1] = None
    if result is None or type(get()) is not _StreamEnd:  # empty, or a second document
        raise _Unusual
    return result


def walk(data: object, path: Path_ = ()) -> Iterator[tuple[Path_, object]]:
    """Every node of loaded data with its path, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, path + (index,))


def _mark(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def _plain_value(text: str) -> str | int | bool | None:
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text) and not _long_int(text):
        return int(text)
    return text


def _long_int(text: str) -> bool:
    """An integer YAML would read, too long to build (it stays text, with a diagnostic)."""
    return len(text) > MAX_INT_DIGITS and len(text.lstrip("+-")) > MAX_INT_DIGITS and _INT.match(text) is not None


class _Builder:
    def __init__(self, loaded: Loaded, parser: Any) -> None:
        self.loaded = loaded
        self.parser = parser

    def problem(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.loaded.diagnostics.append(Diagnostic(self.loaded.file, pos.line, pos.column, code, message, hint))

    def check_node_event(self, event: Any) -> None:
        if not getattr(event, "anchor", None) and getattr(event, "tag", None) in (None, "!"):
            return  # the common case, decided without building a position
        pos = _mark(event.start_mark)
        if getattr(event, "anchor", None):
            self.problem(
                pos,
                "YAML-ANKER",
                f"Anker '&{event.anchor}' is niet toegestaan in inhoud.",
                "Schrijf de waarde voluit; verwijs naar andere items met hun id.",
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            self.problem(
                pos,
                "YAML-TAG",
                f"De YAML-tag '{tag}' is niet toegestaan; hij wordt niet uitgevoerd.",
                "Verwijder de tag en schrijf gewone tekst.",
            )

    def node(self, path: Path_, depth: int) -> Any:
        event: Any = self.parser.get_event()
        pos = _mark(event.start_mark)
        self.loaded.positions[path] = pos
        if depth > MAX_DEPTH:
            self.problem(
                pos,
                "YAML-SYNTAX",
                f"De inhoud is dieper genest dan {MAX_DEPTH} niveaus.",
                "Inhoudsbestanden zijn plat: velden, lijsten en hooguit een paar niveaus.",
            )
            raise _Stop
        if isinstance(event, ev.AliasEvent):
            self.problem(
                pos,
                "YAML-ANKER",
                f"Alias '*{event.anchor}' is niet toegestaan in inhoud.",
                "Schrijf de waarde voluit; verwijs naar andere items met hun id.",
            )
            return None
        self.check_node_event(event)
        if isinstance(event, ev.ScalarEvent):
            if event.end_mark.line != event.start_mark.line:  # type: ignore[union-attr] # (a parser's events have marks)
                self.loaded.ends[path] = event.end_mark.line + 1  # type: ignore[union-attr]
            if event.style in ("|", ">"):  # block text starts on the next line
                self.loaded.positions[path] = Pos(pos.line + 1, 1)
            value = event.value
            if len(value) <= _SHORT:  # ids, dates, choices: the same few texts in thousands of files
                value = _intern(value)
            if event.style in (None, "") and event.tag is None:
                return self.plain(value, path, pos)
            return value
        if isinstance(event, ev.SequenceStartEvent):
            items: list[Any] = []
            while not self.parser.check_event(ev.SequenceEndEvent):
                items.append(self.node(path + (len(items),), depth + 1))
            self.parser.get_event()
            return items
        if isinstance(event, ev.MappingStartEvent):
            return self.mapping(path, depth)
        raise _Stop  # pragma: no cover - the parser yields no other node events

    def plain(self, text: str, path: Path_, pos: Pos) -> str | int | bool | None:
        """A plain scalar as Kompas reads it (:func:`_plain_value`); an integer too long to build stays
        text, with YAML-GETAL."""
        value = _plain_value(text)
        if type(value) is str and _long_int(value):
            field = next((part for part in reversed(path) if isinstance(part, str) and part[:1] != "\0"), "")
            digits = len(value.lstrip("+-"))
            self.problem(
                pos,
                "YAML-GETAL",
                f"YAML leest de waarde van '{field}' als een getal van {digits:,} cijfers; "
                f"een getal in Kompas heeft hooguit {MAX_INT_DIGITS} cijfers.".replace(",", "."),
                "Is het tekst, zet het dan tussen aanhalingstekens. Een aantal (minuten, deelnemers, "
                "een nummer) is nooit zo lang.",
            )
        return value

    def mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not self.parser.check_event(ev.MappingEndEvent):
            key_event = self.parser.peek_event()
            key_pos = _mark(key_event.start_mark)
            if (
                type(key_event) is ev.ScalarEvent
                and not key_event.anchor
                and key_event.tag is None
                and depth < MAX_DEPTH
            ):  # the common key, read as node() would read it
                self.parser.get_event()
                key: Any = _intern(key_event.value)
                if key_event.style in (None, ""):
                    key = _plain_value(key)
            else:
                key = self.node(path + ("\0key",), depth + 1)
                self.loaded.positions.pop(path + ("\0key",), None)
            if isinstance(key, (int, bool)) or key is None:
                key = "" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            if not isinstance(key, str):
                self.problem(key_pos, "YAML-SLEUTEL", "Een veldnaam moet gewone tekst zijn, geen lijst of blok.")
                self.node(path + ("\0value",), depth + 1)
                continue
            if key == "<<":
                self.problem(
                    key_pos,
                    "YAML-ANKER",
                    "Samenvoegen met '<<' is niet toegestaan in inhoud.",
                    "Schrijf alle velden voluit.",
                )
            if key in result:
                first = self.loaded.key_positions[path + (key,)]
                self.problem(
                    key_pos,
                    "YAML-DUBBELE-SLEUTEL",
                    f"Het veld '{key}' staat dubbel: ook op regel {first.line}.",
                    f"Houd één '{key}' over; YAML zou stilzwijgend de laatste waarde gebruiken.",
                )
                self.problem(
                    first,
                    "YAML-DUBBELE-SLEUTEL",
                    f"Het veld '{key}' staat dubbel: ook op regel {key_pos.line}.",
                    f"Houd één '{key}' over; YAML zou stilzwijgend de laatste waarde gebruiken.",
                )
                self.node(path + ("\0dup",), depth + 1)
                self.loaded.positions.pop(path + ("\0dup",), None)
                continue
            self.loaded.key_positions[path + (key,)] = key_pos
            result[key] = self.node(path + (key,), depth + 1)
        self.parser.get_event()
        return result


def _syntax_problem(loaded: Loaded, error: yaml.YAMLError, text: str) -> None:
    if isinstance(error, yaml.reader.ReaderError):
        # libyaml counts the position in UTF-8 bytes
        before = text.encode("utf-8")[: error.position].decode("utf-8", errors="ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        loaded.diagnostics.append(
            Diagnostic(
                loaded.file,
                line,
                column,
                "YAML-SYNTAX",
                f"Het bestand bevat een onzichtbaar stuurteken ({_describe_code(error.character)}) dat niet in YAML mag.",
                "Haal het teken weg; het komt meestal mee bij kopiëren uit een ander programma. "
                "Typ de tekst op deze plek opnieuw.",
            )
        )
        return
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    message, at_start = _dutch_problem(context, problem)
    mark = context_mark if (at_start and context_mark is not None) else (problem_mark or context_mark)
    pos = _mark(mark) if mark is not None else Pos(1, 1)
    lines = text.split("\n")
    tab_pos = _mark(problem_mark) if problem_mark is not None else pos
    line_text = lines[tab_pos.line - 1] if 0 < tab_pos.line <= len(lines) else ""
    if "\t" in line_text[: tab_pos.column] or "\t" in problem:
        loaded.diagnostics.append(
            Diagnostic(
                loaded.file,
                tab_pos.line,
                tab_pos.column,
                "YAML-TAB",
                "Deze regel gebruikt een tab; YAML staat alleen spaties toe om in te springen.",
                "Vervang de tab door spaties (in VS Code: 'Indent Using Spaces').",
            )
        )
        return
    loaded.diagnostics.append(
        Diagnostic(
            loaded.file,
            pos.line,
            pos.column,
            "YAML-SYNTAX",
            f"De YAML is hier niet te lezen: {message}.",
            "Controleer inspringing, dubbele punten en aanhalingstekens op en vlak voor deze regel.",
        )
    )


def _describe_code(character: str | int) -> str:
    from ..store.text import describe

    try:
        return describe(character if isinstance(character, str) else chr(int(character)))
    except (TypeError, ValueError):
        return "onbekend teken"


# (context fragment, problem fragment, Dutch explanation, report at the start of the construct)
_PROBLEMS = [
    ("quoted scalar", "end of stream", "het aanhalingsteken op deze regel wordt nergens gesloten", True),
    (
        "quoted scalar",
        "escape",
        "na een '\\' tussen dubbele aanhalingstekens staat een onbekend teken (gebruik enkele aanhalingstekens)",
        False,
    ),
    (
        "flow sequence",
        "",
        "de lijst die hier met '[' begint wordt niet met ']' gesloten, of er ontbreekt een komma",
        True,
    ),
    (
        "flow mapping",
        "",
        "het blok dat hier met '{' begint wordt niet met '}' gesloten, of er ontbreekt een komma",
        True,
    ),
    ("simple key", "", "er ontbreekt een ':' na de veldnaam", True),
    (
        "alias",
        "",
        "na '*' moet een naam staan; aliassen zijn trouwens niet toegestaan "
        "(zet tekst die met * begint tussen aanhalingstekens)",
        False,
    ),
    (
        "anchor",
        "",
        "na '&' moet een naam staan; ankers zijn trouwens niet toegestaan "
        "(zet tekst die met & begint tussen aanhalingstekens)",
        False,
    ),
    (
        "tag",
        "",
        "een tag met '!' is niet goed geschreven; tags zijn trouwens niet toegestaan "
        "(zet tekst die met ! begint tussen aanhalingstekens)",
        False,
    ),
    ("directive", "", "regels die met '%' beginnen zijn niet toegestaan", False),
    ("", "incompatible YAML document", "regels die met '%' beginnen zijn niet toegestaan", False),
    (
        "",
        "mapping values are not allowed",
        "hier mag geen ':' staan (zet tekst met een dubbele punt tussen "
        "aanhalingstekens, of controleer de inspringing)",
        False,
    ),
    ("", "could not find expected ':'", "er ontbreekt een ':' na de veldnaam", False),
    ("", "end of stream", "het bestand houdt op voordat een aanhalingsteken of haakje is gesloten", False),
    (
        "",
        "did not find expected key",
        "de inspringing klopt niet, of er staat tekst na een afsluitend aanhalingsteken",
        False,
    ),
    ("", "did not find expected '-' indicator", "de inspringing van de lijst klopt niet", False),
    (
        "",
        "cannot start any token",
        "er staat een teken dat hier niet mag (zet de tekst tussen aanhalingstekens)",
        False,
    ),
    ("", "<block end>", "de inspringing klopt niet", False),
    ("", "<document start>", "de inspringing klopt niet (begint de eerste regel met spaties?)", False),
    ("", "undefined alias", "alias zonder anker", False),
]


def _dutch_problem(context: str, problem: str) -> tuple[str, bool]:
    """A Dutch explanation of a parser error, and whether to point at where the construct starts."""
    for context_part, problem_part, dutch, at_start in _PROBLEMS:
        if context_part in context and problem_part in problem:
            return dutch, at_start
    return "de opbouw van het bestand klopt hier niet", False


def load_text(text: str, file: str) -> Loaded:
    """Load YAML text; ``file`` is the path used in diagnostics."""
    loaded = Loaded(file=file)
    loaded.first_line = text.split("\n", 1)[0]
    loaded.source = text
    parser: Any = _Parser(text)
    builder = _Builder(loaded, parser)
    try:
        parser.get_event()  # StreamStart
        if parser.check_event(ev.StreamEndEvent):
            loaded.diagnostics.append(
                Diagnostic(
                    file,
                    1,
                    1,
                    "BESTAND-LEEG",
                    "Het bestand bevat geen inhoud.",
                    "Vul de velden in (begin met `kompas nieuw`), of verwijder het bestand.",
                )
            )
            return loaded
        parser.get_event()  # DocumentStart
        loaded.data = builder.node((), 0)
        parser.get_event()  # DocumentEnd
        if not parser.check_event(ev.StreamEndEvent):
            extra = parser.peek_event()
            pos = _mark(extra.start_mark)
            loaded.diagnostics.append(
                Diagnostic(
                    file,
                    pos.line,
                    pos.column,
                    "YAML-MEERDERE-DOCUMENTEN",
                    "Na het eerste YAML-document begint een tweede ('---').",
                    "Eén item per bestand: zet het tweede item in een eigen bestand.",
                )
            )
    except _Stop:
        pass
    except yaml.YAMLError as error:
        _syntax_problem(loaded, error, text)
    if loaded.data is None and loaded.ok:
        loaded.diagnostics.append(
            Diagnostic(
                file,
                1,
                1,
                "BESTAND-LEEG",
                "Het bestand bevat geen inhoud.",
                "Vul de velden in (begin met `kompas nieuw`), of verwijder het bestand.",
            )
        )
    return loaded


def _too_big(file: str, size: int) -> Loaded:
    loaded = Loaded(file=file)
    loaded.diagnostics.append(
        Diagnostic(
            file,
            0,
            0,
            "BESTAND-TE-GROOT",
            f"Het bestand is {size:,} bytes; de limiet is {MAX_BYTES:,} bytes.".replace(",", "."),
            "Een item is een paar kilobyte; splits of kort de inhoud in.",
        )
    )
    return loaded


def load_bytes(raw: bytes, file: str, *, deferred: bool = False) -> Loaded:
    """Load a file's bytes: size, encoding and binary checks, then YAML.

    With ``deferred`` a file without anything unusual is a :class:`Deferred`: the same data
    and (no) diagnostics now, its positions when first asked for."""
    if len(raw) > MAX_BYTES:
        return _too_big(file, len(raw))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        loaded = Loaded(file=file)
        loaded.diagnostics.append(
            Diagnostic(
                file,
                1,
                1,
                "BESTAND-CODERING",
                "Het bestand is als UTF-16 ('Unicode') opgeslagen, niet als UTF-8.",
                "Sla het bestand op als UTF-8.",
            )
        )
        return loaded
    if b"\0" in raw:
        loaded = Loaded(file=file)
        loaded.diagnostics.append(
            Diagnostic(
                file,
                0,
                0,
                "BESTAND-BINAIR",
                "Dit is geen tekstbestand (het bevat nul-bytes).",
                "Vervang het door een YAML-tekstbestand.",
            )
        )
        return loaded
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        loaded = Loaded(file=file)
        loaded.diagnostics.append(
            Diagnostic(
                file,
                line,
                column,
                "BESTAND-CODERING",
                f"Byte 0x{raw[error.start]:02x} is geen geldige UTF-8; het bestand is waarschijnlijk als Latin-1 of Windows-1252 opgeslagen.",
                "Sla het bestand op als UTF-8.",
            )
        )
        return loaded
    if deferred and not bom:
        try:
            return Deferred(file, _quick_data(text), [], text=text)
        except (_Unusual, yaml.YAMLError):
            pass  # the full loader says what it is
    loaded = load_text(text, file)
    if bom:
        loaded.diagnostics.append(
            Diagnostic(
                file,
                1,
                1,
                "BESTAND-BOM",
                "Het bestand begint met een onzichtbare byte order mark (BOM).",
                "Sla het bestand op als 'UTF-8' zonder BOM.",
            )
        )
    return loaded


_KINDS = (
    (stat.S_ISFIFO, "een FIFO (named pipe)"),
    (stat.S_ISSOCK, "een socket"),
    (stat.S_ISCHR, "een apparaat"),
    (stat.S_ISBLK, "een apparaat"),
    (stat.S_ISDIR, "een map"),
)


def not_regular(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file (Dutch), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "geen gewoon bestand")


def refused_file(file: str, code: str, message: str, hint: str) -> Loaded:
    loaded = Loaded(file=file)
    loaded.diagnostics.append(Diagnostic(file, 0, 0, code, message, hint))
    return loaded


def special_file(file: str, kind: str) -> Loaded:
    """A content file that is not a regular file: refused by its name, never read."""
    return refused_file(
        file,
        "BESTAND-SOORT",
        f"Dit is geen gewoon bestand maar {kind}; Kompas leest het niet.",
        "Zet hier een gewoon YAML-bestand neer, of haal dit weg.",
    )


def outside_project(file: str) -> Loaded:
    """A content file that is a symbolic link (or lies behind one) leading out of the project."""
    return refused_file(
        file,
        "BESTAND-BUITEN-PROJECT",
        "Dit is een snelkoppeling naar een bestand buiten de projectmap; Kompas leest het niet.",
        "Zet het bestand zelf in het project (git bewaart het dan ook), of haal de snelkoppeling weg.",
    )


@lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    return os.path.realpath(root)


def _inside(target: str, root: Path) -> bool:
    real_root = _real_root(os.fspath(root))
    return target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)


def _contained(path: Path, root: Path) -> bool:
    return _inside(os.path.realpath(path), root)


def _opened_inside(descriptor: int, path: Path, root: Path) -> bool:
    """Whether the file open at ``descriptor`` lies inside the project: its path as the kernel knows it
    (one system call, and exactly the file that was opened), or, without /proc, its resolved path."""
    try:
        return _inside(os.readlink(f"/proc/self/fd/{descriptor}"), root)
    except OSError:
        return _contained(path, root)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_file(path: Path, file: str, *, root: Path | None = None) -> bytes | Loaded:
    """The raw bytes of a content file, or a Loaded with the diagnostic when it cannot be read
    (too big: never read; a dangling link, no read permission, a folder named *.yaml).

    Only a regular file is read. It is opened without waiting (``O_NONBLOCK``: opening a FIFO would
    wait for a writer) and its type is checked on the open descriptor before a byte is read, so a
    FIFO, socket or device is refused by its name (BESTAND-SOORT). With ``root`` (the project folder),
    a symbolic link is only followed when it leads to a file inside the project
    (BESTAND-BUITEN-PROJECT otherwise): checked before it is opened, and the file opened is the one
    checked."""
    try:
        # os-level calls: one open, one fstat and (nearly always) one read per file; the
        # validator reads every file of the corpus on every run
        try:
            descriptor = os.open(path, _READ_FLAGS | (_NOFOLLOW if root is not None else 0))
        except OSError as error:
            if root is None or error.errno not in (errno.ELOOP, errno.EMLINK):
                raise
            # a symbolic link: followed only to a file inside the project, and then the file it names
            if not _contained(path, root):
                return outside_project(file)
            descriptor = os.open(os.path.realpath(path), _READ_FLAGS | _NOFOLLOW)
        else:
            if root is not None and not _opened_inside(descriptor, path, root):  # a folder on the way is a link
                os.close(descriptor)
                return outside_project(file)
        try:
            info = os.fstat(descriptor)
            kind = not_regular(info.st_mode)
            if kind is not None:
                if stat.S_ISDIR(info.st_mode):
                    raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
                return special_file(file, kind)
            size = info.st_size
            if size > MAX_BYTES:
                return _too_big(file, size)  # never read an oversized file
            raw = os.read(descriptor, size + 1)
            if len(raw) > size:  # it grew since fstat: read on, at most past the limit
                parts, total = [raw], len(raw)
                while total <= MAX_BYTES and (part := os.read(descriptor, 65536)):
                    parts.append(part)
                    total += len(part)
                raw = b"".join(parts)
            return raw
        finally:
            os.close(descriptor)
    except OSError as error:
        loaded = Loaded(file=file)
        reason = {
            errno.ENOENT: "het bestand waar deze snelkoppeling naar wijst bestaat niet",
            errno.EACCES: "er zijn geen leesrechten",
            errno.EISDIR: "het is een map",
            errno.ELOOP: "de snelkoppelingen lopen in een kring",
            errno.ENAMETOOLONG: "de naam is te lang",
        }.get(error.errno or 0, "het besturingssysteem weigert het te openen")
        loaded.diagnostics.append(
            Diagnostic(
                file,
                0,
                0,
                "BESTAND-ONLEESBAAR",
                f"Het bestand kan niet gelezen worden: {reason}.",
                "Is het een snelkoppeling naar een bestand dat niet meer bestaat? Zet het echte bestand hier neer.",
            )
        )
        return loaded


def load_file(path: Path, file: str, *, root: Path | None = None) -> Loaded:
    raw = read_file(path, file, root=root)
    return raw if isinstance(raw, Loaded) else load_bytes(raw, file)
