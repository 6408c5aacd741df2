"""The faster link checker (macros/site/linkcheck.py): the same problems, in the same order and
with the same messages as the checker before (tests/lib/linkcheck_reference.py), on generated tricky
sites (the built starter site: tests/site/test_linkcheck_starter.py); and its parse cache: an unchanged page is not parsed again,
a changed one is, a damaged cache file is ignored, and the file is written atomically (a check
killed while writing it leaves the previous file, and the next check is right)."""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.linkcheck_reference import check_all_ways, expected_problems, problems_of
from lib.project import ROOT  # noqa: E402
from macros.site import linkcheck
from macros.site.linkcheck import CACHE_NAME, check_site


def _write(site: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


class Parses:
    """Counts the pages the checker parses."""

    def __init__(self, monkeypatch):
        self.count = 0
        original = linkcheck._extract

        def counting(text, shared):
            self.count += 1
            return original(text, shared)

        monkeypatch.setattr(linkcheck, "_extract", counting)


# -- the same results as before, on generated sites -----------------------------------------------

FOLDERS = ["", "a/", "b/", "a/b/", "a/b/c/", "b/a/"]
FILES = ["index.html", "p.html"]
PREFIXES = ["", "../", "../../", "../../../", "../../../../", "./", "a/../", "x/../../", "../a/../../", "%2E%2E/"]
MIDDLES = [
    "",
    "a/",
    "b/",
    "a/b/",
    "a/b/c/",
    "index.html",
    "p.html",
    "a",
    "b",
    "a/b",
    "a/index.html",
    "f.pdf",
    "a/f.pdf",
    "d",
    "d/",
    "..",
    ".",
    "%2Fa/",
    "a//b/",
    "a/./b/",
    "b/a/p.html",
    "leeg",
    "leeg/",
]
SUFFIXES = ["", "#k", "#x", "#", "?q", "?q#k", "?q#zz", "#k%20l", "#k l"]
WHOLE = [
    "",
    " ",
    "#k",
    "#zz",
    " #x",
    "/a/",
    "//h/x",
    "http://h/",
    "javascript:x",
    "mailto:a@b",
    "data:x",
    " ../a/ ",
    "?",
    "?q",
    "?q#k",
    "#k#x",
    "&#35;k",
    "a/&#35;x",
    "a/#caf&eacute;",
    "http://[::1",
    "\t../a/",
]
TAGS = [
    '<a href="{}">x</a>',
    '<img src="{}">',
    '<link rel="stylesheet" href="{}">',
    '<link rel="canonical" href="{}">',
    '<script src="{}"></script>',
    '<object data="{}"></object>',
    '<a>{}</a>',
]

link = st.one_of(
    st.builds(
        lambda p, m, s: p + m + s, st.sampled_from(PREFIXES), st.sampled_from(MIDDLES), st.sampled_from(SUFFIXES)
    ),
    st.sampled_from(WHOLE),
)


@st.composite
def site(draw) -> dict[str, str]:
    """Pages in a few folders that use the same few links (a link shared by pages in different
    folders is where judging it once for several pages could go wrong)."""
    pool = draw(st.lists(link, min_size=1, max_size=6))
    element = st.builds(
        lambda tag, value: tag.format(value if "&" in value else html.escape(value)),
        st.sampled_from(TAGS),
        st.sampled_from(pool),
    )
    page = st.builds(
        lambda elements, ids: "".join(elements) + "".join(f'<h2 id="{i}"></h2>' for i in ids),
        st.lists(element, max_size=8),
        st.sets(st.sampled_from(["k", "x", "k l", "café", "k#x"])),
    )
    names = st.builds(lambda folder, name: folder + name, st.sampled_from(FOLDERS), st.sampled_from(FILES))
    return draw(st.dictionaries(names, page, min_size=1, max_size=10))


extras = st.sets(st.sampled_from(["f.pdf", "a/f.pdf", "d/f.pdf", "a/b/c/f.pdf", "404.html"]))


@settings(
    max_examples=int(os.environ.get("KOMPAS_LINKCHECK_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(site(), extras, st.randoms(use_true_random=False))
def test_the_same_problems_as_before_on_generated_sites(pages, extra, rng):
    with tempfile.TemporaryDirectory(prefix="kompas-links-") as temporary:
        folder = Path(temporary) / "site"
        _write(folder, pages)
        for name in extra:
            _write(folder, {name: "<p>bijlage</p>"})
        (folder / "leeg").mkdir(exist_ok=True)  # a folder without index.html
        names = sorted(pages)
        only = rng.sample(names, rng.randint(0, len(names))) + [
            "bestaat/niet.html",
            "./index.html",
            "a//p.html",
            "a/../index.html",
            "/index.html",
            "",
            "a",
            "leeg/",
        ]
        try:
            expected = expected_problems(folder)
        except (ValueError, OSError):  # the old checker failed on this site (e.g. 'http://[::1'): so must the new
            with pytest.raises((ValueError, OSError)):
                check_site(folder)
            return
        check_all_ways(folder, only)
        assert expected == problems_of(check_site(folder))


@pytest.mark.parametrize(
    "pages",
    [
        # climbing exactly to the root, and one step above it, from each depth
        {
            "index.html": '<a href="..">1</a><a href="../">2</a><a href="./">3</a><a href=".">4</a>',
            "a/index.html": '<a href="..">1</a><a href="../..">2</a><a href="../a/#k">3</a><h2 id="k"></h2>',
            "a/b/index.html": '<a href="../..">1</a><a href="../../..">2</a><a href="../../a/#k">3</a><a href="../../a/#z">4</a>',
            "b/b/index.html": '<a href="../..">1</a><a href="../../..">2</a><a href="../../a/#k">3</a><a href="../../a/#z">4</a>',
        },
        # a climb in the middle of a path, and a path that decodes to an absolute one
        {
            "a/b/index.html": '<a href="x/../../../a/b/">1</a><a href="x/../../../../a/">2</a><a href="%2Fa/">3</a>',
            "c/d/index.html": '<a href="x/../../../a/b/">1</a><a href="x/../../../../a/">2</a><a href="%2Fa/">3</a>',
            "index.html": '<a href="%2Fa/">1</a><a href="%2E%2E/">2</a>',
        },
        # a link without a path is judged per folder, as before (the first page of the folder decides)
        {
            "a/p.html": '<a href="?q#k">1</a><h2 id="k"></h2>',
            "a/q.html": '<a href="?q#k">1</a>',
            "b/p.html": '<a href="?q#k">1</a>',
            "b/q.html": '<a href="?q#k">1</a><h2 id="k"></h2>',
        },
        # steps that climb nothing ("./", "a/../") do not make a link the same for sibling folders
        {
            "index.html": '<img src="./..">',
            "a/index.html": '<img src="./..">',
            "b/index.html": '<a href="a/../b/">1</a><a href="./a/./../b/">2</a>',
            "a/b/index.html": '<a href="../a/../b/">1</a>',
            "c/index.html": '<a href="a/../b/">1</a><a href="./a/./../b/">2</a>',
            "c/b/index.html": '<a href="../a/../b/">1</a>',
        },
        # the same link in sibling folders points at different targets (depth 0 climbs nothing)
        {
            "a/index.html": '<a href="x/">1</a><a href="index.html#k">2</a><h2 id="k"></h2>',
            "b/index.html": '<a href="x/">1</a><a href="index.html#k">2</a>',
            "a/x/index.html": "",
        },
    ],
)
def test_the_same_problems_as_before_on_crafted_sites(pages, tmp_path):
    folder = _write(tmp_path / "site", pages)
    assert expected_problems(folder)  # each case has problems to find
    check_all_ways(folder, sorted(pages)[:2])


def test_the_same_html_files_as_rglob(tmp_path):
    site = _write(tmp_path / "site", {"index.html": "", "a/b/x.html": "", ".verborgen.html": "", "d.html/p.txt": ""})
    _write(tmp_path / "elders", {"y.html": "", "c/z.html": ""})
    (site / "map").symlink_to(tmp_path / "elders")  # a link to a folder: not followed (as rglob)
    (site / "a" / "z.html").symlink_to(tmp_path / "elders" / "y.html")
    (site / "kapot.html").symlink_to(tmp_path / "bestaat-niet")
    assert sorted(linkcheck._html_files(site)) == sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert sorted(linkcheck._html_files(site)) == [
        ".verborgen.html",
        "a/b/x.html",
        "a/z.html",
        "d.html",
        "index.html",
        "kapot.html",
    ]
    # and one path at a time (a check of a few pages does not walk the site)
    found = set(linkcheck._html_files(site))
    one = linkcheck._HtmlFile(site)
    for rel in [
        *found,
        "map/y.html",
        "map/c/z.html",
        "map",
        "a/b",
        "d.html/p.txt",
        "./index.html",
        "a//b/x.html",
        "a/../index.html",
        "/index.html",
        "",
        "bestaat.html",
        "a/b/x.html/",
        "index.html\0",
        7,
    ]:
        assert (rel in one) == (rel in found), rel


# -- the same results as before, on the built starter site ----------------------------------------


# -- the parse cache ---------------------------------------------------------------------------------


def _small_site(folder: Path) -> Path:
    return _write(
        folder,
        {
            "index.html": '<a href="a/">a</a><a href="a/#er">er</a><a href="b/p.html#top">p</a><h1 id="top"></h1>',
            "a/index.html": '<h2 id="er">Er</h2><a href="../#top">terug</a>',
            "b/p.html": '<h2 id="top"></h2><a href="../a/#er">a</a>',
            "b/q.html": '<a href="p.html">p</a><a href="#hier">hier</a><p id="hier"></p>',
        },
    )


def test_unchanged_pages_are_not_parsed_again(tmp_path, monkeypatch):
    site, cache = _small_site(tmp_path / "site"), tmp_path / "cache"
    parses = Parses(monkeypatch)
    assert check_site(site, cache_dir=cache) == []
    assert parses.count == 4
    stored = (cache / CACHE_NAME).stat()
    parses.count = 0
    assert check_site(site, cache_dir=cache) == []
    assert parses.count == 0
    after = (cache / CACHE_NAME).stat()
    assert (after.st_ino, after.st_mtime_ns) == (stored.st_ino, stored.st_mtime_ns)  # nothing changed: not written


def test_a_changed_page_is_parsed_again(tmp_path, monkeypatch):
    site, cache = _small_site(tmp_path / "site"), tmp_path / "cache"
    check_site(site, cache_dir=cache)
    parses = Parses(monkeypatch)
    # a broken anchor in a page checked before, and an id gone from a page that is only a target
    page = site / "b" / "q.html"
    page.write_text(page.read_text() + '<a href="../a/#weg">weg</a>')
    target = site / "a" / "index.html"
    target.write_text(target.read_text().replace('id="er"', 'id="ergens"'))
    expected = expected_problems(site)
    assert expected == [
        ("b/p.html", "../a/#er", "anker '#er' bestaat niet"),
        ("b/q.html", "../a/#weg", "anker '#weg' bestaat niet"),
        ("index.html", "a/#er", "anker '#er' bestaat niet"),
    ]
    assert problems_of(check_site(site, cache_dir=cache)) == expected
    assert parses.count == 2
    parses.count = 0
    assert problems_of(check_site(site, cache_dir=cache)) == expected
    assert parses.count == 0


def test_the_cache_keeps_only_the_pages_of_the_site(tmp_path):
    site, cache = _small_site(tmp_path / "site"), tmp_path / "cache"
    check_site(site, cache_dir=cache)
    (site / "b" / "q.html").unlink()
    stored = (cache / CACHE_NAME).read_bytes()
    check_site(site, only=["index.html"], cache_dir=cache)  # a check of a few pages that parses none: not written
    assert (cache / CACHE_NAME).read_bytes() == stored
    (site / "index.html").write_text((site / "index.html").read_text() + "<p>anders</p>")
    check_site(site, only=["index.html"], cache_dir=cache)  # one that does: the other pages' entries are kept
    assert sorted(linkcheck._load_cache(cache)[0]) == ["a/index.html", "b/p.html", "index.html"]
    shutil.rmtree(site / "b")
    check_site(site, cache_dir=cache)
    assert sorted(linkcheck._load_cache(cache)[0]) == ["a/index.html", "index.html"]


def _damage(blob: bytes, damage: str) -> bytes:
    import hashlib
    import marshal

    header = linkcheck._cache_header()
    if damage == "garbage":
        return os.urandom(len(blob))
    if damage == "truncated":
        return blob[: len(blob) // 2]
    if damage == "flipped":
        return blob[:-10] + bytes([blob[-10] ^ 0x55]) + blob[-9:]
    if damage == "empty":
        return b""
    if damage == "other-extraction":
        return blob.replace(b"kompas-linkcache\n1 ", b"kompas-linkcache\n0 ", 1)
    if damage.startswith("wrong-shape"):  # the right checksum, another content: never trusted
        content = {
            "wrong-shape": {"index.html": (b"x" * 32, [("a", "#x")], frozenset())},
            "wrong-shape-pair": {"index.html": (b"x" * 32, (("a",),), frozenset())},
            "wrong-shape-list": [1, 2],
        }[damage]
        payload = marshal.dumps(content)
        return header + hashlib.sha256(payload).digest() + payload
    raise AssertionError(damage)


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "truncated",
        "flipped",
        "empty",
        "other-extraction",
        "wrong-shape",
        "wrong-shape-pair",
        "wrong-shape-list",
        "a-folder",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(damage, tmp_path, monkeypatch):
    site, cache = _small_site(tmp_path / "site"), tmp_path / "cache"
    check_site(site, cache_dir=cache)
    page = site / "b" / "q.html"
    page.write_text(page.read_text() + '<a href="../a/#weg">weg</a>')
    path = cache / CACHE_NAME
    if damage == "a-folder":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(_damage(path.read_bytes(), damage))
    parses = Parses(monkeypatch)
    expected = expected_problems(site)
    assert (
        problems_of(check_site(site, cache_dir=cache))
        == expected
        == [("b/q.html", "../a/#weg", "anker '#weg' bestaat niet")]
    )
    assert parses.count == 4  # nothing was taken from it
    if damage != "a-folder":  # (a folder in its place cannot be replaced by a file: no cache then)
        parses.count = 0
        assert problems_of(check_site(site, cache_dir=cache)) == expected
        assert parses.count == 0  # it was written anew


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    site = _small_site(tmp_path / "site")
    blocked = tmp_path / "a-file"
    blocked.write_text("geen map")
    assert check_site(site, cache_dir=blocked / "links") == []


# -- an atomic write: a check killed while writing the cache ---------------------------------------

_STOP_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from macros.store import atomic
from macros.site.linkcheck import check_site

def stop(fd):  # the new cache file is written, not yet renamed into place: stop here, to be killed
    os.write(fd, b"half")
    os.kill(os.getpid(), signal.SIGSTOP)

atomic.os.fsync = stop
check_site(Path(sys.argv[2]), cache_dir=Path(sys.argv[3]))
"""


def _state(pid: int) -> str:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_check_killed_while_writing_the_cache_leaves_the_previous_file(tmp_path):
    site, cache = _small_site(tmp_path / "site"), tmp_path / "cache"
    check_site(site, cache_dir=cache)
    before = (cache / CACHE_NAME).read_bytes()
    page = site / "b" / "q.html"
    page.write_text(page.read_text() + '<a href="../a/#weg">weg</a>')
    process = subprocess.Popen([sys.executable, "-c", _STOP_WHILE_WRITING, str(ROOT), str(site), str(cache)])
    try:
        deadline = time.monotonic() + 60
        while _state(process.pid) != "T":
            assert process.poll() is None, "the check ended before it wrote the cache"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        leftovers = list(cache.glob(".schrijven-*"))
        assert leftovers  # it was writing
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert (cache / CACHE_NAME).read_bytes() == before  # the previous cache, complete
    assert problems_of(check_site(site, cache_dir=cache)) == [("b/q.html", "../a/#weg", "anker '#weg' bestaat niet")]
    assert not list(cache.glob(".schrijven-*"))  # the killed writer's file is removed
    assert (cache / CACHE_NAME).read_bytes() != before
    assert sorted(linkcheck._load_cache(cache)[0]) == ["a/index.html", "b/p.html", "b/q.html", "index.html"]


def test_each_project_has_its_own_parse_cache(tmp_path, monkeypatch):
    """With a shared KOMPAS_CACHE_DIR (CI, the tests), one project's check must not drop the
    entries of another: the parse cache is kept per project, like the other caches."""
    from macros.site.linkcheck import cache_dir

    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "gedeeld"))
    one, other = cache_dir(tmp_path / "een"), cache_dir(tmp_path / "twee")
    assert one != other and one.parent == other.parent == tmp_path / "gedeeld" / "links"
    assert cache_dir(tmp_path / "een" / ".." / "een") == one  # the same project, however it is named
