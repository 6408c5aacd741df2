"""The verdict (macros/verdict/): every caller asks validate_project, and a measurer in its list counts
for `kompas valideer` as for any content check (issue 29: the seam issue 31 builds the handout fit on)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.project import FIXTURES  # noqa: E402
from macros.cli.commands import main
from macros.content.diagnostics import Diagnostic
from macros.verdict import measures, validate_project


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "geldig" / "basis", target, ignore=shutil.ignore_patterns("verwacht.json"))
    return target


def _too_long(result, cache_root):
    """A measurer that finds the first themablad too long (as the handout fit of issue 31 will)."""
    sheet = next(doc for doc in result.documents if doc.kind == "themablad")
    line = sheet.loaded.pos(("inleiding",)).line
    return [Diagnostic(sheet.loaded.file, line, 1, "KAART-TE-LANG", "gemeten: te lang", "kort het in")]


def test_without_measurers_the_verdict_is_the_content_verdict(project):
    from macros.content.validate import validate_corpus

    assert measures.MEASURERS == []  # issue 31 adds the handout fit here
    assert validate_project(project).diagnostics == validate_corpus(project).diagnostics


def test_a_measurer_counts_for_valideer(project, monkeypatch, capsys):
    assert main(["valideer", "--map", str(project), "--zonder-cache"]) == 0
    seen = []

    def measurer(result, cache_root):
        seen.append(cache_root)
        return _too_long(result, cache_root)

    monkeypatch.setattr(measures, "MEASURERS", [measurer])
    capsys.readouterr()
    assert main(["valideer", "--map", str(project)]) == 1
    out = capsys.readouterr().out
    assert "themabladen/geweld.yaml:" in out and "KAART-TE-LANG fout: gemeten: te lang" in out
    assert seen and seen[-1] is not None  # the measurer gets the project's cache folder for a cache of its own
    assert main(["valideer", "--map", str(project), "--zonder-cache"]) == 1
    assert seen[-1] is None


def test_measured_problems_are_sorted_in_with_the_others(project, monkeypatch):
    sheet = project / "themabladen" / "geweld.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("titel: Gebruik van geweld", "titell: x"), encoding="utf-8"
    )
    monkeypatch.setattr(measures, "MEASURERS", [_too_long])
    diagnostics = validate_project(project).diagnostics
    assert [d.sort_key() for d in diagnostics] == sorted(d.sort_key() for d in diagnostics)
    assert {"SCHEMA-ONBEKEND-VELD", "KAART-TE-LANG"} <= {d.code for d in diagnostics}
