"""The search index in shards (macros/site/search.py): item pages are indexed per shard, every
shard's bundle is kept in a cache, and a warm build runs Pagefind only for the shards whose pages
changed. The browser merges the bundles (kompas-zoeken.js: mergeIndex) and finds pages of every
shard; a warm build gives the site of a cold one; a damaged cache entry is indexed again."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from lib.browser import search as search_in_browser
from lib.compare import compare
from lib.project import build_project, make_project
from macros.harness.browser import serve
from macros.site import search
from macros.store import entries

SHARDS = 8  # many shards for the 9 item pages of the fixture corpus: a change leaves some clean


@pytest.fixture
def sharded(monkeypatch):
    """Force N and record for which shards Pagefind ran."""
    monkeypatch.setattr(search, "FORCE_SHARDS", SHARDS)
    runs: list[list[int]] = []  # per index made: the shards Pagefind ran for (Indexing.runs)
    original = search.Indexing.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        runs.append(self.runs)

    monkeypatch.setattr(search.Indexing, "__init__", recording)
    return runs


def _build(project: Path, site: Path, cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return build_project(project, site)


def _plan(site: Path) -> dict[int, list[str]]:
    pages = search._pages(site, {site / search.OUTPUT_SUBDIR}, threading.Event())
    _, shards = search.plan(pages)
    return {number: [page.rel for page in members] for number, members in shards.items()}


def test_item_pages_and_the_rest():
    assert search.is_item_page("dilemmas/joint/index.html")
    assert search.is_item_page("uitspraken/ECLI-NL-CRVB-2014-3729/index.html")
    assert not search.is_item_page("dilemmas/index.html")
    assert not search.is_item_page("dilemmas/kernwaarde/index.html")
    assert not search.is_item_page("dilemmas/kernwaarde/integer/index.html")
    assert not search.is_item_page("wetgeving/index.html")
    assert search.shard_count(0) == 1 and search.shard_count(10_000) == search.MAX_SHARDS
    # stable: the shard of a page depends on its path and N only
    assert search.shard_of("dilemmas/joint/index.html", 4) == search.shard_of("dilemmas/joint/index.html", 4)
    assert search.shard_of("wetgeving/index.html", 4) == 0
    assert {search.shard_of(f"dilemmas/d{n}/index.html", 4) for n in range(40)} == {0, 1, 2, 3}


def test_the_body_rule_of_pagefind_holds_for_the_whole_site():
    """Pagefind leaves out pages without data-pagefind-body when any page has one, per run: a shard
    without such a page would index its whole pages. The rule is applied before sharding."""
    page = lambda rel, body: search._Page(rel, Path(rel), rel, body)  # noqa: E731
    _, shards = search.plan(
        [
            page("index.html", False),
            page("dilemmas/a/index.html", True),
            page("wetgeving/index.html", True),
            page("dilemmas/index.html", False),
        ]
    )
    assert sorted(rel.rel for members in shards.values() for rel in members) == [
        "dilemmas/a/index.html",
        "wetgeving/index.html",
    ]
    # no page outside the items: the first shard is the primary one
    _, shards = search.plan([page("dilemmas/a/index.html", True)])
    assert list(shards) == [0]
    assert search._has_body(b'<div class="x" data-pagefind-body data-pagefind-filter="soort:Dilemma">')
    assert not search._has_body(b"<p>Zet &lt;div data-pagefind-body&gt; om de tekst.</p>")


@pytest.fixture
def sharded_site(tmp_path, monkeypatch, sharded):
    project = make_project(tmp_path / "p")
    site = _build(project, tmp_path / "site", tmp_path / "cache", monkeypatch)
    return project, site, sharded


def test_the_browser_finds_pages_of_every_shard(chromium, sharded_site):
    _, site, _ = sharded_site
    plan = _plan(site)
    items = {number: pages for number, pages in plan.items() if number}
    assert len(items) >= 2, plan  # and shard 0, the primary bundle
    manifest = json.loads((site / "pagefind" / search.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["delen"] == [f"{search.SHARD_NAME.format(n)}/" for n in items]
    for number in items:  # what mergeIndex needs, not the UI files and the wasm
        bundle = site / "pagefind" / search.SHARD_NAME.format(number)
        assert (bundle / "pagefind-entry.json").is_file() and not (bundle / "pagefind.js").exists()
        assert not list(bundle.glob("wasm.*"))
    base, stop = serve(site)
    try:
        for number, pages in sorted(plan.items()):
            rel = pages[0]
            html = (site / rel).read_text(encoding="utf-8")
            title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()
            hits = search_in_browser(chromium, base, title, start="")
            expected = "/" + rel.removesuffix("index.html")
            assert any(href.endswith(expected) for href, _, _ in hits), (number, title, hits[:5])
    finally:
        stop()


def test_a_warm_build_indexes_only_the_changed_shards_and_equals_a_cold_one(tmp_path, monkeypatch, sharded):
    project = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    first = _build(project, tmp_path / "eerst", cache, monkeypatch)
    runs_first = list(sharded[-1])
    plan = _plan(first)
    assert runs_first == sorted(plan), "de eerste bouw indexeert elk deel"
    before = {rel: search.indexed_digest((first / rel).read_bytes()) for pages in plan.values() for rel in pages}
    raw_before = {rel: (first / rel).read_bytes() for pages in plan.values() for rel in pages}

    source = project / "content" / "dilemmas" / "joint.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"
        ),
        encoding="utf-8",
    )
    warm = _build(project, tmp_path / "warm", cache, monkeypatch)
    rebuilt = list(sharded[-1])
    plan_after = _plan(warm)
    changed = {
        number
        for number, pages in plan_after.items()
        if any(before.get(rel) != search.indexed_digest((warm / rel).read_bytes()) for rel in pages)
        or sorted(pages) != sorted(plan.get(number, []))
    }
    assert rebuilt == sorted(changed)
    assert search.shard_of("dilemmas/joint/index.html", SHARDS) in rebuilt
    assert len(rebuilt) < len(plan_after), "een gewijzigd dilemma indexeert niet alles opnieuw"
    # the sheet that lists the dilemma changed only in its list of titles, which is not indexed
    sheet = "themabladen/vrije-tijd/index.html"
    assert raw_before[sheet] != (warm / sheet).read_bytes() and "Een joint tegen de rugpijn" in (
        warm / sheet
    ).read_text("utf-8")
    assert before[sheet] == search.indexed_digest((warm / sheet).read_bytes())

    cold_cache = tmp_path / "koud"
    cold = _build(project, tmp_path / "koud-site", cold_cache, monkeypatch)
    assert list(sharded[-1]) == sorted(plan_after)
    problems = compare(warm, cold)
    assert not problems, "\n".join(problems)
    # the cache keeps what the last build used: one entry per shard
    entries = sorted(search.cache_dir(project).glob(f"*{search.ENTRY_SUFFIX}"))
    assert len(entries) == len(plan_after)


@pytest.mark.parametrize("damage", ["bestand", "lijst"])
def test_a_damaged_entry_is_indexed_again(tmp_path, monkeypatch, sharded, damage):
    project = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    first = _build(project, tmp_path / "eerst", cache, monkeypatch)
    folder = search.cache_dir(project)
    entries = sorted(folder.glob(f"*{search.ENTRY_SUFFIX}"))
    # the entry of one item shard: find it by the bundle it holds
    plan = _plan(first)
    number = max(plan)
    listed = {entry: json.loads(_entry_text(entry)) for entry in entries}
    entry = next(
        e
        for e, header in listed.items()
        if header["stats"]["pages"] == len(plan[number])
        and not any(name == "pagefind.js" for name, _, _ in header["files"])
    )
    if damage == "bestand":  # a file of the bundle changed (through a link into a site, say)
        fragment = next((folder / entry.stem / "fragment").iterdir())
        data = fragment.read_bytes()
        fragment.unlink()  # (the first site's file is a link to the same file: leave that one)
        fragment.write_bytes(data + b"x")
    else:  # the list itself is cut short
        entry.write_bytes(entry.read_bytes()[:-20])
    second = _build(project, tmp_path / "tweede", cache, monkeypatch)
    assert len(sharded[-1]) == 1, sharded[-1]
    problems = compare(first, second)
    assert not problems, "\n".join(problems)
    # and the entry is sound again: a third build indexes nothing
    third = _build(project, tmp_path / "derde", cache, monkeypatch)
    assert sharded[-1] == [], sharded[-1]
    assert not compare(second, third)


def _entry_text(entry: Path) -> str:
    import io

    out = io.BytesIO()
    assert entries.check_entry(entry, out)
    return out.getvalue().decode("utf-8")


def test_the_serve_rebuild_indexes_only_the_changed_shards(tmp_path, monkeypatch, sharded):
    """make serve: after a changed dilemma the background indexes the dirty shards into
    .pagefind-nieuw and swaps it in; the clean ones come from the cache of the full build."""
    from lib.serve import _build as serve_build
    from lib.serve import project_without_decks
    from macros.site import serve as adapter

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = project_without_decks(tmp_path / "p")
    served = tmp_path / "served"
    config = serve_build(project, served)
    everything = list(sharded[-1])
    rebuild = adapter.ServeRebuild(lambda: pytest.fail("een volledige bouw was niet nodig"), config)
    source = project / "content" / "dilemmas" / "joint.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"
        ),
        encoding="utf-8",
    )
    rebuild()
    rebuild.background.join()
    assert sharded[-1] is not everything
    assert 0 < len(sharded[-1]) < len(everything), (sharded[-1], everything)
    assert not (served / ".pagefind-nieuw").exists()
    manifest = json.loads((served / "pagefind" / search.MANIFEST).read_text(encoding="utf-8"))
    assert all((served / "pagefind" / part / "pagefind-entry.json").is_file() for part in manifest["delen"])
    fragments = b"".join(p.read_bytes() for p in (served / "pagefind").glob("**/fragment/*.pf_fragment"))
    assert fragments  # (compressed: the words themselves are checked in the browser tests)
    shutil.rmtree(served)


def test_a_page_path_with_glob_characters_is_indexed_from_links(fixture_site, tmp_path, monkeypatch):
    """Pagefind is told a shard's pages by a glob; a path with a glob character cannot be named that
    way, and the shard's pages are then linked into a folder of their own: the same index."""
    monkeypatch.setattr(search, "FORCE_SHARDS", 3)
    sites = []
    for name, plain in (("glob", search._PLAIN), ("links", re.compile(r"(?!)"))):
        site = tmp_path / name
        shutil.copytree(fixture_site, site)
        shutil.rmtree(site / "pagefind")
        monkeypatch.setattr(search, "_PLAIN", plain)
        stats = search.Indexing(site).finish()
        assert stats.shards == len(_plan(site)) and stats.pages > 5
        sites.append(site)
    problems = compare(*sites)
    assert not problems, "\n".join(problems)


