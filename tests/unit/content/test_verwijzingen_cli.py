"""Issue 26: an unknown route id, an unknown source id and a dilemma with neither a themablad nor an
onderwerp, as `kompas valideer` reports them to an editor (the installed entry point, no site build)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BASIS = ROOT / "tests" / "fixtures" / "geldig" / "basis"
KOMPAS = next(
    (p for p in (Path(sys.executable).parent / "kompas", ROOT / ".venv" / "bin" / "kompas") if p.exists()),
    Path(sys.executable).parent / "kompas",
)
LINE = re.compile(
    r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+(?:-[A-Z]+)*) "
    r"(?P<severity>fout|waarschuwing): (?P<message>.+)$",
    re.MULTILINE,
)
ENGLISH = re.compile(r"\b(is not|does not|required|property|should|valid under|anyOf|expected)\b")


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(BASIS, target, ignore=shutil.ignore_patterns("verwacht.json"))
    return target


def valideer(project: Path) -> tuple[int, str, list[dict]]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [str(KOMPAS), "valideer", "--zonder-cache"], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stdout, [m.groupdict() for m in LINE.finditer(result.stdout)]


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; returns the 1-based line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def errors(found: list[dict], code: str) -> list[tuple[str, int, int]]:
    return [(d["file"], int(d["line"]), int(d["column"])) for d in found if d["code"] == code]


def test_an_unknown_route_id_is_rejected_at_its_line_and_column(project):
    line = edit(
        project / "content" / "dilemmas" / "joint.yaml",
        "bronnen:\n",
        "routes: [vertrouwenspersoon, vertrouwenspersonen]\nbronnen:\n",
    )
    code, out, found = valideer(project)
    assert code == 1
    # the column of the second id in the flow list: 'routes: [vertrouwenspersoon, ' is 29 characters
    assert errors(found, "VERWIJZING-ROUTE") == [("content/dilemmas/joint.yaml", line, 30)], out
    [message] = [d["message"] for d in found if d["code"] == "VERWIJZING-ROUTE"]
    assert "'vertrouwenspersonen'" in message and "meldroute" in message
    assert "content/meldroutes.yaml" in out  # the hint says where the routes are


def test_an_unknown_source_id_is_rejected_wherever_a_source_is_named(project):
    joint = edit(project / "content" / "dilemmas" / "joint.yaml", "  - bron: redactie\n", "  - bron: redactiee\n")
    topic = project / "content" / "onderwerpen" / "voor-iedereen.yaml"
    quote = edit(topic, "    bron: themablad-5-gedrag-in-vrije-tijd\n    deel:", "    bron: themablad-55\n    deel:")
    routes = project / "content" / "meldroutes.yaml"
    route = edit(routes, "      - bron: themablad-5-gedrag-in-vrije-tijd\n", "      - bron: themablad-7\n")
    code, out, found = valideer(project)
    assert code == 1
    assert sorted(errors(found, "VERWIJZING-BRON")) == sorted(
        [
            ("content/dilemmas/joint.yaml", joint, 11),
            ("content/onderwerpen/voor-iedereen.yaml", quote, 11),
            ("content/meldroutes.yaml", route, 15),
        ]
    ), out
    assert "content/bronnen.yaml" in out and not ENGLISH.search(out)


def test_a_law_reference_names_a_known_source(project):
    sheet = project / "themabladen" / "vrije-tijd.yaml"
    line = edit(sheet, "    artikel: 76\n", "    artikel: 76\n    bron: onbekende-bron\n") + 1
    code, out, found = valideer(project)
    assert errors(found, "VERWIJZING-BRON") == [("themabladen/vrije-tijd.yaml", line, 11)], out


def test_a_dilemma_without_sheet_or_topic_is_rejected_in_dutch(project):
    edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]\n", "")
    code, out, found = valideer(project)
    assert code == 1
    [problem] = [d for d in found if d["file"] == "content/dilemmas/joint.yaml"]
    assert (problem["code"], problem["line"]) == ("SCHEMA-VERPLICHT", "2")
    assert problem["message"] == (
        "Vul minstens een van de velden 'themabladen' of 'onderwerpen' in; nu ontbreken ze allebei."
    )
    assert not ENGLISH.search(out), out


def test_a_dilemma_on_a_topic_only_is_valid_and_an_unknown_topic_is_not(project):
    path = project / "content" / "dilemmas" / "joint.yaml"
    edit(path, "themabladen: [vrije-tijd]\n", "onderwerpen: [voor-iedereen]\n")
    code, out, found = valideer(project)
    assert code == 0, out
    line = edit(path, "onderwerpen: [voor-iedereen]\n", "onderwerpen: [voor-iedereeen]\n")
    code, out, found = valideer(project)
    assert errors(found, "VERWIJZING-ONDERWERP") == [("content/dilemmas/joint.yaml", line, 15)], out


def test_a_placeholder_route_link_is_a_warning_not_an_error(project):
    code, out, found = valideer(project)
    assert code == 0, out
    assert [(d["file"], d["severity"]) for d in found if d["code"] == "MELDROUTE-PLACEHOLDER"] == [
        ("content/meldroutes.yaml", "waarschuwing")
    ]
