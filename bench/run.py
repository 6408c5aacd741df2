"""The benchmark of issue 9: speed and size at 1×, 10× and 100× against the peers, in one run.

For each scale it generates the synthetic corpus (``bench/generate.py``) and measures,
every command as a child process (wall time, CPU time and peak memory from
``os.wait4``):

* validation: ``kompas valideer`` against ``check-jsonschema`` on the same files with
  the same schemas (one invocation per schema, as a team would run it);
* the full strict build ``kompas bouw`` against (a) the floor: Python-Markdown converting
  the equivalent Markdown pages (``bench/floor.py``; the time it reports excludes
  interpreter start-up), (b) a plain Material for MkDocs site of those pages with every
  page in the navigation;
* once, a PDF deck of 200 dilemma cards (``bench/cards200.py``).

It writes ``results.json`` and ``RESULTS.md`` and prints the ratios. Exit code: 0 when
every target was met, 1 when a target was missed, 2 when a measurement failed (for
example a build that did not succeed).

    python bench/run.py [--scales 1 10 100] [--repeat N] [--out bench] [--work bench/work]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import content_files, generate  # noqa: E402

BIN = Path(sys.executable).parent
SCHEMAS = ROOT / "schemas"

TARGETS = {
    "build_vs_floor": 3.0,  # full build ≤ 3× the Markdown floor, at every scale
    "build_vs_material_100": 0.5,  # at 100×: ≤ 0.5× the plain Material site
    "linear_100_10": 11.0,  # time(100×)/time(10×)
    "validate_100_s": 2.0,  # validation of the 100× corpus
    "cards_200_s": 10.0,
    "search_payload_100_bytes": 1_000_000,
}


# `kompas valideer` without its per-file cache: the cold measurement.
NO_CACHE_FLAG = "--zonder-cache"

NOT_IN_RUN = "niet in deze run gemeten (draai met --scales 10 100)"


class Failed(Exception):
    """A measured command failed; the message says which and why."""


def measure(cmd: list[str], *, cwd: Path | None = None, timeout: float | None = None, check: bool = True,
            env: dict | None = None) -> dict:
    """Run a child process and measure it with os.wait4 (its own CPU time and peak memory, including
    the children it waited for, such as Pagefind or card workers)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, env=env)
        deadline = None if timeout is None else start + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if check and proc.returncode != 0 and not timed_out:
        raise Failed(f"{' '.join(map(str, cmd[:4]))} ... gaf code {proc.returncode}:\n{stderr[-3000:]}")
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "rc": proc.returncode, "timed_out": timed_out,
            "stdout": stdout, "stderr": stderr}


def best(cmd: list[str], repeat: int, *, cold: bool = False, **kwargs) -> dict:
    """The cheapest of ``repeat`` runs (the least disturbed by other load on the machine).

    ``cold``: every run gets its own empty cache folder (KOMPAS_CACHE_DIR), so no run profits
    from an earlier one (validation cache, card decks).
    """
    runs = []
    for _ in range(repeat):
        if cold:
            with tempfile.TemporaryDirectory(prefix="kompas-bench-cache-") as cache:
                runs.append(measure(cmd, env={**os.environ, "KOMPAS_CACHE_DIR": cache}, **kwargs))
        else:
            runs.append(measure(cmd, **kwargs))
    chosen = min(runs, key=lambda r: r["cpu_s"])
    chosen["runs_wall_s"] = [r["wall_s"] for r in runs]
    return chosen


def public(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("stdout", "stderr", "rc")}


# -- site metrics ------------------------------------------------------------------------------------
def site_metrics(site: Path, payload: bool = True) -> dict:
    """Size of a built site; the search index on disk; for our site also the search payload."""
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html" and p.name != "404.html"]
    html_bytes = sum(p.stat().st_size for p in html)
    index = [p for p in files if p.is_relative_to(site / "pagefind") or p == site / "search" / "search_index.json"]
    return {"site_bytes": sum(p.stat().st_size for p in files), "files": len(files), "pages": len(html),
            "avg_page_bytes": round(html_bytes / len(html)) if html else 0,
            "search_index_bytes": sum(p.stat().st_size for p in index), **(search_payload(site) if payload else {})}


