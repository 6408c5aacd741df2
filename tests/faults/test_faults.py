"""Fault injection with real processes (issue 18): `kompas bouw` killed with SIGKILL (its
whole process group: card workers and Pagefind too) at 20 moments, two builds at once, a
full disk (an unprivileged file-size limit), and an interrupted `make deploy`. Issue 30: a
release stopped with Ctrl+C, or with SIGKILL of `kompas` alone (mike and everything it started
die with it), and `make clean` during a build (the lock holds).

How a moment is hit: either the test watches the build (a file or a process appears) and
kills at once, or tests/faults/inject/sitecustomize.py (on PYTHONPATH only here) makes the process
stop itself (SIGSTOP) at the n-th call of a real function of the build; the test sees the
stopped process in the group and kills the group then. A build that ends before its moment
fails the test, so every moment is known to have been reached.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lib.safety import KOMPAS, ROOT, git, make_deploy, new_project, run, tree_hash

FAULTS = Path(__file__).resolve().parent / "inject"  # sitecustomize.py: the fault points


def _group(pgid: int) -> list[tuple[int, str, str]]:
    """(pid, state, name) of every process in process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            found.append((int(entry.name), fields[0], name))
    return found


def _wait_gone(pgid: int) -> None:
    deadline = time.monotonic() + 30
    while any(state != "Z" for _, state, _ in _group(pgid)):
        assert time.monotonic() < deadline, f"processes of group {pgid} still run: {_group(pgid)}"
        time.sleep(0.01)


