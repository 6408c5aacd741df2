"""`make serve` for an editor: the real `mkdocs serve` rebuilds when a content file changes
and shows the change. A change with an error is reported in the terminal (file:line, in
Dutch); MkDocs then holds page requests until the content is fixed, so nothing half-built
is ever served."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import make_project


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, process: subprocess.Popen, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "mkdocs serve is gestopt"
        body = _get(url)
        if body is not None and text in body:
            return body
        time.sleep(0.5)
    pytest.fail(f"'{text}' verscheen niet op {url} binnen {seconds} s")


@pytest.fixture
def served_project(tmp_path):
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"  # no card decks: this is about rebuilding, not about PDFs
    config.write_text(config.read_text().replace("  kompas:\n", "  kompas:\n    kaarten: false\n"))
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    process = subprocess.Popen([str(mkdocs), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                               stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "KOMPAS_CACHE_DIR": str(tmp_path / "cache")})
    try:
        yield project, f"http://127.0.0.1:{port}/", process, tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_editing_a_dilemma_rebuilds_the_served_site(served_project):
    project, base, process, log = served_project
    page = base + "dilemmas/joint/"
    _wait_for(page, "Een joint tegen de pijn", process)
    source = project / "content" / "dilemmas" / "joint.yaml"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"),
                      encoding="utf-8")
    _wait_for(page, "Een joint tegen de rugpijn", process)

    # an error: the terminal says where and what, in Dutch; then the fix shows up
    source.write_text(good.replace("kernwaarden: [integer]", "kernwaarden: [integer, onbekend]"), encoding="utf-8")
    deadline = time.monotonic() + 60
    while "SCHEMA-KEUZE" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.5)
    report = log.read_text(encoding="utf-8")
    assert "content/dilemmas/joint.yaml:7:24: SCHEMA-KEUZE fout: 'onbekend' is geen toegestane waarde" in report
    assert "Traceback" not in report
    source.write_text(good.replace("titel: Een joint tegen de pijn", "titel: Een joint bij rugpijn"),
                      encoding="utf-8")
    _wait_for(page, "Een joint bij rugpijn", process)


def test_a_new_sheet_file_appears_in_the_served_site(served_project):
    project, base, process, _ = served_project
    _wait_for(base + "themabladen/vrije-tijd/", "Gedrag in vrije tijd", process)
    source = (project / "themabladen" / "vrije-tijd.yaml").read_text(encoding="utf-8")
    copy = (source.replace("id: vrije-tijd", "id: vrije-tijd-kopie", 1).replace("nummer: 5", "nummer: 15", 1)
            .replace("titel: Gedrag in vrije tijd", "titel: Gedrag in vrije tijd, kopie", 1))
    (project / "themabladen" / "vrije-tijd-kopie.yaml").write_text(copy, encoding="utf-8")
    _wait_for(base + "themabladen/vrije-tijd-kopie/", "Gedrag in vrije tijd, kopie", process)
