"""Issue 27, item 4: what the browser editor saves is what a person would have written.

The editor's own save code (kompas-redactie.js, the committed bundle) runs in Chromium on the
starter files: for every kind of item and every register one field is changed and the saved text
must be the original with exactly that field changed; comments (the `# yaml-language-server` line
too), key order, quoting, folded `>-` and literal `|` blocks and flow lists of the rest stay. The
specification of each kind (field order and styles) is the one the build generates from schemas/.
The whole editor, saving through Decap, is tested in test_redactie.py.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from macros.harness.browser import serve
from macros.site import redactie

ROOT = Path(__file__).resolve().parents[2]
HARNESS = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>formaat</title>
<script src="kompas-redactie.js"></script></head><body></body></html>"""

SAVE = """([text, spec, change]) => {
  const data = KompasRedactie.leesBestand(text);
  new Function("d", change)(data);
  return KompasRedactie.schrijfBestand(data, spec);
}"""
NEW = """([data, spec]) => KompasRedactie.schrijfBestand(data, spec)"""


@pytest.fixture(scope="module")
def page(chromium, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formaat")
    shutil.copy(redactie.STATIC / "kompas-redactie.js", folder / "kompas-redactie.js")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    base, stop = serve(folder)
    context = chromium.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    page.goto(base + "index.html")
    yield page
    context.close()
    stop()


@pytest.fixture(scope="module")
def specs():
    settings = redactie.instellingen({}, lokaal=True)
    formats = redactie.editor_config(settings)["kompas"]["formaten"]
    return {
        **{f"map:{name}": spec for name, spec in formats["mappen"].items()},
        **{f"register:{name}": spec for name, spec in formats["registers"].items()},
    }


def save(page, path: str, spec: dict, change: str) -> tuple[str, str]:
    text = (ROOT / path).read_text(encoding="utf-8")
    return text, page.evaluate(SAVE, [text, spec, change])


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# (kind, file, the change in JavaScript on the data `d`, the line as it was, the line as it must be)
ONE_FIELD = [
    (
        "map:themabladen",
        "themabladen/social-media.yaml",
        "d.titel += ' (bewerkt)'",
        "titel: Social media",
        "titel: Social media (bewerkt)",
    ),
    (
        "map:dilemmas",
        "content/dilemmas/drugs-op-festival.yaml",
        "d.titel = 'Naar een festival: met wie?'",
        "titel: Met vrienden die drugs gebruiken naar een festival",
        'titel: "Naar een festival: met wie?"',
    ),
    (
        "map:dilemmas",
        "content/dilemmas/drugs-op-festival.yaml",
        "d.kernwaarden = ['integer', 'moedig', 'betrouwbaar']",
        "kernwaarden: [integer, moedig]",
        "kernwaarden: [integer, moedig, betrouwbaar]",
    ),
    ("map:dilemmas", "content/dilemmas/drugs-op-festival.yaml", "d.versie = '1.3'", 'versie: "1.2"', 'versie: "1.3"'),
    (
        "map:dilemmas",
        "content/dilemmas/drugs-op-festival.yaml",
        "d.herzien_voor = '2028-01-31'",
        "herzien_voor: 2027-11-23",
        "herzien_voor: 2028-01-31",
    ),
    (
        "map:uitspraken",
        "content/uitspraken/ECLI-NL-CRVB-2017-3167.yaml",
        "d.titel = 'Beslag op het loon'",
        "titel: Loonbeslag",
        "titel: Beslag op het loon",
    ),
    ("map:modules", "modules/moreel-beraad-in-een-uur.yaml", "d.stappen[0].duur = 10", "    duur: 5", "    duur: 10"),
    ("map:modules", "modules/moreel-beraad-in-een-uur.yaml", "d.deelnemers.max = 12", "  max: 10", "  max: 12"),
    (
        "map:onderwerpen",
        "content/onderwerpen/politie-voor-iedereen.yaml",
        "d.secties[1].titel = 'De schijf van 5'",
        "  - titel: De schijf van vijf",
        "  - titel: De schijf van 5",
    ),
    (
        "register:bronnen",
        "content/bronnen.yaml",
        "d.bronnen[1].datum = 'juli 2023'",
        "    datum: juni 2023",
        "    datum: juli 2023",
    ),
    (
        "register:meldroutes",
        "content/meldroutes.yaml",
        "d.routes[1].naam = 'De vertrouwenspersoon'",
        "    naam: Vertrouwenspersoon",
        "    naam: De vertrouwenspersoon",
    ),
    (
        "register:wetgeving",
        "content/wetgeving.yaml",
        "d.wetten[0].afkorting = 'BARP'",
        "    afkorting: Barp",
        "    afkorting: BARP",
    ),
    (
        "register:reeks",
        "content/reeks.yaml",
        "d.titel = 'De themabladen bij de beroepscode'",
        "titel: Themabladen bij de beroepscode",
        "titel: De themabladen bij de beroepscode",
    ),
]


@pytest.mark.parametrize("kind, path, change, old, new", ONE_FIELD, ids=[f"{c[1]}:{c[3].strip()}" for c in ONE_FIELD])
def test_changing_one_field_changes_that_line_only(page, specs, kind, path, change, old, new):
    before, after = save(page, path, specs[kind], change)
    assert f"\n{old}\n" in before
    assert after == before.replace(f"\n{old}\n", f"\n{new}\n", 1)
    assert changed_lines(before, after) == [f"-{old}", f"+{new}"]


def test_every_kind_and_register_is_covered(specs):
    assert {case[0] for case in ONE_FIELD} == set(specs)


CONTENT = sorted(
    p.relative_to(ROOT).as_posix()
    for pattern in ("themabladen/*.yaml", "modules/*.yaml", "content/*.yaml", "content/*/*.yaml")
    for p in ROOT.glob(pattern)
)


def test_saving_without_a_change_gives_the_file_back_byte_for_byte(page, specs):
    folder_spec = {
        "themabladen": "map:themabladen",
        "dilemmas": "map:dilemmas",
        "uitspraken": "map:uitspraken",
        "modules": "map:modules",
        "onderwerpen": "map:onderwerpen",
    }
    assert len(CONTENT) >= 60
    for path in CONTENT:
        name = Path(path)
        kind = folder_spec.get(name.parent.name) or f"register:{name.stem}"
        before, after = save(page, path, specs[kind], "")
        assert after == before, path


def test_a_folded_block_stays_folded_and_only_its_lines_change(page, specs):
    before, after = save(
        page,
        "content/uitspraken/ECLI-NL-CRVB-2017-3167.yaml",
        specs["map:uitspraken"],
        "d.samenvatting = d.samenvatting.replace('plichtsverzuim', 'ernstig plichtsverzuim')",
    )
    assert "samenvatting: >-\n" in after
    diff = changed_lines(before, after)
    assert diff == ["-  wordt aangemerkt als plichtsverzuim.", "+  wordt aangemerkt als ernstig plichtsverzuim."]


def test_a_markdown_block_stays_literal(page, specs):
    before, after = save(
        page,
        "modules/moreel-beraad-in-een-uur.yaml",
        specs["map:modules"],
        "d.doel = d.doel.replace('De gespreksleider bewaakt de tijd.', 'De gespreksleider let op de tijd.')",
    )
    assert "\ndoel: |\n" in after
    diff = changed_lines(before, after)
    assert len(diff) == 2 and "let op de tijd" in diff[1] and diff[0].startswith("-  ") and diff[1].startswith("+  ")


def test_a_new_key_goes_where_the_schema_order_puts_it(page, specs):
    before, after = save(
        page,
        "content/dilemmas/drugs-op-festival.yaml",
        specs["map:dilemmas"],
        "d.routes = ['vertrouwenspersoon', 'vik']",
    )
    assert after == before.replace("\nbronnen:\n", "\nroutes: [vertrouwenspersoon, vik]\nbronnen:\n", 1)
    before, after = save(
        page, "content/dilemmas/drugs-op-festival.yaml", specs["map:dilemmas"], "d.bronnen[1].deel = 'Inleiding'"
    )
    assert after == before.replace("  - bron: redactie\n", "  - bron: redactie\n    deel: Inleiding\n", 1)


def test_removing_and_adding_list_items_touches_only_those_items(page, specs):
    path = "content/dilemmas/drugs-op-festival.yaml"
    before, after = save(page, path, specs["map:dilemmas"], "d.hulpvragen.splice(1, 1)")
    assert changed_lines(before, after) == ["-  - Wat doe je als ze op het festival in jouw bijzijn iets gebruiken?"]
    before, after = save(page, path, specs["map:dilemmas"], "d.hulpvragen.push('Met wie praat je erover?')")
    assert changed_lines(before, after) == ["+  - Met wie praat je erover?"]
    before, after = save(
        page, path, specs["map:dilemmas"], "delete d.themabladen; d.onderwerpen = ['politie-voor-iedereen']"
    )
    assert changed_lines(before, after) == [
        "-themabladen: [gedrag-in-vrije-tijd]",
        "+onderwerpen: [politie-voor-iedereen]",
    ]


def test_comments_between_register_entries_stay(page, specs):
    before, after = save(
        page,
        "content/bronnen.yaml",
        specs["register:bronnen"],
        "d.bronnen.splice(2, 0, {id: 'nieuwe-bron', titel: 'Een nieuwe bron', soort: 'rapport', datum: '2024'})",
    )
    assert after.count("\n  #") == before.count("\n  #") and after.startswith(before.split("\nbronnen:")[0])
    added = [line for line in changed_lines(before, after)]
    assert added == [
        "+  - id: nieuwe-bron",
        "+    titel: Een nieuwe bron",
        "+    soort: rapport",
        "+    datum: 2024",
    ]  # a year: as a number, as the register writes years


def test_a_new_file_is_written_as_the_starter_files_are(page, specs):
    data = {
        "ecli": "ECLI:NL:CRVB:2019:1234",
        "instantie": "Centrale Raad van Beroep",
        "titel": "Een uitspraak",
        "samenvatting": "Kort.",
        "bronnen": [{"bron": "redactie", "toelichting": ""}],
        "eigenaar": "Redactie Kompas",
        "versie": "1.0",
        "gewijzigd": "2026-12-07",
        "herzien_voor": "2027-12-01",
        "routes": [],
        "datum": "",
    }
    text = page.evaluate(NEW, [data, specs["map:uitspraken"]])
    assert text == (
        "# yaml-language-server: $schema=../../schemas/uitspraak.schema.json\n"
        "ecli: ECLI:NL:CRVB:2019:1234\n"
        "instantie: Centrale Raad van Beroep\n"
        "titel: Een uitspraak\n"
        "samenvatting: Kort.\n"
        "bronnen:\n"
        "  - bron: redactie\n"
        "eigenaar: Redactie Kompas\n"
        "versie: \"1.0\"\n"
        "gewijzigd: 2026-12-07\n"
        "herzien_voor: 2027-12-01\n"
    )
    data = {
        "id": "nieuw",
        "titel": "Nieuw",
        "situatie": "Iets lang genoeg om een situatie te zijn. " * 4,
        "themabladen": ["social-media"],
        "kernwaarden": ["integer", "moedig"],
        "doelgroep": ["medewerker"],
        "hulpvragen": ["Wat doe je?"],
        "bronnen": [{"bron": "redactie"}],
        "eigenaar": "Redactie Kompas",
        "versie": "1.0",
        "gewijzigd": "2026-12-07",
        "herzien_voor": "2027-12-01",
    }
    text = page.evaluate(NEW, [data, specs["map:dilemmas"]])
    assert "\nsituatie: >-\n  Iets lang genoeg" in text and "\nkernwaarden: [integer, moedig]\n" in text
    assert "\nhulpvragen:\n  - Wat doe je?\n" in text and "\nthemabladen: [social-media]\n" in text


def test_a_yaml_11_word_is_quoted_so_the_python_loader_reads_text(page, specs):
    before, after = save(page, "content/dilemmas/drugs-op-festival.yaml", specs["map:dilemmas"], "d.eigenaar = 'no'")
    assert changed_lines(before, after) == ["-eigenaar: Redactie Kompas", '+eigenaar: "no"']


def test_a_new_ruling_is_named_after_its_ecli_in_capitals(page):
    assert (
        page.evaluate(
            "p => KompasRedactie.ecliPad(p, ['content/uitspraken'])", "content/uitspraken/ecli-nl-crvb-2019-1234.yaml"
        )
        == "content/uitspraken/ECLI-NL-CRVB-2019-1234.yaml"
    )
    assert (
        page.evaluate("p => KompasRedactie.ecliPad(p, ['content/uitspraken'])", "content/dilemmas/ecli-x.yaml") is None
    )
    saved = page.evaluate("""async () => {
      const written = [];
      const backend = KompasRedactie.pasBackendAan({
        getEntry: async (p) => { if (p.endsWith('ECLI-NL-CRVB-2019-1234.yaml')) return {file: {path: p}, data: 'x'};
                                 throw new Error('niet gevonden'); },
        persistEntry: async (entry) => { written.push(entry.dataFiles[0].path); },
      }, ['content/uitspraken']);
      await backend.persistEntry({dataFiles: [{path: 'content/uitspraken/ecli-nl-crvb-2019-1234.yaml',
                                               raw: 'ecli: ECLI:NL:CRVB:2019:1234\\n'}]}, {});
      const found = await backend.getEntry('content/uitspraken/ecli-nl-crvb-2019-1234.yaml');
      let refused = '';
      try {
        await backend.persistEntry({dataFiles: [{path: 'content/uitspraken/ecli-nl-crvb-2019-1234-1.yaml',
                                                 raw: 'ecli: ECLI:NL:CRVB:2019:1234\\n'}]}, {});
      } catch (e) { refused = e.message; }
      return {written, found: found.file.path, refused};
    }""")
    assert saved["written"] == ["content/uitspraken/ECLI-NL-CRVB-2019-1234.yaml"]
    assert saved["found"] == "content/uitspraken/ECLI-NL-CRVB-2019-1234.yaml"
    assert saved["refused"].startswith("Er is al een uitspraak met deze ECLI")
