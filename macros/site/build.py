"""Build the site safely: a strict build into a temporary folder that replaces the
site folder only when everything succeeded, so nothing half-built replaces a good site."""

from __future__ import annotations

import gc
import logging
import os
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
    def __init__(self, stream) -> None:
        super().__init__(logging.INFO)
        self.stream = stream
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        level = {"WARNING": "WAARSCHUWING", "ERROR": "FOUT", "INFO": "INFO"}.get(record.levelname, record.levelname)
        message = visible(record.getMessage())  # nothing from content reaches the terminal raw
        if record.levelno > logging.INFO:
            self.problems.append(f"{level} - {message}")
        if record.levelno == logging.INFO and not record.name.startswith("mkdocs.plugins.kompas"):
            return  # MkDocs' own progress lines are noise for an editor
        print(f"{level} - {message}" if record.levelno > logging.INFO else message, file=self.stream)


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


def build_site(root: Path, site_dir: Path | None = None, *, stream=None, decks: bool = True) -> Path:
    """Strictly build the site of the project at ``root`` into ``site_dir`` (default: root/site).

    ``decks=False`` (``kompas bouw --zonder-kaarten``, ``make inhoud``): no card decks, draaiboeken
    or handouts (as ``extra.kompas.kaarten: false``); everything else is the same strict build:
    the same validation (every content refusal is there), macros, strict mode, link check, search.

    Raises :class:`BuildFailed` with a readable message; the old site is left untouched then.
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
        _build_into(root, temporary, stream, decks)
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


def _build_into(root: Path, temporary: Path, stream, decks: bool = True) -> None:
    from . import engine  # the seam: the one module that imports the site engine
    from .adapter import build_with_engine

    # Reproducible builds: MkDocs dates the sitemap (and its gzip header) with
    # SOURCE_DATE_EPOCH when set; default it to the last commit, not the day of building.
    epoch_was_set = "SOURCE_DATE_EPOCH" in os.environ
    if not epoch_was_set and (epoch := last_commit_epoch(root)):
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    loggers = [logging.getLogger(name) for name in engine.LOGGERS]
    handler = _Handler(stream or sys.stderr)
    old_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        with fewer_collections():
            build_with_engine(root / "mkdocs.yml", temporary, decks=decks)
    except engine.EngineStopped as stopped:
        shutil.rmtree(temporary, ignore_errors=True)
        details = "\n".join(handler.problems)
        full = _disk_full(stopped)
        if full is not None:
            raise _write_failed(f"De site is niet gebouwd: {os_reason(full)}\n{details}".rstrip()) from None
        raise BuildFailed(f"De site is niet gebouwd ({stopped}).\n{details}".rstrip(), code=stopped.code) from None
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
