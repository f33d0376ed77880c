"""Case events: what can happen to a case besides its decisions, and the `case-event` record body
for one (the log adds id, time and the hash chain)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ncnd_assistant.errors import ExitCode, NcndError

RECEIVED = "received"
HOLDING_NOTICE = "holding-notice"  # s17(2): the public-interest decision needs longer (s10(3))
CLARIFICATION_SOUGHT = "clarification-sought"  # s1(3)
CLARIFICATION_RECEIVED = "clarification-received"  # s10(6)(b): the date of receipt becomes this day
FEES_NOTICE = "fees-notice"  # s9: the clock stops (s10(2))
FEE_PAID = "fee-paid"
SENT = "sent"
REVIEW_REQUESTED = "review-requested"
REVIEW_STARTED = "review-started"
REVIEW_DECIDED = "review-decided"
ICO_COMPLAINT = "ico-complaint"  # s50
ICO_DECISION = "ico-decision"
TRIBUNAL_DECISION = "tribunal-decision"  # s57 appeal to the First-tier Tribunal

EVENTS: dict[str, str] = {
    RECEIVED: "the request was received (opens a case before any decision)",
    HOLDING_NOTICE: "s17(2) notice sent: the public interest needs longer (s10(3)); --days extra working days",
    CLARIFICATION_SOUGHT: "s1(3): further information asked of the requester; the clock waits for it",
    CLARIFICATION_RECEIVED: "the clarification arrived: the 20 working days run from this day (s10(6)(b))",
    FEES_NOTICE: "s9 fees notice given: the clock stops until the fee is paid (s10(2))",
    FEE_PAID: "the fee was received: the clock runs again",
    SENT: "the response was sent to the requester",
    REVIEW_REQUESTED: "the requester asked for an internal review",
    REVIEW_STARTED: "a reviewing officer took the review (ncnd review start)",
    REVIEW_DECIDED: "the review's decision (ncnd review decide)",
    ICO_COMPLAINT: "the requester complained to the ICO (s50)",
    ICO_DECISION: "the ICO's decision notice (ncnd ico record)",
    TRIBUNAL_DECISION: "the First-tier Tribunal's decision on an appeal (ncnd ico record --tribunal)",
}

REVIEW_OUTCOMES = ("upheld", "overturned", "partly-upheld")
ICO_OUTCOMES = ("upheld", "not-upheld", "partly-upheld")  # upheld: the complaint, i.e. the authority lost
TRIBUNAL_OUTCOMES = ("allowed", "dismissed", "partly-allowed", "struck-out", "withdrawn")


class CaseError(NcndError):
    """A case command cannot be done: an unknown case or event, a bad date, four eyes."""

    exit_code = ExitCode.FAILED


def parse_day(text: str | None, today: date, what: str = "--date") -> date:
    """A YYYY-MM-DD date (today when not given)."""
    if not text:
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CaseError(f"{what} '{text}' is not a date: give it as YYYY-MM-DD") from None


def event_body(case_ref: str, event: str, day: date, officer: str, note: str = "", *, reference: str = "",
               outcome: str = "", working_days: int = 0, decisions: tuple[str, ...] | list[str] = (),
               replaces: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """One `kind: case-event` record body, checked: a known event, a reference, an officer."""
    if event not in EVENTS:
        raise CaseError(f"'{event}' is not a case event; the events are: {', '.join(EVENTS)}")
    if not case_ref.strip():
        raise CaseError("a case event needs the case reference")
    if not officer.strip():
        raise CaseError("say who is recording this: --officer NAME, or `ncnd settings set officer NAME`")
    if working_days < 0 or working_days > 60:
        raise CaseError("an extension is between 1 and 60 working days (the ICO expects 20 at most)")
    return {"kind": "case-event", "case_ref": case_ref.strip(), "event": event, "date": day.isoformat(),
            "officer": " ".join(officer.split()), "note": note, "reference": reference.strip(),
            "outcome": outcome, "working_days": working_days, "decisions": list(decisions),
            "replaces": list(replaces)}
