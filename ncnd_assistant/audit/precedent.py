"""Consistency with precedent: earlier decisions on parts with the same topic tags or provisions.

Only the subject matter is compared (tags and provisions), never who asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord


@dataclass(frozen=True)
class Precedent:
    """An earlier decision that shares tags or provisions with the part being decided."""

    record_id: str
    time: str
    case_ref: str
    summary: str
    outcome: str
    provisions: tuple[str, ...]
    shared: tuple[str, ...]  # the tags and provisions in common

    def departs_from(self, outcome: str) -> bool:
        return self.outcome != outcome


def find_precedents(records: Iterable[AuditRecord], tags: Iterable[str], provisions: Iterable[str],
                    exclude_session: str = "", limit: int = 5) -> list[Precedent]:
    """The latest decisions (newest first, one per case and part) sharing a tag or a provision."""
    wanted_tags, wanted_provisions = set(tags), set(provisions)
    found: dict[tuple[str, str], Precedent] = {}
    for record in records:
        if not isinstance(record, DecisionRecord) or (exclude_session and record.session == exclude_session):
            continue
        considered = set(record.considered_provisions or record.decision.provisions)
        shared = sorted(wanted_tags & set(record.part.tags)) + sorted(wanted_provisions & considered)
        if not shared:
            continue
        found[(str(record.case_ref), record.part.id)] = Precedent(
            record.id, record.time, record.case_ref or "", record.part.summary, record.decision.outcome,
            record.decision.provisions, tuple(shared))
    ordered = sorted(found.values(), key=lambda p: p.time, reverse=True)
    return ordered[:limit]
