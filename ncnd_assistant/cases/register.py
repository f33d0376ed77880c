"""The case register: every case in the log, its status, its clock, its parts and outcomes.

A case is every record with its reference: decisions (the latest per part is the current one; a
review's new decision replaces the original, which is kept beside it), sign-offs, case events and
any unfinished interview session. Status, first that applies: `with the ICO` (a complaint, decision
notice or tribunal decision recorded), `under internal review` (asked for and not yet decided),
`in interview` (an unfinished session, nothing sent), `sent`, `awaiting sign-off` (a current
decision the rule base wants signed off without a valid sign-off), `decided`, `open`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import field, replace
from datetime import date

from ncnd_assistant.audit.decision_record import recorded_regime
from ncnd_assistant.audit.query import decision_provisions
from ncnd_assistant.audit.record import AuditRecord, CaseEventRecord, DecisionRecord, SignOffRecord
from ncnd_assistant.cases import events as ev
from ncnd_assistant.cases.clock import CaseClock, ReviewClock, case_clock, review_clock
from ncnd_assistant.cases.roles import roles, same_person, signer_problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.workdays import DueDateError
from ncnd_assistant.rulebase.loader import shipped_regime_of

OPEN = "open"
IN_INTERVIEW = "in interview"
DECIDED = "decided"
AWAITING_SIGN_OFF = "awaiting sign-off"
SENT = "sent"
UNDER_REVIEW = "under internal review"
WITH_ICO = "with the ICO"
STATUSES = (OPEN, IN_INTERVIEW, DECIDED, AWAITING_SIGN_OFF, SENT, UNDER_REVIEW, WITH_ICO)
NO_REFERENCE = "(no reference)"


def relied_on(decision: DecisionRecord) -> list[str]:
    """The provisions the final decision relies on: the recommendation's when the officer accepted
    it (older records kept them only there), none of them when the officer overrode it."""
    if decision.override is None and decision.decision.outcome == decision.recommendation.outcome:
        return decision_provisions(decision)
    return list(decision.decision.provisions)


@dataclass(frozen=True)
class OpenSession:
    """What the register needs of an unfinished interview session (read by the CLI)."""

    case_ref: str
    officer: str = ""
    received: date | None = None


@dataclass(frozen=True)
class Review:
    """An internal review of the case."""

    requested: date | None
    officer: str = ""  # the reviewing officer
    decided: date | None = None
    outcome: str = ""
    clock: ReviewClock | None = None
    replaces: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Appeal:
    """A complaint to the ICO, its decision notice, or a tribunal's decision."""

    event: str
    day: date | None
    reference: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class Case:
    """One request in the register."""

    ref: str
    status: str
    clock: CaseClock
    received: date | None = None
    officers: tuple[str, ...] = ()
    parts: tuple[DecisionRecord, ...] = ()  # the current decision of each part
    replaced: tuple[DecisionRecord, ...] = ()  # decisions a review decided again (the originals)
    events: tuple[CaseEventRecord, ...] = ()
    reviews: tuple[Review, ...] = ()
    appeals: tuple[Appeal, ...] = ()
    awaiting_sign_off: tuple[DecisionRecord, ...] = ()
    sign_off_notes: tuple[str, ...] = ()
    in_interview: bool = False

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for d in self.parts for t in d.part.tags))

    @property
    def provisions(self) -> tuple[str, ...]:
        """The provisions the current decisions rely on."""
        return tuple(dict.fromkeys(p for d in self.parts for p in relied_on(d)))

    @property
    def deciders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.officer for d in (*self.replaced, *self.parts) if d.officer))


@dataclass
class _Gather:
    decisions: list[DecisionRecord] = field(default_factory=list)
    sign_offs: list[SignOffRecord] = field(default_factory=list)
    events: list[CaseEventRecord] = field(default_factory=list)
    sessions: list[OpenSession] = field(default_factory=list)


def _ref(ref: str | None) -> str:
    return (ref or "").strip() or NO_REFERENCE


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _reviews(events: Sequence[CaseEventRecord], regime: str = "foia") -> list[Review]:
    """The case's reviews from its review events (a review started or decided without a recorded
    request counts from the day it was started)."""
    reviews: list[Review] = []
    for record in events:
        day = _day(record.date)
        open_review = bool(reviews) and reviews[-1].decided is None
        if record.event == ev.REVIEW_REQUESTED:
            reviews.append(Review(requested=day))
        elif record.event == ev.REVIEW_STARTED:
            if not open_review:
                reviews.append(Review(requested=day))
            reviews[-1] = replace(reviews[-1], officer=record.officer)
        elif record.event == ev.REVIEW_DECIDED:
            if not open_review:
                reviews.append(Review(requested=None))
            last = reviews[-1]
            reviews[-1] = replace(last, officer=last.officer or record.officer, decided=day,
                                  outcome=record.outcome, replaces=record.replaces, decisions=record.decisions)
    return [replace(r, clock=_review_clock(r, regime)) for r in reviews]


