"""One verdict (issue 31): content that passes `kompas valideer` never fails the build.

* every valid fixture project, built with the site of this repository, passes validation and builds;
* every refusal of a later build stage that validation now reports first (the cases in
  tests/fixtures/ongeldig/ with a code of :data:`LATER_STAGE`) is a real refusal of the build: with
  validation told to let it through, the build refuses it too, and the case made valid again (the
  base project) builds (the first test);
* the build's own refusal is one Dutch message: each problem once, no line of the engine in English,
  unless `kompas bouw --uitgebreid`.

docs/weigeringen.md lists every refusal of the build and the check that comes first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lib.fixture_cases import build_project as lay_case
from lib.fixture_cases import case_folders, load_spec
from lib.project import ROOT
from macros.cli.commands import main
from macros.harness.project import add_site_hooks
from macros.site import adapter
from macros.site.build import BuildFailed, build_site
from macros.verdict import validate_project

LATER_STAGE = frozenset(
    {"TEKST-LINK", "PAGINA-NAAM", "PAGINA-MACRO", "PAGINA-LINK", "PAGINA-MENU", "PAGINA-ONTBREEKT", "HANDOUT-TE-LANG"}
)
# English as the engine writes it (MkDocs, mkdocs-macros, Jinja, Python): none of it without --uitgebreid
ENGLISH = re.compile(
    r"\b(Aborted|BuildError|Error|WARNING|INFO|Doc file|contains|not found|Traceback|"
    r"is undefined|strict mode|configuration)\b"
)


def site_project(case: Path, tmp_path: Path) -> Path:
    """The base project with the case on top, as a site: the case's own mkdocs.yml and pages, or else
    those of this repository."""
    spec = load_spec(case) if (case / "verwacht.json").is_file() else {}
    project, _ = lay_case(case, spec, tmp_path)
    if not (project / "mkdocs.yml").is_file():
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages", dirs_exist_ok=True)
    add_site_hooks(project)
    return project


def later(code: str, file: str) -> bool:
    """Whether a diagnostic is one of a check of a later build stage (a code of those, or any problem of a
    hand-written page, such as one not saved as UTF-8)."""
    return code in LATER_STAGE or file.startswith("content/pages/")


def later_cases() -> list[Path]:
    return [
        case
        for case in case_folders("ongeldig")
        if any(later(m["code"], m["bestand"]) for m in load_spec(case)["meldingen"])
    ]


def let_through(monkeypatch) -> None:
    """Validation as it was before issue 31: the checks of the later stages do not count."""
    real = adapter.validate_project

    def without_later_stages(root, **kwargs):
        from dataclasses import replace

        result = real(root, **kwargs)
        return replace(result, diagnostics=tuple(d for d in result.diagnostics if not later(d.code, d.file)))

    monkeypatch.setattr(adapter, "validate_project", without_later_stages)


@pytest.mark.parametrize("case", case_folders("geldig"), ids=lambda p: p.name)
def test_valid_content_builds(case, tmp_path):
    project = site_project(case, tmp_path)
    result = validate_project(project)
    assert result.ok, "\n".join(d.format_text() for d in result.errors)
    site = build_site(project, tmp_path / "site")
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("case", later_cases(), ids=lambda p: p.name)
def test_each_later_stage_refusal_is_a_real_refusal_of_the_build(case, tmp_path, monkeypatch):
    project = site_project(case, tmp_path)
    expected = {
        (m["code"], m["bestand"], m["regel"]) for m in load_spec(case)["meldingen"] if later(m["code"], m["bestand"])
    }
    found = {(d.code, d.file, d.line) for d in validate_project(project).errors}
    assert expected <= found  # validation refuses it first, before any build ...
    with pytest.raises(BuildFailed) as refused:
        build_site(project, tmp_path / "site")
    assert refused.value.code == "INHOUD-FOUTEN"  # ... and so does the build's own first step
    let_through(monkeypatch)
    with pytest.raises(BuildFailed) as refused:  # without those checks the later stage refuses it
        build_site(project, tmp_path / "site")
    assert refused.value.code in ("BOUW-GEWEIGERD", "DRUK", "MISLUKT"), str(refused.value)
    assert not ENGLISH.search(str(refused.value)), str(refused.value)


def _stderr_lines(capsys) -> list[str]:
    """What `kompas bouw` wrote to stderr from its refusal on (before it: the validation report)."""
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("kompas bouw: "))
    return lines[start:]


def test_the_refusal_of_the_build_is_one_dutch_message(tmp_path, monkeypatch, capsys):
    project = site_project(Path(__file__).parents[1] / "fixtures" / "ongeldig" / "pagina-link", tmp_path)
    let_through(monkeypatch)
    assert main(["bouw", "--map", str(project)]) == 1
    lines = _stderr_lines(capsys)
    assert lines[0].startswith("kompas bouw: BOUW-GEWEIGERD fout: De site is niet gebouwd")
    assert not [line for line in lines if ENGLISH.search(line)], lines
    assert len(lines) == len(set(lines)), lines  # each problem once
    assert sum("dilemma/index.md" in line for line in lines) == 1, lines  # the engine and the link check: once
    assert any(line.startswith("content/pages/proef.md: de link 'dilemma/index.md'") for line in lines), lines
    # with --uitgebreid: the engine's own lines as well, as they come
    assert main(["bouw", "--map", str(project), "--uitgebreid"]) == 1
    text = capsys.readouterr().err
    assert "Doc file 'proef.md' contains a link 'dilemma/index.md'" in text and "Aborted with" in text


def test_a_refusal_of_the_hooks_is_shown_once(tmp_path, monkeypatch, capsys):
    project = site_project(Path(__file__).parents[1] / "fixtures" / "ongeldig" / "pagina-naam", tmp_path)
    let_through(monkeypatch)
    assert main(["bouw", "--map", str(project)]) == 1
    lines = _stderr_lines(capsys)
    assert not [line for line in lines if ENGLISH.search(line)], lines
    assert sum("content/pages/dilemmas/joint.md" in line for line in lines) == 1, lines


def test_content_errors_are_shown_once(tmp_path, capsys):
    project = site_project(Path(__file__).parents[1] / "fixtures" / "ongeldig" / "tekst-vraag", tmp_path)
    assert main(["bouw", "--map", str(project)]) == 1
    lines = _stderr_lines(capsys)
    assert lines[0].startswith("kompas bouw: INHOUD-FOUTEN fout: De site is niet gebouwd")
    assert sum("TEKST-VRAAG" in line for line in lines) == 1, lines
    assert not [line for line in lines if ENGLISH.search(line)], lines
