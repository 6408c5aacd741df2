"""Links: the checker over the built HTML (macros/site/linkcheck.py, run at every build) finds
zero broken internal links and anchors in the starter site, and catches a broken anchor
that only exists in generated HTML (HTML blocks from templates, not Markdown links)."""

from __future__ import annotations

import re
import shutil

import pytest

from lib.project import build_project, make_project
from macros.site.build import BuildFailed
from macros.site.linkcheck import check_site


def test_starter_site_has_no_broken_links_or_anchors(starter_site):
    assert check_site(starter_site) == []


def test_the_check_is_not_vacuous(starter_site):
    """Many internal links and anchors are checked."""
    links = anchored = 0
    for page in starter_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        links += len(re.findall(r'href="(?![a-z]+:)[^"]+"', html))
        anchored += len(re.findall(r'href="[^":]*#[^"]+"', html))
    assert links >= 1000 and anchored >= 200


def test_seeded_broken_anchor_in_generated_html_is_caught(starter_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(starter_site, site)
    # a dilemma page: its card (an HTML block from macros/templates) links to its sheet (the first dilemma
    # that has a sheet: one on an onderwerp links to that instead)
    sheet_link = re.compile(r'(href="\.\./\.\./themabladen/[^"#]+/)"')
    for page in sorted((site / "dilemmas").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        card = html.index('class="kompas-kaart')
        seeded, count = sheet_link.subn(r'\1#bestaat-niet"', html[card:], count=1)
        if count:
            break
    assert count == 1
    seeded = html[:card] + seeded
    page.write_text(seeded, encoding="utf-8")
    problems = check_site(site)
    assert [(p.page, p.reason) for p in problems] == [
        (page.relative_to(site).as_posix(), "anker '#bestaat-niet' bestaat niet")
    ]


def test_broken_anchor_from_a_template_fails_the_build(tmp_path, monkeypatch):
    """A template that links to an anchor that does not exist: the build stops."""
    project = make_project(tmp_path / "project")
    from macros.render import render

    original = render.page_url
    monkeypatch.setattr(
        render,
        "page_url",
        lambda kind, item_id: original(kind, item_id) + ("#bestaat-niet" if kind == "uitspraak" else ""),
    )
    with pytest.raises(BuildFailed) as error:
        build_project(project)
    assert "anker '#bestaat-niet' bestaat niet" in str(error.value)
    assert not (project / "site").exists()
