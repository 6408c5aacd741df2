"""A cache kept by CI serves the next clone, wherever it is checked out (issue 29): the keys of every
cache name no path of the checkout. A build of a copy of the project in another folder, with the cache
folder of the first build, takes every page, search shard, card deck and printed document from it."""

from __future__ import annotations

import shutil
from pathlib import Path

from lib.project import make_project
from lib.safety import run


def _entries(cache: Path) -> dict[str, int]:
    """Every cache entry (not the markers) with its inode: an entry made again gets a new one."""
    return {
        p.relative_to(cache).as_posix(): p.stat().st_ino
        for p in cache.rglob("*")
        if p.is_file() and p.name != ".kompas-cache" and not p.relative_to(cache).parts[0] == "sloten"
    }


def test_a_copy_of_the_project_elsewhere_builds_from_the_same_cache(tmp_path):
    first = make_project(tmp_path / "hier" / "project")
    cache = tmp_path / "cache"
    env = {"KOMPAS_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    assert run("bouw", cwd=first, env=env).returncode == 0
    before = _entries(cache)
    assert any(name.startswith("kaarten/") for name in before) and any(name.startswith("paginas/") for name in before)

    second = tmp_path / "ergens" / "anders" / "kopie"
    shutil.copytree(first, second, ignore=lambda folder, names: ["site"] if Path(folder) == first else [])
    result = run("bouw", cwd=second, env=env)
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    pages = next(line for line in log.splitlines() if line.startswith("Itempagina's uit de paginacache:"))
    hits, _, total = pages.removeprefix("Itempagina's uit de paginacache: ").rstrip(".").partition(" van ")
    assert hits == total, pages
    assert "opnieuw geïndexeerd: geen" in log
    after = _entries(cache)
    made_again = sorted(
        name
        for name, inode in after.items()
        if before.get(name) != inode and not name.startswith(("valideren/", "memo/", "links/"))
    )  # (rewritten when they change)
    assert made_again == [], made_again
    for pdf in (second / "site" / "kaarten").glob("*.pdf"):
        assert pdf.stat().st_nlink > 1, f"{pdf.name} was laid out again instead of linked from the cache"
    assert (second / "site").is_dir() and not (tmp_path / "hier" / "project" / ".cache").exists()
