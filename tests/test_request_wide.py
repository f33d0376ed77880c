"""decide/request_wide.py: the checks across the parts of one request (request-wide answers, the
protective "any other information" part, the requester's fallback)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ncnd_assistant.decide.answers import ANY_OTHER, load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.request_wide import (
    apply_fallbacks,
    protective_notes,
    request_wide_notes,
    with_request_wide_warnings,
)
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import ROOT

ANSWERS = ROOT / "tests" / "fixtures" / "answers"


def assessed(assessor: Assessor, name: str) -> tuple[PartAssessment, ...]:
    """Each part of tests/fixtures/answers/NAME.yaml assessed on its own (no request-wide checks)."""
    request = load_request(ANSWERS / f"{name}.yaml", assessor.rulebase)
    return tuple(assessor.assess_part(part) for part in request.parts)


@pytest.fixture(scope="module")
def pattern(shipped_assessor: Assessor) -> tuple[PartAssessment, PartAssessment]:
    """'Not held' for overt use, and NCND for any other (covert) information."""
    overt, other = assessed(shipped_assessor, "any-other-information")
    assert (overt.outcome, other.outcome, other.part.kind) == (Outcome.NOT_HELD, Outcome.NCND, ANY_OTHER)
    return overt, other


@pytest.fixture(scope="module")
def fallback(shipped_assessor: Assessor) -> tuple[PartAssessment, PartAssessment]:
    """All records since 2010 (refused under s12(1)) or, as the requester's fallback, only 2024."""
    main, only_2024 = assessed(shipped_assessor, "cost-fallback")
    assert (main.outcome, [c.provision.id for c in main.decision.cited]) == (Outcome.REFUSE, ["s12(1)"])
    assert only_2024.part.fallback_for == main.part.id == "since_2010"
    return main, only_2024


# ---------------------------------------------------------------- request-wide answers


def test_parts_that_agree_on_request_wide_questions_get_no_note(shipped: RuleBase) -> None:
    answered: dict[str, dict[str, Value]] = {
        "a": {"vexatious": False, "cost_advice": "one year  would do"},
        "b": {"vexatious": False, "cost_advice": "one year  would do", "covert_tactic": True},
        "c": {"covert_tactic": False}}  # a question that is not request-wide may differ
    assert request_wide_notes(shipped, answered) == {}


def test_parts_that_differ_on_a_request_wide_question_are_each_told(shipped: RuleBase) -> None:
    notes = request_wide_notes(shipped, {"a": {"vexatious": True}, "b": {"vexatious": False}, "c": {}})
    text = shipped.question("vexatious").text
    expected = (f"'{text}' applies to the whole request, but the parts answer it differently "
                "(part 'a': Yes; part 'b': No): give every part the same answer")
    assert notes == {"a": [expected], "b": [expected]}


def test_an_aggregated_cost_limit_may_differ_only_between_dissimilar_parts(shipped: RuleBase) -> None:
    notes = request_wide_notes(shipped, {"a": {"confirm_cost_exceeds": True}, "b": {"confirm_cost_exceeds": False}})
    text = shipped.question("confirm_cost_exceeds").text
    expected = (f"'{text}' is answered differently by the parts (part 'a': Yes; part 'b': No): that is right only if "
                "the parts are not for the same or similar information; where they are, their costs are aggregated "
                "(Fees Regulations reg 5) and every part gets the same answer")
    assert notes == {"a": [expected], "b": [expected]}


def test_request_wide_notes_use_only_the_questions_each_part_was_asked(
        shipped: RuleBase, fallback: tuple[PartAssessment, PartAssessment]) -> None:
    main, only_2024 = fallback
    text = shipped.question("compliance_cost_exceeds").text
    note = (f"'{text}' applies to the whole request, but the parts answer it differently (part 'since_2010': Yes; "
            "part 'only_2024': No): give every part the same answer")
    assert [pa.warnings for pa in with_request_wide_warnings(shipped, fallback)] == [(note,), (note,)]
    # the fallback's cost answer is one it was not asked: no note
    unasked = replace(only_2024, asked=tuple(q for q in only_2024.asked if q != "compliance_cost_exceeds"))
    assert with_request_wide_warnings(shipped, (main, unasked)) == (main, unasked)


