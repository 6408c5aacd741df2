"""The starter content says what its sources say (issues 17 and 26), and every item names its sources.

These tests read the real content files through the project's own validation, so an edit that
brings back an invented link, drops a rule of an original sheet or re-invents a name fails here.
The facts checked are the ones the source documents give (see ../shared/seeds, summarised in
../shared/DOMAIN.md); the tests never read the sources themselves.
"""

from __future__ import annotations

import re

import pytest

from lib.project import ROOT  # noqa: E402
from macros.content.validate import validate_corpus

SNOEP = ("ECLI:NL:RBGEL:2016:401", "ECLI:NL:CRVB:2021:2647")
SHEET5 = "Gedrag in vrije tijd"  # the titles of the two sheets whose text the sources hold
SHEET6 = "Gebruik van geweld"


@pytest.fixture(scope="module")
def result():
    return validate_corpus(ROOT)


@pytest.fixture(scope="module")
def corpus(result):
    return result.corpus


@pytest.fixture(scope="module")
def raw(result):
    """The loaded YAML of every content file, by kind and key (id or ECLI)."""
    out: dict[str, dict[str, dict]] = {}
    for doc in result.documents:
        data = doc.data
        key = data.get("id") or data.get("ecli") or doc.kind
        out.setdefault(doc.kind, {})[key] = data
    return out


