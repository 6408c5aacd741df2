"""No command loses an editor's work (issue 18): every refusal through the real `kompas`
program, with its exit code (2), its Dutch message and a hash of the whole tree before and
after; the verified caches; a read-only project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lib.safety import KOMPAS, git, make_deploy, new_project, refused, run, tree_hash


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One project with a built site; each test gets its own copy."""
    project = new_project(tmp_path_factory.mktemp("veilig") / "project")
    result = run("bouw", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(pristine, tmp_path) -> Path:
    target = tmp_path / "werk" / "project"
    shutil.copytree(pristine, target, symlinks=True)
    return target


# -- kompas bouw --uit -------------------------------------------------------------------


@pytest.mark.parametrize(
    "uit, message",
    [
        ("content", "ligt in de bronmap content/"),
        ("content/pages", "ligt in de bronmap content/"),
        ("themabladen", "ligt in de bronmap themabladen/"),
        ("modules/nieuw", "ligt in de bronmap modules/"),
        ("macros", "ligt in de bronmap macros/"),
        ("tests", "ligt in de bronmap tests/"),
        ("schemas", "ligt in de bronmap schemas/"),
        ("scripts", "ligt in de bronmap scripts/"),
        ("bench", "ligt in de bronmap bench/"),
        (".git", "ligt in de bronmap .git/"),
        (".", "is de projectmap zelf"),
        ("..", "bevat de projectmap"),
        ("/", "bevat de projectmap"),
        ("mkdocs.yml", "is een bestand, geen map"),
    ],
)
def test_bouw_refuses_source_and_project_folders(project, uit, message):
    refused(project, "bouw", "--uit", uit, message=message)


def test_bouw_refuses_a_folder_it_did_not_build(project):
    elsewhere = project.parent / "mijn-documenten"
    elsewhere.mkdir()
    (elsewhere / "rapport.txt").write_text("belangrijk\n", encoding="utf-8")
    refused(project, "bouw", "--uit", str(elsewhere), message="is niet door Kompas gebouwd")
    # the same through a symbolic link to a source folder
    (project.parent / "snelkoppeling").symlink_to(project / "content")
    refused(project, "bouw", "--uit", str(project.parent / "snelkoppeling"), message="ligt in de bronmap content/")


def test_bouw_replaces_its_own_site_and_the_default_one(project):
    out = project.parent / "uit"
    first = run("bouw", "--uit", str(out), cwd=project)
    assert first.returncode == 0, first.stderr
    assert (out / ".kompas-site").is_file() and (out / "index.html").is_file()
    again = run("bouw", "--uit", str(out), cwd=project)  # a folder Kompas built: replaced
    assert again.returncode == 0, again.stderr
    # the default site/ of an existing checkout stays allowed, also without the marker
    (project / "site" / ".kompas-site").unlink()
    (project / "site" / "oud.txt").write_text("x", encoding="utf-8")
    assert run("bouw", cwd=project).returncode == 0
    assert not (project / "site" / "oud.txt").exists() and (project / "site" / ".kompas-site").is_file()
    assert not list(project.glob(".site-kompas-*"))


def test_mkdocs_itself_refuses_a_source_folder_as_site_dir(project):
    """`mkdocs build` empties site_dir right after the config hook: the hook refuses first."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    for site_dir, env in (("macros", {}), (None, {"KOMPAS_SITE_DIR": "themabladen"})):
        before = tree_hash(project.parent)
        command = [str(mkdocs), "build", "--strict", *(["--site-dir", site_dir] if site_dir else [])]
        result = subprocess.run(
            command, cwd=project, capture_output=True, text=True, env={**os.environ, **env}, timeout=600
        )
        assert result.returncode != 0
        assert "ligt in de bronmap" in result.stderr
        assert tree_hash(project.parent) == before


def test_bouw_refuses_map_inside_a_source_folder(project):
    refused(project, "bouw", "--map", "content", message="--map 'content' ligt in de bronmap content/")


# -- kompas kaarten --uit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "uit, message",
    [
        ("themabladen/vrije-tijd.yaml", "eindigt niet op .pdf"),
        ("README.md", "eindigt niet op .pdf"),
        ("mkdocs.yml", "eindigt niet op .pdf"),
        ("content/kaarten.pdf", "ligt in de bronmap content/"),
        ("macros/kaarten.pdf", "ligt in de bronmap macros/"),
        ("geen-pdf.pdf", "bestaat al en is geen PDF"),
        ("map.pdf", "is een map"),
        ("bestaat/niet/kaarten.pdf", "De map van"),
    ],
)
def test_kaarten_refuses_what_is_not_a_pdf_it_may_write(project, uit, message):
    (project / "geen-pdf.pdf").write_text("mijn aantekeningen\n", encoding="utf-8")
    (project / "map.pdf").mkdir()
    refused(project, "kaarten", "--uit", uit, message=message)


def test_kaarten_overwrites_an_earlier_pdf(project):
    out = project / "kaarten.pdf"
    assert run("kaarten", "--uit", str(out), cwd=project).returncode == 0
    first = out.read_bytes()
    assert first.startswith(b"%PDF-")
    result = run("kaarten", "--uit", str(out), "--formaat", "a5", cwd=project)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() != first and out.read_bytes().startswith(b"%PDF-")
    assert not list(project.glob(".schrijven-*"))
    # what a killed run left (its process is gone) is removed by the next one; a live writer's file stays
    dead = subprocess.Popen(["true"])
    dead.wait()
    (project / f".schrijven-{dead.pid}-x1.pdf.tmp").write_bytes(b"%PDF-half")
    (project / f".schrijven-{os.getpid()}-x2.pdf.tmp").write_bytes(b"%PDF-busy")
    assert run("kaarten", "--uit", str(out), cwd=project).returncode == 0
    assert [p.name for p in project.glob(".schrijven-*")] == [f".schrijven-{os.getpid()}-x2.pdf.tmp"]


# -- ids that become paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (("nieuw", "themablad", "Geweld", "--id", "geweld\n"), "--id 'geweld\\n' is geen geldig id"),
        (("nieuw", "themablad", "Geweld", "--id", "../geweld"), "--id '../geweld' is geen geldig id"),
        (("nieuw", "themablad", "Geweld", "--id", "/tmp/geweld"), "is geen geldig id"),
        (
            ("nieuw", "dilemma", "Een vraag", "--themablad", "../../mkdocs"),
            "--themablad '../../mkdocs' is geen geldig id",
        ),
        (("nieuw", "dilemma", "Een vraag", "--themablad", "vrije-tijd\n"), "is geen geldig id"),
        (("nieuw", "module", "masterclass", "Sessie", "--themablad", "a/b"), "is geen geldig id"),
        (("nieuw", "uitspraak", "ECLI:NL:CRVB:2014:3729\n"), "is geen geldige ECLI"),
        (("nieuw", "themablad", "X", "--map", "content"), "--map 'content' ligt in de bronmap content/"),
        (("documenteer", "--map", "tests"), "--map 'tests' ligt in de bronmap tests/"),
        (("kaarten", "--uit", "k.pdf", "--id", "../x"), "--id '../x' is geen geldig id"),
        (("kaarten", "--uit", "k.pdf", "--themablad", "vrije-tijd\n"), "is geen geldig id"),
        (("kaarten", "--uit", "k.pdf", "--module", "../../etc"), "is geen geldig id"),
    ],
)
def test_values_that_become_paths_are_checked_first(project, args, message):
    refused(project, *args, message=message)


# -- KOMPAS_CACHE_DIR --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("valideer",), ("bouw",), ("kaarten", "--uit", "k.pdf")])
@pytest.mark.parametrize(
    "cache, message",
    [
        ("content", "KOMPAS_CACHE_DIR: 'content' ligt in de bronmap content/"),
        (".", "is de projectmap zelf"),
        ("..", "bevat de projectmap"),
        ("vreemd", "bevat bestanden die niet van Kompas zijn"),
    ],
)
def test_cache_dir_gets_the_folder_rule(project, command, cache, message):
    (project.parent / "vreemd" / "valideren").mkdir(parents=True)
    (project.parent / "vreemd" / "valideren" / "notities.pickle").write_bytes(b"van iemand anders")
    value = str(project.parent / cache) if cache == "vreemd" else cache
    refused(project, *command, message=message, env={"KOMPAS_CACHE_DIR": value})


# -- the lock ----------------------------------------------------------------------------------


def test_a_second_build_or_release_is_refused_while_one_runs(project):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom macros.store.lock import ProjectLock\n"
            f"with ProjectLock({str(project)!r}):\n    print('ok', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )  # what a running build holds
    try:
        assert holder.stdout.readline().strip() == "ok"
        refused(
            project,
            "bouw",
            message=f"BEZIG fout: er draait al een bouw of publicatie in deze projectmap (proces {holder.pid})",
            code=3,
        )
        refused(project, "publiceer", "1.0", message="er draait al een bouw of publicatie", code=3)
        make = make_deploy(project, "1.0")
        assert make.returncode != 0 and "er draait al een bouw of publicatie" in make.stderr
    finally:
        holder.kill()
        holder.wait()
    assert "gh-pages" not in git(project, "branch", "--list")
    assert run("bouw", cwd=project).returncode == 0  # released: the next build runs


def test_publiceer_refuses_a_version_that_would_be_a_path(project):
    refused(project, "publiceer", "../1.0", message="is geen geldige versie")


# -- caches that cannot poison a build ----------------------------------------------------


def test_damaged_deck_cache_is_rebuilt_not_copied(project, tmp_path):
    cache = tmp_path / "cache"
    env = {"KOMPAS_CACHE_DIR": str(cache)}
    assert run("bouw", cwd=project, env=env).returncode == 0
    site_pdfs = {p.name: p.read_bytes() for p in (project / "site" / "kaarten").glob("*.pdf")}
    entries = sorted((cache / "kaarten").glob("*/*.pdf"))
    assert (
        entries and (entries[0].parent / ".kompas-cache").is_file() and (cache / "kaarten" / ".kompas-cache").is_file()
    )
    truncated, flipped = entries[0], entries[-1]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 3] ^= 0xFF  # one damaged byte: the PDF still looks like a PDF
    flipped.write_bytes(bytes(data))
    assert run("bouw", cwd=project, env=env).returncode == 0
    assert {p.name: p.read_bytes() for p in (project / "site" / "kaarten").glob("*.pdf")} == site_pdfs
    from macros.store.entries import linked_entry_valid

    assert all(linked_entry_valid(entry) for entry in (cache / "kaarten").glob("*/*.pdf"))


def test_damaged_validation_cache_is_ignored(project, tmp_path):
    cache = tmp_path / "cache"
    env = {"KOMPAS_CACHE_DIR": str(cache)}
    clean = run("valideer", cwd=project, env=env)
    damaged = list((cache / "valideren").glob("*/*.pickle"))
    assert damaged
    for entry in damaged:
        data = bytearray(entry.read_bytes())
        data[-10] ^= 0xFF
        entry.write_bytes(bytes(data))
    again = run("valideer", cwd=project, env=env)
    assert (again.returncode, again.stdout) == (clean.returncode, clean.stdout)


def _as_other_user() -> list[str]:
    """Root writes anywhere: the read-only tests then run kompas as root without the capabilities
    that override file modes (setpriv), so that it obeys them like any other user. (As 'nobody' it
    could not read a checkout in a private folder, such as the temporary folder CI clones into.)"""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps=-all", "--"]


def test_valideer_in_a_read_only_project_works_with_a_warning(project):
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="kompas-alleen-lezen-"))  # pytest's own folders are private (0700)
    tmp_path.chmod(0o755)
    project = Path(shutil.copytree(project, tmp_path / "project", symlinks=True))
    shutil.rmtree(project / ".cache", ignore_errors=True)
    for folder in (project / "site", project / ".git"):
        shutil.rmtree(folder, ignore_errors=True)
    expected = run("valideer", "--zonder-cache", cwd=project)
    readable = [project, *project.parents]
    for path in (project, *[p for p in project.rglob("*")]):
        path.chmod(0o555 if path.is_dir() else 0o444)
    for parent in readable[1:]:
        if parent.stat().st_mode & 0o005 != 0o005:
            pytest.fail(f"{parent} is not readable for other users")  # the test set-up, not Kompas
    try:
        before = tree_hash(project)
        env = {k: v for k, v in os.environ.items() if k != "KOMPAS_CACHE_DIR"}
        env["HOME"] = str(tmp_path)
        result = subprocess.run(
            [*_as_other_user(), str(KOMPAS), "valideer"],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == expected.returncode, result.stderr
        assert result.stdout == expected.stdout
        assert "waarschuwing: de cache in" in result.stderr and "alleen-lezen" in result.stderr
        assert "Traceback" not in result.stderr
        assert tree_hash(project) == before
        # a read-only cache folder elsewhere: the same
        cache = tmp_path / "alleen-lezen"
        (cache / "valideren").mkdir(parents=True)
        cache.chmod(0o555)
        (cache / "valideren").chmod(0o555)
        env["KOMPAS_CACHE_DIR"] = str(cache)
        result = subprocess.run(
            [*_as_other_user(), str(KOMPAS), "valideer"],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == expected.returncode and result.stdout == expected.stdout
        assert "alleen-lezen" in result.stderr
    finally:
        for path in (tmp_path, *tmp_path.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(tmp_path, ignore_errors=True)
