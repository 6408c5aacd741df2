"""The draaiboek of any selection and "Sessie downloaden" (issue 28, items 5-7), in Chromium.

The session page of the built starter site, with no request leaving 127.0.0.1; the downloaded
file opened from disk with the network off and every request but the file itself aborted.
What each proves:
- the session page offers the draaiboek of the chosen cards and time plan; its print view has
  the cards and the steps and nothing of the page around it;
- the download is one file that, from disk and offline, shows the three cards, presents the
  first, prints them (a PDF of two A4 pages: fronts and backs), names its version and the day it
  was made, refers to nothing outside itself and raises no page error;
- the version is mike's (versions.json of a published site), "ontwikkelversie" without it;
- a card whose text holds "</script>", "<!--" and U+2028 comes through intact;
- the fonts in the file hold only the characters the file uses;
- axe-core finds nothing in the file, nor in its presenter; the session page and the draaiboek
  page keep the site's Content-Security-Policy while drafting and downloading.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from lib.browser import RUN_AXE, TAGS, open_recorded
from lib.project import ROOT
from lib.sessie_browser import local_context, open_session, rewrite_piece, watch
from macros.content.validate import validate_corpus
from macros.harness.browser import serve

VIEW = {"width": 1280, "height": 800}
HOSTILE = "</script><!-- \u2028 <script>alert(1)</script>"


@pytest.fixture(scope="module")
def corpus():
    return validate_corpus(ROOT).corpus


@pytest.fixture(scope="module")
def three(corpus):
    return [item.id for item in corpus.dilemmas[:3]]


def download(page, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click("[data-downloaden]")
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    page.wait_for_selector('[data-kompas-sessie][data-downloadstatus="klaar"]')
    return target


def open_file(browser, path: Path, init_script: str | None = None, **options):
    """The saved file from disk, the network off and every request but the file itself aborted.
    A JavaScript dialog (alert) would be a script from the content: it counts as a page error."""
    context = browser.new_context(offline=True, **options)
    if init_script:
        context.add_init_script(script=init_script)
    requests: list[str] = []

    def only_the_file(route):
        requests.append(route.request.url)
        if route.request.url.split("#")[0] == path.as_uri():
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors = watch(page)
    page.on("dialog", lambda dialog: (errors.append("dialoog: " + dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready")
    return context, page, errors, requests


def settle(page) -> None:
    """Wait until no animation runs (polled: the file's policy refuses wait_for_function's eval)."""
    for _ in range(100):
        if page.evaluate("() => document.getAnimations().every(a => a.playState !== 'running')"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("de animaties stoppen niet")


def pdf_text(path: Path) -> list[str]:
    """The text of each page, without white space and with ligatures (ﬂ) as their letters."""
    return [
        re.sub(r"\s+", "", unicodedata.normalize("NFKC", page.extract_text() or ""))
        for page in pypdf.PdfReader(path).pages
    ]


# -- 5. a draaiboek for any selection ----------------------------------------------------------
def test_the_session_page_offers_the_draaiboek_of_the_selection(chromium, served_starter_site, corpus, three, tmp_path):
    module = corpus.module["masterclass-operationeel-leidinggevenden"]
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(three))
        page.select_option("[data-tijdschema]", module.id)
        link = page.get_by_role("link", name="Draaiboek van deze sessie")
        assert link.get_attribute("href") == "draaiboek/?kaarten=" + ",".join(three) + "&module=" + module.id
        link.click()
        page.wait_for_selector('[data-kompas-draaiboek][data-klaar="ja"]')
        errors += watch(page)
        draaiboek = page.locator(".kompas-draaiboek")
        text = draaiboek.inner_text()
        assert module.titel in page.inner_text(".kompas-draaiboek__titel")
        for part in module.onderdelen:
            assert part.titel in text
            if part.facilitator:
                assert " ".join(part.facilitator.split()[:5]) in " ".join(text.split())
        for item_id in three:
            item = corpus.dilemma[item_id]
            assert item.titel in text and item.hulpvragen[0] in text
        assert page.locator(".kompas-draaiboek__agenda tbody tr").count() == len(module.onderdelen)
        assert page.locator(".kompas-draaiboek__agenda td").first.inner_text() == "9:00"
        # the print view: its own print stylesheet, only the draaiboek, A4
        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", "[data-printen]", ".kompas-draaiboekpagina__uitleg"):
            assert not page.locator(hidden).first.is_visible(), hidden
        printed = tmp_path / "draaiboek.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True)
        pages = pdf_text(printed)
        reader = pypdf.PdfReader(printed)
        assert abs(float(reader.pages[0].mediabox.width) - 595.3) < 2  # A4
        whole = "".join(pages)
        for part in module.onderdelen:
            assert re.sub(r"\s+", "", part.titel) in whole
        for item_id in three:
            assert re.sub(r"\s+", "", corpus.dilemma[item_id].titel) in whole
        assert "Terugnaarjesessie" not in whole and "Zoeken" not in whole
        # back to the session, with the same selection
        page.emulate_media(media="screen")
        page.get_by_role("link", name="Terug naar je sessie").click()
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        assert page.input_value("[data-tijdschema]") == module.id
        assert not errors and not blocked
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_a_filled_draaiboek(scheme, chromium, served_starter_site, three, axe_source):  # noqa: F811
    context, blocked = local_context(chromium, viewport=VIEW, color_scheme=scheme)
    context.add_init_script(script=axe_source)
    try:
        page = context.new_page()
        errors = watch(page)
        page.goto(
            served_starter_site
            + "sessie/draaiboek/?kaarten="
            + ",".join(three)
            + "&module=masterclass-operationeel-leidinggevenden"
        )
        page.wait_for_selector('[data-kompas-draaiboek][data-klaar="ja"]')
        page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        failures = [f"{v['id']} ({v['help']}): " + "; ".join(v["nodes"]) for v in page.evaluate(RUN_AXE, TAGS)]
        assert not errors and not blocked
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_a_draaiboek_without_a_schedule(chromium, served_starter_site, corpus, three):
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page = context.new_page()
        errors = watch(page)
        page.goto(served_starter_site + "sessie/draaiboek/?kaarten=" + ",".join(three) + ",bestaat-niet")
        page.wait_for_selector('[data-kompas-draaiboek][data-klaar="ja"]')
        assert page.locator(".kompas-draaiboek__agenda").count() == 0
        titles = page.eval_on_selector_all(".kompas-draaiboek__kaarttitel", "e => e.map(x => x.textContent)")
        assert titles == [corpus.dilemma[i].titel for i in three]
        assert "bestaat-niet" in page.inner_text("[data-melding]")
        assert not errors and not blocked
    finally:
        context.close()


# -- 6. Sessie downloaden ----------------------------------------------------------------------
def test_the_download_is_one_file_that_works_offline(chromium, served_starter_site, corpus, three, tmp_path):
    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(three))
        saved = download(page, tmp_path)
        assert not errors and not blocked
    finally:
        context.close()
    html = saved.read_text(encoding="utf-8")
    assert re.fullmatch(r"kompas-sessie-\d{4}-\d{2}-\d{2}\.html", saved.name)
    # no reference outside the file: no linked file, no remote address, every URL a data: URL or a #fragment
    assert not re.search(r"<(link|iframe|object|embed|base)\b", html, re.I)
    assert len(re.findall(r"<script\b", html)) == 1 and not re.search(r"<script[^>]*\bsrc=", html)
    for attribute, value in re.findall(r'\b(src|href|action|srcset|poster)="([^"]*)"', html):
        assert value.startswith(("data:", "#")), (attribute, value[:80])
    for value in re.findall(r"url\(\s*['\"]?([^'\")]*)", html):
        assert value.startswith("data:"), value[:80]
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # the QR codes' SVG namespace
    assert "127.0.0.1" not in html

    context, page, errors, requests = open_file(chromium, saved, viewport=VIEW)
    try:
        assert set(requests) == {saved.as_uri()}
        assert page.evaluate("navigator.onLine") is False
        # it shows the three cards
        fronts = page.eval_on_selector_all("[data-druk] .kaart.voor .titel", "e => e.map(x => x.textContent)")
        assert fronts == [corpus.dilemma[i].titel for i in three]
        assert page.locator("[data-druk] .kaart.voor").first.is_visible()
        # the four faces of the card font load from the file (Chromium's font sanitiser accepts the subsets)
        faces = page.evaluate("""() => Promise.all(['400 1em', 'italic 400 1em', '700 1em', '900 1em'].map(
            face => document.fonts.load(face + ' "Kompas Lato"').then(found => found.map(f => f.status))))""")
        assert faces == [["loaded"]] * 4
        # it names its version and when it was made
        origin = page.inner_text(".kompas-bestand__herkomst")
        assert "ontwikkelversie" in origin and "Gemaakt op" in origin
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", page.get_attribute("time", "datetime"))
        # its draaiboek
        assert [corpus.dilemma[i].titel for i in three] == page.eval_on_selector_all(
            ".kompas-draaiboek__kaarttitel", "e => e.map(x => x.textContent)"
        )
        # it presents the first card
        page.click('[data-bestand="presenteren"]')
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert page.inner_text("[data-positie]") == "Kaart 1 van 3"
        assert page.inner_text("[data-dia] .kompas-dia__titel") == corpus.dilemma[three[0]].titel
        assert not page.locator("[data-tijd]").is_visible()
        page.keyboard.press("ArrowRight")
        page.reload()  # and opens at the same card again
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert page.inner_text("[data-positie]") == "Kaart 2 van 3"
        page.keyboard.press("Escape")
        page.locator("[data-presentatie]").wait_for(state="hidden")
        # it prints the cards: one A4 sheet of fronts and one of backs. The button asks the browser
        # to print (headless Chromium has no print dialog: the call is counted, page.pdf prints)
        page.evaluate("() => { window.print = () => { window.__printen = (window.__printen || 0) + 1; }; }")
        page.click('[data-bestand-printen="kaarten"]')
        assert page.evaluate("window.__printen") == 1
        assert page.evaluate("document.documentElement.dataset.afdruk") == "kaarten"
        printed = tmp_path / "kaarten.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True)
        pages = pdf_text(printed)
        assert len(pages) == 2
        for item_id in three:
            assert re.sub(r"\s+", "", corpus.dilemma[item_id].titel) in pages[0]
            assert item_id in pages[1]
        assert "Gebruiken" not in "".join(pages)
        # and the draaiboek, after its button
        page.click('[data-bestand-printen="draaiboek"]')
        assert page.evaluate("[window.__printen, document.documentElement.dataset.afdruk]") == [2, "draaiboek"]
        page.pdf(path=str(tmp_path / "draaiboek.pdf"), prefer_css_page_size=True)
        draaiboek = "".join(pdf_text(tmp_path / "draaiboek.pdf"))
        assert "Dilemma'smethulpvragen" in draaiboek and "KOMPAS·DILEMMA" not in draaiboek.upper().replace(" ", "")
        assert set(requests) == {saved.as_uri()}
        assert not errors
    finally:
        context.close()


def test_the_download_keeps_the_time_plan(chromium, served_starter_site, corpus, three, tmp_path):
    module = corpus.module["moreel-beraad-in-een-uur"]
    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page, errors = open_session(
            context, served_starter_site, "?kaarten=" + ",".join(three) + "&module=" + module.id + "&formaat=a5"
        )
        # a step whose text links to the intranet (Markdown allows it): in the file it is text, not a link
        page.route(
            f"**/sessie/methoden/{module.id}.json",
            lambda route: rewrite_piece(
                route,
                lambda html: html.replace(
                    '<div class="kompas-dia__situatie" data-blokken>',
                    '<div class="kompas-dia__situatie" data-blokken><p><a href="https://intranet.example/beraad">de handleiding</a></p>',
                    1,
                ),
            ),
        )
        saved = download(page, tmp_path)
        assert not errors and not blocked
    finally:
        context.close()
    html = saved.read_text(encoding="utf-8")
    assert "https://intranet.example/beraad" in html and "href=\"https:" not in html
    assert "de handleiding (https://intranet.example/beraad)" in html
    context, page, errors, requests = open_file(chromium, saved, viewport={"width": 1280, "height": 720})
    try:
        assert "A5" in page.inner_text('[data-bestand="formaat"]')
        assert page.locator("[data-druk].kompas-druk--a5 .vel").count() == 2 * len(three)
        page.click('[data-bestand="presenteren"]')
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert page.inner_text("[data-stap]") == module.onderdelen[0].titel
        titles = [page.inner_text("[data-dia] .kompas-dia__titel")]
        while not page.locator("[data-volgende]").is_disabled():
            page.keyboard.press("ArrowRight")
            titles.append(page.inner_text("[data-dia] .kompas-dia__titel"))
        cards = [corpus.dilemma[i].titel for i in three]
        assert titles == [module.onderdelen[0].titel, *cards, *(part.titel for part in module.onderdelen[1:])]
        assert set(requests) == {saved.as_uri()} and not errors
    finally:
        context.close()


def test_the_version_comes_from_mikes_versions_list(chromium, starter_site, tmp_path):
    """Served as mike publishes it (<root>/2.0/ and <root>/versions.json), the file says "versie 2.0"."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "2.0").symlink_to(starter_site, target_is_directory=True)
    (root / "versions.json").write_text(
        '[{"version": "2.0", "title": "2.0", "aliases": ["latest"]}, '
        '{"version": "1.0", "title": "1.0", "aliases": []}]',
        encoding="utf-8",
    )
    base, stop = serve(root)
    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page, errors = open_session(context, base + "2.0/", "?kaarten=" + starter_ids(starter_site)[0])
        saved = download(page, tmp_path)
        assert not errors and not blocked
    finally:
        context.close()
        stop()
    html = saved.read_text(encoding="utf-8")
    assert "met Kompas, <span data-bestand=\"versie\">versie 2.0</span>" in html
    assert "ontwikkelversie" not in html


