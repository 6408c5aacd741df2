"""Every folder in tests/fixtures/ongeldig and tests/fixtures/geldig is a test case.

A case folder holds the files that differ from the small valid project in
tests/fixtures/geldig/basis (itself a valid case), plus ``verwacht.json``:

    {
      "omschrijving": "what the case is about",
      "meldingen": [{"code": "YAML-TAB", "bestand": "themabladen/geweld.yaml", "regel": 8, "kolom": 1}],
      "verwijder": ["themabladen/geweld.yaml"],              (optional: files of the base to remove)
      "genereer": [{"bestand": "...", "bytes": 20000000}],   (optional: big files made at test time)
      "vandaag": "2026-11-23",                               (optional: the date the check runs on)
      "schema_aanpassing": [{"bestand": "...", "pad": [...], "zet": {...}}],  (optional)
      "waarden": [{"bestand": "...", "pad": ["versie"], "waarde": "1.10"}]    (optional, loaded values)
      "site": true                                           (optional: with mkdocs.yml and content/pages/
                                                              of this repository, laid under the case)
    }

The test copies the base project to a temporary folder, lays the case on top and runs the
one verdict (``validate_project``: the content checks and the checks of later build stages, such as
the pages; the handout fit, which needs WeasyPrint, has its cases in tests/print/test_handout_fit.py). The diagnostics that the case adds (everything except what the untouched
base files report by themselves) must be exactly the expected ones: same code, file and
line (and column where given). Adding a folder adds a test.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from lib.fixture_cases import (
    BASE,
    DEFAULT_TODAY,
    SPEC,
    build_project,
    case_files,
    case_folders,
    load_spec,
    needs_print,
    touched_files,
)
from macros.content.diagnostics import CATALOGUE
from macros.content.validate import validate_corpus
from macros.verdict import measures, validate_project


def run_case(case: Path, tmp_path: Path, monkeypatch):
    spec = load_spec(case)
    project, schema_dir = build_project(case, spec, tmp_path)
    today = date.fromisoformat(spec["vandaag"]) if "vandaag" in spec else DEFAULT_TODAY
    # every check but the handout fit (a layout by WeasyPrint: the print tier)
    monkeypatch.setattr(measures, "MEASURERS", [m for m in measures.MEASURERS if m.__name__ != "_handouts"])
    result = validate_project(project, today=today, schema_dir=schema_dir)
    return spec, result


@pytest.fixture(scope="module")
def baseline() -> set[tuple[str, str, int]]:
    result = validate_corpus(BASE, today=DEFAULT_TODAY)  # verwacht.json is no content: ignored
    assert not result.errors, "the base fixture project must be valid"
    return {(d.code, d.file, d.line) for d in result.diagnostics}


def added_diagnostics(case: Path, spec: dict, result, baseline) -> list:
    """Diagnostics caused by the case: baseline diagnostics of untouched files are left out."""
    touched = touched_files(case, spec)
    return [d for d in result.diagnostics if d.file in touched or (d.code, d.file, d.line) not in baseline]


def _lookup(data, path):
    for part in path:
        data = data[part]
    return data


# English phrases of PyYAML, libyaml and jsonschema: none may reach an editor.
ENGLISH = re.compile(
    r"\b(while|found|expected|mapping|scanning|not allowed|is not|does not|"
    r"should|character|stream|token|Errno)\b"
)


def check_dutch(diagnostics) -> None:
    for d in diagnostics:
        for text in (d.message, d.hint):
            assert not ENGLISH.search(text), f"English text in a diagnostic: {text!r}"


@pytest.mark.parametrize("case", [c for c in case_folders("ongeldig") if not needs_print(c)], ids=lambda p: p.name)
def test_invalid_fixture(case: Path, tmp_path: Path, baseline, monkeypatch) -> None:
    spec, result = run_case(case, tmp_path, monkeypatch)
    added = added_diagnostics(case, spec, result, baseline)
    expected = {(m["code"], m["bestand"], m["regel"]) for m in spec["meldingen"]}
    actual = {(d.code, d.file, d.line) for d in added}
    assert spec["meldingen"], "an invalid fixture declares at least one expected diagnostic"
    assert actual == expected, "\n".join(d.format_text() for d in added)
    for m in spec["meldingen"]:
        if "kolom" in m:
            columns = {d.column for d in added if (d.code, d.file, d.line) == (m["code"], m["bestand"], m["regel"])}
            assert m["kolom"] in columns, f"{m}: found columns {columns}"
    check_dutch(result.diagnostics)
    if any(CATALOGUE[m["code"]].severity.value == "fout" for m in spec["meldingen"]):
        assert not result.ok


@pytest.mark.parametrize("case", case_folders("geldig"), ids=lambda p: p.name)
def test_valid_fixture(case: Path, tmp_path: Path, baseline, monkeypatch) -> None:
    spec, result = run_case(case, tmp_path, monkeypatch)
    assert result.ok, "\n".join(d.format_text() for d in result.errors)
    added = added_diagnostics(case, spec, result, baseline)
    expected = {(m["code"], m["bestand"], m["regel"]) for m in spec.get("meldingen", [])}
    assert {(d.code, d.file, d.line) for d in added} == expected, "\n".join(d.format_text() for d in added)
    documents = {doc.loaded.file: doc for doc in result.documents}
    for item in spec.get("waarden", []):
        assert _lookup(documents[item["bestand"]].loaded.data, item["pad"]) == item["waarde"], item
    # every file of a valid case made it into the model
    assert documents, "no documents loaded"
    assert all(doc.schema_ok for doc in documents.values())


def test_fixture_folders_are_well_formed() -> None:
    """Every case has a verwacht.json with known codes; the folders are not empty."""
    cases = case_folders("ongeldig") + case_folders("geldig")
    assert len(case_folders("ongeldig")) >= 40 and len(case_folders("geldig")) >= 3
    allowed = {
        "omschrijving",
        "meldingen",
        "verwijder",
        "genereer",
        "vandaag",
        "schema_aanpassing",
        "waarden",
        "site",
        "fifo",
    }
    for case in cases:
        spec = load_spec(case)
        assert set(spec) <= allowed, f"{case.name}: unknown keys {set(spec) - allowed}"
        assert spec["omschrijving"].strip()
        for m in spec.get("meldingen", []):
            assert m["code"] in CATALOGUE, f"{case.name}: unknown code {m['code']}"
        assert case_files(case) or spec.get("genereer") or spec.get("fifo"), f"{case.name}: no files"


# -- random damage never ends in a traceback ------------------------------------------------------
_SNIPPETS = [
    "",
    "\n",
    ":",
    "- ",
    "  ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "'",
    '"',
    "\t",
    "# ",
    "---\n",
    "?",
    "~",
    "null",
    "true",
    "5",
    "-1",
    "1.5",
    "x: y",
    "\n  - z",
    "é",
    "2024-02-30",
    "Q9",
    "[]",
    "{}",
    "|\n",
    ">\n",
    "{{",
    "<b>",
    "@",
    "%",
    "`",
    "<<: *a",
    "\u2028",
    "\ufeff",
    "\x07",
]
_VALUES = [
    None,
    True,
    0,
    -5,
    10**30,
    "",
    "x",
    "geweld",
    "Q9",
    "2024-02-30",
    [],
    [None],
    [1, 2],
    {},
    {"a": 1},
    [{"duur": "x"}],
    [[["a"]]],
    "<script>",
    "{{x}}",
]


def _text_damage(rng, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        if rng.random() < 0.5:
            text = text[:at] + rng.choice(_SNIPPETS) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 20) :]
    return text


def _data_damage(rng, data):
    """Put a value of another kind somewhere in the data (a list where text belongs, ...)."""
    import copy

    def paths(node, path=()):
        yield path
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            yield from paths(value, path + (key,))

    for _ in range(rng.randint(1, 3)):
        path = rng.choice(list(paths(data)))
        value = copy.deepcopy(rng.choice(_VALUES))
        if not path:
            data = value
            continue
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return data


@pytest.mark.parametrize("seed", range(6))
def test_random_damage_gives_diagnostics_never_a_traceback(tmp_path, seed):
    import random

    import yaml

    from macros.content.load import load_file

    rng = random.Random(seed)
    files = sorted(p.relative_to(BASE) for p in BASE.rglob("*.yaml"))
    for round_ in range(40):
        project = tmp_path / f"p{round_}"
        shutil.copytree(BASE, project, ignore=shutil.ignore_patterns(SPEC))
        target = project / rng.choice(files)
        if rng.random() < 0.5:
            target.write_bytes(_text_damage(rng, target.read_text(encoding="utf-8")).encode("utf-8"))
        else:
            data = _data_damage(rng, load_file(target, "x").data)
            target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = validate_corpus(project, today=DEFAULT_TODAY)  # an exception fails the test
        check_dutch(result.diagnostics)
        for d in result.diagnostics:
            assert "\n" not in d.format_text().split("\n    hint: ")[0]
        shutil.rmtree(project)
