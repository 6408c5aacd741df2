"""Build the site safely: a strict build into a temporary folder that replaces the
site folder only when everything succeeded, so nothing half-built replaces a good site."""

from __future__ import annotations

import gc
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from ..store.errors import KompasError, os_reason
from ..store.text import visible


class BuildFailed(KompasError):
    """The build failed; the message says why, in Dutch. Its code says whose problem it is: the
    content (INHOUD-FOUTEN, BOUW-GEWEIGERD, KAART, DRUK: exit code 1) or an operation that could not
    complete (SCHRIJVEN, HULPMIDDEL, MISLUKT: exit code 3)."""


class _Handler(logging.Handler):
    """What a build shows while it runs: Kompas's own progress lines (in Dutch). The warnings and errors
    of the engine and the hooks are kept for the one message of a refusal (:func:`_refusal`), so each
    is shown once, in Dutch. ``verbose`` (``kompas bouw --uitgebreid``): every line of the engine as it
    comes, as MkDocs shows it (English)."""

    def __init__(self, stream, verbose: bool = False) -> None:
        super().__init__(logging.INFO)
        self.stream, self.verbose = stream, verbose
        self.records: list[tuple[str, str]] = []  # (logger, message) of every warning and error, in order

    def emit(self, record: logging.LogRecord) -> None:
        message = visible(record.getMessage())  # nothing from content reaches the terminal raw
        if record.levelno > logging.INFO:
            self.records.append((record.name, message))
        if self.verbose:
            print(f"{record.levelname:<7} - {message}", file=self.stream)
        elif record.levelno == logging.INFO and record.name.startswith(KOMPAS_LOGGER):
            print(message, file=self.stream)  # MkDocs' own progress lines are noise for an editor

    def problems(self, ours: set[str], docs: str) -> list[str]:
        """Every problem the build logged, once each, in Dutch (:func:`macros.site.messages.dutch`)."""
        from .messages import dutch

        found: list[str] = []
        for name, message in self.records:
            line = dutch(message, docs=docs, ours=name.startswith(KOMPAS_LOGGER) or message.strip() in ours)
            if line and line not in found:
                found.append(line)
        return found


KOMPAS_LOGGER = "mkdocs.plugins.kompas"  # the logger of Kompas's hooks (macros/site/state.py)


