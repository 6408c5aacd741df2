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
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    build(config)
    return config