def test_every_part_left_out_of_the_index_is_one_ignored_element(fixture_site):
    """Between the comments of NOT_INDEXED stands exactly one element, with data-pagefind-ignore="all":
    what the shard key leaves out is what Pagefind leaves out, no more."""
    from bs4 import BeautifulSoup

    regions = 0
    for page in sorted(fixture_site.rglob("*.html")):
        html = page.read_bytes()
        opened = html.count(b"<!--kompas:niet-zoeken-->")
        assert opened == html.count(b"<!--/kompas:niet-zoeken-->"), page
        for match in search.NOT_INDEXED.finditer(html):
            inner = (
                match.group(0).removeprefix(b"<!--kompas:niet-zoeken-->").removesuffix(b"<!--/kompas:niet-zoeken-->")
            )
            assert b"<!--kompas:niet-zoeken-->" not in inner, page
            tops = [node for node in BeautifulSoup(inner, "html.parser").contents if str(node).strip()]
            assert len(tops) == 1 and tops[0].name and tops[0].get("data-pagefind-ignore") == "all", (page, inner[:200])
            assert inner.strip().startswith(b"<") and inner.strip().endswith(f"</{tops[0].name}>".encode()), page
            regions += 1
    assert regions >= 3  # sheets, modules and rulings of the fixture corpus list other items
