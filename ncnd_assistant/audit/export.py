"""An export of one decision for an internal reviewer, the ICO or a tribunal: Markdown or JSON, with
the answers to sensitive questions masked unless asked otherwise; each export is logged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ncnd_assistant.audit.log import AuditError, Clock, IdSource
from ncnd_assistant.audit.query import MONTAGUE, decided_on, find_in, sign_offs_for
from ncnd_assistant.audit.record import (
    AuditRecord,
    DecisionRecord,
    ExportRecord,
    RequesterInfo,
    SignOffRecord,
    Verdict,
)
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.store import Store, as_store
from ncnd_assistant.store.base import REQUESTER_KEY
from ncnd_assistant.text_safety import json_safe, printable

MASK = "[withheld: sensitive]"
REQUESTER_MASK = "[withheld: the requester's identity]"  # always: decisions are applicant-blind
OUTCOME_LABELS = {o.value: o.label for o in Outcome}  # the one vocabulary (model.Outcome.label)


@dataclass(frozen=True)
class Export:
    text: str
    masked: tuple[str, ...]  # ids of the questions whose answers were withheld
    unflagged: tuple[str, ...] = ()  # questions recorded without a `sensitive` flag (older records)


def _masked(record: DecisionRecord) -> tuple[DecisionRecord, tuple[str, ...]]:
    """The record with the answers to sensitive questions, and the reasons quoting them, withheld."""
    sensitive = [q for q in record.questions if q.sensitive is True]
    ids = {q.id for q in sensitive}
    questions = tuple(q.updated(answer=MASK) if q.id in ids else q for q in record.questions)
    changes: dict[str, object] = {"questions": questions} if sensitive else {}
    if sensitive and record.answers is not None and ids & record.answers.keys():
        changes["answers"] = {k: MASK if k in ids else v for k, v in record.answers.items()}
    needles = [n for q in sensitive for n in (q.id, q.text) if n]
    if needles and record.reasons:
        changes["reasons"] = tuple(f"{MASK} (this line quotes an answer to a sensitive question)"
                                   if any(n in line for n in needles) else line for line in record.reasons)
    return record.updated(**changes) if changes else record, tuple(q.id for q in sensitive)


def _requester_masked(obj: dict[str, Any]) -> dict[str, Any]:
    """The record's JSON with the requester's identity withheld (whatever --mask says)."""
    return {**obj, REQUESTER_KEY: REQUESTER_MASK} if REQUESTER_KEY in obj else obj


def _outcome_text(value: str) -> str:
    label = OUTCOME_LABELS.get(value)
    return f"{label} ({value})" if label else (value or "-")


def _provision_text(verdict: Verdict) -> str:
    return ", ".join(verdict.provisions) if verdict.provisions else "none"


def _header(rec: DecisionRecord) -> list[str]:
    rb, part, case = rec.rulebase, rec.part, rec.case
    return [f"# Decision record {rec.id}", "",
            f"- Case reference: {rec.case_ref or '-'}",
            f"- Request received: {case.received or '-'}",
            f"- Part: {part.id or '-'}: {part.summary}",
            f"- Topic tags: {', '.join(part.tags) or '-'}",
            f"- Decided by: {rec.officer or '(not recorded)'}",
            f"- Recorded: {rec.time} (UTC), ncnd-assistant {rec.tool_version}",
            f"- Decided on: {decided_on(rec) or '-'}; the public interest was weighed as it stood at the original "
            f"response ({MONTAGUE})",
            f"- Rule base: {rb.id or '-'} version {rb.version or '-'}, digest {rb.digest or '-'}",
            f"- Record hash: {rec.hash} (previous: {rec.prev_hash})", ""]


def _decision(rec: DecisionRecord, sign_offs: Sequence[SignOffRecord]) -> list[str]:
    out = ["## Decision", "",
           f"- Recommended by the rule base: {_outcome_text(rec.recommendation.outcome)}; "
           f"provisions: {_provision_text(rec.recommendation)}",
           f"- Decided by the officer: {_outcome_text(rec.decision.outcome)}; "
           f"provisions: {_provision_text(rec.decision)}",
           f"- Override: {rec.override.reason}" if rec.override is not None else "- Override: none"]
    if rec.reasons_withheld is not None:
        out.append("- Reasons withheld from the requester under FOIA s17(4): "
                   + ("yes (given in full below)" if rec.reasons_withheld else "no"))
    required = rec.sign_off_required
    out.append("- Sign-off by a second officer required: "
               + ("yes" if required else "no" if required is False else "not recorded"))
    out += [f"- Signed off by {s.by} on {s.time} (record {s.id})" for s in sign_offs]
    if required and not sign_offs:
        out.append("- Sign-off: awaiting a second officer")
    return out


def _record_body(rec: DecisionRecord) -> list[str]:
    out = ["", "## Questions as shown and answers given", ""]
    for n, q in enumerate(rec.questions, 1):
        out += [f"{n}. {q.text} ({q.id})  ", f"   Answer: {q.answer}"]
    out += ["", "## Rules fired", ""]
    out += [f"- {r}" for r in rec.fired] or ["- none"]
    if rec.reasons:
        out += ["", "## Reasons", ""] + [f"- {line}" for line in rec.reasons]
    for text, title in ((rec.harm_text, "Harm (officer's text)"),
                        (rec.public_interest_text, "Public interest (officer's text)")):
        if text:
            out += ["", f"## {title}", "", text]
    if rec.case.request:
        out += ["", "## Request as received", ""] + [f"> {line}" for line in rec.case.request.splitlines()]
    return out


def _masking(masked: Sequence[str], unflagged: Sequence[str], mask: bool) -> list[str]:
    out = ["", "## Masking", ""]
    if not mask:
        out.append("Nothing was masked: this export shows every answer as given.")
    elif masked:
        out.append(f"Answers to questions marked sensitive are shown as \"{MASK}\": " + ", ".join(masked) + ".")
        out.append("Lines of the reasons that quote those questions are withheld the same way.")
    else:
        out.append("No question in this record is marked sensitive; nothing was masked.")
    if mask and unflagged:
        out.append("This record predates sensitivity flags; these answers were not checked for masking: "
                   + ", ".join(unflagged) + ".")
    return out


def _export_markdown(rec: DecisionRecord, sign_offs: Sequence[SignOffRecord], masked: Sequence[str],
                     unflagged: Sequence[str], mask: bool) -> str:
    lines = _header(rec) + _decision(rec, sign_offs) + _record_body(rec) + _masking(masked, unflagged, mask)
    return "\n".join(lines) + "\n"


def _exportable(record: AuditRecord) -> DecisionRecord:
    if not isinstance(record, DecisionRecord):
        raise AuditError(f"record {record.id} is a '{record.kind}' record; only decisions are exported")
    return record


def render_export(record: AuditRecord, fmt: str = "markdown", mask_sensitive: bool = True,
                  sign_offs: Sequence[SignOffRecord] = ()) -> Export:
    """An export of one decision for an internal reviewer, the ICO or a tribunal (nothing appended)."""
    record = _exportable(record)
    unflagged = tuple(q.id for q in record.questions if q.sensitive is None)
    copy, masked = _masked(record) if mask_sensitive else (record, ())
    if copy.requester is not None:  # always, whatever mask_sensitive says: decisions are applicant-blind
        copy = copy.updated(requester=RequesterInfo(name=REQUESTER_MASK, address=REQUESTER_MASK))
    if fmt == "json":
        doc = {"export": {"mask_sensitive": mask_sensitive, "masked": list(masked),
                          "unflagged": list(unflagged) if mask_sensitive else [],
                          "note": "the record's hash is of the record as logged, before any masking"},
               "decision": _requester_masked(copy.to_json()), "sign_offs": [s.to_json() for s in sign_offs]}
        text = json_safe(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True))
        return Export(text + "\n", masked, unflagged)
    if fmt == "markdown":
        text = printable(_export_markdown(copy, sign_offs, masked, unflagged, mask_sensitive))
        return Export(text, masked, unflagged)
    raise AuditError(f"unknown export format '{fmt}' (use markdown or json)")


def export(where: Store | Path, id_or_prefix: str, fmt: str = "markdown", mask_sensitive: bool = True,
           by: str = "", clock: Clock | None = None, new_id: IdSource | None = None) -> tuple[Export, ExportRecord]:
    """Render a decision's export and append an `export` record saying so; return both."""
    store = as_store(where)
    record = _exportable(find_in(store.records(), id_or_prefix, store.describe()))
    result = render_export(record, fmt, mask_sensitive, sign_offs_for(store.records(), record.id))
    logged = store.append({"kind": "export", "decision_id": record.id, "case_ref": record.case_ref,
                           "format": fmt, "masked": list(result.masked), "mask_sensitive": mask_sensitive,
                           "by": " ".join(by.split()),
                           "export_sha256": hashlib.sha256(result.text.encode()).hexdigest()}, clock, new_id)
    assert isinstance(logged, ExportRecord)
    return result, logged
