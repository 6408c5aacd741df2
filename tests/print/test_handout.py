"""Handout per themablad (issue 16, section 4): real PDFs from a real site build, read back with pypdf."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from lib.pdf import assert_in_order, assert_tagged_nl_embedded, link_targets, pdf_text, structure_roles
from lib.project import (
    FIXTURES,  # noqa: E402
    ROOT,  # noqa: E402
    build_project,
    make_project,
)
from macros.content.validate import validate_corpus
from macros.printing import druk, handout
from macros.site.build import BuildFailed

SECTIONS = [
    "Inleiding",
    "Kader",
    "Dilemma's",
    "Casuïstiek",
    "Interne richtlijnen",
    "Wet- en regelgeving",
    "Gerelateerde themabladen",
    "Hulpvragen",
]


@pytest.fixture(scope="module")
def corpus():
    result = validate_corpus(ROOT)
    assert result.ok
    return result.corpus


def _words(text: str, count: int = 6) -> str:
    return " ".join(text.replace("**", "").split()[:count])


def test_every_sheet_has_a_handout_of_at_most_two_pages_linked_from_its_page(starter_site, corpus):
    assert len(corpus.themabladen) >= 5
    for sheet in corpus.themabladen:
        expected = (starter_site / "druk" / f"handout-{sheet.id}.pdf").resolve()
        assert link_targets(starter_site / "themabladen" / sheet.id / "index.html", "Handout") == [expected]
        assert 1 <= len(PdfReader(expected).pages) <= 2, sheet.id
        assert_tagged_nl_embedded(expected, f"Handout: {sheet.volledige_titel}")
        assert {"H1", "H2", "L", "LI"} <= structure_roles(expected), sheet.id


def test_the_handout_follows_the_order_of_the_paper_sheet(starter_site, corpus):
    complete = 0
    for sheet in corpus.themabladen:
        text = pdf_text(starter_site / "druk" / f"handout-{sheet.id}.pdf")
        assert_in_order(text, [sheet.volledige_titel, *SECTIONS])
        dilemmas = corpus.dilemmas_van(sheet.id)[: handout.MAX_DILEMMAS]
        rulings = [corpus.uitspraak[e] for e in sheet.casuistiek]
        related = [corpus.themablad[i] for i in sheet.gerelateerd]
        questions = [*sheet.hulpvragen, *corpus.reeks.hulpvragen]
        complete += bool(dilemmas and rulings and sheet.richtlijnen and sheet.wetgeving and related)
        assert_in_order(
            text,
            [
                "Inleiding",
                _words(sheet.inleiding),
                "Kader",
                *sheet.kader,
                "Dilemma's",
                *[x for d in dilemmas for x in (d.titel, _words(d.situatie))],
                "Casuïstiek",
                *[x for u in rulings for x in (u.titel, u.ecli)],
                "Interne richtlijnen",
                *[r.titel for r in sheet.richtlijnen],
                "Wet- en regelgeving",
                *[ref.label(corpus.wet[ref.wet]) for ref in sheet.wetgeving],
                "Gerelateerde themabladen",
                *[r.volledige_titel for r in related],
                "Hulpvragen",
                *questions,
            ],
        )
    assert complete >= 2  # sheets with something in every section


def test_a_sheet_too_long_for_two_pages_is_refused_by_validation_with_file_and_line(tmp_path):
    """Issue 31: the overlong inleiding is rejected by `kompas valideer`, before any build (it used to
    pass validation and fail only the build)."""
    from macros.verdict import validate_project

    project = make_project(tmp_path / "project")
    path = project / "themabladen" / "vrije-tijd.yaml"
    paragraph = (
        "  Een lange alinea over je voorbeeldrol in je vrije tijd, die het themablad veel langer maakt "
        "dan op twee pagina's past, met steeds dezelfde woorden erin.\n\n"
    ) * 45
    text = path.read_text(encoding="utf-8")
    text = text.replace("inleiding: |\n", "inleiding: |\n" + paragraph, 1)
    path.write_text(text, encoding="utf-8")
    assert validate_corpus(project).ok  # the content-only core does not lay out: the verdict does
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith("inleiding: "))
    (found,) = validate_project(project).errors
    assert (found.code, found.file, found.line) == ("HANDOUT-TE-LANG", "themabladen/vrije-tijd.yaml", line)
    assert "ook zonder dilemma's" in found.message
    with pytest.raises(BuildFailed) as failure:
        build_project(project, tmp_path / "site")
    message = str(failure.value)
    assert failure.value.code == "INHOUD-FOUTEN"
    assert f"themabladen/vrije-tijd.yaml:{line}:1: HANDOUT-TE-LANG fout:" in message
    assert "Traceback" not in message
    assert not (tmp_path / "site").exists()  # nothing half-built


def test_handouts_are_cached_and_a_long_one_is_refused_every_time(tmp_path):
    from dataclasses import replace

    corpus = validate_corpus(FIXTURES / "corpus").corpus
    first = druk.build_site_printed(corpus, tmp_path / "a", cache_dir=tmp_path / "cache")
    handouts = [p for p in first if p.path.name.startswith("handout-")]
    assert sorted(p.path.name for p in handouts) == sorted(f"handout-{s.id}.pdf" for s in corpus.themabladen)
    sheet = corpus.themabladen[0]
    long = replace(sheet, inleiding="\n\n".join([sheet.inleiding * 12] * 30))
    longer = replace(corpus, themabladen=tuple(long if s.id == sheet.id else s for s in corpus.themabladen))
    cached = sorted((tmp_path / "cache").iterdir())
    for attempt in range(2):  # a refused handout is never cached: refused again the next time
        with pytest.raises(druk.DrukFout, match=f"themablad {sheet.id}: de handout"):
            druk.build_site_printed(longer, tmp_path / f"b{attempt}", cache_dir=tmp_path / "cache", positions={})
        assert not (tmp_path / f"b{attempt}" / f"handout-{sheet.id}.pdf").exists()
        assert sorted((tmp_path / "cache").iterdir()) == cached


def test_only_the_first_dilemmas_of_a_sheet_are_shown_in_full(tmp_path):
    """The number of a sheet's dilemmas grows with the corpus (other files): the handout counts the rest."""
    from dataclasses import replace

    corpus = validate_corpus(FIXTURES / "corpus").corpus
    base = corpus.dilemmas_van("geweld")[0]
    extra = [replace(base, id=f"extra-{n:02d}", titel=f"Extra dilemma {n:02d}") for n in range(40)]
    many = replace(corpus, dilemmas=tuple(sorted((*corpus.dilemmas, *extra), key=lambda d: (d.titel.casefold(), d.id))))
    shown = many.dilemmas_van("geweld")[: handout.MAX_DILEMMAS]
    printed = druk.build_site_printed(many, tmp_path)
    path = next(p.path for p in printed if p.path.name == "handout-geweld.pdf")
    assert len(PdfReader(path).pages) <= 2
    text = pdf_text(path)
    rest = len(many.dilemmas_van("geweld")) - handout.MAX_DILEMMAS
    assert_in_order(
        text, ["Dilemma's", *[d.titel for d in shown], f"Nog {rest} dilemma's bij dit themablad staan", "Casuïstiek"]
    )
    hidden = [d.titel for d in many.dilemmas_van("geweld")[handout.MAX_DILEMMAS :]]
    assert not [title for title in hidden if title in text]


