"""`kompas valideer` through the real installed entry point (.venv/bin/kompas), as an editor runs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lib.project import (
    FIXTURES,  # noqa: E402
    ROOT,  # noqa: E402
)

BASIS = FIXTURES / "geldig" / "basis"
# the console script installed next to the Python that runs the tests (make test: .venv/bin/kompas)
KOMPAS = next(
    (p for p in (Path(sys.executable).parent / "kompas", ROOT / ".venv" / "bin" / "kompas") if p.exists()),
    Path(sys.executable).parent / "kompas",
)

LINE = re.compile(
    r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+(?:-[A-Z]+)*) "
    r"(?P<severity>fout|waarschuwing): (?P<message>.+)$"
)
HINT = re.compile(r"^    hint: .+$")
SUMMARY = re.compile(r"^\d+ (fout|fouten), \d+ (waarschuwing|waarschuwingen) in .+\.$")


def kompas(*args: str, cwd: Path = ROOT, github: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    result = subprocess.run([str(KOMPAS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def parse(stdout: str) -> list[dict]:
    """The diagnostics of a text report; fails on any line that is not in the documented format."""
    lines = stdout.rstrip("\n").split("\n")
    assert SUMMARY.match(lines[-1]), lines[-1]
    found = []
    for line in lines[:-1]:
        match = LINE.match(line)
        if match:
            found.append(match.groupdict())
        else:
            assert HINT.match(line), f"line in no known format: {line!r}"
            assert found, "a hint line follows a diagnostic"
    return found


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(BASIS, target, ignore=shutil.ignore_patterns("verwacht.json"))
    return target


def break_project(project: Path) -> None:
    """Problems in three files, written out of order."""
    sheet = project / "themabladen" / "geweld.yaml"
    sheet.write_text(sheet.read_text().replace("titel: Gebruik van geweld", "titell: Gebruik van geweld"))
    dilemma = project / "content" / "dilemmas" / "joint.yaml"
    dilemma.write_text(
        dilemma.read_text()
        .replace("themabladen: [vrije-tijd]", "themabladen: [vrij-tijd]")
        .replace("kernwaarden: [integer]", "kernwaarden: [integer, eerlijk]")
    )
    module = project / "modules" / "beraad.yaml"
    module.write_text(module.read_text().replace("duur: 60", "duur: 90"))


def test_valid_project_exits_zero(project):
    result = kompas("valideer", "--map", str(project))
    assert result.returncode == 0, result.stdout
    found = parse(result.stdout)
    assert [(d["code"], d["severity"]) for d in found] == [
        ("MELDROUTE-PLACEHOLDER", "waarschuwing"),
        ("RICHTLIJN-PLACEHOLDER", "waarschuwing"),
    ]
    assert result.stdout.rstrip().endswith("0 fouten, 2 waarschuwingen in 12 bestanden.")


def test_errors_exit_one_with_all_problems_sorted(project):
    break_project(project)
    result = kompas("valideer", "--map", str(project))
    assert result.returncode == 1
    found = parse(result.stdout)
    keys = [(d["file"], int(d["line"]), int(d["column"])) for d in found]
    assert keys == sorted(keys)
    assert {(d["file"], d["code"]) for d in found} >= {
        ("themabladen/geweld.yaml", "SCHEMA-ONBEKEND-VELD"),
        ("themabladen/geweld.yaml", "SCHEMA-VERPLICHT"),
        ("content/dilemmas/joint.yaml", "SCHEMA-KEUZE"),
        ("modules/beraad.yaml", "MODULE-DUUR"),
    }
    misspelled = next(d for d in found if d["code"] == "SCHEMA-ONBEKEND-VELD")
    assert (misspelled["line"], misspelled["column"]) == ("4", "1")
    assert "titel" in misspelled["message"]
    # every diagnostic is followed by its hint
    lines = result.stdout.split("\n")
    for index, line in enumerate(lines):
        if LINE.match(line):
            assert HINT.match(lines[index + 1])


def test_json_output(project):
    break_project(project)
    result = kompas("valideer", "--map", str(project), "--formaat", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data and all(set(item) == {"file", "line", "column", "code", "message", "hint", "ernst"} for item in data)
    assert {item["ernst"] for item in data} == {"fout", "waarschuwing"}
    text = parse(kompas("valideer", "--map", str(project)).stdout)
    assert [(d["file"], d["line"], d["code"]) for d in data] == [(t["file"], int(t["line"]), t["code"]) for t in text]


def test_github_annotations(project):
    break_project(project)
    result = kompas("valideer", "--map", str(project), github=True)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.split("\n") if line.startswith("::")]
    diagnostics = [line for line in result.stdout.split("\n") if LINE.match(line)]
    assert len(annotations) == len(diagnostics) > 0
    pattern = re.compile(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+::[A-Z-]+: .+$")
    assert all(pattern.match(line) for line in annotations), annotations
    assert "::error file=themabladen/geweld.yaml,line=4,col=1::SCHEMA-ONBEKEND-VELD: " in result.stdout
    assert "::warning file=themabladen/vrije-tijd.yaml,line=19,col=5::RICHTLIJN-PLACEHOLDER: " in result.stdout
    # without the variable there are no annotation lines
    assert "::" not in "".join(line[:2] for line in kompas("valideer", "--map", str(project)).stdout.split("\n"))


def test_one_file_shows_only_its_problems_but_checks_references_against_everything(project):
    break_project(project)
    # joint.yaml: its own problems only, although geweld.yaml and beraad.yaml are broken too
    result = kompas("valideer", "content/dilemmas/joint.yaml", cwd=project)
    assert result.returncode == 1
    found = parse(result.stdout)
    assert {d["file"] for d in found} == {"content/dilemmas/joint.yaml"}
    assert result.stdout.rstrip().endswith("in 1 bestand(en).")
    # stil-houden.yaml is fine and refers to geweld (another file) and to a ruling: no problem
    good = kompas("valideer", str(project / "content" / "dilemmas" / "stil-houden.yaml"))
    assert good.returncode == 0 and parse(good.stdout) == []
    # a reference from the checked file to a file that does not exist is found
    dilemma = project / "content" / "dilemmas" / "stil-houden.yaml"
    dilemma.write_text(dilemma.read_text().replace("themabladen: [geweld]", "themabladen: [geweld, social-media]"))
    broken = kompas("valideer", str(dilemma))
    assert broken.returncode == 1
    assert [d["code"] for d in parse(broken.stdout)] == ["VERWIJZING-THEMABLAD"]


def test_a_file_with_only_warnings_exits_zero(project):
    break_project(project)
    result = kompas("valideer", "themabladen/vrije-tijd.yaml", cwd=project)
    assert result.returncode == 0
    assert [d["code"] for d in parse(result.stdout)] == ["RICHTLIJN-PLACEHOLDER"]


def test_folder_argument_and_project_found_from_the_working_directory(project):
    break_project(project)
    result = kompas("valideer", "modules", cwd=project)
    assert result.returncode == 1
    assert {d["file"] for d in parse(result.stdout)} == {"modules/beraad.yaml"}
    everything = kompas("valideer", cwd=project / "content")
    assert {d["file"] for d in parse(everything.stdout)} >= {"modules/beraad.yaml", "themabladen/geweld.yaml"}


@pytest.mark.parametrize(
    "case",
    [
        "bestand-binair",
        "bestand-latin1",
        "bestand-utf16",
        "yaml-alias-bom",
        "yaml-tag-python",
        "yaml-syntax-aanhalingsteken",
        "bestand-leeg",
        "bestand-onleesbaar",
        "schema-type-bestand",
        "yaml-te-diep",
        "schema-ecli-punt",
    ],
)
def test_bad_input_never_gives_a_traceback(project, case):
    shutil.copytree(
        FIXTURES / "ongeldig" / case,
        project,
        dirs_exist_ok=True,
        symlinks=True,
        ignore=shutil.ignore_patterns("verwacht.json"),
    )
    spec = json.loads((FIXTURES / "ongeldig" / case / "verwacht.json").read_text(encoding="utf-8"))
    for rel in spec.get("verwijder", []):
        (project / rel).unlink()
    result = kompas("valideer", "--map", str(project))
    assert result.returncode == 1
    assert result.stderr == ""
    found = parse(result.stdout)
    assert {(m["code"], m["bestand"], str(m["regel"])) for m in spec["meldingen"]} <= {
        (d["code"], d["file"], d["line"]) for d in found
    }


def test_folder_argument_includes_broken_links_and_subfolders(project):
    (project / "content" / "dilemmas" / "weg.yaml").symlink_to("bestaat-niet.yaml")
    (project / "content" / "dilemmas" / "archief").mkdir()
    (project / "content" / "dilemmas" / "archief" / "oud.yaml").write_text("id: oud\n")
    result = kompas("valideer", "content/dilemmas", cwd=project)
    assert result.returncode == 1
    assert {(d["file"], d["code"]) for d in parse(result.stdout)} == {
        ("content/dilemmas/weg.yaml", "BESTAND-ONLEESBAAR"),
        ("content/dilemmas/archief", "BESTAND-ONBEKEND"),
    }


def test_a_broken_link_named_on_the_command_line_is_reported(project):
    (project / "content" / "dilemmas" / "weg.yaml").symlink_to("bestaat-niet.yaml")
    result = kompas("valideer", "content/dilemmas/weg.yaml", cwd=project)
    assert result.returncode == 1
    assert [(d["file"], d["code"]) for d in parse(result.stdout)] == [
        ("content/dilemmas/weg.yaml", "BESTAND-ONLEESBAAR")
    ]


def test_a_path_outside_the_project_is_a_usage_error(project, tmp_path):
    elsewhere = tmp_path / "los.yaml"
    elsewhere.write_text("id: los\n")
    result = kompas("valideer", "--map", str(project), str(elsewhere))
    assert result.returncode == 2
    assert "ligt buiten de projectmap" in result.stderr and result.stdout == ""


def test_oversized_file_through_the_cli(project):
    with (project / "themabladen" / "groot.yaml").open("wb") as out:
        out.write(b"# " + b"x" * 20_000_000 + b"\n")
    result = kompas("valideer", "--map", str(project))
    assert result.returncode == 1
    assert any(d["code"] == "BESTAND-TE-GROOT" and d["file"] == "themabladen/groot.yaml" for d in parse(result.stdout))


def test_missing_path_is_a_usage_error(project):
    result = kompas("valideer", "themabladen/bestaat-niet.yaml", cwd=project)
    assert result.returncode == 2
    assert "bestaat niet" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, dutch",
    [
        (("valideer", "--formaat", "xml"), "ongeldige keuze: 'xml' (kies uit 'tekst', 'json', 'redacteur')"),
        (("valideer", "--onbekend"), "onbekende argumenten: --onbekend"),
        (("valideer", "--map"), "hier hoort één waarde achter"),
    ],
)
def test_usage_errors_are_dutch(project, args, dutch):
    result = kompas(*args, cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("gebruik: kompas")
    assert "fout: " in result.stderr and dutch in result.stderr
    assert not re.search(r"\b(usage|error|invalid|unrecognized|expected|choose)\b", result.stderr)


def test_help_is_dutch():
    result = kompas("valideer", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("gebruik: kompas valideer")
    assert "opties:" in result.stdout and "argumenten:" in result.stdout
    assert not re.search(r"\b(usage|options|positional arguments|show this help)\b", result.stdout)


def test_a_line_break_in_content_does_not_break_the_one_line_format(project):
    sheet = project / "themabladen" / "vrije-tijd.yaml"
    sheet.write_text(sheet.read_text().replace("  - titel: Vertrouwenspersoon", '  - titel: "Vertrouwens\\npersoon"'))
    dilemma = project / "content" / "dilemmas" / "joint.yaml"
    dilemma.write_text(dilemma.read_text().replace("id: joint", "id: |\n  joint"))
    result = kompas("valideer", "--map", str(project))
    assert result.returncode == 1
    found = parse(result.stdout)  # fails on any line that is not a diagnostic, a hint or the summary
    assert ("content/dilemmas/joint.yaml", "SCHEMA-PATROON") in {(d["file"], d["code"]) for d in found}
    assert "'joint\\n'" in result.stdout
    assert any(d["code"] == "RICHTLIJN-PLACEHOLDER" and "Vertrouwens persoon" in d["message"] for d in found)


def test_the_cache_changes_nothing_but_the_time(project, tmp_path):
    """`kompas valideer` keeps per-file results in .cache/valideren of the project (or under
    KOMPAS_CACHE_DIR); --zonder-cache validates from scratch. The output is the same."""
    break_project(project)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "KOMPAS_CACHE_DIR")}

    def run(*extra: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(KOMPAS), "valideer", "--map", str(project), *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stderr + result.stdout, result.stderr
        return result

    scratch = run("--zonder-cache")
    assert not (project / ".cache").exists(), "--zonder-cache writes no cache"
    cold, warm = run(), run()
    assert list((project / ".cache" / "valideren").glob("*/*.pickle")), "the default cache is in the project"
    for result in (cold, warm):
        assert (result.returncode, result.stdout, result.stderr) == (scratch.returncode, scratch.stdout, scratch.stderr)
    assert scratch.returncode == 1 and parse(scratch.stdout)
    # a file fixed after a warm run: the fresh result
    module = project / "modules" / "beraad.yaml"
    module.write_text(module.read_text().replace("duur: 90", "duur: 60"))
    fixed = run()
    assert fixed.stdout == run("--zonder-cache").stdout
    assert "MODULE-DUUR" in scratch.stdout and "MODULE-DUUR" not in fixed.stdout
    # KOMPAS_CACHE_DIR moves it, as it moves the card cache
    shutil.rmtree(project / ".cache")
    env["KOMPAS_CACHE_DIR"] = str(tmp_path / "elders")
    assert run().stdout == fixed.stdout
    assert list((tmp_path / "elders" / "valideren").glob("*/*.pickle")) and not (project / ".cache").exists()


def test_the_cache_option_is_in_the_help():
    assert "--zonder-cache" in kompas("valideer", "--help").stdout
