"""The MkDocs adapter: a thin mkdocs-macros ``define_env`` and the build hooks.

This is the only module that knows about MkDocs and mkdocs-macros. It validates the
corpus at the start of every build (the same function and report as the CLI), adds
one generated page per item, and exposes the overview fragments as macros for the
hand-written pages in ``content/pages/``. Everything else lives in the core.
"""

from __future__ import annotations

import logging
import os
import posixpath
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..printing import druk
from ..printing.cards import SITE_FOLDER, KaartFout, build_site_decks, site_deck_plan
from ..content.diagnostics import format_report
from .history import FEED_PATH, atom_feed, fragment_context
from .linkcheck import cache_dir as links_cache_dir, check_site
from .pagecache import PageCache
from .rawhtml import RawHtmlExtension
from . import redactie
from ..content.model import DOELGROEPEN, HERKOMSTEN, KERNWAARDEN
from ..render.render import Renderer, page_path
from ..render.render import DOELGROEP_LABELS, KERNWAARDE_LABELS
from ..render import session
from .search import Indexing, SearchIndexFailed, cache_dir as search_cache_dir
from ..content.cache import project_cache_dir, validation_cache_dir
from ..content import atomic, memo
from ..content.memo import kept
from ..content.paths import SITE_MARKER, SITE_MARKER_TEXT, PathRefused, check_site_dir
from ..content.schema import SCHEMA_DIR
from ..content.layout import Layout
from ..content.validate import Result, validate_corpus

log = logging.getLogger("mkdocs.plugins.kompas")
ASSETS = Path(__file__).resolve().parent / "assets"
SITE_ASSETS = ("kompas.css",)
# Theme override (search dialog, kind labels for search, outdated banner): works like
# MkDocs' theme.custom_dir, but ships with the package so every project build gets it.
OVERRIDES = Path(__file__).resolve().parent / "overrides"


@dataclass
class _State:
    root: Path | None = None
    result: Result | None = None
    renderer: Renderer | None = None
    nav_pages: frozenset[str] = frozenset()  # source paths of the pages in the navigation
    shared: dict = field(default_factory=dict)  # (fragment, base_url, parent folder) -> theme HTML
    # What `make serve` needs to rebuild only what a change touches (see macros/site/serve.py):
    build: tuple | None = None  # (config, files, nav, env) of the last full build
    generated: dict = field(default_factory=dict)  # src_uri -> Markdown of every generated page
    macro_calls: dict = field(default_factory=dict)  # (src_uri, page url, fragment) -> output
    fresh_macros: dict = field(default_factory=dict)  # outputs rendered by make serve, used once by the macro
    theme_templates: object = None  # Jinja's cache of compiled theme templates during `kompas bouw`
    page_cache: PageCache | None = None  # during `kompas bouw`: also keeps the session page's files
    redactie: redactie.Instellingen | None = None  # the browser editor (extra.kompas.redactie), if built


# Render the theme's navigation once per folder depth for pages outside the navigation
# (see shared_fragment); False renders it for every page (the tests compare both).
SHARE_NAVIGATION = True


STATE = _State()


def _renderer() -> Renderer:
    if STATE.renderer is None:
        raise PluginError("Kompas: de inhoud is nog niet geladen (hook_config is niet uitgevoerd).")
    return STATE.renderer


# -- MkDocs hooks (loaded through the hooks shim in mkdocs.yml) -----------------------
def hook_config(config):
    root = Path(config.config_file_path).resolve().parent
    try:  # MkDocs empties site_dir right after this hook: never a folder Kompas may not replace
        check_site_dir(config.site_dir, root)
    except PathRefused as error:
        raise PluginError(f"site_dir: {error}") from None
    result = validate_corpus(root, cache_dir=validation_cache_dir(root))  # unchanged files are not parsed again
    report = format_report(result.diagnostics, f"{len(result.documents)} bestanden")
    if not result.ok:
        raise PluginError("De inhoud bevat fouten; de site wordt niet gebouwd.\n" + report)
    for line in report.splitlines():
        log.info(line)
    if str(OVERRIDES) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(OVERRIDES))
    if not any(isinstance(ext, RawHtmlExtension) for ext in config.markdown_extensions):
        config.markdown_extensions.append(RawHtmlExtension())  # our finished HTML skips Markdown's HTML parser
    settings = config.extra.get("kompas", {}) if config.extra else {}
    watched = set(config.watch)
    for source in (*Layout(root).sources(), Path(SCHEMA_DIR)):  # `mkdocs serve` rebuilds when content changes
        if source.exists() and str(source) not in watched:
            config.watch.append(str(source))
    try:
        STATE.redactie = redactie.instellingen(settings)
    except redactie.RedactieFout as error:
        raise PluginError(str(error)) from None
    STATE.root = root
    STATE.result = result
    STATE.renderer = make_renderer(result.corpus, settings)
    return config


