"""Site search: a Pagefind index over the built HTML, in shards that are kept between builds.

Pagefind writes a chunked index: a browser downloads only the small entry files and the index
chunks a query needs, so the search payload stays small when the corpus grows (Material's own
search ships one JSON file with the full text of every page). The binary comes inside the
``pagefind-bin`` wheel; nothing is downloaded at build time. Which part of a page is indexed,
and with which kind label, is decided by the theme override (``overrides/main.html``:
``data-pagefind-body`` and ``data-pagefind-filter``/``data-pagefind-meta`` "soort").

Sharding: indexing every page again after one changed dilemma took most of a warm build
(35 s CPU at 19,000 pages). The pages are therefore split into shards, each indexed by a
Pagefind run of its own and kept in a cache keyed by the bytes of its pages:

* an item page (``dilemmas/<id>/``, ``themabladen/<id>/``, ``uitspraken/<id>/``,
  ``modules/<id>/``, ``onderwerpen/<id>/``) goes to shard 0..N-1 by a stable hash of its path;
* every other indexed page (hand-written pages, the card overview) goes to shard 0. These
  change after almost any edit; they are few, and shard 0 holds as many item pages as the
  others: Pagefind ranks by the statistics of each bundle (how rare a word is in it), and a
  bundle of only these few pages put them above the item that was looked for (measured:
  "Testthema 1: nieuwe team" found the law page first).

Shard 0's bundle is the primary one, ``<site>/pagefind/``, with ``pagefind.js`` and the wasm as
before; shard k's bundle is ``<site>/pagefind/deel-NN/``, holding only what Pagefind's
``mergeIndex`` reads (entry, metadata, index, fragments, filters).
``pagefind/kompas-delen.json`` lists these bundles; the search script merges them on the first
search (``kompas-zoeken.js``). N, the number of bundles, follows from the number of item pages
(:func:`shard_count`); a site of at most ``PAGES_PER_SHARD`` item pages has one bundle.

A warm build runs Pagefind only for the shards whose pages changed and copies the others
from the cache (verified entries, :mod:`macros.store.cache`; a damaged entry is indexed
again). Pagefind's rule "when a page has ``data-pagefind-body``, pages without it are left
out" holds per run, so it is applied here, over the whole site, before pages are sharded.

This module knows nothing about MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..store import atomic
from ..store.cache import Cache
from ..store.children import dies_with_us
from ..store.errors import OperationFailed
from ..store.keys import digest, project_cache_dir

log = logging.getLogger("mkdocs.plugins.kompas.zoekindex")

OUTPUT_SUBDIR = "pagefind"
# Not indexed: the permalink signs of headings (they would end up in result titles).
EXCLUDE = ".headerlink"
_PAGES = re.compile(r"Indexed (\d+) pages?")
_WORDS = re.compile(r"Indexed (\d+) words?")

MANIFEST = "kompas-delen.json"  # in the primary bundle: the other bundles, for mergeIndex
SHARD_NAME = "deel-{:02d}"
ITEM_FOLDERS = ("dilemmas", "themabladen", "uitspraken", "modules", "onderwerpen")
LISTINGS = frozenset({"kernwaarde", "doelgroep", "herkomst"})  # dilemmas/<listing>/...: not items
PAGES_PER_SHARD = 120
# Every bundle adds its own index chunks to a search, so the number of bundles is bound by the
# search payload (1 MB at 19,000 pages, measured with "nachtdienst": 0.73 MB in one bundle; with 5, 7,
# 9 and 17 bundles 0.80, 0.97, 1.00 and 1.08 MB).
MAX_SHARDS = 5  # bundles, the primary one included
FORCE_SHARDS: int | None = None  # the tests set N (the number of bundles) here
# What mergeIndex reads of a bundle that is not the primary one (pagefind.js, the UI files and the
# wasm come from the primary bundle).
_MERGED = ("pagefind-entry.json", ".pf_meta", "index/", "fragment/", "filter/")
_FORMAT = "kompas-zoekdeel-2"
_BODY = b"data-pagefind-body"
CACHE_NAME = "zoekindex"

# A site path Pagefind's glob can name as it is (no glob characters).
_PLAIN = re.compile(r"[\w./@%+=~-]+")
STAGING = "kompas-zoek-"  # <temp>/kompas-zoek-<pid>-XXXX: the working folders of the Pagefind runs


class SearchIndexFailed(OperationFailed):
    """Pagefind could not index the site; the message says why, in Dutch (code HULPMIDDEL)."""

    code = "HULPMIDDEL"


@dataclass(frozen=True)
class IndexStats:
    pages: int
    words: int  # summed over the bundles (a word in two bundles counts twice)
    bytes: int  # size of the whole pagefind folder on disk
    shards: int = 1  # bundles in the index (the primary one and the merged ones)
    indexed: tuple[int, ...] = ()  # the shards Pagefind ran for (the others came from the cache)


def executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as error:  # pragma: no cover - dependency missing
        raise SearchIndexFailed("Pagefind ontbreekt: installeer het project opnieuw (make install).") from error
    return get_executable()


def version() -> str:
    try:
        from importlib import metadata

        return metadata.version("pagefind_bin")
    except Exception:  # noqa: BLE001 - not installed as a distribution  # pragma: no cover
        return str(executable())


def cache_dir(root: Path) -> Path:
    """Where the shards of a project's index are kept between builds (KOMPAS_CACHE_DIR overrides):
    one folder per project, so that keeping only what the last build used drops no other project's."""
    return project_cache_dir(root, CACHE_NAME)


