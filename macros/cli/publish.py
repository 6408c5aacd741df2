"""`kompas publiceer` (`make deploy`): mike builds the version on a scratch branch, and gh-pages moves to
it in one compare-and-swap at the end, so an interrupted release leaves gh-pages unchanged. Holds the
project's build lock; never pushes.

What a release may not do, whatever happens (issue 30; docs/dreigingsmodel.md):

* **a name mike would misread**: the version and aliases are checked against a strict pattern before
  anything runs (:func:`check_names`): a version starts with a digit (``1.2``, ``2026.1``,
  ``2.0-rc1``), an alias is a lowercase word (``latest``). Nothing mike writes at the root of
  gh-pages (``index.html``, ``versions.json``, ``.nojekyll``) and nothing with a quote, slash, space,
  leading dot or dash can be either;
* **a process behind**: mike runs in a process group of its own that dies with Kompas
  (:mod:`macros.store.children`); Ctrl+C, SIGTERM or SIGHUP stop that group, and the build that mike
  starts and its Pagefind and card workers die with their parents too, also after ``kill -9``;
* **a file behind in the project**: mike gets a configuration written in the release's temporary
  folder in the cache (with its plugin already in it), so it writes no ``mike-mkdocs*.yml`` beside
  ``mkdocs.yml``; the temporary folder goes at the end, and what a killed release left there goes at
  the start of the next one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from ..store.atomic import new_folder
from ..store.children import start_group, stop_group
from ..store.errors import OperationFailed, UsageError
from ..store.keys import cache_root
from ..store.lock import ProjectLock
from ..store.paths import mark_cache_folder, real
from ..store.text import shortened

SCRATCH = "refs/heads/kompas-publiceren"
RELEASE_FOLDER = "publiceren"  # in the cache folder: the temporary folder of a running release
# A version: numbers with dots, optionally a label (1, 1.2, 1.2.3, 2026.1, 1.2-rc1, 2.0-beta.2).
VERSION = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6}){0,3}(-[a-z0-9]{1,20}(\.[a-z0-9]{1,20}){0,3})?")
# An alias: a lowercase word with dashes (latest, stabiel, test-omgeving).
ALIAS = re.compile(r"[a-z][a-z0-9]{0,29}(-[a-z0-9]{1,30}){0,3}")
MAX_NAME = 40


def check_names(version: str, aliases) -> None:
    """Refuse (:class:`UsageError`, exit code 2) a version or alias that is not a name mike can only
    read one way; before anything runs."""
    aliases = tuple(aliases)
    if len(version) > MAX_NAME or not VERSION.fullmatch(version):
        raise UsageError(
            f"{_shown(version)} is geen geldige versie: een versie begint met een cijfer en bestaat uit "
            "getallen met punten, eventueel met een label, bijvoorbeeld 1.2, 2026.1 of 2.0-rc1.",
            hint="Namen die mike zelf gebruikt (index.html, versions.json) en aliassen als latest "
            "zijn geen versie. Er is niets veranderd.",
        )
    for alias in aliases:
        if len(alias) > MAX_NAME or not ALIAS.fullmatch(alias):
            raise UsageError(
                f"{_shown(alias)} is geen geldige alias: een alias is een woord van kleine letters, "
                "cijfers en streepjes dat met een letter begint, bijvoorbeeld latest.",
                hint="Er is niets veranderd.",
            )
    if len(set(aliases)) != len(aliases):
        raise UsageError("een alias staat er twee keer.", hint="Noem elke alias één keer. Er is niets veranderd.")


def _shown(value: str) -> str:
    return shortened(repr(value) if any(not ch.isprintable() or ch in "'\"" for ch in value) else f"'{value}'", 60)


def publish(root: Path, version: str, aliases) -> str:
    """Publish ``version`` (with ``aliases``) of the project at ``root`` into gh-pages; mike's listing
    of the versions afterwards. Raises :class:`UsageError` for a version or alias that cannot be a name,
    :class:`macros.store.errors.Busy`, or :class:`OperationFailed` (code HULPMIDDEL) when git or mike fails;
    KeyboardInterrupt when stopped (Ctrl+C, SIGTERM, SIGHUP), with mike's whole process group gone."""
    check_names(version, aliases)
    bin_dir = Path(sys.executable).parent
    mike = shutil.which("mike", path=str(bin_dir)) or "mike"
    root = Path(root).resolve()
    try:
        with ProjectLock(root), _stopped_by_signals():
            base = real(cache_root(root)) / RELEASE_FOLDER  # resolved: a build folder, not a link in the project
            mark_cache_folder(base)
            for leftover in base.glob("publiceren-*"):  # of a release that was killed (under the lock: not in use)
                shutil.rmtree(leftover, ignore_errors=True)
            for leftover in root.glob("mike-mkdocs*.yml"):  # what mike left in the project before Kompas 30
                if "mike" in leftover.read_text(encoding="utf-8", errors="replace"):
                    leftover.unlink(missing_ok=True)
            temporary = new_folder(base, "publiceren-")
            try:
                return _publish(root, version, tuple(aliases), temporary, mike, bin_dir)
            finally:
                shutil.rmtree(temporary, ignore_errors=True)
    except subprocess.CalledProcessError as error:
        raise OperationFailed(
            f"git gaf een fout ({shortened((error.stderr or '').strip(), 300)}); de branch gh-pages is niet veranderd.",
            code="HULPMIDDEL",
        ) from None


