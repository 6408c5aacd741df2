"""JSON Schema validation of loaded documents, with Dutch diagnostics at the right line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..store.paths import NameRule
from .diagnostics import Diagnostic
from .load import Loaded

# jsonschema (and referencing) are imported when a validator is first needed: a run that
# takes every file's result from the validator's cache (macros/content/cache.py) never needs them.
if TYPE_CHECKING:  # pragma: no cover
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

jsonschema_rs: Any
try:  # optional fast path: a compiled validator that only answers "valid or not"
    import jsonschema_rs
except ImportError:  # pragma: no cover - depends on the installation
    jsonschema_rs = None

from .vocabulary import SCHEMA_DIR  # noqa: E402 - one place knows where the schemas are

KINDS = ("themablad", "dilemma", "uitspraak", "wetgeving", "reeks", "module", "onderwerp", "bronnen", "meldroutes")
COMMON = "gemeenschappelijk.schema.json"
log = logging.getLogger("kompas.schema")

_TYPE_NAMES = {
    "string": "tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst (regels die met '- ' beginnen)",
    "object": "een blok met velden",
    "null": "leeg",
}


def schema_path(kind: str, schema_dir: Path = SCHEMA_DIR) -> Path:
    return schema_dir / f"{kind}.schema.json"


@cache
def _schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schema_dir.glob("*.schema.json"))}


@cache
def validator(kind: str, schema_dir: Path = SCHEMA_DIR) -> Draft202012Validator:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = _schemas(schema_dir)
    registry = Registry().with_resources(
        (name, Resource.from_contents(contents, default_specification=DRAFT202012))
        for name, contents in schemas.items()
    )
    schema = schemas[f"{kind}.schema.json"]
    validator_class, format_checker = _jsonschema_parts()
    return validator_class(schema, registry=registry, format_checker=format_checker)


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled with JSON Schema's (ECMA-262) meaning of a final '$'.

    In Python '$' also matches before a final line break, so 'geweld\\n' (a block scalar,
    `id: |`) would pass '^[a-z0-9-]+$'; in JSON Schema, in VS Code and in jsonschema-rs it
    does not. Only an unescaped '$' at the very end of the pattern is changed.
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: object) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _jsonschema_parts() -> tuple[Any, Any]:
    """Our validator class (ECMA-262 patterns) and format checker (our own "uri")."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    formats = FormatChecker()
    formats.checks("uri")(_is_uri)
    formats.checks("date")(_is_date)
    return validators.extend(Draft202012Validator, {"pattern": _pattern}), formats


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(value: object) -> bool:
    """A calendar date as JJJJ-MM-DD (RFC 3339 full-date). Our own check for both validators:
    jsonschema-rs 0.60 accepted '2026-11-0*', which the model then could not read."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_uri(value: object) -> bool:
    """An absolute web address: scheme and host, no spaces or control characters.

    jsonschema only asserts "uri" when an optional package is installed; the
    validator must not depend on that, so the check lives here.
    """
    if not isinstance(value, str):
        return True
    if any(ch.isspace() or ord(ch) < 32 or ch in '<>"{}|\\^`' for ch in value):
        return False
    try:
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc and parts.hostname)
    except ValueError:  # e.g. 'https://[intranet' (an unclosed IPv6 bracket)
        return False


@cache
def resolved_definition(name: str, schema_dir: Path = SCHEMA_DIR) -> dict[str, Any]:
    definition: dict[str, Any] = _schemas(schema_dir)[COMMON]["$defs"][name]
    return definition


def name_rule(definition: str, kind: str | None = None) -> NameRule:
    """The rule for a value that becomes (part of) a file name, as the schemas define it: the
    common definition ``definition`` (``id``), or the property ``definition`` of ``kind``
    (``ecli`` of ``uitspraak``). Handed to the path rules of :mod:`macros.store.paths`."""
    if kind is None:
        schema = resolved_definition(definition)
    else:
        schema = validator(kind).schema["properties"][definition]
        if "$ref" in schema:
            schema = resolved_definition(schema["$ref"].rsplit("/", 1)[-1])
    return NameRule(ecma_regex(schema["pattern"]), schema.get("maxLength"))


def _at(loaded: Loaded, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    pos = loaded.pos(path, key=key)
    return pos.line, pos.column


def _field(path: Iterable[str | int]) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "het bestand"


def _shown(value: object) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        # an invisible line break or tab is often the problem itself: make it visible
        text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
        return f"'{text}'"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "leeg"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een blok met velden"
    text = str(value)  # (a loaded integer has at most 18 digits: macros.content.load.MAX_INT_DIGITS)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_as(value: object) -> str:
    """What YAML made of a value, in words: 'het getal 123', 'de ja/nee-waarde true', 'niets (leeg)'."""
    if value is True or value is False:
        return f"de ja/nee-waarde {_shown(value)}"
    if value is None:
        return "niets (een leeg veld)"
    if isinstance(value, int):
        return f"het getal {_shown(value)}"
    if isinstance(value, str):
        return f"de tekst {_shown(value)}"
    return _shown(value)


def _describe(schema: dict[str, Any]) -> str:
    return str(schema.get("description", ""))


@dataclass
class _Problem:
    """One error of jsonschema, with what every translation needs: where it is and what the schema says."""

    error: ValidationError
    loaded: Loaded
    path: tuple[str | int, ...]
    field: str
    schema: dict[str, Any]
    description: str
    schema_dir: Path

    def diag(
        self, code: str, message: str, hint: str = "", where: tuple[str | int, ...] | None = None, key: bool = False
    ) -> Diagnostic:
        line, column = _at(self.loaded, where if where is not None else self.path, key=key)
        return Diagnostic(self.loaded.file, line, column, code, message, hint)

    @property
    def where_text(self) -> str:
        return "" if not self.path else f" in {self.field}"


def _translate(error: ValidationError, loaded: Loaded, schema_dir: Path = SCHEMA_DIR) -> list[Diagnostic]:
    """The Dutch diagnostics of one jsonschema error (jsonschema's own messages are English)."""
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    problem = _Problem(error, loaded, path, _field(path), schema, _describe(schema), schema_dir)
    name = error.validator
    if name == "additionalProperties":
        return _unknown_fields(problem)
    if error.schema is False:
        return _not_for_this_kind(problem)
    if name == "anyOf" and _one_of_fields(error.validator_value):
        return _one_of_required(problem)
    translate = _TRANSLATIONS.get(str(name), _other_rule)
    return translate(problem)


def _unknown_fields(p: _Problem) -> list[Diagnostic]:
    allowed = sorted(p.schema.get("properties", {}))
    extras = [k for k in p.error.instance if k not in p.schema.get("properties", {})]
    return [
        p.diag(
            "SCHEMA-ONBEKEND-VELD",
            f"Onbekend veld '{extra}'" + ("" if not p.path else f" in {p.field}") + ".",
            _suggest(extra, allowed),
            where=p.path + (extra,),
            key=True,
        )
        for extra in extras
    ]


def _not_for_this_kind(p: _Problem) -> list[Diagnostic]:
    path = p.path
    # jsonschema leaves the property name out of the path of a `false` subschema: find it back
    if p.error.schema_path and p.error.schema_path[-1] == "properties":
        container = p.loaded.data
        for part in path:
            container = container[part]  # type: ignore[index]
        if isinstance(container, dict):
            path = path + tuple(k for k, v in container.items() if v is p.error.instance)[:1]
    return [
        p.diag(
            "SCHEMA-ONBEKEND-VELD",
            f"Het veld '{path[-1] if path else p.field}' hoort niet bij dit soort module.",
            "Masterclass en sessieplan hebben 'onderdelen', moreel beraad, handreiking en gespreksvorm "
            "'stappen', een leerlijn 'plekken' en 'portfolio'.",
            where=path,
            key=True,
        )
    ]


def _one_of_required(p: _Problem) -> list[Diagnostic]:
    # e.g. a dilemma names a themablad or an onderwerp: one sentence, not the two branches
    fields = [name for branch in p.error.validator_value for name in branch["required"]]
    named = ", ".join(f"'{name}'" for name in fields[:-1]) + f" of '{fields[-1]}'"
    hints = [_field_hint(p.schema, name) for name in fields]
    return [
        p.diag(
            "SCHEMA-VERPLICHT",
            f"Vul minstens een van de velden {named} in{p.where_text}; nu ontbreken ze "
            f"{'allebei' if len(fields) == 2 else 'allemaal'}.",
            next((h for h in hints if h), ""),
        )
    ]


def _required(p: _Problem) -> list[Diagnostic]:
    # jsonschema words one error per missing field in English; the fields come from the data
    # itself (every missing one; the same diagnostic from the sibling errors is dropped)
    present = p.error.instance if isinstance(p.error.instance, dict) else {}
    return [
        p.diag(
            "SCHEMA-VERPLICHT",
            f"Het verplichte veld '{missing}' ontbreekt{p.where_text}.",
            _field_hint(p.schema, missing),
        )
        for missing in p.error.validator_value
        if missing not in present
    ]


def _type(p: _Problem) -> list[Diagnostic]:
    error = p.error
    expected: list[str] = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    names = " of ".join(_TYPE_NAMES.get(t, t) for t in expected)
    hint = p.description
    if "string" in expected and error.instance is not None and not isinstance(error.instance, (list, dict)):
        hint = (hint + " " if hint else "") + "Zet de waarde tussen aanhalingstekens als die tekst moet blijven."
    if "integer" in expected and isinstance(error.instance, str) and ":" in error.instance:
        hint = "Schrijf de duur in minuten als getal, bijvoorbeeld 90 in plaats van 1:30."
    if p.schema.get("format") == "date":
        return [
            p.diag(
                "SCHEMA-DATUM",
                f"{p.field} moet een datum zijn, maar YAML leest hier {_read_as(error.instance)}.",
                "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01.",
            )
        ]
    subject = "Het bestand" if not p.path else p.field
    return [
        p.diag("SCHEMA-TYPE", f"{subject} moet {names} zijn, maar YAML leest hier {_read_as(error.instance)}.", hint)
    ]


def _choice(p: _Problem) -> list[Diagnostic]:
    error = p.error
    options = error.validator_value if error.validator == "enum" else [error.validator_value]
    if not isinstance(error.instance, str):  # what YAML made of it, in words
        return [
            p.diag(
                "SCHEMA-KEUZE",
                f"{p.field} moet een van de keuzes zijn, maar YAML leest hier {_read_as(error.instance)}.",
                "Kies uit: " + ", ".join(str(o) for o in options) + ".",
            )
        ]
    return [
        p.diag(
            "SCHEMA-KEUZE",
            f"{_shown(error.instance)} is geen toegestane waarde voor {p.field}.",
            "Kies uit: " + ", ".join(str(o) for o in options) + ".",
        )
    ]


def _format(p: _Problem) -> list[Diagnostic]:
    if p.error.validator_value == "date":
        return [
            p.diag(
                "SCHEMA-DATUM",
                f"{_shown(p.error.instance)} in {p.field} is geen bestaande datum.",
                "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01, en controleer dag en maand.",
            )
        ]
    return [
        p.diag(
            "SCHEMA-URL",
            f"{_shown(p.error.instance)} in {p.field} is geen geldig webadres.",
            "Schrijf het volledige adres, beginnend met https://.",
        )
    ]


def _pattern_rule(p: _Problem) -> list[Diagnostic]:
    return [_pattern_problem(p.error, p.field, p.description, p.diag, _pattern_rules(p.schema_dir))]


def _length(p: _Problem) -> list[Diagnostic]:
    name, limit = str(p.error.validator), p.error.validator_value
    kind = "lijst" if name.endswith("Items") else "tekst"
    unit = ("item" if limit == 1 else "items") if kind == "lijst" else ("teken" if limit == 1 else "tekens")
    if name.startswith("min"):
        message = f"{p.field} is te kort: minstens {limit} {unit}."
    else:
        message = f"{p.field} is te lang: hoogstens {limit} {unit}."
    return [p.diag("SCHEMA-LENGTE", message, p.description)]


def _unique(p: _Problem) -> list[Diagnostic]:
    return [p.diag("SCHEMA-DUBBEL", f"{p.field} bevat een waarde twee keer.", "Verwijder de herhaling.")]


def _range(p: _Problem) -> list[Diagnostic]:
    return [
        p.diag(
            "SCHEMA-BEREIK", f"{p.field} is {p.error.instance}; dat ligt buiten het toegestane bereik.", p.description
        )
    ]


def _other_rule(p: _Problem) -> list[Diagnostic]:
    # jsonschema's own message is English: name the rule, show the value, keep it Dutch
    return [
        p.diag(
            "SCHEMA-ONGELDIG",
            f"{_shown(p.error.instance)} in {p.field} voldoet niet aan een regel uit het "
            f"schema ({p.error.validator}: {p.error.validator_value}).",
            p.description,
        )
    ]


# the translation of each rule of JSON Schema (the rest: _other_rule)
_TRANSLATIONS: dict[str, Callable[[_Problem], list[Diagnostic]]] = {
    "required": _required,
    "type": _type,
    "enum": _choice,
    "const": _choice,
    "format": _format,
    "pattern": _pattern_rule,
    "minItems": _length,
    "maxItems": _length,
    "minLength": _length,
    "maxLength": _length,
    "uniqueItems": _unique,
    "minimum": _range,
    "maximum": _range,
    "exclusiveMinimum": _range,
    "exclusiveMaximum": _range,
}


@cache
def _pattern_rules(schema_dir: Path = SCHEMA_DIR) -> dict[str, str]:
    """Which rule each pattern of the schemas is, read from the schemas: the message follows the rule."""
    schemas = _schemas(schema_dir)
    defs = schemas[COMMON]["$defs"]
    sheet = schemas["themablad.schema.json"]["properties"]
    return {
        defs["ecli"]["pattern"]: "ecli",
        defs["id"]["pattern"]: "id",
        defs["hulpvragen"]["items"]["pattern"]: "hulpvraag",
        defs["fase"]["pattern"]: "fase",
        schemas["wetgeving.schema.json"]["properties"]["wetten"]["items"]["properties"]["bwb"]["pattern"]: "bwb",
        sheet["richtlijnen"]["items"]["properties"]["url"]["pattern"]: "url",
    }


def _pattern_problem(
    error: ValidationError, field: str, description: str, diag: Callable[..., Diagnostic], rules: dict[str, str]
) -> Diagnostic:
    value = error.instance
    pattern = error.validator_value
    rule = rules.get(pattern)
    if rule == "ecli":
        hint = "Vorm: ECLI:NL:INSTANTIE:JAAR:NUMMER in hoofdletters, bijvoorbeeld ECLI:NL:CRVB:2014:3729."
        if isinstance(value, str):
            stripped = value.strip().rstrip(".").upper()
            if value != stripped and ecma_regex(pattern).search(stripped):
                hint = f"Bedoel je {stripped}? Haal punt, spatie of kleine letters weg."
        return diag("SCHEMA-ECLI", f"{_shown(value)} in {field} is geen geldige Nederlandse ECLI.", hint)
    if rule == "id":
        return diag(
            "SCHEMA-PATROON",
            f"{_shown(value)} in {field} is geen geldig id.",
            "Een id bestaat uit kleine letters, cijfers en streepjes, bijvoorbeeld gedrag-in-vrije-tijd.",
        )
    if rule == "hulpvraag":
        return diag(
            "SCHEMA-PATROON",
            f"De hulpvraag {_shown(value)} eindigt niet op een vraagteken.",
            "Formuleer de hulpvraag als vraag, eindigend op '?'.",
        )
    if rule == "fase":
        return diag("SCHEMA-PATROON", f"{_shown(value)} in {field} is geen fase.", "Schrijf Q1 tot en met Q8.")
    if rule == "bwb":
        return diag(
            "SCHEMA-PATROON",
            f"{_shown(value)} in {field} is geen BWB-id.",
            "Vorm: BWBR en zeven cijfers. Weet je het niet zeker, laat het veld dan weg.",
        )
    if rule == "url":
        # same text as the format check, so the two rules give one diagnostic
        return diag(
            "SCHEMA-URL",
            f"{_shown(value)} in {field} is geen geldig webadres.",
            "Schrijf het volledige adres, beginnend met https://.",
        )
    return diag("SCHEMA-PATROON", f"{_shown(value)} in {field} heeft niet de juiste vorm.", description)


def _field_hint(schema: dict[str, Any], missing: str) -> str:
    prop = schema.get("properties", {}).get(missing, {})
    return str(prop.get("description", "")) if isinstance(prop, dict) else ""


def _suggest(extra: str, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
    if close:
        return f"Bedoel je '{close[0]}'? Toegestane velden: {', '.join(allowed)}."
    return f"Toegestane velden: {', '.join(allowed)}."


def _one_of_fields(branches: object) -> bool:
    """True for an ``anyOf`` whose branches each only require fields: 'at least one of these fields'."""
    return (
        isinstance(branches, list)
        and bool(branches)
        and all(isinstance(b, dict) and set(b) == {"required"} and b["required"] for b in branches)
    )


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Errors from if/then and allOf are reported by their causes, not the wrapper; an anyOf
    of required fields is reported as one problem ('fill in at least one of ...')."""
    if error.validator == "anyOf" and _one_of_fields(error.validator_value):
        yield error
    elif error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


@cache
def _fast_validator(kind: str, schema_dir: Path = SCHEMA_DIR) -> Any:
    """jsonschema-rs compiled for one kind, with the same schemas and the same "uri" check; None if unavailable.

    It is only asked whether a document is valid: a valid document (nearly all of them)
    is done in microseconds, and jsonschema stays the authority that finds and words the
    problems of every other document.
    """
    if jsonschema_rs is None:
        _slow_path_once("jsonschema-rs is niet geïnstalleerd")
        return None
    base = "file:///kompas-schemas/"
    try:
        schemas = _schemas(schema_dir)
        registry = jsonschema_rs.Registry([(base + name, contents) for name, contents in schemas.items()])
        return jsonschema_rs.Draft202012Validator(
            schemas[f"{kind}.schema.json"],
            registry=registry,
            base_uri=f"{base}{kind}.schema.json",
            validate_formats=True,
            formats={"uri": _is_uri, "date": _is_date},
        )
    except Exception as error:  # noqa: BLE001 - any problem compiling means: use jsonschema alone
        _slow_path_once(f"jsonschema-rs kan het schema '{kind}' niet lezen ({type(error).__name__}: {error})")
        return None


@cache
def _slow_path_once(reason: str) -> None:
    """Say once per reason that validation runs without the fast path: slower, with the same result."""
    log.warning("Valideren zonder de snelle controle (%s): het resultaat is gelijk, het duurt langer.", reason)


def fast_valid(kind: str, data: object, schema_dir: Path = SCHEMA_DIR) -> bool:
    """True only when the compiled validator is available and says ``data`` is valid."""
    fast = _fast_validator(kind, schema_dir)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(data))
    except Exception:  # noqa: BLE001 - e.g. an integer too large for it: let jsonschema decide
        return False


def validate_document(kind: str, loaded: Loaded, schema_dir: Path = SCHEMA_DIR) -> list[Diagnostic]:
    """All schema problems of one loaded document, as diagnostics."""
    if fast_valid(kind, loaded.data, schema_dir):
        return []
    result: list[Diagnostic] = []
    for error in validator(kind, schema_dir).iter_errors(loaded.data):
        for leaf in _leaf_errors(error):
            result.extend(d for d in _translate(leaf, loaded, schema_dir) if d not in result)
    return result
