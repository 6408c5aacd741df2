"""Issue 26, the model: which line a card shows for an item's sources, which items count as the
editors' own, and the route ids the Melden en hulp page needs for itself (fast: no site build)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from macros.content.model import Bron, Bronverwijzing, Corpus
from macros.content.validate import validate_corpus

ROOT = Path(__file__).resolve().parents[3]
BASIS = ROOT / "tests" / "fixtures" / "geldig" / "basis"
REGISTER = (
    Bron("redactie", "Eigen tekst", "redactie"),
    Bron("eigen-bis", "Nog een redactie", "redactie"),
    Bron("blad", "Themablad 5", "themablad", "2019"),
    Bron("plan", "Het plan", "plan-van-aanpak"),
)


class Item:
    def __init__(self, *ids: str) -> None:
        self.bronnen = tuple(Bronverwijzing(i) for i in ids)


def test_the_card_line_names_the_first_source_that_is_not_the_editors_own():
    corpus = Corpus.create(bronnen=REGISTER)
    assert corpus.bronregel(Item("redactie")) == "Eigen tekst van de redactie"
    assert corpus.bronregel(Item("eigen-bis", "redactie")) == "Eigen tekst van de redactie"  # by kind, not by id
    assert corpus.bronregel(Item("redactie", "blad")) == "Naar Themablad 5"
    assert corpus.bronregel(Item("plan", "redactie", "blad")) == "Naar Het plan e.a."


def test_an_item_is_the_editors_own_only_when_every_source_is():
    corpus = Corpus.create(bronnen=REGISTER)
    assert corpus.herkomst(Item("redactie", "eigen-bis")) == "voorbeeld-van-de-redactie"
    assert corpus.herkomst(Item("redactie", "blad")) == "uit-de-bronnen"
    assert corpus.herkomst(Item()) == "uit-de-bronnen"  # no sources: nothing claims to be the editors'
    assert [b.id for _, b in corpus.bronnen_van(Item("blad", "onbekend", "plan").bronnen)] == ["blad", "plan"]
    assert REGISTER[0].naam == "Eigen tekst van de redactie" and REGISTER[2].naam == "Themablad 5"


def test_route_ids_the_page_uses_itself_are_refused(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(BASIS, project, ignore=shutil.ignore_patterns("verwacht.json"))
    routes = project / "content" / "meldroutes.yaml"
    text = routes.read_text(encoding="utf-8")
    route = text[text.index("  - id: vertrouwenspersoon\n") : text.index("na_een_melding:")]
    routes.write_text(
        text.replace(route, route + route.replace("id: vertrouwenspersoon", "id: na-een-melding")), encoding="utf-8"
    )
    line = routes.read_text(encoding="utf-8").split("\n").index("  - id: na-een-melding") + 1
    result = validate_corpus(project, today=date(2026, 11, 23))
    assert [(d.code, d.file, d.line) for d in result.errors] == [("ID-DUBBEL", "content/meldroutes.yaml", line)]
    assert "anker" in result.errors[0].message
