"""The command line: `kompas valideer`, and the other subcommands.

This is the only module that parses arguments. All user-facing text is Dutch.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .diagnostics import format_report, to_json
from .validate import Layout, validate_corpus


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
        if path.is_dir():
            selected.update(layout.relative(p) for p in path.rglob("*") if p.is_file())
        else:
            selected.add(layout.relative(path))
    return selected


def cmd_valideer(args) -> int:
    missing = [raw for raw in args.paden if not Path(raw).exists()]
    if args.map and not Path(args.map).is_dir():
        missing.append(args.map)
    if missing:
        for raw in missing:
            print(f"kompas valideer: fout: '{raw}' bestaat niet.", file=sys.stderr)
        return 2
    start = Path(args.paden[0]) if args.paden else Path.cwd()
    root = Path(args.map) if args.map else find_root(start)
    result = validate_corpus(root)
    files = _selected_files(args.paden, root)
    report(result, sys.stdout, files=files, fmt=args.formaat)
    shown = result.for_files(files) if files is not None else result.diagnostics
    return 1 if any(d.is_error for d in shown) else 0


def cmd_bouw(args) -> int:
    from .build import BuildFailed, build_site

    root = Path(args.map).resolve() if args.map else find_root(Path.cwd())
    try:
        target = build_site(root, Path(args.uit) if args.uit else None)
    except BuildFailed as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"Site gebouwd in {target}.")
    return 0


class _DutchParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(
        prog="kompas",
        description="Kompas: controleer en bouw de integriteitssite van de politie.",
        add_help=False)
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    commands = parser.add_subparsers(dest="opdracht", title="opdrachten", metavar="OPDRACHT", parser_class=_DutchParser)

    valideer = commands.add_parser(
        "valideer", add_help=False,
        help="controleer alle inhoud (of alleen de genoemde bestanden, in de context van het geheel)",
        description="Controleer de inhoud. Zonder PAD: alles. Met PAD: alleen problemen in die bestanden, "
                    "maar verwijzingen worden tegen de hele inhoud gecontroleerd. Stopt met code 1 bij fouten.")
    valideer.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    valideer.add_argument("paden", nargs="*", metavar="PAD", help="bestand of map om te tonen")
    valideer.add_argument("--formaat", choices=["tekst", "json"], default="tekst", help="uitvoer als tekst of als JSON")
    valideer.add_argument("--map", help="de projectmap (standaard: gevonden vanaf PAD of de huidige map)")
    valideer.set_defaults(func=cmd_valideer)

    bouw = commands.add_parser(
        "bouw", add_help=False, help="controleer de inhoud en bouw de site (streng); vervangt site/ alleen als alles lukt",
        description="Bouw de site in een tijdelijke map en vervang de oude site pas als de bouw helemaal gelukt is.")
    bouw.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    bouw.add_argument("--uit", help="doelmap (standaard: site/ in de projectmap)")
    bouw.add_argument("--map", help="de projectmap (standaard: gevonden vanaf de huidige map)")
    bouw.set_defaults(func=cmd_bouw)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
