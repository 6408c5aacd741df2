"""A link checker over a built site: internal links and anchors, and outside resources.

Works on the HTML files only, so it covers links in generated HTML that the site
engine never sees. Regular expressions instead of a full HTML parser keep it linear
and fast at thousands of pages; the site's HTML comes from our templates and the theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTR = re.compile(r"<(a|link|script|img|iframe|source|video|audio|embed|object)\b([^>]*)>", re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(href|src|data)\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
# An id or name attribute: preceded by white space or a quote (so not data-id), any case.
_ID = re.compile(r"""[\s"'](?:[iI][dD]|[nN][aA][mM][eE])\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL = re.compile(r"""\brel\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
# <link rel=...> values that make a browser fetch something; others (canonical, alternate) are only references.
_LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                 "manifest", "dns-prefetch", "preconnect", "mask-icon"}
_SKIP_FILES = {"404.html"}


@dataclass(frozen=True)
class LinkProblem:
    page: str  # site-relative path of the HTML file
    target: str  # the link as written
    reason: str  # Dutch

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


def _ids(html: str) -> set[str]:
    return {m.group(1) if m.group(1) is not None else m.group(2) for m in _ID.finditer(html)}


# Same-page anchors answered by substring search before a page's ids are scanned once.
QUICK_LOOKUPS = 8
_BEFORE_ID = frozenset(" \t\n\r\f\"'")


def _has_id(html: str, anchor: str, all_ids) -> bool:
    """Whether ``anchor`` is an id or name in ``html``. The usual spelling ``id="anchor"`` is
    found by a plain substring search; anything else falls back to the full id scan
    (``all_ids()``, computed once per page)."""
    if '"' not in anchor:
        needle = f'id="{anchor}"'
        at = html.find(needle)
        while at != -1:
            if at > 0 and html[at - 1] in _BEFORE_ID:
                return True
            at = html.find(needle, at + 1)
    return anchor in all_ids()


class _Pages:
    """The HTML pages of a site: their paths, and the ids of a page read when a link needs them.
    Only the page being checked is held in memory (a large site is hundreds of MB of HTML)."""

    def __init__(self, site_dir: Path) -> None:
        self.paths = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*.html")}
        self._ids: dict[str, set[str]] = {}
        self.current = ""
        self.html = ""
        self.lookups = 0  # anchor look-ups on the current page

    def open(self, rel: str) -> str:
        """Make ``rel`` the page being checked and return its HTML."""
        self.current, self.html, self.lookups = rel, self.read(rel), 0
        return self.html

    def __contains__(self, rel: str) -> bool:
        return rel in self.paths

    def read(self, rel: str) -> str:
        return self.paths[rel].read_text(encoding="utf-8", errors="replace")

    def ids(self, rel: str) -> set[str]:
        if rel not in self._ids:
            self._ids[rel] = _ids(self.html if rel == self.current else self.read(rel))
        return self._ids[rel]

    def has_id(self, rel: str, anchor: str) -> bool:
        if rel == self.current and rel not in self._ids:
            # a few anchors (a table of contents): substring searches; many anchors (a long
            # overview with an index) would make that quadratic: then one scan for all ids
            self.lookups += 1
            if self.lookups <= QUICK_LOOKUPS:
                return _has_id(self.html, anchor, lambda: self.ids(rel))
        return anchor in self.ids(rel)


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
        html = pages.open(rel)
        base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        for tag_match in _ATTR.finditer(html):
            tag = tag_match.group(1).lower()
            if tag == "link" and not _loads(tag_match.group(2)):
                tag = "a"  # a reference such as rel="canonical": checked like a link, not a resource
            for attr_match in _URL_ATTR.finditer(tag_match.group(2)):
                raw = attr_match.group(3) if attr_match.group(3) is not None else attr_match.group(4)
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


def _loads(attributes: str) -> bool:
    match = _REL.search(attributes)
    rels = (match.group(2) if match and match.group(2) is not None else match.group(3) if match else "").lower().split()
    return not rels or any(rel in _LOADING_RELS for rel in rels)


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
    out: list[str] = []
    trailing = path.endswith("/")
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(part)
    joined = "/".join(out)
    return joined + "/" if trailing and joined else joined
