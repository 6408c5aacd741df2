"""Search payload: the bytes a browser downloads before it shows the first search result.

Drives the system Chromium (Playwright, no browser download) against a built site
served on 127.0.0.1: opens a page with an empty cache, opens the search, types a query
and waits until the first result is on screen. Every response body up to that moment
is counted. Used by the benchmark (issue 9) and by tests/test_search.py.

    from scripts.search_payload import measure
    payload = measure(Path("site"), "geweld")
    payload.total_bytes      # page load + search, the benchmark's number
    payload.search_bytes     # only what searching added (index, wasm, fragments)

As a script (positional arguments only): python scripts/search_payload.py SITE [ZOEKTERM]
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY_INPUT = "[data-kompas-zoekvraag]"
RESULT = ".md-search-result__item a"


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


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def _serve(directory: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


def _body_bytes(request) -> int:
    try:
        return int(request.sizes()["responseBodySize"])
    except Exception:  # a request that failed has no sizes
        return 0


def measure_url(base_url: str, query: str, *, page: str = "", browser=None) -> SearchPayload:
    """Measure against a site that is already served at ``base_url`` (ending in '/')."""
    own = None
    if browser is None:
        own = _launch()
        browser = own[1]
    context = browser.new_context()  # a fresh context: empty cache
    finished: list = []
    try:
        tab = context.new_page()
        tab.on("requestfinished", lambda request: finished.append(request))
        tab.goto(base_url + page, wait_until="load")
        tab.wait_for_load_state("networkidle")
        at_load = len(finished)
        start = time.perf_counter()
        if not tab.locator(QUERY_INPUT).is_visible():  # narrow screens: the magnifier opens the search
            tab.locator("label.md-header__button[for=__search]").click()
        tab.locator(QUERY_INPUT).click()
        tab.locator(QUERY_INPUT).press_sequentially(query)
        tab.locator(RESULT).first.wait_for(state="visible", timeout=30_000)
        seconds = time.perf_counter() - start
        first = tab.locator(RESULT).first.get_attribute("href") or ""
        done = list(finished)
        sizes = [(urlsplit(r.url).path, _body_bytes(r)) for r in done]
    finally:
        context.close()
        if own is not None:
            own[1].close()
            own[0].stop()
    page_bytes = sum(size for _, size in sizes[:at_load])
    search_bytes = sum(size for _, size in sizes[at_load:])
    return SearchPayload(query=query, page=page, page_bytes=page_bytes, search_bytes=search_bytes,
                         total_bytes=page_bytes + search_bytes, seconds=round(seconds, 3), first_result=first,
                         requests=sizes)


def measure(site_dir: Path, query: str = "geweld", *, page: str = "", browser=None) -> SearchPayload:
    """Serve the built site at ``site_dir`` on 127.0.0.1 and measure one search."""
    base, stop = _serve(Path(site_dir))
    try:
        return measure_url(base, query, page=page, browser=browser)
    finally:
        stop()


def _launch():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    return playwright, browser


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")
    result = measure(site, sys.argv[2] if len(sys.argv) > 2 else "geweld")
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
