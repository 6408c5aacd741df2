"""Issue 26 in the built site (fixture content): the Melden en hulp page, the Inclusie tab, the
onderwerp pages, the routes and sources of item pages, and dilemmas that belong to an onderwerp."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from lib.project import FIXTURES
from macros.content.validate import validate_corpus

CORPUS = validate_corpus(FIXTURES / "corpus").corpus


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def main(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


def test_the_fixture_registry_has_routes_of_both_kinds():
    routes = CORPUS.meldroutes.routes
    assert len(routes) >= 2 and {r.placeholder for r in routes} == {True, False}


def test_melden_en_hulp_lists_every_route_of_the_registry(fixture_site):
    body = main(page(fixture_site, "melden-en-hulp"))
    assert body.h1.get_text(strip=True).rstrip("¶") == "Melden en hulp"
    headings = [h for h in body.find_all("h2") if h.get("id")]
    assert [h["id"] for h in headings] == [r.id for r in CORPUS.meldroutes.routes] + ["na-een-melding"]
    for route in CORPUS.meldroutes.routes:
        heading = body.find("h2", id=route.id)
        assert heading.get_text(strip=True).startswith(route.naam)
        section = heading.find_next_sibling("div")
        assert section["data-route"] == route.id
        facts = [dt.get_text(strip=True) for dt in section.select("dl dt")]
        assert facts[:3] == ["Voor wie", "Waarvoor", "Hoe bereikbaar"] and ("Daarna" in facts) == bool(route.daarna)
        assert " ".join(route.voor_wie.split()) in section.get_text(" ", strip=True)
        link = section.select_one(".kompas-meldroute__link")
        if route.placeholder:  # no link to an address that does not exist yet, and it says so
            assert link.find("a") is None and link.select_one(".kompas-placeholder")
        else:
            assert link.find("a")["href"] == route.url
        sources = [li.get_text(" ", strip=True) for li in section.select("li.kompas-bron")]
        assert sources and all(CORPUS.bron[ref.bron].naam in text for ref, text in zip(route.bronnen, sources))
    after = body.find("h2", id="na-een-melding").find_next_sibling("div")
    assert "triagecommissie" in after.get_text() and after.select("li.kompas-bron")
    # the intro from the registry, and a table of contents with every route
    assert "Hier staat waar je terechtkunt" in body.get_text()
    assert [a["href"] for a in body.select(".kompas-meldroutes__inhoud a")] == [
        f"#{r.id}" for r in CORPUS.meldroutes.routes
    ] + ["#na-een-melding"]
    assert "{{" not in body.decode() and "{%" not in body.decode()


def test_melden_en_hulp_is_linked_from_the_home_page_and_the_navigation(fixture_site):
    home = page(fixture_site, "")
    assert main(home).find("a", href="melden-en-hulp/"), "a link in the text of the home page"
    tile = main(home).select_one("a.kompas-tegel--melden")
    assert tile["href"] == "melden-en-hulp/" and "Melden en hulp" in tile.get_text()
    for soup in (home, page(fixture_site, "themabladen/vrije-tijd"), page(fixture_site, "dilemmas")):
        tabs = soup.select_one("nav.md-tabs")
        labels = {a.get_text(strip=True): a["href"] for a in tabs.select("a.md-tabs__link")}
        assert labels["Melden en hulp"].endswith("melden-en-hulp/"), labels
        assert labels["Inclusie"].endswith("onderwerpen/"), labels
        assert list(labels).index("Melden en hulp") == 1  # right after Home: prominent


def test_item_pages_link_their_routes_to_anchors_of_melden_en_hulp(fixture_site):
    anchors = {h["id"] for h in main(page(fixture_site, "melden-en-hulp")).find_all("h2") if h.get("id")}
    items = {
        "themabladen/vrije-tijd": CORPUS.themablad["vrije-tijd"],
        "dilemmas/grap-in-de-app": CORPUS.dilemma["grap-in-de-app"],
        "modules/gesprek": CORPUS.module["gesprek"],
        "onderwerpen/voor-iedereen": CORPUS.onderwerp["voor-iedereen"],
    }
    for url, item in items.items():
        assert item.routes
        section = main(page(fixture_site, url)).find("h2", id="routes")
        assert section.get_text(strip=True).startswith("Waar kun je terecht?")
        links = [a["href"] for a in section.find_next_sibling("div").select("ul.kompas-routes a")]
        assert [link.split("#")[1] for link in links] == list(item.routes)
        assert all(link.split("#")[0].endswith("melden-en-hulp/") for link in links)
        assert set(item.routes) <= anchors
    assert main(page(fixture_site, "dilemmas/joint")).find("h2", id="routes") is None  # no routes, no section


def test_the_inclusie_tab_lists_the_onderwerpen(fixture_site):
    body = main(page(fixture_site, "onderwerpen"))
    assert body.h1.get_text(strip=True).rstrip("¶") == "Inclusie"
    assert [a["href"] for a in body.select(".kompas-onderwerpen a")] == ["voor-iedereen/"]
    assert body.find("a", href="../melden-en-hulp/")


def test_an_onderwerp_page_shows_quotes_sections_sources_dilemmas_and_modules(fixture_site):
    soup = page(fixture_site, "onderwerpen/voor-iedereen")
    body = main(soup)
    topic = CORPUS.onderwerp["voor-iedereen"]
    assert body.h1.get_text(strip=True) == topic.titel
    [figure] = body.select("figure.kompas-citaat")
    assert figure.blockquote.get_text(strip=True) == topic.citaten[0].tekst
    assert figure.figcaption.get_text(" ", strip=True) == "Handreiking bij een signaal , Normstelling"
    ids = [h["id"] for h in body.find_all("h2") if h.get("id")]
    assert ids == ["sectie-1", "sectie-2", "dilemmas", "modules", "routes", "bronnen"]
    for index, section in enumerate(topic.secties, 1):
        block = body.find("h2", id=f"sectie-{index}").find_next_sibling("div")
        assert [b.get_text(strip=True) for b in block.select("li.kompas-bron .kompas-bron__titel")] == [
            CORPUS.bron[ref.bron].naam for ref in section.bronnen
        ]
    assert body.find("h2", id="sectie-1").find_next_sibling("div").strong.get_text() == "altijd"  # Markdown
    own = body.find("h2", id="sectie-2").find_next_sibling("div").select_one("li.kompas-bron--redactie")
    assert own.get_text(" ", strip=True) == "Eigen tekst van de redactie De tweede zin is van de redactie."
    published = body.find("h2", id="sectie-1").find_next_sibling("div").select_one("li.kompas-bron")
    assert published.get_text(" ", strip=True) == (
        "Handreiking bij een signaal (Voorbeelduitgever, juni 2023) , Wat wordt er van mij verwacht?"
    )
    dilemmas = body.find("h2", id="dilemmas").find_next_sibling("div")
    assert [a["href"] for a in dilemmas.select(".kompas-dilemma > a")] == ["../../dilemmas/grap-in-de-app/"]
    assert body.find("h2", id="modules").find_next_sibling("div").find("a", href="../../modules/gesprek/")
    # search: its own kind label, like the other kinds
    assert soup.select_one("[data-pagefind-body]")["data-pagefind-filter"] == "soort:Onderwerp"


def test_a_dilemma_on_an_onderwerp_names_it_where_a_sheet_is_named(fixture_site):
    body = main(page(fixture_site, "dilemmas/grap-in-de-app"))
    assert body.select_one(".kompas-soortlabel").get_text(strip=True) == "Dilemma · Een politie voor iedereen"
    assert body.find("h2", id="themabladen") is None
    assert body.find("h2", id="onderwerpen").find_next_sibling("div").find("a", href="../../onderwerpen/voor-iedereen/")
    # the printed card names the onderwerp in its footer, where a sheet's number and title stand
    assert "Onderwerp · Een politie voor iedereen" in body.select_one(".kaart.voor .blad").get_text()
    overview = main(page(fixture_site, "dilemmas"))
    assert overview.find("h2", id="onderwerp-voor-iedereen").find_next_sibling("div").find("a", href="grap-in-de-app/")


def test_the_session_data_lists_dilemmas_on_an_onderwerp(fixture_site):
    data = json.loads((fixture_site / "sessie" / "dilemmas.json").read_text(encoding="utf-8"))
    rows = {row[0]: row for row in data["dilemmas"]}
    assert data["onderwerpen"] == [["voor-iedereen", "Een politie voor iedereen"]]
    assert rows["grap-in-de-app"][2] == [] and rows["grap-in-de-app"][7] == [0]  # no sheet, the onderwerp
    assert rows["joint"][7] == []
    herkomst = dict(data["bronsoorten"])
    assert data["bronsoorten"][rows["grap-in-de-app"][6]][0] == "voorbeeld-van-de-redactie"
    assert data["bronsoorten"][rows["stil-houden"][6]][0] == "uit-de-bronnen" and len(herkomst) == 2
    form = main(page(fixture_site, "sessie")).select_one('select[data-filter="onderwerp"]')
    assert [o["value"] for o in form.find_all("option")] == ["", "voor-iedereen"]


def test_onderwerpen_are_in_the_feed_and_the_review_list(fixture_site):
    feed = (fixture_site / "wijzigingen.xml").read_text(encoding="utf-8")
    assert "onderwerpen/voor-iedereen/" in feed
    changes = main(page(fixture_site, "wijzigingen"))
    row = changes.select_one('tr[data-soort="onderwerp"]')
    assert row.find("a")["href"].endswith("onderwerpen/voor-iedereen/") and "Onderwerp" in row.get_text()
