"""The presenter of a team session, round two (issue 28, items 1-4 and 7), in Chromium.

Each test drives the real session page of the built starter site; no request may leave
127.0.0.1 (tests/browser/sessie_browser.py). What each proves:
- without a time plan: no clock, no Pauze, no Volgende stap, no step line; the cards and their count;
- with a time plan: every step a slide, the cards where the page's help says they go;
- a reload (and the browser loading the page again after sleep) opens the same slide, time and extras;
  a button brings back full screen; the step's time stands still while the page is hidden, and says so;
- the longest starter card with its help questions fits 1280x720 with no scroll bar or clipped text,
  and a longer card than any continues on a next part, in readable type;
- axe-core finds nothing in the presenter, with and without a time plan.
"""

from __future__ import annotations

import re

import pytest

from lib.browser import RUN_AXE, TAGS
from lib.project import ROOT
from lib.sessie_browser import MEASURE, local_context, longer, open_session, present, rewrite_piece
from macros.content.validate import validate_corpus

VIEW = {"width": 1280, "height": 720}
MINIMUM_TEXT, MINIMUM_EXTRA = 24, 22  # the readable minimum of the presenter (kompas-sessie.css)


@pytest.fixture(scope="module")
def corpus():
    return validate_corpus(ROOT).corpus


def dialog_text(page) -> str:
    return page.inner_text("[data-presentatie]")


def slide_title(page) -> str:
    return page.inner_text("[data-dia] .kompas-dia__titel")


def expected_slides(corpus, ids: list[str], module) -> list[str]:
    """The rule stated in the page's help, written out once more: a card a step of the method names
    follows the first step naming it; every other card follows the first step that names any
    dilemma, or the opening step when none does; within a step, the chosen order."""
    steps = module.onderdelen
    home: dict[str, int] = {}
    for i, step in enumerate(steps):
        for item_id in step.dilemmas:
            if item_id in ids:
                home.setdefault(item_id, i)
    free = next((i for i, step in enumerate(steps) if step.dilemmas), 0)
    order = []
    for i, step in enumerate(steps):
        order.append(step.titel)
        order += [corpus.dilemma[item_id].titel for item_id in ids if home.get(item_id, free) == i]
    return order


def walk(page) -> list[str]:
    """The title of every slide, from the first to the last (→)."""
    titles = [slide_title(page)]
    while not page.locator("[data-volgende]").is_disabled():
        page.keyboard.press("ArrowRight")
        titles.append(slide_title(page))
    return titles


# -- 1. without a time plan --------------------------------------------------------------------
def test_three_cards_without_a_schedule_show_no_timer_or_step(chromium, served_starter_site, corpus):
    ids = [item.id for item in corpus.dilemmas[:3]]
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(ids))
        assert page.input_value("[data-tijdschema]") == ""
        present(page)
        for selector in (
            "[data-tijd]",
            "[data-klok]",
            "[data-pauze]",
            "[data-overslaan]",
            "[data-stap]",
            "[data-volgende-stap]",
            "[data-toetsen-tijd]",
        ):
            assert not page.locator(selector).is_visible(), selector
        assert page.locator("[data-tijd]").evaluate("e => getComputedStyle(e).display") == "none"
        text = dialog_text(page)
        for word in ("Stap", "Pauze", "Volgende stap", "min", "nog", "P pauze"):  # whole words: 'minder' is fine
            assert not re.search(rf"\b{word}\b", text), word
        assert page.inner_text("[data-positie]") == "Kaart 1 van 3"
        assert slide_title(page) == corpus.dilemmas[0].titel
        page.keyboard.press("p")  # the time keys do nothing without a time plan
        page.keyboard.press("s")
        assert page.inner_text("[data-positie]") == "Kaart 1 van 3"
        assert walk(page) == [item.titel for item in corpus.dilemmas[:3]]
        assert page.inner_text("[data-positie]") == "Kaart 3 van 3"
        assert not page.locator("[data-tijd]").is_visible()
        assert not errors and not blocked
    finally:
        context.close()


# -- 2. steps as slides ------------------------------------------------------------------------
@pytest.mark.parametrize("module_id", ["masterclass-operationeel-leidinggevenden", "moreel-beraad-in-een-uur"])
def test_step_slides_appear_in_the_stated_order(module_id, chromium, served_starter_site, corpus):
    module = corpus.module[module_id]
    named = [item_id for part in module.onderdelen for item_id in part.dilemmas]
    free = next(item.id for item in corpus.dilemmas if item.id not in module.alle_dilemmas)
    # a free card first, then (when the method names them) a card of a later step and one of an earlier step
    ids = [
        free,
        *([named[-1], named[0]] if named else [item.id for item in corpus.dilemmas if item.id not in (free,)][:2]),
    ]
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(ids) + "&module=" + module_id)
        help_text = page.inner_text(".kompas-sessie__hulp")
        assert "Waar je kaarten komen" in help_text and "na de openingsstap" in help_text
        present(page)
        first = module.onderdelen[0]
        assert page.locator("[data-tijd]").is_visible()
        assert page.inner_text("[data-stap]") == first.titel
        assert page.inner_text("[data-stap-minuten]") == str(first.duur)
        slide = page.locator("[data-dia] .kompas-dia")
        assert f"{first.duur} min" in slide.inner_text()  # title, minutes and what the trainer says or asks
        if first.beschrijving or first.facilitator:
            said = (first.facilitator or first.beschrijving).split()[:4]
            assert " ".join(said) in " ".join(slide.inner_text().split())
        titles = walk(page)
        assert titles == expected_slides(corpus, ids, module)
        assert len(titles) == len(module.onderdelen) + len(ids)
        # at the last slide the time is that of the last step
        assert page.inner_text("[data-stap]") == module.onderdelen[-1].titel
        assert not errors and not blocked
    finally:
        context.close()