def starter_ids(site: Path) -> list[str]:
    import json

    return [row[0] for row in json.loads((site / "sessie" / "dilemmas.json").read_text(encoding="utf-8"))["dilemmas"]]


def test_a_card_with_script_text_survives_the_download(chromium, served_starter_site, corpus, three, tmp_path):
    """Text that would end a script, open a comment or break a JavaScript line is escaped in the
    file's script and arrives intact: in the card, the draaiboek, the presenter and the data."""
    target = three[1]

    def hostile(html: str) -> str:
        html = re.sub(
            r'(<h2 class="kompas-dia__titel"[^>]*>)', lambda m: m.group(1) + "&lt;/script&gt;&lt;!-- \u2028 ", html
        )
        html = re.sub(r'(<h2 class="titel">)', lambda m: m.group(1) + "&lt;/script&gt;&lt;!-- \u2028 ", html)
        return re.sub(
            r'(<p class="kompas-dia__context">)',
            lambda m: m.group(1) + HOSTILE.replace("<", "&lt;").replace(">", "&gt;") + " ",
            html,
        )

    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page = context.new_page()
        errors = watch(page)
        page.route(f"**/sessie/kaarten/{target}.json", lambda route: rewrite_piece(route, hostile))
        page.goto(served_starter_site + "sessie/?kaarten=" + ",".join(three))
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        saved = download(page, tmp_path)
        assert not errors and not blocked
    finally:
        context.close()
    html = saved.read_text(encoding="utf-8")
    assert html.lower().count("<script") == 1 and html.lower().count("</script") == 1
    inside = html.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "<!--" not in inside and "\u2028" not in inside and "</script" not in inside.lower()
    assert "\\u003c/script\\u003e\\u003c!-- \\u2028 " in inside  # the title, escaped in the session data
    title = "</script><!-- \u2028 " + corpus.dilemma[target].titel
    context, page, errors, requests = open_file(chromium, saved, viewport=VIEW)
    try:
        assert page.locator("script").count() == 1
        data = page.evaluate("window.KOMPAS_SESSIE")
        assert [card["titel"] for card in data["kaarten"]][1] == title
        assert page.evaluate("document.body.textContent").count(HOSTILE) >= 1  # the situation, in the draaiboek
        fronts = page.eval_on_selector_all("[data-druk] .kaart.voor .titel", "e => e.map(x => x.textContent)")
        assert fronts[1] == title
        page.click('[data-bestand="presenteren"]')
        page.locator("[data-presentatie]").wait_for(state="visible")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.querySelector('[data-dia] .kompas-dia__titel').textContent") == title
        assert not errors and set(requests) == {saved.as_uri()}
    finally:
        context.close()


