"""Projects and builds for the `make serve` tests (tests/site/test_serve.py, tests/site/test_search_shards.py)."""

from __future__ import annotations

from pathlib import Path

from lib.project import make_project


def project_without_decks(target: Path) -> Path:
    """A project without card decks: these tests are about rebuilding, not about PDFs."""
    project = make_project(target)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  kompas:\n", "  kompas:\n    kaarten: false\n"))
    return project


def _build(project: Path, site: Path):
    """A full build as the dev server makes it (through the engine seam: MkDocs, or ProperDocs)."""
    from macros.site import engine

    config = engine.load(project / "mkdocs.yml", site)
    engine.build(config)
    return config
