"""The README is for a newcomer (issue 29): short, the two commands and the fast tier, who does what,
and every focused document under docs/ linked once (and every link leads somewhere)."""

from __future__ import annotations

import re

from lib.project import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
LINKS = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)


def test_the_readme_is_short():
    assert len(README.split()) <= 1200


def test_the_readme_names_the_two_commands_and_the_fast_tier():
    assert "make serve" in README and "make test" in README and "make test-snel" in README


def test_every_document_under_docs_is_linked_once():
    for document in sorted((ROOT / "docs").glob("*.md")):
        assert LINKS.count(f"docs/{document.name}") == 1, document.name


def test_every_link_leads_somewhere():
    local = [link for link in LINKS if "://" not in link]
    assert local and all((ROOT / link).exists() for link in local), [
        link for link in local if not (ROOT / link).exists()
    ]


def test_every_link_in_docs_leads_somewhere():
    broken = []
    for document in sorted((ROOT / "docs").glob("*.md")):
        for link in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", document.read_text(encoding="utf-8")):
            if "://" not in link and not (document.parent / link).exists():
                broken.append(f"{document.name}: {link}")
    assert broken == []
