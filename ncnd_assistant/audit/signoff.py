"""Four eyes: a second officer signs off a decision; which decisions still wait for one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ncnd_assistant.audit.log import AuditError, Clock, IdSource
from ncnd_assistant.audit.query import find_decision_in, latest_decisions, sign_offs_for
from ncnd_assistant.audit.record import AuditRecord, DecisionRecord, SignOffRecord
from ncnd_assistant.store import Store, as_store


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def sign_off(where: Store | Path, decision_id: str, by: str, clock: Clock | None = None,
             new_id: IdSource | None = None) -> SignOffRecord:
    """Record a second officer's approval of a decision (checked and written under one lock).

    Four eyes needs two named people: refused if `by` is empty, the id is not a decision, the
    decision names no officer (so no one can tell that a different person signs it), `by` made
    the decision, or `by` has already signed it off."""
    by = " ".join(by.split())
    if not by:
        raise AuditError("a sign-off needs the name of the officer signing (--by NAME)")
    store = as_store(where)

    def checked(seen: Iterable[AuditRecord]) -> list[Mapping[str, Any]]:
        records = list(seen)
        decision = find_decision_in(records, decision_id, store.describe())
        officer = " ".join(decision.officer.split())
        if not officer:
            raise AuditError(f"four eyes: decision {decision.id[:12]} records no deciding officer, so it cannot "
                             "be shown that a different officer signs it off; record the decision again with "
                             "the deciding officer named (--officer NAME, or `officer` in the answers file or "
                             "the settings)")
        if _same_person(officer, by):
            raise AuditError(f"four eyes: {officer} made decision {decision.id[:12]}, so a different "
                             "officer must sign it off")
        for earlier in sign_offs_for(records, decision.id):
            if _same_person(earlier.by, by):
                raise AuditError(f"{earlier.by} already signed off decision {decision.id[:12]} "
                                 f"(record {earlier.id[:12]}, {earlier.time})")
        body = {"kind": "sign-off", "decision_id": decision.id, "by": by,
                "case_ref": decision.case_ref, "decided_by": officer}
        return [body]
    written = store.append_checked(checked, clock, new_id)[-1]
    assert isinstance(written, SignOffRecord)
    return written


def pending_sign_offs(where: Store | Path) -> list[DecisionRecord]:
    """Latest decisions that require a sign-off and have none yet."""
    store = as_store(where)
    signed = {r.decision_id for r in store.records() if isinstance(r, SignOffRecord)}
    return [d for d in latest_decisions(store.records()) if d.sign_off_required and d.id not in signed]
