"""Dutch schema messages are chosen from the error's data and the schemas, not from jsonschema's English text."""

from __future__ import annotations

from jsonschema.exceptions import ValidationError

from macros.content import schema
from macros.content.load import load_text


def _loaded(text: str):
    return load_text(text, "themabladen/x.yaml")


def test_missing_fields_are_read_from_the_data_not_from_the_english_message():
    loaded = _loaded("id: x\n")
    error = ValidationError(
        "het bericht doet er niet toe",
        validator="required",
        validator_value=["id", "titel", "kader"],
        instance=loaded.data,
        schema={},
    )
    messages = [d.message for d in schema._translate(error, loaded)]
    assert messages == ["Het verplichte veld 'titel' ontbreekt.", "Het verplichte veld 'kader' ontbreekt."]


def test_every_missing_field_is_reported_once_by_the_validator(tmp_path):
    loaded = _loaded("id: x\nnummer: 3\n")
    fields = [
        d.message.split("'")[1] for d in schema.validate_document("themablad", loaded) if d.code == "SCHEMA-VERPLICHT"
    ]
    assert len(fields) == len(set(fields)) and {"titel", "kader", "inleiding"} <= set(fields)


def test_pattern_messages_follow_the_schema_rule_not_the_pattern_prefix():
    loaded = _loaded("ecli: x\n")
    lookalike = ValidationError(
        "x",
        validator="pattern",
        validator_value="^ECLI-maar-een-andere-regel$",
        instance="x",
        schema={"description": "Iets anders."},
        path=["ecli"],
    )
    [diag] = schema._translate(lookalike, loaded)
    assert diag.code == "SCHEMA-PATROON"
    ecli = schema.resolved_definition("ecli")["pattern"]
    real = ValidationError("x", validator="pattern", validator_value=ecli, instance="x", schema={}, path=["ecli"])
    assert schema._translate(real, loaded)[0].code == "SCHEMA-ECLI"


def test_the_slow_path_is_reported_once(caplog, monkeypatch):
    monkeypatch.setattr(schema, "jsonschema_rs", None)
    schema._fast_validator.cache_clear()
    schema._slow_path_once.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="kompas.schema"):
            for kind in ("dilemma", "themablad", "module", "dilemma"):
                assert schema.fast_valid(kind, {}) is False
        warnings = [r for r in caplog.records if r.name == "kompas.schema"]
        assert len(warnings) == 1 and "zonder de snelle controle" in warnings[0].getMessage()
    finally:
        schema._fast_validator.cache_clear()
        schema._slow_path_once.cache_clear()
