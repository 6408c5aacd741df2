"""Deterministic synthetic corpora for the benchmark (issue 9).

``generate(scale, out)`` writes, under ``out``:

* ``project/``: a complete Kompas project with the shape of the starter content
  (themabladen with kader, hulpvragen, casuïstiek, wetgeving and related sheets;
  dilemmas; rulings; a law registry; modules of every kind), plus the real
  ``mkdocs.yml``, ``content/pages/``, ``content/reeks.yaml`` and hooks shim, like
  ``tests/conftest.py:make_project``; only the PDF card decks are switched off
  (``extra.kompas.kaarten: false``): the benchmark times a deck on its own. At scale 1: 20 sheets, 100 dilemmas,
  60 rulings, 10 modules and 10 laws; everything scales linearly.
* ``markdown/``: the equivalent hand-written Markdown pages (same text, one page per
  item plus the overview pages) and a plain Material for MkDocs configuration with
  every page in the navigation: the peers of the build.

Everything is synthetic and obviously so: titles say "Testthema", "Testdilemma",
ECLIs use the court code TEST (``ECLI:NL:TEST:2026:17``), laws are "Synthetische
testregeling N". The same scale and seed always give byte-identical files.

Run: ``python bench/generate.py --scale 10 [--out bench/work/x10]``
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from macros.content.vocabulary import DOELGROEPEN, KERNWAARDEN, MODULE_SOORTEN
from macros.harness.project import add_site_hooks

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / "work"
SEED = 20261123

PER_SCALE = {"themablad": 20, "dilemma": 100, "uitspraak": 60, "module": 10, "wet": 10}
SOORTEN = MODULE_SOORTEN
OWNER = "Programma Integriteit (testdata)"

# Plain Dutch vocabulary for synthetic prose: no digits, no markup, no addresses.
NOUNS = (
    "collega",
    "team",
    "leidinggevende",
    "melding",
    "dienst",
    "buurt",
    "vriend",
    "familielid",
    "verslag",
    "gesprek",
    "appgroep",
    "afspraak",
    "informatie",
    "systeem",
    "situatie",
    "werkoverleg",
    "nachtdienst",
    "surveillance",
    "burger",
    "buurman",
    "sportclub",
    "vereniging",
    "cadeau",
    "lening",
    "foto",
    "bericht",
)
VERBS = (
    "bespreekt",
    "meldt",
    "vraagt",
    "deelt",
    "zoekt",
    "ziet",
    "hoort",
    "vertelt",
    "merkt",
    "belooft",
    "weigert",
    "twijfelt over",
    "noteert",
    "controleert",
    "vergeet",
    "herkent",
)
ADJECTIVES = (
    "lastige",
    "gewone",
    "onverwachte",
    "vertrouwelijke",
    "korte",
    "spannende",
    "drukke",
    "stille",
    "nieuwe",
    "oude",
    "open",
    "eerlijke",
    "onduidelijke",
    "gevoelige",
)
OPENERS = ("Tijdens een", "Na afloop van een", "Op weg naar een", "Aan het begin van een", "Midden in een")
IK_VERBS = ("meld", "bespreek", "deel", "vraag", "controleer", "noteer", "weiger", "herken")
QUESTIONS = (
    "Wat maakt dit lastig voor jou?",
    "Met wie zou je dit bespreken?",
    "Wat zou jij doen, en waarom?",
    "Welke kernwaarde speelt hier het sterkst?",
    "Wat heb je nodig om hier open over te zijn?",
    "Hoe zou je team hierop reageren?",
    "Waar ligt voor jou de grens?",
)


def _sentence(rng: random.Random, words: int = 10) -> str:
    parts = [
        rng.choice(OPENERS),
        rng.choice(ADJECTIVES),
        rng.choice(NOUNS),
        rng.choice(VERBS),
        "de",
        rng.choice(ADJECTIVES),
        rng.choice(NOUNS),
    ]
    while len(parts) < words:
        parts += [
            rng.choice(("en", "maar", "terwijl", "omdat")),
            "de",
            rng.choice(NOUNS),
            rng.choice(VERBS),
            "een",
            rng.choice(ADJECTIVES),
            rng.choice(NOUNS),
        ]
    return " ".join(parts) + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _ik(rng: random.Random) -> str:
    sentence = _sentence(rng, 10)
    return f"Ik {rng.choice(IK_VERBS)} dit {sentence[0].lower()}{sentence[1:]}"


def _title(rng: random.Random, label: str, number: int) -> str:
    return f"{label} {number}: {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"


@dataclass
class Corpus:
    """The synthetic content as plain data, in file order."""

    scale: int
    wetten: list = field(default_factory=list)
    themabladen: list = field(default_factory=list)
    dilemmas: list = field(default_factory=list)
    uitspraken: list = field(default_factory=list)
    modules: list = field(default_factory=list)


def _beheer(rng: random.Random) -> dict:
    month = rng.randint(1, 9)
    return {
        "eigenaar": OWNER,
        "versie": f"1.{rng.randint(0, 4)}",
        "gewijzigd": f"2026-{month:02d}-15",
        "herzien_voor": f"2099-{month:02d}-15",
    }


SOURCES = [{"id": "redactie", "titel": "Eigen tekst van de redactie", "soort": "redactie"}] + [
    {"id": f"synthetische-testbron-{k}", "titel": f"Synthetische testbron {k}", "soort": "rapport", "datum": "2026"}
    for k in range(1, 8)
]
TITLES = {source["id"]: source["titel"] for source in SOURCES}


def _bron(n: int) -> dict:
    """Every item names its sources from the register (a required field); the sources are synthetic too:
    one in three items is the editors' own text, the others name one or two test sources."""
    if n % 3 == 2:
        return {"bronnen": [{"bron": "redactie"}]}
    refs = [{"bron": f"synthetische-testbron-{n % 7 + 1}"}]
    if n % 3 == 1:
        refs.append({"bron": "redactie", "toelichting": "De hulpvragen zijn van de redactie."})
    return {"bronnen": refs}


