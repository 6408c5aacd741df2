"""The handout fit in the verdict (macros/verdict/handouts.py), without WeasyPrint: the measurement
itself (macros.printing.druk.measure_handouts) is replaced by a stand-in that records what it is
asked, so these tests prove what is measured when, what the cache keeps and what is reported. The
real measurement, and that it agrees with the build, is tests/print/test_handout_fit.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.project import FIXTURES
from macros.cli.commands import main
from macros.printing import druk
from macros.verdict import validate_project

BASIS = FIXTURES / "geldig" / "basis"


class Measure:
    """Stands in for druk.measure_handouts: every sheet fits, except those given a too-long answer."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []
        self.answers: dict[str, druk.HandoutFit] = {}

    def __call__(self, corpus, sheet_ids, *, cache_dir=None, site_url=None):
        self.asked.append(sorted(sheet_ids))
        self.cache_dir = cache_dir
        return {sheet_id: self.answers.get(sheet_id, druk.HandoutFit(2)) for sheet_id in sheet_ids}


@pytest.fixture
def measure(monkeypatch) -> Measure:
    stand_in = Measure()
    monkeypatch.setattr(druk, "measure_handouts", stand_in)
    return stand_in


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(BASIS, target, ignore=shutil.ignore_patterns("verwacht.json"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_warm_run_measures_nothing_and_a_change_only_the_sheets_it_touches(project, tmp_path, measure):
    cache = tmp_path / "cache"
    validate_project(project, cache_root=cache)
    assert measure.asked == [["geweld", "vrije-tijd"]]
    validate_project(project, cache_root=cache)
    assert measure.asked == [["geweld", "vrije-tijd"]]  # warm: nothing measured
    # a dilemma of vrije-tijd: only that sheet's handout
    edit(project / "content" / "dilemmas" / "joint.yaml", "Een vriend raadt", "Een buurman raadt")
    validate_project(project, cache_root=cache)
    assert measure.asked[-1] == ["vrije-tijd"]
    # a ruling cited by geweld only
    edit(project / "content" / "uitspraken" / "ECLI-NL-CRVB-2014-3729.yaml", "titel: ", "titel: Nog ")
    validate_project(project, cache_root=cache)
    assert measure.asked[-1] == ["geweld"]
    # the register of hulpvragen goes into every handout
    reeks = project / "content" / "reeks.yaml"
    reeks.write_text(reeks.read_text(encoding="utf-8") + "\n# een opmerking\n", encoding="utf-8")
    validate_project(project, cache_root=cache)
    assert measure.asked[-1] == ["geweld", "vrije-tijd"]
    # a dilemma moved to another sheet: both sheets' handouts change
    edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]", "themabladen: [geweld]")
    validate_project(project, cache_root=cache)
    assert measure.asked[-1] == ["geweld", "vrije-tijd"]
    assert len(measure.asked) == 5


def test_a_copy_of_a_project_finds_the_measurements_of_the_original(project, tmp_path, measure):
    cache = tmp_path / "cache"
    validate_project(project, cache_root=cache)
    copy = tmp_path / "elders" / "kopie"
    shutil.copytree(project, copy)
    validate_project(copy, cache_root=cache)  # another path, no project id: another project, the same answers
    assert measure.asked == [["geweld", "vrije-tijd"]]
    assert (cache / "handouts" / "gedeeld").is_dir()


def test_the_measurement_uses_the_build_cache_and_without_a_cache_nothing_is_kept(project, tmp_path, measure):
    cache = tmp_path / "cache"
    validate_project(project, cache_root=cache)
    assert measure.cache_dir is not None and measure.cache_dir.parent == cache / "druk"
    validate_project(project)  # no cache: measured again, nothing written
    assert measure.asked[-1] == ["geweld", "vrije-tijd"] and measure.cache_dir is None


def test_the_serve_loop_defers_what_is_not_measured_yet(project, tmp_path, measure):
    cache = tmp_path / "cache"
    result = validate_project(project, cache_root=cache, measure_now=False)
    assert measure.asked == [] and len(result.deferred) == 2
    validate_project(project, cache_root=cache)  # the full verdict (the serve loop's background)
    result = validate_project(project, cache_root=cache, measure_now=False)
    assert result.deferred == () and len(measure.asked) == 1


def test_a_sheet_whose_files_have_errors_is_not_measured(project, tmp_path, measure):
    edit(project / "content" / "dilemmas" / "joint.yaml", "Wat doe je?", "Wat doe je.")  # TEKST-VRAAG
    result = validate_project(project, cache_root=tmp_path / "cache")
    assert {d.code for d in result.errors} == {"TEKST-VRAAG"}
    assert measure.asked == [["geweld"]]


def test_no_printed_material_no_handouts(project, tmp_path, measure):
    (project / "mkdocs.yml").write_text("site_name: Proef\nextra:\n  kompas:\n    kaarten: false\n", encoding="utf-8")
    validate_project(project, cache_root=tmp_path / "cache")
    assert measure.asked == []


def test_too_long_by_its_own_text_is_reported_at_the_inleiding(project, tmp_path, measure):
    measure.answers["geweld"] = druk.HandoutFit(3, 3, ())
    result = validate_project(project, cache_root=tmp_path / "cache")
    (found,) = result.errors
    assert (found.code, found.file, found.line, found.column) == ("HANDOUT-TE-LANG", "themabladen/geweld.yaml", 6, 1)
    assert "ook zonder dilemma's worden het er 3" in found.message and found.related == ()
    again = validate_project(project, cache_root=tmp_path / "cache")  # from the cache: the same report
    assert again.errors == result.errors and measure.asked == [["geweld", "vrije-tijd"]]


def test_too_long_by_a_dilemma_names_it_and_shows_for_its_file(project, tmp_path, measure, capsys, monkeypatch):
    measure.answers["vrije-tijd"] = druk.HandoutFit(3, 2, ("joint",))
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    result = validate_project(project, cache_root=tmp_path / "cache")
    (found,) = result.errors
    assert (found.code, found.file, found.line) == ("HANDOUT-TE-LANG", "themabladen/vrije-tijd.yaml", 2)
    assert "door het dilemma 'Een joint tegen de pijn' (content/dilemmas/joint.yaml)" in found.message
    assert found.related == ("content/dilemmas/joint.yaml",)
    # an editor who checks only the dilemma (the pre-commit hook passes the changed files) sees it too
    assert main(["valideer", str(project / "content" / "dilemmas" / "joint.yaml")]) == 1
    out = capsys.readouterr().out
    assert "themabladen/vrije-tijd.yaml:2:" in out and "HANDOUT-TE-LANG" in out
    assert main(["valideer", str(project / "content" / "dilemmas" / "stil-houden.yaml")]) == 0


def test_too_long_without_one_culprit_names_the_dilemmas_shown(project, tmp_path, measure):
    measure.answers["geweld"] = druk.HandoutFit(3, 2, ())
    (found,) = validate_project(project, cache_root=tmp_path / "cache").errors
    assert "zonder één dilemma past hij nog steeds niet" in found.message
    assert found.related == ("content/dilemmas/stil-houden.yaml",)


def test_a_damaged_cache_is_a_miss(project, tmp_path, measure):
    cache = tmp_path / "cache"
    validate_project(project, cache_root=cache)
    for entry in (cache / "handouts").rglob("*.json"):
        entry.write_bytes(b"kapot")
    validate_project(project, cache_root=cache)
    assert measure.asked == [["geweld", "vrije-tijd"]] * 2