# -- which page goes where ----------------------------------------------------------------------


def is_item_page(rel: str) -> bool:
    parts = rel.split("/")
    return (
        len(parts) == 3
        and parts[0] in ITEM_FOLDERS
        and parts[2] == "index.html"
        and not (parts[0] == "dilemmas" and parts[1] in LISTINGS)
    )


def shard_count(items: int) -> int:
    if FORCE_SHARDS is not None:
        return max(1, FORCE_SHARDS)
    return max(1, min(MAX_SHARDS, math.ceil(items / PAGES_PER_SHARD)))


def shard_of(rel: str, count: int) -> int:
    if not is_item_page(rel):
        return 0
    return int.from_bytes(hashlib.sha256(rel.encode("utf-8")).digest()[:8], "big") % count


@dataclass
class _Page:
    rel: str
    path: Path
    digest: str
    body: bool  # has a data-pagefind-body element


def _pages(site_dir: Path, skip: set[Path], stop: threading.Event) -> list[_Page]:
    """Every HTML page of the site (not in a dot folder or the index), with its digest."""
    found = []
    for folder, subfolders, files in os.walk(site_dir):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and here / d not in skip)
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            if stop.is_set():
                return []
            path = here / name
            data = path.read_bytes()
            found.append(_Page(path.relative_to(site_dir).as_posix(), path, indexed_digest(data), _has_body(data)))
    return found


# A part of a page that Pagefind does not index: one element with data-pagefind-ignore="all" between
# these comments (the lists of other items' titles on sheet, module and ruling pages: the dilemma's own
# page is the answer to its title). A page whose only change is inside such a part gives the same
# index, so its shard is not indexed again after, say, a dilemma's title changed. The templates put
# the comments exactly around the element (tests/site/test_search_shards.py checks every one in a site);
# content cannot add them (titles are escaped, Markdown fields lose their comments to nh3).
NOT_INDEXED = re.compile(rb"<!--kompas:niet-zoeken-->.*?<!--/kompas:niet-zoeken-->", re.S)


def indexed_digest(html: bytes) -> str:
    """The SHA-256 of what Pagefind reads of a page: its bytes without the parts it ignores."""
    return hashlib.sha256(NOT_INDEXED.sub(b"", html)).hexdigest()


