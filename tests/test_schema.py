"""The declarative shapes of rulebase.schema (and the condition shape, and the hints): each check
returns the value in its shape, or INVALID after reporting exactly where and why."""

from __future__ import annotations

from datetime import date
from typing import Any

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.condition_schema import ConditionSpec
from ncnd_assistant.rulebase.hints import closest, describe_value, did_you_mean
from ncnd_assistant.rulebase.schema import (
    INVALID,
    Bool,
    Date,
    Field,
    Int,
    ListOf,
    MapOf,
    Obj,
    Record,
    Spec,
    Str,
    StrOrObj,
)
from ncnd_assistant.rulebase.yamlsource import parse_text

PERSON = Obj("a person", {
    "name": Field(Str(), doc="the full name"),
    "age": Field(Int(), required=False, default=0),
    "retired": Field(Bool(), required=False, default=False),
})


def check(spec: Spec, text: str, what: str = "the value") -> tuple[Any, list[str]]:
    """The spec's value for the YAML `text` (read as f.yaml), and its problems as printed."""
    problems: list[Problem] = []
    node = parse_text(text, "f.yaml", problems)
    assert node is not None and not problems
    value = spec.check(node, problems, what)
    return value, [str(p) for p in problems]


# ---------------------------------------------------------------- records


def test_a_record_gives_its_values_defaults_and_where_each_came_from() -> None:
    value, problems = check(PERSON, "name: Ann\nage: 41\n")
    assert problems == []
    assert isinstance(value, Record)
    assert value.values == {"name": "Ann", "age": 41, "retired": False}
    assert value["name"] == "Ann" and value.get("missing", "none") == "none"
    assert value.at("age").loc == Location("f.yaml", 2, 6)
    assert value.at("retired").loc == Location("f.yaml", 1, 1)  # not given: the mapping itself


def test_a_missing_required_field_is_reported_at_the_mapping_with_its_doc_as_hint() -> None:
    value, problems = check(PERSON, "age: 41\n")
    assert value is INVALID
    assert problems == ["f.yaml:1:1: missing-field: a person is missing required key 'name' (hint: the full name)"]


def test_an_unknown_key_is_reported_at_the_key_with_a_did_you_mean() -> None:
    value, problems = check(PERSON, "name: Ann\nrtired: true\n")
    assert value is INVALID
    assert problems == ["f.yaml:2:1: unknown-key: unknown key 'rtired' in a person (hint: did you mean 'retired'?)"]


def test_an_unknown_key_unlike_any_lists_the_keys() -> None:
    _, problems = check(PERSON, "name: Ann\nzzz: 1\n")
    assert problems == ["f.yaml:2:1: unknown-key: unknown key 'zzz' in a person "
                        "(hint: expected one of: age, name, retired)"]


def test_every_problem_of_a_record_is_reported_not_only_the_first() -> None:
    _, problems = check(PERSON, "nme: Ann\nage: old\n")
    assert problems == [
        "f.yaml:1:1: unknown-key: unknown key 'nme' in a person (hint: did you mean 'name'?)",
        "f.yaml:2:6: wrong-type: 'age' must be a whole number, got 'old'",
        "f.yaml:1:1: missing-field: a person is missing required key 'name' (hint: the full name)",
    ]


# ---------------------------------------------------------------- wrong types


def test_a_wrong_type_names_what_was_expected_and_what_was_given() -> None:
    assert check(Bool(), "maybe\n", "'retired'") == (
        INVALID, ["f.yaml:1:1: wrong-type: 'retired' must be true or false, got 'maybe'"])
    assert check(Int(), "[1, 2]\n", "'age'") == (
        INVALID, ["f.yaml:1:1: wrong-type: 'age' must be a whole number, got a list"])
    assert check(PERSON, "- Ann\n", "the file") == (
        INVALID, ["f.yaml:1:1: wrong-type: the file must be a mapping, got a list"])


def test_text_given_a_yes_no_value_is_told_to_quote_it() -> None:
    value, problems = check(PERSON, "name: no\n")
    assert value is INVALID
    assert problems == ["f.yaml:1:7: wrong-type: 'name' must be text, got 'false' (a yes/no value) "
                        "(hint: quote it: \"...\")"]


