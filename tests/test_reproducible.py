"""Reproducible builds: two builds of the same commit give byte-identical files.

Allowed to differ (ALLOWED below, also in README "Reproduceerbaar bouwen"):
* Pagefind's filter file: the same entries in a different order (Pagefind keeps the filter
  values in a hash map whose order changes per run), and, because files are named after
  their content hash, the two files that name it: the metadata file and the entry file.
  Search results are the same; the test checks the decompressed filter holds the same bytes
  and the other two differ only in the hash names.
* Not tested here, by design: the page "Te herzien" (te-herzien/) lists what is due for
  review within 60 days of the day of building, so a build on another day may differ there.
Everything with a date from MkDocs (sitemap.xml, the gzip header of sitemap.xml.gz) is
dated with SOURCE_DATE_EPOCH, which macros/site/build.py sets to the time of the last commit.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from conftest import FIXTURES, ROOT, build_project, make_project
from macros.content.validate import validate_corpus

# The index is in bundles (pagefind/ and pagefind/deel-NN/, see macros/site/search.py): the same
# allowed difference holds in each of them.
BUNDLE = r"pagefind/(?:deel-\d+/)?"
FILTER = re.compile(BUNDLE + r"filter/[^/]+\.pf_filter")
META = re.compile(BUNDLE + r"pagefind\.[^/]+\.pf_meta")
ENTRY = re.compile(BUNDLE + r"pagefind-entry\.json")
_HASHES = re.compile(rb"nl_[0-9a-f]{7,}")


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def allowed_difference(first: Path, second: Path, rel_first: str, rel_second: str) -> bool:
    """Whether two versions of a file differ only in the way ALLOWED describes."""
    a, b = (first / rel_first).read_bytes(), (second / rel_second).read_bytes()
    if FILTER.fullmatch(rel_first) and FILTER.fullmatch(rel_second):
        a, b = gzip.decompress(a), gzip.decompress(b)
        return len(a) == len(b) and sorted(a) == sorted(b)  # same entries, other order
    if META.fullmatch(rel_first) and META.fullmatch(rel_second):
        a, b = gzip.decompress(a), gzip.decompress(b)  # binary: holds the filter file's hash
        return len(a) == len(b)
    if rel_first == rel_second and ENTRY.fullmatch(rel_first):
        return _HASHES.sub(b"nl_#", a) == _HASHES.sub(b"nl_#", b)  # only the hash names differ
    return False


def _bundle(rel: str) -> str:
    return re.match(BUNDLE, rel).group(0)


def compare(first: Path, second: Path) -> list[str]:
    one, two = digests(first), digests(second)
    only_one = sorted(set(one) - set(two))
    only_two = sorted(set(two) - set(one))
    problems = []
    # renamed files (content-hashed names): pair them by pattern
    for pattern in (FILTER, META):
        for bundle in sorted({_bundle(r) for r in only_one + only_two if pattern.fullmatch(r)}):
            left = [r for r in only_one if pattern.fullmatch(r) and _bundle(r) == bundle]
            right = [r for r in only_two if pattern.fullmatch(r) and _bundle(r) == bundle]
            if len(left) == len(right) == 1:
                if not allowed_difference(first, second, left[0], right[0]):
                    problems.append(f"{left[0]} / {right[0]}: meer dan de volgorde verschilt")
                only_one.remove(left[0])
                only_two.remove(right[0])
    problems += [f"alleen in de eerste bouw: {r}" for r in only_one]
    problems += [f"alleen in de tweede bouw: {r}" for r in only_two]
    for rel in sorted(set(one) & set(two)):
        if one[rel] != two[rel] and not allowed_difference(first, second, rel, rel):
            problems.append(f"verschilt: {rel}")
    return problems


def test_two_builds_are_identical(starter_site, tmp_path):
    """The card PDFs come from the build cache here (see the next test for fresh renders)."""
    second = build_project(ROOT, tmp_path / "site")
    problems = compare(starter_site, second)
    assert not problems, "\n".join(problems)
    assert len(digests(second)) > 100


def test_card_pdfs_are_reproducible(fixture_site, tmp_path):
    """Card decks rendered again, without cache, some time after the fixture site's own
    (also uncached) build: the same bytes (no creation date, no random PDF id)."""
    from macros.printing.cards import SITE_FOLDER, build_site_decks

    corpus = validate_corpus(FIXTURES / "corpus").corpus
    build_site_decks(corpus, tmp_path / "kaarten")
    fresh = digests(tmp_path / "kaarten")
    built = {rel: d for rel, d in digests(fixture_site / SITE_FOLDER).items() if rel.endswith(".pdf")}
    assert fresh and fresh == built


def test_compare_sees_a_difference(starter_site, tmp_path):
    """The comparison can fail: one changed byte in a page is reported."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(starter_site, copy)
    page = copy / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b" </body>"))
    assert compare(starter_site, copy) == ["verschilt: index.html"]


def test_dates_come_from_the_last_commit(tmp_path):
    """A project committed on 1 March 2021: the sitemap's gzip header says that day,
    whatever day the build runs; SOURCE_DATE_EPOCH is not left behind."""
    project = make_project(tmp_path / "project")
    env = dict(os.environ, GIT_AUTHOR_DATE="2021-03-01T12:00:00+00:00", GIT_COMMITTER_DATE="2021-03-01T12:00:00+00:00")
    env.pop("SOURCE_DATE_EPOCH", None)
    git = ["git", "-C", str(project), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(git + ["init", "-q"], check=True, env=env)
    subprocess.run(git + ["add", "."], check=True, env=env)
    subprocess.run(git + ["commit", "-q", "-m", "inhoud"], check=True, env=env)
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        site = build_project(project)
        assert "SOURCE_DATE_EPOCH" not in os.environ
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    header = (site / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(header[4:8], "little")
    assert datetime.fromtimestamp(mtime, timezone.utc).date().isoformat() == "2021-03-01"