def _has_body(html: bytes) -> bool:
    """Whether a tag of the page has the attribute data-pagefind-body (text that only mentions it
    is escaped, so its '<' is not there)."""
    at = html.find(_BODY)
    while at >= 0:
        end = html[at + len(_BODY) : at + len(_BODY) + 1]
        if (
            html.rfind(b"<", 0, at) > html.rfind(b">", 0, at)
            and html[at - 1 : at].isspace()
            and (end in (b"", b"=", b">", b"/") or end.isspace())
        ):
            return True
        at = html.find(_BODY, at + 1)
    return False


def plan(pages: list[_Page]) -> tuple[int, dict[int, list[_Page]]]:
    """N and the pages of each shard that has any (Pagefind's data-pagefind-body rule applied)."""
    if any(page.body for page in pages):
        pages = [page for page in pages if page.body]
    count = shard_count(sum(is_item_page(page.rel) for page in pages))
    shards: dict[int, list[_Page]] = {}
    for page in pages:
        shards.setdefault(shard_of(page.rel, count), []).append(page)
    if 0 not in shards and shards:  # the primary bundle must hold pages: the first shard is shard 0
        shards[0] = shards.pop(min(shards))
    return count, dict(sorted(shards.items()))


def shard_key(count: int, number: int, pages: list[_Page]) -> str:
    """The cache key of a shard: Pagefind and its options, the shard, and what it indexes of each page."""
    return digest(
        _FORMAT,
        version(),
        f"--exclude-selectors={EXCLUDE}",
        str(count),
        str(number),
        *(f"{page.rel}\0{page.digest}" for page in sorted(pages, key=lambda p: p.rel)),
    )


# -- cache entries: one shard's bundle as a folder of files and a verified list of them ------------
# Writing 19,000 small files costs seconds on some file systems, linking them a fraction of that:
# an entry is the folder ``<key>/`` with the bundle's files (hard links to the files of the site
# that made it, copies across file systems) and ``<key>.deck``, a verified entry
# (:mod:`macros.store.cache`) with the name, size and SHA-256 of every file and the statistics.
# The list is written last; a restore checks every file against it (a file changed through a link
# into a site is found that way) and links it into the new site. A damaged entry is indexed again.


def _bundle_files(folder: Path, *, primary: bool) -> list[tuple[str, Path]]:
    """The files of a bundle (for the primary one: without the other bundles and the manifest)."""
    files = []
    for top in sorted(folder.iterdir()):
        if primary and (top.name == MANIFEST or (top.is_dir() and top.name.startswith("deel-"))):
            continue
        files += sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
    return [(p.relative_to(folder).as_posix(), p) for p in files]


ENTRY_SUFFIX = ".deck"  # the verified list of a shard's files


def _store(cache: Cache, key: str, bundle: Path, stats: dict, *, primary: bool) -> None:
    """Put a bundle in the cache as an entry (see above); raises OSError."""
    listing = []

    def fill(folder: Path) -> None:
        for name, path in _bundle_files(bundle, primary=primary):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic.link_or_copy(path, target)
            data = target.read_bytes()
            listing.append((name, len(data), hashlib.sha256(data).hexdigest()))

    cache.store_folder(key, fill)
    header = {"format": _FORMAT, "stats": stats, "files": listing}
    if not cache.write(f"{key}{ENTRY_SUFFIX}", json.dumps(header, ensure_ascii=False).encode("utf-8")):
        raise OSError(f"de lijst van zoekdeel {key} kan niet bewaard worden")


def _restore_entry(cache: Cache, key: str, bundle: Path) -> dict | None:
    """Link the files of a sound entry into ``bundle``; its statistics, or None (nothing left behind)."""
    data = cache.read(f"{key}{ENTRY_SUFFIX}")
    if data is None:
        return None
    try:
        header = json.loads(data.decode("utf-8"))
        if header.get("format") != _FORMAT:
            return None
        folder = cache.path(key)
        made: set[Path] = set()
        for name, size, digest in header["files"]:
            source, target = folder / name, bundle / name
            content = source.read_bytes()
            if len(content) != size or hashlib.sha256(content).hexdigest() != digest:
                raise ValueError(name)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            atomic.link_or_copy(source, target)
        return header["stats"]
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(bundle, ignore_errors=True)
        return None


