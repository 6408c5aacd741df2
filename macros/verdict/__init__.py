"""One verdict on a project's content: the function every caller uses.

``kompas valideer``, ``kompas kaarten``, the build (the site hook), the `make serve` loop and
every later caller (``make inhoud``) ask :func:`validate_project`, never the content layer's
:func:`macros.content.validate.validate_corpus` directly (an import-linter contract forbids
that), so none of them can forget a check. This layer sits above content and printing: a check
that needs a measurement of the print layer (the handout fit of a themablad, issue 31) is a
*measurer* in :mod:`.measures`, run here after the content-only core. See docs/architecture.md.
"""

from ..content.document import Document
from ..content.validate import Result
from .project import validate_project

__all__ = ["Document", "Result", "validate_project"]