def search_payload(site: Path, query: str = "nachtdienst") -> dict:
    """What a browser downloads before it shows the first search result.

    Uses ``scripts/search_payload.py`` (Chromium against the served site, counting every
    response body until the first result is on screen). Without it, or when it fails,
    the search files on disk are counted instead and the report says so.
    """
    helper = ROOT / "scripts" / "search_payload.py"
    if helper.exists():
        done = subprocess.run([sys.executable, str(helper), str(site), query], capture_output=True, text=True,
                              cwd=ROOT, timeout=600)
        if done.returncode == 0:
            try:
                data = json.loads(done.stdout)
                return {"search_payload_bytes": data["total_bytes"], "search_only_bytes": data.get("search_bytes"),
                        "search_first_result_s": data.get("seconds"),
                        "search_payload_source": f"scripts/search_payload.py (Chromium, zoekterm '{query}')"}
            except (json.JSONDecodeError, KeyError, TypeError):
                pass
        reason = "scripts/search_payload.py faalde: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    else:
        reason = "scripts/search_payload.py ontbreekt"
    parts = [site / "search" / "search_index.json"] + sorted((site / "pagefind").rglob("*"))
    size = sum(p.stat().st_size for p in parts if p.is_file())
    return {"search_payload_bytes": None, "search_files_bytes": size,
            "search_payload_source": f"{reason}; alleen de zoekbestanden op schijf geteld ({_mb(size)})"}


KNOWN_PER_KIND = {"dilemma": 10, "uitspraak": 10, "themablad": 10, "module": 5}


