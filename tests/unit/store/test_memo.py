"""Values kept between builds (macros/store/memo.py): a kept value is the value the code computes
for that input, a changed input or code never gets an old value, and a damaged memo file is
ignored without a word."""

from __future__ import annotations

import json

import pytest

from lib.project import FIXTURES
from macros.content.cards_fit import fit_card
from macros.content.validate import validate_corpus
from macros.render import session
from macros.render.print_html import make_card
from macros.render.render import markdown_html
from macros.store import memo as memo_module
from macros.store.memo import kept, memo


def _files(folder):
    return sorted(p.name for p in folder.glob("*.json"))


def test_a_kept_value_comes_back_in_the_next_build(tmp_path):
    calls = []

    def make(value):
        def compute():
            calls.append(value)
            return value.upper()

        return compute

    with kept(tmp_path, ("proef",)) as save:
        assert memo("proef").get(("a",), make("a")) == "A"
        assert memo("proef").get(("a",), make("a")) == "A"  # once per build
        assert memo("proef").get(("b",), make("b")) == "B"
        save()
    assert calls == ["a", "b"]
    with kept(tmp_path, ("proef",)) as save:
        assert memo("proef").get(("a",), make("a")) == "A"
        assert memo("proef").hits == 1
        save()
    assert calls == ["a", "b"]
    # the second build used only "a": "b" is no longer kept
    with kept(tmp_path, ("proef",)):
        assert memo("proef").get(("b",), make("b")) == "B"
    assert calls == ["a", "b", "b"]


def test_without_an_open_memo_every_value_is_computed(tmp_path):
    calls = []
    for _ in range(2):
        assert memo("proef").get(("a",), lambda: calls.append(1) or 1) == 1
    assert calls == [1, 1]
    with kept(tmp_path, ("proef",)):
        assert memo("proef").cache is not None
    assert memo("proef").cache is None  # closed again after the build


def test_a_build_that_fails_keeps_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with kept(tmp_path, ("proef",)):
            memo("proef").get(("a",), lambda: "A")
            raise RuntimeError("de bouw faalt")
    assert _files(tmp_path) == []


def test_other_code_never_gets_an_old_value(tmp_path, monkeypatch):
    with kept(tmp_path, ("proef",)) as save:
        memo("proef").get(("a",), lambda: "oud")
        save()
    monkeypatch.setattr(memo_module, "code_digest", lambda: "andere code")
    with kept(tmp_path, ("proef",)):
        assert memo("proef").get(("a",), lambda: "nieuw") == "nieuw"


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign"])
def test_a_damaged_memo_file_is_ignored(tmp_path, damage):
    with kept(tmp_path, ("proef",)) as save:
        for letter in "abcdefghij":
            memo("proef").get((letter,), lambda letter=letter: letter.upper())
        save()
    files = sorted(tmp_path.glob("*.json"))
    assert files
    for path in files:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:5] + bytes([data[5] ^ 1]) + data[6:])  # one bit, anywhere
        else:
            path.write_bytes(json.dumps({"format": "iets anders", "values": {}}).encode())
    with kept(tmp_path, ("proef",)):
        for letter in "abcdefghij":
            assert memo("proef").get((letter,), lambda letter=letter: letter.upper()) == letter.upper()
        assert memo("proef").hits == 0


def test_a_memo_that_cannot_be_written_is_no_memo(tmp_path):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    with kept(blocked, ("proef",)) as save:  # the cache folder cannot be made
        assert memo("proef").get(("a",), lambda: "A") == "A"
        save()
    assert blocked.read_text(encoding="utf-8") == "geen map"


def test_kept_card_sizes_markdown_and_card_html_equal_computed_ones(tmp_path):
    """The three memos of a build give exactly what the code computes, read back from disk."""
    root = FIXTURES / "corpus"
    computed = validate_corpus(root).corpus
    expected = {
        item.id: (
            fit_card(computed, item),
            session.card_html(computed, item),
            session.fragment_html(computed, item),
            markdown_html(item.context),
        )
        for item in computed.dilemmas
    }
    for round_ in ("vult", "leest"):
        with kept(tmp_path, ("kaartmaat", "markdown", "kaarthtml")) as save:
            corpus = validate_corpus(root).corpus  # a fresh corpus: nothing of the first one is reused
            for item in corpus.dilemmas:
                got = (
                    fit_card(corpus, item),
                    session.card_html(corpus, item),
                    session.fragment_html(corpus, item),
                    markdown_html(item.context),
                )
                assert got == expected[item.id], item.id
                assert make_card(corpus, item) == make_card(computed, computed.dilemma[item.id])
            hits = sum(memo(name).hits for name in ("kaartmaat", "markdown", "kaarthtml"))
            save()
        if round_ == "leest":
            assert hits >= 3 * len(corpus.dilemmas)
