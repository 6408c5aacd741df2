"""What a measurer of the verdict (macros/verdict/measures.py) gets besides the content verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Context:
    """What a measurer gets besides the content verdict."""

    root: Path  # the project
    cache_root: Path | None  # the project's cache folder (.cache or KOMPAS_CACHE_DIR); None: no cache
    # False (the `make serve` loop, which must show a saved page at once): report only what is known
    # from a cache, and name in ``deferred`` what is still to be measured (a later full verdict does it)
    measure_now: bool = True
    deferred: list[str] = field(default_factory=list)
