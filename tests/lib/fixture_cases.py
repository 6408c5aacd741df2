"""The fixture cases of tests/fixtures/geldig and tests/fixtures/ongeldig: each folder is a test case laid over the base project (see tests/unit/content/test_fixtures.py)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

from lib.project import FIXTURES, ROOT
from macros.content.schema import SCHEMA_DIR

BASE = FIXTURES / "geldig" / "basis"  # own copy: changes to fixtures/corpus do not move these cases


DEFAULT_TODAY = date(2026, 11, 23)  # fixed: fixtures never depend on the day the tests run


SPEC = "verwacht.json"

# Codes that only a layout by WeasyPrint can give (the handout fit): their cases are checked in the
# print tier (tests/print/test_handout_fit.py), every other case in tests/unit/content/test_fixtures.py.
PRINT_CODES = frozenset({"HANDOUT-TE-LANG"})


def needs_print(case: Path) -> bool:
    """Whether a case declares a code that only the print tier can measure."""
    return any(m["code"] in PRINT_CODES for m in load_spec(case).get("meldingen", []))


def case_folders(group: str) -> list[Path]:
    folder = FIXTURES / group
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def load_spec(case: Path) -> dict:
    """The case's verwacht.json. A problem in a file of this repository that the case uses as it is
    (``mkdocs.yml`` of a ``site`` case) may give ``regel_met`` instead of ``regel``: the text of that
    line, so the case does not break when the file gains a line elsewhere."""
    spec = json.loads((case / SPEC).read_text(encoding="utf-8"))
    for problem in spec.get("meldingen", []):
        if "regel_met" in problem:
            lines = (ROOT / problem["bestand"]).read_text(encoding="utf-8").splitlines()
            found = [number for number, line in enumerate(lines, 1) if problem["regel_met"] in line]
            assert len(found) == 1, f"{case.name}: {problem['regel_met']!r} is on lines {found} of {problem['bestand']}"
            problem["regel"] = found[0]
    return spec


def case_files(case: Path) -> list[str]:
    """Paths (relative, forward slashes) of the files a case lays over the base project."""
    return sorted(
        p.relative_to(case).as_posix() for p in case.rglob("*") if (p.is_file() or p.is_symlink()) and p.name != SPEC
    )


def touched_files(case: Path, spec: dict) -> set[str]:
    touched = set(case_files(case)) | set(spec.get("verwijder", []))
    touched |= {item["bestand"] for item in spec.get("genereer", [])}
    touched |= set(spec.get("fifo", []))
    return touched


def add_site(project: Path) -> None:
    """The site configuration and hand-written pages of this repository, in ``project``."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages", dirs_exist_ok=True)


def build_project(case: Path, spec: dict, target: Path) -> tuple[Path, Path]:
    """The base project with the case laid on top; returns (project, schema_dir)."""
    project = target / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns(SPEC))
    if spec.get("site"):  # the site of this repository: its mkdocs.yml and hand-written pages
        add_site(project)
    shutil.copytree(case, project, dirs_exist_ok=True, symlinks=True, ignore=shutil.ignore_patterns(SPEC))
    for rel in spec.get("verwijder", []):
        (project / rel).unlink()
    for item in spec.get("genereer", []):
        path = project / item["bestand"]
        line = b"# " + b"x" * 97 + b"\n"  # a harmless YAML comment, repeated
        with path.open("wb") as out:
            for _ in range(item["bytes"] // len(line) + 1):
                out.write(line)
    for rel in spec.get("fifo", []):
        os.mkfifo(project / rel)
    schema_dir = SCHEMA_DIR
    if spec.get("schema_aanpassing"):
        schema_dir = target / "schemas"
        shutil.copytree(SCHEMA_DIR, schema_dir)
        for change in spec["schema_aanpassing"]:
            path = schema_dir / change["bestand"]
            schema = json.loads(path.read_text(encoding="utf-8"))
            node = schema
            for part in change["pad"]:
                node = node[part]
            node.update(change["zet"])
            path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    return project, schema_dir
