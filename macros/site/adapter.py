"""The site adapter: a thin mkdocs-macros ``define_env`` and the build hooks.

It asks the site engine for what it needs through the seam (macros/site/engine.py, the only module
that imports MkDocs or ProperDocs); mkdocs-macros imports this module by name. It validates the
corpus at the start of every build (the same function and report as the CLI), adds
one generated page per item, and exposes the overview fragments as macros for the
hand-written pages in ``content/pages/``. Everything else lives in the core.
"""

from __future__ import annotations

import os
import posixpath
import signal
from contextlib import contextmanager
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from ..content.diagnostics import format_report
from ..content.layout import Layout
from ..content.vocabulary import SCHEMA_DIR
from ..printing import druk
from ..printing.cards import KaartFout
from ..render import session
from ..render.render import DOELGROEP_LABELS, KERNWAARDE_LABELS, MACROS, Renderer
from ..store import keys
from ..store.cache import Cache
from ..store.children import die_with_parent
from ..store.errors import ContentError, PathRefused
from ..store.keys import project_cache_dir
from ..store.memo import FOLDER as MEMO_FOLDER
from ..store.memo import kept
from ..store.paths import SITE_MARKER, SITE_MARKER_TEXT, check_site_dir
from ..verdict import validate_project
from . import engine, redactie
from .engine import Files, PluginError
from .history import FEED_PATH, atom_feed, fragment_context
from .linkcheck import cache_dir as links_cache_dir
from .linkcheck import check_site
from .pagecache import PageCache
from .pages import generated_pages, make_renderer, print_documents
from .rawhtml import RawHtmlExtension
from .search import Indexing, SearchIndexFailed
from .search import cache_dir as search_cache_dir
from .state import STATE, log

ASSETS = Path(__file__).resolve().parent / "assets"
SITE_ASSETS = ("kompas.css",)
# Theme override (search dialog, kind labels for search, outdated banner): works like
# MkDocs' theme.custom_dir, but ships with the package so every project build gets it.
OVERRIDES = Path(__file__).resolve().parent / "overrides"


# Render the theme's navigation once per folder depth for pages outside the navigation
# (see shared_fragment); False renders it for every page (the tests compare both).
SHARE_NAVIGATION = True


def _renderer() -> Renderer:
    if STATE.renderer is None:
        raise PluginError("Kompas: de inhoud is nog niet geladen (hook_config is niet uitgevoerd).")
    return STATE.renderer


# -- MkDocs hooks (loaded through the hooks shim in mkdocs.yml) -----------------------
def hook_config(config):
    settings = config.extra.get("kompas", {}) if config.extra else {}
    release = isinstance(settings, dict) and settings.get(RELEASE_KEY)
    if release:  # a release (kompas publiceer): this process dies with mike, which dies with Kompas
        _die_with_release(settings.get(RELEASE_PROCESS_KEY))
    root = Path(release).resolve() if release else Path(config.config_file_path).resolve().parent
    try:  # MkDocs empties site_dir right after this hook: never a folder Kompas may not replace
        check_site_dir(config.site_dir, root)
    except PathRefused as error:
        raise PluginError(f"site_dir: {error}") from error
    result = validate_project(root, cache_root=keys.cache_root(root))  # unchanged files are not parsed again
    report = format_report(result.diagnostics, f"{len(result.documents)} bestanden")
    if not result.ok:
        raise PluginError("De inhoud bevat fouten:\n" + report) from ContentError("De inhoud bevat fouten.")
    for line in report.splitlines():
        log.info(line)
    if str(OVERRIDES) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(OVERRIDES))
    if not any(isinstance(ext, RawHtmlExtension) for ext in config.markdown_extensions):
        config.markdown_extensions.append(RawHtmlExtension())  # our finished HTML skips Markdown's HTML parser
    watched = set(config.watch)
    for source in (*Layout(root).sources(), Path(SCHEMA_DIR)):  # `mkdocs serve` rebuilds when content changes
        if source.exists() and str(source) not in watched:
            config.watch.append(str(source))
    try:
        STATE.redactie = redactie.instellingen(settings)
    except redactie.RedactieFout as error:  # MISLUKT, like a mkdocs.yml MkDocs cannot load
        raise PluginError(str(error)) from error
    STATE.root = root
    STATE.result = result
    STATE.renderer = make_renderer(result.corpus, settings)
    return config


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