# ---------------------------------------------------------------- the protective NCND part


def test_the_seed_pattern_worded_narrowly_needs_no_note(pattern: tuple[PartAssessment, PartAssessment]) -> None:
    assert protective_notes(pattern) == {}


def test_an_answered_part_worded_as_broadly_as_the_protective_part_is_warned(
        pattern: tuple[PartAssessment, PartAssessment]) -> None:
    overt, other = pattern
    broad = replace(overt, part=replace(overt.part, summary="Facial recognition technology (covert use)"))
    assert protective_notes((broad, other)) == {"overt": [
        "part 'overt' ('Facial recognition technology (covert use)') is worded no more narrowly than the part "
        "neither confirmed nor denied ('Covert use of facial recognition technology'): its answer (not_held) would "
        "also answer that part. Name its scope (for example 'overt use of ...')"]}
    assert protective_notes((replace(broad, outcome=Outcome.NCND), other)) == {}  # NCND answers nothing


def test_a_protective_part_that_is_not_ncnd_or_stands_alone_is_warned(
        pattern: tuple[PartAssessment, PartAssessment]) -> None:
    overt, other = pattern
    assert protective_notes((overt, replace(other, outcome=Outcome.NOT_HELD))) == {"other": [
        "part 'other' is for any other information, to be neither confirmed nor denied, but the recommendation "
        "is not_held: if NCND is not needed for it, answer it as an ordinary part"]}
    assert protective_notes((other,)) == {"other": [
        "part 'other' is for any other information, but no part of the request is answered on its merits: use an "
        "ordinary part"]}


def test_protective_notes_join_the_part_warnings(shipped: RuleBase,
                                                 pattern: tuple[PartAssessment, PartAssessment]) -> None:
    [other] = with_request_wide_warnings(shipped, (pattern[1],))
    assert other.warnings == pattern[1].warnings + (
        "part 'other' is for any other information, but no part of the request is answered on its merits: use an "
        "ordinary part",)


# ---------------------------------------------------------------- the requester's fallback


def test_a_fallback_is_needed_when_its_main_part_is_refused_on_cost(
        fallback: tuple[PartAssessment, PartAssessment]) -> None:
    main, only_2024 = fallback
    assert apply_fallbacks(fallback) == (main, replace(only_2024, fallback_needed=True))


@pytest.mark.parametrize("main_answers", [{"vexatious": True, "environmental": False},
                                          {"compliance_cost_exceeds": False}], ids=["refused-as-vexatious", "answered"])
def test_a_fallback_is_not_needed_when_its_main_part_is_not_refused_on_cost(
        shipped_assessor: Assessor, fallback: tuple[PartAssessment, PartAssessment],
        main_answers: dict[str, bool]) -> None:
    main, only_2024 = fallback
    other_main = shipped_assessor.assess_part(
        replace(main.part, answers={**only_2024.part.answers, **main_answers}))
    assert other_main.outcome is (Outcome.REFUSE if "vexatious" in main_answers else Outcome.DISCLOSE)
    assert apply_fallbacks((other_main, only_2024)) == (other_main, replace(
        only_2024, fallback_needed=False, warnings=(
            "part 'only_2024' is the requester's fallback if part 'since_2010' is too costly; 'since_2010' is not "
            "refused on cost, so this part is not needed and the letter leaves it out",)))


def test_a_fallback_for_a_part_the_request_does_not_have_is_left_alone(
        fallback: tuple[PartAssessment, PartAssessment]) -> None:
    _, only_2024 = fallback
    assert apply_fallbacks((only_2024,)) == (only_2024,)


def test_request_wide_helpers_accept_nothing(shipped: RuleBase) -> None:
    assert (apply_fallbacks(()), protective_notes(()), request_wide_notes(shipped, {})) == ((), {}, {})
    assert with_request_wide_warnings(shipped, ()) == ()

