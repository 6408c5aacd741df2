"""A new editor, end to end: scaffold a sheet and a dilemma, fill them in, validate, build,
and find the new page and the dilemma's card.

Everything goes through the same entry points an editor uses (`kompas nieuw`,
`kompas valideer`) and the real site build (`macros.site.build.build_site`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from lib.project import ROOT, make_project
from macros.cli.commands import main
from macros.site.build import BuildFailed, build_site

SHEET = "omgaan-met-geschenken"
DILEMMA = "een-cadeaubon-van-de-winkelier"

# What the editor writes in place of each TODO (keyed by the start of the TODO text).
FILLED = {
    "TODO: vat in één of twee zinnen samen waar dit blad over gaat.": "Een geschenk lijkt onschuldig, maar kan je afhankelijk maken.",
    "TODO: schrijf in een of twee alinea's waarom dit onderwerp ertoe doet.": "Burgers en bedrijven willen je soms bedanken. Een klein gebaar kan, "
    "maar een geschenk mag nooit de indruk wekken dat je te koop bent.",
    "TODO: Ik ... (eerste afspraak in de ik-vorm)": "Ik neem geen geschenken aan die mijn oordeel kunnen beïnvloeden.",
    "TODO: Ik ... (tweede afspraak in de ik-vorm)": "Ik meld elk aangeboden geschenk aan mijn leidinggevende.",
    "TODO: afdeling of rol die de bron als eigenaar noemt, anders Redactie Kompas": "Redactie Kompas",
    "TODO: beschrijf de situatie in een paar zinnen en eindig met de vraag. Wat doe je?": "Na een inbraak wil de winkelier je bedanken en geeft hij je een cadeaubon van vijftig euro. "
    "Hij zegt dat iedereen in de straat blij is met jullie snelle optreden. Wat doe je?",
    "TODO: welke vraag helpt het gesprek op gang?": "Maakt de waarde van de bon voor jou verschil?",
    "TODO: noem hierboven de bron waar dit op steunt, of zeg hier wat van de redactie is.": "Een voorbeeld van de redactie.",
}


def fill_in(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for todo, real in FILLED.items():
        text = text.replace(f'"{todo}"', f'"{real}"')
    assert not re.search(r'"TODO', text), "de test vult elke TODO in die kompas nieuw schrijft"
    path.write_text(text, encoding="utf-8")


def page_text(site: Path, relative: str) -> str:
    html = (site / relative / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def project(tmp_path) -> Path:
    project = make_project(tmp_path / "project")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    return project


def test_new_editor_adds_a_sheet_and_a_dilemma(project, tmp_path, capsys):
    # 1. scaffold
    assert main(["nieuw", "themablad", "Omgaan met geschenken", "--map", str(project)]) == 0
    assert (
        main(["nieuw", "dilemma", "Een cadeaubon van de winkelier", "--themablad", SHEET, "--map", str(project)]) == 0
    )
    sheet = project / "themabladen" / f"{SHEET}.yaml"
    dilemma = project / "content" / "dilemmas" / f"{DILEMMA}.yaml"
    capsys.readouterr()

    # 2. validation names exactly what is still open, and the build refuses to publish it
    assert main(["valideer", str(sheet), str(dilemma), "--map", str(project)]) == 1
    out = capsys.readouterr().out
    codes = set(re.findall(r"^\S+:\d+:\d+: (\S+) ", out, re.MULTILINE))
    assert codes == {"TODO-OPEN"}, out
    with pytest.raises(BuildFailed, match="TODO-OPEN"):
        build_site(project, tmp_path / "site-met-todo")
    assert not (tmp_path / "site-met-todo").exists()

    # 3. fill in; now both files are clean
    fill_in(sheet)
    fill_in(dilemma)
    assert main(["valideer", str(sheet), str(dilemma), "--map", str(project)]) == 0
    out = capsys.readouterr().out
    assert "0 fouten, 0 waarschuwingen in 2 bestand(en)." in out, out

    # 4. build and find the new pages, linked to each other
    site = build_site(project, tmp_path / "site")
    sheet_page = page_text(site, f"themabladen/{SHEET}")
    assert "Omgaan met geschenken" in sheet_page
    assert "Ik meld elk aangeboden geschenk aan mijn leidinggevende." in sheet_page
    assert "Een cadeaubon van de winkelier" in sheet_page  # the dilemma is listed on its sheet
    dilemma_page = page_text(site, f"dilemmas/{DILEMMA}")
    assert "cadeaubon van vijftig euro" in dilemma_page
    assert "Omgaan met geschenken" in dilemma_page
    # its sources, above the footer: the editors' own text, with what the editor wrote about it
    assert "Eigen tekst van de redactie Een voorbeeld van de redactie." in dilemma_page
    sheet_html = (site / "themabladen" / SHEET / "index.html").read_text(encoding="utf-8")
    assert f"dilemmas/{DILEMMA}/" in sheet_html

    # 5. the dilemma's card: the sheet's deck on the site, linked from the sheet page, holds it
    assert f"kaarten/themablad-{SHEET}-a4.pdf" in sheet_html
    card_pdf = site / "kaarten" / f"themablad-{SHEET}-a4.pdf"
    text = " ".join((page.extract_text() or "") for page in PdfReader(card_pdf).pages)
    assert "cadeaubon" in " ".join(text.split()).lower()
