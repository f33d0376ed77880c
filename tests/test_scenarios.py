"""The shipped rule base's YAML scenarios, its coverage, and engine agreement on random answers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant.checks.scenarios import Scenario, ScenarioResult, load_scenarios, run_scenario
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.engine.gating import balance_inputs, relevance
from ncnd_assistant.errors import AnswersError, ContradictionError, RuleBaseError
from ncnd_assistant.render.rulebook_index import exercises, not_engaged
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import SHIPPED, shipped_rulebase, shipped_scenarios


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per shipped scenario: the ids are needed at collection, from the session's one load."""
    if "scenario" in metafunc.fixturenames:
        found = shipped_scenarios()
        metafunc.parametrize("scenario", found, ids=[s.slug for s in found])


@pytest.fixture(scope="module")
def python_assessor(shipped: RuleBase) -> Assessor:
    return Assessor(shipped, engine="python")


@pytest.fixture(scope="module")
def run(shipped_assessor: Assessor) -> Callable[[Scenario], ScenarioResult]:
    """run_scenario with the shipped assessor, each scenario run once for the module."""
    done: dict[int, ScenarioResult] = {}

    def run_once(scenario: Scenario) -> ScenarioResult:
        if id(scenario) not in done:  # the scenarios are the session's one tuple
            done[id(scenario)] = run_scenario(shipped_assessor, scenario)
        return done[id(scenario)]
    return run_once


def test_scenario(run: Callable[[Scenario], ScenarioResult], scenario: Scenario) -> None:
    result = run(scenario)
    assert result.passed, f"{scenario.loc}: {result.message}"


def test_scenarios_cover_every_rule_question_outcome_and_provision(
        shipped: RuleBase, run: Callable[[Scenario], ScenarioResult], scenarios: tuple[Scenario, ...]) -> None:
    results = [run(s) for s in scenarios]
    fired = {rid for r in results for rid in r.fired}
    asked = {qid for r in results for qid in r.asked}
    outcomes = {r.outcome for r in results}
    engaged = {shipped.rule(rid).then.target for rid in fired if shipped.rule(rid).then.kind == "engage"}
    assert sorted(r.id for r in shipped.rules if r.id not in fired) == [], "rules never fired by a scenario"
    assert sorted(q.id for q in shipped.questions if q.id not in asked) == [], "questions never asked by a scenario"
    assert outcomes - {o.value for o in Outcome} == {"contradiction:general_answer_harmful"}
    assert {o.value for o in Outcome} <= outcomes
    assert sorted(p.id for p in shipped.provisions if p.id not in engaged) == [], "provisions never engaged"


def test_every_provision_is_engaged_twice_and_considered_but_not_engaged_once(
        shipped: RuleBase, run: Callable[[Scenario], ScenarioResult], scenarios: tuple[Scenario, ...]) -> None:
    """Issue 6: at least two scenarios where each provision is engaged, one where it is not."""
    runs = [run(s) for s in scenarios]
    counts = {p.id: (sum(exercises(r, p.id) for r in runs), len(not_engaged(shipped, p, runs)))
              for p in shipped.provisions}
    thin = {pid: c for pid, c in counts.items() if c[0] < 2 or c[1] < 1}
    assert thin == {}, "provisions lacking scenarios (engaged, not engaged)"


def test_there_are_scenarios_for_the_seed_neighbours(scenarios: tuple[Scenario, ...]) -> None:
    assert len(scenarios) >= 25


@st.composite
def random_answers(draw: st.DrawFn, rb: RuleBase) -> dict[str, Value]:
    answers: dict[str, Value] = {}
    for q in rb.questions:
        if q.type == "yes_no":
            answers[q.id] = draw(st.booleans())
        elif q.type == "choice":
            answers[q.id] = draw(st.sampled_from([c.value for c in q.choices]))
        else:  # text: as many words as the question needs (a reason needs at least `min_words`)
            words = draw(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=5),
                                  min_size=max(q.min_words, 1), max_size=max(q.min_words, 1) + 3))
            answers[q.id] = " ".join(words)
    return answers


