"""The case register from real decision records: status, officers, filters, sign-off with roles,
internal reviews linked to the original decisions (docs/cases.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.audit.record import AuditRecord, CaseEventRecord, DecisionRecord, RoleRecord, record_hash
from ncnd_assistant.cases import register as reg
from ncnd_assistant.cases.events import CaseError, event_body
from ncnd_assistant.cases.register import OpenSession, build_register, find_case, select
from ncnd_assistant.cases.review import check_reviewer, review_answers, review_decisions, review_result
from ncnd_assistant.cases.roles import role_body, roles, signer_problem
from ncnd_assistant.cases.views import case_detail
from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import SEED

RECEIVED = date(2026, 3, 2)
TODAY = date(2026, 3, 20)


def seed_decisions(rb: RuleBase, ref: str, officer: str, received: date | None = RECEIVED,
                   session: str = "s1", answers: Path = SEED) -> list[dict[str, Any]]:
    request = load_request(answers, rb)
    return [decision_record(rb, pa, case_ref=ref, officer=officer, session=session, final=pa.outcome,
                            received=received, request="Dear force, my name is Jo Requester", tags=pa.part.tags,
                            decided_on=date(2026, 3, 10))
            for pa in Assessor(rb).assess(request).parts]


class Log:
    """A real decision log in a temporary folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, *bodies: dict[str, Any]) -> list[AuditRecord]:
        return audit.append_many(self.path, list(bodies))

    def event(self, ref: str, kind: str, day: str, officer: str = "A. Officer", **more: Any) -> CaseEventRecord:
        record = self.add(event_body(ref, kind, date.fromisoformat(day), officer, **more))[-1]
        assert isinstance(record, CaseEventRecord)
        return record

    def records(self) -> list[AuditRecord]:
        return audit.read_records(self.path)

    def case(self, ref: str = "R1", sessions: tuple[OpenSession, ...] = ()) -> reg.Case:
        found = find_case(build_register(self.records(), sessions), ref)
        assert found is not None
        return found


@pytest.fixture
def log(tmp_path: Path) -> Log:
    return Log(tmp_path / "audit.jsonl")


def covert(case: reg.Case) -> DecisionRecord:
    return next(d for d in case.parts if d.part.id == "covert")


def test_a_case_moves_through_its_statuses(log: Log, shipped: RuleBase) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    case = log.case()
    assert case.status == reg.AWAITING_SIGN_OFF  # s24(2) is in the rule base's sign_off list
    assert [d.part.id for d in case.parts] == ["overt", "covert"] and case.received == RECEIVED
    assert case.provisions == ("s24(2)", "s31(3)") and case.officers == ("A. Officer",)
    log.add({"kind": "sign-off", "decision_id": covert(case).id, "by": "B. Signer", "case_ref": "R1",
             "decided_by": "A. Officer"})
    assert log.case().status == reg.DECIDED
    log.event("R1", "sent", "2026-03-25")
    assert log.case().status == reg.SENT and log.case().clock.within_20 is True
    log.event("R1", "review-requested", "2026-04-01")
    assert log.case().status == reg.UNDER_REVIEW
    log.event("R1", "review-decided", "2026-04-20", officer="C. Reviewer", outcome="upheld")
    case = log.case()
    assert case.status == reg.SENT and case.reviews[0].outcome == "upheld"
    assert case.reviews[0].clock is not None and case.reviews[0].clock.target == date(2026, 5, 1)
    log.event("R1", "ico-complaint", "2026-05-01")
    assert log.case().status == reg.WITH_ICO


def test_open_and_in_interview(log: Log) -> None:
    log.event("R2", "received", "2026-03-02")
    case = log.case("R2")
    assert case.status == reg.OPEN and case.clock.due == date(2026, 3, 31)
    interview = log.case("R3", (OpenSession("R3", "D. Officer", RECEIVED),))
    assert interview.status == reg.IN_INTERVIEW and interview.officers == ("D. Officer",)
    assert interview.clock.due == date(2026, 3, 31)


def test_sign_offs_count_only_from_signers_once_roles_are_recorded(log: Log, shipped: RuleBase) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    decision = covert(log.case())
    log.add(role_body("C. Signer", "signer", True, "Admin"))
    log.add({"kind": "sign-off", "decision_id": decision.id, "by": "B. Nobody", "case_ref": "R1",
             "decided_by": "A. Officer"})
    case = log.case()
    assert case.status == reg.AWAITING_SIGN_OFF and "signer role" in case.sign_off_notes[0]
    log.add({"kind": "sign-off", "decision_id": decision.id, "by": "c.  signer", "case_ref": "R1",
             "decided_by": "A. Officer"})
    assert log.case().status == reg.DECIDED
    log.add(role_body("C. Signer", "signer", False, "Admin"))
    assert log.case().status == reg.AWAITING_SIGN_OFF


def test_roles_and_four_eyes() -> None:
    records = [RoleRecord.from_json(role_body("A. Officer", "officer", True, "x")),
               RoleRecord.from_json(role_body("a. officer", "signer", True, "x"))]
    held = roles(records)
    assert held == {"A. Officer": {"officer", "signer"}}
    assert "four eyes" in signer_problem(held, "A. OFFICER", "A. Officer")
    assert signer_problem(held, "A. Officer", "B. Officer") == ""
    assert signer_problem({}, "Anyone", "B. Officer") == ""  # no roles list yet: as before
    with pytest.raises(CaseError, match="not a role"):
        role_body("X", "admin", True, "y")


