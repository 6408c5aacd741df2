"""The JSON schemas themselves, and the coverage of the diagnostic catalogue by the fixtures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from macros.diagnostics import CATALOGUE
from macros.schema import KINDS, SCHEMA_DIR, validator

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Codes that validate_corpus cannot produce, with the test that covers them instead.
NOT_FROM_THE_VALIDATOR = {
    "KAART-TE-LANG": "the printed-card layout check (macros/cards_fit.py), tested with the cards",
    "SPELLING": "`kompas spelling` (macros/spelling.py), deliberately outside validate_corpus",
}

DUTCH = re.compile(r"\b(een|de|het|van|voor|met|zoals|bijvoorbeeld|naar|die|dat|uit|wie|wat|waar|als|op|tot|"
                   r"of|en|in|zonder|elke|alleen|geen|deze|dit)\b", re.IGNORECASE)
ENGLISH = re.compile(r"\b(the|and|with|must|should|which|this|that|from|list|value|string|number)\b", re.IGNORECASE)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def walk(node, where="#", conditional=False):
    """Every sub-schema (dict) with its JSON pointer, and whether it sits in an if/then condition.

    A condition (`if`) or its consequence (`then`) adds rules to an object; it is not an
    object of its own, so it needs no `additionalProperties` or descriptions.
    """
    if isinstance(node, dict):
        yield where, node, conditional
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from walk(sub, f"{where}/{key}/{name}", conditional)
            elif key in ("if", "then", "else"):
                yield from walk(value, f"{where}/{key}", True)
            elif key in ("items", "not", "additionalProperties"):
                yield from walk(value, f"{where}/{key}", conditional)
            elif key in ("allOf", "anyOf", "oneOf"):
                for index, sub in enumerate(value):
                    yield from walk(sub, f"{where}/{key}/{index}", conditional)


def test_there_is_a_schema_per_kind():
    names = {p.name for p in SCHEMAS}
    assert {f"{kind}.schema.json" for kind in KINDS} <= names
    assert "gemeenschappelijk.schema.json" in names


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    schema = load(path)
    assert schema["$schema"] == DRAFT
    Draft202012Validator.check_schema(schema)
    assert schema.get("title") and DUTCH.search(schema.get("description", "")), "a Dutch title and description"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_object_forbids_unknown_fields(path):
    objects = 0
    for where, node, conditional in walk(load(path)):
        if not conditional and (node.get("type") == "object" or "properties" in node):
            assert node.get("additionalProperties") is False, f"{path.name} {where}: additionalProperties: false"
            objects += 1
    assert objects or path.name == "gemeenschappelijk.schema.json"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_a_dutch_description(path):
    checked = 0
    for where, node, conditional in walk(load(path)):
        if conditional:
            continue
        for name, prop in node.get("properties", {}).items():
            description = prop.get("description", "") if isinstance(prop, dict) else ""
            assert description.strip(), f"{path.name} {where}/properties/{name}: description missing"
            assert len(description.split()) >= 2, f"{path.name} {name}: say what the field is: {description!r}"
            assert not ENGLISH.search(description), f"{path.name} {name}: English? {description!r}"
            checked += 1
        for name, definition in node.get("$defs", {}).items():
            assert DUTCH.search(definition.get("description", "")), f"{path.name} $defs/{name}: Dutch description"
    assert checked or path.name == "gemeenschappelijk.schema.json"


@pytest.mark.parametrize("kind", KINDS)
def test_references_between_schemas_resolve(kind):
    """Building the validator and validating a real document follows every $ref."""
    examples = {"themablad": "themabladen/geweld.yaml", "dilemma": "content/dilemmas/joint.yaml",
                "uitspraak": "content/uitspraken/ECLI-NL-CRVB-2014-3729.yaml", "wetgeving": "content/wetgeving.yaml",
                "reeks": "content/reeks.yaml", "module": "modules/beraad.yaml"}
    from macros.load import load_file

    path = FIXTURES / "geldig" / "basis" / examples[kind]
    loaded = load_file(path, examples[kind])
    assert loaded.ok
    assert list(validator(kind).iter_errors(loaded.data)) == []
    assert list(validator(kind).iter_errors({"onbekend": 1}))  # and it does reject something


def fixture_codes() -> dict[str, list[str]]:
    """Code -> the fixture folders that declare it (test_fixtures proves each declaration)."""
    found: dict[str, list[str]] = {}
    for group in ("ongeldig", "geldig"):
        for spec_path in sorted((FIXTURES / group).glob("*/verwacht.json")):
            for melding in load(spec_path).get("meldingen", []):
                found.setdefault(melding["code"], []).append(spec_path.parent.name)
    return found


def test_every_catalogue_code_has_a_fixture():
    covered = fixture_codes()
    missing = sorted(set(CATALOGUE) - set(covered) - set(NOT_FROM_THE_VALIDATOR))
    assert not missing, f"codes without an invalid fixture in tests/fixtures/ongeldig: {missing}"
    assert set(covered) <= set(CATALOGUE)
    assert set(NOT_FROM_THE_VALIDATOR) <= set(CATALOGUE), "stale exception list"


def test_every_catalogue_entry_is_complete_dutch():
    for code, info in CATALOGUE.items():
        assert re.fullmatch(r"[A-Z]+(-[A-Z]+)*", code)
        assert info.title.strip() and info.example.strip() and info.fix.strip(), code
        assert DUTCH.search(info.title + " " + info.fix), code
