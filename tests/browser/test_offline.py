"""Offline: the build needs no network, and the built site asks nothing of another host.

The intranet is closed: a build that fetches a font, a plugin or a search binary, or a
page that loads anything from elsewhere, breaks there. The proofs, each saying which
isolation it used (shown with `pytest -rA` and recorded as the test property "isolatie"):
* the real `kompas bouw` in a network namespace without network (`unshare -n`, needs
  root or user namespaces);
* the real `kompas bouw` under `strace -f`, unprivileged (the GitLab job): every connect
  and every datagram of Kompas and of all its child processes (card workers, Pagefind,
  git) is recorded, and none may go to another host. This path always runs, also where
  the namespace is available, and its detection is itself tested;
* every page in Chromium with every request to another host aborted: zero failed requests.
There is no silent fallback: where neither isolation works, the test fails and says why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lib.browser import site_pages
from lib.project import ROOT, make_project
from macros.harness.browser import serve

KOMPAS = Path(sys.executable).with_name("kompas")


def _unshare_works() -> bool:
    tool = shutil.which("unshare")
    if not tool:
        return False
    return subprocess.run([tool, "-n", "true"], capture_output=True).returncode == 0


def _copy_project(target: Path) -> Path:
    """What a build reads from the repository: content, schemas, configuration, hooks."""
    target.mkdir(parents=True)
    for name in ("themabladen", "modules", "content", "schemas", "macros"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def mike_layout(site: Path, target: Path) -> str:
    """The site as the intranet serves it (docs/server.md): a version folder and versions.json."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "1.0").symlink_to(site, target_is_directory=True)
    (target / "versions.json").write_text(
        '[{"version": "1.0", "title": "1.0", "aliases": ["latest"]}]', encoding="utf-8"
    )
    return "1.0/"


# -- the unprivileged proof: strace ------------------------------------------------------------

_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<call>connect|sendto|sendmsg)\((?P<args>.*)$")
_INET = re.compile(r'sa_family=AF_INET6?, .*?(?:inet_addr\("(?P<v4>[^"]+)"\)|inet_pton\(AF_INET6, "(?P<v6>[^"]+)")')
_EXEC = re.compile(r'^(?P<pid>\d+)\s+execve\("(?P<path>[^"]+)".* = 0$')
_LOCAL = ("127.", "::1", "::ffff:127.")


def traced(command: list[str], log: Path, **kwargs) -> tuple[subprocess.CompletedProcess, dict]:
    """Run ``command`` under `strace -f`; what it and every child did on the network."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.fail(
            "strace ontbreekt: installeer het (scripts/ensure-system.sh) voor de offline-test zonder "
            "rechten; zonder strace is er geen bewijs voor de kindprocessen."
        )
    run = subprocess.run(
        [strace, "-f", "-qq", "-o", str(log), "-e", "trace=connect,sendto,sendmsg,execve", "--", *command],
        capture_output=True,
        text=True,
        **kwargs,
    )
    remote, local, programs, pids = [], [], [], set()
    for line in log.read_text(errors="replace").splitlines():
        if (match := _EXEC.match(line)) is not None:
            programs.append(match["path"])
            pids.add(match["pid"])
            continue
        call = _CALL.match(line)
        if call is None:
            continue
        pids.add(call["pid"])
        address = _INET.search(call["args"])
        if address is None:
            local.append(line)  # AF_UNIX, AF_NETLINK or no address (a connected socket)
            continue
        host = address["v4"] or address["v6"]
        (local if host.startswith(_LOCAL) else remote).append(line)
    if run.returncode != 0 and "ptrace" in run.stderr:
        pytest.fail(f"strace kan hier niet traceren ({run.stderr.strip()}); geen bewijs mogelijk zonder namespace.")
    return run, {"remote": remote, "local": local, "programs": programs, "pids": pids}


def test_strace_detects_a_connection_of_a_child_process(tmp_path):
    """The unprivileged check can fail: a grandchild that connects to another host is caught."""
    child = (
        "import socket, subprocess, sys; subprocess.run([sys.executable, '-c', "
        "\"import socket\\ntry: socket.create_connection(('192.0.2.1', 80), timeout=0.2)\\n"
        "except OSError: pass\"])"
    )
    run, seen = traced([sys.executable, "-c", child], tmp_path / "strace.log", timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(seen["pids"]) >= 2
    assert any("192.0.2.1" in line for line in seen["remote"]), seen


def _strace_build(tmp_path: Path, project: Path) -> None:
    out = tmp_path / "site-strace"
    run, seen = traced(
        [str(KOMPAS), "bouw", "--map", str(project), "--uit", str(out)], tmp_path / "strace.log", timeout=900
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert not seen["remote"], seen["remote"]
    # the child processes were traced too: Pagefind ran under strace
    assert any(Path(path).name == "pagefind" for path in seen["programs"]), seen["programs"]
    assert (out / "pagefind" / "pagefind.js").is_file()


def test_build_without_network(tmp_path, record_property):
    """The starter content, built in a network namespace where possible; otherwise under strace.
    The isolation used is stated, never chosen silently."""
    project = _copy_project(tmp_path / "project")
    out = tmp_path / "site"
    if _unshare_works():
        isolation = "netwerknamespace (unshare -n): er is geen netwerk"
        proof = subprocess.run(
            [
                "unshare",
                "-n",
                sys.executable,
                "-c",
                "import socket; socket.create_connection(('192.0.2.1', 80), timeout=3)",
            ],
            capture_output=True,
            text=True,
        )
        assert proof.returncode != 0, "the namespace has network after all"
        run = subprocess.run(
            ["unshare", "-n", str(KOMPAS), "bouw", "--map", str(project), "--uit", str(out)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert (out / "index.html").is_file()
        assert (out / "pagefind" / "pagefind.js").is_file()  # the search index is built offline too
        assert len(list(out.rglob("*.html"))) >= 20
    else:
        isolation = (
            "strace -f (geen netwerknamespace beschikbaar): elke verbinding van kompas en zijn "
            "kindprocessen is gecontroleerd"
        )
        _strace_build(tmp_path, project)
    record_property("isolatie", isolation)
    print(f"isolatie: {isolation}")


def test_build_without_network_unprivileged(tmp_path, record_property):
    """The unprivileged path, always: the fixture project built under strace (children included)."""
    project = make_project(tmp_path / "project")
    _strace_build(tmp_path, project)
    record_property("isolatie", "strace -f")
    print("isolatie: strace -f (zonder rechten)")


def test_site_refers_to_no_other_host(starter_site):
    """No page, stylesheet or script names another host for a resource it loads."""
    import re

    loads = re.compile(
        r"""<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""",
        re.IGNORECASE,
    )
    css_urls = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')]+)""", re.IGNORECASE)
    found = []
    for path in starter_site.rglob("*"):
        if path.suffix == ".html":
            found += [
                (path.name, u)
                for u in loads.findall(path.read_text(encoding="utf-8"))
                if not u.startswith("https://www.w3.org/")
            ]
        elif path.suffix == ".css":
            found += [(path.name, u) for u in css_urls.findall(path.read_text(encoding="utf-8"))]
    assert not found, found


