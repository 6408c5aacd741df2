"""Content-Security-Policy: the built site under the policy of macros/site/csp.py, in Chromium.

A small server adds the header to every response; every page is opened (and the search
is used once) while the page records every `securitypolicyviolation` event and the
console reports no CSP error. docs/server.md shows the same policy.
"""

from __future__ import annotations

from lib.browser import open_recorded, serve_with_policy, site_pages
from lib.project import ROOT  # noqa: E402
from macros.site.csp import POLICY, inline_scripts


def test_no_inline_scripts(starter_site):
    """The policy has no 'unsafe-inline' and no hashes: so no page may have an inline script."""
    assert "'unsafe-inline'" not in POLICY and "sha256-" not in POLICY and "'unsafe-eval'" not in POLICY
    assert inline_scripts(starter_site) == []


def test_inline_script_detector(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script>x()</script><script src="b.js"></script><script type="application/json">{"a": 1}</script>',
        encoding="utf-8",
    )
    assert inline_scripts(tmp_path) == [("a.html", "x()")]


def test_every_page_without_violations(chromium, starter_site, csp_site):
    context, page, console = open_recorded(chromium, color_scheme="dark")
    problems = []
    try:
        for url in site_pages(starter_site):
            page.goto(csp_site + url)
            page.wait_for_load_state("load")
            assert page.evaluate("document.querySelector('.md-header') !== null"), url
            problems += [f"{url or '/'}: {v}" for v in page.evaluate("window.__csp")]
            problems += [f"{url or '/'}: {c}" for c in console]
            console.clear()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_search_and_palette_toggle_under_policy(chromium, csp_site):
    """The interactive parts run under the policy: Pagefind (WebAssembly) and the toggle."""
    context, page, console = open_recorded(chromium)
    try:
        page.goto(csp_site + "themabladen/gedrag-in-vrije-tijd/")
        box = page.locator("[data-kompas-zoekvraag]")
        box.click()
        box.press_sequentially("geweld")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
        box.press("Enter")  # the search form is never submitted
        page.keyboard.press("Escape")
        before = page.locator("body").get_attribute("data-md-color-scheme")
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")
        page.reload()  # the choice is stored (__md_set) and restored by the palette script
        assert page.locator("body").get_attribute("data-md-color-scheme") != before
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert violations == [] and console == [], (violations, console)


def test_policy_violations_are_seen(chromium, starter_site):
    """The check can fail: under a policy without 'self' for scripts, violations are reported."""
    base, stop = serve_with_policy(starter_site, "default-src 'none'; style-src 'self'")
    context, page, console = open_recorded(chromium)
    try:
        page.goto(base)
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
        stop()
    assert any(v.startswith("script-src") for v in violations), violations


def test_the_server_guide_shows_the_policy():
    guide = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{POLICY}" always;' in guide