# The strategies need the rule base when Hypothesis first draws, not at import.
SHIPPED_ANSWERS = st.deferred(lambda: random_answers(shipped_rulebase()))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(answers=SHIPPED_ANSWERS)
def test_durable_and_the_python_evaluator_agree_on_the_shipped_rule_base(
        shipped: RuleBase, shipped_assessor: Assessor, python_assessor: Assessor, answers: dict[str, Value]) -> None:
    from ncnd_assistant.decide.answers import Part

    part = Part("random", "random answers", answers)
    try:
        by_durable = shipped_assessor.assess_part(part)
    except ContradictionError as clash:  # answers that contradict each other: both engines must say so
        with pytest.raises(ContradictionError) as again:
            python_assessor.assess_part(part)
        assert (again.value.question, again.value.fired) == (clash.question, clash.fired)
        return
    except AnswersError:  # pragma: no cover - every question answered
        pytest.fail("a full answer set was reported incomplete")
    assert by_durable == python_assessor.assess_part(part)
    if by_durable.outcome is Outcome.NCND:
        assert shipped_assessor.held_invariant(part)
    env1 = relevance(shipped, 1, answers).env
    assert all(shipped.question(q).stage == 1 for q in env1)


Gating = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], dict[str, Value]]


def _reference_relevance(rb: RuleBase, stage: int, answers: dict[str, Value],
                         base: dict[str, Value] | None = None) -> Gating:
    """Question gating computed the slow, obvious way: every fact derived afresh for every question,
    and before every question whether the stage is already settled (EIR routing, refusal, not held)."""
    from ncnd_assistant.engine.evaluator import derive3
    from ncnd_assistant.rulebase import conditions as cond

    env = dict(base or {})
    questions = rb.stage_questions(stage)
    later = {q.id for q in questions}
    asked: list[str] = []
    missing: list[str] = []
    maybe: list[str] = []
    ignored: list[str] = []

    def settled() -> bool:  # an EIR routing, a refusal or (Stage 2) not held is certain
        values, unknown = derive3(rb, stage, env, set(missing) | set(maybe) | later)
        rules = rb.stage_rules(stage)
        groups = [[r for r in rules if r.then.kind == "outcome" and r.then.target == "eir"],
                  [r for r in rules if r.then.kind == "engage" and rb.provision(r.then.target).limb == "refuse"]]
        if stage == 2:
            groups += [[r for r in rules if r.then.kind == "outcome" and r.then.target == "not_held"]]
        for group in groups:
            results = {cond.holds3(r.when, values, unknown) for r in group}
            if True in results:
                return True
            if None in results:
                return False
        return False

    def balance_matters(unknown_now: set[str]) -> bool:  # a qualified provision may still be relied on
        values, unknown = derive3(rb, stage, env, unknown_now)
        limb = "ncnd" if stage == 1 else "withhold"
        rules = rb.stage_rules(stage)
        blocks = [r.then.target for r in rules if r.then.kind == "block" and cond.holds3(r.when, values, unknown)]
        return any(cond.holds3(r.when, values, unknown) is not False
                   and not any(rb.provision(r.then.target).blocked_by(b) for b in blocks)
                   for r in rules if r.then.kind == "engage" and rb.provision(r.then.target).limb == limb
                   and rb.provision(r.then.target).qualified)

    for q in questions:
        if settled():
            ignored += [rest.id for rest in questions if rest.id in later and rest.id in answers]
            break
        later.discard(q.id)
        applies: bool | None = True
        if q.ask_when is not None:
            values, unknown = derive3(rb, stage, env, set(missing) | set(maybe) | later | {q.id})
            applies = cond.holds3(q.ask_when, values, unknown)
        if applies is not False and q.id in balance_inputs(rb, stage) and not balance_matters(
                set(missing) | set(maybe) | later | {q.id}):
            applies = False
        if applies is False:
            if q.id in answers:
                ignored.append(q.id)
            continue
        if q.id in answers:
            asked.append(q.id)
            env[q.id] = answers[q.id]
        elif applies:
            missing.append(q.id)
        else:
            maybe.append(q.id)
    return tuple(asked), tuple(missing), tuple(maybe), tuple(ignored), env


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(answers=SHIPPED_ANSWERS, keep=st.lists(st.booleans(), min_size=80, max_size=80))
def test_fast_gating_agrees_with_the_obvious_reference(
        shipped: RuleBase, answers: dict[str, Value], keep: list[bool]) -> None:
    partial = {k: v for (k, v), kept in zip(answers.items(), keep * 2, strict=False) if kept}
    for stage in (1, 2):
        rel = relevance(shipped, stage, partial)
        reference = _reference_relevance(shipped, stage, partial)
        assert (rel.asked, rel.missing, rel.maybe, rel.ignored, rel.env) == reference


