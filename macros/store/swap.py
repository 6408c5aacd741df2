"""The site swap: a new site folder replaces the old one in one step.

On Linux the two folders are exchanged with ``renameat2(RENAME_EXCHANGE)``; where that is not
available, the old folder is first renamed to a name that :func:`recover` knows, and the next
build puts it back when the process died between the two renames. Leftovers of an interrupted
build (temporary folders) are removed by :func:`recover` as well.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from .atomic import new_folder, sync_folder

TEMP_INFIX = "-kompas-bouw-"  # .<site name>-kompas-bouw-XXXX: a build in progress
OLD_INFIX = "-kompas-oud-"  # .<site name>-kompas-oud-XXXX: the previous site during a swap


def temp_site(target: Path) -> Path:
    """A new, empty folder beside ``target`` to build into, with the mode the umask gives: it becomes
    the site folder, which a web server running as another user must be able to read (``mkdtemp``
    would make it 0700)."""
    return new_folder(target.parent, f".{target.name}{TEMP_INFIX}")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> Any:
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
        sync_folder(target.parent)
        return
    if exchange(new, target):  # `new` now holds the old site
        sync_folder(target.parent)
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}{OLD_INFIX}{new.name.rsplit('-', 1)[-1]}")
    os.rename(target, old)
    os.rename(new, target)
    sync_folder(target.parent)
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
