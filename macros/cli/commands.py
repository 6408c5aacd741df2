"""The command line: `kompas valideer`, and the other subcommands.

This is the only module that parses arguments. All user-facing text is Dutch.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from . import argparse_nl
from ..content.cache import validation_cache_dir
from ..content.diagnostics import format_report, to_json
from ..content.layout import Layout
from ..content.validate import validate_corpus
from ..content.vocabulary import DOELGROEPEN, KERNWAARDEN, MODULE_SOORTEN


def _of(values) -> str:
    """'a, b of c': a list of choices as a Dutch help text."""
    return f"{', '.join(values[:-1])} of {values[-1]}"


def find_root(start: Path) -> Path:
    """The project root: the nearest folder upwards that holds mkdocs.yml or themabladen/."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "themabladen").is_dir():
            return folder
    return start


def report(result, stream, *, files: set[str] | None = None, fmt: str = "tekst") -> None:
    """Print diagnostics the way both the CLI and the build show them."""
    diagnostics = result.for_files(files) if files is not None else result.diagnostics
    if fmt == "json":
        print(to_json(list(diagnostics)), file=stream)
        return
    scope = f"{len(files)} bestand(en)" if files is not None else f"{len(result.documents)} bestanden"
    print(format_report(diagnostics, scope, github=os.environ.get("GITHUB_ACTIONS") == "true"), file=stream)


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


def _refused(prog: str, message: str) -> int:
    """A refusal: nothing was touched; exit code 2."""
    print(f"kompas {prog}: fout: {message}", file=sys.stderr)
    return 2


def _cache_root(root: Path, prog: str):
    """The validation cache folder for ``root``: ``(folder or None, refusal exit code or None)``.

    A ``KOMPAS_CACHE_DIR`` that breaks the folder rule is refused (exit 2); a cache folder
    that cannot be written (a read-only project or cache) gives a warning and no cache.
    """
    from ..content.cache import usable_cache_dir
    from ..content.paths import PathRefused, check_cache_dir, enclosing_source_folder

    configured = os.environ.get("KOMPAS_CACHE_DIR")
    if configured:
        try:
            check_cache_dir(configured, root)
        except PathRefused as error:
            return None, _refused(prog, str(error))
    else:
        inside = enclosing_source_folder(root)
        if inside is not None:
            print(f"kompas {prog}: waarschuwing: de projectmap ligt in de bronmap {inside[1]}/ van {inside[0]}; "
                  "daar schrijft Kompas geen cache. Ik controleer zonder cache.", file=sys.stderr)
            return None, None
    folder = validation_cache_dir(root)
    problem = usable_cache_dir(folder)
    if problem:
        print(f"kompas {prog}: waarschuwing: de cache in {folder} is niet te schrijven ({problem}); "
              "ik controleer zonder cache (de uitkomst is dezelfde, alleen trager).", file=sys.stderr)
        return None, None
    return folder, None


def _map_refused(prog: str, raw: str | None) -> int | None:
    """``--map`` of a command that writes into the project: an existing folder outside any source folder."""
    from ..content.paths import enclosing_source_folder

    if not raw:
        return None
    if not Path(raw).is_dir():
        return _refused(prog, f"de map '{raw}' bestaat niet.")
    inside = enclosing_source_folder(Path(raw))
    if inside is not None:
        return _refused(prog, f"--map '{raw}' ligt in de bronmap {inside[1]}/ van het project {inside[0]}. "
                              "Geef de projectmap zelf (de map met mkdocs.yml).")
    return None


def _ids_refused(prog: str, options: dict) -> int | None:
    """Values that become (part of) a file name or are matched against ids: the schema's id pattern."""
    from ..content.paths import PathRefused, check_id

    for option, values in options.items():
        for value in values or ():
            try:
                check_id(value, option)
            except PathRefused as error:
                return _refused(prog, str(error))
    return None