def test_a_scenario_is_one_part_or_a_request_of_several(
        tmp_path: Path, shipped: RuleBase, shipped_assessor: Assessor) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules, ignore=shutil.ignore_patterns("scenarios"))
    (rules / "scenarios").mkdir()
    (rules / "scenarios" / "x.yaml").write_text(
        "scenarios:\n"
        "  - name: two parts\n"
        "    parts:\n"
        "      - {id: a, answers: {vexatious: y, environmental: n}, expect: {outcome: refuse, provisions: [s14(1)]}}\n"
        "      - {id: b, summary: the second, answers: {vexatious: y, environmental: n}, expect: {outcome: refuse}}\n"
        "  - name: neither form\n", encoding="utf-8")
    with pytest.raises(RuleBaseError) as caught:
        load_scenarios(rules, shipped)
    [problem] = caught.value.problems
    assert problem.code == "bad-scenario" and "'neither form'" in problem.message
    (rules / "scenarios" / "x.yaml").write_text(
        "scenarios:\n"
        "  - name: two parts\n"
        "    parts:\n"
        "      - {id: a, answers: {vexatious: y, environmental: n}, expect: {outcome: refuse, provisions: [s14(1)]}}\n"
        "      - {id: b, summary: the second, answers: {vexatious: y, environmental: n}, expect: {outcome: refuse}}\n",
        encoding="utf-8")
    first, second = load_scenarios(rules, shipped)
    assert (first.part.id, first.name) == ("a", "two parts (part 'a')")
    assert second.name == "two parts (part 'b': the second)"
    assert run_scenario(shipped_assessor, first).passed and not run_scenario(shipped_assessor, second).passed


def test_a_scenario_file_may_declare_defaults_that_each_case_overrides(
        tmp_path: Path, shipped: RuleBase, shipped_assessor: Assessor) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules, ignore=shutil.ignore_patterns("scenarios"))
    (rules / "scenarios").mkdir()
    (rules / "scenarios" / "x.yaml").write_text(
        "defaults: {vexatious: false, environmental: false}\n"
        "scenarios:\n"
        "  - name: inherits\n"
        "    answers: {confirm_cost_exceeds: true, confirm_cost_estimate: 40 hours searching files by hand,\n"
        "              cost_advice: a request for one year could be searched within the limit}\n"
        "    expect: {outcome: refuse, provisions: [s12(2)]}\n"
        "  - name: overrides\n"
        "    answers: {vexatious: true}\n"
        "    expect: {outcome: refuse, provisions: [s14(1)]}\n", encoding="utf-8")
    first, second = load_scenarios(rules, shipped)
    assert first.part.answers["vexatious"] is False and second.part.answers["vexatious"] is True
    assert all(run_scenario(shipped_assessor, s).passed for s in (first, second))
