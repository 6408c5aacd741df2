"""Shared test set-up: the fixtures every tier uses, and the tier of each test.

The tiers mirror the code (see docs/testing.md): tests/unit/<package>/ (fast: no site build, no
browser, no PDF; `make test-snel`), tests/site/, tests/browser/, tests/print/ and tests/faults/. Each
test gets the marker of its folder. Shared helpers live in tests/lib/, fixture content in
tests/fixtures/. Under CI=true a skipped test is a failure: the suite never silently skips.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lib.browser import axe_source, csp_site  # noqa: F401 - fixtures of the browser tier
from lib.pdf import embedded_fonts  # noqa: F401 - helpers that tests import from here
from lib.project import FIXTURES, ROOT, build_project, building_root, make_project, run_folder  # noqa: F401
from macros.harness.browser import QuietHandler, chromium_executable, serve  # noqa: F401
from macros.harness.browser import chromium as launched_chromium

TIERS = ("unit", "site", "browser", "print", "faults")


def pytest_configure(config):
    # Rendered card decks are cached by content hash; share one cache across the
    # many fixture builds of a test run (same content, same bytes).
    import tempfile

    shared = Path(tempfile.gettempdir()) / "kompas-test-cache"
    os.environ.setdefault("KOMPAS_CACHE_DIR", str(shared))
    # finished pages are kept per project, and every test builds its own: start each run empty (once:
    # not again in each pytest-xdist worker, while the other one builds)
    if not hasattr(config, "workerinput"):
        shutil.rmtree(shared / "paginas", ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """The marker of each test's tier: the first folder under tests/ (unit, site, browser, print, faults)."""
    tests = Path(__file__).resolve().parent
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(tests).parts
        tier = parts[0] if len(parts) > 1 and parts[0] in TIERS else None
        if tier is None:
            raise pytest.UsageError(f"{item.nodeid}: elke test staat in een laag: tests/{{{','.join(TIERS)}}}/")
        item.add_marker(getattr(pytest.mark, tier))
        if tier != "browser" and "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)  # a site test that also looks in the browser


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") == "true" and reporter is not None:
        skipped = reporter.stats.get("skipped", [])
        if skipped:
            reporter.write_line(f"CI=true: {len(skipped)} overgeslagen test(s) tellen als fout.", red=True)
            session.exitstatus = 1


@pytest.fixture
def root() -> Path:
    """The project root (the real starter content)."""
    return ROOT


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the small fixture corpus, laid out like a project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "corpus", target)
    return target


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture corpus, built once per test session."""
    project = make_project(tmp_path_factory.mktemp("fixture-site") / "project")
    return build_project(project)


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory) -> Path:
    """The real starter content of the repository, built once per test run (the first pytest-xdist
    worker that needs it builds it; the other reads the same site)."""
    shared = run_folder(tmp_path_factory)
    site = shared / "starter-site" / "site"
    with building_root(shared):
        if not (site / "index.html").is_file():
            build_project(ROOT, site)
    return site


@pytest.fixture(scope="session")
def served_starter_site(starter_site):
    base, stop = serve(starter_site)
    yield base
    stop()


@pytest.fixture(scope="session")
def chromium():
    """The system Chromium driven by Playwright (no browser download)."""
    if not chromium_executable().exists():
        pytest.fail("Chromium ontbreekt: `make test` installeert het met scripts/ensure-system.sh")
    with launched_chromium() as browser:
        yield browser