def _keep_for_merge(folder: Path) -> None:
    """Drop what mergeIndex does not read from a bundle that is not the primary one."""
    for path in list(folder.iterdir()):
        name = path.name + ("/" if path.is_dir() else "")
        if not any(name == wanted or (wanted.startswith(".") and name.endswith(wanted)) for wanted in _MERGED):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def _remove_dead_staging(parent: Path) -> None:
    for leftover in parent.glob(f"{STAGING}*"):
        writer = leftover.name[len(STAGING) :].split("-", 1)[0]
        if writer.isdigit() and not atomic.process_alive(int(writer)):
            shutil.rmtree(leftover, ignore_errors=True)


class Indexing:
    """The search index of a built site, made in the background (it reads only the HTML).

    ``Indexing(site_dir)`` returns at once, so the caller can do other work (render card decks,
    check links) on the other core; ``finish`` waits, stores the new shards in the cache and
    returns the statistics; ``cancel`` stops it (the running Pagefind and the thread) when the
    build fails anyway. ``output``: where the primary bundle goes (default ``<site>/pagefind``);
    ``cache_dir``: where shards are kept between builds (None: no cache).
    """

    def __init__(self, site_dir: Path, *, cache_dir: Path | None = None, output: Path | None = None) -> None:
        self.site_dir = Path(site_dir)
        self.output = Path(output) if output is not None else self.site_dir / OUTPUT_SUBDIR
        self.cache = Cache(cache_dir)
        self.binary = executable()
        if not os.access(self.binary, os.X_OK):
            raise SearchIndexFailed(
                "Pagefind kan niet starten (het programma is niet uitvoerbaar): installeer het "
                "project opnieuw (make install)."
            )
        self._stop = threading.Event()
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._result: tuple[int, int, tuple[int, ...], int] | None = None
        self._new: dict[str, tuple[Path, dict]] = {}  # key -> (bundle in the site, stats) to store
        self._used: set[str] = set()
        self.runs: list[int] = []  # the shards Pagefind ran for, in order
        self._thread = threading.Thread(target=self._run, daemon=True, name="kompas-zoekindex")
        self._thread.start()

    # -- the background thread ------------------------------------------------------------------
    def _run(self) -> None:
        staging = None
        try:
            parent = Path(tempfile.gettempdir())  # (Pagefind's options; pages only for odd paths, see _index)
            _remove_dead_staging(parent)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=parent))
            pages = _pages(self.site_dir, {self.output, self.site_dir / OUTPUT_SUBDIR}, self._stop)
            if self._stop.is_set():
                return
            count, shards = plan(pages)
            if not shards:
                raise SearchIndexFailed("De zoekindex is niet gemaakt: de site heeft geen HTML-pagina's.")
            shutil.rmtree(self.output, ignore_errors=True)
            words = total = 0
            indexed = []
            bundles = []
            for number, members in shards.items():
                if self._stop.is_set():
                    return
                bundle = self.output if number == 0 else self.output / SHARD_NAME.format(number)
                key = shard_key(count, number, members)
                stats = self._restore(key, bundle)
                if stats is None:
                    stats = self._index(number, members, staging, bundle)
                    if stats is None:
                        return  # stopped
                    indexed.append(number)
                    self._new[key] = (bundle, stats)
                else:
                    self._used.add(key)
                total += stats["pages"]
                words += stats["words"]
                if number:
                    bundles.append(SHARD_NAME.format(number) + "/")
            (self.output / MANIFEST).write_text(json.dumps({"delen": bundles}) + "\n", encoding="utf-8")
            self._result = (total, words, tuple(indexed), len(shards))
        except BaseException as error:  # noqa: BLE001 - the thread hands every failure to finish()
            self._error = error
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def _restore(self, key: str, bundle: Path) -> dict | None:
        if not self.cache or not self.cache.path(f"{key}{ENTRY_SUFFIX}").exists():
            return None
        return _restore_entry(self.cache, key, bundle)  # None when damaged: the shard is indexed again

    def _index(self, number: int, members: list[_Page], staging: Path, bundle: Path) -> dict | None:
        """Run Pagefind over the pages of one shard, its bundle into ``bundle``; the statistics.

        Pagefind reads its options from ``pagefind.json`` in its working folder: the site, and a
        glob that names exactly the shard's pages (so that URLs are those of the whole site). A
        page whose path holds a glob character is not named that way: the shard's pages are then
        linked (or copied) into a folder of their own at the same relative paths.
        """
        work = staging / SHARD_NAME.format(number)
        work.mkdir()
        options = {"output_path": str(bundle), "exclude_selectors": [EXCLUDE]}
        if all(_PLAIN.fullmatch(page.rel) for page in members):
            options.update(site=str(self.site_dir), glob="{" + ",".join(page.rel for page in members) + "}")
        else:
            pages = work / "paginas"
            for page in members:
                target = pages / page.rel
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic.link_or_copy(page.path, target)
            options["site"] = str(pages)
        (work / "pagefind.json").write_text(json.dumps(options, ensure_ascii=False), encoding="utf-8")
        with self._lock:
            if self._stop.is_set():
                return None
            try:
                # Pagefind dies with the thread that waits for it (a killed build leaves no Pagefind behind)
                self._process = subprocess.Popen(
                    [str(self.binary)],
                    cwd=work,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    preexec_fn=dies_with_us(),
                )
            except OSError as error:
                raise SearchIndexFailed(
                    f"Pagefind kan niet starten ({error.strerror}): installeer het project opnieuw (make install)."
                ) from None
        stdout, stderr = self._process.communicate()
        if self._stop.is_set():
            return None
        if self._process.returncode != 0:
            raise SearchIndexFailed(
                f"De zoekindex is niet gemaakt (Pagefind gaf code {self._process.returncode}):\n"
                f"{stderr.strip() or stdout.strip()}"
            )
        if number:
            _keep_for_merge(bundle)
        self.runs.append(number)
        found_pages, found_words = _PAGES.search(stdout), _WORDS.search(stdout)
        return {
            "pages": int(found_pages.group(1)) if found_pages else 0,
            "words": int(found_words.group(1)) if found_words else 0,
        }

    # -- the caller's side ---------------------------------------------------------------------
    def finish(self) -> IndexStats:
        self._thread.join()
        if self._error is not None:
            if isinstance(self._error, SearchIndexFailed):
                raise SearchIndexFailed(str(self._error)) from None
            raise SearchIndexFailed(
                f"De zoekindex is niet gemaakt: {type(self._error).__name__}: {self._error}"
            ) from self._error
        if self._result is None:
            raise SearchIndexFailed("De zoekindex is niet gemaakt: het indexeren is gestopt.")
        pages, words, indexed, shards = self._result
        self._commit()
        log.info(
            f"Zoekindex: {shards} {'deel' if shards == 1 else 'delen'}, opnieuw geïndexeerd: "
            f"{', '.join(map(str, indexed)) if indexed else 'geen'}"
            f"{' (de rest uit de cache)' if len(indexed) < shards else ''}."
        )
        size = sum(p.stat().st_size for p in self.output.rglob("*") if p.is_file())
        return IndexStats(pages=pages, words=words, bytes=size, shards=shards, indexed=indexed)

    def cancel(self) -> None:
        with self._lock:
            self._stop.set()
            process = self._process
            if process is not None and process.poll() is None:
                process.kill()
        self._thread.join()

    def _commit(self) -> None:
        """Store the shards indexed now and drop the entries this index did not use."""
        if not self.cache:
            return
        try:
            for key, (bundle, stats) in self._new.items():
                _store(self.cache, key, bundle, stats, primary=bundle == self.output)
                self._used.add(key)
        except OSError:
            return  # a cache that cannot be written is no cache; the index is fine
        self.cache.keep_only(self._used)
