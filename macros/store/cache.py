"""Derived data: the one implementation every cache of Kompas uses.

A cache is a folder of one project: ``<cache folder>/<name>/<project>/`` (see
:func:`macros.store.keys.project_cache_dir`; the cache folder is ``<root>/.cache`` or
``KOMPAS_CACHE_DIR``). Every cache asks this class for the four things a cache needs, so they are
done one way everywhere:

* **key**: an entry is named by :func:`macros.store.keys.digest` of everything its content depends
  on (never a path of the checkout, so CI can keep the folder between runs), optionally followed by
  ``-<sha256>`` of its bytes and a suffix that says its format;
* **verification**: a *verified entry* (:meth:`write`, :meth:`read`) carries the SHA-256 of its
  bytes in a trailer; a *linked entry* (:meth:`keep_link`, :meth:`link`) is the exact bytes of a
  site file, hard-linked into the next site only when its bytes have the SHA-256 the cache
  recorded (in its name or in a verified entry). A damaged entry is a miss, never an error;
* **atomic write**: every entry appears complete or not at all (a temporary file or folder beside
  it, then a rename); a temporary file of a process that died is removed;
* **eviction**: after a run that succeeded, :meth:`keep_only` removes every entry the run did not
  use (the caches of laid-out PDFs: once it is a day old), so a cache holds one generation per
  project; a project folder nobody used for
  :data:`STALE_PROJECT_SECONDS` is removed when another project of the shared folder opens its
  cache.

Formats differ only where they must: pages and PDFs are linked entries (hard links into the
site), the search index keeps a folder per shard (:meth:`store_folder`), Jinja writes its own
compiled templates into :meth:`subfolder`. A cache that cannot be written is no cache: every
method then answers "not there" and writes nothing; the caller's result is the same, only slower.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from . import atomic, entries
from .keys import PROJECT_KEY, project_cache_dir
from .paths import CACHE_MARKER, mark_cache_folder

STALE_PROJECT_SECONDS = 30 * 24 * 3600  # a project folder in a shared cache folder unused this long goes
# The grace of the caches of laid-out documents (kaarten, druk): an entry the run did not use stays a day,
# so that builds of other content of the same project (the tests, a branch switched back and forth) still
# find theirs; laying out a PDF costs far more than keeping it.
DOCUMENT_GRACE_SECONDS = 24 * 3600
_SHA_TAIL = re.compile(r"-[0-9a-f]{64}$")


def entry_key(name: str) -> str:
    """The key an entry's name starts with: ``<key>``, ``<key>.<format>`` or ``<key>-<sha256>.<format>``."""
    return _SHA_TAIL.sub("", name.split(".", 1)[0])


