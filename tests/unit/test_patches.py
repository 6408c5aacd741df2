"""Each patch of another library's internals fails loudly here when the upstream behaviour it relies on changes."""

from __future__ import annotations

import argparse
import inspect
import re

from macros.cli import argparse_nl


def test_argparse_still_looks_up_every_translated_text_through_its_gettext_function():
    source = inspect.getsource(argparse)
    looked_up = set(re.findall(r"""\b_\(\s*(['"])(.*?)\1""", source))
    texts = {text for _, text in looked_up}
    missing = sorted(set(argparse_nl.DUTCH) - texts)
    assert not missing, f"argparse no longer asks _() for these texts; update macros/cli/argparse_nl.py: {missing}"


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


def test_pydyf_still_has_the_page_references_property_the_patch_replaces():
    import pydyf

    from macros.printing import pydyf_pages

    current = pydyf.PDF.__dict__.get("page_references")
    assert isinstance(current, property), (
        "pydyf.PDF.page_references is no longer a property: see macros/printing/pydyf_pages.py"
    )
    pydyf_pages.cache_page_references()
    patched = pydyf.PDF.__dict__["page_references"].fget
    assert patched.kompas_cached
    pdf = pydyf.PDF()
    for count in range(1, 4):  # the same value as pydyf's own, also after a page is added
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == patched.kompas_original(pdf) and len(pdf.page_references) == count


def test_weasyprint_keeps_its_font_folder_where_the_clean_up_looks(tmp_path):
    from pathlib import Path

    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from macros.printing import weasyprint_fonts
    from macros.render import print_html

    fonts = FontConfiguration()
    CSS(string=print_html.font_faces(), font_config=fonts)
    folder = getattr(fonts, "_folder", None)
    assert folder and Path(folder).is_dir(), "WeasyPrint no longer keeps its fonts in FontConfiguration._folder"
    weasyprint_fonts.remove_font_folder(fonts)
    assert not Path(folder).exists() and fonts._folder is None


def test_page_references_are_cached_without_changing_them():
    import pydyf

    from macros.printing.pydyf_pages import cache_page_references

    cache_page_references()
    pdf = pydyf.PDF()
    seen = []
    for _ in range(3):
        page = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_page(page)
        seen.append(page.number)
        assert pdf.page_references == tuple(f"{number} 0 R".encode() for number in seen)
    assert pdf.page_references is pdf.page_references  # not rebuilt while no page is added
