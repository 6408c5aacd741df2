"""Property-based: random damage to valid content files never ends in a traceback,
only in diagnostics (known codes, a file, a line, a Dutch message).

Damage: byte flips, deleted, duplicated or re-indented lines, and random values (text,
numbers, lists, mappings, nothing) in random fields. The example counts are modest so
the suite stays fast; run with HYPOTHESIS_PROFILE=grondig for many more examples.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.project import FIXTURES
from macros.content.diagnostics import CATALOGUE
from macros.content.load import load_bytes, load_text, walk
from macros.content.validate import validate_corpus

BASE = FIXTURES / "geldig" / "basis"
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*.yaml"))

settings.register_profile("standaard", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("grondig", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "standaard")


@pytest.fixture(scope="module")
def project():
    """One copy of the base project; each example overwrites one file and restores it."""
    folder = Path(tempfile.mkdtemp(prefix="kompas-eigenschappen-"))
    shutil.copytree(BASE, folder / "project", ignore=shutil.ignore_patterns("verwacht.json"))
    yield folder / "project"
    shutil.rmtree(folder, ignore_errors=True)


# -- damage ----------------------------------------------------------------------------
@st.composite
def byte_damage(draw, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def line_damage(draw, raw: bytes) -> bytes:
    lines = raw.decode("utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "tab", "swap"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 6)) + lines[index]
        elif action == "dedent":
            lines[index] = lines[index].lstrip(" ")
        elif action == "tab":
            lines[index] = "\t" + lines[index]
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
    return "".join(lines).encode("utf-8")


def _paths(data):
    return [path for path, _ in walk(data)]


SCALARS = st.one_of(
    st.text(max_size=40),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.sampled_from(["2026-02-30", "ECLI:NL:HR:2020:1.", "Q9", "1.10", "no", "~", "<b>x</b>", "{{ x }}", "a" * 3000]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def value_damage(draw, raw: bytes) -> bytes:
    text = raw.decode("utf-8")
    header = text.splitlines()[0] + "\n" if text.startswith("#") else ""
    data = load_text(text, "x.yaml").data
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = draw(VALUES)
    return (header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)).encode("utf-8")


@st.composite
def damaged_file(draw):
    rel = draw(st.sampled_from(FILES))
    raw = (BASE / rel).read_bytes()
    kind = draw(st.sampled_from([byte_damage, line_damage, value_damage]))
    return rel, draw(kind(raw))


# -- properties --------------------------------------------------------------------------
def check_diagnostics(result) -> None:
    for d in result.diagnostics:
        assert d.code in CATALOGUE, d
        assert isinstance(d.file, str) and d.file and not d.file.startswith("/"), d
        assert isinstance(d.line, int) and d.line >= 0 and isinstance(d.column, int) and d.column >= 0, d
        assert d.message.strip(), d
        assert "Traceback" not in d.message
    assert result.ok == (not any(d.is_error for d in result.diagnostics))


@contextmanager
def damaged(project, damage):
    """The project with one file replaced by damaged bytes, restored afterwards."""
    rel, raw = damage
    target = project / rel
    original = target.read_bytes()
    target.write_bytes(raw)
    try:
        yield
    finally:
        target.write_bytes(original)


@settings(settings.get_profile(PROFILE))
@given(damaged_file())
def test_damage_gives_diagnostics_not_tracebacks(project, damage):
    with damaged(project, damage):
        result = validate_corpus(project)  # any exception fails the property
        check_diagnostics(result)


@settings(settings.get_profile(PROFILE), max_examples=4)
@given(damaged_file())
def test_cli_reports_damage_as_json(project, damage):
    """The real command line: exit code 0 or 1, JSON on stdout, never a traceback."""
    with damaged(project, damage):
        kompas = Path(sys.executable).with_name("kompas")
        run = subprocess.run(
            [str(kompas), "valideer", "--map", str(project), "--formaat", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    assert isinstance(report, (dict, list))


@settings(settings.get_profile(PROFILE), max_examples=600)
@given(damaged_file())
def test_deferred_loading_matches_the_full_loader(damage):
    """The validator's quick pass (positions on demand) never differs from the full loader,
    whatever the damage: same data, diagnostics, positions and line ends."""
    rel, raw = damage
    full = load_bytes(raw, rel)
    quick = load_bytes(raw, rel, deferred=True)
    assert (quick.data, quick.diagnostics, quick.first_line, quick.source) == (
        full.data,
        full.diagnostics,
        full.first_line,
        full.source,
    )
    assert (quick.positions, quick.key_positions, quick.ends) == (full.positions, full.key_positions, full.ends)
