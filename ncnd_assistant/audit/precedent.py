"""Consistency with precedent: earlier decisions on parts with the same topic tags, or relying on
the same provisions.

Only the subject matter is compared (tags and provisions), never who asked. An earlier decision
matches on the provisions it relied on (recommended or decided), not on those it merely considered
and set aside; the closest few are kept, scored by what they share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord
from ncnd_assistant.lazy_dataclass import dataclass

PROVISION_WEIGHT = 2  # a provision relied on in common counts for more than a tag in common


@dataclass(frozen=True)
class Precedent:
    """An earlier decision that shares tags or provisions relied on with the part being decided."""

    record_id: str
    time: str
    case_ref: str
    summary: str
    outcome: str
    provisions: tuple[str, ...]
    shared: tuple[str, ...]  # the tags and provisions in common
    shared_tags: tuple[str, ...] = field(default=(), compare=False)
    shared_provisions: tuple[str, ...] = field(default=(), compare=False)

    def departs_from(self, outcome: str) -> bool:
        return self.outcome != outcome

    @property
    def score(self) -> int:
        return len(self.shared_tags) + PROVISION_WEIGHT * len(self.shared_provisions)


def relied_on(record: DecisionRecord) -> set[str]:
    """The provisions an earlier decision relied on: the recommendation's and the officer's."""
    return set(record.decision.provisions) | set(record.recommendation.provisions)


def find_precedents(records: Iterable[AuditRecord], tags: Iterable[str], provisions: Iterable[str],
                    exclude_session: str = "", limit: int = 3) -> list[Precedent]:
    """The closest earlier decisions (the latest per case and part) sharing a tag or a provision
    relied on: most in common first, then newest first."""
    wanted_tags, wanted_provisions = set(tags), set(provisions)
    found: dict[tuple[str, str], Precedent] = {}
    for record in records:
        if not isinstance(record, DecisionRecord) or (exclude_session and record.session == exclude_session):
            continue
        common_tags = tuple(sorted(wanted_tags & set(record.part.tags)))
        common_provisions = tuple(sorted(wanted_provisions & relied_on(record)))
        if not common_tags and not common_provisions:
            found.pop((str(record.case_ref), record.part.id), None)  # decided again, on another subject
            continue
        found[(str(record.case_ref), record.part.id)] = Precedent(
            record.id, record.time, record.case_ref or "", record.part.summary, record.decision.outcome,
            record.decision.provisions, common_tags + common_provisions, common_tags, common_provisions)
    ordered = sorted(found.values(), key=lambda p: p.time, reverse=True)
    ordered.sort(key=lambda p: p.score, reverse=True)  # stable: newest first among equals
    return ordered[:limit]


def consistent_departure(found: list[Precedent], outcome: str) -> list[Precedent]:
    """The precedents a decision departs from when they are consistent and that outcome is not
    this one; [] otherwise. Those relying on a provision in common count (tags alone are a looser
    match, used only when none does); consistent means every one has the same outcome."""
    close = [p for p in found if p.shared_provisions] or found
    outcomes = {p.outcome for p in close}
    return close if len(outcomes) == 1 and outcome not in outcomes else []
