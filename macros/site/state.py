"""The state of a build that the hooks, the macros and the `make serve` loop share.

MkDocs calls the hooks (macros/site/adapter.py) and mkdocs-macros calls the macros of one build in
one process; the serve loop (macros/site/serve.py) rebuilds pages from what the last full build
left here. Neither of those two modules imports the other: both import this one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..render.render import Renderer
from ..verdict import Result
from .pagecache import PageCache
from .redactie import Instellingen

log = logging.getLogger("mkdocs.plugins.kompas")


@dataclass
class _State:
    root: Path | None = None
    result: Result | None = None
    renderer: Renderer | None = None
    nav_pages: frozenset[str] = frozenset()  # source paths of the pages in the navigation
    shared: dict = field(default_factory=dict)  # (fragment, base_url, parent folder) -> theme HTML
    # What `make serve` needs to rebuild only what a change touches (see macros/site/serve.py):
    build: Any = None  # (config, files, nav, env) of the last full build, or None (env None: rebuild all)
    generated: dict = field(default_factory=dict)  # src_uri -> Markdown of every generated page
    macro_calls: dict = field(default_factory=dict)  # (src_uri, page url, fragment) -> output
    fresh_macros: dict = field(default_factory=dict)  # outputs rendered by make serve, used once by the macro
    theme_templates: Any = None  # Jinja's cache of compiled theme templates during `kompas bouw`
    page_cache: PageCache | None = None  # during `kompas bouw`: also keeps the session page's files
    redactie: Instellingen | None = None  # the browser editor (extra.kompas.redactie), if built

    def project(self) -> Path:
        """The project being built (set by the config hook, before anything needs it)."""
        if self.root is None:
            raise RuntimeError("Kompas: de projectmap is nog niet bekend (hook_config is niet uitgevoerd).")
        return self.root

    def verdict(self) -> Result:
        """The verdict of the build's content (set by the config hook)."""
        if self.result is None:
            raise RuntimeError("Kompas: de inhoud is nog niet gevalideerd (hook_config is niet uitgevoerd).")
        return self.result


STATE = _State()