def cmd_valideer(args) -> int:
    missing = [raw for raw in args.paden if not os.path.lexists(raw)]  # a broken link exists: it gets a diagnostic
    if args.map and not Path(args.map).is_dir():
        missing.append(args.map)
    if missing:
        for raw in missing:
            print(f"kompas valideer: fout: '{raw}' bestaat niet.", file=sys.stderr)
        return 2
    start = Path(args.paden[0]) if args.paden else Path.cwd()
    root = Path(args.map) if args.map else find_root(start)
    outside = [raw for raw in args.paden if not _inside(Path(raw), root)]
    if outside:
        for raw in outside:
            print(f"kompas valideer: fout: '{raw}' ligt buiten de projectmap '{root}'.", file=sys.stderr)
        return 2
    if getattr(args, "program", False):
        # The `kompas` program validates and exits: the cyclic garbage collector would only
        # walk the (cycle-free) loaded corpus once more after validation, for nothing.
        gc.disable()
    cache_dir = None
    if not args.zonder_cache:
        cache_dir, refused = _cache_root(root, "valideer")
        if refused is not None:
            return refused
    result = validate_corpus(root, cache_dir=cache_dir)
    files = _selected_files(args.paden, root)
    report(result, sys.stdout, files=files, fmt=args.formaat)
    shown = result.for_files(files) if files is not None else result.diagnostics
    return 1 if any(d.is_error for d in shown) else 0


def cmd_kaarten(args) -> int:
    from ..printing import cards  # WeasyPrint is loaded only for this command

    if args.map and not Path(args.map).is_dir():
        print(f"kompas kaarten: fout: de map '{args.map}' bestaat niet.", file=sys.stderr)
        return 1
    from ..content.paths import PathRefused, check_pdf_out

    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    refused = _ids_refused("kaarten", {"--themablad": args.themablad, "--module": args.module, "--id": args.id})
    if refused is not None:
        return refused
    try:
        out = check_pdf_out(args.uit, root)
    except PathRefused as error:
        return _refused("kaarten", str(error))
    cache_dir, refused = _cache_root(root, "kaarten")
    if refused is not None:
        return refused
    result = validate_corpus(root, cache_dir=cache_dir)
    if not result.ok:
        report(result, sys.stderr)
        print("kompas kaarten: fout: de inhoud heeft fouten; los die eerst op (zie hierboven). "
              "Er is geen PDF gemaakt.", file=sys.stderr)
        return 1
    selectie = cards.Selectie(tuple(args.themablad or ()), tuple(args.module or ()), tuple(args.kernwaarde or ()),
                              tuple(args.doelgroep or ()), tuple(args.id or ()))
    import tempfile

    from ..content.atomic import WRITING, ordinary_mode, remove_dead_writers, replace_file, writing_prefix

    temporary = None
    try:
        items = cards.select(result.corpus, selectie)
        # Written beside the target and renamed over it when complete: an interrupted run never
        # leaves half a PDF, and the file is checked once more right before it is replaced.
        remove_dead_writers(out.parent, f"{WRITING}*-*.pdf.tmp")
        handle, temporary = tempfile.mkstemp(prefix=writing_prefix(), suffix=".pdf.tmp", dir=out.parent)
        os.close(handle)
        deck = cards.render_deck(result.corpus, items, Path(temporary), args.formaat,
                                 cards.deck_title(result.corpus, selectie),
                                 site_url=cards.configured_site_url(root))
        check_pdf_out(args.uit, root)
        ordinary_mode(Path(temporary))  # a PDF like any other, not mkstemp's 0600
        replace_file(Path(temporary), out)
        temporary = None
    except PathRefused as error:
        return _refused("kaarten", str(error))
    except cards.KaartFout as error:
        print(f"kompas kaarten: fout: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"kompas kaarten: fout: kan '{args.uit}' niet schrijven ({error.strerror or error}).", file=sys.stderr)
        return 1
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    print(f"{deck.aantal} {'kaart' if deck.aantal == 1 else 'kaarten'} op {deck.paginas} pagina's "
          f"({deck.formaat.upper()}) geschreven naar {args.uit}.")
    return 0


def cmd_bouw(args) -> int:
    from ..content.atomic import Busy
    from ..site.build import BuildFailed, build_site
    from ..content.paths import PathRefused, check_cache_dir

    refused = _map_refused("bouw", args.map)
    if refused is not None:
        return refused
    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    if os.environ.get("KOMPAS_CACHE_DIR"):
        try:
            check_cache_dir(os.environ["KOMPAS_CACHE_DIR"], root)
        except PathRefused as error:
            return _refused("bouw", str(error))
    try:
        target = build_site(root, Path(args.uit) if args.uit else None)
    except PathRefused as error:
        return _refused("bouw", f"{error} Er is niets gebouwd of verwijderd.")
    except Busy as error:
        return _refused("bouw", _busy(error))
    except BuildFailed as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"Site gebouwd in {target}.")
    return 0


