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


class Indexing:
    """Pagefind running in the background over a built site (it reads only the HTML).

    ``start`` returns at once, so the caller can do other work (render card decks,
    check links) on the other core; ``finish`` waits and returns the statistics,
    ``cancel`` stops it when the build fails anyway.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(site_dir)
        command = [str(executable()), "--site", str(self.site_dir), "--output-subdir", OUTPUT_SUBDIR,
                   "--exclude-selectors", EXCLUDE]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            raise SearchIndexFailed(f"Pagefind kan niet starten ({error.strerror}): installeer het project opnieuw "
                                    "(make install).") from None

    def finish(self) -> IndexStats:
        stdout, stderr = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchIndexFailed(f"De zoekindex is niet gemaakt (Pagefind gaf code {self._process.returncode}):\n"
                                    f"{stderr.strip() or stdout.strip()}")
        return _stats(self.site_dir, stdout)

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def _stats(site_dir: Path, stdout: str) -> IndexStats:
    pages = _PAGES.search(stdout)
    words = _WORDS.search(stdout)
    folder = site_dir / OUTPUT_SUBDIR
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return IndexStats(pages=int(pages.group(1)) if pages else 0, words=int(words.group(1)) if words else 0,
                      bytes=size)
