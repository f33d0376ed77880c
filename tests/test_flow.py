"""The interview's question flow and sessions, without a terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import Decision, PartState, Session, usable_reference
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Question, RuleBase

COVERT: dict[str, Value] = {
          "vexatious": False, "confirm_cost_exceeds": False, "security_body": False, "covert_tactic": True,
          "security_matter": False, "investigation": False, "confidential_source": False,
          "safety_concern": False, "personal_data": "no", "ns_harm": True, "le_harm": "would",
          "endanger": "no", "other_matters": False, "officially_confirmed": False, "request_specificity": "specific",
          "ncnd_pi_maintain": True,
          "ncnd_pi_reason": "A yes or no would tell offenders whether this capability exists here."}


def asked(question: Question | None) -> Question:
    """The question a step of the flow returns; failing the test when there is none."""
    assert question is not None
    return question


def walk(flow: Flow, part: PartState, answers: dict[str, Value]) -> list[str]:
    asked = []
    while (q := flow.next_question(part)) is not None:
        asked.append(q.id)
        flow.answer(part, q.id, answers[q.id])
    return asked


def test_held_is_never_asked_when_stage_1_ends_in_ncnd(shipped_assessor: Assessor) -> None:
    asked = walk(Flow(shipped_assessor), PartState("c", "covert"), {**COVERT, "held": True})
    assert "held" not in asked and asked[-2:] == ["ncnd_pi_maintain", "ncnd_pi_reason"]


def test_stage_1_is_settled_before_the_held_question(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    overt = {**COVERT, "covert_tactic": False, "held": True, "compliance_cost_exceeds": False,
             "content_security_body": False, "content_ns_harm": False, "content_investigation": False,
             "content_le_harm": "no", "content_endanger": "no", "content_personal_data": "no",
             "content_confidential_source": False}
    asked = walk(Flow(shipped_assessor), PartState("o", "overt"), overt)
    first_stage_2 = min(i for i, q in enumerate(asked) if shipped.question(q).stage == 2)
    assert asked[first_stage_2] == "held"
    assert all(shipped.question(q).stage == 1 for q in asked[:first_stage_2])


def test_back_returns_to_the_previous_question_and_keeps_later_answers(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("c", "covert")
    walk(flow, part, COVERT)
    before = dict(part.answers)
    assert asked(flow.back(part)).id == "ncnd_pi_reason"
    assert asked(flow.back(part)).id == "ncnd_pi_maintain"
    assert asked(flow.back(part)).id == "request_specificity"
    assert asked(flow.back(part)).id == "officially_confirmed"
    assert part.answers == before
    flow.answer(part, "officially_confirmed", False)
    assert flow.next_question(part) is None  # nothing else to ask: later answers kept


def test_changing_an_answer_drops_questions_that_no_longer_apply(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("c", "covert")
    walk(flow, part, COVERT)
    flow.goto(part, "covert_tactic")
    flow.answer(part, "covert_tactic", False)
    review = {item.question.id: item.applies for item in flow.review(part)}
    assert review["ns_harm"] is False and review["vexatious"] is True
    assert asked(flow.next_question(part)).id == "held"


def test_invalid_stored_answers_are_dropped_and_asked_again(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("c", "covert", answers={"ns_harm": "perhaps", "gone_question": True, "vexatious": False})
    assert sorted(flow.drop_invalid(part)) == ["gone_question", "ns_harm"]
    assert part.answers == {"vexatious": False}


def test_why_lists_the_provisions_that_depend_on_an_answer(shipped_assessor: Assessor) -> None:
    deps = Flow(shipped_assessor).dependents("le_harm")
    assert "s31(3)" in deps.provisions
    assert "ncnd-s31-3-law-enforcement-would" in deps.rules


def test_sessions_round_trip_and_are_private(tmp_path: Path) -> None:
    session = Session.new("A/B 1", tmp_path)
    session.parts = [PartState("p", "s", {"vexatious": False, "ns_harm": "likely"}, ["vexatious"], "ns_harm",
                               Decision("ncnd", "ncnd", ["s24(2)"], decided_at="2026-11-27T00:00:00+00:00"))]
    session.save()
    assert session.path.name.startswith("A-B-1-")
    assert oct(os.stat(session.path).st_mode & 0o777) == "0o600"
    loaded = Session.load(session.path)
    assert loaded.parts == session.parts and loaded.case_ref == "A/B 1"
    assert json.loads(session.path.read_text())["format"] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".session-")]  # no temp files left


def test_a_session_keeps_one_path_for_life_and_never_takes_a_command_as_its_reference(tmp_path: Path) -> None:
    session = Session.new("?", tmp_path)
    assert session.case_ref == "" and session.path.name.startswith("case-")
    session.save()
    first = session.path
    session.case_ref = "WMP 16883_18"
    session.save()
    assert session.path == first and Session.load(first).case_ref == "WMP 16883_18"
    assert [usable_reference(r) for r in ("", "  ", "?", "back", "Quit", "FOI/1")] == [False] * 5 + [True]


def test_the_factors_and_the_rules_view_are_offered_before_the_public_interest_answer(
        shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("c", "covert")
    while (question := flow.next_question(part)) is not None and question.id != "ncnd_pi_maintain":
        flow.answer(part, question.id, COVERT[question.id])
    assert question is not None and question.id == "ncnd_pi_maintain"
    pi = flow.weighing(part, question)
    assert pi is not None and pi.balance is not None and pi.balance.value == "maintain"
    assert pi.balance_rule == "ncnd-balance-specific-request"
    assert any("particular matter" in f for f in pi.against) and pi.for_
    assert flow.weighing(part, shipped_assessor.rulebase.question("le_harm")) is None


def test_the_stage_1_weighing_never_depends_on_whether_information_is_held(shipped_assessor: Assessor) -> None:
    answers = {k: v for k, v in COVERT.items() if k != "ncnd_pi_maintain"}
    held = shipped_assessor.interim_public_interest({**answers, "held": True}, 1)
    not_held = shipped_assessor.interim_public_interest({**answers, "held": False}, 1)
    assert held == not_held and held is not None


def test_a_general_request_whose_answer_would_not_harm_is_recommended_for_confirming_or_denying(
        shipped_assessor: Assessor) -> None:
    answers = {k: v for k, v in COVERT.items() if k != "ncnd_pi_maintain"}
    answers |= {"request_specificity": "general", "general_answer_harmful": False}
    pi = shipped_assessor.interim_public_interest(answers, 1)
    assert pi is not None and pi.balance is not None and pi.balance.value == "disclose"
    assert pi.balance_rule == "ncnd-balance-general-request-answer-not-harmful"


def test_a_request_wide_answer_is_shared_and_a_differing_one_is_flagged(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    first, second = PartState("a", "first"), PartState("b", "second")
    flow.answer(first, "vexatious", False)
    vexatious = shipped_assessor.rulebase.question("vexatious")
    assert flow.shared_answer([first, second], second, vexatious) == ("a", False)
    assert flow.shared_answer([first, second], second, shipped_assessor.rulebase.question("security_body")) is None
    flow.answer(second, "vexatious", True)
    assert flow.shared_answer([first, second], second, vexatious) is None  # answered: asked normally
    [note] = flow.request_wide_conflicts([first, second], second)
    assert "applies to the whole request" in note and "'a'" in note


def test_the_weighing_is_offered_once_before_the_officers_own_balance_answer(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("c", "covert")
    offered = []
    while (question := flow.next_question(part)) is not None and question.id != "ncnd_pi_maintain":
        if flow.weighing(part, question) is not None:
            offered.append(question.id)
        flow.answer(part, question.id, COVERT[question.id])
    assert offered == [] and question is not None and flow.weighing(part, question) is not None


def test_progress_counts_the_question_and_estimates_the_total(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("p", "s")
    seen = []
    for value in (False, False, False):
        question = flow.next_question(part)
        assert question is not None
        seen.append(flow.progress(part))
        flow.answer(part, question.id, value)
    assert [i for i, _ in seen] == [1, 2, 3]
    assert all(m >= i for i, m in seen)
    assert 10 <= seen[0][1] <= 30  # the likely path, not every question that might arise (61)
    flow.back(part)
    assert flow.progress(part)[0] == 3  # back at the third: still the third


def test_a_question_says_which_answer_it_follows_from(shipped_assessor: Assessor) -> None:
    flow = Flow(shipped_assessor)
    part = PartState("p", "s", {"vexatious": False, "confirm_cost_exceeds": False, "security_body": False,
                                "covert_tactic": True, "security_matter": False})
    because = flow.asked_because(part, shipped_assessor.rulebase.question("ns_harm"))
    assert "covert_tactic" in because and "security_matter" not in because
