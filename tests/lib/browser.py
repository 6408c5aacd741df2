"""Helpers of the browser tier: the pages of a site, axe-core, a site served with the Content-Security-Policy, search in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lib.project import A11Y
from macros.harness.browser import QuietHandler, serve
from macros.site.csp import POLICY

AXE = A11Y / "node_modules" / "axe-core" / "axe.min.js"


RECORD = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


class _PolicyHandler(QuietHandler):
    policy = POLICY

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()


def serve_with_policy(directory: Path, policy: str = POLICY):
    return serve(directory, type("H", (_PolicyHandler,), {"policy": policy}))


TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))}));
}"""


def site_pages(site: Path) -> list[str]:
    """Site-relative URLs of every HTML page (directory URLs for index.html)."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        urls.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core ontbreekt: voer `make test` uit (npm ci in tests/a11y)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def csp_site(starter_site):
    base, stop = serve_with_policy(starter_site)
    yield base
    stop()


def open_recorded(chromium, **context_options):
    context = chromium.new_context(**context_options)
    context.add_init_script(script=RECORD)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    return context, page, console


def wait_for_the_answer(page) -> str:
    """Wait until the header search has answered the whole query typed so far, and return its status
    line. Every keystroke starts a search, and the list of an earlier keystroke may still be shown:
    "Zoeken…" is set as the last key is typed and replaced only by the answer to that query."""
    status_line = page.locator("[data-kompas-zoekstatus]")
    expect(status_line).not_to_have_text("Zoeken…", timeout=15_000)
    return status_line.inner_text()


def search(chromium, base: str, query: str, start: str = "themabladen/gedrag-in-vrije-tijd/"):
    """Open a page, type the query into the header search, return [(href, label, title)] as shown."""
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(base + start)
        box = page.locator("[data-kompas-zoekvraag]")
        box.click()
        box.press_sequentially(query)
        status = wait_for_the_answer(page)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
        # read the list in one go, so it cannot change between items
        hits = [
            tuple(hit)
            for hit in page.locator(".md-search-result__item").evaluate_all(
                """items => items.map(item => [
                    item.querySelector("a").getAttribute("href"),
                    item.querySelector(".kompas-zoek-soort").innerText,
                    item.querySelector("h1").innerText,
                ])"""
            )
        ]
        assert not errors, errors
        assert "resulta" in status, status
        return hits
    finally:
        page.close()
