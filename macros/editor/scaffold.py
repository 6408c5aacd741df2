"""`kompas nieuw`: write a new content file that an editor fills in.

A new file starts with the `# yaml-language-server` line (VS Code then knows the
schema), explains every field in a Dutch comment, derives the id from the title,
fills in the relations it was given, and marks what the editor still has to write
with TODO text. Apart from those TODO values (reported as TODO-OPEN) the file
validates, so the editor's first `kompas valideer` shows exactly what is left.

The files are rendered from Jinja templates in ``templates/nieuw/``. Autoescape is
off there because the output is YAML, not HTML: HTML escaping would corrupt the
text and would not protect YAML syntax anyway. Instead every value must pass
through the ``yaml`` filter (a double-quoted YAML scalar, or a flow list of them)
or the ``comment`` filter (one line of text inside a comment). The environment's
``finalize`` refuses any other value, so a template that prints a raw value fails
loudly instead of writing a title like ``a: b # c`` unquoted into YAML.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..content.layout import Layout
from ..content.load import load_file, load_text, read_file, schema_reference
from ..content.schema import resolved_definition, validate_document
from ..content.vocabulary import MODULE_SOORTEN
from ..store.atomic import create_exclusive
from ..store.errors import PathRefused, UsageError
from ..store.paths import leaves_project

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "nieuw"
KINDS = ("themablad", "dilemma", "uitspraak", "module", "onderwerp")
# A first guess at the audience per kind of module; the comment in the file lists all options.
MODULE_DOELGROEP = {
    "leerlijn": ["aspirant", "docent"],
    "masterclass": ["leidinggevende"],
    "moreel-beraad": ["medewerker", "trainer"],
    "sessieplan": ["leidinggevende", "trainer"],
    "handreiking": ["leidinggevende"],
    "gespreksvorm": ["medewerker", "leidinggevende"],
}
# The id and title rules of the schemas (one source of truth).
ID_PATTERN = re.compile(resolved_definition("id")["pattern"])
ID_MAX = resolved_definition("id")["maxLength"]
TITLE_MAX = resolved_definition("korte_tekst")["maxLength"]

DEFAULT_BRON = "redactie"  # the editors' own text: claims nothing; the file asks to name a source or say so

# Court codes in Dutch ECLIs and the name of the court (public ECLI register).
COURTS = {
    "HR": "Hoge Raad",
    "CRVB": "Centrale Raad van Beroep",
    "RVS": "Raad van State",
    "CBB": "College van Beroep voor het bedrijfsleven",
    "GHAMS": "Gerechtshof Amsterdam",
    "GHARL": "Gerechtshof Arnhem-Leeuwarden",
    "GHDHA": "Gerechtshof Den Haag",
    "GHSHE": "Gerechtshof 's-Hertogenbosch",
    "RBAMS": "Rechtbank Amsterdam",
    "RBDHA": "Rechtbank Den Haag",
    "RBGEL": "Rechtbank Gelderland",
    "RBLIM": "Rechtbank Limburg",
    "RBMNE": "Rechtbank Midden-Nederland",
    "RBNHO": "Rechtbank Noord-Holland",
    "RBNNE": "Rechtbank Noord-Nederland",
    "RBOBR": "Rechtbank Oost-Brabant",
    "RBOVE": "Rechtbank Overijssel",
    "RBROT": "Rechtbank Rotterdam",
    "RBZWB": "Rechtbank Zeeland-West-Brabant",
}


class ScaffoldError(UsageError):
    """A Dutch message for the editor: the new file cannot be made this way (code NIEUW, exit code 2)."""

    code = "NIEUW"


@dataclass(frozen=True)
class Created:
    path: Path
    relative: str  # path relative to the project root, forward slashes
    item_id: str
    todo_lines: tuple[int, ...]  # 1-based lines that still hold TODO


# -- values -----------------------------------------------------------------------

# Text that stays the same text as a plain (unquoted) YAML scalar, in our loader and in
# YAML 1.1/1.2 tools alike: starts with a letter, only safe characters, not a keyword.
_PLAIN_SAFE = re.compile(r"^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*|ECLI:NL:[A-Z][A-Z0-9]*:[0-9]{4}:[A-Z0-9]+)$")
_PLAIN_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


# Characters YAML does not allow raw in a file (outside its printable set), plus line
# separators JSON leaves raw; they are written as \\u escapes.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


class YamlSafe(str):
    """Text that a filter made safe to place in the YAML output."""


def yaml_scalar(value) -> YamlSafe:
    """A YAML value that reads back as exactly ``value``.

    Strings become double-quoted scalars: JSON string syntax is valid YAML, and
    the few line breaks JSON leaves raw (NEL, LS, PS) are escaped as well.
    """
    if isinstance(value, bool):
        return YamlSafe("true" if value else "false")
    if isinstance(value, int):
        return YamlSafe(str(value))
    if isinstance(value, (list, tuple)):
        return YamlSafe("[" + ", ".join(yaml_scalar(v) for v in value) + "]")
    if isinstance(value, date):
        return YamlSafe(value.isoformat())  # digits and dashes: the loader keeps it as text
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as YAML")
    if _PLAIN_SAFE.match(value) and value.lower() not in _PLAIN_WORDS:
        return YamlSafe(value)  # ids and ECLIs read back as the same text without quotes
    text = json.dumps(value, ensure_ascii=False)
    return YamlSafe(_NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))


def comment_text(value) -> YamlSafe:
    """One line of text inside a YAML comment; a line break would end the comment."""
    text = str(value)
    if any(ch in text for ch in "\r\n\u0085\u2028\u2029"):
        raise ValueError("comment text must be one line")
    return YamlSafe(text)


def _finalize(value):
    if isinstance(value, YamlSafe):
        return value
    raise TypeError(f"template printed {value!r} without the yaml or comment filter")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=False,  # YAML output, see module doc
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = yaml_scalar
    env.filters["comment"] = comment_text
    return env


# -- ids and dates ----------------------------------------------------------------


def slugify(title: str) -> str:
    """The id for a title: lowercase, accents stripped, other characters as dashes."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("œ", "oe")
    text = re.sub(r"['’‘`´]", "", text)  # dilemma's -> dilemmas
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > ID_MAX:
        cut = text[: ID_MAX + 1]
        text = cut[: cut.rfind("-")] if "-" in cut else text[:ID_MAX]
        text = text.strip("-")
    return text


