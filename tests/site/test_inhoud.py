"""Issue 27, item 8: `make inhoud`, what a change request that touches only content runs (validation
with the report for editors, the starter-content tests, the strict build without card decks), and
`kompas bouw --zonder-kaarten`. `make inhoud` runs for real in a clone of this checkout, as a
pipeline runs it; its time is measured in the benchmark (bench/run.py), not here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lib.project import checkout_copy, make_project
from lib.safety import run

VENV = Path(sys.prefix)  # the environment of the tests (make test: .venv); make must not install into it
DILEMMA = "content/dilemmas/drugs-op-festival.yaml"
TITLE = "Met vrienden die drugs gebruiken naar een festival"


def make_inhoud(project: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KOMPAS_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        ["make", "-s", "-o", f"{VENV}/.installed-stamp", "inhoud", f"VENV={VENV}"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def _entries(cache: Path) -> dict[str, int]:
    """Every cache entry (not the markers or locks) with its inode: an entry made again gets a new one."""
    return {
        p.relative_to(cache).as_posix(): p.stat().st_ino
        for p in cache.rglob("*")
        if p.is_file() and p.name != ".kompas-cache" and p.relative_to(cache).parts[0] != "sloten"
    }


@pytest.fixture(scope="module")
def clones(tmp_path_factory):
    """make inhoud in a clone of this checkout, then in a second clone elsewhere with the same cache
    folder (as a pipeline keeps it): (first clone, its output, second clone, its output, the cache
    entries after the first run, after the second)."""
    base = tmp_path_factory.mktemp("inhoud")
    cache = base / "cache"
    first = checkout_copy(base / "hier" / "kompas")
    one = make_inhoud(first, cache)
    assert one.returncode == 0, one.stdout[-3000:] + one.stderr[-3000:]
    before = _entries(cache)
    second = base / "ergens" / "anders" / "kompas"
    second.parent.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", str(first), str(second)], check=True, capture_output=True)
    two = make_inhoud(second, cache)
    assert two.returncode == 0, two.stdout[-3000:] + two.stderr[-3000:]
    return first, one, second, two, before, _entries(cache), cache


def test_make_inhoud_passes_on_the_starter_content_without_card_decks(clones):
    first, one, *_ = clones
    out = one.stdout + one.stderr
    assert "0 fouten, " in out  # the report for editors, whole corpus, cross-file checks included
    assert " passed" in out and " failed" not in out  # the starter-content tests
    assert f"Site gebouwd in {first / 'site'} (zonder kaarten, draaiboeken en handouts)." in out
    site = first / "site"
    assert (site / "dilemmas" / "drugs-op-festival" / "index.html").is_file()
    assert not list(site.rglob("*.pdf"))
    assert "gebouwd zonder kaarten" in (site / "kaarten" / "index.html").read_text(encoding="utf-8")


def test_a_second_clone_elsewhere_reuses_the_kept_caches(clones):
    """Issue 29 made the keys of every cache path-free: the next pipeline's clone, in another folder,
    takes every item page and search shard from the cache the first one kept."""
    first, one, second, two, before, after, cache = clones
    out = two.stdout + two.stderr
    line = next(line for line in out.splitlines() if line.startswith("Itempagina's uit de paginacache:"))
    hits, _, total = line.removeprefix("Itempagina's uit de paginacache: ").rstrip(".").partition(" van ")
    assert hits == total and int(total) > 50, line
    assert "opnieuw geïndexeerd: geen" in out
    made_again = sorted(
        name
        for name, inode in after.items()
        if before.get(name) != inode and not name.startswith(("valideren/", "memo/", "links/"))
    )  # (rewritten when they change)
    assert made_again == [], made_again
    assert any(name.startswith("valideren/") for name in after) and set(after) == set(before)
    assert not (first / ".cache").exists() and not (second / ".cache").exists()  # all of it in KOMPAS_CACHE_DIR


def test_make_inhoud_fails_on_a_broken_reference_naming_the_item_the_field_and_the_line(clones):
    *_, second, _, _, _, cache = clones
    dilemma = second / DILEMMA
    text = dilemma.read_text(encoding="utf-8")
    assert "themabladen: [gedrag-in-vrije-tijd]\n" in text
    dilemma.write_text(
        text.replace("themabladen: [gedrag-in-vrije-tijd]", "themabladen: [gedrag-in-vrije-tyd]"), encoding="utf-8"
    )
    line = text.splitlines().index("themabladen: [gedrag-in-vrije-tijd]") + 1
    site_before = (second / "site" / "index.html").read_bytes()
    result = make_inhoud(second, cache)
    assert result.returncode != 0
    out = result.stdout
    assert (
        f"FOUT in dilemma '{TITLE}' (drugs-op-festival):\n"
        "    veld: themabladen[1] (in de editor: Themabladen)\n"
        "    wat er mis is: Verwijzing naar het themablad 'gedrag-in-vrije-tyd', maar dat bestaat niet. "
        "[VERWIJZING-THEMABLAD]\n"
        "    wat je doet: Bestaande themabladen staan in themabladen/.\n"
        f"    bestand: {DILEMMA}:{line}:15"
    ) in out
    assert "1 fout, " in out and "Site gebouwd" not in out + result.stderr
    assert (second / "site" / "index.html").read_bytes() == site_before  # nothing half-built replaced it


def test_bouw_zonder_kaarten_is_as_strict(tmp_path):
    """The build without decks refuses what the build refuses: content errors, and what the pages make
    of it (a broken link: the link check runs)."""
    project = make_project(tmp_path / "project")
    env = {"KOMPAS_CACHE_DIR": str(tmp_path / "cache")}
    page = project / "content" / "pages" / "toegankelijkheid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[weg](bestaat-niet.md)\n", encoding="utf-8")
    refused = run("bouw", "--zonder-kaarten", cwd=project, env=env)
    # (issue 31: validation refuses the broken link first, at the page's line, before anything is built)
    assert refused.returncode == 1 and "kompas bouw: INHOUD-FOUTEN fout: " in refused.stderr, refused.stderr
    assert "content/pages/toegankelijkheid.md:" in refused.stderr and "PAGINA-LINK" in refused.stderr
    assert "bestaat-niet" in refused.stderr and not (project / "site").exists()
    page.write_text(page.read_text(encoding="utf-8").replace("\n[weg](bestaat-niet.md)\n", ""), encoding="utf-8")
    built = run("bouw", "--zonder-kaarten", cwd=project, env=env)
    assert built.returncode == 0, built.stderr
    assert not list((project / "site").rglob("*.pdf")) and (project / "site" / "kaarten" / "index.html").is_file()
