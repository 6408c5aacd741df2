"""The link checker as it was before it was made faster (macros/site/linkcheck.py at commit 21b3c4d),
kept unchanged as the reference that tests/unit/site/test_linkcheck_fast.py compares the checker with: the same
problems, in the same order, with the same messages."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

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


@dataclass(frozen=True)
class LinkProblem:
    page: str  # site-relative path of the HTML file
    target: str  # the link as written
    reason: str  # Dutch

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _Page:
    """One parsed page: its links (tag, value as written, entities decoded) and its ids."""

    def __init__(self, html: str) -> None:
        tree = LexborHTMLParser(html)
        self.links: list[tuple[str, str]] = []
        for node in tree.css(_TAGS):
            attributes = node.attributes
            tag = node.tag
            if tag == "link" and not _loads(attributes.get("rel")):
                tag = "a"  # a reference such as rel="canonical": checked like a link, not a resource
            for name in _URL_ATTRIBUTES:
                if name in attributes:
                    self.links.append((tag, attributes[name] or ""))
        self.ids = {node.attributes.get("id") or "" for node in tree.css("[id]")}
        self.ids |= {node.attributes.get("name") or "" for node in tree.css("[name]")}


class _Pages:
    """The HTML pages of a site: their paths, and the ids of each page, read when a link needs them.
    The ids are kept, the parsed pages are not (a large site is hundreds of MB of HTML)."""

    def __init__(self, site_dir: Path) -> None:
        self.paths = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*.html")}
        self._ids: dict[str, set[str]] = {}

    def open(self, rel: str) -> _Page:
        """Parse ``rel`` (the page being checked) and keep its ids."""
        page = _Page(self.paths[rel].read_text(encoding="utf-8", errors="replace"))
        self._ids[rel] = page.ids
        return page

    def __contains__(self, rel: str) -> bool:
        return rel in self.paths

    def has_id(self, rel: str, anchor: str) -> bool:
        if rel not in self._ids:
            self.open(rel)
        return anchor in self._ids[rel]


def check_site(site_dir: Path, only=None) -> list[LinkProblem]:
    """Every broken link and anchor in the built site; ``only`` (site-relative HTML paths):
    check the links on just those pages (their targets are still looked up in the whole site)."""
    site_dir = Path(site_dir)
    _FS_CACHE.clear()  # the site may have changed since the last check
    pages = _Pages(site_dir)
    # A link with a path means the same from every page in one folder (every page links the
    # same assets and overviews): check each (tag, link, folder) once.
    checked: dict[tuple[str, str, str], str | None] = {}
    problems: list[LinkProblem] = []
    for rel in sorted(pages.paths if only is None else set(only) & set(pages.paths)):
        if rel in _SKIP_FILES:
            continue
        page = pages.open(rel)
        base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        for tag, raw in page.links:
            if not raw.strip() or raw.strip().startswith("#"):  # same page: depends on the page itself
                problem = _check_one(tag, raw, rel, base, site_dir, pages)
            else:
                key = (tag, raw, base)
                if key not in checked:
                    checked[key] = _check_one(tag, raw, rel, base, site_dir, pages)
                problem = checked[key]
            if problem:
                problems.append(LinkProblem(rel, raw, problem))
    return problems


def _loads(rel: str | None) -> bool:
    rels = (rel or "").lower().split()
    return not rels or any(value in _LOADING_RELS for value in rels)


def _check_one(tag, raw, rel, base, site_dir, pages: _Pages) -> str | None:
    url = raw.strip()
    if not url:
        return None if tag == "a" else "lege bronverwijzing"
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        if tag == "a":
            if parts.scheme in ("http", "https", "mailto", "tel"):
                return None
            return f"link met schema '{parts.scheme}:' is niet toegestaan"
        return "laadt een bron van buiten de site"
    if url.startswith("/"):
        return "absoluut pad: werkt niet als de site in een submap staat"
    path = unquote(parts.path)
    anchor = unquote(parts.fragment)
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
    if anchor and target in pages and not pages.has_id(target, anchor):
        return f"anker '#{anchor}' bestaat niet"
    return None


_FS_CACHE: dict[tuple[str, str, str], bool] = {}


def _cached(site_dir: Path, rel: str, kind: str) -> bool:
    """is_dir/is_file of a path in the site, asked once per check: every page links the same assets."""
    key = (str(site_dir), rel, kind)
    if key not in _FS_CACHE:
        path = site_dir / rel
        _FS_CACHE[key] = path.is_dir() if kind == "dir" else path.is_file()
    return _FS_CACHE[key]


def _normalise(path: str) -> str | None:
    """The site-relative path ``path`` points at ('' is the site root), or None outside the site."""
    joined = posixpath.normpath(path) if path else "."
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    joined = "" if joined == "." else joined
    return joined + "/" if path.endswith("/") and joined else joined


# -- comparing the link checker of macros/site/linkcheck.py with this reference ------------------------


def problems_of(problems) -> list[tuple[str, str, str]]:
    return [(p.page, p.target, p.reason) for p in problems]


def expected_problems(site: Path, only=None) -> list[tuple[str, str, str]]:
    """What this reference checker finds."""
    return problems_of(check_site(site, only=only))


def check_all_ways(folder: Path, only: list[str]) -> None:
    """The checker of macros/site/linkcheck.py finds what the reference finds: on the whole site and on
    ``only``, without and with its parse cache (cold and warm)."""
    from macros.site import linkcheck

    expected = expected_problems(folder)
    assert problems_of(linkcheck.check_site(folder)) == expected
    cache = folder.parent / (folder.name + "-cache")
    assert problems_of(linkcheck.check_site(folder, cache_dir=cache)) == expected  # cold
    assert problems_of(linkcheck.check_site(folder, cache_dir=cache)) == expected  # warm
    assert problems_of(linkcheck.check_site(folder, only=only)) == expected_problems(folder, only=only)
    assert problems_of(linkcheck.check_site(folder, only=only, cache_dir=cache)) == expected_problems(folder, only=only)


SEEDS = [
    "../../bestaat-niet/",
    "../../../../../x",
    "../#weg",
    "#nergens",
    "x/../../..",
    "?q#top",
    "?q#weg",
    "",
    "%2Fetc",
    "../../themabladen/#weg",
    "./",
    ".",
    "..",
    "../..",
    "index.html#zzz",
    "../../assets/",
    "javascript:x",
    "//x/y",
    "/abs",
    "../../themabladen/",
    "../../dilemmas/#weg",
    "../#content",
]
