"""Cache entries that are checked at every use.

* A *verified entry* holds a file's bytes followed by a trailer with their SHA-256
  (:func:`store_bytes`, :func:`check_entry`).
* A *linked entry* holds the exact bytes of a site file (no trailer) and is hard-linked into
  a new site; its SHA-256 is known apart from it (:func:`link_checked`, :func:`keep_linked`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from .atomic import link_or_copy, remove_dead_writers, sha256_bytes, writing_prefix
from .paths import mark_cache_folder

# -- verified cache entries: the file's bytes followed by a trailer with their SHA-256 ------------
# Every cache of files (card decks, draaiboeken, handouts) stores its entries this way: written to a
# temporary file, the checksum appended, then renamed into place; checked again when it is used, so a
# truncated or damaged entry is rebuilt and never copied into a site.
ENTRY_SUFFIX = ".deck"  # (the name the card cache has always used)
_TRAILER = b"\nKOMPAS-SHA256:"
_TRAILER_SIZE = len(_TRAILER) + 64 + 1


def cache_folder(cache_dir: Path) -> Path | None:
    """The cache folder, created and marked; None (no cache) when it cannot be written."""
    try:
        mark_cache_folder(cache_dir)
        if not os.access(cache_dir, os.W_OK):
            return None
        remove_dead_writers(cache_dir, older_than=24 * 3600)  # of a build that was killed
        return cache_dir
    except OSError:
        return None


def usable_cache_dir(folder: Path) -> str | None:
    """None when Kompas can keep a cache in ``folder`` (created and marked now), else the
    reason in Dutch (a read-only project or cache folder)."""
    try:
        mark_cache_folder(Path(folder))
    except OSError as error:
        return _reason(error)
    if not os.access(folder, os.W_OK):
        return "alleen-lezen"
    return None


def _reason(error: OSError) -> str:
    import errno

    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "alleen-lezen"
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "de schijf is vol"
    return error.strerror or str(error)


def check_entry(path: Path, out: BinaryIO | None = None) -> bool:
    """Whether the entry's bytes match the checksum recorded when it was written; with
    ``out`` (a binary file), the verified bytes are copied there."""
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


def read_entry(path: Path) -> tuple[bytes, str] | None:
    """The verified bytes of an entry and their SHA-256 (hex); None when it is missing, torn or damaged."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if len(data) <= _TRAILER_SIZE:
        return None
    payload, trailer = data[:-_TRAILER_SIZE], data[-_TRAILER_SIZE:]
    sha = hashlib.sha256(payload).hexdigest()
    if trailer != _TRAILER + sha.encode("ascii") + b"\n":
        return None
    return payload, sha


def store_entry(temporary: Path, cached: Path, *, sync: bool = True) -> None:
    """Record a freshly written file's checksum after it and move it into the cache (atomically).

    ``sync=False`` skips flushing it to disk first (for many small entries, such as pages): after
    a crash the entry may be empty or torn, which its checksum reveals when it is used.
    """
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
        linked = link_or_copy(Path(entry), Path(target), data)
    except OSError:
        Path(target).unlink(missing_ok=True)
        return False
    if not linked:  # (another umask made the entry, or no links here) the copy becomes the entry: linked next time
        try:
            keep_linked(Path(target), Path(entry))
        except OSError:
            pass
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
