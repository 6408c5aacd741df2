"""One tagged PDF from the PDFs of its parts (a card deck from its cards and sheets).

A card deck is laid out from parts that do not depend on each other: an A5 deck is two pages per
card, an A4 deck two pages per sheet of four cards. :mod:`macros.printing.cards` keeps each part
as a PDF between builds; a changed card is laid out on its own (and its sheets), and every deck
that holds it is put together again from its parts here, in a fraction of the time WeasyPrint
takes to lay the deck out.

What WeasyPrint writes into each part is kept whole, so the deck is as accessible as a deck laid
out at once: the pages (and their fonts), the structure tree (every part's elements under one
``Document`` element, with the parent tree renumbered), the outline (bookmarks of the card titles),
the named destinations (``voor-<id>``, ``achter-<id>``), the language and the viewer preferences.
The title and description are the deck's. The output depends only on the parts, the title and the
description (qpdf writes deterministically), so a deck put together from cached parts has the
same bytes as one whose parts were just laid out.

Each part embeds a subset of each font it uses. WeasyPrint keeps the glyph ids of the font file in
its subsets, so the subsets of one font in a deck are replaced by a single subset of the shipped
font with every glyph the deck uses: the deck is about as small as one laid out at once.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from ..content.cards_fit import FONT_DIR


def merge(parts: list[bytes], titel: str, beschrijving: str) -> bytes:
    """The deck PDF made of ``parts`` (tagged PDFs written by WeasyPrint), in order."""
    import pikepdf

    with contextlib.ExitStack() as opened:
        out = opened.enter_context(pikepdf.new())
        sources = [opened.enter_context(pikepdf.open(io.BytesIO(data))) for data in parts]
        return _merge(out, sources, titel, beschrijving)


def _merge(out, sources, titel: str, beschrijving: str) -> bytes:
    """:func:`merge` into the new PDF ``out`` from the open ``sources``."""
    merger = _Merger(out, sources[0])
    for source in sources:
        merger.add(source)
    return merger.finish(titel, beschrijving)


class _Merger:
    """The parts of a deck, one after the other, in one tagged PDF. The objects are made in the order
    they always were (pages, structure, outlines, names per part; then the catalog), so that the same
    parts give the same bytes."""

    def __init__(self, out, first) -> None:
        from pikepdf import Array, Dictionary, Name

        self.out, self.first = out, first
        self.root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        namespaces = first.Root.StructTreeRoot.get("/Namespaces")
        self.document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(), P=self.root))
        if namespaces is not None:
            namespaces = _copy(out, namespaces)
            self.root.Namespaces = namespaces
            self.document.NS = namespaces[0]
        self.root.K = Array([self.document])
        self.nums = Array()
        self.outline_items: list = []
        self.outline_count = 0
        self.dests: list[tuple[bytes, object]] = []
        self.key = 0  # the next key of the parent tree

    def add(self, source) -> None:
        """One part: its pages, its structure elements (their keys moved up), its outlines and named destinations."""
        out = self.out
        start = len(out.pages)
        out.pages.extend(source.pages)
        highest = self._add_structure(source.Root.StructTreeRoot)
        for page in out.pages[start:]:
            page.obj.StructParents = self.key + int(page.obj.StructParents)
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = self.key + int(annotation.StructParent)
        self.key += highest + 1
        outlines = source.Root.get("/Outlines")
        if outlines is not None and "/First" in outlines:
            item = _copy(out, outlines).First
            while item is not None:
                self.outline_items.append(item)
                item = item.get("/Next")
            self.outline_count += int(outlines.get("/Count", 0))
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            flat = list(names.Dests.Names)
            self.dests += [(bytes(flat[i]), _copy(out, flat[i + 1])) for i in range(0, len(flat), 2)]

    def _add_structure(self, tree) -> int:
        """The parent tree entries and the elements of one part's structure tree; its highest key."""
        highest = -1
        pairs = list(tree.ParentTree.Nums)
        for index in range(0, len(pairs), 2):
            number, value = int(pairs[index]), pairs[index + 1]
            highest = max(highest, number)
            self.nums.append(self.key + number)
            self.nums.append(_copy(self.out, value))
        for element in tree.K[0].K:
            copied = _copy(self.out, element)
            copied.P = self.document
            self.document.K.append(copied)
        return highest

    def finish(self, titel: str, beschrijving: str) -> bytes:
        """The catalog (structure, language, outlines, names), shared fonts, the document info; the bytes."""
        import pikepdf
        from pikepdf import Dictionary, String

        out, first = self.out, self.first
        self.root.ParentTree = out.make_indirect(Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.key
        catalog = out.Root
        catalog.StructTreeRoot = self.root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Lang = _copy(out, first.Root.Lang) if "/Lang" in first.Root else String("nl")
        if self.outline_items:
            catalog.Outlines = self._outlines()
        if self.dests:
            catalog.Names = self._names()
        _share_fonts(out)
        info = {name: value for name, value in first.docinfo.items()}
        info["/Title"], info["/Subject"] = String(titel), String(beschrijving)
        out.docinfo = out.make_indirect(Dictionary(info))
        buffer = io.BytesIO()
        out.save(
            buffer,
            deterministic_id=True,
            min_version=first.pdf_version,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            linearize=False,
        )
        return buffer.getvalue()

    def _outlines(self):
        from pikepdf import Dictionary, Name

        items = self.outline_items
        top = self.out.make_indirect(Dictionary(Type=Name.Outlines, Count=self.outline_count))
        for index, item in enumerate(items):
            item.Parent = top
            if index:
                item.Prev = items[index - 1]
            elif "/Prev" in item:
                del item.Prev
            if index + 1 < len(items):
                item.Next = items[index + 1]
            elif "/Next" in item:
                del item.Next
        top.First, top.Last = items[0], items[-1]
        return top

    def _names(self):
        from pikepdf import Array, Dictionary, String

        flat = Array()
        for name, dest in sorted(self.dests, key=lambda pair: pair[0]):
            flat.append(String(name))
            flat.append(dest)
        return Dictionary(Dests=self.out.make_indirect(Dictionary(Names=flat)))


def _copy(out, value):
    """``value`` of another PDF, in ``out`` (qpdf copies indirect objects, once per source)."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({name: _copy(out, item) for name, item in value.items()})
    return value


def _share_fonts(pdf) -> None:
    """One embedded program per font face in ``pdf``: a subset of the shipped font with every glyph
    that the subsets of its parts hold (see the module text). A face that is not one of the shipped
    fonts, or that HarfBuzz cannot cut, keeps the programs of its parts."""
    import pikepdf

    from .weasyprint_fonts import subset_font

    faces: dict[str, list] = {}  # BaseFont without the subset tag -> its CID fonts
    seen = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            if font.objgen in seen or font.get("/Subtype") != pikepdf.Name.Type0:
                continue
            seen.add(font.objgen)
            cid_font = font.DescendantFonts[0]
            descriptor = cid_font.get("/FontDescriptor")
            if (
                descriptor is None
                or "/FontFile2" not in descriptor
                or cid_font.get("/CIDToGIDMap") != pikepdf.Name.Identity
            ):
                continue
            face = str(font.BaseFont).lstrip("/").partition("+")[2]
            faces.setdefault(face, []).append(cid_font)
    shipped = shipped_fonts()
    for face, cid_fonts in sorted(faces.items()):
        if len({f.FontDescriptor.FontFile2.objgen for f in cid_fonts}) < 2 or face not in shipped:
            continue
        gids = set()
        for cid_font in cid_fonts:
            gids |= _glyphs(cid_font.get("/W", ()))
        data = subset_font(shipped[face], gids)
        if data is None:
            continue
        program = pdf.make_stream(data)
        program.Length1 = len(data)
        for cid_font in cid_fonts:
            cid_font.FontDescriptor.FontFile2 = program


def _glyphs(widths) -> set[int]:
    """The glyph ids in a ``/W`` array (``c [w1 w2 ...]`` and ``c_first c_last w``): the glyphs used."""
    import pikepdf

    found: set[int] = set()
    items = list(widths)
    index = 0
    while index < len(items):
        start = int(items[index])
        if index + 1 < len(items) and isinstance(items[index + 1], pikepdf.Array):
            found.update(range(start, start + len(items[index + 1])))
            index += 2
        else:
            found.update(range(start, int(items[index + 1]) + 1))
            index += 3
    return found


# The faces WeasyPrint names after the @font-face rules of the shipped font (druk/lettertypen.css.j2):
# the family, then the style Pango gives the weight and slant.
_FACES = {
    "Kompas-Lato": "Lato-Regular",
    "Kompas-Lato-Italic": "Lato-Italic",
    "Kompas-Lato-Bold": "Lato-Bold",
    "Kompas-Lato-Heavy": "Lato-Black",
}


def shipped_fonts() -> dict[str, Path]:
    """The PDF name of each face of the shipped font -> its file."""
    return {face: FONT_DIR / f"{name}.ttf" for face, name in _FACES.items() if (FONT_DIR / f"{name}.ttf").is_file()}