class Cache:
    """The cache of one kind (``paginas``, ``kaarten``, ...) of one project, in ``folder``."""

    def __init__(self, folder: Path | str | None, *, prepared: bool = False) -> None:
        """``folder``: the cache's folder (None: no cache). ``prepared``: the folder was opened as a
        cache already (by the process that hands it to a worker): use it as it is."""
        self.folder: Path | None = None
        if folder is None:
            return
        folder = Path(folder)
        if prepared:
            self.folder = folder
            return
        if PROJECT_KEY.fullmatch(folder.name):  # <name>/<project>: the shared level is a cache folder too
            try:
                mark_cache_folder(folder.parent)
            except OSError:
                return
            _forget_stale_projects(folder.parent, keep=folder.name)
        self.folder = entries.cache_folder(folder)
        if self.folder is not None:
            try:
                os.utime(self.folder)  # in use: not stale for the other projects of a shared folder
            except OSError:
                pass

    @classmethod
    def of(cls, root: Path, name: str) -> Cache:
        """The cache ``name`` of the project at ``root``."""
        return cls(project_cache_dir(root, name))

    def __bool__(self) -> bool:
        return self.folder is not None

    def path(self, name: str) -> Path:
        """Where the entry ``name`` lives (only for a usable cache)."""
        if self.folder is None:
            raise ValueError("no usable cache folder")
        return self.folder / name

    # -- verified entries: bytes with a SHA-256 trailer -------------------------------------------
    def read(self, name: str) -> bytes | None:
        """The bytes of a sound verified entry; None when it is missing, torn or damaged."""
        found = self.read_digest(name)
        return found[0] if found is not None else None

    def read_digest(self, name: str) -> tuple[bytes, str] | None:
        """The bytes of a sound verified entry and their SHA-256 (hex); None when it is missing,
        torn or damaged."""
        return entries.read_entry(self.folder / name) if self.folder is not None else None

    def write(self, name: str, data: bytes, *, sync: bool = True) -> bool:
        """Store ``data`` as the verified entry ``name`` (atomically); False when it cannot be written.
        ``sync=False``: not flushed to disk first (many small entries; a torn one is found by its checksum)."""
        if self.folder is None:
            return False
        try:
            entries.store_bytes(data, self.folder / name, sync=sync)
        except OSError:
            return False
        return True

    # -- linked entries: the exact bytes of a site file --------------------------------------------
    def linked(self, suffix: str) -> dict[str, tuple[Path, str]]:
        """The linked entries ``<key>-<sha256><suffix>``: key -> (path, SHA-256), in one listing."""
        return entries.linked_entries(self.folder, suffix) if self.folder is not None else {}

    def link(self, entry: Path | str, sha256: str, target: Path) -> bool:
        """Put the entry (a name, or a path from :meth:`linked`) at ``target`` (a new path) when its
        bytes have ``sha256``; False, and nothing written, when it is missing or damaged."""
        if self.folder is None:
            return False
        return entries.link_checked(self.folder / entry, sha256, Path(target))

    def keep_link(self, source: Path, name: str) -> bool:
        """Make the site file ``source`` the linked entry ``name`` (replacing what had that name, in one
        step); False when it cannot be written."""
        if self.folder is None:
            return False
        try:
            entries.keep_linked(source, self.folder / name)
        except OSError:
            return False
        return True

    # -- folders -------------------------------------------------------------------------------------
    def store_folder(self, key: str, fill: Callable[[Path], None]) -> None:
        """Make the folder entry ``key``: ``fill`` writes a new temporary folder, which then replaces
        what had that name; raises OSError (and leaves no temporary folder)."""
        if self.folder is None:
            raise OSError("no usable cache folder")
        temporary = atomic.new_folder(self.folder, atomic.writing_prefix())
        try:
            fill(temporary)
            target = self.folder / key
            if target.exists():
                shutil.rmtree(target)
            os.replace(temporary, target)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def subfolder(self, name: str) -> Path | None:
        """A folder inside the cache that a library fills in its own format (None: no cache)."""
        if self.folder is None:
            return None
        try:
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return self.folder / name

    # -- eviction -------------------------------------------------------------------------------------
    def keep_only(self, used: Iterable[str], *, grace: float = 0.0) -> None:
        """Remove every entry whose key (:func:`entry_key`) is not in ``used``, and that was last changed
        more than ``grace`` seconds ago; the temporary files and folders of living writers stay.
        Call it after a run that succeeded, with the keys that run used."""
        if self.folder is None:
            return
        keep = set(used)
        limit = time.time() - grace
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return
        for item in listing:
            name = item.name
            if name == CACHE_MARKER:
                continue
            if name.startswith(atomic.WRITING):
                if atomic.writer_alive(name):
                    continue
            elif entry_key(name) in keep or name.startswith("."):
                continue
            try:
                if grace and item.stat(follow_symlinks=False).st_mtime >= limit:
                    continue
                if item.is_dir(follow_symlinks=False):
                    shutil.rmtree(item.path, ignore_errors=True)
                else:
                    os.unlink(item.path)
            except OSError:
                pass


def _forget_stale_projects(parent: Path, *, keep: str) -> None:
    """Remove the project folders of a shared cache folder that nobody opened for a long time."""
    limit = time.time() - STALE_PROJECT_SECONDS
    try:
        listing = list(os.scandir(parent))
    except OSError:
        return
    for item in listing:
        if item.name == keep or not PROJECT_KEY.fullmatch(item.name):
            continue
        try:
            if (
                item.is_dir(follow_symlinks=False)
                and item.stat(follow_symlinks=False).st_mtime < limit
                and (Path(item.path) / CACHE_MARKER).is_file()
            ):
                shutil.rmtree(item.path, ignore_errors=True)
        except OSError:
            pass
