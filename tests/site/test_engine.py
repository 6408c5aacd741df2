"""The engine seam (macros/site/engine.py): which engine built the site, and the engine internals the
seam relies on (the engine has no public API for them). `make test-properdocs` runs the site tier with
KOMPAS_ENGINE=properdocs: then these tests prove that ProperDocs, not MkDocs, built the site."""

from __future__ import annotations

import inspect
import os
import re
import sys

from macros.site import engine


def _tested_engine() -> None:
    kind, _, version = engine.name().partition(" ")
    assert engine.TESTED.get(kind) == version, (
        f"{engine.name()} is nog niet getest: controleer macros/site/engine.py en zet de versie in engine.TESTED"
    )


def test_the_engine_that_built_the_site_is_the_one_asked_for(starter_site):
    """The theme names the engine in every page (``<meta name="generator">``): the starter site of this
    test run was built by the engine KOMPAS_ENGINE asks for, through the seam."""
    wanted = os.environ.get("KOMPAS_ENGINE", "mkdocs")
    html = (starter_site / "index.html").read_text(encoding="utf-8")
    generator = re.search(r'<meta name="generator" content="([^"]+)"', html).group(1)
    if wanted == "properdocs":
        assert engine.name().startswith("ProperDocs ") and sys.modules["mkdocs"].__name__ == "properdocs"
        assert generator.startswith(f"mkdocs-ProperDocs {engine.name().split()[1]},"), generator
        assert engine.command() == "properdocs"
    else:
        assert engine.name() == "MkDocs 1.6.1" and sys.modules["mkdocs"].__name__ == "mkdocs"
        assert generator.startswith("mkdocs-1.6.1,"), generator
        assert engine.command() == "mkdocs"


def test_only_the_seam_names_the_engines_private_parts():
    """The private page steps and attributes of the engine appear in the seam and nowhere else."""
    from lib.project import ROOT

    private = re.compile(r"_populate_page|_build_page\b|_title_from_render|_watched_paths|_watch_refs")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "macros").rglob("*.py"))
        if path.name != "engine.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []


def test_the_page_steps_the_page_cache_relies_on():
    """The seam takes over the engine's two page steps during `kompas bouw` (engine.page_steps, used by
    _PageReuse in macros/site/adapter.py) and reads and restores a page's record. When the engine changes
    any of this, this test fails (and macros/site/engine.py must follow)."""
    _tested_engine()
    from mkdocs.commands import build
    from mkdocs.structure.pages import Page

    source = inspect.getsource(build.build)
    # both steps are looked up as module globals while the build runs, populate before on_env and build after
    assert "_populate_page(file.page, config, files, dirty)" in source
    assert "_build_page(\n                file.page, config, doc_files, nav, env, dirty, excluded=" in source
    assert source.index("_populate_page(file.page") < source.index("config.plugins.on_env(")
    assert source.index("config.plugins.on_env(") < source.index("_build_page(\n")
    assert source.index("_build_page(\n") < source.index("validate_anchor_links(")
    assert list(inspect.signature(build._populate_page).parameters) == ["page", "config", "files", "dirty"]
    assert list(inspect.signature(build._build_page).parameters) == [
        "page",
        "config",
        "doc_files",
        "nav",
        "env",
        "dirty",
        "excluded",
    ]
    # what a page read from the cache gets back: its title and what the anchor check reads
    render = inspect.getsource(Page.render)
    assert "self._title_from_render = " in render and "self.present_anchor_ids = (" in render
    assert "self.links_to_anchors = " in render
    assert "if self._title_from_render:" in inspect.getsource(Page)
    assert "self.links_to_anchors" in inspect.getsource(Page.validate_anchor_links)
    # the page is written to this path
    assert "page.file.abs_dest_path" in inspect.getsource(build._build_page)


# -- the rebuild step of make serve (macros/site/serve.py, ServeRebuild) ---------------------------------
def test_the_server_internals_the_serve_loop_relies_on():
    """The serve loop replaces the rebuild step of the engine's dev server and runs the engine's own page
    steps (engine.take_over_serve, engine.populate_page, engine.build_page). When the engine changes any
    of this, this test fails (and macros/site/engine.py or macros/site/serve.py must follow)."""
    _tested_engine()
    from mkdocs.commands import build, serve
    from mkdocs.exceptions import Abort
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.plugins import PluginCollection
    from mkdocs.structure.files import File

    # the build loop calls `self.builder()` without arguments and holds page requests until it returns
    loop = inspect.getsource(LiveReloadServer._build_loop)
    assert "self.builder()" in loop and "_visible_epoch = self._wanted_epoch" in loop
    assert "self.builder = builder" in inspect.getsource(LiveReloadServer.__init__)
    assert "self._visible_epoch == self._wanted_epoch" in inspect.getsource(LiveReloadServer._serve_request)
    # an Abort is shown as a message (no traceback) and leaves the server waiting for a good build
    assert issubclass(Abort, SystemExit) and "isinstance(e, SystemExit)" in loop
    # watching: hook_serve moves the watched paths to another observer
    watch = inspect.getsource(LiveReloadServer.watch)
    assert "self._watched_paths[path] = 1" in watch and "self._watch_refs[path] = self.observer.schedule(" in watch
    # the on_serve event gets the server before it starts, and the watched paths of config.watch after it
    source = inspect.getsource(serve.serve)
    assert source.index("on_serve(server") < source.index("for item in config.watch")
    assert list(inspect.signature(PluginCollection.on_serve).parameters) == ["self", "server", "config", "builder"]
    # the page steps and what they read
    assert list(inspect.signature(build._populate_page).parameters) == ["page", "config", "files", "dirty"]
    assert list(inspect.signature(build._build_page).parameters) == [
        "page",
        "config",
        "doc_files",
        "nav",
        "env",
        "dirty",
        "excluded",
    ]
    assert "page.file.abs_dest_path" in inspect.getsource(build._build_page)
    assert "page.read_source(config)" in inspect.getsource(build._populate_page)
    assert isinstance(File.content_string, property) and File.content_string.fset is not None
    assert "abs_dest_path" in vars(File) and hasattr(vars(File)["abs_dest_path"], "attrname")  # cached_property
