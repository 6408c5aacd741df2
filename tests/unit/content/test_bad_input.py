"""Bad input beyond the fixture corpus (tests/fixtures/ongeldig, tests/unit/content/test_fixtures.py):

* schema mutations generated from the schemas: for every content kind, every distinct
  field definition gets every mutation that applies to it (wrong type, value outside the
  choice, wrong form, too long, too short, out of range, empty or repeated list, unknown
  field, missing required field); each must give its code at the mutated field's line;
* alias bombs far bigger than the fixture's, rejected at once without expanding;
* YAML tags that would run code in an unsafe loader never run, in-process or via the CLI;
* a 2 GB (sparse) file is rejected by its size without being read;
* `make build` with a broken file fails and leaves the last good site/ as it was.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lib.project import FIXTURES
from macros.content.diagnostics import CATALOGUE
from macros.content.load import MAX_BYTES, load_text
from macros.content.schema import SCHEMA_DIR
from macros.content.validate import validate_corpus

BASE = FIXTURES / "geldig" / "basis"
KINDS = {  # folder pattern -> schema
    "themabladen/": "themablad",
    "modules/": "module",
    "content/dilemmas/": "dilemma",
    "content/uitspraken/": "uitspraak",
    "content/wetgeving.yaml": "wetgeving",
    "content/reeks.yaml": "reeks",
    "content/onderwerpen/": "onderwerp",
    "content/bronnen.yaml": "bronnen",
    "content/meldroutes.yaml": "meldroutes",
}
EXPECTED = {  # mutation -> codes that report it
    "type": {"SCHEMA-TYPE", "SCHEMA-DATUM"},
    "enum": {"SCHEMA-KEUZE"},
    "pattern": {"SCHEMA-PATROON", "SCHEMA-ECLI", "SCHEMA-URL"},
    "format": {"SCHEMA-DATUM", "SCHEMA-URL"},
    "maxLength": {"SCHEMA-LENGTE"},
    "minLength": {"SCHEMA-LENGTE"},
    "minimum": {"SCHEMA-BEREIK"},
    "maximum": {"SCHEMA-BEREIK"},
    "minItems": {"SCHEMA-LENGTE"},
    "maxItems": {"SCHEMA-LENGTE"},
    "uniqueItems": {"SCHEMA-DUBBEL"},
    "additionalProperties": {"SCHEMA-ONBEKEND-VELD"},
    "required": {"SCHEMA-VERPLICHT"},
}


# -- schema walking ----------------------------------------------------------------
def _schemas() -> dict[str, dict]:
    return {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}


SCHEMAS = _schemas()
DEFS = SCHEMAS["gemeenschappelijk"]["$defs"]


def resolve(schema: dict) -> dict:
    """Follow $ref into the shared definitions; local keywords win (e.g. minItems)."""
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        local = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**DEFS[name], **local}
    return schema


def fields(data, schema: dict, path=()):
    """(path, resolved schema, value) for every value the schema describes."""
    schema = resolve(schema)
    yield path, schema, data
    if isinstance(data, dict) and "properties" in schema:
        for key, value in data.items():
            if key in schema["properties"]:
                yield from fields(value, schema["properties"][key], path + (key,))
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for index, value in enumerate(data):
            yield from fields(value, schema["items"], path + (index,))


def _types(schema: dict) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def mutations(schema: dict, value):
    """(mutation, new value) pairs that break this field; None as value: delete a key."""
    types = _types(schema)
    if types:
        wrong = (
            "tekst"
            if types & {"array", "object", "integer", "number", "boolean"} and "string" not in types
            else {"x": "y"}
        )
        yield "type", wrong
    if "enum" in schema:
        yield "enum", "geen-geldige-keuze"
    if isinstance(value, str):
        if "pattern" in schema:
            yield "pattern", "ongeldig !!"
        if "format" in schema:
            yield "format", "geen-datum" if schema["format"] == "date" else "::geen adres::"
        if "maxLength" in schema:
            yield "maxLength", ("lange tekst " * (schema["maxLength"] // 5 + 2))[: schema["maxLength"] + 1]
        if schema.get("minLength", 0) > 1:
            yield "minLength", "x"
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema:
            yield "minimum", schema["minimum"] - 1
        if "maximum" in schema:
            yield "maximum", schema["maximum"] + 1
    if isinstance(value, list):
        if schema.get("minItems", 0) >= 1:
            yield "minItems", []
        if "maxItems" in schema and value:
            yield "maxItems", [copy.deepcopy(value[0]) for _ in range(schema["maxItems"] + 1)]
        if schema.get("uniqueItems") and value:
            yield "uniqueItems", [value[0], copy.deepcopy(value[0])]
    if isinstance(value, dict):
        if schema.get("additionalProperties") is False:
            yield "additionalProperties", "onbekend_veld"
        required = [key for key in schema.get("required", []) if key in value]
        if required:
            yield "required", required[0]


def signature(schema: dict) -> str:
    """A field kind: its definition without descriptions and sub-fields."""
    keep = {
        k: v
        for k, v in schema.items()
        if k not in ("description", "title", "properties", "items", "allOf", "$defs", "$schema")
    }
    return json.dumps(keep, sort_keys=True)


def kind_of(rel: str) -> str:
    return next(kind for prefix, kind in KINDS.items() if rel.startswith(prefix))


def base_documents() -> dict[str, tuple[str, object]]:
    """rel path -> (header comment line, data) of every base content file."""
    out = {}
    for path in sorted(BASE.rglob("*.yaml")):
        rel = path.relative_to(BASE).as_posix()
        text = path.read_text(encoding="utf-8")
        header = text.splitlines()[0] if text.startswith("#") else ""
        out[rel] = (header, load_text(text, rel).data)
    return out


def dump(header: str, data) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    return f"{header}\n{body}" if header else body


def apply(data, path, mutation, value):
    """The data with one mutation applied; returns (data, path whose line to expect)."""
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1] if path else ():
        parent = parent[part]
    if mutation == "additionalProperties":
        target = parent[path[-1]] if path else data
        target[value] = "onbekend"
        return data, path + (value,)
    if mutation == "required":
        target = parent[path[-1]] if path else data
        del target[value]
        return data, path
    if not path:
        return value, ()
    parent[path[-1]] = value
    return data, path


def cases():
    """One case per (content kind, field kind, mutation): (rel, mutation, path, new value)."""
    seen = set()
    out = []
    for rel, (_header, data) in base_documents().items():
        kind = kind_of(rel)
        for path, schema, value in fields(data, SCHEMAS[kind]):
            for mutation, new in mutations(schema, value):
                key = (kind, signature(schema), mutation)
                if key not in seen:
                    seen.add(key)
                    out.append((rel, mutation, path, new))
    return out


CASES = cases()


def test_mutations_cover_every_kind_and_mutation():
    kinds = {kind_of(rel) for rel, *_ in CASES}
    assert kinds == set(KINDS.values())
    assert {mutation for _rel, mutation, *_ in CASES} == set(EXPECTED)
    assert len(CASES) >= 60


def test_dumped_base_is_still_valid(tmp_path):
    """The mutations are written with PyYAML's dumper: unmutated, that output is valid."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    for rel, (header, data) in base_documents().items():
        (project / rel).write_text(dump(header, data), encoding="utf-8")
    result = validate_corpus(project)
    assert result.ok, "\n".join(d.format_text() for d in result.errors)


