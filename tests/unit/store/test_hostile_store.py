"""The storage primitives behind issue 30 (the real builds and releases are in tests/faults/):

* files and folders Kompas creates get the mode the umask gives, at creation (class 7);
* a new file is created all or nothing and never over a file that appeared meanwhile (class 9);
* the project lock does not live in a folder that `make clean` may delete (class 11).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from macros.store import atomic
from macros.store.errors import Busy
from macros.store.lock import ProjectLock


def _in_child(code: str, umask: int) -> str:
    """Run ``code`` in a fresh interpreter with ``umask`` (the umask is read once per process)."""
    run = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask({umask:#o})\n{code}"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002, 0o077])
def test_new_files_and_folders_get_the_mode_of_the_umask(tmp_path, umask):
    code = (
        f"from pathlib import Path\nfrom macros.store import atomic, swap\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "fd, path = atomic.new_file(folder, 'x-', '.tmp'); os.close(fd)\n"
        "site = swap.temp_site(folder / 'site')\n"
        "atomic.create_exclusive(folder / 'nieuw.yaml', b'id: x\\n')\n"
        "print(oct(os.stat(path).st_mode & 0o777), oct(os.stat(site).st_mode & 0o777),"
        " oct(os.stat(folder / 'nieuw.yaml').st_mode & 0o777))"
    )
    file_mode, folder_mode, created = _in_child(code, umask).split()
    assert int(file_mode, 8) == int(created, 8) == 0o666 & ~umask
    assert int(folder_mode, 8) == 0o777 & ~umask


def test_a_cache_entry_of_another_umask_is_copied_not_linked(tmp_path):
    """A hard link would give the new site file the entry's mode; a copy gets the umask's."""
    entry = tmp_path / "entry.html"
    entry.write_bytes(b"<p>x</p>")
    entry.chmod(0o600)
    target = tmp_path / "site.html"
    assert atomic.link_or_copy(entry, target) is False
    assert (target.stat().st_mode & 0o777) == atomic.umask_mode() and target.stat().st_ino != entry.stat().st_ino
    entry.chmod(atomic.umask_mode())
    assert atomic.link_or_copy(entry, tmp_path / "gelinkt.html") is True


def test_create_exclusive_never_replaces_a_file_that_appeared(tmp_path, monkeypatch):
    target = tmp_path / "nieuw.yaml"
    real_link = os.link

    def someone_was_faster(source, destination, *args, **kwargs):
        if str(destination) == str(target):
            target.write_text("van de redacteur\n", encoding="utf-8")  # appears between the check and the link
        return real_link(source, destination, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "link", someone_was_faster)
    with pytest.raises(FileExistsError):
        atomic.create_exclusive(target, b"id: nieuw\n")
    assert target.read_text(encoding="utf-8") == "van de redacteur\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nieuw.yaml"]  # no temporary file left


def test_create_exclusive_leaves_nothing_when_writing_fails(tmp_path, monkeypatch):
    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", lambda fd: full(fd, b""))
    with pytest.raises(OSError):
        atomic.create_exclusive(tmp_path / "nieuw.yaml", b"id: nieuw\n")
    assert not list(tmp_path.iterdir())


def test_the_lock_holds_when_the_cache_folder_is_deleted(tmp_path):
    """`make clean` (rm -rf .cache) during a build: a second build is still refused."""
    project = tmp_path / "project"
    (project / ".cache").mkdir(parents=True)
    (project / ".cache" / "bouw.lock").write_text("oud\n", encoding="utf-8")
    with ProjectLock(project):
        shutil.rmtree(project / ".cache")
        with pytest.raises(Busy) as busy:
            ProjectLock(project).__enter__()
        assert busy.value.holder == str(os.getpid()) or busy.value.holder == ""
    assert not (project / ".cache").exists()  # the lock made no file
    with ProjectLock(project):
        pass


def test_the_lock_names_another_process_that_holds_it(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom macros.store.lock import ProjectLock\n"
            f"with ProjectLock({str(tmp_path)!r}):\n    print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(Busy) as busy:
            ProjectLock(tmp_path).__enter__()
        assert f"(proces {holder.pid})" in busy.value.message
    finally:
        holder.kill()
        holder.wait()
    with ProjectLock(tmp_path):  # released when the holder died
        pass
