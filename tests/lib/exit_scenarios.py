"""One scenario per row of the exit code table (macros/cli/exits.py): how to make each command end
that way. tests/unit/cli/test_exit_codes.py runs the cheap ones, tests/site/test_exit_codes.py and
tests/print/test_exit_codes.py the ones that build a site or lay out a PDF; every row has a scenario.

A scenario runs the command in this process (``main``), as the `kompas` program does, and gives the
exit code and what it wrote on stderr. It may prepare the project, the environment (``monkeypatch``)
or hold the project lock while the command runs.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib.project import git as run_git
from macros.cli import commands
from macros.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Scenario:
    tier: str  # "unit", "print" or "site"
    run: Callable  # (project: Path, tmp_path: Path, monkeypatch) -> list of arguments for main


def project(tmp_path: Path, *, site: bool = False, git: bool = False) -> Path:
    """A valid project (the basis fixture), with the real site configuration when ``site``."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "geldig" / "basis", target, ignore=shutil.ignore_patterns("verwacht.json"))
    if site:
        from macros.harness.project import add_site_hooks

        shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
        shutil.copytree(ROOT / "content" / "pages", target / "content" / "pages")
        add_site_hooks(target)
    if git:
        for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "begin"]):
            run_git(target, *command)
    return target


def broken(target: Path) -> Path:
    """The project with an error in its content (an unknown field)."""
    sheet = target / "themabladen" / "geweld.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("titel: Gebruik van geweld", "titell: x"), encoding="utf-8"
    )
    return target


def _interrupted(monkeypatch) -> None:
    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "project_root", stop)  # every command starts there


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@contextmanager
def _locked(root: Path):
    from macros.store.lock import ProjectLock

    with ProjectLock(root):
        yield


def _with_lock(command: list[str]):
    def run(root, tmp_path, monkeypatch):
        lock = _locked(root)
        lock.__enter__()
        monkeypatch.setattr(_HELD, "locks", [*_HELD.locks, lock])
        return command + ["--map", str(root)]

    return run


class _HELD:
    """Locks and sockets a scenario holds until the test ends (released by :func:`release`)."""

    locks: list = []
    sockets: list = []


def release() -> None:
    for lock in _HELD.locks:
        lock.__exit__(None, None, None)
    _HELD.locks = []
    for held in _HELD.sockets:
        held.close()
    _HELD.sockets = []


def _missing_map(command: list[str]):
    return lambda root, tmp_path, monkeypatch: command + ["--map", str(tmp_path / "bestaat-niet")]


def _spelling_streng(root, tmp_path, monkeypatch):
    sheet = root / "themabladen" / "geweld.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("Gebruik van geweld", "Gebruik van gewelt"), encoding="utf-8"
    )
    return ["spelling", "--streng", "--map", str(root)]


