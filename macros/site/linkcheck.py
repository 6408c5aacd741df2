"""A link checker over a built site: internal links and anchors, and outside resources.

Works on the HTML files only, so it covers links in generated HTML that the site
engine never sees. Each page is parsed once with a real HTML parser (lexbor, through
selectolax: fast enough for thousands of pages), so entities in attributes are decoded
as a browser decodes them.

A link is judged once for all the pages it means the same on: "../../assets/x.css" once
for every page two folders deep (see :func:`_scope`). With a ``cache_dir``, what each page
yields (its links and ids) is kept in one file between checks, by the SHA-256 of the page's
bytes, so a check after a build that changed a few pages parses only those.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..store.cache import Cache
from ..store.keys import project_cache_dir

_TAGS = "a, link, script, img, iframe, source, video, audio, embed, object"
_URL_ATTRIBUTES = ("href", "src", "data")
# <link rel=...> values that make a browser fetch something; others (canonical, alternate) are only references.
_LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "dns-prefetch",
    "preconnect",
    "mask-icon",
}
_SKIP_FILES = {"404.html"}
# The browser editor (issue 27, macros/site/redactie.py): Decap CMS's page is not checked, and a link
# into it ("Bewerken": redactie/#/collections/...) names a route of the editor, not an anchor.
_EDITOR = "redactie/"


@dataclass(frozen=True)
class LinkProblem:
    page: str  # site-relative path of the HTML file
    target: str  # the link as written
    reason: str  # Dutch

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


# What a page yields for the check: its links as (tag, value) pairs and its ids. Bump when the
# extraction below changes: a parse cache written by another extraction is then not used.
EXTRACTION = 1
CACHE_NAME = "pagina-links.bin"
_MAGIC = b"kompas-linkcache\n"


def cache_dir(root: Path) -> Path:
    """Where the parse cache of a project is kept (KOMPAS_CACHE_DIR overrides): a folder per project,
    so that keeping only the pages of the last check drops no other project's."""
    return project_cache_dir(root, "links")


def _extract(html: str, shared: dict) -> tuple[tuple, frozenset]:
    """The links (tag, value as written, entities decoded) and the ids of one page. Equal strings
    and pairs are shared between pages through ``shared`` (less memory, a smaller cache file)."""
    tree = LexborHTMLParser(html)
    links = []
    for node in tree.css(_TAGS):
        attributes = node.attributes
        tag = node.tag
        if tag == "link" and not _loads(attributes.get("rel")):
            tag = "a"  # a reference such as rel="canonical": checked like a link, not a resource
        for name in _URL_ATTRIBUTES:
            if name in attributes:
                pair = (tag, attributes[name] or "")
                links.append(shared.setdefault(pair, pair))
    ids = {node.attributes.get("id") or "" for node in tree.css("[id]")}
    ids |= {node.attributes.get("name") or "" for node in tree.css("[name]")}
    return tuple(links), frozenset(shared.setdefault(value, value) for value in ids)


def _html_files(site_dir: Path) -> dict[str, str]:
    """What ``site_dir.rglob("*.html")`` finds (files and folders so named, symbolic links to
    folders not followed), by site-relative path; one walk through the folders, which is faster."""
    found = {}
    root = str(site_dir)
    for folder, folders, files in os.walk(root):
        prefix = folder[len(root) + 1 :].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        for name in files + folders:
            if name.endswith(".html"):
                found[prefix + name] = os.path.join(folder, name)
    return found


class _HtmlFile:
    """Whether one site-relative path is among what :func:`_html_files` finds, without walking
    the whole site (a check of a few pages: ``kompas serve`` checks after each change, and the
    whole site in parts of 250 pages). Mapping-like, as the dict of :func:`_html_files`."""

    def __init__(self, site_dir: Path) -> None:
        self._root = str(site_dir)
        self._found: dict[str, bool] = {}
        self._folders: dict[str, bool] = {}

    def __contains__(self, rel) -> bool:
        found = self._found.get(rel)
        if found is None:
            found = self._found[rel] = self._find(rel)
        return found

    def __getitem__(self, rel: str) -> str:
        if rel not in self:
            raise KeyError(rel)
        return os.path.join(self._root, rel)

    def _find(self, rel) -> bool:
        if not (
            type(rel) is str
            and rel.endswith(".html")
            and rel == posixpath.normpath(rel)
            and not rel.startswith(("/", "../"))
        ):
            return False
        folder = rel.rpartition("/")[0]
        try:
            return self._walked(folder) and os.path.lexists(os.path.join(self._root, rel))
        except (OSError, ValueError):
            return False

    def _walked(self, folder: str) -> bool:
        """Whether os.walk lists ``folder``'s entries: it and the folders above it are folders,
        not symbolic links (except the site folder itself), and readable."""
        known = self._folders.get(folder)
        if known is None:
            path = os.path.join(self._root, folder) if folder else self._root
            if folder:
                try:
                    known = (
                        self._walked(folder.rpartition("/")[0])
                        and stat.S_ISDIR(os.lstat(path).st_mode)
                        and os.access(path, os.R_OK)
                    )
                except (OSError, ValueError):
                    known = False
            else:
                known = os.path.isdir(path) and os.access(path, os.R_OK)
            self._folders[folder] = known
        return known


