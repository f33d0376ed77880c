"""A case as plain data: the register's row (JSON and CSV) and the full view of `cases show`.
The request text and anything about the requester are never included."""

from __future__ import annotations

from datetime import date
from typing import Any

from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.cases.register import Case, relied_on

CSV_COLUMNS = ("ref", "received", "due", "deadline", "days_left", "status", "officers", "parts", "provisions",
               "tags")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def part_summary(decision: DecisionRecord) -> str:
    """`part: outcome` for the register."""
    return f"{decision.part.id}: {decision.decision.outcome or '?'}"


def case_row(case: Case, today: date) -> dict[str, Any]:
    """The register's row for a case."""
    return {"ref": case.ref, "received": _iso(case.received), "due": _iso(case.clock.due),
            "deadline": _iso(case.clock.deadline), "days_left": case.clock.days_left(today),
            "stopped": case.clock.stopped or None, "status": case.status, "officers": list(case.officers),
            "parts": [{"id": d.part.id, "outcome": d.decision.outcome, "provisions": relied_on(d)} for d in case.parts],
            "provisions": list(case.provisions), "tags": list(case.tags)}


def csv_row(case: Case, today: date) -> list[str]:
    """The register's row as CSV cells, in CSV_COLUMNS order."""
    row = case_row(case, today)
    cells = {**row, "officers": "; ".join(case.officers), "parts": "; ".join(map(part_summary, case.parts)),
             "provisions": "; ".join(case.provisions), "tags": "; ".join(case.tags)}
    return ["" if cells[c] is None else str(cells[c]) for c in CSV_COLUMNS]


def _decision(d: DecisionRecord) -> dict[str, Any]:
    return {"record": d.id, "part": d.part.id, "summary": d.part.summary, "officer": d.officer,
            "decided_on": d.decided_on, "source": d.source, "recommendation": d.recommendation.outcome,
            "outcome": d.decision.outcome, "provisions": relied_on(d),
            "override_reason": d.override.reason if d.override else None,
            "sign_off_required": d.sign_off_required,
            "questions": [{"id": q.id, "text": q.text, "answer": q.answer} for q in d.questions]}


def case_detail(case: Case, today: date) -> dict[str, Any]:
    """Everything `cases show` gives: the row, the clock, each decision (current and replaced),
    the events, reviews and appeals."""
    clock = case.clock
    return {**case_row(case, today),
            "clock": {"start": _iso(clock.start), "due": _iso(clock.due), "deadline": _iso(clock.deadline),
                      "extended_by": clock.extended_by, "holding_notice": _iso(clock.holding_notice),
                      "stopped": clock.stopped or None, "sent": _iso(clock.answered),
                      "within_20": clock.within_20, "notes": list(clock.notes)},
            "decisions": [_decision(d) for d in case.parts],
            "replaced_decisions": [_decision(d) for d in case.replaced],
            "awaiting_sign_off": [d.id for d in case.awaiting_sign_off], "sign_off_notes": list(case.sign_off_notes),
            "events": [{"record": e.id, "event": e.event, "date": e.date, "officer": e.officer, "note": e.note,
                        "reference": e.reference, "outcome": e.outcome} for e in case.events],
            "reviews": [{"requested": _iso(r.requested), "officer": r.officer, "decided": _iso(r.decided),
                         "outcome": r.outcome or None, "target": _iso(r.clock.target) if r.clock else None,
                         "limit": _iso(r.clock.limit) if r.clock else None,
                         "days_left": r.clock.days_left(today) if r.clock else None,
                         "replaces": list(r.replaces), "decisions": list(r.decisions)} for r in case.reviews],
            "appeals": [{"event": a.event, "date": _iso(a.day), "reference": a.reference, "outcome": a.outcome}
                        for a in case.appeals]}
