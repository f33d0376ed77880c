"""Statistics for the monthly report and the ICO, from the register (never the requester: no
request text or name is read).

A period is inclusive. Each figure counts what happened in it: requests received (date of
receipt), answered (the day sent; where no `sent` event is recorded, the decision's `decided_on`,
which the interview records as the date of the response), answered within 20 working days
(s10(1); the ICO monitors authorities answering fewer than 90% in time), extensions (holding
notices dated in the period), outcomes per part, provisions relied on (NCND limbs apart from the
rest) and overrides of the recommendation (decisions made in the period), internal reviews asked
for and decided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import date
from typing import Any

from ncnd_assistant.audit.query import decided_on
from ncnd_assistant.cases import events as ev
from ncnd_assistant.cases.register import Case, relied_on
from ncnd_assistant.lazy_dataclass import dataclass

ICO_TARGET = 90.0  # per cent answered within 20 working days


def answered_on(case: Case) -> date | None:
    """When the response went: the `sent` event, else the latest current decision's date."""
    if case.clock.answered is not None:
        return case.clock.answered
    days = [d for p in case.parts if (d := decided_on(p)) is not None]
    return max(days) if days else None


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    answered: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class Stats:
    since: date | None
    until: date | None
    received: int = 0
    answered: int = 0
    on_time: int = 0  # within the s10(1) 20 working days
    within_deadline: int = 0  # within the time allowing a s10(3) extension
    unknown_time: int = 0  # answered, but the date received is not recorded
    extensions: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)
    ncnd_limbs: Mapping[str, int] = field(default_factory=dict)
    other_provisions: Mapping[str, int] = field(default_factory=dict)
    overrides: int = 0
    override_reasons: Mapping[str, int] = field(default_factory=dict)
    reviews_requested: int = 0
    reviews_decided: Mapping[str, int] = field(default_factory=dict)
    reviews_late: int = 0  # decided after the s45 Code's 20 working days
    ico_decisions: Mapping[str, int] = field(default_factory=dict)
    months: tuple[Month, ...] = ()

    @property
    def on_time_rate(self) -> float | None:
        timed = self.answered - self.unknown_time
        return 100.0 * self.on_time / timed if timed else None

    def rows(self) -> list[tuple[str, str, str]]:
        """Every figure as (section, item, value): the CSV and the text table."""
        rate = self.on_time_rate
        rows = [("period", "from", self.since.isoformat() if self.since else ""),
                ("period", "to", self.until.isoformat() if self.until else ""),
                ("requests", "received", str(self.received)), ("requests", "answered", str(self.answered)),
                ("requests", "answered within 20 working days", str(self.on_time)),
                ("requests", "answered within 20 working days (%)", f"{rate:.1f}" if rate is not None else ""),
                ("requests", "answered within the time allowing extensions", str(self.within_deadline)),
                ("requests", "answered, date received not recorded", str(self.unknown_time)),
                ("requests", "extensions used (s10(3))", str(self.extensions))]
        rows += [("outcomes per part", k, str(v)) for k, v in self.outcomes.items()]
        rows += [("NCND limbs cited", k, str(v)) for k, v in self.ncnd_limbs.items()]
        rows += [("other provisions cited", k, str(v)) for k, v in self.other_provisions.items()]
        rows += [("overrides", "of the recommendation", str(self.overrides))]
        rows += [("override reasons", k, str(v)) for k, v in self.override_reasons.items()]
        rows += [("internal reviews", "requested", str(self.reviews_requested)),
                 ("internal reviews", "decided after 20 working days", str(self.reviews_late))]
        rows += [("internal review results", k, str(v)) for k, v in self.reviews_decided.items()]
        rows += [("ICO decision notices", k, str(v)) for k, v in self.ico_decisions.items()]
        rows += [("on time by month", m.month, f"{m.on_time}/{m.answered}") for m in self.months]
        return rows

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (docs/cases.md)."""
        return {"from": self.since.isoformat() if self.since else None,
                "to": self.until.isoformat() if self.until else None,
                "received": self.received, "answered": self.answered, "answered_within_20": self.on_time,
                "answered_within_20_percent": self.on_time_rate, "ico_target_percent": ICO_TARGET,
                "answered_within_deadline": self.within_deadline, "answered_date_received_unknown": self.unknown_time,
                "extensions": self.extensions, "outcomes": dict(self.outcomes),
                "ncnd_limbs": dict(self.ncnd_limbs), "other_provisions": dict(self.other_provisions),
                "overrides": self.overrides, "override_reasons": dict(self.override_reasons),
                "reviews": {"requested": self.reviews_requested, "decided": dict(self.reviews_decided),
                            "decided_late": self.reviews_late},
                "ico_decisions": dict(self.ico_decisions),
                "months": [{"month": m.month, "answered": m.answered, "within_20": m.on_time,
                            "percent": m.rate} for m in self.months]}


def _in(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def compute_stats(cases: Iterable[Case], limbs: Mapping[str, str], since: date | None = None,
                  until: date | None = None) -> Stats:
    """The figures for the period [since, until] (either end open). `limbs` gives each provision's
    limb (`ncnd`, `withhold`, `refuse`) from the rule base; a provision it lacks is not an NCND limb."""
    received = answered = on_time = within = unknown = extensions = overrides = requested = late = 0
    outcomes: Counter[str] = Counter()
    ncnd: Counter[str] = Counter()
    other: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    results: Counter[str] = Counter()
    ico: Counter[str] = Counter()
    months: dict[str, list[int]] = {}
    for case in cases:
        received += _in(case.received, since, until)
        sent = answered_on(case)
        if _in(sent, since, until):
            assert sent is not None
            answered += 1
            if case.clock.due is None or case.clock.deadline is None:
                unknown += 1
            else:
                month = months.setdefault(sent.strftime("%Y-%m"), [0, 0])
                month[0] += 1
                if sent <= case.clock.due:
                    on_time += 1
                    month[1] += 1
                within += sent <= case.clock.deadline
        extensions += _in(case.clock.holding_notice, since, until)
        for part in case.parts:
            if not _in(decided_on(part), since, until):
                continue
            outcomes[part.decision.outcome or "unknown"] += 1
            for provision in relied_on(part):
                (ncnd if limbs.get(provision) == "ncnd" else other)[provision] += 1
            if part.override is not None:
                overrides += 1
                reasons[" ".join(part.override.reason.split()) or "(no reason given)"] += 1
        for review in case.reviews:
            requested += _in(review.requested, since, until)
            if _in(review.decided, since, until):
                results[review.outcome or "unknown"] += 1
                late += bool(review.clock and review.decided and review.decided > review.clock.target)
        for record in case.events:
            if record.event == ev.ICO_DECISION and _in(_day(record.date), since, until):
                ico[record.outcome or "unknown"] += 1
    return Stats(since, until, received, answered, on_time, within, unknown, extensions, _sorted(outcomes),
                 _sorted(ncnd), _sorted(other), overrides, _sorted(reasons), requested, _sorted(results), late,
                 _sorted(ico), tuple(Month(k, v[0], v[1]) for k, v in sorted(months.items())))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
