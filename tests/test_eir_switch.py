"""A FOIA part found environmental (s39) answered under the EIR: the answers that mean the same are
carried to the EIR rule base's questions (decide/regime_switch.py), nothing else is."""

from __future__ import annotations

import functools

import pytest

from ncnd_assistant.decide.answers import Part, load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.regime_switch import CARRIED, to_eir
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.kinds import QuestionType
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Outcome
from tests.conftest import ROOT, SEED

ENV_NOISE = ROOT / "tests" / "fixtures" / "answers" / "env-noise.yaml"
SCREENED_ENVIRONMENTAL: dict[str, Value] = {
    "vexatious": False, "confirm_cost_exceeds": False, "security_body": False, "covert_tactic": False,
    "security_matter": False, "investigation": False, "confidential_source": False, "safety_concern": False,
    "personal_data": "no", "other_matters": True, "legal_or_confidential": False, "commercial_or_economic": False,
    "government_affairs": False, "defence_or_international": False, "publication_or_environment": True,
    "future_publication": False, "research_harm": "no", "already_published": False, "environmental": True,
    "officially_confirmed": False}


@functools.cache
def assessors() -> tuple[Assessor, Assessor]:
    return Assessor(load_rulebase(ROOT / "rules" / "foia")), Assessor(load_rulebase(ROOT / "rules" / "eir"))


def _open(eir: Assessor, part: Part) -> tuple[str, ...]:
    return eir.gate(part.answers).asked_and_open()[1]


def test_every_carried_answer_is_a_question_of_the_eir_and_a_value_it_takes() -> None:
    foia, eir = assessors()
    for carry in CARRIED:
        assert foia.rulebase.has_question(carry.foia) or carry.foia in {f.id for f in foia.rulebase.facts}
        question = eir.rulebase.question(carry.eir)
        for value in carry.values.values():
            if question.type is QuestionType.YES_NO:
                assert isinstance(value, bool), carry
            else:
                assert value in {c.value for c in question.choices}, carry


def test_an_environmental_noise_part_keeps_its_holding_answer_and_is_not_held_under_the_eir() -> None:
    foia, eir = assessors()
    (part,) = load_request(ENV_NOISE, foia.rulebase).parts
    assessed = foia.assess_part(part)
    assert assessed.outcome is Outcome.EIR
    switched = to_eir(assessed, eir.rulebase)
    assert switched.part.answers == {"third_party_data": False, "held": False}
    assert dict(switched.carried) == {"personal_data": "third_party_data", "held": "held"}
    assert {"complex_voluminous", "confirm_deny_harm"} <= set(_open(eir, switched.part))  # left to the officer
    answered = Part(part.id, part.summary, {**switched.part.answers, "complex_voluminous": False,
                                            "confirm_deny_harm": "no", "manifestly_unreasonable": "no",
                                            "too_general": False})
    result = eir.assess_part(answered)
    assert (result.outcome, result.decision.cited) == (Outcome.NOT_HELD, ())


def test_a_third_partys_data_found_at_s40_5b_is_neither_confirmed_nor_denied_under_reg_13_5a() -> None:
    foia, eir = assessors()
    answers = {**SCREENED_ENVIRONMENTAL, "personal_data": "third_party", "criminal_offence_data": False,
               "special_category_data": False, "legitimate_interest": False}
    assessed = foia.assess_part(Part("slurry", "Complaints about a named farmer's slurry store", answers))
    assert assessed.outcome is Outcome.EIR and assessed.env.get("third_party_data_exclusion") is True
    switched = to_eir(assessed, eir.rulebase)
    assert switched.part.answers == {"third_party_data": True, "confirm_dp_breach": True}
    part = Part("slurry", "Complaints about a named farmer's slurry store",
                {**switched.part.answers, "complex_voluminous": False, "confirm_deny_harm": "no"})
    result = eir.assess_part(part)
    assert result.outcome is Outcome.NCND
    assert [c.provision.id for c in result.decision.cited] == ["reg13(5A)"]
    assert eir.held_invariant(part)


def test_a_vexatious_environmental_request_becomes_manifestly_unreasonable_and_burden_is_asked_again() -> None:
    foia, eir = assessors()
    vexatious = foia.assess_part(Part("v", "A repeated planning request", {"vexatious": True, "environmental": True}))
    assert vexatious.outcome is Outcome.EIR
    assert to_eir(vexatious, eir.rulebase).part.answers == {"manifestly_unreasonable": "vexatious"}
    not_vexatious = foia.assess_part(Part("n", "Noise readings", dict(SCREENED_ENVIRONMENTAL)))
    assert "manifestly_unreasonable" not in to_eir(not_vexatious, eir.rulebase).part.answers  # burden still open


def test_harm_and_public_interest_answers_are_never_carried() -> None:
    foia, eir = assessors()
    answers = {**SCREENED_ENVIRONMENTAL, "ns_harm": True, "le_harm": "would", "endanger": "would",
               "ncnd_pi_maintain": True, "request_specificity": "specific"}
    switched = to_eir(foia.assess_part(Part("h", "Security at a reservoir", answers)), eir.rulebase)
    assert set(switched.part.answers) <= {c.eir for c in CARRIED}
    assert "confirm_deny_harm" not in switched.part.answers and "ncnd_pi_maintain" not in switched.part.answers


def test_only_a_part_sent_to_the_eir_is_switched_and_only_to_an_eir_rule_base() -> None:
    foia, eir = assessors()
    seed = load_request(SEED, foia.rulebase)
    covert = foia.assess_part(next(p for p in seed.parts if p.id == "covert"))
    with pytest.raises(ValueError, match="not sent to the EIR"):
        to_eir(covert, eir.rulebase)
    environmental = foia.assess_part(Part("n", "Noise readings", dict(SCREENED_ENVIRONMENTAL)))
    with pytest.raises(ValueError, match="not the EIR"):
        to_eir(environmental, foia.rulebase)


def test_the_foia_cost_limit_is_not_carried_as_a_manifestly_unreasonable_burden() -> None:
    """The EIR have no cost limit: exceeding FOIA's £450 does not make a request manifestly unreasonable."""
    foia, eir = assessors()
    costly = foia.assess_part(Part("c", "Air quality records across the force area", {
        "vexatious": False, "confirm_cost_exceeds": True, "confirm_cost_estimate": "40 hours searching 12 logs",
        "cost_advice": "A request limited to a single year and one station could be searched.",
        "environmental": True}))
    assert costly.outcome is Outcome.EIR
    assert "manifestly_unreasonable" not in to_eir(costly, eir.rulebase).part.answers
