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

Equal key, equal bytes: the build is reproducible (tests/test_reproducible.py), and a warm
build equals a cold one (tests/test_warm_build.py). Entries are verified like the deck cache
(:mod:`macros.content.atomic`): a damaged one is rendered again, never copied. Entries are
written only after the whole build succeeded (strict), and what this build did not use is
removed then, so the cache holds one site per project.

This module knows nothing about MkDocs; the adapter gives it strings and paths.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..content import atomic
from ..content.cache import project_cache_dir
from ..content.memo import code_digest, digest

FOLDER = "paginas"
_HTML, _META = ".html", ".json"


class PageCache:
    """The finished pages of one project (``<cache>/paginas/<project>/``)."""

    def __init__(self, root: Path, build: str) -> None:
        """``build``: the digest of the build inputs shared by every page (see the module text)."""
        root = Path(root).resolve()
        self.build = digest(build, code_digest())
        parent = atomic.cache_folder(project_cache_dir(root, FOLDER))
        self.folder = None
        if parent is not None:
            folder = parent / atomic.project_key(root)
            try:
                folder.mkdir(exist_ok=True)
                self.folder = atomic.cache_folder(folder)
            except OSError:
                self.folder = None
        self.used: set[str] = set()
        self.new: dict[str, tuple[Path, dict]] = {}
        self.hits = 0

    def key(self, site: str, src_uri: str, url: str, markdown: str) -> str:
        return digest(self.build, site, src_uri, url, markdown)

    def restore(self, key: str, target: Path) -> dict | None:
        """Copy the page of ``key`` to ``target`` and return what the build knows of it (title,
        anchors, links to anchors); None when there is no sound entry (render the page)."""
        if self.folder is None:
            return None
        out = io.BytesIO()
        if not atomic.check_entry(self.folder / f"{key}{_META}", out):
            return None
        try:
            meta = json.loads(out.getvalue().decode("utf-8"))
        except ValueError:
            return None
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        if not atomic.copy_entry(self.folder / f"{key}{_HTML}", Path(target)):
            return None
        self.used.add(key)
        self.hits += 1
        return meta

    def keep(self, key: str, written: Path, meta: dict) -> None:
        """Remember a rendered page; it is stored by :meth:`commit`, after the build succeeded."""
        self.new[key] = (Path(written), meta)

    def commit(self) -> None:
        """Store the pages rendered by this (successful) build and drop the entries it did not use."""
        if self.folder is None:
            return
        for key, (written, meta) in self.new.items():
            try:
                atomic.store_bytes(written.read_bytes(), self.folder / f"{key}{_HTML}", sync=False)
                atomic.store_bytes(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8"),
                                   self.folder / f"{key}{_META}", sync=False)
            except OSError:
                return  # a cache that cannot be written is no cache; the site is fine
            self.used.add(key)
        for entry in self.folder.iterdir():
            if entry.suffix in (_HTML, _META) and entry.stem not in self.used:
                entry.unlink(missing_ok=True)

