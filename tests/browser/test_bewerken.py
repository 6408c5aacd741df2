"""Issue 27, item 7: the "Bewerken" link of item pages, and where the editor is built.

With ``extra.kompas.redactie`` in mkdocs.yml every themablad, dilemma, uitspraak, module and
onderwerp page links to that item in the editor, and the site has redactie/ (left out of the search
index and the link check); without it there is neither. The link shows only on the newest published
version: mike's versions.json says which one that is (tested in Chromium on a versions layout like
the one mike makes); the editor of an older version refuses to start.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from macros.harness.browser import serve

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("themabladen", "dilemmas", "uitspraken", "modules", "onderwerpen")
REDACTIE = """    redactie:
      gitlab: https://gitlab.intranet.example
      app_id: "0a1b2c3d4e"
      project: integriteit/kompas
"""


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    from conftest import build_project, make_project

    project = make_project(tmp_path_factory.mktemp("bewerken") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = '    geschiedenis: ""\n'
    assert anchor in text
    config.write_text(text.replace(anchor, anchor + REDACTIE), encoding="utf-8")
    return project, build_project(project)


PLACES = {
    "themabladen": "themabladen",
    "modules": "modules",
    "dilemmas": "content/dilemmas",
    "uitspraken": "content/uitspraken",
    "onderwerpen": "content/onderwerpen",
}
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"


def item_pages(site: Path, project: Path = FIXTURE) -> list[Path]:
    """The page of every content item of ``project`` (its folder is the item's content folder)."""
    pages = []
    for folder, place in PLACES.items():
        for item in sorted((project / place).glob("*.yaml")):
            page = site / folder / item.stem / "index.html"
            assert page.is_file(), page
            pages.append(page)
    return pages


def content_file(project: Path, folder: str, slug: str) -> Path:
    return project / PLACES[folder] / f"{slug}.yaml"


def test_every_item_page_links_to_its_item_in_the_editor(editor_site):
    project, site = editor_site
    pages = item_pages(site, project)
    assert {p.parent.parent.name for p in pages} == set(FOLDERS)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(
            r'<span class="kompas-bewerken" data-kompas-bewerken hidden> · <a href="([^"]+)">Bewerken</a>', html
        )
        assert len(links) == 1, page
        match = re.fullmatch(r"\.\./\.\./redactie/#/collections/([a-z]+)/entries/([A-Za-z0-9-]+)", links[0])
        assert match, links[0]
        assert match.group(1) == page.parent.parent.name
        assert content_file(project, match.group(1), match.group(2)).is_file(), links[0]
    assert (site / "redactie" / "index.html").is_file() and (site / "redactie" / "decap-cms.js").is_file()
    config = json.loads((site / "redactie" / "config.json").read_text(encoding="utf-8"))
    assert config["cms"]["backend"]["base_url"] == "https://gitlab.intranet.example"
    assert "../assets/kompas.css" in config["kompas"]["voorbeeldstijlen"]
    assert any(
        re.fullmatch(r"\.\./assets/stylesheets/main\.[0-9a-f]+\.min\.css", s)
        for s in config["kompas"]["voorbeeldstijlen"]
    )


def test_without_the_setting_there_is_no_link_and_no_editor(fixture_site):
    assert not (fixture_site / "redactie").exists()
    for page in item_pages(fixture_site):
        assert "data-kompas-bewerken" not in page.read_text(encoding="utf-8"), page


def test_the_editor_is_left_out_of_the_search_index_and_the_link_check(editor_site):
    from macros.site.linkcheck import check_site

    project, site = editor_site
    indexed = sum(
        json.loads(p.read_text(encoding="utf-8"))["languages"]["nl"]["page_count"]
        for p in site.glob("pagefind/**/pagefind-entry.json")
    )
    bodies = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert indexed == len(bodies) and not any("redactie" in p.parts for p in bodies)
    editor_page = site / "redactie" / "index.html"
    editor_page.write_text(editor_page.read_text(encoding="utf-8") + '<a href="nergens/">x</a>', encoding="utf-8")
    assert check_site(site) == []  # the Bewerken links are routes of the editor, its page is not checked
    page = item_pages(site)[0]
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + '<a href="../../nergens/">x</a>', encoding="utf-8")
        assert [p.target for p in check_site(site)] == ["../../nergens/"]  # the check still checks the rest
    finally:
        page.write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def versions(editor_site, tmp_path_factory):
    """The built site as mike publishes it: two versions, 'latest' pointing at the newer one."""
    project, site = editor_site
    root = tmp_path_factory.mktemp("versies")
    shutil.copytree(site, root / "2.0", symlinks=True)
    shutil.copytree(site, root / "1.0", symlinks=True)
    (root / "latest").symlink_to("2.0")
    (root / "versions.json").write_text(
        json.dumps(
            [
                {"version": "2.0", "title": "2.0", "aliases": ["latest"]},
                {"version": "1.0", "title": "1.0", "aliases": []},
            ]
        ),
        encoding="utf-8",
    )
    base, stop = serve(root)
    yield base, site
    stop()


def link_shown(chromium, url: str) -> bool:
    context = chromium.new_context()
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1:") else route.abort()
    )
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        link = page.locator("[data-kompas-bewerken]")
        assert link.count() == 1
        return link.is_visible()
    finally:
        context.close()


def test_the_link_shows_only_on_the_newest_published_version(chromium, versions):
    base, site = versions
    page = next(p for p in item_pages(site) if p.parent.parent.name == "dilemmas").relative_to(site).parent.as_posix()
    assert link_shown(chromium, f"{base}2.0/{page}/")
    assert link_shown(chromium, f"{base}latest/{page}/")
    assert not link_shown(chromium, f"{base}1.0/{page}/")


def test_without_versions_json_the_link_shows(chromium, editor_site):
    project, site = editor_site
    base, stop = serve(site)
    try:
        page = item_pages(site)[0].relative_to(site).parent.as_posix()
        assert link_shown(chromium, f"{base}{page}/")
    finally:
        stop()


def test_the_editor_of_an_older_version_does_not_start(chromium, versions):
    base, site = versions
    context = chromium.new_context()
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1:") else route.abort()
    )
    page = context.new_page()
    try:
        page.goto(f"{base}1.0/redactie/")
        notice = page.locator("#kompas-redactie-melding")
        notice.wait_for(state="visible", timeout=30_000)
        assert "oudere versie" in notice.inner_text()
        assert page.locator("#nc-root").count() == 0
        page.goto(f"{base}2.0/redactie/")
        page.get_by_text("Inloggen met GitLab").wait_for(timeout=60_000)  # the newest version signs in to GitLab
        assert not page.locator("#kompas-redactie-melding").is_visible()
    finally:
        context.close()
