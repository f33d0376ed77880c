"""The shipped rule base's files as an author reads them: one naming scheme (docs/rules.md, "File
names"), and scenario files that stay lean."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ncnd_assistant.checks.scenarios import scenario_files
from ncnd_assistant.decide.answers import check_answers
from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.yamlsource import YNode, parse_file
from tests.conftest import SHIPPED

FILE_NAME = re.compile(r"(?P<section>rulebase|questions|facts|provisions|notice|rules)"
                       r"(?P<stage>-stage[12])?(?P<topic>(?:-[a-z0-9]+)*)\.yaml")


def misnamed(folder: Path) -> list[str]:
    """The rule files of `folder` whose names break the scheme: a file is named after the one section it
    holds, with a kebab-case topic when the section is split over several files; a rule file names its
    stage (`rules-stage1-...`) unless its topic has rules at both stages (`rules-TOPIC.yaml`)."""
    found = []
    parsed = [(path, FILE_NAME.fullmatch(path.name)) for path in sorted(folder.glob("*.y*ml"))]
    split = Counter(m["section"] for _, m in parsed if m)
    for path, m in parsed:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if m is None or set(data) != {m["section"]}:
            found.append(f"{path.name}: name it after the one section it holds: SECTION.yaml or SECTION-TOPIC.yaml")
        elif (split[m["section"]] > 1) != bool(m["topic"]):
            found.append(f"{path.name}: a topic when, and only when, the {m['section']} section is split")
        elif m["section"] == "rules":
            stages = {rule["stage"] for rule in data["rules"]}
            want = {int(m["stage"][-1])} if m["stage"] else {1, 2}
            if stages != want:
                found.append(f"{path.name}: holds rules of stage {sorted(stages)}")
        elif m["stage"]:
            found.append(f"{path.name}: only rule files name a stage")
    return found


def test_the_shipped_rule_files_follow_one_naming_scheme() -> None:
    assert misnamed(SHIPPED) == []


def test_a_name_against_the_scheme_is_found(tmp_path: Path) -> None:
    rule = "{id: r, stage: 1, when: {a: true}, then: {derive: b}, because: c, citations: [d]}"
    (tmp_path / "provisions.yaml").write_text("provisions: []\n", encoding="utf-8")
    (tmp_path / "provisions-other.yaml").write_text("provisions: []\n", encoding="utf-8")
    (tmp_path / "questions_more.yaml").write_text("questions: []\n", encoding="utf-8")
    (tmp_path / "rules-stage2-cost.yaml").write_text(f"rules: [{rule}]\n", encoding="utf-8")
    (tmp_path / "rules-stage1-cost.yaml").write_text(f"rules: [{rule}]\nfacts: []\n", encoding="utf-8")
    assert misnamed(tmp_path) == [
        "provisions.yaml: a topic when, and only when, the provisions section is split",
        "questions_more.yaml: name it after the one section it holds: SECTION.yaml or SECTION-TOPIC.yaml",
        "rules-stage1-cost.yaml: name it after the one section it holds: SECTION.yaml or SECTION-TOPIC.yaml",
        "rules-stage2-cost.yaml: holds rules of stage [1]"]


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