def test_text_reads_numbers_as_their_text_and_rejects_blank_text() -> None:
    assert check(Str(), "2.5\n") == ("2.5", [])
    assert check(Str(), "' '\n", "'name'") == (
        INVALID, ["f.yaml:1:1: empty-value: 'name' is empty (hint: write some text)"])


def test_text_outside_its_choices_or_pattern_is_reported() -> None:
    regime = Str(choices=("foia", "eir", "foisa"))
    assert check(regime, "eri\n", "'regime'") == (
        INVALID, ["f.yaml:1:1: bad-value: 'regime' must be one of foia, eir, foisa; got 'eri' "
                  "(hint: did you mean 'eir'?)"])
    ident = Str(pattern=r"[a-z]+", pattern_hint="lower case letters")
    assert check(ident, "Abc\n", "question id") == (
        INVALID, ["f.yaml:1:1: bad-id: 'Abc' is not a well-formed question id (hint: lower case letters)"])


def test_a_whole_number_outside_its_choices_is_reported() -> None:
    assert check(Int(choices=(1, 2)), "3\n", "'stage'") == (
        INVALID, ["f.yaml:1:1: bad-value: 'stage' must be one of 1, 2; got 3"])


# ---------------------------------------------------------------- lists and mappings


def test_a_list_of_records_gives_each_record_and_reports_each_bad_item_where_it_is() -> None:
    people = ListOf(PERSON, min_items=1)
    value, problems = check(people, "- name: Ann\n- name: Bob\n  age: 7\n", "'people'")
    assert problems == []
    assert [r.values for r in value] == [{"name": "Ann", "age": 0, "retired": False},
                                         {"name": "Bob", "age": 7, "retired": False}]
    assert [r.node.loc for r in value] == [Location("f.yaml", 1, 3), Location("f.yaml", 2, 3)]
    value, problems = check(people, "- name: Ann\n- age: 7\n", "'people'")
    assert value is INVALID
    assert problems == ["f.yaml:2:3: missing-field: a person is missing required key 'name' (hint: the full name)"]


def test_list_items_are_named_by_their_position() -> None:
    assert check(ListOf(Int()), "[1, x]\n", "'ages'") == (
        INVALID, ["f.yaml:1:5: wrong-type: 'ages' item 2 must be a whole number, got 'x'"])


def test_a_list_may_be_left_empty_unless_it_needs_items() -> None:
    section = Obj("a file", {"people": Field(ListOf(PERSON)), "needed": Field(ListOf(Str(), min_items=1))})
    value, problems = check(section, "people:\nneeded: []\n", "the file")
    assert value is INVALID
    assert problems == ["f.yaml:2:9: empty-list: 'needed' needs at least 1 item(s)"]
    value, problems = check(section, "people:\nneeded: [x]\n", "the file")
    assert problems == [] and value.values == {"people": [], "needed": ["x"]}


def test_a_list_given_a_scalar_is_told_how_to_write_items() -> None:
    assert check(ListOf(Str()), "one\n", "'limits'") == (
        INVALID, ["f.yaml:1:1: wrong-type: 'limits' must be a list, got 'one' "
                  "(hint: start each item on its own line with `- `)"])


def test_a_map_of_checks_each_value_under_its_key() -> None:
    answers = MapOf(Bool())
    assert check(answers, "a: true\nb: false\n") == ({"a": True, "b": False}, [])
    value, problems = check(answers, "a: true\nb: 3\n")
    assert value == {"a": True, "b": INVALID}
    assert problems == ["f.yaml:2:4: wrong-type: 'b' must be true or false, got the number 3"]


def test_text_or_a_mapping_checks_whichever_was_given() -> None:
    citation = StrOrObj(Str(description="a citation"), Obj("a citation", {"ref": Field(Str())}))
    assert check(citation, "FOIA s24\n") == ("FOIA s24", [])
    value, problems = check(citation, "ref: FOIA s24\n")
    assert problems == [] and value.values == {"ref": "FOIA s24"}
    assert check(citation, "url: x\n") == (INVALID, [
        "f.yaml:1:1: unknown-key: unknown key 'url' in a citation (hint: expected one of: ref)",
        "f.yaml:1:1: missing-field: a citation is missing required key 'ref'",
    ])


