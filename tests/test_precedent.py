"""audit/precedent.py: earlier decisions on parts with the same topic tags or provisions, newest
first, one per case and part. The records are written the way decide and the interview write them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.audit.precedent import Precedent, consistent_departure, find_precedents
from ncnd_assistant.audit.record import AuditRecord
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.model import Outcome, RuleBase

NCND = {"covert_tactic": True, "crime_harm": "would", "officially_confirmed": False}
NOT_HELD = {"covert_tactic": False, "held": False}


def record(log: Path, rb: RuleBase, n: int, case_ref: str, answers: dict[str, Any], tags: list[str],
           session: str, final: Outcome | None = None) -> None:
    """Decision number `n` (id rec-N, at N o'clock) on part 'p' of `case_ref`."""
    pa = Assessor(rb, engine="python").assess_part(Part("p", f"summary {n}", answers))
    body = decision_record(rb, pa, case_ref=case_ref, officer="Alice", session=session, final=final or pa.outcome,
                           override_reason="the officer knows better" if final else "", tags=tags)
    audit.append(log, body, clock=lambda: datetime(2026, 11, 27, n, tzinfo=UTC), new_id=lambda: f"rec-{n}")


@pytest.fixture
def records(tmp_path: Path, example: RuleBase) -> list[AuditRecord]:
    log = tmp_path / "audit.jsonl"
    record(log, example, 1, "C-1", NCND, ["covert", "cctv"], "s1")
    record(log, example, 2, "C-2", NOT_HELD, ["cctv"], "s2")
    record(log, example, 3, "C-1", NCND, ["covert"], "s3", final=Outcome.DISCLOSE)  # C-1 decided again
    record(log, example, 4, "C-3", NOT_HELD, ["drones"], "s4")
    audit.append(log, {"kind": "note", "case_ref": "C-9", "part": {"id": "p", "tags": ["covert"]}})
    return audit.read_records(log)


def at(hour: int) -> str:
    return f"2026-11-27T{hour:02d}:00:00+00:00"


def test_a_shared_tag_finds_the_latest_decision_per_case_and_part_newest_first(records: list[AuditRecord]) -> None:
    assert find_precedents(records, ["cctv", "covert"], []) == [
        Precedent("rec-3", at(3), "C-1", "summary 3", "disclose", (), ("covert",)),
        Precedent("rec-2", at(2), "C-2", "summary 2", "not_held", (), ("cctv",)),
    ]


def test_a_provision_considered_matches_even_when_the_officer_overrode_it(records: list[AuditRecord]) -> None:
    [found] = find_precedents(records, [], ["s31(3)", "s24(2)"])
    assert (found.record_id, found.outcome, found.provisions, found.shared) == ("rec-3", "disclose", (), ("s31(3)",))


def test_shared_lists_tags_then_provisions_each_sorted(records: list[AuditRecord]) -> None:
    found = find_precedents(records, ["zebra", "covert", "cctv"], ["s31(3)"], exclude_session="s3")
    assert [(p.record_id, p.provisions, p.shared) for p in found] == [  # the closest first
        ("rec-1", ("s31(3)",), ("cctv", "covert", "s31(3)")), ("rec-2", (), ("cctv",))]


def test_the_session_being_decided_is_left_out(records: list[AuditRecord]) -> None:
    assert [p.record_id for p in find_precedents(records, ["covert", "cctv"], [], exclude_session="s3")] == [
        "rec-1", "rec-2"]  # rec-1 shares both tags


def test_nothing_shared_finds_nothing_and_the_limit_keeps_the_newest(records: list[AuditRecord]) -> None:
    assert find_precedents(records, ["bicycles"], ["s40(2)"]) == []
    assert find_precedents(records, [], []) == []
    assert [p.record_id for p in find_precedents(records, ["cctv", "covert", "drones"], [], limit=2)] == [
        "rec-4", "rec-3"]


def test_an_older_record_without_considered_provisions_uses_its_decision() -> None:
    old = AuditRecord.from_json({"kind": "decision", "id": "old", "time": at(5), "case_ref": "C-0",
                                 "part": {"id": "p", "summary": "s"}, "decision": {"outcome": "ncnd",
                                                                                   "provisions": ["s31(3)"]}})
    assert find_precedents([old], [], ["s31(3)"]) == [
        Precedent("old", at(5), "C-0", "s", "ncnd", ("s31(3)",), ("s31(3)",))]


def test_a_precedent_departs_from_any_other_outcome() -> None:
    precedent = Precedent("r", at(1), "C-1", "s", "ncnd", ("s31(3)",), ("covert",))
    assert (precedent.departs_from("ncnd"), precedent.departs_from("not_held")) == (False, True)


def decision_json(rid: str, hour: int, case_ref: str, outcome: str, relied: list[str], considered: list[str],
                  tags: list[str]) -> AuditRecord:
    return AuditRecord.from_json({
        "kind": "decision", "id": rid, "time": at(hour), "case_ref": case_ref,
        "part": {"id": "p", "summary": case_ref, "tags": tags},
        "recommendation": {"outcome": outcome, "provisions": relied}, "considered_provisions": considered,
        "decision": {"outcome": outcome, "provisions": relied}})


def test_a_provision_only_considered_is_not_shared() -> None:
    considered = decision_json("r1", 1, "C-1", "ncnd", ["s31(3)"], ["s31(3)", "s30(3)"], [])
    assert find_precedents([considered], [], ["s30(3)"]) == []
    assert [p.shared for p in find_precedents([considered], [], ["s30(3)", "s31(3)"])] == [("s31(3)",)]


def test_only_the_closest_few_are_listed_with_why_they_match() -> None:
    many = [decision_json(f"r{n}", n, f"C-{n}", "ncnd", ["s31(3)"], ["s31(3)"], []) for n in range(1, 8)]
    closest = decision_json("r9", 9 - 8, "C-9", "ncnd", ["s24(2)", "s31(3)"], ["s24(2)", "s31(3)"], ["covert"])
    found = find_precedents([closest, *many], ["covert"], ["s24(2)", "s31(3)"])
    assert [p.record_id for p in found] == ["r9", "r7", "r6"]  # most in common, then newest; three at most
    assert (found[0].shared_tags, found[0].shared_provisions) == (("covert",), ("s24(2)", "s31(3)"))


def test_a_departure_is_from_consistent_precedent_only() -> None:
    ncnd = [decision_json(f"r{n}", n, f"C-{n}", "ncnd", ["s31(3)"], [], []) for n in (1, 2)]
    found = find_precedents(ncnd, [], ["s31(3)"])
    assert consistent_departure(found, "withhold") == found
    assert consistent_departure(found, "ncnd") == []
    mixed = found + find_precedents([decision_json("r3", 3, "C-3", "disclose", ["s31(3)"], [], [])], [], ["s31(3)"])
    assert consistent_departure(mixed, "withhold") == []
    by_tag = find_precedents([decision_json("r4", 4, "C-4", "not_held", [], [], ["cctv"])], ["cctv"], ["s31(3)"])
    assert consistent_departure(found + by_tag, "withhold") == found  # the provision matches decide it