def _flat(value) -> str:
    """All text in a YAML value, joined: for checks on what a reader can see."""
    if isinstance(value, dict):
        return "\n".join(_flat(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "\n".join(_flat(v) for v in value)
    return str(value)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def _sheet(corpus, sheet_id):
    return corpus.themablad[sheet_id]


def _kader_line(sheet, *words) -> str | None:
    for line in sheet.kader:
        if all(w.lower() in line.lower() for w in words):
            return line
    return None


# --- the corpus as a whole ---------------------------------------------------------------


def test_starter_corpus_validates_without_errors(result):
    assert result.ok, "\n".join(d.format_text() for d in result.errors)


def test_privacy_lint_and_card_fit_are_clean(result):
    codes = {d.code for d in result.diagnostics}
    assert not {c for c in codes if c.startswith("PRIVACY-")}, codes
    assert "KAART-TE-LANG" not in codes


@pytest.mark.parametrize("kind", ["themablad", "dilemma", "uitspraak", "module"])
def test_every_item_names_its_sources(raw, corpus, kind):
    items = raw.get(kind, {})
    assert items, f"no {kind} content found"
    for key, data in items.items():
        refs = data.get("bronnen")
        assert isinstance(refs, list) and refs, f"{kind} {key}: no bronnen"
        for ref in refs:
            assert ref["bron"] in corpus.bron, f"{kind} {key}: bron {ref['bron']!r} is not in content/bronnen.yaml"
            if "toelichting" in ref:
                assert 0 < len(ref["toelichting"]) <= 2000, f"{kind} {key}: toelichting"


def _sheet_source(corpus, title: str):
    """The register entry of an original sheet: a source of kind themablad with that title."""
    [source] = [b for b in corpus.bronnen if b.soort == "themablad" and title.lower() in b.titel.lower()]
    return source


def _sources(corpus, item) -> set[str]:
    return {source.id for _, source in corpus.bronnen_van(item.bronnen)}


def test_sheets_5_and_6_and_their_items_cite_the_original(corpus):
    expected = {
        "gedrag-in-vrije-tijd": _sheet_source(corpus, SHEET5).id,
        "gebruik-van-geweld": _sheet_source(corpus, SHEET6).id,
    }
    for sheet_id, source in expected.items():
        assert source in _sources(corpus, corpus.themablad[sheet_id]), sheet_id
        assert not corpus.themablad[sheet_id].van_de_redactie
    # The dilemmas the originals give are marked as coming from them ...
    five, six = expected["gedrag-in-vrije-tijd"], expected["gebruik-van-geweld"]
    from_sheet = {
        "joint-tegen-klachten": five,
        "vriend-rijdt-weg-na-drinken": five,
        "drugs-op-festival": five,
        "collegas-adviseren-te-zwijgen": six,
        "collega-ontloopt-spannende-meldingen": six,
        "knietje-geboeide-verdachte": six,
        "klacht-over-onbekend-geweld": six,
    }
    for dilemma_id, source in from_sheet.items():
        assert source in _sources(corpus, corpus.dilemma[dilemma_id]), dilemma_id
    # ... and every other dilemma is not passed off as coming from sheet 5 or 6.
    for item in corpus.dilemmas:
        if item.id not in from_sheet:
            assert not {five, six} & _sources(corpus, item), item.id
    # The rulings come from the casuïstiek of the sheet that cites them.
    for sheet_id, source in expected.items():
        for ecli in corpus.themablad[sheet_id].casuistiek:
            assert source in _sources(corpus, corpus.uitspraak[ecli]), ecli


def test_general_methods_say_so(corpus):
    """A general method without a checked publication is the editors' own text (docs/inhoudsmodel.md)."""
    for module_id in ("moreel-beraad-dilemmamethode", "moreel-beraad-in-een-uur", "socratisch-gesprek"):
        module = corpus.module[module_id]
        own = [ref for ref, source in corpus.bronnen_van(module.bronnen) if source.is_redactie]
        assert own and any("methode" in _norm(ref.toelichting or "") for ref in own), module_id


def test_no_invented_names_or_phrases_anywhere(raw):
    text = _norm("\n".join(_flat(items) for items in raw.values()))
    pages = _norm("\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "content" / "pages").rglob("*.md")))
    for wrong in (
        "meldpunt integriteit",
        "loopbaanoriëntatie",
        "eerste aanleg",
        # invented guideline titles of the first starter content
        "melden van risicovolle privécontacten",
        "hulp bij financiële zorgen",
        "collegiale opvang na ingrijpende gebeurtenissen",
        "werken met politiesystemen",
        "richtlijn social media voor medewerkers",
        "werkinstructie opmaken proces-verbaal",
        # the awkward sentences of issue 17, section 7
        "die je daarna bent",
        "raak je in een situatie",
        "de politie schade doe",
        "ik zorg voor iemand tegen wie ik geweld heb gebruikt",
        "buiten de afgesproken middelen",
        "op het hete moment",
    ):
        assert wrong not in text, f"content still says {wrong!r}"
        assert wrong not in pages, f"a page still says {wrong!r}"


# --- 1. rulings --------------------------------------------------------------------------


def test_the_two_snoep_rulings_are_not_linked(corpus, raw):
    for ecli in SNOEP:
        assert corpus.uitspraak[ecli].eerdere_instantie is None
    assert not any("eerdere_instantie" in data for data in raw["uitspraak"].values())


def test_both_snoep_rulings_carry_the_shared_summary(corpus):
    first, second = (corpus.uitspraak[e] for e in SNOEP)
    assert first.samenvatting == second.samenvatting
    assert first.titel == second.titel
    summary = _norm(first.samenvatting)
    for fact in (
        "snoep",
        "ernstig plichtsverzuim",
        "onvoorwaardelijk ontslag",
        "niet onevenredig",
        "niet-executieve functie",
    ):
        assert fact in summary, fact
    for ruling in (first, second):
        assert "eerste aanleg" not in _norm(ruling.titel + " " + ruling.samenvatting)


def test_the_other_rulings_say_what_the_sheets_say(corpus):
    facts = {
        "ECLI:NL:CRVB:2012:BX8109": ("uitkering", "samenwoonde", "moeten vermoeden"),
        "ECLI:NL:CRVB:2017:3167": ("beslag", "financiële situatie", "plichtsverzuim"),
        "ECLI:NL:CRVB:2014:3729": ("weerloos", "gefixeerd", "geen noodzakelijk doel", "offensief geweld"),
        "ECLI:NL:CRVB:2020:1777": ("geoorloofd", "hulp", "plichtsverzuim"),
        "ECLI:NL:RBDHA:2022:12601": ("hakbijl", "rechtsvervolging", "ambtsinstructie", "bovenlichaam"),
    }
    for ecli, words in facts.items():
        summary = _norm(corpus.uitspraak[ecli].samenvatting)
        for word in words:
            assert word in summary, f"{ecli}: {word!r}"


# --- 2. sheets 5 and 6 as their paper originals ------------------------------------------


def test_sheet_5_kader_has_every_statement_of_the_original(corpus):
    sheet = _sheet(corpus, "gedrag-in-vrije-tijd")
    assert _kader_line(sheet, "uitlatingen", "vrije tijd", "imago")
    assert _kader_line(sheet, "harddrugs", "softdrugs", "bezit", "handel")
    assert _kader_line(sheet, "alcohol", "functioneren")
    assert _kader_line(sheet, "alcohol", "vrije tijd")
    assert _kader_line(sheet, "chantabel", "kwetsbaar", "leidinggevende")


def test_sheet_6_kader_has_every_statement_of_the_original(corpus):
    sheet = _sheet(corpus, "gebruik-van-geweld")
    assert _kader_line(sheet, "niet anders kan", "meer dan", "nodig")
    assert _kader_line(sheet, "meld", "feiten en omstandigheden")
    assert _kader_line(sheet, "dilemma", "terug", "leidinggevende"), "feeding back the dilemmas to your leader"
    assert _kader_line(sheet, "proces-verbaal", "niet", "strafzaak tegen mij"), "report not usable against you"
    assert _kader_line(sheet, "kennis", "vaardigheden")


def _laws(sheet) -> set[tuple]:
    return {(w.wet, w.artikel, w.lid) for w in sheet.wetgeving}


def test_sheets_5_and_6_name_the_laws_of_the_originals(corpus):
    assert _laws(_sheet(corpus, "gedrag-in-vrije-tijd")) == {
        ("barp", "76", None),
        ("ambtenarenwet-2017", "6", "1"),
        ("ambtenarenwet-2017", "125", None),
    }
    assert _laws(_sheet(corpus, "gebruik-van-geweld")) == {("barp", "76", None), ("ambtsinstructie", None, None)}


def test_sheets_5_and_6_list_the_related_sheets_of_the_originals(corpus):
    assert _sheet(corpus, "gedrag-in-vrije-tijd").gerelateerd == (
        "contacten-in-de-privesfeer",
        "nevenwerkzaamheden",
        "social-media",
    )
    assert _sheet(corpus, "gebruik-van-geweld").gerelateerd == ("waarheidsgetrouw-opmaken",)


def test_sheets_5_and_6_name_the_guidelines_of_the_originals(corpus):
    sheet = _sheet(corpus, "gedrag-in-vrije-tijd")
    five = " ".join(r.titel for r in sheet.richtlijnen)
    assert "vertrouwenspersoon" in sheet.routes  # a route on Melden en hulp since issue 26
    assert "Risicowijzer politie" in five and "Arbocatalogus" in five
    six = " ".join(r.titel for r in _sheet(corpus, "gebruik-van-geweld").richtlijnen)
    assert "Toepassen van geweld" in six and "Geweldsbevoegdheid en -bekwaamheid" in six


def test_the_silence_dilemma_is_about_talking_about_force_you_used(corpus):
    situatie = _norm(corpus.dilemma["collegas-adviseren-te-zwijgen"].situatie)
    assert "geweld gebruikt" in situatie and "praten" in situatie and "mond" in situatie


# --- 3. real support routes --------------------------------------------------------------


def test_the_reporting_routes_are_the_real_bodies(corpus):
    text = _norm(corpus.reeks.inleiding)
    for body in (
        "vertrouwenspersoon",
        "veiligheid, integriteit en klachten (vik)",
        "klachtencommissie",
        "landelijk meldpunt misstanden",
        "ombudsfunctionaris",
        "landelijk kernteam uitsluiting, discriminatie of racisme",
        "geestelijk verzorger",
        "sociaal loket",
        "bedrijfsmaatschappelijk werk",
    ):
        assert body in text, body


def test_guidelines_with_an_unknown_title_say_so(corpus):
    for sheet in corpus.themabladen:
        for guideline in sheet.richtlijnen:
            assert guideline.placeholder, f"{sheet.id}: {guideline.titel} has no checked intranet address"
            if "VIK" in guideline.titel and "Veiligheid, Integriteit en Klachten" in guideline.titel:
                assert "voorlopige titel" in guideline.titel


def test_kernwaarden_follow_the_beroepscode_and_are_not_passed_off_as_its_text(corpus):
    values = {k.id: _norm(k.omschrijving) for k in corpus.reeks.kernwaarden}
    assert "onafhankelijk" in values["integer"] and "voorbeeldfunctie" in values["integer"]
    assert "ik doe wat ik zeg" in values["betrouwbaar"]
    assert "kwetsbaar" in values["moedig"] and "uitlatingen" in values["moedig"]
    assert "aanzien des persoons" in values["verbindend"]
    page = _norm((ROOT / "content" / "pages" / "kernwaarden.md").read_text(encoding="utf-8"))
    assert "eigen woorden" in page and "niet de officiële tekst" in page


# --- 4. modules --------------------------------------------------------------------------


def test_po21_follows_the_source(corpus):
    module = corpus.module["leerlijn-integriteit-po21"]
    titles = [p.titel for p in module.plekken]
    assert len(titles) == 7 and "Beroepsoriëntatiedagen" in titles
    text = _norm(_flat([module.doel, [(p.titel, p.beschrijving) for p in module.plekken]]))
    assert "19 beroepsoriëntatiedagen" in text
    assert "drie perspectieven: de maatschappij, de politieorganisatie en zichzelf" in text
    assert "pilot" in text and "in ontwikkeling" in text
    assert "ontwikkelen van de professionele beroepsidentiteit" in text and "politieagent ggp" in text
    bewijs = {m.fase: _norm(m.bewijs) for m in module.portfolio}
    assert "rauw" in bewijs["Q5"] and "voortgangsgesprek" in bewijs["Q5"]
    for fase in ("Q3", "Q5", "Q8"):
        assert "suggestie" in bewijs[fase], f"{fase}: unsourced evidence must be marked as a suggestion"


def test_udr_guide_follows_the_source(corpus):
    module = corpus.module["handreiking-uitsluiting-discriminatie-racisme"]
    text = _norm(_flat([module.doel, [(s.titel, s.beschrijving) for s in module.onderdelen]]))
    # the kernteam as the handreiking names it: 'landelijke kernteam uitsluiting, discriminatie of racisme'
    for fact in (
        "landelijke kernteam uitsluiting, discriminatie of racisme",
        "geen onderzoek",
        "versluierd",
        "vage gronden",
        "luister zonder oordeel",
        "communiceer transparant naar de betrokkenen",
        "team veilig en gezond werken",
        "vertrouwenspersoon",
        "geestelijk verzorger",
        "sociaal loket",
        "90quater",
        "artikel 1 van de grondwet",
        "triage",
    ):
        assert fact in text, fact
    assert "vertel het team" not in text


def test_reflection_day_follows_the_source(corpus):
    module = corpus.module["reflectiedag-na-intern-onderzoek"]
    assert [o.duur for o in module.onderdelen] == [30, 30, 90, 60, 45, 60, 120, 45, 60, 45]
    text = _norm(
        _flat([module.doel, [(o.titel, o.beschrijving or "", o.facilitator or "") for o in module.onderdelen]])
    )
    for fact in (
        "15 tot 20",
        "veiligheid",
        "zonder veiligheid",
        "wat is er goed gegaan",
        "wat kunnen we daarvan leren",
        "tweede, aanvullende dag",
        "sectorhoofd",
        "teamchef",
    ):
        assert fact in text, fact


def test_proposals_in_modules_are_marked(raw):
    for module_id in (
        "masterclass-operationeel-leidinggevenden",
        "moreel-beraad-dilemmamethode",
        "moreel-beraad-in-een-uur",
        "socratisch-gesprek",
    ):
        data = raw["module"][module_id]
        assert "voorstel" in _norm(data["doel"]), f"{module_id}: the page must say what is a proposal"
        notes = " ".join(ref.get("toelichting", "") for ref in data["bronnen"])
        assert "voorstel" in _norm(notes), module_id


# --- 5. what the sources hold that a team would miss -------------------------------------


def test_social_media_rules(corpus):
    sheet = _sheet(corpus, "social-media")
    assert _kader_line(sheet, "uniform", "profielfoto")
    assert _kader_line(sheet, "daderwetenschap")
    assert _kader_line(sheet, "verdachten", "privéaccount")
    assert _kader_line(sheet, "volg", "like")
    assert _kader_line(sheet, "doxing", "leidinggevende")


def test_private_queries_and_their_consequences(corpus):
    sheet = _sheet(corpus, "omgaan-met-informatie")
    text = _norm(sheet.inleiding + " " + " ".join(sheet.kader))
    for fact in (
        "privébevraging",
        "computervredebreuk",
        "plichtsverzuim",
        "verklaring van geen bezwaar",
        "buiten diensttijd",
        "verantwoorden",
    ):
        assert fact in text, fact


def test_care_for_a_colleague_under_investigation(corpus):
    module = corpus.module["zorg-bij-onderzoek-naar-een-collega"]
    text = _norm(_flat([module.doel, [(s.titel, s.beschrijving) for s in module.onderdelen]]))
    for fact in (
        "intakegesprek van vik",
        "bedrijfsmaatschappelijk werk",
        "geestelijke verzorging",
        "bepaalt de collega zelf",
        "leidinggevende blijft verantwoordelijk",
        "rehabilitatie",
    ):
        assert fact in text, fact


def test_integriteitshuis_has_its_foundations(corpus):
    huis = _norm(_flat([(p.titel, p.omschrijving) for p in corpus.reeks.integriteitshuis]))
    for part in ("ethisch werkklimaat", "leiderschap", "beschermen", "bekrachtigen", "begrenzen", "visie en ambitie"):
        assert part in huis, part


def test_moral_stress_from_the_sociaal_jaarbeeld(corpus):
    doel = _norm(corpus.module["moreel-beraad-dilemmamethode"].doel)
    assert "morele stress" in doel and "sociaal jaarbeeld 2022" in doel
