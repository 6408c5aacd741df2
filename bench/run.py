"""The benchmark of issues 9 and 19: speed and size at 1×, 10× and 100× against the peers, in one run.

For each scale it generates the synthetic corpus (``bench/generate.py``) and measures,
every command as a child process (wall time, CPU time and peak memory from
``os.wait4``):

* validation: ``kompas valideer`` (cold and warm) against ``check-jsonschema`` on the same
  files with the same schemas (one invocation per schema, as a team would run it);
* the build as users run it: ``kompas bouw`` with the card decks, once with empty caches
  (cold) and then after one changed dilemma with the caches of that build (warm);
* its peers: the fair Material peer (the same pages, Kompas' navigation: overview pages in
  the nav, item pages reachable from them, Material's own search), the Material site with
  every page in the nav (second column), and the floor: Python-Markdown converting the same
  pages (``bench/floor.py``), as a whole process including start-up and imports;
* the editor loop of ``make serve`` (``bench/serve.py``): save one dilemma, poll the page
  until the change shows; median of 5 edits, on the starter corpus and at 1× and 10×;
* once, a PDF deck of 200 dilemma cards (``bench/cards200.py``);
* ``make inhoud`` (issue 27), the check of a change request that touches only content: for real in
  a copy of this checkout (the starter content), and its steps (as ``make -n inhoud`` lists them)
  on each synthetic corpus; once with an empty cache, then after one changed dilemma with the
  cache of that run (warm: a pipeline that keeps the caches).
* the tests: ``make test-snel`` (the fast tier) and ``make test`` (everything), each once on an
  empty cache folder, as the time of the whole process (``--tests``; no test asserts a time);
* against the previous run (the ``results.json`` that was there, or ``--vorige``): every time of
  this run beside the one before it; the target is that nothing got slower at x10.

Every measured command runs as users run it: with the bytecode of Kompas compiled first and
without PYTHONDONTWRITEBYTECODE (``as_users_run_it``).

It writes ``results.json`` and ``RESULTS.md`` (generated from ``results.json`` alone; ``--rapport``
writes it again from an existing ``results.json``) and prints the ratios. Exit code: 0 when every
active target was met, 1 when one was missed, 2 when a measurement failed. Retired targets are
reported with ``vervallen: true`` and do not count.

    python bench/run.py [--scales 1 10 100] [--repeat N] [--out bench] [--work bench/work]
                        [--tests alles|snel|geen] [--vorige results.json]
    python bench/run.py --rapport [--out bench]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from macros.harness.project import add_site_hooks

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import content_files, generate  # noqa: E402

BIN = Path(sys.executable).parent
SCHEMAS = ROOT / "schemas"

TARGETS = {
    "build_vs_floor": 3.0,  # retired: full build ≤ 3× the Markdown floor
    "validate_100_s": 2.0,  # cold: retired; warm: kept
    "build_vs_fair": 1.0,  # warm build with decks ≤ 1.0× the fair Material peer, at 10× and 100×
    "serve_starter_s": 1.0,  # make serve, one saved dilemma, median of 5, starter corpus
    "serve_10_s": 2.0,  # same at 10×
    "rebuild_10_wall_s": 10.0,  # kompas bouw after one changed dilemma at 10×, wall clock
    "linear_100_10": 11.0,  # time(100×)/time(10×)
    "cards_200_s": 10.0,
    "search_payload_100_bytes": 1_000_000,
    "peak_100_mb": 4096,  # peak memory of the whole build at 100×
    "inhoud_warm_s": 120.0,  # make inhoud after one changed dilemma, with the kept caches, wall clock
    "not_slower_10": 1.10,  # every CPU time at x10 ≤ 1.10× that of the previous run (noise of a shared machine)
}
# The tests the benchmark times (make targets, run from the repository): --tests alles runs both.
TEST_TARGETS = {"snel": "test-snel", "alles": "test"}
# The times compared with the previous run, per scale: (key, label, which time). CPU times count for
# the target; the editor loop is wall clock (a median of 5 edits) and is shown, not counted.
COMPARED = (
    ("validate", "kompas valideer, koud", "cpu_s"),
    ("validate_warm", "kompas valideer, warm", "cpu_s"),
    ("build", "kompas bouw, koud", "cpu_s"),
    ("build_warm", "kompas bouw, warm", "cpu_s"),
    ("serve", "make serve, mediaan (wandklok)", "median_s"),
)
SERVE_EDITS = 5
SERVE_MAX_SCALE = 10  # the editor loop is measured on the starter corpus and up to this scale


# `kompas valideer` without its per-file cache: the cold measurement.
NO_CACHE_FLAG = "--zonder-cache"

NOT_IN_RUN = "niet in deze run gemeten (draai met --scales 10 100)"


class Failed(Exception):
    """A measured command failed; the message says which and why."""


def as_users_run_it(env: dict | None) -> dict:
    """The environment of a measured command, as users have it: Python keeps the bytecode of the
    modules it imports (``__pycache__``). A machine that sets PYTHONDONTWRITEBYTECODE (this
    workplace's does) would otherwise compile every module changed since the last write on every
    run, which made warm validation at 1x look 60 ms slower than it is."""
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_the_product() -> None:
    """Write the bytecode of Kompas' own modules once, before the first measurement, as the first
    run of an installed product does: no measured run pays for compiling."""
    subprocess.run(
        [str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "macros"), str(BENCH)],
        check=True,
        env=as_users_run_it(None),
    )


def measure(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    check: bool = True,
    env: dict | None = None,
) -> dict:
    """Run a child process and measure it with os.wait4 (its own CPU time and peak memory, including
    the children it waited for, such as Pagefind or card workers)."""
    env = as_users_run_it(env)
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
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "rc": proc.returncode,
        "timed_out": timed_out,
        "stdout": stdout,
        "stderr": stderr,
    }


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
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "pages": len(html),
        "avg_page_bytes": round(html_bytes / len(html)) if html else 0,
        "search_index_bytes": sum(p.stat().st_size for p in index),
        **(search_payload(site) if payload else {}),
    }


def search_payload(site: Path, query: str = "nachtdienst") -> dict:
    """What a browser downloads before it shows the first search result.

    Uses ``scripts/search_payload.py`` (Chromium against the served site, counting every
    response body until the first result is on screen). Without it, or when it fails,
    the search files on disk are counted instead and the report says so.
    """
    helper = ROOT / "scripts" / "search_payload.py"
    if helper.exists():
        done = subprocess.run(
            [sys.executable, str(helper), str(site), query], capture_output=True, text=True, cwd=ROOT, timeout=600
        )
        if done.returncode == 0:
            try:
                data = json.loads(done.stdout)
                return {
                    "search_payload_bytes": data["total_bytes"],
                    "search_only_bytes": data.get("search_bytes"),
                    "search_first_result_s": data.get("seconds"),
                    "search_payload_source": f"scripts/search_payload.py (Chromium, zoekterm '{query}')",
                }
            except (json.JSONDecodeError, KeyError, TypeError):
                pass
        reason = "scripts/search_payload.py faalde: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    else:
        reason = "scripts/search_payload.py ontbreekt"
    parts = [site / "search" / "search_index.json"] + sorted((site / "pagefind").rglob("*"))
    size = sum(p.stat().st_size for p in parts if p.is_file())
    return {
        "search_payload_bytes": None,
        "search_files_bytes": size,
        "search_payload_source": f"{reason}; alleen de zoekbestanden op schijf geteld ({_mb(size)})",
    }


KNOWN_PER_KIND = {"dilemma": 10, "uitspraak": 10, "themablad": 10, "module": 5}


def known_item_cases(project: Path) -> list[tuple[str, str]]:
    """What someone who knows an item types to find it, and the page that should come first:
    the title of dilemmas, sheets and modules, the ECLI of rulings; spread evenly over the
    corpus (the same items every run)."""
    from macros.content.validate import validate_corpus
    from macros.render.render import page_url

    corpus = validate_corpus(project).corpus
    items = {
        "dilemma": corpus.dilemmas,
        "uitspraak": corpus.uitspraken,
        "themablad": corpus.themabladen,
        "module": corpus.modules,
    }
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
        done = subprocess.run(
            [sys.executable, str(helper), str(site), "--vind", str(cases)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=1800,
        )
    if done.returncode != 0:
        return {
            "missing": "scripts/search_payload.py --vind faalde: " + (done.stderr.strip().splitlines() or ["?"])[-1]
        }
    return json.loads(done.stdout)


# -- one scale ---------------------------------------------------------------------------------------
def bench_scale(scale: int, work: Path, repeat: int, material_timeout: float) -> dict:
    print(f"\n== x{scale}: genereren", flush=True)
    paths = generate(scale, work / f"x{scale}")
    project, markdown_site = paths["project"], paths["markdown"]
    files = content_files(project)
    result: dict = {
        "scale": scale,
        "counts": {kind: len(paths_) for kind, paths_ in files.items()},
        "content_bytes": sum(p.stat().st_size for ps in files.values() for p in ps),
    }

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
            one = measure(
                [
                    str(BIN / "check-jsonschema"),
                    "--schemafile",
                    str(SCHEMAS / f"{kind}.schema.json"),
                    *map(str, kind_files),
                ]
            )
            total["wall_s"] += one["wall_s"]
            total["cpu_s"] += one["cpu_s"]
            total["peak_mb"] = max(total["peak_mb"], one["peak_mb"])
        peer_runs.append({k: round(v, 3) for k, v in total.items()})
    peer = min(peer_runs, key=lambda r: r["cpu_s"])
    peer["runs_wall_s"] = [r["wall_s"] for r in peer_runs]
    peer["invocations"] = len(files)
    result["check_jsonschema"] = peer

    print(f"== x{scale}: bouwen (kompas bouw met kaarten; lege cache, dan warm na één gewijzigd dilemma)", flush=True)
    site = work / f"x{scale}" / "site"
    cache = work / f"x{scale}" / "cache"
    bouw = [str(BIN / "kompas"), "bouw", "--map", str(project), "--uit", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    colds = []
    for _ in range(1 if scale >= 10 else repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(measure(bouw, env={**env, "KOMPAS_CACHE_DIR": str(cache)}))
    cold = min(colds, key=lambda r: r["cpu_s"])
    cold["runs_wall_s"] = [r["wall_s"] for r in colds]
    result["build"] = {**public(cold), **site_metrics(site, payload=False)}
    warms = []
    dilemma = sorted((project / "content" / "dilemmas").glob("*.yaml"))[0]
    original = dilemma.read_text(encoding="utf-8")
    for number in range(1, repeat + 1):  # every run changes the dilemma again: never a cached card
        changed = re.sub(
            r"^titel: .*$", f'titel: "Gewijzigd {number}: {dilemma.stem}"', original, count=1, flags=re.MULTILINE
        )
        dilemma.write_text(changed, encoding="utf-8")
        warms.append(measure(bouw, env={**env, "KOMPAS_CACHE_DIR": str(cache)}))
    warm = min(warms, key=lambda r: r["cpu_s"])
    warm["runs_wall_s"] = [r["wall_s"] for r in warms]
    warm["changed"] = dilemma.relative_to(project).as_posix()
    result["build_warm"] = {**public(warm), **site_metrics(site)}
    result["build_warm"]["known_items"] = known_items(project, site)
    dilemma.write_text(original, encoding="utf-8")
    result["sessie"] = bench_sessions(project, site, scale)

    print(f"== x{scale}: vloer (Python-Markdown, hele proces)", flush=True)
    floor_out = work / f"x{scale}" / "floor-html"
    floors = []
    for _ in range(repeat):
        shutil.rmtree(floor_out, ignore_errors=True)
        one = measure([sys.executable, str(BENCH / "floor.py"), str(markdown_site / "docs"), str(floor_out)])
        one.update(json.loads(one["stdout"]))
        floors.append(one)
    floor = min(floors, key=lambda r: r["cpu_s"])
    result["floor"] = public(floor)

    print(f"== x{scale}: eerlijke Material-site (navigatie als Kompas, Material-zoekfunctie)", flush=True)
    result["material_fair"] = material_build(paths["fair"], 1 if scale >= 100 else repeat, material_timeout)
    print(f"== x{scale}: Material-site met elke pagina in de navigatie", flush=True)
    result["material"] = material_build(markdown_site, 1 if scale >= 100 else repeat, material_timeout)

    print(
        f"== x{scale}: make inhoud (stappen uit de Makefile; lege cache, dan warm na één gewijzigd dilemma)", flush=True
    )
    result["inhoud"] = bench_inhoud_scale(project, work / f"x{scale}")

    if scale <= SERVE_MAX_SCALE:
        print(f"== x{scale}: make serve, {SERVE_EDITS} keer een dilemma opslaan", flush=True)
        result["serve"] = bench_serve(project, cache)
    result["ratios"] = {k: round(v, 4) for k, v in ratios(result).items()}
    return result


def material_build(folder: Path, repeat: int, timeout: float) -> dict:
    plain_site = folder / "site"
    plain = best(
        [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(plain_site)],
        repeat,
        timeout=timeout,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    out = public(plain)
    if not plain["timed_out"]:
        out.update(site_metrics(plain_site, payload=False))
    shutil.rmtree(plain_site, ignore_errors=True)
    return out


def bench_serve(project: Path, cache: Path | None = None) -> dict:
    """``bench/serve.py`` as a child process: the editor loop of ``make serve``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache is not None:
        env["KOMPAS_CACHE_DIR"] = str(cache)
    one = measure(
        [sys.executable, str(BENCH / "serve.py"), str(project), "--edits", str(SERVE_EDITS)], env=env, check=False
    )
    if one["rc"] != 0:
        return {"missing": "bench/serve.py faalde: " + (one["stderr"].strip().splitlines() or ["?"])[-1]}
    return {**json.loads(one["stdout"]), "cpu_s": one["cpu_s"], "peak_mb": one["peak_mb"]}


def starter_project(work: Path) -> Path:
    """A copy of the starter corpus of this repository as a project (the editor loop edits it)."""
    target = work / "start" / "project"
    shutil.rmtree(target, ignore_errors=True)
    for name in ("content", "themabladen", "modules"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    add_site_hooks(target)
    return target


# -- make inhoud (issue 27) --------------------------------------------------------------------------
def inhoud_steps() -> list[tuple[dict, list[str]]]:
    """The commands of ``make inhoud`` as the Makefile has them (``make -n``): (environment, arguments).
    The check of the system packages is left out (it installs nothing on a machine that has them)."""
    venv = BIN.parent
    done = subprocess.run(
        ["make", "-s", "-n", "-o", f"{venv}/.installed-stamp", "inhoud", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    steps = []
    for line in done.stdout.splitlines():
        words = shlex.split(line)
        if not words or words[0].startswith("./scripts/"):
            continue
        env = {}
        while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        steps.append((env, words))
    if [Path(argv[0]).name for _, argv in steps] != ["kompas", "python", "kompas"]:
        raise Failed(f"make -n inhoud gaf andere stappen dan verwacht:\n{done.stdout}")
    return steps


def _inhoud_run(project: Path, site: Path, cache: Path) -> dict:
    """The steps of make inhoud on ``project`` (the kompas commands get --map, the build --uit); the
    starter-content tests test this checkout, whatever the corpus. Per step and in total."""
    steps, total = [], {"wall_s": 0.0, "cpu_s": 0.0, "peak_mb": 0.0}
    for env, argv in inhoud_steps():
        argv = list(argv)
        if Path(argv[0]).name == "kompas":
            argv += ["--map", str(project)] + (["--uit", str(site)] if argv[1] == "bouw" else [])
        one = measure(argv, cwd=ROOT, env={**os.environ, **env, "KOMPAS_CACHE_DIR": str(cache)})
        name = "pytest (tests van de startinhoud)" if Path(argv[0]).name == "python" else " ".join(argv[1:3])
        steps.append({"stap": name, **public(one)})
        total["wall_s"] += one["wall_s"]
        total["cpu_s"] += one["cpu_s"]
        total["peak_mb"] = max(total["peak_mb"], one["peak_mb"])
    return {**{k: round(v, 3) for k, v in total.items()}, "stappen": steps}


def _change_a_dilemma(project: Path, number: int) -> tuple[Path, str]:
    dilemma = sorted((project / "content" / "dilemmas").glob("*.yaml"))[0]
    original = dilemma.read_text(encoding="utf-8")
    dilemma.write_text(
        re.sub(r"^titel: .*$", f'titel: "Gewijzigd {number}: {dilemma.stem}"', original, count=1, flags=re.MULTILINE),
        encoding="utf-8",
    )
    return dilemma, original


def bench_inhoud_scale(project: Path, folder: Path) -> dict:
    """make inhoud's steps on a synthetic corpus: with an empty cache, then warm after one changed dilemma."""
    cache, site = folder / "inhoud-cache", folder / "inhoud-site"
    shutil.rmtree(cache, ignore_errors=True)
    cold = _inhoud_run(project, site, cache)
    dilemma, original = _change_a_dilemma(project, 1)
    try:
        warm = _inhoud_run(project, site, cache)
    finally:
        dilemma.write_text(original, encoding="utf-8")
    return {"koud": cold, "warm": warm, "changed": dilemma.relative_to(project).as_posix()}


def checkout_copy(target: Path) -> Path:
    """This checkout's files (tracked, and new ones that are not ignored) at ``target``."""
    shutil.rmtree(target, ignore_errors=True)
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def bench_inhoud_start(work: Path) -> dict:
    """`make inhoud` itself in a copy of this checkout (the starter content), as a pipeline runs it:
    with an empty cache folder, then after one changed dilemma with the cache that run kept."""
    project = checkout_copy(work / "inhoud" / "kompas")
    cache = work / "inhoud" / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    venv = BIN.parent
    command = ["make", "-s", "-o", f"{venv}/.installed-stamp", "inhoud", f"VENV={venv}"]
    env = {**os.environ, "KOMPAS_CACHE_DIR": str(cache)}
    env.pop("GITHUB_ACTIONS", None)
    cold = measure(command, cwd=project, env=env)
    dilemma, _ = _change_a_dilemma(project, 1)
    warm = measure(command, cwd=project, env=env)
    output = warm["stdout"] + warm["stderr"]
    if "(zonder kaarten, draaiboeken en handouts)" not in output:
        raise Failed(f"make inhoud bouwde de site niet:\n{output[-2000:]}")
    pages = next((line for line in output.splitlines() if line.startswith("Itempagina's uit de paginacache")), "")
    return {
        "koud": public(cold),
        "warm": public(warm),
        "changed": dilemma.relative_to(project).as_posix(),
        "paginacache": pages,
    }


# -- session pages (issue 16) ------------------------------------------------------------------------
def bench_sessions(project: Path, site: Path, scale: int) -> dict:
    """The session page of the built site in Chromium (bench/sessie.py): time and gzip bytes until the
    list is usable, ms per filter keystroke, seconds to print 40 cards."""
    import sessie

    print(f"== x{scale}: sessiepagina in Chromium", flush=True)
    try:
        result = sessie.measure(site)
    except Exception as error:  # noqa: BLE001 - a failed measurement is reported, not hidden
        return {"missing": f"sessiepagina niet gemeten: {type(error).__name__}: {error}"}
    return {**result, "gehaald": sessie.verdict(result)}


def bench_cards(work: Path, count: int) -> dict:
    print(f"\n== kaarten: {count} dilemmakaarten als pdf", flush=True)
    try:
        import macros.printing.cards  # noqa: F401
    except ImportError as error:
        return {"missing": f"macros/printing/cards.py is niet te laden: {error}"}
    paths = generate(max(1, -(-count // 100)), work / "cards")
    one = measure(
        [
            sys.executable,
            str(BENCH / "cards200.py"),
            str(paths["project"]),
            str(work / "cards" / "deck.pdf"),
            str(count),
        ],
        check=False,
    )
    if one["rc"] != 0:
        return {
            "missing": "de kaartenmeting faalde: " + one["stderr"].strip().splitlines()[-1:][0]
            if one["stderr"].strip()
            else "de kaartenmeting faalde"
        }
    return {**public(one), **json.loads(one["stdout"])}


# -- the tests ---------------------------------------------------------------------------------------
def bench_tests(which: str, commands: dict[str, list[str]] | None = None) -> dict:
    """``make test-snel`` and (``alles``) ``make test``, each once, on an empty cache folder: wall and CPU
    time of the whole process (its children included), whether it passed and what pytest counted.
    ``commands`` replaces the make targets (the smoke test of this script)."""
    if which == "geen":
        return {"missing": "niet gemeten (--tests geen)"}
    chosen = ["snel"] if which == "snel" else ["snel", "alles"]
    commands = commands or {name: ["make", TEST_TARGETS[name]] for name in chosen}
    result: dict = {}
    for name in chosen:
        print(f"\n== tests: {' '.join(commands[name])}", flush=True)
        with tempfile.TemporaryDirectory(prefix="kompas-bench-cache-") as cache:
            one = measure(commands[name], cwd=ROOT, check=False, env={**os.environ, "KOMPAS_CACHE_DIR": cache})
        counted = re.findall(r"(\d+) (passed|failed|skipped|errors?|deselected)", one["stdout"][-2000:])
        result[name] = {
            **public(one),
            "command": " ".join(commands[name]),
            "passed": one["rc"] == 0,
            "rc": one["rc"],
            "counts": {kind: int(number) for number, kind in counted},
        }
        if one["rc"] != 0:
            result[name]["tail"] = (one["stdout"] + one["stderr"])[-2000:]
    return result


# -- against the previous run -------------------------------------------------------------------------
def compare(results: dict, previous: dict | None, source: str) -> dict:
    """Every time of this run beside the same time of the previous run (same scale), with the ratio."""
    if not previous:
        return {"missing": "geen vorige run om mee te vergelijken"}
    before_scales = {r["scale"]: r for r in previous.get("scales", [])}
    rows = []
    for r in results["scales"]:
        before = before_scales.get(r["scale"])
        if before is None:
            continue
        for key, label, which in COMPARED:
            old, new = (before.get(key) or {}).get(which), (r.get(key) or {}).get(which)
            if old and new is not None:
                rows.append(
                    {
                        "schaal": r["scale"],
                        "meting": label,
                        "vorige": old,
                        "nu": new,
                        "verhouding": round(new / old, 3),
                        "telt": which == "cpu_s",
                    }
                )
    for name, label in (("snel", "make test-snel (wandklok)"), ("alles", "make test (wandklok)")):
        old = ((previous.get("tests") or {}).get(name) or {}).get("wall_s")
        new = ((results.get("tests") or {}).get(name) or {}).get("wall_s")
        if old and new is not None:
            rows.append(
                {
                    "schaal": None,
                    "meting": label,
                    "vorige": old,
                    "nu": new,
                    "verhouding": round(new / old, 3),
                    "telt": False,
                }
            )
    return {
        "bron": source,
        "datum": previous.get("date"),
        "machine": (previous.get("machine") or {}).get("cpu"),
        "rijen": rows,
    }


SLOWER_TARGET = f"x10: niets trager dan de vorige run (CPU ≤ {TARGETS['not_slower_10']}×)"


def slowest_at_10(results: dict) -> tuple[float | None, str]:
    """The largest ratio of a CPU time at x10 to the previous run's (None: not compared), and the times."""
    compared = results.get("vergelijking") or {}
    counted = [row for row in compared.get("rijen", []) if row["schaal"] == 10 and row["telt"]]
    if not counted:
        measured = any(r["scale"] == 10 for r in results.get("scales", []))
        return None, compared.get("missing") or ("de vorige run heeft geen x10" if measured else NOT_IN_RUN)
    worst = max(counted, key=lambda row: row["verhouding"])
    return worst["verhouding"], (
        "; ".join(f"{row['meting']} {row['vorige']:.2f} → {row['nu']:.2f} s" for row in counted)
        + f" (vorige run {compared.get('datum')})"
    )


# -- ratios and targets ------------------------------------------------------------------------------
def t(measurement: dict, key: str = "cpu_s") -> float:
    """The time a target is checked on: CPU seconds of the process (see RESULTS.md, 'Tijd')."""
    return measurement[key]


def ratios(r: dict) -> dict:
    fair, every = r["material_fair"], r["material"]
    return {
        "build_warm_vs_fair": t(r["build_warm"]) / t(fair),
        "build_cold_vs_fair": t(r["build"]) / t(fair),
        "build_warm_vs_every_page": t(r["build_warm"]) / t(every),
        "build_cold_vs_floor": t(r["build"]) / t(r["floor"]),
        "build_warm_vs_floor": t(r["build_warm"]) / t(r["floor"]),
        "fair_vs_floor": t(fair) / t(r["floor"]),
        "validate_vs_check_jsonschema": t(r["validate"]) / t(r["check_jsonschema"]),
        "build_warm_vs_fair_wall": r["build_warm"]["wall_s"] / fair["wall_s"],
        "validate_vs_check_jsonschema_wall": r["validate"]["wall_s"] / r["check_jsonschema"]["wall_s"],
    }


def evaluate(results: dict) -> list[dict]:
    """Every target, with doel/waarde/grens/gehaald; ``vervallen``: reported, but no longer a target."""
    scales = {r["scale"]: r for r in results["scales"]}
    checks: list[dict] = []

    def check(name: str, value, limit, ok, detail: str, retired: str | None = None) -> None:
        checks.append(
            {
                "doel": name,
                "waarde": value,
                "grens": limit,
                "gehaald": None if value is None else bool(ok),
                "toelichting": detail,
                "vervallen": retired is not None,
                **({"reden_vervallen": retired} if retired else {}),
            }
        )

    for scale in (10, 100):
        name = f"bouw x{scale} met kaarten, warme cache ≤ 1,0× eerlijke Material-site"
        if scale in scales:
            r = scales[scale]
            value = r["ratios"]["build_warm_vs_fair"]
            fair = r["material_fair"]
            cut = " (Material afgebroken na de tijdslimiet)" if fair["timed_out"] else ""
            check(
                name,
                round(value, 3),
                TARGETS["build_vs_fair"],
                value <= TARGETS["build_vs_fair"],
                f"kompas bouw warm {t(r['build_warm']):.1f} s CPU, eerlijke Material-site {t(fair):.1f} s CPU{cut}; "
                f"koud {t(r['build']):.1f} s CPU ({r['ratios']['build_cold_vs_fair']:.2f}×)",
            )
        else:
            check(name, None, TARGETS["build_vs_fair"], False, NOT_IN_RUN)
    serve = results.get("serve_start") or {}
    name = "make serve, startinhoud: mediaan van 5 keer een dilemma opslaan tot de pagina het toont ≤ 1 s"
    if "median_s" in serve:
        check(
            name,
            serve["median_s"],
            TARGETS["serve_starter_s"],
            serve["median_s"] <= TARGETS["serve_starter_s"] and serve["error_shown_with_file_line"],
            f"bewerkingen {serve['edits_s']} s wandklok; fout met bestand:regel in de terminal: "
            f"{'ja' if serve['error_shown_with_file_line'] else 'NEE'}",
        )
    else:
        check(name, None, TARGETS["serve_starter_s"], False, serve.get("missing", "niet gemeten"))
    name = "make serve x10: mediaan van 5 keer een dilemma opslaan tot de pagina het toont ≤ 2 s"
    served = (scales.get(10) or {}).get("serve") or {}
    if "median_s" in served:
        check(
            name,
            served["median_s"],
            TARGETS["serve_10_s"],
            served["median_s"] <= TARGETS["serve_10_s"] and served["error_shown_with_file_line"],
            f"bewerkingen {served['edits_s']} s wandklok; fout met bestand:regel in de terminal: "
            f"{'ja' if served['error_shown_with_file_line'] else 'NEE'}",
        )
    else:
        check(name, None, TARGETS["serve_10_s"], False, served.get("missing", NOT_IN_RUN))
    limit = TARGETS["inhoud_warm_s"]
    start = results.get("inhoud_start") or {}
    name = "make inhoud, startinhoud, warme cache (één gewijzigd dilemma) ≤ 2 min wandklok"
    if "warm" in start:
        check(
            name,
            start["warm"]["wall_s"],
            limit,
            start["warm"]["wall_s"] <= limit,
            f"{start['warm']['cpu_s']:.1f} s CPU; met lege cache {start['koud']['wall_s']:.1f} s wandklok; "
            f"{start.get('paginacache', '')}",
        )
    else:
        check(name, None, limit, False, start.get("missing", "niet gemeten"))
    for scale in (1, 10, 100):
        name = f"make inhoud x{scale}, warme cache (één gewijzigd dilemma) ≤ 2 min wandklok"
        inhoud = (scales.get(scale) or {}).get("inhoud")
        if inhoud:
            warm = inhoud["warm"]
            check(
                name,
                warm["wall_s"],
                limit,
                warm["wall_s"] <= limit,
                f"{warm['cpu_s']:.1f} s CPU; met lege cache {inhoud['koud']['wall_s']:.1f} s wandklok",
            )
        else:
            check(name, None, limit, False, NOT_IN_RUN)
    name = "kompas bouw na één gewijzigd dilemma x10 ≤ 10 s wandklok"
    if 10 in scales:
        w = scales[10]["build_warm"]
        check(
            name,
            w["wall_s"],
            TARGETS["rebuild_10_wall_s"],
            w["wall_s"] <= TARGETS["rebuild_10_wall_s"],
            f"{w['cpu_s']:.1f} s CPU; runs {w['runs_wall_s']} s wandklok",
        )
    else:
        check(name, None, TARGETS["rebuild_10_wall_s"], False, NOT_IN_RUN)
    name = "tijd(x100)/tijd(x10) ≤ 11"
    if 10 in scales and 100 in scales:
        ratio = t(scales[100]["build"]) / t(scales[10]["build"])
        check(
            name,
            round(ratio, 2),
            TARGETS["linear_100_10"],
            ratio <= TARGETS["linear_100_10"],
            f"kompas bouw koud, met kaarten: x10 {t(scales[10]['build']):.1f} s CPU, "
            f"x100 {t(scales[100]['build']):.1f} s CPU",
        )
    else:
        check(name, None, TARGETS["linear_100_10"], False, NOT_IN_RUN)
    if 100 in scales:
        r = scales[100]
        v, peer, w = t(r["validate"]), t(r["check_jsonschema"]), t(r["validate_warm"])
        check(
            "valideren x100 ≤ 2 s, warm (cache per bestand, niets gewijzigd)",
            w,
            TARGETS["validate_100_s"],
            w <= TARGETS["validate_100_s"],
            f"kompas valideer: {w:.2f} s CPU, {r['validate_warm']['wall_s']:.2f} s wandklok",
        )
        check(
            "valideren x100 sneller dan check-jsonschema",
            round(v / peer, 3),
            1.0,
            v < peer,
            f"kompas valideer {v:.2f} s CPU, check-jsonschema {peer:.2f} s CPU",
            retired="sinds issue 31 meet een koude validatie ook de handout van elk themablad met WeasyPrint "
            "(werk dat een koude bouw anders zelf doet, en daarna uit de cache haalt); check-jsonschema "
            "controleert alleen het schema",
        )
        payload = r["build_warm"].get("search_payload_bytes")
        check(
            "zoeklading x100 ≤ 1 MB",
            payload,
            TARGETS["search_payload_100_bytes"],
            payload is not None and payload <= TARGETS["search_payload_100_bytes"],
            r["build_warm"].get("search_payload_source", ""),
        )
        peak = max(r["build"]["peak_mb"], r["build_warm"]["peak_mb"])
        check(
            "piekgeheugen van de bouw x100 ≤ 4 GB",
            peak,
            TARGETS["peak_100_mb"],
            peak <= TARGETS["peak_100_mb"],
            "MB; grootste proces van de bouw (koud en warm), kindprocessen (Pagefind, kaarten) inbegrepen",
        )
    else:
        for name, limit in (
            ("valideren x100 ≤ 2 s, warm (cache per bestand, niets gewijzigd)", 2.0),
            ("zoeklading x100 ≤ 1 MB", TARGETS["search_payload_100_bytes"]),
            ("piekgeheugen van de bouw x100 ≤ 4 GB", TARGETS["peak_100_mb"]),
        ):
            check(name, None, limit, False, NOT_IN_RUN)
    cards = results.get("cards") or {}
    if "render_s" in cards and cards["cards"] != 200:
        check(
            "200 kaarten ≤ 10 s",
            None,
            TARGETS["cards_200_s"],
            False,
            f"{cards['cards']} kaarten gemeten, niet 200 ({cards['render_cpu_s']:.2f} s CPU)",
        )
    elif "render_s" in cards:
        value = cards["render_cpu_s"]
        check(
            "200 kaarten ≤ 10 s",
            round(value, 2),
            TARGETS["cards_200_s"],
            value <= TARGETS["cards_200_s"],
            f"{cards['cards']} kaarten, {cards['pages']} pagina's; {cards['render_s']:.1f} s wandklok",
        )
    else:
        check("200 kaarten ≤ 10 s", None, TARGETS["cards_200_s"], False, cards.get("missing", "niet gemeten"))
    # the session page (issue 16, section 5), at the largest scale of the run
    import sessie

    largest = max(scales) if scales else None
    measured = (scales.get(largest) or {}).get("sessie") or {}
    for key, name, unit in (
        ("usable_s", "sessiepagina bruikbaar ≤ 1 s", "s"),
        ("bytes_before_usable", "sessiepagina ≤ 500 KB (gzip) tot bruikbaar", "bytes"),
        ("filter_ms_max", "sessiepagina: filteren ≤ 100 ms per toets", "ms"),
        ("print_s", "sessiepagina: 40 kaarten printen ≤ 3 s", "s"),
    ):
        limit = sessie.TARGETS["filter_ms" if key == "filter_ms_max" else key]
        value = measured.get(key)
        check(
            f"{name} (x{largest})" if largest else name,
            value,
            limit,
            value is not None and value <= limit,
            f"{unit}; doel bij x100; Chromium, bench/sessie.py"
            if value is not None
            else measured.get("missing", NOT_IN_RUN),
        )
    # nothing got slower at x10 (issue 29): every CPU time of x10 against the previous run
    value, detail = slowest_at_10(results)
    check(
        SLOWER_TARGET, value, TARGETS["not_slower_10"], value is not None and value <= TARGETS["not_slower_10"], detail
    )
    # retired (issue 19): still measured and reported, no longer counted
    for scale, r in sorted(scales.items()):
        ratio = r["ratios"]["build_cold_vs_floor"]
        check(
            f"bouw x{scale} ≤ 3× vloer",
            round(ratio, 2),
            TARGETS["build_vs_floor"],
            ratio <= TARGETS["build_vs_floor"],
            f"kompas bouw koud {t(r['build']):.2f} s CPU, vloer {t(r['floor']):.2f} s CPU (hele proces); "
            f"eerlijke Material-site {r['ratios']['fair_vs_floor']:.1f}× de vloer",
            retired="een kale Material-site is zelf al een veelvoud van de vloer; de stapel ligt vast",
        )
    if 100 in scales:
        v = t(scales[100]["validate"])
        check(
            "valideren x100 ≤ 2 s, koud (zonder cache)",
            v,
            TARGETS["validate_100_s"],
            v <= TARGETS["validate_100_s"],
            f"kompas valideer {NO_CACHE_FLAG}: {v:.2f} s CPU",
            retired="wat een redacteur ziet is de warme tijd; de koude staat in de tabel",
        )
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
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "load_avg_start": os.getloadavg(),
    }


def versions() -> dict:
    names = (
        "mkdocs",
        "mkdocs-material",
        "mkdocs-macros-plugin",
        "Markdown",
        "jsonschema",
        "check-jsonschema",
        "PyYAML",
        "Jinja2",
        "weasyprint",
    )
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


def _wall(m: dict) -> str:
    """Wall clock first (what a pipeline waits for), CPU time after it."""
    return f"{m['wall_s']:.1f} s ({m['cpu_s']:.1f} s)"


def _time(m: dict | None, key: str = "cpu_s", wall: str = "wall_s") -> str:
    if not m or key not in m:
        return "–"
    cut = "> " if m.get("timed_out") else ""
    return f"{cut}{m[key]:.2f} s ({cut}{m[wall]:.2f} s)"


def markdown_report(results: dict) -> str:
    """RESULTS.md, entirely from results.json."""
    lines = [
        "# Benchmark: Kompas tegen de alternatieven",
        "",
        f"Gemeten op {results['date']} met `python bench/run.py` (`make bench`); dit bestand is gemaakt uit "
        "`bench/results.json` en staat dus altijd gelijk met die run. Elke meting is een eigen proces "
        "(wandkloktijd, CPU-tijd en piekgeheugen via `os.wait4`); bij herhaling "
        f"({results['repeat']}× onder x100, 1× bij x100 en voor de koude bouw vanaf x10) telt de snelste run. "
        "Wat er gemeten wordt en waarom: onderaan; wat er verbeterd is: `bench/NOTES.md`.",
        "",
        f"- Machine: {results['machine']['cpu']} ({results['machine']['cores']} kernen, {results['machine']['memory']}), "
        f"{results['machine']['platform']}, Python {results['machine']['python']}; "
        f"belasting bij de start {', '.join(f'{x:.1f}' for x in results['machine']['load_avg_start'])}"
        + (
            f", aan het eind {', '.join(f'{x:.1f}' for x in results['machine']['load_avg_end'])}"
            if results["machine"].get("load_avg_end")
            else ""
        )
        + ".",
        "- Versies: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items() if v) + ".",
        f"- Schalen in deze run: {', '.join('x' + str(r['scale']) for r in results['scales']) or 'geen'}"
        + (" (tussenstand)" if results.get("partial") else "")
        + ".",
        "",
        "## Doelen",
        "",
        "| Doel | Gemeten | Grens | Gehaald | Toelichting |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in results["targets"]:
        if c.get("vervallen"):
            continue
        status = "niet gemeten" if c["gehaald"] is None else ("ja" if c["gehaald"] else "**nee**")
        lines.append(
            f"| {c['doel']} | {'–' if c['waarde'] is None else c['waarde']} | {c['grens']} | {status} | "
            f"{c['toelichting']} |"
        )
    lines += [
        "",
        "Vervallen doelen (nog gemeten, tellen niet mee):",
        "",
        "| Doel | Gemeten | Grens | Zou gehaald zijn | Waarom vervallen |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in results["targets"]:
        if c.get("vervallen"):
            status = "–" if c["gehaald"] is None else ("ja" if c["gehaald"] else "nee")
            lines.append(
                f"| {c['doel']} | {c['waarde']} | {c['grens']} | {status} | {c['reden_vervallen']}; "
                f"{c['toelichting']} |"
            )
    lines += [
        "",
        "## Bouwen",
        "",
        "Tijden: CPU-tijd (wandklok); piekgeheugen van het grootste proces (bij `kompas bouw` vaak Pagefind). "
        "**Koud**: lege cache (valideren en kaarten). **Warm**: daarna één dilemma gewijzigd en opnieuw gebouwd "
        "met de cache van de koude bouw (zoals een redacteur of CI bouwt). Beide met de dilemmakaarten.",
        "",
        "| Schaal | Pagina's | kompas bouw koud | warm (1 dilemma gewijzigd) | Piekgeheugen | "
        "Eerlijke Material-site | Warm/eerlijk | Material, elke pagina in de navigatie | Warm/elke pagina |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["scales"]:
        b, w, fair, every, q = r["build"], r["build_warm"], r["material_fair"], r["material"], r["ratios"]
        lines.append(
            f"| x{r['scale']} | {w['pages']} | {_time(b)} | {_time(w)} | {max(b['peak_mb'], w['peak_mb']):.0f} MB | "
            f"{_time(fair)}{' afgebroken' if fair['timed_out'] else ''} | {q['build_warm_vs_fair']:.2f}× | "
            f"{_time(every)}{' afgebroken' if every['timed_out'] else ''} | "
            f"{'< ' if every['timed_out'] else ''}{q['build_warm_vs_every_page']:.3f}× |"
        )
    lines += [
        "",
        "Vloer: Python-Markdown zet dezelfde pagina's om (`bench/floor.py`). De eerste kolom is het hele "
        "proces, **inclusief** opstarten van Python en imports, net als de tijden van `kompas bouw`; de tweede "
        "alleen het omzetten.",
        "",
        "| Schaal | Vloer (hele proces) | Vloer (alleen omzetten) | Koud/vloer | Eerlijke Material-site/vloer |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results["scales"]:
        f, q = r["floor"], r["ratios"]
        lines.append(
            f"| x{r['scale']} | {_time(f)} | {_time(f, 'convert_cpu_s', 'convert_s')} | "
            f"{q['build_cold_vs_floor']:.2f}× | {q['fair_vs_floor']:.2f}× |"
        )
    lines += [
        "",
        "## Bewerken met `make serve`",
        "",
        f"Een dilemma opslaan en de pagina opvragen tot de wijziging er staat; {SERVE_EDITS} keer, wandklok per "
        "keer, de mediaan telt. Daarna een fout in hetzelfde bestand: staat die met bestand:regel in de terminal?",
        "",
        "| Inhoud | Eerste bouw | Per bewerking | Mediaan | Fout met bestand:regel | Volledige herbouw |",
        "| --- | ---: | --- | ---: | --- | ---: |",
    ]
    rows = [("startinhoud", results.get("serve_start") or {})]
    rows += [
        (f"x{r['scale']}", r.get("serve") or {"missing": "niet gemeten bij deze schaal"}) for r in results["scales"]
    ]
    for label, sv in rows:
        if "median_s" not in sv:
            lines.append(f"| {label} | – | – | – | – | {sv.get('missing', 'niet gemeten')} |")
            continue
        lines.append(
            f"| {label} | {sv['first_build_s']:.1f} s | {', '.join(f'{x:.2f}' for x in sv['edits_s'])} s | "
            f"{sv['median_s']:.2f} s | {'ja' if sv['error_shown_with_file_line'] else 'nee'} | "
            f"{sv['full_rebuilds']} |"
        )
    lines += [
        "",
        "## Inhoudscontrole (`make inhoud`)",
        "",
        "Wat een merge request met alleen inhoud draait: valideren met het rapport voor redacteuren, de tests "
        "van de startinhoud en `kompas bouw --zonder-kaarten` (docs/inhoud-controle.md). **Koud**: lege "
        "cachemap. **Warm**: daarna één dilemma gewijzigd, met de cache van de koude run (zoals een pipeline "
        "die de caches bewaart). Startinhoud: `make inhoud` zelf in een kopie van deze checkout; de schalen: "
        "dezelfde stappen (uit `make -n inhoud`) op het synthetische corpus. Tijden: wandklok (CPU-tijd).",
        "",
        "| Inhoud | Koud | Warm | Warm: valideren | Warm: tests startinhoud | Warm: bouw zonder kaarten |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    start = results.get("inhoud_start") or {}
    if "warm" in start:
        lines.append(f"| startinhoud | {_wall(start['koud'])} | {_wall(start['warm'])} | – | – | – |")
    else:
        lines.append(f"| startinhoud | – | – | – | – | {start.get('missing', 'niet gemeten')} |")
    for r in results["scales"]:
        inhoud = r.get("inhoud")
        if not inhoud:
            lines.append(f"| x{r['scale']} | – | – | – | – | niet gemeten |")
            continue
        steps = [_wall(step) for step in inhoud["warm"]["stappen"]]
        lines.append(f"| x{r['scale']} | {_wall(inhoud['koud'])} | {_wall(inhoud['warm'])} | {' | '.join(steps)} |")
    lines += [
        "",
        "## Valideren",
        "",
        "Tijden: CPU-tijd (wandklok); piekgeheugen van het proces.",
        "",
        "| Schaal | Bestanden | Inhoud | kompas valideer, koud | Piekgeheugen | warm (cache) | "
        "check-jsonschema (6×) | Piekgeheugen | Verhouding (koud) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["scales"]:
        v, pe, w = r["validate"], r["check_jsonschema"], r.get("validate_warm")
        lines.append(
            f"| x{r['scale']} | {sum(r['counts'].values())} | {_mb(r['content_bytes'])} | {_time(v)} | "
            f"{v['peak_mb']:.0f} MB | {_time(w)} | {_time(pe)} | {pe['peak_mb']:.0f} MB | "
            f"{r['ratios']['validate_vs_check_jsonschema']:.3f}× |"
        )
    lines += [
        "",
        "## Omvang",
        "",
        "| Schaal | Site kompas | Gem. pagina | Zoekindex | Zoeklading | Eerlijke Material-site | Gem. pagina | "
        "Zoekindex Material |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["scales"]:
        b, m = r["build_warm"], r["material_fair"]
        lines.append(
            f"| x{r['scale']} | {_mb(b['site_bytes'])} | {_kb(b['avg_page_bytes'])} | "
            f"{_mb(b.get('search_index_bytes'))} | {_mb(b.get('search_payload_bytes'))} | "
            f"{_mb(m.get('site_bytes'))} | {_kb(m.get('avg_page_bytes'))} | {_mb(m.get('search_index_bytes'))} |"
        )
    lines += [
        "",
        "## Zoeken op een bekend item",
        "",
        "Wie een item kent, typt de titel (themablad, dilemma, module) of de ECLI (uitspraak); telt: staat "
        "dat item als eerste resultaat? Gemeten, geen doel.",
        "",
        "| Schaal | Zoekvragen | Eerste resultaat | Bij de getoonde 10 | Mediaan tot resultaten | Gemist |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results["scales"]:
        k = r["build_warm"].get("known_items") or {}
        if "cases" not in k:
            lines.append(f"| x{r['scale']} | – | – | – | – | niet gemeten: {k.get('missing', 'ontbreekt')} |")
            continue
        missed = (
            "; ".join(
                f"'{f['query']}': {'niet getoond' if f['rank'] is None else str(f['rank']) + 'e'}" for f in k["missed"]
            )
            or "–"
        )
        lines.append(
            f"| x{r['scale']} | {k['cases']} | {k['first']} | {k['shown']} | {k['median_s']:.2f} s | {missed} |"
        )
    lines += ["", "## Sessiepagina's", ""]
    for r in results["scales"]:
        sessie = r.get("sessie") or {}
        lines.append(
            f"- x{r['scale']}: "
            + (sessie["missing"] if "missing" in sessie else json.dumps(sessie, ensure_ascii=False))
        )
    cards = results.get("cards") or {}
    lines += ["", "## Dilemmakaarten", ""]
    if "render_s" in cards:
        lines.append(
            f"{cards['cards']} kaarten op {cards['pages']} A4-pagina's: opmaken en schrijven "
            f"{cards['render_cpu_s']:.2f} s CPU ({cards['render_s']:.2f} s wandklok); het hele proces met "
            f"valideren {cards['cpu_s']:.1f} s CPU, {cards['peak_mb']:.0f} MB; pdf {_mb(cards['pdf_bytes'])}."
        )
    else:
        lines.append(f"Niet gemeten: {cards.get('missing', 'overgeslagen')}.")
    lines += [
        "",
        "## Tests",
        "",
        "`make test-snel` (de snelle laag) en `make test` (alles, met ruff en mypy), elk één keer op een lege "
        "cachemap; tijd van het hele proces, kindprocessen inbegrepen (docs/testing.md).",
        "",
        "| Opdracht | Wandklok | CPU | Geslaagd | Telling van pytest |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    tests = results.get("tests") or {"missing": "niet gemeten"}
    if "missing" in tests:
        lines.append(f"| – | – | – | – | {tests['missing']} |")
    for name in ("snel", "alles"):
        if name in tests:
            m = tests[name]
            counts = ", ".join(f"{number} {kind}" for kind, number in m["counts"].items()) or "–"
            passed = "ja" if m["passed"] else f"**nee** (code {m['rc']})"
            lines.append(f"| `{m['command']}` | {m['wall_s']:.1f} s | {m['cpu_s']:.1f} s | {passed} | {counts} |")
    compared = results.get("vergelijking") or {"missing": "niet vergeleken"}
    lines += ["", "## Vergeleken met de vorige run", ""]
    if "missing" in compared:
        lines.append(f"{compared['missing'].capitalize()}.")
    else:
        lines += [
            f"Vorige run: {compared['datum']} ({compared['bron']}; machine: {compared['machine'] or '?'}). "
            f"Trager: meer dan {TARGETS['not_slower_10']}× de vorige tijd; het doel telt de CPU-tijden bij x10.",
            "",
            "| Schaal | Meting | Vorige | Nu | Verhouding | |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        for row in compared["rijen"]:
            slower = row["verhouding"] > TARGETS["not_slower_10"]
            lines.append(
                f"| {'x' + str(row['schaal']) if row['schaal'] else '–'} | {row['meting']} | "
                f"{row['vorige']:.2f} s | {row['nu']:.2f} s | {row['verhouding']:.2f}× | "
                f"{('**trager**' if row['telt'] else 'trager (telt niet)') if slower else ''} |"
            )
    lines += [
        "",
        "## Wat er gemeten wordt",
        "",
        "- **Corpus**: `bench/generate.py` maakt met een vaste seed een synthetisch corpus in de vorm van de "
        "startinhoud; x1 = 20 themabladen, 100 dilemma's, 60 uitspraken, 10 modules, 10 wetten (plus de echte "
        "reeks en pagina's). ECLI's hebben instantiecode TEST; alles is testdata in `bench/work/`.",
        "- **Bouwen**: `kompas bouw` zoals een gebruiker het draait: strikt, valideren, gegenereerde pagina's, "
        "macro's, linkcontrole, Pagefind-index en de dilemmakaarten die de site aanbiedt (per themablad en per "
        "module; tot 200 kaarten ook alle kaarten samen). Koud: lege cachemap. Warm: één dilemma gewijzigd, "
        "cache van de koude bouw. `tests/site/test_warm_build.py` bewijst dat warm en koud dezelfde bestanden geven.",
        "- **Eerlijke Material-site**: dezelfde pagina's als handgeschreven Markdown met `mkdocs build --strict`, "
        "Material-thema, Material's eigen zoekfunctie, en de navigatie van Kompas: de overzichten in de "
        "navigatie, de itempagina's bereikbaar via de overzichten. Tweede kolom: dezelfde site met elke pagina "
        "in de navigatie (wat een team krijgt dat elke pagina opsomt; kwadratisch, bij x100 afgebroken).",
        "- **Vloer**: `bench/floor.py` zet dezelfde pagina's om met Python-Markdown (zelfde extensies, één "
        "converter in een lus, lezen en schrijven inbegrepen); de verhouding gebruikt het hele proces.",
        "- **make serve**: `bench/serve.py` start `mkdocs serve --strict` zoals `make serve`, slaat vijf keer een "
        "gewijzigde titel op in één dilemma en vraagt de dilemmapagina op tot de nieuwe titel er staat (de "
        "server houdt verzoeken vast tot de pagina klaar is, dus een half gebouwde pagina kan niet).",
        "- **make inhoud**: de controle van een merge request met alleen inhoud; op de startinhoud `make inhoud` "
        "zelf (in een kopie van de checkout), op de schalen dezelfde stappen met `--map`. Het doel (2 minuten, "
        "wandklok) geldt voor de warme run: één gewijzigd dilemma, met de cache van de vorige run.",
        "- **Valideren**: `kompas valideer --map PROJECT`, koud (`" + NO_CACHE_FLAG + "`, lege cachemap) en warm, "
        "tegen `check-jsonschema --schemafile` met dezelfde schema's (één aanroep per soort, opgeteld).",
        "- **Zoeklading**: wat de browser laadt tot het eerste zoekresultaat op het scherm staat, gemeten door "
        "`scripts/search_payload.py` met Chromium tegen de lokaal geserveerde (warme) site.",
        "- **Tijd**: doelen worden getoetst op CPU-tijd (user + sys, kindprocessen inbegrepen), behalve de "
        "wandklokdoelen (make serve, bouw na één wijziging): deze machine heeft 2 kernen en wordt gedeeld, "
        "zie de belasting bovenaan.",
        "",
    ]
    return "\n".join(lines)


def write_outputs(results: dict, out: Path, partial: bool) -> None:
    """results.json and RESULTS.md (from results.json alone)."""
    results["partial"] = partial
    results["targets"] = evaluate(results)
    out.mkdir(parents=True, exist_ok=True)
    data = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    _atomic(out / "results.json", data)
    _atomic(out / "RESULTS.md", markdown_report(json.loads(data)))


def _atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.nieuw")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark van Kompas tegen de alternatieven (issues 9 en 19).")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="schalen (standaard 1 10 100)")
    parser.add_argument("--repeat", type=int, default=3, help="herhalingen per meting onder x100 (snelste telt)")
    parser.add_argument("--cards", type=int, default=200, help="aantal kaarten in de pdf (0: overslaan)")
    parser.add_argument(
        "--material-timeout", type=float, default=900.0, help="seconden voordat een Material-site wordt afgebroken"
    )
    parser.add_argument("--out", type=Path, default=BENCH, help="map voor results.json en RESULTS.md")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="werkmap voor de corpora")
    parser.add_argument("--rapport", action="store_true", help="schrijf RESULTS.md opnieuw uit results.json")
    parser.add_argument(
        "--tests",
        choices=("alles", "snel", "geen"),
        default="alles",
        help="meet make test-snel en make test (alles), alleen make test-snel, of geen tests",
    )
    parser.add_argument(
        "--vorige",
        type=Path,
        default=None,
        help="results.json van de vorige run (standaard: die in --out, van voor deze run)",
    )
    args = parser.parse_args(argv)
    if args.rapport:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        _atomic(args.out / "RESULTS.md", markdown_report(results))
        return report_and_exit(results, args.out)

    previous_file = args.vorige or args.out / "results.json"
    try:  # read before this run writes its own
        previous = json.loads(previous_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "repeat": args.repeat,
        "scales": [],
    }
    try:
        compile_the_product()
        print("\n== startinhoud: make serve", flush=True)
        with tempfile.TemporaryDirectory(prefix="kompas-bench-cache-") as cache:
            results["serve_start"] = bench_serve(starter_project(args.work), Path(cache))
        print("\n== startinhoud: make inhoud (koud, dan warm na één gewijzigd dilemma)", flush=True)
        results["inhoud_start"] = bench_inhoud_start(args.work)
        for scale in args.scales:
            repeat = 1 if scale >= 100 else args.repeat
            results["scales"].append(bench_scale(scale, args.work, repeat, args.material_timeout))
            results["vergelijking"] = compare(results, previous, str(previous_file))
            write_outputs(results, args.out, partial=True)  # a long run that is stopped still leaves its numbers
        results["cards"] = bench_cards(args.work, args.cards) if args.cards else {"missing": "overgeslagen (--cards 0)"}
        results["tests"] = bench_tests(args.tests)
        results["vergelijking"] = compare(results, previous, str(previous_file))
    except Failed as error:
        print(f"\nMeting mislukt: {error}", file=sys.stderr)
        return 2
    results["machine"]["load_avg_end"] = os.getloadavg()
    write_outputs(results, args.out, partial=False)
    return report_and_exit(results, args.out)


def report_and_exit(results: dict, out: Path) -> int:
    print("\nVerhoudingen (CPU-tijd):")
    for r in results["scales"]:
        q = r["ratios"]
        print(
            f"  x{r['scale']}: bouw warm/eerlijke Material-site {q['build_warm_vs_fair']:.2f}×, koud "
            f"{q['build_cold_vs_fair']:.2f}×, warm/elke pagina in de navigatie {q['build_warm_vs_every_page']:.3f}×, "
            f"koud/vloer {q['build_cold_vs_floor']:.2f}×, valideren/check-jsonschema "
            f"{q['validate_vs_check_jsonschema']:.3f}×"
        )
    print("Doelen:")
    for c in results["targets"]:
        status = "niet gemeten" if c["gehaald"] is None else ("gehaald" if c["gehaald"] else "NIET gehaald")
        print(
            f"  {'(vervallen) ' if c.get('vervallen') else ''}{c['doel']}: {c['waarde']} (grens {c['grens']}): {status}"
        )
    print(f"\nGeschreven: {out / 'results.json'} en {out / 'RESULTS.md'}")
    return 0 if all(c["gehaald"] for c in results["targets"] if not c.get("vervallen")) else 1


if __name__ == "__main__":
    sys.exit(main())
