"""The draft response rebuilt from the decision log: a case's latest decision per part, assessed
again from its recorded answers, worded as the interview would have worded it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.request_wide import apply_fallbacks
from ncnd_assistant.errors import NcndError
from ncnd_assistant.letter.notice import NoticePart, render_notice
from ncnd_assistant.rulebase.model import Outcome, RuleBase


def _latest_of_case(records: Iterable[AuditRecord], record: DecisionRecord) -> list[DecisionRecord]:
    """The latest decision for each part decided in `record`'s session and case."""
    latest: dict[str, DecisionRecord] = {}
    for other in records:
        if isinstance(other, DecisionRecord) and other.session == record.session \
                and other.case_ref == record.case_ref:
            latest[other.part.id] = other
    return list(latest.values())


def _final(record: DecisionRecord) -> Outcome:
    """The recorded decision's outcome (an error naming the record if it is not one this version knows)."""
    try:
        return Outcome(record.decision.outcome)
    except ValueError:
        raise NcndError(f"record {record.id}: the decision outcome {record.decision.outcome[:40]!r} is not one "
                        "this version knows; its notice cannot be rebuilt") from None


def _received(record: DecisionRecord) -> date | None:
    """The recorded date of receipt (an error naming the record if it is not a date)."""
    received = record.case.received
    try:
        return date.fromisoformat(received) if received else None
    except ValueError:
        raise NcndError(f"record {record.id}: the date received {str(received)[:40]!r} is not a date "
                        "YYYY-MM-DD; its notice cannot be rebuilt") from None


def _notice_part(assessor: Assessor, record: DecisionRecord, warnings: list[str]) -> NoticePart:
    """One decision as a part of the letter (a warning if it would now be recommended otherwise)."""
    if record.answers is None:
        raise NcndError(f"record {record.id} predates recorded answers; its notice cannot be rebuilt")
    p = record.part
    assessed = assessor.assess_part(Part(p.id, p.summary, dict(record.answers), tags=p.tags, kind=p.kind,
                                         fallback_for=p.fallback_for or "", portion_of=p.portion_of or "",
                                         part_summary=p.part_summary or ""))
    recommended = record.recommendation.outcome
    if assessed.outcome.value != recommended:
        warnings.append(f"part '{p.id}' would now be recommended {assessed.outcome.value}, "
                        f"not {recommended}; the letter follows the recorded decision")
    return NoticePart(assessed, _final(record), record.override.reason if record.override else "",
                      record.harm_text, record.public_interest_text, bool(record.reasons_withheld),
                      frozenset(record.withheld_paragraphs))


def notice_from_records(rb: RuleBase, records: Iterable[AuditRecord], record: AuditRecord,
                        fmt: str = "markdown") -> tuple[str, list[str]]:
    """Rebuild the letter of `record`'s case from its decision records (the latest per part).

    The parts are assessed again from their recorded answers under `rb`; a warning says so when
    `rb` is not the rule base the decisions were made under.
    """
    if not isinstance(record, DecisionRecord):
        raise NcndError(f"record {record.id} is a {record.kind} record, not a decision")
    latest = _latest_of_case(records, record)
    warnings = []
    if {r.rulebase.digest for r in latest} != {rb.digest}:
        warnings.append("the decisions were made under another version of the rule base; the letter is "
                        f"rebuilt with {rb.meta.id} {rb.meta.version} from the recorded answers")
    assessor = Assessor(rb)
    parts = [_notice_part(assessor, r, warnings) for r in latest]
    with_fallbacks = apply_fallbacks(tuple(np.assessed for np in parts))  # a requester's fallback only if needed
    parts = [replace(np, assessed=pa) for np, pa in zip(parts, with_fallbacks, strict=True)]
    return render_notice(rb, str(record.case_ref), _received(record), record.case.request, parts, fmt), warnings
