"""The link checker on hand-made pages: each rule can fail."""

from pathlib import Path

from macros.site.linkcheck import check_site


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html)
    return tmp_path


def _reasons(site: Path) -> list[tuple[str, str]]:
    return [(p.target, p.reason) for p in check_site(site)]


def test_resources_from_outside_and_references(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": (
                '<link rel="canonical" href="http://intranet/kompas/"><link rel="stylesheet" href="https://cdn.example/x.css">'
                '<script src="//cdn.example/x.js"></script><img src="data:image/png;base64,AA">'
                '<a href="https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:HR:2020:1">ok</a><a href="javascript:alert(1)">x</a>'
            )
        },
    )
    assert _reasons(site) == [
        ("https://cdn.example/x.css", "laadt een bron van buiten de site"),
        ("//cdn.example/x.js", "laadt een bron van buiten de site"),
        ("data:image/png;base64,AA", "laadt een bron van buiten de site"),
        ("javascript:alert(1)", "link met schema 'javascript:' is niet toegestaan"),
    ]


def test_internal_links_and_anchors(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/">a</a><a href="a/#er">er</a><a href="a/#weg">weg</a><a href="b/">b</a>'
            '<a href="#top">top</a><a href="/abs/">abs</a><a href="../../x">out</a>',
            "a/index.html": '<h2 id="er">Er</h2>',
        },
    )
    assert _reasons(site) == [
        ("a/#weg", "anker '#weg' bestaat niet"),
        ("b/", "doel bestaat niet"),
        ("#top", "anker '#top' bestaat niet"),
        ("/abs/", "absoluut pad: werkt niet als de site in een submap staat"),
        ("../../x", "verwijst buiten de site"),
    ]


def test_the_same_link_is_judged_per_folder_and_anchor_per_page(tmp_path):
    """Links are checked once per folder; a same-page anchor is checked on each page."""
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/">a</a><a href="#hier">hier</a><p id="hier"></p>',
            "x/index.html": '<a href="a/">a</a><a href="#hier">hier</a>',  # same text, other folder and page
            "y/index.html": '<a href="../a/">a</a><a href=" #hier">hier</a><p data-id="hier" name="elders"></p>',
            "a/index.html": "",
        },
    )
    assert sorted(_reasons(site)) == [
        (" #hier", "anker '#hier' bestaat niet"),  # data-id is no anchor
        ("#hier", "anker '#hier' bestaat niet"),
        ("a/", "doel bestaat niet"),  # x/a/ does not exist; the same link from index.html is fine
    ]


def test_ids_in_any_quote_and_case(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": """<a href="#een">1</a><a href="#twee">2</a><a href="#drie">3</a>
        <h2 ID='een'></h2><a name="twee"></a><div class="x"id="drie"></div>"""
        },
    )
    assert _reasons(site) == []


def test_entities_in_attributes_are_decoded_as_a_browser_does(tmp_path):
    """The link a browser follows is the decoded attribute: '&#35;' is '#', '&eacute;' is 'é'."""
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="b/&#35;er">1</a><a href="b/#caf&eacute;">2</a><a href="b/#c&amp;d">3</a>'
            '<a href="b/#n&amp;iet">4</a>',
            "b/index.html": '<h2 id="er"></h2><h2 id="caf&eacute;"></h2><h2 id="c&amp;d"></h2>',
        },
    )
    assert _reasons(site) == [("b/#n&iet", "anker '#n&iet' bestaat niet")]


def test_ids_not_in_tags_or_other_attributes_are_no_anchors(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": """<a href="#a">1</a><a href="#b">2</a><a href="#c">3</a>
        <p title='id="a"'>x</p><!-- <p id="b"> --><p>id="c"</p>"""
        },
    )
    assert _reasons(site) == [
        ("#a", "anker '#a' bestaat niet"),
        ("#b", "anker '#b' bestaat niet"),
        ("#c", "anker '#c' bestaat niet"),
    ]


def test_anchors_on_other_pages_are_read_from_their_file(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="b/#er">1</a><a href="b/#weg">2</a><a href="c/#x">3</a>',
            "b/index.html": '<h2 id="er"></h2><a href="../#top">terug</a>',
            "c/index.html": "<h2 id='x'></h2>",
        },
    )
    assert sorted(_reasons(site)) == [("../#top", "anker '#top' bestaat niet"), ("b/#weg", "anker '#weg' bestaat niet")]


def test_a_page_with_many_anchors(tmp_path):
    count = 30
    links = "".join(f'<a href="#k{i}">{i}</a>' for i in range(count)) + '<a href="#weg">x</a><a href="#oud">y</a>'
    targets = "".join(f'<h2 id="k{i}"></h2>' for i in range(count)) + '<a name="oud"></a><p data-id="weg"></p>'
    site = _site(tmp_path, {"index.html": links + targets})
    assert _reasons(site) == [("#weg", "anker '#weg' bestaat niet")]