def test_the_timer_follows_the_steps_and_skips(chromium, served_starter_site, corpus):
    module = corpus.module["moreel-beraad-in-een-uur"]
    ids = list(module.alle_dilemmas)
    steps = module.onderdelen
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(ids) + "&module=" + module.id)
        present(page)
        start = page.inner_text("[data-klok]")
        page.wait_for_function("(s) => document.querySelector('[data-klok]').textContent !== s", arg=start)
        page.keyboard.press("p")
        paused = page.inner_text("[data-klok]")
        assert page.locator("[data-gepauzeerd]").is_visible()
        page.wait_for_timeout(1300)
        assert page.inner_text("[data-klok]") == paused
        page.keyboard.press("p")
        page.keyboard.press("ArrowRight")  # a card of the opening step: the same step's time
        assert page.inner_text("[data-stap]") == steps[0].titel
        page.keyboard.press("s")  # the slide of the next step, and its time
        assert slide_title(page) == steps[1].titel
        assert page.inner_text("[data-stap]") == steps[1].titel
        assert page.inner_text("[data-klok]") == f"{steps[1].duur}:00"
        page.keyboard.press("ArrowLeft")  # going back leaves the time alone
        assert slide_title(page) == corpus.dilemma[ids[-1]].titel
        assert page.inner_text("[data-stap]") == steps[1].titel
        page.keyboard.press("h")
        assert page.locator("[data-dia] .kompas-dia__hulpvragen").is_visible()
        page.keyboard.press("Escape")
        page.locator("[data-presentatie]").wait_for(state="hidden")
        assert page.evaluate("document.activeElement.hasAttribute('data-presenteren')")
        assert "#" not in page.url  # the place is forgotten when the presentation is closed
        assert not errors and not blocked
    finally:
        context.close()


# -- 3. reload keeps the place -----------------------------------------------------------------
def test_reload_opens_the_presenter_at_the_second_card(chromium, served_starter_site, corpus):
    ids = [item.id for item in corpus.dilemmas[:3]]
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + ",".join(ids))
        present(page)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("h")
        assert page.inner_text("[data-positie]") == "Kaart 2 van 3"
        page.reload()
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert page.inner_text("[data-positie]") == "Kaart 2 van 3"
        assert slide_title(page) == corpus.dilemmas[1].titel
        assert page.locator("[data-dia] .kompas-dia__hulpvragen").is_visible()
        # the browser gives full screen only after a click: after a reload a button offers it
        button = page.locator("[data-volledig]")
        assert button.is_visible() and page.evaluate("document.fullscreenElement") is None
        button.click()
        page.wait_for_function("document.fullscreenElement !== null")
        assert not button.is_visible()
        page.keyboard.press("ArrowRight")
        assert page.inner_text("[data-positie]") == "Kaart 3 van 3"
        assert not errors and not blocked
    finally:
        context.close()


def test_reload_keeps_the_step_and_its_time(chromium, served_starter_site, corpus):
    module = corpus.module["moreel-beraad-in-een-uur"]
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(
            context, served_starter_site, "?kaarten=" + ",".join(module.alle_dilemmas) + "&module=" + module.id
        )
        present(page)
        page.keyboard.press("s")
        page.keyboard.press("s")
        page.keyboard.press("p")
        left = page.inner_text("[data-klok]")
        title = slide_title(page)
        page.reload()
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert slide_title(page) == title == module.onderdelen[2].titel
        assert page.inner_text("[data-stap]") == module.onderdelen[2].titel
        assert page.inner_text("[data-klok]") == left
        assert page.locator("[data-gepauzeerd]").is_visible()
        assert not errors and not blocked
    finally:
        context.close()


