"""The rules of the site for the hand-written pages and the menu (macros/verdict/pages.py), beyond the
fixture cases in tests/fixtures/ongeldig/pagina-*: what passes, what the cache keeps, and that the
starter content of this repository passes. That each case is a real refusal of the build, and that
what passes builds, is tests/site/test_one_verdict.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.fixture_cases import add_site
from lib.project import FIXTURES, ROOT
from macros.content.validate import validate_corpus
from macros.verdict.context import Context
from macros.verdict.pages import check_pages

BASIS = FIXTURES / "geldig" / "basis"


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(BASIS, target, ignore=shutil.ignore_patterns("verwacht.json"))
    add_site(target)  # the site of this repository: its mkdocs.yml and pages
    return target


def check(project: Path, cache: Path | None = None):
    return check_pages(validate_corpus(project), Context(project, cache))


def page(project: Path, name: str, text: str) -> None:
    path = project / "content" / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_starter_content_passes():
    assert check(ROOT) == []


def test_a_project_without_a_site_has_no_page_rules():
    assert check(BASIS) == []


def test_what_passes(project):
    page(
        project,
        "over.md",
        "---\ntitle: Over\nzoeken: false\n---\n\n# Over ons {: #over }\n\n"
        "Zie [de dilemma's](dilemmas/index.md#dilemmas), [joint](dilemmas/joint.md), [de sessie](sessie.md),\n"
        "[hierboven](#over), [een plaatje](beeld.png), [de politie](https://www.politie.nl) en "
        "[mail](mailto:integriteit@example.invalid).\n\n"
        "{% raw %}Zo schrijf je een macro: {{ naam() }}{% endraw %}\n\n{{ page.title }} {{ config.site_name }}\n",
    )
    (project / "content" / "pages" / "beeld.png").write_bytes(b"\x89PNG")
    page(project, "letterlijk.md", "---\nrender_macros: false\n---\n\n# Letterlijk\n\n{{ wat dan ook }}\n")
    assert check(project) == []


def test_an_attribute_list_that_opens_a_jinja_comment_is_refused(project):
    # {#over} is also the start of a Jinja comment: mkdocs-macros would stop the build ({: #over } is fine)
    page(project, "over.md", "# Over\n\n## Over ons {#over}\n\nTekst.\n")
    (found,) = check(project)
    assert (found.code, found.file, found.line) == ("PAGINA-MACRO", "content/pages/over.md", 3)


def test_readme_beside_index_is_refused(project):
    page(project, "dilemmas/README.md", "# Leesmij\n")
    (found,) = check(project)
    assert (found.code, found.file, found.line) == ("PAGINA-NAAM", "content/pages/dilemmas/README.md", 1)


def test_an_item_id_that_takes_the_name_of_a_hand_written_page_is_named(project):
    (project / "content" / "dilemmas" / "joint.yaml").rename(project / "content" / "dilemmas" / "index.yaml")
    path = project / "content" / "dilemmas" / "index.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: joint", "id: index"), encoding="utf-8")
    names = [d for d in check(project) if d.code == "PAGINA-NAAM"]
    assert [(d.file, d.related) for d in names] == [
        ("content/pages/dilemmas/index.md", ("content/dilemmas/index.yaml",))
    ]


def test_macro_problems(project):
    page(project, "a.md", "# A\n\n{% include 'b.md' %}\n\n{{ dilemma_overzicht() | onbekend }}\n\n{{ geheim }}\n")
    found = sorted((d.line, d.code, d.message) for d in check(project))
    assert [line for line, _, _ in found] == [3, 5, 7]
    assert {code for _, code, _ in found} == {"PAGINA-MACRO"}
    assert "'onbekend'" in found[1][2] and "'geheim'" in found[2][2]


def test_the_result_is_kept_and_a_changed_page_is_checked_again(project, tmp_path, monkeypatch):
    from macros.verdict import pages

    cache = tmp_path / "cache"
    page(project, "a.md", "# A\n\n[weg](weg.md)\n")
    first = check(project, cache)
    assert [d.code for d in first] == ["PAGINA-LINK"]
    monkeypatch.setattr(pages._Pages, "check", lambda self: pytest.fail("checked again"))
    assert check(project, cache) == first  # warm: from the cache
    monkeypatch.undo()
    page(project, "a.md", "# A\n\n[hier](index.md)\n")
    assert check(project, cache) == []


def test_a_new_item_makes_a_link_to_its_page_good(project, tmp_path):
    cache = tmp_path / "cache"
    page(project, "a.md", "# A\n\n[nieuw](dilemmas/nieuw.md)\n")
    assert [d.code for d in check(project, cache)] == ["PAGINA-LINK"]
    joint = (project / "content" / "dilemmas" / "joint.yaml").read_text(encoding="utf-8")
    (project / "content" / "dilemmas" / "nieuw.yaml").write_text(
        joint.replace("id: joint", "id: nieuw"), encoding="utf-8"
    )
    assert check(project, cache) == []  # the ids of the corpus are part of the key


def test_the_menu_may_name_generated_pages_and_addresses(project):
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8").rstrip("\n")
    assert text.splitlines()[-1].startswith("  - ")  # nav is the last setting: entries can be added below
    mkdocs.write_text(
        text + "\n  - Joint: dilemmas/joint.md\n  - Politie: https://www.politie.nl\n  - Absoluut: /x.md\n",
        encoding="utf-8",
    )
    (found,) = check(project)
    assert (found.code, found.file, found.line) == ("PAGINA-MENU", "mkdocs.yml", len(text.splitlines()) + 3)


def test_a_page_the_generated_pages_link_to_must_be_there(project):
    (project / "content" / "pages" / "melden-en-hulp.md").unlink()
    found = {(d.code, d.file) for d in check(project)}
    assert ("PAGINA-ONTBREEKT", "content/pages/melden-en-hulp.md") in found


def test_kompas_valideer_of_a_page_finds_the_project(project, monkeypatch, capsys):
    # content/pages/ has a folder themabladen/ of its own: it is not taken for the project
    from macros.cli.commands import main

    page(project, "a.md", "# A\n\n[weg](weg.md)\n")
    monkeypatch.chdir(project / "content" / "pages")
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(project.parent / "cache"))
    assert main(["valideer", "a.md"]) == 1
    assert "content/pages/a.md:3:7: PAGINA-LINK fout:" in capsys.readouterr().out
