"""The command line: `kompas valideer`, and the other subcommands.

This is the only module that parses arguments. All user-facing text is Dutch. Every refusal or
failure is a :class:`macros.store.errors.KompasError`: :func:`main` prints it in one format
(``kompas <opdracht>: CODE fout: melding`` and a ``hint:`` line) and exits with its exit code; the
table of exit codes per command is macros/cli/exits.py.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..content.cache import validation_cache_dir
from ..content.diagnostics import format_report, to_json
from ..content.layout import Layout
from ..content.locate import format_for_editors
from ..content.vocabulary import DOELGROEPEN, KERNWAARDEN, MODULE_SOORTEN
from ..store.errors import (
    ContentError,
    KompasError,
    OperationFailed,
    PathRefused,
    UsageError,
    os_problem,
    path_refused,
    write_failed,
)
from ..store.keys import cache_root
from ..store.text import shortened, visible
from ..verdict import validate_project
from . import argparse_nl, exits


def _of(values) -> str:
    """'a, b of c': a list of choices as a Dutch help text."""
    return f"{', '.join(values[:-1])} of {values[-1]}"


def find_root(start: Path) -> Path:
    """The project root: the nearest folder upwards that holds mkdocs.yml or themabladen/*.yaml, else
    the nearest that holds themabladen/."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    folders = (start, *start.parents)
    # content/pages/ has a folder themabladen/ of its own (the pages of that tab, Markdown): a project's
    # themabladen/ holds YAML, or the project has a mkdocs.yml
    for folder in folders:
        if (folder / "mkdocs.yml").is_file() or any((folder / "themabladen").glob("*.yaml")):
            return folder
    for folder in folders:
        if (folder / "themabladen").is_dir():
            return folder
    return start


def project_root(args, start: Path | None = None, *, writes: bool = False) -> Path:
    """The project of a command: ``--map`` (which must exist; a command that writes into the project
    refuses one inside a source folder), or the folder found from ``start`` or the working folder."""
    from ..store.paths import enclosing_source_folder

    raw = getattr(args, "map", None)
    if not raw:
        return find_root(start or Path.cwd())
    try:
        os.stat(raw)
    except FileNotFoundError:
        raise UsageError(f"de map '{shortened(raw)}' bestaat niet.") from None
    except OSError as error:  # too long, a file on the way, a loop of links: the errno class of paths
        raise path_refused(error, raw) from None
    if not Path(raw).is_dir():
        raise UsageError(f"--map '{shortened(raw)}' is geen map.")
    if writes and (inside := enclosing_source_folder(Path(raw))) is not None:
        raise PathRefused(
            f"--map '{shortened(raw)}' ligt in de bronmap {inside[1]}/ van het project {inside[0]}. "
            "Geef de projectmap zelf (de map met mkdocs.yml)."
        )
    return Path(raw).resolve() if writes else Path(raw)


def report(result, stream, *, files: set[str] | None = None, fmt: str = "tekst") -> None:
    """Print diagnostics the way both the CLI and the build show them."""
    diagnostics = result.for_files(files) if files is not None else result.diagnostics
    if fmt == "json":
        print(to_json(list(diagnostics)), file=stream)
        return
    scope = f"{len(files)} bestand(en)" if files is not None else f"{len(result.documents)} bestanden"
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if fmt == "redacteur":  # the item (its title) and the field first: make inhoud
        print(format_for_editors(list(diagnostics), result.documents, scope, github=github), file=stream)
        return
    print(format_report(diagnostics, scope, github=github), file=stream)


def _selected_files(paths: list[str], root: Path) -> set[str] | None:
    if not paths:
        return None
    layout = Layout(root)
    selected: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # everything below it: also broken links and stray subfolders get reported
            selected.update(layout.relative(p) for p in path.rglob("*") if p.is_file() or p.is_symlink() or p.is_dir())
        else:
            selected.add(layout.relative(path))
    return selected


def _inside(path: Path, root: Path) -> bool:
    folder = path.parent.resolve() / path.name
    return folder == root.resolve() or root.resolve() in folder.parents


def warn(prog: str, message: str) -> None:
    print(f"kompas {prog}: waarschuwing: {visible(message)}", file=sys.stderr)


def usable_cache(root: Path, prog: str) -> Path | None:
    """The cache folder of ``root`` when its validation cache is usable, else None (with a warning:
    a read-only project or cache folder). A ``KOMPAS_CACHE_DIR`` that breaks the folder rule is
    refused (:class:`PathRefused`)."""
    from ..store.entries import usable_cache_dir
    from ..store.paths import check_cache_dir, enclosing_source_folder

    configured = os.environ.get("KOMPAS_CACHE_DIR")
    if configured:
        check_cache_dir(configured, root)
    elif (inside := enclosing_source_folder(root)) is not None:
        warn(
            prog,
            f"de projectmap ligt in de bronmap {inside[1]}/ van {inside[0]}; daar schrijft Kompas geen "
            "cache. Ik controleer zonder cache.",
        )
        return None
    folder = validation_cache_dir(root)
    problem = usable_cache_dir(folder)
    if problem:
        warn(
            prog,
            f"de cache in {folder} is niet te schrijven ({problem}); ik controleer zonder cache "
            "(de uitkomst is dezelfde, alleen trager).",
        )
        return None
    return cache_root(root)


def check_ids(options: dict) -> None:
    """Values that become (part of) a file name or are matched against ids: the schema's id pattern."""
    from ..content.schema import name_rule
    from ..store.paths import check_id

    for option, values in options.items():
        for value in values or ():
            check_id(value, option, name_rule("id"))


def _report_refused(result, prog: str, what: str) -> None:
    """Content with errors refuses a command that makes something of it: the report, then the refusal."""
    report(result, sys.stderr)
    raise ContentError(
        f"de inhoud heeft fouten; los die eerst op (zie hierboven). {what}",
        hint="Elke melding hierboven noemt bestand, regel en kolom, een code en een hint.",
    )


# -- the commands -------------------------------------------------------------------------------------


def cmd_valideer(args) -> int:
    missing = [raw for raw in args.paden if not os.path.lexists(raw)]  # a broken link exists: it gets a diagnostic
    if missing:
        raise UsageError(" ".join(f"'{shortened(raw)}' bestaat niet." for raw in missing))
    start = Path(args.paden[0]) if args.paden else Path.cwd()
    root = project_root(args, start)
    outside = [raw for raw in args.paden if not _inside(Path(raw), root)]
    if outside:
        raise UsageError(
            " ".join(f"'{shortened(raw)}' ligt buiten de projectmap '{shortened(root)}'." for raw in outside)
        )
    if args.program:
        # The `kompas` program validates and exits: the cyclic garbage collector would only
        # walk the (cycle-free) loaded corpus once more after validation, for nothing.
        gc.disable()
    cache = None if args.zonder_cache else usable_cache(root, "valideer")
    result = validate_project(root, cache_root=cache)
    files = _selected_files(args.paden, root)
    report(result, sys.stdout, files=files, fmt=args.formaat)
    shown = result.for_files(files) if files is not None else result.diagnostics
    return exits.ExitCode.CONTENT if any(d.is_error for d in shown) else exits.ExitCode.OK


def cmd_kaarten(args) -> int:
    from ..printing import cards  # WeasyPrint is loaded only for this command
    from ..store.paths import check_pdf_out

    root = project_root(args).resolve()
    check_ids({"--themablad": args.themablad, "--module": args.module, "--id": args.id})
    out = check_pdf_out(args.uit, root)
    result = validate_project(root, cache_root=usable_cache(root, "kaarten"))
    if not result.ok:
        _report_refused(result, "kaarten", "Er is geen PDF gemaakt.")
    selectie = cards.Selectie(
        tuple(args.themablad or ()),
        tuple(args.module or ()),
        tuple(args.kernwaarde or ()),
        tuple(args.doelgroep or ()),
        tuple(args.id or ()),
    )
    items = cards.select(result.corpus, selectie)
    try:
        deck = _write_deck(cards, result.corpus, items, selectie, out, args, root)
    except OSError as error:
        raise os_problem(error, args.uit, f"kan '{shortened(args.uit)}' niet schrijven") from None
    print(
        f"{deck.aantal} {'kaart' if deck.aantal == 1 else 'kaarten'} op {deck.paginas} pagina's "
        f"({deck.formaat.upper()}) geschreven naar {visible(args.uit)}."
    )
    return exits.ExitCode.OK


def _write_deck(cards, corpus, items, selectie, out: Path, args, root: Path):
    """The deck, written beside the target and renamed over it when complete: an interrupted run never
    leaves half a PDF, and the path is checked once more right before it is replaced."""
    from ..store.atomic import WRITING, new_file, remove_dead_writers, replace_file, writing_prefix
    from ..store.paths import check_pdf_out

    remove_dead_writers(out.parent, f"{WRITING}*-*.pdf.tmp")
    handle, temporary = new_file(out.parent, writing_prefix(), ".pdf.tmp")  # with the umask's mode
    os.close(handle)
    try:
        deck = cards.render_deck(
            corpus,
            items,
            temporary,
            args.formaat,
            cards.deck_title(corpus, selectie),
            site_url=cards.configured_site_url(root),
        )
        check_pdf_out(args.uit, root)
        replace_file(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return deck


def cmd_bouw(args) -> int:
    from ..site.build import build_site
    from ..store.paths import check_cache_dir

    root = project_root(args, writes=True)
    if os.environ.get("KOMPAS_CACHE_DIR"):
        check_cache_dir(os.environ["KOMPAS_CACHE_DIR"], root)
    target = build_site(
        root, Path(args.uit) if args.uit else None, verbose=args.uitgebreid, decks=not args.zonder_kaarten
    )
    zonder = " (zonder kaarten, draaiboeken en handouts)" if args.zonder_kaarten else ""
    print(f"Site gebouwd in {visible(target)}{zonder}.")
    return exits.ExitCode.OK


def cmd_redactie(args) -> int:
    """`make redactie`: the browser editor against the working copy (macros/site/redactie_lokaal.py).
    Ends with 0 when stopped with Ctrl-C (or SIGTERM) while the editor runs: that is how it stops."""
    from ..site import redactie_lokaal
    from ..store.paths import check_cache_dir

    root = project_root(args, writes=True)
    if os.environ.get("KOMPAS_CACHE_DIR"):
        check_cache_dir(os.environ["KOMPAS_CACHE_DIR"], root)
    return redactie_lokaal.run(root, args.poort)


def cmd_publiceer(args) -> int:
    """`make deploy`: mike builds the version on a scratch branch; gh-pages moves in one step at the end."""
    from .publish import check_names, publish

    check_names(args.versie, args.alias or ())  # before anything runs (no validation, no lock, no git)
    root = project_root(args, writes=True)
    result = validate_project(root, cache_root=usable_cache(root, "publiceer"))
    if not result.ok:
        _report_refused(result, "publiceer", "De branch gh-pages is niet veranderd.")
    listing = publish(root, args.versie, args.alias or ())
    print(f"Versie {args.versie} staat in de branch gh-pages (niet gepusht). Versies:\n{visible(listing)}".rstrip())
    return exits.ExitCode.OK


def cmd_nieuw(args) -> int:
    from ..editor import scaffold

    root = project_root(args, writes=True)
    _check_new_names(args, scaffold)
    bron = {"bron": args.bron}
    try:
        if args.soort_item == "themablad":
            created = scaffold.new_themablad(root, args.titel, item_id=args.item_id, **bron)
        elif args.soort_item == "dilemma":
            created = scaffold.new_dilemma(
                root, args.titel, args.themablad, onderwerpen=args.onderwerp, item_id=args.item_id, **bron
            )
        elif args.soort_item == "uitspraak":
            created = scaffold.new_uitspraak(root, args.ecli, **bron)
        elif args.soort_item == "onderwerp":
            created = scaffold.new_onderwerp(root, args.titel, item_id=args.item_id, **bron)
        else:
            created = scaffold.new_module(
                root,
                args.module_soort,
                args.titel,
                themabladen=args.themablad,
                onderwerpen=args.onderwerp,
                item_id=args.item_id,
                **bron,
            )
    except OSError as error:
        raise write_failed(error, "het nieuwe bestand kan niet geschreven worden") from None
    print(f"Nieuw bestand: {created.relative}")
    if created.todo_lines:
        print(f"Vul de TODO's in op regel {', '.join(map(str, created.todo_lines))}, en controleer met:")
        print(f"  kompas valideer {created.relative}")
    if args.soort_item == "uitspraak":
        print(
            f"Haal de uitspraak daarna aan: zet {created.item_id} onder 'casuistiek' van een themablad "
            "of onder 'uitspraken' van een dilemma."
        )
    elif args.soort_item == "dilemma":
        print(f"Bekijk daarna de dilemmakaart: kompas kaarten --id {created.item_id}")
    return exits.ExitCode.OK


def _check_new_names(args, scaffold) -> None:
    """Every value that becomes a file name, before any path is built."""
    from ..content.schema import name_rule
    from ..store.paths import check_ecli_value, check_id

    if args.soort_item == "uitspraak":
        scaffold.check_ecli(args.ecli)  # the validator's own SCHEMA-ECLI message first
        check_ecli_value(args.ecli, name_rule("ecli", "uitspraak"))
    elif args.item_id is not None:
        check_id(args.item_id, "--id", name_rule("id"))
    elif derived := scaffold.slugify(args.titel):  # an empty one gets scaffold's own message
        check_id(derived, "het id uit de titel,", name_rule("id"))
    check_ids({"--themablad": getattr(args, "themablad", None), "--onderwerp": getattr(args, "onderwerp", None)})


def cmd_spelling(args) -> int:
    from ..editor.spelling import check

    start = Path(args.paden[0]) if args.paden else Path.cwd()
    root = project_root(args, start)
    result = check(root, [Path(p) for p in args.paden] or None)
    report(result, sys.stdout, fmt=args.formaat)
    return exits.ExitCode.CONTENT if args.streng and result.diagnostics else exits.ExitCode.OK


def cmd_documenteer(args) -> int:
    from ..editor import contributing

    root = project_root(args, writes=not args.controleer)
    documents: list[tuple[str, Callable[..., str]]] = [(contributing.FILE_NAME, contributing.updated)]
    if (root / exits.FILE_NAME).is_file():  # (a project without Kompas's own docs has only the guide)
        documents.append((exits.FILE_NAME.as_posix(), _exits_updated))
    stale = []
    for name, update in documents:
        path = root / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise OperationFailed(f"{name} is niet te lezen ({error.strerror or error}).", code="SCHRIJVEN") from None
        new = update(text)
        if new == text:
            continue
        stale.append(name)
        if not args.controleer:
            try:
                path.write_text(new, encoding="utf-8")
            except OSError as error:
                raise write_failed(error, f"{name} kan niet geschreven worden") from None
    if args.controleer:
        if stale:
            raise ContentError(
                f"{' en '.join(stale)} {'is' if len(stale) == 1 else 'zijn'} niet actueel.", code="DOCUMENTATIE"
            )
        print(f"{' en '.join(name for name, _ in documents)} zijn actueel.")
    else:
        print(
            f"{' en '.join(stale)} bijgewerkt."
            if stale
            else f"{' en '.join(name for name, _ in documents)} waren al actueel."
        )
    return exits.ExitCode.OK


def _exits_updated(text: str) -> str:
    try:
        return exits.updated(text)
    except ValueError as error:
        raise ContentError(str(error), code="DOCUMENTATIE") from None


argparse_nl.install()  # argparse's own texts in Dutch (only this module parses arguments)


class _DutchParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)  # the exit code tables
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # argparse's own messages, translated above
        self.print_usage(sys.stderr)
        self.exit(int(exits.ExitCode.USAGE), _format(self.prog, UsageError(message)) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(
        prog="kompas",
        description="Kompas: controleer en bouw de integriteitssite van de politie.",
        epilog=exits.general_help(),
    )
    commands = parser.add_subparsers(dest="opdracht", title="opdrachten", metavar="OPDRACHT", parser_class=_DutchParser)
    _valideer_parser(commands)
    _kaarten_parser(commands)
    _bouw_parser(commands)
    _publiceer_parser(commands)
    _redactie_parser(commands)
    _nieuw_parser(commands)
    _spelling_parser(commands)
    _documenteer_parser(commands)
    return parser


def _valideer_parser(commands) -> None:
    valideer = commands.add_parser(
        "valideer",
        epilog=exits.command_help("valideer"),
        help="controleer alle inhoud (of alleen de genoemde bestanden, in de context van het geheel)",
        description="Controleer de inhoud. Zonder PAD: alles. Met PAD: alleen problemen in die bestanden, "
        "maar verwijzingen worden tegen de hele inhoud gecontroleerd.",
    )
    valideer.add_argument("paden", nargs="*", metavar="PAD", help="bestand of map om te tonen")
    valideer.add_argument(
        "--formaat",
        choices=["tekst", "json", "redacteur"],
        default="tekst",
        help="uitvoer als tekst, als JSON, of voor redacteuren: per melding eerst het item (zijn "
        "titel) en het veld, dan bestand:regel (make inhoud)",
    )
    valideer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf PAD of de huidige map)")
    valideer.add_argument(
        "--zonder-cache",
        action="store_true",
        help="controleer alles opnieuw, zonder de tussenresultaten in .cache/valideren "
        "(de uitkomst is dezelfde, alleen trager)",
    )
    valideer.set_defaults(func=cmd_valideer)


def _kaarten_parser(commands) -> None:
    kaarten = commands.add_parser(
        "kaarten",
        epilog=exits.command_help("kaarten"),
        help="maak een PDF met dilemmakaarten om te printen",
        description="Maak een PDF met dilemmakaarten. A4: vier kaarten per vel met snijtekens, elk vel voorkanten "
        "gevolgd door de achterkanten (dubbelzijdig printen, omslaan over de lange zijde). A5: één kaart "
        "per pagina. Selecties van verschillende soorten moeten allemaal kloppen; een optie die vaker "
        "voorkomt betekent 'of'. Zonder selectie: alle dilemma's.",
    )
    kaarten.add_argument("--uit", required=True, metavar="PAD.pdf", help="het PDF-bestand dat gemaakt wordt")
    kaarten.add_argument(
        "--formaat",
        choices=["a4", "a5"],
        default="a4",
        help="a4: vier kaarten per vel (standaard); a5: één kaart per pagina",
    )
    kaarten.add_argument("--themablad", action="append", metavar="ID", help="dilemma's bij dit themablad (mag vaker)")
    kaarten.add_argument(
        "--module",
        action="append",
        metavar="ID",
        help="dilemma's die deze module gebruikt, ook in de onderdelen (mag vaker)",
    )
    kaarten.add_argument("--kernwaarde", action="append", metavar="WAARDE", help=f"{_of(KERNWAARDEN)} (mag vaker)")
    kaarten.add_argument("--doelgroep", action="append", metavar="GROEP", help=f"{_of(DOELGROEPEN)} (mag vaker)")
    kaarten.add_argument("--id", action="append", metavar="ID", help="een dilemma met dit id (mag vaker)")
    kaarten.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    kaarten.set_defaults(func=cmd_kaarten)


def _bouw_parser(commands) -> None:
    bouw = commands.add_parser(
        "bouw",
        epilog=exits.command_help("bouw"),
        help="controleer de inhoud en bouw de site (streng); vervangt site/ alleen als alles lukt",
        description="Bouw de site in een tijdelijke map en vervang de oude site pas als de bouw helemaal gelukt is.",
    )
    bouw.add_argument("--uit", help="doelmap (standaard: site/ in de projectmap)")
    bouw.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    bouw.add_argument(
        "--uitgebreid",
        action="store_true",
        help="toon ook alle meldingen van de site-engine (MkDocs, in het Engels), zoals ze komen",
    )
    bouw.add_argument(
        "--zonder-kaarten",
        action="store_true",
        help="maak geen dilemmakaarten, draaiboeken en handouts (PDF's); de rest is dezelfde strenge "
        "bouw met dezelfde controle van de inhoud (make inhoud)",
    )
    bouw.set_defaults(func=cmd_bouw)


def _publiceer_parser(commands) -> None:
    publiceer = commands.add_parser(
        "publiceer",
        epilog=exits.command_help("publiceer"),
        help="zet een versie van de site in de branch gh-pages (make deploy)",
        description="Bouw de site streng en zet hem met mike als versie in de lokale branch gh-pages. De branch "
        "verandert pas als alles gelukt is, in één stap; er wordt nooit gepusht.",
    )
    publiceer.add_argument("versie", metavar="VERSIE", help="de versie, bijvoorbeeld 1.2")
    publiceer.add_argument("--alias", action="append", metavar="ALIAS", help="een alias, bijvoorbeeld latest")
    publiceer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    publiceer.set_defaults(func=cmd_publiceer)


def _redactie_parser(commands) -> None:
    redactie = commands.add_parser(
        "redactie",
        epilog=exits.command_help("redactie"),
        help="de browsereditor tegen deze werkmap (make redactie); stoppen met Ctrl-C",
        description="Bouw de site met de editor, start de lokale opslag (decap-server, Node) en serveer beide op "
        "127.0.0.1. Opslaan in de editor schrijft de bestanden in deze werkmap.",
    )
    redactie.add_argument(
        "--poort", type=int, default=8100, metavar="POORT", help="de poort (standaard 8100; 0: een vrije)"
    )
    redactie.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    redactie.set_defaults(func=cmd_redactie)


def _nieuw_parser(commands) -> None:
    # -- editor workflow: kompas nieuw / spelling / documenteer (macros/editor/scaffold.py, spelling.py, contributing.py)
    nieuw = commands.add_parser(
        "nieuw",
        epilog=exits.command_help("nieuw"),
        help="maak een nieuw themablad, dilemma, uitspraak, module of onderwerp om in te vullen",
        description="Schrijf een nieuw bestand met uitleg bij elk veld en TODO waar jij nog iets invult. "
        "Overschrijft nooit een bestaand bestand.",
    )
    soorten = nieuw.add_subparsers(
        dest="soort_item", title="soorten", metavar="SOORT", parser_class=_DutchParser, required=True
    )

    def kind(name: str, help_text: str, *, met_titel: bool = True, met_id: bool = True):
        sub = soorten.add_parser(name, help=help_text, description=help_text, epilog=exits.command_help("nieuw"))
        if met_titel:
            sub.add_argument("titel", metavar="TITEL", help="de titel, tussen aanhalingstekens; het id volgt eruit")
        if met_id:
            sub.add_argument(
                "--id",
                dest="item_id",
                metavar="ID",
                help="kies zelf het id in plaats van het af te leiden uit de titel",
            )
        sub.add_argument(
            "--bron",
            metavar="ID",
            help="het id van de bron uit content/bronnen.yaml waar het item op steunt, of redactie "
            "(eigen tekst van de redactie); zonder deze optie vraagt het bestand erom",
        )
        sub.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
        sub.set_defaults(func=cmd_nieuw)
        return sub

    kind("themablad", "een nieuw themablad in themabladen/")
    dilemma = kind("dilemma", "een nieuw dilemma in content/dilemmas/, bij een of meer themabladen of onderwerpen")
    dilemma.add_argument(
        "--themablad", action="append", metavar="ID", help="id van het themablad waar het dilemma bij hoort (mag vaker)"
    )
    dilemma.add_argument(
        "--onderwerp",
        action="append",
        metavar="ID",
        help="id van het onderwerp waar het dilemma bij hoort (mag vaker); "
        "geef minstens één --themablad of --onderwerp",
    )
    uitspraak = kind("uitspraak", "een nieuwe uitspraak in content/uitspraken/", met_titel=False, met_id=False)
    uitspraak.add_argument("ecli", metavar="ECLI", help="de ECLI, bijvoorbeeld ECLI:NL:CRVB:2014:3729")
    module = kind("module", "een nieuwe module in modules/", met_titel=False)
    module.add_argument("module_soort", metavar="SOORT", choices=MODULE_SOORTEN, help=_of(MODULE_SOORTEN))
    module.add_argument("titel", metavar="TITEL", help="de titel, tussen aanhalingstekens; het id volgt eruit")
    module.add_argument("--themablad", action="append", metavar="ID", help="id van een themablad dat aan bod komt")
    module.add_argument(
        "--onderwerp", action="append", metavar="ID", help="id van een onderwerp waar de module bij hoort (mag vaker)"
    )
    kind("onderwerp", "een nieuw onderwerp in content/onderwerpen/ (een pagina onder Inclusie)")


def _spelling_parser(commands) -> None:
    spelling = commands.add_parser(
        "spelling",
        epilog=exits.command_help("spelling"),
        help="controleer de spelling van gepubliceerde tekst (waarschuwingen)",
        description="Nederlandse spellingcontrole met hunspell. Goede vaktermen zet je in content/woordenlijst.txt.",
    )
    spelling.add_argument("paden", nargs="*", metavar="PAD", help="bestand of map (standaard: alle inhoud)")
    spelling.add_argument("--formaat", choices=["tekst", "json"], default="tekst", help="uitvoer als tekst of als JSON")
    spelling.add_argument("--streng", action="store_true", help="stop met code 1 als er spelfouten zijn")
    spelling.add_argument("--map", help="de projectmap (standaard: gevonden vanaf PAD of de huidige map)")
    spelling.set_defaults(func=cmd_spelling)


def _documenteer_parser(commands) -> None:
    documenteer = commands.add_parser(
        "documenteer",
        epilog=exits.command_help("documenteer"),
        help="werk de gegenereerde lijsten bij: de foutcodes in CONTRIBUTING.md, de exitcodes in docs/errors.md",
        description="Schrijf de lijst met alle foutcodes (uit macros/content/diagnostics.py) in CONTRIBUTING.md en "
        "de tabel met exitcodes (uit macros/cli/exits.py) in docs/errors.md.",
    )
    documenteer.add_argument(
        "--controleer",
        action="store_true",
        help="schrijf niets; stop met code 1 als een gegenereerde lijst niet actueel is",
    )
    documenteer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    documenteer.set_defaults(func=cmd_documenteer)


def _format(prog: str, error: KompasError) -> str:
    """The one format of a refusal or failure: ``<prog>: CODE fout: melding`` and a hint line; nothing in
    it that a terminal acts on (a path or a value from content may hold a control character)."""
    text = f"{prog}: {error.code} fout: {visible(error.message)}"
    return text + (f"\n    hint: {visible(error.hint)}" if error.hint else "")


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code (macros/cli/exits.py)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # wrong use: argparse prints the usage and exits with 2
    if not getattr(args, "func", None):
        parser.print_help()
        return exits.ExitCode.USAGE
    args.program = argv is None  # run as the `kompas` program (a short-lived process), not called in-process
    prog = f"kompas {args.opdracht}"
    try:
        return int(args.func(args))
    except KompasError as error:
        print(_format(prog, error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_format(prog, OperationFailed("onderbroken.", code="ONDERBROKEN")), file=sys.stderr)
        return exits.ExitCode.INTERRUPTED
    except OSError as error:  # a path or write that failed where no command expected it: still no traceback
        problem = os_problem(error, str(error.filename or ""), "de opdracht kon niet afgemaakt worden")
        print(_format(prog, problem), file=sys.stderr)
        return problem.exit_code


def program() -> None:
    """The `kompas` program: :func:`main`, and then the process ends without tearing the interpreter
    down. A build leaves a heap of a few hundred MB that Python would free object by object before
    the process ends (about 0.4 s of CPU after a build at 10x the starter corpus) while nobody waits
    for it. What an ordinary exit does that matters still happens, in the same order: other threads
    are waited for, the exit handlers run (logging, WeasyPrint's font folders) and the output is
    flushed."""
    import atexit
    import threading

    code = main()
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":  # pragma: no cover
    program()
