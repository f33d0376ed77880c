"""Consistency with precedent: earlier decisions on parts with the same topic tags or provisions.

Only the subject matter is compared (tags and provisions), never who asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


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


def find_precedents(records: Iterable[dict[str, Any]], tags: Iterable[str], provisions: Iterable[str],
                    exclude_session: str = "", limit: int = 5) -> list[Precedent]:
    """The latest decisions (newest first, one per case and part) sharing a tag or a provision."""
    wanted_tags, wanted_provisions = set(tags), set(provisions)
    found: dict[tuple[str, str], Precedent] = {}
    for record in records:
        if record.get("kind") != "decision" or (exclude_session and record.get("session") == exclude_session):
            continue
        part = record.get("part") or {}
        considered = set(record.get("considered_provisions") or (record.get("decision") or {}).get("provisions", []))
        shared = sorted(wanted_tags & set(part.get("tags") or [])) + sorted(wanted_provisions & considered)
        if not shared:
            continue
        decision = record.get("decision") or {}
        found[(str(record.get("case_ref")), str(part.get("id")))] = Precedent(
            str(record.get("id", "")), str(record.get("time", "")), str(record.get("case_ref", "")),
            str(part.get("summary", "")), str(decision.get("outcome", "")),
            tuple(decision.get("provisions", [])), tuple(shared))
    ordered = sorted(found.values(), key=lambda p: p.time, reverse=True)
    return ordered[:limit]
