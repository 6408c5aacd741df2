"""Rendering a Markdown field is bounded whatever the text (issue 30, class 1), also where validation was
skipped: a text beyond the validator's Markdown limits never reaches Python-Markdown (it becomes escaped
paragraphs), HTML nested too deep for WeasyPrint is not kept, and a text within the limits is rendered
as Markdown, never by the fallback.

The pathological texts an audit found (19,000 backticks: hours; 3,000 nested quotes: a recursion error
in the handout) and their relatives run in a child process with a time limit, so that a regression fails
here instead of stalling the suite. No timing is asserted beyond "it ends": speed is the benchmark's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.content.markdown_limits import (
    HEAVY,
    MAX_HTML_NESTING,
    MAX_NESTING,
    MAX_OUTPUT_DEPTH,
    MAX_RUN,
    first_problem,
)
from macros.render.base import _markdown_html, converted, html_depth, plain_paragraphs

PROFILE = settings(
    max_examples=int(os.environ.get("KOMPAS_VOORBEELDEN", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PATHOLOGICAL = {
    "19.000 backticks": "`" * 19000,
    "3.000 citaten in elkaar": "> " * 3000 + "x",
    "3.000 citaten, elk op een regel": "\n".join(">" * n + " x" for n in range(1, 60)),
    "3.000 lijsten op een regel": "1. " * 3000 + "x",
    "4.000 codestukjes": "`a` " * 4000,
    "5.000 haken": "[a" * 5000,
    "2.500 links": "[a](b) " * 2500,
    "3.000 blockquotes in HTML": "<blockquote>\n\n" * 3000,
    "6.600 nadrukken": "**" + "*a " * 6600,
    "6.000 koppen": "#a\n" * 6000,
    "60 lijsten ingesprongen": "".join("    " * i + "- a\n" for i in range(60)),
    "200 HTML-lijsten": "<ul><li>" * 200 + "x",
}


def test_the_pathological_texts_render_in_bounded_time_without_recursion():
    script = (
        "import json, sys\n"
        "from macros.render.base import _markdown_html, html_depth\n"
        "out = {}\n"
        "for name, text in json.loads(sys.stdin.read()).items():\n"
        "    html = _markdown_html(text)\n"
        "    out[name] = html_depth(html)\n"
        "print(json.dumps(out))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(PATHOLOGICAL), capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    depths = json.loads(run.stdout)
    assert set(depths) == set(PATHOLOGICAL)
    assert all(depth <= MAX_OUTPUT_DEPTH for depth in depths.values()), depths


def test_beyond_the_limits_the_text_is_shown_as_escaped_paragraphs():
    for name, text in PATHOLOGICAL.items():
        html = _markdown_html(text)
        if first_problem(text) is not None:
            assert html == plain_paragraphs(text), name
    assert (
        _markdown_html("<script>x</script>\n\n" + "`" * 50)
        == "<p>&lt;script&gt;x&lt;/script&gt;</p><p>" + "`" * 50 + "</p>"
    )


SYNTAXY = st.lists(
    st.sampled_from(
        list("`*_[]()<>!#\\|+-=&>~ \n.a1") + ["> ", "- ", "1. ", "    ", "<em>", "</em>", "<ul><li>", "<blockquote>"]
    ),
    max_size=400,
).map("".join)


@PROFILE
@given(SYNTAXY)
def test_any_text_renders_within_the_depth_bound(text):
    html = _markdown_html(text)
    assert html_depth(html) <= MAX_OUTPUT_DEPTH
    if first_problem(text) is not None:
        assert html == plain_paragraphs(text)


WITHIN = st.lists(
    st.one_of(
        st.builds(lambda ch, n: ch * n, st.sampled_from(list("`*_[]<>!#-=+")), st.integers(1, MAX_RUN)),
        st.builds(
            lambda marker, n: "\n" + marker * n, st.sampled_from(["> ", "- ", "1. ", "* "]), st.integers(1, MAX_NESTING)
        ),
        st.builds(
            lambda tag, n: f"<{tag}>" * n,
            st.sampled_from(["em", "strong", "blockquote", "ul", "li", "code"]),
            st.integers(1, MAX_HTML_NESTING),
        ),
        st.sampled_from(["tekst ", "a", "\n\n", "\n", "[link](https://example.org)", "**vet**", "`code`", "    "]),
    ),
    max_size=60,
).map("".join)


@PROFILE
@given(WITHIN)
def test_within_the_limits_markdown_is_rendered_never_the_fallback(text):
    """What passes validation is rendered as Markdown: the output bound never takes it away."""
    if first_problem(text) is not None:
        return  # (a combination beyond a limit after all: the other test covers it)
    html = converted(text)
    assert html_depth(html) <= MAX_OUTPUT_DEPTH
    assert _markdown_html(text) == html


def test_the_limits_are_those_of_the_catalogue():
    assert set(HEAVY) == set("[`<*_#") and MAX_RUN == 10 and MAX_NESTING == 6 and MAX_HTML_NESTING == 8
