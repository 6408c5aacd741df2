"""The page cache of `kompas bouw` (issue 19, macros/site/pagecache.py): an item page whose inputs
did not change is copied from the last build instead of rendered again, and the site is the same
as a build without the cache, whatever changed in between."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.compare import compare
from lib.project import build_project, make_project
from macros.site import pagecache


def _cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / pagecache.FOLDER).glob("*/*.html"))


def _build(project: Path, site: Path, cache: Path, monkeypatch, capsys=None):
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return build_project(project, site)


def _cold(project: Path, site: Path, tmp_path: Path, monkeypatch) -> Path:
    """The same content built with empty caches."""
    cold_cache = tmp_path / f"koud-{site.name}"
    shutil.rmtree(cold_cache, ignore_errors=True)
    return _build(project, site, cold_cache, monkeypatch)


@pytest.fixture
def built(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    cache = _cache_dir(tmp_path)
    _build(project, tmp_path / "eerst", cache, monkeypatch)
    return project, cache


def _hits(capsys) -> tuple[int, int]:
    import re

    found = re.findall(r"Itempagina's uit de paginacache: (\d+) van (\d+)\.", capsys.readouterr().err)
    assert found, "de bouw meldt niet hoeveel pagina's uit de cache kwamen"
    return tuple(int(n) for n in found[-1])


def test_an_unchanged_build_takes_every_item_page_from_the_cache(built, tmp_path, monkeypatch, capsys):
    project, cache = built
    stored = _entries(cache)
    assert stored, "de eerste bouw heeft geen pagina's bewaard"
    capsys.readouterr()
    site = _build(project, tmp_path / "weer", cache, monkeypatch)
    hits, pages = _hits(capsys)
    assert hits == pages == len(stored)
    assert not compare(_cold(project, tmp_path / "koud", tmp_path, monkeypatch), site)


def test_a_changed_dilemma_renders_its_page_and_the_pages_that_show_it(built, tmp_path, monkeypatch, capsys):
    project, cache = built
    source = project / "content" / "dilemmas" / "joint.yaml"
    source.write_text(
        source.read_text("utf-8").replace("titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"),
        encoding="utf-8",
    )
    capsys.readouterr()
    site = _build(project, tmp_path / "warm", cache, monkeypatch)
    hits, pages = _hits(capsys)
    assert 0 < hits < pages - 1  # the dilemma page and at least one page that lists it were rendered
    assert "Een joint tegen de rugpijn" in (site / "dilemmas" / "joint" / "index.html").read_text("utf-8")
    assert not compare(_cold(project, tmp_path / "koud", tmp_path, monkeypatch), site)
    assert len(_entries(cache)) == pages  # the entries of the old pages are gone: one site per project


@pytest.mark.parametrize("change", ["navigatietitel", "site_url", "nieuwe pagina"])
def test_a_change_outside_the_item_pages_reaches_every_page(built, tmp_path, monkeypatch, capsys, change):
    """What an item page shows of the site (the navigation, the site address) is in every key."""
    project, cache = built
    config = project / "mkdocs.yml"
    if change == "navigatietitel":
        config.write_text(
            config.read_text("utf-8").replace(
                "  - Jurisprudentie: jurisprudentie.md", "  - Rechtspraak: jurisprudentie.md"
            ),
            encoding="utf-8",
        )
        marker = "Rechtspraak"
    elif change == "site_url":
        config.write_text("site_url: https://kompas.example/intranet/\n" + config.read_text("utf-8"), encoding="utf-8")
        marker = "https://kompas.example/intranet/dilemmas/joint/"
    else:  # a new hand-written page in the navigation
        (project / "content" / "pages" / "spreekuur.md").write_text("# Spreekuur\n\nElke dinsdag.\n", encoding="utf-8")
        config.write_text(
            config.read_text("utf-8").replace(
                "  - Toegankelijkheid: toegankelijkheid.md",
                "  - Toegankelijkheid: toegankelijkheid.md\n  - Spreekuur integriteit: spreekuur.md",
            ),
            encoding="utf-8",
        )
        marker = "Spreekuur integriteit"
    capsys.readouterr()
    site = _build(project, tmp_path / "warm", cache, monkeypatch)
    hits, pages = _hits(capsys)
    cold = _cold(project, tmp_path / "koud", tmp_path, monkeypatch)
    assert marker in (cold / "dilemmas" / "joint" / "index.html").read_text("utf-8")
    assert not compare(cold, site)
    assert hits == 0


def test_a_damaged_entry_is_rendered_again_never_copied(built, tmp_path, monkeypatch, capsys):
    project, cache = built
    for entry in _entries(cache):
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x20
        entry.write_bytes(bytes(data))
    capsys.readouterr()
    site = _build(project, tmp_path / "weer", cache, monkeypatch)
    assert _hits(capsys)[0] == 0
    assert not compare(_cold(project, tmp_path / "koud", tmp_path, monkeypatch), site)


def test_a_failed_build_stores_no_pages(tmp_path, monkeypatch):
    from macros.site.build import BuildFailed

    project = make_project(tmp_path / "p")
    page = project / "content" / "pages" / "toegankelijkheid.md"
    page.write_text(page.read_text("utf-8") + "\n[kapot](bestaat-niet.md)\n", encoding="utf-8")
    cache = _cache_dir(tmp_path)
    with pytest.raises(BuildFailed):
        _build(project, tmp_path / "site", cache, monkeypatch)
    assert not _entries(cache)


def test_another_plugin_sees_every_page(tmp_path, monkeypatch, capsys):
    """A plugin Kompas does not know may collect something from every page it reads (Material's
    search plugin does): with one configured, every page is rendered, none comes from the cache."""
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1), encoding="utf-8")
    cache = _cache_dir(tmp_path)
    for name in ("eerst", "weer"):
        capsys.readouterr()
        site = _build(project, tmp_path / name, cache, monkeypatch)
        err = capsys.readouterr().err
        assert "Geen paginacache: de plugin(s) material/search moeten elke pagina zien." in err
        assert "uit de paginacache" not in err
    assert (site / "search" / "search_index.json").is_file()
    assert not _entries(cache)


def test_a_warm_build_links_its_pages_from_the_cache_and_refuses_a_changed_one(built, tmp_path, monkeypatch, capsys):
    """A restored page and a kept session file are hard links to the cache's entry (no bytes written);
    a site file changed in place changes that entry, which the next build then refuses."""
    project, cache = built
    capsys.readouterr()
    site = _build(project, tmp_path / "weer", cache, monkeypatch)
    hits, total = _hits(capsys)
    assert hits == total > 0
    page = site / "dilemmas" / "joint" / "index.html"
    assert page.stat().st_nlink >= 2, "the page was copied, not linked"
    cards = list((site / "sessie" / "kaarten").glob("*.json"))  # one per card, with its HTML
    assert cards and all(p.stat().st_nlink >= 2 for p in cards), "the session files were written again"
    original = page.read_bytes()
    with open(page, "r+b") as handle:  # an editor saving over the file: the same inode
        handle.seek(len(original) // 2)
        handle.write(b"X")
    site = _build(project, tmp_path / "derde", cache, monkeypatch)
    assert _hits(capsys) == (total - 1, total)
    assert (site / "dilemmas" / "joint" / "index.html").read_bytes() == original


def test_a_linked_entry_is_copied_where_links_are_not_possible(tmp_path, monkeypatch):
    import errno
    import os

    from macros.store import atomic, entries

    entry = tmp_path / "entry"
    entry.write_bytes(b"<p>pagina</p>")
    sha = atomic.sha256_bytes(b"<p>pagina</p>")

    def no_links(*args, **kwargs):
        raise OSError(errno.EXDEV, "another file system")

    monkeypatch.setattr(os, "link", no_links)
    assert entries.link_checked(entry, sha, tmp_path / "site.html")
    assert (tmp_path / "site.html").read_bytes() == b"<p>pagina</p>"
    assert (tmp_path / "site.html").stat().st_nlink == 1
    assert not entries.link_checked(entry, "0" * 64, tmp_path / "other.html")
    assert not (tmp_path / "other.html").exists()
    entries.keep_linked(tmp_path / "site.html", tmp_path / "kept")
    assert (tmp_path / "kept").read_bytes() == b"<p>pagina</p>"
    assert not list(tmp_path.glob(".schrijven-*"))