def make_renderer(corpus, settings: dict) -> Renderer:
    """The renderer of a build (and of every `make serve` rebuild): which printed documents the
    pages link to follows the ``kaarten`` switch (decks, draaiboeken and handouts alike)."""
    decks = {job.key: job for job in site_deck_plan(corpus)} if settings.get("kaarten", True) else {}
    if decks:  # the printed facilitator material (draaiboeken, handouts) follows the same switch
        decks.update({item.key: item for item in druk.site_plan(corpus)})
    try:
        editor = redactie.instellingen(settings) is not None
    except redactie.RedactieFout:
        editor = False  # hook_config has already stopped the build with the reason
    return Renderer(corpus, history_url=settings.get("geschiedenis"), decks=decks, edit_links=editor)


def hook_nav(nav, config, files):
    STATE.nav_pages = frozenset(page.file.src_uri for page in nav.pages)
    STATE.shared = {}
    STATE.build = (config, files, nav, None)
    return nav


def hook_env(env, config, files):
    env.globals["kompas_gedeeld"] = shared_fragment
    env.bytecode_cache = STATE.theme_templates  # None outside `kompas bouw` (see _compiled_templates)
    if STATE.build is not None:
        STATE.build = (*STATE.build[:3], env)
    return env


def shared_fragment(name: str, page, base_url: str, render):
    """Theme HTML that is the same on many pages, rendered once.

    The primary navigation and the tabs of a page that is not in the navigation (every
    generated item page) have no active entry, so they differ only in their relative
    links. MkDocs makes a link relative to the page's folder (``dilemmas/`` seen from
    ``dilemmas/x/`` is ``../``, from ``uitspraken/y/`` it is ``../../dilemmas/``), so
    pages in the same parent folder get the same HTML. Rendering Material's navigation
    per page was a third of the theme's time at 10x the corpus. ``render`` is the
    template macro that renders the fragment.
    """
    if not SHARE_NAVIGATION or page is None or page.file.src_uri in STATE.nav_pages:
        return render()
    key = (name, base_url, posixpath.dirname(page.url.rstrip("/")))
    if key not in STATE.shared:
        STATE.shared[key] = render()
    return STATE.shared[key]


def generated_pages(renderer: Renderer) -> dict[str, str]:
    """Every generated page: source path → Markdown."""
    corpus = renderer.corpus
    pages: dict[str, str] = {}
    for sheet in corpus.themabladen:
        pages[page_path("themablad", sheet.id)] = renderer.themablad(sheet)
    for item in corpus.dilemmas:
        pages[page_path("dilemma", item.id)] = renderer.dilemma(item)
    for ruling in corpus.uitspraken:
        pages[page_path("uitspraak", ruling.id)] = renderer.uitspraak(ruling)
    for module in corpus.modules:
        pages[page_path("module", module.id)] = renderer.module(module)
    for topic in corpus.onderwerpen:
        pages[page_path("onderwerp", topic.id)] = renderer.onderwerp(topic)
    for value in KERNWAARDEN:
        pages[page_path("kernwaarde", value)] = renderer.dilemmas_per_kernwaarde(value)
    for group in DOELGROEPEN:
        pages[page_path("doelgroep", group)] = renderer.dilemmas_per_doelgroep(group)
    for origin in HERKOMSTEN:
        pages[page_path("herkomst", origin)] = renderer.dilemmas_per_herkomst(origin)
    pages[session.PAGE] = renderer.sessie()
    pages[session.DRAAIBOEK_PAGE] = renderer.sessie_draaiboek()
    return pages