def _review_clock(review: Review, regime: str) -> ReviewClock | None:
    try:
        return review_clock(review.requested, review.decided, regime) if review.requested else None
    except DueDateError:
        return None


def case_regime(parts: Sequence[DecisionRecord]) -> str:
    """The law a case's request is answered under, from the shipped rule base its decisions name
    (not an EIR part of a mixed request); "" when none is recorded or the rule base is not shipped
    (the clock then counts as FOIA does)."""
    for d in parts:
        if not recorded_regime(d) and (regime := shipped_regime_of(d.rulebase.id)):
            return regime
    return ""


def _current(decisions: Sequence[DecisionRecord]) -> list[DecisionRecord]:
    """The latest decision of each part (log order)."""
    latest: dict[str, DecisionRecord] = {}
    for d in decisions:
        key = d.part.id or d.id
        latest.pop(key, None)
        latest[key] = d
    return list(latest.values())


def _build(ref: str, g: _Gather, held: dict[str, set[str]]) -> Case:
    parts = _current(g.decisions)
    current_ids = {d.id for d in parts}
    replaced_ids = {i for e in g.events if e.event == ev.REVIEW_DECIDED for i in e.replaces}
    replaced = tuple(d for d in g.decisions if d.id in replaced_ids and d.id not in current_ids)
    received = next((day for e in g.events if e.event == ev.RECEIVED and (day := _day(e.date))), None) \
        or next((day for r in g.decisions if (day := _day(r.case.received))), None) \
        or next((s.received for s in g.sessions if s.received), None)
    regime = case_regime(parts)
    clock = case_clock(received, g.events, regime)
    awaiting, notes = [], []
    for d in parts:
        if not d.sign_off_required:
            continue
        problems = [signer_problem(held, s.by, d.officer) for s in g.sign_offs if s.decision_id == d.id]
        if not any(p == "" for p in problems):
            awaiting.append(d)
            notes += [f"sign-off of {d.id[:12]} does not count: {p}" for p in problems if p]
    reviews = _reviews(g.events, regime)
    appeals = [Appeal(e.event, _day(e.date), e.reference, e.outcome) for e in g.events
               if e.event in (ev.ICO_COMPLAINT, ev.ICO_DECISION, ev.TRIBUNAL_DECISION)]
    in_interview = bool(g.sessions)
    if appeals:
        status = WITH_ICO
    elif reviews and reviews[-1].decided is None:
        status = UNDER_REVIEW
    elif in_interview and clock.answered is None:
        status = IN_INTERVIEW
    elif clock.answered is not None or reviews:
        status = SENT
    elif awaiting:
        status = AWAITING_SIGN_OFF
    elif parts:
        status = DECIDED
    else:
        status = OPEN
    officers: list[str] = []
    for name in [d.officer for d in g.decisions] + [s.officer for s in g.sessions] + [e.officer for e in g.events]:
        if name and not any(same_person(name, o) for o in officers):
            officers.append(name)
    return Case(ref, status, clock, received, tuple(officers), tuple(parts), replaced, tuple(g.events),
                tuple(reviews), tuple(appeals), tuple(awaiting), tuple(notes), in_interview)


def build_register(records: Iterable[AuditRecord], sessions: Iterable[OpenSession] = ()) -> list[Case]:
    """Every case, in the order its first record (or session) appears."""
    groups: dict[str, _Gather] = {}
    all_records = list(records)  # roles are read over the whole log
    for record in all_records:
        match record:
            case DecisionRecord():
                groups.setdefault(_ref(record.case_ref), _Gather()).decisions.append(record)
            case SignOffRecord():
                groups.setdefault(_ref(record.case_ref), _Gather()).sign_offs.append(record)
            case CaseEventRecord():
                groups.setdefault(_ref(record.case_ref), _Gather()).events.append(record)
    for session in sessions:
        groups.setdefault(_ref(session.case_ref), _Gather()).sessions.append(session)
    held = roles(all_records)
    return [_build(ref, g, held) for ref, g in groups.items()]


def find_case(cases: Iterable[Case], ref: str) -> Case | None:
    """The case with this reference (exactly, else ignoring case and spacing)."""
    cases = list(cases)
    return next((c for c in cases if c.ref == ref.strip()), None) or \
        next((c for c in cases if same_person(c.ref, ref)), None)


def select(cases: Iterable[Case], today: date, *, status: str | None = None, officer: str | None = None,
           due_within: int | None = None, provision: str | None = None, tag: str | None = None) -> list[Case]:
    """The cases matching every filter given. `due_within N`: a deadline at most N working days
    away (overdue ones included), the response not yet sent."""
    def wanted(case: Case) -> bool:
        left = case.clock.days_left(today)
        return ((status is None or case.status == status)
                and (officer is None or any(same_person(officer, o) for o in case.officers))
                and (due_within is None or (left is not None and left <= due_within))
                and (provision is None or provision.casefold() in {p.casefold() for p in case.provisions})
                and (tag is None or tag in case.tags))
    return [c for c in cases if wanted(c)]
