"""The site engine seam: the one module of Kompas that imports the engine (MkDocs, or ProperDocs).

Everything Kompas asks of the engine goes through here (see docs/engine.md):

* load a configuration strictly, and build it (:func:`load`, :func:`build`);
* the objects the hooks hand around: generated files (:func:`generated`, :class:`StoredFile`),
  the engine's refusal of a build (:class:`PluginError`, :class:`Abort`), its logger (:data:`LOGGER`);
* the page steps, for the page cache of a build and the rebuild of one page in the `make serve`
  loop (:func:`page_steps`, :func:`populate_page`, :func:`build_page`, :func:`page_record`,
  :func:`restore_page_record`): MkDocs has no public API for these, so its two private page steps
  and the private attributes of a page are used here and nowhere else;
* the dev server of `make serve` (:func:`take_over_serve`: its builder and file observer);
* a configuration file as written, for the configuration a release hands to mike
  (:func:`read_config_source`, :func:`write_config_source`, with mike's round-trip YAML).

The hooks themselves are the thin shim macros/site/mkdocs_hooks.py (MkDocs loads hooks by file
path) and mkdocs-macros calls ``define_env`` in macros/site/adapter.py (it imports a module by
name); neither imports the engine.

``KOMPAS_ENGINE=properdocs`` builds with ProperDocs (https://properdocs.org, the continuation of
MkDocs 1.6.1): this module then imports ``properdocs.replacement`` before anything else imports
``mkdocs``, and every ``mkdocs.*`` import (of Kompas, of mkdocs-macros, of Material) is ProperDocs'.
The CLI ``properdocs`` does the same on its own. :func:`name` says which engine runs.
:data:`TESTED` holds the versions whose private page steps tests/site/test_engine.py checks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if os.environ.get("KOMPAS_ENGINE", "mkdocs") == "properdocs":
    import properdocs.replacement  # noqa: F401 - from here on, every `mkdocs.*` import is ProperDocs'

import mkdocs
from mkdocs.commands import build as _build
from mkdocs.config import load_config as _load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.structure.files import File, Files

from ..store.errors import KompasError

__all__ = [
    "LOGGERS",
    "TESTED",
    "Abort",
    "EngineSteps",
    "EngineStopped",
    "File",
    "Files",
    "PluginError",
    "StoredFile",
    "build",
    "build_page",
    "command",
    "generated",
    "load",
    "name",
    "page_record",
    "page_steps",
    "populate_page",
    "read_config_source",
    "restore_page_record",
    "stored",
    "take_over_serve",
    "write_config_source",
]

# The loggers the engine and its plugins write to: plugins (mkdocs-macros, Kompas's own) log under
# "mkdocs.plugins.*"; ProperDocs' own modules log under "properdocs.*".
LOGGERS = ("properdocs", "mkdocs") if mkdocs.__name__ == "properdocs" else ("mkdocs",)
# The engine versions whose private page steps and page attributes this module is tested against.
TESTED = {"MkDocs": "1.6.1", "ProperDocs": "1.6.7"}


def name() -> str:
    """The engine that runs, with its version: ``MkDocs 1.6.1`` or ``ProperDocs 1.6.7``."""
    engine = "ProperDocs" if mkdocs.__name__ == "properdocs" else "MkDocs"
    return f"{engine} {mkdocs.__version__}"


def command() -> str:
    """The engine's program (``mkdocs`` or ``properdocs``), as `make serve` runs it."""
    return "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"


class EngineStopped(KompasError):
    """The engine stopped the build; the message says why (the original error is the cause), and the
    code whose problem it is: that of a refusal of Kompas behind it (the content's errors, a card, a
    handout, Pagefind, a path), BOUW-GEWEIGERD for what the pages made (strict mode's warnings, a
    macro that failed), MISLUKT for a configuration the engine cannot load."""


