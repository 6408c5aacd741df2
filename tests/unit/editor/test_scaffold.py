"""`kompas nieuw`: new files validate apart from their TODO fields, and nothing is overwritten."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.project import ROOT  # noqa: E402
from macros.cli.commands import main
from macros.content.load import SCHEMA_LINE_PREFIX, load_file, load_text
from macros.content.validate import validate_corpus
from macros.editor import scaffold

TODAY = date(2026, 3, 14)


@pytest.fixture
def project(corpus_copy) -> Path:
    """The fixture corpus with the real schemas beside it, so schema links resolve."""
    shutil.copytree(ROOT / "schemas", corpus_copy / "schemas")
    return corpus_copy


def diagnostics_for(root: Path, relative: str, today: date = TODAY):
    return [d for d in validate_corpus(root, today=today).diagnostics if d.file == relative]


def fill_in(path: Path) -> None:
    """What an editor does: replace every TODO text by real text (here: the instruction itself)."""
    text = path.read_text(encoding="utf-8")
    filled = re.sub(r'"TODO: ([^"]*)"', lambda m: '"' + m.group(1).replace("...", "meld dit") + '"', text)
    assert filled != text
    path.write_text(filled, encoding="utf-8")


# -- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Gedrag in vrije tijd", "gedrag-in-vrije-tijd"),
        ("Privébevragingen & social media!", "privebevragingen-social-media"),
        ("Collega's adviseren te zwijgen", "collegas-adviseren-te-zwijgen"),
        ("  Ëën -- twee  ", "een-twee"),
        ("Casuïstiek: Art. 76 Barp", "casuistiek-art-76-barp"),
        ("Straße", "strasse"),
        ("!!!", ""),
    ],
)
def test_slugify(title, expected):
    assert scaffold.slugify(title) == expected


def test_slugify_long_title_is_cut_at_a_word_boundary():
    title = "Een heel lange titel " * 10
    slug = scaffold.slugify(title)
    full = "-".join(title.lower().split())
    assert len(slug) <= scaffold.ID_MAX
    assert scaffold.ID_PATTERN.match(slug)
    assert full.startswith(slug + "-")  # whole words only


def test_one_year_later_handles_leap_day():
    assert scaffold.one_year_later(date(2024, 2, 29)) == date(2025, 2, 28)
    assert scaffold.one_year_later(TODAY) == date(2027, 3, 14)


# -- YAML safety ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_yaml_scalar_reads_back_as_the_same_text(value):
    loaded = load_text(f"titel: {scaffold.yaml_scalar(value)}\n", "t.yaml")
    assert loaded.ok, loaded.diagnostics
    assert loaded.data == {"titel": value}


def test_yaml_scalar_lists_and_keywords():
    loaded = load_text(f"a: {scaffold.yaml_scalar(['yes', 'null', '12', 'gewoon-id', 'x: y'])}\n", "t.yaml")
    assert loaded.data == {"a": ["yes", "null", "12", "gewoon-id", "x: y"]}


def test_template_refuses_a_value_without_yaml_filter():
    env = scaffold._environment()
    with pytest.raises(TypeError, match="without the yaml or comment filter"):
        env.from_string("titel: {{ titel }}").render(titel="a: b")
    assert env.from_string("titel: {{ titel | yaml }}").render(titel="a: b") == 'titel: "a: b"'
    with pytest.raises(ValueError):
        env.from_string("# {{ x | comment }}").render(x="regel\nid: kwaadaardig")


def test_hostile_title_is_written_as_text(project):
    title = 'Titel: met "quotes" # geen commentaar {{ x }} &anker *alias - [lijst]'
    created = scaffold.new_themablad(project, title, item_id="vijandige-titel", today=TODAY)
    loaded = load_file(created.path, created.relative)
    assert loaded.ok
    assert loaded.data["titel"] == title
    assert loaded.data["id"] == "vijandige-titel"


# -- every kind ---------------------------------------------------------------------------------

KINDS = [
    ("themablad", lambda root: scaffold.new_themablad(root, "Omgaan met geschenken", today=TODAY)),
    ("dilemma", lambda root: scaffold.new_dilemma(root, "Een cadeaubon van de winkelier", ["geweld"], today=TODAY)),
    ("uitspraak", lambda root: scaffold.new_uitspraak(root, "ECLI:NL:CRVB:2012:BX8109", today=TODAY)),
    *[
        (
            f"module-{soort}",
            (
                lambda soort: (
                    lambda root: scaffold.new_module(
                        root, soort, f"Nieuwe {soort}", themabladen=["geweld"], today=TODAY
                    )
                )
            )(soort),
        )
        for soort in scaffold.MODULE_SOORTEN
    ],
    ("onderwerp", lambda root: scaffold.new_onderwerp(root, "Politie voor Iedereen", today=TODAY)),
    (
        "dilemma-onderwerp",
        lambda root: scaffold.new_dilemma(root, "Een grap in de appgroep", onderwerpen=["voor-iedereen"], today=TODAY),
    ),
    (
        "module-onderwerp",
        lambda root: scaffold.new_module(
            root, "gespreksvorm", "Een gesprek over waarden", onderwerpen=["voor-iedereen"], today=TODAY
        ),
    ),
]


@pytest.mark.parametrize("kind, make", KINDS, ids=[k for k, _ in KINDS])
def test_new_file_validates_apart_from_its_todo_fields(project, kind, make):
    created = make(project)
    text = created.path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert first.startswith(SCHEMA_LINE_PREFIX)
    schema = (created.path.parent / first[len(SCHEMA_LINE_PREFIX) :]).resolve()
    assert schema.is_file() and schema.parent == (project / "schemas").resolve()

    problems = diagnostics_for(project, created.relative)
    allowed_warnings = {"UITSPRAAK-ONGEBRUIKT"} if kind == "uitspraak" else set()
    errors = [d for d in problems if d.is_error]
    assert errors and {d.code for d in errors} == {"TODO-OPEN"}, [d.format_text() for d in problems]
    assert {d.code for d in problems if not d.is_error} <= allowed_warnings
    # every TODO-OPEN points at a line that holds TODO, and every TODO line is reported
    lines = text.split("\n")
    reported = sorted({d.line for d in errors})
    assert all("TODO" in lines[n - 1] for n in reported)
    assert reported == list(created.todo_lines)

    fill_in(created.path)
    after = diagnostics_for(project, created.relative)
    assert not [d for d in after if d.is_error], [d.format_text() for d in after]
    assert {d.code for d in after} <= allowed_warnings


def test_themablad_fields(project):
    created = scaffold.new_themablad(project, "Omgaan met geschenken", today=TODAY)
    assert created.relative == "themabladen/omgaan-met-geschenken.yaml"
    data = load_file(created.path, created.relative).data
    assert data["id"] == "omgaan-met-geschenken"
    assert data["titel"] == "Omgaan met geschenken"
    assert data["gewijzigd"] == "2026-03-14" and data["herzien_voor"] == "2027-03-14"
    comments = [line for line in created.path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("ik-vorm" in line for line in comments)  # fields are explained in Dutch


def test_dilemma_takes_relations_from_its_sheets(project):
    created = scaffold.new_dilemma(project, "Een cadeaubon", ["vrije-tijd", "geweld"], today=TODAY)
    data = load_file(created.path, created.relative).data
    assert data["themabladen"] == ["vrije-tijd", "geweld"]
    assert data["kernwaarden"] == ["integer", "betrouwbaar", "moedig"]  # from both sheets, in order
    assert data["eigenaar"] == "Programma Integriteit"


def test_uitspraak_fields(project):
    created = scaffold.new_uitspraak(project, "ECLI:NL:RBGEL:2016:401", today=TODAY)
    assert created.relative == "content/uitspraken/ECLI-NL-RBGEL-2016-401.yaml"
    data = load_file(created.path, created.relative).data
    assert data["ecli"] == "ECLI:NL:RBGEL:2016:401"
    assert data["instantie"] == "Rechtbank Gelderland"
    unknown = scaffold.new_uitspraak(project, "ECLI:NL:ABC:2016:7", today=TODAY)
    assert "TODO" in load_file(unknown.path, unknown.relative).data["instantie"]


def test_new_file_asks_for_its_sources(project):
    created = scaffold.new_dilemma(project, "Een cadeaubon", ["geweld"], today=TODAY)
    data = load_file(created.path, created.relative).data
    # claims nothing until the editor names a source or says what is the editors' own
    assert [ref["bron"] for ref in data["bronnen"]] == ["redactie"]
    assert data["bronnen"][0]["toelichting"].startswith("TODO")
    lines = created.path.read_text(encoding="utf-8").split("\n")
    todo_line = next(n for n, line in enumerate(lines, 1) if line.startswith("    toelichting: \"TODO"))
    assert todo_line in created.todo_lines
    assert todo_line in {d.line for d in diagnostics_for(project, created.relative) if d.code == "TODO-OPEN"}
    # the file lists the register's sources and says how the editors' own text is shown
    comments = "\n".join(line for line in lines if line.startswith("#"))
    assert "#   themablad-6-gebruik-van-geweld: Themablad 6 bij de beroepscode: Gebruik van geweld" in comments
    assert "Eigen tekst van de redactie" in comments and "# routes: [vertrouwenspersoon]" in comments


@pytest.mark.parametrize("kind, make", KINDS[:4], ids=[k for k, _ in KINDS[:4]])
def test_a_source_given_up_front_is_written_and_validates(project, kind, make):
    source = "themablad-6-gebruik-van-geweld"
    if kind == "themablad":
        created = scaffold.new_themablad(project, "Omgaan met geschenken", today=TODAY, bron=source)
    elif kind == "dilemma":
        created = scaffold.new_dilemma(project, "Een cadeaubon", ["geweld"], today=TODAY, bron=source)
    elif kind == "uitspraak":
        created = scaffold.new_uitspraak(project, "ECLI:NL:CRVB:2012:BX8109", today=TODAY, bron=source)
    else:
        created = scaffold.new_module(project, "leerlijn", "Nieuwe leerlijn", today=TODAY, bron=source)
    data = load_file(created.path, created.relative).data
    assert data["bronnen"] == [{"bron": source}]
    fill_in(created.path)
    after = diagnostics_for(project, created.relative)
    assert not [d for d in after if d.is_error], [d.format_text() for d in after]
    corpus = validate_corpus(project, today=TODAY).corpus
    found = {"themablad": corpus.themablad, "dilemma": corpus.dilemma, "module": corpus.module}.get(kind.split("-")[0])
    model = found[created.item_id] if found is not None else corpus.uitspraak[created.item_id]
    assert [b.titel for _, b in corpus.bronnen_van(model.bronnen)] == [
        "Themablad 6 bij de beroepscode: Gebruik van geweld"
    ]
    assert corpus.herkomst(model) == "uit-de-bronnen"


def test_the_editors_own_text_chosen_up_front_needs_no_todo(project):
    created = scaffold.new_dilemma(project, "Een cadeaubon", ["geweld"], today=TODAY, bron="redactie")
    assert load_file(created.path, created.relative).data["bronnen"] == [{"bron": "redactie"}]
    with pytest.raises(scaffold.ScaffoldError, match="staat niet in content/bronnen.yaml.*Bedoel je jaarbeeld"):
        scaffold.new_themablad(project, "Iets", today=TODAY, bron="jaarboek")
    with pytest.raises(scaffold.ScaffoldError, match="geen id van een bron"):
        scaffold.new_themablad(project, "Iets", today=TODAY, bron="Themablad 6")
    assert not (project / "themabladen" / "iets.yaml").exists()


def test_a_dilemma_needs_a_sheet_or_a_topic_that_exists(project):
    with pytest.raises(scaffold.ScaffoldError, match="minstens één themablad of één onderwerp"):
        scaffold.new_dilemma(project, "Zonder blad", today=TODAY)
    with pytest.raises(scaffold.ScaffoldError, match="Het onderwerp 'voor-iedereeen' bestaat niet.*voor-iedereen"):
        scaffold.new_dilemma(project, "Met een fout", onderwerpen=["voor-iedereeen"], today=TODAY)
    assert not list((project / "content" / "dilemmas").glob("zonder-blad.yaml"))


def test_a_new_onderwerp_and_gespreksvorm(project):
    topic = scaffold.new_onderwerp(project, "Politie voor Iedereen", today=TODAY)
    assert topic.relative == "content/onderwerpen/politie-voor-iedereen.yaml"
    data = load_file(topic.path, topic.relative).data
    assert data["titel"] == "Politie voor Iedereen" and data["secties"][0]["bronnen"] == [{"bron": "redactie"}]
    with pytest.raises(scaffold.ScaffoldError, match="bestaat al"):
        scaffold.new_onderwerp(project, "Politie voor Iedereen", today=TODAY)
    talk = scaffold.new_module(project, "gespreksvorm", "Waardengesprek", today=TODAY)
    data = load_file(talk.path, talk.relative).data
    assert "duur" not in data and all("duur" not in step for step in data["stappen"])


def test_new_ruling_has_no_real_looking_earlier_instance_example(project):
    """Two rulings named side by side are not one case: the template suggests no link (issue 17)."""
    created = scaffold.new_uitspraak(project, "ECLI:NL:CRVB:2021:2647", today=TODAY)
    text = created.path.read_text(encoding="utf-8")
    assert "RBGEL" not in text
    assert not re.search(r"eerdere_instantie:\s*ECLI:NL:[A-Z]+:\d{4}:\w+", text)
    assert "eerdere_instantie" not in load_file(created.path, created.relative).data


# -- refusals ----------------------------------------------------------------------------------------


def test_refuses_to_overwrite(project):
    target = project / "themabladen" / "geweld.yaml"
    before = target.read_bytes()
    with pytest.raises(scaffold.ScaffoldError, match="bestaat al"):
        scaffold.new_themablad(project, "Geweld", today=TODAY)
    assert target.read_bytes() == before


def test_refuses_an_id_used_in_a_file_with_another_name(project):
    (project / "content" / "dilemmas" / "oude-naam.yaml").write_text("id: cadeaubon\ntitel: Oud\n", encoding="utf-8")
    with pytest.raises(scaffold.ScaffoldError, match="oude-naam.yaml"):
        scaffold.new_dilemma(project, "Cadeaubon", ["geweld"], today=TODAY)
    assert not (project / "content" / "dilemmas" / "cadeaubon.yaml").exists()


def test_refuses_an_unknown_sheet_with_a_suggestion(project):
    with pytest.raises(scaffold.ScaffoldError, match="Bedoel je geweld"):
        scaffold.new_dilemma(project, "Iets", ["gewelt"], today=TODAY)


def test_invalid_ecli_gets_the_validators_message(project):
    bad = "ECLI:NL:CRVB:2017:3167."
    # what the validator says about this ECLI in a ruling file
    (project / "content" / "uitspraken" / "fout.yaml").write_text(f"ecli: '{bad}'\n", encoding="utf-8")
    expected = [d for d in diagnostics_for(project, "content/uitspraken/fout.yaml") if d.code == "SCHEMA-ECLI"][0]
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.new_uitspraak(project, bad, today=TODAY)
    assert expected.message in str(refused.value)
    assert refused.value.hint == expected.hint
    assert not list((project / "content" / "uitspraken").glob("*2017-3167.*.yaml"))


def test_refuses_empty_or_invisible_titles(project):
    with pytest.raises(scaffold.ScaffoldError, match="geen id"):
        scaffold.new_themablad(project, "???", today=TODAY)
    with pytest.raises(scaffold.ScaffoldError, match="onzichtbaar"):
        scaffold.new_themablad(project, "Titel\x07", today=TODAY)
    with pytest.raises(scaffold.ScaffoldError, match="geen geldig id"):
        scaffold.new_themablad(project, "Titel", item_id="Met_Hoofdletters", today=TODAY)


# -- the command line ------------------------------------------------------------------------------------


def test_cli_nieuw(project, capsys):
    assert main(["nieuw", "themablad", "Omgaan met geschenken", "--map", str(project)]) == 0
    out = capsys.readouterr().out
    assert "themabladen/omgaan-met-geschenken.yaml" in out and "TODO" in out

    assert main(["nieuw", "themablad", "Omgaan met geschenken", "--map", str(project)]) == 2  # wrong use
    err = capsys.readouterr().err
    assert "kompas nieuw: NIEUW fout: " in err and "bestaat al" in err and "\n    hint: " in err

    assert (
        main(["nieuw", "dilemma", "Een cadeaubon", "--themablad", "omgaan-met-geschenken", "--map", str(project)]) == 0
    )
    assert (project / "content" / "dilemmas" / "een-cadeaubon.yaml").is_file()

    assert main(["nieuw", "uitspraak", "ecli:nl:crvb:2014:3729", "--map", str(project)]) == 2
    assert "SCHEMA-ECLI" in capsys.readouterr().err

    assert main(["nieuw", "module", "sessieplan", "Teamdag", "--map", str(project)]) == 0
    assert (project / "modules" / "teamdag.yaml").is_file()

    assert (
        main(
            [
                "nieuw",
                "dilemma",
                "Een bon",
                "--themablad",
                "geweld",
                "--bron",
                "themablad-6-gebruik-van-geweld",
                "--map",
                str(project),
            ]
        )
        == 0
    )
    written = project / "content" / "dilemmas" / "een-bon.yaml"
    assert load_file(written, "een-bon.yaml").data["bronnen"] == [{"bron": "themablad-6-gebruik-van-geweld"}]
    capsys.readouterr()
    assert main(["nieuw", "themablad", "Iets", "--bron", "officieel", "--map", str(project)]) == 2  # wrong use
    assert "content/bronnen.yaml" in capsys.readouterr().err

    assert main(["nieuw", "onderwerp", "Politie voor Iedereen", "--map", str(project)]) == 0
    assert "content/onderwerpen/politie-voor-iedereen.yaml" in capsys.readouterr().out
    assert main(["nieuw", "dilemma", "Een grap", "--onderwerp", "politie-voor-iedereen", "--map", str(project)]) == 0
    assert load_file(project / "content" / "dilemmas" / "een-grap.yaml", "x").data["onderwerpen"] == [
        "politie-voor-iedereen"
    ]


def test_cli_dilemma_needs_a_sheet_or_topic(project, capsys):
    assert main(["nieuw", "dilemma", "Zonder blad", "--map", str(project)]) == 2  # wrong use (NIEUW)
    err = capsys.readouterr().err
    assert "--themablad" in err and "--onderwerp" in err
    assert not (project / "content" / "dilemmas" / "zonder-blad.yaml").exists()


def test_refuses_an_existing_ruling(project):
    target = project / "content" / "uitspraken" / "ECLI-NL-CRVB-2014-3729.yaml"
    before = target.read_bytes()
    with pytest.raises(scaffold.ScaffoldError, match="bestaat al een uitspraak") as refused:
        scaffold.new_uitspraak(project, "ECLI:NL:CRVB:2014:3729", today=TODAY)
    assert "--id" not in str(refused.value)  # a ruling's file name follows from its ECLI
    assert target.read_bytes() == before
