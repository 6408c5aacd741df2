"""The browser and web server that the tests and the measurement scripts share.

The system Chromium driven by Playwright (no browser download), with the same arguments
everywhere, and a quiet static web server on 127.0.0.1 for a built site. Nothing in the
product imports this module: it serves tests/, scripts/ and bench/.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test and measurement output clean
        pass


def serve(directory: Path, handler_class=QuietHandler) -> tuple[str, Callable[[], None]]:
    """Serve a folder on 127.0.0.1 on a free port; returns (base_url, stop)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


def chromium_executable() -> Path:
    return Path(shutil.which("chromium") or "/usr/bin/chromium")


@contextmanager
def chromium(browser=None) -> Iterator:
    """``browser`` when given; otherwise the system Chromium, launched here and closed afterwards."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        own = playwright.chromium.launch(executable_path=str(chromium_executable()), args=CHROMIUM_ARGS, headless=True)
        try:
            yield own
        finally:
            own.close()
    finally:
        playwright.stop()


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a server the test or measurement starts itself)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    """The text at ``url``, or None when it cannot be had (yet)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None
