"""Child processes that never outlive the process that started them.

A release runs mike, which runs ``mkdocs build``, which runs Pagefind and card workers. When Kompas
is stopped (Ctrl+C, SIGTERM, or ``kill -9``) none of them may go on: an orphaned mike could still
commit the version whose release was aborted. Two means, both Linux (elsewhere they do nothing and
the process group below still holds for Ctrl+C):

* :func:`die_with_parent`: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, for the calling process: the kernel
  kills it when the thread that started it ends, also after SIGKILL of the parent. Used as the
  ``preexec_fn`` of a child (:func:`dies_with_us`) or called by a process on itself (a card worker,
  the build that mike starts).
* :func:`start_group`: a child in a process group of its own, so that Ctrl+C in a terminal (which
  signals the whole foreground group) reaches Kompas only; Kompas then stops the child's whole group
  (:func:`stop_group`) and says so in Dutch, and no traceback of the child reaches the terminal.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1


def _prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:  # resolved here, in the parent: a child between fork and exec only calls it
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function


_PRCTL = _prctl()


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies. ``parent``: the pid the
    parent had; when the parent is gone already (it died before this call), die now."""
    if _PRCTL is None:
        return
    _PRCTL(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def dies_with_us() -> Callable[[], None]:
    """A ``preexec_fn`` that makes a child die with the process that starts it."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)


def start_group(command: list[str], **options: Any) -> subprocess.Popen[Any]:
    """Start ``command`` in a process group of its own that dies with this process."""
    return subprocess.Popen(command, process_group=0, preexec_fn=dies_with_us(), **options)


def stop_group(process: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """Stop the process group of ``process`` (started by :func:`start_group`): SIGTERM, then SIGKILL
    after ``grace`` seconds; returns when the leader is gone."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if process.poll() is not None:
            break
    try:  # what is left of the group (a grandchild the leader did not wait for)
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
