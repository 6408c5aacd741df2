"""The one implementation of derived data (macros/store/cache.py, macros/store/keys.py): keys without
paths, verified entries, atomic writes and eviction, the same for every cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from lib.project import ROOT
from macros.store import keys
from macros.store.cache import STALE_PROJECT_SECONDS, Cache, entry_key
from macros.store.paths import CACHE_MARKER


def _project(folder: Path, identity: str | None) -> Path:
    folder.mkdir(parents=True)
    extra = f"extra:\n  kompas:\n    project: {identity}\n" if identity else ""
    (folder / "mkdocs.yml").write_text(
        f"site_name: x\nsite_dir: !ENV [KOMPAS_SITE_DIR, site]\n{extra}", encoding="utf-8"
    )
    return folder


def test_the_project_key_follows_the_project_id_not_the_path(tmp_path):
    one = _project(tmp_path / "a" / "kompas", "kompas-proef")
    clone = _project(tmp_path / "b" / "elders", "kompas-proef")
    other = _project(tmp_path / "c" / "kompas", "een-ander-project")
    assert keys.project_key(one) == keys.project_key(clone) != keys.project_key(other)
    assert keys.PROJECT_KEY.fullmatch(keys.project_key(one))
    # without an id: the checkout's path, as before
    bare = _project(tmp_path / "d", None)
    assert keys.project_key(bare) == keys.checkout_key(bare) != keys.checkout_key(one)


def test_the_repository_has_a_project_id():
    assert keys.project_id(ROOT) == "kompas-politie"


def test_cache_folders_are_per_project_under_the_cache_folder(tmp_path, monkeypatch):
    project = _project(tmp_path / "p", "proef")
    monkeypatch.delenv("KOMPAS_CACHE_DIR", raising=False)
    assert keys.project_cache_dir(project, "kaarten") == project / ".cache" / "kaarten" / keys.project_key(project)
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "gedeeld"))
    assert keys.project_cache_dir(project, "kaarten") == tmp_path / "gedeeld" / "kaarten" / keys.project_key(project)


def test_folder_digests_do_not_depend_on_where_the_folder_is(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "x.txt").write_text("inhoud", encoding="utf-8")
    assert keys.folder_digest([tmp_path / "a"]) == keys.folder_digest([tmp_path / "b"])
    (tmp_path / "b" / "sub" / "x.txt").write_text("anders", encoding="utf-8")
    assert keys.folder_digest([tmp_path / "a"]) != keys.folder_digest([tmp_path / "b"])


def test_the_stylesheet_in_a_pdf_key_names_no_install_folder():
    from macros.printing import pdf

    css = '@font-face { src: url("file:///home/ci/builds/123/kompas/macros/fonts/Lato-Regular.ttf") }'
    moved = css.replace("/home/ci/builds/123/kompas", "/work/anders")
    assert pdf.digest("<p>x</p>", css, "druk") == pdf.digest("<p>x</p>", moved, "druk")
    assert pdf.digest("<p>x</p>", css, "druk") != pdf.digest("<p>y</p>", moved, "druk")


def test_installed_versions_name_versions_not_paths():
    found = keys.installed_versions({"yaml": "PyYAML", "nergens_te_vinden": "nergens"})
    assert found.startswith("PyYAML=pyyaml-") and found.endswith(";nergens=-")
    assert "/" not in found


def test_verified_entries_are_checked_at_every_read(tmp_path):
    cache = Cache(tmp_path / "c")
    assert cache.write("a.bin", b"inhoud")
    assert cache.read("a.bin") == b"inhoud"
    path = cache.path("a.bin")
    path.write_bytes(path.read_bytes()[:-3])  # torn
    assert cache.read("a.bin") is None
    assert not list(cache.folder.glob(".schrijven-*")), "no temporary file is left behind"


def test_linked_entries_are_linked_only_with_the_recorded_bytes(tmp_path):
    cache = Cache(tmp_path / "c")
    site = tmp_path / "site.pdf"
    site.write_bytes(b"%PDF-1.7 inhoud")
    sha = keys.digest(b"x")  # any 64 hex digits: the wrong digest
    from macros.store.atomic import sha256_bytes

    right = sha256_bytes(site.read_bytes())
    assert cache.keep_link(site, f"k-{right}.pdf")
    assert os.path.samefile(site, cache.path(f"k-{right}.pdf"))  # a hard link, not a copy
    assert cache.linked(".pdf") == {"k": (cache.path(f"k-{right}.pdf"), right)}
    assert cache.link(f"k-{right}.pdf", right, tmp_path / "nieuw.pdf")
    assert not cache.link(f"k-{right}.pdf", sha, tmp_path / "fout.pdf")
    assert not (tmp_path / "fout.pdf").exists()


def test_keep_only_drops_what_a_run_did_not_use(tmp_path):
    cache = Cache(tmp_path / "c")
    for name in ("a.pages", f"a-{'0' * 64}.pdf", "b.pages", "b.deel"):
        assert cache.write(name, b"x")
    cache.store_folder("c", lambda folder: (folder / "f").write_text("x"))
    cache.keep_only({"a", "c"})
    assert sorted(p.name for p in cache.folder.iterdir()) == sorted([CACHE_MARKER, "a.pages", f"a-{'0' * 64}.pdf", "c"])
    assert entry_key(f"a-{'0' * 64}.pdf") == entry_key("a.pages") == entry_key("a") == "a"


def test_keep_only_with_grace_leaves_recent_entries(tmp_path):
    cache = Cache(tmp_path / "c")
    old, new = cache.subfolder("oud"), cache.subfolder("nieuw")
    assert old and new
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    cache.keep_only({"huidig"}, grace=86400)
    assert not old.exists() and new.exists()


def test_a_project_nobody_used_for_long_leaves_a_shared_folder(tmp_path):
    shared = tmp_path / "gedeeld" / "kaarten"
    stale, recent = Cache(shared / ("a" * 16)), Cache(shared / ("b" * 16))
    assert stale and recent and (shared / CACHE_MARKER).is_file()
    (shared / "vreemd").mkdir()  # not a project folder Kompas made: never touched
    os.utime(shared / "vreemd", (0, 0))
    os.utime(stale.folder, (time.time() - STALE_PROJECT_SECONDS - 60,) * 2)
    Cache(shared / ("c" * 16))
    assert not stale.folder.exists() and recent.folder.exists() and (shared / "vreemd").exists()


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path):
    blocked = tmp_path / "een-bestand"
    blocked.write_text("geen map")
    cache = Cache(blocked / "c")
    assert not cache
    assert not cache.write("a", b"x") and cache.read("a") is None and cache.linked(".pdf") == {}
    cache.keep_only(set())
    with pytest.raises(OSError):
        cache.store_folder("x", lambda folder: None)