def test_every_schema_mutation_is_reported_at_its_line(tmp_path):
    """Cases run in batches of one case per file (files do not disturb each other's
    schema checks); each case must give an expected code in its file at its line."""
    documents = base_documents()
    queues: dict[str, list] = {}
    for case in CASES:
        queues.setdefault(case[0], []).append(case)
    failures = []
    batch = 0
    while any(queues.values()):
        project = tmp_path / f"batch-{batch}"
        shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
        expected = []
        for rel, queue in queues.items():
            if not queue:
                continue
            _rel, mutation, path, new = queue.pop(0)
            header, data = documents[rel]
            mutated, line_path = apply(data, path, mutation, new)
            text = dump(header, mutated)
            (project / rel).write_text(text, encoding="utf-8")
            loaded = load_text(text, rel)
            key = mutation in ("additionalProperties",)
            line = loaded.pos(line_path, key=key).line
            expected.append((rel, mutation, path, line))
        result = validate_corpus(project)
        for rel, mutation, path, line in expected:
            found = [d for d in result.diagnostics if d.file == rel]
            codes_at_line = {d.code for d in found if d.line == line}
            if mutation == "required":  # reported at the object that lacks the key
                codes_at_line = {d.code for d in found}
            if not codes_at_line & EXPECTED[mutation]:
                failures.append(
                    f"{rel} {'/'.join(map(str, path)) or '(bestand)'} {mutation}: "
                    f"verwacht {sorted(EXPECTED[mutation])} op regel {line}, kreeg "
                    + "; ".join(f"{d.code}@{d.line}" for d in found)
                )
        for d in result.diagnostics:
            assert d.code in CATALOGUE, d.format_text()
        batch += 1
    assert not failures, f"{len(failures)} van {len(CASES)}:\n" + "\n".join(failures)


