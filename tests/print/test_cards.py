"""Dilemma cards (issue 5): real PDFs read back with pypdf, and the fit estimator
checked against what WeasyPrint really lays out."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from lib.pdf import embedded_fonts
from lib.project import (
    FIXTURES,  # noqa: E402
    ROOT,
)
from macros.content import cards_fit
from macros.content.model import Corpus, Dilemma
from macros.content.validate import validate_corpus
from macros.printing import cards
from macros.printing.cards import Card, KaartFout, Selectie

KOMPAS = Path(sys.executable).parent / "kompas"
MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
A5 = (148 * MM, 210 * MM)
PX = 0.75  # WeasyPrint's boxes are in CSS px; 1 px = 0.75 pt


# -- a project with a handful of extra dilemmas ------------------------------------------------
def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def write_dilemma(
    project: Path,
    item_id: str,
    *,
    titel: str | None = None,
    situatie: str | None = None,
    themabladen=("vrije-tijd",),
    kernwaarden=("integer",),
    doelgroep=("medewerker",),
    hulpvragen=("Wat doe je?",),
    uitspraken=(),
    bronnen: tuple[str, ...] = ("redactie",),
) -> Path:
    lines = [
        "# yaml-language-server: $schema=../../schemas/dilemma.schema.json",
        f"id: {item_id}",
        f"titel: {_scalar(titel or f'Dilemma {item_id}')}",
        f"situatie: {_scalar(situatie or 'Een collega vraagt je iets wat niet mag. Wat doe je?')}",
        f"themabladen: [{', '.join(themabladen)}]",
        f"kernwaarden: [{', '.join(kernwaarden)}]",
        f"doelgroep: [{', '.join(doelgroep)}]",
        "hulpvragen:",
        *(f"  - {_scalar(q)}" for q in hulpvragen),
    ]
    if uitspraken:
        lines.append(f"uitspraken: [{', '.join(uitspraken)}]")
    lines += ["bronnen:", *(f"  - bron: {source}" for source in bronnen)]
    lines += ["eigenaar: Programma Integriteit", 'versie: "1.0"', "gewijzigd: 2026-11-01", "herzien_voor: 2099-11-01"]
    path = project / "content" / "dilemmas" / f"{item_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


EXTRA = {  # id: (sheets, core values, target groups)
    "kaart-1": (("vrije-tijd",), ("integer", "moedig"), ("aspirant",)),
    "kaart-2": (("geweld",), ("verbindend",), ("leidinggevende",)),
    "kaart-3": (("vrije-tijd", "geweld"), ("moedig",), ("medewerker", "trainer")),
    "kaart-4": (("geweld",), ("betrouwbaar",), ("docent",)),
    "kaart-5": (("vrije-tijd",), ("verbindend", "integer"), ("leidinggevende",)),
}


def make_cards_project(target: Path) -> Path:
    """The fixture corpus plus five dilemmas and a module that uses a dilemma in one of its steps."""
    shutil.copytree(FIXTURES / "corpus", target)
    # the decks here count on the fixture's two dilemmas on a sheet; the dilemma on an onderwerp (and the
    # module that uses it) are covered by tests/site/test_melden_en_hulp_site.py
    (target / "content" / "dilemmas" / "grap-in-de-app.yaml").unlink()
    (target / "modules" / "gesprek.yaml").unlink()
    for number, (item_id, (sheets, values, groups)) in enumerate(EXTRA.items(), 1):
        write_dilemma(
            target,
            item_id,
            titel=f"Kaart {number}: korting < 10% & een cadeau",
            situatie=f"Situatie {number}. Een burger biedt je na een melding korting aan. Wat doe je?",
            themabladen=sheets,
            kernwaarden=values,
            doelgroep=groups,
            hulpvragen=(f"Welke keuze maak jij in situatie {number}?", "Met wie bespreek je dit?"),
        )
    (target / "modules" / "blok.yaml").write_text(
        "# yaml-language-server: $schema=../schemas/module.schema.json\n"
        "id: blok\nsoort: moreel-beraad\ntitel: Beraad met een casus\ndoel: Een casus onderzoeken.\n"
        "doelgroep: [medewerker]\nduur: 30\nstappen:\n  - titel: Casus\n    duur: 30\n    dilemmas: [kaart-4]\n"
        "bronnen: [{bron: redactie, toelichting: 'Algemene methode: De dilemmamethode.'}]\n"
        "eigenaar: Programma Integriteit\nversie: \"1.0\"\ngewijzigd: 2026-11-01\nherzien_voor: 2099-11-01\n",
        encoding="utf-8",
    )
    return target


def valid_corpus(project: Path) -> Corpus:
    result = validate_corpus(project)
    assert result.ok, [d.format_text() for d in result.errors]
    return result.corpus


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_cards_project(tmp_path_factory.mktemp("kaarten") / "project")


@pytest.fixture(scope="module")
def corpus(project) -> Corpus:
    return valid_corpus(project)


@pytest.fixture(scope="module")
def order(corpus) -> list[Dilemma]:
    return list(corpus.dilemmas)


@pytest.fixture(scope="module")
def deck_a4(corpus, order, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a4") / "deck.pdf"
    deck = cards.render_deck(corpus, order, out, "a4", "Dilemmakaarten: test")
    assert deck.paginas == 2 * math.ceil(len(order) / 4)
    return out


@pytest.fixture(scope="module")
def deck_a5(corpus, order, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a5") / "deck.pdf"
    cards.render_deck(corpus, order, out, "a5", "Dilemmakaarten: A5")
    return out


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on a PDF page, in points from the bottom left."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def find(runs, needle: str) -> list[tuple[float, float]]:
    return [(x, y) for x, y, text in runs if needle in text]


def slot_of(x: float, y: float) -> tuple[int, int]:
    """(column, row) of a point on an A4 sheet of four cards."""
    return (0 if x < 105 * MM else 1), (0 if y > A4[1] / 2 else 1)


# -- the PDF read back -------------------------------------------------------------------------
def test_a4_deck_pages_size_and_metadata(deck_a4, order):
    reader = PdfReader(deck_a4)
    assert len(order) == 7
    assert len(reader.pages) == 2 * math.ceil(len(order) / 4) == 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.5)
    assert reader.metadata.title == "Dilemmakaarten: test"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    assert "/StructTreeRoot" in root


def test_fonts_are_the_shipped_font_and_embedded(deck_a4):
    reader = PdfReader(deck_a4)
    seen = set()
    for page in reader.pages:
        seen |= embedded_fonts(page)
    assert seen and all("Kompas-Lato" in name for name in seen), seen
    assert any(name.endswith("Kompas-Lato-Bold") for name in seen)


def test_every_front_has_its_card_and_every_back_is_mirrored(deck_a4, order):
    reader = PdfReader(deck_a4)
    for index, item in enumerate(order):
        sheet, slot = divmod(index, 4)
        column, row = slot % 2, slot // 2
        front = positioned_text(reader.pages[2 * sheet])
        back = positioned_text(reader.pages[2 * sheet + 1])
        ids = find(front, item.id)
        assert ids, f"{item.id} ontbreekt op voorvel {sheet + 1}"
        assert {slot_of(x, y) for x, y in ids} == {(column, row)}
        if item.id.startswith("kaart-"):
            titles = find(front, item.titel.split(":")[0] + ":")
            assert titles and {slot_of(x, y) for x, y in titles} == {(column, row)}
        # the back: the card's own first help question, in the mirrored column of the same row
        question = find(back, item.hulpvragen[0])
        assert question, f"de hulpvraag van {item.id} ontbreekt op achtervel {sheet + 1}"
        assert {slot_of(x, y) for x, y in question} == {(1 - column, row)}
        assert {slot_of(x, y) for x, y in find(back, item.id)} == {(1 - column, row)}
        # and the front sheet holds no back text
        assert not find(front, item.hulpvragen[0])


def test_backs_show_core_values_kader_and_rulings(deck_a4, order, corpus):
    reader = PdfReader(deck_a4)
    index = [item.id for item in order].index("stil-houden")
    text = reader.pages[2 * (index // 4) + 1].extract_text()
    assert "ECLI:NL:CRVB:2014:3729" in text  # the dilemma's own ruling
    assert "Ik meld elke geweldsaanwending volledig." in text  # the kader of its sheet
    assert "MOEDIG" in text and "BETROUWBAAR" in text  # core values as labels
    index = [item.id for item in order].index("joint")
    text = reader.pages[2 * (index // 4) + 1].extract_text()
    assert "ECLI:NL:CRVB:2017:3167" in text  # no ruling of its own: the sheet's


def test_text_is_escaped_not_interpreted(deck_a4):
    text = PdfReader(deck_a4).pages[0].extract_text()
    assert "korting < 10% & een cadeau" in " ".join(text.split())


def test_a5_is_one_card_per_page_front_then_back(deck_a5, order):
    reader = PdfReader(deck_a5)
    assert len(reader.pages) == 2 * len(order)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A5[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A5[1], abs=0.5)
    for index, item in enumerate(order):
        front = reader.pages[2 * index].extract_text()
        back = reader.pages[2 * index + 1].extract_text()
        assert item.id in front and item.hulpvragen[0] not in front
        assert item.hulpvragen[0] in back
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_a_sheet_renders_to_a_png_that_is_not_blank(deck_a4, tmp_path):
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm ontbreekt: `make test` installeert poppler-utils met scripts/ensure-system.sh")
    for page in (1, 2):
        prefix = tmp_path / f"vel{page}"
        subprocess.run(
            [pdftoppm, "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", "-png", str(deck_a4), str(prefix)],
            check=True,
            timeout=60,
        )
        image = Image.open(f"{prefix}.png").convert("L")
        width, height = image.size
        assert (width, height) == (pytest.approx(331, abs=2), pytest.approx(468, abs=2))
        for column in (0, 1):
            for row in (0, 1):  # every card on the sheet has ink
                box = (column * width // 2, row * height // 2, (column + 1) * width // 2, (row + 1) * height // 2)
                pixels = image.crop(box).tobytes()
                ink = sum(1 for value in pixels if value < 160) / len(pixels)
                assert 0.005 < ink < 0.5, (page, column, row, ink)


def test_cut_marks_on_front_sheets_only(deck_a4, tmp_path):
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm ontbreekt: `make test` installeert poppler-utils met scripts/ensure-system.sh")
    dpi = 150
    centre = round(105 / 25.4 * dpi)  # the vertical cut line, at the top edge of the sheet
    marked = []
    for page in (1, 2):
        prefix = tmp_path / f"snij{page}"
        subprocess.run(
            [
                pdftoppm,
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-x",
                str(centre - 10),
                "-y",
                "0",
                "-W",
                "21",
                "-H",
                str(round(8 / 25.4 * dpi)),
                "-singlefile",
                "-png",
                str(deck_a4),
                str(prefix),
            ],
            check=True,
            timeout=60,
        )
        image = Image.open(f"{prefix}.png").convert("L")
        marked.append(min(image.tobytes()) < 200)
    assert marked == [True, False]


def test_every_card_side_is_a_named_destination_on_its_page(deck_a4, order):
    reader = PdfReader(deck_a4)
    pages = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    for index, item in enumerate(order):
        assert pages[f"voor-{item.id}"] == 2 * (index // 4)
        assert pages[f"achter-{item.id}"] == 2 * (index // 4) + 1


# -- what keeps the layout cheap -----------------------------------------------------------------
def _boxes(document, css_class: str, kind: str = "BlockBox") -> list:
    return [
        box
        for page in document.pages
        for box in _walk(page._page_box)
        if css_class in _classes(box) and type(box).__name__ == kind
    ]


def test_cards_share_their_computed_styles(corpus, order):
    """WeasyPrint shares a computed style between elements with the same parent style and the same
    rules, but not under an element with a style or id attribute; a card that got one again
    would make every box of every card compute its own style (much slower, same look)."""
    document = cards.render_document(corpus, order, "a5")  # one position on the page
    fits = [cards_fit.fit_card(corpus, item) for item in order]
    for css_class, side_of in (("titel", lambda fit: fit.front), ("hulpvragen", lambda fit: fit.back)):
        boxes = _boxes(document, css_class)
        assert len(boxes) == len(order)
        by_step: dict = {}
        # the last back is on the last sheet, which has a rule of its own (.vel:last-child)
        for box, fit in list(zip(boxes, fits))[:-1]:
            by_step.setdefault(side_of(fit), set()).add(id(box.style))
        assert all(len(styles) == 1 for styles in by_step.values()), css_class
        assert len(by_step) < len(order)  # some cards share a size step, so the test says something


def test_kader_quotes_hang_left_of_the_text(corpus, order):
    """The quote before a kader statement is an inline box whose margins add up to nothing (cheaper
    than an absolute box); its advance comes from the font metrics, so check it against Pango."""
    document = cards.render_document(corpus, order, "a4")
    quoted = 0
    for item in _boxes(document, "kader"):
        for entry in item.children:
            left = entry.content_box_x()
            quote, text = entry.children[0].children[:2]
            assert quote.element_tag == "li::before" and quote.children[0].text == "\u201c"
            assert quote.border_box_x() == pytest.approx(left - 1.05 * entry.style["font_size"], abs=0.01)
            assert text.position_x == pytest.approx(left, abs=0.01)
            for line in entry.children[1:]:  # later lines start at the same edge
                assert line.children[0].position_x == pytest.approx(left, abs=0.01)
            quoted += 1
    assert quoted >= 3


def test_list_items_are_tagged_with_label_and_body(deck_a4):
    """PDF/UA: a list item holds a label (Lbl) and/or a body (LBody), not loose content."""
    reader = PdfReader(deck_a4)
    seen, stack = {"/Lbl": 0, "/LBody": 0}, [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        kids = node.get("/K", [])
        kids = [kid for kid in (kids if isinstance(kids, list) else [kids]) if hasattr(kid, "get_object")]
        kids = [kid for kid in kids if isinstance(kid.get_object(), dict) and "/S" in kid.get_object()]
        if node.get("/S") == "/LI":
            tags = [kid.get_object()["/S"] for kid in kids]
            assert tags and set(tags) <= {"/Lbl", "/LBody"}, tags
            for tag in tags:
                seen[tag] += 1
        stack.extend(kids)
    assert seen["/Lbl"] >= 1 and seen["/LBody"] >= seen["/Lbl"]  # numbered help questions and the rest


def test_fewer_collections_restores_the_thresholds_also_after_an_error():
    import gc

    before = gc.get_threshold()
    with pytest.raises(KaartFout):
        with cards.fewer_collections(threshold=before[0] + 12345):
            assert gc.get_threshold() == (before[0] + 12345, *before[1:])
            raise KaartFout("stop")
    assert gc.get_threshold() == before


def _python_with_tmpdir(code: str, tmpdir: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter from the project folder, with its temp files in ``tmpdir``."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmpdir)},
        cwd=Path(cards.__file__).parent.parent,
    )


def test_the_shared_renderer_leaves_no_font_folder_and_no_noise_at_exit(tmp_path):
    """WeasyPrint's own clean-up fails during interpreter shutdown ('NoneType' object is not
    callable) and leaves its temporary font folder behind; the process must end clean."""
    # sys keeps the module alive until late in shutdown, as pytest and MkDocs plugins do
    result = _python_with_tmpdir(
        "import sys; from macros.printing import cards; r = cards.shared_renderer('a4'); "
        "r.layout('<p>x</p>'); sys.kompas_cards = cards; print(r.fonts._folder)",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert folder.parent == tmp_path  # the font folder was made, under our temp dir ...
    assert not folder.exists() and list(tmp_path.iterdir()) == []  # ... and removed at exit
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_card_worker_processes_leave_no_font_folder(tmp_path):
    """build_site_decks renders in a process pool; its workers end without atexit handlers."""
    corpus = FIXTURES / "corpus"
    code = (
        "from concurrent.futures import ProcessPoolExecutor; from pathlib import Path\n"
        "from macros.printing import cards; from macros.content.validate import validate_corpus\n"
        f"corpus = validate_corpus(Path({str(corpus)!r})).corpus\n"
        "card = cards.make_card(corpus, corpus.dilemmas[0], None)\n"
        "with ProcessPoolExecutor(2) as pool:\n"
        "    print(list(pool.map(cards._render_parts, ['a4', 'a5'], [[(card,)], [(card,)]], [['een'], ['twee']],\n"
        f"                        [{str(tmp_path)!r}] * 2)))\n"
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    result = _python_with_tmpdir(code, temp)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2, 2]"
    assert (tmp_path / "een.deel").exists() and (tmp_path / "twee.deel").exists()
    assert list(temp.iterdir()) == [], "font folders left behind by the workers"


# -- selections ---------------------------------------------------------------------------------
def ids(items) -> set[str]:
    return {item.id for item in items}


def test_no_selection_is_the_whole_deck(corpus):
    assert ids(cards.select(corpus, Selectie())) == {"joint", "stil-houden", *EXTRA}


def test_or_within_a_kind(corpus):
    assert ids(cards.select(corpus, Selectie(themabladen=("geweld",)))) == {
        "stil-houden",
        "kaart-2",
        "kaart-3",
        "kaart-4",
    }
    assert ids(cards.select(corpus, Selectie(kernwaarden=("verbindend", "betrouwbaar")))) == {
        "stil-houden",
        "kaart-2",
        "kaart-4",
        "kaart-5",
    }
    assert ids(cards.select(corpus, Selectie(doelgroepen=("trainer", "docent")))) == {"kaart-3", "kaart-4"}


def test_and_between_kinds(corpus):
    assert ids(cards.select(corpus, Selectie(themabladen=("vrije-tijd",), kernwaarden=("moedig",)))) == {
        "kaart-1",
        "kaart-3",
    }
    assert ids(
        cards.select(corpus, Selectie(themabladen=("vrije-tijd",), kernwaarden=("moedig",), doelgroepen=("aspirant",)))
    ) == {"kaart-1"}


def test_module_includes_the_dilemmas_of_its_steps(corpus):
    assert ids(cards.select(corpus, Selectie(modules=("blok",)))) == {"kaart-4"}
    assert ids(cards.select(corpus, Selectie(modules=("beraad",)))) == {"stil-houden"}
    assert ids(cards.select(corpus, Selectie(modules=("beraad", "blok")))) == {"stil-houden", "kaart-4"}


def test_ids_keep_their_order(corpus):
    chosen = cards.select(corpus, Selectie(ids=("kaart-5", "joint", "kaart-1")))
    assert [item.id for item in chosen] == ["kaart-5", "joint", "kaart-1"]


@pytest.mark.parametrize(
    "selectie, message",
    [
        (Selectie(ids=("bestaat-niet",)), "Onbekend dilemma-id: 'bestaat-niet'"),
        (Selectie(themabladen=("social-media",)), "Onbekend themablad: 'social-media'"),
        (Selectie(modules=("geen",)), "Onbekende module: 'geen'"),
        (Selectie(kernwaarden=("eerlijk",)), "Onbekende kernwaarde: 'eerlijk'. Kies uit: integer"),
        (Selectie(doelgroepen=("iedereen",)), "Onbekende doelgroep: 'iedereen'"),
        (
            Selectie(themabladen=("geweld",), doelgroepen=("aspirant",)),
            "Geen dilemma's gevonden voor themablad geweld en doelgroep aspirant",
        ),
    ],
)
def test_bad_selections_are_clear_errors(corpus, selectie, message):
    with pytest.raises(KaartFout) as error:
        cards.select(corpus, selectie)
    assert message in str(error.value)


# -- the command line ---------------------------------------------------------------------------
def kompas(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run([str(KOMPAS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def test_cli_empty_selection_is_an_error_without_a_pdf(project, tmp_path):
    out = tmp_path / "leeg.pdf"
    result = kompas("kaarten", "--uit", str(out), "--themablad", "geweld", "--doelgroep", "aspirant", cwd=project)
    assert result.returncode == 2  # wrong use: a selection that finds nothing
    assert "kompas kaarten: SELECTIE fout: Geen dilemma's gevonden" in result.stderr
    assert not out.exists()


def test_cli_unknown_id_is_an_error(project, tmp_path):
    out = tmp_path / "x.pdf"
    result = kompas(
        "kaarten", "--uit", str(out), "--id", "joint", "--id", "bestaat-niet", "--map", str(project), cwd=tmp_path
    )
    assert result.returncode == 2  # wrong use: an id that does not exist
    assert "kompas kaarten: SELECTIE fout: Onbekend dilemma-id: 'bestaat-niet'" in result.stderr
    assert not out.exists()


def test_cli_refuses_a_corpus_with_errors(tmp_path):
    project = make_cards_project(tmp_path / "project")
    write_dilemma(project, "kapot", themabladen=("bestaat-niet",))
    out = tmp_path / "x.pdf"
    result = kompas("kaarten", "--uit", str(out), cwd=project)
    assert result.returncode == 1
    assert "content/dilemmas/kapot.yaml:" in result.stderr and "VERWIJZING-THEMABLAD" in result.stderr
    assert "Er is geen PDF gemaakt" in result.stderr
    assert not out.exists()


def test_cli_writes_an_a5_deck_of_the_chosen_cards(project, tmp_path):
    out = tmp_path / "twee.pdf"
    result = kompas("kaarten", "--uit", str(out), "--formaat", "a5", "--id", "kaart-2", "--id", "joint", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "2 kaarten op 4 pagina's (A5)" in result.stdout
    reader = PdfReader(out)
    assert len(reader.pages) == 4
    assert float(reader.pages[0].mediabox.width) == pytest.approx(A5[0], abs=0.5)
    assert "kaart-2" in reader.pages[0].extract_text() and "joint" in reader.pages[2].extract_text()


def test_cli_help_is_dutch(project):
    result = kompas("kaarten", "--help", cwd=project)
    assert result.returncode == 0
    assert "dilemmakaarten" in result.stdout and "--kernwaarde" in result.stdout and "mag vaker" in result.stdout


# -- the fit estimator against WeasyPrint ------------------------------------------------------------
WORDS = (
    "de het een collega politie-eenheid agent verdachte aanhouding geweldsaanwending melding leidinggevende "
    "e-mail vertrouwenspersoon teamchef integriteitsschending dienst vrije tijd drugs- alcoholgebruik en/of "
    "A4-vel noodhulp zegt: “nee” (misschien) 112 €50 café één privébevraging Rotterdam-Zuid 09:30 – dat, "
    "bijvoorbeeld; 24/7 1/3 www.politie.nl/integriteit (ex-)collega collega's ‘zo’ — e.d. ... 3-0 -5 /pad "
    "“Nou!” ja/nee/misschien"
).split()


def random_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def random_dilemma(rng: random.Random, number: int, base: Dilemma) -> Dilemma:
    sentences = " ".join(random_text(rng, rng.randint(4, 18)).capitalize() + "." for _ in range(rng.randint(1, 8)))
    question = rng.choice(["Wat doe je?", "Spreek je je collega aan, of meld je het bij je leidinggevende?"])
    return Dilemma(
        f"toets-{number}",
        random_text(rng, rng.randint(2, 12)).capitalize(),
        f"{sentences} {question}",
        (rng.choice(["vrije-tijd", "geweld"]),),
        tuple(rng.sample(["integer", "betrouwbaar", "moedig", "verbindend"], rng.randint(1, 4))),
        ("medewerker",),
        tuple(random_text(rng, rng.randint(3, 24)).capitalize() + "?" for _ in range(rng.randint(1, 6))),
        base.beheer,
        f"content/dilemmas/toets-{number}.yaml",
        base.bronnen,
    )


def with_dilemmas(corpus: Corpus, items) -> Corpus:
    return Corpus.create(
        themabladen=corpus.themabladen,
        dilemmas=items,
        uitspraken=corpus.uitspraken,
        wetten=corpus.wetten,
        modules=(),
        reeks=corpus.reeks,
        bronnen=corpus.bronnen,
        onderwerpen=corpus.onderwerpen,
        meldroutes=corpus.meldroutes,
    )


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def flows(document):
    """For each side of each card: (card id, side, used height, available height, problems), in points."""
    result = []
    for page in document.pages:
        for article in _walk(page._page_box):
            if getattr(article, "element_tag", None) != "article" or "kaart" not in _classes(article):
                continue
            anchor = next(
                b.element.get("id")
                for b in _walk(article)
                if getattr(b, "element", None) is not None and b.element.get("id")
            )
            card_id = anchor.split("-", 1)[1]
            side = "voor" if "voor" in _classes(article) else "achter"
            flow = next(b for b in _walk(article) if "stroom" in _classes(b) and b.element_tag == "div")
            used = sum(child.margin_height() for child in flow.children) * PX
            problems = []
            right = flow.content_box_x() + flow.width
            for box in _walk(flow):
                if type(box).__name__ == "TextBox" and box.text.strip() and box.position_x + box.width > right + 0.01:
                    problems.append(f"te breed: {box.text!r}")
            question = [c for c in flow.children if "vraag" in _classes(c)]
            in_flow = [c for c in flow.children if "vraag" not in _classes(c)]
            if question and in_flow:
                bottom = max(c.position_y + c.margin_height() for c in in_flow)
                if bottom > question[0].position_y + 0.01:
                    problems.append("de vraag overlapt de situatie")
            for child in flow.children:
                if child.position_y + child.margin_height() > flow.content_box_y() + flow.height + 0.01:
                    problems.append(f"{_classes(child)} steekt onder de kaart uit")
            result.append((card_id, side, used, flow.height * PX, problems))
    return result


def estimate(corpus: Corpus, item: Dilemma, side: str) -> float:
    fit = cards_fit.fit_card(corpus, item)
    if side == "voor":
        return cards_fit.stack_height(cards_fit.front_blocks(item, fit.front))
    return cards_fit.stack_height(cards_fit.back_blocks(fit.back_content, fit.back))


def test_estimate_equals_the_weasyprint_layout(corpus):
    rng = random.Random(20261123)
    items = [random_dilemma(rng, n, corpus.dilemmas[0]) for n in range(24)]
    test_corpus = with_dilemmas(corpus, items)
    fitting = [item for item in items if cards_fit.fit_card(test_corpus, item).ok]
    assert len(fitting) >= 20
    sizes = {cards_fit.fit_card(test_corpus, item).front for item in fitting}
    assert len(sizes) >= 3  # the sample really exercises several shrink steps
    measured = flows(cards.render_document(test_corpus, fitting, "a4"))
    assert len(measured) == 2 * len(fitting)
    for card_id, side, used, available, problems in measured:
        assert not problems, (card_id, side, problems)
        assert used <= available + 0.01, (card_id, side)
        assert used == pytest.approx(estimate(test_corpus, test_corpus.dilemma[card_id], side), abs=0.05), (
            card_id,
            side,
        )


def _grow(corpus: Corpus, base: Dilemma, make) -> tuple[Dilemma, Dilemma]:
    """The longest variant the estimator accepts and the shortest it rejects."""
    low, high = 1, 400
    assert cards_fit.fit_card(with_dilemmas(corpus, [make(low)]), make(low)).ok
    assert not cards_fit.fit_card(with_dilemmas(corpus, [make(high)]), make(high)).ok
    while high - low > 1:
        middle = (low + high) // 2
        if cards_fit.fit_card(with_dilemmas(corpus, [make(middle)]), make(middle)).ok:
            low = middle
        else:
            high = middle
    return make(low), make(high)


def _forced_at_minimum(corpus: Corpus, item: Dilemma) -> Card:
    """A card at the smallest size, even when it does not fit (to see WeasyPrint overflow)."""
    content = cards_fit.back_content(corpus, item)
    content = content.reduced()[-1]
    last = len(cards_fit.SPEC.steps) - 1
    return Card(item.id, item.titel, item.context, item.vraag, cards.sheet_label(corpus, item), content, last, last)


@pytest.mark.parametrize("side", ["voor", "achter"])
def test_accepted_fits_and_rejected_overflows_at_the_minimum_size(corpus, side):
    base = corpus.dilemma["joint"]
    rng = random.Random(5)
    filler = [random_text(rng, 12).capitalize() + "." for _ in range(400)]

    def make(n: int) -> Dilemma:
        if side == "voor":
            return Dilemma(
                f"grens-{n}",
                base.titel,
                " ".join(filler[:n]) + " Wat doe je?",
                base.themabladen,
                base.kernwaarden,
                base.doelgroep,
                base.hulpvragen,
                base.beheer,
                base.pad,
                base.bronnen,
            )
        questions = tuple(f"{filler[k][:-1]}?" for k in range(min(n, 8)))
        if n > 8:  # then the questions grow longer
            questions = tuple(
                q[:-1] + " " + " ".join(filler[8 + k :: 8][: n - 8]) + "?" for k, q in enumerate(questions)
            )
        return Dilemma(
            f"grens-{n}",
            base.titel,
            base.situatie,
            base.themabladen,
            base.kernwaarden,
            base.doelgroep,
            questions,
            base.beheer,
            base.pad,
            base.bronnen,
        )

    accepted, rejected = _grow(corpus, base, make)
    test_corpus = with_dilemmas(corpus, [accepted, rejected])
    html = cards.cards_html([cards.make_card(test_corpus, accepted), _forced_at_minimum(test_corpus, rejected)])
    measured = {
        (card_id, s): (used, available, problems)
        for card_id, s, used, available, problems in flows(cards.layout_html(html))
    }
    used, available, problems = measured[(accepted.id, side)]
    assert used <= available + 0.01 and not problems
    used, available, problems = measured[(rejected.id, side)]
    assert used > available + 0.01  # really too long for WeasyPrint too
    with pytest.raises(KaartFout, match="past niet op een kaart"):
        cards.make_card(test_corpus, rejected)


def test_validator_reports_cards_that_do_not_fit(tmp_path):
    project = make_cards_project(tmp_path / "project")
    long_story = " ".join(["Tijdens een drukke nachtdienst gebeurt er iets wat je niet had verwacht."] * 20)
    write_dilemma(project, "te-lang", titel="Een heel lange titel " * 7, situatie=long_story + " Wat doe je?")
    long_question = "Wat zou jij doen als " + " ".join(["je collega iets anders zegt dan je zelf zag"] * 5) + "?"
    write_dilemma(project, "te-veel-vragen", hulpvragen=(long_question,) * 8)
    write_dilemma(
        project,
        "te-breed",
        situatie="Je collega noemt het een typische "
        "donaudampfschifffahrtsgesellschaftskapiteinsweduwenpensioenverzekeringszaak. Wat doe je?",
    )
    result = validate_corpus(project)
    problems = {(d.file, d.line): d for d in result.diagnostics if d.code == "KAART-TE-LANG"}
    assert set(problems) == {
        ("content/dilemmas/te-lang.yaml", 4),
        ("content/dilemmas/te-veel-vragen.yaml", 9),
        ("content/dilemmas/te-breed.yaml", 4),
    }
    assert "voorkant" in problems[("content/dilemmas/te-lang.yaml", 4)].message
    assert "achterkant" in problems[("content/dilemmas/te-veel-vragen.yaml", 9)].message
    assert "donaudampfschifffahrts" in problems[("content/dilemmas/te-breed.yaml", 4)].message
    assert all(d.is_error for d in problems.values())


def test_a_word_too_wide_only_at_the_larger_sizes_is_set_smaller(tmp_path):
    """The estimate tries every size step: a long word that fits at a smaller size is no
    reason to give up (the validator's quick test passes such a card, and the deck must too)."""
    project = make_cards_project(tmp_path / "project")
    font, spec = cards_fit.fonts()["regular"], cards_fit.SPEC
    word = "integriteitsschendingsonderzoeksrapportage"
    while font.em(word) * spec.steps[0] <= spec.text_width:  # too wide at the largest size ...
        word += "formulier"
    assert font.em(word) * spec.minimum <= spec.text_width  # ... but not at the smallest
    write_dilemma(project, "lang-woord", situatie=f"Je leest het woord {word} in een mail. Wat doe je?")
    result = validate_corpus(project)
    assert not [d for d in result.diagnostics if d.code == "KAART-TE-LANG"]
    fit = cards_fit.fit_card(result.corpus, result.corpus.dilemma["lang-woord"])
    assert fit.ok and fit.front < spec.steps[0] and fit.too_wide is None


def test_the_starter_and_fixture_cards_all_fit(root):
    for folder in (root, FIXTURES / "corpus"):
        result = validate_corpus(folder)
        assert not [d for d in result.diagnostics if d.code == "KAART-TE-LANG"]


def test_metrics_table_is_generated_from_the_shipped_fonts():
    assert json.loads(cards_fit.METRICS_FILE.read_text(encoding="utf-8")) == cards_fit.font_metrics_from_fonts()
    assert (cards_fit.FONT_DIR / "LICENSE-Lato.txt").read_text(encoding="utf-8").count("OFL") >= 1


def test_wrap_follows_the_line_breaking_rules():
    font = cards_fit.fonts()["regular"]
    assert [unit for unit, _ in cards_fit.units("politie-eenheid en/of A4-vel")] == [
        "politie-",
        "eenheid",
        "en/",
        "of",
        "A4-",
        "vel",
    ]
    assert cards_fit.wrap("politie-eenheid en/of A4-vel", font, 10, 70) == ["politie-eenheid", "en/of A4-vel"]
    assert cards_fit.wrap("24/7 3-0 -5 ex-)", font, 10, 200) == ["24/7 3-0 -5 ex-)"]
    assert cards_fit.wrap("zo ! en “nee” (ja) en ( zo", font, 10, 5) is None  # glued runs wider than 5 pt
    assert [u for u, _ in cards_fit.units("zo ! en “nee” (ja) en ( zo")] == ["zo !", "en", "“nee” (ja)", "en", "( zo"]
    assert cards_fit.wrap("een heel\u00a0lang woord", font, 10, 40) == ["een", "heel\u00a0lang", "woord"]


def test_validation_does_not_load_weasyprint():
    code = (
        "import sys; from pathlib import Path; from macros.content.validate import validate_corpus; "
        f"validate_corpus(Path({str(FIXTURES / 'corpus')!r})); print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_the_question_is_split_off_after_a_quotation(corpus):
    item = dataclasses.replace(
        corpus.dilemma["joint"], situatie='Hij zegt: "Zet het er niet in. Het geeft gedoe." Wat doe je?'
    )
    assert item.context == 'Hij zegt: "Zet het er niet in. Het geeft gedoe."'
    assert item.vraag == "Wat doe je?"
    asked = dataclasses.replace(item, situatie='Hij vraagt: "Kun je even kijken?" Wat doe je?')
    assert (asked.context, asked.vraag) == ('Hij vraagt: "Kun je even kijken?"', "Wat doe je?")


# -- choices on the back ---------------------------------------------------------------------
def test_the_most_relevant_kader_statements_are_chosen(corpus):
    sheet = corpus.themablad["vrije-tijd"]
    sheet = dataclasses.replace(
        sheet,
        kader=(
            "Ik ben me bewust van mijn voorbeeldrol.",
            "Ik gebruik geen drugs, ook niet in mijn vrije tijd.",
            "Ik drink niet zoveel dat het mijn werk raakt.",
            "Ik bespreek geldzorgen op tijd met mijn leidinggevende.",
            "Ik zorg dat ik niet chantabel word.",
        ),
    )
    item = corpus.dilemma["joint"]
    festival = dataclasses.replace(item, situatie="Op een festival gebruiken je vrienden drugs. Wat doe je?")
    assert cards_fit.relevant_kader(festival, sheet, limit=1) == (
        "Ik gebruik geen drugs, ook niet in mijn vrije tijd.",
    )
    money = Dilemma(
        "geld",
        "Schulden",
        "Je hebt geldzorgen en een schuld bij een vriend. Wat doe je?",
        ("vrije-tijd",),
        ("integer",),
        ("medewerker",),
        ("Met wie bespreek je je geldzorgen?",),
        item.beheer,
        item.pad,
        item.bronnen,
    )
    assert cards_fit.relevant_kader(money, sheet, limit=1) == (
        "Ik bespreek geldzorgen op tijd met mijn leidinggevende.",
    )
    three = cards_fit.relevant_kader(money, sheet)
    assert len(three) == 3 and list(three) == [k for k in sheet.kader if k in three]  # in sheet order


# -- decks for the site ------------------------------------------------------------------------
def test_build_site_decks(tmp_path):
    corpus = valid_corpus(FIXTURES / "corpus")
    decks = cards.build_site_decks(corpus, tmp_path / "kaarten")
    names = sorted(deck.path.name for deck in decks)
    stems = ["dilemmakaarten", "themablad-vrije-tijd", "themablad-geweld"]
    stems += [f"module-{m.id}" for m in corpus.modules if m.alle_dilemmas]
    assert "module-beraad" in stems
    assert names == sorted(f"{stem}-{formaat}.pdf" for stem in stems for formaat in ("a4", "a5"))
    for deck in decks:
        reader = PdfReader(deck.path)
        assert len(reader.pages) == deck.paginas == cards.page_count(deck.aantal, deck.formaat)
        assert reader.metadata.title == deck.titel
    for deck in decks:
        if deck.soort == "themablad":  # the A5 decks reuse pages of the whole deck: the right ones, in order
            reader = PdfReader(deck.path)
            for index, item in enumerate(corpus.dilemmas_van(deck.id)):
                assert item.id in reader.pages[2 * index].extract_text()
                assert item.hulpvragen[0] in reader.pages[2 * index + 1].extract_text()
            assert reader.trailer["/Root"]["/Lang"] == "nl" and "/StructTreeRoot" in reader.trailer["/Root"]
    module = next(d for d in decks if d.soort == "module" and d.id == "beraad" and d.formaat == "a5")
    assert (module.id, module.aantal) == ("beraad", 1)
    assert "stil-houden" in PdfReader(module.path).pages[0].extract_text()


def test_parts_laid_out_together_are_the_parts_laid_out_alone(tmp_path, root):
    """A deck is put together from parts (macros/printing/cards.py); parts laid out in one document
    must have the bytes of a part laid out on its own, so that no deck depends on which parts a
    build happened to lay out together (a warm build equals a cold one)."""
    corpus = valid_corpus(root)  # the starter content: several A4 sheets
    made = [cards.make_card(corpus, item, None) for item in corpus.dilemmas]
    for formaat in cards.FORMATEN:
        groups = cards.deck_parts(made, formaat)
        if formaat == "a4":  # a sheet of another deck with a card of the first sheet (the same anchors twice)
            groups.append((made[0], *made[5:8]))
        keys = [cards.part_key(group, formaat) for group in groups]
        together, alone = tmp_path / f"samen-{formaat}", tmp_path / f"los-{formaat}"
        together.mkdir()
        alone.mkdir()
        assert len(groups) > 1
        cards._render_parts(formaat, groups, keys, str(together))
        for group, key in zip(groups, keys):
            cards._render_parts(formaat, [group], [key], str(alone))
        for key in keys:
            assert (together / f"{key}.deel").read_bytes() == (alone / f"{key}.deel").read_bytes()


def test_a_deck_put_together_from_parts_is_the_deck_laid_out_at_once(tmp_path):
    """The same pages, text, bookmarks, destinations, structure tree and language as the deck that
    WeasyPrint lays out in one go; one program per font, with the shipped font's glyphs."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from macros.printing.merge import _glyphs, shipped_fonts

    corpus = valid_corpus(FIXTURES / "corpus")
    items = list(corpus.dilemmas)
    for formaat in cards.FORMATEN:
        merged = cards.render_deck(corpus, items, tmp_path / f"delen-{formaat}.pdf", formaat, "Alle kaarten")
        whole = tmp_path / f"geheel-{formaat}.pdf"
        cards.render_document(corpus, items, formaat, "Alle kaarten").write_pdf(whole, pdf_tags=True)
        ours, theirs = PdfReader(merged.path), PdfReader(whole)
        assert merged.paginas == len(ours.pages) == len(theirs.pages)
        assert [page.extract_text() for page in ours.pages] == [page.extract_text() for page in theirs.pages]
        assert ours.metadata.title == theirs.metadata.title == "Alle kaarten"
        assert ours.metadata.subject == theirs.metadata.subject
        with pikepdf.open(merged.path) as a, pikepdf.open(whole) as b:
            assert str(a.Root.Lang) == str(b.Root.Lang) == "nl" and bool(a.Root.MarkInfo.Marked)

            def outline(pdf):
                with pdf.open_outline() as tree:
                    return [(item.title, [child.title for child in item.children]) for item in tree.root]

            assert outline(a) == outline(b)
            names = [str(name) for name in a.Root.Names.Dests.Names[::2]]
            assert names == [str(name) for name in b.Root.Names.Dests.Names[::2]] and names == sorted(names)

            def structure(pdf):
                def walk(element):
                    kids = element.get("/K")
                    kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
                    return (
                        str(element.get("/S")),
                        [
                            walk(kid)
                            for kid in kids
                            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != pikepdf.Name.MCR
                        ],
                    )

                return walk(pdf.Root.StructTreeRoot.K[0])

            assert structure(a) == structure(b)
            # the parent tree: each page's marked content leads back to elements of its own page
            nums = list(a.Root.StructTreeRoot.ParentTree.Nums)
            tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            for page in a.pages:
                for element in tree[int(page.obj.StructParents)]:
                    assert element.Pg.objgen == page.obj.objgen
            programs = {}
            for page in a.pages:
                for font in page.obj.Resources.Font.values():
                    face = str(font.BaseFont).partition("+")[2]
                    cid_font = font.DescendantFonts[0]
                    programs.setdefault(face, set()).add(cid_font.FontDescriptor.FontFile2.objgen)
                    program = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile2.read_bytes()))
                    shipped = TTFont(str(shipped_fonts()[face]))
                    for gid in _glyphs(cid_font.W):
                        ours_glyph = program["glyf"][program.getGlyphOrder()[gid]]
                        real = shipped["glyf"][shipped.getGlyphOrder()[gid]]
                        assert ours_glyph.getCoordinates(program["glyf"])[0] == real.getCoordinates(shipped["glyf"])[0]
            assert programs and all(len(ids) == 1 for ids in programs.values()), programs


def test_the_font_subset_is_the_one_weasyprint_embeds(tmp_path):
    """macros/printing/weasyprint_fonts.subset_font cuts the shipped font as WeasyPrint does: for the
    glyphs of a part, it gives the very program WeasyPrint embedded in it."""
    import pikepdf

    from macros.printing.merge import _glyphs, shipped_fonts
    from macros.printing.weasyprint_fonts import subset_font

    corpus = valid_corpus(FIXTURES / "corpus")
    deck = cards.render_document(corpus, corpus.dilemmas[:3], "a5", "Drie kaarten")
    deck.write_pdf(tmp_path / "drie.pdf", pdf_tags=True)
    with pikepdf.open(tmp_path / "drie.pdf") as pdf:
        checked = 0
        for font in pdf.pages[0].obj.Resources.Font.values():
            cid_font = font.DescendantFonts[0]
            face = str(font.BaseFont).partition("+")[2]
            assert (
                subset_font(shipped_fonts()[face], _glyphs(cid_font.W))
                == cid_font.FontDescriptor.FontFile2.read_bytes()
            )
            checked += 1
        assert checked >= 2


def test_the_deck_cache_is_keyed_by_the_cards_and_the_deck_code(tmp_path, monkeypatch):
    """A deck is found in the cache without making its HTML: the key is its cards, title, format,
    stylesheet and the code that makes decks. A changed card lays out only its own parts (its A5
    part, and the A4 sheet of each deck that holds it), and only the decks that hold it are put
    together again; changed deck code lays out every part again; the bytes always equal a deck
    made on its own."""
    corpus = valid_corpus(FIXTURES / "corpus")
    first = cards.build_site_decks(corpus, tmp_path / "een", cache_dir=tmp_path / "cache")
    laid_out, merged = [], []
    real_parts, real_merge = cards._render_parts, cards.merge
    monkeypatch.setattr(
        cards,
        "_render_parts",
        lambda formaat, groups, keys, folder: (
            laid_out.extend((formaat, group) for group in groups) or real_parts(formaat, groups, keys, folder)
        ),
    )
    monkeypatch.setattr(
        cards,
        "merge",
        lambda parts, titel, beschrijving: merged.append(titel) or real_merge(parts, titel, beschrijving),
    )
    monkeypatch.setattr(cards, "cards_html", lambda *a, **k: pytest.fail("HTML made for an unchanged deck"))
    again = cards.build_site_decks(corpus, tmp_path / "twee", cache_dir=tmp_path / "cache")
    assert laid_out == [] and merged == []
    assert [d.path.read_bytes() for d in again] == [d.path.read_bytes() for d in first]

    changed_item = corpus.dilemmas[0]
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "corpus", project)
    source = project / changed_item.pad
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("titel:"))
    lines[at] = 'titel: "Gewijzigd: een ander dilemma"\n'
    source.write_text("".join(lines), encoding="utf-8")
    edited = valid_corpus(project)
    assert edited.dilemma[changed_item.id].titel.startswith("Gewijzigd:")
    after = cards.build_site_decks(edited, tmp_path / "drie", cache_dir=tmp_path / "cache")
    holding = [job for job in cards.site_deck_plan(edited) if changed_item.id in {i.id for i in job.items}]
    assert laid_out and all(any(card.id == changed_item.id for card in group) for _, group in laid_out)
    assert len([1 for formaat, _ in laid_out if formaat == "a5"]) == 1  # one A5 part, shared by every deck
    assert len(laid_out) <= 1 + len(holding)  # and at most the A4 sheet of each deck that holds the card
    assert sorted(merged) == sorted(job.titel for job in holding for _ in cards.FORMATEN)
    for deck in after:
        job = next(j for j in cards.site_deck_plan(edited) if (j.soort, j.id) == (deck.soort, deck.id))
        alone = cards.render_deck(edited, job.items, tmp_path / "alone.pdf", deck.formaat, job.titel)
        assert alone.path.read_bytes() == deck.path.read_bytes(), deck.path.name

    laid_out.clear()
    monkeypatch.setattr(cards, "deck_code", lambda: "andere sjablonen")
    cards.build_site_decks(edited, tmp_path / "vier", cache_dir=tmp_path / "cache")
    assert len([1 for formaat, _ in laid_out if formaat == "a5"]) == len(edited.dilemmas)  # every part again


def test_a_damaged_part_is_laid_out_again_never_used(tmp_path):
    corpus = valid_corpus(FIXTURES / "corpus")
    first = cards.build_site_decks(corpus, tmp_path / "een", cache_dir=tmp_path / "cache")
    parts = sorted((tmp_path / "cache").glob("*.deel"))
    assert parts
    for part in parts:
        data = bytearray(part.read_bytes())
        data[len(data) // 2] ^= 0xFF
        part.write_bytes(bytes(data))
    for deck in (tmp_path / "cache").glob("*.pdf"):
        deck.unlink()  # every deck is put together again, from the damaged parts' replacements
    again = cards.build_site_decks(corpus, tmp_path / "twee", cache_dir=tmp_path / "cache")
    assert [d.path.read_bytes() for d in again] == [d.path.read_bytes() for d in first]


def test_long_unbreakable_run_is_reported_not_built(tmp_path):
    """A web address or encoded data in a situation: the validator must refuse it
    (KAART-TE-LANG), because the real layout cannot break it inside the card."""
    import shutil

    from macros.content.validate import validate_corpus

    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "corpus", project)
    path = project / "content/dilemmas/stil-houden.yaml"
    payload = "![plaatje](data:image/svg+xml,%3Csvg%20onload%3Dalert('kompasxss')%3E)"
    path.write_text(path.read_text().replace("situatie: Na een", f"situatie: Na {payload} een"))
    result = validate_corpus(project)
    codes = [(d.file, d.code) for d in result.errors]
    assert ("content/dilemmas/stil-houden.yaml", "KAART-TE-LANG") in codes


# -- the back's footer: source line and QR code (issue 16) ------------------------------------------
SITE_URL = "https://kompas.intranet.example/"
SOURCES = {  # id: (its sources in the register of tests/fixtures/corpus, the line the card shows)
    "bron-publicatie": (("themablad-6-gebruik-van-geweld",), "Naar Themablad 6 bij de beroepscode: Gebruik van geweld"),
    "bron-meer": (("redactie", "handreiking-signaal", "jaarbeeld"), "Naar Handreiking bij een signaal e.a."),
    "bron-redactie": (("redactie",), "Eigen tekst van de redactie"),
}


@pytest.fixture(scope="module")
def sourced(tmp_path_factory):
    """A project whose dilemmas name their source, with a site_url in mkdocs.yml."""
    project = make_cards_project(tmp_path_factory.mktemp("bron") / "project")
    for item_id, (bron, _) in SOURCES.items():
        write_dilemma(project, item_id, bronnen=bron, hulpvragen=("Wat doe je?", "Met wie bespreek je het?"))
    (project / "mkdocs.yml").write_text(
        f"site_name: Test\nsite_dir: !ENV [KOMPAS_SITE_DIR, site]\nsite_url: {SITE_URL}\n", encoding="utf-8"
    )
    result = validate_corpus(project)
    assert result.ok, [d.format_text() for d in result.errors]
    return project, result


def qr_codes(pdf: Path, page: int, tmp_path: Path) -> list[str]:
    """The QR codes on one page of a PDF, read from a 300 dpi raster with zbarimg."""
    png = tmp_path / f"pagina-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf), str(png)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True, timeout=120)
    return sorted(line for line in result.stdout.splitlines() if line)


def test_back_footer_has_the_source_line_and_a_qr_code_to_the_page(sourced, tmp_path):
    project, result = sourced
    corpus = result.corpus
    items = [corpus.dilemma[item_id] for item_id in SOURCES]
    out = tmp_path / "bron.pdf"
    cards.render_deck(corpus, items, out, "a4", "Bron", site_url=cards.configured_site_url(project))
    reader = PdfReader(out)
    back = positioned_text(reader.pages[1])
    for index, item in enumerate(items):
        column, row = index % 2, index // 2
        line = SOURCES[item.id][1]
        [(x, y)] = find(back, line)
        assert slot_of(x, y) == (1 - column, row)  # on the back of its own card (mirrored)
        assert find(back, item.id) and slot_of(*find(back, item.id)[0]) == (1 - column, row)
        assert line not in reader.pages[0].extract_text()  # backs only
    expected = sorted(f"{SITE_URL}latest/dilemmas/{item.id}/" for item in items)
    assert qr_codes(out, 2, tmp_path) == expected
    assert qr_codes(out, 1, tmp_path) == []  # no QR code on the fronts
    # at least 14 mm wide and high, inside its card, and the footer text does not run under it
    document = cards.render_document(corpus, items, "a4", site_url=SITE_URL)
    images = [box for page in document.pages for box in _walk(page._page_box) if "qr" in _classes(box)]
    assert len(images) == len(items)
    for box in images:
        assert box.width * PX >= 14 * MM - 0.01 and box.height * PX >= 14 * MM - 0.01
    spec = cards_fit.SPEC
    for page in document.pages:  # the footer and its QR code stay above the card's bottom margin
        for article in (b for b in _walk(page._page_box) if "achter" in _classes(b)):
            bottom = (article.position_y + article.margin_height()) * PX - spec.pad_bottom
            for box in _walk(article):
                if {"voet", "qr", "id"} & set(_classes(box)):
                    assert (box.position_y + box.margin_height()) * PX <= bottom + 0.01, _classes(box)
                    assert (box.position_x + box.margin_width()) * PX <= (
                        article.position_x + article.margin_width()
                    ) * PX - spec.pad_x + 0.01
    texts = [
        box
        for page in document.pages
        for box in _walk(page._page_box)
        if type(box).__name__ == "TextBox" and any(line[1] in box.text for line in SOURCES.values())
    ]
    assert len(texts) == len(items)
    for box in texts:
        assert box.width * PX <= cards_fit.SPEC.source_width + 0.01  # one line, not cut off


def test_without_site_url_no_qr_code_and_the_same_flow(sourced):
    _, result = sourced
    corpus = result.corpus
    items = [corpus.dilemma[item_id] for item_id in SOURCES]
    with_qr = flows(cards.render_document(corpus, items, "a4", site_url=SITE_URL))
    without = cards.render_document(corpus, items, "a4")
    assert not [box for page in without.pages for box in _walk(page._page_box) if "qr" in _classes(box)]
    assert [(i, s, round(a, 2)) for i, s, _, a, _ in flows(without)] == [
        (i, s, round(a, 2)) for i, s, _, a, _ in with_qr
    ]
    for card_id, side, used, available, problems in with_qr:
        expected = cards_fit.SPEC.back_flow_height if side == "achter" else cards_fit.SPEC.flow_height
        assert available == pytest.approx(expected, abs=0.05) and not problems


def test_the_source_line_in_the_site_decks_and_the_cli(sourced, tmp_path):
    project, result = sourced
    decks = cards.build_site_decks(result.corpus, tmp_path / "kaarten", site_url=SITE_URL)
    whole = next(deck for deck in decks if deck.soort == "alles" and deck.formaat == "a5")
    text = "".join(page.extract_text() for page in PdfReader(whole.path).pages)
    assert all(line in text for _, line in SOURCES.values())
    out = tmp_path / "cli.pdf"
    run = kompas("kaarten", "--uit", str(out), "--formaat", "a5", "--id", "bron-meer", cwd=project)
    assert run.returncode == 0, run.stderr
    reader = PdfReader(out)
    assert "Naar Handreiking bij een signaal e.a." in reader.pages[1].extract_text()
    assert qr_codes(out, 2, tmp_path) == [f"{SITE_URL}latest/dilemmas/bron-meer/"]


def test_a_source_line_too_long_for_one_line_is_reported(tmp_path):
    project = make_cards_project(tmp_path / "project")
    register = project / "content" / "bronnen.yaml"
    long_title = ("Een heel lange titel van een publicatie " * 3).strip()
    register.write_text(
        register.read_text(encoding="utf-8") + f"  - id: lange-titel\n    titel: {long_title}\n    soort: rapport\n",
        encoding="utf-8",
    )
    # the card names the first source that is not the editors' own: that reference is reported
    write_dilemma(project, "lange-bron", bronnen=("redactie", "lange-titel"))
    write_dilemma(project, "korte-bron", bronnen=("themablad-5-gedrag-in-vrije-tijd",))
    result = validate_corpus(project)
    problems = [d for d in result.diagnostics if d.code == "KAART-TE-LANG"]
    assert [(d.file, d.line, d.column) for d in problems] == [("content/dilemmas/lange-bron.yaml", 12, 11)]
    assert "bronregel" in problems[0].message and problems[0].is_error


def test_the_benchmark_cards_all_fit_with_the_back_footer(tmp_path):
    """The back's footer (source line, QR code) takes room from the flow: every card of the
    benchmark corpus at 10x (the generator of 100x, with 1000 dilemmas) still fits."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    project = generate.generate(10, tmp_path / "x10")["project"]
    result = validate_corpus(project)
    assert len(result.corpus.dilemmas) == 1000
    assert not [d.format_text() for d in result.diagnostics if d.code == "KAART-TE-LANG"]
    backs = {cards_fit.fit_card(result.corpus, item).back for item in result.corpus.dilemmas}
    assert None not in backs and len(backs) >= 3  # backs of several sizes, all fitting
