"""CONTRIBUTING.md lists every diagnostic code, generated from the catalogue, and is up to date."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest

from lib.project import ROOT  # noqa: E402
from macros.cli.commands import build_parser, main
from macros.content.diagnostics import _CATALOGUE, CATALOGUE, CodeInfo, Severity
from macros.editor import contributing

GUIDE = ROOT / "CONTRIBUTING.md"


def test_contributing_is_up_to_date():
    text = GUIDE.read_text(encoding="utf-8")
    assert contributing.is_current(text), (
        "CONTRIBUTING.md is niet actueel: voer 'kompas documenteer' uit en commit het resultaat."
    )


def test_every_code_is_explained_with_example_and_fix():
    text = GUIDE.read_text(encoding="utf-8")
    _, section, _ = contributing._split(text)
    headings = re.findall(r"^#### (\S+)$", section, re.MULTILINE)
    assert len(headings) == len(set(headings))
    assert sorted(headings) == sorted(CATALOGUE)
    for code, info in CATALOGUE.items():
        block = section.split(f"#### {code}\n", 1)[1].split("\n#### ", 1)[0]
        assert info.title in block
        assert info.fix in block
        example = info.example.strip()
        assert (example.strip("()") if example.startswith("(") else example) in block
        assert ("**fout**" if info.severity is Severity.ERROR else "**waarschuwing**") in block
        assert f"[`{code}`](#{code.lower()})" in section  # in the overview table


def test_a_new_code_makes_the_guide_out_of_date():
    text = GUIDE.read_text(encoding="utf-8")
    extended = list(_CATALOGUE) + [
        CodeInfo("PROEF-CODE", Severity.WARNING, "Een proefmelding.", "veld: waarde | met pijp\n```", "Doe iets.")
    ]
    assert not contributing.is_current(text, extended)
    new = contributing.updated(text, extended)
    assert "#### PROEF-CODE" in new
    assert "| [`PROEF-CODE`](#proef-code) | waarschuwing | Een proefmelding. |" in new
    assert "````yaml\nveld: waarde | met pijp\n```\n````" in new  # a fence inside the example stays inside
    assert contributing.is_current(new, extended)
    before, _, after = contributing._split(text)
    new_before, _, new_after = contributing._split(new)
    assert (new_before, new_after) == (before, after)  # hand-written text is kept


def test_missing_markers_are_reported():
    with pytest.raises(contributing.OutOfDate, match="markeringen"):
        contributing.updated("# Bijdragen\n\nGeen lijst.\n")


def test_cli_documenteer(tmp_path, capsys):
    shutil.copy(GUIDE, tmp_path / "CONTRIBUTING.md")
    (tmp_path / "themabladen").mkdir()
    assert main(["documenteer", "--controleer", "--map", str(tmp_path)]) == 0

    stale = (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8").replace("#### TODO-OPEN\n", "")
    (tmp_path / "CONTRIBUTING.md").write_text(stale, encoding="utf-8")
    assert main(["documenteer", "--controleer", "--map", str(tmp_path)]) == 1
    assert "niet actueel" in capsys.readouterr().err
    assert (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8") == stale  # --controleer writes nothing

    assert main(["documenteer", "--map", str(tmp_path)]) == 0
    assert (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "heading",
    [
        "## Een themablad toevoegen",
        "## Een dilemma en zijn kaart toevoegen",
        "## Een uitspraak aanhalen",
        "## Een module wijzigen of toevoegen",
        "## Het resultaat bekijken",
        "## Wat betekent deze melding?",
    ],
)
def test_guide_covers_the_editor_tasks(heading):
    assert heading in GUIDE.read_text(encoding="utf-8").splitlines()


def test_guide_commands_exist():
    """The `kompas nieuw ...` examples in the guide are accepted by the real parser."""
    text = GUIDE.read_text(encoding="utf-8")
    examples = re.findall(r"^\s*kompas nieuw (.+)$", text, re.MULTILINE)
    assert len(examples) >= 3
    parser = build_parser()
    for example in examples:
        args = parser.parse_args(["nieuw", *shlex.split(example)])
        assert args.func.__name__ == "cmd_nieuw"
    assert "make serve" in text
