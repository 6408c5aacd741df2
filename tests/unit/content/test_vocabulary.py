"""One source for each list of values: the schemas. The model, the CLI, the scaffolder, the labels
and the benchmark generator follow them (change a value in the schema and this test shows every
place that did not follow)."""

from __future__ import annotations

import json
import sys

from lib.project import ROOT  # noqa: E402
from macros.cli import commands as cli
from macros.content import model
from macros.editor import scaffold
from macros.render import render


def schema_enum(name: str, *path: str) -> tuple[str, ...]:
    node = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    for key in path:
        node = node[key]
    return tuple(node["enum"])


KERNWAARDEN = schema_enum("gemeenschappelijk.schema.json", "$defs", "kernwaarde")
DOELGROEPEN = schema_enum("gemeenschappelijk.schema.json", "$defs", "doelgroep")
MODULE_SOORTEN = schema_enum("module.schema.json", "properties", "soort")
BRON_SOORTEN = schema_enum("bronnen.schema.json", "properties", "bronnen", "items", "properties", "soort")


def test_model_lists_are_the_schema_enums():
    assert model.KERNWAARDEN == KERNWAARDEN
    assert model.DOELGROEPEN == DOELGROEPEN
    assert model.MODULE_SOORTEN == MODULE_SOORTEN
    assert model.BRON_SOORTEN == BRON_SOORTEN


def test_every_value_has_its_label():
    assert set(model.SOORT_LABELS) == set(MODULE_SOORTEN)
    assert set(model.BRON_SOORT_LABELS) == set(BRON_SOORTEN)
    assert set(render.KERNWAARDE_LABELS) == set(KERNWAARDEN)
    assert set(render.DOELGROEP_LABELS) == set(DOELGROEPEN)


def _subparser(parser, *names):
    for name in names:
        action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        parser = action.choices[name]
    return parser


def test_cli_choices_and_help_follow_the_schemas():
    parser = cli.build_parser()
    module = _subparser(parser, "nieuw", "module")
    soort = next(a for a in module._actions if a.dest == "module_soort")
    assert tuple(soort.choices) == MODULE_SOORTEN
    kaarten = _subparser(parser, "kaarten")
    helps = {a.dest: a.help for a in kaarten._actions}
    assert all(value in helps["kernwaarde"] for value in KERNWAARDEN)
    assert all(value in helps["doelgroep"] for value in DOELGROEPEN)


def test_scaffolder_knows_every_module_kind(tmp_path):
    assert set(scaffold.MODULE_DOELGROEP) == set(MODULE_SOORTEN)
    assert all(set(groups) <= set(DOELGROEPEN) for groups in scaffold.MODULE_DOELGROEP.values())
    for soort in MODULE_SOORTEN:
        scaffold.new_module(tmp_path, soort, f"Een {soort} om te proberen")


def test_benchmark_generator_uses_the_same_lists():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert generate.KERNWAARDEN == KERNWAARDEN
    assert generate.DOELGROEPEN == DOELGROEPEN
    assert set(generate.SOORTEN) == set(MODULE_SOORTEN)
