"""`make redactie`: the browser editor against the working copy (issue 27, item 6).

Builds the site with the editor switched on (``KOMPAS_REDACTIE_LOKAAL``: also when mkdocs.yml has
no ``extra.kompas.redactie``), starts decap-server (Decap CMS's local backend, Node; installed with
``npm ci`` in redactie/ on first use) on an internal port of 127.0.0.1, and serves the built site
and the editor from a small front on 127.0.0.1 that

* answers only requests whose Host is its own address (no DNS rebinding),
* passes /api/v1 to decap-server only for a POST whose Origin is its own origin (the editor's own
  page: no other site, and no other page on this machine, can write the working copy),
* serves redactie/ with the editor's Content-Security-Policy and the rest with the site's,
* gives the editor a config.json with ``local_backend`` (only in this mode),
* builds the site again after every save (in the background, as `kompas bouw` does: the site is
  replaced only when the build succeeded; a content error is printed and the old site stays), so
  the page shows the change a few seconds later.

Decap's local backend writes the files into the working copy; the editorial workflow is GitLab's
(decap-server's fs mode publishes directly). Ctrl-C stops both processes, without a traceback.
This module knows nothing about MkDocs.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from ..store.errors import KompasError, OperationFailed, UsageError
from . import redactie
from .csp import POLICY as SITE_POLICY

API = "/api/v1"
NODE_FOLDER = "redactie"  # in the project: package.json, package-lock.json, node_modules/
SERVER_SCRIPT = Path("node_modules") / "decap-server" / "dist" / "index.js"


class RedactieNietGestart(OperationFailed):
    """The editor could not be started: Node, npm or decap-server is missing or failed; the message
    says why, in Dutch (code HULPMIDDEL, exit code 3)."""

    code = "HULPMIDDEL"


# -- decap-server --------------------------------------------------------------------------------


def check_node(root: Path) -> Path:
    """Before the build: what make redactie needs from Node is there (node; npm and the lockfile
    when decap-server is not installed yet). The path of decap-server's script (maybe not there)."""
    folder = Path(root) / NODE_FOLDER
    script = folder / SERVER_SCRIPT
    if shutil.which("node") is None:
        raise RedactieNietGestart(
            "Node.js (node) ontbreekt. make redactie heeft Node nodig voor de lokale opslag van "
            "de editor (decap-server).",
            hint="Installeer Node.js 20 of nieuwer (apt-get install nodejs npm) en start opnieuw.",
        )
    if script.is_file():
        return script
    if not (folder / "package-lock.json").is_file():
        raise RedactieNietGestart(
            f"{folder}/package-lock.json ontbreekt: de editor kan decap-server niet installeren.",
            hint="Zet redactie/package.json en redactie/package-lock.json terug (git checkout).",
        )
    if shutil.which("npm") is None:
        raise RedactieNietGestart(
            "npm ontbreekt: decap-server kan niet geïnstalleerd worden.",
            hint="Installeer npm (apt-get install npm) en start opnieuw.",
        )
    return script


