"""Search on the built starter site, in the system Chromium: type in the real search box,
read the real result list (title, link and kind label of each hit)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys

import pytest
import yaml

from lib.browser import search, wait_for_the_answer
from lib.project import (
    ROOT,  # noqa: E402
    build_project,
)
from macros.harness.browser import serve


def top3(hits):
    return [href for href, _, _ in hits[:3]]


def label_of(hits, fragment):
    return next(label for href, label, _ in hits if fragment in href)


@pytest.mark.parametrize(
    "query, expected, label",
    [
        ("drugs", "/themabladen/gedrag-in-vrije-tijd/", "THEMABLAD"),
        ("geweld", "/themabladen/gebruik-van-geweld/", "THEMABLAD"),
        ("geweldgebruik", "/themabladen/gebruik-van-geweld/", "THEMABLAD"),
        ("ECLI:NL:CRVB:2014:3729", "/uitspraken/ECLI-NL-CRVB-2014-3729/", "UITSPRAAK"),
        ("3729", "/uitspraken/ECLI-NL-CRVB-2014-3729/", "UITSPRAAK"),
        ("socratisch", "/modules/socratisch-gesprek/", "MODULE"),
    ],
)
def test_query_finds_item_in_top_three_with_its_kind(chromium, served_starter_site, query, expected, label):
    hits = search(chromium, served_starter_site, query)
    assert expected in top3(hits), hits[:5]
    # the label is shown (upper case through CSS) and names the kind of item
    assert label_of(hits, expected) == label


def test_full_ecli_puts_the_ruling_first(chromium, served_starter_site):
    hits = search(chromium, served_starter_site, "ECLI:NL:CRVB:2014:3729")
    assert hits[0][0].endswith("/uitspraken/ECLI-NL-CRVB-2014-3729/")
    assert hits[0][2] != ""


# Two words run together: a lower-case letter before a capital ("VoorMedewerkers"), a digit
# before a word ("uur6"), a letter before a digit ("opleidingQ1").
GLUED = re.compile(r"[a-zà-ÿ][A-Z]|[0-9][a-z]{2,}|[a-z][0-9]")
WRITTEN_SO = {"VoiceOver", "90quater"}  # names written this way (90quater: an article of the Wetboek van Strafrecht)


def words_in_the_content() -> set[str]:
    """Every word the content itself writes (names such as MeetUps or MEOS/ProCo are written so):
    a word glued together by a template is in no content file."""
    words: set[str] = set()
    for pattern in ("themabladen/*.yaml", "modules/*.yaml", "content/**/*.yaml", "content/pages/**/*.md"):
        for path in ROOT.glob(pattern):
            words.update(w.strip("().,;:'\"*") for w in path.read_text(encoding="utf-8").split())
    return words


def test_no_words_are_glued_together_in_the_search_index(starter_site):
    """Elements next to each other without whitespace (labels, table cells, a term and its
    description, a bold title and its text) look separate on screen, but Pagefind reads them
    as one word: 'VoorMedewerkers' was then neither found by 'medewerkers' nor readable in
    the excerpt. Every template puts whitespace between such elements."""
    glued = set()
    written = WRITTEN_SO | words_in_the_content()
    fragments = sorted((starter_site / "pagefind").glob("**/fragment/*.pf_fragment"))  # every bundle
    assert len(fragments) > 40
    for fragment in fragments:
        raw = gzip.decompress(fragment.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        for word in data["content"].split():
            if GLUED.search(word) and word.strip("().,;:") not in written and not word.startswith(("ECLI:", "http")):
                glued.add((data["url"], word))
    assert not glued, sorted(glued)


@pytest.fixture(scope="module")
def served_synthetic_site(tmp_path_factory):
    """The benchmark's synthetic corpus at 1x: 60 rulings of one court and year
    (ECLI:NL:TEST:2026:1 ... :60), each cited by several dilemmas, so every part of a
    whole ECLI matches many pages and a short ordinal is the prefix of longer ones."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    paths = generate.generate(1, tmp_path_factory.mktemp("synthetisch"))
    site = build_project(paths["project"], paths["project"] / "site")
    base, stop = serve(site)
    yield base
    stop()


