"""The benchmark never rots: the generator makes a valid, deterministic corpus and a reduced
run at 1× measures every part and writes its report. No timing is asserted here: speed
targets live in bench/run.py and bench/RESULTS.md."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

from macros.validate import validate_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_generator_is_deterministic_valid_and_has_the_starter_shape(tmp_path):
    first = generate.generate(1, tmp_path / "a")
    second = generate.generate(1, tmp_path / "b")
    for name in ("project", "markdown"):
        files = _tree(first[name])
        assert files == _tree(second[name])
        _, mismatch, errors = filecmp.cmpfiles(first[name], second[name], files, shallow=False)
        assert mismatch == [] and errors == []

    counts = {kind: len(paths) for kind, paths in generate.content_files(first["project"]).items()}
    assert counts == {"themablad": 20, "dilemma": 100, "uitspraak": 60, "module": 10, "wetgeving": 1, "reeks": 1}
    result = validate_corpus(first["project"])
    assert result.diagnostics == ()  # no errors and no warnings
    assert len(result.corpus.wetten) == 10
    for items in (result.corpus.themabladen, result.corpus.dilemmas, result.corpus.uitspraken, result.corpus.modules):
        assert {item.bron.soort for item in items} == {"publicatie", "methode", "redactie"}  # bron is required
    assert {m.soort for m in result.corpus.modules} == {"moreel-beraad", "masterclass", "leerlijn", "handreiking",
                                                         "sessieplan"}
    assert all(u.ecli.startswith("ECLI:NL:TEST:") for u in result.corpus.uitspraken)
    # the equivalent hand-written site has one page per item plus the overviews, all in the nav
    pages = _tree(first["markdown"] / "docs")
    assert len(pages) == 20 + 100 + 60 + 10 + 6
    nav = (first["markdown"] / "mkdocs.yml").read_text(encoding="utf-8")
    assert all(page in nav for page in pages)


def test_reduced_run_at_1x_measures_everything_and_reports(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--scales", "1", "--repeat", "1",
                           "--cards", "4", "--out", str(out), "--work", str(work)],
                          capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 2 means a measurement failed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    [scale] = results["scales"]
    assert scale["scale"] == 1 and scale["counts"]["dilemma"] == 100
    for part in ("validate", "check_jsonschema", "build", "material"):
        assert scale[part]["cpu_s"] > 0 and scale[part]["peak_mb"] > 0, part
    assert scale["floor"]["pages"] == 196 and scale["floor"]["convert_cpu_s"] > 0
    build = scale["build"]
    assert build["pages"] > 196 and build["avg_page_bytes"] > 1000 and build["site_bytes"] > build["pages"] * 1000
    assert build["search_index_bytes"] > 0 and build["search_payload_source"]
    known = build["known_items"]  # typed in Chromium: every known item is found, and shown first
    assert known["cases"] == 35 and known["first"] == 35 and known["missed"] == [], known
    assert scale["material"]["pages"] == 196 and not scale["material"]["timed_out"]
    assert set(scale["ratios"]) >= {"build_vs_floor", "build_vs_material", "validate_vs_check_jsonschema"}
    assert results["cards"].get("cards") == 4 or "missing" in results["cards"]
    names = [target["doel"] for target in results["targets"]]
    assert "bouw x1 ≤ 3× vloer" in names and "200 kaarten ≤ 10 s" in names
    unmeasured = {t["doel"] for t in results["targets"] if t["gehaald"] is None}
    assert "tijd(x100)/tijd(x10) ≤ 11" in unmeasured  # only 1× was run
    report = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Doelen" in report and "| x1 |" in report and results["machine"]["cores"] >= 1
    assert "## Zoeken op een bekend item" in report and "| x1 | 35 | 35 | 35 |" in report
    assert "Verhoudingen" in done.stdout