def _bron_line(item: dict) -> str:
    return "*Bronnen: " + "; ".join(TITLES[ref["bron"]] for ref in item["bronnen"]) + ".*"


def _routes() -> dict:
    """A synthetic route register (content/meldroutes.yaml) for the Melden en hulp page."""
    return {
        "routes": [
            {
                "id": f"testroute-{k}",
                "naam": f"Testroute {k}",
                "voor_wie": "Iedere medewerker (testdata).",
                "waarvoor": "Een synthetische melding.",
                "bereikbaar": "Via de testpagina.",
                "link": {"url": f"https://intranet.invalid/testroute-{k}"},
                "bronnen": [{"bron": "redactie"}],
            }
            for k in (1, 2)
        ],
        "na_een_melding": {
            "tekst": "Een synthetische tekst over wat er daarna gebeurt.",
            "bronnen": [{"bron": "redactie"}],
        },
    }


def build_corpus(scale: int, seed: int = SEED) -> Corpus:
    rng = random.Random(f"{seed}-{scale}")
    counts = {kind: n * scale for kind, n in PER_SCALE.items()}
    corpus = Corpus(scale)
    sheet_ids = [f"testthema-{i:04d}" for i in range(1, counts["themablad"] + 1)]
    dilemma_ids = [f"testdilemma-{i:05d}" for i in range(1, counts["dilemma"] + 1)]
    eclis = [f"ECLI:NL:TEST:2026:{i}" for i in range(1, counts["uitspraak"] + 1)]
    law_ids = [f"testregeling-{i:03d}" for i in range(1, counts["wet"] + 1)]

    for i, law in enumerate(law_ids, 1):
        corpus.wetten.append(
            {
                "id": law,
                "titel": f"Synthetische testregeling {i}",
                "afkorting": f"Testregeling {i}",
                "omschrijving": _paragraph(rng, 2),
            }
        )

    per_sheet = counts["uitspraak"] // counts["themablad"]  # 3: every ruling is cited by one sheet
    sheet_rulings = {sid: eclis[n * per_sheet : (n + 1) * per_sheet] for n, sid in enumerate(sheet_ids)}
    for n, sid in enumerate(sheet_ids):
        related = sorted({sheet_ids[(n + d) % len(sheet_ids)] for d in (1, 2, 5)} - {sid})
        corpus.themabladen.append(
            {
                "id": sid,
                "titel": _title(rng, "Testthema", n + 1),
                "samenvatting": _paragraph(rng, 2),
                "kernwaarden": sorted(rng.sample(KERNWAARDEN, rng.randint(1, 3)), key=KERNWAARDEN.index),
                "inleiding": _paragraph(rng, 3)
                + "\n\n"
                + "**"
                + _sentence(rng, 6)[:-1]
                + "**\n\n"
                + "".join(f"- {_sentence(rng, 8)}\n" for _ in range(3))
                + "\n"
                + _paragraph(rng, 2)
                + "\n",
                # (an introduction of eight sentences and three points, at most five kader lines: with more,
                # about one sheet in 300 of the 100x corpus had a handout of three pages, which the build
                # rightly refuses)
                "kader": [_ik(rng) for _ in range(rng.randint(4, 5))],
                "hulpvragen": rng.sample(QUESTIONS, 3),
                "casuistiek": sheet_rulings[sid],
                "richtlijnen": [
                    {"titel": f"Testrichtlijn {n + 1}-{k}", "url": f"https://intranet.invalid/{sid}/{k}"}
                    for k in range(1, rng.randint(1, 2) + 1)
                ],
                "wetgeving": [
                    {
                        "wet": law_ids[(n + k) % len(law_ids)],
                        "artikel": rng.randint(1, 99),
                        "toelichting": _sentence(rng, 10),
                    }
                    for k in range(2)
                ],
                "gerelateerd": related,
                **_bron(n),
                **_beheer(rng),
            }
        )

    for n, did in enumerate(dilemma_ids):
        sheets = [sheet_ids[n % len(sheet_ids)]]
        if n % 3 == 0:
            sheets.append(sheet_ids[(n * 7 + 1) % len(sheet_ids)])
        sheets = list(dict.fromkeys(sheets))
        item = {
            "id": did,
            "titel": _title(rng, "Testdilemma", n + 1),
            "situatie": _paragraph(rng, rng.randint(2, 3)) + " Wat doe je?",
            "themabladen": sheets,
            "kernwaarden": sorted(rng.sample(KERNWAARDEN, rng.randint(1, 2)), key=KERNWAARDEN.index),
            "doelgroep": sorted(rng.sample(DOELGROEPEN, rng.randint(1, 3)), key=DOELGROEPEN.index),
            "hulpvragen": rng.sample(QUESTIONS, 2),
        }
        if n % 2 == 0:
            item["uitspraken"] = [rng.choice(sheet_rulings[sheets[0]])]
        item.update(_bron(n))
        item.update(_beheer(rng))
        corpus.dilemmas.append(item)

    for n, ecli in enumerate(eclis):
        corpus.uitspraken.append(
            {
                "ecli": ecli,
                "instantie": "Testinstantie (synthetisch)",
                "datum": f"2026-{n % 9 + 1:02d}-{n % 27 + 1:02d}",
                "titel": _title(rng, "Testuitspraak", n + 1),
                "samenvatting": _paragraph(rng, 3),
                **_bron(n),
                **_beheer(rng),
            }
        )

    for n in range(counts["module"]):
        soort = SOORTEN[n % len(SOORTEN)]
        mid = f"testmodule-{n + 1:04d}"
        module = {
            "id": mid,
            "soort": soort,
            "titel": _title(rng, "Testmodule", n + 1),
            "samenvatting": _paragraph(rng, 1),
            "doel": _paragraph(rng, 3) + "\n",
            "doelgroep": sorted(rng.sample(DOELGROEPEN, 2), key=DOELGROEPEN.index),
            "themabladen": [sheet_ids[(n * 3 + k) % len(sheet_ids)] for k in range(2)],
            "dilemmas": [dilemma_ids[(n * 10 + k) % len(dilemma_ids)] for k in range(3)],
        }
        if soort == "leerlijn":
            module["plekken"] = [
                {
                    "titel": f"Testplek {k}",
                    "fasen": [f"Q{k}", f"Q{k + 1}"],
                    "beschrijving": _paragraph(rng, 2),
                    "dilemmas": [dilemma_ids[(n * 10 + k) % len(dilemma_ids)]],
                }
                for k in range(1, 5)
            ]
            module["portfolio"] = [{"fase": f"Q{k}", "bewijs": _paragraph(rng, 1)} for k in (2, 4, 6)]
        else:
            group = "onderdelen" if soort in ("masterclass", "sessieplan") else "stappen"
            steps = [
                {
                    "titel": f"Teststap {k}",
                    "duur": 5 * rng.randint(2, 6),
                    "beschrijving": _paragraph(rng, 2),
                    "facilitator": _sentence(rng, 10),
                }
                for k in range(1, rng.randint(4, 7))
            ]
            if soort == "handreiking":
                for step in steps:
                    del step["duur"]
            else:
                module["duur"] = sum(step["duur"] for step in steps)
            module[group] = steps
        module.update(_bron(n))
        module.update(_beheer(rng))
        corpus.modules.append(module)
    return corpus


