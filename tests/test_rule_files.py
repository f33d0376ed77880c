"""The shipped rule base's files as an author reads them: scenario files stay lean."""

from __future__ import annotations

from pathlib import Path

import pytest

from ncnd_assistant.checks.scenarios import scenario_files
from ncnd_assistant.decide.answers import check_answers
from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.yamlsource import YNode, parse_file
from tests.conftest import SHIPPED


def _answer_sets(scenario: YNode) -> list[YNode]:
    """The `answers` mappings of a scenario: its own, or one per part."""
    if "parts" in scenario.value:
        return [part.value["answers"] for part in scenario.value["parts"].value]
    return [scenario.value["answers"]]


def restated_defaults(rb: RuleBase, path: Path) -> list[str]:
    """Every answer in a scenario file that gives a question the value `defaults:` already gives it."""
    problems: list[Problem] = []
    node = parse_file(path, path.name, problems)
    assert node is not None and not problems, problems
    if "defaults" not in node.value:
        return []
    defaults, _ = check_answers(rb, node.value["defaults"].value)
    found = []
    for scenario in node.value["scenarios"].value:
        for answers in _answer_sets(scenario):
            typed, _ = check_answers(rb, answers.value)
            found += [f"{answers.key_locs[qid]}: {qid}" for qid, value in typed.items()
                      if qid in defaults and defaults[qid] == value]
    return found


@pytest.mark.parametrize("path", scenario_files(SHIPPED), ids=lambda p: p.name)
def test_no_case_restates_a_default_of_its_file(shipped: RuleBase, path: Path) -> None:
    assert restated_defaults(shipped, path) == [], "remove the answers the file's defaults already give"


def test_a_restated_default_is_found(shipped: RuleBase, tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "defaults: {vexatious: false, environmental: false}\n"
        "scenarios:\n"
        "  - name: one part\n"
        "    answers: {vexatious: no, environmental: true}\n"
        "    expect: {outcome: eir}\n"
        "  - name: two parts\n"
        "    parts:\n"
        "      - {id: a, answers: {vexatious: true}, expect: {outcome: refuse}}\n"
        "      - {id: b, answers: {environmental: false}, expect: {outcome: refuse}}\n", encoding="utf-8")
    assert restated_defaults(shipped, path) == ["cases.yaml:4:15: vexatious", "cases.yaml:9:27: environmental"]
