"""Internal review: the original decisions as an answers file the reviewing officer can change,
and the review's result by comparing the new outcomes with the original ones.

The reviewer should be someone other than the officer who decided (s45 Code of Practice 2018:
a review by someone not involved in the original decision where practicable); the tool refuses
the original decider."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ncnd_assistant.audit.record import AuditRecord, CaseEventRecord, DecisionRecord
from ncnd_assistant.cases.events import REVIEW_DECIDED, REVIEW_REQUESTED, REVIEW_STARTED, CaseError
from ncnd_assistant.cases.register import Case
from ncnd_assistant.cases.roles import same_person
from ncnd_assistant.rulebase.conditions import Value

UPHELD, OVERTURNED, PARTLY = "upheld", "overturned", "partly-upheld"


def check_reviewer(deciders: Iterable[str], reviewer: str) -> None:
    """A CaseError if `reviewer` is empty or is one of the officers who decided what is reviewed."""
    if not reviewer.strip():
        raise CaseError("an internal review needs the reviewing officer: --officer NAME")
    for decider in deciders:
        if same_person(decider, reviewer):
            raise CaseError(f"{decider} made the original decision, so a different officer must review it "
                            "(s45 Code of Practice: a review by someone not involved in the decision)")


def _shared(maps: Sequence[dict[str, Value]]) -> dict[str, Value]:
    first = maps[0]
    return {k: v for k, v in first.items() if all(k in m and m[k] == v for m in maps[1:])}


def _part(records: Sequence[DecisionRecord]) -> dict[str, Any]:
    """One answers-file part from its decision record, or from its portions' records."""
    head = records[0]
    entry: dict[str, Any] = {"id": head.part.portion_of or head.part.id,
                             "summary": (head.part.part_summary or head.part.summary) if head.part.portion_of
                             else head.part.summary}
    if head.part.tags:
        entry["tags"] = list(head.part.tags)
    if head.part.kind != "answered":
        entry["kind"] = head.part.kind
    if head.part.fallback_for:
        entry["fallback_for"] = head.part.fallback_for
    answers = [dict(r.answers or {}) for r in records]
    if not head.part.portion_of:
        entry["answers"] = answers[0]
        return entry
    entry["answers"] = common = _shared(answers)
    entry["portions"] = [{"id": r.part.id.removeprefix(f"{head.part.portion_of}."), "summary": r.part.summary,
                          "answers": {k: v for k, v in a.items() if k not in common}}
                         for r, a in zip(records, answers, strict=True)]
    return entry


def review_answers(case: Case, regime: str, reviewer: str) -> dict[str, Any]:
    """The case's current decisions as an answers file (case details, parts, answers) for the
    reviewer to read and change; decisions recorded before raw answers were kept cannot be."""
    unreplayable = [d.part.id for d in case.parts if d.answers is None]
    if unreplayable:
        raise CaseError(f"the decisions of part(s) {', '.join(unreplayable)} were recorded before the raw answers "
                        "were kept, so they cannot be reopened as an answers file; review them by hand")
    if not case.parts:
        raise CaseError(f"case {case.ref} has no decision to review")
    groups: dict[str, list[DecisionRecord]] = {}
    for d in case.parts:
        groups.setdefault(d.part.portion_of or d.part.id, []).append(d)
    data: dict[str, Any] = {"case_ref": case.ref, "regime": regime}
    head = case.parts[0]
    if head.case.request:
        data["request"] = head.case.request
    if case.received:
        data["received"] = case.received
    data["officer"] = reviewer
    data["parts"] = [_part(records) for records in groups.values()]
    return data


def review_result(original: Sequence[DecisionRecord], new: Sequence[DecisionRecord]) -> str:
    """`upheld` (every part decided as before), `overturned` (none), or `partly-upheld`."""
    before = {d.part.id: d.decision.outcome for d in original}
    same = [before.get(d.part.id) == d.decision.outcome for d in new]
    if all(same):
        return UPHELD
    return OVERTURNED if not any(same) else PARTLY



def review_decisions(records: Iterable[AuditRecord], ref: str) -> tuple[list[DecisionRecord], list[DecisionRecord]]:
    """For the case's latest review: the latest decision of each part from before it was asked for
    or started (the originals), and those recorded since (the review's new decisions)."""
    before: dict[str, DecisionRecord] = {}
    since: dict[str, DecisionRecord] = {}
    under_review = False
    for record in records:
        if isinstance(record, CaseEventRecord) and same_person(record.case_ref or "", ref):
            if record.event in (REVIEW_REQUESTED, REVIEW_STARTED) and not under_review:
                under_review = True
            elif record.event == REVIEW_DECIDED:
                under_review = False
                before.update(since)
                since = {}
        elif isinstance(record, DecisionRecord) and same_person(record.case_ref or "", ref):
            target = since if under_review else before
            target.pop(record.part.id, None)
            target[record.part.id] = record
    return list(before.values()), list(since.values())
