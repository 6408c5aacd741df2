"""Where things are, and buildable projects made of the fixture content."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def building_root(shared: Path) -> Iterator[None]:
    """One build of this repository at a time across the test processes (pytest-xdist runs the suite in
    two): Kompas refuses a second build of a project while one runs. ``shared``: a folder every
    process of the run sees (:func:`run_folder`)."""
    import fcntl

    shared.mkdir(parents=True, exist_ok=True)
    with open(shared / "bouw-van-de-repository.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def run_folder(factory) -> Path:
    """The folder of this test run that every pytest-xdist process shares (the parent of each worker's
    own base folder), or this process's own base folder without xdist."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_project(project: Path, site: Path | None = None) -> Path:
    """Build a project in-process, strictly, as `kompas bouw` does."""
    from macros.site.build import build_site

    return build_site(project, site or project / "site")


def checkout_copy(target: Path) -> Path:
    """This checkout as a new git repository at ``target``: every file git would commit here (tracked,
    and new files that are not ignored), in one commit. For tests that run `make` in a clone."""
    import subprocess

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
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "begin")
    return target


# git as a test runs it: a fixed author, and nothing of the user's configuration in the way
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "PATH": "/usr/bin:/bin",
}


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (:data:`GIT_ENV`); its output, stripped."""
    import subprocess

    done = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=GIT_ENV)
    return done.stdout.strip()
