"""The session page (sessie/) with keyboard only, under axe-core and under the site's CSP.

- One keyboard-only run in Chromium: filter, select five cards, reorder one, open the print
  view, present, next card, show the hulpvragen, leave (issue 16, section 6).
- axe-core (WCAG 2.0/2.1 A and AA) on the session page with a selection and the print
  preview open, in the open presenter view, and on a sheet page with the new link; light,
  dark and 320 px.
- The Content-Security-Policy of docs/server.md holds while the page lists, prints and presents.
"""

from __future__ import annotations

import pytest

from lib.browser import RUN_AXE, TAGS, open_recorded

SETTINGS = {"licht": ("light", 1280), "donker": ("dark", 1280), "licht-320": ("light", 320)}


def tab_to(page, test: str, limit: int = 300) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``e``)."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!(e && ({test})); }})()"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Met Tab niet bereikt: {test}")


def selected(page) -> list[str]:
    return page.eval_on_selector_all("[data-gekozen] [data-id]", "items => items.map(i => i.dataset.id)")


def test_keyboard_only_session(chromium, served_starter_site):
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(served_starter_site + "sessie/")
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        total = page.locator("[data-lijst] li").count()
        # filter
        tab_to(page, "e.id === 'sessie-zoek'")
        page.keyboard.type("in")
        shown = page.locator("[data-lijst] li").count()
        assert 5 <= shown < total
        # select five cards
        for n in range(5):
            tab_to(page, "e.type === 'checkbox' && !e.checked")
            page.keyboard.press("Space")
        first_five = page.eval_on_selector_all("[data-lijst] input:checked", "b => b.map(x => x.value)")
        assert selected(page) == first_five and len(first_five) == 5
        # reorder: the first card one place down
        tab_to(page, "e.dataset.actie === 'neer'")
        page.keyboard.press("Enter")
        assert selected(page) == [first_five[1], first_five[0], *first_five[2:]]
        assert page.evaluate("document.activeElement.dataset.actie") == "neer"  # focus follows the card
        assert page.evaluate("document.activeElement.closest('[data-id]').dataset.id") == first_five[0]
        # Alt + arrow on its buttons moves it back up
        page.keyboard.press("Alt+ArrowUp")
        assert selected(page) == first_five
        # print view
        tab_to(page, "e.hasAttribute('data-voorbeeld')")
        page.keyboard.press("Enter")
        page.wait_for_selector('[data-kompas-sessie][data-drukstatus="klaar"]')
        assert page.locator("#sessie-druk").is_visible()
        assert page.locator("[data-druk] .vel").count() == 4  # five cards: two A4 sheets, fronts and backs
        assert page.get_attribute("[data-voorbeeld]", "aria-expanded") == "true"
        # present
        tab_to(page, "e.hasAttribute('data-presenteren')")
        page.keyboard.press("Enter")
        page.locator("[data-presentatie]").wait_for(state="visible")
        assert page.inner_text("[data-positie]") == "Kaart 1 van 5"
        page.keyboard.press("ArrowRight")
        assert page.inner_text("[data-positie]") == "Kaart 2 van 5"
        page.keyboard.press("h")
        assert page.locator("[data-dia] .kompas-dia__hulpvragen").is_visible()
        page.keyboard.press("Escape")
        page.locator("[data-presentatie]").wait_for(state="hidden")
        assert page.evaluate("document.activeElement.hasAttribute('data-presenteren')")
        assert page.url.endswith("?kaarten=" + ",".join(first_five))
        assert not errors
    finally:
        context.close()


def violations(page) -> list[str]:
    # let the theme's transitions end first (the back-to-top button fades in after a scroll)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    return [f"{v['id']} ({v['help']}): " + "; ".join(v["nodes"]) for v in page.evaluate(RUN_AXE, TAGS)]


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_axe_on_session_presenter_and_links(setting, chromium, served_starter_site, axe_source):  # noqa: F811
    scheme, width = SETTINGS[setting]
    context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
    context.add_init_script(script=axe_source)
    page = context.new_page()
    failures = []
    try:
        page.goto(served_starter_site + "themabladen/gedrag-in-vrije-tijd/")
        assert page.get_by_role("link", name="Gebruik in een sessie").count() == 1
        failures += [f"themablad: {v}" for v in violations(page)]
        page.get_by_role("link", name="Gebruik in een sessie").click()
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        assert page.locator("[data-gekozen] li").count() >= 1
        page.goto(page.url.replace("?kaarten=", "?kaarten=bestaat-niet,"))  # with the message about an unknown id
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        page.click("[data-voorbeeld]")
        page.wait_for_selector('[data-kompas-sessie][data-drukstatus="klaar"]')
        assert page.locator("[data-melding]").is_visible()
        failures += [f"sessie: {v}" for v in violations(page)]
        page.click("[data-presenteren]")
        page.locator("[data-presentatie]").wait_for(state="visible")
        page.keyboard.press("h")
        page.keyboard.press("k")
        failures += [f"presentatie: {v}" for v in violations(page)]
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_session_under_the_csp(chromium, csp_site):  # noqa: F811
    context, page, console = open_recorded(chromium)
    try:
        page.goto(csp_site + "modules/moreel-beraad-in-een-uur/")
        page.get_by_role("link", name="Gebruik in een sessie").click()
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
        assert page.locator("[data-gekozen] li").count() == 3
        assert page.input_value("[data-tijdschema]") == "moreel-beraad-in-een-uur"
        page.fill("#sessie-zoek", "collega")
        page.click("[data-voorbeeld]")
        page.wait_for_selector('[data-kompas-sessie][data-drukstatus="klaar"]')
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.fonts.check('700 12px \"Kompas Lato\"')")
        page.click("[data-presenteren]")
        page.locator("[data-presentatie]").wait_for(state="visible")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("k")
        page.keyboard.press("Escape")
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert violations == [] and console == [], (violations, console)
