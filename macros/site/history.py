"""Change history: recent changes, the Atom feed of them, and items due for review.

Everything comes from each item's ``beheer`` fields (``versie``, ``gewijzigd``,
``herzien_voor``, ``eigenaar``), so the history is the same in every checkout and every
build of the same content. Rendering goes through the Renderer's Jinja templates
(``fragmenten/wijzigingen.md.j2``, ``fragmenten/te_herzien.md.j2``, ``wijzigingen.xml.j2``).
This module knows nothing about MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from ..content.model import REVIEW_WINDOW_DAYS, Beheer, Corpus
from ..render.render import Renderer, page_url

RECENT = 50  # changes on the Wijzigingen page and in the feed
FEED_PATH = "wijzigingen.xml"
SOORT_NAMEN = {
    "themablad": "Themablad",
    "dilemma": "Dilemma",
    "uitspraak": "Uitspraak",
    "module": "Module",
    "onderwerp": "Onderwerp",
}


@dataclass(frozen=True)
class Item:
    """One content item as the change history sees it."""

    soort: str  # themablad | dilemma | uitspraak | module | onderwerp
    id: str
    titel: str
    samenvatting: str
    beheer: Beheer
    pad: str  # the content file, relative to the project root

    @property
    def url(self) -> str:
        return page_url(self.soort, self.id)

    @property
    def soort_naam(self) -> str:
        return SOORT_NAMEN[self.soort]


def items(corpus: Corpus) -> list[Item]:
    out = [Item("themablad", t.id, t.titel, t.samenvatting or "", t.beheer, t.pad) for t in corpus.themabladen]
    out += [Item("dilemma", d.id, d.titel, d.situatie, d.beheer, d.pad) for d in corpus.dilemmas]
    out += [Item("uitspraak", u.id, u.titel, u.samenvatting, u.beheer, u.pad) for u in corpus.uitspraken]
    out += [Item("module", m.id, m.titel, m.samenvatting or "", m.beheer, m.pad) for m in corpus.modules]
    out += [Item("onderwerp", o.id, o.titel, o.samenvatting, o.beheer, o.pad) for o in corpus.onderwerpen]
    return out


def recent_changes(corpus: Corpus, limit: int = RECENT) -> list[Item]:
    """The most recently changed items, newest first (ties: by kind and title)."""
    ordered = sorted(items(corpus), key=lambda i: (i.soort, i.titel.casefold(), i.id))
    ordered.sort(key=lambda i: i.beheer.gewijzigd, reverse=True)
    return ordered[:limit]


def due_for_review(corpus: Corpus, today: date, days: int = REVIEW_WINDOW_DAYS) -> list[Item]:
    """Items whose review date has passed or falls within ``days`` days, earliest first."""
    limit = today + timedelta(days=days)
    due = [i for i in items(corpus) if i.beheer.herzien_voor <= limit]
    return sorted(due, key=lambda i: (i.beheer.herzien_voor, i.soort, i.titel.casefold(), i.id))


def fragment_context(fragment: str, renderer: Renderer) -> dict:
    """Extra template context for the history fragments (none for other fragments)."""
    if fragment == "wijzigingen":
        return {"wijzigingen": recent_changes(renderer.corpus), "feed": FEED_PATH}
    if fragment == "te_herzien":
        return {"te_herzien": due_for_review(renderer.corpus, renderer.today), "dagen": REVIEW_WINDOW_DAYS}
    return {}


def atom_feed(renderer: Renderer, site_url: str | None = None, site_name: str = "Kompas") -> str:
    """The Atom feed of the recent changes.

    With ``site_url`` every link is absolute. Without it the links are relative
    references, which Atom resolves against the feed's own URL (the feed lies at the
    site root, so they work wherever the site is served); the entry ids do not depend on
    the address either way.
    """
    changes = recent_changes(renderer.corpus)
    base = site_url.rstrip("/") + "/" if site_url else ""
    authority = (urlsplit(site_url).hostname if site_url else None) or "kompas"
    updated = max((i.beheer.gewijzigd for i in changes), default=date(2000, 1, 1))
    return renderer.render(
        "wijzigingen.xml.j2",
        FEED_PATH,
        wijzigingen=changes,
        base=base,
        authority=authority,
        bijgewerkt=updated,
        site_name=site_name,
    )
