"""The benchmark never rots: the generator makes a valid, deterministic corpus and a reduced
run at 1× measures every part and writes its report. No timing is asserted here: speed
targets live in bench/run.py and bench/RESULTS.md."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

from lib.project import ROOT  # noqa: E402
from macros.content.validate import validate_corpus

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
    assert counts == {
        "themablad": 20,
        "dilemma": 100,
        "uitspraak": 60,
        "module": 10,
        "wetgeving": 1,
        "reeks": 1,
        "bronnen": 1,
        "meldroutes": 1,
    }
    result = validate_corpus(first["project"])
    assert result.diagnostics == ()  # no errors and no warnings
    assert len(result.corpus.wetten) == 10
    for items in (result.corpus.themabladen, result.corpus.dilemmas, result.corpus.uitspraken, result.corpus.modules):
        # bronnen is required: both origins occur, and items with several sources
        assert {result.corpus.herkomst(item) for item in items} == {"uit-de-bronnen", "voorbeeld-van-de-redactie"}
        assert max(len(item.bronnen) for item in items) == 2
    assert {m.soort for m in result.corpus.modules} == {
        "moreel-beraad",
        "masterclass",
        "leerlijn",
        "handreiking",
        "sessieplan",
        "gespreksvorm",
    }
    assert [r.id for r in result.corpus.meldroutes.routes] == ["testroute-1", "testroute-2"]
    assert all(u.ecli.startswith("ECLI:NL:TEST:") for u in result.corpus.uitspraken)
    # the equivalent hand-written site has one page per item plus the overviews, all in the nav
    pages = _tree(first["markdown"] / "docs")
    assert len(pages) == 20 + 100 + 60 + 10 + 6
    nav = (first["markdown"] / "mkdocs.yml").read_text(encoding="utf-8")
    assert all(page in nav for page in pages)


def test_the_fair_peer_has_the_navigation_of_kompas(tmp_path):
    paths = generate.generate(1, tmp_path)
    fair = paths["fair"]
    pages = _tree(fair / "docs")
    assert pages == _tree(paths["markdown"] / "docs")
    nav = (fair / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    listed = {line.split(":", 1)[-1].strip() for line in nav.splitlines() if line.strip()}
    assert listed == {
        "index.md",
        "themabladen/index.md",
        "dilemmas/index.md",
        "jurisprudentie.md",
        "wetgeving.md",
        "modules/index.md",
    }
    assert "search" in (fair / "mkdocs.yml").read_text(encoding="utf-8")  # Material's own search
    overview = (fair / "docs" / "dilemmas" / "index.md").read_text(encoding="utf-8")
    assert all(
        f"]({Path(page).name})" in overview
        for page in pages
        if page.startswith("dilemmas/") and page != "dilemmas/index.md"
    )  # every item page is reachable from its overview
    assert "kaarten: false" not in (paths["project"] / "mkdocs.yml").read_text(encoding="utf-8")  # decks on


def test_reduced_run_at_1x_measures_everything_and_reports(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    # --tests geen: this test is itself part of make test (the timing of the tests: test_tests_are_timed)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--scales",
            "1",
            "--repeat",
            "1",
            "--cards",
            "4",
            "--out",
            str(out),
            "--work",
            str(work),
            "--tests",
            "geen",
            "--vorige",
            str(ROOT / "bench" / "results.json"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 2 means a measurement failed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    [scale] = results["scales"]
    assert scale["scale"] == 1 and scale["counts"]["dilemma"] == 100
    for part in ("validate", "check_jsonschema", "build", "build_warm", "material", "material_fair", "floor"):
        assert scale[part]["cpu_s"] > 0 and scale[part]["peak_mb"] > 0, part
    assert scale["floor"]["pages"] == 196 and 0 < scale["floor"]["convert_cpu_s"] < scale["floor"]["cpu_s"]
    build = scale["build_warm"]
    assert build["pages"] > 196 and build["avg_page_bytes"] > 1000 and build["site_bytes"] > build["pages"] * 1000
    assert build["search_index_bytes"] > 0 and build["search_payload_source"]
    assert build["changed"].startswith("content/dilemmas/")
    known = build["known_items"]  # typed in Chromium: every known item is found, and shown first
    assert known["cases"] == 35 and known["first"] == 35 and known["missed"] == [], known
    for peer in ("material", "material_fair"):
        assert scale[peer]["pages"] == 196 and not scale[peer]["timed_out"], peer
    assert scale["material_fair"]["search_index_bytes"] > 0  # Material's search is on
    # the editor loop of make serve, on the starter corpus and at 1x
    for serve in (results["serve_start"], scale["serve"]):
        assert len(serve["edits_s"]) == 5 and serve["median_s"] > 0, serve
        assert serve["error_shown_with_file_line"] and serve["full_rebuilds"] == 0, serve
    assert set(scale["ratios"]) >= {
        "build_warm_vs_fair",
        "build_cold_vs_fair",
        "build_warm_vs_every_page",
        "build_cold_vs_floor",
        "validate_vs_check_jsonschema",
    }
    assert results["cards"].get("cards") == 4 or "missing" in results["cards"]
    targets = {target["doel"]: target for target in results["targets"]}
    assert all({"doel", "waarde", "grens", "gehaald", "vervallen"} <= set(t) for t in targets.values())
    assert any("serve" in name and t["waarde"] is not None for name, t in targets.items())
    assert targets["bouw x1 ≤ 3× vloer"]["vervallen"] and "200 kaarten ≤ 10 s" in targets
    assert targets["tijd(x100)/tijd(x10) ≤ 11"]["gehaald"] is None  # only 1x was run
    assert "sessie" in scale  # the place for the session-page figures (issue 16)
    # make inhoud (issue 27): for real on the starter content, and its steps at 1x; cold, then warm
    start = results["inhoud_start"]
    assert start["koud"]["wall_s"] > 0 and start["warm"]["wall_s"] > 0, start
    assert start["paginacache"].startswith("Itempagina's uit de paginacache: ")
    inhoud = scale["inhoud"]
    assert [step["stap"] for step in inhoud["warm"]["stappen"]] == [
        "valideer --formaat",
        "pytest (tests van de startinhoud)",
        "bouw --zonder-kaarten",
    ]
    assert inhoud["changed"].startswith("content/dilemmas/") and inhoud["warm"]["wall_s"] > 0
    for name in (
        "make inhoud, startinhoud, warme cache (één gewijzigd dilemma) ≤ 2 min wandklok",
        "make inhoud x1, warme cache (één gewijzigd dilemma) ≤ 2 min wandklok",
    ):
        assert targets[name]["waarde"] is not None, name
    assert targets["make inhoud x10, warme cache (één gewijzigd dilemma) ≤ 2 min wandklok"]["gehaald"] is None
    import run

    assert results["tests"] == {"missing": "niet gemeten (--tests geen)"}
    # against the previous run: every time of x1 beside the committed run's; the target is x10's
    rows = results["vergelijking"]["rijen"]
    assert {row["meting"] for row in rows if row["schaal"] == 1} >= {"kompas valideer, koud", "kompas bouw, warm"}
    assert targets[run.SLOWER_TARGET]["gehaald"] is None
    report = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Doelen" in report and "| x1 |" in report and results["machine"]["cores"] >= 1
    assert "## Zoeken op een bekend item" in report and "| x1 | 35 | 35 | 35 |" in report
    assert "## Bewerken met `make serve`" in report and "Vervallen doelen" in report
    assert "## Inhoudscontrole (`make inhoud`)" in report and "| startinhoud | " in report
    assert "## Tests" in report and "## Vergeleken met de vorige run" in report
    assert "Verhoudingen" in done.stdout
    # RESULTS.md comes from results.json alone: writing it again from the JSON gives the same file
    (out / "RESULTS.md").unlink()
    again = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--rapport", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert again.returncode in (0, 1), again.stderr
    assert (out / "RESULTS.md").read_text(encoding="utf-8") == report


def test_tests_are_timed_and_compared_with_the_previous_run():
    """bench/run.py times make test-snel and make test as whole processes (here: stand-ins that print
    pytest's summary) and puts every time beside the previous run's; slower at x10 misses the target."""
    import run

    fake = {
        name: [sys.executable, "-c", f"print('{count} passed, 1 skipped in 0.1s')"]
        for name, count in (("snel", 7), ("alles", 9))
    }
    tests = run.bench_tests("alles", fake)
    assert tests["snel"]["passed"] and tests["snel"]["counts"] == {"passed": 7, "skipped": 1}
    assert tests["alles"]["counts"]["passed"] == 9 and tests["alles"]["wall_s"] > 0
    failing = run.bench_tests("snel", {"snel": [sys.executable, "-c", "print('1 failed'); raise SystemExit(1)"]})
    assert not failing["snel"]["passed"] and failing["snel"]["rc"] == 1 and "1 failed" in failing["snel"]["tail"]

    def scale(build_cpu: float) -> dict:
        return {
            "scale": 10,
            "validate": {"cpu_s": 1.0},
            "validate_warm": {"cpu_s": 0.5},
            "build": {"cpu_s": build_cpu},
            "build_warm": {"cpu_s": 5.0},
            "serve": {"median_s": 0.4},
        }

    previous = {
        "date": "eerder",
        "machine": {"cpu": "x"},
        "scales": [scale(100.0)],
        "tests": {"snel": {"wall_s": 50.0}},
    }
    for build_cpu, met in ((105.0, True), (120.0, False)):
        results = {"scales": [scale(build_cpu)], "tests": tests}
        results["vergelijking"] = run.compare(results, previous, "vorige.json")
        value, detail = run.slowest_at_10(results)
        assert (value <= run.TARGETS["not_slower_10"]) is met and value == build_cpu / 100.0
        assert f"kompas bouw, koud 100.00 → {build_cpu:.2f} s" in detail
    assert {"meting": "make test-snel (wandklok)", "telt": False}.items() <= next(
        row for row in results["vergelijking"]["rijen"] if row["schaal"] is None
    ).items()
    assert run.compare(results, None, "-") == {"missing": "geen vorige run om mee te vergelijken"}
    report = run.markdown_report(
        {**_minimal_report(), "scales": [], "tests": tests, "vergelijking": results["vergelijking"], "targets": []}
    )
    assert "| `make test` (alles)" not in report and "9 passed, 1 skipped" in report
    assert "| x10 | kompas bouw, koud | 100.00 s | 120.00 s | 1.20× | **trager** |" in report


def _minimal_report() -> dict:
    return {
        "date": "nu",
        "repeat": 1,
        "versions": {},
        "cards": {},
        "machine": {
            "cpu": "x",
            "cores": 2,
            "memory": "1 GB",
            "platform": "linux",
            "python": "3.11",
            "load_avg_start": [0.0, 0.0, 0.0],
        },
    }
