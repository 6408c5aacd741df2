"""The value lists of the content model, read from the JSON Schemas: the one source for each list.

Kernwaarden, doelgroepen and module kinds are written once, as enums in ``schemas/``; the model,
the scaffolder, the CLI's choices and the benchmark generator take them from here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schemas"


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def _enum(name: str, *path: str) -> tuple[str, ...]:
    node = _schema(name)
    for key in path:
        node = node[key]
    return tuple(node["enum"])


KERNWAARDEN = _enum("gemeenschappelijk.schema.json", "$defs", "kernwaarde")
DOELGROEPEN = _enum("gemeenschappelijk.schema.json", "$defs", "doelgroep")
MODULE_SOORTEN = _enum("module.schema.json", "properties", "soort")
BRON_SOORTEN = _enum("bronnen.schema.json", "properties", "bronnen", "items", "properties", "soort")
