"""decide/decision.py: from the rules that fired to each stage's outcome, provisions and public interest.

A small rule base written here has one rule for each kind of conclusion; decide_stage1 and
decide_stage2 take the ids of fired rules, so each test names exactly what fired.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ncnd_assistant.decide.decision import CitedProvision, PublicInterest, StageDecision, contradictions
from ncnd_assistant.decide.decision import decide_stage1 as stage1
from ncnd_assistant.decide.decision import decide_stage2 as stage2
from ncnd_assistant.errors import RuleBaseError
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Balance, Outcome, RuleBase

PROVISIONS = """\
provisions:
  - {id: s12(2), act: FOIA 2000, title: Cost, limb: refuse, exemption: not_exemption, test: cost,
     summary: cost, citations: [s12(2)]}
  - {id: s14(1), act: FOIA 2000, title: Vexatious, limb: refuse, exemption: not_exemption, test: vexatious,
     summary: vexatious, citations: [s14(1)]}
  - {id: s23(5), act: FOIA 2000, title: Security Bodies, limb: ncnd, exemption: absolute, test: class,
     summary: security bodies, in_the_alternative_with: [s24(2)], citations: [s23(5)]}
  - {id: s24(2), act: FOIA 2000, title: National Security, limb: ncnd, exemption: qualified, test: required_for,
     summary: national security, citations: [s24(2)],
     public_interest: {for: [ns for], against: [ns against]}}
  - {id: s30(3), act: FOIA 2000, title: Investigations, limb: ncnd, exemption: qualified, test: class,
     summary: investigations, citations: [s30(3)]}
  - {id: s31(3), act: FOIA 2000, title: Law Enforcement, limb: ncnd, exemption: qualified, test: prejudice,
     summary: law enforcement, citations: [s31(3)],
     public_interest: {for: [le for], against: [le against, shared against]}}
  - {id: s12(1), act: FOIA 2000, title: Cost of compliance, limb: refuse, exemption: not_exemption, test: cost,
     summary: cost, citations: [s12(1)]}
  - {id: s31(1), act: FOIA 2000, title: Law Enforcement, limb: withhold, exemption: qualified, test: prejudice,
     summary: law enforcement content, citations: [s31(1)]}
  - {id: s40(2), act: FOIA 2000, title: Personal Information, limb: withhold, exemption: absolute, test: class,
     summary: personal data, citations: [s40(2)]}
