"""The built site: real builds from fixture content, inspected with selectors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lib.project import build_project, make_project
from macros.site.build import BuildFailed
from macros.site.linkcheck import check_site

SHEET_SECTIONS = [
    "inleiding",
    "kader",
    "dilemmas",
    "casuistiek",
    "richtlijnen",
    "wetgeving",
    "gerelateerd",
    "modules",
    "hulpvragen",
    "routes",
    "bronnen",
]


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def content(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


def test_every_item_has_a_page(fixture_site):
    for url in [
        "themabladen/vrije-tijd",
        "themabladen/geweld",
        "dilemmas/joint",
        "dilemmas/stil-houden",
        "uitspraken/ECLI-NL-CRVB-2014-3729",
        "uitspraken/ECLI-NL-CRVB-2017-3167",
        "modules/beraad",
        "modules/masterclass",
        "modules/leerlijn",
        "dilemmas/kernwaarde/moedig",
        "dilemmas/doelgroep/leidinggevende",
        "dilemmas/herkomst/uit-de-bronnen",
        "dilemmas/herkomst/voorbeeld-van-de-redactie",
        "onderwerpen/voor-iedereen",
        "onderwerpen",
        "dilemmas/grap-in-de-app",
        "modules/gesprek",
        "melden-en-hulp",
    ]:
        assert (fixture_site / url / "index.html").is_file(), url


def test_sheet_page_sections_in_order(fixture_site):
    soup = page(fixture_site, "themabladen/vrije-tijd")
    main = content(soup)
    assert main.h1.get_text(strip=True) == "Gedrag in vrije tijd"
    assert [h["id"] for h in main.find_all("h2")] == SHEET_SECTIONS
    assert "Themablad 5 bij de beroepscode: Gedrag in vrije tijd" in main.get_text()
    assert [li.get_text(strip=True) for li in main.select(".kompas-kader li")] == [
        "Ik gebruik geen drugs, ook niet in mijn vrije tijd.",
        "Ik bespreek geldzorgen op tijd met mijn leidinggevende.",
    ]
    # Markdown in the introduction is rendered.
    assert main.select_one(".kompas-tekst strong").get_text() == "in gesprek"


def test_sheet_page_casuistiek_links_and_note(fixture_site):
    main = content(page(fixture_site, "themabladen/vrije-tijd"))
    section = main.find("h2", id="casuistiek").find_next_sibling("div")
    assert "geen antwoord op een dilemma" in section.get_text()
    ecli = section.select_one("a.kompas-ecli")
    assert ecli["href"] == "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:CRVB:2017:3167"
    assert ecli.get_text() == "ECLI:NL:CRVB:2017:3167"


def test_sheet_page_dilemmas_related_modules_and_footer(fixture_site):
    main = content(page(fixture_site, "themabladen/vrije-tijd"))
    dilemmas = main.find("h2", id="dilemmas").find_next_sibling("div")
    assert dilemmas.select_one("a")["href"] == "../../dilemmas/joint/"
    related = main.find("h2", id="gerelateerd").find_next_sibling("div")
    assert related.select_one("a")["href"] == "../geweld/"
    modules = main.find("h2", id="modules").find_next_sibling("div")
    assert "Masterclass leren in plaats van oordelen" in modules.get_text()
    help_questions = [li.get_text() for li in main.select(".kompas-hulpvragen li")]
    assert "Wat helpt om ze concreet te maken?" in help_questions
    footer = main.select_one(".kompas-beheer").get_text(" ", strip=True)
    assert "Versie 1.0" in footer and "1 november 2026" in footer and "1 november 2099" in footer
    placeholder = main.find("h2", id="richtlijnen").find_next_sibling("div")
    assert "intranetadres volgt" in placeholder.get_text() and placeholder.find("a") is None


def test_law_links_only_with_bwb(tmp_path):
    project = make_project(tmp_path / "p")
    registry = project / "content" / "wetgeving.yaml"
    registry.write_text(registry.read_text().replace("afkorting: Barp", "afkorting: Barp\n    bwb: BWBR0000001"))
    site = build_project(project)
    main = content(page(site, "themabladen/vrije-tijd"))
    link = main.find("h2", id="wetgeving").find_next_sibling("div").find("a")
    assert link["href"] == "https://wetten.overheid.nl/jci1.3:c:BWBR0000001&artikel=76"
    assert link.get_text() == "Art. 76 lid 2 Barp"
    other = content(page(site, "themabladen/geweld")).find("h2", id="wetgeving").find_next_sibling("div")
    assert other.find("a") is None and "Art. 1 Ambtsinstructie" in other.get_text()


def test_dilemma_page(fixture_site):
    main = content(page(fixture_site, "dilemmas/stil-houden"))
    card = main.select_one("article.kompas-kaart")
    assert card.select_one(".kompas-vraag").get_text(strip=True) == "Hoe ga je hiermee om?"
    assert card.select_one(".kompas-situatie").get_text().startswith("Na een aanhouding")
    assert [li.get_text() for li in card.select(".kompas-kaart__achterkant ul li")] == [
        "Waarom zouden collega's dit adviseren?"
    ]
    labels = [s.get_text() for s in card.select(".kompas-label--kernwaarde")]
    assert labels == ["Moedig", "Betrouwbaar"]
    # separate words in the text (search index, screen readers, copying), not "MoedigBetrouwbaar"
    assert card.select_one(".kompas-labels").get_text().split() == ["Moedig", "Betrouwbaar"]
    assert "Medewerkers" in card.get_text()
    assert card.select_one(".kompas-kaart__id").get_text() == "Kaart stil-houden"
    sheets = main.find("h2", id="themabladen").find_next_sibling("div")
    assert sheets.find("a")["href"] == "../../themabladen/geweld/"
    assert main.find("h2", id="uitspraken").find_next_sibling("div").select_one("a.kompas-ecli")


def test_ruling_page_back_links(fixture_site):
    main = content(page(fixture_site, "uitspraken/ECLI-NL-CRVB-2014-3729"))
    assert "Centrale Raad van Beroep" in main.select_one(".kompas-soortlabel").get_text()
    cited = main.find("h2", id="aangehaald").find_next_sibling("div")
    hrefs = [a["href"] for a in cited.find_all("a")]
    assert hrefs == ["../../themabladen/geweld/", "../../dilemmas/stil-houden/"]


def test_agenda_table_with_clock_times_from_the_start_time(fixture_site):
    main = content(page(fixture_site, "modules/masterclass"))
    rows = main.select("table.kompas-agenda tbody tr")
    starts = [r.find("td").get_text() for r in rows]
    assert starts == ["13:30", "14:30", "14:45", "16:00"]  # the last row is the end
    assert "start om 13:30" in main.select_one("table.kompas-agenda caption").get_text()
    facilitator = rows[0].select_one("aside.kompas-facilitator")
    assert facilitator is not None and "Houd het tempo hoog." in facilitator.get_text()
    assert "Houd het tempo hoog." not in rows[0].find_all("td")[2].find("p").get_text()


def test_module_facts_mark_the_editors_proposals(fixture_site):
    facts = content(page(fixture_site, "modules/masterclass")).select_one("dl.kompas-feiten")
    values = {dt.get_text(): dd.get_text(" ", strip=True) for dt, dd in zip(facts.find_all("dt"), facts.find_all("dd"))}
    assert values["Deelnemers"] == "12–16 (voorstel van de redactie)"
    assert values["Duur"] == "2 uur 30 min (voorstel van de redactie)"
    plain = content(page(fixture_site, "modules/beraad")).select_one("dl.kompas-feiten")
    assert "voorstel" not in plain.get_text()


def test_steps_numbered_with_time_boxes(fixture_site):
    main = content(page(fixture_site, "modules/beraad"))
    steps = main.select("ol.kompas-stappen > li")
    assert [s.h3.contents[0].strip() for s in steps] == ["Introductie", "Casus"]
    assert [s.select_one(".kompas-tijdvak").get_text() for s in steps] == ["10 min", "50 min"]
    assert (
        steps[0]
        .select_one("aside.kompas-facilitator")
        .get_text(" ", strip=True)
        .endswith("Benoem de vertrouwelijkheid.")
    )


def test_learning_line_matrix(fixture_site):
    main = content(page(fixture_site, "modules/leerlijn"))
    table = main.select_one("table.kompas-matrix")
    header = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert header[1:] == ["Q1", "Q2", "Q3 portfolio", "Q4", "Q5", "Q6", "Q7", "Q8 portfolio"]
    first = table.select("tbody tr")[0]
    marks = ["●" in td.get_text() for td in first.find_all("td")]
    assert marks == [True, True, True, False, False, False, False, False]
    assert [dt.get_text() for dt in main.select(".kompas-portfoliolijst dt")] == ["Q3", "Q8"]


def test_overviews(fixture_site):
    sheets = content(page(fixture_site, "themabladen"))
    assert [a.get_text() for a in sheets.select("table.kompas-overzicht td a")] == [
        "Gedrag in vrije tijd",
        "Gebruik van geweld",
    ]
    dilemmas = content(page(fixture_site, "dilemmas"))
    assert [h["id"] for h in dilemmas.find_all("h2")] == ["vrije-tijd", "geweld", "onderwerp-voor-iedereen"]
    assert dilemmas.select_one('.kompas-filters a[href="kernwaarde/moedig/"]')
    rulings = content(page(fixture_site, "jurisprudentie"))
    assert rulings.find("h2").get_text(strip=True).startswith("Centrale Raad van Beroep")
    assert "Aangehaald in" in rulings.select_one("#ECLI-NL-CRVB-2014-3729").get_text()
    laws = content(page(fixture_site, "wetgeving"))
    barp = laws.find("h2", id="barp").find_next_sibling("div")
    assert "Art. 76 lid 2 Barp" in barp.get_text() and barp.find("a", href="../themabladen/vrije-tijd/")
    modules = content(page(fixture_site, "modules"))
    assert [h["id"] for h in modules.find_all("h2")] == ["leerlijn", "masterclass", "moreel-beraad", "gespreksvorm"]
    group = content(page(fixture_site, "dilemmas/kernwaarde/moedig"))
    assert [a.get_text() for a in group.select(".kompas-dilemma > a")] == ["Collega's adviseren te zwijgen"]


SOURCES = {  # page -> its sources as the Bronnen section lists them (bronnen in tests/fixtures/corpus)
    "themabladen/geweld": ["Themablad 6 bij de beroepscode: Gebruik van geweld"],
    "themabladen/vrije-tijd": ["Themablad 5 bij de beroepscode: Gedrag in vrije tijd"],
    "dilemmas/stil-houden": ["Themablad 6 bij de beroepscode: Gebruik van geweld"],
    "dilemmas/joint": ["Eigen tekst van de redactie Bedacht bij het themablad Gedrag in vrije tijd; geen echte zaak."],
    "uitspraken/ECLI-NL-CRVB-2014-3729": ["Themablad 6 bij de beroepscode: Gebruik van geweld"],
    "modules/beraad": ["Eigen tekst van de redactie Algemene methode: De dilemmamethode."],
    "modules/masterclass": ["Eigen tekst van de redactie Eigen voorstel voor een middag."],
    "modules/leerlijn": ["Integriteit in de leerlijn van PO21"],
    "modules/gesprek": [
        "Handreiking bij een signaal (Voorbeelduitgever, juni 2023)",
        "Eigen tekst van de redactie De stappen zijn van de redactie.",
    ],
    "onderwerpen/voor-iedereen": [
        "Handreiking bij een signaal (Voorbeelduitgever, juni 2023)",
        "Jaarbeeld 2022 (2022)",
    ],
}


@pytest.mark.parametrize("url", SOURCES)
def test_item_page_lists_its_sources_above_the_footer(fixture_site, url):
    main = content(page(fixture_site, url))
    section = main.find("h2", id="bronnen").find_next_sibling("div")
    assert [li.get_text(" ", strip=True) for li in section.select("li.kompas-bron")] == SOURCES[url]
    # the editors' own text is always called so, whatever the register's title
    for li in section.select("li.kompas-bron--redactie"):
        assert li.select_one(".kompas-bron__titel").get_text() == "Eigen tekst van de redactie"
    footer = main.select_one(".kompas-voet .kompas-beheer")
    assert footer.get_text(" ", strip=True).startswith("Versie ")
    assert [h.get("id") for h in main.find_all("h2") if h.get("id")][-1] == "bronnen"  # last before the footer


def test_dilemma_overview_filters_on_origin(fixture_site):
    filters = content(page(fixture_site, "dilemmas")).select_one(".kompas-filters")
    origin = next(p for p in filters.find_all("p") if p.get_text().startswith("Per herkomst"))
    assert [(a["href"], a.get_text()) for a in origin.find_all("a")] == [
        ("herkomst/uit-de-bronnen/", "Uit de bronnen"),
        ("herkomst/voorbeeld-van-de-redactie/", "Voorbeeld van de redactie"),
    ]
    assert "Uit de bronnen (1)" in origin.get_text() and "Voorbeeld van de redactie (2)" in origin.get_text()
    sources = page(fixture_site, "dilemmas/herkomst/uit-de-bronnen")
    assert sources.title.get_text().startswith("Dilemma's: uit de bronnen")
    assert [a["href"] for a in content(sources).select(".kompas-dilemma > a")] == ["../../stil-houden/"]
    own = content(page(fixture_site, "dilemmas/herkomst/voorbeeld-van-de-redactie"))
    assert [a["href"] for a in own.select(".kompas-dilemma > a")] == ["../../grap-in-de-app/", "../../joint/"]
    assert "geen officiële tekst" in own.get_text()


def test_origin_filter_follows_the_sources_of_each_dilemma(tmp_path):
    project = make_project(tmp_path / "p")
    joint = project / "content" / "dilemmas" / "joint.yaml"
    own_example = "  - bron: redactie\n"
    published = "  - bron: themablad-5-gedrag-in-vrije-tijd\n"
    assert own_example in joint.read_text(encoding="utf-8")
    joint.write_text(joint.read_text(encoding="utf-8").replace(own_example, published), encoding="utf-8")
    site = build_project(project)
    sources = content(page(site, "dilemmas/herkomst/uit-de-bronnen"))
    assert [a["href"] for a in sources.select(".kompas-dilemma > a")] == ["../../stil-houden/", "../../joint/"]
    own = content(page(site, "dilemmas/herkomst/voorbeeld-van-de-redactie"))
    assert [a["href"] for a in own.select(".kompas-dilemma > a")] == ["../../grap-in-de-app/"]
    assert content(page(site, "dilemmas/joint")).select_one("li.kompas-bron").get_text(" ", strip=True) == (
        "Themablad 5 bij de beroepscode: Gedrag in vrije tijd Bedacht bij het themablad Gedrag in vrije tijd; "
        "geen echte zaak."
    )


def test_an_editors_sheet_is_not_presented_as_a_sheet_of_the_beroepscode(tmp_path):
    project = make_project(tmp_path / "p")
    sheet = project / "themabladen" / "vrije-tijd.yaml"
    text = sheet.read_text(encoding="utf-8")
    published = "  - bron: themablad-5-gedrag-in-vrije-tijd\n"
    assert published in text
    sheet.write_text(text.replace(published, "  - bron: redactie\n"), encoding="utf-8")
    main = content(page(build_project(project), "themabladen/vrije-tijd"))
    assert (
        main.select_one(".kompas-soortlabel").get_text(strip=True) == "Themablad van de redactie: Gedrag in vrije tijd"
    )
    assert "bij de beroepscode" not in main.get_text()
    assert main.select_one("li.kompas-bron").get_text(strip=True) == "Eigen tekst van de redactie"


def test_page_description_is_text_not_markup(tmp_path):
    """The theme writes the summary into <meta name="description"> unescaped; a quote must not end the attribute."""
    project = make_project(tmp_path / "p")
    sheet = project / "themabladen" / "vrije-tijd.yaml"
    summary = 'Ook " autofocus onfocus="alert(1) x=" buiten dienst & daarna, 3 > 2'
    text = sheet.read_text(encoding="utf-8")
    assert "\nsamenvatting:" in text
    sheet.write_text(re.sub(r"(?m)^samenvatting:.*$", "samenvatting: " + json.dumps(summary), text), encoding="utf-8")
    soup = page(build_project(project), "themabladen/vrije-tijd")
    [meta] = soup.find_all("meta", attrs={"name": "description"})
    assert meta.attrs == {"name": "description", "content": summary}


def test_home_page_is_dutch_and_links_onward(fixture_site):
    soup = page(fixture_site, "")
    assert soup.html["lang"] == "nl"
    text = content(soup).get_text()
    assert "Een themablad gebruiken in je team" in text and "Waar begin ik?" in text
    assert content(soup).select_one('a.kompas-tegel[href="themabladen/"]')


def test_no_template_syntax_in_any_page(fixture_site):
    for html in fixture_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, html


def test_no_outside_resources_and_no_broken_links(fixture_site):
    assert check_site(fixture_site) == []
    for html in fixture_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="([^"]+)"', text):
            assert not re.match(r"(https?:)?//", match.group(1)), (html, match.group(1))


def test_generated_pages_are_not_all_in_the_sidebar(fixture_site):
    nav = page(fixture_site, "themabladen/vrije-tijd").select_one("nav.md-nav--primary")
    assert "Een joint tegen de pijn" not in nav.get_text()


def test_sheet_page_size_does_not_grow_with_the_corpus(tmp_path):
    small = build_project(make_project(tmp_path / "small"))
    project = make_project(tmp_path / "large")
    template = (project / "content/dilemmas/stil-houden.yaml").read_text()
    for index in range(40):
        (project / f"content/dilemmas/extra-{index}.yaml").write_text(
            template.replace("id: stil-houden", f"id: extra-{index}")
        )
    large = build_project(project)
    before = (small / "themabladen/vrije-tijd/index.html").stat().st_size
    after = (large / "themabladen/vrije-tijd/index.html").stat().st_size
    assert before == after


def test_content_html_is_sanitised(tmp_path):
    project = make_project(tmp_path / "p")
    sheet = project / "themabladen/vrije-tijd.yaml"
    original = sheet.read_text()
    # a link that is no web address is refused before anything is built (TEKST-LINK, issue 31)...
    sheet.write_text(
        original.replace(
            "  Dit blad helpt om daarover **in gesprek** te gaan.",
            "  <script>alert(1)</script> [klik](javascript:alert(2)) <img src=x onerror=alert(3)>",
        )
    )
    with pytest.raises(BuildFailed) as refused:
        build_project(project)
    assert "themabladen/vrije-tijd.yaml:10:" in str(refused.value) and "TEKST-LINK" in str(refused.value)
    # ...and the HTML that validation lets through is made harmless in the page
    sheet.write_text(
        original.replace(
            "  Dit blad helpt om daarover **in gesprek** te gaan.",
            "  <script>alert(1)</script> <b onmouseover=alert(3)>vet</b> <style>p{}</style>",
        )
    )
    site = build_project(project)
    intro = content(page(site, "themabladen/vrije-tijd")).select_one(".kompas-tekst")
    assert intro.find("script") is None and intro.find("style") is None
    assert "onmouseover" not in str(intro) and "vet" in intro.get_text()


# -- failing builds: clear messages, old site kept ---------------------------------------
@pytest.fixture
def built_project(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    marker = project / "site" / "index.html"
    return project, marker.read_bytes()


def _fails(project: Path, expected: str, good: bytes) -> None:
    with pytest.raises(BuildFailed) as error:
        build_project(project)
    assert expected in str(error.value)
    assert (project / "site" / "index.html").read_bytes() == good, "the last good site must stay"
    assert not list(project.glob(".site-*")), "no temporary build left behind"


def test_broken_link_fails(built_project):
    project, good = built_project
    (project / "content/pages/kernwaarden.md").write_text("# K\n\n[weg](bestaat-niet.md)\n")
    _fails(project, "bestaat-niet.md", good)


def test_broken_anchor_fails(built_project):
    project, good = built_project
    (project / "content/pages/kernwaarden.md").write_text("# K\n\n[weg](wetgeving.md#geen-anker)\n")
    _fails(project, "geen-anker", good)


def test_validator_error_fails_with_the_cli_diagnostic(built_project):
    project, good = built_project
    path = project / "content/dilemmas/joint.yaml"
    lines = path.read_text().replace("themabladen: [vrije-tijd]", "themabladen: [bestaat-niet]").splitlines()
    path.write_text("\n".join(lines) + "\n")
    line = next(i for i, text in enumerate(lines, 1) if "bestaat-niet" in text)
    _fails(project, f"content/dilemmas/joint.yaml:{line}:15: VERWIJZING-THEMABLAD fout", good)


def test_failing_macro_fails(built_project):
    project, good = built_project
    (project / "content/pages/kernwaarden.md").write_text("# K\n\n{{ bestaat_niet() }}\n")
    _fails(project, "bestaat_niet", good)


def test_broken_link_in_generated_html_fails(built_project, monkeypatch):
    project, good = built_project
    from macros.render import render

    original = render.page_url
    monkeypatch.setattr(
        render, "page_url", lambda kind, item_id: original(kind, item_id).replace("dilemmas/", "dilema/")
    )
    _fails(project, "doel bestaat niet", good)


def test_cli_build_failure_is_readable(built_project):
    import subprocess
    import sys

    project, good = built_project
    path = project / "content/dilemmas/joint.yaml"
    path.write_text(path.read_text().replace("titel: Een joint", "titell: Een joint"))
    kompas = Path(sys.executable).with_name("kompas")
    result = subprocess.run([str(kompas), "bouw", "--map", str(project)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "SCHEMA-ONBEKEND-VELD" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert (project / "site" / "index.html").read_bytes() == good


def test_reference_to_a_whole_regulation(tmp_path):
    project = make_project(tmp_path / "p")
    sheet = project / "themabladen/geweld.yaml"
    sheet.write_text(
        sheet.read_text().replace("  - wet: ambtsinstructie\n    artikel: 1\n", "  - wet: ambtsinstructie\n")
    )
    registry = project / "content" / "wetgeving.yaml"
    registry.write_text(
        registry.read_text().replace("afkorting: Ambtsinstructie", "afkorting: Ambtsinstructie\n    bwb: BWBR0000002")
    )
    site = build_project(project)
    link = content(page(site, "themabladen/geweld")).find("h2", id="wetgeving").find_next_sibling("div").find("a")
    assert link.get_text() == "Ambtsinstructie"
    assert link["href"] == "https://wetten.overheid.nl/BWBR0000002"


def test_card_decks_are_built_and_linked(fixture_site):
    main = content(page(fixture_site, "themabladen/vrije-tijd"))
    links = main.select(".kompas-kaartenlink a")
    assert [a["href"] for a in links] == [
        "../../kaarten/themablad-vrije-tijd-a4.pdf",
        "../../kaarten/themablad-vrije-tijd-a5.pdf",
    ]
    for name in [
        "themablad-vrije-tijd-a4.pdf",
        "themablad-vrije-tijd-a5.pdf",
        "dilemmakaarten-a4.pdf",
        "module-masterclass-a4.pdf",
        "module-beraad-a5.pdf",
    ]:
        assert (fixture_site / "kaarten" / name).read_bytes().startswith(b"%PDF"), name
    module = content(page(fixture_site, "modules/masterclass"))
    assert module.select_one('.kompas-kaartenlink a[href="../../kaarten/module-masterclass-a4.pdf"]')
    overview = content(page(fixture_site, "kaarten"))
    hrefs = [a["href"] for a in overview.select("a[download]")]
    assert "dilemmakaarten-a4.pdf" in hrefs and "themablad-geweld-a5.pdf" in hrefs
    assert "module-leerlijn-a4.pdf" in hrefs


def test_cards_can_be_switched_off(tmp_path):
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  kompas:\n", "  kompas:\n    kaarten: false\n"))
    site = build_project(project)
    assert not (site / "kaarten" / "dilemmakaarten-a4.pdf").exists()
    assert content(page(site, "themabladen/vrije-tijd")).select_one(".kompas-kaartenlink") is None


def test_shared_navigation_gives_the_same_pages(tmp_path, monkeypatch):
    """Pages outside the navigation reuse the rendered navigation and tabs of their folder
    (macros.site.adapter.shared_fragment); every page must be byte-identical to rendering it per page."""
    import macros.site.adapter

    project = make_project(tmp_path / "project")
    shared = build_project(project, tmp_path / "shared")
    assert {key[2] for key in macros.site.adapter.STATE.shared} >= {"dilemmas", "themabladen", "uitspraken", "modules"}
    monkeypatch.setattr(macros.site.adapter, "SHARE_NAVIGATION", False)
    unshared = build_project(project, tmp_path / "unshared")
    pages = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*.html"))
    assert pages == sorted(p.relative_to(unshared).as_posix() for p in unshared.rglob("*.html"))
    assert len(pages) > 20
    for rel in pages:
        assert (shared / rel).read_bytes() == (unshared / rel).read_bytes(), rel
    # the shared navigation is the real one: it links back to the overviews, relative to the page's folder
    nav = page(shared, "dilemmas/joint").select_one("nav.md-nav--primary")
    assert nav.select_one('a[href="../"]') is not None  # dilemmas/ seen from dilemmas/joint/
    nav = page(shared, "uitspraken/ECLI-NL-CRVB-2014-3729").select_one("nav.md-nav--primary")
    assert nav.select_one('a[href="../../dilemmas/"]') is not None
