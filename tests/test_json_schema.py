"""`ncnd rules schema`: one JSON Schema for rule and scenario files, from the loader's own specs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from ncnd_assistant.checks.json_schema import rule_file_schema, rule_file_schema_json
from ncnd_assistant.cli import app
from ncnd_assistant.rulebase.shapes import RULE_FILE
from tests.conftest import EXAMPLE, ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
# problems of shape, which a JSON Schema can express (the rest need the whole rule base)
SHAPE_CODES = {"unknown-key", "wrong-type", "bad-value", "bad-id", "missing-field", "empty-list", "empty-value",
               "bad-condition", "bad-conclusion"}
runner = CliRunner()


def as_json(path: Path) -> Any:
    """A YAML file as an editor (or the acceptance check) sees it: dates become strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = rule_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = rule_file_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["$defs"]) == {"rule_file", "scenario_file", "condition"}


def test_it_is_generated_from_the_loader_specs() -> None:
    rule_file = rule_file_schema()["$defs"]["rule_file"]
    assert set(rule_file["properties"]) == set(RULE_FILE.fields)
    rule = rule_file["properties"]["rules"]["items"]
    assert rule["required"] == ["id", "stage", "when", "then", "because", "citations"]
    assert rule["properties"]["when"] == {"$ref": "#/$defs/condition"}


@pytest.mark.slow  # every shipped file, parsed by pure-Python PyYAML and checked by jsonschema
@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.y*ml")) + sorted(EXAMPLE.rglob("*.y*ml")),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_shipped_rule_and_scenario_file_validates(validator: jsonschema.Draft202012Validator,
                                                        path: Path) -> None:
    assert errors(validator, as_json(path)) == []


def _shape_fixtures() -> list[tuple[str, list[str]]]:
    found = []
    for folder in sorted(p for p in BAD.iterdir() if p.is_dir()):
        expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        codes = {line.split(": ")[1] for line in expected if ": " in line}
        if codes and codes <= SHAPE_CODES:
            files = sorted({re.match(r"([^:]+):", line).group(1) for line in expected})  # type: ignore[union-attr]
            found.append((folder.name, files))
    return found


SHAPE_FIXTURES = _shape_fixtures()


def test_the_shape_fixtures_are_found() -> None:
    names = {name for name, _ in SHAPE_FIXTURES}
    assert {"unknown-key-top", "unknown-key-nested", "wrong-type", "bad-value-stage", "bad-id", "missing-field",
            "empty-list", "empty-value", "bad-condition-keyword-typo", "bad-conclusion",
            "wrong-type-bad-date"} <= names


@pytest.mark.parametrize("name,files", SHAPE_FIXTURES, ids=[name for name, _ in SHAPE_FIXTURES])
def test_a_bad_fixture_with_a_shape_error_fails_the_schema(validator: jsonschema.Draft202012Validator,
                                                           name: str, files: list[str]) -> None:
    for file in files:
        path = BAD.parent / "bad" / file
        assert errors(validator, as_json(path)), f"{file} passes the schema"


def test_harm_only_with_engage(validator: jsonschema.Draft202012Validator) -> None:
    assert errors(validator, as_json(BAD / "unexpected-harm-not-engage" / "rulebase.yaml"))


def rule(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "r-1", "stage": 1, "when": {"a": True}, "then": {"engage": "s24(2)", "harm": "would"},
                            "because": "why", "citations": ["FOIA 2000 s24(2)"]}
    return {"rules": [{**base, **changes}]}


@pytest.mark.parametrize("when", [
    {"a": True}, {"a": "would"}, {"a": {"in": ["would", "likely"]}}, {"not": {"a": False}},
    {"all": [{"a": True}, {"any": [{"b": "x"}, {"not": {"c": True}}]}]},
])
def test_conditions_the_loader_accepts_validate(validator: jsonschema.Draft202012Validator, when: Any) -> None:
    assert errors(validator, rule(when=when)) == []