def _context_blocking_other_hosts(chromium, own: str):
    """A browser context that aborts every request not to ``own`` (host:port); returns it
    with the list the blocked URLs are recorded in."""
    context = chromium.new_context()
    blocked: list[str] = []

    def route(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context, blocked


def test_every_page_loads_with_other_hosts_blocked(chromium, starter_site, tmp_path):
    """Served as on the intranet (a mike version folder; the version selector loads
    ../versions.json); a 404 or any other failed request counts."""
    version = mike_layout(starter_site, tmp_path / "server")
    base, stop = serve(tmp_path / "server")
    own = urlsplit(base).netloc
    context, blocked = _context_blocking_other_hosts(chromium, own)
    failed: list[str] = []
    page = context.new_page()
    pending: set = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on(
        "requestfailed", lambda request: (pending.discard(request), failed.append(f"{request.url} ({request.failure})"))
    )
    page.on(
        "response",
        lambda response: failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None,
    )
    urls = [u for u in site_pages(starter_site) if u != "404.html"]
    try:
        for url in urls:
            page.goto(base + version + url, wait_until="networkidle")
            for _ in range(200):  # requests made after the load event (versions.json) finish too
                if not pending:
                    break
                page.wait_for_timeout(25)
            assert not pending, [r.url for r in pending]
        # the search loads its index and WebAssembly from the site itself
        box = page.locator("[data-kompas-zoekvraag]")
        box.click()
        box.press_sequentially("geweld")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    finally:
        context.close()
        stop()
    assert not blocked, blocked
    assert not failed, failed


def test_blocking_is_noticed(chromium, served_starter_site):
    """The check can fail: a page that loads from another host shows up as blocked."""
    own = urlsplit(served_starter_site).netloc
    context, blocked = _context_blocking_other_hosts(chromium, own)
    page = context.new_page()
    try:
        page.goto(served_starter_site)
        page.evaluate("""() => new Promise(done => { const img = new Image();
            img.onerror = img.onload = done; img.src = 'https://fonts.example.org/x.png'; })""")
    finally:
        context.close()
    assert blocked == ["https://fonts.example.org/x.png"]
