"""The local editor's front (macros/site/redactie_lokaal.py, `make redactie`): a browser that goes away
while it is answered (a closed tab, Ctrl-C) gives no traceback; any other error still does."""

from __future__ import annotations

import pytest

from macros.site import redactie
from macros.site.redactie_lokaal import Front


@pytest.fixture
def front(tmp_path):
    server = Front(tmp_path, redactie.instellingen({}, lokaal=True), backend_port=1)
    yield server
    server.server_close()


@pytest.mark.parametrize("error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")])
def test_a_browser_that_went_away_gives_no_traceback(front, capsys, error):
    try:
        raise error
    except ConnectionError:
        front.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""


def test_another_error_is_still_reported(front, capsys):
    try:
        raise ValueError("een fout in Kompas")
    except ValueError:
        front.handle_error(None, ("127.0.0.1", 1))
    assert "ValueError: een fout in Kompas" in capsys.readouterr().err
