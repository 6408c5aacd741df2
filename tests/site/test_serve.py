"""`make serve` for an editor: the real `mkdocs serve` rebuilds when a content file changes
and shows the change. A change with an error is reported in the terminal (file:line, in
Dutch); MkDocs then holds page requests until the content is fixed, so nothing half-built
is ever served."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.project import ROOT, make_project
from lib.serve import _build, project_without_decks
from macros.harness.browser import fetch, free_port
from macros.site import engine


def _get(url: str) -> str | None:
    return fetch(url, timeout=5)


def _wait_for(url: str, text: str, process: subprocess.Popen, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "mkdocs serve is gestopt"
        body = _get(url)
        if body is not None and text in body:
            return body
        time.sleep(0.5)
    pytest.fail(f"'{text}' verscheen niet op {url} binnen {seconds} s")


@pytest.fixture
def served_project(tmp_path):
    project = project_without_decks(tmp_path / "p")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    program = Path(sys.executable).with_name(engine.command())  # mkdocs, or properdocs (make test-properdocs)
    process = subprocess.Popen(
        [str(program), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "KOMPAS_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        yield project, f"http://127.0.0.1:{port}/", process, tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_make_serve_runs_beside_a_build_or_release_that_holds_the_lock(tmp_path, monkeypatch):
    """Issue 18: two builds or releases exclude each other, but `make serve` builds elsewhere and
    may run beside them: it runs mkdocs serve only (no kompas bouw), which takes no lock."""
    from macros.store.lock import ProjectLock

    plan = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "mkdocs serve --strict" in plan and "kompas bouw" not in plan
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    project = project_without_decks(tmp_path / "p")
    port = free_port()
    with ProjectLock(project), (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name(engine.command())),
                "serve",
                "--strict",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/", "Kompas", process)
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_editing_a_dilemma_rebuilds_the_served_site(served_project):
    project, base, process, log = served_project
    page = base + "dilemmas/joint/"
    _wait_for(page, "Een joint tegen de pijn", process)
    source = project / "content" / "dilemmas" / "joint.yaml"
    good = source.read_text(encoding="utf-8")
    source.write_text(
        good.replace("titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"), encoding="utf-8"
    )
    _wait_for(page, "Een joint tegen de rugpijn", process)

    # an error: the terminal says where and what, in Dutch; then the fix shows up
    source.write_text(good.replace("kernwaarden: [integer]", "kernwaarden: [integer, onbekend]"), encoding="utf-8")
    deadline = time.monotonic() + 60
    while "SCHEMA-KEUZE" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.5)
    report = log.read_text(encoding="utf-8")
    assert "content/dilemmas/joint.yaml:7:24: SCHEMA-KEUZE fout: 'onbekend' is geen toegestane waarde" in report
    assert "Traceback" not in report
    source.write_text(good.replace("titel: Een joint tegen de pijn", "titel: Een joint bij rugpijn"), encoding="utf-8")
    _wait_for(page, "Een joint bij rugpijn", process)


def test_a_new_sheet_file_appears_in_the_served_site(served_project):
    project, base, process, _ = served_project
    _wait_for(base + "themabladen/vrije-tijd/", "Gedrag in vrije tijd", process)
    source = (project / "themabladen" / "vrije-tijd.yaml").read_text(encoding="utf-8")
    copy = (
        source.replace("id: vrije-tijd", "id: vrije-tijd-kopie", 1)
        .replace("nummer: 5", "nummer: 15", 1)
        .replace("titel: Gedrag in vrije tijd", "titel: Gedrag in vrije tijd, kopie", 1)
    )
    (project / "themabladen" / "vrije-tijd-kopie.yaml").write_text(copy, encoding="utf-8")
    _wait_for(base + "themabladen/vrije-tijd-kopie/", "Gedrag in vrije tijd, kopie", process)


def _html(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("pagefind", "."))
    }


CHANGES = {
    # a dilemma: its page first, the pages that show it in the background
    "dilemma": (
        "content/dilemmas/joint.yaml",
        "dilemmas/joint/index.html",
        [
            ("titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"),
            ("kernwaarden: [integer]", "kernwaarden: [integer, moedig]"),
        ],
        "Een joint tegen de rugpijn",
    ),
    # a sheet: every generated page rendered again, the changed ones rebuilt before serving
    "themablad": (
        "themabladen/vrije-tijd.yaml",
        "themabladen/vrije-tijd/index.html",
        [("titel: Gedrag in vrije tijd", "titel: Gedrag in de vrije tijd")],
        "Gedrag in de vrije tijd",
    ),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_the_serve_rebuild_gives_the_pages_of_a_full_build(tmp_path, monkeypatch, kind):
    """Change a dilemma (title, core values) or a sheet (title): after the rebuild of make serve (and
    its background work) every page is byte for byte the page of a full build of the new content."""
    import logging

    from macros.site import serve as adapter

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = project_without_decks(tmp_path / "p")
    served = tmp_path / "served"
    config = _build(project, served)
    rebuild = adapter.ServeRebuild(lambda: pytest.fail("een volledige bouw was niet nodig"), config)
    path, page, replacements, shown = CHANGES[kind]
    source = project / path
    changed = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in changed
        changed = changed.replace(old, new)
    source.write_text(changed, encoding="utf-8")
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = adapter.log
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        rebuild()
        assert shown in (served / page).read_text("utf-8")
        rebuild.background.join()  # the other pages, the index and the checks
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert not any("niet bijgewerkt" in m or "mislukt" in m or "Kapotte" in m for m in messages), messages
    assert any("bijgewerkt; de rest volgt op de achtergrond" in m for m in messages), messages
    if kind == "dilemma":
        assert any("Kompas: 1 pagina('s) bijgewerkt" in m for m in messages), messages
    assert (served / "pagefind" / "pagefind-entry.json").exists() and not (served / ".pagefind-nieuw").exists()

    full = tmp_path / "full"
    _build(project, full)
    incremental, expected = _html(served), _html(full)
    assert sorted(incremental) == sorted(expected)
    different = [page for page in expected if incremental[page] != expected[page]]
    assert different == []
    assert (served / "wijzigingen.xml").read_bytes() == (full / "wijzigingen.xml").read_bytes()
    # the session page's data (its index and the card pieces) follows the change too
    session_data = sorted(p.relative_to(full) for p in (full / "sessie").rglob("*.json"))
    assert session_data and [(served / p).read_bytes() for p in session_data] == [
        (full / p).read_bytes() for p in session_data
    ]


def test_the_serve_rebuild_is_strict_and_keeps_the_site(tmp_path, monkeypatch):
    """An error in the saved file: the rebuild stops with the report (file:line) and no page changes."""
    import logging

    from mkdocs.exceptions import Abort

    from macros.site import serve as adapter

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    project = project_without_decks(tmp_path / "p")
    served = tmp_path / "served"
    config = _build(project, served)
    before = _html(served)
    rebuild = adapter.ServeRebuild(lambda: pytest.fail("een volledige bouw was niet nodig"), config)
    source = project / "content" / "dilemmas" / "joint.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("kernwaarden: [integer]", "kernwaarden: [onbekend]"),
        encoding="utf-8",
    )
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    adapter.log.addHandler(handler)
    try:
        with pytest.raises(Abort):
            rebuild()
    finally:
        adapter.log.removeHandler(handler)
    assert any("content/dilemmas/joint.yaml:7:" in m and "SCHEMA-KEUZE" in m for m in messages), messages
    assert _html(served) == before


def test_serve_decks_writes_the_printed_documents_of_the_site(tmp_path, monkeypatch):
    """The card decks, draaiboeken and handouts of make serve (rendered in a process of their own
    after a change) are those of a full build, QR codes included, renamed into kaarten/ and druk/."""
    from macros.content.validate import validate_corpus
    from macros.site.adapter import print_documents
    from macros.site.serve import serve_decks

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    project = make_project(tmp_path / "p")
    site = tmp_path / "site"
    (site / "kaarten").mkdir(parents=True)
    serve_decks(project, site, "https://intranet.invalid/kompas/")
    expected = tmp_path / "expected"
    print_documents(validate_corpus(project), project, expected, "https://intranet.invalid/kompas/")
    for folder in ("kaarten", "druk"):
        served = {p.name: p.read_bytes() for p in (site / folder).iterdir()}
        assert served and served == {p.name: p.read_bytes() for p in (expected / folder).iterdir()}, folder
    assert not (site / ".drukwerk-nieuw").exists()


def test_make_serve_silences_materials_end_of_life_notice(tmp_path):
    """Material 9.8 prints an end-of-life box on every `mkdocs` start; make serve and make build set
    NO_MKDOCS_2_WARNING=1 (docs/engine.md), which really silences it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = [line.strip() for line in makefile.splitlines() if line.startswith("\t")]
    assert any(line.startswith("NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict") for line in recipes)
    assert any(line.startswith("NO_MKDOCS_2_WARNING=1 $(BIN)/kompas bouw") for line in recipes)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Proef\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Proef\ntheme:\n  name: material\n", encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")}
    loud = subprocess.run([str(mkdocs), "build", "-q"], cwd=tmp_path, env=env, capture_output=True, text=True)
    quiet = subprocess.run(
        [str(mkdocs), "build", "-q"],
        cwd=tmp_path,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert loud.returncode == quiet.returncode == 0
    assert "end of life" in loud.stderr + loud.stdout  # the box exists (else this test proves nothing)
    assert "end of life" not in quiet.stderr + quiet.stdout