def load(config_file: Path, site_dir: Path, *, extra: dict[str, dict[str, Any]] | None = None) -> Any:
    """The strict configuration of ``config_file``, building into ``site_dir``; :class:`EngineStopped`
    (MISLUKT) when the engine cannot load it. ``extra``: settings laid over those under ``extra:`` of
    the file, a section each (``{"kompas": {"kaarten": False}}`` keeps the file's other ``kompas``
    settings), as if the file said so."""
    try:
        config = _load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
    except (Abort, ConfigurationError) as error:
        raise EngineStopped(str(error), code="MISLUKT") from error
    for section, values in (extra or {}).items():
        config.extra[section] = {**(config.extra.get(section) or {}), **values}
    return config


def build(config: Any) -> None:
    """Build ``config``; :class:`EngineStopped` with the code of what stopped it."""
    try:
        _build.build(config)
    except (Abort, ConfigurationError) as error:
        raise EngineStopped(str(error), code=_refusal_code(error)) from error
    except SystemExit as error:  # mkdocs-macros ends the process on a failing macro (on_error_fail)
        raise EngineStopped("een macro gaf een fout", code="BOUW-GEWEIGERD") from error
    except KompasError:
        raise
    except Exception as error:  # the engine or a template stopped in a way of its own: no traceback for a person
        raise EngineStopped(
            f"de site-engine stopte met een fout ({type(error).__name__}); `kompas bouw --uitgebreid` toont waar",
            code="MISLUKT",
        ) from error


def _refusal_code(error: BaseException) -> str:
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        if isinstance(found, KompasError):
            return found.code
        if isinstance(found, ConfigurationError):
            return "MISLUKT"
        found = found.__cause__ or found.__context__
    return "BOUW-GEWEIGERD"


# -- a configuration as written (a release's configuration for mike) ------------------------------


def read_config_source(config_file: Path) -> Any:
    """The configuration file as written, not as the engine loads it: read with mike's round-trip YAML,
    which keeps tags (``!!python/name:...``) as they are and expands ``!ENV`` as mike does itself."""
    from mike import mkdocs_utils
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as handle:
        return yaml_load(handle, loader=mkdocs_utils.RoundTripLoader)


def write_config_source(config: Any, target: Path) -> None:
    """Write a configuration :func:`read_config_source` read (and Kompas changed) to ``target``."""
    import yaml
    from mike import mkdocs_utils  # noqa: F401 - registers the representer of its round-trip tags

    with open(target, "w", encoding="utf-8") as out:
        yaml.dump(config, out, sort_keys=False, allow_unicode=True)


# -- files ----------------------------------------------------------------------------------------


def generated(
    config: Any, src_uri: str, *, content: str | bytes | None = None, abs_src_path: str | None = None
) -> File:
    """A file the engine adds to the site without a source file (``File.generated``)."""
    if abs_src_path is not None:
        return File.generated(config, src_uri, abs_src_path=abs_src_path)
    return File.generated(config, src_uri, content=content if content is not None else "")


