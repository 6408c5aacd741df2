"""The two uses of WeasyPrint's internals.

1. The temporary font folder of a ``FontConfiguration``: WeasyPrint copies the ``@font-face`` fonts
   into a temporary folder (``FontConfiguration._folder``) and removes it in ``__del__``, which fails
   when that runs during interpreter shutdown, so the folder stayed behind in /tmp.
   :func:`remove_font_folder` removes it explicitly.
2. HarfBuzz-Subset through WeasyPrint's bindings (``weasyprint.text.ffi``): :func:`subset_font` cuts
   a shipped font down the way WeasyPrint does when it embeds one, for the decks that
   :mod:`macros.printing.merge` puts together from parts.

tests/unit/test_patches.py (the folder) and tests/print/test_cards.py (the subset: the very program WeasyPrint
embeds) fail loudly when WeasyPrint changes either.
"""

from __future__ import annotations

import shutil


def remove_font_folder(fonts) -> None:
    """Remove the font folder of the ``FontConfiguration`` ``fonts`` (once; later calls do nothing)."""
    folder, fonts._folder = fonts._folder, None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


# -- a second use: HarfBuzz-Subset through WeasyPrint's bindings (macros/printing/merge.py) -----------
def _declare() -> None:
    """Declare the two HarfBuzz functions WeasyPrint's bindings lack (once per process)."""
    from weasyprint.text.ffi import ffi

    if not getattr(_declare, "done", False):
        ffi.cdef(
            "hb_blob_t * hb_blob_create_from_file (const char *file_name);"
            "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);"
        )
        setattr(_declare, "done", True)  # noqa: B010 - once per process


def subset_font(path, gids) -> bytes | None:
    """The font file at ``path`` cut down to the glyph ids ``gids``, every glyph keeping its id, the
    way WeasyPrint subsets a font it embeds (``weasyprint.pdf.fonts.Font._harfbuzz_subset``: the same
    flags and tables, no hinting). None when HarfBuzz-Subset is not there or fails."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    gids = sorted(set(gids))
    if not gids or harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        return None

    def cut(face, keep, options):
        subset = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
        glyphs = harfbuzz_subset.hb_subset_input_glyph_set(subset)
        array = ffi.new(f"hb_codepoint_t[{len(keep)}]", keep)
        harfbuzz.hb_set_add_sorted_array(glyphs, array, len(keep))
        harfbuzz_subset.hb_subset_input_set_flags(subset, options)
        if options & harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS:
            drop = harfbuzz_subset.hb_subset_input_set(subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
            tags = tuple(
                harfbuzz.hb_tag_from_string(name, -1)
                for name in (
                    b"BASE",
                    b"DSIG",
                    b"EBDT",
                    b"EBLC",
                    b"EBSC",
                    b"GPOS",
                    b"GSUB",
                    b"JSTF",
                    b"LTSH",
                    b"PCLT",
                    b"SVG ",
                )
            )
            harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
        result = harfbuzz_subset.hb_subset_or_fail(face, subset)
        return ffi.gc(result, harfbuzz.hb_face_destroy) if result != ffi.NULL else None  # (as WeasyPrint does)

    _declare()
    blob = harfbuzz.hb_blob_create_from_file(str(path).encode())
    face = harfbuzz.hb_face_create(blob, 0)
    harfbuzz.hb_blob_destroy(blob)  # (the face holds its own reference)
    try:
        first = cut(
            face,
            gids,
            harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
            | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
            | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE,
        )
        if first is None:
            return None
        # the empty glyphs after the last one used are dropped, as WeasyPrint does
        second = cut(
            first,
            list(range(gids[-1] + 1)),
            harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
            | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
            | harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING,
        )
        return get_hb_object_data(second) if second is not None else None
    finally:
        harfbuzz.hb_face_destroy(face)
