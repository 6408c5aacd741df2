"""The exit codes of every command: one table, the same meaning everywhere.

The meaning of each exit code is in :class:`macros.store.errors.ExitCode`, the codes of the errors in
:data:`macros.store.errors.ERROR_CODES`. :data:`COMMANDS` says, per command, when it ends with which
exit code and which error code. ``kompas --help`` and ``kompas <opdracht> --help`` show it, and
docs/errors.md has it as a table between two markers, generated here (``kompas documenteer`` writes
it, ``kompas documenteer --controleer`` fails when it is not current). tests/unit/cli/test_exit_codes.py
runs every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..store.errors import ERROR_CODES, PATH_ERRNOS, WRITE_ERRNOS, ExitCode

MEANING = {
    ExitCode.OK: "gelukt (waarschuwingen mogen)",
    ExitCode.CONTENT: "problemen in de inhoud gevonden (of in wat de bouw ervan maakt)",
    ExitCode.USAGE: "verkeerd gebruik van een opdracht, of een pad geweigerd; er is niets veranderd",
    ExitCode.FAILED: "een bewerking kon niet draaien of afmaken (slot bezet, schijf vol, extern programma faalde)",
    ExitCode.INTERRUPTED: "onderbroken (Ctrl+C)",
}


@dataclass(frozen=True)
class Exit:
    """One way a command ends: its exit code, the error code (None for 0, or a report without one) and when."""

    exit_code: ExitCode
    code: str | None
    when: str


_INTERRUPTED = Exit(ExitCode.INTERRUPTED, "ONDERBROKEN", "onderbroken met Ctrl+C")
_USAGE = Exit(ExitCode.USAGE, "GEBRUIK", "een onbekende optie of waarde, of --map die niet bestaat")

COMMANDS: dict[str, tuple[Exit, ...]] = {
    "valideer": (
        Exit(ExitCode.OK, None, "geen fouten in de getoonde bestanden (waarschuwingen mogen)"),
        Exit(ExitCode.CONTENT, None, "fouten in de inhoud; het rapport noemt ze (bestand:regel:kolom, code, hint)"),
        Exit(
            ExitCode.USAGE,
            "GEBRUIK",
            "een onbekende optie, of een PAD of --map die niet bestaat of buiten het project ligt",
        ),
        Exit(
            ExitCode.USAGE,
            "PAD-GEWEIGERD",
            "KOMPAS_CACHE_DIR breekt de mapregel, of --map of KOMPAS_CACHE_DIR is "
            "als pad niet te gebruiken (zie Padfouten)",
        ),
        _INTERRUPTED,
    ),
    "kaarten": (
        Exit(ExitCode.OK, None, "de PDF is geschreven"),
        Exit(ExitCode.CONTENT, "INHOUD-FOUTEN", "de inhoud heeft fouten (het rapport staat erboven); geen PDF"),
        _USAGE,
        Exit(
            ExitCode.USAGE,
            "PAD-GEWEIGERD",
            "--uit is geen .pdf, ligt in een bronmap, is een ander bestand, loopt "
            "via een snelkoppeling naar buiten het project of is als pad niet te "
            "gebruiken; een id in --themablad, --module of --id volgt het patroon niet",
        ),
        Exit(
            ExitCode.USAGE,
            "SELECTIE",
            "de selectie noemt een themablad, module, waarde of id dat niet bestaat, of vindt niets",
        ),
        Exit(ExitCode.FAILED, "SCHRIJVEN", "de PDF kan niet geschreven worden (schijf vol, geen rechten)"),
        _INTERRUPTED,
    ),
    "bouw": (
        Exit(ExitCode.OK, None, "de site is gebouwd en staat op haar plek"),
        Exit(
            ExitCode.CONTENT,
            "INHOUD-FOUTEN",
            "de inhoud heeft fouten, ook wat pas een latere stap van de bouw "
            "zou weigeren (een handout die niet past, een kapotte link of macro "
            "in een pagina, de naam van een gegenereerde pagina); de vorige "
            "site staat er nog",
        ),
        Exit(
            ExitCode.CONTENT,
            "BOUW-GEWEIGERD",
            "de bouw weigert iets wat de validatie niet kan zien (docs/weigeringen.md): "
            "een link of waarschuwing in wat de bouw zelf maakt",
        ),
        Exit(
            ExitCode.CONTENT,
            "DRUK",
            "een draaiboek of handout kan niet gemaakt worden terwijl de validatie slaagde (docs/weigeringen.md)",
        ),
        _USAGE,
        Exit(
            ExitCode.USAGE,
            "PAD-GEWEIGERD",
            "--uit (of site/) of KOMPAS_CACHE_DIR breekt de mapregel: ook een "
            "snelkoppeling naar buiten het project, of een pad dat niet te gebruiken "
            "is (zie Padfouten)",
        ),
        Exit(ExitCode.FAILED, "BEZIG", "er draait al een bouw of publicatie in dit project"),
        Exit(ExitCode.FAILED, "SCHRIJVEN", "de schijf is vol of er is geen toestemming; de vorige site staat er nog"),
        Exit(ExitCode.FAILED, "HULPMIDDEL", "Pagefind ontbreekt of faalde"),
        Exit(ExitCode.FAILED, "MISLUKT", "mkdocs.yml is niet te lezen, of het blok extra.kompas.redactie klopt niet"),
        _INTERRUPTED,
    ),
    "redactie": (
        Exit(ExitCode.OK, None, "de editor draaide en is gestopt met Ctrl+C (zo stop je hem)"),
        Exit(ExitCode.CONTENT, "INHOUD-FOUTEN", "de inhoud heeft fouten; de editor start niet"),
        Exit(
            ExitCode.CONTENT,
            "BOUW-GEWEIGERD",
            "de bouw weigert wat de inhoud oplevert (zoals bij kompas bouw); de editor start niet",
        ),
        Exit(
            ExitCode.USAGE,
            "GEBRUIK",
            "een onbekende optie of waarde, --map die niet bestaat, of een --poort die bezet of niet te gebruiken is",
        ),
        Exit(ExitCode.USAGE, "PAD-GEWEIGERD", "KOMPAS_CACHE_DIR breekt de mapregel"),
        Exit(ExitCode.FAILED, "BEZIG", "er draait al een bouw of publicatie in dit project"),
        Exit(
            ExitCode.FAILED,
            "HULPMIDDEL",
            "Node.js of npm ontbreekt, npm ci in redactie/ faalde, of decap-server startte niet of stopte onverwacht",
        ),
        Exit(ExitCode.INTERRUPTED, "ONDERBROKEN", "onderbroken met Ctrl+C voordat de editor draaide (tijdens de bouw)"),
    ),
    "publiceer": (
        Exit(ExitCode.OK, None, "de versie staat in de branch gh-pages (niet gepusht)"),
        Exit(ExitCode.CONTENT, "INHOUD-FOUTEN", "de inhoud heeft fouten; gh-pages is niet veranderd"),
        Exit(
            ExitCode.USAGE,
            "GEBRUIK",
            "een versie die niet met een cijfer begint (1.2, 2026.1, 2.0-rc1) of een alias "
            "die geen woord in kleine letters is, gecontroleerd voordat er iets draait; of "
            "--map die niet bestaat",
        ),
        Exit(ExitCode.FAILED, "BEZIG", "er draait al een bouw of publicatie in dit project"),
        Exit(
            ExitCode.FAILED, "HULPMIDDEL", "mike (en de bouw die het draait) of git faalde; gh-pages is niet veranderd"
        ),
        Exit(
            ExitCode.INTERRUPTED,
            "ONDERBROKEN",
            "onderbroken met Ctrl+C, SIGTERM of SIGHUP: mike en alles wat het "
            "startte zijn gestopt, gh-pages is niet veranderd",
        ),
    ),
    "nieuw": (
        Exit(ExitCode.OK, None, "het nieuwe bestand is geschreven"),
        _USAGE,
        Exit(
            ExitCode.USAGE,
            "PAD-GEWEIGERD",
            "een id of ECLI die een bestandsnaam wordt, volgt het patroon niet; of "
            "de inhoudsmap is een snelkoppeling naar buiten het project",
        ),
        Exit(
            ExitCode.USAGE, "NIEUW", "het bestand of id bestaat al, het themablad niet, of de titel is leeg of te lang"
        ),
        Exit(
            ExitCode.FAILED,
            "SCHRIJVEN",
            "het bestand kan niet geschreven worden (schijf vol, geen rechten); er staat geen half bestand",
        ),
        _INTERRUPTED,
    ),
    "spelling": (
        Exit(ExitCode.OK, None, "geen spelfouten, of zonder --streng (dan zijn het waarschuwingen)"),
        Exit(ExitCode.CONTENT, None, "met --streng: er zijn spelfouten; het rapport noemt ze"),
        _USAGE,
        Exit(ExitCode.FAILED, "HULPMIDDEL", "hunspell of het Nederlandse woordenboek ontbreekt"),
        _INTERRUPTED,
    ),
    "documenteer": (
        Exit(ExitCode.OK, None, "de gegenereerde lijsten zijn bijgewerkt, of (met --controleer) actueel"),
        Exit(
            ExitCode.CONTENT,
            "DOCUMENTATIE",
            "met --controleer: CONTRIBUTING.md of docs/errors.md is niet actueel; of een bestand mist zijn markeringen",
        ),
        _USAGE,
        Exit(ExitCode.FAILED, "SCHRIJVEN", "een bestand kan niet gelezen of geschreven worden"),
        _INTERRUPTED,
    ),
}


def general_help() -> str:
    """The exit codes, for the end of ``kompas --help``."""
    lines = ["exitcodes (voor elke opdracht gelijk; per opdracht: kompas OPDRACHT --help):"]
    lines += [f"  {int(code):>3}  {text}" for code, text in MEANING.items()]
    lines.append(
        "een weigering of fout staat op stderr als: kompas OPDRACHT: CODE fout: melding, met een regel 'hint:'."
    )
    return "\n".join(lines)


def command_help(command: str) -> str:
    """The exit codes of one command, for the end of ``kompas <opdracht> --help``."""
    lines = ["exitcodes:"]
    for row in COMMANDS[command]:
        code = f" {row.code}" if row.code else ""
        lines.append(f"  {int(row.exit_code):>3}{code}: {row.when}")
    return "\n".join(lines)


# -- docs/errors.md -----------------------------------------------------------------------------------
FILE_NAME = Path("docs") / "errors.md"
BEGIN = "<!-- BEGIN exitcodes: gegenereerd met `kompas documenteer`, niet met de hand wijzigen -->"
END = "<!-- EINDE exitcodes -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown() -> str:
    """The generated part of docs/errors.md: the meanings, the error codes, and the table per command."""
    lines = [BEGIN, "", "| exitcode | betekenis |", "| --- | --- |"]
    lines += [f"| {int(code)} | {_cell(text)} |" for code, text in MEANING.items()]
    lines += ["", "### Foutcodes", "", "| code | exitcode | wat er mis is | wat je doet |", "| --- | --- | --- | --- |"]
    lines += [
        f"| `{info.code}` | {int(info.exit_code)} | {_cell(info.title)} | {_cell(info.hint)} |"
        for info in ERROR_CODES.values()
    ]
    lines += ["", "### Per opdracht", "", "| opdracht | exitcode | code | wanneer |", "| --- | --- | --- | --- |"]
    for command, rows in COMMANDS.items():
        for row in rows:
            lines.append(
                f"| `kompas {command}` | {int(row.exit_code)} | {f'`{row.code}`' if row.code else '—'} "
                f"| {_cell(row.when)} |"
            )
    lines += [
        "",
        "### Padfouten",
        "",
        "Wat het besturingssysteem over een pad zegt dat iemand noemde (--uit, --map, KOMPAS_CACHE_DIR, een "
        "inhoudsmap), altijd in het Nederlands, nooit de Engelse tekst van het systeem:",
        "",
        "| fout | exitcode | melding |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{name}` | {int(ExitCode.USAGE)} | {_cell(text)} |" for name, text in PATH_ERRNOS.items()]
    lines += [f"| `{name}` | {int(ExitCode.FAILED)} | {_cell(text)} |" for name, text in WRITE_ERRNOS.items()]
    lines += [
        "",
        "Een pad dat Kompas al bij de controle niet kan gebruiken, is een weigering (`PAD-GEWEIGERD`, 2), "
        "welke fout het ook is; schrijven dat daarna niet lukt, is `SCHRIJVEN` (3).",
        "",
        END,
    ]
    return "\n".join(lines)


def updated(text: str) -> str:
    """``text`` (docs/errors.md) with a freshly generated table; ValueError without the markers."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(
            f"{FILE_NAME} mist de markeringen voor de tabel met exitcodes (een regel '{BEGIN}' en daarna '{END}')."
        )
    return text[:start] + markdown() + text[end + len(END) :]
