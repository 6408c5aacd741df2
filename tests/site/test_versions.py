"""Versioned releases with mike, end to end: `make deploy` into a temporary git repository
(a copy of the fixture project), the gh-pages tree served on localhost, and Material's
version selector and outdated banner in the system Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from lib.project import (
    ROOT,  # noqa: E402
    make_project,
)
from macros.harness.browser import serve

VENV = Path(sys.prefix) if (Path(sys.prefix) / "bin" / "mike").exists() else ROOT / ".venv"  # the running venv


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def deploy(repo: Path, version: str, alias: str | None = "latest") -> subprocess.CompletedProcess:
    """The real `make deploy`, run in the temporary repository with the project's Makefile and venv."""
    command = [
        "make",
        "--no-print-directory",
        "-f",
        str(ROOT / "Makefile"),
        "-o",
        str(VENV / ".installed-stamp"),
        f"VENV={VENV}",
        "deploy",
        f"VERSION={version}",
    ]
    if alias:
        command.append(f"ALIAS={alias}")
    env = {k: v for k, v in os.environ.items() if k != "KOMPAS_SITE_DIR"}
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def set_title(repo: Path, title: str) -> None:
    path = repo / "themabladen" / "geweld.yaml"
    text = re.sub(r"(?m)^titel: .*$", f"titel: {title}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", f"Titel: {title}")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = make_project(tmp_path_factory.mktemp("versions") / "repo")
    # what this repository's checkout ignores (Python's bytecode of the hooks shim, among others)
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Kompas test")
    git(repo, "config", "user.email", "kompas-test@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Inhoud")
    set_title(repo, "Geweld in versie een")
    first = deploy(repo, "1.0")
    assert first.returncode == 0, first.stdout + first.stderr
    set_title(repo, "Geweld in versie twee")
    second = deploy(repo, "2.0")
    assert second.returncode == 0, second.stdout + second.stderr
    return repo


@pytest.fixture(scope="module")
def served(repo, tmp_path_factory):
    """A checkout of gh-pages (symlinks kept, as a web server would serve it)."""
    tree = tmp_path_factory.mktemp("gh-pages")
    archive = tree / "gh-pages.tar"
    subprocess.run(["git", "archive", "-o", str(archive), "gh-pages"], cwd=repo, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(tree / "www", filter="tar")
    base, stop = serve(tree / "www")
    yield base
    stop()


def test_versions_json_lists_both_and_latest_is_newest(repo):
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2.0", ["latest"]), ("1.0", [])]
    files = git(repo, "ls-tree", "--name-only", "gh-pages").splitlines()
    assert {"1.0", "2.0", "latest", "index.html", "versions.json"} <= set(files)
    # each version carries its own build: content, search index, feed
    for version, title in (("1.0", "Geweld in versie een"), ("2.0", "Geweld in versie twee")):
        page = git(repo, "show", f"gh-pages:{version}/themabladen/geweld/index.html")
        assert "<h1" in page and title in page
        git(repo, "cat-file", "-e", f"gh-pages:{version}/pagefind/pagefind-entry.json")
        git(repo, "cat-file", "-e", f"gh-pages:{version}/wijzigingen.xml")
    # deploys commit to the local branch only and leave the working tree alone
    assert git(repo, "branch", "--list", "gh-pages")
    assert not git(repo, "remote")
    assert not (repo / "site").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_selector_switches_versions_and_old_version_shows_banner(chromium, served):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served)  # the root redirects to the default alias
    page.wait_for_url("**/latest/")
    page.goto(served + "latest/themabladen/geweld/")
    selector = page.locator(".md-version")
    selector.wait_for(state="visible")
    assert page.locator(".md-version__current").inner_text().strip() == "2.0"
    assert "Geweld in versie twee" in page.locator("h1").inner_text()
    assert page.locator("[data-md-component=outdated]").is_hidden()
    listed = [t.strip() for t in page.locator(".md-version__link").all_inner_texts()]
    assert listed[:2] == ["2.0", "1.0"]

    selector.hover()
    page.locator(".md-version__link", has_text="1.0").click()
    # Without site_url the sitemap lists no pages, so Material opens the other version's home.
    page.wait_for_url("**/1.0/")
    assert page.locator(".md-version__current").inner_text().strip() == "1.0"
    page.goto(served + "1.0/themabladen/geweld/")
    assert "Geweld in versie een" in page.locator("h1").inner_text()
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible")
    assert "oudere versie" in banner.inner_text()
    newest = banner.locator("a[data-kompas-nieuwste]")
    newest.click()
    page.wait_for_url("**/latest/")
    assert not errors, errors
    page.close()


@pytest.mark.parametrize(
    "breakage, message",
    [
        # caught before mike starts (kompas publiceer validates first; the validator also runs in the config hook)
        ("content", "YAML-DUBBELE-SLEUTEL"),
        # a broken link in a hand-written page: once caught late by the link check in the post-build hook,
        # now by validation before anything is built (issue 31: PAGINA-LINK)
        ("link", "PAGINA-LINK"),
    ],
)
def test_failing_build_commits_nothing(repo, breakage, message):
    before = git(repo, "rev-parse", "gh-pages")
    if breakage == "content":
        path = repo / "themabladen" / "geweld.yaml"
        good = path.read_text(encoding="utf-8")
        broken = good.replace("kernwaarden:", "kernwaarden: [integer]\nkernwaarden:", 1)
    else:
        path = repo / "content" / "pages" / "kernwaarden.md"
        good = path.read_text(encoding="utf-8")
        broken = good + "\n[Kapot](bestaat-niet/index.md#nergens)\n"
    try:
        path.write_text(broken, encoding="utf-8")
        result = deploy(repo, "3.0")
    finally:
        path.write_text(good, encoding="utf-8")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output, output[-3000:]
    assert git(repo, "rev-parse", "gh-pages") == before
    assert "3.0" not in git(repo, "show", "gh-pages:versions.json")


def test_deploy_needs_a_version(repo):
    result = deploy(repo, "")
    assert result.returncode != 0
    assert "make deploy VERSION=" in result.stderr
