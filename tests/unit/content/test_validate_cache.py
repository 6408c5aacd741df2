"""The validator's cache (macros/content/cache.py): a warm run gives exactly what a run without
cache gives, and really reuses what it may.

Every comparison is against ``validate_corpus`` without a cache on the same files: same
diagnostics in the same order with the same positions, hints and messages, and the same
model.
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import macros.content.cards_fit
import macros.content.validate
from lib.fixture_cases import DEFAULT_TODAY, build_project, case_folders, load_spec
from lib.hostile import SALVOS, TEMPLATE_PAYLOAD, inject
from lib.project import FIXTURES, ROOT
from macros.content import cache, checks
from macros.content.load import Deferred, Loaded, load_bytes, load_text, walk
from macros.content.schema import SCHEMA_DIR
from macros.content.validate import validate_corpus

BASE = FIXTURES / "geldig" / "basis"
LONG_WORD = "Integriteitsschendingsonderzoeksrapportagevoorschriftenbundelherzieningscommissievergaderverslag"  # wider than a card line


def fields(result) -> list[tuple]:
    return [(d.file, d.line, d.column, d.code, d.message, d.hint) for d in result.diagnostics]


class Counter:
    """Counts the loads, schema validations, file reads and card estimates of the validator."""

    def __init__(self, monkeypatch) -> None:
        self.loads = self.schemas = self.reads = 0
        self.card_documents: list[str] = []
        for name, attribute in (("load_bytes", "loads"), ("validate_document", "schemas"), ("read_file", "reads")):
            original = getattr(macros.content.validate, name)
            monkeypatch.setattr(macros.content.validate, name, self._counting(original, attribute))
        check_cards = macros.content.cards_fit.check_cards

        def counting_cards(documents, corpus, *args, **kwargs):
            documents = list(documents)
            self.card_documents.extend(doc.loaded.file for doc in documents if doc.kind == "dilemma")
            return check_cards(documents, corpus, *args, **kwargs)

        monkeypatch.setattr(macros.content.cards_fit, "check_cards", counting_cards)

    def _counting(self, function, attribute):
        def counted(*args, **kwargs):
            setattr(self, attribute, getattr(self, attribute) + 1)
            return function(*args, **kwargs)

        return counted

    def reset(self) -> None:
        self.loads = self.schemas = self.reads = 0
        self.card_documents = []


def three_runs(project: Path, cache_dir: Path, **kwargs):
    """Without cache, cold (empty cache) and warm: all three must agree."""
    plain = validate_corpus(project, **kwargs)
    cold = validate_corpus(project, cache_dir=cache_dir, **kwargs)
    warm = validate_corpus(project, cache_dir=cache_dir, **kwargs)
    return plain, cold, warm


def assert_same(expected, actual) -> None:
    assert fields(actual) == fields(expected)
    assert actual.corpus == expected.corpus
    assert [(d.kind, d.path, d.loaded.file, d.schema_ok, d.loaded.data) for d in actual.documents] == [
        (d.kind, d.path, d.loaded.file, d.schema_ok, d.loaded.data) for d in expected.documents
    ]


def copy_base(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(BASE, project, ignore=shutil.ignore_patterns("verwacht.json"))
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- cold and warm agree everywhere ---------------------------------------------------------------
CASES = case_folders("ongeldig") + case_folders("geldig")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_case_gives_the_same_result_cold_and_warm(case, tmp_path, monkeypatch):
    spec = load_spec(case)
    project, schema_dir = build_project(case, spec, tmp_path)
    today = date.fromisoformat(spec["vandaag"]) if "vandaag" in spec else DEFAULT_TODAY
    counter = Counter(monkeypatch)
    plain = validate_corpus(project, today=today, schema_dir=schema_dir)
    cold = validate_corpus(project, today=today, schema_dir=schema_dir, cache_dir=tmp_path / "cache")
    counter.reset()
    warm = validate_corpus(project, today=today, schema_dir=schema_dir, cache_dir=tmp_path / "cache")
    assert_same(plain, cold)
    assert_same(plain, warm)
    assert (counter.loads, counter.schemas) == (0, 0), "the warm run loaded or schema-checked a file again"


def plant_everywhere(project: Path) -> None:
    """Every payload of the hostile tests in every text of every file (nothing undone)."""
    payloads = [*SALVOS["html"], *SALVOS["markdown"], TEMPLATE_PAYLOAD]
    private = "mail jan.jansen@politie.nl of bel 06-12345678 [weggelakt] 5.1.2e TODO \u2588"
    for index, path in enumerate(sorted(p for p in project.rglob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        data = load_text(text, path.name).data
        for number, (field_path, value) in enumerate(p for p in list(walk(data)) if isinstance(p[1], str)):
            node = data
            for part in field_path[:-1]:
                node = node[part]
            node[field_path[-1]] = inject(value, payloads[(index + number) % len(payloads)] + " " + private)
        header = text.splitlines()[0] + "\n" if text.startswith("#") else ""
        path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=70), encoding="utf-8")


@pytest.mark.parametrize("content", ["starter", "fixture-corpus", "hostile"])
def test_starter_fixture_and_hostile_content_give_the_same_result_cold_and_warm(content, tmp_path):
    project = tmp_path / "project"
    if content == "starter":
        for name in ("themabladen", "modules", "content"):
            shutil.copytree(ROOT / name, project / name)
    else:
        shutil.copytree(FIXTURES / "corpus", project)
    if content == "hostile":
        plant_everywhere(project)
    plain, cold, warm = three_runs(project, tmp_path / "cache", today=DEFAULT_TODAY)
    if content == "hostile":  # the planting did reach the validator: many kinds of findings
        assert {"TEKST-HTML", "TEKST-SJABLOON", "PRIVACY-EMAIL", "TODO-OPEN"} <= {d.code for d in plain.diagnostics}
    assert_same(plain, cold)
    assert_same(plain, warm)


def test_positions_of_a_cached_file_are_the_files_own(tmp_path):
    project = copy_base(tmp_path)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    warm = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert warm.documents
    for doc in warm.documents:
        assert isinstance(doc.loaded, Deferred)
        full = load_bytes(doc.path.read_bytes(), doc.loaded.file)  # the full loader, positions at once
        assert type(full) is Loaded
        assert doc.loaded.positions == full.positions and doc.loaded.positions
        assert doc.loaded.key_positions == full.key_positions
        assert doc.loaded.ends == full.ends
        assert doc.loaded.first_line == full.first_line
        assert doc.loaded.source == full.source


# -- reuse -----------------------------------------------------------------------------------------
def test_a_warm_run_reuses_and_a_cold_one_does_not(tmp_path, monkeypatch):
    project = copy_base(tmp_path)
    files = len(list(project.rglob("*.yaml")))
    counter = Counter(monkeypatch)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert counter.loads == files and counter.schemas == files
    assert sorted(counter.card_documents) == ["content/dilemmas/joint.yaml", "content/dilemmas/stil-houden.yaml"]
    counter.reset()
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert (counter.loads, counter.schemas, counter.card_documents) == (0, 0, [])
    # without a cache everything is done every time
    counter.reset()
    validate_corpus(project, today=DEFAULT_TODAY)
    assert counter.loads == files and len(counter.card_documents) == 2


def test_unchanged_files_are_not_even_read_once_they_have_settled(tmp_path, monkeypatch):
    project = copy_base(tmp_path)
    monkeypatch.setattr(cache.Store, "SETTLED_NS", -(10**15))  # as if every file was written long ago
    counter = Counter(monkeypatch)
    plain = validate_corpus(project, today=DEFAULT_TODAY)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    counter.reset()
    warm = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert counter.reads == 0
    assert_same(plain, warm)
    # an edit changes the file's status: it is read and loaded again
    edit(project / "themabladen" / "geweld.yaml", "titel: Gebruik van geweld", "titel: Gebruik van geweld TODO")
    counter.reset()
    fresh = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert (counter.reads, counter.loads) == (1, 1)
    assert "TODO-OPEN" in {d.code for d in fresh.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), fresh)


def test_a_same_size_edit_right_after_a_run_is_seen(tmp_path, monkeypatch):
    """A file changed just now is never trusted by its status: on a file system that keeps
    times per second, an edit in the same second as the run leaves size and times alike."""
    real_stat = os.stat

    def coarse_stat(path):
        stat = real_stat(path)
        fields = list(stat)
        fields[7:10] = (int(stat.st_atime), int(stat.st_mtime), int(stat.st_ctime))
        whole = os.stat_result(
            fields,
            {
                "st_atime_ns": int(stat.st_atime) * 10**9,
                "st_mtime_ns": int(stat.st_mtime) * 10**9,
                "st_ctime_ns": int(stat.st_ctime) * 10**9,
            },
        )
        return whole

    monkeypatch.setattr(cache, "_stat", coarse_stat)
    assert coarse_stat(tmp_path).st_mtime_ns % 10**9 == 0
    time.sleep(1.05 - time.time() % 1)  # just after the start of a second: all below happens within it
    project = copy_base(tmp_path)
    path = project / "content" / "dilemmas" / "joint.yaml"
    path.write_bytes(path.read_bytes())  # written now (a copy keeps the old modification time)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    size = path.stat().st_size
    edit(path, "titel: Een joint tegen de pijn", "titel: Een joint tegen de TODO")
    assert path.stat().st_size == size
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    assert "TODO-OPEN" in {d.code for d in result.diagnostics}


# -- changes give a fresh result -------------------------------------------------------------------
def test_editing_a_file_gives_its_fresh_result_and_reloads_only_that_file(tmp_path, monkeypatch):
    project = copy_base(tmp_path)
    counter = Counter(monkeypatch)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    edit(
        project / "content" / "dilemmas" / "joint.yaml",
        "themabladen: [vrije-tijd]",
        "themabladen: [vrij-tijd]\ncontact: jan@politie.nl",
    )
    counter.reset()
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert counter.loads == 1
    codes = {d.code for d in result.diagnostics if d.file == "content/dilemmas/joint.yaml"}
    assert {"SCHEMA-ONBEKEND-VELD", "PRIVACY-EMAIL"} <= codes
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    # and back: the earlier result again
    edit(
        project / "content" / "dilemmas" / "joint.yaml",
        "themabladen: [vrij-tijd]\ncontact: jan@politie.nl",
        "themabladen: [vrije-tijd]",
    )
    assert_same(
        validate_corpus(project, today=DEFAULT_TODAY),
        validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache"),
    )


def test_renaming_and_deleting_files(tmp_path):
    project = copy_base(tmp_path)
    store_dir = tmp_path / "cache"
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    # renamed: the id no longer matches the file name
    (project / "content" / "dilemmas" / "joint.yaml").rename(project / "content" / "dilemmas" / "blowen.yaml")
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    assert ("BESTAND-NAAM", "content/dilemmas/blowen.yaml") in {(d.code, d.file) for d in result.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    # deleted: a cited ruling is gone
    (project / "content" / "uitspraken" / "ECLI-NL-CRVB-2014-3729.yaml").unlink()
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    assert "VERWIJZING-UITSPRAAK" in {d.code for d in result.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    # the entries of files that are gone are dropped from the cache
    store = cache.Store.open(store_dir, SCHEMA_DIR)
    assert set(store._old_files) == {d.loaded.file for d in result.documents}
    assert "content/dilemmas/joint.yaml" not in store._old_files


def test_changing_a_schema_is_never_answered_from_the_cache(tmp_path, monkeypatch):
    # (schema.py keeps the schemas of a folder for the life of the process: the changed
    # schema goes in a folder of its own, as a new process would read it)
    project = copy_base(tmp_path)
    original, same, changed = tmp_path / "schemas", tmp_path / "dezelfde", tmp_path / "gewijzigd"
    for folder in (original, same, changed):
        shutil.copytree(SCHEMA_DIR, folder)
    path = changed / "gemeenschappelijk.schema.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"maxLength": 160', '"maxLength": 12'), encoding="utf-8")
    counter = Counter(monkeypatch)
    before = validate_corpus(project, today=DEFAULT_TODAY, schema_dir=original, cache_dir=tmp_path / "cache")
    counter.reset()
    validate_corpus(project, today=DEFAULT_TODAY, schema_dir=same, cache_dir=tmp_path / "cache")
    assert counter.loads == 0, "the same schemas elsewhere: the cache is used"
    after = validate_corpus(project, today=DEFAULT_TODAY, schema_dir=changed, cache_dir=tmp_path / "cache")
    assert counter.loads == len(after.documents)
    assert fields(after) != fields(before) and "SCHEMA-LENGTE" in {d.code for d in after.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY, schema_dir=changed), after)


def test_the_date_is_never_answered_from_the_cache(tmp_path):
    project = copy_base(tmp_path)
    early = validate_corpus(project, today=date(2027, 1, 1), cache_dir=tmp_path / "cache")
    late = validate_corpus(project, today=date(2100, 1, 1), cache_dir=tmp_path / "cache")
    assert "DATUM-HERZIEN" not in {d.code for d in early.diagnostics}
    assert "DATUM-HERZIEN" in {d.code for d in late.diagnostics}
    assert_same(validate_corpus(project, today=date(2100, 1, 1)), late)
    assert_same(
        validate_corpus(project, today=date(2027, 1, 1)),
        validate_corpus(project, today=date(2027, 1, 1), cache_dir=tmp_path / "cache"),
    )


def test_a_card_is_estimated_again_when_its_sheet_or_rulings_change(tmp_path, monkeypatch):
    """The card of a dilemma shows its sheet's kader and its rulings' titles: files of their own."""
    project = copy_base(tmp_path)
    counter = Counter(monkeypatch)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    # joint.yaml inherits from the sheet vrije-tijd; its own file is not touched
    edit(
        project / "themabladen" / "vrije-tijd.yaml",
        "  - Ik gebruik geen drugs, ook niet in mijn vrije tijd.",
        f"  - Ik gebruik geen drugs, ook niet in mijn vrije tijd, zie de {LONG_WORD}.",
    )
    counter.reset()
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert counter.card_documents == ["content/dilemmas/joint.yaml"]
    assert ("KAART-TE-LANG", "content/dilemmas/joint.yaml") in {(d.code, d.file) for d in result.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    # stil-houden.yaml shows its own ruling: a longer ruling title
    edit(
        project / "content" / "uitspraken" / "ECLI-NL-CRVB-2014-3729.yaml",
        "titel: Ontslag na voortgezet geweld",
        f"titel: Ontslag na {LONG_WORD}",
    )
    counter.reset()
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache")
    assert counter.card_documents == ["content/dilemmas/stil-houden.yaml"]
    assert ("KAART-TE-LANG", "content/dilemmas/stil-houden.yaml") in {(d.code, d.file) for d in result.diagnostics}
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    counter.reset()
    assert_same(result, validate_corpus(project, today=DEFAULT_TODAY, cache_dir=tmp_path / "cache"))
    assert counter.card_documents == []


# -- a bad cache is ignored ------------------------------------------------------------------------
class Boom:
    def __reduce__(self):
        return (os.system, ("touch BOOM",))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "wrong-shape", "code"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(damage, tmp_path, monkeypatch):
    from macros.store.entries import store_bytes

    project = copy_base(tmp_path)
    store_dir = tmp_path / "cache"
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    (path,) = store_dir.glob("*.pickle")
    blob = path.read_bytes()
    if damage == "garbage":
        blob = os.urandom(len(blob))
    elif damage == "truncated":
        blob = blob[: len(blob) // 2]
    elif damage == "flipped":
        blob = blob[:-200] + bytes([blob[-200] ^ 0x55]) + blob[-199:]
    elif damage == "empty":
        blob = b""
    if damage in (
        "wrong-shape",
        "code",
    ):  # a sound entry (right checksum) with the wrong content: never trusted, never run
        content = {"key": "x", "files": [], "cards": 1} if damage == "wrong-shape" else Boom()
        store_bytes(pickle.dumps(content), path)
    else:
        path.write_bytes(blob)
    monkeypatch.chdir(tmp_path)
    counter = Counter(monkeypatch)
    result = validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    assert not (tmp_path / "BOOM").exists()
    assert counter.loads == len(result.documents)  # nothing was taken from it
    assert_same(validate_corpus(project, today=DEFAULT_TODAY), result)
    counter.reset()  # and it was written anew
    assert_same(result, validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir))
    assert counter.loads == 0


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    project = copy_base(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert_same(
        validate_corpus(project, today=DEFAULT_TODAY),
        validate_corpus(project, today=DEFAULT_TODAY, cache_dir=blocked / "cache"),
    )


def _with_id(project: Path, identity: str) -> Path:
    (project / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  kompas:\n    project: {identity}\n", encoding="utf-8")
    return project


def test_projects_sharing_a_cache_folder_keep_their_own_cache(tmp_path, monkeypatch):
    from macros.verdict import validate_project

    first = _with_id(copy_base(tmp_path / "een"), "een")
    second = _with_id(copy_base(tmp_path / "twee"), "twee")
    edit(second / "themabladen" / "geweld.yaml", "titel: Gebruik van geweld", "titel: Geweld <b>vet</b>")
    shared = tmp_path / "cache"  # KOMPAS_CACHE_DIR of both
    validate_project(first, today=DEFAULT_TODAY, cache_root=shared)
    validate_project(second, today=DEFAULT_TODAY, cache_root=shared)
    counter = Counter(monkeypatch)
    for project in (first, second):
        assert_same(
            validate_corpus(project, today=DEFAULT_TODAY),
            validate_project(project, today=DEFAULT_TODAY, cache_root=shared),
        )
    assert counter.loads == 2 * len(list(first.rglob("*.yaml")))  # only the two runs without cache loaded
    assert len(list(shared.glob("valideren/*/*.pickle"))) == 2


def test_a_project_keeps_its_cache_wherever_it_is_checked_out(tmp_path, monkeypatch):
    """The key of a project's cache is its project id, not its path: CI restores a kept cache folder
    for a clone in another folder, and the warm run takes everything from it."""
    from macros.verdict import validate_project

    shared = tmp_path / "cache"
    here = _with_id(copy_base(tmp_path / "hier"), "kompas-proef")
    validate_project(here, today=DEFAULT_TODAY, cache_root=shared)
    elsewhere = tmp_path / "ergens" / "anders"
    elsewhere.parent.mkdir()
    shutil.copytree(here, elsewhere)
    counter = Counter(monkeypatch)
    result = validate_project(elsewhere, today=DEFAULT_TODAY, cache_root=shared)
    assert counter.loads == 0 and counter.schemas == 0 and counter.card_documents == []
    assert_same(validate_corpus(elsewhere, today=DEFAULT_TODAY), result)


def test_an_old_cache_of_other_code_is_removed(tmp_path, monkeypatch):
    project = copy_base(tmp_path)
    store_dir = tmp_path / "cache"
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    (old,) = store_dir.glob("*.pickle")
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)  # as if the code changed
    counter = Counter(monkeypatch)
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    assert counter.loads == len(list(project.rglob("*.yaml")))
    (new,) = store_dir.glob("*.pickle")
    assert new != old


def test_the_default_cache_folder(tmp_path, monkeypatch):
    from macros.store.keys import project_key

    monkeypatch.delenv("KOMPAS_CACHE_DIR", raising=False)
    project = project_key(tmp_path)
    assert cache.validation_cache_dir(tmp_path) == tmp_path / ".cache" / "valideren" / project
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(tmp_path / "elders"))
    assert cache.validation_cache_dir(tmp_path) == tmp_path / "elders" / "valideren" / project


def test_the_cache_file_is_only_written_when_something_changed(tmp_path):
    project = copy_base(tmp_path)
    store_dir = tmp_path / "cache"
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    time.sleep(4)  # every file settles (Store.SETTLED_NS): the next run records their status once
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    (path,) = store_dir.glob("*.pickle")
    written = path.stat().st_mtime_ns
    validate_corpus(project, today=date(2100, 1, 1), cache_dir=store_dir)
    assert path.stat().st_mtime_ns == written
    edit(project / "content" / "dilemmas" / "joint.yaml", "Wat doe je?", "Wat zou jij doen?")
    validate_corpus(project, today=DEFAULT_TODAY, cache_dir=store_dir)
    assert path.stat().st_mtime_ns != written
    assert not list(store_dir.glob("*.tmp")), "no temporary file is left behind"


# -- the text checks' shortcuts never hide a finding ------------------------------------------------
_ATOMS = [
    "@",
    "a@b.nl",
    "jan@politie.nl",
    "0",
    "06-12345678",
    "+31 6 12345678",
    "0031612345678",
    "+31612345678",
    "5.1.2a",
    "5.2.3.k",
    "[",
    "]",
    "[ weggelakt ]",
    "[REDACTED]",
    "\u2588",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "<",
    ">",
    "<b>",
    "</i>",
    "<!--",
    "javascript:",
    "JAVASCR\u0130PT:",
    "java\u017fcript:",
    ":",
    "TODO",
    "todo",
    "xTODO",
    " ",
    "\n",
    "woord",
    "\u0131",
    "\u017f",
    "\u212a",
    "3",
    "1",
    "\u00a0",
    "1234567890",
]


def _unfiltered(doc) -> set:
    """Every text regex on every string, without the trigger-character shortcuts."""
    out = checks._Collector()
    for path, text in checks._string_items(doc.loaded.data):
        name = checks._field_name(path)
        if checks.TODO_MARK.search(text):  # every field
            out.add_match(doc, path, text, checks.TODO_MARK.search(text), "TODO-OPEN", "", "")
        if name in checks.NON_PROSE_FIELDS and name != "url":
            continue
        if name == "url":
            if checks.EMAIL.search(text):
                out.add(
                    doc,
                    path,
                    "PRIVACY-EMAIL",
                    "Dit webadres bevat een e-mailadres.",
                    "Verwijs naar een intranetpagina, niet naar een persoon.",
                )
        else:
            for pattern, code in (
                (checks.EMAIL, "PRIVACY-EMAIL"),
                (checks.PHONE, "PRIVACY-TELEFOON"),
                (checks.REDACTION, "PRIVACY-WEGGELAKT"),
            ):
                for match in pattern.finditer(text):
                    out.add_match(doc, path, text, match, code, "", "")
            if checks.TEMPLATE.search(text):
                out.add_match(doc, path, text, checks.TEMPLATE.search(text), "TEKST-SJABLOON", "", "")
            if name not in checks.MARKDOWN_FIELDS and checks.HTML_TAG.search(text):
                out.add_match(doc, path, text, checks.HTML_TAG.search(text), "TEKST-HTML", "", "")
    return {(d.file, d.line, d.column, d.code) for d in out.items}


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["titel", "url", "inleiding", "situatie", "id", "hulpvragen", "kader"]),
        st.lists(st.lists(st.sampled_from(_ATOMS), max_size=8).map("".join), min_size=1, max_size=3),
        min_size=1,
    )
)
def test_the_text_shortcuts_never_hide_a_finding(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    doc = SimpleNamespace(kind="dilemma", loaded=load_text(text, "x.yaml"))
    found = {(d.file, d.line, d.column, d.code) for d in checks.check_file(doc) if d.code != "SCHEMA-KOPREGEL"}
    assert found == _unfiltered(doc)
