"""Draaiboek per module (issue 16, section 4): real PDFs from a real site build, read back with pypdf."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from lib.pdf import assert_in_order, assert_tagged_nl_embedded, link_targets, pdf_text, structure_roles
from lib.project import (
    FIXTURES,  # noqa: E402
    ROOT,  # noqa: E402
)
from macros.content.validate import validate_corpus
from macros.printing import druk, pdf
from macros.render.render import klok

MM = 72 / 25.4


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
    assert_in_order(
        text,
        [
            module.titel,
            "Voor",
            "Medewerkers",
            "Groepsgrootte",
            f"{module.deelnemers.min}–{module.deelnemers.max} deelnemers",
            "Duur",
            "1 uur",
            "Doel",
            goal,
            "Programma",
            *agenda,
            klok(module.eindtijd),
            "Einde",
        ],
    )
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
    assert_in_order(
        text, ["Materiaal", f"Dilemmakaarten van deze module ({len(items)} kaarten)", f"{module.deelnemers.max} sets"]
    )
    materials = text[text.index("Materiaal") :].replace(" ", "")  # a long file name wraps in its cell
    assert f"kaarten/module-{module.id}-a4.pdf" in materials


def test_clock_times_follow_the_start_time_and_match_the_module_page(starter_site, corpus):
    module = next(m for m in corpus.modules if m.onderdelen and not m.genummerd and m.duur)
    soup = BeautifulSoup(
        (starter_site / "modules" / module.id / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    on_page = [row.find("td").get_text(strip=True) for row in soup.select("table.kompas-agenda tbody tr")]
    text = pdf_text(starter_site / "druk" / f"draaiboek-{module.id}.pdf")
    agenda = text[text.index("Programma") : text.index("Kloktijden bij een start om")]
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
        f"draaiboek-{m.id}.pdf" for m in corpus.modules if m.onderdelen
    )

    def no_layout(self, html):
        raise AssertionError("opnieuw opgemaakt terwijl niets veranderde")

    monkeypatch.setattr(pdf.Renderer, "layout", no_layout)
    again = druk.build_site_printed(corpus, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert [p.path.read_bytes() for p in again] == [p.path.read_bytes() for p in first]
    assert [p.pages for p in again] == [p.pages for p in first]
    monkeypatch.undo()
    from dataclasses import replace

    module = next(m for m in corpus.modules if m.onderdelen)
    changed = replace(
        corpus,
        modules=tuple(replace(m, titel=m.titel + " (nieuw)") if m.id == module.id else m for m in corpus.modules),
    )
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
