"""The vocabulary: the words for each term (`rulebase.wording`) and how answers, conditions,
conclusions and provisions read (`rulebase.phrasing`), on the example rule base."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, Stage
from ncnd_assistant.rulebase.model import Conclusion, Outcome, RuleBase
from ncnd_assistant.rulebase.phrasing import (
    answer_text,
    conclusion_sentence,
    condition_labels,
    condition_lines,
    describe_failure,
    leaf_text,
    name_text,
    one_line,
    outcome_phrase,
    provision_character,
    value_text,
)
from ncnd_assistant.rulebase.wording import conclusion_summary, fact_truth, harm_text, towards, truth

COVERT = "Does this part of the request ask about a covert policing tactic, technique or capability?"
HARM = "Would confirming or denying prejudice the prevention or detection of crime?"
CONFIRMED = "Has the authority officially confirmed whether it holds this information?"
HELD = "Having searched, does the authority hold information within the scope of this part?"
PREJUDICE = "Confirming or denying would, or would be likely to, prejudice law enforcement."
NOT_HARMFUL = c.Not(c.In("crime_harm", ("would", "likely")))
NESTED = c.AnyOf((c.All((c.Eq("covert_tactic", True), c.Eq("officially_confirmed", False))),
                  c.Not(c.AnyOf((c.Eq("crime_prejudice", True), c.Eq("held", False))))))


def test_a_value_reads_as_the_officer_sees_it(example: RuleBase) -> None:
    assert value_text(example, "crime_harm", "likely") == "Yes: it would be likely to"
    assert value_text(example, "covert_tactic", True) == "Yes"
    assert value_text(example, "held", False) == "No"
    assert value_text(example, "crime_prejudice", True) == "true"
    assert answer_text(example, "crime_harm", {}) == "not asked"
    assert answer_text(example, "crime_harm", {"crime_harm": "no"}) == "No"
    assert name_text(example, "held") == HELD
    assert name_text(example, "crime_prejudice") == PREJUDICE


def test_a_negated_membership_in_the_book_the_graph_and_an_explanation(example: RuleBase) -> None:
    assert condition_lines(example, NOT_HARMFUL) == [
        f"- the answer to “{HARM}” (`crime_harm`) is not “Yes: it would” or “Yes: it would be likely to”"]
    assert list(condition_labels(example, NOT_HARMFUL)) == [
        ("crime_harm", "not Yes: it would or Yes: it would be likely to")]
    assert describe_failure(example, NOT_HARMFUL, {"crime_harm": "would"}) == \
        f"'{HARM}' is 'Yes: it would', which rules it out"
    assert describe_failure(example, NOT_HARMFUL.item, {"crime_harm": "no"}) == \
        f"'{HARM}' was answered 'No' (needs 'Yes: it would' or 'Yes: it would be likely to')"
    assert describe_failure(example, NOT_HARMFUL.item, {}) == \
        f"'{HARM}' was not asked (needs 'Yes: it would' or 'Yes: it would be likely to')"


def test_a_nested_any_and_all_in_the_book(example: RuleBase) -> None:
    assert condition_lines(example, NESTED, 1) == [
        "  - any of the following holds:",
        "    - all of the following hold:",
        f"      - the answer to “{COVERT}” (`covert_tactic`) is “Yes”",
        f"      - the answer to “{CONFIRMED}” (`officially_confirmed`) is “No”",
        "    - none of the following holds:",
        f"      - the fact “{PREJUDICE}” (`crime_prejudice`) holds",
        f"      - the answer to “{HELD}” (`held`) is “No”",
    ]
    assert condition_lines(example, c.Not(c.All((c.Eq("held", True), c.Eq("covert_tactic", True)))))[0] == \
        "- not all of the following hold:"


def test_a_nested_any_and_all_on_the_graph_and_why_it_failed(example: RuleBase) -> None:
    assert list(condition_labels(example, NESTED)) == [
        ("covert_tactic", "Yes"), ("officially_confirmed", "No"),
        ("crime_prejudice", "does not hold"), ("held", "not No")]
    env = {"covert_tactic": True, "officially_confirmed": True, "crime_prejudice": True}
    assert describe_failure(example, NESTED, env) == (
        f"none of these holds: '{CONFIRMED}' was answered 'Yes' (needs 'No'); "
        f"an excluding condition holds: '{PREJUDICE}' is 'true', '{HELD}' is 'not asked'")


def test_a_fact_reads_as_holding_or_not_in_the_book_and_on_the_graph(example: RuleBase) -> None:
    negated = c.Not(c.Eq("crime_prejudice", True))
    assert leaf_text(example, c.Eq("crime_prejudice", False)) == \
        f"the fact “{PREJUDICE}” (`crime_prejudice`) does not hold"
    assert condition_lines(example, negated) == [f"- the fact “{PREJUDICE}” (`crime_prejudice`) does not hold"]
    assert list(condition_labels(example, negated)) == [("crime_prejudice", "does not hold")]
    assert list(condition_labels(example, c.Eq("crime_prejudice", True))) == [("crime_prejudice", "holds")]


@pytest.mark.parametrize(("then", "stage", "sentence", "summary"), [
    (Conclusion(ConclusionKind.ENGAGE, "s31(3)", "would_be_likely_to"), 1,
     "engages S31(3) Law Enforcement, harm: would be likely to (a real and significant risk)",
     "engages s31(3) (would be likely to)"),
    (Conclusion(ConclusionKind.ENGAGE, "s31(3)"), 1, "engages S31(3) Law Enforcement", "engages s31(3)"),
    (Conclusion(ConclusionKind.DERIVE, "crime_prejudice"), 1, "establishes the fact `crime_prejudice`",
     "derives crime_prejudice"),
    (Conclusion(ConclusionKind.OUTCOME, "not_held"), 2, "gives the outcome “not held”", "outcome not_held"),
    (Conclusion(ConclusionKind.BLOCK, "ncnd"), 1,
     "makes NCND unavailable for the part (the authority must confirm or deny)", "blocks ncnd"),
    (Conclusion(ConclusionKind.BLOCK, "harm_based"), 1,
     "makes the harm-based NCND limbs (prejudice, endangerment, s24) unavailable", "blocks harm_based"),
    (Conclusion(ConclusionKind.BLOCK, "s31(3)"), 1, "makes S31(3) Law Enforcement unavailable", "blocks s31(3)"),
    (Conclusion(ConclusionKind.WARN, "cost-estimate"), 1,
     "warns the officer (the reason below), without changing the outcome", "warns (cost-estimate)"),
    (Conclusion(ConclusionKind.CONTRADICTION, "held"), 2,
     "finds the answers contradict each other: the officer is asked `held` again", "contradicts the answer to held"),
    (Conclusion(ConclusionKind.BALANCE, "maintain"), 1,
     "public interest balance: maintain the exclusion of the duty to confirm or deny",
     "public interest balance: maintain"),
    (Conclusion(ConclusionKind.BALANCE, "disclose"), 1, "public interest balance: confirm or deny",
     "public interest balance: disclose"),
    (Conclusion(ConclusionKind.BALANCE, "maintain"), 2, "public interest balance: maintain the exemption",
     "public interest balance: maintain"),
    (Conclusion(ConclusionKind.BALANCE, "disclose"), 2, "public interest balance: disclose",
     "public interest balance: disclose"),
])
def test_a_conclusion_of_each_kind(example: RuleBase, then: Conclusion, stage: int, sentence: str,
                                   summary: str) -> None:
    rule = replace(example.rule("not-held"), then=then, stage=Stage(stage))
    assert conclusion_sentence(example, rule) == sentence
    assert conclusion_summary(then.kind, then.target, then.harm) == summary
    assert then.describe() == summary


def test_the_book_can_link_the_provisions_and_facts_a_conclusion_names(example: RuleBase) -> None:
    rule = example.rule("ncnd-s31-covert-tactic")
    assert conclusion_sentence(example, rule, lambda p: f"<{p.id}>").startswith("engages <s31(3)>, harm: ")
    derive = example.rule("crime-prejudice-from-covert-tactic")
    assert conclusion_sentence(example, derive, fact_ref=lambda f: f"[{f}]") == "establishes the fact [crime_prejudice]"


def test_a_provision_is_described_by_its_legal_character(example: RuleBase) -> None:
    assert provision_character(example.provision("s31(3)")) == [
        ("Provision", "s31(3), FOIA 2000"),
        ("Limb", "neither confirm nor deny: lifts the duty to confirm or deny (s1(1)(a)); decided in Stage 1"),
        ("Absolute or qualified", "qualified: relied on only if the public interest in maintaining it outweighs "
                                  "the public interest in confirming or denying"),
        ("Test", "prejudice: confirming, denying or disclosing would, or would be likely to, cause the harm"),
    ]


def test_outcomes_and_terms() -> None:
    assert outcome_phrase("ncnd") == "neither confirm nor deny" == Outcome.NCND.phrase
    assert Outcome.WITHHOLD.label == "Confirm held, withhold"
    assert outcome_phrase("error") == "error"
    assert outcome_phrase("contradiction:held") == "contradiction:held"
    assert harm_text("would_be_likely_to") == "would be likely to"
    assert (fact_truth(True), fact_truth(False)) == ("holds", "does not hold")
    assert (truth(True), truth(False)) == ("true", "false")
    assert [towards(limb) for limb in ("ncnd", "withhold", None)] == [
        "confirming or denying", "disclosure", "confirming or denying (or disclosure)"]
    assert one_line("  two\n  lines ") == "two lines"