def one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# -- checks before writing -----------------------------------------------------------


def check_title(title: str, subject: str = "De titel", example: str = 'kompas nieuw themablad "Social media"') -> str:
    title = " ".join(title.split())
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Cn") for ch in title):
        raise ScaffoldError(
            f"{subject} bevat een onzichtbaar of ongeldig teken. Typ de titel opnieuw, "
            "zonder hem uit een ander programma te plakken."
        )
    if not title:
        raise ScaffoldError(f"{subject} is leeg. Geef een titel tussen aanhalingstekens, bijvoorbeeld {example}.")
    if len(title) > TITLE_MAX:
        raise ScaffoldError(f"{subject} is {len(title)} tekens; hoogstens {TITLE_MAX} past.")
    return title


def check_ecli(ecli: str) -> str:
    """Refuse an ECLI with exactly the validator's SCHEMA-ECLI message and hint."""
    loaded = load_text(f"ecli: {yaml_scalar(ecli)}\n", "ecli")
    problems = [d for d in validate_document("uitspraak", loaded) if d.code == "SCHEMA-ECLI"]
    if problems:
        raise ScaffoldError(f"SCHEMA-ECLI: {problems[0].message}", hint=problems[0].hint)
    return ecli


def _choose_id(title: str, explicit: str | None) -> str:
    item_id = explicit if explicit is not None else slugify(title)
    if not item_id:
        raise ScaffoldError(
            f"Uit de titel '{title}' valt geen id te maken. Kies er zelf een met --id, bijvoorbeeld --id social-media."
        )
    if not ID_PATTERN.match(item_id) or len(item_id) > ID_MAX:
        raise ScaffoldError(
            f"'{item_id}' is geen geldig id: gebruik kleine letters, cijfers en streepjes "
            f"(hoogstens {ID_MAX} tekens), bijvoorbeeld gedrag-in-vrije-tijd."
        )
    return item_id


