"""Defence in depth: the renderer makes every hostile payload harmless by itself, whatever validation
would have said of it (validation refuses most of them first: TEKST-HTML, TEKST-LINK). Every payload
of tests/lib/hostile.py goes through the converter of a Markdown field, alone, between words, and all
of a salvo together; the HTML that comes out has nothing live (the same check as the built site's,
tests/site/test_hostile.py)."""

from __future__ import annotations

import pytest

from lib.hostile import MARK, SALVOS, live_problems
from macros.render.base import _markdown_html, markdown_inline_text

PAYLOADS = [payload for payloads in SALVOS.values() for payload in payloads]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_markdown_field_never_makes_a_payload_live(payload):
    for text in (payload, f"Tekst {payload} tekst.", f"- punt\n- {payload}\n\n> {payload}"):
        html = _markdown_html(text)
        assert not live_problems(html, "veld"), (text, html)


@pytest.mark.parametrize("salvo", list(SALVOS))
def test_a_whole_salvo_in_one_field(salvo):
    html = _markdown_html(" · ".join(SALVOS[salvo]))
    assert not live_problems(html, "veld"), html
    assert MARK in html  # the payloads are there, as harmless text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_in_a_heading_never_makes_a_payload_live(payload):
    assert "<" not in markdown_inline_text(payload)


def test_the_check_itself_sees_live_html():
    """The check can fail: a payload that is not sanitised is reported."""
    assert live_problems(f"<p><a href=\"javascript:alert('{MARK}')\">x</a><img src=x onerror=alert(1)></p>", "p")