def hook_files(files: Files, config) -> Files:
    try:  # a dilemma page and the session page hold the dilemma's printed card
        STATE.generated = generated_pages(_renderer())
        session_files = session.site_files(_renderer().corpus, KERNWAARDE_LABELS, DOELGROEP_LABELS)
    except KaartFout as error:
        raise PluginError(f"De dilemmakaarten zijn niet gemaakt: {error}") from None
    STATE.macro_calls, STATE.fresh_macros = {}, {}
    for src_uri, content in STATE.generated.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"content/pages/{src_uri} bestaat al; die naam is voor een gegenereerde pagina.")
        files.append(File.generated(config, src_uri, content=content))
    for name in SITE_ASSETS:
        files.append(File.generated(config, f"assets/{name}", abs_src_path=str(ASSETS / name)))
    # the session page's data, card pieces, scoped card stylesheet and fonts (macros/render/session.py)
    for path, text in session_files.items():
        files.append(_KeptFile.generated(config, path, content=text))
    for path, source in session.font_files().items():
        files.append(File.generated(config, path, abs_src_path=source))
    files.append(File.generated(config, FEED_PATH, content=atom_feed(_renderer(), config.site_url, config.site_name)))
    return files


class _KeptFile(File):
    """A generated site file that the page cache keeps between builds (one per card on the session
    page): linked from the cache when it holds the same bytes, instead of being written again."""

    def copy_file(self, dirty: bool = False) -> None:
        cache = STATE.page_cache
        if cache is None or self._content is None:
            return super().copy_file(dirty)
        target = Path(self.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        cache.write_file(self.content_bytes, target)


# Values kept between builds (macros/content/memo.py): Markdown fields as HTML, card type sizes, card HTML.
MEMOS = ("markdown", "kaartmaat", "kaarthtml")


class EngineStopped(Exception):
    """MkDocs stopped the build; the message says why (the original error is the cause)."""


def build_with_engine(config_file: Path, site_dir: Path) -> None:
    """A strict MkDocs build of ``config_file`` into ``site_dir`` (for macros/site/build.py, which
    swaps it in safely): the one place outside the hooks where Kompas calls MkDocs. Item pages
    whose inputs did not change since the last build come from the page cache
    (:mod:`macros.site.pagecache`, :class:`_PageReuse`)."""
    from mkdocs.commands import build as engine
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        root = Path(config_file).parent
        others = [name for name in config.plugins if name != "macros" and name not in config.hooks]
        with kept(project_cache_dir(root, memo.FOLDER), root, MEMOS) as keep_values, _compiled_templates(root):
            if others:  # another plugin may need to see every page being read: build every page
                log.info(f"Geen paginacache: de plugin(s) {', '.join(others)} moeten elke pagina zien.")
                engine.build(config)
                keep_values()
                return
            reuse = _PageReuse(engine, PageCache(root, _build_digest(config)))
            STATE.page_cache = reuse.cache
            try:
                with reuse:
                    engine.build(config)
            finally:
                STATE.page_cache = None
            reuse.cache.commit()  # only a build that succeeded stores pages (and kept values)
            keep_values()
        if reuse.deferred:
            log.info(f"Itempagina's uit de paginacache: {reuse.cache.hits} van {len(reuse.deferred)}.")
    except (Abort, ConfigurationError) as error:
        raise EngineStopped(str(error)) from error
    except SystemExit as error:  # mkdocs-macros ends the process on a failing macro (on_error_fail)
        raise EngineStopped("een macro gaf een fout") from error


TEMPLATE_CACHE = "sjablonen"


@contextmanager
def _compiled_templates(root: Path):
    """Jinja keeps the compiled templates of Kompas and the theme between builds, while a build runs.

    One folder per environment: Jinja's key is a template's name and source, not the options of
    the environment that compiled it (the print templates are compiled with and without
    ``trim_blocks``). Nor the filters: how a filter is called (with the context or not) is compiled
    into the code, so the folders are per version of the Kompas code; those of other versions are
    removed after a day (not at once: a build of another checkout may be using its folder). Jinja
    writes each file atomically and checks the source's checksum.
    """
    import shutil
    import time

    from jinja2 import FileSystemBytecodeCache

    from ..render import print_html, render as page_render

    environments = {"paginas": page_render.environment(), "druk": print_html.environment(),
                    "drukwerk": druk.environment()}
    parent = atomic.cache_folder(project_cache_dir(root, TEMPLATE_CACHE))
    folders = None
    if parent is not None:
        version = memo.code_digest()[:16]
        for old in parent.iterdir():
            if old.is_dir() and old.name != version and old.stat().st_mtime < time.time() - 24 * 3600:
                shutil.rmtree(old, ignore_errors=True)
        folders = {name: parent / version / name for name in (*environments, "thema")}
        try:
            for folder in folders.values():
                folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folders = None  # a cache that cannot be written is no cache
    if folders is None:
        yield
        return
    for name, env in environments.items():
        env.bytecode_cache = FileSystemBytecodeCache(str(folders[name]))
    STATE.theme_templates = FileSystemBytecodeCache(str(folders["thema"]))
    try:
        yield
    finally:
        for env in environments.values():
            env.bytecode_cache = None
        STATE.theme_templates = None


def _build_digest(config) -> str:
    """What every page of a build depends on besides its own Markdown and the navigation."""
    custom = [config.theme.custom_dir] if config.theme.custom_dir else []
    return memo.digest(Path(config.config_file_path).read_text(encoding="utf-8"), str(config.site_url),
                       str(config.use_directory_urls), memo.folder_digest(custom))


class _PageReuse:
    """Item pages outside the navigation come from the page cache when their inputs are unchanged.

    MkDocs reads and renders every page (``_populate_page``), then passes each to the theme
    (``_build_page``). For a generated item page outside the navigation (its Markdown is known
    before the build and holds no macros) both steps wait until the navigation pages are
    rendered, so the key can include the navigation as the theme shows it; on a hit the finished
    page is copied and the page gets back what MkDocs' own anchor check reads (title, anchors,
    links to anchors), on a miss both steps run as usual. Kompas's link check reads every
    finished page afterwards either way. tests/test_page_cache.py fails loudly when the MkDocs
    internals this relies on change (the two steps, their callers, ``Page`` attributes).
    """

    def __init__(self, engine, cache: PageCache) -> None:
        self.engine, self.cache = engine, cache
        self.populate, self.build_page = engine._populate_page, engine._build_page
        self.deferred: set[str] = set()
        self.site: str | None = None

    def __enter__(self) -> "_PageReuse":
        self.engine._populate_page, self.engine._build_page = self._populate_page, self._build_page
        return self

    def __exit__(self, *exc) -> None:
        self.engine._populate_page, self.engine._build_page = self.populate, self.build_page

    def _populate_page(self, page, config, files, dirty=False):
        src = page.file.src_uri
        if src in STATE.generated and src not in STATE.nav_pages:
            self.deferred.add(src)  # read and rendered in _build_page, when it is not in the cache
            return None
        return self.populate(page, config, files, dirty)

    def _build_page(self, page, config, doc_files, nav, env, dirty=False, excluded=False):
        src = page.file.src_uri
        if src not in self.deferred:
            return self.build_page(page, config, doc_files, nav, env, dirty, excluded)
        files = STATE.build[1]
        if self.site is None:  # every navigation page is rendered by now
            self.site = _site_signature(nav, files)
        key = self.cache.key(self.site, src, page.url, STATE.generated[src])
        target = Path(page.file.abs_dest_path)
        meta = self.cache.restore(key, target)
        if meta is not None:
            page._title_from_render = meta["title"]
            page.present_anchor_ids = set(meta["anchors"])
            linked = {files.get_file_from_path(to): links for to, links in meta["links"].items()}
            page.links_to_anchors = {to: links for to, links in linked.items() if to is not None}
            return None
        self.populate(page, config, files, dirty)
        self.build_page(page, config, doc_files, nav, env, dirty, excluded)
        self.cache.keep(key, target, {
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {to.src_uri: links for to, links in (page.links_to_anchors or {}).items()},
        })
        return None


def _site_signature(nav, files) -> str:
    """The navigation as the theme shows it (kind, title, URL and metadata of every entry, in
    order) and the path of every file: what an item page outside the navigation shows of the site."""
    parts: list[str] = []

    def walk(items, depth: int) -> None:
        for item in items:
            meta = sorted((str(k), repr(v)) for k, v in (getattr(item, "meta", None) or {}).items())
            parts.append(f"{depth}|{type(item).__name__}|{item.title}|{getattr(item, 'url', '')}|{meta}")
            walk(getattr(item, "children", None) or (), depth + 1)

    walk(nav.items, 0)
    parts.extend(sorted(f"{f.src_uri}>{f.dest_uri}>{f.url}" for f in files))
    return memo.digest(*parts)


def card_cache_dir(root: Path) -> Path:
    """Where rendered card decks are kept between builds (KOMPAS_CACHE_DIR overrides)."""
    return project_cache_dir(root, "kaarten")


def print_documents(result, root: Path, site_dir: Path, site_url: str | None, *, workers: int | None = None):
    """The card decks, draaiboeken and handouts of a valid corpus into ``site_dir`` (cached per
    document); raises KaartFout or DrukFout with a Dutch message that names what was not made."""
    try:
        decks = build_site_decks(result.corpus, site_dir / SITE_FOLDER, cache_dir=card_cache_dir(root),
                                 workers=workers or min(2, os.cpu_count() or 1), site_url=site_url)
    except KaartFout as error:
        raise KaartFout(f"De dilemmakaarten zijn niet gemaakt: {error}") from None
    try:
        printed = druk.build_site_printed(result.corpus, site_dir / druk.SITE_FOLDER,
                                          cache_dir=project_cache_dir(root, "druk"), site_url=site_url,
                                          positions=druk.sheet_positions(result.documents))
    except druk.DrukFout as error:
        raise druk.DrukFout(f"De draaiboeken en handouts zijn niet gemaakt: {error}") from None
    return decks, printed


def hook_post_build(config) -> None:
    """Index for search (in the background), render the card decks, check every link and anchor."""
    renderer = _renderer()
    site_dir = Path(config.site_dir)
    (site_dir / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")  # a later build may replace it
    if STATE.redactie is not None:  # the browser editor (not indexed, not link-checked)
        version = (config.extra.get("version") or {}) if config.extra else {}
        redactie.write_site(site_dir, STATE.redactie, site_name=config.site_name,
                            default_version=str(version.get("default") or "latest"))
    try:
        # Pagefind reads only the HTML, which is complete now; unchanged shards come from the cache
        indexing = Indexing(site_dir, cache_dir=search_cache_dir(STATE.root))
    except SearchIndexFailed as error:
        raise PluginError(str(error)) from None
    try:
        if renderer.decks:
            try:
                decks, printed = print_documents(STATE.result, STATE.root, site_dir, config.site_url)
            except (KaartFout, druk.DrukFout) as error:
                raise PluginError(str(error)) from None
            log.info(f"Dilemmakaarten: {len(decks)} PDF's.")
            log.info(f"Draaiboeken en handouts: {len(printed)} PDF's.")
        problems = check_site(site_dir, cache_dir=links_cache_dir(STATE.root))
        if problems:
            shown = "\n".join(f"  {p}" for p in problems[:50])
            more = f"\n  ... en nog {len(problems) - 50}" if len(problems) > 50 else ""
            raise PluginError(f"{len(problems)} kapotte link(s) of anker(s) in de gebouwde site:\n{shown}{more}")
    except BaseException:
        indexing.cancel()
        raise
    try:
        stats = indexing.finish()
    except SearchIndexFailed as error:
        raise PluginError(str(error)) from None
    log.info(f"Zoekindex: {stats.pages} pagina's, {stats.words} woorden.")


# -- mkdocs-macros ---------------------------------------------------------------------
FRAGMENTS = {
    "themablad_overzicht": "themablad_overzicht",
    "dilemma_overzicht": "dilemma_overzicht",
    "jurisprudentie_overzicht": "jurisprudentie",
    "wetgeving_overzicht": "wetgeving",
    "module_overzicht": "module_overzicht",
    "onderwerp_overzicht": "onderwerp_overzicht",
    "meldroutes": "meldroutes",
    "kernwaarden_overzicht": "kernwaarden",
    "reeks_inleiding": "reeks",
    "start_tegels": "start",
    "wijzigingen": "wijzigingen",
    "te_herzien": "te_herzien",
    "kaarten_overzicht": "kaarten",
}


def define_env(env) -> None:
    """Register one macro per fragment; each renders for the page that calls it."""

    def make(fragment: str):
        def macro() -> str:
            renderer = _renderer()
            key = (env.page.file.src_uri, env.page.url, fragment)
            output = STATE.fresh_macros.pop(key, None)
            if output is None:
                output = renderer.fragment(fragment, env.page.url, **fragment_context(fragment, renderer))
            STATE.macro_calls[key] = output  # for make serve
            return output

        macro.__name__ = fragment
        return macro

    for name, fragment in FRAGMENTS.items():
        env.macro(make(fragment), name)


def hook_serve(server, config, builder):
    """`mkdocs serve`: the rebuild after a change touches only what the change touches, and a
    change is noticed at once (inotify instead of MkDocs' file polling every half second)."""
    from .serve import ServeRebuild, change_observer  # the serve-only part of the adapter

    server.builder = ServeRebuild(builder, config)
    watched = list(server._watched_paths)
    server.observer.unschedule_all()
    server.observer = change_observer()
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path in watched:
        server.watch(path)
    return server
