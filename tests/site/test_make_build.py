"""`make build` keeps the last good site: a build that fails on bad input (a YAML error) leaves the
site of the previous build byte for byte, and no temporary build behind (issue 13)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lib.project import ROOT


# -- make build keeps the last good site ---------------------------------------------------------
def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_make_build_failure_keeps_the_last_good_site(tmp_path):
    if not shutil.which("make"):
        pytest.fail("make ontbreekt")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("themabladen", "modules", "content", "schemas", "macros", "scripts"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, repo / name)
    venv = Path(sys.executable).parent.parent  # the project's venv: never reinstalled here
    stamp = venv / ".installed-stamp"
    make = ["make", "-C", str(repo), f"VENV={venv}", "-o", str(stamp), "build"]
    first = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    good = _tree_digest(repo / "site")
    assert "index.html" in good
    broken = repo / "content" / "dilemmas" / next(p.name for p in (repo / "content" / "dilemmas").glob("*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "titel: [onaf\n", encoding="utf-8")
    second = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert second.returncode != 0
    assert "YAML-" in second.stdout + second.stderr and "Traceback" not in second.stderr
    assert _tree_digest(repo / "site") == good, "the last good site changed"
    assert not list(repo.glob(".site-*")), "a temporary build was left behind"