def cmd_redactie(args) -> int:
    """`make redactie`: the browser editor against the working copy (macros/site/redactie_lokaal.py)."""
    from ..site import redactie_lokaal

    refused = _map_refused("redactie", args.map)
    if refused is not None:
        return refused
    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    return redactie_lokaal.run(root, args.poort)


def _busy(error) -> str:
    holder = f" (proces {error})" if str(error).isdigit() else ""
    return (f"er draait al een bouw of publicatie in deze projectmap{holder}. Wacht tot die klaar is en "
            "probeer het dan opnieuw; er is niets veranderd.")


def cmd_publiceer(args) -> int:
    """`make deploy`: mike builds the version on a scratch branch; gh-pages moves in one step at the end."""
    import re
    import shutil
    import subprocess
    import tempfile

    from ..content.atomic import Busy, ProjectLock

    refused = _map_refused("publiceer", args.map)
    if refused is not None:
        return refused
    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    for value in (args.versie, *(args.alias or ())):
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}", value) or ".." in value:
            return _refused("publiceer", f"{value!r} is geen geldige versie of alias: gebruik letters, cijfers, "
                                         "punten, streepjes en liggende streepjes, bijvoorbeeld 1.2 of latest.")
    bin_dir = Path(sys.executable).parent
    mike = shutil.which("mike", path=str(bin_dir)) or "mike"

    def git(*command, check=True):
        return subprocess.run(["git", "-C", str(root), *command], capture_output=True, text=True, check=check)

    scratch = "refs/heads/kompas-publiceren"
    try:
        with ProjectLock(root) as lock:
            # the build folder lives beside the lock, so that the next release removes what an
            # interrupted one left behind (under the lock, nothing else uses it)
            for leftover in lock.path.parent.glob("publiceren-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            for leftover in root.glob("mike-mkdocs*.yml"):  # mike's copy of mkdocs.yml with its plugin
                if "mike" in leftover.read_text(encoding="utf-8", errors="replace"):
                    leftover.unlink(missing_ok=True)
            with tempfile.TemporaryDirectory(prefix="publiceren-", dir=lock.path.parent) as temporary:
                code = _publish(args, root, Path(temporary), scratch, mike, bin_dir, git)
    except Busy as error:
        return _refused("publiceer", _busy(error))
    except subprocess.CalledProcessError as error:
        print(f"kompas publiceer: fout: git gaf een fout ({(error.stderr or '').strip()}); "
              "de branch gh-pages is niet veranderd.", file=sys.stderr)
        return 1
    if code:
        return code
    listing = subprocess.run([mike, "list"], cwd=root, capture_output=True, text=True).stdout
    print(f"Versie {args.versie} staat in de branch gh-pages (niet gepusht). Versies:\n{listing}".rstrip())
    return 0


def _publish(args, root: Path, temporary: Path, scratch: str, mike: str, bin_dir: Path, git) -> int:
    """mike on the scratch branch, then gh-pages moved to it in one compare-and-swap."""
    import subprocess

    env = dict(os.environ, KOMPAS_SITE_DIR=str(Path(temporary) / "site"),
               PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    old = git("rev-parse", "--verify", "-q", "refs/heads/gh-pages", check=False).stdout.strip()
    git("update-ref", "-d", scratch, check=False)  # left by an interrupted release
    if old:
        git("update-ref", scratch, old)
    steps = [[mike, "deploy", "-b", "kompas-publiceren", "--update-aliases", args.versie, *(args.alias or ())]]
    if "latest" in (args.alias or ()):
        steps.append([mike, "set-default", "-b", "kompas-publiceren", "--allow-empty", "latest"])
    for step in steps:
        if subprocess.run(step, cwd=root, env=env).returncode != 0:
            git("update-ref", "-d", scratch, check=False)
            print("kompas publiceer: fout: de bouw of mike is mislukt (zie hierboven); "
                  "de branch gh-pages is niet veranderd.", file=sys.stderr)
            return 1
    new = git("rev-parse", "--verify", scratch).stdout.strip()
    git("update-ref", "-m", f"kompas publiceer {args.versie}", "refs/heads/gh-pages", new, old or "0" * 40)
    git("update-ref", "-d", scratch, check=False)
    return 0


argparse_nl.install()  # argparse's own texts in Dutch (only this module parses arguments)


class _DutchParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages, translated above
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(
        prog="kompas",
        description="Kompas: controleer en bouw de integriteitssite van de politie.")
    commands = parser.add_subparsers(dest="opdracht", title="opdrachten", metavar="OPDRACHT", parser_class=_DutchParser)

    valideer = commands.add_parser(
        "valideer",
        help="controleer alle inhoud (of alleen de genoemde bestanden, in de context van het geheel)",
        description="Controleer de inhoud. Zonder PAD: alles. Met PAD: alleen problemen in die bestanden, "
                    "maar verwijzingen worden tegen de hele inhoud gecontroleerd. Stopt met code 1 bij fouten.")
    valideer.add_argument("paden", nargs="*", metavar="PAD", help="bestand of map om te tonen")
    valideer.add_argument("--formaat", choices=["tekst", "json"], default="tekst", help="uitvoer als tekst of als JSON")
    valideer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf PAD of de huidige map)")
    valideer.add_argument("--zonder-cache", action="store_true",
                          help="controleer alles opnieuw, zonder de tussenresultaten in .cache/valideren "
                               "(de uitkomst is dezelfde, alleen trager)")
    valideer.set_defaults(func=cmd_valideer)

    kaarten = commands.add_parser(
        "kaarten", help="maak een PDF met dilemmakaarten om te printen",
        description="Maak een PDF met dilemmakaarten. A4: vier kaarten per vel met snijtekens, elk vel voorkanten "
                    "gevolgd door de achterkanten (dubbelzijdig printen, omslaan over de lange zijde). A5: één kaart "
                    "per pagina. Selecties van verschillende soorten moeten allemaal kloppen; een optie die vaker "
                    "voorkomt betekent 'of'. Zonder selectie: alle dilemma's.")
    kaarten.add_argument("--uit", required=True, metavar="PAD.pdf", help="het PDF-bestand dat gemaakt wordt")
    kaarten.add_argument("--formaat", choices=["a4", "a5"], default="a4",
                         help="a4: vier kaarten per vel (standaard); a5: één kaart per pagina")
    kaarten.add_argument("--themablad", action="append", metavar="ID", help="dilemma's bij dit themablad (mag vaker)")
    kaarten.add_argument("--module", action="append", metavar="ID",
                         help="dilemma's die deze module gebruikt, ook in de onderdelen (mag vaker)")
    kaarten.add_argument("--kernwaarde", action="append", metavar="WAARDE",
                         help=f"{_of(KERNWAARDEN)} (mag vaker)")
    kaarten.add_argument("--doelgroep", action="append", metavar="GROEP",
                         help=f"{_of(DOELGROEPEN)} (mag vaker)")
    kaarten.add_argument("--id", action="append", metavar="ID", help="een dilemma met dit id (mag vaker)")
    kaarten.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    kaarten.set_defaults(func=cmd_kaarten)

    bouw = commands.add_parser(
        "bouw", help="controleer de inhoud en bouw de site (streng); vervangt site/ alleen als alles lukt",
        description="Bouw de site in een tijdelijke map en vervang de oude site pas als de bouw helemaal gelukt is.")
    bouw.add_argument("--uit", help="doelmap (standaard: site/ in de projectmap)")
    bouw.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    bouw.set_defaults(func=cmd_bouw)

    publiceer = commands.add_parser(
        "publiceer", help="zet een versie van de site in de branch gh-pages (make deploy)",
        description="Bouw de site streng en zet hem met mike als versie in de lokale branch gh-pages. De branch "
                    "verandert pas als alles gelukt is, in één stap; er wordt nooit gepusht.")
    publiceer.add_argument("versie", metavar="VERSIE", help="de versie, bijvoorbeeld 1.2")
    publiceer.add_argument("--alias", action="append", metavar="ALIAS", help="een alias, bijvoorbeeld latest")
    publiceer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    publiceer.set_defaults(func=cmd_publiceer)

    redactie = commands.add_parser(
        "redactie", help="de browsereditor tegen deze werkmap (make redactie); stoppen met Ctrl-C",
        description="Bouw de site met de editor, start de lokale opslag (decap-server, Node) en serveer beide op "
                    "127.0.0.1. Opslaan in de editor schrijft de bestanden in deze werkmap.")
    redactie.add_argument("--poort", type=int, default=8100, metavar="POORT", help="de poort (standaard 8100; 0: een vrije)")
    redactie.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    redactie.set_defaults(func=cmd_redactie)

    # -- editor workflow: kompas nieuw / spelling / documenteer (macros/editor/scaffold.py, spelling.py, contributing.py)
    nieuw = commands.add_parser(
        "nieuw", help="maak een nieuw themablad, dilemma, uitspraak, module of onderwerp om in te vullen",
        description="Schrijf een nieuw bestand met uitleg bij elk veld en TODO waar jij nog iets invult. "
                    "Overschrijft nooit een bestaand bestand.")
    soorten = nieuw.add_subparsers(dest="soort_item", title="soorten", metavar="SOORT", parser_class=_DutchParser,
                                   required=True)

    def _nieuw_parser(name: str, help_text: str, *, met_titel: bool = True, met_id: bool = True):
        sub = soorten.add_parser(name, help=help_text, description=help_text)
        if met_titel:
            sub.add_argument("titel", metavar="TITEL", help="de titel, tussen aanhalingstekens; het id volgt eruit")
        if met_id:
            sub.add_argument("--id", dest="item_id", metavar="ID", help="kies zelf het id in plaats van het af te leiden uit de titel")
        sub.add_argument("--bron", metavar="ID",
                         help="het id van de bron uit content/bronnen.yaml waar het item op steunt, of redactie "
                              "(eigen tekst van de redactie); zonder deze optie vraagt het bestand erom")
        sub.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
        sub.set_defaults(func=cmd_nieuw)
        return sub

    _nieuw_parser("themablad", "een nieuw themablad in themabladen/")
    dilemma = _nieuw_parser("dilemma", "een nieuw dilemma in content/dilemmas/, bij een of meer themabladen "
                                       "of onderwerpen")
    dilemma.add_argument("--themablad", action="append", metavar="ID",
                         help="id van het themablad waar het dilemma bij hoort (mag vaker)")
    dilemma.add_argument("--onderwerp", action="append", metavar="ID",
                         help="id van het onderwerp waar het dilemma bij hoort (mag vaker); "
                              "geef minstens één --themablad of --onderwerp")
    uitspraak = _nieuw_parser("uitspraak", "een nieuwe uitspraak in content/uitspraken/", met_titel=False, met_id=False)
    uitspraak.add_argument("ecli", metavar="ECLI", help="de ECLI, bijvoorbeeld ECLI:NL:CRVB:2014:3729")
    module = _nieuw_parser("module", "een nieuwe module in modules/", met_titel=False)
    module.add_argument("module_soort", metavar="SOORT",
                        choices=MODULE_SOORTEN, help=_of(MODULE_SOORTEN))
    module.add_argument("titel", metavar="TITEL", help="de titel, tussen aanhalingstekens; het id volgt eruit")
    module.add_argument("--themablad", action="append", metavar="ID", help="id van een themablad dat aan bod komt")
    module.add_argument("--onderwerp", action="append", metavar="ID",
                        help="id van een onderwerp waar de module bij hoort (mag vaker)")
    _nieuw_parser("onderwerp", "een nieuw onderwerp in content/onderwerpen/ (een pagina onder Inclusie)")

    spelling = commands.add_parser(
        "spelling", help="controleer de spelling van gepubliceerde tekst (waarschuwingen)",
        description="Nederlandse spellingcontrole met hunspell. Goede vaktermen zet je in content/woordenlijst.txt.")
    spelling.add_argument("paden", nargs="*", metavar="PAD", help="bestand of map (standaard: alle inhoud)")
    spelling.add_argument("--formaat", choices=["tekst", "json"], default="tekst", help="uitvoer als tekst of als JSON")
    spelling.add_argument("--streng", action="store_true", help="stop met code 1 als er spelfouten zijn")
    spelling.add_argument("--map", help="de projectmap (standaard: gevonden vanaf PAD of de huidige map)")
    spelling.set_defaults(func=cmd_spelling)

    documenteer = commands.add_parser(
        "documenteer", help="werk de lijst met foutcodes in CONTRIBUTING.md bij",
        description="Schrijf de lijst met alle foutcodes (uit macros/content/diagnostics.py) in CONTRIBUTING.md.")
    documenteer.add_argument("--controleer", action="store_true",
                             help="schrijf niets; stop met code 1 als CONTRIBUTING.md niet actueel is")
    documenteer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    documenteer.set_defaults(func=cmd_documenteer)
    return parser


def cmd_nieuw(args) -> int:
    from ..editor import scaffold

    from ..content.paths import PathRefused, check_ecli_value, check_id

    refused = _map_refused("nieuw", args.map)
    if refused is not None:
        return refused
    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    try:  # every value that becomes a file name, before any path is built
        if args.soort_item == "uitspraak":
            try:
                scaffold.check_ecli(args.ecli)  # the validator's own SCHEMA-ECLI message first
            except scaffold.ScaffoldError as error:
                print(f"kompas nieuw: fout: {error}", file=sys.stderr)
                return 1
            check_ecli_value(args.ecli)
        elif args.item_id is not None:
            check_id(args.item_id, "--id")
        else:
            derived = scaffold.slugify(args.titel)
            if derived:  # an empty one gets scaffold's own message
                check_id(derived, "het id uit de titel,")
        for value in getattr(args, "themablad", None) or ():
            check_id(value, "--themablad")
        for value in getattr(args, "onderwerp", None) or ():
            check_id(value, "--onderwerp")
    except PathRefused as error:
        return _refused("nieuw", str(error))
    bron = {"bron": args.bron}
    try:
        if args.soort_item == "themablad":
            created = scaffold.new_themablad(root, args.titel, item_id=args.item_id, **bron)
        elif args.soort_item == "dilemma":
            created = scaffold.new_dilemma(root, args.titel, args.themablad, onderwerpen=args.onderwerp,
                                           item_id=args.item_id, **bron)
        elif args.soort_item == "uitspraak":
            created = scaffold.new_uitspraak(root, args.ecli, **bron)
        elif args.soort_item == "onderwerp":
            created = scaffold.new_onderwerp(root, args.titel, item_id=args.item_id, **bron)
        else:
            created = scaffold.new_module(root, args.module_soort, args.titel, themabladen=args.themablad,
                                          onderwerpen=args.onderwerp, item_id=args.item_id, **bron)
    except scaffold.ScaffoldError as error:
        print(f"kompas nieuw: fout: {error}", file=sys.stderr)
        return 1
    print(f"Nieuw bestand: {created.relative}")
    if created.todo_lines:
        print(f"Vul de TODO's in op regel {', '.join(map(str, created.todo_lines))}, en controleer met:")
        print(f"  kompas valideer {created.relative}")
    if args.soort_item == "uitspraak":
        print(f"Haal de uitspraak daarna aan: zet {created.item_id} onder 'casuistiek' van een themablad "
              "of onder 'uitspraken' van een dilemma.")
    elif args.soort_item == "dilemma":
        print(f"Bekijk daarna de dilemmakaart: kompas kaarten --id {created.item_id}")
    return 0


def cmd_spelling(args) -> int:
    from ..editor.spelling import SpellingUnavailable, check

    start = Path(args.paden[0]) if args.paden else Path.cwd()
    root = Path(args.map) if args.map else find_root(start)
    try:
        result = check(root, [Path(p) for p in args.paden] or None)
    except SpellingUnavailable as error:
        print(f"kompas spelling: fout: {error}", file=sys.stderr)
        return 2
    report(result, sys.stdout, fmt=args.formaat)
    return 1 if args.streng and result.diagnostics else 0


def cmd_documenteer(args) -> int:
    from ..editor import contributing

    if not args.controleer and (refused := _map_refused("documenteer", args.map)) is not None:
        return refused
    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    try:
        if args.controleer:
            text = (root / contributing.FILE_NAME).read_text(encoding="utf-8")
            if not contributing.is_current(text):
                print(f"kompas documenteer: {contributing.FILE_NAME} is niet actueel; "
                      "voer 'kompas documenteer' uit en commit het resultaat.", file=sys.stderr)
                return 1
            print(f"{contributing.FILE_NAME} is actueel.")
            return 0
        changed = contributing.write(root)
    except (OSError, contributing.OutOfDate) as error:
        print(f"kompas documenteer: fout: {error}", file=sys.stderr)
        return 1
    print(f"{contributing.FILE_NAME} {'bijgewerkt' if changed else 'was al actueel'}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    args.program = argv is None  # run as the `kompas` program (a short-lived process), not called in-process
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


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