class _Pages:
    """The HTML pages of a site: their paths, and the links and ids of each page, read when the
    check or a link needs them. Those are kept, the parsed pages are not (a large site is hundreds
    of MB of HTML).

    With a parse cache (``cache_dir``), what a page yields is kept per site-relative path with the
    SHA-256 of the page's bytes: a page whose bytes are unchanged is not parsed again."""

    def __init__(self, site_dir: Path, cache_dir: Path | None = None, *, walk: bool = True) -> None:
        self.paths = _html_files(site_dir) if walk else _HtmlFile(site_dir)
        self._walked = walk
        self._entries: dict[str, tuple] = {}  # rel -> (digest, links, ids) of this check
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        # the strings and pairs new pages share with the cached ones (see _extract)
        self._cached, self._shared = _load_cache(self._cache_dir) if self._cache_dir is not None else ({}, {})
        self._fresh: dict = {}  # rel -> (digest, links, ids) parsed in this check

    def open(self, rel: str) -> tuple[tuple, frozenset]:
        """The links and ids of ``rel``: read and parsed once per check (or taken from the cache)."""
        entry = self._entries.get(rel)
        if entry is None:
            with open(self.paths[rel], "rb") as handle:
                data = handle.read()
            if self._cache_dir is None:
                entry = (b"", *_extract(_text(data), self._shared))
            else:
                digest = hashlib.sha256(data).digest()
                entry = self._cached.get(rel)
                if entry is None or entry[0] != digest:
                    entry = (digest, *_extract(_text(data), self._shared))
                    self._fresh[rel] = entry
            self._entries[rel] = entry
        return entry[1], entry[2]

    def __contains__(self, rel: str) -> bool:
        return rel in self.paths

    def has_id(self, rel: str, anchor: str) -> bool:
        entry = self._entries.get(rel)
        return anchor in (entry[2] if entry is not None else self.open(rel)[1])

    def save(self) -> None:
        """Keep what this check parsed, and the earlier entries of the site's other pages; entries
        of pages that are gone are dropped. Written atomically, and only when something changed."""
        if self._cache_dir is None:
            return
        if not self._fresh and not self._walked:
            return  # (without a walk, which pages are gone is known only at the cost of a look at each)
        entries = {rel: entry for rel, entry in self._cached.items() if rel in self.paths}
        if not self._fresh and len(entries) == len(self._cached):
            return
        entries.update(self._fresh)
        _store_cache(self._cache_dir, entries, self._shared)


def _text(data: bytes) -> str:
    """The page as ``Path.read_text(encoding="utf-8", errors="replace")`` gives it."""
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _cache_header() -> bytes:
    import selectolax

    versions = f"{EXTRACTION} selectolax={getattr(selectolax, '__version__', '-')} marshal={marshal.version}\n"
    return _MAGIC + versions.encode()


def _load_cache(cache_dir: Path) -> tuple[dict, dict]:
    """The entries of the parse cache, and their pairs and ids (to share with new pages); empty when
    the file is missing, unreadable, damaged or of another extraction (the check then parses every
    page: slower, never different)."""
    try:
        found = Cache(cache_dir).read_digest(CACHE_NAME)  # verified: its checksum
        if found is None:
            return {}, {}
        data, digest = found
        header = _cache_header()
        if not data.startswith(header):
            return {}, {}
        remembered = _LOADED.get(str(cache_dir))
        if remembered is not None and remembered[0] == digest:  # the file this process read or wrote last
            return remembered[1], remembered[2]
        entries = marshal.loads(data[len(header) :])
        shared = _well_formed(entries)
        if shared is None:
            return {}, {}
        _remember(cache_dir, digest, entries, shared)
        return entries, shared
    except Exception:  # noqa: BLE001 - any damage means: no cache
        return {}, {}


