"""The compiled fast path of the schema check (jsonschema-rs) never lets an invalid document through.

The fast validator only answers "valid or not"; jsonschema stays the authority for every
document it does not pass. So the one thing that must hold: whenever the fast validator
says "valid", jsonschema finds no problem either. Checked on every fixture and the
starter content, and on many random mutations of valid documents.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.project import (
    FIXTURES,  # noqa: E402
    ROOT,  # noqa: E402
)
from macros.content import schema
from macros.content.layout import Layout, discover
from macros.content.load import load_file, walk


def _slow_errors(kind: str, data) -> list:
    return list(schema.validator(kind).iter_errors(data))


def _documents() -> list[tuple[str, str, object]]:
    projects = (
        [ROOT, FIXTURES / "corpus"]
        + sorted(p for p in (FIXTURES / "geldig").iterdir() if p.is_dir())
        + sorted(p for p in (FIXTURES / "ongeldig").iterdir() if p.is_dir())
    )
    found = []
    for project in projects:
        files, _ = discover(Layout(project))
        for kind, path in files:
            loaded = load_file(path, path.name)
            if loaded.ok and loaded.data is not None:
                found.append((kind, str(path.relative_to(ROOT)), loaded.data))
    return found


DOCUMENTS = _documents()
VALID = [(kind, data) for kind, _, data in DOCUMENTS if not _slow_errors(kind, data)]


def test_fast_path_is_installed():
    assert schema.jsonschema_rs is not None, "jsonschema-rs ontbreekt: `make install` installeert het"
    assert schema._fast_validator("dilemma") is not None


@pytest.mark.parametrize("kind,file,data", DOCUMENTS, ids=[f for _, f, _ in DOCUMENTS])
def test_fast_path_agrees_on_every_fixture(kind, file, data):
    assert schema.fast_valid(kind, data) == (not _slow_errors(kind, data))


def test_there_are_invalid_fixtures_and_valid_ones():
    invalid = [d for d in DOCUMENTS if _slow_errors(d[0], d[2])]
    assert len(VALID) > 40 and len(invalid) > 10


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**20),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "2026-02-30",
            "2026-1-01",
            "ECLI:NL:CRVB:2014:3729",
            "ecli:nl:x:2020:1",
            "Wat doe je?",
            "Wat doe je",
            "https://",
            "https://a b",
            "Q9",
            "1.0",
            "abc\n",
            "integer",
            "moedig",
            "x" * 200,
            "testthema-0001",
            "Ik meld het.",
        ]
    ),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=2),
)


def _paths(data):
    return [path for path, _ in walk(data)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_valid_implies_jsonschema_valid(data):
    kind, document = data.draw(st.sampled_from(VALID))
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = data.draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["set", "delete", "add"]))
        if action == "set":
            parent[path[-1]] = data.draw(_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=10))] = data.draw(_values)
        else:
            parent.append(data.draw(_values))
        if not isinstance(document, dict) or not document:
            break
    if schema.fast_valid(kind, document):
        assert _slow_errors(kind, document) == []
