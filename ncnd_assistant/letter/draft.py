"""The draft letter of a case as a `formats.Letter`: the one place the formats side calls the
content side (the blocks of `notice.notice_blocks`, rebuilt from the decision log as
`from_records` rebuilds them) and adds what the JSON form says about the letter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord
from ncnd_assistant.letter.formats import Letter
from ncnd_assistant.letter.from_records import latest_of_case, notice_from_records, requester_of
from ncnd_assistant.letter.notice import Block, NoticePart, letter_draft
from ncnd_assistant.letter.particulars import Requester
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.settings.model import Settings


def title_of(case_ref: str) -> str:
    return f"Freedom of Information request {case_ref}"


def as_letter(rb: RuleBase, case_ref: str, blocks: Sequence[Block], officer_notes: Sequence[str],
              **meta: Any) -> Letter:
    """The content side's letter (its blocks and the officer's notes) ready for any format."""
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), title_of(case_ref))
    return Letter(tuple(blocks), title, tuple(officer_notes),
                  {**meta, "case_ref": case_ref,
                   "rulebase": {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest}})


def interview_letter(rb: RuleBase, case_ref: str, received: date | None, request: str,
                     parts: list[NoticePart], settings: Settings | None = None,
                     requester: Requester | None = None) -> Letter:
    """The interview's letter (before anything is logged)."""
    draft = letter_draft(rb, case_ref, received, request, parts, settings=settings, requester=requester)
    return replace(as_letter(rb, case_ref, draft.blocks, draft.officer_notes), redact=_redact(requester))


def _redact(requester: Requester | None) -> tuple[str, ...]:
    """The requester's name and address lines, for the HTML fragment to remove."""
    if not requester:
        return ()
    return tuple(t.strip() for t in (requester.name, *requester.address.splitlines()) if t.strip())


def draft_from_records(rb: RuleBase, records: Iterable[AuditRecord], record: AuditRecord,
                       settings: Settings, allow_incomplete: bool = False,
                       others: Mapping[str, RuleBase] | None = None) -> tuple[Letter, list[str]]:
    """The draft letter of `record`'s case, rebuilt from its latest decision per part, and warnings
    (`others`: the rule base per other law a mixed request's parts are under, as `notice_from_records`)."""
    records = list(records)
    draft, warnings = notice_from_records(rb, records, record, settings, allow_incomplete, others=others)
    assert isinstance(record, DecisionRecord)  # notice_from_records refuses any other
    latest = latest_of_case(records, record)
    letter = as_letter(rb, str(record.case_ref), draft.blocks, draft.officer_notes, record=record.id,
                       session=record.session, decisions=[r.id for r in latest])
    return replace(letter, redact=_redact(requester_of(latest))), warnings
