"""A warm build is a cold build (issue 19): `kompas bouw` with the caches of an earlier build
(validation results, card decks) and one changed dilemma gives the same files as a build of
the changed content with empty caches; only what tests/site/test_reproducible.py allows differs."""

from __future__ import annotations

import subprocess

from lib.compare import compare, digests
from lib.project import build_project, make_project


def test_a_warm_build_after_one_change_equals_a_cold_build(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    subprocess.run(["git", "-C", str(project), "init", "-q"], check=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    warm_cache = tmp_path / "cache-warm"
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(warm_cache))
    build_project(project, tmp_path / "before")  # fills the caches
    source = project / "content" / "dilemmas" / "joint.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("titel: Een joint tegen de pijn", "titel: Een joint tegen de rugpijn"), encoding="utf-8"
    )
    assert source.read_text(encoding="utf-8") != text
    cached_decks = {p.name for p in (warm_cache / "kaarten").glob("*/*.pdf")}
    warm = build_project(project, tmp_path / "warm")
    after = {p.name for p in (warm_cache / "kaarten").glob("*/*.pdf")}
    # the decks without the changed card came from the cache, those with it were made again (the old
    # ones stay a day: macros/store/cache.py, DOCUMENT_GRACE_SECONDS)
    assert cached_decks and cached_decks < after

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "cache-cold"))
    cold = build_project(project, tmp_path / "cold")
    problems = compare(cold, warm)
    assert not problems, "\n".join(problems)
    assert any(rel.endswith(".pdf") for rel in digests(warm))
    assert "Een joint tegen de rugpijn" in (warm / "dilemmas" / "joint" / "index.html").read_text("utf-8")
