"""Hostile input, round two (issue 30): the classes that need the real program, a build or a release,
each with a few enumerated members, each in a fresh copy of one built project (the interrupted releases
are in test_faults.py, beside the other release moments, on the project released there).

6. An output folder that is, or resolves through, a link out of the project: refused (default site/,
   --uit, MkDocs' site_dir, kaarten --uit); a folder outside the project named directly still works.
7. File modes: a build under umask 027 gives 0750/0640 everywhere, also for what comes from a cache
   built under 022 (copied, not linked: no chmod of a shared entry).
8. The errno class of paths: every one a Dutch refusal with exit code 2, never the system's English.
9. `kompas nieuw` on a full disk leaves nothing; a file that appears while it writes is never replaced.
10. `make deploy` with version names that are mike's own files or shell code: refused before anything
    runs; no command from a name ever runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from lib import safety
from lib.safety import KOMPAS, git, make_deploy, new_project, run, tree_hash

FAULTS = Path(__file__).resolve().parent / "inject"
ENGLISH = (
    "File name too long",
    "Not a directory",
    "Too many levels",
    "No such file",
    "Permission denied",
    "Traceback",
    "Errno",
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("vijandig") / "project")
    result = run("bouw", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(pristine, tmp_path) -> Path:
    target = tmp_path / "werk" / "project"
    shutil.copytree(pristine, target, symlinks=True)
    return target


def refused(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """lib.safety.refused, with none of the system's English and within two minutes."""
    return safety.refused(project, *args, never=ENGLISH, timeout=120, **kwargs)


# -- 6. the output folder through a link out of the project ----------------------------------------------


@pytest.fixture
def elsewhere(project) -> Path:
    """A folder outside the project with someone's files in it."""
    folder = project.parent / "elders" / "documenten"
    folder.mkdir(parents=True)
    (folder / "rapport.txt").write_text("van iemand anders\n", encoding="utf-8")
    return folder


LINK_MESSAGE = "een snelkoppeling (of ligt achter een snelkoppeling) naar een map buiten de projectmap"


def test_default_site_that_links_out_is_refused(project, elsewhere):
    shutil.rmtree(project / "site")
    (project / "site").symlink_to(elsewhere)
    refused(project, "bouw", message=LINK_MESSAGE)
    (elsewhere / "rapport.txt").unlink()  # an empty folder behind the link: still not Kompas's to replace
    refused(project, "bouw", message=LINK_MESSAGE)


@pytest.mark.parametrize("uit", ["uitlink", "uitlink/sub", "tussen/uitlink", "site-link/deeper"])
def test_uit_through_a_link_out_is_refused(project, elsewhere, uit):
    (project / "uitlink").symlink_to(elsewhere)
    (project / "tussen").mkdir()
    (project / "tussen" / "uitlink").symlink_to(elsewhere)
    (project / "site-link").symlink_to(elsewhere.parent)
    refused(project, "bouw", "--uit", uit, message=LINK_MESSAGE)


def test_mkdocs_site_dir_through_a_link_out_is_refused(project, elsewhere):
    import sys

    (project / "uitlink").symlink_to(elsewhere)
    before = tree_hash(project.parent)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KOMPAS_SITE_DIR": "uitlink"},
    )
    assert result.returncode != 0 and LINK_MESSAGE in result.stderr
    assert tree_hash(project.parent) == before


def test_kaarten_through_a_link_out_is_refused(project, elsewhere):
    (elsewhere / "kaarten.pdf").write_bytes(b"%PDF-1.7 iemand anders\n")
    (project / "kaarten.pdf").symlink_to(elsewhere / "kaarten.pdf")
    (project / "uitlink").symlink_to(elsewhere)
    refused(project, "kaarten", "--uit", "kaarten.pdf", message="buiten de projectmap")
    refused(project, "kaarten", "--uit", "uitlink/nieuw.pdf", message="buiten de projectmap")