@pytest.mark.parametrize("when", [
    {}, {"a": True, "b": True}, {"a": 1}, {"a": None}, {"all": []}, {"all": {"a": True}}, {"al": [{"a": True}]},
    {"A-b": True}, {"a": {"in": []}}, {"a": {"in": ["x"], "out": ["y"]}}, {"not": [{"a": True}]}, "a",
])
def test_malformed_conditions_fail(validator: jsonschema.Draft202012Validator, when: Any) -> None:
    assert errors(validator, rule(when=when))


@pytest.mark.parametrize("then", [{}, {"derive": "x", "balance": "maintain"}, {"derive": "x", "harm": "would"},
                                  {"outcome": "held"}, {"engage": "s24(2)", "harm": "maybe"}])
def test_malformed_conclusions_fail(validator: jsonschema.Draft202012Validator, then: Any) -> None:
    assert errors(validator, rule(then=then))


def test_the_loader_leniencies_are_kept(validator: jsonschema.Draft202012Validator) -> None:
    assert errors(validator, {"facts": None, "questions": None}) == []  # empty sections
    meta = {"id": "x", "title": "T", "version": 1.0, "effective": "2026-11-27", "regime": "foia"}
    assert errors(validator, {"rulebase": meta}) == []  # a number is read as text
    assert errors(validator, {"rulebase": {**meta, "effective": "27/11/2026"}})
    assert errors(validator, {"rulebase": {**meta, "title": "  "}})  # blank text
    assert errors(validator, {"rulebase": {**meta, "title": True}})  # yes/no is not text


def test_rulebase_limits_are_in_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    meta = {"id": "x", "title": "T", "version": "1", "effective": "2026-11-27", "regime": "foia"}
    limits = rule_file_schema()["$defs"]["rule_file"]["properties"]["rulebase"]["properties"]["limits"]
    assert "does not model" in limits["description"]
    assert errors(validator, {"rulebase": {**meta, "limits": ["Does not model the EIR."]}}) == []
    assert errors(validator, {"rulebase": {**meta, "limits": "Does not model the EIR."}})
    assert errors(validator, {"rulebase": {**meta, "limits": [{"eir": False}]}})
    assert errors(validator, {"rulebase": {**meta, "limits": [" "]}})


def test_scenario_files_validate_and_are_checked(validator: jsonschema.Draft202012Validator) -> None:
    scenario = {"name": "n", "answers": {"held": True}, "expect": {"outcome": "ncnd", "provisions": ["s24(2)"]}}
    assert errors(validator, {"scenarios": [scenario]}) == []
    assert errors(validator, {"scenarios": []})
    assert errors(validator, {"scenarios": [{**scenario, "expect": {"outcome": "maybe"}}]})
    assert errors(validator, {"scenarios": [{**scenario, "answers": {"Held": True}}]})
    assert errors(validator, {"scenarios": [scenario], "rules": []})  # one kind of file or the other


def test_a_scenario_file_may_declare_defaults(validator: jsonschema.Draft202012Validator) -> None:
    scenario = {"name": "n", "answers": {"held": True}, "expect": {"outcome": "ncnd", "provisions": ["s24(2)"]}}
    defaults = rule_file_schema()["$defs"]["scenario_file"]["properties"]["defaults"]
    assert "override" in defaults["description"]
    assert errors(validator, {"defaults": {"vexatious": False, "personal_data": "no"}, "scenarios": [scenario]}) == []
    assert errors(validator, {"defaults": {"Vexatious": False}, "scenarios": [scenario]})  # not a question id
    assert errors(validator, {"defaults": [{"vexatious": False}], "scenarios": [scenario]})  # a mapping, not a list
    assert errors(validator, {"defaults": {"vexatious": False}})  # defaults alone are no scenario file
    assert errors(validator, {"defaults": {"vexatious": False}, "rules": []})  # nor part of a rule file


def test_the_command_prints_and_writes_the_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == rule_file_schema()
    out = tmp_path / "ncnd-rules.schema.json"
    result = runner.invoke(app, ["rules", "schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == rule_file_schema_json()
