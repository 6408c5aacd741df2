"""Where a problem is, in the words of an editor: the item (its kind and title) and the field.

A diagnostic names a file, a line and a column (macros/content/diagnostics.py). An editor who
changed a dilemma in the browser editor (issue 27) never saw that file: the report of
``kompas valideer --formaat redacteur`` (what ``make inhoud`` prints) therefore also says which
item it is (``dilemma 'Met vrienden ...'``) and which field (``themabladen[1]``, with the label the
editor's form shows, from the schema's ``title``). Both are worked out here from what validation
already has: the loaded document with the position of every value and key. Nothing is guessed
from the message. The field notation is the one the schema messages use (``stappen[2].titel``,
counting from 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store.text import visible
from .diagnostics import Diagnostic
from .document import Document
from .load import Loaded, Path_
from .schema import COMMON, _schemas
from .vocabulary import SCHEMA_DIR

# A register holds a list of items: a problem inside one names that item, not the register.
REGISTER_LISTS = {"bronnen": "bronnen", "meldroutes": "routes", "wetgeving": "wetten"}
# How the report names an item of each kind (a register's own fields, such as the introduction
# of the meldroutes, belong to the register itself).
KIND_WORDS = {
    "themablad": "themablad",
    "dilemma": "dilemma",
    "uitspraak": "uitspraak",
    "module": "leermodule",
    "onderwerp": "onderwerp",
    "reeks": "de reeks themabladen",
    "bronnen": "bron",
    "meldroutes": "meldroute",
    "wetgeving": "wet",
}
REGISTER_WORDS = {
    "bronnen": "het bronnenregister",
    "meldroutes": "het register van meldroutes",
    "wetgeving": "het wetgevingsregister",
}
# The codes whose position is that of a key (the field's name is the problem); every other code points
# at a value, or at the mapping that misses a field (which starts where its first key does).
KEY_CODES = frozenset({"SCHEMA-ONBEKEND-VELD", "YAML-DUBBELE-SLEUTEL", "YAML-SLEUTEL"})
_TITLE_LINE = re.compile(r"^(?:titel|naam):[ \t]*['\"]?(.+?)['\"]?[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Location:
    """The item and field of one diagnostic, as an editor would name them."""

    item: str  # "dilemma 'Met vrienden die drugs gebruiken naar een festival' (drugs-op-festival)"
    field: str  # "themabladen[1]"; "" for the file or item as a whole
    label: str  # the labels of the editor's form on the way: "Themabladen"; "" when unknown


def locate(diagnostic: Diagnostic, documents: Iterable[Document], schema_dir: Path = SCHEMA_DIR) -> Location | None:
    """The item and field of ``diagnostic`` (None: not in a content file, e.g. mkdocs.yml)."""
    document = _by_file(documents).get(diagnostic.file)
    if document is None:
        return None
    loaded: Loaded = document.loaded
    path = (
        field_path(loaded, diagnostic.line, diagnostic.column, key=diagnostic.code in KEY_CODES)
        if diagnostic.line > 0
        else ()
    )
    return Location(
        item=_item(document.kind, loaded, path),
        field=field_text(path),
        label=field_label(document.kind, path, schema_dir),
    )


def _by_file(documents: Iterable[Document]) -> dict[str, Document]:
    return {document.loaded.file: document for document in documents}


def locate_all(
    diagnostics: Iterable[Diagnostic], documents: Iterable[Document], schema_dir: Path = SCHEMA_DIR
) -> list[tuple[Diagnostic, Location | None]]:
    files = _by_file(documents)
    return [(d, locate(d, [files[d.file]], schema_dir) if d.file in files else None) for d in diagnostics]


# -- the field -------------------------------------------------------------------------------------


def field_path(loaded: Loaded, line: int, column: int, *, key: bool = False) -> Path_:
    """The path in the data of the value or key at ``line``:``column``.

    A position where a value starts names that value: the outermost one, because a mapping starts
    where its first key does and the validator points at the mapping when a field is missing (the
    item itself: ()). With ``key`` (a code about a field's name) a position where a key starts
    names that field first. A position inside a value (a word in a long text) names the innermost
    value that contains it. () when nothing matches (the file, or the item as a whole).
    """
    if not isinstance(loaded.data, (dict, list)):
        return ()
    positions, keys = loaded.positions, loaded.key_positions
    exact = [path for path, pos in positions.items() if (pos.line, pos.column) == (line, column)]
    at_key = [path for path, pos in keys.items() if (pos.line, pos.column) == (line, column)]
    for found in (at_key, exact) if key else (exact, at_key):
        if found:
            return min(found, key=len)
    ends = loaded.ends
    inside = [
        path
        for path, pos in positions.items()
        if path and (pos.line, pos.column) <= (line, column) and ends.get(path, pos.line) >= line
    ]
    if inside:
        return max(inside, key=lambda path: (len(path), positions[path]))
    on_line = [path for path, pos in keys.items() if pos.line == line and pos.column <= column]
    return max(on_line, key=lambda path: (len(path), keys[path])) if on_line else ()


def field_text(path: Path_) -> str:
    """``stappen[2].titel``: keys joined by dots, list positions counted from 1 (as the schema
    messages write them)."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def field_label(kind: str, path: Path_, schema_dir: Path = SCHEMA_DIR) -> str:
    """The labels of the editor's form along ``path`` (the schemas' titles, which the browser
    editor shows), joined by ' › '; list positions are left out (the field path has them)."""
    schemas = _schemas(Path(schema_dir))
    schema = schemas.get(f"{kind}.schema.json")
    definitions = schemas.get(COMMON, {}).get("$defs", {})
    labels: list[str] = []
    for part in path:
        if schema is None:
            break
        schema = _resolve(schema, definitions)
        if isinstance(part, int):
            schema = schema.get("items")
            continue
        schema = (schema.get("properties") or {}).get(part)
        if schema is None:
            break
        title = _resolve(schema, definitions).get("title") or schema.get("title")
        labels.append(title or part)
    return " › ".join(labels)


def _resolve(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema with its $ref chain merged in (its own keywords win)."""
    merged: dict[str, Any] = {}
    seen = 0
    layers = []
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        layers.append(schema)
        schema = definitions.get(schema["$ref"].rsplit("/", 1)[-1], {})
        seen += 1
    layers.append(schema if isinstance(schema, dict) else {})
    for layer in reversed(layers):
        merged.update({k: v for k, v in layer.items() if k != "$ref"})
    return merged


# -- the item --------------------------------------------------------------------------------------


def _item(kind: str, loaded: Loaded, path: Path_) -> str:
    data = loaded.data
    listing = REGISTER_LISTS.get(kind)
    if listing is not None:
        entries = data.get(listing) if isinstance(data, dict) else None
        if (
            len(path) >= 2
            and path[0] == listing
            and isinstance(entries, list)
            and isinstance(path[1], int)
            and path[1] < len(entries)
            and isinstance(entries[path[1]], dict)
        ):
            return f"{KIND_WORDS[kind]} {_named(entries[path[1]])} in {REGISTER_WORDS[kind]}"
        return REGISTER_WORDS[kind]
    word = KIND_WORDS.get(kind, kind)
    if isinstance(data, dict) and data:
        return f"{word} {_named(data)}"
    found = _TITLE_LINE.search(loaded.source or "")  # a file that could not be read as YAML
    if found:
        return f"{word} '{found.group(1)}'"
    return f"{word} in {Path(loaded.file).name}"


def _named(data: dict[str, Any]) -> str:
    """``'Titel' (id)``: the title (or name) as the item gives it, and its id (or ECLI)."""
    title = next(
        (
            " ".join(str(data[key]).split())
            for key in ("titel", "naam")
            if isinstance(data.get(key), (str, int)) and str(data[key]).strip()
        ),
        "",
    )
    ident = next(
        (str(data[key]) for key in ("id", "ecli") if isinstance(data.get(key), (str, int)) and str(data[key])), ""
    )
    if not title:
        return f"{ident} (zonder titel)" if ident else "zonder titel"
    return f"'{title}' ({ident})" if ident and ident != title else f"'{title}'"


# -- the report ------------------------------------------------------------------------------------


def format_for_editors(
    diagnostics: Sequence[Diagnostic],
    documents: Iterable[Document],
    scope: str,
    schema_dir: Path = SCHEMA_DIR,
    *,
    github: bool = False,
) -> str:
    """The report for editors (``kompas valideer --formaat redacteur``, ``make inhoud``): per
    problem the item and the field first, then what is wrong, what to do, and file:line:column.
    The errors come before the warnings, each in the order of the files. ``github``: also the
    annotations GitHub shows at the lines of a pull request (as the text report has them)."""
    blocks = []
    ordered = sorted(diagnostics, key=lambda d: (not d.is_error, d.sort_key()))
    for diagnostic, where in locate_all(ordered, documents, schema_dir):
        message, hint = (" ".join(part.split()) for part in (diagnostic.message, diagnostic.hint))
        heading = "FOUT" if diagnostic.is_error else "waarschuwing"
        lines = [f"{heading} in {where.item}:" if where else f"{heading} in {diagnostic.file}:"]
        if where and where.field:
            label = f" (in de editor: {where.label})" if where.label else ""
            lines.append(f"    veld: {where.field}{label}")
        lines.append(f"    wat er mis is: {message} [{diagnostic.code}]")
        if hint:
            lines.append(f"    wat je doet: {hint}")
        lines.append(f"    bestand: {diagnostic.file}:{diagnostic.line}:{diagnostic.column}")
        blocks.append(visible("\n".join(lines)))  # a title or file name never acts on the terminal
    if github:
        blocks.append("\n".join(d.format_github() for d in ordered))
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    blocks.append(
        f"{errors} {'fout' if errors == 1 else 'fouten'}, {warnings} "
        f"{'waarschuwing' if warnings == 1 else 'waarschuwingen'} in {scope}."
    )
    return "\n\n".join(blocks)
