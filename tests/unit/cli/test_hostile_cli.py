"""Hostile input at the command line (issue 30), decided without a build:

* version and alias names (class 10): a strict pattern, checked before anything runs; every name with a
  quote, slash, space, a leading dot or dash, and every name mike uses itself, is refused;
* the errno class of paths (class 8): each gives a Dutch message and its documented exit code;
* nothing a person typed or content holds reaches the terminal raw (class 3): the one format of a
  refusal passes it through :func:`macros.store.text.visible`.
"""

from __future__ import annotations

import errno
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.cli import commands
from macros.cli.publish import ALIAS, VERSION, check_names
from macros.store.errors import (
    PATH_ERRNOS,
    WRITE_ERRNOS,
    ExitCode,
    KompasError,
    UsageError,
    os_problem,
    os_reason,
    path_refused,
)
from macros.store.text import CONTROL_CHARACTERS

PROFILE = settings(max_examples=int(os.environ.get("KOMPAS_VOORBEELDEN", "300")), deadline=None)

# -- 10. version names -------------------------------------------------------------------------------

GOOD_VERSIONS = ["1", "1.2", "1.2.3", "2026.1", "1.2-rc1", "2.0-beta.2", "10.20.30.40"]
MIKE_OWN = ["index.html", "versions.json", ".nojekyll", "latest", "404.html", "CNAME"]
HOSTILE = [
    "'; touch PWNED; '",
    "$(touch X)",
    "`touch X`",
    "1.0; rm -rf /",
    "1.0\nx",
    "1.0 ",
    " 1.0",
    "-1",
    "--help",
    ".1",
    "..",
    "../1.0",
    "1.0/..",
    "1/0",
    "1\\0",
    "a b",
    '"',
    "'",
    "1.0'",
    "1.0\"",
    "$HOME",
    "~",
    "*",
    "1.0*",
    "",
    "1." * 30,
    "1.0\x1b[2J",
    "1.0\u202e",
    "Ⅰ.0",
    "１.０",
]


@pytest.mark.parametrize("name", GOOD_VERSIONS)
def test_version_names_that_are_versions(name):
    check_names(name, ["latest"])


@pytest.mark.parametrize("name", MIKE_OWN + HOSTILE)
def test_names_mike_uses_or_a_shell_would_read_are_no_version(name):
    with pytest.raises(UsageError) as refused:
        check_names(name, ())
    assert refused.value.exit_code == ExitCode.USAGE
    shown = commands._format("kompas publiceer", refused.value)
    assert not set(shown) & CONTROL_CHARACTERS - {"\n"}


@pytest.mark.parametrize("alias", MIKE_OWN[:3] + HOSTILE + ["1.0", "Latest", "latest latest"])
def test_aliases_are_words(alias):
    with pytest.raises(UsageError):
        check_names("1.0", [alias])


@PROFILE
@given(st.text(max_size=50))
def test_a_refused_version_says_so_in_dutch_and_an_accepted_one_is_a_plain_name(name):
    try:
        check_names(name, ())
    except UsageError as error:
        assert "geen geldige versie" in error.message
        return
    assert VERSION.fullmatch(name) and name[0].isdigit() and name.isascii()
    assert not set(name) & set("'\"`$;&|<>(){}[]*?~!#/\\ \t\n") and ".." not in name


@PROFILE
@given(st.text(max_size=40))
def test_an_accepted_alias_is_a_lowercase_word(alias):
    try:
        check_names("1.0", [alias])
    except UsageError:
        return
    assert ALIAS.fullmatch(alias) and alias.isascii() and alias[0].isalpha() and alias.islower()


def test_publiceer_checks_the_name_before_anything_runs(tmp_path, capsys):
    """No project, no git, no lock: the refusal comes first."""
    code = commands.main(["publiceer", "--map", str(tmp_path), "--", "index.html"])
    assert code == ExitCode.USAGE
    assert "'index.html' is geen geldige versie" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


# -- 8. the errno class of paths --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PATH_ERRNOS))
def test_a_path_the_system_refuses_is_a_dutch_refusal_with_exit_code_2(name):
    error = OSError(getattr(errno, name), os.strerror(getattr(errno, name)), "x" * 5000)
    refused = path_refused(error, "x" * 5000)
    assert refused.exit_code == ExitCode.USAGE and refused.code == "PAD-GEWEIGERD"
    assert PATH_ERRNOS[name] in refused.message
    assert os.strerror(getattr(errno, name)) not in refused.message  # never the system's English
    assert len(refused.message) < 400  # a path of 5,000 characters is shortened
    assert os_problem(error, "x", "schrijven").exit_code == ExitCode.USAGE


@pytest.mark.parametrize("name", sorted(WRITE_ERRNOS))
def test_a_write_that_cannot_complete_is_exit_code_3_in_dutch(name):
    error = OSError(getattr(errno, name), os.strerror(getattr(errno, name)))
    problem = os_problem(error, "x", "schrijven")
    assert problem.exit_code == ExitCode.FAILED and problem.code == "SCHRIJVEN"
    assert os.strerror(getattr(errno, name)) not in problem.message
    assert os.strerror(getattr(errno, name)) not in os_reason(error)


def test_an_unknown_errno_is_still_dutch():
    error = OSError(errno.ENOMSG, os.strerror(errno.ENOMSG))
    assert "ENOMSG" in os_reason(error) and os.strerror(errno.ENOMSG) not in os_reason(error)


# -- 3. nothing raw on the terminal --------------------------------------------------------------------


@PROFILE
@given(st.text(alphabet=st.sampled_from(sorted(CONTROL_CHARACTERS) + ["a", "/", " ", "é"]), min_size=1, max_size=30))
def test_a_refusal_never_prints_a_control_character(text):
    shown = commands._format("kompas bouw", KompasError(f"'{text}' gaat niet.", hint=text))
    assert not set(shown) & (CONTROL_CHARACTERS - {"\n"})
    assert shown.count("\n") == 1 + text.count("\n") * 2  # the line feeds of the text itself stay line feeds


def test_map_with_control_characters_and_a_long_name(tmp_path, capsys):
    code = commands.main(["valideer", "--map", str(tmp_path / "weg\x1b[2J\u202e")])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and "<U+001B>" in err and "<U+202E>" in err and "\x1b" not in err
    code = commands.main(["valideer", "--map", "a" * 300])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and "de naam is te lang" in err and "File name too long" not in err
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    code = commands.main(["valideer", "--map", str(tmp_path / "bestand" / "x")])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and "een bestand, geen map" in err and "Not a directory" not in err
