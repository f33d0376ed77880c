"""Officers' roles, from the `role` records in the log: `officer` (decides) and `signer` (signs
off another officer's decision: four eyes). A log with no role records has no roles list yet:
any officer other than the decider may then sign off, as before."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ncnd_assistant.audit.record import AuditRecord, RoleRecord
from ncnd_assistant.cases.events import CaseError

OFFICER = "officer"
SIGNER = "signer"
ROLES = (OFFICER, SIGNER)


def same_person(a: str, b: str) -> bool:
    """Names compared as people write them: case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def roles(records: Iterable[AuditRecord]) -> dict[str, set[str]]:
    """Each named officer's current roles (names as first recorded), in the order granted."""
    held: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for record in records:
        if isinstance(record, RoleRecord) and record.name.strip():
            key = " ".join(record.name.split()).casefold()
            name = names.setdefault(key, " ".join(record.name.split()))
            current = held.setdefault(name, set())
            if record.granted:
                current.add(record.role)
            else:
                current.discard(record.role)
    return held


def role_body(name: str, role: str, granted: bool, by: str) -> dict[str, Any]:
    """A `kind: role` record body, checked."""
    if role not in ROLES:
        raise CaseError(f"'{role}' is not a role; the roles are: {', '.join(ROLES)}")
    if not name.strip():
        raise CaseError("give the officer's name")
    if not by.strip():
        raise CaseError("say who is changing the roles: --by NAME, or `ncnd settings set officer NAME`")
    return {"kind": "role", "name": " ".join(name.split()), "role": role, "granted": granted,
            "by": " ".join(by.split())}


def signer_problem(held: dict[str, set[str]], signer: str, decider: str) -> str:
    """Why `signer` may not sign off `decider`'s decision ("" when they may)."""
    if decider and same_person(signer, decider):
        return f"four eyes: {decider} made the decision, so a different officer must sign it off"
    if held and not any(same_person(name, signer) and SIGNER in r for name, r in held.items()):
        return f"{signer} does not have the signer role (ncnd roles grant \"{signer}\" signer)"
    return ""
