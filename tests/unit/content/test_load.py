"""Unit tests of the strict YAML loader: values, positions, and every way a file can be bad."""

from __future__ import annotations

import re

import pytest
import yaml

from lib.project import ROOT
from macros.content.load import MAX_BYTES, MAX_DEPTH, Deferred, Loaded, Pos, load_bytes, load_file, load_text, read_file


def codes(loaded) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in loaded.diagnostics]


# English words of the YAML parsers: a message an editor reads is Dutch.
ENGLISH = re.compile(r"\b(while|found|expected|mapping|scanning|allowed|character|stream|token|could not)\b")


# -- literal scalars -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value",
    [
        # YAML 1.1 would turn these into booleans, floats, octal, sexagesimal numbers or dates
        ("no", "no"),
        ("No", "No"),
        ("off", "off"),
        ("on", "on"),
        ("yes", "yes"),
        ("y", "y"),
        ("n", "n"),
        ("1.10", "1.10"),
        ("1.0", "1.0"),
        ("0755", "0755"),
        ("007", "007"),
        ("1:30", "1:30"),
        ("2024-01-01", "2024-01-01"),
        ("2024-02-30", "2024-02-30"),
        ("2024-01-01T10:00:00", "2024-01-01T10:00:00"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1e3", "1e3"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("1_000", "1_000"),
        ("+12", 12),
        ("-3", -3),
        ("0", 0),
        ("42", 42),
        ("76", 76),
        # the few conversions that are kept
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_plain_scalars_keep_their_literal_text(text, value):
    loaded = load_text(f"waarde: {text}\n", "x.yaml")
    assert loaded.ok
    assert loaded.data == {"waarde": value}
    assert type(loaded.data["waarde"]) is type(value)


@pytest.mark.parametrize("text", ["'no'", '"1.10"', "'42'", '"true"', "'~'", '"2024-01-01"'])
def test_quoted_scalars_are_always_text(text):
    loaded = load_text(f"waarde: {text}\n", "x.yaml")
    assert loaded.data == {"waarde": text[1:-1]}


def test_block_scalars_are_text_and_keys_are_text():
    loaded = load_text("inleiding: |\n  regel een\n  regel twee\nno: 1\n1: a\ntrue: b\n", "x.yaml")
    assert loaded.data == {"inleiding": "regel een\nregel twee\n", "no": 1, "1": "a", "true": "b"}


# -- positions ----------------------------------------------------------------------------------
def test_positions_of_keys_values_and_list_items():
    text = (
        "# kopregel\n"
        "id: geweld\n"
        "kader:\n"
        "  - Ik meld alles.\n"
        "  - Ik help.\n"
        "wetgeving:\n"
        "  - wet: barp\n"
        "    artikel: 76\n"
        "inleiding: |\n"
        "  Eerste regel.\n"
    )
    loaded = load_text(text, "x.yaml")
    assert loaded.ok
    assert loaded.positions[("id",)] == Pos(2, 5)
    assert loaded.key_positions[("id",)] == Pos(2, 1)
    assert loaded.positions[("kader", 1)] == Pos(5, 5)
    assert loaded.positions[("wetgeving", 0)] == Pos(7, 5)
    assert loaded.key_positions[("wetgeving", 0, "artikel")] == Pos(8, 5)
    assert loaded.positions[("wetgeving", 0, "artikel")] == Pos(8, 14)
    # a block scalar's text starts on the line after the '|'
    assert loaded.positions[("inleiding",)] == Pos(10, 1)
    # unknown paths fall back to the nearest known ancestor
    assert loaded.pos(("wetgeving", 0, "lid")) == Pos(7, 5)
    assert loaded.pos(("bestaat", "niet")) == loaded.positions[()]


def test_first_line_is_kept_for_the_schema_header_check():
    loaded = load_text("# yaml-language-server: $schema=../schemas/dilemma.schema.json\nid: a\n", "x.yaml")
    assert loaded.first_line.startswith("# yaml-language-server: $schema=")


# -- duplicate keys -------------------------------------------------------------------------------
@pytest.mark.parametrize("second", ["titel", '"titel"', "'titel'"])
def test_duplicate_keys_report_both_lines(second):
    loaded = load_text(f"id: a\ntitel: Eerste\nkader: []\n{second}: Tweede\n", "x.yaml")
    assert sorted(codes(loaded)) == [("YAML-DUBBELE-SLEUTEL", 2, 1), ("YAML-DUBBELE-SLEUTEL", 4, 1)]
    by_line = {d.line: d.message for d in loaded.diagnostics}
    assert "ook op regel 4" in by_line[2] and "ook op regel 2" in by_line[4]
    assert loaded.data["titel"] == "Eerste"  # the first value is kept, the second never overwrites it


def test_duplicate_keys_in_nested_blocks():
    loaded = load_text("wetgeving:\n  - wet: barp\n    wet: awb\n", "x.yaml")
    assert sorted(codes(loaded)) == [("YAML-DUBBELE-SLEUTEL", 2, 5), ("YAML-DUBBELE-SLEUTEL", 3, 5)]


# -- anchors, aliases, tags --------------------------------------------------------------------------
def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_returns_and_reports_anchors():
    loaded = load_text(billion_laughs(), "lol.yaml")
    found = {d.code for d in loaded.diagnostics}
    assert found == {"YAML-ANKER"}
    assert not loaded.ok
    # nothing is expanded: every alias became an empty value, not 9**9 strings
    assert loaded.data["a9"] == [None] * 9


def test_anchor_alias_and_merge_are_reported_where_they_are():
    loaded = load_text("a: &x\n  b: 1\nc:\n  <<: *x\nd: *x\n", "x.yaml")
    assert sorted(codes(loaded)) == [
        ("YAML-ANKER", 1, 4),
        ("YAML-ANKER", 4, 3),
        ("YAML-ANKER", 4, 7),
        ("YAML-ANKER", 5, 4),
    ]


def test_unsafe_tag_is_never_executed(tmp_path):
    target = tmp_path / "uitgevoerd.txt"
    payload = f'titel: !!python/object/apply:builtins.open ["{target}", "w"]\n'
    loaded = load_text(payload, "x.yaml")
    assert codes(loaded) == [("YAML-TAG", 1, 8)]
    assert "niet uitgevoerd" in loaded.diagnostics[0].message
    assert not target.exists()
    # control: the same text really is an attack for an unsafe loader
    handle = yaml.unsafe_load(payload)["titel"]
    handle.close()
    assert target.exists()


@pytest.mark.parametrize(
    "text, column",
    [("a: !!str 5\n", 4), ("a: !eigen 5\n", 4), ("a: !!binary aGFsbG8=\n", 4), ("a: !!python/name:os.system ''\n", 4)],
)
def test_every_tag_is_reported(text, column):
    loaded = load_text(text, "x.yaml")
    assert codes(loaded) == [("YAML-TAG", 1, column)]


# -- structure problems ------------------------------------------------------------------------------
def test_multiple_documents():
    loaded = load_text("id: a\n---\nid: b\n", "x.yaml")
    assert codes(loaded) == [("YAML-MEERDERE-DOCUMENTEN", 2, 1)]
    assert loaded.data == {"id": "a"}


def test_document_markers_around_one_document_are_fine():
    assert load_text("---\nid: a\n...\n", "x.yaml").ok


def test_complex_key():
    loaded = load_text("? [a, b]\n: waarde\nid: x\n", "x.yaml")
    assert codes(loaded) == [("YAML-SLEUTEL", 1, 3)]
    assert loaded.data == {"id": "x"}


def test_nesting_is_limited():
    loaded = load_text("a: " + "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10) + "\n", "x.yaml")
    assert [d.code for d in loaded.diagnostics] == ["YAML-SYNTAX"]


def test_very_deep_nesting_does_not_crash():
    depth = 100_000
    loaded = load_text("a: " + "[" * depth + "]" * depth + "\n", "x.yaml")
    assert [d.code for d in loaded.diagnostics] == ["YAML-SYNTAX"]


@pytest.mark.parametrize(
    "text, line, column",
    [
        ('titel: "Gebruik van geweld\nid: x\n', 1, 8),  # unclosed quote: where it opens
        ("kernwaarden: [moedig, integer\nid: x\n", 1, 14),  # unclosed list: where it opens
        ("a: {x: 1\n", 1, 4),
        ("titel: Een joint: tegen de pijn\n", 1, 17),
        ("id: a\n  nummer: 6\n", 2, 9),
        ("a: 'it's'\n", 1, 8),
        ("- a\nb: c\n", 2, 1),
        ("a: 1\n- b\n", 2, 1),
        ("a: @foo\n", 1, 4),
        ("a: `x`\n", 1, 4),
        ("a: >\n x\nb\n", 3, 1),
        ("a: *\n", 1, 5),
        ("a: &\n", 1, 5),
        ("a: !<x\n", 1, 7),
        ('a: "\\q"\n', 1, 5),
        ("%FOO\n---\na: 1\n", 1, 5),
        ("  a: 1\nb: 2\n", 2, 1),
    ],
)
def test_syntax_errors_are_dutch_and_located(text, line, column):
    loaded = load_text(text, "x.yaml")
    assert [(d.code, d.line, d.column) for d in loaded.diagnostics] == [("YAML-SYNTAX", line, column)]
    diagnostic = loaded.diagnostics[0]
    assert diagnostic.message.startswith("De YAML is hier niet te lezen: ")
    assert not ENGLISH.search(diagnostic.message + diagnostic.hint), diagnostic.message


@pytest.mark.parametrize(
    "text, line",
    [("kader:\n\t- Ik meld\n", 2), ("a:\n  b: 1\n\tc: 2\n", 3), ("inleiding: |\n  tekst\n\tmeer tekst\n", 3)],
)
def test_tab_indentation(text, line):
    loaded = load_text(text, "x.yaml")
    assert codes(loaded) == [("YAML-TAB", line, 1)]


def test_tabs_inside_text_are_allowed():
    loaded = load_text("titel:\tGeweld\nsamenvatting: 'een\ttab'\n", "x.yaml")
    assert loaded.ok and loaded.data == {"titel": "Geweld", "samenvatting": "een\ttab"}


def test_control_character_position_counts_characters_not_bytes():
    # four two-byte characters before the control character on line 2
    loaded = load_text("id: a\ntitel: ééééx\x1by\n", "x.yaml")
    assert codes(loaded) == [("YAML-SYNTAX", 2, 13)]
    assert not ENGLISH.search(loaded.diagnostics[0].message)


# -- bytes and files ------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", [b"", b"\n\n   \n", b"# alleen commentaar\n# nog meer\n", b"---\n", b"null\n", b"~\n"])
def test_empty_files(raw):
    loaded = load_bytes(raw, "x.yaml")
    assert codes(loaded) == [("BESTAND-LEEG", 1, 1)]


def test_bom_is_a_warning_and_the_content_still_loads():
    loaded = load_bytes(b"\xef\xbb\xbfid: a\n", "x.yaml")
    assert codes(loaded) == [("BESTAND-BOM", 1, 1)]
    assert loaded.ok and loaded.data == {"id": "a"}


def test_latin1_reports_line_and_column_of_the_bad_byte():
    loaded = load_bytes("id: a\ntitel: Café\n".encode("latin-1"), "x.yaml")
    assert codes(loaded) == [("BESTAND-CODERING", 2, 11)]
    assert "0xe9" in loaded.diagnostics[0].message


def test_utf16_is_an_encoding_problem_not_a_binary_file():
    loaded = load_bytes("id: a\n".encode("utf-16"), "x.yaml")
    assert codes(loaded) == [("BESTAND-CODERING", 1, 1)]


def test_binary_file():
    loaded = load_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.yaml")
    assert codes(loaded) == [("BESTAND-BINAIR", 0, 0)]


def test_size_limit_on_bytes():
    loaded = load_bytes(b"#" * (MAX_BYTES + 1), "x.yaml")
    assert codes(loaded) == [("BESTAND-TE-GROOT", 0, 0)]
    assert load_bytes(b"id: a\n" + b"#" * (MAX_BYTES - 10) + b"\n", "x.yaml").ok


def test_oversized_file_is_rejected(tmp_path):
    path = tmp_path / "groot.yaml"
    with path.open("wb") as out:
        out.write(b"id: groot\n")
        out.write(b"# " + b"x" * (20_000_000) + b"\n")
    loaded = load_file(path, "themabladen/groot.yaml")
    assert codes(loaded) == [("BESTAND-TE-GROOT", 0, 0)]
    assert loaded.data is None


def test_dangling_link_and_folder_named_like_a_file(tmp_path):
    link = tmp_path / "weg.yaml"
    link.symlink_to(tmp_path / "bestaat-niet.yaml")
    assert codes(load_file(link, "weg.yaml")) == [("BESTAND-ONLEESBAAR", 0, 0)]
    folder = tmp_path / "map.yaml"
    folder.mkdir()
    loaded = load_file(folder, "map.yaml")
    assert codes(loaded) == [("BESTAND-ONLEESBAAR", 0, 0)]
    assert not ENGLISH.search(loaded.diagnostics[0].message)


def test_read_file_gives_the_bytes_or_the_problem(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: a\n")
    assert read_file(path, "a.yaml") == b"id: a\n"
    assert codes(read_file(tmp_path / "weg.yaml", "weg.yaml")) == [("BESTAND-ONLEESBAAR", 0, 0)]


def test_crlf_line_endings_load_and_keep_positions():
    loaded = load_bytes(b"id: a\r\ntitel: b\r\n", "x.yaml")
    assert loaded.ok and loaded.data == {"id": "a", "titel": "b"}
    assert loaded.positions[("titel",)] == Pos(2, 8)


# -- the quick pass of deferred loading ------------------------------------------------------------
def same_as_full(raw: bytes, file: str = "x.yaml"):
    """Load with ``deferred=True`` and check it gives exactly what the full loader gives."""
    full = load_bytes(raw, file)
    assert type(full) is Loaded
    quick = load_bytes(raw, file, deferred=True)
    assert quick.data == full.data
    assert quick.diagnostics == full.diagnostics
    assert quick.positions == full.positions
    assert quick.key_positions == full.key_positions
    assert quick.ends == full.ends
    assert quick.first_line == full.first_line
    assert quick.source == full.source
    assert quick.ok == full.ok
    return quick


CLEAN = [
    "id: a\ntitel: Tekst met:dubbele punt, 12:30 uur\n",
    "a: 1\nb: -3\nc: true\nd: ~\ne:\nf: 1.10\ng: no\n",
    "a: [1, 'twee', \"drie\", {x: y}]\nb: {}\nc: []\n",
    "lijst:\n- a\n- - b\n  - c\n- x: 1\n  y: [2]\n",
    "tekst: |\n  regel 1\n  regel 2\nvouw: >-\n  een\n  twee\nna: x\n",
    '"true": 1\n\'1\': 2\n"": 3\n',
    "---\nid: a\n...\n",
    "id: a\r\ntitel: b\r\n",
    "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n",
    "'een sleutel die langer is dan veertig tekens, dus niet vaak gedeeld': waarde\n",
    "- alleen\n- een lijst\n",
    '"alleen tekst"\n',
    "a: 'x'\nb: \"y\"\nc: 'regel\n  twee'\n",
]
UNUSUAL = [
    "",
    "\n",
    "# alleen commentaar\n",
    "~\n",
    "null\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "a: &x 1\nb: *x\n",
    "a: &x 1\n",
    "a: *x\n",
    "a: !!str 5\n",
    "a: ! 5\n",
    "a: !eigen [1]\n",
    "<<: {a: 1}\n",
    "? [a, b]\n: waarde\n",
    "? {a: 1}\n: w\n",
    "1: a\n",
    "true: a\n",
    "null: a\n",
    ": a\n",
    "id: a\n---\nid: b\n",
    "a: " + "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10) + "\n",
    'titel: "open\n',
    "a: b: c\n",
    "kader:\n\t- Ik meld\n",
    "a: 1\n- b\n",
    billion_laughs(),
]


@pytest.mark.parametrize("text", CLEAN)
def test_quick_pass_gives_the_full_loaders_result(text):
    assert isinstance(same_as_full(text.encode()), Deferred)


@pytest.mark.parametrize("text", UNUSUAL)
def test_quick_pass_leaves_everything_unusual_to_the_full_loader(text):
    assert type(same_as_full(text.encode())) is Loaded


@pytest.mark.parametrize(
    "raw", [b"\xef\xbb\xbfid: a\n", b"id: \xe9\n", b"\xff\xfei\x00d\x00", b"id: a\0\n", b"x" * (MAX_BYTES + 1)]
)
def test_quick_pass_keeps_the_byte_checks(raw):
    assert type(same_as_full(raw)) is Loaded


def test_quick_pass_on_every_content_file_of_the_project_and_the_fixtures():
    files = [
        path
        for folder in ("content", "themabladen", "modules", "tests/fixtures")
        for path in sorted((ROOT / folder).rglob("*.yaml"))
        if path.is_file()
    ]
    assert len(files) > 100
    quick = [path for path in files if isinstance(same_as_full(path.read_bytes(), str(path)), Deferred)]
    assert len(quick) > len(files) / 2  # most files are plain and take the quick pass


def test_deferred_positions_are_worked_out_once_and_only_when_asked(monkeypatch):
    import macros.content.load

    calls = []
    real = macros.content.load.load_text
    monkeypatch.setattr(macros.content.load, "load_text", lambda *args: calls.append(args) or real(*args))
    loaded = load_bytes(b"id: a\ntitel: b\n", "x.yaml", deferred=True)
    assert loaded.data == {"id": "a", "titel": "b"} and loaded.first_line == "id: a" and not calls
    assert loaded.pos(("titel",)) == Pos(2, 8) and loaded.pos(("id",), key=True) == Pos(1, 1)
    assert len(calls) == 1
