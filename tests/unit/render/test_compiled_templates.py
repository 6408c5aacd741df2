"""The compiled templates that `kompas bouw` keeps between builds give the same output as fresh ones.

`kompas bouw` gives the Jinja environments a bytecode cache (macros/site/adapter.py,
``_compiled_templates``). Jinja folds a filter applied to a constant into the compiled code, so a
filter that differed per call (the card stylesheet's ``pt``, scaled for A5) made the template
compiled for one format give the other format its lengths: the A5 decks and the session page's
A5 print were laid out with A4 header and footer sizes.
"""

from __future__ import annotations

import pytest
from jinja2 import FileSystemBytecodeCache

from macros.render import print_html


@pytest.fixture
def compiled(tmp_path):
    """The print environment with a bytecode cache in ``tmp_path``; nothing kept in memory."""
    env = print_html.environment()

    def fresh() -> None:
        env.cache.clear()  # Jinja's own cache of loaded templates: load from the bytecode cache
        print_html.stylesheet.cache_clear()

    fresh()
    env.bytecode_cache = FileSystemBytecodeCache(str(tmp_path))
    try:
        yield fresh
    finally:
        env.bytecode_cache = None
        fresh()


@pytest.mark.parametrize("first", ["a4", "a5"])
def test_a_card_stylesheet_compiled_for_one_format_serves_the_other(compiled, tmp_path, first):
    expected = {}
    env = print_html.environment()
    cache, env.bytecode_cache = env.bytecode_cache, None
    for formaat in print_html.FORMATEN:
        compiled()
        expected[formaat] = print_html.stylesheet(formaat)
    env.bytecode_cache = cache
    assert expected["a4"] != expected["a5"]

    compiled()
    assert print_html.stylesheet(first) == expected[first]
    assert list(tmp_path.iterdir()), "the template was not compiled into the cache"
    other = "a5" if first == "a4" else "a4"
    compiled()  # as the next build does: the compiled template comes from the cache
    assert print_html.stylesheet(other) == expected[other]
    # the A5 lengths are the A4 ones scaled: the header height (13 pt on A4) is one of them
    assert "height: 13.0000pt" in expected["a4"]
    assert f"height: {13 * print_html.A5_SCALE:.4f}pt" in expected["a5"]
