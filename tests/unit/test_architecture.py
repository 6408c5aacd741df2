"""The layering of macros/ is written down as import-linter contracts (pyproject.toml) and checked here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from lib.project import ROOT  # noqa: E402

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def test_every_layer_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and "0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(ROOT / "macros", project / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    return project


def test_a_content_module_that_imports_mkdocs_breaks_the_contracts(tmp_path):
    project = _copy(tmp_path)
    model = project / "macros" / "content" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport mkdocs  # noqa\n", encoding="utf-8")
    result = _lint(project)
    assert result.returncode != 0
    assert "macros.content.model -> mkdocs" in result.stdout


def test_the_content_layer_may_not_import_the_site(tmp_path):
    project = _copy(tmp_path)
    checks = project / "macros" / "content" / "checks.py"
    checks.write_text(checks.read_text(encoding="utf-8") + "\nfrom ..site import linkcheck  # noqa\n", encoding="utf-8")
    result = _lint(project)
    assert result.returncode != 0 and "macros.content is not allowed to import macros.site" in result.stdout


def _append(project: Path, module: str, line: str) -> None:
    path = project / "macros" / Path(*module.split(".")[1:]).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")


def test_the_store_may_not_import_the_content_layer(tmp_path):
    project = _copy(tmp_path)
    _append(project, "macros.store.paths", "from ..content import schema")
    result = _lint(project)
    assert result.returncode != 0
    assert "macros.store is not allowed to import macros.content" in result.stdout


def test_a_caller_that_skips_the_verdict_breaks_the_contracts(tmp_path):
    project = _copy(tmp_path)
    _append(project, "macros.site.serve", "from ..content.validate import validate_corpus")
    result = _lint(project)
    assert result.returncode != 0
    assert "macros.site.serve -> macros.content.validate" in result.stdout


def test_the_serve_loop_may_not_import_the_adapter(tmp_path):
    project = _copy(tmp_path)
    _append(project, "macros.site.serve", "from . import adapter")
    result = _lint(project)
    assert result.returncode != 0
    assert "macros.site.serve is not allowed to import macros.site.adapter" in result.stdout


def test_a_cycle_between_siblings_breaks_the_contracts(tmp_path):
    project = _copy(tmp_path)
    _append(project, "macros.content.load", "from . import validate")
    result = _lint(project)
    assert result.returncode != 0
    assert "No cycles are allowed in macros.content" in result.stdout