# -- alias bombs ---------------------------------------------------------------------
def billion_laughs(levels: int, width: int) -> str:
    lines = ['lol0: &a0 "lol"']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"lol{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _values(data) -> int:
    """How many values (scalars, empty values, lists, mappings) a loaded structure holds."""
    if isinstance(data, dict):
        return 1 + sum(_values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(_values(v) for v in data)
    return 1


@pytest.mark.parametrize("levels, width", [(9, 10), (40, 20)])
def test_alias_bomb_is_rejected_without_expanding(tmp_path, levels, width):
    """9x10 is the classic billion laughs (10^9 strings); 40x20 would be 20^39.

    What proves that nothing was expanded (no clock): every alias is reported once, at its
    own place in the text, and stands in the loaded data as an empty value; the data holds
    exactly as many values as the text writes down, where expanding would give width^(levels-1)."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    text = billion_laughs(levels, width)
    (project / "themabladen" / "bom.yaml").write_text(text, encoding="utf-8")
    result = validate_corpus(project)
    bomb = [d for d in result.diagnostics if d.file == "themabladen/bom.yaml"]
    anchors = [d for d in bomb if d.code == "YAML-ANKER"]
    assert anchors and anchors[0].line == 1  # the first anchor: the file is refused there
    assert not result.ok
    aliases = [d for d in anchors if d.message.startswith("Alias")]
    # one diagnostic per alias written in the text, each at its own line and column
    written = [
        (number, column + 1)
        for number, line in enumerate(text.split("\n"), 1)
        for column in range(len(line))
        if line.startswith("*a", column)
    ]
    assert sorted((d.line, d.column) for d in aliases) == written
    (document,) = [doc for doc in result.documents if doc.loaded.file == "themabladen/bom.yaml"]
    data = document.loaded.data
    for level in range(1, levels):
        assert data[f"lol{level}"] == [None] * width  # the alias, not what it names
    assert _values(data) == 1 + 1 + (levels - 1) * (1 + width)  # the mapping, lol0, and each list with its aliases


# -- unsafe tags -----------------------------------------------------------------------
UNSAFE = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!!python/name:os.system',
    '!!python/module:os',
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
]


def test_unsafe_tags_never_run(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    marker = tmp_path / "uitgevoerd"
    source = (BASE / "themabladen" / "geweld.yaml").read_text(encoding="utf-8")
    for index, tag in enumerate(UNSAFE):
        text = source.replace("\ntitel:", f"\nextra{index}: {tag.format(marker=marker)}\ntitel:", 1)
        (project / "themabladen" / f"geweld-{index}.yaml").write_text(text, encoding="utf-8")
    result = validate_corpus(project)
    kompas = Path(sys.executable).with_name("kompas")
    run = subprocess.run([str(kompas), "valideer", "--map", str(project)], capture_output=True, text=True)
    assert not marker.exists(), "a YAML tag ran code"
    for index in range(len(UNSAFE)):
        rel = f"themabladen/geweld-{index}.yaml"
        codes = {d.code for d in result.diagnostics if d.file == rel}
        assert "YAML-TAG" in codes, (rel, codes)
        assert rel in run.stdout + run.stderr
    assert run.returncode == 1 and "Traceback" not in run.stderr


# -- size limit ---------------------------------------------------------------------------
def test_huge_sparse_file_is_rejected_unread(tmp_path):
    """2 GB (sparse: costs no disk): rejected by its size, never read into memory."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    huge = project / "content" / "dilemmas" / "groot.yaml"
    with huge.open("wb") as out:
        out.truncate(2 * 1024**3)
    result = validate_corpus(project)
    found = [d for d in result.diagnostics if d.file == "content/dilemmas/groot.yaml"]
    assert [d.code for d in found] == ["BESTAND-TE-GROOT"]
    assert MAX_BYTES < 2 * 1024**3