@pytest.mark.parametrize(
    "inleiding",
    ["> " * 3000 + "x", "`" * 19000, "<blockquote>\n\n" * 3000, "1. " * 3000 + "x"],
    ids=["3000 citaten", "19000 backticks", "3000 HTML-citaten", "3000 lijsten"],
)
def test_pathological_markdown_gives_a_handout_or_a_dutch_refusal_never_a_recursion(tmp_path, inleiding):
    """Issue 30: with validation skipped (the validator refuses these, MARKDOWN-*), the renderer still keeps
    the handout bounded: the text becomes plain paragraphs, so WeasyPrint lays out a flat document (and
    refuses one longer than two pages in Dutch) instead of recursing through 3,000 nested elements."""
    from dataclasses import replace

    corpus = validate_corpus(FIXTURES / "corpus").corpus
    sheet = corpus.themablad["geweld"]
    hostile = replace(
        corpus,
        themabladen=tuple(replace(s, inleiding=inleiding) if s.id == sheet.id else s for s in corpus.themabladen),
    )
    try:
        printed = druk.build_site_printed(hostile, tmp_path)
    except druk.DrukFout as refusal:
        assert "past niet op 2 A4-pagina's" in str(refusal)
        return
    path = next(p.path for p in printed if p.path.name == "handout-geweld.pdf")
    assert 1 <= len(PdfReader(path).pages) <= 2