def test_a_folder_outside_named_directly_is_still_allowed(project, tmp_path):
    """The rule is about links out of the project, not about the user's own layout outside it."""
    real = tmp_path / "www" / "kompas-echt"
    real.parent.mkdir()
    (tmp_path / "www" / "kompas").symlink_to(real)
    result = run("bouw", "--uit", str(tmp_path / "www" / "kompas"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (real / ".kompas-site").is_file() and (tmp_path / "www" / "kompas").is_symlink()


# -- 7. file modes from the umask --------------------------------------------------------------------------


def test_site_modes_follow_the_umask_at_creation(project):
    """pristine was built under the test's umask (022) into the shared cache; this build runs under 027."""
    result = subprocess.run(
        ["sh", "-c", f"umask 027 && exec '{KOMPAS}' bouw && exec true"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    wrong = []
    for path in [project / "site", *(project / "site").rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o750 if path.is_dir() else 0o640
        if mode != wanted:
            wrong.append(f"{path.relative_to(project)} {mode:o}")
    assert not wrong, wrong[:20]
    assert any(p.suffix == ".pdf" for p in (project / "site").rglob("*"))  # decks from the cache too
    deck = subprocess.run(
        ["sh", "-c", f"umask 027 && exec '{KOMPAS}' kaarten --uit kaart.pdf --id joint"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert deck.returncode == 0, deck.stderr
    assert stat.S_IMODE((project / "kaart.pdf").stat().st_mode) == 0o640


# -- 8. the errno class of paths ----------------------------------------------------------------------------

LONG_PART = "x" * 300  # one name longer than 255 bytes
LONG_PATH = "/".join(["map"] * 1400)  # a path longer than 4096


@pytest.fixture
def odd(project) -> Path:
    (project / "lus-a").symlink_to("lus-b")
    (project / "lus-b").symlink_to("lus-a")
    os.mkfifo(project / "wacht.pdf")
    return project


@pytest.mark.parametrize(
    "args, message",
    [
        (("bouw", "--uit", LONG_PART), "de naam is te lang"),
        (("bouw", "--uit", LONG_PATH), "de naam is te lang"),
        (("bouw", "--uit", "README.md/x"), "een deel van het pad is een bestand, geen map"),
        (("bouw", "--uit", "README.md/x/y"), "een deel van het pad is een bestand, geen map"),
        (("bouw", "--uit", "lus-a"), "in een kring van snelkoppelingen"),
        (("bouw", "--uit", "lus-a/site"), "in een kring van snelkoppelingen"),
        (("kaarten", "--uit", LONG_PART + ".pdf"), "de naam is te lang"),
        (("kaarten", "--uit", "README.md/kaarten.pdf"), "een deel van het pad is een bestand, geen map"),
        (("kaarten", "--uit", "lus-a/kaarten.pdf"), "in een kring van snelkoppelingen"),
        (("kaarten", "--uit", "wacht.pdf"), "bestaat al en is geen PDF"),
        (("valideer", "--map", LONG_PART), "de naam is te lang"),
        (("bouw", "--map", "README.md/x"), "een deel van het pad is een bestand, geen map"),
        (("nieuw", "themablad", "Iets", "--map", "lus-a"), "in een kring van snelkoppelingen"),
    ],
)
def test_every_path_problem_is_a_dutch_refusal(odd, args, message):
    refused(odd, *args, message=message)


@pytest.mark.parametrize(
    "cache, message",
    [
        ("README.md/cache", "een deel van het pad is een bestand, geen map"),
        (LONG_PART, "de naam is te lang"),
        ("lus-a", "in een kring van snelkoppelingen"),
    ],
)
def test_cache_dir_path_problems_are_refused(odd, cache, message):
    refused(odd, "bouw", message="KOMPAS_CACHE_DIR: '", env={"KOMPAS_CACHE_DIR": str(odd / cache)})
    refused(odd, "valideer", message=message, env={"KOMPAS_CACHE_DIR": str(odd / cache)})


# -- 9. kompas nieuw: a full disk, a file that appears -----------------------------------------------------


def test_nieuw_on_a_full_disk_leaves_no_half_item(project):
    before = tree_hash(project)
    result = subprocess.run(
        [
            "prlimit",
            "--fsize=200",
            "--",
            str(KOMPAS),
            "nieuw",
            "dilemma",
            "Een vraag op een volle schijf",
            "--themablad",
            "geweld",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "SCHRIJVEN fout" in result.stderr and "de schijf is vol" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(project) == before  # no item, no temporary file


def test_nieuw_never_replaces_a_file_that_appears_while_it_writes(project, tmp_path):
    target = project / "content" / "dilemmas" / "een-vraag-die-intussen-verschijnt.yaml"
    log = tmp_path / "nieuw.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(KOMPAS), "nieuw", "dilemma", "Een vraag die intussen verschijnt", "--themablad", "geweld"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(FAULTS), "KOMPAS_FOUTPUNT": "nieuw-koppelen:1"},
        )
    deadline = time.monotonic() + 60
    while Path(f"/proc/{process.pid}/stat").read_text().split(") ")[1][0] != "T":  # stopped before linking
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.01)
    target.write_text("# van een redacteur die net iets eerder was\n", encoding="utf-8")
    os.kill(process.pid, signal.SIGCONT)
    assert process.wait(timeout=60) == 2, log.read_text()
    assert "NIEUW fout" in log.read_text() and "bestaat al" in log.read_text()
    assert target.read_text(encoding="utf-8") == "# van een redacteur die net iets eerder was\n"
    assert not [p.name for p in target.parent.iterdir() if p.name.startswith(".schrijven-")]


# -- 10. version names for make deploy ----------------------------------------------------------------------

HOSTILE_VERSIONS = [
    ("index.html", "geen geldige versie"),
    ("versions.json", "geen geldige versie"),
    ("latest", "geen geldige versie"),
    ("'; touch PWNED-1; '", "geen geldige versie"),
    ("$(touch PWNED-2)", "geen geldige versie"),
    ("`touch PWNED-3`", "geen geldige versie"),
    ("$(shell touch PWNED-4)", "geen geldige versie"),
    ("\"; touch PWNED-5; \"", "geen geldige versie"),
    ("-1", "geen geldige versie"),
    ("../1.0", "geen geldige versie"),
]


@pytest.mark.parametrize("version, message", HOSTILE_VERSIONS, ids=[v for v, _ in HOSTILE_VERSIONS])
def test_make_deploy_refuses_a_name_and_runs_nothing_from_it(project, version, message):
    before = tree_hash(project, skip=(".git",))
    result = make_deploy(project, version, "ALIAS=$(touch PWNED-ALIAS)" if "json" in version else "ALIAS=latest")
    assert result.returncode != 0
    assert message in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    after = tree_hash(project, skip=(".git",))
    assert {k for k in after if "PWNED" in k} == set(), "a command in a name ran"
    assert {k: v for k, v in after.items() if k not in ("Makefile", "pyproject.toml")} == {
        k: v for k, v in before.items() if k not in ("Makefile", "pyproject.toml")
    }
    assert "gh-pages" not in git(project, "branch", "--list")
    assert not list(Path.cwd().glob("PWNED*"))


def test_make_deploy_refuses_a_hostile_alias(project):
    result = make_deploy(project, "1.0", "ALIAS='; touch PWNED-6; '")
    assert result.returncode != 0 and "geen geldige alias" in result.stderr
    assert not list(project.rglob("PWNED*")) and "gh-pages" not in git(project, "branch", "--list")
