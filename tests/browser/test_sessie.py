"""The session page (sessie/, issue 16): compose, print and present a team session.

Built starter site, inspected as files and driven in the system Chromium: the selection in
the address and in localStorage, browser printing compared with the PDF deck of the same
cards (page count, sheet of every card, no overflowing text), the printed dilemma page, the
presenter view with a module's time boxes, and the links from sheet and module pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdf
import pytest
from markupsafe import escape

from lib.project import ROOT  # noqa: E402
from macros.cli.commands import main as cli_main
from macros.content.validate import validate_corpus
from macros.printing import cards
from macros.render import print_html, session

# Every card of the print view: does its text fit its boxes? The flowing text must not be
# taller than its box, and on a front the context must end above the question at the bottom.
OVERFLOW = """() => {
  const problems = [];
  for (const card of document.querySelectorAll('[data-druk] .kaart, .kompas-druk .kaart')) {
    const id = card.querySelector('.voet .id').textContent;
    const flow = card.querySelector('.stroom');
    if (flow.scrollHeight > flow.clientHeight + 1) problems.push(id + ': tekst hoger dan de kaart');
    const question = flow.querySelector('.vraag');
    const before = question && question.previousElementSibling;
    if (question && before && before.getBoundingClientRect().bottom > question.getBoundingClientRect().top + 1)
      problems.push(id + ': context loopt onder de vraag');
    for (const line of card.querySelectorAll('.label, .ecli')) {
      if (line.scrollWidth > line.clientWidth + 1) problems.push(id + ': regel te breed: ' + line.textContent);
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def corpus():
    return validate_corpus(ROOT).corpus


@pytest.fixture(scope="module")
def index(starter_site):
    return json.loads((starter_site / "sessie" / "dilemmas.json").read_text(encoding="utf-8"))


def open_session(chromium, base: str, query: str = "", **options):
    context = chromium.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "sessie/" + query)
    page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
    return context, page, errors


def wait_print(page):
    page.wait_for_selector('[data-kompas-sessie][data-drukstatus="klaar"]')


def selected(page) -> list[str]:
    return page.eval_on_selector_all("[data-gekozen] [data-id]", "items => items.map(i => i.dataset.id)")


# -- the built files ----------------------------------------------------------------------
def test_index_lists_every_dilemma_with_its_facets(corpus, index):
    rows = {row[0]: row for row in index["dilemmas"]}
    assert list(rows) == [item.id for item in corpus.dilemmas]
    sheets = [sheet_id for sheet_id, _ in index["themabladen"]]
    modules = [module[0] for module in index["modules"]]
    for item in corpus.dilemmas:
        row = rows[item.id]
        assert row[1] == item.titel
        assert [sheets[i] for i in row[2]] == [s for s in item.themabladen if s in corpus.themablad]
        assert [index["kernwaarden"][i][0] for i in row[3]] == list(item.kernwaarden)
        assert [index["doelgroepen"][i][0] for i in row[4]] == list(item.doelgroep)
        expected = sorted(m.id for m in corpus.modules if item.id in m.alle_dilemmas)
        assert sorted(modules[i] for i in row[5]) == expected
        assert index["bronsoorten"][row[6]][0] == corpus.herkomst(item)
        assert [index["onderwerpen"][i][0] for i in row[7]] == [o for o in item.onderwerpen if o in corpus.onderwerp]
    timed = {module[0]: module[3] for module in index["modules"] if module[3]}
    uur = corpus.module["moreel-beraad-in-een-uur"]
    assert timed["moreel-beraad-in-een-uur"] == [[part.titel, part.duur] for part in uur.onderdelen]


def test_card_pieces_are_the_deck_cards(corpus, starter_site):
    """One card template: each piece holds exactly the front and back the PDF deck renders
    for that dilemma (same macros, same size steps), only without a position class."""
    deck = cards.deck_html(corpus, corpus.dilemmas, "a4")
    for item in corpus.dilemmas:
        piece = json.loads((starter_site / session.fragment_path(item.id)).read_text(encoding="utf-8"))
        assert piece["id"] == item.id
        for side in ("voor", "achter"):
            in_deck = re.search(
                rf'<article class="kaart {side} [^"]*">(?:(?!</article>).)*<span class="merk" '
                rf'id="{side}-{re.escape(item.id)}">.*?</article>',
                deck,
                re.S,
            )
            in_piece = re.search(rf'<article class="kaart {side} [^"]*">.*?</article>', piece["html"], re.S)
            assert in_deck and in_piece, (item.id, side)
            strip = lambda text: re.sub(r'(class="kaart [a-z]+ stap-\d+)[^"]*"', r'\1"', text)  # noqa: E731
            assert strip(in_piece.group(0)) == strip(in_deck.group(0)), (item.id, side)
        assert f'<h2 class="kompas-dia__titel" id="dia-{item.id}">{escape(item.titel)}</h2>' in piece["html"]


def test_scoped_stylesheet_is_the_deck_stylesheet(starter_site):
    css = (starter_site / session.STYLESHEET).read_text(encoding="utf-8")
    assert css == session.site_stylesheet()
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    for rule in rules:
        if rule.type == "qualified-rule":
            for selector in session._selectors(rule.prelude):
                assert re.match(r"#kompas-druk\.kompas-druk--a[45]\b", selector), selector
        elif rule.lower_at_keyword == "page":
            assert tinycss2.serialize(rule.prelude).strip() in ("kompas-a4", "kompas-a5")
    for formaat in cards.FORMATEN:
        # every declaration block of the deck stylesheet is in the site stylesheet
        for rule in tinycss2.parse_stylesheet(cards.stylesheet(formaat), skip_whitespace=True, skip_comments=True):
            if rule.type == "qualified-rule":
                assert tinycss2.serialize(rule.content) in css
    assert "file:" not in css and 'url("../fonts/Lato-Regular.ttf")' in css
    for name in ("Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf", "Lato-Black.ttf"):
        assert (starter_site / "assets" / "fonts" / name).is_file()


def test_scoping():
    scoped = session.scope_stylesheet(
        "html, body { margin: 0; } .x .y { color: red; } @page { size: A4; }"
        ".a:is(.b, .c) > p, .d { color: blue; } @media print { .e { color: #000; } }",
        "a5",
        "f",
    )
    assert "#kompas-druk.kompas-druk--a5 { margin: 0; }" in scoped
    assert "#kompas-druk.kompas-druk--a5 .x .y { color: red; }" in scoped
    assert "@page kompas-a5 { size: A4; }" in scoped
    assert "#kompas-druk.kompas-druk--a5 .a:is(.b, .c) > p, #kompas-druk.kompas-druk--a5 .d { color: blue; }" in scoped
    assert "@media print {\n#kompas-druk.kompas-druk--a5 .e { color: #000; }\n}" in scoped
    with pytest.raises(ValueError):
        session.scope_stylesheet("@import url(x.css);", "a4", "f")


def test_links_to_the_session_page(corpus, starter_site):
    for sheet in corpus.themabladen:
        items = [d.id for d in corpus.dilemmas_van(sheet.id)]
        text = (starter_site / "themabladen" / sheet.id / "index.html").read_text(encoding="utf-8")
        if items:
            assert f'href="../../sessie/?kaarten={",".join(items)}">Gebruik in een sessie</a>' in text
    for module in corpus.modules:
        items = [i for i in module.alle_dilemmas if i in corpus.dilemma]
        text = (starter_site / "modules" / module.id / "index.html").read_text(encoding="utf-8")
        if items:
            assert (
                f'href="../../sessie/?kaarten={",".join(items)}&amp;module={module.id}">Gebruik in een sessie</a>'
                in text
            )
    kaarten = (starter_site / "kaarten" / "index.html").read_text(encoding="utf-8")
    assert 'href="../sessie/"' in kaarten and "kompas kaarten" not in kaarten
    nav = (starter_site / "index.html").read_text(encoding="utf-8")
    assert "Sessie samenstellen" in nav and 'href="sessie/"' in nav
    page = (starter_site / "sessie" / "index.html").read_text(encoding="utf-8")
    # the sheets the script fills: the deck's slots (backs mirrored) and, on A4 fronts, its cut marks
    front = re.search(r'<template data-vel="a4-voorkanten">(.*?)</template>', page, re.S).group(1)
    assert [f"snij-{n}" in front for n in range(7)] == [True] * len(print_html.cut_marks()) + [False]
    back = re.search(r'<template data-vel="a4-achterkanten">(.*?)</template>', page, re.S).group(1)
    assert "snij" not in back
    layout = cards.layout_a4([object()] * 4)
    for sheet, html_text in zip(layout, (front, back)):
        assert f'data-plekken="{" ".join(slot.plek for slot in sheet.slots)}"' in html_text
    assert 'id="voorbereiden"' in page and "Een teamsessie voorbereiden" in page
    assert "100 %" in page and "lange kant" in page and "achtergrondafbeeldingen" in page and "Chromium" in page
    assert "kompas " not in page.split('id="voorbereiden"', 1)[1].split("</article>", 1)[0]  # no command line


# -- selection --------------------------------------------------------------------------
def test_selection_from_address_order_unknown_and_reload(chromium, served_starter_site, index):
    ids = [row[0] for row in index["dilemmas"]]
    wanted = [ids[3], ids[0], ids[5]]
    context, page, errors = open_session(
        chromium, served_starter_site, "?kaarten=" + ",".join([wanted[0], "bestaat-niet", *wanted[1:]])
    )
    try:
        assert selected(page) == wanted
        message = page.locator("[data-melding]")
        assert message.is_visible() and "bestaat-niet" in message.inner_text()
        assert page.inner_text("[data-telling]") == "3 kaarten gekozen."
        checked = page.eval_on_selector_all("[data-lijst] input:checked", "boxes => boxes.map(b => b.value)")
        assert sorted(checked) == sorted(wanted)
        assert page.url.endswith("?kaarten=" + ",".join(wanted))
        # reload without the address: localStorage keeps the selection and its order
        page.goto(served_starter_site + "sessie/")
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        assert selected(page) == wanted
        assert page.get_attribute("[data-deellink]", "href") == "./?kaarten=" + ",".join(wanted)
        # the share link opens the same selection for someone else (a new browser profile)
        other = chromium.new_context()
        try:
            second = other.new_page()
            second.goto(served_starter_site + "sessie/" + page.get_attribute("[data-deellink]", "href")[2:])
            second.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
            assert selected(second) == wanted
        finally:
            other.close()
        assert not errors
    finally:
        context.close()


def test_filters_and_shortcuts(chromium, served_starter_site, corpus):
    context, page, errors = open_session(chromium, served_starter_site)
    try:
        total = len(corpus.dilemmas)
        assert page.locator("[data-lijst] li").count() == total
        item = corpus.dilemmas[2]
        page.fill("#sessie-zoek", item.titel.split()[-1].upper())
        titles = page.eval_on_selector_all("[data-lijst] .kompas-sessie__titel", "e => e.map(x => x.textContent)")
        assert item.titel in titles and len(titles) < total
        page.fill("#sessie-zoek", "")
        sheet = next(s for s in corpus.themabladen if corpus.dilemmas_van(s.id))
        page.select_option("#sessie-themablad", sheet.id)
        titles = page.eval_on_selector_all("[data-lijst] .kompas-sessie__titel", "e => e.map(x => x.textContent)")
        assert titles == [d.titel for d in corpus.dilemmas_van(sheet.id)]
        page.click('[data-alle="themablad"]')
        assert selected(page) == [d.id for d in corpus.dilemmas_van(sheet.id)]
        page.select_option("#sessie-themablad", "")
        page.click("[data-wissen]")
        module = corpus.module["moreel-beraad-in-een-uur"]
        page.select_option("#sessie-filtermodule", module.id)
        page.click('[data-alle="module"]')
        assert selected(page) == list(module.alle_dilemmas)
        page.select_option("#sessie-filtermodule", "")
        page.select_option("#sessie-kernwaarde", "moedig")
        page.select_option("#sessie-doelgroep", "leidinggevende")
        titles = page.eval_on_selector_all("[data-lijst] .kompas-sessie__titel", "e => e.map(x => x.textContent)")
        assert titles == [
            d.titel for d in corpus.dilemmas if "moedig" in d.kernwaarden and "leidinggevende" in d.doelgroep
        ]
        page.select_option("#sessie-kernwaarde", "")
        page.select_option("#sessie-doelgroep", "")
        kinds = {corpus.herkomst(d) for d in corpus.dilemmas}
        assert len(kinds) >= 2  # the starter content has dilemmas from the sources and the editors' own
        for kind in kinds:
            page.select_option("#sessie-bron", kind)
            titles = page.eval_on_selector_all("[data-lijst] .kompas-sessie__titel", "e => e.map(x => x.textContent)")
            assert titles == [d.titel for d in corpus.dilemmas if corpus.herkomst(d) == kind]
        page.select_option("#sessie-bron", "")
        for topic in corpus.onderwerpen:  # a dilemma on an onderwerp (no themablad) is found by its onderwerp
            page.select_option("#sessie-onderwerp", topic.id)
            titles = page.eval_on_selector_all("[data-lijst] .kompas-sessie__titel", "e => e.map(x => x.textContent)")
            assert titles == [d.titel for d in corpus.dilemmas if topic.id in d.onderwerpen]
        if corpus.onderwerpen:
            page.select_option("#sessie-onderwerp", "")
        assert not errors
    finally:
        context.close()


# -- printing ---------------------------------------------------------------------------
def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("formaat", ["a4", "a5"])
def test_browser_print_matches_the_pdf_deck(formaat, chromium, served_starter_site, corpus, tmp_path):
    """The print view of a selection in the address has the pages of `kompas kaarten --id …`
    for the same cards: same page count and page size, every card's title and id on the
    same page, and no card's text overflows its box."""
    chosen = [item.id for item in corpus.dilemmas[:6]]
    reference = tmp_path / "kaarten.pdf"
    args = ["kaarten", "--uit", str(reference), "--formaat", formaat]
    for item_id in chosen:
        args += ["--id", item_id]
    assert cli_main(args) == 0
    query = "?kaarten=" + ",".join(chosen) + ("&formaat=a5" if formaat == "a5" else "")
    context, page, errors = open_session(chromium, served_starter_site, query)
    try:
        wait_print(page)
        page.emulate_media(media="print")
        assert page.evaluate(OVERFLOW) == []
        printed = tmp_path / "browser.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True)
    finally:
        context.close()
    assert not errors
    expected, actual = pypdf.PdfReader(reference), pypdf.PdfReader(printed)
    assert len(actual.pages) == len(expected.pages) == cards.page_count(len(chosen), formaat)
    for mine, theirs in zip(actual.pages, expected.pages):
        assert abs(float(mine.mediabox.width) - float(theirs.mediabox.width)) < 1
        assert abs(float(mine.mediabox.height) - float(theirs.mediabox.height)) < 1
    assert fonts(printed) <= {"Lato-Regular", "Lato-Bold", "Lato-Black", "Lato-Italic"}
    assert {"Lato-Regular", "Lato-Bold", "Lato-Black"} <= fonts(printed)
    ours, reference_pages = pdf_pages(printed), pdf_pages(reference)
    for item_id in chosen:
        item = corpus.dilemma[item_id]
        title = squash(item.titel)
        on_ref = [n for n, text in enumerate(reference_pages) if title in squash(text) and item_id in squash(text)]
        on_ours = [n for n, text in enumerate(ours) if title in squash(text) and item_id in squash(text)]
        assert on_ours == on_ref and len(on_ours) == 1, (item_id, on_ours, on_ref)
    # card positions: the id in each card's footer (front and back) is where the PDF has it
    ours_at, reference_at = id_positions(printed, chosen), id_positions(reference, chosen)
    assert sorted(ours_at) == sorted(reference_at) and len(ours_at) == 2 * len(chosen)
    for key, (x, y) in reference_at.items():
        assert abs(ours_at[key][0] - x) < 2 and abs(ours_at[key][1] - y) < 2, (key, ours_at[key], (x, y))


def id_positions(path: Path, ids) -> dict[tuple[int, str], tuple[float, float]]:
    """(page, card id) -> (x, y) in pt of the card id's footer line on that page."""
    found = {}
    for number, page in enumerate(pypdf.PdfReader(path).pages):

        def visit(text, cm, tm, font, size, number=number):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            for item_id in ids:
                if text.strip() == item_id:
                    found[(number, item_id)] = (x, y)

        page.extract_text(visitor_text=visit)
    return found


def test_every_card_fits_in_the_browser(chromium, served_starter_site, corpus):
    """All cards of the starter content, in both formats, fit their boxes in Chromium; and
    the check sees a card that does not fit."""
    every = ",".join(item.id for item in corpus.dilemmas)
    for query in ("?kaarten=" + every, "?kaarten=" + every + "&formaat=a5"):
        context, page, errors = open_session(chromium, served_starter_site, query)
        try:
            wait_print(page)
            page.emulate_media(media="print")
            assert page.locator("[data-druk] .kaart").count() == 2 * len(corpus.dilemmas)
            assert page.evaluate(OVERFLOW) == []
            page.evaluate("""() => { const p = document.querySelector('[data-druk] .kaart.voor .context');
                                     p.textContent = p.textContent.repeat(4); }""")
            problems = page.evaluate(OVERFLOW)
            assert problems and all(p.startswith(corpus.dilemmas[0].id + ":") for p in problems), problems
            assert not errors
        finally:
            context.close()


def test_printed_dilemma_page_is_its_card(chromium, served_starter_site, corpus, tmp_path):
    """A dilemma page prints as the A5 deck of its one card: front page, back page."""
    item = corpus.dilemmas[0]
    reference = tmp_path / "kaart.pdf"
    assert cli_main(["kaarten", "--uit", str(reference), "--formaat", "a5", "--id", item.id]) == 0
    page = chromium.new_page()
    try:
        page.goto(served_starter_site + f"dilemmas/{item.id}/")
        assert not page.locator(".kompas-druk").is_visible()  # on screen the page shows its own card
        page.emulate_media(media="print")
        page.evaluate("() => { void document.body.offsetHeight; return document.fonts.ready.then(() => true); }")
        assert page.evaluate(OVERFLOW) == []
        printed = tmp_path / "pagina.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True)
    finally:
        page.close()
    ours, theirs = pypdf.PdfReader(printed), pypdf.PdfReader(reference)
    assert len(ours.pages) == len(theirs.pages) == 2
    assert abs(float(ours.pages[0].mediabox.width) - float(theirs.pages[0].mediabox.width)) < 1
    front = squash(ours.pages[0].extract_text())
    assert squash(item.titel) in front and item.id in front
    assert "Hulpvragen".upper() in ours.pages[1].extract_text()
    assert "Gerelateerd" not in front and "Uitspraken" not in front  # only the card, not the page
    assert fonts(printed) == {
        "Lato-Regular",
        "Lato-Bold",
        "Lato-Black",
        "Lato-Italic",
    }  # the card font, loaded to print


def fonts(path: Path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


# -- presenting ---------------------------------------------------------------------------
def test_presenter_with_time_boxes(chromium, served_starter_site, corpus):
    """The presenter with a module's time plan: each step a slide (issue 28), the module's cards after
    the opening step (no step names them), the clock of the current step."""
    module = corpus.module["moreel-beraad-in-een-uur"]
    query = "?kaarten=" + ",".join(module.alle_dilemmas) + "&module=" + module.id
    context, page, errors = open_session(chromium, served_starter_site, query, viewport={"width": 1280, "height": 720})
    try:
        page.click("[data-presenteren]")
        dialog = page.locator("[data-presentatie]")
        dialog.wait_for(state="visible")
        assert page.eval_on_selector("[data-dia] .kompas-dia", "e => getComputedStyle(e).animationName") != "none"
        steps = module.onderdelen
        assert page.inner_text("[data-dia] .kompas-dia__titel") == steps[0].titel
        assert page.inner_text("[data-positie]") == f"Stap 1 van {len(steps)}"
        assert page.inner_text("[data-stap]") == steps[0].titel
        assert page.inner_text("[data-stap-minuten]") == str(steps[0].duur)
        assert steps[1].titel in page.inner_text("[data-volgende-stap]")
        page.keyboard.press("ArrowRight")
        first = corpus.dilemma[module.alle_dilemmas[0]]
        assert page.inner_text("[data-dia] .kompas-dia__titel") == first.titel
        assert page.inner_text("[data-positie]") == f"Kaart 1 van {len(module.alle_dilemmas)}"
        size = page.eval_on_selector(
            "[data-dia] .kompas-dia__situatie", "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert size >= 32
        page.wait_for_function("() => document.querySelector('[data-aankondiging]').textContent.includes('Kaart 1')")
        assert not page.locator("[data-dia] .kompas-dia__hulpvragen").is_visible()
        page.keyboard.press("h")
        assert page.locator("[data-dia] .kompas-dia__hulpvragen").is_visible()
        assert first.hulpvragen[0] in page.inner_text("[data-dia] .kompas-dia__hulpvragen")
        page.keyboard.press("k")
        kader = corpus.themablad[first.themabladen[0]].kader
        shown = page.inner_text("[data-dia] .kompas-dia")  # the visible text only
        if "deel 1 van 2" in page.inner_text("[data-positie]"):  # help questions and frame: on two parts
            page.keyboard.press("ArrowRight")
            shown += page.inner_text("[data-dia] .kompas-dia")
        assert kader[0] in shown and first.hulpvragen[-1] in shown
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.hasAttribute('data-presenteren')")
        assert not errors
    finally:
        context.close()


# A long card on the projector (smaller type, two columns, a next part; never a scroll bar) is
# tested in tests/browser/test_sessie_presentatie.py, as is the clock (pause, next step).