@pytest.mark.parametrize(
    "query", ["ECLI:NL:TEST:2026:1", "ECLI:NL:TEST:2026:2", "ECLI:NL:TEST:2026:10", "ecli:nl:test:2026:59"]
)
def test_whole_ecli_puts_its_ruling_first_among_many_alike(chromium, served_synthetic_site, query):
    hits = search(chromium, served_synthetic_site, query, start="")
    assert hits[0][0].endswith(f"/uitspraken/{query.upper().replace(':', '-')}/"), hits[:3]
    assert hits[0][1] == "UITSPRAAK"
    # then the pages that cite it, not other rulings that merely share court, year or a prefix
    assert not any("/uitspraken/" in href for href, _, _ in hits[1:]), hits


def test_ecli_without_a_ruling_falls_back_to_the_plain_search(chromium, served_synthetic_site):
    """No ruling has this ECLI (there are 60): the exact lookup finds nothing, and instead of
    "Niets gevonden" the plain search answers with the pages that match its parts (pages
    with ECLIs of this court and year that also mention "Testdilemma 61")."""
    hits = search(chromium, served_synthetic_site, "ECLI:NL:TEST:2026:61", start="")
    assert hits  # search() waits for a shown result: "Niets gevonden" would fail here


def test_barp_finds_law_page_or_sheets_citing_it(chromium, served_starter_site):
    hits = search(chromium, served_starter_site, "Barp")
    citing = {
        f"/themabladen/{p.stem}/"
        for p in (ROOT / "themabladen").glob("*.yaml")
        if "wet: barp" in p.read_text(encoding="utf-8").lower()
    }
    assert citing, "geen themablad verwijst naar de Barp: de test heeft dan niets te zoeken"
    assert hits[0][0].endswith("/wetgeving/") or hits[0][0] in citing
    assert all(href.endswith("/wetgeving/") or href in citing for href in top3(hits)), hits[:3]


def test_word_from_a_dilemma_situation_finds_the_dilemma(chromium, served_starter_site):
    source = yaml.safe_load((ROOT / "content/dilemmas/buurman-vraagt-om-kenteken.yaml").read_text(encoding="utf-8"))
    word = "kenteken"
    assert word in source["situatie"]
    hits = search(chromium, served_starter_site, word)
    assert "/dilemmas/buurman-vraagt-om-kenteken/" in top3(hits)
    assert label_of(hits, "/dilemmas/buurman-vraagt-om-kenteken/") == "DILEMMA"


def test_overviews_are_not_results(chromium, served_starter_site):
    """Overview pages repeat the items' text; the search shows the items themselves."""
    hits = search(chromium, served_starter_site, "geweld")
    hrefs = [href for href, _, _ in hits]
    for overview in ("/dilemmas/", "/themabladen/", "/jurisprudentie/", "/modules/"):
        assert overview not in hrefs
    assert not any("/dilemmas/kernwaarde/" in h or "/dilemmas/doelgroep/" in h for h in hrefs)


def test_result_link_opens_the_page(chromium, served_starter_site):
    page = chromium.new_page()
    page.goto(served_starter_site)
    page.locator("[data-kompas-zoekvraag]").click()
    page.locator("[data-kompas-zoekvraag]").press_sequentially("3729")
    wait_for_the_answer(page)  # the list of "372" may still be shown
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/uitspraken/ECLI-NL-CRVB-2014-3729/")
    assert "ECLI:NL:CRVB:2014:3729" in page.locator(".kompas-ecli").first.inner_text()
    page.close()


def test_engine_is_pagefind_not_the_full_text_index(starter_site):
    assert (starter_site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (starter_site / "search" / "search_index.json").exists()
    sheet = (starter_site / "themabladen" / "gedrag-in-vrije-tijd" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="soort:Themablad"' in sheet
    overview = (starter_site / "dilemmas" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in overview


def _payload_module():
    spec = importlib.util.spec_from_file_location("search_payload", ROOT / "scripts" / "search_payload.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_search_payload_is_measured_per_request(chromium, served_starter_site):
    payload = _payload_module().measure_url(served_starter_site, "geweld", browser=chromium)
    assert payload.first_result.endswith("/themabladen/gebruik-van-geweld/")
    paths = [path for path, _ in payload.requests]
    assert any(p.endswith("/pagefind/pagefind-entry.json") for p in paths)
    assert any("/pagefind/index/" in p for p in paths)
    assert not any(p.endswith("search_index.json") for p in paths)
    assert payload.total_bytes == payload.page_bytes + payload.search_bytes
    assert payload.search_bytes == sum(size for path, size in payload.requests if "/pagefind/" in path)
    assert payload.total_bytes < 1_000_000  # the budget of issue 9 (at 100× in the benchmark)
