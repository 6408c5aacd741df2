"""Each patch of another library's internals fails loudly here when the upstream behaviour it relies on changes."""

from __future__ import annotations

import argparse
import inspect
import re

from macros import argparse_nl


def test_argparse_still_looks_up_every_translated_text_through_its_gettext_function():
    source = inspect.getsource(argparse)
    looked_up = set(re.findall(r"""\b_\(\s*(['"])(.*?)\1""", source))
    texts = {text for _, text in looked_up}
    missing = sorted(set(argparse_nl.DUTCH) - texts)
    assert not missing, f"argparse no longer asks _() for these texts; update macros/argparse_nl.py: {missing}"


def test_installed_translation_is_what_argparse_prints(capsys):
    argparse_nl.install()
    parser = argparse.ArgumentParser(prog="kompas")
    parser.add_argument("--soort", choices=["a", "b"])
    try:
        parser.parse_args(["--soort", "c"])
    except SystemExit:
        pass
    err = capsys.readouterr().err
    assert err.startswith("gebruik: kompas")
    assert "ongeldige keuze: 'c' (kies uit " in err
