"""The draft letter of a case as a `formats.Letter`: the one place the formats side calls the
content side (the blocks of `notice.notice_blocks`, rebuilt from the decision log as
`from_records` rebuilds them) and adds what the JSON form says about the letter."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.request_wide import apply_fallbacks
from ncnd_assistant.errors import NcndError
from ncnd_assistant.letter.formats import Letter
from ncnd_assistant.letter.from_records import _latest_of_case, _notice_part, _received
from ncnd_assistant.letter.notice import DRAFT_BANNER, Block, NoticePart, notice_blocks
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.settings.model import Settings


def title_of(case_ref: str) -> str:
    return f"Freedom of Information request {case_ref}"


def internal_of(blocks: Sequence[Block], received: date | None) -> tuple[str, ...]:
    """The lines of the letter that are for the officer: the draft banner and the due date.

    (While the content side still puts them in the body: the banner paragraph, and the paragraph
    after the title when the date of receipt is known.)"""
    notes = [b.text for b in blocks if b.kind == "paragraph" and b.text == DRAFT_BANNER]
    if received is not None and len(blocks) > 2 and blocks[1].kind == "heading" and blocks[2].kind == "paragraph":
        notes.append(blocks[2].text)
    return tuple(notes)


def as_letter(rb: RuleBase, case_ref: str, blocks: Sequence[Block], officer_notes: Sequence[str],
              **meta: Any) -> Letter:
    """The content side's letter (its blocks and the officer's notes) ready for any format."""
    return Letter(tuple(blocks), title_of(case_ref), tuple(officer_notes),
                  {**meta, "case_ref": case_ref,
                   "rulebase": {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest}})


def interview_letter(rb: RuleBase, case_ref: str, received: date | None, request: str,
                     parts: list[NoticePart]) -> Letter:
    """The interview's letter (before anything is logged)."""
    blocks = notice_blocks(rb, case_ref, received, request, parts)  # MERGE: content's letter_draft(...)
    return as_letter(rb, case_ref, blocks, internal_of(blocks, received))


def draft_from_records(rb: RuleBase, records: Iterable[AuditRecord], record: AuditRecord,
                       settings: Settings, allow_incomplete: bool = False) -> tuple[Letter, list[str]]:
    """The draft letter of `record`'s case, rebuilt from its latest decision per part, and warnings.

    `settings` and `allow_incomplete` are the content side's (`from_records.notice_from_records`):
    the authority's particulars, and whether undecided parts are marked rather than refused."""
    # MERGE: draft, warnings = notice_from_records(rb, records, record, settings, allow_incomplete), then
    # as_letter(rb, case_ref, draft.blocks, draft.officer_notes, ...) below; until then the same rebuild here
    del settings, allow_incomplete
    if not isinstance(record, DecisionRecord):
        raise NcndError(f"record {record.id} is a {record.kind} record, not a decision")
    latest = _latest_of_case(records, record)
    warnings: list[str] = []
    if {r.rulebase.digest for r in latest} != {rb.digest}:
        warnings.append("the decisions were made under another version of the rule base; the letter is "
                        f"rebuilt with {rb.meta.id} {rb.meta.version} from the recorded answers")
    assessor = Assessor(rb)
    parts = [_notice_part(assessor, r, warnings) for r in latest]
    with_fallbacks = apply_fallbacks(tuple(np.assessed for np in parts))
    parts = [replace(np, assessed=pa) for np, pa in zip(parts, with_fallbacks, strict=True)]
    received = _received(record)
    blocks = notice_blocks(rb, str(record.case_ref), received, record.case.request, parts)
    return as_letter(rb, str(record.case_ref), blocks, internal_of(blocks, received), record=record.id,
                     session=record.session, decisions=[r.id for r in latest]), warnings
