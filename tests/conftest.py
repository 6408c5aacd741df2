"""Shared test set-up.

Under CI=true a skipped test is a failure: the suite never silently skips.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
    (target / "macros").mkdir(exist_ok=True)
    shutil.copy(ROOT / "macros" / "mkdocs_hooks.py", target / "macros" / "mkdocs_hooks.py")
    return target


def build_project(project: Path, site: Path | None = None) -> Path:
    """Build a project in-process, strictly, as `kompas bouw` does."""
    from macros.build import build_site

    return build_site(project, site or project / "site")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture corpus, built once per test session."""
    project = make_project(tmp_path_factory.mktemp("fixture-site") / "project")
    return build_project(project)