"""
STAGE1_RULES = [  # id, conclusion, extra keys
    ("environmental", "{outcome: eir}", ""),
    ("cost", "{engage: s12(2)}", ""),
    ("vexatious", "{engage: s14(1)}", ""),
    ("security-body", "{engage: s23(5)}", ""),
    ("national-security", "{engage: s24(2)}", ""),
    ("investigation", "{engage: s30(3)}", ""),
    ("le-would", "{engage: s31(3), harm: would}", "public_interest: {for: [rule for], against: [shared against]}"),
    ("le-likely", "{engage: s31(3), harm: would_be_likely_to}", ""),
    ("harm-blocked", "{block: harm_based}", ""),
    ("ncnd-blocked", "{block: ncnd}", ""),
    ("s31-3-blocked", "{block: s31(3)}", ""),
    ("maintain", "{balance: maintain}", "public_interest: {for: [maintain for]}"),
    ("disclose-same", "{balance: disclose}", ""),
    ("disclose-higher", "{balance: disclose}", "priority: 1\n    public_interest: {against: [higher against]}"),
    ("clash", "{contradiction: q1}", ""),
    ("warns", "{warn: a-warning}", ""),
]
STAGE2_RULES = [
    ("environmental-2", "{outcome: eir}", ""),
    ("cost-2", "{engage: s12(1)}", ""),
    ("not-held", "{outcome: not_held}", ""),
    ("personal", "{engage: s40(2)}", ""),
    ("content-harm", "{engage: s31(1), harm: would}", ""),
    ("s31-1-blocked", "{block: s31(1)}", ""),
    ("maintain-2", "{balance: maintain}", ""),
]


def _rules(stage: int, rules: list[tuple[str, str, str]]) -> str:
    return "".join(f"  - id: {rid}\n    stage: {stage}\n    when: {{q{stage}: true}}\n    then: {then}\n"
                   f"    because: because {rid}\n    citations: [c]\n" + (f"    {extra}\n" if extra else "")
                   for rid, then, extra in rules)


@pytest.fixture(scope="module")
def rb(tmp_path_factory: pytest.TempPathFactory) -> RuleBase:
    folder: Path = tmp_path_factory.mktemp("decisions")
    (folder / "rulebase.yaml").write_text(
        "rulebase: {id: decisions, title: Decisions, version: '1', effective: 2026-01-01, regime: foia}\n"
        "questions:\n"
        "  - {id: q1, text: q1?, help: h, type: yes_no, stage: 1}\n"
        "  - {id: q2, text: q2?, help: h, type: yes_no, stage: 2}\n"
        + PROVISIONS + "rules:\n" + _rules(1, STAGE1_RULES) + _rules(2, STAGE2_RULES), encoding="utf-8")
    return load_rulebase(folder)


def cited(decision: StageDecision) -> list[tuple[str, str | None, tuple[str, ...], bool]]:
    return [(c.provision.id, c.harm, c.rules, c.in_the_alternative) for c in decision.cited]


def ids(provisions: tuple[CitedProvision, ...]) -> list[str]:
    return [c.provision.id for c in provisions]


# ---------------------------------------------------------------- Stage 1: precedence


def test_nothing_fired_leaves_the_part_to_stage_2(rb: RuleBase) -> None:
    assert stage1(rb, []) == StageDecision(1, None, (), (), None)


def test_environmental_information_goes_to_the_eir_whatever_else_fired(rb: RuleBase) -> None:
    assert stage1(rb, ["vexatious", "security-body", "environmental"]) == StageDecision(1, Outcome.EIR, (), (), None)


def test_a_refusal_comes_before_any_ncnd_and_cites_every_refusal_in_the_order_fired(rb: RuleBase) -> None:
    decision = stage1(rb, ["vexatious", "security-body", "maintain", "cost"])
    assert (decision.outcome, cited(decision)) == (Outcome.REFUSE, [("s14(1)", None, ("vexatious",), False),
                                                                    ("s12(2)", None, ("cost",), False)])
    assert (decision.set_aside, decision.public_interest, decision.blocked_by) == ((), None, ())


# ---------------------------------------------------------------- Stage 1: NCND and the balance


def test_an_absolute_provision_needs_no_balance_but_is_warned_about_its_partner(rb: RuleBase) -> None:
    decision = stage1(rb, ["security-body"])
    assert (decision.outcome, cited(decision), decision.public_interest) == (
        Outcome.NCND, [("s23(5)", None, ("security-body",), False)], None)
    assert decision.warnings == (
        "s23(5) is relied on without s24(2): s24(2) can be cited in the alternative only where it is itself engaged "
        "and its public interest test favours maintaining it, and citing s23(5) alone shows which of the two "
        "applies; consider whether s24(2) applies, and record the reasoning",)


def test_a_qualified_provision_without_a_balance_rule_is_set_aside_with_a_warning(rb: RuleBase) -> None:
    decision = stage1(rb, ["le-would"])
    assert (decision.outcome, decision.cited, ids(decision.set_aside)) == (None, (), ["s31(3)"])
    assert decision.warnings == ("no public-interest balance rule fired in stage 1; "
                                 "qualified provisions are not relied on",)
    assert decision.public_interest == PublicInterest(("le for", "rule for"), ("le against", "shared against"),
                                                      None, None, "")


def test_maintained_ncnd_cites_the_strongest_harm_and_gathers_the_factors_once(rb: RuleBase) -> None:
    decision = stage1(rb, ["le-likely", "le-would", "maintain"])
    assert (decision.outcome, cited(decision), decision.set_aside, decision.warnings) == (
        Outcome.NCND, [("s31(3)", "would", ("le-likely", "le-would"), False)], (), ())
    assert decision.public_interest == PublicInterest(
        ("le for", "rule for", "maintain for"), ("le against", "shared against"),
        Balance.MAINTAIN, "maintain", "because maintain")


def test_a_higher_priority_balance_for_disclosure_outweighs_maintaining(rb: RuleBase) -> None:
    decision = stage1(rb, ["le-would", "maintain", "disclose-higher"])
    assert (decision.outcome, decision.cited, ids(decision.set_aside)) == (None, (), ["s31(3)"])
    assert decision.public_interest == PublicInterest(  # the outweighed balance still brings its factors
        ("le for", "rule for", "maintain for"), ("le against", "shared against", "higher against"),
        Balance.DISCLOSE, "disclose-higher", "because disclose-higher")


def test_an_outweighed_qualified_provision_leaves_an_absolute_one_standing(rb: RuleBase) -> None:
    decision = stage1(rb, ["security-body", "le-would", "disclose-higher"])
    assert (decision.outcome, ids(decision.cited), ids(decision.set_aside)) == (Outcome.NCND, ["s23(5)"], ["s31(3)"])
    assert decision.public_interest is None  # only the provisions relied on are weighed


def test_balances_of_equal_priority_that_disagree_are_a_rule_base_error(rb: RuleBase) -> None:
    with pytest.raises(RuleBaseError) as caught:
        stage1(rb, ["le-would", "maintain", "disclose-same"])
    assert str(caught.value) == "conflicting public-interest balances"
    assert [(p.code, p.message) for p in caught.value.problems] == [
        ("balance-conflict", f"rule '{rid}' gives balance '{balance}' at priority 0, as do others with a different "
                             "balance") for rid, balance in (("maintain", "maintain"), ("disclose-same", "disclose"))]
    outweighed = stage1(rb, ["le-would", "maintain", "disclose-same", "disclose-higher"])  # a higher one settles it
    assert outweighed.public_interest is not None and outweighed.public_interest.balance is Balance.DISCLOSE


# ---------------------------------------------------------------- Stage 1: in the alternative, blocks


@pytest.mark.parametrize("fired", [["security-body", "national-security", "maintain"],
                                   ["national-security", "security-body", "maintain"]])
def test_s23_5_and_s24_2_are_relied_on_in_the_alternative_in_statutory_order(rb: RuleBase, fired: list[str]) -> None:
    decision = stage1(rb, fired)
    assert cited(decision) == [("s23(5)", None, ("security-body",), True),
                               ("s24(2)", None, ("national-security",), True)]
    assert decision.warnings == ()


def test_s24_2_set_aside_leaves_s23_5_alone_and_warned_about(rb: RuleBase) -> None:
    decision = stage1(rb, ["security-body", "national-security"])
    assert (cited(decision), ids(decision.set_aside)) == ([("s23(5)", None, ("security-body",), False)], ["s24(2)"])
    assert decision.warnings[0] == ("no public-interest balance rule fired in stage 1; "
                                    "qualified provisions are not relied on")
    assert decision.warnings[1].startswith("s23(5) is relied on without s24(2): ") and len(decision.warnings) == 2


def test_a_harm_based_block_keeps_class_based_provisions(rb: RuleBase) -> None:
    decision = stage1(rb, ["le-would", "investigation", "harm-blocked", "maintain"])
    assert (decision.outcome, ids(decision.cited), ids(decision.set_aside), decision.blocked_by) == (
        Outcome.NCND, ["s30(3)"], ["s31(3)"], ("harm-blocked",))


def test_a_block_of_ncnd_sets_every_ncnd_provision_aside(rb: RuleBase) -> None:
    decision = stage1(rb, ["security-body", "investigation", "maintain", "ncnd-blocked"])
    assert (decision.outcome, decision.cited, ids(decision.set_aside), decision.blocked_by) == (
        None, (), ["s23(5)", "s30(3)"], ("ncnd-blocked",))


def test_a_block_naming_a_provision_sets_only_that_one_aside(rb: RuleBase) -> None:
    decision = stage1(rb, ["le-would", "investigation", "s31-3-blocked", "maintain"])
    assert (ids(decision.cited), ids(decision.set_aside)) == (["s30(3)"], ["s31(3)"])


def test_a_block_with_nothing_engaged_is_still_reported(rb: RuleBase) -> None:
    assert stage1(rb, ["harm-blocked"]) == StageDecision(1, None, (), (), None, ("harm-blocked",))


# ---------------------------------------------------------------- Stage 2


@pytest.mark.parametrize(("fired", "outcome", "provisions"), [
    (["personal", "not-held", "cost-2", "environmental-2"], Outcome.EIR, []),
    (["personal", "not-held", "cost-2"], Outcome.REFUSE, ["s12(1)"]),
    (["personal", "not-held"], Outcome.NOT_HELD, []),
    (["personal"], Outcome.WITHHOLD, ["s40(2)"]),
    (["content-harm", "maintain-2"], Outcome.WITHHOLD, ["s31(1)"]),
    ([], Outcome.DISCLOSE, []),
])
def test_stage_2_precedence(rb: RuleBase, fired: list[str], outcome: Outcome, provisions: list[str]) -> None:
    decision = stage2(rb, fired)
    assert (decision.stage, decision.outcome, ids(decision.cited)) == (2, outcome, provisions)


def test_an_unbalanced_or_blocked_withholding_provision_means_disclose_with_it_set_aside(rb: RuleBase) -> None:
    unbalanced = stage2(rb, ["content-harm"])
    assert (unbalanced.outcome, unbalanced.cited, ids(unbalanced.set_aside)) == (Outcome.DISCLOSE, (), ["s31(1)"])
    assert unbalanced.warnings == ("no public-interest balance rule fired in stage 2; "
                                   "qualified provisions are not relied on",)
    blocked = stage2(rb, ["content-harm", "maintain-2", "s31-1-blocked", "personal"])
    assert (blocked.outcome, ids(blocked.cited), ids(blocked.set_aside)) == (Outcome.WITHHOLD, ["s40(2)"], ["s31(1)"])


# ---------------------------------------------------------------- contradictions


def test_contradictions_are_the_fired_contradiction_rules(rb: RuleBase) -> None:
    assert contradictions(rb, ["le-would", "warns", "maintain"]) == ()
    assert contradictions(rb, ["le-would", "clash", "maintain"]) == (rb.rule("clash"),)
