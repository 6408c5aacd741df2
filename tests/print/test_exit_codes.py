"""The rows of the exit code table whose scenario lays out a PDF;
the cheap rows are in tests/unit/cli/test_exit_codes.py, with the check that every row has a scenario."""

from __future__ import annotations

import pytest

from lib.exit_scenarios import rows, run_row


@pytest.mark.parametrize("key", rows("print"), ids=lambda key: f"{key[0]}-{key[1]}-{key[2] or 'rapport'}")
def test_exit_code(key, tmp_path, monkeypatch, capsys):
    command, expected, code = key
    got, err = run_row(key, tmp_path, monkeypatch, capsys)
    assert got == expected, err
    if code is not None:
        assert f"kompas {command}: {code} fout: " in err, err
        assert "\n    hint: " in err
    assert "Traceback" not in err
