"""Writes that are all or nothing.

* :func:`write_bytes`: a file appears complete or not at all (a temporary file in the
  same folder, flushed to disk, then renamed over the target).
* :func:`new_file`, :func:`new_folder`: a new file or folder with a unique name, created with the
  mode the umask gives (``mkstemp`` and ``mkdtemp`` give 0600 and 0700: a site made of those could
  not be served by a web server running as another user).
* :func:`create_exclusive`: a new file written completely beside its name and linked into place, so
  it never replaces a file that appeared in the meantime and never stays half-written.
* :func:`replace_file`: a finished temporary file moved into place.
* :func:`link_or_copy`: a hard link, or a copy where links are not possible (or where the source
  does not have the mode the umask gives now).
* :func:`remove_dead_writers`: the temporary files of a process that was killed mid-write.

This package (macros/store/) is generic infrastructure: it knows nothing of content, MkDocs
or WeasyPrint.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
import time
from pathlib import Path

WRITING = ".schrijven-"  # .schrijven-<pid>-…: a file being written by process <pid>


def writing_prefix() -> str:
    """The name prefix of a temporary file this process writes (see :func:`remove_dead_writers`)."""
    return f"{WRITING}{os.getpid()}-"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def writer_alive(name: str, prefix: str = WRITING) -> bool:
    """Whether the process whose pid follows ``prefix`` in ``name`` still runs (False: no pid)."""
    writer = name[len(prefix) :].split("-", 1)[0]
    return writer.isdigit() and process_alive(int(writer))


def remove_dead_writers(folder: Path, pattern: str = f"{WRITING}*.tmp", older_than: float | None = None) -> None:
    """Remove the temporary files in ``folder`` whose writing process is gone (killed mid-write),
    and with ``older_than`` (seconds) also those that old, whoever wrote them."""
    for leftover in Path(folder).glob(pattern):
        try:
            if not writer_alive(leftover.name) or (
                older_than is not None and leftover.stat().st_mtime < time.time() - older_than
            ):
                leftover.unlink(missing_ok=True)
        except OSError:
            pass


def umask() -> int:
    """The process's umask. Read from /proc where it can be (``os.umask`` can only read it by setting
    it, for a moment, for every thread of the process), and once: a run does not change it."""
    global _UMASK
    if _UMASK is None:
        try:
            with open("/proc/self/status", encoding="ascii", errors="replace") as status:
                _UMASK = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
        except (OSError, StopIteration, ValueError, IndexError):
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
    return _UMASK


_UMASK: int | None = None


def umask_mode(*, folder: bool = False) -> int:
    """The mode a plain ``open`` (``mkdir`` with ``folder``) gives a new file under the current umask."""
    return (0o777 if folder else 0o666) & ~umask()


def _unique(folder: Path, prefix: str, suffix: str) -> Path:
    return Path(folder) / f"{prefix}{secrets.token_hex(6)}{suffix}"


def new_file(folder: Path, prefix: str = "", suffix: str = "") -> tuple[int, Path]:
    """A new, empty file with a unique name in ``folder``, open for writing: (descriptor, path).
    Created exclusively with the mode the umask gives (not ``mkstemp``'s 0600); raises OSError."""
    for _ in range(100):
        path = _unique(folder, prefix, suffix)
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unique name", str(folder))


def new_folder(folder: Path, prefix: str = "", suffix: str = "") -> Path:
    """A new, empty folder with a unique name in ``folder``, with the mode the umask gives (not
    ``mkdtemp``'s 0700); raises OSError."""
    for _ in range(100):
        path = _unique(folder, prefix, suffix)
        try:
            os.mkdir(path, 0o777)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unique name", str(folder))


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically; raises OSError (and leaves no temporary file)."""
    target = Path(target)
    handle, temporary = new_file(target.parent, writing_prefix(), ".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def create_exclusive(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data``, all or nothing, and never over a file that exists: the bytes go
    to a temporary file beside it (flushed to disk), which is then linked to ``target``, a step that
    fails when ``target`` exists by then (where a file system has no hard links: a rename that does
    not replace). Raises FileExistsError when ``target`` exists, OSError when writing fails (a full
    disk); neither leaves a file behind. The file gets the mode the umask gives."""
    target = Path(target)
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    handle, temporary = new_file(target.parent, writing_prefix(), ".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
                raise
            _rename_noreplace(temporary, target)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
    sync_folder(target.parent)


def _rename_noreplace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` unless ``target`` exists (``renameat2(RENAME_NOREPLACE)``);
    raises FileExistsError, or OSError where the system cannot promise it."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOTSUP, "no rename without replace", str(target))
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        raise OSError(errno.ENOTSUP, "no rename without replace", str(target)) from None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    if function(-100, os.fsencode(source), -100, os.fsencode(target), 1) != 0:  # 1: RENAME_NOREPLACE
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename or link in it) to disk; silently nothing where it cannot."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def replace_file(source: Path, target: Path) -> None:
    """Move a finished file in place of ``target`` (same folder); fsynced first."""
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_or_copy(source: Path, target: Path, data: bytes | None = None) -> bool:
    """``target`` (a new path) becomes a hard link to ``source``, or a copy where links are not
    possible (``data``: the bytes of ``source`` when already read); True when linked. Raises OSError.

    A link shares the mode of ``source``: when that is not the mode the umask gives now (an entry a
    build under another umask made), ``target`` is a copy, created with the umask's mode. A site file
    gets its mode at creation, never by ``chmod`` afterwards: that would change the cache entry too."""
    try:
        linkable = (os.stat(source).st_mode & 0o777) == umask_mode()
    except OSError:
        linkable = False
    if linkable:
        try:
            os.link(source, target)
            return True
        except OSError:
            pass
    if data is None:
        shutil.copyfile(source, target)
    else:
        with open(target, "wb") as out:
            out.write(data)
    return False
