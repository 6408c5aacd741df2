"""The list of diagnostic codes in CONTRIBUTING.md, generated from the catalogue.

`kompas documenteer` rewrites the part of CONTRIBUTING.md between the two markers;
`kompas documenteer --controleer` (and tests/unit/editor/test_contributing.py) fail when that
part differs from what the catalogue in macros/content/diagnostics.py gives, so the guide
for editors always lists every code the validator can report. The output is
Markdown for a text file, not HTML.
"""

from __future__ import annotations

from pathlib import Path

from ..content.diagnostics import _CATALOGUE, CodeInfo, Severity
from ..store.errors import ContentError

BEGIN = "<!-- BEGIN foutcodes: gegenereerd met `kompas documenteer`, niet met de hand wijzigen -->"
END = "<!-- EINDE foutcodes -->"
FILE_NAME = "CONTRIBUTING.md"

_GROUPS = [
    ("BESTAND", "Het bestand"),
    ("YAML", "YAML-opbouw"),
    ("SCHEMA", "Velden en waarden (schema)"),
    ("TEKST", "Tekstregels"),
    ("PRIVACY", "Privacy"),
    ("SPELLING", "Spelling"),
    ("TODO", "Nog niet ingevuld"),
    ("DATUM", "Datums"),
    ("RICHTLIJN", "Richtlijnen"),
    ("ID", "Id's"),
    ("VERWIJZING", "Verwijzingen tussen bestanden"),
    ("UITSPRAAK", "Uitspraken"),
    ("MODULE", "Modules"),
    ("KAART", "Dilemmakaarten"),
]


class OutOfDate(ContentError):
    """CONTRIBUTING.md lacks the markers, or its code list differs from the catalogue (code DOCUMENTATIE)."""

    code = "DOCUMENTATIE"


def _group_of(code: str) -> str:
    prefix = code.split("-", 1)[0]
    return prefix if any(prefix == g for g, _ in _GROUPS) else "OVERIG"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _example(info: CodeInfo) -> list[str]:
    example = info.example.strip()
    if example.startswith("(") and example.endswith(")") and "\n" not in example:
        return [f"*Voorbeeld:* {example[1:-1]}"]
    fence = "```"
    while fence in example:
        fence += "`"
    return ["*Voorbeeld:*", "", f"{fence}yaml", example, fence]


def codes_markdown(catalogue: list[CodeInfo] | None = None) -> str:
    """The generated section: an overview table and, per code, its example and fix."""
    catalogue = list(_CATALOGUE if catalogue is None else catalogue)
    groups = [(g, title) for g, title in _GROUPS] + [("OVERIG", "Overig")]
    lines = [
        f"De validator kent {len(catalogue)} meldingen. Een **fout** houdt de pull request tegen; "
        "een **waarschuwing** niet, maar lees hem wel.",
        "",
        "| code | soort | betekenis |",
        "| --- | --- | --- |",
    ]
    for info in catalogue:
        lines.append(f"| [`{info.code}`](#{info.code.lower()}) | {info.severity.value} | {_cell(info.title)} |")
    for group, title in groups:
        members = [c for c in catalogue if _group_of(c.code) == group]
        if not members:
            continue
        lines += ["", f"### {title}"]
        for info in members:
            severity = "fout" if info.severity is Severity.ERROR else "waarschuwing"
            lines += ["", f"#### {info.code}", "", f"**{severity}** – {info.title}", ""]
            lines += _example(info)
            lines += ["", f"*Oplossing:* {info.fix}"]
    return "\n".join(lines) + "\n"


def render_section(catalogue: list[CodeInfo] | None = None) -> str:
    return f"{BEGIN}\n\n{codes_markdown(catalogue)}\n{END}"


def _split(text: str) -> tuple[str, str, str]:
    start = text.find(BEGIN)
    end = text.find(END)
    if start < 0 or end < 0 or end < start:
        raise OutOfDate(
            f"{FILE_NAME} mist de markeringen voor de lijst met foutcodes (een regel '{BEGIN}' en daarna '{END}')."
        )
    return text[:start], text[start : end + len(END)], text[end + len(END) :]


def updated(text: str, catalogue: list[CodeInfo] | None = None) -> str:
    """The text of CONTRIBUTING.md with a freshly generated code list."""
    before, _, after = _split(text)
    return before + render_section(catalogue) + after


def is_current(text: str, catalogue: list[CodeInfo] | None = None) -> bool:
    return updated(text, catalogue) == text


def write(root: Path) -> bool:
    """Regenerate the code list in ROOT/CONTRIBUTING.md; True when the file changed."""
    path = Path(root) / FILE_NAME
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
