"""Issue 27, item 8: a problem names the item (its kind and title) and the field, so an editor who
never saw the file understands it (macros/content/locate.py; `kompas valideer --formaat redacteur`,
which `make inhoud` prints)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.project import FIXTURES
from macros.cli.commands import main
from macros.content.locate import Location, field_label, format_for_editors, locate
from macros.verdict import validate_project


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "geldig" / "basis", target, ignore=shutil.ignore_patterns("verwacht.json"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _only(result, code: str):
    (found,) = [d for d in result.diagnostics if d.code == code]
    return found, locate(found, result.documents)


def test_a_broken_reference_names_the_dilemma_by_its_title_and_the_field(project):
    _edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]", "themabladen: [vrije-tyd]")
    result = validate_project(project)
    diagnostic, where = _only(result, "VERWIJZING-THEMABLAD")
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == ("content/dilemmas/joint.yaml", 6, 15)
    assert where == Location(
        item="dilemma 'Een joint tegen de pijn' (joint)", field="themabladen[1]", label="Themabladen"
    )


def test_a_reference_deep_in_a_module_names_the_step(project):
    _edit(project / "modules" / "beraad.yaml", "    themabladen: [geweld]", "    themabladen: [geweldd]")
    diagnostic, where = _only(validate_project(project), "VERWIJZING-THEMABLAD")
    assert where.item == "leermodule 'Moreel beraad in een uur' (beraad)"
    assert where.field == "stappen[2].themabladen[1]"
    assert where.label == field_label("module", ("stappen", 1, "themabladen", 0)) == "Stappen › Themabladen"


def test_an_unknown_field_is_named_by_its_key(project):
    _edit(project / "content" / "dilemmas" / "joint.yaml", "kernwaarden:", "kernwaarde:")
    diagnostic, where = _only(validate_project(project), "SCHEMA-ONBEKEND-VELD")
    assert where.field == "kernwaarde" and where.label == ""  # no such field in the form
    assert where.item == "dilemma 'Een joint tegen de pijn' (joint)"


def test_a_missing_field_names_the_item_and_no_other_field(project):
    """The validator points at the mapping that misses the field; it starts where its first key does."""
    _edit(project / "content" / "dilemmas" / "joint.yaml", "titel: Een joint tegen de pijn\n", "")
    diagnostic, where = _only(validate_project(project), "SCHEMA-VERPLICHT")
    assert where == Location(item="dilemma joint (zonder titel)", field="", label="")
    _edit(project / "content" / "dilemmas" / "joint.yaml", "id: joint", "idd: joint")
    result = validate_project(project)
    unknown = next(d for d in result.diagnostics if d.code == "SCHEMA-ONBEKEND-VELD")
    assert (unknown.line, unknown.column) == (2, 1) and locate(unknown, result.documents).field == "idd"


def test_a_ruling_is_named_by_its_title_and_ecli(project):
    ruling = next((project / "content" / "uitspraken").glob("*.yaml"))
    text = ruling.read_text(encoding="utf-8")
    _edit(ruling, "\ntitel:", "\ntitell:")
    diagnostic, where = _only(validate_project(project), "SCHEMA-ONBEKEND-VELD")
    ecli = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("ecli:"))
    assert where.item == f"uitspraak {ecli.strip(chr(34))} (zonder titel)" and where.field == "titell"
    _edit(ruling, "\ntitell:", "\ntitel:")
    _edit(ruling, "\ninstantie:", "\ninstantiee:")
    diagnostic, where = _only(validate_project(project), "SCHEMA-ONBEKEND-VELD")
    title = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("titel:"))
    assert where.item == f"uitspraak '{title}' ({ecli})" and where.field == "instantiee"


def test_a_word_inside_a_long_text_names_that_text(project):
    _edit(
        project / "content" / "dilemmas" / "joint.yaml",
        "Wat doe je?",
        "Wat doe je?\n  Mail hem op iemand@example.nl als je twijfelt.",
    )
    diagnostic, where = _only(validate_project(project), "PRIVACY-EMAIL")
    assert diagnostic.line == 6  # the second line of the situation
    assert where.field == "situatie" and where.label == "Situatie"


def test_an_item_of_a_register_is_named_not_only_the_register(project):
    _edit(
        project / "content" / "meldroutes.yaml",
        "      - bron: themablad-5-gedrag-in-vrije-tijd",
        "      - bron: bestaat-niet",
    )
    diagnostic, where = _only(validate_project(project), "VERWIJZING-BRON")
    assert where.item == "meldroute 'Vertrouwenspersoon' (vertrouwenspersoon) in het register van meldroutes"
    assert where.field == "routes[1].bronnen[1].bron"


def test_a_file_that_is_no_yaml_is_still_named_by_its_title(project):
    _edit(project / "content" / "dilemmas" / "joint.yaml", "kernwaarden: [integer]", "kernwaarden: [integer")
    diagnostic, where = _only(validate_project(project), "YAML-SYNTAX")
    assert where.item == "dilemma 'Een joint tegen de pijn'"


def test_the_same_location_from_the_cache(project, tmp_path):
    """Warm validation restores documents from its cache (their positions are worked out when asked)."""
    _edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]", "themabladen: [vrije-tyd]")
    cold = _only(validate_project(project, cache_root=tmp_path / "cache"), "VERWIJZING-THEMABLAD")
    warm = _only(validate_project(project, cache_root=tmp_path / "cache"), "VERWIJZING-THEMABLAD")
    assert warm == cold


def test_the_report_for_editors(project):
    _edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]", "themabladen: [vrije-tyd]")
    result = validate_project(project)
    report = format_for_editors(list(result.diagnostics), result.documents, "12 bestanden")
    first = report.split("\n\n")[0]
    assert first == (
        "FOUT in dilemma 'Een joint tegen de pijn' (joint):\n"
        "    veld: themabladen[1] (in de editor: Themabladen)\n"
        "    wat er mis is: Verwijzing naar het themablad 'vrije-tyd', maar dat bestaat niet. [VERWIJZING-THEMABLAD]\n"
        "    wat je doet: Bestaande themabladen staan in themabladen/.\n"
        "    bestand: content/dilemmas/joint.yaml:6:15"
    )
    assert report.endswith(" in 12 bestanden.") and report.splitlines()[-1].startswith("1 fout, ")


def test_kompas_valideer_prints_it_and_fails(project, capsys):
    _edit(project / "content" / "dilemmas" / "joint.yaml", "themabladen: [vrije-tijd]", "themabladen: [vrije-tyd]")
    assert main(["valideer", "--formaat", "redacteur", "--zonder-cache", "--map", str(project)]) == 1
    out = capsys.readouterr().out
    assert "FOUT in dilemma 'Een joint tegen de pijn' (joint):\n    veld: themabladen[1]" in out
    assert "    bestand: content/dilemmas/joint.yaml:6:15" in out
    assert (
        main(
            [
                "valideer",
                "--formaat",
                "redacteur",
                "--zonder-cache",
                str(project / "content/dilemmas/joint.yaml"),
                "--map",
                str(project),
            ]
        )
        == 1
    )  # a selection of files: the same blocks
    assert "FOUT in dilemma 'Een joint tegen de pijn'" in capsys.readouterr().out


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2066"])
def test_a_title_with_a_control_character_never_reaches_the_terminal_raw(project, capsys, char):
    """Issue 30, class 3, in the editors' report too: the title is named with the character as its code."""
    code = f"U+{ord(char):04X}"
    escaped = f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"
    _edit(project / "content" / "dilemmas" / "joint.yaml", "titel: Een joint", f'titel: "Een {escaped}joint')
    _edit(project / "content" / "dilemmas" / "joint.yaml", "tegen de pijn", 'tegen de pijn"')
    assert main(["valideer", "--formaat", "redacteur", "--zonder-cache", "--map", str(project)]) == 1
    out = capsys.readouterr().out
    assert char not in out
    assert f"dilemma 'Een <{code}>joint tegen de pijn' (joint)" in out