# The cache file this process read or wrote last, by cache folder: (SHA-256 of its payload, entries,
# shared). A long-running process (kompas serve checks the site in parts, again after every change)
# then reads the file but does not decode it again while its content is the same. Never changed in place.
_LOADED: dict[str, tuple[str, dict, dict]] = {}


def _remember(cache_dir: Path, digest: str, entries: dict, shared: dict) -> None:
    _LOADED.clear()
    _LOADED[str(cache_dir)] = (digest, entries, shared)


def _well_formed(entries) -> dict | None:
    """Whether ``entries`` has the shape :meth:`_Pages.open` relies on: {rel: (digest, links, ids)}
    (a file with the right checksum but another content must not make the check fail); if so,
    every pair and id in it, as a dict of each to itself, else None."""
    if type(entries) is not dict:
        return None
    for rel, entry in entries.items():
        if not (
            type(rel) is str
            and type(entry) is tuple
            and len(entry) == 3
            and type(entry[0]) is bytes
            and type(entry[1]) is tuple
            and type(entry[2]) is frozenset
        ):
            return None
    pairs = set().union(*(entry[1] for entry in entries.values()))  # (equal pairs are one object: few)
    ids = set().union(*(entry[2] for entry in entries.values()))
    if not (
        all(type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str for pair in pairs)
        and all(type(value) is str for value in ids)
    ):
        return None
    shared = dict(zip(pairs, pairs))
    shared.update(zip(ids, ids))
    return shared


def _store_cache(cache_dir: Path, entries: dict, shared: dict) -> None:
    """Write the parse cache atomically; a cache that cannot be written is skipped without a word."""
    payload = _cache_header() + marshal.dumps(entries)
    if Cache(cache_dir).write(CACHE_NAME, payload):
        _remember(cache_dir, hashlib.sha256(payload).hexdigest(), entries, shared)


def check_site(site_dir: Path, only=None, cache_dir: Path | None = None) -> list[LinkProblem]:
    """Every broken link and anchor in the built site; ``only`` (site-relative HTML paths):
    check the links on just those pages (their targets are still looked up in the whole site).
    ``cache_dir``: a folder for the parse cache (what each page yields, kept between checks)."""
    site_dir = Path(site_dir)
    _FS_CACHE.clear()  # the site may have changed since the last check
    _SPLIT_CACHE.clear()
    pages = _Pages(site_dir, cache_dir, walk=only is None)
    # A link means the same from many pages (every page links the same assets and overviews):
    # each link is judged once per folder its result depends on (see _scope). A table per such
    # folder holds the judgements, by (tag, link as written).
    tables: dict[str, dict] = {}
    site_wide: dict = {}  # links judged the same from every page (and those that climb out of the site)
    scopes: dict[tuple[str, str], int] = {}
    anchors: dict[str, str] = {}  # same-page link as written -> its anchor
    problems: list[LinkProblem] = []
    chosen = cast("dict[str, str]", pages.paths) if only is None else {rel for rel in set(only) if rel in pages.paths}
    for rel in sorted(chosen):
        if rel in _SKIP_FILES or rel.startswith(_EDITOR):
            continue
        links, ids = pages.open(rel)
        base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        folders = base.split("/")[:-1]
        # the table of the page's folder (0 levels up), of its parent folder (1), ... up to the site root
        levels = [tables.setdefault("/".join(folders[: len(folders) - up]) + "/", {}) for up in range(len(folders) + 1)]
        for pair in links:
            scope = scopes.get(pair)
            if scope is None:
                scope = scopes[pair] = _scope(pair[1])
            if scope == _SAME_PAGE:  # depends on the page itself
                tag, raw = pair
                url = raw.strip()
                if not url:
                    problem = None if tag == "a" else "lege bronverwijzing"
                else:
                    anchor = anchors.get(raw)
                    if anchor is None:
                        anchor = anchors[raw] = unquote(_split(url)[2])
                    problem = f"anker '#{anchor}' bestaat niet" if anchor and anchor not in ids else None
            else:
                table = levels[scope] if scope < len(levels) else site_wide
                problem = table.get(pair, _UNSET)
                if problem is _UNSET:
                    problem = table[pair] = _check_one(pair[0], pair[1], rel, base, site_dir, pages)
            if problem:
                problems.append(LinkProblem(rel, pair[1], problem))
    pages.save()
    return problems


_SAME_PAGE = -1  # empty, or only an anchor: judged on each page
_ANYWHERE = 1 << 30  # with a scheme, or an absolute path: judged once for the whole site
_UNSET = object()


