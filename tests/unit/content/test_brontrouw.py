"""Issue 26: the fidelity record (docs/brontrouw.md) has a row for every content file.

The record is a Markdown table whose first column is the path of a content file (relative to the
project, optionally in backticks or as a link text); the other columns say which source and line
ranges it was checked against and what changed. Every content file needs a row: a new file without
one fails this test, naming the file. Content files are themabladen/*.yaml, modules/*.yaml,
content/**/*.yaml and the hand-written pages content/pages/**/*.md (content/woordenlijst.txt is a
word list, not content).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RECORD = Path("docs") / "brontrouw.md"
_ROW = re.compile(r"^\s*\|(?P<first>[^|]*)\|")
_SEPARATOR = re.compile(r"^[\s:|-]+$")


def content_files(root: Path) -> list[str]:
    """Every content file of a project, relative to it, with forward slashes, sorted."""
    found: set[Path] = set()
    for pattern in ("themabladen/*.yaml", "modules/*.yaml", "content/**/*.yaml", "content/pages/**/*.md"):
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(p.relative_to(root).as_posix() for p in found)


def first_cell(cell: str) -> str:
    """The path in a table cell: `path`, [path](...), [`path`](...) or plain path."""
    text = cell.strip()
    link = re.fullmatch(r"\[(.*)\]\([^)]*\)", text)
    if link:
        text = link.group(1).strip()
    return text.strip("`* ").strip()


def recorded_paths(markdown: str) -> set[str]:
    """The first column of every table row in the record (header and separator rows left out)."""
    paths = set()
    for line in markdown.splitlines():
        match = _ROW.match(line)
        if not match or _SEPARATOR.match(line):
            continue
        paths.add(first_cell(match.group("first")))
    return paths


def missing_rows(root: Path) -> list[str]:
    """The content files of ``root`` that have no row in ``root``/docs/brontrouw.md."""
    record = root / RECORD
    text = record.read_text(encoding="utf-8") if record.is_file() else ""
    recorded = recorded_paths(text)
    return [path for path in content_files(root) if path not in recorded]


# -- the check itself, on a synthetic project: it cannot pass by accident ---------------------------
def _project(tmp_path: Path, rows: list[str]) -> Path:
    for rel in (
        "themabladen/a.yaml",
        "modules/b.yaml",
        "content/dilemmas/c.yaml",
        "content/bronnen.yaml",
        "content/pages/index.md",
        "content/pages/onderwerpen/index.md",
        "content/woordenlijst.txt",
        "content/pages/assets/logo.svg",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    table = ["# Brontrouw", "", "| bestand | bron en regels | wat veranderde |", "| --- | --- | --- |", *rows]
    (tmp_path / RECORD).write_text("\n".join(table) + "\n", encoding="utf-8")
    return tmp_path


ALL_ROWS = [
    "| `themabladen/a.yaml` | 003, r. 20-90 | niets |",
    "| [modules/b.yaml](../modules/b.yaml) | 003 | eigenaar |",
    "| content/dilemmas/c.yaml | redactie | - |",
    "|`content/bronnen.yaml`| alle | nieuw |",
    "| `content/pages/index.md` | - | - |",
    "| [`content/pages/onderwerpen/index.md`](x) | - | - |",
]


def test_the_check_lists_every_content_file_and_only_those(tmp_path):
    files = content_files(_project(tmp_path, []))
    assert files == [
        "content/bronnen.yaml",
        "content/dilemmas/c.yaml",
        "content/pages/index.md",
        "content/pages/onderwerpen/index.md",
        "modules/b.yaml",
        "themabladen/a.yaml",
    ]


def test_a_complete_record_passes(tmp_path):
    assert missing_rows(_project(tmp_path, ALL_ROWS)) == []


@pytest.mark.parametrize("left_out", range(len(ALL_ROWS)))
def test_a_file_without_a_row_is_named(tmp_path, left_out):
    rows = [row for i, row in enumerate(ALL_ROWS) if i != left_out]
    expected = first_cell(ALL_ROWS[left_out].split("|")[1])
    assert missing_rows(_project(tmp_path, rows)) == [expected]


def test_a_path_only_in_a_later_column_or_outside_a_table_does_not_count(tmp_path):
    rows = [r for r in ALL_ROWS if "a.yaml" not in r] + ["| `modules/b.yaml` | ook themabladen/a.yaml | - |"]
    project = _project(tmp_path, rows)
    with (project / RECORD).open("a", encoding="utf-8") as handle:
        handle.write("\nthemabladen/a.yaml is gecontroleerd.\n")
    assert missing_rows(project) == ["themabladen/a.yaml"]


def test_no_record_at_all_names_every_file(tmp_path):
    project = _project(tmp_path, ALL_ROWS)
    (project / RECORD).unlink()
    assert missing_rows(project) == content_files(project)


# -- the real record ----------------------------------------------------------------------------------
def test_every_content_file_has_a_row_in_the_fidelity_record():
    missing = missing_rows(ROOT)
    assert (ROOT / RECORD).is_file(), "docs/brontrouw.md ontbreekt: het verslag van de brontrouwcontrole (issue 26)"
    assert not missing, "Deze inhoudsbestanden hebben geen rij in docs/brontrouw.md:\n  " + "\n  ".join(missing)
