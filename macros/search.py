"""Site search: a Pagefind index over the built HTML.

Pagefind writes a chunked index into ``<site>/pagefind/``: a browser downloads only
the small entry files and the index chunks a query needs, so the search payload stays
small when the corpus grows (Material's own search ships one JSON file with the full
text of every page). The binary comes inside the ``pagefind-bin`` wheel; nothing is
downloaded at build time. Which part of a page is indexed, and with which kind label,
is decided by the theme override (``overrides/main.html``: ``data-pagefind-body`` and
``data-pagefind-filter``/``data-pagefind-meta`` "soort").

This module knows nothing about MkDocs.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
# Not indexed: the permalink signs of headings (they would end up in result titles).
EXCLUDE = ".headerlink"
_PAGES = re.compile(r"Indexed (\d+) pages?")
_WORDS = re.compile(r"Indexed (\d+) words?")


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the message says why, in Dutch."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    words: int
    bytes: int  # size of the whole pagefind folder on disk


def executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as error:  # pragma: no cover - dependency missing
        raise SearchIndexFailed("Pagefind ontbreekt: installeer het project opnieuw (make install).") from error
    return get_executable()


def index_site(site_dir: Path) -> IndexStats:
    """Index the built site at ``site_dir`` in place (writes ``site_dir/pagefind``)."""
    site_dir = Path(site_dir)
    command = [str(executable()), "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR,
               "--exclude-selectors", EXCLUDE]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexFailed(f"De zoekindex is niet gemaakt (Pagefind gaf code {done.returncode}):\n"
                                f"{done.stderr.strip() or done.stdout.strip()}")
    pages = _PAGES.search(done.stdout)
    words = _WORDS.search(done.stdout)
    folder = site_dir / OUTPUT_SUBDIR
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return IndexStats(pages=int(pages.group(1)) if pages else 0, words=int(words.group(1)) if words else 0,
                      bytes=size)
