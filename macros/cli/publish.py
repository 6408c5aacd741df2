"""`kompas publiceer` (`make deploy`): mike builds the version on a scratch branch, and gh-pages moves to
it in one compare-and-swap at the end, so an interrupted release leaves gh-pages unchanged. Holds the
project's build lock; never pushes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..store.errors import OperationFailed, UsageError
from ..store.lock import ProjectLock

SCRATCH = "refs/heads/kompas-publiceren"
_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")


def publish(root: Path, version: str, aliases) -> str:
    """Publish ``version`` (with ``aliases``) of the project at ``root`` into gh-pages; mike's listing
    of the versions afterwards. Raises :class:`UsageError` for a version or alias that cannot be a name,
    :class:`macros.store.errors.Busy`, or :class:`OperationFailed` (code HULPMIDDEL) when git or mike fails."""
    for value in (version, *aliases):
        if not _NAME.fullmatch(value) or ".." in value:
            raise UsageError(
                f"{value!r} is geen geldige versie of alias: gebruik letters, cijfers, punten, "
                "streepjes en liggende streepjes, bijvoorbeeld 1.2 of latest."
            )
    bin_dir = Path(sys.executable).parent
    mike = shutil.which("mike", path=str(bin_dir)) or "mike"
    try:
        with ProjectLock(root) as lock:
            # the build folder lives beside the lock, so that the next release removes what an
            # interrupted one left behind (under the lock, nothing else uses it)
            for leftover in lock.path.parent.glob("publiceren-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            for leftover in root.glob("mike-mkdocs*.yml"):  # mike's copy of mkdocs.yml with its plugin
                if "mike" in leftover.read_text(encoding="utf-8", errors="replace"):
                    leftover.unlink(missing_ok=True)
            with tempfile.TemporaryDirectory(prefix="publiceren-", dir=lock.path.parent) as temporary:
                _publish(root, version, tuple(aliases), Path(temporary), mike, bin_dir)
    except subprocess.CalledProcessError as error:
        raise OperationFailed(
            f"git gaf een fout ({(error.stderr or '').strip()}); de branch gh-pages is niet veranderd.",
            code="HULPMIDDEL",
        ) from None
    return subprocess.run([mike, "list"], cwd=root, capture_output=True, text=True).stdout


def _git(root: Path, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *command], capture_output=True, text=True, check=check)


def _publish(root: Path, version: str, aliases: tuple[str, ...], temporary: Path, mike: str, bin_dir: Path) -> None:
    """mike on the scratch branch, then gh-pages moved to it in one compare-and-swap."""
    env = dict(
        os.environ, KOMPAS_SITE_DIR=str(temporary / "site"), PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    old = _git(root, "rev-parse", "--verify", "-q", "refs/heads/gh-pages", check=False).stdout.strip()
    _git(root, "update-ref", "-d", SCRATCH, check=False)  # left by an interrupted release
    if old:
        _git(root, "update-ref", SCRATCH, old)
    steps = [[mike, "deploy", "-b", "kompas-publiceren", "--update-aliases", version, *aliases]]
    if "latest" in aliases:
        steps.append([mike, "set-default", "-b", "kompas-publiceren", "--allow-empty", "latest"])
    for step in steps:
        if subprocess.run(step, cwd=root, env=env).returncode != 0:
            _git(root, "update-ref", "-d", SCRATCH, check=False)
            raise OperationFailed(
                "de bouw of mike is mislukt (zie hierboven); de branch gh-pages is niet veranderd.", code="HULPMIDDEL"
            )
    new = _git(root, "rev-parse", "--verify", SCRATCH).stdout.strip()
    _git(root, "update-ref", "-m", f"kompas publiceer {version}", "refs/heads/gh-pages", new, old or "0" * 40)
    _git(root, "update-ref", "-d", SCRATCH, check=False)
