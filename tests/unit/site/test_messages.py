"""The site engine's messages in Dutch (macros/site/messages.py): what `kompas bouw` shows of a build
that stopped, without --uitgebreid. The messages are the ones MkDocs 1.6 and mkdocs-macros 1.5 write;
the last test fails when the pinned engine words them differently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.site.messages import dutch

ENGLISH = re.compile(
    r"\b(Doc file|contains|link to|which is|not found|anchor '#\w+', but|Aborted|Error|"
    r"included in the|conflicts with|it was left as is|Did you mean)\b"
)

CASES = [
    (
        "Doc file 'index.md' contains a link 'dilemma/index.md', but the target 'dilemma/index.md' is not found among "
        "documentation files. Did you mean 'dilemmas/index.md'?",
        "content/pages/index.md: de link 'dilemma/index.md' verwijst naar een pagina of bestand dat niet bestaat.",
    ),
    (
        "Doc file 'index.md' contains a link 'dilemmas/joint.md#x', but the doc 'dilemmas/joint.md' does not contain an "
        "anchor '#x'.",
        "content/pages/index.md: de link 'dilemmas/joint.md#x' wijst naar het anker '#x', dat "
        "content/pages/dilemmas/joint.md niet heeft.",
    ),
    (
        "Doc file 'index.md' contains a link '#x', but there is no such anchor on this page.",
        "content/pages/index.md: de link '#x' wijst naar een anker dat deze pagina niet heeft.",
    ),
    (
        "Doc file 'index.md' contains an unrecognized relative link 'dilemmas/', it was left as is. Did you mean "
        "'dilemmas/index.md'?",
        "content/pages/index.md: de link 'dilemmas/' wijst naar een map of adres, niet naar het .md-bestand van een pagina.",
    ),
    (
        "Doc file 'index.md' contains an absolute link '/x/', it was left as is.",
        "content/pages/index.md: de link '/x/' is een absoluut pad; dat werkt niet als de site in een submap staat.",
    ),
    (
        "A reference to 'kernwaarde.md' is included in the 'nav' configuration, which is not found in the documentation "
        "files.",
        "mkdocs.yml: het menu (nav) noemt 'kernwaarde.md', maar die pagina bestaat niet.",
    ),
    (
        "Excluding 'a/README.md' from the site because it conflicts with 'a/index.md'.",
        "content/pages/a/README.md: deze pagina en content/pages/a/index.md hebben hetzelfde adres; de site-engine laat "
        "content/pages/a/README.md weg.",
    ),
    (
        "[macros] - ERROR # _Macro Rendering Error_\n\n_File_: `test.md`\n\n_UndefinedError_: 'onbekend' is undefined\n\n"
        "```\nTraceback (most recent call last):\n```",
        "content/pages/test.md: de macro of naam 'onbekend' bestaat niet.",
    ),
]


@pytest.mark.parametrize("english, expected", CASES)
def test_the_engine_messages_content_can_cause_read_in_dutch(english, expected):
    assert dutch(english) == expected
    assert not ENGLISH.search(expected)


def test_lines_that_say_nothing_of_their_own_are_dropped():
    assert dutch("Aborted with a BuildError!") is None
    assert dutch("Aborted with 3 warnings in strict mode!") is None
    assert dutch("Error reading page 'cafe.md': 'utf-8' codec can't decode byte 0xe9") is None  # a preamble
    assert (
        dutch("Encoding error reading file: cafe.md")
        == "content/pages/cafe.md: deze pagina is niet in UTF-8 opgeslagen."
    )


def test_an_unknown_engine_message_becomes_one_dutch_line_and_ours_pass_unchanged():
    line = dutch("Something we have never seen happened.")
    assert "--uitgebreid" in line and not ENGLISH.search(line)
    assert dutch("De inhoud bevat fouten:\nx", ours=True) == "De inhoud bevat fouten:\nx"


def test_the_pinned_engine_still_words_its_messages_so():
    import mkdocs
    import mkdocs_macros

    source = "".join(
        path.read_text(encoding="utf-8")
        for folder in (Path(mkdocs.__file__).parent, Path(mkdocs_macros.__file__).parent)
        for path in folder.rglob("*.py")
    )
    for phrase in (
        "contains a link '{url}', \"\n",
        "is not found among documentation files.",
        "does not contain an anchor '#{anchor}'",
        "there is no such anchor on this page",
        "contains an unrecognized relative link '{url}', ",
        "contains an absolute link '{url}', it was left as is.",
        "is included in the 'nav' \"\n",
        "configuration, which is not found in the documentation files.",
        "from the site because it conflicts with",
        "Aborted with a BuildError!",
        "in strict mode!",
        "Macro Rendering Error",
        "_File_",
    ):
        assert phrase in source, phrase


def test_a_broken_link_the_engine_named_is_not_listed_again_by_the_link_check():
    from macros.site.build import _without_repeats

    problems = [
        "content/pages/a.md: de link 'weg.md' verwijst naar een pagina of bestand dat niet bestaat.",
        "content/pages/a.md: de link 'b.md#x' wijst naar het anker '#x', dat content/pages/b.md niet heeft.",
        "mkdocs.yml: het menu (nav) noemt 'oud.md', maar die pagina bestaat niet.",
        "5 kapotte link(s) of anker(s) in de gebouwde site:\n"
        "  a/index.html: weg.md: doel bestaat niet\n"
        "  a/index.html: ../b/#x: anker '#x' bestaat niet\n"
        "  c/d/index.html: ../../oud.md: doel bestaat niet\n"
        "  c/d/index.html: ../../oud.md: doel bestaat niet\n"
        "  c/index.html: ../e/: doel bestaat niet",
    ]
    assert _without_repeats(problems, "content/pages") == problems[:3] + [
        "1 kapotte link(s) of anker(s) in de gebouwde site:\n  c/index.html: ../e/: doel bestaat niet"
    ]
