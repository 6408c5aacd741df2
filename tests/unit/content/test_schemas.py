"""The JSON schemas themselves, and the coverage of the diagnostic catalogue by the fixtures."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from lib.project import FIXTURES  # noqa: E402
from macros.content.diagnostics import CATALOGUE
from macros.content.load import load_file
from macros.content.schema import KINDS, SCHEMA_DIR, validator
from macros.content.validate import validate_corpus

SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Codes that validate_corpus cannot produce, with the test that covers them instead.
NOT_FROM_THE_VALIDATOR = {
    "KAART-TE-LANG": "the printed-card layout check (macros/content/cards_fit.py), tested with the cards",
    "SPELLING": "`kompas spelling` (macros/editor/spelling.py), deliberately outside validate_corpus",
}

DUTCH = re.compile(
    r"\b(een|de|het|van|voor|met|zoals|bijvoorbeeld|naar|die|dat|uit|wie|wat|waar|als|op|tot|"
    r"of|en|in|zonder|elke|alleen|geen|deze|dit)\b",
    re.IGNORECASE,
)
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
def test_every_property_has_a_dutch_title(path):
    """The browser editor makes its form labels from the titles (and its hints from the descriptions)."""
    checked = 0
    for where, node, conditional in walk(load(path)):
        if conditional:
            continue
        for group in ("properties", "$defs"):
            for name, prop in node.get(group, {}).items():
                title = prop.get("title", "") if isinstance(prop, dict) else ""
                assert title.strip(), f"{path.name} {where}/{group}/{name}: title missing"
                assert not ENGLISH.search(title), f"{path.name} {name}: English? {title!r}"
                checked += 1
    assert checked


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
    examples = {
        "themablad": "themabladen/geweld.yaml",
        "dilemma": "content/dilemmas/joint.yaml",
        "uitspraak": "content/uitspraken/ECLI-NL-CRVB-2014-3729.yaml",
        "wetgeving": "content/wetgeving.yaml",
        "reeks": "content/reeks.yaml",
        "module": "modules/beraad.yaml",
        "onderwerp": "content/onderwerpen/voor-iedereen.yaml",
        "bronnen": "content/bronnen.yaml",
        "meldroutes": "content/meldroutes.yaml",
    }
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


# -- one mutation per field, per content kind ------------------------------------------------------
BASIS = FIXTURES / "geldig" / "basis"
KIND_FILES = {
    "themablad": "themabladen/vrije-tijd.yaml",
    "dilemma": "content/dilemmas/joint.yaml",
    "uitspraak": "content/uitspraken/ECLI-NL-CRVB-2017-3167.yaml",
    "module": "modules/beraad.yaml",
    "wetgeving": "content/wetgeving.yaml",
    "reeks": "content/reeks.yaml",
    "onderwerp": "content/onderwerpen/voor-iedereen.yaml",
    "bronnen": "content/bronnen.yaml",
    "meldroutes": "content/meldroutes.yaml",
}


def top_level_fields(rel: str) -> list[tuple[str, str, int]]:
    """(field, line) for every top-level field written in the basis file of a kind."""
    lines = (BASIS / rel).read_text(encoding="utf-8").split("\n")
    return [(line.split(":", 1)[0], number) for number, line in enumerate(lines, 1) if re.match(r"[a-z_]+:", line)]


def replace_field(text: str, field: str, new: str | None) -> str:
    """The text with a top-level field (and its indented continuation lines) replaced or removed."""
    lines, out, skipping = text.split("\n"), [], False
    for line in lines:
        if line.startswith(f"{field}:"):
            skipping = True
            if new is not None:
                out.append(f"{field}: {new}")
            continue
        if skipping and (line.startswith((" ", "- ")) or not line.strip()):
            continue  # the field's own lines, blank lines of a text block included
        skipping = False
        out.append(line)
    return "\n".join(out)


def mutate(tmp_path: Path, rel: str, field: str, new: str | None):
    project = tmp_path / "project"
    shutil.copytree(BASIS, project, ignore=shutil.ignore_patterns("verwacht.json"))
    path = project / rel
    path.write_text(replace_field(path.read_text(encoding="utf-8"), field, new), encoding="utf-8")
    return validate_corpus(project, today=date(2026, 11, 23))


def takes_a_block(kind: str, field: str) -> bool:
    """Whether the field's value is itself a block with fields (like bron)."""
    schema = load(SCHEMA_DIR / f"{kind}.schema.json").get("properties", {}).get(field, {})
    if "$ref" in schema:
        schema = load(SCHEMA_DIR / "gemeenschappelijk.schema.json")["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema.get("type") == "object"


FIELD_CASES = [
    (kind, rel, field, line)
    for kind, rel in KIND_FILES.items()
    for field, line in top_level_fields(rel)
    if not takes_a_block(kind, field)
]


@pytest.mark.parametrize("kind, rel, field, line", FIELD_CASES, ids=[f"{c[0]}-{c[2]}" for c in FIELD_CASES])
def test_a_block_where_a_field_value_belongs_is_reported_at_that_field(tmp_path, kind, rel, field, line):
    result = mutate(tmp_path, rel, field, "{fout: 1}")
    at_field = {d.code for d in result.errors if d.file == rel and d.line == line}
    assert at_field & {"SCHEMA-TYPE", "SCHEMA-DATUM", "SCHEMA-KEUZE"}, "\n".join(
        d.format_text() for d in result.diagnostics
    )


def required_fields(kind: str) -> list[str]:
    return load(SCHEMA_DIR / f"{kind}.schema.json").get("required", [])


REQUIRED_CASES = [(kind, rel, field) for kind, rel in KIND_FILES.items() for field in required_fields(kind)]


@pytest.mark.parametrize("kind, rel, field", REQUIRED_CASES, ids=[f"{c[0]}-{c[2]}" for c in REQUIRED_CASES])
def test_every_required_field_is_reported_when_missing(tmp_path, kind, rel, field):
    result = mutate(tmp_path, rel, field, None)
    if len(top_level_fields(rel)) == 1:  # nothing left: the file is empty
        assert [(d.file, d.code) for d in result.errors] == [(rel, "BESTAND-LEEG")]
        return
    missing = [d for d in result.errors if d.file == rel and d.code == "SCHEMA-VERPLICHT"]
    assert [d for d in missing if f"'{field}'" in d.message], "\n".join(d.format_text() for d in result.diagnostics)
    assert all(d.line >= 1 for d in missing)


ITEM_KINDS = ("themablad", "dilemma", "uitspraak", "module", "onderwerp")


def test_bronnen_is_required_for_every_item_kind_and_takes_references():
    common = load(SCHEMA_DIR / "gemeenschappelijk.schema.json")["$defs"]
    assert common["bronnen"]["minItems"] == 1
    assert common["bronverwijzing"]["required"] == ["bron"]
    for kind in ITEM_KINDS:
        props = load(SCHEMA_DIR / f"{kind}.schema.json")["properties"]
        assert "bronnen" in required_fields(kind) and "bron" not in props
        assert props["bronnen"]["$ref"].endswith("/bronnen") and props["routes"]["$ref"].endswith("/route_ids")


@pytest.mark.parametrize("kind", ITEM_KINDS)
def test_a_missing_bronnen_is_an_error_an_editor_can_fix(tmp_path, kind):
    """Every item says which documents of the register it rests on (issue 26)."""
    rel = KIND_FILES[kind]
    result = mutate(tmp_path, rel, "bronnen", None)
    [problem] = [d for d in result.errors if d.file == rel]
    assert (problem.code, problem.line, problem.column) == ("SCHEMA-VERPLICHT", 2, 1)
    assert problem.message == "Het verplichte veld 'bronnen' ontbreekt."
    assert "content/bronnen.yaml" in problem.hint and "redactie" in problem.hint


def test_an_incomplete_source_reference_names_the_missing_part_at_its_line(tmp_path):
    rel = "content/dilemmas/joint.yaml"
    result = mutate(tmp_path, rel, "bronnen", "[{deel: Hoofdstuk 2}]")
    line = next(
        n
        for n, text in enumerate((tmp_path / "project" / rel).read_text().split("\n"), 1)
        if text.startswith("bronnen:")
    )
    [problem] = [d for d in result.errors if d.file == rel]
    assert (problem.code, problem.line) == ("SCHEMA-VERPLICHT", line)
    assert problem.message == "Het verplichte veld 'bron' ontbreekt in bronnen[1]."
    result = mutate(tmp_path / "2", rel, "bronnen", "plat")
    [problem] = [d for d in result.errors if d.file == rel]
    assert (problem.code, problem.line) == ("SCHEMA-TYPE", line)
    result = mutate(tmp_path / "3", rel, "bronnen", "[]")
    [problem] = [d for d in result.errors if d.file == rel]
    assert (problem.code, problem.line) == ("SCHEMA-LENGTE", line)


def test_a_dilemma_without_sheet_or_topic_is_one_dutch_message(tmp_path):
    rel = "content/dilemmas/joint.yaml"
    result = mutate(tmp_path, rel, "themabladen", None)
    [problem] = [d for d in result.errors if d.file == rel]
    assert (problem.code, problem.line, problem.column) == ("SCHEMA-VERPLICHT", 2, 1)
    assert problem.message == (
        "Vul minstens een van de velden 'themabladen' of 'onderwerpen' in; nu ontbreken ze allebei."
    )
    assert "minstens één themablad of één onderwerp" in problem.hint
    result = mutate(tmp_path / "2", rel, "themabladen", "[]")  # an empty list is no sheet either
    assert [d.code for d in result.errors if d.file == rel] == ["SCHEMA-LENGTE"]
    result = mutate(tmp_path / "3", rel, "themabladen", None)
    path = tmp_path / "3" / "project" / rel
    path.write_text(path.read_text(encoding="utf-8") + "onderwerpen: [voor-iedereen]\n", encoding="utf-8")
    assert not [d for d in validate_corpus(path.parents[2], today=date(2026, 11, 23)).errors if d.file == rel]


def test_a_gespreksvorm_needs_only_its_aim(tmp_path):
    rel = "modules/beraad.yaml"
    result = mutate(tmp_path, rel, "soort", "gespreksvorm")
    assert not [d for d in result.errors if d.file == rel], "\n".join(d.format_text() for d in result.diagnostics)
    path = tmp_path / "project" / rel
    text = replace_field(replace_field(path.read_text(encoding="utf-8"), "stappen", None), "duur", None)
    path.write_text(text, encoding="utf-8")
    assert not validate_corpus(tmp_path / "project", today=date(2026, 11, 23)).errors
    result = mutate(tmp_path / "2", rel, "soort", "gespreksvorm")
    path = tmp_path / "2" / "project" / rel
    path.write_text(path.read_text(encoding="utf-8") + "plekken: []\n", encoding="utf-8")
    problems = [
        d for d in validate_corpus(tmp_path / "2" / "project", today=date(2026, 11, 23)).errors if d.file == rel
    ]
    [unknown] = [d for d in problems if d.code == "SCHEMA-ONBEKEND-VELD"]  # plekken is for a leerlijn only
    assert "gespreksvorm" in unknown.hint


@pytest.mark.parametrize("value", ["2026-11-0*", "2026-11-1x", "2026-02-30", "2026-1-01", "２０２６-11-01"])
@pytest.mark.parametrize("fast", [True, False], ids=["jsonschema-rs", "jsonschema"])
def test_a_near_miss_date_is_a_diagnostic_on_both_validation_paths(tmp_path, monkeypatch, value, fast):
    """Found by tests/unit/content/test_properties.py: jsonschema-rs 0.60 took '2026-11-0*' for a date, and the
    model then stopped with a traceback. Both paths use Kompas's own date check now."""
    from macros.content import schema

    if not fast:
        monkeypatch.setattr(schema, "fast_valid", lambda *args, **kwargs: False)  # jsonschema decides alone
    rel = KIND_FILES["dilemma"]
    result = mutate(tmp_path, rel, "gewijzigd", value)
    assert {d.code for d in result.errors if d.file == rel} == {"SCHEMA-DATUM"}, "\n".join(
        d.format_text() for d in result.diagnostics
    )