def start(command: list[str], project: Path, env: dict, log: Path) -> subprocess.Popen:
    out = open(log, "wb")
    try:
        return subprocess.Popen(
            command,
            cwd=project,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # its own process group
    finally:
        out.close()


def stopped(process: subprocess.Popen) -> bool:
    return any(state == "T" for _, state, _ in _group(process.pid))


def stopped_below(process: subprocess.Popen) -> bool:
    """A process stopped among ``process`` and its descendants, whatever their process group (a release
    runs mike in a group of its own)."""
    parents, states = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            parents[int(entry.name)], states[int(entry.name)] = int(fields[1]), fields[0]
    for pid, state in states.items():
        ancestor = pid
        while ancestor in parents and ancestor != process.pid and ancestor > 1:
            ancestor = parents[ancestor]
        if ancestor == process.pid and state == "T":
            return True
    return False


def kill_when(process: subprocess.Popen, moment, log: Path, timeout: float = 300) -> None:
    """SIGKILL the whole process group as soon as ``moment()`` is true."""
    deadline = time.monotonic() + timeout
    while not moment():
        if process.poll() is not None:
            pytest.fail(
                f"the process ended (code {process.returncode}) before the moment was reached:\n"
                f"{log.read_text(errors='replace')[-3000:]}"
            )
        assert time.monotonic() < deadline, "the moment was not reached in time"
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    _wait_gone(process.pid)


# -- a project with a good site (version 1) and new content (version 2) -----------------------


def _retitle(project: Path, title: str) -> None:
    path = sorted((project / "content" / "dilemmas").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("titel:"))
    lines[index] = f"titel: {title}"
    path.write_text("\n".join(lines), encoding="utf-8")
    git(project, "commit", "-qam", title)


def _without_search_names(tree: dict[str, str]) -> dict[str, str]:
    """Pagefind's file names are hashes and its filter file is not byte-reproducible."""
    return {k: v for k, v in tree.items() if not k.startswith("pagefind/")}


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    base = tmp_path_factory.mktemp("fouten")
    project = new_project(base / "project")
    cache = base / "cache"
    env = {"KOMPAS_CACHE_DIR": str(cache)}
    assert run("bouw", cwd=project, env=env).returncode == 0
    old = tree_hash(project / "site")
    _retitle(project, "Een nieuwe titel voor versie twee")
    reference = base / "referentie"
    known = set((cache / "kaarten").glob("*/*.pdf"))
    result = run("bouw", "--uit", str(reference), cwd=project, env=env)  # the cache then holds version 2
    assert result.returncode == 0, result.stderr
    new = tree_hash(reference)
    assert _without_search_names(new) != _without_search_names(old)
    # the two smallest decks of version 2: removed from the cache where a moment needs card rendering
    fresh = sorted(set((cache / "kaarten").glob("*/*.pdf")) - known, key=lambda p: p.stat().st_size)
    assert len(fresh) >= 2
    return {
        "project": project,
        "cache": cache,
        "old": old,
        "new": new,
        "render": [p.relative_to(cache / "kaarten") for p in fresh[:2]],
    }


# The caches a build of version 2 starts without, so that it validates, renders pages and runs Pagefind
# again (the moments below need that work); the card decks and printed documents of both versions stay.
COLD = ("valideren", "memo", "paginas", "zoekindex", "links")


@pytest.fixture
def work(versions, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(versions["project"], project, symlinks=True)
    cache = tmp_path / "cache"
    shutil.copytree(versions["cache"], cache, symlinks=True)
    for name in COLD:
        shutil.rmtree(cache / name, ignore_errors=True)
    return project, cache


def assert_old_or_complete_new(site: Path, versions) -> str:
    tree = tree_hash(site)
    if tree == versions["old"]:
        return "oud"
    assert _without_search_names(tree) == _without_search_names(versions["new"]), "a mixed or partial site"
    assert "pagefind/pagefind-entry.json" in tree
    return "nieuw"


def assert_caches_sound(cache: Path) -> None:
    from macros.store.entries import check_entry, linked_entry_valid

    for entry in (cache / "kaarten").glob("*/*.pdf"):
        assert linked_entry_valid(entry), f"{entry.name}: a damaged entry in the card cache"
    for part in (cache / "kaarten").glob("*/*.deel"):
        assert check_entry(part), f"{part.name}: a damaged part in the card cache"


def assert_no_leftovers(project: Path, cache: Path) -> None:
    assert not [p.name for p in project.iterdir() if "-kompas-" in p.name]
    assert not list(cache.rglob(".schrijven-*"))


MOMENTS = [
    # (moment, fault point or None, what to watch when None, fallback swap)
    ("begin van de validatie", "validatie:1", None, False),
    ("schema van het eerste bestand", "schema:1", None, False),
    ("midden in de validatie", "schema:6", None, False),
    ("eerste pagina", "pagina:1", None, False),
    ("midden in de pagina's", "pagina:8", None, False),
    ("eerste HTML-bestand verschijnt", None, "html", False),
    ("Pagefind net gestart", "zoekindex:1", None, False),
    ("Pagefind draait", None, "pagefind", False),
    ("eerste kaarten opgemaakt", "kaart:1", None, False),
    ("eerste nieuwe kaart staat in de cache", None, "kaart-klaar", False),
    ("kaart gemaakt, nog niet in de cache", "kaart-cache:1", None, False),
    ("kaart wordt geschreven", None, "kaart-tmp", False),
    ("kaart uit de cache linken", "kaart-kopie:1", None, False),
    ("linkcontrole", "linkcontrole:1", None, False),
    ("wachten op de zoekindex", "zoekindex-klaar:1", None, False),
    ("vlak voor de wissel", "voor-wissel:1", None, False),
    ("direct na de wissel", "na-wissel:1", None, False),
    ("oude site opruimen", "opruimen:1", None, False),
    ("tussen de twee hernoemingen (terugvalweg)", "tussen-hernoemen:1", None, True),
    ("na de hernoemingen, oude site nog niet weg (terugvalweg)", "na-wissel:1", None, True),
]


def _watch(kind: str, project: Path, cache: Path, process: subprocess.Popen):
    if kind == "html":
        return lambda: any(any(t.glob("*.html")) for t in project.glob(".site-kompas-bouw-*"))
    if kind == "pagefind":
        return lambda: any("pagefind" in name for _, _, name in _group(process.pid))
    if kind == "kaart-klaar":
        before = {p.name for p in (cache / "kaarten").glob("*/*.pdf")}
        return lambda: bool({p.name for p in (cache / "kaarten").glob("*/*.pdf")} - before)
    if kind == "kaart-tmp":  # a deck is written straight into the new site, then linked into the cache
        return lambda: any(any(t.glob("kaarten/*.pdf")) for t in project.glob(".site-kompas-bouw-*"))
    raise AssertionError(kind)


@pytest.mark.parametrize("moment, point, watch, fallback", MOMENTS, ids=[m[0] for m in MOMENTS])
def test_kill_during_build(work, versions, moment, point, watch, fallback, tmp_path):
    project, cache = work
    env = {"KOMPAS_CACHE_DIR": str(cache), "PYTHONPATH": str(FAULTS)}
    if point:
        env["KOMPAS_FOUTPUNT"] = point
    if fallback:
        env["KOMPAS_GEEN_EXCHANGE"] = "1"
    if (point or watch or "").startswith("kaart") and point != "kaart-kopie:1":
        for name in versions["render"]:  # two decks to put together again, from parts laid out again
            (cache / "kaarten" / name).unlink()
        for part in (cache / "kaarten").glob("*/*.deel"):
            part.unlink()
    log = tmp_path / "bouw.log"
    process = start([str(KOMPAS), "bouw"], project, env, log)
    kill_when(process, (lambda: stopped(process)) if point else _watch(watch, project, cache, process), log)

    site = project / "site"
    if fallback and not site.exists():
        # killed between the two renames: the previous site waits beside it, complete...
        (old,) = project.glob(".site-kompas-oud-*")
        assert tree_hash(old) == versions["old"]
        # ...and the next command puts it back before anything else (killed at its first step here)
        again = start([str(KOMPAS), "bouw"], project, {**env, "KOMPAS_FOUTPUNT": "validatie:1"}, log)
        kill_when(again, lambda: stopped(again), log)
    state = assert_old_or_complete_new(site, versions)
    if point in ("na-wissel:1", "opruimen:1"):
        assert state == "nieuw"
    elif point in ("validatie:1", "pagina:1", "voor-wissel:1", "tussen-hernoemen:1"):
        assert state == "oud"
    assert_caches_sound(cache)

    result = run("bouw", cwd=project, env={"KOMPAS_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert assert_old_or_complete_new(site, versions) == "nieuw"
    assert_no_leftovers(project, cache)
    assert_caches_sound(cache)


# -- two at once ---------------------------------------------------------------------------


def test_second_build_is_refused_while_the_first_runs(work, versions, tmp_path):
    project, cache = work
    env = {"KOMPAS_CACHE_DIR": str(cache), "PYTHONPATH": str(FAULTS), "KOMPAS_FOUTPUNT": "pagina:3"}
    log = tmp_path / "eerste.log"
    first = start([str(KOMPAS), "bouw"], project, env, log)
    deadline = time.monotonic() + 300
    while not stopped(first):
        assert first.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.005)
    try:
        second = run("bouw", cwd=project, env={"KOMPAS_CACHE_DIR": str(cache)})
        assert second.returncode == 3  # an operation that could not run: the lock is busy
        assert "kompas bouw: BEZIG fout: er draait al een bouw of publicatie in deze projectmap" in second.stderr
        deploy = make_deploy(project, "1.0", env={**os.environ, "KOMPAS_CACHE_DIR": str(cache)})
        assert deploy.returncode != 0 and "er draait al een bouw of publicatie" in deploy.stderr
        assert tree_hash(project / "site") == versions["old"]  # the second touched nothing
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert first.wait(timeout=300) == 0, log.read_text(errors="replace")
    assert assert_old_or_complete_new(project / "site", versions) == "nieuw"
    assert "gh-pages" not in git(project, "branch", "--list")


# -- a full disk -------------------------------------------------------------------------------


def test_full_disk_gives_a_message_and_keeps_the_old_site(work, versions):
    """Unprivileged: a file-size limit (RLIMIT_FSIZE, `prlimit --fsize`) makes every write past it
    fail as on a full disk; it holds for the card workers and Pagefind too."""
    project, cache = work
    shutil.rmtree(cache / "kaarten")  # the decks are written (large files)
    before = tree_hash(project, skip=(".cache",))
    result = subprocess.run(
        ["prlimit", "--fsize=20000", "--", str(KOMPAS), "bouw"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "KOMPAS_CACHE_DIR": str(cache)},
    )
    assert result.returncode == 3, result.stderr  # an operation that could not complete
    assert "kompas bouw: SCHRIJVEN fout: " in result.stderr and "de schijf is vol" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert "De vorige site staat er nog" in result.stderr
    assert tree_hash(project, skip=(".cache",)) == before  # the old site, byte for byte, and no leftovers
    assert_caches_sound(cache)
    again = run("bouw", cwd=project, env={"KOMPAS_CACHE_DIR": str(cache)})
    assert again.returncode == 0, again.stderr
    assert assert_old_or_complete_new(project / "site", versions) == "nieuw"
    assert_no_leftovers(project, cache)


# -- an interrupted release ----------------------------------------------------------------------

DEPLOY_MOMENTS = [
    ("tijdens de bouw van mike", None, "pagina:3"),
    ("na de commit van mike, voor gh-pages", "scratch", None),
    ("tijdens de zoekindex van mike", None, "zoekindex:1"),
]


@pytest.fixture(scope="module")
def released(versions, tmp_path_factory):
    """The project with version 1.0 released to gh-pages."""
    base = tmp_path_factory.mktemp("uitgebracht")
    project, cache = base / "project", base / "cache"
    shutil.copytree(versions["project"], project, symlinks=True)
    shutil.copytree(versions["cache"], cache, symlinks=True)
    first = make_deploy(project, "1.0", "ALIAS=latest", env={**os.environ, "KOMPAS_CACHE_DIR": str(cache)})
    assert first.returncode == 0, first.stdout + first.stderr
    return project, cache


@pytest.mark.parametrize("moment, watch, point", DEPLOY_MOMENTS, ids=[m[0] for m in DEPLOY_MOMENTS])
def test_interrupted_deploy_leaves_gh_pages_unchanged(released, moment, watch, point, tmp_path):
    project, cache = tmp_path / "project", tmp_path / "cache"
    shutil.copytree(released[0], project, symlinks=True)
    shutil.copytree(released[1], cache, symlinks=True)
    (tmp_path / "tmp").mkdir()
    mark = f"h30-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "KOMPAS_CACHE_DIR": str(cache),
        "PYTHONPATH": str(FAULTS),
        "TMPDIR": str(tmp_path / "tmp"),
        "KOMPAS_TESTMERK": mark,
    }
    before = git(project, "rev-parse", "refs/heads/gh-pages").strip()
    _retitle(project, "Titel voor versie twee punt nul")
    tree_after_change = tree_hash(project, skip=(".git",))
    if point:
        env["KOMPAS_FOUTPUNT"] = point
    log = tmp_path / "deploy.log"
    with open(log, "wb") as out:
        process = make_deploy(
            project,
            "2.0",
            "ALIAS=latest",
            popen=True,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def scratch_moved() -> bool:
        ref = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "-q", "--verify", "refs/heads/kompas-publiceren"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return bool(ref) and ref != before

    moment_reached = (lambda: stopped_below(process)) if point else scratch_moved
    kill_when(process, moment_reached, log)  # make's group: make, kompas; mike and its build die with kompas
    _none_left(mark)
    assert git(project, "rev-parse", "refs/heads/gh-pages").strip() == before
    # the checkout is untouched too: mike's configuration is written in the release's temporary folder
    assert tree_hash(project, skip=(".git",)) == tree_after_change
    again = make_deploy(
        project,
        "2.0",
        "ALIAS=latest",
        env={k: v for k, v in env.items() if k not in ("PYTHONPATH", "KOMPAS_FOUTPUNT", "KOMPAS_TESTMERK")},
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert git(project, "rev-parse", "refs/heads/gh-pages").strip() != before
    assert "kompas-publiceren" not in git(project, "branch", "--list")
    assert not list(cache.glob("publiceren/publiceren-*")), "the interrupted release's build folder was left behind"
    assert not list(project.glob("mike-mkdocs*")), "mike's configuration copy was left behind"
    assert "2.0" in git(project, "show", "gh-pages:versions.json")


# -- issue 30: an interrupted release leaves no process and no file behind -------------------------------


def _marked(mark: str) -> list[tuple[int, str]]:
    """(pid, name) of every living process whose environment holds ``mark`` (a release's descendants keep
    it, also after their parent died and they were adopted by another process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"KOMPAS_TESTMERK={mark}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().split(") ")[1][0]
                if state != "Z":
                    found.append((int(entry.name), (entry / "comm").read_text().strip()))
        except (OSError, IndexError):
            continue
    return found


def _none_left(mark: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _marked(mark):
        assert time.monotonic() < deadline, f"processes of the release still run: {_marked(mark)}"
        time.sleep(0.05)


def _release(released, tmp_path, *, cold_search: bool):
    project, cache = tmp_path / "project", tmp_path / "cache"
    shutil.copytree(released[0], project, symlinks=True)
    shutil.copytree(released[1], cache, symlinks=True)
    if cold_search:
        shutil.rmtree(cache / "zoekindex", ignore_errors=True)  # so that Pagefind runs under mike
    _retitle(project, "Titel voor een versie die nooit uitkomt")
    mark = f"h30-{os.getpid()}-{time.monotonic_ns()}"
    log = tmp_path / "publiceer.log"
    env = {"KOMPAS_CACHE_DIR": str(cache), "KOMPAS_TESTMERK": mark}
    return project, cache, mark, log, env


def _assert_nothing_behind(project, cache, before: str, tree: dict) -> None:
    assert git(project, "rev-parse", "refs/heads/gh-pages").strip() == before
    assert tree_hash(project, skip=(".git",)) == tree  # no mike-mkdocs*.yml, nothing else
    assert not list(project.glob("mike-mkdocs*"))


def test_ctrl_c_during_a_release_stops_mike_without_a_traceback(released, tmp_path):
    """A terminal's Ctrl+C signals the whole foreground group: Kompas alone gets it (mike has a group of its
    own), stops mike's group, says so in Dutch and ends with 130."""
    project, cache, mark, log, env = _release(released, tmp_path, cold_search=False)
    before = git(project, "rev-parse", "refs/heads/gh-pages").strip()
    tree = tree_hash(project, skip=(".git",))
    process = start([str(KOMPAS), "publiceer", "2.0", "--alias", "latest"], project, env, log)
    deadline = time.monotonic() + 300
    while not any(name == "mkdocs" for _, name in _marked(mark)):  # mike's build runs
        assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal does
    assert process.wait(timeout=120) == 130
    output = log.read_text(errors="replace")
    assert "kompas publiceer: ONDERBROKEN fout: onderbroken." in output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    _none_left(mark)
    _assert_nothing_behind(project, cache, before, tree)
    assert "kompas-publiceren" not in git(project, "branch", "--list")


def test_kill_9_of_kompas_alone_takes_mike_and_its_build_along(released, tmp_path):
    """SIGKILL of the `kompas` process only (not its group), while Pagefind runs under mike's build: mike,
    the build, Pagefind and the card workers die with their parents; gh-pages stays as it was and no file
    is left in the project (the release's temporary folder in the cache goes with the next release)."""
    project, cache, mark, log, env = _release(released, tmp_path, cold_search=True)
    before = git(project, "rev-parse", "refs/heads/gh-pages").strip()
    tree = tree_hash(project, skip=(".git",))
    process = start([str(KOMPAS), "publiceer", "2.0", "--alias", "latest"], project, env, log)
    deadline = time.monotonic() + 300
    while not any("pagefind" in name for _, name in _marked(mark)):
        assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _none_left(mark)
    _assert_nothing_behind(project, cache, before, tree)


def test_make_clean_during_a_build_does_not_open_the_lock(work, versions, tmp_path):
    """`make clean` removes .cache/ (and a user may delete the cache folder) while a build runs: the lock is
    not in there, so a second build is still refused; the first one finishes."""
    project, cache = work
    env = {"KOMPAS_CACHE_DIR": str(cache), "PYTHONPATH": str(FAULTS), "KOMPAS_FOUTPUNT": "pagina:3"}
    log = tmp_path / "eerste.log"
    first = start([str(KOMPAS), "bouw"], project, env, log)
    deadline = time.monotonic() + 300
    while not stopped(first):
        assert first.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.005)
    try:
        clean = subprocess.run(
            ["make", "-C", str(project), "-f", str(ROOT / "Makefile"), "clean"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert clean.returncode == 0, clean.stderr
        shutil.rmtree(cache)  # the cache folder of KOMPAS_CACHE_DIR too
        second = run("bouw", cwd=project, env={"KOMPAS_CACHE_DIR": str(cache)})
        assert second.returncode == 3, second.stderr
        assert "BEZIG fout: er draait al een bouw of publicatie in deze projectmap" in second.stderr
        assert f"(proces {first.pid})" in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert first.wait(timeout=300) == 0, log.read_text(errors="replace")
