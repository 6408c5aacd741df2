"""The one patch of pydyf's internals: ``PDF.page_references`` computed once per page count.

tests/unit/test_patches.py fails loudly when pydyf changes what this relies on.
"""

from __future__ import annotations


def cache_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` cheap: computed once per page count, not per call.

    WeasyPrint's PDF tagging asks for one page's reference for every structure element
    (about 110 per card), and pydyf builds the whole tuple of page references on each call:
    quadratic in the size of the deck (0.8 s for 200 cards on 100 pages, over a minute for
    a deck of 1000 cards in A5). The cached tuple is the same value, rebuilt whenever a
    page is added, so the PDF does not change. Installed once per process; does nothing if
    a later pydyf no longer has the property.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if getattr(getattr(original, "fget", None), "kompas_cached", False):
        return
    if not isinstance(original, property):  # tests/unit/test_patches.py fails on this too
        raise RuntimeError("pydyf.PDF.page_references is geen property meer: pas macros/printing/pydyf_pages.py aan.")

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_kompas_page_references")
        if cached is None or cached[0] != count:
            cached = pdf.__dict__["_kompas_page_references"] = (count, original.fget(pdf))
        return cached[1]

    setattr(page_references, "kompas_cached", True)  # noqa: B010 - a mark on the function, read above
    setattr(page_references, "kompas_original", original.fget)  # noqa: B010
    pydyf.PDF.page_references = property(page_references, doc=original.__doc__)
