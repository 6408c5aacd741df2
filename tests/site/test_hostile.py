"""Hostile content: XSS payloads in every text field of every content kind.

Each salvo (a group of payloads on one line) is put into every string field of the
fixture corpus at once, in the middle of the text (so rules on how a text starts or
ends still hold). The validator may refuse a field (plain text with HTML: TEKST-HTML;
identifiers, dates, URLs: a SCHEMA code); refused fields get their old text back
until the corpus validates. Then the site is built and every page is parsed: nothing
from the payloads may be live HTML. A payload that ends up as visible, escaped text
is fine.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml

from lib.hostile import MARK, SALVOS, TEMPLATE_PAYLOAD, inject, live_problems
from lib.project import FIXTURES, build_project, make_project
from macros.content.diagnostics import CATALOGUE
from macros.content.load import load_text, walk
from macros.content.validate import validate_corpus
from macros.site.build import BuildFailed

FIXTURE_CORPUS = FIXTURES / "corpus"


# Card-fit messages that quote text which may come from another file (a word of the sheet's kader,
# the source's title in content/bronnen.yaml): the planted field is found by that text.
TOO_WIDE = re.compile(r"^(?:Het woord|De bronregel) '(.*)' (?:is te breed|past niet)", re.DOTALL)


def string_paths(data):
    """Every path to a string value in loaded YAML data."""
    return [path for path, value in walk(data) if isinstance(value, str)]


def get(data, path):
    for part in path:
        data = data[part]
    return data


def put(data, path, value):
    get(data, path[:-1])[path[-1]] = value


def content_files(project: Path) -> list[Path]:
    return sorted(p for folder in ("themabladen", "modules", "content") for p in (project / folder).rglob("*.yaml"))


def plant(project: Path, payloads: list[str]) -> tuple[dict, list]:
    """Put payloads in every string field; shrink or undo what the validator refuses.

    Field number i starts with all payloads, beginning at payload i (cyclic), so short
    fields still get different payloads. A refused field keeps half of its payloads
    (length limits, one refused payload among many); a field refused with one payload
    gets its own text back. Returns ({payload: fields that kept it}, refusals)."""
    files = {p.relative_to(project).as_posix(): p for p in content_files(project)}
    texts = {rel: p.read_text(encoding="utf-8") for rel, p in files.items()}
    originals = {rel: load_text(text, rel).data for rel, text in texts.items()}
    headers = {rel: text.splitlines()[0] + "\n" if text.startswith("#") else "" for rel, text in texts.items()}
    planted = {}  # (file, path) -> payloads it holds
    for index, (rel, field) in enumerate((rel, f) for rel in sorted(originals) for f in string_paths(originals[rel])):
        start = index % len(payloads)
        planted[rel, field] = payloads[start:] + payloads[:start]
    refusals = []
    for _round in range(12):
        for rel, path in files.items():
            data = copy.deepcopy(originals[rel])
            for (file, field), held in planted.items():
                if file == rel:
                    put(data, field, inject(get(data, field), " · ".join(held)))
            path.write_text(
                headers[rel] + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
            )
        result = validate_corpus(project)
        if result.ok:
            kept = {payload: [key for key, held in planted.items() if payload in held] for payload in payloads}
            return kept, refusals
        refused = set()
        for diagnostic in result.errors:
            assert diagnostic.file in files, diagnostic.format_text()
            loaded = load_text(files[diagnostic.file].read_text(encoding="utf-8"), diagnostic.file)
            hit = {
                (file, f)
                for (file, f) in planted
                if file == diagnostic.file and diagnostic.line in (loaded.pos(f).line, loaded.pos(f, key=True).line)
            }
            wide = TOO_WIDE.search(diagnostic.message) if diagnostic.code == "KAART-TE-LANG" else None
            if wide:  # the text may sit in any text on the card (a hulpvraag, the sheet's kader, a source title)
                hit = {
                    (file, f)
                    for (file, f) in planted
                    if (value := str(get(load_text(files[file].read_text(encoding="utf-8"), file).data, f)))
                    and (wide.group(1) in value or value in wide.group(1))
                }
            if not hit:  # a whole-item rule (e.g. the printed card overflows): shrink the whole file
                hit = {(file, f) for (file, f) in planted if file == diagnostic.file}
            refused |= hit
            refusals.append(diagnostic)
        for key in refused:
            held = planted.pop(key)
            if len(held) > 1:  # alternate halves, so one refused payload does not hide its neighbours
                half = len(held) // 2
                planted[key] = held[:half] if _round % 2 == 0 else held[half:]
    pytest.fail(
        "the corpus does not validate after giving every refused field its text back: "
        + "; ".join(d.format_text() for d in result.errors[:5])
    )


CARD = re.compile(r"\((content/dilemmas/[^)]+\.yaml)\); kompas valideer meldt dit als KAART-TE-LANG")


def build_hostile(project: Path, kept: dict) -> Path:
    """Build; a dilemma whose printed card overflows (the validator's estimate passed it,
    the real card layout did not) gets its own text back, and the build runs again."""
    for _attempt in range(4):
        try:
            return build_project(project)
        except BuildFailed as error:
            match = CARD.search(str(error))
            if not match:
                raise
            rel = match.group(1)
            shutil.copy(FIXTURE_CORPUS / rel, project / rel)
            for payload in kept:
                kept[payload] = [key for key in kept[payload] if key[0] != rel]
    pytest.fail("the site does not build with the payloads")


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory):
    sites = {}
    for name, payloads in SALVOS.items():
        project = make_project(tmp_path_factory.mktemp(f"hostile-{name}") / "project")
        kept, refusals = plant(project, payloads)
        sites[name] = (build_hostile(project, kept), kept, refusals)
    return sites


@pytest.mark.parametrize("salvo", list(SALVOS))
def test_payloads_never_become_live_html(salvo, hostile_sites):
    site, kept, refusals = hostile_sites[salvo]
    # Validation refuses many payloads in every field (TEKST-HTML in plain text; TEKST-LINK for a link
    # that is no web address, issue 31), so those never reach a page: the renderer's own sanitising of
    # every payload, whatever validation says, is tests/unit/render/test_sanitise.py. What validation
    # lets through must still reach enough fields for this build to prove something.
    assert sum(map(len, kept.values())) >= 12
    assert sum(1 for fields in kept.values() if fields) >= 6
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    problems = []
    seen = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        seen += html.count(MARK)
        problems += live_problems(html, page.relative_to(site).as_posix())
    assert not problems, "\n".join(problems[:40])
    # the payloads reach the pages: as harmless text where the sanitiser keeps their text (a <script>
    # goes with its content, an attribute with its value)
    assert seen >= 4, "the payloads must reach the pages (as harmless text)"


def test_template_code_is_refused_in_every_field(tmp_path):
    """Page sources pass through a template engine: template code never gets that far."""
    project = make_project(tmp_path / "project")
    kept, refusals = plant(project, [TEMPLATE_PAYLOAD])
    assert kept == {TEMPLATE_PAYLOAD: []}
    assert "TEKST-SJABLOON" in {d.code for d in refusals}


def test_refusals_are_diagnostics_with_known_codes(hostile_sites):
    codes = set()
    for _site, _kept, refusals in hostile_sites.values():
        for diagnostic in refusals:
            assert diagnostic.code in CATALOGUE and CATALOGUE[diagnostic.code].severity.value == "fout"
            codes.add(diagnostic.code)
    # plain text fields refuse HTML with their own code
    assert "TEKST-HTML" in codes


def test_checker_sees_live_html():
    """The page check itself can fail: live versions of the payloads are reported."""
    html = (
        f"<p><a href=\"JaVa\tScript:alert(1)\">x</a><img src=x onerror=alert(1)>"
        f"<iframe src=a></iframe><script>alert('{MARK}')</script>"
        f"<a href=\" data:text/html,x\">y</a><svg onload=alert(1)></svg></p>"
    )
    problems = live_problems(html, "p.html")
    assert len(problems) == 6, problems