def _scope(raw: str) -> int:
    """On what the judgement of the link ``raw`` depends, besides the link itself: the page
    (_SAME_PAGE), nothing (_ANYWHERE), or the folder k levels above the page's folder (k).

    A relative path that climbs at most k levels above the page's folder on its way (k=0 for
    "x/y", 2 for "../../x" or "../x/../../y") resolves the same for every folder with the same
    ancestor k levels up: the steps below that ancestor are all undone. From a folder less than
    k deep it points outside the site, whatever the folder (so those share one judgement too).
    A path that starts with "/" after decoding ("%2F...") or a link without a path ("?x")
    is judged per folder of the page (k=0), as the checker always did.
    """
    url = raw.strip()
    if not url or url.startswith("#"):
        return _SAME_PAGE
    scheme, path, _ = _split(url)
    if scheme or url.startswith("/"):
        return _ANYWHERE
    path = unquote(path)
    if not path or path.startswith("/"):
        return 0
    depth = lowest = 0
    for step in path.split("/"):
        if step == "..":
            depth -= 1
            lowest = min(lowest, depth)
        elif step and step != ".":
            depth += 1
    return -lowest


def _loads(rel: str | None) -> bool:
    rels = (rel or "").lower().split()
    return not rels or any(value in _LOADING_RELS for value in rels)


def _check_one(tag, raw, rel, base, site_dir, pages: _Pages) -> str | None:
    url = raw.strip()
    if not url:
        return None if tag == "a" else "lege bronverwijzing"
    scheme, path, fragment = _split(url)
    if scheme or url.startswith("//"):
        if tag == "a":
            if scheme in ("http", "https", "mailto", "tel"):
                return None
            return f"link met schema '{scheme}:' is niet toegestaan"
        return "laadt een bron van buiten de site"
    if url.startswith("/"):
        return "absoluut pad: werkt niet als de site in een submap staat"
    path = unquote(path)
    anchor = unquote(fragment)
    if not path:
        target = rel
    else:
        resolved = _normalise(base + path)
        if resolved is None:
            return "verwijst buiten de site"
        if resolved == "" or resolved.endswith("/"):
            target = resolved + "index.html"
        elif _cached(site_dir, resolved, "dir"):
            target = resolved + "/index.html"
        else:
            target = resolved
        if target not in pages and not _cached(site_dir, target, "file"):
            return "doel bestaat niet"
    if anchor and target in pages and not target.startswith(_EDITOR) and not pages.has_id(target, anchor):
        return f"anker '#{anchor}' bestaat niet"
    return None


_FS_CACHE: dict[tuple[str, str, str], bool] = {}
_SPLIT_CACHE: dict[str, tuple[str, str, str]] = {}
_PLAIN = re.compile(r"[^\x00-\x20:]*").fullmatch  # no scheme, nothing urlsplit removes or strips


def _split(url: str) -> tuple[str, str, str]:
    """The scheme, path and fragment of ``url`` as ``urlsplit`` gives them; a plain relative
    link (the most common) is split directly, which is several times faster."""
    parts = _SPLIT_CACHE.get(url)
    if parts is None:
        if _PLAIN(url) and not url.startswith("//"):
            path, _, fragment = url.partition("#")
            parts = ("", path.partition("?")[0], fragment)
        else:
            split = urlsplit(url)
            parts = (split.scheme, split.path, split.fragment)
        _SPLIT_CACHE[url] = parts
    return parts


def _cached(site_dir: Path, rel: str, kind: str) -> bool:
    """is_dir/is_file of a path in the site, asked once per check: every page links the same assets."""
    key = (str(site_dir), rel, kind)
    known = _FS_CACHE.get(key)
    if known is None:
        known = _FS_CACHE[key] = _is(os.path.join(key[0], rel), stat.S_ISDIR if kind == "dir" else stat.S_ISREG)
    return known


def _is(path: str, test) -> bool:
    """``Path.is_dir()``/``is_file()`` (``test``: stat.S_ISDIR/S_ISREG) without making a Path: False
    for a path that is not there (or a link loop), an error for one that cannot be looked at."""
    try:
        return test(os.stat(path).st_mode)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise
    except ValueError:
        return False


def _normalise(path: str) -> str | None:
    """The site-relative path ``path`` points at ('' is the site root), or None outside the site."""
    joined = posixpath.normpath(path) if path else "."
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    joined = "" if joined == "." else joined
    return joined + "/" if path.endswith("/") and joined else joined
