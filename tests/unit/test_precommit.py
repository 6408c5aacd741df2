"""The pre-commit hooks watch files that exist: a `files` pattern that matches no tracked file
means a hook that never runs (the error-code hook watched macros/diagnostics.py after it moved)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".pre-commit-config.yaml"


def _hooks() -> list[dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("geen git-checkout")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listed.stdout.decode("utf-8").split("\0") if name]


@pytest.mark.parametrize("hook", _hooks(), ids=lambda hook: hook["id"])
def test_every_files_pattern_matches_a_tracked_file(hook: dict) -> None:
    """The pattern, and each of its alternatives on its own (``a|b`` anywhere in it): a file that
    moved leaves an alternative matching nothing while the others still match."""
    tracked = _tracked()
    exclude = re.compile(hook["exclude"]) if "exclude" in hook else None
    for variant in [hook.get("files", ""), *_one_alternative_each(hook.get("files", ""))]:
        pattern = re.compile(variant)
        # pre-commit matches with re.search on the path relative to the repository root
        matched = [name for name in tracked if pattern.search(name) and not (exclude and exclude.search(name))]
        assert matched, f"{hook['id']}: het files-patroon {variant!r} raakt geen enkel bestand"


def test_a_moved_file_is_found() -> None:
    """The check itself: the error-code hook's old pattern names a file that moved."""
    variants = _one_alternative_each(r"^(macros/diagnostics\.py|CONTRIBUTING\.md)$")
    assert variants == [r"^(?:macros/diagnostics\.py)$", r"^(?:CONTRIBUTING\.md)$"]
    tracked = _tracked()
    assert not [name for name in tracked if re.search(variants[0], name)]


def _one_alternative_each(pattern: str, within: tuple[int, int] | None = None) -> list[str]:
    """For every alternation in ``pattern`` (a group with ``|``, or the pattern itself) and each of
    its alternatives: the pattern with that alternation replaced by the one alternative. An
    alternation inside an alternative is narrowed together with the ones around it, so no other
    branch can do its matching for it."""
    low, high = within if within is not None else (0, len(pattern))
    inside = [a for a in _alternations(pattern) if low <= a[0] and a[1] <= high]
    outermost = [a for a in inside if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in inside)]
    variants = []
    for start, end, alternatives in outermost:
        for alternative in alternatives:
            narrowed = pattern[:start] + f"(?:{alternative})" + pattern[end:]
            variants.append(narrowed)
            variants.extend(_one_alternative_each(narrowed, (start + 3, start + 3 + len(alternative))))
    return variants


def _alternations(pattern: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, alternatives) of each alternation: a group ``( ... )`` (start at its '(' and end
    after its ')'), or the whole pattern; escapes and character classes are skipped."""
    found = []
    stack: list[tuple[int, int, list[int]]] = [(-1, -1, [])]  # (start of group, start of its body, '|' positions)
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            body = index + 1
            if pattern.startswith("?:", body):
                body += 2
            stack.append((index, body, []))
        elif char == "|":
            stack[-1][2].append(index)
        elif char == ")" and len(stack) > 1:
            start, body, bars = stack.pop()
            if bars:
                cuts = [body - 1, *bars, index]
                found.append((start, index + 1, [pattern[a + 1 : b] for a, b in zip(cuts, cuts[1:])]))
        index += 1
    _, _, bars = stack[0]
    if bars:
        cuts = [-1, *bars, len(pattern)]
        found.append((0, len(pattern), [pattern[a + 1 : b] for a, b in zip(cuts, cuts[1:])]))
    return found


def test_every_hook_runs_something_that_exists() -> None:
    """An entry is a program of .venv (made by make install) or a command on the path."""
    for hook in _hooks():
        program = hook["entry"].split()[0]
        if program.startswith(".venv/bin/"):
            assert program.removeprefix(".venv/bin/") in _installed_scripts(), hook["id"]
        else:
            assert shutil.which(program), hook["id"]


def _installed_scripts() -> set[str]:
    """The commands make install puts in .venv/bin: kompas (pyproject's scripts) and the tools of the test extra."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tools = {re.split(r"[=<>\[ ]", requirement)[0] for requirement in project["optional-dependencies"]["test"]}
    return set(project["scripts"]) | tools
