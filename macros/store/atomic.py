"""Writes that are all or nothing.

* :func:`write_bytes`: a file appears complete or not at all (a temporary file in the
  same folder, flushed to disk, then renamed over the target).
* :func:`replace_file`, :func:`ordinary_mode`: a finished temporary file moved into place.
* :func:`link_or_copy`: a hard link, or a copy where links are not possible.
* :func:`remove_dead_writers`: the temporary files of a process that was killed mid-write.

This package (macros/store/) is generic infrastructure: it knows nothing of content, MkDocs
or WeasyPrint.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
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


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically; raises OSError (and leaves no temporary file)."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=writing_prefix(), suffix=".tmp", dir=target.parent)
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


def ordinary_mode(path: Path) -> None:
    """Give a file made by ``mkstemp`` (mode 0600) the mode a plain ``open`` would give it."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def replace_file(source: Path, target: Path) -> None:
    """Move a finished file in place of ``target`` (same folder); fsynced first."""
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_or_copy(source: Path, target: Path, data: bytes | None = None) -> None:
    """``target`` (a new path) becomes a hard link to ``source``, or a copy where links are not
    possible (``data``: the bytes of ``source`` when already read); raises OSError."""
    try:
        os.link(source, target)
    except OSError:
        if data is None:
            shutil.copyfile(source, target)
        else:
            with open(target, "wb") as out:
                out.write(data)
