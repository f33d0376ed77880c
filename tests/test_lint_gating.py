"""The linter asks questions as gating does: where its old, separate simulation of gating disagreed
with `engine.gating` and `decide`, it now lints as they behave.

Each rule base here is checked against every full answer set assessed for real (`every_walk`):
what lint says is never asked is never asked, what it says never fires never fires, and a
conflict it reports raises `balance-conflict` for some answers.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncnd_assistant.checks.lint import lint
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import RuleBaseError
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType, Stage
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

TODAY = date(2026, 11, 27)
CITE = (Citation("test"),)
META = Meta("t", "test", "0", date(2026, 1, 1), "foia")
PROVISIONS = (
    Provision("s23(5)", "FOIA 2000", "Security Bodies", Limb.NCND, "absolute", "class", "s", CITE),
    Provision("s31(3)", "FOIA 2000", "Law Enforcement", Limb.NCND, "qualified", "prejudice", "s", CITE),
    Provision("s14(1)", "FOIA 2000", "Vexatious", Limb.REFUSE, "absolute", "class", "s", CITE),
    Provision("s31(1)", "FOIA 2000", "Law Enforcement", Limb.WITHHOLD, "qualified", "prejudice", "s", CITE),
    Provision("s40(2)", "FOIA 2000", "Personal Information", Limb.WITHHOLD, "absolute", "class", "s", CITE),
)


def yes_no(qid: str, stage: int, ask_when: c.Condition | None = None) -> Question:
    return Question(qid, f"{qid}?", "h", QuestionType.YES_NO, Stage(stage), ask_when=ask_when)


def rule(rid: str, stage: int, when: c.Condition, kind: str, target: str, priority: int = 0) -> Rule:
    return Rule(rid, Stage(stage), when, Conclusion(ConclusionKind(kind), target), "r", CITE, priority=priority)


def rulebase(questions: tuple[Question, ...], rules: tuple[Rule, ...], facts: tuple[Fact, ...] = ()) -> RuleBase:
    return RuleBase(META, questions, facts, PROVISIONS, rules, "sha256:test")


def found(rb: RuleBase) -> list[tuple[str, str]]:
    """(code, message up to its colon) of lint's reasoning problems, sorted."""
    return sorted((p.code, p.message.split(":")[0]) for p in lint(rb, today=TODAY)
                  if p.code in ("question-never-asked", "rule-never-fires", "conflicting-rules", "condition-cycle"))


def every_walk(rb: RuleBase) -> tuple[set[str], set[str], set[frozenset[str]]]:
    """Over every full answer set, assessed for real: the questions asked, the rules fired, and
    the pairs of balance rules that raised a conflict."""
    assessor = Assessor(rb, engine="python")
    asked: set[str] = set()
    fired: set[str] = set()
    conflicts: set[frozenset[str]] = set()
    domains: list[list[c.Value]] = [[True, False] if q.type == "yes_no" else [ch.value for ch in q.choices]
                                    for q in rb.questions]
    for values in itertools.product(*domains):
        answers = dict(zip((q.id for q in rb.questions), values, strict=True))
        try:
            assessed = assessor.assess_part(Part("p", "", answers))
        except RuleBaseError as error:
            gave = {m[0]: m[1] for m in (re.findall(r"rule '([^']+)' gives balance '(\w+)'", p.message)[0]
                                         for p in error.problems)}
            conflicts |= {frozenset((x, y)) for x in gave for y in gave if gave[x] != gave[y]}
            continue
        asked |= set(assessed.asked)
        fired |= set(assessed.fired)
    return asked, fired, conflicts


def test_a_question_asked_only_once_a_refusal_is_certain_is_never_asked() -> None:
    # gating stops asking once the stage is settled (`settled`): with `a` yes the part is refused
    rb = rulebase((yes_no("a", 1), yes_no("b", 1, c.Eq("a", True))),
                  (rule("refuse", 1, c.Eq("a", True), "engage", "s14(1)"),
                   rule("use-b", 1, c.Eq("b", True), "engage", "s23(5)")))
    assert found(rb) == [("question-never-asked", "question 'b' is never asked"),
                         ("rule-never-fires", "rule 'use-b' never fires")]
    asked, fired, _ = every_walk(rb)
    assert "b" not in asked and "use-b" not in fired


