"""A buildable project outside this repository, as the tests and the benchmark make them.

MkDocs finds the hooks by the path in mkdocs.yml (``macros/site/mkdocs_hooks.py``), relative to the
project, so a project needs that small shim file; everything else comes from the installed package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "site" / "mkdocs_hooks.py"


def add_site_hooks(project: Path) -> None:
    """Put the hooks shim where the project's mkdocs.yml looks for it."""
    target = Path(project) / "macros" / "site" / HOOKS.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOOKS, target)