@contextmanager
def _stopped_by_signals():
    """SIGTERM and SIGHUP stop a release the way Ctrl+C does (KeyboardInterrupt): mike's group is then
    stopped and nothing is left behind. (Their default would end Kompas at once, mike going on.)"""

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, stop)
        except (ValueError, OSError):  # not the main thread: leave it
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _git(root: Path, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *command], capture_output=True, text=True, check=check)


def _run(command: list[str], *, cwd: Path, env: dict | None = None) -> int:
    """Run a step of mike in its own process group that dies with Kompas; stopped with its whole group
    when Kompas is interrupted."""
    process = start_group(command, cwd=cwd, env=env)
    try:
        return process.wait()
    except BaseException:
        stop_group(process)
        raise


def _run_out(command: list[str], *, cwd: Path, env: dict | None = None) -> str:
    process = start_group(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        out, _ = process.communicate()
    except BaseException:
        stop_group(process)
        raise
    return out


def _publish(root: Path, version: str, aliases: tuple[str, ...], temporary: Path, mike: str, bin_dir: Path) -> str:
    """mike on the scratch branch, then gh-pages moved to it in one compare-and-swap; mike's listing."""
    from ..site.adapter import write_release_config

    config = write_release_config(root, temporary, temporary / "site")
    env = dict(
        os.environ, KOMPAS_SITE_DIR=str(temporary / "site"), PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    old = _git(root, "rev-parse", "--verify", "-q", "refs/heads/gh-pages", check=False).stdout.strip()
    _forget_scratch(root)  # left by an interrupted release
    if old:
        _git(root, "update-ref", SCRATCH, old)
    try:
        steps = [[mike, "deploy", "-F", str(config), "-b", "kompas-publiceren", "--update-aliases", version, *aliases]]
        if "latest" in aliases:
            steps.append([mike, "set-default", "-F", str(config), "-b", "kompas-publiceren", "--allow-empty", "latest"])
        for step in steps:
            if _run(step, cwd=root, env=env) != 0:
                raise OperationFailed(
                    "de bouw of mike is mislukt (zie hierboven); de branch gh-pages is niet veranderd.",
                    code="HULPMIDDEL",
                )
        new = _git(root, "rev-parse", "--verify", SCRATCH).stdout.strip()
        _git(root, "update-ref", "-m", f"kompas publiceer {version}", "refs/heads/gh-pages", new, old or "0" * 40)
    finally:
        _forget_scratch(root)
    return _run_out([mike, "list", "-F", str(config)], cwd=root, env=env)


def _forget_scratch(root: Path) -> None:
    """Remove the scratch branch, and the ref lock a killed git may have left on it."""
    git_dir = _git(root, "rev-parse", "--git-dir", check=False).stdout.strip()
    if git_dir:
        lock = (root / git_dir / SCRATCH).with_name("kompas-publiceren.lock")
        lock.unlink(missing_ok=True)
    _git(root, "update-ref", "-d", SCRATCH, check=False)