def hook_files(files: Files, config) -> Files:
    try:  # a dilemma page and the session page hold the dilemma's printed card
        STATE.generated = generated_pages(_renderer())
        session_files = session.site_files(_renderer().corpus, KERNWAARDE_LABELS, DOELGROEP_LABELS)
    except KaartFout as error:
        raise PluginError(f"De dilemmakaarten zijn niet gemaakt: {error}") from error
    STATE.macro_calls, STATE.fresh_macros = {}, {}
    taken = {file.dest_uri: file.src_uri for file in files}  # a page with the same address would be overwritten
    for src_uri, content in STATE.generated.items():
        generated = engine.generated(config, src_uri, content=content)
        clash = src_uri if files.get_file_from_path(src_uri) is not None else taken.get(generated.dest_uri)
        if clash is not None:  # (validation reports it first: PAGINA-NAAM, macros/verdict/pages.py)
            message = f"content/pages/{clash} heeft de naam of het adres van een pagina die Kompas maakt ({src_uri})."
            raise PluginError(message) from ContentError(message, code="BOUW-GEWEIGERD")
        files.append(generated)
    for name in SITE_ASSETS:
        files.append(engine.generated(config, f"assets/{name}", abs_src_path=str(ASSETS / name)))
    # the session page's data, card pieces, scoped card stylesheet and fonts (macros/render/session.py)
    for path, text in session_files.items():
        files.append(engine.stored(config, path, text, _kept_file))
    for path, source in session.font_files().items():
        files.append(engine.generated(config, path, abs_src_path=source))
    files.append(engine.generated(config, FEED_PATH, content=atom_feed(_renderer(), config.site_url, config.site_name)))
    return files


def _kept_file(data: bytes, target: Path) -> bool:
    """A generated site file that the page cache keeps between builds (one per card on the session
    page): linked from the cache when it holds the same bytes, instead of being written again.
    False outside `kompas bouw` (no page cache): the engine writes it."""
    cache = STATE.page_cache
    if cache is None:
        return False
    cache.write_file(data, target)
    return True


# Values kept between builds (macros/store/memo.py): Markdown fields as HTML, card type sizes, card HTML.
MEMOS = ("markdown", "kaartmaat", "kaarthtml")


# The project folder and the pid of `kompas publiceer`, in the configuration a release writes for mike
# (see write_release_config).
RELEASE_KEY = "projectmap"
RELEASE_PROCESS_KEY = "publiceerproces"


def _die_with_release(kompas: object) -> None:
    """In mike's process, or in the build mike starts: die when the parent dies (the kernel does it), and
    at once when Kompas is gone already (it died before this process could ask the kernel)."""
    die_with_parent()
    if not isinstance(kompas, int):
        return
    parent = os.getppid()
    if parent == kompas:  # mike itself
        return
    grandparent = _parent_of(parent)
    if grandparent is not None and grandparent != kompas:  # mike or Kompas gone already (no /proc: cannot tell)
        os.kill(os.getpid(), signal.SIGKILL)


