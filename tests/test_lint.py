"""The rule-base linter: one fixture per code, clean rule bases, documented codes, soundness.

Each folder under tests/fixtures/lint/ is a small rule base (the good example with one thing
changed) and an `expected.txt` holding the exact `str(Problem)` lines of `lint`. The test runs from
tests/fixtures/lint, so paths read `rule-never-fires/rulebase.yaml:77:7: ...`. To rewrite the
expected files after an intended change of message, run

    NCND_UPDATE_GOLDEN=1 pytest tests/test_lint.py
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncnd_assistant.checks.lint import has_errors, lint
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType, Stage
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import (
    Choice,
    Citation,
    Conclusion,
    Fact,
    Limb,
    Meta,
    Provision,
    Question,
    Rule,
    RuleBase,
)
from tests.conftest import EXAMPLE, ROOT, SHIPPED
from tests.test_engine import conditions

LINT = ROOT / "tests" / "fixtures" / "lint"
CASES = sorted(p.name for p in LINT.iterdir() if p.is_dir())
TODAY = date(2026, 11, 27)
UPDATE = bool(os.environ.get("NCND_UPDATE_GOLDEN"))
WARNINGS = {"stale-citation", "unused-fact", "provision-never-engaged"}


@pytest.mark.parametrize("name", CASES)
def test_each_lint_fixture_gives_exactly_its_expected_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT)
    problems = lint(load_rulebase(name), today=TODAY)
    actual = "".join(f"{p}\n" for p in problems)
    expected = LINT / name / "expected.txt"
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")
    assert name in {p.code for p in problems}, f"fixture {name} does not show its code"
    for problem in problems:
        assert problem.severity == ("warning" if problem.code in WARNINGS else "error"), str(problem)
        assert problem.location.line > 0 and problem.location.path.startswith(name)
    assert problems == sorted(problems, key=lambda p: p.sort_key())


@pytest.mark.slow  # lints two whole rule bases: over 1 s of CPU
def test_the_good_example_and_the_shipped_rule_base_lint_clean() -> None:
    for folder in (EXAMPLE, SHIPPED):
        problems = lint(load_rulebase(folder))
        assert problems == [], "\n".join(map(str, problems))
        assert not has_errors(problems)


def test_missing_citation_is_an_error_on_rules_and_provisions(example: RuleBase) -> None:
    # The loader requires citations, so this can only be built in code.
    rule = replace(example.rules[0], citations=())
    provision = replace(example.provisions[0], citations=())
    rb = replace(example, rules=(rule, *example.rules[1:]), provisions=(provision,))
    problems = [p for p in lint(rb, today=TODAY) if p.code == "missing-citation"]
    assert [p.message for p in problems] == ["provision 's31(3)' has no citation",
                                             "rule 'crime-prejudice-from-covert-tactic' has no citation"]
    assert all(p.severity == "error" and p.location.line > 0 for p in problems)


def test_citation_age_is_configurable(example: RuleBase) -> None:
    assert [p.code for p in lint(example, today=TODAY, max_citation_age_days=30)] == ["stale-citation"]
    assert lint(example, today=TODAY) == []
    stale = lint(example, today=date(2030, 1, 1))
    assert [p.severity for p in stale] == ["warning"] and not has_errors(stale)


CITE = (Citation("test"),)
META = Meta("t", "test", "0", date(2026, 1, 1), "foia")
NCND = Provision("s24(2)", "FOIA 2000", "National Security", Limb.NCND, "absolute", "class", "s", CITE)
WITHHOLD = Provision("s31(1)", "FOIA 2000", "Law Enforcement", Limb.WITHHOLD, "absolute", "class", "s", CITE)


def test_a_stage2_question_and_rule_after_stage1_always_settles() -> None:
    questions = (Question("a", "A?", "h", QuestionType.YES_NO, Stage(1)),
                 Question("b", "B?", "h", QuestionType.YES_NO, Stage(2)),
                 Question("c", "C?", "h", QuestionType.YES_NO, Stage(2), ask_when=c.Eq("a", True)))
    rules = (Rule("ncnd", Stage(1), c.Eq("a", True), Conclusion(ConclusionKind.ENGAGE, "s24(2)"), "r", CITE),
             Rule("use-b", Stage(2), c.Eq("b", True), Conclusion(ConclusionKind.ENGAGE, "s31(1)"), "r", CITE),
             Rule("use-c", Stage(2), c.Eq("c", True), Conclusion(ConclusionKind.ENGAGE, "s31(1)"), "r", CITE))
    rb = RuleBase(META, questions, (), (NCND, WITHHOLD), rules, "sha256:test")
    problems = lint(rb, today=TODAY)
    assert [(p.code, p.message.split(":")[0]) for p in problems] == [
        ("question-never-asked", "stage-2 question 'c' is never asked"),
        ("rule-never-fires", "stage-2 rule 'use-c' never fires")]


# ---------------------------------------------------------------- documentation


def lint_codes() -> set[str]:
    """The code argument of each `Problem(...)` call in the linter's modules (checks/lint*.py)."""
    codes = set()
    for module in sorted((ROOT / "ncnd_assistant" / "checks").glob("lint*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem":
                arg = node.args[1]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                codes.add(arg.value)
    return codes


def test_every_lint_code_is_documented_and_has_a_fixture_or_a_test() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([a-z0-9-]+)`\s*\|", text, re.MULTILINE))
    codes = lint_codes()
    assert len(codes) >= 8
    assert codes <= documented, f"undocumented lint codes: {sorted(codes - documented)}"
    assert codes - {"missing-citation"} <= set(CASES), "a lint code without a fixture"


# ---------------------------------------------------------------- soundness

QUESTIONS = (
    Question("a", "A?", "h", QuestionType.YES_NO, Stage(1)),
    Question("b", "B?", "h", QuestionType.YES_NO, Stage(1)),
    Question("k", "K?", "h", QuestionType.CHOICE, Stage(1), (Choice("x", "X"), Choice("y", "Y"), Choice("z", "Z"))),
    Question("m", "M?", "h", QuestionType.CHOICE, Stage(1), (Choice("p", "P"), Choice("q", "Q"))),
)


@st.composite
def gated_rulebases(draw: st.DrawFn) -> RuleBase:
    """Random rules over four gated questions and two chained facts (as test_engine builds them)."""
    questions = [QUESTIONS[0]]
    for q in QUESTIONS[1:]:
        earlier = [o.id for o in questions] + (["f1"] if draw(st.booleans()) else [])
        gate = draw(st.none() | conditions(earlier))
        questions.append(replace(q, ask_when=gate))
    answers = ["a", "b", "k", "m"]
    rules = [
        Rule("derive-f1", Stage(1), draw(conditions(answers)), Conclusion(ConclusionKind.DERIVE, "f1"), "r", CITE),
        Rule("derive-f2", Stage(1), draw(conditions(answers + ["f1"])), Conclusion(ConclusionKind.DERIVE, "f2"),
             "r", CITE),
    ]
    for i in range(draw(st.integers(1, 5))):
        rules.append(Rule(f"r{i}", Stage(1), draw(conditions(answers + ["f1", "f2"])),
                          Conclusion(ConclusionKind.ENGAGE, "s24(2)"), "r", CITE))
    return RuleBase(META, tuple(questions), (Fact("f1", "F1"), Fact("f2", "F2")), (NCND,), tuple(rules),
                    "sha256:test")


full_answers = st.fixed_dictionaries({"a": st.booleans(), "b": st.booleans(), "k": st.sampled_from(["x", "y", "z"]),
                                      "m": st.sampled_from(["p", "q"])})


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rb=gated_rulebases(), cases=st.lists(full_answers, min_size=1, max_size=10))
def test_a_rule_lint_says_never_fires_never_fires(rb: RuleBase, cases: list[dict[str, c.Value]]) -> None:
    problems = lint(rb, today=TODAY)
    dead = {rule.id for rule in rb.rules if any(
        p.code == "rule-never-fires" and f"'{rule.id}'" in p.message for p in problems)}
    never_asked = {q.id for q in rb.questions if any(
        p.code == "question-never-asked" and f"'{q.id}'" in p.message for p in problems)}
    assessor = Assessor(rb, engine="python")
    for answers in cases:
        try:
            assessed = assessor.assess_part(Part("p", "", dict(answers)))
        except AnswersError:  # pragma: no cover - every question is answered
            continue
        assert not dead & set(assessed.fired), (answers, [str(p) for p in problems])
        assert not never_asked & set(assessed.asked), (answers, [str(p) for p in problems])
