"""The files of the session page that issue 28 added, without a browser: the steps of a method
(sessie/methoden/<id>.json), the fonts of a downloaded session (sessie/lettertypen.json), the
draaiboek page, and the rule that the site's own scripts and styles can be placed inline in a
downloaded file (nothing in them ends a <script> or <style> block)."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from markupsafe import escape

from macros.content.validate import validate_corpus
from macros.render import render, session

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "macros" / "site" / "overrides" / "assets"


@pytest.fixture(scope="module")
def corpus():
    return validate_corpus(ROOT).corpus


@pytest.fixture(scope="module")
def files(corpus):
    return session.site_files(corpus, render.KERNWAARDE_LABELS, render.DOELGROEP_LABELS)


def test_a_method_file_for_every_module_with_a_time_plan(corpus, files):
    timed = {module.id for module in session.timed_modules(corpus)}
    written = {
        path.rsplit("/", 1)[1][: -len(".json")] for path in files if path.startswith(session.METHOD_FOLDER + "/")
    }
    assert written == timed and timed
    page = render.Renderer(corpus).sessie()
    offered = set(
        re.findall(r'<option value="([^"]+)">', page.split('id="sessie-module"', 1)[1].split("</select>", 1)[0])
    )
    assert offered == timed  # the page offers exactly the modules with a method file
    assert any(not module.alle_dilemmas for module in session.timed_modules(corpus))  # also those without cards


def test_one_slide_per_step_with_title_minutes_and_what_is_said(corpus, files):
    module = corpus.module["masterclass-operationeel-leidinggevenden"]
    piece = json.loads(files[session.method_path(module.id)])
    assert piece["id"] == module.id
    html = piece["html"]
    sections = re.findall(
        r'<section class="kompas-dia kompas-dia--stap"[^>]*>.*?</section>(?=<section class="kompas-dia |</div>$)',
        html,
        re.S,
    )
    assert len(sections) == len(module.onderdelen)
    for n, ((start, part), section) in enumerate(zip(module.agenda, sections)):
        assert f'data-stap="{n}" data-duur="{part.duur}" data-start="{start}"' in section
        assert f'data-dilemmas="{" ".join(part.dilemmas)}"' in section
        assert f">{escape(part.titel)}</h2>" in section
        assert f"{part.duur} min" in section
        if part.beschrijving:
            assert str(render.markdown_html(part.beschrijving)) in section
        assert ("Voor de gespreksleider" in section) == bool(part.facilitator)
    assert 'data-titel="' + str(escape(module.titel)) + '"' in html


def test_the_build_subsets_the_fonts_to_the_characters_of_the_session_files(files):
    characters = session.font_characters(files.values())
    assert session.BASE_CHARACTERS <= set(characters)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in characters)
    fonts = json.loads(files[session.FONTS])["lettertypen"]
    assert set(fonts) == set(session.FONT_FILES.values())
    for name, data in fonts.items():
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        full = TTFont(session.FONT_DIR / name)
        assert set(font.getBestCmap()) == {ord(c) for c in characters} & set(full.getBestCmap())
        # what the browser's second subset (kompas-downloaden.js) reads: one (3,1) format 4 cmap,
        # TrueType outlines, no layout or hinting tables
        assert [(t.platformID, t.platEncID, t.format) for t in font["cmap"].tables] == [(3, 1, 4)]
        assert "glyf" in font and not {"GSUB", "GPOS", "kern", "fpgm", "prep", "cvt "} & set(font.keys())
        assert "Lato" in font["name"].getDebugName(1)


def test_the_font_subset_is_the_same_for_the_same_input():
    first = session.subset_font(session.FONT_DIR / "Lato-Bold.ttf", "Kompas é€")
    assert first == session.subset_font(session.FONT_DIR / "Lato-Bold.ttf", "Kompas é€")
    assert set(TTFont(io.BytesIO(first)).getBestCmap()) == {ord(c) for c in "Kompas é€"}


def test_the_draaiboek_page(corpus):
    page = render.Renderer(corpus).sessie_draaiboek()
    assert page.startswith("---\ntitle: \"Draaiboek van je sessie\"") or "title: \"Draaiboek van je sessie\"" in page
    assert "zoeken: false" in page
    for name in ("draaiboek", "draaiboek-rij", "draaiboek-stap", "draaiboek-kaart"):
        assert f'<template data-sjabloon="{name}">' in page
    assert 'data-index="../dilemmas.json"' in page and 'data-methoden="../methoden/"' in page
    assert "<script>" not in page  # scripts only by src


def test_the_session_page_offers_draaiboek_download_and_a_file_template(corpus):
    page = render.Renderer(corpus).sessie()
    assert 'data-draaiboek="draaiboek/"' in page and "Draaiboek van deze sessie" in page
    assert "data-downloaden" in page and 'data-lettertypen="lettertypen.json"' in page
    assert '<template data-sjabloon="bestand">' in page and page.count("data-presentatie ") == 2
    help_text = page.split('{ #voorbereiden }', 1)[1]
    assert "Waar je kaarten komen" in help_text and "ontwikkelversie" in help_text
    assert "24 pixels" in help_text and "Volledig scherm" in help_text


@pytest.mark.parametrize(
    "name",
    [
        "javascripts/kompas-presentatie.js",
        "javascripts/kompas-sessiebestand.js",
        "stylesheets/kompas-sessie.css",
        "stylesheets/kompas-draaiboek.css",
        "stylesheets/kompas-sessiebestand.css",
    ],
)
def test_what_a_downloaded_file_holds_inline_cannot_end_its_block(name):
    text = (ASSETS / name).read_text(encoding="utf-8")
    tag = "script" if name.endswith(".js") else "style"
    assert not re.search(rf"</{tag}", text, re.I) and "<!--" not in text


def test_the_card_stylesheet_can_be_placed_inline_too():
    css = session.site_stylesheet()
    assert not re.search(r"</style", css, re.I) and "<!--" not in css
    faces = set(re.findall(r"@font-face\s*\{[^}]*\}", css))
    assert len(faces) == 4  # the same four rules per format: the download keeps one of each
    assert all(re.search(r'url\("\.\./fonts/Lato-[A-Za-z]+\.ttf"\)', face) for face in faces)
