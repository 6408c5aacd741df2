"""Diagnostics: the problems the validator reports, and the catalogue of their codes.

Every problem carries a file, line, column, a stable code, a Dutch message and a
hint. The catalogue below is the single source of truth for codes: the validator may
only emit codes listed here, and CONTRIBUTING.md is generated from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from ..store.text import json_safe, visible


class Severity(str, Enum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str  # short Dutch description of what is wrong
    example: str  # a YAML snippet (or situation) that triggers it
    fix: str  # what the editor does about it


_CATALOGUE: list[CodeInfo] = [
    # -- file and YAML level -------------------------------------------------
    CodeInfo(
        "BESTAND-LEEG",
        Severity.ERROR,
        "Het bestand is leeg.",
        "(een bestand van 0 bytes of alleen commentaar)",
        "Vul het bestand in, of verwijder het.",
    ),
    CodeInfo(
        "BESTAND-TE-GROOT",
        Severity.ERROR,
        "Het bestand is groter dan de limiet.",
        "(een YAML-bestand van meer dan 1 MB)",
        "Een inhoudsbestand is klein; splits de inhoud of verwijder wat er niet hoort.",
    ),
    CodeInfo(
        "BESTAND-BINAIR",
        Severity.ERROR,
        "Het bestand is geen tekstbestand.",
        "(een afbeelding of ander binair bestand met de extensie .yaml)",
        "Vervang het door een YAML-tekstbestand.",
    ),
    CodeInfo(
        "BESTAND-CODERING",
        Severity.ERROR,
        "Het bestand is niet in UTF-8 opgeslagen.",
        "titel: Caf\\xe9 (opgeslagen als Latin-1)",
        "Sla het bestand op als UTF-8 (in VS Code: rechtsonder de codering kiezen).",
    ),
    CodeInfo(
        "BESTAND-BOM",
        Severity.WARNING,
        "Het bestand begint met een byte order mark (BOM).",
        "(UTF-8 met BOM, zoals Kladblok dat opslaat)",
        "Sla het bestand op als UTF-8 zonder BOM.",
    ),
    CodeInfo(
        "BESTAND-NAAM",
        Severity.ERROR,
        "De bestandsnaam past niet bij het id.",
        "id: social-media  (in het bestand themabladen/sociale-media.yaml)",
        "Maak de bestandsnaam gelijk aan het id (uitspraken: ECLI met streepjes in plaats van dubbele punten).",
    ),
    CodeInfo(
        "BESTAND-ONBEKEND",
        Severity.WARNING,
        "Dit bestand staat op een plek waar de validator geen inhoud verwacht.",
        "content/dilemmas/notities.txt",
        "Geef het bestand de extensie .yaml of verplaats het.",
    ),
    CodeInfo(
        "BESTAND-ONLEESBAAR",
        Severity.ERROR,
        "Het bestand kan niet gelezen worden.",
        "(een snelkoppeling naar een bestand dat niet meer bestaat, of een bestand zonder leesrechten)",
        "Vervang de snelkoppeling door het bestand zelf, of herstel de rechten.",
    ),
    CodeInfo(
        "BESTAND-SOORT",
        Severity.ERROR,
        "Dit is geen gewoon bestand.",
        "(een FIFO, socket of apparaat met de naam content/dilemmas/x.yaml)",
        "Zet er een gewoon YAML-bestand neer, of haal het weg; Kompas opent het niet.",
    ),
    CodeInfo(
        "BESTAND-BUITEN-PROJECT",
        Severity.ERROR,
        "Een inhoudsbestand of -map is een snelkoppeling naar een plek buiten de projectmap.",
        "content/dilemmas/x.yaml -> /home/iemand/x.yaml",
        "Zet de inhoud zelf in het project, of haal de snelkoppeling weg; Kompas leest niets buiten het "
        "project en toont er niets van.",
    ),
    CodeInfo(
        "YAML-SYNTAX",
        Severity.ERROR,
        "De YAML is niet te lezen.",
        "titel: \"Gedrag in vrije tijd  (aanhalingsteken niet gesloten)",
        "Controleer inspringing (spaties, geen tabs), dubbele punten en aanhalingstekens op en vlak voor de genoemde regel.",
    ),
    CodeInfo(
        "YAML-TAB",
        Severity.ERROR,
        "De regel springt in met een tab.",
        "kader:\n\t- Ik meld ...",
        "Gebruik spaties om in te springen, geen tabs.",
    ),
    CodeInfo(
        "YAML-DUBBELE-SLEUTEL",
        Severity.ERROR,
        "Een veld staat twee keer in hetzelfde blok.",
        "titel: A\ntitel: B",
        "Houd één van beide regels over; YAML zou stilzwijgend de laatste gebruiken.",
    ),
    CodeInfo(
        "YAML-ANKER",
        Severity.ERROR,
        "Ankers en aliassen (&naam, *naam) zijn niet toegestaan.",
        "kader: &k [...]\nextra: *k",
        "Schrijf de tekst gewoon uit; verwijzen gaat via id's.",
    ),
    CodeInfo(
        "YAML-TAG",
        Severity.ERROR,
        "YAML-tags (!!...) zijn niet toegestaan.",
        "titel: !!python/object:os.system ls",
        "Verwijder de tag; schrijf alleen gewone tekst, getallen en lijsten.",
    ),
    CodeInfo(
        "YAML-MEERDERE-DOCUMENTEN",
        Severity.ERROR,
        "Het bestand bevat meer dan één YAML-document.",
        "---\nid: a\n---\nid: b",
        "Eén item per bestand: splits de documenten over twee bestanden.",
    ),
    CodeInfo(
        "YAML-GETAL",
        Severity.ERROR,
        "YAML leest de waarde als een getal dat te lang is (meer dan 18 cijfers).",
        "titel: 12345678901234567890",
        "Is het tekst? Zet het tussen aanhalingstekens: titel: \"12345678901234567890\".",
    ),
    CodeInfo(
        "YAML-SLEUTEL",
        Severity.ERROR,
        "Een veldnaam moet gewone tekst zijn.",
        "? [a, b]\n: waarde",
        "Gebruik een gewone veldnaam zoals `titel`.",
    ),
    # -- schema level ---------------------------------------------------------
    CodeInfo(
        "SCHEMA-ONBEKEND-VELD",
        Severity.ERROR,
        "Dit veld bestaat niet voor dit soort item.",
        "titell: Gedrag in vrije tijd",
        "Controleer de spelling van de veldnaam; de hint noemt de velden die wel bestaan.",
    ),
    CodeInfo(
        "SCHEMA-VERPLICHT",
        Severity.ERROR,
        "Een verplicht veld ontbreekt.",
        "(een themablad zonder `titel`, een dilemma zonder `bronnen`, of een dilemma zonder `themabladen` "
        "en zonder `onderwerpen`)",
        "Voeg het veld toe; de hint zegt wat erin hoort. Elk themablad, dilemma, uitspraak, module en "
        "onderwerp heeft `bronnen`: een lijst met `- bron: <id uit content/bronnen.yaml>` (eigen tekst: "
        "`- bron: redactie`). Een dilemma noemt minstens één themablad of één onderwerp.",
    ),
    CodeInfo(
        "SCHEMA-TYPE",
        Severity.ERROR,
        "De waarde heeft het verkeerde soort (tekst, getal, lijst, blok).",
        "duur: 1:30   (verwacht een aantal minuten: 90)",
        "Gebruik het soort waarde dat de hint noemt; zet tekst die op een getal lijkt tussen aanhalingstekens.",
    ),
    CodeInfo(
        "SCHEMA-KEUZE",
        Severity.ERROR,
        "De waarde is niet een van de toegestane keuzes.",
        "kernwaarden: [eerlijk]",
        "Kies een van de waarden die de hint noemt.",
    ),
    CodeInfo(
        "SCHEMA-PATROON",
        Severity.ERROR,
        "De waarde heeft niet de vereiste vorm.",
        "id: Gedrag_Vrije_Tijd",
        "Volg de vorm uit de hint (id's: kleine letters, cijfers en streepjes).",
    ),
    CodeInfo(
        "SCHEMA-DATUM",
        Severity.ERROR,
        "Geen geldige datum.",
        "gewijzigd: 2024-02-30",
        "Schrijf een bestaande datum als JJJJ-MM-DD.",
    ),
    CodeInfo(
        "SCHEMA-URL",
        Severity.ERROR,
        "Geen geldig webadres.",
        "url: intranet/vertrouwenspersoon",
        "Schrijf het volledige adres, beginnend met https://.",
    ),
    CodeInfo(
        "SCHEMA-ECLI",
        Severity.ERROR,
        "Geen geldige Nederlandse ECLI.",
        "ecli: ECLI:NL:CRVB:2017:3167.",
        "Vorm: ECLI:NL:INSTANTIE:JAAR:NUMMER, in hoofdletters, zonder punt of spatie aan het eind.",
    ),
    CodeInfo(
        "SCHEMA-LENGTE",
        Severity.ERROR,
        "De tekst of lijst is te kort of te lang.",
        "kader: []",
        "Pas het aantal of de lengte aan zoals de hint zegt.",
    ),
    CodeInfo(
        "SCHEMA-DUBBEL",
        Severity.ERROR,
        "Een lijst bevat twee keer hetzelfde.",
        "kernwaarden: [integer, integer]",
        "Verwijder de herhaling.",
    ),
    CodeInfo(
        "SCHEMA-BEREIK",
        Severity.ERROR,
        "Het getal ligt buiten het toegestane bereik.",
        "duur: 0",
        "Gebruik een getal binnen het bereik uit de hint.",
    ),
    CodeInfo(
        "SCHEMA-ONGELDIG",
        Severity.ERROR,
        "De waarde voldoet niet aan het schema.",
        "(een combinatie van velden die niet klopt)",
        "Lees de hint; vergelijk met een bestaand bestand van hetzelfde soort.",
    ),
    # -- content rules ---------------------------------------------------------
    CodeInfo(
        "TEKST-VRAAG",
        Severity.ERROR,
        "Een dilemma eindigt niet met een vraag.",
        "situatie: Je collega rijdt weg na het feest.",
        "Sluit de situatie af met de vraag aan de lezer, bijvoorbeeld: Wat doe je?",
    ),
    CodeInfo(
        "TEKST-IK-VORM",
        Severity.WARNING,
        "Een uitspraak in het kader staat niet in de ik-vorm.",
        "kader:\n  - Medewerkers melden ...",
        "Schrijf de uitspraak in de eerste persoon: 'Ik meld ...'.",
    ),
    CodeInfo(
        "TEKST-HTML",
        Severity.ERROR,
        "Een tekstveld bevat HTML.",
        "titel: <b>Let op</b>",
        "Gebruik gewone tekst; in Markdown-velden Markdown (**vet**), geen HTML.",
    ),
    CodeInfo(
        "TEKST-LINK",
        Severity.ERROR,
        "Een link in een Markdown-veld is geen volledig webadres.",
        "inleiding: Zie [het kader](../gedrag-in-vrije-tijd/#kader).",
        "Link in een Markdown-veld alleen naar een volledig adres (https://...). Hetzelfde veld staat op "
        "meer plekken (de pagina van het item, de sessiepagina, de handout of het draaiboek), dus een link "
        "naar een andere pagina of een anker van Kompas klopt nooit overal; noem de pagina in de tekst.",
    ),
    CodeInfo(
        "TEKST-STUURTEKEN",
        Severity.ERROR,
        "Een tekst bevat een onzichtbaar stuurteken of een teken dat de leesrichting omkeert.",
        "titel: \"Gedrag\\e[2J in vrije tijd\"   (U+001B, ESCAPE)",
        "Haal het teken weg (de melding noemt het met zijn code, zoals U+202E). Toegestaan zijn tab, "
        "regeleinde, harde spatie (U+00A0) en zacht afbreekstreepje (U+00AD).",
    ),
    CodeInfo(
        "MARKDOWN-REEKS",
        Severity.ERROR,
        "Een Markdown-veld heeft te veel dezelfde opmaaktekens achter elkaar.",
        "inleiding: \"``````````````` ...\"  (meer dan 10 keer ` achter elkaar)",
        "Haal de herhaling weg; opmaak heeft nooit meer dan een paar tekens achter elkaar nodig.",
    ),
    CodeInfo(
        "MARKDOWN-NESTING",
        Severity.ERROR,
        "Een Markdown-veld is te diep genest (citaten of lijsten in elkaar).",
        "inleiding: \"> > > > > > > citaat in citaat in ...\"",
        "Maak de tekst platter: hooguit 6 niveaus citaten of lijsten in elkaar, en hooguit 8 HTML-elementen.",
    ),
    CodeInfo(
        "MARKDOWN-TEKENS",
        Severity.ERROR,
        "Een Markdown-veld bevat te veel opmaaktekens (links, code, HTML, nadruk of koppen).",
        "inleiding: (meer dan 100 keer [, ` of <, of meer dan 400 keer *, _ of #)",
        "Splits de tekst of haal opmaak weg; de melding noemt het teken en hoeveel er mogen.",
    ),
    CodeInfo(
        "TEKST-SJABLOON",
        Severity.ERROR,
        "Een tekst bevat sjabloontekens ({{, {% of {#).",
        "inleiding: Zie {{ pagina }}",
        "Verwijder de accolades; de site vult zelf niets in uit de inhoud.",
    ),
    CodeInfo(
        "PRIVACY-EMAIL",
        Severity.ERROR,
        "Een tekst bevat een e-mailadres.",
        "situatie: Mail j.jansen@politie.nl ...",
        "Haal het e-mailadres weg: gepubliceerde inhoud is geanonimiseerd.",
    ),
    CodeInfo(
        "PRIVACY-TELEFOON",
        Severity.ERROR,
        "Een tekst bevat een telefoonnummer.",
        "situatie: Bel 06-12345678 ...",
        "Haal het telefoonnummer weg of verwijs naar een intranetpagina.",
    ),
    CodeInfo(
        "PRIVACY-WEGGELAKT",
        Severity.ERROR,
        "Een tekst bevat een weglakmarkering uit een Woo-document.",
        "situatie: Collega 5.1.2.e zegt ...",
        "Herschrijf de zin zonder de markering, bijvoorbeeld 'een collega'.",
    ),
    CodeInfo(
        "DATUM-HERZIEN",
        Severity.WARNING,
        "De herziendatum is verstreken.",
        "herzien_voor: 2020-01-01",
        "Lees het item na, pas het zo nodig aan en zet een nieuwe herziendatum.",
    ),
    CodeInfo(
        "DATUM-VOLGORDE",
        Severity.ERROR,
        "De herziendatum ligt vóór de wijzigingsdatum.",
        "gewijzigd: 2026-05-01\nherzien_voor: 2026-01-01",
        "Zet herzien_voor na gewijzigd.",
    ),
    CodeInfo(
        "RICHTLIJN-PLACEHOLDER",
        Severity.WARNING,
        "Een interne richtlijn heeft nog geen echt intranetadres.",
        "richtlijnen:\n  - titel: Vertrouwenspersoon\n    url: https://intranet.invalid/...\n    placeholder: true",
        "Vervang de url door het echte intranetadres en verwijder `placeholder: true`.",
    ),
    CodeInfo(
        "MELDROUTE-PLACEHOLDER",
        Severity.WARNING,
        "Een meldroute heeft nog geen echt intranetadres.",
        "routes:\n  - id: vertrouwenspersoon\n    link:\n      url: https://intranet.invalid/...\n"
        "      placeholder: true",
        "Vervang de url in content/meldroutes.yaml door het echte intranetadres en verwijder `placeholder: true`.",
    ),
    CodeInfo(
        "SCHEMA-KOPREGEL",
        Severity.WARNING,
        "De regel die VS Code aan het schema koppelt ontbreekt.",
        "(eerste regel is niet `# yaml-language-server: $schema=...`)",
        "Zet de regel uit de hint bovenaan het bestand; dan helpt VS Code tijdens het typen.",
    ),
    CodeInfo(
        "TODO-OPEN",
        Severity.ERROR,
        "Een veld bevat nog een TODO uit `kompas nieuw`.",
        "inleiding: \"TODO: schrijf hier waarom het onderwerp ertoe doet.\"",
        "Vervang de TODO-tekst door de echte inhoud; de tekst na TODO zegt wat er moet komen.",
    ),
    CodeInfo(
        "SPELLING",
        Severity.WARNING,
        "Een woord staat niet in het Nederlandse woordenboek of de woordenlijst.",
        "situatie: Je collega vertelt over een geweldsaanwnding.",
        "Verbeter de spelling. Is het woord goed (een vakterm of afkorting)? "
        "Zet het dan op een eigen regel in content/woordenlijst.txt.",
    ),
    # -- cross-file ------------------------------------------------------------
    CodeInfo(
        "ID-DUBBEL",
        Severity.ERROR,
        "Twee items hebben hetzelfde id.",
        "(twee bestanden met id: social-media)",
        "Geef een van beide een ander id (en bestandsnaam).",
    ),
    CodeInfo(
        "VERWIJZING-THEMABLAD",
        Severity.ERROR,
        "Verwijzing naar een themablad dat niet bestaat.",
        "themabladen: [gedrag-in-vrij-tijd]",
        "Gebruik het id van een bestaand themablad (bestandsnaam in themabladen/ zonder .yaml).",
    ),
    CodeInfo(
        "VERWIJZING-DILEMMA",
        Severity.ERROR,
        "Verwijzing naar een dilemma dat niet bestaat.",
        "dilemmas: [joint-voor-rugpijn]",
        "Gebruik het id van een bestaand dilemma (bestandsnaam in content/dilemmas/).",
    ),
    CodeInfo(
        "VERWIJZING-UITSPRAAK",
        Severity.ERROR,
        "Verwijzing naar een uitspraak die niet in content/uitspraken/ staat.",
        "casuistiek: [ECLI:NL:CRVB:2014:1234]",
        "Voeg de uitspraak toe met `kompas nieuw uitspraak ECLI`, of corrigeer de ECLI.",
    ),
    CodeInfo(
        "VERWIJZING-WET",
        Severity.ERROR,
        "Verwijzing naar een wet die niet in het wetgevingsregister staat.",
        "wetgeving:\n  - wet: barb\n    artikel: '76'",
        "Gebruik een id uit content/wetgeving.yaml, of voeg de wet daar toe.",
    ),
    CodeInfo(
        "VERWIJZING-ONDERWERP",
        Severity.ERROR,
        "Verwijzing naar een onderwerp dat niet bestaat.",
        "onderwerpen: [politie-voor-iedereeen]",
        "Gebruik het id van een bestaand onderwerp (bestandsnaam in content/onderwerpen/ zonder .yaml).",
    ),
    CodeInfo(
        "VERWIJZING-BRON",
        Severity.ERROR,
        "Verwijzing naar een bron die niet in het bronnenregister staat.",
        "bronnen:\n  - bron: themablad-5",
        "Gebruik een id uit content/bronnen.yaml, of beschrijf het document daar eerst (id, titel, soort "
        "en zo mogelijk datum en uitgever). Eigen tekst van de redactie: `- bron: redactie`.",
    ),
    CodeInfo(
        "VERWIJZING-ROUTE",
        Severity.ERROR,
        "Verwijzing naar een meldroute die niet in content/meldroutes.yaml staat.",
        "routes: [vertrouwenspersonen]",
        "Gebruik een id uit content/meldroutes.yaml, of voeg de route daar toe.",
    ),
    CodeInfo(
        "VERWIJZING-ZELF",
        Severity.ERROR,
        "Een themablad verwijst naar zichzelf als gerelateerd.",
        "id: social-media\ngerelateerd: [social-media]",
        "Haal het eigen id uit `gerelateerd`.",
    ),
    CodeInfo(
        "UITSPRAAK-ONGEBRUIKT",
        Severity.WARNING,
        "Deze uitspraak wordt door geen enkel themablad of dilemma aangehaald.",
        "(een uitspraak die in geen enkele `casuistiek` staat)",
        "Haal de uitspraak aan in de casuïstiek van een themablad, of verwijder het bestand.",
    ),
    CodeInfo(
        "MODULE-DUUR",
        Severity.ERROR,
        "De duur van de onderdelen telt niet op tot de duur van de module.",
        "duur: 60\nstappen: (10 + 20 + 20 minuten)",
        "Pas de duur van de module of van de onderdelen aan; de hint noemt de som.",
    ),
    CodeInfo(
        "MODULE-DEELNEMERS",
        Severity.ERROR,
        "Het kleinste aantal deelnemers is groter dan het grootste.",
        "deelnemers:\n  min: 20\n  max: 15",
        "Zet het kleinste aantal bij `min` en het grootste bij `max`.",
    ),
    CodeInfo(
        "MODULE-FASE",
        Severity.ERROR,
        "Een fase ligt buiten Q1–Q8 of staat dubbel.",
        "fasen:\n  - fase: Q9",
        "Gebruik Q1 tot en met Q8, elke fase één keer.",
    ),
    CodeInfo(
        "KAART-TE-LANG",
        Severity.ERROR,
        "Het dilemma past niet op een kaart, ook niet met de kleinste letter.",
        "(een situatie van 2000 tekens)",
        "Kort de situatie of de hulpvragen in.",
    ),
    # -- what the build makes of the content (macros/verdict/: the same measurements and rules as the build) --
    CodeInfo(
        "HANDOUT-TE-LANG",
        Severity.ERROR,
        "De handout van een themablad past niet op twee A4-pagina's.",
        "(een lange inleiding, of een dilemma bij dit blad met een lange situatie)",
        "De melding staat bij het themablad en noemt wat hem te lang maakt: kort de inleiding of het kader "
        "in, of de situatie van het genoemde dilemma, of zet dat dilemma bij een ander themablad. De "
        "handout toont de eerste zes dilemma's van een blad helemaal.",
    ),
    CodeInfo(
        "PAGINA-NAAM",
        Severity.ERROR,
        "Een handgeschreven pagina heeft de naam of het adres van een pagina die Kompas zelf maakt.",
        "content/pages/dilemmas/joint.md   (naast het dilemma content/dilemmas/joint.yaml)",
        "Geef de pagina in content/pages/ een andere naam, of het item een ander id.",
    ),
    CodeInfo(
        "PAGINA-MACRO",
        Severity.ERROR,
        "Een handgeschreven pagina roept een macro aan die niet bestaat, of de accolades kloppen niet.",
        "{{ dilema_overzicht() }}",
        "Gebruik een van de macro's die de hint noemt, zonder argumenten: {{ naam() }}. Tekst met {{ of {% "
        "zet je tussen {% raw %} en {% endraw %}.",
    ),
    CodeInfo(
        "PAGINA-LINK",
        Severity.ERROR,
        "Een link in een handgeschreven pagina verwijst naar een pagina, "
        "bestand of anker dat niet bestaat, of is een absoluut pad.",
        "[de kernwaarden](kernwaarde.md)   (de pagina heet kernwaarden.md)",
        "Link naar het .md-bestand van de pagina, relatief aan deze pagina (zoals dilemmas/index.md of "
        "../kernwaarden.md#integer), of naar een volledig webadres.",
    ),
    CodeInfo(
        "PAGINA-ONTBREEKT",
        Severity.ERROR,
        "Een handgeschreven pagina waar de pagina's van Kompas naar linken, ontbreekt.",
        "(content/pages/kaarten.md weggehaald of hernoemd: de sessiepagina linkt naar Dilemmakaarten)",
        "Zet de pagina terug onder de naam die de melding noemt.",
    ),
    CodeInfo(
        "PAGINA-MENU",
        Severity.ERROR,
        "Het menu (nav in mkdocs.yml) noemt een pagina die niet bestaat.",
        "nav:\n  - Kernwaarden: kernwaarde.md",
        "Herstel de naam in mkdocs.yml, of zet de pagina terug in content/pages/.",
    ),
]

CATALOGUE: dict[str, CodeInfo] = {c.code: c for c in _CATALOGUE}


@dataclass(frozen=True)
class Diagnostic:
    file: str  # path relative to the project root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    column: int  # 1-based; 0 when unknown
    code: str
    message: str  # Dutch, for an editor
    hint: str = ""
    # other files the problem is about (a dilemma that makes its sheet's handout too long): a report of
    # just those files shows it too (:meth:`macros.content.validate.Result.for_files`)
    related: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown diagnostic code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def format_text(self) -> str:
        # one line per diagnostic, one per hint, whatever text the content put in the message; nothing a
        # terminal acts on (macros.store.text.visible: a control character becomes its code point)
        message, hint = (visible(" ".join(part.split())) for part in (self.message, self.hint))
        text = f"{visible(self.file)}:{self.line}:{self.column}: {self.code} {self.severity.value}: {message}"
        if hint:
            text += f"\n    hint: {hint}"
        return text

    def format_github(self) -> str:
        level = "error" if self.is_error else "warning"
        message = f"{self.code}: {self.message}"
        if self.hint:
            message += f" (hint: {self.hint})"
        message = visible(message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
        file = visible(self.file).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{level} file={file},line={max(self.line, 1)},col={max(self.column, 1)}::{message}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.related:
            data["related"] = list(self.related)
        else:
            del data["related"]
        data["ernst"] = self.severity.value
        return data


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def to_json(diagnostics: list[Diagnostic]) -> str:
    """The diagnostics as JSON; every control or reordering character escaped (``\u001b``), so the
    output is safe on a terminal and the data the same."""
    return json_safe(json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2))


def format_report(diagnostics: Sequence[Diagnostic], scope: str, *, github: bool = False) -> str:
    """The text report the CLI prints and the site build shows: one format everywhere."""
    lines = [d.format_text() for d in diagnostics]
    if github:
        lines.extend(d.format_github() for d in diagnostics)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    lines.append(
        f"{errors} {'fout' if errors == 1 else 'fouten'}, {warnings} "
        f"{'waarschuwing' if warnings == 1 else 'waarschuwingen'} in {scope}."
    )
    return "\n".join(lines)
