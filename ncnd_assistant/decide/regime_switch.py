"""A FOIA part found to be environmental information (FOIA s39) answered under the EIR instead:
the answers that mean the same under both regimes are carried over to the EIR rule base's
questions, and the rest is left for the officer to answer.

Only answers whose question asks the same thing in both laws are carried (`CARRIED`): whether
confirming or denying would reveal a third party's personal data, whether doing so to the world
would contravene the data protection principles (FOIA s40(5B)(a), EIR reg 13(5B)(a)), a vexatious
request (FOIA s14; manifestly unreasonable, EIR reg 12(4)(b): the same test, Dransfield and Craven
[2015] EWCA Civ 454), whether the information is held, and the personal data in its content (s40(2),
reg 13(1)). Harm answers are never carried: FOIA's "would be likely to prejudice" is not the EIR's
"would adversely affect", and the EIR's NCND (reg 12(6)) covers only the reg 12(5)(a) interests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase


@dataclass(frozen=True)
class Carry:
    """One FOIA answer (or derived fact) and the EIR answer it means; values not listed are not carried."""

    foia: str
    eir: str
    values: Mapping[Value, Value]
    why: str


CARRIED: tuple[Carry, ...] = (
    Carry("personal_data", "third_party_data", {"third_party": True, "both": True, "no": False},
          "confirming or denying would reveal a third party's personal data (s40(5B); reg 13(5A))"),
    Carry("third_party_data_exclusion", "confirm_dp_breach", {True: True},
          "confirming or denying to the world would contravene the data protection principles "
          "(s40(5B)(a)(i); reg 13(5B)(a)(i))"),
    Carry("vexatious", "manifestly_unreasonable", {True: "vexatious"},
          "a vexatious request (s14(1)) is manifestly unreasonable (reg 12(4)(b)); a request that is not "
          "vexatious may still be manifestly unreasonable for its burden, so No is not carried"),
    Carry("held", "held", {True: True, False: False},
          "whether the authority holds the information (s1(1)(a); reg 12(4)(a))"),
    Carry("content_personal_data", "content_personal_data", {"third_party": True, "both": True, "no": False},
          "the information includes a third party's personal data (s40(2); reg 12(3), 13(1))"),
    Carry("content_dp_breach", "content_dp_breach", {True: True, False: False},
          "disclosing that personal data to the world would contravene the data protection principles "
          "(s40(2); reg 13(1))"),
)


@dataclass(frozen=True)
class Switched:
    """The part as an EIR part: its carried answers, and which FOIA answers each came from."""

    part: Part
    carried: tuple[tuple[str, str], ...]  # (FOIA question or fact, EIR question)


def to_eir(assessed: PartAssessment, eir: RuleBase) -> Switched:
    """The part the FOIA rule base sent to the EIR (outcome `eir`), with the answers that mean the same
    under the EIR carried to `eir`'s questions. Anything the EIR rule base asks that is not carried is
    left unanswered: the officer must answer it (`Assessor.gate(...).asked_and_open()` lists it)."""
    if assessed.outcome is not Outcome.EIR:
        raise ValueError(f"part '{assessed.part.id}' was not sent to the EIR (outcome {assessed.outcome.value})")
    if eir.meta.regime != "eir":
        raise ValueError(f"rule base {eir.meta.id} serves '{eir.meta.regime}', not the EIR")
    given = {**assessed.env, **assessed.part.answers}  # derived facts, then every answer the officer gave
    answers: dict[str, Value] = {}
    carried: list[tuple[str, str]] = []
    for carry in CARRIED:
        value = given.get(carry.foia)
        if value is None or value not in carry.values or not eir.has_question(carry.eir):
            continue
        mapped = carry.values[value]
        question = eir.question(carry.eir)
        if question.choices and mapped not in {c.value for c in question.choices}:
            continue
        answers[carry.eir] = mapped
        carried.append((carry.foia, carry.eir))
    part = replace(assessed.part, answers=answers, locations={})
    return Switched(part, tuple(carried))