class StoredFile(File):
    """A generated site file whose bytes :attr:`store` may write (the page cache links it from the
    cache when it holds the same bytes); when ``store`` returns False, or is None, the engine writes it."""

    store: Callable[[bytes, Path], bool] | None = None

    def copy_file(self, dirty: bool = False) -> None:
        if self.store is None or self._content is None:
            return super().copy_file(dirty)
        target = Path(self.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not self.store(self.content_bytes, target):
            return super().copy_file(dirty)
        return None


def stored(config: Any, src_uri: str, content: str, store: Callable[[bytes, Path], bool]) -> File:
    """A generated file (:func:`generated`) whose bytes ``store(data, target)`` writes when it can."""
    file = StoredFile.generated(config, src_uri, content=content)
    assert isinstance(file, StoredFile)
    file.store = store
    return file


# -- pages ----------------------------------------------------------------------------------------
# MkDocs reads and renders every page (``_populate_page``), then passes each to the theme
# (``_build_page``). The page cache (macros/site/adapter.py) takes both steps over for the pages it
# may restore; the `make serve` loop runs both for the pages a change touches.


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read and render one page (MkDocs' first page step)."""
    _build._populate_page(page, config, files)


def build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
    """Pass one rendered page to the theme and write it (MkDocs' second page step)."""
    _build._build_page(page, config, doc_files, nav, env)


class EngineSteps:
    """The engine's own two page steps, as :func:`page_steps` hands them to its callbacks."""

    def __init__(self, populate: Callable[..., None], build: Callable[..., None]) -> None:
        self.populate = populate  # (page, config, files, dirty=False)
        self.build = build  # (page, config, doc_files, nav, env, dirty=False, excluded=False)


@contextmanager
def page_steps(populate: Callable[..., None], build_page_step: Callable[..., None]) -> Iterator[None]:
    """Within the block the engine calls ``populate(own, page, config, files, dirty)`` and
    ``build_page_step(own, page, config, doc_files, nav, env, dirty, excluded)`` instead of its own
    page steps; ``own`` (:class:`EngineSteps`) runs the engine's own steps."""
    own = EngineSteps(_build._populate_page, _build._build_page)

    def populating(page, config, files, dirty=False):
        return populate(own, page, config, files, dirty)

    def building(page, config, doc_files, nav, env, dirty=False, excluded=False):
        return build_page_step(own, page, config, doc_files, nav, env, dirty, excluded)

    _build._populate_page, _build._build_page = populating, building
    try:
        yield
    finally:
        _build._populate_page, _build._build_page = own.populate, own.build


def page_record(page: Any) -> dict:
    """What the build knows of a rendered page besides its HTML: its title, its anchors and its
    links to anchors (by the source path of their target), to restore it without rendering."""
    return {
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {to.src_uri: links for to, links in (page.links_to_anchors or {}).items()},
    }


def restore_page_record(page: Any, record: dict, files: Any) -> None:
    """Give a page restored from the cache what :func:`page_record` recorded (the engine's own anchor
    check reads it)."""
    page._title_from_render = record["title"]
    page.present_anchor_ids = set(record["anchors"])
    linked = {files.get_file_from_path(to): links for to, links in record["links"].items()}
    page.links_to_anchors = {to: links for to, links in linked.items() if to is not None}


# -- the dev server ---------------------------------------------------------------------------------


def take_over_serve(server: Any, builder: Callable[[], None], observer: Any) -> Any:
    """The `make serve` server with Kompas's rebuild step (``builder``, called from the server's build
    loop while page requests wait) and ``observer`` (a watchdog observer) watching what it watched."""
    server.builder = builder
    watched = list(server._watched_paths)
    server.observer.unschedule_all()
    server.observer = observer
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path in watched:
        server.watch(path)
    _quiet_refusals()
    return server


# -- a refused rebuild, in Dutch and once --------------------------------------------------------------
# MkDocs' dev server prints a Python traceback for every rebuild that stops, and then an English line
# (mkdocs/livereload/__init__.py, MkDocs 1.6). A rebuild that Kompas refuses (Abort: the content has
# errors, a link is broken, a warning in strict mode; and the engine's own Abort after a hook refused
# the full build) logged its reason already, in Dutch, with file and line: it gets no traceback, and
# the English line is said in Dutch. Any other exception still gets its traceback (a defect to report).
# The progress lines of the dev server itself ("Serving on ...") stay the engine's (docs/weigeringen.md).
STUCK = "An error happened during the rebuild."


def _quiet_refusals() -> None:
    import mkdocs.livereload as livereload

    if not isinstance(livereload.traceback, _Traceback):
        livereload.traceback = _Traceback(livereload.traceback)  # type: ignore[assignment]
    logger = logging.getLogger("mkdocs.livereload")
    if not any(isinstance(f, _StuckInDutch) for f in logger.filters):
        logger.addFilter(_StuckInDutch())


class _Traceback:
    """The ``traceback`` module as the dev server sees it: no traceback for a refusal."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def print_exc(self, *args: Any, **kwargs: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], Abort):
            return  # the reason is in the log above, in Dutch
        self._module.print_exc(*args, **kwargs)


class _StuckInDutch(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and STUCK in record.msg:  # (the dev server puts the time in front)
            record.msg = record.msg[: record.msg.index(STUCK)] + (
                "De site wordt pas weer bijgewerkt als de fout hierboven is opgelost; tot dan wacht de browser."
            )
            record.args = ()
        return True
