"""The one use of WeasyPrint's internals: the temporary font folder of a ``FontConfiguration``.

WeasyPrint copies the ``@font-face`` fonts into a temporary folder (``FontConfiguration._folder``)
and removes it in ``__del__``, which fails when that runs during interpreter shutdown, so the
folder stayed behind in /tmp. :func:`remove_font_folder` removes it explicitly.
tests/test_patches.py fails loudly when WeasyPrint no longer keeps the folder there.
"""

from __future__ import annotations

import shutil


def remove_font_folder(fonts) -> None:
    """Remove the font folder of the ``FontConfiguration`` ``fonts`` (once; later calls do nothing)."""
    folder, fonts._folder = fonts._folder, None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