def _documented(root: Path) -> Path:
    shutil.copy(ROOT / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    (root / "docs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "docs" / "errors.md", root / "docs" / "errors.md")
    return root


def _stale_docs(root, tmp_path, monkeypatch):
    _documented(root)
    errors = root / "docs" / "errors.md"
    errors.write_text(errors.read_text(encoding="utf-8").replace("| 130 |", "| 131 |"), encoding="utf-8")
    return ["documenteer", "--controleer", "--map", str(root)]


def _without_later_stages(monkeypatch) -> None:
    """Validation without its checks of the later build stages (the handout fit, the page rules): since
    issue 31 content reaches the build's own refusals (BOUW-GEWEIGERD, DRUK) only past a check that
    validation does not have (docs/weigeringen.md); this is how a test gets there."""
    from macros.verdict import measures

    monkeypatch.setattr(measures, "MEASURERS", [])


def _handout_too_long(root, tmp_path, monkeypatch):
    from macros.printing import handout

    monkeypatch.setattr(handout, "MAX_PAGES", 0)  # every handout is then too long
    _without_later_stages(monkeypatch)
    return ["bouw", "--map", str(root)]


def _broken_link(root, tmp_path, monkeypatch):
    page = root / "content" / "pages" / "toegankelijkheid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[weg](bestaat-niet.md)\n", encoding="utf-8")
    _without_later_stages(monkeypatch)
    return ["bouw", "--map", str(root)]


def _no_pagefind(root, tmp_path, monkeypatch):
    from macros.site import search

    def missing():
        raise search.SearchIndexFailed("Pagefind ontbreekt: installeer het project opnieuw (make install).")

    monkeypatch.setattr(search, "executable", missing)
    return ["bouw", "--map", str(root)]


def _bad_config(root, tmp_path, monkeypatch):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: misschien\n", encoding="utf-8")
    return ["bouw", "--map", str(root)]


def _mike_fails(root, tmp_path, monkeypatch):
    shutil.rmtree(root / ".git")  # mike works on a git branch: without git it fails (and so does the release)
    return ["publiceer", "1.0", "--map", str(root)]


def _kaarten_write_fails(root, tmp_path, monkeypatch):
    from macros.printing import cards

    monkeypatch.setattr(cards, "render_deck", _no_space)
    return ["kaarten", "--uit", str(tmp_path / "kaarten.pdf"), "--map", str(root)]


def _bouw_write_fails(root, tmp_path, monkeypatch):
    from macros.store import swap

    monkeypatch.setattr(swap, "temp_site", _no_space)
    return ["bouw", "--map", str(root)]


def _nieuw_write_fails(root, tmp_path, monkeypatch):
    shutil.rmtree(root / "themabladen")
    (root / "themabladen").write_text("geen map", encoding="utf-8")
    return ["nieuw", "themablad", "Een nieuw blad", "--map", str(root)]


def _no_hunspell(root, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no hunspell on this PATH
    return ["spelling", "--map", str(root)]


def _with_editor(root: Path) -> Path:
    """The project with the editor's npm files (redactie/package.json and its lockfile); decap-server
    itself is shared from this checkout when it is installed there (make test installs it), else
    `kompas redactie` installs it into the project with npm ci, as on a first start."""
    (root / "redactie").mkdir(exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / "redactie" / name, root / "redactie" / name)
    modules = ROOT / "redactie" / "node_modules"
    if (modules / "decap-server").is_dir():
        (root / "redactie" / "node_modules").symlink_to(modules)
    return root


def _editor_stopped(root, tmp_path, monkeypatch):
    """make redactie for real (a build, decap-server, the front); Ctrl-C once the editor answers."""
    from macros.harness.browser import free_port

    _with_editor(root)
    port = free_port()
    main_thread = os.getpid()

    def stop_when_serving() -> None:
        end = time.monotonic() + 600
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/redactie/config.json", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        os.kill(main_thread, signal.SIGINT)  # Ctrl-C (run() turns it into KeyboardInterrupt)

    threading.Thread(target=stop_when_serving, daemon=True).start()
    return ["redactie", "--poort", str(port), "--map", str(root)]


def _editor_broken_link(root, tmp_path, monkeypatch):
    _broken_link(_with_editor(root), tmp_path, monkeypatch)
    return ["redactie", "--poort", "0", "--map", str(root)]


def _port_taken(root, tmp_path, monkeypatch):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    _HELD.sockets.append(taken)
    return ["redactie", "--poort", str(taken.getsockname()[1]), "--map", str(root)]


def _no_node(root, tmp_path, monkeypatch):
    _with_editor(root)
    monkeypatch.setenv("PATH", str(tmp_path))  # no node or npm on this PATH
    return ["redactie", "--poort", "0", "--map", str(root)]


def _interrupt(command: list[str]):
    def run(root, tmp_path, monkeypatch):
        _interrupted(monkeypatch)
        return command + ["--map", str(root)]

    return run


def _plain(command: list[str], prepare: Callable[[Path], object] = lambda root: None):
    def run(root, tmp_path, monkeypatch):
        prepare(root)
        return command + ["--map", str(root)]

    return run


SCENARIOS: dict[tuple[str, int, str | None], Scenario] = {
    # kompas valideer
    ("valideer", 0, None): Scenario("unit", _plain(["valideer"])),
    ("valideer", 1, None): Scenario("unit", _plain(["valideer"], broken)),
    ("valideer", 2, "GEBRUIK"): Scenario("unit", _missing_map(["valideer"])),
    ("valideer", 2, "PAD-GEWEIGERD"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: (
            monkeypatch.setenv("KOMPAS_CACHE_DIR", str(root / "content")),
            ["valideer", "--map", str(root)],
        )[1],
    ),
    ("valideer", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["valideer"])),
    # kompas kaarten
    ("kaarten", 0, None): Scenario(
        "print",
        lambda root, tmp_path, monkeypatch: [
            "kaarten",
            "--formaat",
            "a5",
            "--id",
            "joint",
            "--uit",
            str(tmp_path / "kaart.pdf"),
            "--map",
            str(root),
        ],
    ),
    ("kaarten", 1, "INHOUD-FOUTEN"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: ["kaarten", "--uit", str(tmp_path / "k.pdf"), "--map", str(broken(root))],
    ),
    ("kaarten", 2, "GEBRUIK"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: [
            "kaarten",
            "--uit",
            str(tmp_path / "k.pdf"),
            "--map",
            str(tmp_path / "bestaat-niet"),
        ],
    ),
    ("kaarten", 2, "PAD-GEWEIGERD"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: ["kaarten", "--uit", str(tmp_path / "kaarten.txt"), "--map", str(root)],
    ),
    ("kaarten", 2, "SELECTIE"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: [
            "kaarten",
            "--id",
            "bestaat-niet",
            "--uit",
            str(tmp_path / "k.pdf"),
            "--map",
            str(root),
        ],
    ),
    ("kaarten", 3, "SCHRIJVEN"): Scenario("unit", _kaarten_write_fails),
    ("kaarten", 130, "ONDERBROKEN"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: (_interrupted(monkeypatch), ["kaarten", "--uit", str(tmp_path / "k.pdf")])[
            1
        ],
    ),
    # kompas bouw
    ("bouw", 0, None): Scenario("site", _plain(["bouw"])),
    ("bouw", 1, "INHOUD-FOUTEN"): Scenario("site", _plain(["bouw"], broken)),
    ("bouw", 1, "BOUW-GEWEIGERD"): Scenario("site", _broken_link),
    ("bouw", 1, "DRUK"): Scenario("site", _handout_too_long),
    ("bouw", 2, "GEBRUIK"): Scenario("unit", _missing_map(["bouw"])),
    ("bouw", 2, "PAD-GEWEIGERD"): Scenario(
        "unit", lambda root, tmp_path, monkeypatch: ["bouw", "--uit", str(root / "content"), "--map", str(root)]
    ),
    ("bouw", 3, "BEZIG"): Scenario("unit", _with_lock(["bouw"])),
    ("bouw", 3, "SCHRIJVEN"): Scenario("unit", _bouw_write_fails),
    ("bouw", 3, "HULPMIDDEL"): Scenario("site", _no_pagefind),
    ("bouw", 3, "MISLUKT"): Scenario("site", _bad_config),
    ("bouw", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["bouw"])),
    # kompas redactie (make redactie)
    ("redactie", 0, None): Scenario("site", _editor_stopped),
    ("redactie", 1, "INHOUD-FOUTEN"): Scenario(
        "site", _plain(["redactie", "--poort", "0"], lambda root: broken(_with_editor(root)))
    ),
    ("redactie", 1, "BOUW-GEWEIGERD"): Scenario("site", _editor_broken_link),
    ("redactie", 2, "GEBRUIK"): Scenario("unit", _port_taken),
    ("redactie", 2, "PAD-GEWEIGERD"): Scenario(
        "unit",
        lambda root, tmp_path, monkeypatch: (
            monkeypatch.setenv("KOMPAS_CACHE_DIR", str(root / "content")),
            ["redactie", "--map", str(root)],
        )[1],
    ),
    ("redactie", 3, "BEZIG"): Scenario(
        "site",
        lambda root, tmp_path, monkeypatch: _with_lock(["redactie", "--poort", "0"])(
            _with_editor(root), tmp_path, monkeypatch
        ),
    ),
    ("redactie", 3, "HULPMIDDEL"): Scenario("unit", _no_node),
    ("redactie", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["redactie", "--poort", "0"])),
    # kompas publiceer
    ("publiceer", 0, None): Scenario("site", _plain(["publiceer", "1.0"])),
    ("publiceer", 1, "INHOUD-FOUTEN"): Scenario("unit", _plain(["publiceer", "1.0"], broken)),
    ("publiceer", 2, "GEBRUIK"): Scenario("unit", _plain(["publiceer", "../1.0"])),
    ("publiceer", 3, "BEZIG"): Scenario("unit", _with_lock(["publiceer", "1.0"])),
    ("publiceer", 3, "HULPMIDDEL"): Scenario("site", _mike_fails),
    ("publiceer", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["publiceer", "1.0"])),
    # kompas nieuw
    ("nieuw", 0, None): Scenario("unit", _plain(["nieuw", "themablad", "Een nieuw blad"])),
    ("nieuw", 2, "GEBRUIK"): Scenario("unit", _missing_map(["nieuw", "themablad", "Een nieuw blad"])),
    ("nieuw", 2, "PAD-GEWEIGERD"): Scenario("unit", _plain(["nieuw", "themablad", "Blad", "--id", "../weg"])),
    ("nieuw", 2, "NIEUW"): Scenario("unit", _plain(["nieuw", "themablad", "Gebruik van geweld", "--id", "geweld"])),
    ("nieuw", 3, "SCHRIJVEN"): Scenario("unit", _nieuw_write_fails),
    ("nieuw", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["nieuw", "themablad", "Een nieuw blad"])),
    # kompas spelling
    ("spelling", 0, None): Scenario("unit", _plain(["spelling"])),  # (without --streng: warnings)
    ("spelling", 1, None): Scenario("unit", _spelling_streng),
    ("spelling", 2, "GEBRUIK"): Scenario("unit", _missing_map(["spelling"])),
    ("spelling", 3, "HULPMIDDEL"): Scenario("unit", _no_hunspell),
    ("spelling", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["spelling"])),
    # kompas documenteer
    ("documenteer", 0, None): Scenario("unit", _plain(["documenteer", "--controleer"], _documented)),
    ("documenteer", 1, "DOCUMENTATIE"): Scenario("unit", _stale_docs),
    ("documenteer", 2, "GEBRUIK"): Scenario("unit", _missing_map(["documenteer"])),
    ("documenteer", 3, "SCHRIJVEN"): Scenario("unit", _plain(["documenteer"])),  # no CONTRIBUTING.md to read
    ("documenteer", 130, "ONDERBROKEN"): Scenario("unit", _interrupt(["documenteer"])),
}


def rows(tier: str) -> list[tuple[str, int, str | None]]:
    """The rows of the exit code table whose scenario runs in ``tier``."""
    from macros.cli.exits import COMMANDS

    return [
        (command, int(row.exit_code), row.code)
        for command, table in COMMANDS.items()
        for row in table
        if SCENARIOS[(command, int(row.exit_code), row.code)].tier == tier
    ]


def run_row(key: tuple[str, int, str | None], tmp_path: Path, monkeypatch, capsys) -> tuple[int, str]:
    """Run the scenario of one row; (exit code, stderr)."""
    command = key[0]
    scenario = SCENARIOS[key]
    root = project(
        tmp_path,
        site=scenario.tier == "site" or command in ("bouw", "publiceer", "redactie"),
        git=command == "publiceer",
    )
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)
    arguments = scenario.run(root, tmp_path, monkeypatch)
    capsys.readouterr()
    try:
        code = main(arguments)
    finally:
        release()
    return int(code), capsys.readouterr().err
