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
