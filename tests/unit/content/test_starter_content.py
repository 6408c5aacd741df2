"""The real content of the repository: valid, and no invented official facts."""

from __future__ import annotations

import pytest

from lib.project import ROOT  # noqa: E402
from macros.content.validate import validate_corpus

# The rulings named in the domain brief (../shared/DOMAIN.md). Content may cite only these:
# an ECLI that is not checked against a source must not be published.
KNOWN_ECLIS = {
    "ECLI:NL:CRVB:2012:BX8109",
    "ECLI:NL:CRVB:2017:3167",
    "ECLI:NL:RBGEL:2016:401",
    "ECLI:NL:CRVB:2021:2647",
    "ECLI:NL:CRVB:2014:3729",
    "ECLI:NL:CRVB:2020:1777",
    "ECLI:NL:RBDHA:2022:12601",
}
# Only two sheets have a known official number.
KNOWN_NUMBERS = {5: "Gedrag in vrije tijd", 6: "Gebruik van geweld"}


@pytest.fixture(scope="module")
def result():
    return validate_corpus(ROOT)  # today's date: an expired review date is a warning, never an error


def test_starter_content_has_no_errors(result):
    assert result.documents, "no content found"
    assert result.ok, "\n".join(d.format_text() for d in result.errors)


def test_every_content_file_made_it_into_the_model(result):
    assert all(doc.schema_ok for doc in result.documents)
    corpus = result.corpus
    assert corpus.themabladen and corpus.dilemmas and corpus.uitspraken and corpus.wetten and corpus.modules
    assert corpus.reeks is not None


def test_the_two_known_sheets_and_their_numbers(result):
    numbered = {sheet.nummer: sheet.titel for sheet in result.corpus.themabladen if sheet.nummer is not None}
    assert numbered == KNOWN_NUMBERS


def test_only_rulings_from_the_sources(result):
    eclis = {ruling.ecli for ruling in result.corpus.uitspraken}
    assert eclis <= KNOWN_ECLIS, f"rulings not in the domain brief: {sorted(eclis - KNOWN_ECLIS)}"
    cited = {e for sheet in result.corpus.themabladen for e in sheet.casuistiek}
    cited |= {e for item in result.corpus.dilemmas for e in item.uitspraken}
    assert cited <= eclis


def test_one_module_of_each_kind(result):
    kinds = {module.soort for module in result.corpus.modules}
    assert {"leerlijn", "masterclass", "moreel-beraad", "sessieplan"} <= kinds


def test_the_source_and_route_registers_are_loaded(result):
    """Issue 26: every item names its sources from content/bronnen.yaml; the routes are in
    content/meldroutes.yaml (at least the two the old guidelines named)."""
    corpus = result.corpus
    assert corpus.bron["redactie"].is_redactie
    assert {"vertrouwenspersoon", "vik"} <= set(corpus.route)
    items = (*corpus.themabladen, *corpus.dilemmas, *corpus.uitspraken, *corpus.modules, *corpus.onderwerpen)
    for item in items:
        assert item.bronnen and len(corpus.bronnen_van(item.bronnen)) == len(item.bronnen), item.pad
        assert set(item.routes) <= set(corpus.route), item.pad