# -- YAML, written like an editor would --------------------------------------------------------
def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _plain_ok(value: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9-]*|\d{4}-\d{2}-\d{2}", value) is not None


def _yaml(data, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, str) and _plain_ok(v) for v in value):
            lines.append(f"{pad}{key}: [{', '.join(value)}]")
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    sub = _yaml(item, indent + 4)
                    lines.append(f"{pad}  - {sub[0].lstrip()}")
                    lines.extend(sub[1:])
                else:
                    lines.append(f"{pad}  - {_scalar(item)}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml(value, indent + 2))
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{pad}{key}: |")
            lines.extend(f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
        elif isinstance(value, str) and _plain_ok(value):
            lines.append(f"{pad}{key}: {value}")
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _write_yaml(path: Path, data: dict, schema: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"# yaml-language-server: $schema={schema}"] + _yaml(data)) + "\n", encoding="utf-8")


def write_project(corpus: Corpus, target: Path) -> Path:
    """The corpus as a complete buildable Kompas project (like tests/conftest.py:make_project)."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content").mkdir(parents=True)
    # as users run it: with the card decks the site offers (issue 19)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "content" / "pages", target / "content" / "pages")
    shutil.copy(ROOT / "content" / "reeks.yaml", target / "content" / "reeks.yaml")
    add_site_hooks(target)
    _write_yaml(target / "content" / "wetgeving.yaml", {"wetten": corpus.wetten}, "../schemas/wetgeving.schema.json")
    _write_yaml(target / "content" / "bronnen.yaml", {"bronnen": SOURCES}, "../schemas/bronnen.schema.json")
    _write_yaml(target / "content" / "meldroutes.yaml", _routes(), "../schemas/meldroutes.schema.json")
    for item in corpus.themabladen:
        _write_yaml(target / "themabladen" / f"{item['id']}.yaml", item, "../schemas/themablad.schema.json")
    for item in corpus.modules:
        _write_yaml(target / "modules" / f"{item['id']}.yaml", item, "../schemas/module.schema.json")
    for item in corpus.dilemmas:
        _write_yaml(target / "content" / "dilemmas" / f"{item['id']}.yaml", item, "../../schemas/dilemma.schema.json")
    for item in corpus.uitspraken:
        _write_yaml(
            target / "content" / "uitspraken" / f"{item['ecli'].replace(':', '-')}.yaml",
            item,
            "../../schemas/uitspraak.schema.json",
        )
    return target


def content_files(project: Path) -> dict[str, list[Path]]:
    """The content files of a project by kind (the same files `kompas valideer` reads)."""
    return {
        "themablad": sorted((project / "themabladen").glob("*.yaml")),
        "dilemma": sorted((project / "content" / "dilemmas").glob("*.yaml")),
        "uitspraak": sorted((project / "content" / "uitspraken").glob("*.yaml")),
        "module": sorted((project / "modules").glob("*.yaml")),
        "wetgeving": [project / "content" / "wetgeving.yaml"],
        "reeks": [project / "content" / "reeks.yaml"],
        "bronnen": [project / "content" / "bronnen.yaml"],
        "meldroutes": [project / "content" / "meldroutes.yaml"],
    }


# -- the equivalent hand-written Markdown site ---------------------------------------------------
def _link(from_dir: str, to: str) -> str:
    import posixpath

    return posixpath.relpath(to, from_dir or ".")


def markdown_pages(corpus: Corpus) -> dict[str, str]:
    """The same text as hand-written Markdown pages: path → Markdown."""
    sheets = {s["id"]: s for s in corpus.themabladen}
    laws = {w["id"]: w for w in corpus.wetten}
    pages: dict[str, str] = {}

    def ruling_path(ecli: str) -> str:
        return f"uitspraken/{ecli.replace(':', '-')}.md"

    for s in corpus.themabladen:
        here = "themabladen"
        dilemmas = [d for d in corpus.dilemmas if s["id"] in d["themabladen"]]
        body = [
            f"# {s['titel']}",
            "",
            s["samenvatting"],
            "",
            "Kernwaarden: " + ", ".join(s["kernwaarden"]),
            "",
            "## Waarom dit ertoe doet",
            "",
            s["inleiding"],
            "## Het kader",
            "",
        ]
        body += [f"- {line}" for line in s["kader"]]
        body += ["", "## Hulpvragen", ""] + [f"- {q}" for q in s["hulpvragen"]]
        body += ["", "## Dilemma's", ""]
        body += [f"- [{d['titel']}]({_link(here, 'dilemmas/' + d['id'] + '.md')})" for d in dilemmas]
        body += ["", "## Casuïstiek", ""]
        body += [f"- [{e}]({_link(here, ruling_path(e))})" for e in s["casuistiek"]]
        body += ["", "## Wet- en regelgeving", ""]
        body += [f"- {laws[w['wet']]['afkorting']}, artikel {w['artikel']}: {w['toelichting']}" for w in s["wetgeving"]]
        body += ["", "## Richtlijnen", ""] + [f"- [{r['titel']}]({r['url']})" for r in s["richtlijnen"]]
        body += ["", "## Zie ook", ""]
        body += [f"- [{sheets[g]['titel']}]({g}.md)" for g in s["gerelateerd"]]
        body += [
            "",
            _bron_line(s),
            "",
            f"*Eigenaar: {s['eigenaar']}, versie {s['versie']}, gewijzigd {s['gewijzigd']}.*",
            "",
        ]
        pages[f"themabladen/{s['id']}.md"] = "\n".join(body)
    for d in corpus.dilemmas:
        here = "dilemmas"
        body = [
            f"# {d['titel']}",
            "",
            d["situatie"],
            "",
            "Kernwaarden: " + ", ".join(d["kernwaarden"]),
            "",
            "Voor: " + ", ".join(d["doelgroep"]),
            "",
            "## Hulpvragen",
            "",
        ]
        body += [f"- {q}" for q in d["hulpvragen"]]
        body += ["", "## Themabladen", ""]
        body += [f"- [{sheets[t]['titel']}]({_link(here, 'themabladen/' + t + '.md')})" for t in d["themabladen"]]
        if d.get("uitspraken"):
            body += ["", "## Uitspraken", ""] + [f"- [{e}]({_link(here, ruling_path(e))})" for e in d["uitspraken"]]
        pages[f"dilemmas/{d['id']}.md"] = "\n".join(body + ["", _bron_line(d), ""])
    for u in corpus.uitspraken:
        body = [
            f"# {u['titel']}",
            "",
            f"**{u['ecli']}**, {u['instantie']}, {u['datum']}",
            "",
            u["samenvatting"],
            "",
            _bron_line(u),
            "",
        ]
        pages[ruling_path(u["ecli"])] = "\n".join(body)
    for m in corpus.modules:
        here = "modules"
        body = [f"# {m['titel']}", "", m["samenvatting"], "", "## Doel", "", m["doel"], ""]
        for group in ("stappen", "onderdelen"):
            for k, step in enumerate(m.get(group, []), 1):
                body += [
                    f"## {k}. {step['titel']}",
                    "",
                    step["beschrijving"],
                    "",
                    f"!!! note \"Voor de gespreksleider\"\n    {step['facilitator']}",
                    "",
                ]
        for place in m.get("plekken", []):
            body += [f"## {place['titel']} ({', '.join(place['fasen'])})", "", place["beschrijving"], ""]
        if m.get("portfolio"):
            body += ["## Portfolio", "", "| Fase | Bewijs |", "| --- | --- |"]
            body += [f"| {p['fase']} | {p['bewijs']} |" for p in m["portfolio"]] + [""]
        body += ["## Dilemma's", ""] + [f"- [{d}]({_link(here, 'dilemmas/' + d + '.md')})" for d in m["dilemmas"]]
        pages[f"modules/{m['id']}.md"] = "\n".join(body + ["", _bron_line(m), ""])
    pages["index.md"] = "# Kompas (testsite)\n\n" + _paragraph(random.Random(1), 3) + "\n"
    pages["themabladen/index.md"] = (
        "# Themabladen\n\n"
        + "\n".join(f"- [{s['titel']}]({s['id']}.md): {s['samenvatting']}" for s in corpus.themabladen)
        + "\n"
    )
    pages["dilemmas/index.md"] = (
        "# Dilemma's\n\n" + "\n".join(f"- [{d['titel']}]({d['id']}.md)" for d in corpus.dilemmas) + "\n"
    )
    pages["jurisprudentie.md"] = (
        "# Jurisprudentie\n\n| ECLI | Titel |\n| --- | --- |\n"
        + "\n".join(f"| [{u['ecli']}]({ruling_path(u['ecli'])}) | {u['titel']} |" for u in corpus.uitspraken)
        + "\n"
    )
    pages["wetgeving.md"] = "# Wet- en regelgeving\n\n" + "\n".join(
        f"## {w['afkorting']}\n\n{w['titel']}. {w['omschrijving']}\n" for w in corpus.wetten
    )
    pages["modules/index.md"] = (
        "# Leermodules\n\n" + "\n".join(f"- [{m['titel']}]({m['id']}.md)" for m in corpus.modules) + "\n"
    )
    return pages


PLAIN_MKDOCS = """site_name: Kompas (vergelijkingssite)
docs_dir: docs
site_dir: site
use_directory_urls: true
strict: true
theme:
  name: material
  language: nl
  font: false
  features:
    - navigation.tabs
    - navigation.indexes
    - navigation.top
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
  - tables
  - admonition
