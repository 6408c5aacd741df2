"""Reproducible builds: two builds of the same commit give byte-identical files.

Allowed to differ (ALLOWED below, also in docs/reproducible.md):
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

import os
import subprocess
from datetime import datetime, timezone

from lib.compare import compare, digests
from lib.project import FIXTURES, ROOT, build_project, building_root, make_project, run_folder
from macros.content.validate import validate_corpus


def test_two_builds_are_identical(starter_site, tmp_path, tmp_path_factory):
    """The card PDFs come from the build cache here (see the next test for fresh renders)."""
    with building_root(run_folder(tmp_path_factory)):
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
