"""The shared WeasyPrint set-up of every printed document (card decks, draaiboeken, handouts).

One place for: the Jinja environment of the print templates, the shipped Lato font (its
``@font-face`` rules and WeasyPrint's font configuration), laying out HTML as a tagged PDF
(language from the HTML, fonts embedded), cheap page references for big tagged documents,
fewer garbage collections while laying out, and writing PDFs by content hash into a cache
folder (atomically, :mod:`macros.store.cache`) so that an unchanged document is linked instead of laid out again.

WeasyPrint is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..content.cards_fit import FONT_DIR
from ..store import atomic, entries, keys
from ..store.cache import DOCUMENT_GRACE_SECONDS, Cache
from .pydyf_pages import cache_page_references
from .weasyprint_fonts import remove_font_folder


class Renderer:
    """A stylesheet with the shipped font, ready to lay out HTML as tagged PDF documents.

    WeasyPrint parses the stylesheet at the first layout, not before: a build whose documents
    all come from the cache only needs ``css_text`` (for the cache key).
    """

    def __init__(self, css: str) -> None:
        self.css_text = css
        self._prepared = None  # (font configuration, parsed stylesheet)

    def _prepare(self):
        if self._prepared is None:
            from weasyprint import CSS  # imported here: the validator never needs WeasyPrint
            from weasyprint.text.fonts import FontConfiguration

            cache_page_references()
            fonts = FontConfiguration()  # required for the @font-face rules of the shipped font
            self._prepared = (fonts, CSS(string=self.css_text, font_config=fonts))
        return self._prepared

    @property
    def fonts(self):
        return self._prepare()[0]

    @property
    def css(self):
        return self._prepare()[1]

    def layout(self, html: str):
        from weasyprint import HTML

        fonts, css = self._prepare()
        return HTML(string=html, base_url=str(FONT_DIR)).render(stylesheets=[css], font_config=fonts, pdf_tags=True)

    def close(self) -> None:
        """Remove the font folder WeasyPrint made for this configuration (see :mod:`macros.printing.weasyprint_fonts`)."""
        if self._prepared is not None:
            remove_font_folder(self._prepared[0])


def finalize_at_exit(renderer: Renderer) -> Renderer:
    """Close ``renderer`` at exit, before modules are torn down: by atexit in this process, and
    also in the worker processes of a pool, which end without atexit handlers."""
    from multiprocessing import util

    util.Finalize(renderer, renderer.close, exitpriority=0)
    return renderer


@contextmanager
def fewer_collections(threshold: int = 50_000):
    """Run the cyclic garbage collector less often while a document is laid out and written.

    WeasyPrint allocates millions of small objects that mostly live until the PDF is written,
    so with the default threshold (700) the collector keeps scanning a growing heap: about 14 %
    of the time of a 200-card deck (2.6 s, 11 full collections). With 50,000 that is about
    1.1 s. Reference counting still frees everything else at once; the old thresholds return
    afterwards, also on an error.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(threshold, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def write_atomic(document, out_path: Path) -> Path:
    """Write a laid-out document as a tagged PDF; the file appears only when complete."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # created with the mode the umask gives, like any other site file (not mkstemp's 0600)
    handle, temporary = atomic.new_file(out_path.parent, f".{out_path.name}-", ".tmp")
    os.close(handle)
    try:
        document.write_pdf(temporary, pdf_tags=True)
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out_path


@cache
def weasyprint_version() -> str:
    """WeasyPrint's version, read without importing WeasyPrint (that takes seconds; a build whose
    documents all come from the cache never needs it)."""
    from importlib.metadata import version

    return version("weasyprint")


_FONT_URL = re.compile(r'url\("file://[^"]*/([^"/]+)"\)')


def css_key(css: str) -> str:
    """A stylesheet as part of a cache key: the shipped font's file URLs (which name the folder Kompas
    is installed in) by their file names only, so that the key is the same in every checkout."""
    return _FONT_URL.sub(r'url("\1")', css)


def digest(html: str, css: str, kind: str) -> str:
    """The cache key of a document: its HTML, its stylesheet and the WeasyPrint version."""
    return keys.digest(weasyprint_version(), kind, css_key(css), html)


@dataclass(frozen=True)
class Printed:
    """A document written by :func:`build_cached`."""

    path: Path
    pages: int


def build_cached(jobs, renderer: Renderer, kind: str, *, cache_dir: Path | None = None, check=None) -> list[Printed]:
    """Write each ``(html, target)`` of ``jobs`` as a PDF, laid out with ``renderer``.

    With ``cache_dir`` (the project's cache of these documents, see :mod:`macros.store.cache`) a
    document whose HTML, stylesheet and WeasyPrint version are unchanged is linked from the cache
    instead of laid out again: layout is deterministic, so the bytes are the same. The cache keeps
    the PDF as a linked entry (:func:`keep_document`) and its page count as ``<digest>.pages``, a
    verified entry; a damaged entry is laid out again, never used. ``check(index, page_count)`` runs
    before anything of that document is written and may raise to refuse it (e.g. a handout longer
    than two pages): a refused document is never cached nor written. When every document is
    written, the entries no document used are removed.
    """
    cache = Cache(cache_dir)
    cached = cache.linked(PDF_SUFFIX)
    result = []
    used: set[str] = set()
    for index, (html, target) in enumerate(jobs):
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        key = digest(html, renderer.css_text, kind)
        used.add(key)
        pages = _cached_pages(cache, key) if key in cached else None
        if pages is not None:
            if check is not None:
                check(index, pages)
            if cache.link(cached[key][0], cached[key][1], target):
                result.append(Printed(target, pages))
                continue
        with fewer_collections():
            document = renderer.layout(html)
            pages = len(document.pages)
            if check is not None:
                check(index, pages)
            write_atomic(document, target)
        if cache:
            keep_document(target, cache, key, cached.get(key))
            cache.write(f"{key}.pages", str(pages).encode("ascii"))
        result.append(Printed(target, pages))
    cache.keep_only(used, grace=DOCUMENT_GRACE_SECONDS)
    return result


def measure_cached(html: str, renderer: Renderer, kind: str, cache: Cache, cached: dict, *, keep) -> int:
    """The number of pages of the document ``html``, laid out as :func:`build_cached` lays it out (the
    same renderer, HTML and key), or read from the cache a build or an earlier measurement left.

    ``cached``: :meth:`Cache.linked` of the cache (the PDFs it holds). A document laid out here that
    ``keep(pages)`` accepts is kept in the cache as a build would keep it (the PDF as a linked entry,
    its page count as ``<key>.pages``), so the build that follows links it instead of laying it out
    again; of one it refuses only the page count is kept (a build never uses it: it has no PDF)."""
    key = digest(html, renderer.css_text, kind)
    pages = _cached_pages(cache, key) if cache else None
    if pages is not None:
        return pages
    with fewer_collections():
        document = renderer.layout(html)
        pages = len(document.pages)
        if cache and cache.folder is not None and keep(pages):
            try:
                handle, name = atomic.new_file(cache.folder, atomic.writing_prefix(), ".pdf")  # the umask's mode
                os.close(handle)
            except OSError:
                return pages  # a cache that cannot be written is no cache
            written = Path(name)
            try:
                write_atomic(document, written)
                keep_document(written, cache, key, cached.get(key))
            except OSError:
                pass
            finally:
                written.unlink(missing_ok=True)
    if cache:
        cache.write(f"{key}.pages", str(pages).encode("ascii"))
    return pages


# A cached PDF is a linked entry (macros/store/cache.py) named ``<key>-<sha256>.pdf``: the site
# file that was written, hard-linked into the cache; the next build links it into its own site.
PDF_SUFFIX = ".pdf"


def keep_document(
    written: Path, cache: Cache, key: str, old: tuple[Path, str] | None = None, data: bytes | None = None
) -> None:
    """Keep a PDF just written into a site as the cache entry of ``key`` (replacing ``old``, the entry
    that was refused; ``data``: the bytes written, when the caller has them); a cache that cannot be
    written is no cache."""
    try:
        data = Path(written).read_bytes() if data is None else data
    except OSError:
        return
    name = entries.linked_name(key, atomic.sha256_bytes(data), PDF_SUFFIX)
    if cache.keep_link(written, name) and old is not None and old[0].name != name:
        old[0].unlink(missing_ok=True)


def _cached_pages(cache: Cache, key: str) -> int | None:
    data = cache.read(f"{key}.pages")
    text = data.decode("ascii", errors="replace") if data is not None else ""
    return int(text) if text.isdigit() else None
