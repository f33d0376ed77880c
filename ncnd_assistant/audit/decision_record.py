"""Decision records for the audit log, built from an assessment: what was asked, answered, fired and decided."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.rulebase.model import Outcome, RuleBase


def reasons(assessed: PartAssessment) -> list[str]:
    """The full reasoning, kept in the audit record even when the letter omits it (s17(4))."""
    lines = []
    for f in assessed.explanation.fired:
        relied = "; ".join(f"{r.text} -> {r.answer}" for r in f.relied_on)
        lines.append(f"{f.rule} ({f.conclusion}): {f.because} [cites {'; '.join(map(str, f.citations))}]"
                     + (f" [relied on: {relied}]" if relied else ""))
    pi = assessed.decision.public_interest
    if pi is not None:
        lines += [f"public interest for: {x}" for x in pi.for_] + [f"public interest against: {x}" for x in pi.against]
        lines.append(f"balance: {pi.balance.value if pi.balance else 'not determined'}: {pi.balance_because}")
    return lines


def considered_provisions(assessed: PartAssessment) -> list[str]:
    """Provisions relied on, then those engaged but set aside (blocked or outweighed)."""
    cited = [c.provision.id for c in assessed.decision.cited]
    aside = [c.provision.id for c in assessed.decision.set_aside + assessed.stage1.set_aside]
    return list(dict.fromkeys(cited + aside))


def needs_sign_off(rb: RuleBase, assessed: PartAssessment) -> list[str]:
    """The provisions considered for the part that the rule base wants a second officer for."""
    return [p for p in considered_provisions(assessed) if p in rb.meta.sign_off]


def decision_record(rb: RuleBase, assessed: PartAssessment, *, case_ref: str, officer: str, session: str,
                    final: Outcome, override_reason: str = "", harm_text: str = "",
                    public_interest_text: str = "", reasons_withheld: bool = False,
                    received: date | None = None, request: str = "", tags: tuple[str, ...] | list[str] = (),
                    source: str = "interview", decided_on: date | None = None,
                    withheld_paragraphs: tuple[str, ...] | list[str] = (), questions: Sequence[int] = (),
                    requester: Mapping[str, str] | None = None, case_parts: Sequence[tuple[str, str]] = (),
                    free_text_check: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One `kind: decision` record (audit.append adds id, time, version and the hash chain).

    `decided_on` is the date of the response the decision is for (today unless given): the public
    interest is weighed as it stood then (Montague v IC and DIT [2022] UKUT 104 (AAC)). The
    optional `questions` (the request's numbered questions the part answers), `requester`
    (`name`, `address`), `case_parts` (every part of the request, id and summary) and
    `free_text_check` (how the officer's own text was checked) are written only when given."""
    provisions = [c.provision.id for c in assessed.decision.cited]
    body: dict[str, Any] = {
        "kind": "decision",
        "source": source,
        "case_ref": case_ref,
        "officer": officer,
        "session": session,
        "rulebase": {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest},
        "case": {"received": received.isoformat() if received else None, "request": request},
        "decided_on": (decided_on or date.today()).isoformat(),
        "part": {"id": assessed.part.id, "summary": assessed.part.summary, "tags": list(tags),
                 "kind": assessed.part.kind, "fallback_for": assessed.part.fallback_for or None,
                 "portion_of": assessed.part.portion_of or None, "part_summary": assessed.part.part_summary or None},
        "questions": [{"id": q, "text": rb.question(q).text, "answer": rb.question(q).display(assessed.env[q]),
                       "sensitive": rb.question(q).sensitive} for q in assessed.asked],
        "answers": {q: assessed.env[q] for q in assessed.asked},
        "fired": list(assessed.fired),
        "recommendation": {"outcome": assessed.outcome.value, "provisions": provisions},
        "considered_provisions": considered_provisions(assessed),
        "decision": {"outcome": final.value, "provisions": provisions if final is assessed.outcome else []},
        "override": {"reason": override_reason} if final is not assessed.outcome else None,
        "harm_text": harm_text,
        "public_interest_text": public_interest_text,
        "reasons_withheld": reasons_withheld,
        "withheld_paragraphs": list(withheld_paragraphs),  # s17(4) paragraph by paragraph; reasons keeps all
        "reasons": reasons(assessed),
        "sign_off_required": bool(needs_sign_off(rb, assessed)),
    }
    if questions:
        body["part"]["questions"] = sorted(set(questions))
    if assessed.part.regime:  # a part answered under another law than its request's (a mixed request)
        body["part"]["regime"] = assessed.part.regime
    if requester and any(str(v).strip() for v in requester.values()):
        body["requester"] = {"name": str(requester.get("name", "")), "address": str(requester.get("address", ""))}
    if case_parts:
        body["case_parts"] = [{"id": pid, "summary": summary} for pid, summary in case_parts]
    if free_text_check is not None:
        body["free_text_check"] = dict(free_text_check)
    return body


def recorded_regime(record: DecisionRecord) -> str:
    """The law a recorded part was answered under when not its request's (`part.regime`, written for the
    EIR part of a mixed request), else "" (every record written before mixed requests)."""
    regime = record.part.extra.get("regime")
    return regime if isinstance(regime, str) else ""
