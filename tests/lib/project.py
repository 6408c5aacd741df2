"""Where things are, and buildable projects made of the fixture content."""

from __future__ import annotations

import shutil
from pathlib import Path

from macros.harness.project import add_site_hooks

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
A11Y = TESTS / "a11y"


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