def ensure_decap_server(root: Path, stream=None) -> Path:
    """decap-server in <root>/redactie/node_modules, installed with `npm ci --omit=dev` when missing."""
    script = check_node(root)
    if script.is_file():
        return script
    folder = Path(root) / NODE_FOLDER
    print(
        "De editor wordt voor het eerst gestart: decap-server wordt geïnstalleerd (npm ci) ...",
        file=stream or sys.stderr,
    )
    result = subprocess.run(
        [shutil.which("npm") or "npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not script.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RedactieNietGestart(
            "npm ci in redactie/ is mislukt:\n  " + "\n  ".join(detail),
            hint="Lees de uitvoer van npm hierboven; zonder internet of een npm-spiegel "
            "kan decap-server niet geïnstalleerd worden.",
        )
    return script


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM when this process dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    os.setsid()  # Ctrl-C in the terminal reaches this process only; it stops decap-server itself


def start_decap_server(root: Path, script: Path, port: int, origin: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MODE", "GIT_REPO_DIRECTORY"))}
    env.update(
        {
            "PORT": str(port),
            "BIND_HOST": "127.0.0.1",
            "MODE": "fs",
            "GIT_REPO_DIRECTORY": str(Path(root)),
            "ORIGIN": origin,
            "LOG_LEVEL": "warn",
        }
    )
    node = shutil.which("node")
    if node is None:
        raise RedactieNietGestart("Node.js (node) ontbreekt; installeer Node.js 20 of nieuwer.")
    # cwd: redactie/, which has no .env file (decap-server reads one from its working folder)
    return subprocess.Popen(
        [node, str(script)],
        cwd=script.parents[2],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
            raise RedactieNietGestart("decap-server is gestopt voor hij klaar was:\n" + output.strip()[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RedactieNietGestart(f"decap-server gaf na {timeout:.0f} seconden geen antwoord op poort {port}.")


def stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait(timeout=10)


def _drain(process: subprocess.Popen, stream) -> None:
    """Pass decap-server's warnings on (it logs only warnings and errors here)."""
    if process.stdout is None:  # started without a pipe: nothing to pass on
        return
    for line in iter(process.stdout.readline, b""):
        text = line.decode("utf-8", "replace").rstrip()
        if text:
            print(f"decap-server: {text}", file=stream)


# -- the front ------------------------------------------------------------------------------------

WRITES = frozenset({"persistEntry", "deleteFile", "deleteFiles", "persistMedia"})


class Rebuilder:
    """Builds the site again after a save: one build at a time; saves during a build cause one more."""

    def __init__(self, root: Path, stream, errors) -> None:
        self.root, self.stream, self.errors = root, stream, errors
        self.wanted = threading.Event()
        self.stopped = threading.Event()
        self.builds = 0
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        self.stopped.set()
        self.wanted.set()

    def _loop(self) -> None:
        from .build import build_site

        while True:
            self.wanted.wait()
            if self.stopped.is_set():
                return
            time.sleep(0.5)  # a save of several files comes in as several requests
            self.wanted.clear()
            print("Opgeslagen; de site wordt opnieuw gebouwd ...", file=self.stream, flush=True)
            try:
                build_site(self.root, stream=_Quiet())
            except KompasError as error:  # the content's errors, a busy lock, ...: the editor keeps running
                print(
                    f"De site is niet opnieuw gebouwd; de vorige staat er nog ({error.code}).\n{error}\n"
                    f"    hint: {error.hint}",
                    file=self.errors,
                    flush=True,
                )
                continue
            except Exception as error:  # noqa: BLE001 - a failed rebuild must not stop the editor
                print(f"De site is niet opnieuw gebouwd: {error}", file=self.errors, flush=True)
                continue
            self.builds += 1
            print("De site is bijgewerkt.", file=self.stream, flush=True)


class _Quiet:
    """A build's progress lines are not shown after a save (only its errors, through its KompasError)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class Front(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        site_dir: Path,
        settings: redactie.Instellingen,
        backend_port: int,
        port: int = 0,
        rebuilder: Rebuilder | None = None,
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.rebuilder = rebuilder
        self.site_dir = Path(site_dir)
        self.settings = settings
        self.backend_port = backend_port
        self.port = self.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.origins = {self.origin, f"http://localhost:{self.port}"}

    def handle_error(self, request, client_address) -> None:
        """A browser that went away while it was answered (a closed tab, Ctrl-C stopping the editor) is
        no error: no traceback for it. Anything else is reported as the standard library does."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            return
        super().handle_error(request, client_address)

    @property
    def editor_url(self) -> str:
        return f"{self.origin}/{redactie.FOLDER}/"


class _Handler(SimpleHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=None, **kwargs)

    def translate_path(self, path: str) -> str:
        self.directory = str(self.server.site_dir)
        return super().translate_path(path)

    def log_message(self, format, *args):  # noqa: A002 - the editor's terminal stays quiet
        pass

    # which requests are answered at all
    def _allowed(self, *, write: bool) -> bool:
        host = self.headers.get("Host", "")
        origin = self.headers.get("Origin")
        if host not in self.server.hosts:
            self._refuse(421, "Deze server antwoordt alleen op zijn eigen adres.")
            return False
        if origin is not None and origin not in self.server.origins:
            self._refuse(403, "Verzoeken van een andere site worden geweigerd.")
            return False
        if write and origin is None:
            self._refuse(403, "Alleen de editor zelf mag opslaan.")
            return False
        return True

    def _refuse(self, code: int, text: str) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        editor = path.startswith(f"/{redactie.FOLDER}/") or path == f"/{redactie.FOLDER}"
        self.send_header("Content-Security-Policy", redactie.csp(self.server.settings) if editor else SITE_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        if not self._allowed(write=False):
            return
        path = urlsplit(self.path).path
        if path.startswith(API):
            self._refuse(405, "De opslag van de editor antwoordt alleen op POST.")
            return
        if path == f"/{redactie.FOLDER}/config.json":
            self._config()
            return
        super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802
        if self._allowed(write=False):
            super().do_HEAD()

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed(write=True):
            return
        if urlsplit(self.path).path.rstrip("/") != API:
            self._refuse(404, "Niet gevonden.")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            action = json.loads(body or b"{}").get("action")
        except (ValueError, AttributeError):
            action = None
        connection = http.client.HTTPConnection("127.0.0.1", self.server.backend_port, timeout=120)
        try:
            connection.request(
                "POST",
                API,
                body=body,
                headers={
                    "Content-Type": self.headers.get("Content-Type", "application/json"),
                    "Origin": self.server.origin,
                    "Host": f"127.0.0.1:{self.server.backend_port}",
                },
            )
            answer = connection.getresponse()
            data = answer.read()
        except OSError:
            self._refuse(502, "De lokale opslag (decap-server) antwoordt niet.")
            return
        finally:
            connection.close()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.getheader("Content-Type") or "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if answer.status == 200 and action in WRITES and self.server.rebuilder is not None:
            self.server.rebuilder.request()

    def do_OPTIONS(self) -> None:  # noqa: N802 - no cross-origin requests: no preflight is ever allowed
        self._refuse(403, "Verzoeken van een andere site worden geweigerd.")

    def _config(self) -> None:
        try:
            config = json.loads((self.server.site_dir / redactie.FOLDER / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._refuse(500, "config.json van de editor ontbreekt; bouw de site opnieuw (make redactie).")
            return
        # only in this mode: the editor saves through decap-server into the working copy
        config["cms"]["local_backend"] = {
            "url": f"{self.server.origin}{API}",
            "allowed_hosts": ["127.0.0.1", "localhost"],
        }
        data = json.dumps(config, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(root: Path, port: int = 0, *, stream=None, errors=None, build=True) -> int:
    """Build, start decap-server and the front, print the editor's address, serve until Ctrl-C (or
    SIGTERM), then return 0: that is how the editor stops. Whatever stops it before it serves is a
    :class:`~macros.store.errors.KompasError` (macros/cli/exits.py, ``redactie``): the port cannot be
    used (GEBRUIK), Node or decap-server is missing or failed (HULPMIDDEL), or the build refused (its
    own code: INHOUD-FOUTEN, BOUW-GEWEIGERD, BEZIG, ...). The port and Node are checked before the
    build, so a missing Node does not cost a build first."""
    stream = stream or sys.stdout
    errors = errors or sys.stderr
    root = Path(root).resolve()
    rebuilder = Rebuilder(root, stream, errors)
    front = _open_front(root, port, rebuilder)
    running = _Running()
    with _local_mode():  # for this build and the builds after each save
        try:
            with _stop_signals():
                try:
                    _start(root, front, running, stream, errors, build=build)
                    running.wait()
                    return 0
                except KeyboardInterrupt:
                    if running.serving is None:
                        raise  # before the editor ran: interrupted (130)
                    print("\nDe editor is gestopt.", file=stream, flush=True)
                    return 0
        finally:
            try:
                if running.serving is not None:
                    front.shutdown()
            finally:
                front.server_close()
                stop_process(running.process)
                rebuilder.stop()


class _Running:
    """What `make redactie` started: decap-server's process and the thread that serves the front."""

    process: subprocess.Popen | None = None
    serving: threading.Thread | None = None

    def wait(self) -> None:
        """Until Ctrl-C (or SIGTERM): a KeyboardInterrupt; decap-server stopping on its own is an error."""
        stopping = threading.Event()
        while not stopping.is_set():
            if self.process is not None and self.process.poll() is not None:
                raise RedactieNietGestart("decap-server is onverwacht gestopt; de editor kan niet meer opslaan.")
            stopping.wait(0.5)


def _open_front(root: Path, port: int, rebuilder: Rebuilder) -> Front:
    """The front on 127.0.0.1:``port``, or GEBRUIK when that port cannot be used."""
    try:
        return Front(
            root / "site",
            redactie.Instellingen(gitlab="", app_id="", project="", lokaal=True),
            backend_port=_free_port(),
            port=port,
            rebuilder=rebuilder,
        )
    except OSError as error:
        rebuilder.stop()
        raise UsageError(
            f"poort {port} op 127.0.0.1 is niet te gebruiken ({error.strerror or error}).",
            hint="Kies een andere poort: REDACTIE_POORT=8101 make redactie (of kompas redactie --poort 8101).",
        ) from None


def _start(root: Path, front: Front, running: _Running, stream, errors, *, build: bool) -> None:
    """Check Node, build the site with the editor, start decap-server and serve the front."""
    from .build import build_site

    check_node(root)  # before the build: a missing Node is reported at once
    if build:
        print("De site wordt gebouwd, met de editor ...", file=stream, flush=True)
        front.site_dir = build_site(root)
    front.settings = _site_settings(front.site_dir)
    script = ensure_decap_server(root, errors)
    running.process = start_decap_server(root, script, front.backend_port, front.origin)
    wait_for_port(front.backend_port, running.process)
    threading.Thread(target=_drain, args=(running.process, errors), daemon=True).start()
    running.serving = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    running.serving.start()
    print(f"De editor: {front.editor_url}", file=stream)
    print(
        "Opslaan schrijft in deze werkmap (git diff laat zien wat er veranderde). Stoppen: Ctrl-C.",
        file=stream,
        flush=True,
    )


@contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGTERM stops like Ctrl-C, and Ctrl-C stops the editor even when this process was started with
    SIGINT ignored (a background job); the previous handlers come back afterwards."""
    previous = signal.signal(signal.SIGTERM, _on_term)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


@contextmanager
def _local_mode() -> Iterator[None]:
    """Builds within the block make the editor of the local mode (redactie.LOKAAL)."""
    previous_mode = os.environ.get(redactie.LOKAAL)
    os.environ[redactie.LOKAAL] = "1"
    try:
        yield
    finally:
        if previous_mode is None:
            os.environ.pop(redactie.LOKAAL, None)
        else:
            os.environ[redactie.LOKAAL] = previous_mode


def _on_term(signum, frame):
    raise KeyboardInterrupt


def _site_settings(site_dir: Path) -> redactie.Instellingen:
    """The editor's settings as the build wrote them (config.json): for the policy of redactie/."""
    try:
        config = json.loads((Path(site_dir) / redactie.FOLDER / "config.json").read_text(encoding="utf-8"))
        backend = config["cms"]["backend"]
        return redactie.Instellingen(
            gitlab=backend.get("base_url", ""),
            app_id=backend.get("app_id", ""),
            project=backend.get("repo", ""),
            branch=backend.get("branch", "main"),
            api=backend.get("api_root", ""),
            lokaal=True,
        )
    except (OSError, ValueError, KeyError):
        return redactie.Instellingen(gitlab="", app_id="", project="", lokaal=True)
