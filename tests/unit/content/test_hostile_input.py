"""Hostile input, round two (issue 30): the classes that validation decides, each tested with many
generated members, not only the example an audit found.

1. Markdown fields beyond the limits on runs, nesting and syntax characters: MARKDOWN-* at file:line.
2. Any field where text is expected, whatever YAML made of it: huge integers (never built), integers,
   true/false, null: a Dutch error naming the field and what YAML read; yes/no/on/off, floats and
   dates stay text.
3. Control and bidirectional-override characters: TEKST-STUURTEKEN naming the code point, and no
   report (text, GitHub, JSON) ever carries such a character raw.
4. A FIFO or socket named like a content file: refused by name (BESTAND-SOORT), nothing waits.
5. Symbolic links out of the project (a file, a folder, a chain, absolute or relative): refused before
   reading (BESTAND-BUITEN-PROJECT), and nothing of the target's text in any report.

One copy of the small valid project (tests/fixtures/geldig/basis); each example changes it and
restores it. A hang would fail through SIGALRM instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lib.fixture_cases import BASE
from macros.content.checks import MARKDOWN_FIELDS, NON_PROSE_FIELDS, is_markdown
from macros.content.diagnostics import format_report, to_json
from macros.content.load import MAX_INT_DIGITS, load_text, walk
from macros.content.markdown_limits import HEAVY, MAX_HTML_NESTING, MAX_NESTING, MAX_RUN, SYNTAX
from macros.content.validate import validate_corpus
from macros.store.text import CONTROL_CHARACTERS, code_point, json_safe, visible

TODAY = date(2026, 11, 23)
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*.yaml"))
SENTINEL = "KOMPASSENTINEL"
PROFILE = settings(
    max_examples=int(os.environ.get("KOMPAS_VOORBEELDEN", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What a terminal acts on: none of it may leave Kompas raw.
UNSAFE = CONTROL_CHARACTERS | {"\u061c", "\u200e", "\u200f", "\u2028", "\u2029"}


@pytest.fixture(scope="module")
def project():
    folder = Path(tempfile.mkdtemp(prefix="kompas-vijandig-"))
    shutil.copytree(BASE, folder / "project", ignore=shutil.ignore_patterns("verwacht.json"), symlinks=True)
    yield folder / "project"
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def within(seconds: int = 20):
    """Fail instead of hanging (a blocking open of a FIFO is interrupted by the alarm)."""

    def expired(signum, frame):
        raise TimeoutError(f"nothing may wait: still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def replaced(project: Path, rel: str, text: str | None = None):
    """``rel`` with ``text`` (None: removed, for a test that puts something else there); restored after."""
    target = project / rel
    original = target.read_bytes() if target.is_file() and not target.is_symlink() else None
    if text is not None:
        target.write_text(text, encoding="utf-8")
    elif os.path.lexists(target):
        target.unlink()
    try:
        yield target
    finally:
        if os.path.lexists(target) and (target.is_symlink() or not target.is_dir()):
            target.unlink()
        if original is not None:
            target.write_bytes(original)


def validate(project: Path):
    with within():
        return validate_corpus(project, today=TODAY)


def reports(result) -> list[str]:
    diagnostics = list(result.diagnostics)
    return [format_report(diagnostics, "x"), format_report(diagnostics, "x", github=True), to_json(diagnostics)]


def assert_terminal_safe(result) -> None:
    for output in reports(result):
        raw = sorted({code_point(ch) for ch in output if ch in UNSAFE})
        assert not raw, f"raw control characters in a report: {raw}"


# -- the string fields of the base project -------------------------------------------------------


def _string_fields() -> list[tuple[str, tuple]]:
    found = []
    for rel in FILES:
        data = load_text((BASE / rel).read_text(encoding="utf-8"), rel).data
        found.extend((rel, path) for path, value in walk(data) if isinstance(value, str) and path)
    return found


STRING_FIELDS = _string_fields()
MARKDOWN_PATHS = [(rel, path) for rel, path in STRING_FIELDS if is_markdown(path)]
TEXT_PATHS = [
    (rel, path)
    for rel, path in STRING_FIELDS
    if next(p for p in reversed(path) if isinstance(p, str)) not in NON_PROSE_FIELDS
]


def _field(path) -> str:
    return next(part for part in reversed(path) if isinstance(part, str))


def with_value(rel: str, path: tuple, scalar: str) -> str:
    """The file ``rel`` of the base project with the value at ``path`` written as the YAML ``scalar``
    (:func:`line_of` says on which line)."""
    text = (BASE / rel).read_text(encoding="utf-8")
    header = text.split("\n", 1)[0] + "\n"
    data = load_text(text, rel).data
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = SENTINEL
    dumped = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 30)
    assert dumped.count(SENTINEL) == 1
    _LINES[(rel, path)] = dumped[: dumped.index(SENTINEL)].count("\n") + 1
    return dumped.replace(SENTINEL, scalar)


_LINES: dict = {}


def line_of(rel: str, path: tuple) -> int:
    """The line of the value that :func:`with_value` wrote last for ``rel`` and ``path``."""
    return _LINES[(rel, path)]


# Fields whose schema takes an integer as well as text (a year, an article number, a version).
INTEGER_TOO = {"versie", "artikel", "lid", "datum"}


# -- 2. what YAML makes of a value where text is expected ----------------------------------------

HUGE = st.integers(MAX_INT_DIGITS + 1, 6000).map(lambda digits: "9" * digits)
NOT_TEXT = st.one_of(
    HUGE,
    st.integers(-(10**15), 10**15).map(str),
    st.sampled_from(["true", "false", "True", "FALSE", "null", "~", "Null"]),
)
STAYS_TEXT = st.sampled_from(
    [
        "yes",
        "no",
        "on",
        "off",
        "Yes",
        "NO",
        "y",
        "n",
        "1.5",
        "-0.5",
        "1e3",
        ".inf",
        "0x1F",
        "0755",
        "2026-01-01",
        "2026-01-01T10:00:00",
        "12:30",
        "1_000",
    ]
)


@PROFILE
@given(st.sampled_from(STRING_FIELDS), NOT_TEXT)
def test_a_non_text_scalar_where_text_is_expected_is_an_error_naming_the_field(project, field, scalar):
    rel, path = field
    assume(not (_field(path) in INTEGER_TOO and scalar.lstrip("-").isdigit() and len(scalar) <= MAX_INT_DIGITS))
    text = with_value(rel, path, scalar)
    with replaced(project, rel, text):
        result = validate(project)
    line = line_of(rel, path)
    found = [
        d
        for d in result.errors
        if d.file == rel and d.line == line and d.code in ("SCHEMA-TYPE", "SCHEMA-KEUZE", "SCHEMA-DATUM", "YAML-GETAL")
    ]
    assert found, "\n".join(d.format_text() for d in result.diagnostics)
    message = found[0].message
    assert _field(path) in message
    assert "YAML leest" in message  # what YAML made of it, in words
    assert len(message) < 400  # a number of 6,000 digits is not printed


@PROFILE
@given(st.sampled_from(TEXT_PATHS), STAYS_TEXT)
def test_what_yaml_1_1_would_convert_stays_text(project, field, scalar):
    """yes/no/on/off, floats and dates are read as the text that is written: no type error."""
    rel, path = field
    text = with_value(rel, path, scalar)
    with replaced(project, rel, text):
        result = validate(project)
    assert not [d for d in result.diagnostics if d.file == rel and d.code in ("SCHEMA-TYPE", "YAML-GETAL")], "\n".join(
        d.format_text() for d in result.diagnostics
    )


@PROFILE
@given(HUGE)
def test_a_huge_integer_as_a_key_or_in_a_list_is_no_traceback(project, digits):
    rel = "content/dilemmas/joint.yaml"
    text = (BASE / rel).read_text(encoding="utf-8") + f"{digits}: x\nlijst: [{digits}, -{digits}]\n"
    with replaced(project, rel, text):
        result = validate(project)
    assert not result.ok
    assert_terminal_safe(result)


# -- 3. control characters --------------------------------------------------------------------------

REFUSED = st.sampled_from(sorted(CONTROL_CHARACTERS - {"\n", "\t"}))
ALLOWED = st.sampled_from(["\u00a0", "\u00ad", "é", "ë", "€", "–", "\u2019", "ĳ"])


@PROFILE
@given(st.sampled_from(STRING_FIELDS), REFUSED, st.integers(0, 40), st.booleans())
def test_a_control_character_in_any_field_is_refused_by_code_point(project, field, character, at, twice):
    rel, path = field
    original = _value(rel, path)
    at = min(at, len(original))
    value = original[:at] + character + original[at:] + (character if twice else "")
    text = with_value(rel, path, json.dumps(value))  # a JSON string is a double-quoted YAML scalar with escapes
    with replaced(project, rel, text):
        result = validate(project)
    found = [d for d in result.errors if d.file == rel and d.code == "TEKST-STUURTEKEN"]
    assert found, "\n".join(d.format_text() for d in result.diagnostics)
    assert code_point(character) in found[0].message and _field(path) in found[0].message
    assert found[0].line == line_of(rel, path)
    assert_terminal_safe(result)


@PROFILE
@given(st.sampled_from(STRING_FIELDS), REFUSED)
def test_a_raw_control_character_in_the_file_is_named_never_printed(project, field, character):
    """Written into the file itself (not as an escape): the YAML reader refuses most of them."""
    rel, path = field
    text = with_value(rel, path, json.dumps(_value(rel, path))[:-1] + character + '"')
    with replaced(project, rel, text):
        result = validate(project)
    assert_terminal_safe(result)
    if character in "\r\x85":  # YAML line breaks: they end up as a line break or a space, not in the text
        assert not any(d.code == "TEKST-STUURTEKEN" for d in result.diagnostics)
        return
    assert not result.ok
    named = [
        d
        for d in result.errors
        if d.file == rel and (code_point(character) in d.message or (character == "\0" and d.code == "BESTAND-BINAIR"))
    ]
    assert named, "\n".join(d.format_text() for d in result.diagnostics)


@PROFILE
@given(st.sampled_from(TEXT_PATHS), ALLOWED)
def test_what_dutch_text_uses_is_allowed(project, field, character):
    rel, path = field
    value = _value(rel, path)
    text = with_value(rel, path, json.dumps(value[:1] + character + value[1:]))
    with replaced(project, rel, text):
        result = validate(project)
    assert not [d for d in result.diagnostics if d.code == "TEKST-STUURTEKEN"]


@PROFILE
@given(st.text(alphabet=st.sampled_from([*sorted(UNSAFE), "a", "é", "\n", "\t", " ", "\u00a0", "\u00ad"]), max_size=60))
def test_visible_leaves_nothing_a_terminal_acts_on(text):
    shown = visible(text)
    assert not set(shown) & UNSAFE
    if not set(text) & UNSAFE:
        assert shown == text
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text
    assert not set(json_safe(json.dumps(text, ensure_ascii=False))) & UNSAFE


def _value(rel: str, path: tuple) -> str:
    node = load_text((BASE / rel).read_text(encoding="utf-8"), rel).data
    for part in path:
        node = node[part]
    return node


# -- 1. Markdown beyond the limits --------------------------------------------------------------------

RUNS = st.builds(lambda ch, n: ch * n, st.sampled_from(sorted(SYNTAX)), st.integers(MAX_RUN + 1, 3000))
NESTED = st.builds(
    lambda marker, n, tail: marker * n + tail,
    st.sampled_from(["> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "> - ", "    - "]),
    st.integers(MAX_NESTING + 1, 3000),
    st.sampled_from(["x", "tekst", ""]),
)
HTML_NESTED = st.builds(
    lambda tag, n, sep: f"<{tag}>{sep}" * n + "x",
    st.sampled_from(["blockquote", "ul", "em", "div", "li"]),
    st.integers(MAX_HTML_NESTING + 1, 300),
    st.sampled_from(["", "\n", "\n\n"]),
)
HEAVY_TEXT = st.builds(
    lambda unit, extra: unit[0] * 0 + unit[1] * (HEAVY[unit[0]] + extra),
    st.sampled_from([("[", "[a "), ("`", "`a "), ("<", "<a "), ("*", "*a "), ("_", "_a "), ("#", "#a\n")]),
    st.integers(1, 200),
)
BEYOND = st.one_of(RUNS, NESTED, HTML_NESTED, HEAVY_TEXT)
WITHIN = st.one_of(
    st.builds(
        lambda ch, n: f"Tekst {ch * n} meer tekst.", st.sampled_from(sorted(SYNTAX - {"\\"})), st.integers(1, MAX_RUN)
    ),
    st.builds(lambda marker, n: marker * n + "x", st.sampled_from(["> ", "- ", "1. "]), st.integers(1, MAX_NESTING)),
    st.just("Een **vette** en *schuine* tekst met een [link](https://example.org) en `code`."),
)


@PROFILE
@given(st.sampled_from(MARKDOWN_PATHS), BEYOND, st.sampled_from(["", "Een gewone eerste alinea.\n\n"]))
def test_markdown_beyond_the_limits_is_refused_at_file_and_line(project, field, body, before):
    rel, path = field
    value = before + body
    text = with_value(rel, path, json.dumps(value))
    with replaced(project, rel, text):
        result = validate(project)
    found = [d for d in result.errors if d.file == rel and d.code.startswith("MARKDOWN-")]
    assert found, "\n".join(d.format_text() for d in result.diagnostics)
    assert found[0].line == line_of(rel, path)
    assert _field(path) in found[0].message


@PROFILE
@given(st.sampled_from(MARKDOWN_PATHS), WITHIN)
def test_markdown_within_the_limits_passes(project, field, body):
    rel, path = field
    with replaced(project, rel, with_value(rel, path, json.dumps(body))):
        result = validate(project)
    assert not [d for d in result.diagnostics if d.code.startswith("MARKDOWN-")], "\n".join(
        d.format_text() for d in result.diagnostics
    )


def test_plain_text_fields_have_no_markdown_limits(project):
    """A title is escaped text, never Markdown: its backticks cost nothing."""
    rel = "content/dilemmas/joint.yaml"
    text = (
        (BASE / rel).read_text(encoding="utf-8").replace("titel: Een joint tegen de pijn", "titel: '" + "`" * 150 + "'")
    )
    with replaced(project, rel, text):
        result = validate(project)
    assert not [d for d in result.diagnostics if d.code.startswith("MARKDOWN-")]
    assert MARKDOWN_FIELDS  # (the list the checks use)


# -- 4. special files ------------------------------------------------------------------------------------

CONTENT_NAMES = [
    "themabladen/nieuw.yaml",
    "content/dilemmas/nieuw.yaml",
    "content/uitspraken/nieuw.yaml",
    "modules/nieuw.yaml",
    "content/onderwerpen/nieuw.yaml",
    "content/bronnen.yaml",
    "content/reeks.yaml",
    "content/wetgeving.yaml",
    "content/meldroutes.yaml",
    "themabladen/geweld.yaml",
    "content/dilemmas/joint.yaml",
]


def _make_special(target: Path, kind: str):
    if kind == "fifo":
        os.mkfifo(target)
        return None
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(target))
    return server


@PROFILE
@given(st.sampled_from(CONTENT_NAMES), st.sampled_from(["fifo", "socket"]))
def test_a_fifo_or_socket_named_like_content_is_refused_and_nothing_waits(project, rel, kind):
    with replaced(project, rel) as target:
        server = _make_special(target, kind)
        try:
            result = validate(project)
            from macros.editor.spelling import collect

            with within():
                collect(project)  # the spelling check reads the same files
        finally:
            if server is not None:
                server.close()
    found = [d for d in result.errors if d.file == rel]
    assert [d.code for d in found] == ["BESTAND-SOORT"], "\n".join(d.format_text() for d in result.diagnostics)
    assert ("FIFO" if kind == "fifo" else "socket") in found[0].message


def test_read_file_checks_the_type_on_what_it_opened(tmp_path):
    """The loader itself (not only the listing): a FIFO opens without waiting and is refused by type."""
    from macros.content.load import read_file

    fifo = tmp_path / "wacht.yaml"
    os.mkfifo(fifo)
    with within(10):
        refused = read_file(fifo, "wacht.yaml", root=tmp_path)
    assert [d.code for d in refused.diagnostics] == ["BESTAND-SOORT"]


def test_kompas_nieuw_does_not_wait_on_a_fifo_in_the_folder(project):
    from macros.editor import scaffold

    with replaced(project, "content/dilemmas/wacht.yaml") as target:
        os.mkfifo(target)
        with within():
            created = scaffold.new_dilemma(project, "Een nieuwe vraag", ["geweld"])
        created.path.unlink()


# -- 5. symbolic links out of the project ---------------------------------------------------------------

SECRET = "GEHEIM-BUITEN-HET-PROJECT"


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """Files outside the project: valid YAML with a secret in every field, and a folder of them."""
    folder = tmp_path_factory.mktemp("buiten")
    text = (BASE / "content/dilemmas/joint.yaml").read_text(encoding="utf-8")
    text = text.replace("Een joint tegen de pijn", f"{SECRET} titel").replace("Wat doe je?", f"{SECRET} TODO?")
    (folder / "geheim.yaml").write_text(text + f"extra: {SECRET}\n", encoding="utf-8")
    (folder / "kapot.yaml").write_text(f"titel: \"{SECRET}\n  : [\n", encoding="utf-8")
    (folder / "map").mkdir()
    shutil.copy(folder / "geheim.yaml", folder / "map" / "joint.yaml")
    return folder


@PROFILE
@given(
    st.sampled_from(CONTENT_NAMES),
    st.sampled_from(["geheim.yaml", "kapot.yaml"]),
    st.sampled_from(["absoluut", "relatief", "keten"]),
)
def test_a_link_out_of_the_project_is_refused_before_reading(project, outside, rel, name, how):
    with replaced(project, rel) as target:
        destination = outside / name
        if how == "absoluut":
            target.symlink_to(destination)
        elif how == "relatief":
            target.symlink_to(os.path.relpath(destination, target.parent))
        else:  # a link inside the project that points at a link out of it
            hop = project / "content" / f"tussenstap-{target.name}"
            hop.symlink_to(destination)
            target.symlink_to(hop)
        try:
            result = validate(project)
        finally:
            (project / "content" / f"tussenstap-{target.name}").unlink(missing_ok=True)
    assert [d.code for d in result.errors if d.file == rel] == ["BESTAND-BUITEN-PROJECT"], "\n".join(
        d.format_text() for d in result.diagnostics
    )
    for output in reports(result):
        assert SECRET not in output


def test_a_content_folder_that_links_out_is_refused(project, outside):
    folder = project / "content" / "dilemmas"
    kept = project.parent / "dilemmas-bewaard"
    folder.rename(kept)
    folder.symlink_to(outside / "map")
    try:
        result = validate(project)
    finally:
        folder.unlink()
        kept.rename(folder)
    assert [(d.code, d.file) for d in result.errors if d.file.startswith("content/dilemmas")] == [
        ("BESTAND-BUITEN-PROJECT", "content/dilemmas/")
    ]
    for output in reports(result):
        assert SECRET not in output


def test_a_link_inside_the_project_is_followed(project):
    """Links that stay inside the project are content as before."""
    with replaced(project, "content/dilemmas/joint.yaml") as target:
        (project / "joint-elders.yaml").write_bytes((BASE / "content/dilemmas/joint.yaml").read_bytes())
        target.symlink_to(Path("..") / ".." / "joint-elders.yaml")
        try:
            result = validate(project)
        finally:
            (project / "joint-elders.yaml").unlink()
    assert result.ok, "\n".join(d.format_text() for d in result.errors)


def test_spelling_and_nieuw_do_not_read_through_a_link_out(project, outside):
    from macros.editor import scaffold
    from macros.editor.spelling import collect

    with replaced(project, "content/dilemmas/geheim.yaml") as target:
        target.symlink_to(outside / "geheim.yaml")
        texts = collect(project)
        assert not [t for t in texts if SECRET in t.text]
        created = scaffold.new_dilemma(project, "Nog een vraag", ["geweld"])
        created.path.unlink()


def test_kompas_nieuw_writes_nothing_through_a_folder_that_links_out(project, outside, tmp_path):
    from macros.editor import scaffold
    from macros.store.errors import PathRefused

    folder = project / "content" / "onderwerpen"
    kept = project.parent / "onderwerpen-bewaard"
    folder.rename(kept)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    folder.symlink_to(elsewhere)
    try:
        with pytest.raises(PathRefused, match="buiten de projectmap"):
            scaffold.new_onderwerp(project, "Een onderwerp")
    finally:
        folder.unlink()
        kept.rename(folder)
    assert not list(elsewhere.iterdir())


def test_no_raw_control_character_in_a_file_name_either(project):
    """A stray file whose name holds ESC: its warning names it with the code point."""
    name = "content/dilemmas/\x1b[2Jnotities.txt"
    (project / name).write_text("x", encoding="utf-8")
    try:
        result = validate(project)
    finally:
        (project / name).unlink()
    assert any(d.code == "BESTAND-ONBEKEND" for d in result.diagnostics)
    assert_terminal_safe(result)