def _parent_of(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        return int(text[text.rindex(")") + 2 :].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def write_release_config(root: Path, folder: Path, site_dir: Path) -> Path:
    """The project's mkdocs.yml as mike needs it for a release, written in ``folder`` (the release's
    temporary folder in the cache), not beside mkdocs.yml: mike's ``plugin`` listed already (so mike
    writes no ``mike-mkdocs*.yml`` of its own in the project, which a killed release would leave
    behind), ``site_dir`` the release's temporary site, the paths the engine reads relative to its
    configuration made absolute, and ``extra.kompas.projectmap`` naming the project, which
    :func:`hook_config` takes as the root. Read and written through the engine seam with mike's own
    round-trip YAML (tags such as ``!ENV`` kept as they are). Returns the file."""
    root = Path(root)
    config = engine.read_config_source(root / "mkdocs.yml")
    _with_mike_plugin(config)
    _absolute_paths(config, root)
    config["site_dir"] = str(site_dir)
    extra = config.setdefault("extra", {})
    if isinstance(extra, dict):
        kompas = extra.setdefault("kompas", {})
        if isinstance(kompas, dict):
            kompas[RELEASE_KEY] = str(root)
            kompas[RELEASE_PROCESS_KEY] = os.getpid()
    target = Path(folder) / "mkdocs.yml"
    engine.write_config_source(config, target)
    return target


def _with_mike_plugin(config: dict) -> None:
    """mike's plugin in the configuration's plugins (first), unless it is listed already."""
    plugins = config.setdefault("plugins", ["search"])
    if isinstance(plugins, dict):
        config["plugins"] = {"mike": {}, **plugins}
    elif not any(item == "mike" or (isinstance(item, dict) and "mike" in item) for item in plugins):
        plugins.insert(0, "mike")


def _absolute_paths(config: dict, root: Path) -> None:
    """The paths the engine reads relative to the configuration file, made absolute (the release's
    configuration lies in another folder)."""

    def absolute(value):
        return str(root / value) if isinstance(value, str) and not os.path.isabs(value) else value

    config["docs_dir"] = absolute(config.get("docs_dir", "docs"))
    if isinstance(config.get("hooks"), list):
        config["hooks"] = [absolute(hook) for hook in config["hooks"]]
    if isinstance(config.get("theme"), dict) and "custom_dir" in config["theme"]:
        config["theme"]["custom_dir"] = absolute(config["theme"]["custom_dir"])
    if isinstance(config.get("watch"), list):
        config["watch"] = [absolute(path) for path in config["watch"]]


def build_with_engine(config_file: Path, site_dir: Path, *, decks: bool = True) -> None:
    """A strict build of ``config_file`` into ``site_dir`` by the site engine (for macros/site/build.py,
    which swaps it in safely), with the values, compiled templates and finished pages kept between
    builds. Item pages whose inputs did not change since the last build come from the page cache
    (:mod:`macros.site.pagecache`, :class:`_PageReuse`). ``decks=False``: this build makes no printed
    documents, as ``extra.kompas.kaarten: false`` in mkdocs.yml would say (`kompas bouw --zonder-kaarten`).
    Raises :class:`macros.site.engine.EngineStopped`."""
    config = engine.load(config_file, site_dir, extra=None if decks else {"kompas": {"kaarten": False}})
    root = Path(config_file).parent
    others = [name for name in config.plugins if name != "macros" and name not in config.hooks]
    with kept(project_cache_dir(root, MEMO_FOLDER), MEMOS) as keep_values, _compiled_templates(root):
        if others:  # another plugin may need to see every page being read: build every page
            log.info(f"Geen paginacache: de plugin(s) {', '.join(others)} moeten elke pagina zien.")
            engine.build(config)
            keep_values()
            return
        reuse = _PageReuse(PageCache(root, _build_digest(config)))
        STATE.page_cache = reuse.cache
        try:
            with engine.page_steps(reuse.populate, reuse.build_page):
                engine.build(config)
        finally:
            STATE.page_cache = None
        reuse.cache.commit()  # only a build that succeeded stores pages (and kept values)
        keep_values()
    if reuse.deferred:
        log.info(f"Itempagina's uit de paginacache: {reuse.cache.hits} van {len(reuse.deferred)}.")


TEMPLATE_CACHE = "sjablonen"


@contextmanager
def _compiled_templates(root: Path):
    """Jinja keeps the compiled templates of Kompas and the theme between builds, while a build runs.

    One folder per environment: Jinja's key is a template's name and source, not the options of
    the environment that compiled it (the print templates are compiled with and without
    ``trim_blocks``). Nor the filters: how a filter is called (with the context or not) is compiled
    into the code, so the folders are per version of the Kompas code (a subfolder of the project's
    cache ``sjablonen``); those of other versions are removed after a day (not at once: a build of
    another checkout may be using its folder). Jinja writes each file atomically and checks the
    source's checksum; the file names do not depend on where the checkout is (:class:`_PortableBytecodeCache`).
    """
    from ..render import print_html
    from ..render import render as page_render

    environments = {
        "paginas": page_render.environment(),
        "druk": print_html.environment(),
        "drukwerk": druk.environment(),
    }
    cache = Cache.of(root, TEMPLATE_CACHE)
    version = keys.code_digest()[:16]
    folders = {name: cache.subfolder(f"{version}/{name}") for name in (*environments, "thema")}
    if not all(folders.values()):  # a cache that cannot be written is no cache
        yield
        return
    cache.keep_only({version}, grace=24 * 3600)
    for name, env in environments.items():
        env.bytecode_cache = _PortableBytecodeCache(str(folders[name]))
    STATE.theme_templates = _PortableBytecodeCache(str(folders["thema"]))
    try:
        yield
    finally:
        for env in environments.values():
            env.bytecode_cache = None
        STATE.theme_templates = None


def _portable(filename: str | None) -> str | None:
    """A template's file name without the part that depends on where Kompas and its libraries are
    installed: from ``macros/`` or from the installed package's folder on."""
    if filename is None:
        return None
    path = Path(filename)
    if path.is_relative_to(keys.PACKAGE):
        return "macros/" + path.relative_to(keys.PACKAGE).as_posix()
    marker = f"{os.sep}site-packages{os.sep}"
    return filename.rsplit(marker, 1)[-1] if marker in filename else filename


class _PortableBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache with keys of the template's name and its file name relative to the
    package, not its absolute path: a cache kept by CI serves the next checkout, wherever it is."""

    def get_bucket(self, environment, name, filename, source):
        return super().get_bucket(environment, name, _portable(filename), source)

    def dump_bytecode(self, bucket) -> None:
        try:  # a cache that cannot be written is no cache (a folder deleted during the build: make clean)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _build_digest(config) -> str:
    """What every page of a build depends on besides its own Markdown and the navigation."""
    custom = [config.theme.custom_dir] if config.theme.custom_dir else []
    return keys.digest(
        Path(config.config_file_path).read_text(encoding="utf-8"),
        str(config.site_url),
        str(config.use_directory_urls),
        keys.folder_digest(custom),
    )


class _PageReuse:
    """Item pages outside the navigation come from the page cache when their inputs are unchanged.

    The engine reads and renders every page, then passes each to the theme (its two page steps, taken
    over through :func:`macros.site.engine.page_steps`). For a generated item page outside the
    navigation (its Markdown is known before the build and holds no macros) both steps wait until the
    navigation pages are rendered, so the key can include the navigation as the theme shows it; on a
    hit the finished page is copied and the page gets back what the engine's own anchor check reads
    (:func:`macros.site.engine.restore_page_record`), on a miss both steps run as usual. Kompas's link
    check reads every finished page afterwards either way. tests/site/test_engine.py fails loudly when
    the engine internals this relies on change.
    """

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache
        self.deferred: set[str] = set()
        self.site: str | None = None

    def populate(self, own, page, config, files, dirty=False):
        src = page.file.src_uri
        if src in STATE.generated and src not in STATE.nav_pages:
            self.deferred.add(src)  # read and rendered in build_page, when it is not in the cache
            return None
        return own.populate(page, config, files, dirty)

    def build_page(self, own, page, config, doc_files, nav, env, dirty=False, excluded=False):
        src = page.file.src_uri
        if src not in self.deferred:
            return own.build(page, config, doc_files, nav, env, dirty, excluded)
        files = STATE.build[1]
        if self.site is None:  # every navigation page is rendered by now
            self.site = _site_signature(nav, files)
        key = self.cache.key(self.site, src, page.url, STATE.generated[src])
        target = Path(page.file.abs_dest_path)
        record = self.cache.restore(key, target)
        if record is not None:
            engine.restore_page_record(page, record, files)
            return None
        own.populate(page, config, files, dirty)
        own.build(page, config, doc_files, nav, env, dirty, excluded)
        self.cache.keep(key, target, engine.page_record(page))
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
    return keys.digest(*parts)


def hook_post_build(config) -> None:
    """Index for search (in the background), render the card decks, check every link and anchor."""
    renderer = _renderer()
    site_dir = Path(config.site_dir)
    (site_dir / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")  # a later build may replace it
    if STATE.redactie is not None:  # the browser editor (not indexed, not link-checked)
        version = (config.extra.get("version") or {}) if config.extra else {}
        redactie.write_site(
            site_dir,
            STATE.redactie,
            site_name=config.site_name,
            default_version=str(version.get("default") or "latest"),
        )
    try:
        # Pagefind reads only the HTML, which is complete now; unchanged shards come from the cache
        indexing = Indexing(site_dir, cache_dir=search_cache_dir(STATE.project()))
    except SearchIndexFailed as error:
        raise PluginError(str(error)) from error
    try:
        if renderer.decks:
            try:
                decks, printed = print_documents(STATE.verdict(), STATE.project(), site_dir, config.site_url)
            except (KaartFout, druk.DrukFout) as error:
                raise PluginError(str(error)) from error
            log.info(f"Dilemmakaarten: {len(decks)} PDF's.")
            log.info(f"Draaiboeken en handouts: {len(printed)} PDF's.")
        problems = check_site(site_dir, cache_dir=links_cache_dir(STATE.project()))
        if problems:
            # every one: `kompas bouw` shows each once, the first 50 (macros/site/build.py)
            shown = "\n".join(f"  {p}" for p in problems)
            message = f"{len(problems)} kapotte link(s) of anker(s) in de gebouwde site:\n{shown}"
            raise PluginError(message) from ContentError(message, code="BOUW-GEWEIGERD")
    except BaseException:
        indexing.cancel()
        raise
    try:
        stats = indexing.finish()
    except SearchIndexFailed as error:
        raise PluginError(str(error)) from error
    log.info(f"Zoekindex: {stats.pages} pagina's, {stats.words} woorden.")


# -- mkdocs-macros ---------------------------------------------------------------------
FRAGMENTS = MACROS  # the macros of the hand-written pages (macros/render/render.py; checked by validation)


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
