"""Issue 27, item 8: which change requests get `make inhoud` instead of the full suite
(scripts/alleen_inhoud.py, run by both pipelines)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from lib.project import ROOT, git
from macros.content.layout import Layout
from scripts.alleen_inhoud import decide, is_content

CONTENT = [
    "themabladen/social-media.yaml",
    "modules/leerlijn-integriteit.yaml",
    "content/dilemmas/x.yaml",
    "content/uitspraken/ECLI-NL-CRVB-2014-3729.yaml",
    "content/onderwerpen/inclusie.yaml",
    "content/bronnen.yaml",
    "content/meldroutes.yaml",
    "content/wetgeving.yaml",
    "content/reeks.yaml",
    "content/woordenlijst.txt",
    "docs/brontrouw.md",
    "content/dilemmas/notities.txt",
]
NOT_CONTENT = [
    "content/pages/index.md",
    "schemas/dilemma.schema.json",
    "mkdocs.yml",
    "macros/content/checks.py",
    "tests/unit/content/test_starter_content.py",
    "docs/redactie.md",
    "content/nieuw.yaml",
    "themabladen.yaml",
    "content/dilemmas-oud/x.yaml",
    "Makefile",
    ".gitlab-ci.yml",
    "README.md",
]


@pytest.mark.parametrize("path", CONTENT)
def test_content(path):
    assert is_content(path)


@pytest.mark.parametrize("path", NOT_CONTENT)
def test_not_content(path):
    assert not is_content(path)


def test_every_folder_and_register_the_validator_reads_is_content():
    """A new kind of content in the layout is content for the pipelines too, without an edit there."""
    layout = Layout(ROOT)
    for _, path in layout.folders():
        assert is_content(path.relative_to(ROOT).as_posix() + "/nieuw.yaml"), path
    for _, path in layout.registers():
        assert is_content(path.relative_to(ROOT).as_posix()), path


def _git(root, *args) -> str:
    return git(root, *args)


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "kompas"
    for name in ("themabladen", "modules", "content", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "begin")
    return root


def _commit(root, message: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", message)


def test_a_change_request_with_only_content_gets_make_inhoud(repo):
    base = _git(repo, "rev-parse", "HEAD")
    dilemma = repo / "content" / "dilemmas" / "drugs-op-festival.yaml"
    dilemma.write_text(dilemma.read_text(encoding="utf-8").replace("festival", "feest", 1), encoding="utf-8")
    (repo / "themabladen" / "nieuw.yaml").write_text("id: nieuw\n", encoding="utf-8")
    _commit(repo, "inhoud")
    code, sentence = decide(base, repo)
    assert code == 0 and sentence == "Alleen inhoud gewijzigd (2 bestanden): de inhoudscontrole (make inhoud)."


def test_a_change_request_that_also_touches_a_schema_or_a_page_gets_the_full_suite(repo):
    base = _git(repo, "rev-parse", "HEAD")
    (repo / "content" / "woordenlijst.txt").write_text("woord\n", encoding="utf-8")
    schema = repo / "schemas" / "dilemma.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _commit(repo, "schema")
    assert decide(base, repo) == (
        1,
        "Ook andere bestanden dan inhoud gewijzigd (zoals schemas/dilemma.schema.json): "
        "de volledige controle (make test).",
    )


def test_a_rename_counts_with_both_names(repo):
    base = _git(repo, "rev-parse", "HEAD")
    _git(repo, "mv", "content/dilemmas/drugs-op-festival.yaml", "content/pages/drugs-op-festival.yaml")
    _commit(repo, "verplaatst")
    code, sentence = decide(base, repo)
    assert code == 1 and "content/pages/drugs-op-festival.yaml" in sentence


def test_no_change_or_an_unknown_base_gets_the_full_suite(repo):
    head = _git(repo, "rev-parse", "HEAD")
    assert decide(head, repo)[0] == 1
    code, sentence = decide("0" * 40, repo)
    assert code == 2 and "de volledige controle (make test)" in sentence


def test_the_script_says_it_in_the_pipelines_words():
    """As the pipelines run it: exit code 2 and a usage line without a base."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "alleen_inhoud.py")], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("gebruik: python scripts/alleen_inhoud.py BASIS")