_FIELD_LINE = {
    "id": re.compile(r"^id:\s*[\"']?([^\"'#\s]+)", re.MULTILINE),
    "ecli": re.compile(r"^ecli:\s*[\"']?([^\"'#\s]+)", re.MULTILINE),
}


def _refuse_existing(folder: Path, file_name: str, field: str, value: str, noun: str, root: Path) -> None:
    target = folder / file_name
    other = " of kies een andere titel (of --id)" if field == "id" else ""
    if target.exists():
        raise ScaffoldError(
            f"Er bestaat al {noun} met {field} '{value}': {Layout(root).relative(target)}. "
            f"Ik overschrijf niets; pas dat bestand aan{other}."
        )
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):  # an item whose file name does not match its id
        raw = read_file(path, path.name, root=root)  # only regular files in the project, never waiting on a FIFO
        if not isinstance(raw, bytes):
            continue
        text = raw.decode("utf-8", errors="replace")
        match = _FIELD_LINE[field].search(text)
        if match and match.group(1) == value:
            raise ScaffoldError(
                f"De {field} '{value}' wordt al gebruikt in {Layout(root).relative(path)}. "
                f"Ik schrijf niets; pas dat bestand aan{other}."
            )


def _existing(folder: Path, wanted: list[str], noun: str, shown: str, root: Path) -> list[dict]:
    """The data of each named item in ``folder``; refuses a name that does not exist."""
    found = []
    available = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    for item_id in wanted:
        path = folder / f"{item_id}.yaml"
        if not path.is_file():
            close = difflib.get_close_matches(item_id, available, n=3, cutoff=0.5)
            hint = f" Bedoel je {' of '.join(close)}?" if close else ""
            raise ScaffoldError(f"{noun} '{item_id}' bestaat niet (geen {shown}/{item_id}.yaml).{hint}")
        loaded = load_file(path, str(path), root=root)
        found.append(loaded.data if isinstance(loaded.data, dict) else {})
    return found


def _existing_sheets(layout: Layout, wanted: list[str]) -> list[dict]:
    """The data of each named theme sheet; refuses a name that does not exist."""
    return _existing(layout.themabladen, wanted, "Het themablad", "themabladen", layout.root)


def _existing_topics(layout: Layout, wanted: list[str]) -> list[dict]:
    return _existing(layout.onderwerpen, wanted, "Het onderwerp", "content/onderwerpen", layout.root)


def _register(layout: Layout) -> list[dict] | None:
    """The entries of content/bronnen.yaml ({id, titel}), or None when it cannot be read."""
    if not layout.bronnen.is_file():
        return None
    data = load_file(layout.bronnen, layout.relative(layout.bronnen), root=layout.root).data
    entries = data.get("bronnen") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    return [
        {"id": e["id"], "titel": e["titel"]}
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("titel"), str)
    ]


# -- writing --------------------------------------------------------------------------