# ---------------------------------------------------------------- dates


def test_a_date_is_read_from_yaml_or_from_quoted_text() -> None:
    assert check(Date(), "2026-11-27\n") == (date(2026, 11, 27), [])
    assert check(Date(), "'2026-11-27'\n") == (date(2026, 11, 27), [])


def test_a_date_in_another_form_is_reported_with_the_form_to_use() -> None:
    due = Obj("a request", {"due": Field(Date())})
    value, problems = check(due, "due: 27/11/2026\n")
    assert value is INVALID
    assert problems == ["f.yaml:1:6: wrong-type: 'due' must be a date YYYY-MM-DD, got '27/11/2026' "
                        "(hint: write it as 2026-11-27)"]
    assert check(due, "due: '2026-02-30'\n")[1] == [
        "f.yaml:1:6: wrong-type: 'due' must be a date YYYY-MM-DD, got '2026-02-30' (hint: write it as 2026-11-27)"]


def test_a_value_the_reader_could_not_read_is_not_reported_twice() -> None:
    problems: list[Problem] = []
    node = parse_text("due: 2026-02-30\n", "f.yaml", problems)
    assert node is not None and [p.code for p in problems] == ["yaml-value"]
    assert Obj("a request", {"due": Field(Date())}).check(node, problems, "the file") is INVALID
    assert [p.code for p in problems] == ["yaml-value"]


# ---------------------------------------------------------------- conditions


def test_a_condition_is_read_into_the_condition_language() -> None:
    value, problems = check(ConditionSpec(), "all:\n  - vexatious: false\n  - harm: {in: [low, high]}\n")
    assert problems == []
    assert isinstance(value, c.All) and value.loc == Location("f.yaml", 1, 1)
    first, second = value.items
    assert (first, second) == (c.Eq("vexatious", False, Location("f.yaml", 2, 5)),
                               c.In("harm", ("low", "high"), Location("f.yaml", 3, 5)))


def test_a_misspelt_keyword_in_a_condition_gets_a_did_you_mean() -> None:
    assert check(ConditionSpec(), "nto: [{a: true}]\n") == (INVALID, [
        "f.yaml:1:1: bad-condition: only `all` and `any` take a list of conditions, not 'nto' "
        "(hint: did you mean 'not'?)"])
    assert check(ConditionSpec(), "Any: [{a: true}]\n") == (INVALID, [
        "f.yaml:1:1: bad-condition: 'Any' is not a question or fact name, nor all/any/not "
        "(hint: did you mean 'any'?)"])


# ---------------------------------------------------------------- hints and JSON Schema


def test_did_you_mean_names_the_closest_option_or_lists_a_few() -> None:
    assert closest("Yes_No", ["yes_no", "text"]) == "yes_no"
    assert did_you_mean("chioce", ["yes_no", "choice", "text"]) == "did you mean 'choice'?"
    assert did_you_mean("zzz", ["b", "a", "a"]) == "expected one of: a, b"
    assert did_you_mean("zzz", [f"option{i}" for i in range(13)]) == ""


def test_values_are_named_as_a_reader_would_say_them() -> None:
    values: tuple[Any, ...] = ({}, [], True, None, 3, date(2026, 1, 2), "x")
    assert [describe_value(v) for v in values] == [
        "a mapping", "a list", "'true' (a yes/no value)", "nothing", "the number 3", "the date 2026-01-02", "'x'"]


def test_a_record_describes_itself_as_json_schema() -> None:
    assert PERSON.json_schema() == {
        "type": "object", "additionalProperties": False, "required": ["name"],
        "properties": {"name": {"type": ["string", "number"], "pattern": r"\S", "description": "the full name"},
                       "age": {"type": "integer"}, "retired": {"type": "boolean"}},
    }
