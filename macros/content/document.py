"""One loaded content file, as the checks, the validation cache and the card-fit check see it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import Loaded


@dataclass
class Document:
    """A content file of ``kind``: what loading it gave, and whether it passed its schema."""

    kind: str
    path: Path
    loaded: Loaded
    schema_ok: bool = False

    @property
    def data(self) -> dict[str, Any]:
        return self.loaded.data if isinstance(self.loaded.data, dict) else {}
