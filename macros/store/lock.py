"""One build or release at a time per project: :class:`ProjectLock` (``flock``; the kernel
releases it when the process dies)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Busy
from .keys import checkout_key

__all__ = ["Busy", "LOCK_NAME", "ProjectLock", "lock_path"]

LOCK_NAME = "bouw.lock"


def lock_path(root: Path) -> Path:
    """``<root>/.cache/bouw.lock``; with ``KOMPAS_CACHE_DIR`` (CI, the tests) a file per checkout
    there (``sloten/<checkout>.lock``), so that a build leaves nothing behind in the checkout. A lock
    guards a folder on this machine, so its name follows the checkout's path (not the project id of
    the caches: two checkouts of one project may build at the same time)."""
    configured = os.environ.get("KOMPAS_CACHE_DIR")
    if not configured:
        return Path(root) / ".cache" / LOCK_NAME
    return Path(configured) / "sloten" / f"{checkout_key(root)}.lock"


class ProjectLock:
    """An exclusive lock per project, held while a build or release runs.

    ``with ProjectLock(root): ...`` raises :class:`Busy` when another process holds it.
    The kernel releases it when the holder dies, also after SIGKILL: a stale lock file
    never blocks anyone.
    """

    def __init__(self, root: Path) -> None:
        self.path = lock_path(root)
        self._handle: int | None = None

    def __enter__(self) -> "ProjectLock":
        import fcntl

        from .paths import mark_cache_folder

        mark_cache_folder(self.path.parent)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 64).decode("ascii", "replace").strip()
            os.close(handle)
            raise Busy(holder) from None
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing releases the flock
            self._handle = None