def _write(root: Path, kind: str, target: Path, item_id: str, context: dict) -> Created:
    """Write the new file: completely or not at all, and never over a file that exists, also one
    that appeared after the checks above (:func:`macros.store.atomic.create_exclusive`). A folder
    of the project that is a link out of it is refused: nothing is written outside the project."""
    layout = Layout(Path(root))
    relative = target.relative_to(layout.root).as_posix()
    if leaves_project(target, layout.root):
        raise PathRefused(
            f"De map van {relative} is een snelkoppeling naar een map buiten de projectmap; Kompas schrijft daar niet.",
            hint="Maak er een gewone map in het project van. Er is niets geschreven.",
        )
    context = dict(context, schema=schema_reference(relative, kind), bestand=relative)
    text = _environment().get_template(f"{kind}.yaml.j2").render(**context)
    made = [
        folder
        for folder in (target.parent, *target.parent.parents)
        if not folder.exists() and layout.root in folder.parents
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_exclusive(target, text.encode("utf-8"))
    except FileExistsError:
        raise ScaffoldError(f"{relative} bestaat al; ik overschrijf niets.") from None
    except BaseException:
        for folder in made:  # a folder made for this file only: gone again (an empty one stays as it was)
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    todo = tuple(
        i for i, line in enumerate(text.split("\n"), 1) if "TODO" in line and not line.lstrip().startswith("#")
    )
    return Created(target, layout.relative(target), item_id, todo)


def _bron(layout: Layout, bron: str | None) -> dict:
    """The sources of a new file: one reference, to ``bron`` (an id of content/bronnen.yaml) or,
    when none was given, to the editors' own text with a TODO that asks to name a source or
    say what is the editors' own. A given id must be in the register (when there is one)."""
    register = _register(layout)
    if bron is not None:
        if not ID_PATTERN.match(bron):
            raise ScaffoldError(
                f"'{bron}' is geen id van een bron: gebruik een id uit content/bronnen.yaml, "
                "bijvoorbeeld --bron redactie."
            )
        if register is not None and bron not in {e["id"] for e in register}:
            ids = [e["id"] for e in register]
            close = difflib.get_close_matches(bron, ids, n=3, cutoff=0.5)
            hint = f" Bedoel je {' of '.join(close)}?" if close else f" Bestaande bronnen: {', '.join(ids)}."
            raise ScaffoldError(
                f"De bron '{bron}' staat niet in content/bronnen.yaml.{hint} Beschrijf een nieuw "
                "document daar eerst (id, titel, soort)."
            )
    return {"bron_id": bron or DEFAULT_BRON, "bron_gekozen": bron is not None, "bronnen_register": register or []}


def _dates(today: date | None) -> dict:
    today = today or date.today()
    return {"gewijzigd": today, "herzien_voor": one_year_later(today)}


def _sheet_defaults(sheets: list[dict]) -> dict:
    """Core values and owner taken over from the first sheet, when it has them."""
    values: list[str] = []
    for sheet in sheets:
        for value in sheet.get("kernwaarden") or []:
            if isinstance(value, str) and value not in values:
                values.append(value)
    owner = next(
        (s["eigenaar"] for s in sheets if isinstance(s.get("eigenaar"), str) and "TODO" not in s["eigenaar"]), None
    )
    return {"kernwaarden": values or ["integer"], "eigenaar": owner}


def new_themablad(
    root: Path, title: str, *, item_id: str | None = None, today: date | None = None, bron: str | None = None
) -> Created:
    layout = Layout(Path(root))
    title = check_title(title)
    item_id = _choose_id(title, item_id)
    _refuse_existing(layout.themabladen, f"{item_id}.yaml", "id", item_id, "een themablad", layout.root)
    return _write(
        layout.root,
        "themablad",
        layout.themabladen / f"{item_id}.yaml",
        item_id,
        {"id": item_id, "titel": title, "eigenaar": None, **_bron(layout, bron), **_dates(today)},
    )


def new_dilemma(
    root: Path,
    title: str,
    themabladen: list[str] | None = None,
    *,
    onderwerpen: list[str] | None = None,
    item_id: str | None = None,
    today: date | None = None,
    bron: str | None = None,
) -> Created:
    layout = Layout(Path(root))
    title = check_title(title)
    themabladen = list(dict.fromkeys(themabladen or []))
    onderwerpen = list(dict.fromkeys(onderwerpen or []))
    if not themabladen and not onderwerpen:
        raise ScaffoldError(
            "Een dilemma hoort bij minstens één themablad of één onderwerp: geef --themablad ID of --onderwerp ID."
        )
    item_id = _choose_id(title, item_id)
    sheets = _existing_sheets(layout, themabladen)
    _existing_topics(layout, onderwerpen)
    _refuse_existing(layout.dilemmas, f"{item_id}.yaml", "id", item_id, "een dilemma", layout.root)
    return _write(
        layout.root,
        "dilemma",
        layout.dilemmas / f"{item_id}.yaml",
        item_id,
        {
            "id": item_id,
            "titel": title,
            "themabladen": themabladen,
            "onderwerpen": onderwerpen,
            **_sheet_defaults(sheets),
            **_bron(layout, bron),
            **_dates(today),
        },
    )


def new_uitspraak(root: Path, ecli: str, *, today: date | None = None, bron: str | None = None) -> Created:
    layout = Layout(Path(root))
    ecli = check_ecli(ecli)
    file_id = ecli.replace(":", "-")
    _refuse_existing(layout.uitspraken, f"{file_id}.yaml", "ecli", ecli, "een uitspraak", layout.root)
    court_code = ecli.split(":")[2]
    return _write(
        layout.root,
        "uitspraak",
        layout.uitspraken / f"{file_id}.yaml",
        ecli,
        {
            "ecli": ecli,
            "instantie": COURTS.get(court_code),
            "instantie_code": court_code,
            "jaar": ecli.split(":")[3],
            "eigenaar": None,
            **_bron(layout, bron),
            **_dates(today),
        },
    )


def new_module(
    root: Path,
    soort: str,
    title: str,
    *,
    themabladen: list[str] | None = None,
    onderwerpen: list[str] | None = None,
    item_id: str | None = None,
    today: date | None = None,
    bron: str | None = None,
) -> Created:
    layout = Layout(Path(root))
    if soort not in MODULE_SOORTEN:
        raise ScaffoldError(f"'{soort}' is geen soort module. Kies uit: {', '.join(MODULE_SOORTEN)}.")
    title = check_title(title)
    item_id = _choose_id(title, item_id)
    themabladen = list(dict.fromkeys(themabladen or []))
    onderwerpen = list(dict.fromkeys(onderwerpen or []))
    sheets = _existing_sheets(layout, themabladen)
    _existing_topics(layout, onderwerpen)
    _refuse_existing(layout.modules, f"{item_id}.yaml", "id", item_id, "een module", layout.root)
    return _write(
        layout.root,
        "module",
        layout.modules / f"{item_id}.yaml",
        item_id,
        {
            "id": item_id,
            "soort": soort,
            "titel": title,
            "themabladen": themabladen,
            "onderwerpen": onderwerpen,
            "doelgroep": MODULE_DOELGROEP[soort],
            "eigenaar": _sheet_defaults(sheets)["eigenaar"],
            **_bron(layout, bron),
            **_dates(today),
        },
    )


def new_onderwerp(
    root: Path, title: str, *, item_id: str | None = None, today: date | None = None, bron: str | None = None
) -> Created:
    """A new topic in content/onderwerpen/ (a page under Inclusie)."""
    layout = Layout(Path(root))
    title = check_title(title, example='kompas nieuw onderwerp "Politie voor Iedereen"')
    item_id = _choose_id(title, item_id)
    _refuse_existing(layout.onderwerpen, f"{item_id}.yaml", "id", item_id, "een onderwerp", layout.root)
    return _write(
        layout.root,
        "onderwerp",
        layout.onderwerpen / f"{item_id}.yaml",
        item_id,
        {"id": item_id, "titel": title, "eigenaar": None, **_bron(layout, bron), **_dates(today)},
    )