def known_item_cases(project: Path) -> list[tuple[str, str]]:
    """What someone who knows an item types to find it, and the page that should come first:
    the title of dilemmas, sheets and modules, the ECLI of rulings; spread evenly over the
    corpus (the same items every run)."""
    from macros.render import page_url
    from macros.validate import validate_corpus

    corpus = validate_corpus(project).corpus
    items = {"dilemma": corpus.dilemmas, "uitspraak": corpus.uitspraken, "themablad": corpus.themabladen,
             "module": corpus.modules}
    cases = []
    for kind, count in KNOWN_PER_KIND.items():
        chosen = items[kind]
        step = max(1, len(chosen) // count)
        for item in list(chosen)[::step][:count]:
            query = item.ecli if kind == "uitspraak" else item.titel
            cases.append((query, page_url(kind, item.id)))
    return cases


def known_items(project: Path, site: Path) -> dict:
    """Known-item search in Chromium (``scripts/search_payload.py --vind``): how often the page
    someone looks for by its title or ECLI is the first result. Reported, not a target."""
    helper = ROOT / "scripts" / "search_payload.py"
    with tempfile.TemporaryDirectory(prefix="kompas-bench-zoek-") as folder:
        cases = Path(folder) / "cases.json"
        cases.write_text(json.dumps(known_item_cases(project), ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, str(helper), str(site), "--vind", str(cases)], capture_output=True,
                              text=True, cwd=ROOT, timeout=1800)
    if done.returncode != 0:
        return {"missing": "scripts/search_payload.py --vind faalde: " + (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout)


# -- one scale ---------------------------------------------------------------------------------------
def bench_scale(scale: int, work: Path, repeat: int, material_timeout: float) -> dict:
    print(f"\n== x{scale}: genereren", flush=True)
    paths = generate(scale, work / f"x{scale}")
    project, markdown_site = paths["project"], paths["markdown"]
    files = content_files(project)
    result: dict = {"scale": scale, "counts": {kind: len(paths_) for kind, paths_ in files.items()},
                    "content_bytes": sum(p.stat().st_size for ps in files.values() for p in ps)}

    print(f"== x{scale}: valideren (kompas valideer koud en warm, check-jsonschema)", flush=True)
    validate = [str(BIN / "kompas"), "valideer", "--map", str(project)]
    ours = best(validate + [NO_CACHE_FLAG], repeat, cold=True)
    if "0 fouten" not in ours["stdout"]:
        raise Failed(f"Het synthetische corpus x{scale} is niet geldig:\n{ours['stdout'][-2000:]}")
    result["validate"] = public(ours)
    with tempfile.TemporaryDirectory(prefix="kompas-bench-cache-") as cache:
        env = {**os.environ, "KOMPAS_CACHE_DIR": cache}
        measure(validate, env=env)  # fills the cache
        warm = min((measure(validate, env=env) for _ in range(max(repeat, 2))), key=lambda r: r["cpu_s"])
    if "0 fouten" not in warm["stdout"]:
        raise Failed(f"Valideren met cache gaf een ander resultaat:\n{warm['stdout'][-2000:]}")
    result["validate_warm"] = public(warm)
    peer_runs = []
    for _ in range(repeat):
        total = {"wall_s": 0.0, "cpu_s": 0.0, "peak_mb": 0.0}
        for kind, kind_files in files.items():
            one = measure([str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMAS / f"{kind}.schema.json"),
                           *map(str, kind_files)])
            total["wall_s"] += one["wall_s"]
            total["cpu_s"] += one["cpu_s"]
            total["peak_mb"] = max(total["peak_mb"], one["peak_mb"])
        peer_runs.append({k: round(v, 3) for k, v in total.items()})
    peer = min(peer_runs, key=lambda r: r["cpu_s"])
    peer["runs_wall_s"] = [r["wall_s"] for r in peer_runs]
    peer["invocations"] = len(files)
    result["check_jsonschema"] = peer

    print(f"== x{scale}: bouwen (kompas bouw)", flush=True)
    site = work / f"x{scale}" / "site"
    build = best([str(BIN / "kompas"), "bouw", "--map", str(project), "--uit", str(site)], repeat, cold=True)
    result["build"] = {**public(build), **site_metrics(site)}
    result["build"]["known_items"] = known_items(project, site)

    print(f"== x{scale}: vloer (Python-Markdown)", flush=True)
    floor_out = work / f"x{scale}" / "floor-html"
    floors = []
    for _ in range(repeat):
        shutil.rmtree(floor_out, ignore_errors=True)
        one = measure([sys.executable, str(BENCH / "floor.py"), str(markdown_site / "docs"), str(floor_out)])
        one.update(json.loads(one["stdout"]))
        floors.append(one)
    floor = min(floors, key=lambda r: r["convert_cpu_s"])
    result["floor"] = public(floor)

    print(f"== x{scale}: gewone Material-site (mkdocs build)", flush=True)
    plain_site = markdown_site / "site"
    plain = best([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(markdown_site / "mkdocs.yml"),
                  "-d", str(plain_site)], 1 if scale >= 100 else repeat, timeout=material_timeout, check=True)
    result["material"] = public(plain)
    if not plain["timed_out"]:
        result["material"].update(site_metrics(plain_site, payload=False))
    shutil.rmtree(plain_site, ignore_errors=True)
    result["ratios"] = {k: round(v, 4) for k, v in ratios(result).items()}
    return result


def bench_cards(work: Path, count: int) -> dict:
    print(f"\n== kaarten: {count} dilemmakaarten als pdf", flush=True)
    try:
        import macros.cards  # noqa: F401
    except ImportError as error:
        return {"missing": f"macros/cards.py is niet te laden: {error}"}
    paths = generate(max(1, -(-count // 100)), work / "cards")
    one = measure([sys.executable, str(BENCH / "cards200.py"), str(paths["project"]), str(work / "cards" / "deck.pdf"),
                   str(count)], check=False)
    if one["rc"] != 0:
        return {"missing": "de kaartenmeting faalde: " + one["stderr"].strip().splitlines()[-1:][0]
                if one["stderr"].strip() else "de kaartenmeting faalde"}
    return {**public(one), **json.loads(one["stdout"])}


# -- ratios and targets ------------------------------------------------------------------------------
def t(measurement: dict, key: str = "cpu_s") -> float:
    """The time a target is checked on: CPU seconds of the process (see RESULTS.md, 'Tijd')."""
    return measurement[key]


def ratios(r: dict) -> dict:
    m = r["material"]
    return {"build_vs_floor": t(r["build"]) / t(r["floor"], "convert_cpu_s"),
            "build_vs_material": t(r["build"]) / t(m),
            "validate_vs_check_jsonschema": t(r["validate"]) / t(r["check_jsonschema"]),
            "build_vs_floor_wall": r["build"]["wall_s"] / r["floor"]["convert_s"],
            "build_vs_material_wall": r["build"]["wall_s"] / m["wall_s"],
            "validate_vs_check_jsonschema_wall": r["validate"]["wall_s"] / r["check_jsonschema"]["wall_s"]}


def evaluate(results: dict) -> list[dict]:
    scales = {r["scale"]: r for r in results["scales"]}
    checks: list[dict] = []

    def check(name: str, value, limit, ok, detail: str) -> None:
        checks.append({"doel": name, "waarde": value, "grens": limit,
                       "gehaald": None if value is None else bool(ok), "toelichting": detail})

    for scale, r in sorted(scales.items()):
        ratio = r["ratios"]["build_vs_floor"]
        check(f"bouw x{scale} ≤ 3× vloer", round(ratio, 2), TARGETS["build_vs_floor"], ratio <= TARGETS["build_vs_floor"],
              f"bouw {t(r['build']):.2f} s CPU, vloer {t(r['floor'], 'convert_cpu_s'):.2f} s CPU "
              f"(wandklok {r['ratios']['build_vs_floor_wall']:.2f}×)")
    if 100 in scales:
        r = scales[100]
        material = r["material"]
        ratio = r["ratios"]["build_vs_material"]
        bound = "; Material afgebroken na de tijdslimiet, dus de echte verhouding is nog kleiner" \
            if material["timed_out"] else ""
        check("bouw x100 ≤ 0,5× gewone Material-site", round(ratio, 3), TARGETS["build_vs_material_100"],
              ratio <= TARGETS["build_vs_material_100"],
              f"bouw {t(r['build']):.1f} s CPU, Material {t(material):.1f} s CPU{bound}")
    else:
        check("bouw x100 ≤ 0,5× gewone Material-site", None, TARGETS["build_vs_material_100"], False, NOT_IN_RUN)
    if 10 in scales and 100 in scales:
        ratio = t(scales[100]["build"]) / t(scales[10]["build"])
        check("tijd(x100)/tijd(x10) ≤ 11", round(ratio, 2), TARGETS["linear_100_10"], ratio <= TARGETS["linear_100_10"],
              f"bouw x10 {t(scales[10]['build']):.1f} s CPU, x100 {t(scales[100]['build']):.1f} s CPU")
    else:
        check("tijd(x100)/tijd(x10) ≤ 11", None, TARGETS["linear_100_10"], False, NOT_IN_RUN)
    if 100 in scales:
        r = scales[100]
        v, peer = t(r["validate"]), t(r["check_jsonschema"])
        check("valideren x100 ≤ 2 s, koud (zonder cache)", v, TARGETS["validate_100_s"], v <= TARGETS["validate_100_s"],
              f"kompas valideer {NO_CACHE_FLAG}: {v:.2f} s CPU, {r['validate']['wall_s']:.2f} s wandklok")
        w = t(r["validate_warm"])
        check("valideren x100 ≤ 2 s, warm (cache per bestand, niets gewijzigd)", w, TARGETS["validate_100_s"],
              w <= TARGETS["validate_100_s"],
              f"kompas valideer: {w:.2f} s CPU, {r['validate_warm']['wall_s']:.2f} s wandklok")
        check("valideren x100 sneller dan check-jsonschema", round(v / peer, 3), 1.0, v < peer,
              f"kompas valideer {v:.2f} s CPU, check-jsonschema {peer:.2f} s CPU")
        payload = r["build"].get("search_payload_bytes")
        check("zoeklading x100 ≤ 1 MB", payload, TARGETS["search_payload_100_bytes"],
              payload is not None and payload <= TARGETS["search_payload_100_bytes"],
              r["build"].get("search_payload_source", ""))
    else:
        for name, limit in (("valideren x100 ≤ 2 s, koud (zonder cache)", 2.0),
                            ("valideren x100 ≤ 2 s, warm (cache per bestand, niets gewijzigd)", 2.0), ("valideren x100 sneller dan check-jsonschema", 1.0),
                            ("zoeklading x100 ≤ 1 MB", TARGETS["search_payload_100_bytes"])):
            check(name, None, limit, False, NOT_IN_RUN)
    cards = results.get("cards") or {}
    if "render_s" in cards and cards["cards"] != 200:
        check("200 kaarten ≤ 10 s", None, TARGETS["cards_200_s"], False,
              f"{cards['cards']} kaarten gemeten, niet 200 ({cards['render_cpu_s']:.2f} s CPU)")
    elif "render_s" in cards:
        value = cards["render_cpu_s"]
        check("200 kaarten ≤ 10 s", round(value, 2), TARGETS["cards_200_s"], value <= TARGETS["cards_200_s"],
              f"{cards['cards']} kaarten, {cards['pages']} pagina's; {cards['render_s']:.1f} s wandklok")
    else:
        check("200 kaarten ≤ 10 s", None, TARGETS["cards_200_s"], False, cards.get("missing", "niet gemeten"))
    return checks


# -- report ------------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except OSError:
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "load_avg_start": os.getloadavg()}


def versions() -> dict:
    names = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "jsonschema", "check-jsonschema",
             "PyYAML", "Jinja2", "weasyprint")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def _mb(value) -> str:
    return "–" if value is None else f"{value / 1_000_000:.2f} MB"


def _kb(value) -> str:
    return "–" if value is None else f"{value / 1000:.1f} kB"


def markdown_report(results: dict, notes: str) -> str:
    lines = [
        "# Benchmark: Kompas tegen de alternatieven", "",
        f"Gemeten op {results['date']} met `python bench/run.py` (`make bench`). Alle getallen komen uit één run "
        "op deze machine; elke meting is een eigen proces (wandkloktijd, CPU-tijd en piekgeheugen via `os.wait4`); "
        f"bij herhaling ({results['repeat']}× onder x100, 1× bij x100) telt de snelste run.", "",
        f"- Machine: {results['machine']['cpu']} ({results['machine']['cores']} kernen, {results['machine']['memory']}), "
        f"{results['machine']['platform']}, Python {results['machine']['python']}; "
        f"belasting bij de start {', '.join(f'{x:.1f}' for x in results['machine']['load_avg_start'])}.",
        "- Versies: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items() if v) + ".", "",
        "## Doelen", "", "| Doel | Gemeten | Grens | Gehaald | Toelichting |", "| --- | --- | --- | --- | --- |",
    ]
    for c in results["targets"]:
        status = "niet gemeten" if c["gehaald"] is None else ("ja" if c["gehaald"] else "**nee**")
        lines.append(f"| {c['doel']} | {'–' if c['waarde'] is None else c['waarde']} | {c['grens']} | {status} | "
                     f"{c['toelichting']} |")
    lines += ["", "## Valideren", "", "Tijden: CPU-tijd (wandklok); piekgeheugen van het proces.", "",
              "| Schaal | Bestanden | Inhoud | kompas valideer, koud | Piekgeheugen | warm (cache) | "
              "check-jsonschema (6×) | Piekgeheugen | Verhouding (koud) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results["scales"]:
        v, p = r["validate"], r["check_jsonschema"]
        w = r.get("validate_warm")
        warm = f"{w['cpu_s']:.2f} s ({w['wall_s']:.2f} s)" if w else "–"
        lines.append(f"| x{r['scale']} | {sum(r['counts'].values())} | {_mb(r['content_bytes'])} | "
                     f"{v['cpu_s']:.2f} s ({v['wall_s']:.2f} s) | {v['peak_mb']:.0f} MB | {warm} | "
                     f"{p['cpu_s']:.2f} s ({p['wall_s']:.2f} s) | {p['peak_mb']:.0f} MB | "
                     f"{r['ratios']['validate_vs_check_jsonschema']:.3f}× |")
    lines += ["", "## Bouwen", "", "Tijden: CPU-tijd (wandklok); piekgeheugen van het proces of van zijn grootste "
              "kindproces (bij `kompas bouw` is dat Pagefind).", "",
              "| Schaal | Pagina's | kompas bouw | Piekgeheugen | Vloer (Markdown) | Bouw/vloer | "
              "Gewone Material-site | Piekgeheugen | Bouw/Material |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results["scales"]:
        b, f, m, q = r["build"], r["floor"], r["material"], r["ratios"]
        cut = "> " if m["timed_out"] else ""
        lines.append(f"| x{r['scale']} | {b['pages']} | {b['cpu_s']:.2f} s ({b['wall_s']:.2f} s) | {b['peak_mb']:.0f} MB | "
                     f"{f['convert_cpu_s']:.2f} s ({f['convert_s']:.2f} s) | {q['build_vs_floor']:.2f}× | "
                     f"{cut}{m['cpu_s']:.2f} s ({cut}{m['wall_s']:.2f} s){' afgebroken' if m['timed_out'] else ''} | "
                     f"{m['peak_mb']:.0f} MB | {'< ' if m['timed_out'] else ''}{q['build_vs_material']:.3f}× |")
    lines += ["", "## Omvang", "",
              "| Schaal | Site kompas | Gem. pagina | Zoekindex | Zoeklading | Site Material | Gem. pagina | "
              "Zoekindex Material |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results["scales"]:
        b, m = r["build"], r["material"]
        lines.append(f"| x{r['scale']} | {_mb(b['site_bytes'])} | {_kb(b['avg_page_bytes'])} | "
                     f"{_mb(b.get('search_index_bytes'))} | {_mb(b.get('search_payload_bytes'))} | "
                     f"{_mb(m.get('site_bytes'))} | {_kb(m.get('avg_page_bytes'))} | {_mb(m.get('search_index_bytes'))} |")
    lines += ["", "## Zoeken op een bekend item", "",
              "Wie een item kent, typt de titel (themablad, dilemma, module) of de ECLI (uitspraak); telt: staat "
              "dat item als eerste resultaat? Gemeten, geen doel.", "",
              "| Schaal | Zoekvragen | Eerste resultaat | Bij de getoonde 10 | Mediaan tot resultaten | Gemist |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in results["scales"]:
        k = r["build"].get("known_items") or {}
        if "cases" not in k:
            lines.append(f"| x{r['scale']} | – | – | – | – | niet gemeten: {k.get('missing', 'ontbreekt')} |")
            continue
        missed = "; ".join(f"'{f['query']}': {'niet getoond' if f['rank'] is None else str(f['rank']) + 'e'}"
                           for f in k["missed"]) or "–"
        lines.append(f"| x{r['scale']} | {k['cases']} | {k['first']} | {k['shown']} | {k['median_s']:.2f} s | "
                     f"{missed} |")
    cards = results.get("cards") or {}
    lines += ["", "## Dilemmakaarten", ""]
    if "render_s" in cards:
        lines.append(f"{cards['cards']} kaarten op {cards['pages']} A4-pagina's: opmaken en schrijven "
                     f"{cards['render_cpu_s']:.2f} s CPU ({cards['render_s']:.2f} s wandklok); het hele proces met "
                     f"valideren {cards['cpu_s']:.1f} s CPU, {cards['peak_mb']:.0f} MB; pdf {_mb(cards['pdf_bytes'])}.")
    else:
        lines.append(f"Niet gemeten: {cards.get('missing', 'overgeslagen')}.")
    lines += ["", "## Wat er gemeten wordt", "",
              "- **Corpus**: `bench/generate.py` maakt met een vaste seed een synthetisch corpus in de vorm van de "
              "startinhoud; x1 = 20 themabladen, 100 dilemma's, 60 uitspraken, 10 modules, 10 wetten (plus de echte "
              "reeks en pagina's). ECLI's hebben instantiecode TEST; alles is testdata in `bench/work/`.",
              "- **Valideren**: `kompas valideer --map PROJECT` (schema's, alle controles over bestanden heen), koud "
              f"(`{NO_CACHE_FLAG}`, lege cachemap) en warm (tweede run met de cache per bestand van de eerste: zo "
              "werkt het bij een redacteur die opnieuw valideert, of bij `mkdocs serve`), tegen "
              "`check-jsonschema --schemafile` met dezelfde schema's op dezelfde bestanden: één aanroep per soort "
              "(6), opgeteld. check-jsonschema controleert alleen het schema.",
              "- **Bouwen**: `kompas bouw` (strikte MkDocs-bouw met valideren, gegenereerde pagina's, macro's, "
              "linkcontrole, Pagefind-index; CPU-tijd inclusief Pagefind), elke run met een lege cachemap. Vloer: `bench/floor.py` zet dezelfde tekst als handgeschreven Markdown-pagina's om met "
              "Python-Markdown (zelfde extensies, één converter in een lus, lezen en schrijven inbegrepen, zonder "
              "opstarten van Python). Gewone Material-site: dezelfde pagina's met `mkdocs build --strict`, "
              "Material-thema, zoekfunctie, elke pagina in de navigatie.",
              "- **Zoeklading**: wat de browser laadt tot het eerste zoekresultaat op het scherm staat (pagina plus "
              "zoeken), gemeten door `scripts/search_payload.py` met Chromium tegen de lokaal geserveerde site. "
              "Zoekindex: de zoekbestanden op schijf (`pagefind/` of `search/search_index.json`).",
              "- **Zoeken op een bekend item**: `scripts/search_payload.py --vind` typt in Chromium voor 35 items "
              "(10 dilemma's, 10 uitspraken, 10 themabladen, 5 modules, gelijk verdeeld over het corpus) de titel "
              "of de ECLI in het zoekvak van de gebouwde site, in één browsersessie, en leest de getoonde resultaten.",
              "- **Tijd**: de doelen worden getoetst op de CPU-tijd (user + sys) van het proces: deze machine heeft "
              "2 kernen en wordt gedeeld met andere processen, waardoor de wandklok tot drie keer zo hoog kan zijn "
              "zonder dat het programma iets anders doet. De wandklok staat er steeds tussen haakjes bij. "
              "Vloer en kaarten: de tijd die het proces zelf meet voor het omzetten en het opmaken (zonder opstarten).",
              ""]
    if notes:
        lines += ["## Profileren en verbeteren", "", notes.strip(), ""]
    return "\n".join(lines)


def write_outputs(results: dict, out: Path, partial: bool) -> None:
    """results.json and RESULTS.md; bench/NOTES.md (what was profiled and changed) goes into the report."""
    results["partial"] = partial
    results["targets"] = evaluate(results)
    notes_file = BENCH / "NOTES.md"
    notes = notes_file.read_text(encoding="utf-8") if notes_file.exists() and out.resolve() == BENCH else ""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report = markdown_report(results, notes)
    if partial:
        report = report.replace("\n", "\n\n**Tussenstand: de run is nog bezig of is afgebroken.**\n", 1)
    (out / "RESULTS.md").write_text(report, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark van Kompas tegen de alternatieven (issue 9).")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="schalen (standaard 1 10 100)")
    parser.add_argument("--repeat", type=int, default=3, help="herhalingen per meting onder x100 (snelste telt)")
    parser.add_argument("--cards", type=int, default=200, help="aantal kaarten in de pdf (0: overslaan)")
    parser.add_argument("--material-timeout", type=float, default=900.0,
                        help="seconden voordat de gewone Material-site wordt afgebroken")
    parser.add_argument("--out", type=Path, default=BENCH, help="map voor results.json en RESULTS.md")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="werkmap voor de corpora")
    parser.add_argument("--samenvoegen", type=Path, nargs="+", metavar="RESULTS_JSON",
                        help="voeg eerdere results.json-bestanden samen (bijv. x100 apart gedraaid) en schrijf het rapport")
    args = parser.parse_args(argv)
    if args.samenvoegen:
        parts = [json.loads(p.read_text(encoding="utf-8")) for p in args.samenvoegen]
        results = {**parts[0], "scales": sorted((s for p in parts for s in p["scales"]), key=lambda s: s["scale"])}
        results["cards"] = next((p["cards"] for p in parts if "render_s" in p.get("cards", {})),
                                parts[0].get("cards", {}))
        results["merged_from"] = [{"date": p["date"], "scales": [s["scale"] for s in p["scales"]],
                                   "load_avg_start": p["machine"]["load_avg_start"]} for p in parts]
        write_outputs(results, args.out, partial=False)
        return report_and_exit(results, args.out)

    results = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "versions": versions(), "repeat": args.repeat, "scales": []}
    try:
        for scale in args.scales:
            repeat = 1 if scale >= 100 else args.repeat
            results["scales"].append(bench_scale(scale, args.work, repeat, args.material_timeout))
            write_outputs(results, args.out, partial=True)  # a long run that is stopped still leaves its numbers
        results["cards"] = bench_cards(args.work, args.cards) if args.cards else {"missing": "overgeslagen (--cards 0)"}
    except Failed as error:
        print(f"\nMeting mislukt: {error}", file=sys.stderr)
        return 2
    write_outputs(results, args.out, partial=False)
    return report_and_exit(results, args.out)


def report_and_exit(results: dict, out: Path) -> int:
    print("\nVerhoudingen (CPU-tijd; wandklok tussen haakjes):")
    for r in results["scales"]:
        q = r["ratios"]
        print(f"  x{r['scale']}: bouw/vloer {q['build_vs_floor']:.2f}× ({q['build_vs_floor_wall']:.2f}×), "
              f"bouw/Material {q['build_vs_material']:.3f}× ({q['build_vs_material_wall']:.3f}×), "
              f"valideren/check-jsonschema {q['validate_vs_check_jsonschema']:.3f}× "
              f"({q['validate_vs_check_jsonschema_wall']:.3f}×)")
    print("Doelen:")
    for c in results["targets"]:
        status = "niet gemeten" if c["gehaald"] is None else ("gehaald" if c["gehaald"] else "NIET gehaald")
        print(f"  {c['doel']}: {c['waarde']} (grens {c['grens']}): {status}")
    print(f"\nGeschreven: {out / 'results.json'} en {out / 'RESULTS.md'}")
    return 0 if all(c["gehaald"] for c in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