def test_a_rule_on_a_question_left_unasked_by_settling_can_fire() -> None:
    # the old simulation asked `b` whatever happened, so it called this rule dead
    no_b = c.All((c.Eq("a", True), c.Not(c.Eq("b", True)), c.Not(c.Eq("b", False))))
    rb = rulebase((yes_no("a", 1), yes_no("b", 1)),
                  (rule("refuse", 1, c.Eq("a", True), "engage", "s14(1)"),
                   rule("without-b", 1, no_b, "engage", "s23(5)")))
    assert found(rb) == []
    assert "without-b" in every_walk(rb)[1]


def test_public_interest_questions_are_not_asked_when_no_qualified_provision_can_be_relied_on() -> None:
    # `balance_matters`: with only an absolute withholding limb, the balance questions never come,
    # so the two balances cannot conflict (the old simulation reported that they do)
    rb = rulebase((yes_no("held", 2), yes_no("pi_a", 2), yes_no("pi_b", 2)),
                  (rule("personal", 2, c.Eq("held", True), "engage", "s40(2)"),
                   rule("maintain", 2, c.Eq("pi_a", True), "balance", "maintain"),
                   rule("disclose", 2, c.Eq("pi_b", True), "balance", "disclose")))
    assert found(rb) == [("question-never-asked", "question 'pi_a' is never asked"),
                         ("question-never-asked", "question 'pi_b' is never asked"),
                         ("rule-never-fires", "rule 'disclose' never fires"),
                         ("rule-never-fires", "rule 'maintain' never fires")]
    asked, fired, conflicts = every_walk(rb)
    assert not {"pi_a", "pi_b"} & asked and not {"maintain", "disclose"} & fired and not conflicts


def test_an_absolute_ncnd_limb_blocked_by_its_id_leaves_stage_two_open() -> None:
    # the old simulation counted only `ncnd` and `absolute` blocks, so it thought `a` always settled
    rb = rulebase((yes_no("a", 1), yes_no("b", 1), yes_no("c", 2, c.Eq("a", True))),
                  (rule("ncnd", 1, c.Eq("a", True), "engage", "s23(5)"),
                   rule("block-s23-5", 1, c.Eq("b", True), "block", "s23(5)"),
                   rule("use-c", 2, c.Eq("c", True), "engage", "s40(2)")))
    assert found(rb) == []
    asked, fired, _ = every_walk(rb)
    assert "c" in asked and "use-c" in fired


def test_balances_that_meet_only_under_an_eir_routing_do_not_conflict() -> None:
    # an EIR routing decides Stage 1 before the balance is weighed (`decide_stage1`)
    rb = rulebase((yes_no("p", 1), yes_no("q", 1), yes_no("env", 1)),
                  (rule("ncnd", 1, c.Eq("p", True), "engage", "s31(3)"),
                   rule("maintain", 1, c.All((c.Eq("p", True), c.Eq("env", True))), "balance", "maintain"),
                   rule("disclose", 1, c.All((c.Eq("q", True), c.Eq("env", True))), "balance", "disclose"),
                   rule("eir", 1, c.Eq("env", True), "outcome", "eir")))
    assert found(rb) == []
    assert every_walk(rb)[2] == set()


def test_a_stage_two_rule_on_a_question_left_unasked_by_stage_two_settling_can_fire() -> None:
    # `m` is asked only when `a` is no, and with `a` yes Stage 1 settles (NCND): but with `a` no and
    # `b` yes, Stage 2 is refused before `m`'s turn, so `m` goes unasked in an open Stage 2 and
    # `not (m in [p, q])` holds there (lint once searched without following Stage 2's settling)
    m = Question("m", "M?", "h", QuestionType.CHOICE, Stage(2), (Choice("p", "P"), Choice("q", "Q")),
                 ask_when=c.Eq("a", False))
    rb = rulebase((yes_no("a", 1), yes_no("b", 1), m),
                  (rule("ncnd", 1, c.Eq("a", True), "engage", "s23(5)"),
                   rule("without-m", 2, c.Not(c.In("m", ("p", "q"))), "derive", "f2"),
                   rule("refuse", 2, c.Eq("b", True), "engage", "s14(1)")),
                  (Fact("f2", "F2"),))
    assert found(rb) == []
    assert "without-m" in every_walk(rb)[1]


