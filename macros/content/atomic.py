"""Writes that are all or nothing, the site swap, and the lock of a project.

* :func:`write_bytes`: a file appears complete or not at all (a temporary file in the
  same folder, flushed to disk, then renamed over the target).
* :func:`swap_in`: a new site folder replaces the old one in one step. On Linux the two
  folders are exchanged with ``renameat2(RENAME_EXCHANGE)``; where that is not available,
  the old folder is first renamed to a name that :func:`recover` knows, and the next build
  puts it back when the process died between the two renames. Leftovers of an interrupted
  build (temporary folders) are removed by :func:`recover` as well.
* :class:`ProjectLock`: one build or release at a time per project (``flock`` on
  ``.cache/bouw.lock``, see :func:`lock_path`; the lock is released by the kernel when the process dies).

This module knows nothing about MkDocs.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

TEMP_INFIX = "-kompas-bouw-"  # .<site name>-kompas-bouw-XXXX: a build in progress
OLD_INFIX = "-kompas-oud-"  # .<site name>-kompas-oud-XXXX: the previous site during a swap
LOCK_NAME = "bouw.lock"


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


def remove_dead_writers(folder: Path, pattern: str = f"{WRITING}*.tmp", older_than: float | None = None) -> None:
    """Remove the temporary files in ``folder`` whose writing process is gone (killed mid-write),
    and with ``older_than`` (seconds) also those that old, whoever wrote them."""
    import time

    for leftover in Path(folder).glob(pattern):
        writer = leftover.name[len(WRITING):].split("-", 1)[0]
        try:
            if (not writer.isdigit() or not process_alive(int(writer))
                    or (older_than is not None and leftover.stat().st_mtime < time.time() - older_than)):
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


# -- the site swap ----------------------------------------------------------------------

def temp_site(target: Path) -> Path:
    """A new, empty folder beside ``target`` to build into."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}{TEMP_INFIX}", dir=target.parent))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:  # the C library is already loaded into Python (find_library would start compilers)
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Exchange two existing paths in one step; False when the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Make ``new`` the folder at ``target``; the old folder is removed afterwards.

    At every moment ``target`` is either the complete old site or the complete new one
    (with the fallback: or absent, with the old site under a name :func:`recover` restores).
    """
    new, target = Path(new), Path(target)
    if not (target.exists() or target.is_symlink()):
        os.rename(new, target)
        _sync_folder(target.parent)
        return
    if exchange(new, target):  # `new` now holds the old site
        _sync_folder(target.parent)
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}{OLD_INFIX}{new.name.rsplit('-', 1)[-1]}")
    os.rename(target, old)
    os.rename(new, target)
    _sync_folder(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def recover(target: Path) -> list[Path]:
    """Undo what an interrupted build left beside ``target``; returns what was removed or restored.

    Run under the project lock, before anything else: a previous site that was moved aside
    (fallback swap) goes back when ``target`` is missing, and every temporary folder goes.
    """
    target = Path(target)
    folder = target.parent
    done: list[Path] = []
    if not folder.is_dir():
        return done
    olds = sorted(folder.glob(f".{target.name}{OLD_INFIX}*"), key=lambda p: p.stat().st_mtime)
    if olds and not (target.exists() or target.is_symlink()):
        newest = olds.pop()
        os.rename(newest, target)
        done.append(target)
    for leftover in [*olds, *folder.glob(f".{target.name}{TEMP_INFIX}*")]:
        shutil.rmtree(leftover, ignore_errors=True)
        done.append(leftover)
    return done


def _sync_folder(folder: Path) -> None:
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


# -- one build at a time --------------------------------------------------------------------

class Busy(Exception):
    """Another build or release holds the lock of this project."""


def project_key(root: Path) -> str:
    """A short name for the project at ``root`` (its resolved path): the file or folder of each
    project in a cache folder that several projects share (``KOMPAS_CACHE_DIR``: CI, the tests)."""
    import hashlib

    return hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:16]


def lock_path(root: Path) -> Path:
    """``<root>/.cache/bouw.lock``; with ``KOMPAS_CACHE_DIR`` (CI, the tests) a file per project
    there, so that a build leaves nothing behind in the checkout."""
    configured = os.environ.get("KOMPAS_CACHE_DIR")
    if not configured:
        return Path(root) / ".cache" / LOCK_NAME
    return Path(configured) / "sloten" / f"{project_key(root)}.lock"


class ProjectLock:
    """An exclusive lock per project, held while a build or release runs.

    ``with ProjectLock(root): ...`` raises :class:`Busy` when another process holds it.
    The kernel releases it when the holder dies, also after SIGKILL: a stale lock file
    never blocks anyone.
    """

    def __init__(self, root: Path) -> None:
        self.path = lock_path(root)
        self._handle = None

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

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing releases the flock
            self._handle = None


# -- verified cache entries: the file's bytes followed by a trailer with their SHA-256 ------------
# Every cache of files (card decks, draaiboeken, handouts) stores its entries this way: written to a
# temporary file, the checksum appended, then renamed into place; checked again when it is used, so a
# truncated or damaged entry is rebuilt and never copied into a site.
ENTRY_SUFFIX = ".deck"  # (the name the card cache has always used)
_TRAILER = b"\nKOMPAS-SHA256:"
_TRAILER_SIZE = len(_TRAILER) + 64 + 1


def cache_folder(cache_dir: Path) -> Path | None:
    """The cache folder, created and marked; None (no cache) when it cannot be written."""
    from .paths import mark_cache_folder

    try:
        mark_cache_folder(cache_dir)
        if not os.access(cache_dir, os.W_OK):
            return None
        remove_dead_writers(cache_dir, older_than=24 * 3600)  # of a build that was killed
        return cache_dir
    except OSError:
        return None


def check_entry(path: Path, out=None) -> bool:
    """Whether the entry's bytes match the checksum recorded when it was written; with
    ``out`` (a binary file), the verified bytes are copied there."""
    import hashlib

    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size - _TRAILER_SIZE
            if size <= 0:
                return False
            hasher, left = hashlib.sha256(), size
            while left:
                chunk = handle.read(min(left, 1 << 20))
                if not chunk:
                    return False
                hasher.update(chunk)
                if out is not None:
                    out.write(chunk)
                left -= len(chunk)
            trailer = handle.read()
    except OSError:
        return False
    return trailer == _TRAILER + hasher.hexdigest().encode("ascii") + b"\n"


def store_entry(temporary: Path, cached: Path, *, sync: bool = True) -> None:
    """Record a freshly written file's checksum after it and move it into the cache (atomically).

    ``sync=False`` skips flushing it to disk first (for many small entries, such as pages): after
    a crash the entry may be empty or torn, which its checksum reveals when it is used.
    """
    import hashlib

    hasher = hashlib.sha256()
    with open(temporary, "r+b") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
        handle.write(_TRAILER + hasher.hexdigest().encode("ascii") + b"\n")
        handle.flush()
        if sync:
            os.fsync(handle.fileno())
    os.replace(temporary, cached)


def store_bytes(data: bytes, entry: Path, *, sync: bool = True) -> None:
    """Put ``data`` in a cache folder as a verified entry (see :func:`store_entry`); raises OSError."""
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=writing_prefix(), suffix=".tmp", dir=entry.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        store_entry(Path(temporary), entry, sync=sync)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- linked entries: site files shared with the cache ---------------------------------------
# Creating a file costs about half a millisecond of CPU on the build machine (ext4, whatever its
# size), a hard link a few hundredths of that; a warm build at 10x the starter corpus puts some
# 3,800 files from its caches into the new site (pages, session fragments, PDFs). A linked entry
# holds the exact bytes of a site file (no trailer), and its SHA-256 is known apart from it (in its
# name or in a verified entry beside it). It is checked against that digest every time it is used,
# then linked into the new site (copied where links are not possible, e.g. another file system). The
# cache never writes an entry in place, only new names (atomically), so a site file never changes
# through the cache; a site file changed in place changes its entry, which the check then refuses.

def sha256_bytes(data: bytes) -> str:
    import hashlib

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


def link_checked(entry: Path, sha256: str, target: Path) -> bool:
    """Put a linked entry at ``target`` (a path that does not exist yet) when its bytes have the
    SHA-256 ``sha256``; False, and nothing written, when it is missing or damaged."""
    try:
        data = Path(entry).read_bytes()
    except OSError:
        return False
    if sha256_bytes(data) != sha256:
        return False
    try:
        link_or_copy(Path(entry), Path(target), data)
    except OSError:
        Path(target).unlink(missing_ok=True)
        return False
    return True


def keep_linked(source: Path, entry: Path) -> None:
    """Make ``entry`` (in a cache folder) the file ``source`` of a site, replacing what had that name
    (a damaged entry, say) in one step: a link made beside it and renamed; raises OSError."""
    entry = Path(entry)
    temporary = entry.with_name(f"{writing_prefix()}{entry.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        link_or_copy(source, temporary)
        os.replace(temporary, entry)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def linked_name(key: str, sha256: str, suffix: str) -> str:
    """The name of a linked entry that carries its own digest: ``<key>-<sha256><suffix>``."""
    return f"{key}-{sha256}{suffix}"


def linked_entries(folder: Path, suffix: str) -> dict[str, tuple[Path, str]]:
    """The linked entries with ``suffix`` in ``folder`` (one listing): key -> (path, SHA-256)."""
    found: dict[str, tuple[Path, str]] = {}
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                if name.endswith(suffix) and not name.startswith("."):
                    key, _, sha = name[: -len(suffix)].rpartition("-")
                    if key and len(sha) == 64:
                        found[key] = (Path(item.path), sha)
    except OSError:
        pass
    return found


def linked_entry_valid(path: Path) -> bool:
    """Whether a linked entry named by :func:`linked_name` still has the bytes its name records."""
    path = Path(path)
    sha = path.stem.rpartition("-")[2]
    try:
        return len(sha) == 64 and sha256_bytes(path.read_bytes()) == sha
    except OSError:
        return False
