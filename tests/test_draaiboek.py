"""Draaiboek per module (issue 16, section 4): real PDFs from a real site build, read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from macros.printing import druk
from macros.printing import pdf
from macros.render.render import klok
from macros.content.validate import validate_corpus

from conftest import embedded_fonts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MM = 72 / 25.4


# -- helpers shared with tests/test_handout.py -----------------------------------------------------
def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace collapsed (lines of a table cell may wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def assert_in_order(text: str, parts) -> None:
    """Every part occurs in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        found = text.find(" ".join(part.split()), position)
        assert found >= 0, f"{part!r} ontbreekt (na positie {position}) in: {text[position:position + 300]!r}"
        position = found + 1


def assert_tagged_nl_embedded(path: Path, title: str) -> None:
    """A tagged PDF in Dutch, A4, with its title and only the shipped font, embedded."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert reader.metadata.title == title
    fonts = set()
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.5)
        fonts |= embedded_fonts(page)
    assert fonts and all("Kompas-Lato" in name for name in fonts), fonts


def structure_roles(path: Path) -> set[str]:
    """The structure types used in a tagged PDF (H1, Table, L, ...)."""
    roles: set[str] = set()

    def visit(node) -> None:
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if "/S" in node:
                roles.add(str(node["/S"]).lstrip("/"))
            kids = node.get("/K")
            if kids is None:
                return
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    visit(kid)

    visit(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return roles


def link_targets(page_html: Path, text: str) -> list[Path]:
    """The files that the links whose text contains ``text`` point to, resolved from the page."""
    soup = BeautifulSoup(page_html.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article") or soup
    return [(page_html.parent / a["href"]).resolve() for a in main.find_all("a") if text in a.get_text()]


# -- the starter site ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus():
    result = validate_corpus(ROOT)
    assert result.ok
    return result.corpus


def test_every_module_with_steps_has_a_draaiboek_linked_from_its_page(starter_site, corpus):
    with_steps = [m for m in corpus.modules if m.onderdelen]
    assert len(with_steps) >= 4 and any(not m.onderdelen for m in corpus.modules)
    for module in corpus.modules:
        page = starter_site / "modules" / module.id / "index.html"
        targets = link_targets(page, "Draaiboek")
        if module.onderdelen:
            expected = (starter_site / "druk" / f"draaiboek-{module.id}.pdf").resolve()
            assert targets == [expected], module.id
            assert_tagged_nl_embedded(expected, f"Draaiboek: {module.soort_label} {module.titel}")
            roles = structure_roles(expected)
            assert {"H1", "H2", "L"} <= roles, module.id
            if module.tijdschema:  # the programme with clock times is a table
                assert "Table" in roles, module.id
            else:  # no time plan (a handreiking, a gespreksvorm without minutes): no clock times (issue 26)
                text = pdf_text(expected)
                assert "Programma" not in text and klok(module.starttijd) not in text, module.id
        else:
            assert targets == [], module.id
            assert not (starter_site / "druk" / f"draaiboek-{module.id}.pdf").exists()


def test_the_draaiboek_shows_facts_agenda_notes_dilemmas_and_materials(starter_site, corpus):
    module = corpus.module["moreel-beraad-in-een-uur"]
    assert module.deelnemers and module.duur and module.alle_dilemmas
    text = pdf_text(starter_site / "druk" / f"draaiboek-{module.id}.pdf")
    goal = " ".join(module.doel.split()[:8])
    agenda = [item for start, part in module.agenda for item in (klok(start), part.titel)]
    assert_in_order(text, [module.titel, "Voor", "Medewerkers", "Groepsgrootte",
                           f"{module.deelnemers.min}–{module.deelnemers.max} deelnemers", "Duur", "1 uur",
                           "Doel", goal, "Programma", *agenda, klok(module.eindtijd), "Einde"])
    notes = [part for part in module.onderdelen if part.facilitator]
    assert notes
    steps = []
    for start, part in module.agenda:
        steps.append(f"{klok(start)} ({part.duur} min)")
        if part.beschrijving:
            steps.append(" ".join(part.beschrijving.split()[:6]))
        if part.facilitator:
            steps += ["Voor de gespreksleider", " ".join(part.facilitator.split()[:6])]
    assert_in_order(text, ["aanwijzingen", *steps])
    items = [corpus.dilemma[i] for i in module.alle_dilemmas]
    assert_in_order(text, ["Dilemma's met hulpvragen", *[x for d in items for x in (d.titel, *d.hulpvragen)]])
    assert_in_order(text, ["Materiaal", f"Dilemmakaarten van deze module ({len(items)} kaarten)",
                           f"{module.deelnemers.max} sets"])
    materials = text[text.index("Materiaal"):].replace(" ", "")  # a long file name wraps in its cell
    assert f"kaarten/module-{module.id}-a4.pdf" in materials


def test_clock_times_follow_the_start_time_and_match_the_module_page(starter_site, corpus):
    module = next(m for m in corpus.modules if m.onderdelen and not m.genummerd and m.duur)
    soup = BeautifulSoup((starter_site / "modules" / module.id / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    on_page = [row.find("td").get_text(strip=True) for row in soup.select("table.kompas-agenda tbody tr")]
    text = pdf_text(starter_site / "druk" / f"draaiboek-{module.id}.pdf")
    agenda = text[text.index("Programma"):text.index("Kloktijden bij een start om")]
    in_pdf = re.findall(r"\b\d{1,2}:\d{2}\b", agenda)
    assert in_pdf == on_page == [klok(start) for start, _ in module.agenda] + [klok(module.eindtijd)]


def test_a_later_start_time_and_a_group_size_change_the_draaiboek(tmp_path):
    from dataclasses import replace

    from macros.content.model import Deelnemers

    corpus = validate_corpus(FIXTURES / "corpus").corpus
    module = next(m for m in corpus.modules if m.onderdelen and m.alle_dilemmas)
    later = replace(module, starttijd=13 * 60 + 30, deelnemers=Deelnemers(4, 14))
    changed = replace(corpus, modules=tuple(later if m.id == module.id else m for m in corpus.modules))
    out = druk.build_site_printed(changed, tmp_path)
    path = next(p.path for p in out if p.path.name == f"draaiboek-{module.id}.pdf")
    text = pdf_text(path)
    assert_in_order(text, ["Programma", "13:30", later.agenda[-1][1].titel])
    assert "9:00" not in text
    assert_in_order(text, ["4–14 deelnemers", "Materiaal", "14 sets"])


def test_draaiboeken_are_cached_by_content(tmp_path, monkeypatch):
    corpus = validate_corpus(FIXTURES / "corpus").corpus
    first = druk.build_site_printed(corpus, tmp_path / "a", cache_dir=tmp_path / "cache")
    assert first and all(p.path.is_file() for p in first)
    assert sorted(p.path.name for p in first if p.path.name.startswith("draaiboek-")) == sorted(
        f"draaiboek-{m.id}.pdf" for m in corpus.modules if m.onderdelen)

    def no_layout(self, html):
        raise AssertionError("opnieuw opgemaakt terwijl niets veranderde")

    monkeypatch.setattr(pdf.Renderer, "layout", no_layout)
    again = druk.build_site_printed(corpus, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert [p.path.read_bytes() for p in again] == [p.path.read_bytes() for p in first]
    assert [p.pages for p in again] == [p.pages for p in first]
    monkeypatch.undo()
    from dataclasses import replace

    module = next(m for m in corpus.modules if m.onderdelen)
    changed = replace(corpus, modules=tuple(replace(m, titel=m.titel + " (nieuw)") if m.id == module.id else m
                                            for m in corpus.modules))
    third = druk.build_site_printed(changed, tmp_path / "c", cache_dir=tmp_path / "cache")
    fresh = {p.path.name: p.path.read_bytes() for p in third}
    old = {p.path.name: p.path.read_bytes() for p in first}
    assert fresh[f"draaiboek-{module.id}.pdf"] != old[f"draaiboek-{module.id}.pdf"]
    assert "(nieuw)" in pdf_text(tmp_path / "c" / f"draaiboek-{module.id}.pdf")
    assert not list((tmp_path / "cache").glob("*.tmp")) and not list((tmp_path / "c").glob(".*"))


def test_a_damaged_cache_entry_is_laid_out_again_never_copied(tmp_path):
    """The same rule as the card decks (issue 18): an entry is verified against the checksum
    recorded when it was written; a truncated or altered one is rebuilt."""
    corpus = validate_corpus(FIXTURES / "corpus").corpus
    cache = tmp_path / "cache"
    first = druk.build_site_printed(corpus, tmp_path / "a", cache_dir=cache)
    made = [p.path.read_bytes() for p in first]  # (an entry is a link to the file a build wrote)
    entries = sorted(cache.glob("*.pdf"))
    assert entries and len(entries) == len(first)
    entries[0].write_bytes(entries[0].read_bytes()[:-200])  # truncated
    data = bytearray(entries[-1].read_bytes())
    data[100] ^= 0xFF  # one byte altered
    entries[-1].write_bytes(bytes(data))
    again = druk.build_site_printed(corpus, tmp_path / "b", cache_dir=cache)
    assert [p.path.read_bytes() for p in again] == made
    assert all(p.path.read_bytes().startswith(b"%PDF") for p in again)
