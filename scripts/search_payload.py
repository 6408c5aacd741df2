"""Search payload: the bytes a browser downloads before it shows the first search result.

Drives the system Chromium (Playwright, no browser download) against a built site
served on 127.0.0.1: opens a page with an empty cache, opens the search, types a query
and waits until the first result is on screen. Every response body up to that moment
is counted. Used by the benchmark (issue 9) and by tests/browser/test_search.py.

    from scripts.search_payload import measure
    payload = measure(Path("site"), "geweld")
    payload.total_bytes      # page load + search, the benchmark's number
    payload.search_bytes     # only what searching added (index, wasm, fragments)

Known-item search: does the page an editor or trainer looks for come up when they type
its title (or a ruling's ECLI)? ``find_items`` types each query in the same browser
session (the index fragments stay cached, as for someone who searches more than once) and
reports the place of the expected page among the results shown (at most 10).

    found = find_items(Path("site"), [("Gebruik van geweld", "themabladen/gebruik-van-geweld/")])
    found[0].rank            # 1: the first result; None: not among the results shown

As a script (positional arguments only): python scripts/search_payload.py SITE [ZOEKTERM],
or python scripts/search_payload.py SITE --vind CASES.json (a list of [query, page] pairs).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from macros.harness.browser import chromium as launched
from macros.harness.browser import serve

QUERY_INPUT = "[data-kompas-zoekvraag]"
RESULT = ".md-search-result__item a"
STATUS = "[data-kompas-zoekstatus]"


@dataclass
class SearchPayload:
    query: str
    page: str  # site-relative page the search started from
    page_bytes: int  # response bodies of the page load (HTML, CSS, JS, versions.json ...)
    search_bytes: int  # response bodies from opening the search to the first result on screen
    total_bytes: int  # page_bytes + search_bytes: the number the benchmark reports
    seconds: float  # from the first keystroke to the first result on screen
    first_result: str  # href of the first result
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path, body bytes), in order

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Found:
    query: str
    expected: str  # site-relative path of the page that should come up
    rank: int | None  # its place among the results shown (1 = first), None when not shown
    total: int  # how many results the search reports
    seconds: float  # from the first keystroke to the results on screen


def _body_bytes(request) -> int:
    try:
        return int(request.sizes()["responseBodySize"])
    except Exception:  # noqa: BLE001 - a request that failed has no sizes
        return 0


def measure_url(base_url: str, query: str, *, page: str = "", browser=None) -> SearchPayload:
    """Measure against a site that is already served at ``base_url`` (ending in '/')."""
    finished: list = []
    with launched(browser) as chromium:
        context = chromium.new_context()  # a fresh context: empty cache
        try:
            tab = context.new_page()
            tab.on("requestfinished", lambda request: finished.append(request))
            tab.goto(base_url + page, wait_until="load")
            tab.wait_for_load_state("networkidle")
            at_load = len(finished)
            start = time.perf_counter()
            _open_search(tab)
            tab.locator(QUERY_INPUT).press_sequentially(query)
            tab.locator(RESULT).first.wait_for(state="visible", timeout=30_000)
            seconds = time.perf_counter() - start
            first = tab.locator(RESULT).first.get_attribute("href") or ""
            done = list(finished)
            sizes = [(urlsplit(r.url).path, _body_bytes(r)) for r in done]
        finally:
            context.close()
    page_bytes = sum(size for _, size in sizes[:at_load])
    search_bytes = sum(size for _, size in sizes[at_load:])
    return SearchPayload(
        query=query,
        page=page,
        page_bytes=page_bytes,
        search_bytes=search_bytes,
        total_bytes=page_bytes + search_bytes,
        seconds=round(seconds, 3),
        first_result=first,
        requests=sizes,
    )


def _open_search(tab) -> None:
    if not tab.locator(QUERY_INPUT).is_visible():  # narrow screens: the magnifier opens the search
        tab.locator("label.md-header__button[for=__search]").click()
    tab.locator(QUERY_INPUT).click()


# The status line once a search has answered: "1 resultaat", "12 resultaten, ..." or "Niets gevonden. ..."
_ANSWERED = re.compile(r"^(\d+) resulta|^Niets gevonden")


def find_url(base_url: str, cases: list[tuple[str, str]], *, browser=None) -> list[Found]:
    """Known-item search against a site served at ``base_url``: one tab per query, one browser context."""
    prefix = len(urlsplit(base_url).path)
    found: list[Found] = []
    with launched(browser) as chromium:
        context = chromium.new_context()
        try:
            for query, expected in cases:
                tab = context.new_page()
                tab.goto(base_url, wait_until="load")
                _open_search(tab)
                start = time.perf_counter()
                tab.locator(QUERY_INPUT).press_sequentially(query)
                tab.wait_for_function(
                    "([selector, pattern]) => new RegExp(pattern).test(document.querySelector(selector).textContent.trim())",
                    arg=[STATUS, _ANSWERED.pattern],
                    timeout=60_000,
                )
                seconds = time.perf_counter() - start
                answer = _ANSWERED.match(tab.locator(STATUS).text_content().strip())
                hrefs = tab.eval_on_selector_all(RESULT, "links => links.map(a => a.href)")
                tab.close()
                shown = [urlsplit(h).path[prefix:] for h in hrefs]
                rank = shown.index(expected) + 1 if expected in shown else None
                total = int(answer.group(1)) if answer and answer.group(1) else 0
                found.append(Found(query, expected, rank, total, round(seconds, 3)))
        finally:
            context.close()
    return found


def find_items(site_dir: Path, cases: list[tuple[str, str]], *, browser=None) -> list[Found]:
    """Serve the built site at ``site_dir`` on 127.0.0.1 and search each (query, expected page)."""
    base, stop = serve(Path(site_dir))
    try:
        return find_url(base, cases, browser=browser)
    finally:
        stop()


def summary(found: list[Found]) -> dict:
    """The known-item numbers the benchmark reports."""
    return {
        "cases": len(found),
        "first": sum(f.rank == 1 for f in found),
        "shown": sum(f.rank is not None for f in found),
        "median_s": round(statistics.median(f.seconds for f in found), 3) if found else None,
        "missed": [asdict(f) for f in found if f.rank != 1],
    }


def measure(site_dir: Path, query: str = "geweld", *, page: str = "", browser=None) -> SearchPayload:
    """Serve the built site at ``site_dir`` on 127.0.0.1 and measure one search."""
    base, stop = serve(Path(site_dir))
    try:
        return measure_url(base, query, page=page, browser=browser)
    finally:
        stop()


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")
    if len(sys.argv) > 3 and sys.argv[2] == "--vind":
        cases = [tuple(case) for case in json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))]
        print(json.dumps(summary(find_items(site, cases)), indent=2, ensure_ascii=False))
    else:
        result = measure(site, sys.argv[2] if len(sys.argv) > 2 else "geweld")
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
