"""Checks across files and content rules that a schema cannot express.

Checks read the loaded documents (for positions) and the model (for relations).
References are resolved against every file that was loaded, even one with schema
errors, so one broken file does not cause a cascade of misleading reference errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..store.text import CONTROL, describe
from .diagnostics import Diagnostic
from .load import SCHEMA_LINE_PREFIX, Path_, schema_reference, walk
from .markdown_limits import first_problem
from .model import FASEN, Corpus, ecli_id
from .schema import ecma_regex, resolved_definition

if TYPE_CHECKING:
    from .document import Document
    from .layout import Layout

# Fields whose text is Markdown (rendered and sanitised); all other text fields are plain.
MARKDOWN_FIELDS = frozenset(
    {
        "inleiding",
        "doel",
        "beschrijving",
        "facilitator",
        "bewijs",
        "omschrijving",
        "tekst",
        "voor_wie",
        "waarvoor",
        "bereikbaar",
        "daarna",
    }
)
# Fields that hold identifiers or addresses, not published prose. ("datum" is prose: the source
# registry gives a date as the document words it, e.g. "juni 2023"; a ruling's datum is a date.)
NON_PROSE_FIELDS = frozenset(
    {
        "id",
        "url",
        "ecli",
        "eerdere_instantie",
        "bwb",
        "wet",
        "soort",
        "fase",
        "fasen",
        "kernwaarden",
        "doelgroep",
        "themabladen",
        "dilemmas",
        "uitspraken",
        "casuistiek",
        "gerelateerd",
        "gewijzigd",
        "herzien_voor",
        "versie",
        "artikel",
        "lid",
        "bron",
        "routes",
        "onderwerpen",
    }
)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w.:/-])(?:\+31|0031|0)(?:[\s.-]?\d){9}(?![\w])")
REDACTION = re.compile(
    r"\b5\.[12]\.[1-9]\.?[a-k]\b|\[\s*(?:redacted|weggelakt|gelakt|geanonimiseerd|verwijderd|zwartgelakt)\s*\]|█",
    re.IGNORECASE,
)
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--|javascript:", re.IGNORECASE)
TEMPLATE = re.compile(r"\{\{|\{%|\{#|%\}|\}\}")
TODO_MARK = re.compile(r"\bTODO\b")
# The link targets of Markdown text: inline links and images ``[t](target)``, reference definitions
# ``[r]: target`` and raw ``href=``/``src=`` (a Markdown field may hold HTML that survives sanitising).
# The target group is what a browser would follow; only a full web address is accepted (TEKST-LINK).
LINK_TARGET = re.compile(
    r"\]\(\s*<?(?P<inline>[^\s)>]*)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<reference>[^\s>]*)"
    r"|\b(?:href|src)\s*=\s*[\"']?(?P<raw>[^\"'\s>]*)",
    re.MULTILINE | re.IGNORECASE,
)
WEB_ADDRESS = re.compile(r"https?://[^/\s]", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(ik|mij|me|mijn|mezelf|mijzelf)\b", re.IGNORECASE)
ID = ecma_regex(resolved_definition("id")["pattern"])  # the same patterns as the schemas
ECLI = ecma_regex(resolved_definition("ecli")["pattern"])


class _Collector:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(
        self, doc: Document, path: Path_, code: str, message: str, hint: str = "", key: bool = False, offset: int = 0
    ) -> None:
        pos = doc.loaded.pos(path, key=key)
        self.items.append(
            Diagnostic(doc.loaded.file, pos.line + offset, pos.column if not offset else 1, code, message, hint)
        )

    def add_match(
        self, doc: Document, path: Path_, text: str, match: re.Match[str], code: str, message: str, hint: str = ""
    ) -> None:
        """A finding inside a text: at the line and column where it stands in the file.

        Folded (`>`) and plain multi-line text lose their line breaks when loaded, so the
        found words are looked up in the file's own lines of the value; when they cannot be
        found there (an escape, or words split over two lines) the count of line breaks is used.
        """
        loaded = doc.loaded
        start = loaded.pos(path)
        found = match.group(0)
        occurrence = text.count(found, 0, match.start())
        if found.strip() and loaded.source:
            lines = loaded.source.split("\n")
            last = min(loaded.ends.get(tuple(path), start.line), len(lines))
            for number in range(start.line, last + 1):
                line = lines[number - 1]
                begin = start.column - 1 if number == start.line else 0
                index = line.find(found, begin)
                while index >= 0:
                    if occurrence == 0:
                        self.items.append(Diagnostic(loaded.file, number, index + 1, code, message, hint))
                        return
                    occurrence -= 1
                    index = line.find(found, index + 1)
        # (never past the value's last line: a double-quoted value writes its line breaks as \n on one line)
        offset = _line_offset(text, match.start())
        last = loaded.ends.get(tuple(path), start.line) if loaded.source else start.line + offset
        self.add(doc, path, code, message, hint, offset=max(0, min(offset, last - start.line)))


def _strings(value: object) -> Iterator[tuple[Path_, str]]:
    """Every string in the data with its path."""
    return ((path, item) for path, item in walk(value) if isinstance(item, str))


def _string_items(data: object) -> list[tuple[Path_, str]]:
    """Every string in the data with its path, as a list (one walk, no generator per level)."""
    found: list[tuple[Path_, str]] = []

    def visit(node: object, path: Path_) -> None:
        if isinstance(node, str):
            found.append((path, node))
        elif isinstance(node, dict):
            for key, value in node.items():
                visit(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, path + (index,))

    visit(data, ())
    return found


def _field_name(path: Path_) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _line_offset(text: str, index: int) -> int:
    return text.count("\n", 0, index)


# Each pattern below can only match where one of its literal trigger characters occurs; a
# substring test (C speed) skips the regular expression for the many texts without them.
# The triggers are exact, also under IGNORECASE: no other character case-folds to them.
#   EMAIL: '@'.  PHONE: starts with '0', '0031' or '+31'.  REDACTION: '5.', '[' or '█'.
#   TEMPLATE: '{' or '}'.  HTML_TAG: '<' or 'javascript:' (so ':').  TODO_MARK: 'TODO'.
_ANY = re.compile(".", re.DOTALL)


def is_markdown(path: Path_) -> bool:
    """Whether the text at ``path`` is a Markdown field (a quotation's ``tekst`` is plain text)."""
    name = _field_name(path)
    return name in MARKDOWN_FIELDS and not (name == "tekst" and "citaten" in path)


def _check_controls(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    """TEKST-STUURTEKEN: control and bidirectional-override characters, in any field (an id or url too).
    The message names the character by its code point; the text itself is never shown."""
    found = CONTROL.search(text)
    if found is None:
        return
    count = len(CONTROL.findall(text))
    more = f" (en nog {count - 1} zulke tekens)" if count > 1 else ""
    out.add_match(
        doc,
        path,
        text,
        found,
        "TEKST-STUURTEKEN",
        f"Het veld '{_field_name(path)}' bevat het onzichtbare teken {describe(found.group(0))}{more}; "
        "stuurtekens en tekens die de leesrichting omkeren mogen niet in inhoud.",
        "Haal het teken weg. Het komt meestal mee bij kopiëren, of via een code met \\ tussen dubbele "
        "aanhalingstekens (zoals \\e of \\u202e). Harde spatie en zacht afbreekstreepje mogen wel.",
    )


def _check_markdown(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    """MARKDOWN-REEKS, -NESTING, -TEKENS: the limits that keep rendering bounded (macros/content/markdown_limits.py)."""
    problem = first_problem(text)
    if problem is not None:
        found = _ANY.match(text, problem.index)
        assert found is not None  # (a problem's index lies inside the text)
        out.add_match(
            doc,
            path,
            text,
            found,
            problem.code,
            f"Het Markdown-veld '{_field_name(path)}' {problem.message}.",
            "Zo'n tekst maakt de bouw van de site onredelijk traag of laat hem vastlopen. Haal de "
            "herhaalde opmaak weg of maak de tekst platter.",
        )


def _check_link_targets(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    """TEKST-LINK: a link in a Markdown field goes to a full web address (the field is shown on more
    than one page, so a relative link is right on at most one of them)."""
    for match in LINK_TARGET.finditer(text):
        target = next(value for value in match.groups() if value is not None)
        if target and not WEB_ADDRESS.match(target):
            out.add_match(
                doc,
                path,
                text,
                match,
                "TEKST-LINK",
                f"Het veld '{_field_name(path)}' linkt naar '{target}': dat is geen volledig webadres.",
                "Link alleen naar een adres dat met https:// begint. Dit veld staat op meer "
                "plekken (de pagina van het item, de sessiepagina, een handout of draaiboek), "
                "dus een link naar een pagina of anker van Kompas zelf klopt niet overal: noem "
                "de pagina in de tekst.",
            )


def _check_one_text(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    name = _field_name(path)
    _check_controls(doc, path, text, out)
    if name in NON_PROSE_FIELDS:
        if name == "url" and "@" in text and EMAIL.search(text):
            out.add(
                doc,
                path,
                "PRIVACY-EMAIL",
                "Dit webadres bevat een e-mailadres.",
                "Verwijs naar een intranetpagina, niet naar een persoon.",
            )
        return
    _check_privacy(doc, path, text, out)
    _check_markup(doc, path, name, text, out)


def _check_privacy(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    """E-mail addresses, phone numbers and redaction marks in a text."""
    if "@" in text:
        for match in EMAIL.finditer(text):
            out.add_match(
                doc,
                path,
                text,
                match,
                "PRIVACY-EMAIL",
                f"De tekst bevat een e-mailadres ('{match.group(0)}').",
                "Haal het e-mailadres weg; verwijs zo nodig naar een functie of intranetpagina.",
            )
    if "0" in text or "+31" in text:
        for match in PHONE.finditer(text):
            out.add_match(
                doc,
                path,
                text,
                match,
                "PRIVACY-TELEFOON",
                f"De tekst bevat een telefoonnummer ('{match.group(0).strip()}').",
                "Haal het nummer weg; verwijs naar een intranetpagina met contactgegevens.",
            )
    if "5." in text or "[" in text or "█" in text:
        for match in REDACTION.finditer(text):
            out.add_match(
                doc,
                path,
                text,
                match,
                "PRIVACY-WEGGELAKT",
                f"De tekst bevat een weglakmarkering ('{match.group(0)}').",
                "Herschrijf de zin zonder markering, bijvoorbeeld met 'een collega' of 'een burger'.",
            )


def _check_markup(doc: Document, path: Path_, name: str, text: str, out: _Collector) -> None:
    """Template code anywhere, and HTML in a field that is plain text."""
    if "{" in text or "}" in text:
        template = TEMPLATE.search(text)
        if template:
            out.add_match(
                doc,
                path,
                text,
                template,
                "TEKST-SJABLOON",
                "De tekst bevat sjabloontekens ({{, }}, {% of {#).",
                "Haal de accolades weg; schrijf gewone tekst.",
            )
    markdown = is_markdown(path)
    if markdown:
        _check_markdown(doc, path, text, out)
        if "](" in text or "]:" in text or "=" in text:
            _check_link_targets(doc, path, text, out)
    if not markdown and ("<" in text or ":" in text):
        html = HTML_TAG.search(text)
        if html:
            out.add_match(
                doc,
                path,
                text,
                html,
                "TEKST-HTML",
                f"Het veld '{name}' is gewone tekst en mag geen HTML bevatten.",
                "Haal de HTML weg. Opmaak kan alleen in Markdown-velden (zoals inleiding), en dan in Markdown.",
            )


def _check_one_todo(doc: Document, path: Path_, text: str, out: _Collector) -> None:
    if "TODO" in text:
        match = TODO_MARK.search(text)
        if match:
            out.add_match(
                doc,
                path,
                text,
                match,
                "TODO-OPEN",
                f"Het veld '{_field_name(path)}' is nog niet ingevuld: {text.strip()[:100]}",
                "Vervang de TODO-tekst door de echte inhoud.",
            )


# The registers: one file with a list of entries, each with an id that other files refer to.
#   kind of the file: (the list, the kind of reference, how the message names an entry)
_REGISTERS = {
    "wetgeving": ("wetten", "wet", "De wet '{}' staat twee keer in het register"),
    "bronnen": ("bronnen", "bron", "De bron '{}' staat twee keer in het bronnenregister"),
    "meldroutes": ("routes", "route", "De meldroute '{}' staat twee keer in het register"),
}


RESERVED_ROUTE_IDS = frozenset({"na-een-melding", "melden-en-hulp"})  # anchors the Melden en hulp page has itself


def check_ids(documents: Sequence[Document], layout: Layout, out: _Collector) -> dict[str, set[str] | None]:
    """Ids equal to file names and unique; returns the known ids per kind (None: unknown)."""
    ids: dict[str, set[str]] = {
        "themablad": set(),
        "dilemma": set(),
        "uitspraak": set(),
        "module": set(),
        "onderwerp": set(),
        "wet": set(),
        "bron": set(),
        "route": set(),
    }
    owners: dict[tuple[str, str], Document] = {}
    reported: set[tuple[str, str]] = set()
    unreadable: set[str] = set()
    for doc in documents:
        if doc.kind in _REGISTERS:
            _register_ids(doc, ids, unreadable, out)
        elif doc.kind in ids:
            _item_id(doc, ids, owners, reported, out)
    known: dict[str, set[str] | None] = dict(ids)
    for kind in unreadable:
        known[kind] = None  # unknown: references of this kind are not checked
    return known


def _register_ids(doc: Document, known: dict[str, set[str]], unreadable: set[str], out: _Collector) -> None:
    """The ids of a register's entries: each once (and a route not named like an anchor of its page)."""
    field, kind, message = _REGISTERS[doc.kind]
    seen: dict[str, int] = {}
    entries = doc.data.get(field)
    if not isinstance(entries, list):  # an unreadable register: its own problem, no cascade
        unreadable.add(kind)
        return
    for index, entry in enumerate(entries):
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen:
            out.add(
                doc,
                (field, index, "id"),
                "ID-DUBBEL",
                message.format(entry_id) + f" (ook als nummer {seen[entry_id] + 1}).",
                "Houd één vermelding over.",
            )
        elif kind == "route" and entry_id in RESERVED_ROUTE_IDS:
            out.add(
                doc,
                (field, index, "id"),
                "ID-DUBBEL",
                f"Het id '{entry_id}' is al een anker van de pagina Melden en hulp zelf.",
                "Kies een ander id voor deze route.",
            )
        seen[entry_id] = index
        known[kind].add(entry_id)


def _item_id(
    doc: Document,
    known: dict[str, set[str]],
    owners: dict[tuple[str, str], Document],
    reported: set[tuple[str, str]],
    out: _Collector,
) -> None:
    """The id of an item: the file's name, and used by one file only (reported on both)."""
    field = "ecli" if doc.kind == "uitspraak" else "id"
    value = doc.data.get(field)
    if not isinstance(value, str):
        # An unreadable file still occupies its id (its file name): references to it are
        # not reported as broken on top of the file's own problem.
        stem = doc.path.stem
        known[doc.kind].add(stem.replace("-", ":") if doc.kind == "uitspraak" else stem)
        return
    expected = ecli_id(value) if doc.kind == "uitspraak" else value
    well_formed = (ECLI if doc.kind == "uitspraak" else ID).match(value) is not None
    if not doc.schema_ok:  # e.g. 'ECLI:...:3167.': references to the file name still resolve
        stem = doc.path.stem
        known[doc.kind].add(stem.replace("-", ":") if doc.kind == "uitspraak" else stem)
    if well_formed and doc.path.stem != expected:  # a malformed value already has its own diagnostic
        out.add(
            doc,
            (field,),
            "BESTAND-NAAM",
            f"Het {field} '{value}' past niet bij de bestandsnaam '{doc.path.name}'.",
            f"Noem het bestand '{expected}.yaml', of pas het {field} aan.",
        )
    key = (doc.kind, value)
    if key in owners:  # report on both files, so the editor sees both places
        other = owners[key]
        out.add(
            doc,
            (field,),
            "ID-DUBBEL",
            f"Het {field} '{value}' wordt ook gebruikt in {other.loaded.file}.",
            "Kies een ander id en bestandsnaam.",
        )
        if key not in reported:
            out.add(
                other,
                (field,),
                "ID-DUBBEL",
                f"Het {field} '{value}' wordt ook gebruikt in {doc.loaded.file}.",
                "Kies een ander id en bestandsnaam.",
            )
            reported.add(key)
    owners.setdefault(key, doc)
    known[doc.kind].add(value)


_Reference = tuple[Path_, str, str]  # (path, kind, id) of one reference

_REFERENCE_CODES = {
    "themablad": ("VERWIJZING-THEMABLAD", "het themablad", "Bestaande themabladen staan in themabladen/."),
    "dilemma": ("VERWIJZING-DILEMMA", "het dilemma", "Bestaande dilemma's staan in content/dilemmas/."),
    "uitspraak": (
        "VERWIJZING-UITSPRAAK",
        "de uitspraak",
        "Voeg de uitspraak toe in content/uitspraken/ (kompas nieuw uitspraak ECLI), of corrigeer de ECLI.",
    ),
    "wet": ("VERWIJZING-WET", "de wet", "Bestaande wetten staan in content/wetgeving.yaml."),
    "onderwerp": ("VERWIJZING-ONDERWERP", "het onderwerp", "Bestaande onderwerpen staan in content/onderwerpen/."),
    "bron": (
        "VERWIJZING-BRON",
        "de bron",
        "Gebruik een id uit het bronnenregister content/bronnen.yaml, of voeg de bron daar toe. "
        "Eigen tekst van de redactie verwijst naar de bron redactie.",
    ),
    "route": (
        "VERWIJZING-ROUTE",
        "de meldroute",
        "Gebruik een id uit content/meldroutes.yaml, of voeg de route daar toe.",
    ),
}


def _listed(data: dict[str, Any], key: str, kind: str, base: Path_ = ()) -> Iterator[_Reference]:
    """(path, kind, value) of every id in the list ``key`` (inside ``base``)."""
    container = data
    for part in base:
        container = container[part]
    for index, value in enumerate(container.get(key) or []):
        if isinstance(value, str):
            yield base + (key, index), kind, value


def _sources(data: dict[str, Any], base: Path_ = ()) -> Iterator[_Reference]:
    """(path, "bron", id) of every source reference in ``bronnen`` (inside ``base``)."""
    container = data
    for part in base:
        container = container[part]
    for index, ref in enumerate(container.get("bronnen") or []):
        if isinstance(ref, dict) and isinstance(ref.get("bron"), str):
            yield base + ("bronnen", index, "bron"), "bron", ref["bron"]


def _parts(data: dict[str, Any], group: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, part in enumerate(data.get(group) or []):
        if isinstance(part, dict):
            yield index, part


def _sheet_references(data: dict[str, Any]) -> Iterator[_Reference]:
    yield from _listed(data, "casuistiek", "uitspraak")
    yield from _listed(data, "gerelateerd", "themablad")
    for index, ref in _parts(data, "wetgeving"):
        if isinstance(ref.get("wet"), str):
            yield ("wetgeving", index, "wet"), "wet", ref["wet"]
        if isinstance(ref.get("bron"), str):
            yield ("wetgeving", index, "bron"), "bron", ref["bron"]


def _dilemma_references(data: dict[str, Any]) -> Iterator[_Reference]:
    yield from _listed(data, "themabladen", "themablad")
    yield from _listed(data, "onderwerpen", "onderwerp")
    yield from _listed(data, "uitspraken", "uitspraak")


def _ruling_references(data: dict[str, Any]) -> Iterator[_Reference]:
    if isinstance(data.get("eerdere_instantie"), str):
        yield ("eerdere_instantie",), "uitspraak", data["eerdere_instantie"]


def _module_references(data: dict[str, Any]) -> Iterator[_Reference]:
    yield from _listed(data, "themabladen", "themablad")
    yield from _listed(data, "onderwerpen", "onderwerp")
    yield from _listed(data, "dilemmas", "dilemma")
    for group in ("onderdelen", "stappen", "plekken"):
        for index, _ in _parts(data, group):
            yield from _listed(data, "themabladen", "themablad", (group, index))
            yield from _listed(data, "dilemmas", "dilemma", (group, index))


def _topic_references(data: dict[str, Any]) -> Iterator[_Reference]:
    for index, quote in _parts(data, "citaten"):
        if isinstance(quote.get("bron"), str):
            yield ("citaten", index, "bron"), "bron", quote["bron"]
    for index, _ in _parts(data, "secties"):
        yield from _sources(data, ("secties", index))


def _route_references(data: dict[str, Any]) -> Iterator[_Reference]:
    for index, _ in _parts(data, "routes"):
        yield from _sources(data, ("routes", index))
    if isinstance(data.get("na_een_melding"), dict):
        yield from _sources(data, ("na_een_melding",))


# the references each kind of document makes besides its sources and routes
_KIND_REFERENCES = {
    "themablad": _sheet_references,
    "dilemma": _dilemma_references,
    "uitspraak": _ruling_references,
    "module": _module_references,
    "onderwerp": _topic_references,
    "meldroutes": _route_references,
}


def _references(doc: Document) -> Iterator[_Reference]:
    """(path, kind, value) for every reference a document makes."""
    data = doc.data
    if doc.kind in ("themablad", "dilemma", "uitspraak", "module", "onderwerp"):
        yield from _sources(data)
        yield from _listed(data, "routes", "route")
    if doc.kind in _KIND_REFERENCES:
        yield from _KIND_REFERENCES[doc.kind](data)


def check_references(documents: Sequence[Document], known: dict[str, set[str] | None], out: _Collector) -> None:
    for doc in documents:
        if not doc.schema_ok:
            continue
        for path, kind, value in _references(doc):
            if kind == "themablad" and doc.kind == "themablad" and value == doc.data.get("id"):
                out.add(
                    doc,
                    path,
                    "VERWIJZING-ZELF",
                    "Een themablad kan niet aan zichzelf gerelateerd zijn.",
                    "Haal het eigen id uit 'gerelateerd'.",
                )
                continue
            ids = known[kind]
            if ids is not None and value not in ids:
                code, noun, hint = _REFERENCE_CODES[kind]
                pronoun = "die" if noun.startswith("de ") else "dat"  # de bron, die; het themablad, dat
                out.add(doc, path, code, f"Verwijzing naar {noun} '{value}', maar {pronoun} bestaat niet.", hint)


def check_unused_rulings(documents: Sequence[Document], corpus: Corpus, out: _Collector) -> None:
    cited = set(corpus.themabladen_per_uitspraak) | set(corpus.dilemmas_per_uitspraak)
    for doc in documents:  # a citation in a file with schema errors still counts
        field = {"themablad": "casuistiek", "dilemma": "uitspraken"}.get(doc.kind)
        listed = doc.data.get(field) if field else None
        if isinstance(listed, list):
            # normalise the slips the schema reports ('ECLI:...:3167.'), so they do not also cause this warning
            cited.update(value.strip().rstrip(".").upper() for value in listed if isinstance(value, str))
    for doc in documents:
        if doc.kind == "uitspraak" and doc.schema_ok and doc.data["ecli"] not in cited:
            out.add(
                doc,
                ("ecli",),
                "UITSPRAAK-ONGEBRUIKT",
                f"De uitspraak {doc.data['ecli']} wordt door geen themablad of dilemma aangehaald.",
                "Zet de ECLI in 'casuistiek' van een themablad of 'uitspraken' van een dilemma, of verwijder het bestand.",
            )


def check_content_rules(documents: Sequence[Document], today: date, out: _Collector) -> None:
    for doc in documents:
        if not doc.schema_ok:
            continue
        if doc.kind == "themablad":
            _sheet_rules(doc, out)
        if doc.kind == "meldroutes":
            _route_rules(doc, out)
        if doc.kind == "dilemma" and not doc.data["situatie"].rstrip().endswith("?"):
            out.add(
                doc,
                ("situatie",),
                "TEKST-VRAAG",
                "De situatie eindigt niet met een vraag.",
                "Sluit af met de vraag aan de lezer, bijvoorbeeld 'Wat doe je?'",
            )
        _date_rules(doc, today, out)


def _sheet_rules(doc: Document, out: _Collector) -> None:
    data = doc.data
    for index, statement in enumerate(data["kader"]):
        if not FIRST_PERSON.search(statement):
            out.add(
                doc,
                ("kader", index),
                "TEKST-IK-VORM",
                "Deze uitspraak in het kader staat niet in de ik-vorm.",
                "Schrijf hem als 'Ik ...', bijvoorbeeld 'Ik meld elke geweldsaanwending.'",
            )
    for index, guideline in enumerate(data.get("richtlijnen") or []):
        if guideline.get("placeholder"):
            out.add(
                doc,
                ("richtlijnen", index, "placeholder"),
                "RICHTLIJN-PLACEHOLDER",
                f"De richtlijn '{guideline['titel']}' heeft nog geen echt intranetadres.",
                "Vervang de url door het intranetadres en haal 'placeholder: true' weg.",
                key=True,
            )


def _route_rules(doc: Document, out: _Collector) -> None:
    for index, route in enumerate(doc.data["routes"]):
        if route["link"].get("placeholder"):
            out.add(
                doc,
                ("routes", index, "link", "placeholder"),
                "MELDROUTE-PLACEHOLDER",
                f"De meldroute '{route['naam']}' heeft nog geen echt intranetadres.",
                "Vervang de url door het intranetadres en haal 'placeholder: true' weg.",
                key=True,
            )


def _date_rules(doc: Document, today: date, out: _Collector) -> None:
    data = doc.data
    if "herzien_voor" not in data or "gewijzigd" not in data:
        return
    changed = date.fromisoformat(data["gewijzigd"])
    review = date.fromisoformat(data["herzien_voor"])
    if review < changed:
        out.add(
            doc,
            ("herzien_voor",),
            "DATUM-VOLGORDE",
            f"herzien_voor ({review.isoformat()}) ligt vóór gewijzigd ({changed.isoformat()}).",
            "Zet een herziendatum na de wijzigingsdatum, meestal een jaar later.",
        )
    elif review < today:
        out.add(
            doc,
            ("herzien_voor",),
            "DATUM-HERZIEN",
            f"De herziendatum {review.isoformat()} is verstreken.",
            "Lees het item na en zet een nieuwe herziendatum (en zo nodig een nieuwe versie).",
        )


def check_modules(documents: Sequence[Document], out: _Collector) -> None:
    for doc in documents:
        if doc.kind != "module" or not doc.schema_ok:
            continue
        _module_duration(doc, out)
        people = doc.data.get("deelnemers")
        if people and people["min"] > people["max"]:
            out.add(
                doc,
                ("deelnemers", "min"),
                "MODULE-DEELNEMERS",
                f"Het kleinste aantal deelnemers ({people['min']}) is groter dan het grootste ({people['max']}).",
                "Zet het kleinste aantal bij min en het grootste bij max.",
            )
        _module_phases(doc, out)


def _module_duration(doc: Document, out: _Collector) -> None:
    """The parts of a module with a duration add up to it."""
    data = doc.data
    group = "onderdelen" if "onderdelen" in data else "stappen"
    blocks = data.get(group) or []
    if "duur" not in data or not blocks:
        return
    missing = [i for i, b in enumerate(blocks) if "duur" not in b]
    for index in missing:
        out.add(
            doc,
            (group, index),
            "MODULE-DUUR",
            f"Onderdeel '{blocks[index]['titel']}' heeft geen duur, maar de module wel.",
            "Geef elk onderdeel een duur in minuten.",
        )
    total = sum(b.get("duur", 0) for b in blocks)
    if not missing and total != data["duur"]:
        out.add(
            doc,
            ("duur",),
            "MODULE-DUUR",
            f"De {group} duren samen {total} minuten, maar de module duurt {data['duur']} minuten.",
            f"Maak 'duur' {total}, of pas de duur van de {group} aan.",
        )


def _module_phases(doc: Document, out: _Collector) -> None:
    """The phases of a learning path's places and portfolio: Q1 to Q8, each once."""
    for index, place in enumerate(doc.data.get("plekken") or []):
        seen = set()
        for j, phase in enumerate(place["fasen"]):
            if phase not in FASEN:
                out.add(
                    doc,
                    ("plekken", index, "fasen", j),
                    "MODULE-FASE",
                    f"Fase '{phase}' bestaat niet.",
                    "De opleiding kent de fasen Q1 tot en met Q8.",
                )
            elif phase in seen:
                out.add(
                    doc,
                    ("plekken", index, "fasen", j),
                    "MODULE-FASE",
                    f"Fase '{phase}' staat twee keer bij deze plek.",
                    "Noem elke fase één keer.",
                )
            seen.add(phase)
    seen_moments = set()
    for index, moment in enumerate(doc.data.get("portfolio") or []):
        phase = moment["fase"]
        if phase not in FASEN:
            out.add(
                doc,
                ("portfolio", index, "fase"),
                "MODULE-FASE",
                f"Fase '{phase}' bestaat niet.",
                "De opleiding kent de fasen Q1 tot en met Q8.",
            )
        elif phase in seen_moments:
            out.add(
                doc,
                ("portfolio", index, "fase"),
                "MODULE-FASE",
                f"Er staat al een portfoliomoment in {phase}.",
                "Voeg de beschrijvingen samen.",
            )
        seen_moments.add(phase)


def check_schema_line(documents: Sequence[Document], out: _Collector) -> None:
    for doc in documents:
        if doc.loaded.data is None:
            continue
        if not doc.loaded.first_line.startswith(SCHEMA_LINE_PREFIX):
            out.items.append(
                Diagnostic(
                    doc.loaded.file,
                    1,
                    1,
                    "SCHEMA-KOPREGEL",
                    "De eerste regel koppelt het bestand niet aan zijn schema.",
                    f"Zet bovenaan: {SCHEMA_LINE_PREFIX}{schema_reference(doc.loaded.file, doc.kind)}",
                )
            )


def check_file(doc: Document) -> list[Diagnostic]:
    """The checks that read one file only: texts (privacy, HTML, templates), TODOs and the
    schema line. Their result depends on the file's path, kind and bytes alone, so the
    validator's cache (macros/content/cache.py) may keep it."""
    out = _Collector()
    for path, text in _string_items(doc.loaded.data):  # one walk for both text checks
        _check_one_text(doc, path, text, out)
        _check_one_todo(doc, path, text, out)
    check_schema_line((doc,), out)
    return out.items


def check_corpus(
    documents: Sequence[Document],
    corpus: Corpus,
    layout: Layout,
    today: date,
    *,
    cards: Callable[[Sequence[Document], Corpus], list[Diagnostic]] | None = None,
) -> list[Diagnostic]:
    """The checks across files, and the content rules (some depend on ``today``): run every time.

    ``cards`` replaces the card-fit check (``cards_fit.check_cards(documents, corpus)``),
    e.g. by one that remembers its result per dilemma (macros/content/cache.py).
    """
    out = _Collector()
    known = check_ids(documents, layout, out)
    check_references(documents, known, out)
    check_unused_rulings(documents, corpus, out)
    check_content_rules(documents, today, out)
    check_modules(documents, out)
    if cards is None:
        from .cards_fit import check_cards  # KAART-TE-LANG: a fast estimate from font metrics, no WeasyPrint

        cards = check_cards
    out.items.extend(cards(documents, corpus))
    return out.items
