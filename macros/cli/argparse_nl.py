"""argparse in Dutch: the one patch of argparse's internals, kept here with its test.

argparse looks its texts up through its module-level gettext function ``argparse._`` at the
moment it prints them. :func:`install` replaces that function by a lookup in this table.
tests/unit/test_patches.py fails when argparse stops using ``_`` or changes one of these texts.
"""

from __future__ import annotations

import argparse

DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "hier hoort één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "ambiguous option: %(option)s could match %(matches)s": "onduidelijke optie: %(option)s kan %(matches)s zijn",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "not allowed with argument %s": "niet samen met %s te gebruiken",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
}


def translate(text: str) -> str:
    return DUTCH.get(text, text)


def install() -> None:
    setattr(argparse, "_", translate)  # noqa: B010 - argparse looks its texts up through `_`