@contextmanager
def fewer_collections():
    """Run the young-generation garbage collector less often while a build runs.

    A build keeps every page in memory; with Python's default threshold (700 new
    objects) the collector keeps re-examining that growing heap, which cost about a
    tenth of the build time at 10x the starter corpus. Memory is still reclaimed, only
    in larger steps. The previous thresholds are restored afterwards.
    """
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def build_site(
    root: Path, site_dir: Path | None = None, *, stream=None, verbose: bool = False, decks: bool = True
) -> Path:
    """Strictly build the site of the project at ``root`` into ``site_dir`` (default: root/site).

    ``decks=False`` (``kompas bouw --zonder-kaarten``, ``make inhoud``): no card decks, draaiboeken
    or handouts (as ``extra.kompas.kaarten: false``); everything else is the same strict build:
    the same validation (every content refusal is there), macros, strict mode, link check, search.

    Raises :class:`BuildFailed` with a readable message (each problem once, in Dutch; with ``verbose``
    also the engine's own lines, shown as they come); the old site is left untouched then.
    Raises :class:`macros.store.paths.PathRefused` before anything is touched when ``site_dir`` may not
    be replaced, and :class:`macros.store.lock.Busy` when another build of the project is running.
    The previous site is replaced in one step (:func:`macros.store.swap.swap_in`); what an
    interrupted build left behind is cleaned up first (:func:`macros.store.swap.recover`).
    """
    from ..store.lock import ProjectLock
    from ..store.paths import check_site_dir
    from ..store.swap import recover, swap_in, temp_site

    root = Path(root).resolve()
    shown = str(site_dir) if site_dir else "site"
    target = check_site_dir(site_dir if site_dir else root / "site", root, shown=shown)
    try:
        lock = ProjectLock(root).__enter__()
    except OSError as error:
        raise _write_failed(f"De site is niet gebouwd: {os_reason(error)}") from None
    try:
        check_site_dir(target, root, shown=shown)  # once more, now that no other build can change it
        try:
            recover(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = temp_site(target)
        except OSError as error:
            raise _write_failed(f"De site is niet gebouwd: {os_reason(error)}") from None
        _build_into(root, temporary, stream, verbose=verbose, decks=decks)
        try:
            swap_in(temporary, target)
        except OSError as error:
            shutil.rmtree(temporary, ignore_errors=True)
            raise _write_failed(f"De nieuwe site kon de oude niet vervangen: {os_reason(error)}") from None
    finally:
        lock.__exit__(None, None, None)
    return target


def _write_failed(message: str) -> BuildFailed:
    """A build that could not write (code SCHRIJVEN); the previous site stays."""
    return BuildFailed(
        message,
        code="SCHRIJVEN",
        hint="Maak ruimte vrij of herstel de rechten en bouw opnieuw. De vorige site staat er nog.",
    )


def _build_into(root: Path, temporary: Path, stream, *, verbose: bool = False, decks: bool = True) -> None:
    from . import engine  # the seam: the one module that imports the site engine
    from .adapter import build_with_engine

    # Reproducible builds: MkDocs dates the sitemap (and its gzip header) with
    # SOURCE_DATE_EPOCH when set; default it to the last commit, not the day of building.
    epoch_was_set = "SOURCE_DATE_EPOCH" in os.environ
    if not epoch_was_set and (epoch := last_commit_epoch(root)):
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    loggers = [logging.getLogger(name) for name in engine.LOGGERS]
    handler = _Handler(stream or sys.stderr, verbose)
    old_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        with fewer_collections():
            build_with_engine(root / "mkdocs.yml", temporary, decks=decks)
    except engine.EngineStopped as stopped:
        shutil.rmtree(temporary, ignore_errors=True)
        full = _disk_full(stopped)
        if full is not None:
            raise _write_failed(f"De site is niet gebouwd: {os_reason(full)}") from None
        raise BuildFailed(_refusal(root, stopped, handler), code=stopped.code) from None
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise _write_failed(f"De site is niet gebouwd: {os_reason(error)}") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    finally:
        if not epoch_was_set:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        for logger, level in zip(loggers, old_levels):
            logger.removeHandler(handler)
            logger.setLevel(level)


def _refusal(root: Path, stopped: BaseException, handler: _Handler) -> str:
    """The one Dutch message of a build that stopped: every problem once (docs/weigeringen.md)."""
    from ..store.keys import project_config
    from .messages import dutch

    chain = _chain(stopped)
    # the refusals of the hooks and of Kompas (Dutch); not the engine's own Abort or configuration error
    ours = {str(error).strip() for error in chain[1:] if type(error).__name__ not in ("Abort", "ConfigurationError")}
    config = project_config(root)
    docs_dir = config.get("docs_dir")
    docs = (docs_dir if isinstance(docs_dir, str) else "docs").rstrip("/")
    problems = _without_repeats(handler.problems(ours, docs), docs)
    by_engine = type(stopped.__cause__).__name__ in ("Abort", "ConfigurationError")  # else Kompas's own words
    if not problems:  # nothing logged: the stop itself says why
        text = str(stopped).strip()
        line = dutch(text, docs=docs) if by_engine else text
        problems = [line or "de site-engine stopte zonder te zeggen waarom (`kompas bouw --uitgebreid` toont meer)."]
    if len(problems) == 1 and "\n" not in problems[0]:
        message = f"De site is niet gebouwd: {problems[0]}"
    else:
        message = "De site is niet gebouwd:\n" + "\n".join(problems)
    if handler.verbose:
        import traceback

        message += f"\n(de site-engine: {stopped.__cause__ or stopped})"
        if not by_engine and stopped.__cause__ is not None and not isinstance(stopped.__cause__, SystemExit):
            message += "\n" + "".join(traceback.format_exception(stopped.__cause__)).rstrip()
    return message


_LINK_BLOCK = re.compile(r"\d+ kapotte link\(s\) of anker\(s\) in de gebouwde site:$")
_LINK_LINE = re.compile(r"  (?P<page>[^:]+\.html): (?P<target>.*?): (?P<reason>.*)")
_ENGINE_LINK = re.compile(
    r"(?P<src>[^:]+\.md): de link '(?P<target>[^']*)'(?: wijst naar het anker '#(?P<anchor>[^']*)')?"
)
_ENGINE_NAV = re.compile(r"mkdocs\.yml: het menu \(nav\) noemt '(?P<target>[^']*)'")
_MISSING_ANCHOR = re.compile(r"anker '#(?P<anchor>.*)' bestaat niet")


def _without_repeats(problems: list[str], docs: str) -> list[str]:
    """The problems with each broken link once. The link check of the built site (macros/site/linkcheck.py)
    reports a link on every page it is on, by the HTML file (``x/index.html: ../y/: ...``); the engine
    names a link in a hand-written page by its source (``content/pages/x.md: de link 'y.md' ...``) and a
    menu entry once (``mkdocs.yml: het menu (nav) noemt 'y.md'``). The engine's line is kept, the link
    check's lines for the same link are left out, and so is each line the link check repeats."""
    links, anchors, menu = set(), set(), set()
    for line in problems:
        if match := _ENGINE_LINK.match(line):
            links.add((match["src"], match["target"]))
            if match["anchor"] is not None:
                anchors.add((match["src"], match["anchor"]))
        elif match := _ENGINE_NAV.match(line):
            menu.add(posixpath.normpath(match["target"]))
    kept: list[str] = []
    for problem in problems:
        lines = problem.split("\n")
        if not _LINK_BLOCK.match(lines[0]):
            kept.append(problem)
            continue
        rest: dict[str, None] = {}
        for line in lines[1:]:
            match = _LINK_LINE.fullmatch(line)
            if not (match and _reported(match, docs, links, anchors, menu)):
                rest.setdefault(line)
        if rest:
            shown = list(rest)[:SHOWN_LINKS]
            more = [f"  ... en nog {len(rest) - SHOWN_LINKS}"] if len(rest) > SHOWN_LINKS else []
            kept.append("\n".join([f"{len(rest)} kapotte link(s) of anker(s) in de gebouwde site:", *shown, *more]))
    return kept


SHOWN_LINKS = 50  # the broken links a refusal shows (after the ones the engine named)


def _reported(match, docs: str, links: set, anchors: set, menu: set) -> bool:
    """Whether the engine reported the link of this line of the link check already."""
    sources = [f"{docs}/{src}" for src in _sources(match["page"])]
    if any((src, match["target"]) in links for src in sources):
        return True
    missing = _MISSING_ANCHOR.fullmatch(match["reason"])
    if missing and any((src, missing["anchor"]) in anchors for src in sources):
        return True
    target = match["target"].split("#", 1)[0]
    return bool(target) and posixpath.normpath(posixpath.join(posixpath.dirname(match["page"]), target)) in menu


def _sources(page: str) -> tuple[str, ...]:
    """The hand-written pages that can have made the HTML file ``page`` (directory URLs or not)."""
    if page == "index.html":
        return ("index.md", "README.md")
    if page.endswith("/index.html"):
        folder = page[: -len("/index.html")]
        return (f"{folder}.md", f"{folder}/index.md", f"{folder}/README.md")
    return (page[: -len(".html")] + ".md",)


def _chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and what caused it, in order."""
    found: list[BaseException] = []
    while error is not None and all(error is not seen for seen in found):
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def _disk_full(error: BaseException | None) -> OSError | None:
    """The OSError of a full disk somewhere in the chain of ``error``, if any."""
    import errno

    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return error
        error = error.__cause__ or error.__context__
    return None


def last_commit_epoch(root: Path) -> str | None:
    """Seconds since 1970 of the last commit of the checkout at ``root`` (None: no git)."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return value if result.returncode == 0 and value.isdigit() else None
