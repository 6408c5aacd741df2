"""bench/sessie.py runs against a built site and reports what it measured.

No speed limits here (they belong in the benchmark): only that every number is measured
from the real page: the rows it shows, the keystrokes typed, the bytes the server sent
(compressed) and the pages Chromium printed for the selected cards.
"""

from __future__ import annotations

import importlib.util
import json

from lib.project import ROOT  # noqa: E402


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_sessie", ROOT / "bench" / "sessie.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_measures_the_session_page(starter_site, chromium):
    bench = load_bench()
    result = bench.measure(starter_site, cards=6, query="kaart", browser=chromium)
    index = json.loads((starter_site / "sessie" / "dilemmas.json").read_text(encoding="utf-8"))
    assert result["dilemmas"] == len(index["dilemmas"]) == result["rows_shown"]
    assert result["filter_keystrokes"] == 2 * len("kaart")
    assert result["print_cards"] == 6 and result["print_pages"] == 4  # six cards: two A4 sheets, two sides
    # the server's compressed bytes: at least the page and the index, less than the files on disk
    assert (
        0
        < result["bytes_before_usable"]
        < sum(p.stat().st_size for p in starter_site.rglob("*") if p.suffix in (".html", ".css", ".js", ".json"))
    )
    assert result["usable_s"] > 0 and result["print_s"] > 0
    assert set(bench.verdict(result)) == {
        "bruikbaar ≤ 1 s",
        "≤ 500 KB (gzip) tot bruikbaar",
        "filteren ≤ 100 ms per toets",
        "6 kaarten printen ≤ 3 s",
    }


def test_gzip_server_compresses_text(starter_site):
    import urllib.request

    bench = load_bench()
    sent: list[int] = []
    base, stop = bench._serve(starter_site, sent)
    try:
        request = urllib.request.Request(base + "sessie/dilemmas.json", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
    finally:
        stop()
    import gzip

    assert json.loads(gzip.decompress(body))["versie"] == 1
    assert sent == [len(body)] and len(body) < (starter_site / "sessie" / "dilemmas.json").stat().st_size
