"""Helpers of the safety and fault-injection tests (issue 18): a project to try things on,
the real `kompas` program, and a hash of a whole folder tree."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from lib.project import make_project

KOMPAS = Path(sys.executable).parent / "kompas"


def tree_hash(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry below ``folder`` (hidden ones too): relative path -> type, mode and content hash.
    ``skip``: top-level names left out. ``__pycache__`` folders are left out at every level: Python
    itself writes the bytecode of the project's hooks shim there when a run imports it (unless
    PYTHONDONTWRITEBYTECODE is set, as on the workplace's machine but not on a user's), and the
    repository ignores them (.gitignore); Kompas writes nothing there."""
    result: dict[str, str] = {}
    folder = Path(folder)
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        if here == folder:
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip]
        for name in [*dirnames, *filenames]:
            path = here / name
            info = path.lstat()
            key = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(info.st_mode):
                result[key] = f"link {os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                result[key] = f"dir {stat.S_IMODE(info.st_mode):o}"
            elif not stat.S_ISREG(info.st_mode):  # a FIFO or socket: never opened (it would wait)
                result[key] = f"special {stat.S_IFMT(info.st_mode):o} {stat.S_IMODE(info.st_mode):o}"
            else:
                result[key] = f"file {stat.S_IMODE(info.st_mode):o} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    return result


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(project), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
        },
    ).stdout


def new_project(target: Path, *, with_git: bool = True) -> Path:
    """The small fixture corpus with the real site configuration, as a git checkout."""
    project = make_project(target)
    (project / "README.md").write_text("# Project\n", encoding="utf-8")
    for name in ("tests", "schemas", "scripts", "bench"):
        (project / name).mkdir(exist_ok=True)
        (project / name / "bewaren.txt").write_text(f"{name}\n", encoding="utf-8")
    (project / ".gitignore").write_text("site/\n.site-*/\n.cache/\n", encoding="utf-8")
    if with_git:
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "begin")
    return project


def run(*args: str, cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KOMPAS), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


ROOT = Path(__file__).resolve().parents[2]


def make_deploy(project: Path, version: str, *extra: str, popen: bool = False, **kwargs):
    """`make deploy` in ``project`` with this checkout's Makefile and virtual environment."""
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    os.utime(project / "pyproject.toml", (946684800, 946684800))  # older than the install stamp: no reinstall
    command = ["make", "-C", str(project), "deploy", f"VERSION={version}", f"VENV={KOMPAS.parent.parent}", *extra]
    if popen:
        return subprocess.Popen(command, **kwargs)
    return subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)


def refused(
    project: Path,
    *args: str,
    message: str,
    code: int = 2,
    cwd: Path | None = None,
    env: dict | None = None,
    watch: Path | None = None,
    never: tuple[str, ...] = (),
    timeout: float = 600,
) -> subprocess.CompletedProcess:
    """Run kompas; it must refuse with exit code ``code`` (2: a path refused, 3: busy) and ``message``,
    with no traceback and none of ``never`` in its output, and change no file under ``watch`` (default:
    the folder around the project)."""
    watch = watch or project.parent
    before = tree_hash(watch)
    result = run(*args, cwd=cwd or project, env=env, timeout=timeout)
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for text in never:
        assert text not in result.stderr, result.stderr
    assert tree_hash(watch) == before
    return result
