"""The located YAML reader: 1-based locations, duplicate keys, key text kept, anchors and merge keys refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase.yamlsource import YNode, parse_file, parse_text


def parse(text: str) -> tuple[YNode | None, list[Problem]]:
    problems: list[Problem] = []
    node = parse_text(text, "f.yaml", problems)
    return node, problems


def lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


# ---------------------------------------------------------------- locations


def test_locations_are_one_based_line_and_column() -> None:
    node, problems = parse("a: 1\nb:\n  c: [x, y]\n  d:\n    - e\n")
    assert not problems and node is not None
    assert node.loc == Location("f.yaml", 1, 1)
    assert node.key_locs["a"] == Location("f.yaml", 1, 1)
    assert node.value["a"].loc == Location("f.yaml", 1, 4)
    assert node.key_locs["b"] == Location("f.yaml", 2, 1)
    b = node.value["b"]
    assert b.loc == Location("f.yaml", 3, 3)
    assert b.key_locs["c"] == Location("f.yaml", 3, 3)
    assert [item.loc for item in b.value["c"].value] == [Location("f.yaml", 3, 7), Location("f.yaml", 3, 10)]
    assert b.value["d"].value[0].loc == Location("f.yaml", 5, 7)


def test_location_prints_as_path_line_col() -> None:
    assert str(Location("rules/foia/rules.yaml", 12, 5)) == "rules/foia/rules.yaml:12:5"
    problem = Problem(Location("x.yaml", 3, 1), "unknown-key", "unknown key 'q'", "did you mean 'id'?")
    assert str(problem) == "x.yaml:3:1: unknown-key: unknown key 'q' (hint: did you mean 'id'?)"
    assert str(Problem(Location("x.yaml", 3, 1), "empty-list", "no items")) == "x.yaml:3:1: empty-list: no items"


def test_plain_unwraps_every_node() -> None:
    node, _ = parse("a: [1, {b: true}]\nc: text\n")
    assert node is not None
    assert node.plain() == {"a": [1, {"b": True}], "c": "text"}
    assert node.is_map and node.value["a"].is_list and not node.value["c"].is_map


# ---------------------------------------------------------------- keys


def test_duplicate_key_is_reported_at_the_second_with_the_first_line_in_the_hint() -> None:
    node, problems = parse("id: one\ntitle: t\nid: two\n")
    assert lines(problems) == [
        "f.yaml:3:1: duplicate-key: duplicate key 'id' (hint: first given at line 1; remove one)"]
    assert node is not None and node.plain() == {"id": "one", "title": "t"}


def test_duplicate_keys_in_nested_and_flow_mappings() -> None:
    _, problems = parse("rules:\n  - id: a\n    stage: 1\n    stage: 2\n  - {id: b, id: c}\n")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [
        ("duplicate-key", 4, 5), ("duplicate-key", 5, 13)]


def test_the_same_key_in_different_mappings_is_fine() -> None:
    _, problems = parse("- id: a\n- id: b\n")
    assert problems == []


@pytest.mark.parametrize("key", ["no", "yes", "on", "off", "true", "false", "null", "~", "1", "2026-11-27"])
def test_keys_keep_their_source_text(key: str) -> None:
    node, problems = parse(f"{key}: value\n")
    assert not problems and node is not None
    assert list(node.value) == [key]


def test_no_as_a_value_is_still_yaml_false() -> None:
    node, _ = parse('no: no\nquoted: "no"\n')
    assert node is not None and node.plain() == {"no": False, "quoted": "no"}


def test_a_key_that_is_not_a_scalar_is_a_bad_key() -> None:
    node, problems = parse("? [a, b]\n: 1\nc: 2\n")
    assert [p.code for p in problems] == ["bad-key"]
    assert problems[0].location == Location("f.yaml", 1, 3)
    assert node is not None and node.plain() == {"c": 2}


# ---------------------------------------------------------------- anchors, aliases and merge keys are refused
# (nothing in rules/, examples/, evaluation/ or tests/fixtures/good uses them; an alias bomb is refused unexpanded)


def test_an_anchor_is_refused_where_it_is_set() -> None:
    node, problems = parse("a: &cite [x, y]\nb: *cite\n")
    assert node is None
    assert lines(problems) == ["f.yaml:1:4: yaml-alias: anchors and aliases (&cite) are not allowed "
                               "(hint: write each value out in full)"]


def test_an_alias_without_its_anchor_is_refused_too() -> None:
    node, problems = parse("a: [x]\nb: *cite\n")
    assert node is None
    assert [(p.code, p.location) for p in problems] == [("yaml-alias", Location("f.yaml", 2, 4))]


def test_a_merge_key_is_refused_and_the_rest_of_the_mapping_read() -> None:
    node, problems = parse("q:\n  <<: {stage: 1}\n  id: held\n")
    assert [(p.code, p.location) for p in problems] == [("yaml-alias", Location("f.yaml", 2, 3))]
    assert node is not None and node.plain() == {"q": {"id": "held"}}


def test_a_quoted_merge_key_is_plain_text() -> None:
    node, problems = parse("'<<': 3\n")
    assert not problems and node is not None and node.plain() == {"<<": 3}


# ---------------------------------------------------------------- documents, syntax, values


def test_empty_text_and_comments_only_are_no_document() -> None:
    assert parse("") == (None, [])
    assert parse("# nothing here\n") == (None, [])


def test_a_second_document_is_reported_and_the_first_is_kept() -> None:
    node, problems = parse("a: 1\n---\nb: 2\n")
    assert lines(problems) == ["f.yaml:3:1: multiple-documents: a file may hold only one YAML document "
                               "(hint: remove the `---` separator or split the file)"]
    assert node is not None and node.plain() == {"a": 1}


def test_a_leading_document_marker_is_fine() -> None:
    node, problems = parse("---\na: 1\n")
    assert not problems and node is not None and node.plain() == {"a": 1}


def test_syntax_error_is_located() -> None:
    node, problems = parse("a: 1\nb: [x, y\nc: 2\n")
    assert node is None
    assert [p.code for p in problems] == ["yaml-syntax"]
    assert problems[0].location.line == 3
    assert "indentation" in problems[0].hint


def test_a_tab_in_the_indentation_is_a_syntax_error() -> None:
    _, problems = parse("a:\n\tb: 1\n")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("yaml-syntax", 2, 1)]


def test_python_tags_on_scalars_are_refused() -> None:
    _, problems = parse("a: !!python/name:os.system\n")
    assert [p.code for p in problems] == ["yaml-value"]
    assert problems[0].location == Location("f.yaml", 1, 4)


def test_python_tags_on_collections_are_refused_too() -> None:
    node, problems = parse("a: !!python/object/apply:os.system [echo hi]\n")
    assert [(p.code, p.location) for p in problems] == [("yaml-value", Location("f.yaml", 1, 4))]
    from ncnd_assistant.rulebase.yamlsource import BROKEN

    assert node is not None and node.plain() == {"a": BROKEN}  # nothing constructed


def test_an_impossible_date_is_a_problem_not_a_crash() -> None:
    node, problems = parse("effective: 2026-13-45\n")
    assert [p.code for p in problems] == ["yaml-value"]
    assert problems[0].location == Location("f.yaml", 1, 12)


def test_a_recursive_alias_is_a_problem_not_a_crash() -> None:
    _, problems = parse("a: &loop [*loop]\n")
    assert [(p.code, p.location) for p in problems] == [("yaml-alias", Location("f.yaml", 1, 4))]


def test_control_characters_are_reported_not_raised() -> None:
    node, problems = parse("a: \x07\n")
    assert node is None
    assert [p.code for p in problems] == ["yaml-syntax"]


# ---------------------------------------------------------------- files


def test_parse_file_uses_the_display_path(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    problems: list[Problem] = []
    parse_file(path, "shown/x.yaml", problems)
    assert [str(p.location) for p in problems] == ["shown/x.yaml:2:1"]


def test_unreadable_and_missing_files_are_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\n")
    problems: list[Problem] = []
    assert parse_file(bad, "bad.yaml", problems) is None
    assert parse_file(tmp_path / "missing.yaml", "missing.yaml", problems) is None
    assert [(p.code, str(p.location)) for p in problems] == [("unreadable-file", "bad.yaml:1:1"),
                                                              ("unreadable-file", "missing.yaml:1:1")]