def test_filters(log: Log, shipped: RuleBase) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    log.add(*seed_decisions(shipped, "R2", "B. Officer", received=date(2026, 3, 16), session="s2"))
    log.event("R2", "sent", "2026-03-18", officer="B. Officer")
    cases = build_register(log.records())
    assert [c.ref for c in select(cases, TODAY, officer="b. officer")] == ["R2"]
    assert [c.ref for c in select(cases, TODAY, status=reg.SENT)] == ["R2"]
    assert [c.ref for c in select(cases, TODAY, due_within=7)] == ["R1"]  # 7 working days left; R2 is sent
    assert select(cases, TODAY, due_within=6) == []
    assert [c.ref for c in select(cases, TODAY, provision="S31(3)")] == ["R1", "R2"]
    assert select(cases, TODAY, tag="no-such-tag") == [] and len(select(cases, TODAY, tag="cctv")) == 2


def test_the_register_never_shows_the_request_or_requester(log: Log, shipped: RuleBase) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    assert "Jo Requester" not in json.dumps(case_detail(log.case(), TODAY))


def test_review_answers_reassess_to_the_original_outcomes(log: Log, shipped: RuleBase, tmp_path: Path) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    case = log.case()
    data = review_answers(case, "foia", "C. Reviewer")
    assert data["officer"] == "C. Reviewer" and data["received"] == RECEIVED
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    again = Assessor(shipped).assess(load_request(path, shipped))
    assert [(p.part.id, p.outcome.value) for p in again.parts] == [(d.part.id, d.decision.outcome)
                                                                   for d in case.parts]


def test_a_reviewer_must_not_be_the_decider(log: Log, shipped: RuleBase) -> None:
    log.add(*seed_decisions(shipped, "R1", "A. Officer"))
    with pytest.raises(CaseError, match="different officer"):
        check_reviewer(log.case().deciders, " a.  OFFICER")
    check_reviewer(log.case().deciders, "C. Reviewer")


def test_a_review_replaces_the_original_decisions_and_keeps_them(log: Log, shipped: RuleBase) -> None:
    originals = [r for r in log.add(*seed_decisions(shipped, "R1", "A. Officer")) if isinstance(r, DecisionRecord)]
    log.event("R1", "review-started", "2026-04-01", officer="C. Reviewer")
    new = [r for r in log.add(*seed_decisions(shipped, "R1", "C. Reviewer", session="review-1"))
           if isinstance(r, DecisionRecord)]
    before, since = review_decisions(log.records(), "R1")
    assert [d.id for d in before] == [d.id for d in originals] and [d.id for d in since] == [d.id for d in new]
    assert review_result(before, since) == "upheld"
    log.event("R1", "review-decided", "2026-04-10", officer="C. Reviewer", outcome="upheld",
              decisions=[d.id for d in new], replaces=[d.id for d in originals])
    case = log.case()
    assert [d.id for d in case.parts] == [d.id for d in new]
    assert [d.id for d in case.replaced] == [d.id for d in originals]
    assert case.deciders == ("A. Officer", "C. Reviewer") and case.reviews[0].officer == "C. Reviewer"


def test_review_results() -> None:
    def d(part: str, outcome: str) -> DecisionRecord:
        record = DecisionRecord.from_json({"kind": "decision", "part": {"id": part}, "decision": {"outcome": outcome}})
        assert isinstance(record, DecisionRecord)
        return record

    before = [d("a", "ncnd"), d("b", "withhold")]
    assert review_result(before, [d("a", "ncnd"), d("b", "withhold")]) == "upheld"
    assert review_result(before, [d("a", "disclose"), d("b", "disclose")]) == "overturned"
    assert review_result(before, [d("a", "ncnd"), d("b", "disclose")]) == "partly-upheld"


def test_case_events_are_checked() -> None:
    with pytest.raises(CaseError, match="not a case event"):
        event_body("R1", "lunch", RECEIVED, "A")
    with pytest.raises(CaseError, match="who is recording"):
        event_body("R1", "sent", RECEIVED, "  ")
    with pytest.raises(CaseError, match="between 1 and 60"):
        event_body("R1", "holding-notice", RECEIVED, "A", working_days=61)


def test_new_record_kinds_read_and_write_back_exactly() -> None:
    body = {**event_body("R1", "ico-decision", RECEIVED, "A", reference="FS50123456", outcome="not-upheld"),
            "id": "x", "time": "t", "tool_version": "v", "prev_hash": "0" * 64, "future_key": [1]}
    body["hash"] = record_hash(body)
    record = AuditRecord.from_json(body)
    assert isinstance(record, CaseEventRecord) and record.reference == "FS50123456"
    assert record.to_json() == body and record_hash(record.to_json()) == body["hash"]
    old = {"kind": "case-event", "case_ref": "R1", "event": "sent"}  # keys missing: defaults, not written back
    assert AuditRecord.from_json(old).to_json() == old


def test_a_part_with_portions_is_reopened_with_its_portions(log: Log, shipped: RuleBase, tmp_path: Path) -> None:
    answers = Path(__file__).parent / "fixtures" / "answers" / "portions.yaml"
    log.add(*seed_decisions(shipped, "R1", "A. Officer", answers=answers))
    case = log.case()
    data = review_answers(case, "foia", "C. Reviewer")
    assert any("portions" in part for part in data["parts"])
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    again = Assessor(shipped).assess(load_request(path, shipped))
    assert [(p.part.id, p.outcome.value) for p in again.parts] == [(d.part.id, d.decision.outcome)
                                                                   for d in case.parts]