# ---------------------------------------------------------------- soundness against gating

DOMAINS: dict[str, list[c.Value]] = {"a": [True, False], "b": [True, False], "k": ["x", "y", "z"],
                                     "h": [True, False], "m": ["p", "q"], "f1": [True, False], "f2": [True, False]}
STAGE1 = ["a", "b", "k", "f1"]
KINDS = {1: [("engage", "s23(5)"), ("engage", "s31(3)"), ("engage", "s14(1)"), ("outcome", "eir"),
             ("block", "ncnd"), ("block", "absolute"), ("block", "harm_based"), ("block", "s31(3)"),
             ("balance", "maintain"), ("balance", "disclose")],
         2: [("engage", "s31(1)"), ("engage", "s40(2)"), ("engage", "s14(1)"), ("outcome", "not_held"),
             ("outcome", "eir"), ("block", "s31(1)"), ("balance", "maintain"), ("balance", "disclose")]}


def conditions(names: list[str]) -> st.SearchStrategy[c.Condition]:
    name = st.sampled_from(names)
    leaf = st.one_of(name.flatmap(lambda n: st.sampled_from(DOMAINS[n]).map(lambda v: c.Eq(n, v))),
                     name.flatmap(lambda n: st.lists(st.sampled_from(DOMAINS[n]), min_size=1, max_size=2,
                                                     unique=True).map(lambda vs: c.In(n, tuple(vs)))))
    return st.recursive(leaf, lambda inner: st.one_of(
        inner.map(c.Not),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: c.All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: c.AnyOf(tuple(xs)))), max_leaves=5)


@st.composite
def gated_rulebases(draw: st.DrawFn) -> RuleBase:
    """Random rules of every kind gating and the decision look at, over five gated questions."""
    def gate(names: list[str]) -> c.Condition | None:
        return draw(st.none() | conditions(names))

    k = Question("k", "K?", "h", QuestionType.CHOICE, Stage(1), (Choice("x", "X"), Choice("y", "Y"), Choice("z", "Z")),
                 ask_when=gate(["a", "b", "f1"]))
    m = Question("m", "M?", "h", QuestionType.CHOICE, Stage(2), (Choice("p", "P"), Choice("q", "Q")),
                 ask_when=gate(STAGE1 + ["h"]))
    questions = (yes_no("a", 1), yes_no("b", 1, gate(["a"])), k, yes_no("h", 2, gate(STAGE1)), m)
    rules = [rule("derive-f1", 1, draw(conditions(["a", "b", "k"])), "derive", "f1"),
             rule("derive-f2", 2, draw(conditions(STAGE1 + ["h", "m"])), "derive", "f2")]
    for stage, names in ((1, STAGE1), (2, STAGE1 + ["h", "m", "f2"])):
        for kind, target in draw(st.lists(st.sampled_from(KINDS[stage]), min_size=1, max_size=5)):
            rules.append(rule(f"r{len(rules)}", stage, draw(conditions(names)), kind, target, draw(st.integers(0, 1))))
    return rulebase(questions, tuple(rules), (Fact("f1", "F1"), Fact("f2", "F2")))


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rb=gated_rulebases())
def test_what_lint_proves_holds_for_every_answer_set(rb: RuleBase) -> None:
    problems = lint(rb, today=TODAY)
    asked, fired, conflicts = every_walk(rb)
    for p in problems:
        named = re.findall(r"'([^']+)'", p.message)
        if p.code == "question-never-asked":
            assert named[0] not in asked, str(p)
        elif p.code == "rule-never-fires":
            assert named[0] not in fired, str(p)
        elif p.code == "conflicting-rules":
            assert frozenset(named[:2]) in conflicts, str(p)