def test_the_fonts_hold_only_the_characters_of_the_file(chromium, served_starter_site, three, starter_site, tmp_path):
    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + three[0])
        saved = download(page, tmp_path)
        assert not errors and not blocked
    finally:
        context.close()
    html = saved.read_text(encoding="utf-8")
    fonts = re.findall(
        r'font-weight: (\d+); font-style: (\w+); src: url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\)', html
    )
    assert sorted((w, s) for w, s, _ in fonts) == [
        ("400", "italic"),
        ("400", "normal"),
        ("700", "normal"),
        ("900", "normal"),
    ]
    without_fonts = re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)
    used = {ord(c) for c in without_fonts} | {0xA0}
    build = __import__("json").loads((starter_site / "sessie" / "lettertypen.json").read_text(encoding="utf-8"))
    for _, _, data in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        cmap = font.getBestCmap()
        assert set(cmap) <= used
        assert {ord(c) for c in "Kompas"} <= set(cmap)
        glyf = font["glyf"]
        drawn = {name for name in font.getGlyphOrder() if glyf[name].numberOfContours != 0}
        assert len(drawn) <= len(set(cmap.values())) + 10  # components of accented letters, .notdef
        # the build's subset had more: characters the corpus holds but this file does not
        original = TTFont(io.BytesIO(base64.b64decode(next(iter(build["lettertypen"].values())))))
        assert len(original.getBestCmap()) > len(cmap)
        assert "GPOS" not in font and "fpgm" not in font


