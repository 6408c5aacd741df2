"""`kompas spelling`: Dutch spelling warnings at file:line:column, with the project word list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.project import ROOT  # noqa: E402
from macros.cli.commands import main
from macros.content.validate import validate_corpus
from macros.editor import spelling


@pytest.fixture(autouse=True)
def hunspell():
    if shutil.which("hunspell") is None or not Path("/usr/share/hunspell/nl.dic").is_file():
        pytest.skip("hunspell met hunspell-nl ontbreekt (scripts/ensure-system.sh installeert het)")


@pytest.fixture
def corpus_copy(corpus_copy):
    """The fixture corpus with the project's word list (as in a real checkout)."""
    shutil.copy(ROOT / "content" / "woordenlijst.txt", corpus_copy / "content" / "woordenlijst.txt")
    return corpus_copy


def write_dilemma(root: Path, situatie_lines: list[str], name: str = "spel") -> Path:
    body = "\n".join(f"  {line}" for line in situatie_lines)
    path = root / "content" / "dilemmas" / f"{name}.yaml"
    path.write_text(
        "# yaml-language-server: $schema=../../schemas/dilemma.schema.json\n"
        f"id: {name}\n"
        "titel: Een collega en een knietje\n"
        "situatie: |\n"
        f"{body}\n"
        "themabladen: [geweld]\n"
        "kernwaarden: [moedig]\n"
        "doelgroep: [medewerker]\n"
        "hulpvragen:\n"
        "  - Wat doe je als eerste?\n"
        "eigenaar: Programma Integriteit\n"
        "versie: '1.0'\n"
        "gewijzigd: 2026-11-01\n"
        "herzien_voor: 2099-11-01\n",
        encoding="utf-8",
    )
    return path


def codes_at(result, file: str):
    return [(d.line, d.column, d.message) for d in result.diagnostics if d.file == file]


def test_misspelled_word_is_reported_at_its_line_and_column(corpus_copy):
    path = write_dilemma(
        corpus_copy,
        [
            "Je staat met een collega bij een aanhouding.",
            "Hij geeft de verdachte een knietje, maar de verdachte bood geen verzett meer.",
            "Wat doe je?",
        ],
    )
    result = spelling.check(corpus_copy)
    found = codes_at(result, "content/dilemmas/spel.yaml")
    assert len(found) == 1, found
    line, column, message = found[0]
    assert "verzett" in message
    text_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert text_line[column - 1 :].startswith("verzett")
    assert line == 6
    diagnostic = [d for d in result.diagnostics if d.file == "content/dilemmas/spel.yaml"][0]
    assert diagnostic.code == "SPELLING" and not diagnostic.is_error
    assert "woordenlijst.txt" in diagnostic.hint


def test_second_occurrence_gets_its_own_line(corpus_copy):
    path = write_dilemma(corpus_copy, ["Een fietz staat in de gang.", "Een fietz is geen auto. Wat doe je?"])
    found = codes_at(spelling.check(corpus_copy, [path]), "content/dilemmas/spel.yaml")
    assert [(line, column) for line, column, _ in found] == [(5, 7), (6, 7)]


def test_word_list_accepts_terms(corpus_copy):
    write_dilemma(corpus_copy, ["De taserinzet bij de bikerclub.", "Taserinzet. Wat doe je?"])
    before = codes_at(spelling.check(corpus_copy), "content/dilemmas/spel.yaml")
    assert {m.split("'")[1] for _, _, m in before} == {"taserinzet", "Taserinzet", "bikerclub"}
    with open(corpus_copy / "content" / "woordenlijst.txt", "a", encoding="utf-8") as word_list:
        word_list.write("\n# geweld\ntaserinzet   # lowercase entry: also accepted capitalised\nbikerclub\n")
    assert codes_at(spelling.check(corpus_copy), "content/dilemmas/spel.yaml") == []


def test_identifiers_abbreviations_and_links_are_not_checked(corpus_copy):
    path = write_dilemma(
        corpus_copy,
        [
            "Zie ECLI:NL:CRVB:2014:3729 en [de pagina](https://intranet.invalid/xqzwv-pagina) over PO21,",
            "de VIK, het BWB-nummer, `kompas valideer` en wetten.overheid.nl. Wat doe je?",
        ],
        name="xqzwv-id",
    )
    assert codes_at(spelling.check(corpus_copy, [path]), "content/dilemmas/xqzwv-id.yaml") == []


def test_todo_text_is_left_to_the_validator(corpus_copy):
    path = write_dilemma(corpus_copy, ["TODO: schrijf hier de sitwatie. Wat doe je?"])
    assert codes_at(spelling.check(corpus_copy, [path]), "content/dilemmas/spel.yaml") == []


def test_markdown_pages_are_checked_outside_code(corpus_copy):
    page = corpus_copy / "content" / "pages" / "uitleg.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "---\ntitle: Uitleg\n---\n\n# Uitleg\n\nDit is een zin met een fuot.\n\n"
        "```yaml\nkaderr: foutt\n```\n\n{{ tegels_overzicht() }}\n",
        encoding="utf-8",
    )
    found = codes_at(spelling.check(corpus_copy, [page]), "content/pages/uitleg.md")
    assert [(line, message.split("'")[1]) for line, _, message in found] == [(7, "fuot")]


def test_selected_files_only(corpus_copy):
    write_dilemma(corpus_copy, ["Een fietz. Wat doe je?"])
    other = corpus_copy / "themabladen" / "geweld.yaml"
    result = spelling.check(corpus_copy, [other])
    assert result.documents == ("themabladen/geweld.yaml",)
    assert all(d.file == "themabladen/geweld.yaml" for d in result.diagnostics)


def test_spelling_is_not_part_of_validation(corpus_copy):
    write_dilemma(corpus_copy, ["Een fietz. Wat doe je?"])
    assert "SPELLING" not in {d.code for d in validate_corpus(corpus_copy).diagnostics}
    assert "SPELLING" in {d.code for d in spelling.check(corpus_copy).diagnostics}


def test_cli_reports_like_the_validator(corpus_copy, capsys, monkeypatch):
    write_dilemma(corpus_copy, ["Een fietz. Wat doe je?"])
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["spelling", "--map", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert "content/dilemmas/spel.yaml:5:7: SPELLING waarschuwing: 'fietz'" in out
    assert "::warning file=content/dilemmas/spel.yaml,line=5,col=7::SPELLING" in out
    assert main(["spelling", "--streng", "--map", str(corpus_copy)]) == 1


def test_cli_says_how_to_install_hunspell(corpus_copy, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(corpus_copy))  # no hunspell on this PATH
    assert main(["spelling", "--map", str(corpus_copy)]) == 3  # a tool that could not run
    err = capsys.readouterr().err
    assert "kompas spelling: HULPMIDDEL fout: " in err and "ensure-system.sh" in err


def test_project_word_list_is_well_formed():
    words = spelling.read_word_list(ROOT / "content" / "woordenlijst.txt")
    assert words, "de woordenlijst is leeg"
    assert all(" " not in w and not w.isupper() for w in words)
    # every listed word is really unknown to the dictionary: the list holds no dead weight
    assert set(spelling.unknown_words(sorted(words))) == words