plugins:
  - search:
      lang: nl
"""


def write_markdown_site(corpus: Corpus, target: Path, every_page: bool = True) -> Path:
    """A plain Material for MkDocs peer: the same pages, hand-written, with Material's search.

    ``every_page``: every page in the navigation (what a team that lists every page gets);
    otherwise the navigation of Kompas: the overview pages, the item pages reachable from them
    (the fair peer)."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    pages = markdown_pages(corpus)
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def section(title: str, folder: str) -> list[str]:
        if not every_page:
            return [f"  - {json.dumps(title)}: {folder}/index.md"] if f"{folder}/index.md" in pages else []
        lines = (
            [f"  - {json.dumps(title)}:", f"      - {folder}/index.md"]
            if f"{folder}/index.md" in pages
            else [f"  - {json.dumps(title)}:"]
        )
        lines += [
            f"      - {rel}" for rel in sorted(pages) if rel.startswith(folder + "/") and not rel.endswith("index.md")
        ]
        return lines

    nav = ["nav:", "  - Home: index.md"] + section("Themabladen", "themabladen") + section("Dilemma's", "dilemmas")
    nav += ["  - Jurisprudentie: jurisprudentie.md"] + section("Uitspraken", "uitspraken")
    nav += ["  - Wet- en regelgeving: wetgeving.md"] + section("Leermodules", "modules")
    (target / "mkdocs.yml").write_text(PLAIN_MKDOCS + "\n".join(nav) + "\n", encoding="utf-8")
    return target


def generate(scale: int, out: Path | None = None, seed: int = SEED) -> dict[str, Path]:
    out = Path(out) if out else WORK / f"x{scale}"
    corpus = build_corpus(scale, seed)
    return {
        "project": write_project(corpus, out / "project"),
        "markdown": write_markdown_site(corpus, out / "markdown"),
        "fair": write_markdown_site(corpus, out / "material-eerlijk", every_page=False),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Genereer een synthetisch corpus voor de benchmark.")
    parser.add_argument("--scale", type=int, default=1, help="schaal: 1, 10 of 100 (standaard 1)")
    parser.add_argument("--out", type=Path, default=None, help="doelmap (standaard bench/work/x<schaal>)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    paths = generate(args.scale, args.out, args.seed)
    print(f"Corpus x{args.scale}: {paths['project']} en {paths['markdown']}")


if __name__ == "__main__":
    main()
