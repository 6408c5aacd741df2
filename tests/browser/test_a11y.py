"""Accessibility: axe-core (from npm, pinned in tests/a11y/package-lock.json) in the
system Chromium over the built starter site, for the WCAG 2.0 and 2.1 A and AA rules.

Which page runs in which setting:
every page in the light and the dark colour scheme, at desktop width (1280 px) and at
320 px, the smallest width WCAG 1.4.10 asks for. For a quick local run,
KOMPAS_A11Y=snel checks one page of every page type (same template, same stylesheets) in
the dark scheme and at 320 px; CI always runs everything.

`make test` installs axe-core with `npm ci` (Makefile rule for tests/a11y/node_modules).
"""

from __future__ import annotations

import os
import re

import pytest

from lib.browser import RUN_AXE, TAGS, site_pages

SETTINGS = {  # name -> (colour scheme, viewport width)
    "licht": ("light", 1280),
    "donker-320": ("dark", 320),
    "donker": ("dark", 1280),
    "licht-320": ("light", 320),
}
ALL_PAGES_IN = {"licht"}


def page_type(url: str) -> str:
    """A page's type: its first path segment plus the depth (item pages vs overviews)."""
    parts = [p for p in url.split("/") if p]
    return "/".join([parts[0] if parts else "", str(len(parts))])


def pages_for(setting: str, urls: list[str]) -> list[str]:
    if setting in ALL_PAGES_IN or os.environ.get("KOMPAS_A11Y") != "snel" or os.environ.get("CI") == "true":
        return urls
    seen: dict[str, str] = {}
    for url in urls:
        seen.setdefault(page_type(url), url)
    return sorted(seen.values())


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_no_wcag_violations(setting, chromium, starter_site, served_starter_site, axe_source):
    scheme, width = SETTINGS[setting]
    urls = pages_for(setting, site_pages(starter_site))
    assert len(urls) >= 5
    context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    context.add_init_script(script=axe_source)
    page = context.new_page()
    failures = []
    try:
        for url in urls:
            page.goto(served_starter_site + url)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected, url
            for violation in page.evaluate(RUN_AXE, TAGS):
                failures.append(
                    f"{url or '/'}: {violation['id']} ({violation['help']})\n      "
                    + "\n      ".join(violation["nodes"])
                )
    finally:
        context.close()
    assert not failures, f"{len(failures)} overtreding(en):\n" + "\n".join(failures)


def test_axe_finds_a_seeded_violation(chromium, served_starter_site, axe_source):
    """The harness can fail: an image without alt text and an unnamed link are reported."""
    page = chromium.new_page()
    try:
        page.goto(served_starter_site)
        page.add_script_tag(content=axe_source)
        page.evaluate("""() => {
          const article = document.querySelector('article');
          article.insertAdjacentHTML('beforeend', '<img src="x.png"><a href="#"><span></span></a>');
        }""")
        ids = {v["id"] for v in page.evaluate(RUN_AXE, TAGS)}
    finally:
        page.close()
    assert {"image-alt", "link-name"} <= ids


def test_every_page_is_dutch(starter_site):
    """`<html lang="nl">` on every page, the 404 page included."""
    pages = sorted(starter_site.rglob("*.html"))
    assert pages
    wrong = [
        p.relative_to(starter_site).as_posix()
        for p in pages
        if not re.search(r"<html[^>]*\blang=\"nl\"", p.read_text(encoding="utf-8"))
    ]
    assert not wrong


def test_accessibility_statement_is_published(starter_site):
    page = starter_site / "toegankelijkheid" / "index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "axe-core" in text and "WCAG 2.1" in text
    assert "schermlezer" in text  # says what automated tests cannot cover
    home = (starter_site / "index.html").read_text(encoding="utf-8")
    assert 'href="toegankelijkheid/"' in home  # reachable from every page (nav)
