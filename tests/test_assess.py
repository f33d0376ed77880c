"""assess(): two stages, official confirmation, missing answers, held-invariance, gating."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ncnd_assistant.decide.answers import Part, Request, load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError, RuleBaseError
from ncnd_assistant.rulebase.conditions import Eq, Value
from ncnd_assistant.rulebase.kinds import ConclusionKind, Stage
from ncnd_assistant.rulebase.model import Citation, Conclusion, Outcome, Rule, RuleBase
from tests.conftest import SEED

COVERT: dict[str, Value] = {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": False}


def part(answers: dict[str, Value], pid: str = "p") -> Part:
    return Part(pid, "a part", answers)


def test_a_covert_capability_is_neither_confirmed_nor_denied(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part(COVERT))
    assert pa.outcome is Outcome.NCND
    assert [c.provision.id for c in pa.decision.cited] == ["s31(3)"]
    assert pa.decision.cited[0].harm == "would_be_likely_to"
    assert pa.decision.public_interest is not None
    assert pa.decision.public_interest.balance is not None
    assert pa.decision.public_interest.balance.value == "maintain"


def test_stage_1_does_not_ask_or_use_held_when_it_ends_in_ncnd(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({**COVERT, "held": True}))
    assert "held" not in pa.asked and "held" in pa.ignored
    assert "held" not in {r.name for f in pa.explanation.fired for r in f.relied_on}


def test_official_confirmation_takes_ncnd_off_the_table(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({**COVERT, "officially_confirmed": True, "held": True}))
    assert pa.outcome is Outcome.DISCLOSE
    assert pa.stage1.blocked_by == ("official-confirmation-blocks-ncnd",)
    assert [c.provision.id for c in pa.stage1.set_aside] == ["s31(3)"]


def test_not_held_comes_from_stage_2(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({"covert_tactic": False, "held": False}))
    assert pa.outcome is Outcome.NOT_HELD and pa.decision.stage == 2


def test_why_not_names_the_first_failed_condition(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({"covert_tactic": False, "held": True}))
    (why_not,) = pa.explanation.not_engaged
    assert why_not.provision == "s31(3)"
    assert "is 'false' (needs 'true')" in why_not.failed


def test_answers_to_questions_that_do_not_apply_are_ignored(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({"covert_tactic": False, "crime_harm": "would", "held": False}))
    assert "crime_harm" in pa.ignored
    assert pa.outcome is Outcome.NOT_HELD


def test_missing_answers_are_listed_with_their_question_text(example: RuleBase) -> None:
    with pytest.raises(AnswersError) as caught:
        Assessor(example).assess(Request("X", (part({"covert_tactic": True}),)))
    messages = [p.message for p in caught.value.problems]
    assert any("'crime_harm'" in m and "prejudice the prevention or detection of crime" in m for m in messages)
    assert any("'officially_confirmed'" in m for m in messages)
    assert all(p.code == "missing-answer" for p in caught.value.problems)


def test_held_is_required_only_when_stage_2_is_reached(example: RuleBase) -> None:
    assessor = Assessor(example)
    assert assessor.missing(part(COVERT)) == []
    (problem,) = assessor.missing(part({"covert_tactic": False}))
    assert "'held'" in problem.message


def test_held_invariance_is_checked_for_every_ncnd_part(example: RuleBase) -> None:
    request = Request("X", (part(COVERT, "covert"), part({"covert_tactic": False, "held": False}, "overt")))
    assessment = Assessor(example).assess(request)
    assert assessment.held_invariance == {"covert": True}
    assert assessment.held_invariant


def _leaky(example: RuleBase) -> RuleBase:
    """A rule base (built past the loader's check) whose Stage 1 reads `held`."""
    leaky = Rule("leaky", Stage(1), Eq("held", True), Conclusion(ConclusionKind.BLOCK, "ncnd"), "leaks",
                 (Citation("x"),))
    return replace(example, rules=example.rules + (leaky,))


def test_stage_1_is_given_only_stage_1_answers_so_it_cannot_read_held(example: RuleBase) -> None:
    assessor = Assessor(_leaky(example), engine="python")
    pa = assessor.assess_part(part({**COVERT, "held": True}))
    assert pa.outcome is Outcome.NCND and "leaky" not in pa.fired
    assert assessor.held_invariant(part(COVERT))


def test_the_invariance_check_catches_a_stage_1_that_sees_held(example: RuleBase,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import ncnd_assistant.decide.assess as assess_module
    from ncnd_assistant.engine import gating

    real = gating.relevance

    def leaking_relevance(rb, stage, answers, base=None):  # type: ignore[no-untyped-def]
        rel = real(rb, stage, answers, base)
        if stage == 1 and "held" in answers:  # simulate a gating bug that lets `held` through
            rel.env["held"] = answers["held"]
        return rel

    monkeypatch.setattr(assess_module, "relevance", leaking_relevance)
    assert not Assessor(_leaky(example), engine="python").held_invariant(part(COVERT))


def test_conflicting_balances_without_precedence_are_an_error(example: RuleBase) -> None:
    rival = Rule("rival", Stage(1), Eq("crime_prejudice", True), Conclusion(ConclusionKind.BALANCE, "disclose"), "r",
                 (Citation("x"),))
    rb = replace(example, rules=example.rules + (rival,))
    with pytest.raises(RuleBaseError) as caught:
        Assessor(rb, engine="python").assess_part(part(COVERT))
    assert {p.code for p in caught.value.problems} == {"balance-conflict"}


def test_a_higher_priority_balance_wins_and_qualified_ncnd_falls(example: RuleBase) -> None:
    rival = Rule("rival", Stage(1), Eq("crime_prejudice", True), Conclusion(ConclusionKind.BALANCE, "disclose"), "r",
                 (Citation("x"),), priority=10)
    rb = replace(example, rules=example.rules + (rival,))
    pa = Assessor(rb, engine="python").assess_part(part({**COVERT, "held": True}))
    assert pa.outcome is Outcome.DISCLOSE
    assert [c.provision.id for c in pa.stage1.set_aside] == ["s31(3)"]


def test_a_qualified_provision_with_no_balance_is_not_relied_on_and_warns(example: RuleBase) -> None:
    rb = replace(example, rules=tuple(r for r in example.rules if r.then.kind != "balance"))
    pa = Assessor(rb, engine="python").assess_part(part({**COVERT, "held": True}))
    assert pa.outcome is Outcome.DISCLOSE
    assert any("no public-interest balance" in w for w in pa.warnings)


def test_durable_and_python_engines_give_identical_assessments(example: RuleBase) -> None:
    cases: tuple[dict[str, Value], ...] = (COVERT, {"covert_tactic": False, "held": True},
                                           {**COVERT, "officially_confirmed": True, "held": False})
    for answers in cases:
        a = Assessor(example).assess_part(part(answers))
        b = Assessor(example, engine="python").assess_part(part(answers))
        assert a == b


def test_disclosure_after_ncnd_was_set_aside_carries_a_warning(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(part({**COVERT, "officially_confirmed": True, "held": True}))
    assert pa.outcome is Outcome.DISCLOSE
    assert any("Stage 1 set aside s31(3)" in w for w in pa.warnings)
    plain = Assessor(example).assess_part(part({"covert_tactic": False, "held": True}))
    assert plain.outcome is Outcome.DISCLOSE and not plain.warnings


def test_parts_answering_a_request_wide_question_differently_are_warned(shipped: RuleBase,
                                                                         shipped_assessor: Assessor) -> None:
    request = load_request(SEED, shipped)
    covert = next(p for p in request.parts if p.id == "covert")
    changed = replace(request, parts=tuple(replace(p, answers={**p.answers, "vexatious": True, "environmental": False})
                                           if p is covert else p for p in request.parts))
    assessed = shipped_assessor.assess(changed)
    for pa in assessed.parts:
        assert any("applies to the whole request" in w for w in pa.warnings), pa.part.id
    assert not any("whole request" in w for pa in shipped_assessor.assess(request).parts for w in pa.warnings)


def _scenario_part(rb: RuleBase, prefix: str) -> Part:
    from ncnd_assistant.checks.scenarios import load_scenarios
    from tests.conftest import SHIPPED
    [scenario] = [s for s in load_scenarios(SHIPPED, rb) if s.name.startswith(prefix)]
    return scenario.part


def test_s24_2_is_cited_in_the_alternative_only_while_it_is_itself_maintained(
        shipped: RuleBase, shipped_assessor: Assessor) -> None:
    both = shipped_assessor.assess_part(_scenario_part(shipped, "a request about Special Branch liaison"))
    assert [(c.provision.id, c.in_the_alternative) for c in both.decision.cited] == [("s23(5)", True),
                                                                                    ("s24(2)", True)]
    assert not any("relied on without" in w for w in both.warnings)
    alone = shipped_assessor.assess_part(
        _scenario_part(shipped, "the public interest test sets aside s31(3) and s24(2)"))
    assert [(c.provision.id, c.in_the_alternative) for c in alone.decision.cited] == [("s23(5)", False)]
    assert any(w.startswith("s23(5) is relied on without s24(2)") for w in alone.warnings)
