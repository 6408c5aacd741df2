"""Shared test set-up.

Under CI=true a skipped test is a failure: the suite never silently skips.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from macros.harness.browser import QuietHandler, chromium_executable, serve  # noqa: F401 - shared with tests
from macros.harness.browser import chromium as launched_chromium
from macros.harness.project import add_site_hooks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config):
    # Rendered card decks are cached by content hash; share one cache across the
    # many fixture builds of a test run (same content, same bytes).
    import tempfile

    shared = Path(tempfile.gettempdir()) / "kompas-test-cache"
    os.environ.setdefault("KOMPAS_CACHE_DIR", str(shared))
    # finished pages are kept per project, and every test builds its own: start each run empty
    shutil.rmtree(shared / "paginas", ignore_errors=True)


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


def make_project(target: Path, content: Path = FIXTURES / "corpus") -> Path:
    """A complete buildable project: fixture content plus the real site configuration."""
    shutil.copytree(content, target, dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "content" / "pages", target / "content" / "pages", dirs_exist_ok=True)
    add_site_hooks(target)
    return target


def build_project(project: Path, site: Path | None = None) -> Path:
    """Build a project in-process, strictly, as `kompas bouw` does."""
    from macros.site.build import build_site

    return build_site(project, site or project / "site")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture corpus, built once per test session."""
    project = make_project(tmp_path_factory.mktemp("fixture-site") / "project")
    return build_project(project)


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory) -> Path:
    """The real starter content of the repository, built once per test session."""
    return build_project(ROOT, tmp_path_factory.mktemp("starter-site") / "site")


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


def embedded_fonts(page) -> set[str]:
    """The base names of the fonts of a PDF page (pypdf); each must be embedded in the file."""
    names = set()
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    return names
