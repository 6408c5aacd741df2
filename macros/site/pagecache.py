"""Finished pages kept between builds: a page whose inputs did not change is copied, not rendered.

A warm `kompas bouw` (one dilemma changed) used to render all of its pages again through
Markdown and the theme, although only a handful show the change. The adapter asks this cache
for every generated item page outside the navigation (a dilemma, sheet, ruling or module page,
the pages per core value, target group and source). Its key covers everything the finished
HTML is made of:

* the page: its Markdown (the render layer's complete output, macro-free), source path and URL;
* the site: the navigation as the theme shows it (titles and URLs, in order) and every page
  path, so a renamed overview, a new page or a moved file renders every page again;
* the build: ``mkdocs.yml``, ``site_url``, the theme folders, the Kompas code (every file of
  the package: templates, theme overrides, Python) and the versions of the engine packages.

Equal key, equal bytes: the build is reproducible (tests/site/test_reproducible.py), and a warm
build equals a cold one (tests/site/test_warm_build.py). A page is a linked entry (see
:mod:`macros.store.cache`): ``<key>.html`` holds its exact bytes and is a hard link of the site
file that made it; one verified index holds what the build knows of every page, with its SHA-256
(one file read per build, not one per page). A restore checks the page against that digest and
links it into the new site; a damaged one is rendered again, never copied. The generated files of
the session page (one per card) are kept the same way by their content (``<sha256>.bestand``).
Entries are written only after the whole build succeeded (strict), and what this build did not use
is removed then, so the cache holds one site per project.

This module knows nothing about MkDocs; the adapter gives it strings and paths.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..store import atomic
from ..store.cache import Cache, entry_key
from ..store.keys import code_digest, digest

FOLDER = "paginas"
_HTML, _FILE = ".html", ".bestand"
INDEX = "paginas.index"


class PageCache:
    """The finished pages of one project (``<cache>/paginas/<project>/``)."""

    def __init__(self, root: Path, build: str) -> None:
        """``build``: the digest of the build inputs shared by every page (see the module text)."""
        self.build = digest(build, code_digest())
        self.cache = Cache.of(Path(root).resolve(), FOLDER)
        self._index: dict | None = None  # key -> what the build knows of the page, read at the first use
        self.used: set[str] = set()
        self.new: dict[str, tuple[Path, dict]] = {}
        self.new_files: dict[str, Path] = {}  # SHA-256 -> a generated file written by this build
        self.hits = 0

    @property
    def folder(self) -> Path | None:
        return self.cache.folder

    def key(self, site: str, src_uri: str, url: str, markdown: str) -> str:
        return digest(self.build, site, src_uri, url, markdown)

    @property
    def index(self) -> dict:
        """Every stored page: key -> title, anchors, links to anchors and the SHA-256 of its HTML
        (one verified entry, ``paginas.index``; a damaged one is an empty cache)."""
        if self._index is None:
            self._index = {}
            data = self.cache.read(INDEX)
            if data is not None:
                try:
                    loaded = json.loads(data.decode("utf-8"))
                except ValueError:
                    loaded = None
                if isinstance(loaded, dict):
                    self._index = loaded
        return self._index

    def restore(self, key: str, target: Path) -> dict | None:
        """Link the page of ``key`` to ``target`` and return what the build knows of it (title,
        anchors, links to anchors); None when there is no sound entry (render the page)."""
        if not self.cache:
            return None
        meta = self.index.get(key)
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            return None
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        if not self.cache.link(f"{key}{_HTML}", meta["sha256"], Path(target)):
            return None
        self.used.add(key)
        self.hits += 1
        return {name: value for name, value in meta.items() if name != "sha256"}

    def write_file(self, data: bytes, target: Path) -> None:
        """Write a generated site file (not a page): linked from the cache when it holds these bytes."""
        target = Path(target)
        sha = atomic.sha256_bytes(data)
        if self.cache.link(f"{sha}{_FILE}", sha, target):
            self.used.add(sha)
            return
        with open(target, "wb") as out:
            out.write(data)
        if self.cache:
            self.new_files[sha] = target

    def keep(self, key: str, written: Path, meta: dict) -> None:
        """Remember a rendered page; it is stored by :meth:`commit`, after the build succeeded."""
        self.new[key] = (Path(written), meta)

    def commit(self) -> None:
        """Store the pages rendered by this (successful) build and drop the entries it did not use."""
        if not self.cache:
            return
        index = {key: meta for key, meta in self.index.items() if key in self.used}
        try:
            for key, (written, meta) in self.new.items():
                sha = atomic.sha256_bytes(written.read_bytes())
                if not self.cache.keep_link(written, f"{key}{_HTML}"):
                    return  # a cache that cannot be written is no cache; the site is fine
                index[key] = {**meta, "sha256": sha}
                self.used.add(key)
        except OSError:
            return
        for sha, written in self.new_files.items():
            if not self.cache.keep_link(written, f"{sha}{_FILE}"):
                return
            self.used.add(sha)
        if index == self.index and not self.new and not self.new_files:  # nothing new: the index stays
            self.cache.keep_only({*self.used, entry_key(INDEX)})
        elif self.cache.write(INDEX, json.dumps(index, sort_keys=True, ensure_ascii=False).encode("utf-8"), sync=False):
            self.cache.keep_only({*self.used, entry_key(INDEX)})
