"""The editor and review files: VS Code, pre-commit, GitHub Actions, GitLab CI, PR template."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lib.project import ROOT  # noqa: E402
from macros.content.diagnostics import Diagnostic, to_json
from macros.content.layout import Layout, discover
from macros.content.load import SCHEMA_LINE_PREFIX

KINDS = ("themablad", "dilemma", "uitspraak", "module", "wetgeving", "reeks", "onderwerp", "bronnen", "meldroutes")


def read_yaml(relative: str):
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def content_files():
    files, _ = discover(Layout(ROOT))
    return [(kind, path.relative_to(ROOT).as_posix()) for kind, path in files]


# -- VS Code ---------------------------------------------------------------------------------


def vscode_schemas() -> dict[str, list[str]]:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    return settings["yaml.schemas"]


def test_vscode_maps_every_kind_to_an_existing_schema():
    schemas = vscode_schemas()
    targets = {Path(schema).name for schema in schemas}
    assert targets == {f"{kind}.schema.json" for kind in KINDS}
    for schema in schemas:
        assert (ROOT / schema).resolve().is_file(), schema


def test_vscode_mapping_agrees_with_each_files_schema_line():
    schemas = vscode_schemas()
    files = content_files()
    assert {kind for kind, _ in files} == set(KINDS), "de startinhoud heeft van elk soort een bestand"
    for kind, relative in files:
        matching = [schema for schema, globs in schemas.items() if any(fnmatch.fnmatch(relative, g) for g in globs)]
        assert matching == [f"./schemas/{kind}.schema.json"], relative
        first = (ROOT / relative).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith(SCHEMA_LINE_PREFIX), relative
        linked = ((ROOT / relative).parent / first[len(SCHEMA_LINE_PREFIX) :]).resolve()
        assert linked == (ROOT / matching[0]).resolve(), relative


def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_vscode_task_problem_matchers_read_kompas_output():
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    check = next(t for t in tasks if t["args"][:1] == ["valideer"])
    error = Diagnostic("themabladen/a.yaml", 7, 3, "SCHEMA-VERPLICHT", "Het verplichte veld 'titel' ontbreekt.")
    warning = Diagnostic("content/dilemmas/b.yaml", 2, 1, "TEKST-IK-VORM", "Niet in de ik-vorm: 'x: y'.")
    seen = {}
    for matcher in check["problemMatcher"]:
        pattern = matcher["pattern"]
        for diagnostic in (error, warning):
            line = diagnostic.format_text().splitlines()[0]
            match = re.match(pattern["regexp"], line)
            if match:
                assert match.group(pattern["file"]) == diagnostic.file
                assert int(match.group(pattern["line"])) == diagnostic.line
                assert int(match.group(pattern["column"])) == diagnostic.column
                assert match.group(pattern["code"]) == diagnostic.code
                assert match.group(pattern["message"]) == diagnostic.message
                seen[diagnostic.code] = matcher["severity"]
    assert seen == {"SCHEMA-VERPLICHT": "error", "TEKST-IK-VORM": "warning"}


# -- pre-commit ----------------------------------------------------------------------------------


def hooks() -> dict[str, dict]:
    config = read_yaml(".pre-commit-config.yaml")
    return {hook["id"]: hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]}


@pytest.mark.parametrize(
    "path, selected",
    [
        ("themabladen/gebruik-van-geweld.yaml", True),
        ("content/dilemmas/joint-tegen-klachten.yaml", True),
        ("content/uitspraken/ECLI-NL-CRVB-2014-3729.yaml", True),
        ("modules/moreel-beraad-in-een-uur.yaml", True),
        ("content/wetgeving.yaml", True),
        ("content/reeks.yaml", True),
        ("content/pages/index.md", False),
        ("macros/cli/commands.py", False),
        ("mkdocs.yml", False),
    ],
)
def test_precommit_validates_changed_content_files(path, selected):
    hook = hooks()["kompas-valideer"]
    assert hook["language"] == "system" and hook["pass_filenames"] is True
    assert shlex.split(hook["entry"])[-1] == "valideer" and shlex.split(hook["entry"])[0].endswith("kompas")
    assert bool(re.search(hook["files"], path)) is selected


def test_precommit_checks_spelling_and_the_guide():
    all_hooks = hooks()
    assert shlex.split(all_hooks["kompas-spelling"]["entry"])[1:] == ["spelling"]
    assert re.search(all_hooks["kompas-spelling"]["files"], "content/pages/index.md")
    assert shlex.split(all_hooks["kompas-foutcodes"]["entry"])[1:] == ["documenteer", "--controleer"]


def test_precommit_entry_runs_on_a_real_file():
    """What pre-commit runs: the hook's entry plus the changed file names."""
    hook = hooks()["kompas-valideer"]
    program = ROOT / shlex.split(hook["entry"])[0]
    if not program.exists():
        program = Path(sys.executable).parent / "kompas"
    files = [relative for _, relative in content_files()][:3]
    run = subprocess.run(
        [str(program), *shlex.split(hook["entry"])[1:], *files], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"in {len(files)} bestand(en)." in run.stdout


# -- GitHub Actions --------------------------------------------------------------------------------


def test_github_workflow_validates_builds_tests_and_uploads_the_site():
    workflow = read_yaml(".github/workflows/ci.yml")
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as true
    assert "pull_request" in triggers
    job = workflow["jobs"]["kompas"]
    runs = [step.get("run", "") for step in job["steps"]]
    names = " ".join(runs)
    assert "make install" in names
    assert any(re.search(r"kompas valideer$", r.strip()) for r in runs)
    assert "make build" in runs and "make test" in runs
    assert runs.index("make build") > next(i for i, r in enumerate(runs) if "kompas valideer" in r)
    upload = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert "if" not in upload  # the preview of the site, after make build or make inhoud
    assert "./scripts/ensure-system.sh" in names


def test_github_runs_make_inhoud_when_only_content_changed_and_keeps_its_caches():
    """Issue 27: a pull request that touches only content runs make inhoud (with the caches of a
    previous run) instead of the full suite; every other one, and main, the full suite."""
    job = read_yaml(".github/workflows/ci.yml")["jobs"]["kompas"]
    steps = job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] >= 2  # HEAD^1: the base of the pull request's merge commit
    decide = next(s for s in steps if s.get("id") == "soort")
    assert "scripts/alleen_inhoud.py HEAD^1" in decide["run"] and decide["if"] == "github.event_name == 'pull_request'"
    content_only = "steps.soort.outputs.alleen_inhoud == 'ja'"
    inhoud = next(s for s in steps if s.get("run", "").strip().endswith("make inhoud") and s.get("if") == content_only)
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache"))
    assert content_only in cache["if"] and steps.index(cache) < steps.index(inhoud)
    folder = cache["with"]["path"]
    assert inhoud["env"]["KOMPAS_CACHE_DIR"] == "${{ github.workspace }}/" + folder
    assert cache["with"]["restore-keys"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    for command in ("make build", "make test", ".venv/bin/kompas valideer"):
        step = next(s for s in steps if s.get("run", "").strip() == command)
        assert step["if"] == "steps.soort.outputs.alleen_inhoud != 'ja'", command  # main and code: always
    warm = [s for s in steps if s.get("run", "").strip() == "make inhoud" and "push" in s.get("if", "")]
    assert warm and warm[0]["env"]["KOMPAS_CACHE_DIR"] == inhoud["env"]["KOMPAS_CACHE_DIR"]  # main fills the cache


def test_both_pipelines_try_the_way_out_with_properdocs():
    """docs/engine.md: a job of its own in each pipeline builds with ProperDocs and runs the site tests."""
    github = read_yaml(".github/workflows/ci.yml")["jobs"]["properdocs"]
    assert [step.get("run") for step in github["steps"] if step.get("run")][-1] == "make test-properdocs"
    gitlab = read_yaml(".gitlab-ci.yml")["properdocs"]
    assert gitlab["script"] == ["make test-properdocs"] and "./scripts/ensure-system.sh" in gitlab["before_script"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "KOMPAS_ENGINE=properdocs" in makefile and "mkdocs-ProperDocs" in makefile


# -- GitLab CI ---------------------------------------------------------------------------------------


def test_gitlab_ci_is_equivalent():
    config = read_yaml(".gitlab-ci.yml")
    job = config["kompas"]
    script = "\n".join(job["before_script"] + job["script"])
    assert "make install" in script and "make build" in script and "make test" in script
    assert ".venv/bin/kompas valideer\n" in script
    assert job["artifacts"]["paths"] == ["site/"]
    assert job["artifacts"]["expose_as"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


def test_gitlab_runs_make_inhoud_when_only_content_changed_and_keeps_its_caches():
    config = read_yaml(".gitlab-ci.yml")
    job = config["kompas"]
    script = "\n".join(job["script"])
    assert 'scripts/alleen_inhoud.py "$base"' in script
    assert 'base="${CI_MERGE_REQUEST_TARGET_BRANCH_SHA:-$CI_MERGE_REQUEST_DIFF_BASE_SHA}"' in script
    inhoud = re.search(r'if \[ "\$ALLEEN_INHOUD" = ja \]; then\s+make inhoud\s+else\s+(.*?)\s+fi', script, re.S)
    assert inhoud and script.index("alleen_inhoud.py") < inhoud.start()
    assert [line.strip() for line in inhoud.group(1).split("\n")][-2:] == [
        "make build",
        "make test",
    ]  # everything else: the full check
    assert 'export KOMPAS_CACHE_DIR="$KOMPAS_CACHE"' in script
    cached = {path for entry in job["cache"] for path in entry["paths"]}
    folder = config["variables"]["KOMPAS_CACHE"].removeprefix("$CI_PROJECT_DIR/")
    assert folder in cached


def test_gitlab_code_quality_conversion(tmp_path):
    """The converter in .gitlab-ci.yml turns kompas' JSON into GitLab's Code Quality report."""
    job = read_yaml(".gitlab-ci.yml")["kompas"]
    command = next(line for line in job["script"] if "gl-code-quality-report.json" in line)
    code = shlex.split(command)[2]
    problems = [
        Diagnostic("themabladen/a.yaml", 4, 1, "SCHEMA-VERPLICHT", "Het veld 'titel' ontbreekt."),
        Diagnostic("content/reeks.yaml", 0, 0, "BESTAND-BOM", "Een BOM."),
    ]
    (tmp_path / "kompas-meldingen.json").write_text(to_json(problems), encoding="utf-8")
    (tmp_path / "kompas-spelling.json").write_text(
        to_json([Diagnostic("content/pages/index.md", 3, 9, "SPELLING", "'fuot' staat niet in het woordenboek.")]),
        encoding="utf-8",
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    report = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [
        (r["location"]["path"], r["location"]["lines"]["begin"], r["severity"], r["check_name"]) for r in report
    ] == [
        ("themabladen/a.yaml", 4, "major", "SCHEMA-VERPLICHT"),
        ("content/reeks.yaml", 1, "minor", "BESTAND-BOM"),
        ("content/pages/index.md", 3, "minor", "SPELLING"),
    ]
    assert len({r["fingerprint"] for r in report}) == 3


# -- pull request template ------------------------------------------------------------------------------


def test_pull_request_template_has_the_editors_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    joined = " ".join(items).lower()
    for topic in ("geanonimiseerd", "bronnen", "bron gecontroleerd", "herziendatum", "kaart"):
        assert topic in joined, topic
    assert "kompas kaarten --id" in text
    assert "`redactie`" in joined and "`content/bronnen.yaml`" in joined  # the editor checks the item's sources


def test_gitlab_merge_request_template_has_the_same_checklist():
    github = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    gitlab = (ROOT / ".gitlab" / "merge_request_templates" / "Default.md").read_text(encoding="utf-8")

    def checklist(text: str) -> list[str]:
        return [
            line.replace("deze pull request", "dit merge request")
            for line in text.splitlines()
            if line.startswith("- [ ] ")
        ]

    assert checklist(gitlab) == checklist(github) and checklist(github)
