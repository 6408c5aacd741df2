"""Speed of the session page (sessie/, issue 16) in Chromium, for the benchmark.

``measure(site_dir)`` serves a built site on 127.0.0.1 with gzip (as a web server sends
it) and drives the system Chromium with an empty cache:

- ``usable_s``: from the start of the navigation to the list being rendered and the filter
  wired (the page's ``kompas-sessie-lijst`` performance mark, set once the first rows are
  on screen; filtering works from then on);
- ``bytes_before_usable``: the compressed bytes of every response finished by then (HTML,
  CSS, JS, the dilemma index, as the server sent them; anything still loading then counts too);
- ``filter_ms_median`` / ``filter_ms_max``: per keystroke, typing a query into the filter
  field and deleting it again: the input event (filtering every dilemma and rendering the
  first rows) plus the style and layout it causes;
- ``print_s``: for ``cards`` selected cards given in the address, building the print view
  (fetching the card pieces, placing them, loading the fonts; it starts by itself after the
  page is usable) plus Chromium's print to PDF (``page.pdf``); ``print_pages`` is the page count.

The benchmark (bench/run.py) runs it on the x100 site; targets: usable ≤ 1 s, ≤ 500 KB
before that, ≤ 100 ms per keystroke, 40 cards printed in ≤ 3 s.

Run: ``python bench/sessie.py SITE [--kaarten 40] [--json]``
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from macros.harness.browser import QuietHandler, chromium, serve  # noqa: E402

TARGETS = {"usable_s": 1.0, "bytes_before_usable": 500_000, "filter_ms": 100.0, "print_s": 3.0}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
QUERY = "testdilemma gesprek"

# Per keystroke: the input event (the page filters synchronously in its handler) and the
# style and layout of the new rows, forced by reading a layout property.
TYPE = """async (query) => {
  const field = document.getElementById('sessie-zoek');
  const times = [];
  const key = async (value) => {
    const start = performance.now();
    field.value = value;
    field.dispatchEvent(new Event('input', {bubbles: true}));
    void document.querySelector('[data-lijst]').offsetHeight;
    times.push(performance.now() - start);
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  };
  for (let n = 1; n <= query.length; n++) await key(query.slice(0, n));
  for (let n = query.length - 1; n >= 0; n--) await key(query.slice(0, n));
  return times;
}"""


class _GzipHandler(QuietHandler):
    """Static files, gzip-compressed for text types when the browser accepts it."""

    sent: list[int]  # body bytes of every response, in order (set per server by _serve)

    def send_head(self):
        body = self._head()
        if isinstance(body, io.BytesIO):
            self.sent.append(len(body.getbuffer()))
        elif body is not None:
            self.sent.append(os.fstat(body.fileno()).st_size)
        return body

    def _head(self):
        path = Path(self.translate_path(self.path))  # without the query
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in COMPRESSIBLE or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _serve(directory: Path, sent: list[int]):
    """Serve ``directory`` with gzip; ``sent`` collects the body size of every response."""
    return serve(directory, type("Handler", (_GzipHandler,), {"sent": sent}))


def measure(site_dir: Path, *, cards: int = 40, query: str = QUERY, browser=None) -> dict:
    """The session page's numbers for the built site at ``site_dir`` (see the module docstring)."""
    site_dir = Path(site_dir)
    index = json.loads((site_dir / "sessie" / "dilemmas.json").read_text(encoding="utf-8"))
    ids = [row[0] for row in index["dilemmas"]]
    sent: list[int] = []  # what the server sent, compressed as it went over the wire
    base, stop = _serve(site_dir, sent)
    try:
        with chromium(browser) as launched:
            return _measure(launched, base, ids, sent, site_dir, cards, query)
    finally:
        stop()


def _measure(browser, base: str, ids: list[str], sent: list[int], site_dir: Path, cards: int, query: str) -> dict:
    # 1. open the page with an empty cache: time and bytes until the list is usable
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(base + "sessie/", wait_until="commit")
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]', timeout=60_000)
        before = list(sent)
        usable = page.evaluate("performance.getEntriesByName('kompas-sessie-lijst')[0].startTime") / 1000
        rows = page.locator("[data-lijst] li").count()
        # 2. filter as you type
        times = page.evaluate(TYPE, query)
    finally:
        context.close()
    # 3. print a selection given in the address
    chosen = ids[:cards]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "sessie/?kaarten=" + ",".join(chosen), wait_until="commit")
        page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]', timeout=60_000)
        start = time.perf_counter()
        page.wait_for_selector('[data-kompas-sessie][data-drukstatus="klaar"]', timeout=120_000)
        built = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "sessie.pdf"
            start = time.perf_counter()
            page.pdf(path=str(pdf), prefer_css_page_size=True)
            printed = time.perf_counter() - start
            from pypdf import PdfReader

            pages = len(PdfReader(pdf).pages)
    finally:
        context.close()
    return {
        "dilemmas": len(ids),
        "usable_s": round(usable, 3),
        "rows_shown": rows,
        "bytes_before_usable": sum(before),
        "responses_before_usable": len(before),
        "index_bytes": (site_dir / "sessie" / "dilemmas.json").stat().st_size,
        "filter_keystrokes": len(times),
        "filter_ms_median": round(statistics.median(times), 1),
        "filter_ms_max": round(max(times), 1),
        "print_cards": len(chosen),
        "print_build_s": round(built, 3),
        "print_pdf_s": round(printed, 3),
        "print_s": round(built + printed, 3),
        "print_pages": pages,
    }


def verdict(result: dict) -> dict[str, bool]:
    """Each target of issue 16, section 5: met or not."""
    return {
        "bruikbaar ≤ 1 s": result["usable_s"] <= TARGETS["usable_s"],
        "≤ 500 KB (gzip) tot bruikbaar": result["bytes_before_usable"] <= TARGETS["bytes_before_usable"],
        "filteren ≤ 100 ms per toets": result["filter_ms_max"] <= TARGETS["filter_ms"],
        f"{result['print_cards']} kaarten printen ≤ 3 s": result["print_s"] <= TARGETS["print_s"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de sessiepagina (sessie/) van een gebouwde site in Chromium.")
    parser.add_argument("site", type=Path, help="de map van de gebouwde site")
    parser.add_argument("--kaarten", type=int, default=40, help="hoeveel kaarten er geprint worden (standaard 40)")
    parser.add_argument("--json", action="store_true", help="de uitkomst als JSON")
    args = parser.parse_args(argv)
    if not (args.site / "sessie" / "dilemmas.json").is_file():
        print(
            f"{args.site}: geen gebouwde site met een sessiepagina (sessie/dilemmas.json ontbreekt).", file=sys.stderr
        )
        return 2
    result = measure(args.site, cards=args.kaarten)
    if args.json:
        print(json.dumps({**result, "doelen": verdict(result)}, ensure_ascii=False, indent=2))
    else:
        print(f"{result['dilemmas']} dilemma's")
        print(
            f"bruikbaar na {result['usable_s']} s, {result['bytes_before_usable'] / 1000:.0f} KB (gzip) "
            f"in {result['responses_before_usable']} antwoorden"
        )
        print(f"filteren: mediaan {result['filter_ms_median']} ms, hoogstens {result['filter_ms_max']} ms per toets")
        print(
            f"{result['print_cards']} kaarten printen: {result['print_s']} s "
            f"(klaarzetten {result['print_build_s']} s, PDF {result['print_pdf_s']} s, {result['print_pages']} pagina's)"
        )
        for name, ok in verdict(result).items():
            print(f"  {'gehaald' if ok else 'NIET gehaald'}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
