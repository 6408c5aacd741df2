"""Change history: the Wijzigingen page, its Atom feed and the Te herzien page, built from
a fixture project whose dates are set per file, and read back from the built site."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lib.project import build_project, make_project
from macros.content.validate import validate_corpus
from macros.render.render import Renderer
from macros.site.history import atom_feed, due_for_review, recent_changes

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = date.today()

# file → (gewijzigd, herzien_voor, versie)
DATES = {
    "themabladen/geweld.yaml": (date(2026, 3, 1), TODAY - timedelta(days=10), "2.1"),  # review overdue
    "themabladen/vrije-tijd.yaml": (date(2026, 9, 15), TODAY + timedelta(days=30), "1.4"),  # due in 30 days
    "content/dilemmas/joint.yaml": (date(2026, 10, 2), TODAY + timedelta(days=60), "1.1"),  # exactly 60: due
    "content/dilemmas/stil-houden.yaml": (date(2025, 12, 24), TODAY + timedelta(days=61), "1.0"),  # not yet
    "modules/beraad.yaml": (date(2026, 11, 20), TODAY + timedelta(days=400), "3.0"),
    "content/uitspraken/ECLI-NL-CRVB-2014-3729.yaml": (date(2026, 6, 30), TODAY + timedelta(days=400), "1.2"),
}
NEWEST_FIRST = [
    "modules/beraad/",
    "dilemmas/joint/",
    "themabladen/vrije-tijd/",
    "uitspraken/ECLI-NL-CRVB-2014-3729/",
    "themabladen/geweld/",
]


def set_dates(project: Path) -> None:
    for rel, (changed, review, version) in DATES.items():
        path = project / rel
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^gewijzigd: .*$", f"gewijzigd: {changed.isoformat()}", text)
        text = re.sub(r"(?m)^herzien_voor: .*$", f"herzien_voor: {review.isoformat()}", text)
        text = re.sub(r"(?m)^versie: .*$", f'versie: "{version}"', text)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("history") / "project")
    set_dates(project)
    return project


@pytest.fixture(scope="module")
def site(project) -> Path:
    return build_project(project)


@pytest.fixture(scope="module")
def corpus(project):
    result = validate_corpus(project)
    assert result.ok, result.diagnostics
    return result.corpus


def test_recent_changes_newest_first(corpus):
    urls = [item.url for item in recent_changes(corpus)]
    positions = [urls.index(u) for u in NEWEST_FIRST]
    assert positions == sorted(positions)
    dates = [item.beheer.gewijzigd for item in recent_changes(corpus)]
    assert dates == sorted(dates, reverse=True)
    assert len(recent_changes(corpus, limit=3)) == 3


def test_due_for_review_within_sixty_days(corpus):
    due = [item.url for item in due_for_review(corpus, TODAY)]
    assert due == ["themabladen/geweld/", "themabladen/vrije-tijd/", "dilemmas/joint/"]
    # a day later the 61-day item is inside the window too
    later = [item.url for item in due_for_review(corpus, TODAY + timedelta(days=1))]
    assert "dilemmas/stil-houden/" in later


def test_wijzigingen_page_lists_items_newest_first_with_links(site):
    html = (site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select("tr.kompas-wijziging")
    hrefs = [row.select_one("a")["href"] for row in rows]
    targets = [(site / "wijzigingen" / h).resolve() for h in hrefs]
    assert all((t / "index.html").is_file() for t in targets), hrefs
    shown = ["../" + u for u in NEWEST_FIRST]
    positions = [hrefs.index(u) for u in shown]
    assert positions == sorted(positions)
    first = rows[0].get_text(" ", strip=True)
    assert "20 november 2026" in first and "Moreel beraad in een uur" in first and "3.0" in first
    assert "Module" in first
    feed = soup.select_one("a.kompas-feed")["href"]
    assert (site / "wijzigingen" / feed).resolve() == (site / "wijzigingen.xml").resolve()
    # in the navigation, and the feed is announced in every page's head
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="wijzigingen/"' in index
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="wijzigingen.xml"', index)


def test_te_herzien_page_lists_due_items_with_owner(site):
    soup = BeautifulSoup((site / "te-herzien" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("tr.kompas-herziening")
    titles = [row.select_one("a").get_text() for row in rows]
    assert titles == ["Gebruik van geweld", "Gedrag in vrije tijd", "Een joint tegen de pijn"]
    overdue = rows[0]
    assert "kompas-herziening--verlopen" in overdue["class"]
    assert "verlopen" in overdue.get_text()
    assert "over 30 dagen" in rows[1].get_text()
    assert "over 60 dagen" in rows[2].get_text()
    for row in rows:
        cells = [c.get_text(strip=True) for c in row.find_all("td")]
        assert cells[4], "eigenaar ontbreekt"
    assert "Programma Integriteit" in rows[2].get_text()
    assert "content/dilemmas/joint.yaml" in rows[2].get_text()


def test_feed_is_valid_atom_of_the_same_changes(site):
    root = ET.parse(site / "wijzigingen.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    page = BeautifulSoup((site / "wijzigingen" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(entries) == len(page.select("tr.kompas-wijziging"))
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:") for i in ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0] == "2026-11-20T00:00:00Z"
    for entry in entries:
        for required in ("id", "title", "updated", "author/{http://www.w3.org/2005/Atom}name", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        href = entry.find(f"{ATOM}link").get("href")
        # no site_url in the fixture: relative links, resolved against the feed at the site root
        assert not href.startswith(("http", "/"))
        assert (site / href / "index.html").is_file(), href
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Module: Moreel beraad in een uur"
    assert "Versie 3.0" in first.findtext(f"{ATOM}summary")


def test_feed_links_are_absolute_with_site_url(corpus):
    xml = atom_feed(Renderer(corpus), "https://kompas.intranet.politie.example/")
    root = ET.fromstring(xml)
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://kompas.intranet.politie.example/wijzigingen.xml"
    hrefs = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert hrefs[0] == "https://kompas.intranet.politie.example/modules/beraad/"
    assert all(h.startswith("https://kompas.intranet.politie.example/") for h in hrefs)
    assert root.findtext(f"{ATOM}id").startswith("tag:kompas.intranet.politie.example,")


def test_feed_escapes_text(corpus, tmp_path):
    project = make_project(tmp_path / "project")
    path = project / "modules" / "beraad.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^titel: .*$", """titel: 'Beraad & "overleg" <in een uur'""", text), encoding="utf-8")
    result = validate_corpus(project)
    assert result.ok, result.diagnostics
    root = ET.fromstring(atom_feed(Renderer(result.corpus)))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert 'Module: Beraad & "overleg" <in een uur' in titles


def test_item_page_shows_last_change_and_history_link(corpus):
    sheet = corpus.themablad["geweld"]
    plain = Renderer(corpus).themablad(sheet)
    assert "Versie 2.1" in plain and "1 maart 2026" in plain
    assert "geschiedenis van dit item" not in plain
    linked = Renderer(corpus, history_url="https://git.intranet.example/kompas/-/commits/main/{path}")
    html = linked.themablad(sheet)
    assert 'href="https://git.intranet.example/kompas/-/commits/main/themabladen/geweld.yaml"' in html
    fragment = linked.fragment(
        "wijzigingen", "wijzigingen/", wijzigingen=recent_changes(corpus), feed="wijzigingen.xml"
    )
    assert "https://git.intranet.example/kompas/-/commits/main/modules/beraad.yaml" in fragment
