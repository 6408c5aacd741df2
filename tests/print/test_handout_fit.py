"""The handout fit with WeasyPrint (issue 31): `kompas valideer` measures every handout the way the
build lays it out, so the two agree; the build links what validation measured instead of laying it out
again; a warm validation measures nothing and does not even import WeasyPrint. The fixture cases with
HANDOUT-TE-LANG (tests/fixtures/ongeldig/handout-te-lang*) are checked here, in the print tier."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from lib.fixture_cases import BASE, DEFAULT_TODAY, build_project, case_folders, load_spec, needs_print
from lib.project import FIXTURES
from macros.cli.commands import main
from macros.printing import druk, pdf
from macros.store.keys import project_cache_dir
from macros.verdict import validate_project

CASES = [case for case in case_folders("ongeldig") if needs_print(case)]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_validation_refuses_what_the_build_refuses(case, tmp_path):
    spec = load_spec(case)
    project, schema_dir = build_project(case, spec, tmp_path)
    cache = tmp_path / "cache"
    result = validate_project(project, today=DEFAULT_TODAY, schema_dir=schema_dir, cache_root=cache)
    expected = {(m["code"], m["bestand"], m["regel"]) for m in spec["meldingen"]}
    assert {(d.code, d.file, d.line) for d in result.errors} == expected, "\n".join(
        d.format_text() for d in result.errors
    )
    for m in spec["meldingen"]:
        if "kolom" in m:
            assert any(d.column == m["kolom"] for d in result.errors if d.line == m["regel"])
    # the build's own check, on the same content and with the same cache, refuses the same sheet
    with pytest.raises(druk.DrukFout) as refused:
        druk.build_site_printed(
            result.corpus,
            tmp_path / "site",
            cache_dir=project_cache_dir(project, "druk", base=cache),
            positions=druk.sheet_positions(result.documents),
        )
    assert str(refused.value).startswith(f"{spec['meldingen'][0]['bestand']}:")


def test_the_dilemma_that_made_it_too_long_is_named_at_the_sheet(tmp_path, capsys, monkeypatch):
    case = FIXTURES / "ongeldig" / "handout-te-lang-dilemma"
    project, _ = build_project(case, load_spec(case), tmp_path)
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)
    assert main(["valideer", "content/dilemmas/joint.yaml"]) == 1  # the editor checks the file they changed
    out = capsys.readouterr().out
    assert "themabladen/geweld.yaml:2:5: HANDOUT-TE-LANG fout:" in out
    assert (
        "door het dilemma 'Een joint tegen de pijn' (content/dilemmas/joint.yaml): zonder dat dilemma past hij wel"
        in out
    )
    assert main(["valideer", "content/dilemmas/stil-houden.yaml"]) == 0  # the other dilemma of the sheet is no cause


def test_the_build_links_what_validation_measured(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    cache = tmp_path / "cache"
    result = validate_project(project, cache_root=cache)
    assert result.ok
    laid_out = []
    real = pdf.Renderer.layout

    def layout(self, html):
        laid_out.append('<body class="handout">' in html)
        return real(self, html)

    monkeypatch.setattr(pdf.Renderer, "layout", layout)
    printed = druk.build_site_printed(
        result.corpus, tmp_path / "site", cache_dir=project_cache_dir(project, "druk", base=cache)
    )
    assert laid_out and True not in laid_out  # no handout laid out a second time (only the module's draaiboek)
    handouts = [item for item in printed if item.path.name.startswith("handout-")]
    assert len(handouts) == 2 and all(item.pages <= 2 for item in handouts)
    assert all(item.path.read_bytes().startswith(b"%PDF") for item in handouts)


def test_a_warm_validation_measures_nothing_and_does_not_load_weasyprint(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    script = (
        "import sys; from pathlib import Path; from macros.verdict import validate_project; "
        "r = validate_project(Path(sys.argv[1]), cache_root=Path(sys.argv[2])); "
        "print(r.ok, 'weasyprint' in sys.modules)"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-P", "-c", script, str(project), str(tmp_path / "cache")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["True", "True"], ["True", "False"]]  # cold: measured with WeasyPrint; warm: not loaded
