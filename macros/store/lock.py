"""One build or release at a time per project: :class:`ProjectLock`.

Decision (issue 30): the lock is a ``flock`` on the project folder itself, held through a descriptor
of that folder, not a lock file. A lock file lived in ``.cache/``, which ``make clean`` (or an editor
tidying up) may delete while a build runs; the next build then made a new file, took a lock on it and
ran beside the first. The project folder cannot disappear under a running build, and a lock on it
needs no file at all: nothing is left behind, in the checkout or in ``KOMPAS_CACHE_DIR``. The kernel
releases it when the holder dies, also after SIGKILL. Two checkouts of one project are two folders,
so they may build at the same time. The pid of a holder, shown in the refusal, is looked up in
``/proc/locks`` (Linux); elsewhere the refusal names no process.

Where a file system cannot lock a folder (some network file systems), the lock falls back to a file
in the git folder of the checkout (``.git/kompas-bouw.lock``, which ``make clean`` does not touch), and
without git to ``.cache/bouw.lock``.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import Busy

__all__ = ["Busy", "ProjectLock", "holder_of"]

FALLBACK_NAME = "kompas-bouw.lock"


def holder_of(descriptor: int) -> str:
    """The pid of the process that holds a ``flock`` on the file of ``descriptor`` ('' when unknown)."""
    try:
        info = os.fstat(descriptor)
        wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                # "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF" (a waiting lock has "->" after the number)
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[-3] == wanted:
                    pid = fields[-4]
                    if pid.isdigit() and int(pid) != os.getpid():
                        return pid
    except (OSError, ValueError):
        pass
    return ""


def _fallback_path(root: Path) -> Path:
    git = root / ".git"
    if git.is_dir():
        return git / FALLBACK_NAME
    if git.is_file():  # a worktree: "gitdir: <path>"
        text = git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            folder = Path(text[len("gitdir:") :].strip())
            folder = folder if folder.is_absolute() else root / folder
            if folder.is_dir():
                return folder / FALLBACK_NAME
    return root / ".cache" / "bouw.lock"


class ProjectLock:
    """An exclusive lock per project, held while a build or release runs.

    ``with ProjectLock(root): ...`` raises :class:`Busy` when another process holds it, OSError when
    the project folder cannot be opened.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._handle: int | None = None

    def __enter__(self) -> "ProjectLock":
        import fcntl

        handle = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = holder_of(handle)
            os.close(handle)
            raise Busy(holder) from None
        except OSError as error:
            os.close(handle)
            if error.errno not in (errno.EBADF, errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
                raise
            handle = self._lock_file()
        self._handle = handle
        return self

    def _lock_file(self) -> int:
        import fcntl

        path = _fallback_path(self.root)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = holder_of(handle)
            os.close(handle)
            raise Busy(holder) from None
        return handle

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing releases the flock
            self._handle = None