def test_the_step_time_stands_still_while_the_page_is_hidden(chromium, served_starter_site, corpus):
    module = corpus.module["moreel-beraad-dilemmamethode"]  # a time plan without cards: its steps alone
    assert not module.alle_dilemmas
    context, blocked = local_context(chromium, viewport=VIEW)
    try:
        page, errors = open_session(context, served_starter_site, "?module=" + module.id)
        present(page)
        assert slide_title(page) == module.onderdelen[0].titel
        page.wait_for_function(
            f"document.querySelector('[data-klok]').textContent !== '{module.onderdelen[0].duur}:00'"
        )
        # the page is hidden (another window in front, the laptop asleep): the browser says so
        page.evaluate("""() => {
          Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
          Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
          document.dispatchEvent(new Event('visibilitychange'));
        }""")
        frozen = page.inner_text("[data-klok]")
        page.wait_for_timeout(2300)
        assert page.inner_text("[data-klok]") == frozen
        page.evaluate("""() => {
          delete document.hidden; delete document.visibilityState;
          document.dispatchEvent(new Event('visibilitychange'));
        }""")
        note = page.locator("[data-stilstand]")
        assert note.is_visible() and "stond stil" in note.inner_text()
        # the notice makes the time bar taller: the slide is laid out again and still fits
        page.wait_for_function(f"({MEASURE})().problems.length === 0")
        page.wait_for_function("(s) => document.querySelector('[data-klok]').textContent !== s", arg=frozen)
        page.wait_for_function("document.querySelector('[data-aankondiging]').textContent.includes('stond stil')")
        assert not errors and not blocked
    finally:
        context.close()


# -- 4. long cards on the projector ------------------------------------------------------------
def longest_card(corpus):
    """The starter card with the most text on a slide with its help questions shown."""
    return max(
        corpus.dilemmas,
        key=lambda d: len(d.titel) + len(d.context or "") + len(d.vraag or "") + sum(len(q) for q in d.hulpvragen),
    )


def test_the_longest_card_with_its_help_questions_fits_1280x720(chromium, served_starter_site, corpus):
    item = longest_card(corpus)
    context, blocked = local_context(chromium, viewport=VIEW, reduced_motion="reduce")
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + item.id)
        present(page)
        page.keyboard.press("h")
        measured = page.evaluate(MEASURE)
        assert (measured["width"], measured["height"]) == (1280, 720)
        assert measured["problems"] == []
        assert measured["positie"] == "Kaart 1 van 1"  # one slide, no continuation
        assert min(measured["situatie"]) >= MINIMUM_TEXT and min(measured["extra"]) >= MINIMUM_EXTRA
        shown = " ".join(measured["text"])
        for question in item.hulpvragen:
            assert question in shown
        assert item.context in shown
        assert not errors and not blocked
    finally:
        context.close()


@pytest.mark.parametrize("times", [(1, 2), (3, 2), (8, 3)], ids=["vragen-x2", "situatie-x3", "situatie-x8"])
def test_a_card_longer_than_any_never_scrolls(times, chromium, served_starter_site, corpus):
    """Longer than any starter card: smaller type, then two columns, then a next part; every part
    fits, nothing is clipped, the type stays readable and no text is lost."""
    item = longest_card(corpus)
    context, blocked = local_context(chromium, viewport=VIEW, reduced_motion="reduce")
    try:
        page, errors = open_session(context, served_starter_site, "?kaarten=" + item.id)
        page.route("**/sessie/kaarten/*.json", lambda route: rewrite_piece(route, lambda html: longer(html, *times)))
        page.goto(served_starter_site + "sessie/")  # a fresh page: nothing fetched yet
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        present(page)
        page.keyboard.press("h")
        parts = [page.evaluate(MEASURE)]
        while not page.locator("[data-volgende]").is_disabled():
            page.keyboard.press("ArrowRight")
            parts.append(page.evaluate(MEASURE))
        for part in parts:
            assert part["problems"] == [], part["positie"]
            assert min(part["situatie"]) >= MINIMUM_TEXT and min(part["extra"] or [MINIMUM_EXTRA]) >= MINIMUM_EXTRA
        shown = " ".join(" ".join(part["text"]) for part in parts)
        assert shown.count(item.hulpvragen[-1]) == times[1]
        if times == (1, 2):
            assert len(parts) == 1 and parts[0]["kolommen"] == "2"  # two columns are enough
        else:
            assert len(parts) >= 2 and parts[0]["positie"] == f"Kaart 1 van 1, deel 1 van {len(parts)}"
            assert shown.replace(" ", "").count(item.context.replace(" ", "")[:60]) >= 1
        # back through the parts to the first
        for _ in parts[1:]:
            page.keyboard.press("ArrowLeft")
        assert page.evaluate(MEASURE)["positie"] == parts[0]["positie"]
        assert not errors and not blocked
    finally:
        context.close()


# -- 7. axe --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["?kaarten={ids}", "?kaarten={ids}&module=moreel-beraad-in-een-uur"],
    ids=["zonder-tijdschema", "met-tijdschema"],
)
def test_axe_finds_nothing_in_the_presenter(query, chromium, served_starter_site, corpus, axe_source):  # noqa: F811
    ids = ",".join(item.id for item in corpus.dilemmas[:3])
    context, blocked = local_context(chromium, viewport=VIEW)
    context.add_init_script(script=axe_source)
    failures = []
    try:
        page, errors = open_session(context, served_starter_site, query.format(ids=ids))
        present(page)
        for key in ("", "ArrowRight", "h", "k"):
            if key:
                page.keyboard.press(key)
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            failures += [
                f"{key or 'start'}: {v['id']} ({v['help']}): " + "; ".join(v["nodes"])
                for v in page.evaluate(RUN_AXE, TAGS)
            ]
        assert not errors and not blocked
    finally:
        context.close()
    assert not failures, "\n".join(failures)