# -- 7. axe and the Content-Security-Policy -----------------------------------------------------
def test_axe_finds_nothing_in_the_downloaded_file(chromium, served_starter_site, corpus, three, tmp_path, axe_source):  # noqa: F811
    context, blocked = local_context(chromium, viewport=VIEW, accept_downloads=True)
    try:
        page, errors = open_session(
            context, served_starter_site, "?kaarten=" + ",".join(three) + "&module=moreel-beraad-in-een-uur"
        )
        saved = download(page, tmp_path)
    finally:
        context.close()
    failures = []
    for width in (1280, 320):
        context, page, errors, requests = open_file(
            chromium, saved, init_script=axe_source, viewport={"width": width, "height": 800}
        )
        try:
            failures += [
                f"{width} bestand: {v['id']} ({v['help']}): " + "; ".join(v["nodes"])
                for v in page.evaluate(RUN_AXE, TAGS)
            ]
            page.click('[data-bestand="presenteren"]')
            page.locator("[data-presentatie]").wait_for(state="visible")
            for key in ("", "ArrowRight", "h"):
                if key:
                    page.keyboard.press(key)
                settle(page)
                failures += [
                    f"{width} presentatie {key}: {v['id']} ({v['help']}): " + "; ".join(v["nodes"])
                    for v in page.evaluate(RUN_AXE, TAGS)
                ]
            assert not errors
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_drafting_and_downloading_keep_the_sites_policy(chromium, csp_site, three):  # noqa: F811
    context, page, console = open_recorded(chromium, accept_downloads=True)
    try:
        page.goto(csp_site + "sessie/?kaarten=" + ",".join(three) + "&module=moreel-beraad-in-een-uur")
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        with page.expect_download():
            page.click("[data-downloaden]")
        page.wait_for_selector('[data-kompas-sessie][data-downloadstatus="klaar"]')
        page.click("[data-presenteren]")
        page.locator("[data-presentatie]").wait_for(state="visible")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Escape")
        page.get_by_role("link", name="Draaiboek van deze sessie").click()
        page.wait_for_selector('[data-kompas-draaiboek][data-klaar="ja"]')
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert violations == [] and console == [], (violations, console)
