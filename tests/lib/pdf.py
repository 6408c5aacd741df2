"""Reading real PDFs back (pypdf): their text, structure, fonts and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

MM = 72 / 25.4


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace collapsed (lines of a table cell may wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def assert_in_order(text: str, parts) -> None:
    """Every part occurs in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        found = text.find(" ".join(part.split()), position)
        assert found >= 0, f"{part!r} ontbreekt (na positie {position}) in: {text[position : position + 300]!r}"
        position = found + 1


def assert_tagged_nl_embedded(path: Path, title: str) -> None:
    """A tagged PDF in Dutch, A4, with its title and only the shipped font, embedded."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert reader.metadata.title == title
    fonts = set()
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.5)
        fonts |= embedded_fonts(page)
    assert fonts and all("Kompas-Lato" in name for name in fonts), fonts


def structure_roles(path: Path) -> set[str]:
    """The structure types used in a tagged PDF (H1, Table, L, ...)."""
    roles: set[str] = set()

    def visit(node) -> None:
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if "/S" in node:
                roles.add(str(node["/S"]).lstrip("/"))
            kids = node.get("/K")
            if kids is None:
                return
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    visit(kid)

    visit(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return roles


def link_targets(page_html: Path, text: str) -> list[Path]:
    """The files that the links whose text contains ``text`` point to, resolved from the page."""
    soup = BeautifulSoup(page_html.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article") or soup
    return [(page_html.parent / a["href"]).resolve() for a in main.find_all("a") if text in a.get_text()]


def embedded_fonts(page) -> set[str]:
    """The base names of the fonts of a PDF page (pypdf); each must be embedded in the file."""
    names = set()
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    return names
