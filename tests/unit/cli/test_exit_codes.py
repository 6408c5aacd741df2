"""Every command ends with the exit code the table says (macros/cli/exits.py, docs/errors.md), for each
kind of problem, with its error in the one format (issue 29). The rows that build a site or lay out a
PDF run in tests/site/test_exit_codes.py and tests/print/test_exit_codes.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lib.exit_scenarios import SCENARIOS, rows, run_row
from lib.project import ROOT  # noqa: E402
from macros.cli import exits
from macros.cli.commands import build_parser
from macros.store.errors import ERROR_CODES, ExitCode


def test_every_row_of_the_table_has_a_scenario_and_every_command_a_table():
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "opdracht").choices
    assert set(exits.COMMANDS) == set(commands)
    table = {(command, int(row.exit_code), row.code) for command, rows_ in exits.COMMANDS.items() for row in rows_}
    assert table == set(SCENARIOS)
    for command, rows_ in exits.COMMANDS.items():
        kinds = {row.exit_code for row in rows_}
        assert {ExitCode.OK, ExitCode.USAGE, ExitCode.INTERRUPTED} <= kinds, command
        for row in rows_:
            assert row.code is None or ERROR_CODES[row.code].exit_code == row.exit_code, (command, row)


@pytest.mark.parametrize("key", rows("unit"), ids=lambda key: f"{key[0]}-{key[1]}-{key[2] or 'rapport'}")
def test_exit_code(key, tmp_path, monkeypatch, capsys):
    command, expected, code = key
    got, err = run_row(key, tmp_path, monkeypatch, capsys)
    assert got == expected, err
    if code is not None:
        assert f"kompas {command}: {code} fout: " in err, err
        assert "\n    hint: " in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["valideer", "--formaat", "xml"], "kompas valideer: GEBRUIK fout: argument --formaat: ongeldige keuze: 'xml'"),
        (["valideer", "--onbekend"], "kompas: GEBRUIK fout: onbekende argumenten: --onbekend"),
        (["kaarten"], "kompas kaarten: GEBRUIK fout: deze argumenten ontbreken: --uit"),
    ],
)
def test_usage_errors_of_argparse_have_the_one_format(arguments, expected, capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(arguments)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gebruik: kompas") and expected in err and "\n    hint: " in err


def test_the_program_exits_with_the_code(tmp_path):
    """Through the installed `kompas` program (os._exit), not only main()."""
    kompas = Path(sys.executable).parent / "kompas"
    result = subprocess.run([str(kompas), "bouw", "--map", str(tmp_path / "weg")], capture_output=True, text=True)
    assert result.returncode == 2 and "kompas bouw: GEBRUIK fout: de map" in result.stderr


def test_help_shows_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    general = capsys.readouterr().out
    for code, meaning in exits.MEANING.items():
        assert f"{int(code):>3}  {meaning}" in general
    with pytest.raises(SystemExit):
        build_parser().parse_args(["kaarten", "--help"])
    assert "2 SELECTIE: " in capsys.readouterr().out


def test_the_table_in_the_docs_is_current():
    text = (ROOT / exits.FILE_NAME).read_text(encoding="utf-8")
    assert exits.updated(text) == text, "voer 'kompas documenteer' uit"
