"""The draft response rebuilt from the decision log: a case's latest decision per part, assessed
again from its recorded answers, worded as the interview would have worded it.

A letter is never incomplete or unsigned by accident: a part of the request with no decision
stops it (`IncompleteCaseError`, or a marked gap with `allow_incomplete`), and a decision that
still awaits a second officer's sign-off is marked in the letter until it is signed off."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from ncnd_assistant.audit.decision_record import recorded_regime
from ncnd_assistant.audit.record import AuditRecord, DecisionRecord, SignOffRecord
from ncnd_assistant.decide.answers import PART_REGIMES, Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.request_wide import apply_fallbacks
from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.letter.notice import LetterDraft, MissingPart, NoticePart, chosen_provisions, letter_draft
from ncnd_assistant.letter.particulars import Requester
from ncnd_assistant.rulebase.loader import load_rulebase, shipped_rules_dir
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.settings.model import Settings


class IncompleteCaseError(NcndError):
    """A letter was asked for a case with parts that have no recorded decision."""

    exit_code = ExitCode.FAILED

    def __init__(self, case_ref: str, missing: Sequence[MissingPart]):
        self.missing = tuple(missing)
        listed = "; ".join(f"'{m.id}' ({m.summary})" if m.summary else f"'{m.id}'" for m in missing)
        super().__init__(f"case {case_ref}: {len(missing)} part(s) of the request have no decision: {listed}. "
                         "Decide them first (a letter without them would look complete), or ask for the "
                         "letter with --allow-incomplete to have each missing part marked in it")


def latest_of_case(records: Iterable[AuditRecord], record: DecisionRecord) -> list[DecisionRecord]:
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


def _date(record: DecisionRecord, value: str | None, what: str) -> date | None:
    """A recorded date (an error naming the record if it is not a date)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise NcndError(f"record {record.id}: the {what} {str(value)[:40]!r} is not a date "
                        "YYYY-MM-DD; its notice cannot be rebuilt") from None


def awaiting_sign_off(rb: RuleBase, record: DecisionRecord, signed: set[str]) -> tuple[str, ...]:
    """The provisions of a decision that wait for a second officer (none once it is signed off)."""
    if not record.sign_off_required or record.id in signed:
        return ()
    return tuple(p for p in record.considered_provisions if p in rb.meta.sign_off) or ("a provision that needs "
                                                                                       "sign-off",)


class PartRuleBases:
    """The rule base, and one assessor, per law the recorded parts were answered under: `rb` for the
    request's, `others` (by regime) or else the shipped rule base for an EIR part of a mixed request."""

    def __init__(self, rb: RuleBase, others: Mapping[str, RuleBase] | None = None):
        self.rb = rb
        self.others = dict(others or {})
        self._assessors: dict[str, Assessor] = {}

    def rulebase_of(self, record: DecisionRecord) -> RuleBase:
        regime = recorded_regime(record)
        if not regime or regime == self.rb.meta.regime:
            return self.rb
        if regime not in self.others:
            if regime not in PART_REGIMES.get(self.rb.meta.regime, ()):
                raise NcndError(f"record {record.id}: its part is under '{regime[:20]}', which a "
                                f"'{self.rb.meta.regime}' request cannot have; its notice cannot be rebuilt")
            self.others[regime] = load_rulebase(shipped_rules_dir(regime), regime=regime)
        return self.others[regime]

    def assessor_of(self, record: DecisionRecord) -> Assessor:
        rb = self.rulebase_of(record)
        if rb.meta.regime not in self._assessors:
            self._assessors[rb.meta.regime] = Assessor(rb)
        return self._assessors[rb.meta.regime]


def _notice_part(bases: PartRuleBases, record: DecisionRecord, signed: set[str], warnings: list[str]) -> NoticePart:
    """One decision as a part of the letter (a warning if it would now be recommended otherwise)."""
    assessor = bases.assessor_of(record)
    regime = recorded_regime(record) if assessor.rulebase is not bases.rb else ""
    if record.answers is None:
        raise NcndError(f"record {record.id} predates recorded answers; its notice cannot be rebuilt")
    p = record.part
    assessed = assessor.assess_part(Part(p.id, p.summary, dict(record.answers), tags=p.tags, kind=p.kind,
                                         fallback_for=p.fallback_for or "", portion_of=p.portion_of or "",
                                         part_summary=p.part_summary or "", regime=regime))
    recommended = record.recommendation.outcome
    if assessed.outcome.value != recommended:
        warnings.append(f"part '{p.id}' would now be recommended {assessed.outcome.value}, "
                        f"not {recommended}; the letter follows the recorded decision")
    final = _final(record)
    chosen = chosen_provisions(assessor.rulebase, assessed, final, record.decision.provisions) \
        if record.override else ()
    return NoticePart(assessed, final, record.override.reason if record.override else "",
                      record.harm_text, record.public_interest_text, bool(record.reasons_withheld),
                      frozenset(record.withheld_paragraphs), questions=p.questions,
                      awaiting_sign_off=awaiting_sign_off(assessor.rulebase, record, signed), chosen=chosen,
                      rulebase=assessor.rulebase if regime else None)


def missing_parts(latest: Sequence[DecisionRecord],
                  expected: Sequence[tuple[str, str]] | None = None) -> list[MissingPart]:
    """The parts of the request (`expected`, else those the decisions recorded) with no decision."""
    decided = {r.part.id for r in latest} | {r.part.portion_of for r in latest if r.part.portion_of}
    parts = list(expected) if expected is not None else \
        list(dict.fromkeys((cp.id, cp.summary) for r in latest for cp in r.case_parts))
    return [MissingPart(pid, summary) for pid, summary in parts if pid not in decided]


def _in_order(parts: list[NoticePart], missing: list[MissingPart],
              order: Sequence[str]) -> list[NoticePart | MissingPart]:
    """Decided and missing parts in the request's order (decided ones first when it is not known)."""
    position = {pid: i for i, pid in enumerate(order)}
    items: list[NoticePart | MissingPart] = [*parts, *missing]

    def key(item: NoticePart | MissingPart) -> int:
        pid = item.id if isinstance(item, MissingPart) else (item.assessed.part.portion_of or item.assessed.part.id)
        return position.get(pid, len(position))
    return sorted(items, key=key)  # stable: the log's order within the same position


def requester_of(latest: Sequence[DecisionRecord]) -> Requester | None:
    for r in reversed(latest):
        if r.requester is not None:
            return Requester(r.requester.name, r.requester.address)
    return None


def notice_from_records(rb: RuleBase, records: Iterable[AuditRecord], record: AuditRecord,
                        settings: Settings | None = None, allow_incomplete: bool = False, *,
                        expected_parts: Sequence[tuple[str, str]] | None = None,
                        letter_date: date | None = None,
                        others: Mapping[str, RuleBase] | None = None) -> tuple[LetterDraft, list[str]]:
    """Rebuild the letter of `record`'s case from its decision records (the latest per part).

    The parts are assessed again from their recorded answers under `rb`; a warning says so when
    `rb` is not the rule base the decisions were made under. A part of the request without a
    decision (`expected_parts`, else the parts the decisions recorded) raises
    `IncompleteCaseError` unless `allow_incomplete`, which marks it in the letter instead. The
    letter bears the date of the decision unless `letter_date` is given. A part recorded under another
    law than the request's (the EIR part of a mixed request) is rebuilt with `others[regime]`, else
    the shipped rule base for that law, and worded under it."""
    if not isinstance(record, DecisionRecord):
        raise NcndError(f"record {record.id} is a {record.kind} record, not a decision")
    records = list(records)
    latest = latest_of_case(records, record)
    warnings = []
    bases = PartRuleBases(rb, others)
    if {r.rulebase.digest for r in latest} != {bases.rulebase_of(r).digest for r in latest}:
        warnings.append("the decisions were made under another version of the rule base; the letter is "
                        f"rebuilt with {rb.meta.id} {rb.meta.version} from the recorded answers")
    signed = {r.decision_id for r in records if isinstance(r, SignOffRecord)}
    parts = [_notice_part(bases, r, signed, warnings) for r in latest]
    with_fallbacks = apply_fallbacks(tuple(np.assessed for np in parts))  # a requester's fallback only if needed
    parts = [replace(np, assessed=pa) for np, pa in zip(parts, with_fallbacks, strict=True)]
    order = [pid for pid, _ in expected_parts] if expected_parts is not None else \
        list(dict.fromkeys(cp.id for r in latest for cp in r.case_parts))
    decided_on = _date(record, record.decided_on, "decision date")
    received = _date(record, record.case.received, "date received")
    missing = missing_parts(latest, expected_parts)  # after the records are known to be readable
    if missing and not allow_incomplete:
        raise IncompleteCaseError(str(record.case_ref), missing)
    warnings += [f"part '{m.id}' has no decision: the letter marks it" for m in missing]
    draft = letter_draft(rb, str(record.case_ref), received, record.case.request, _in_order(parts, missing, order),
                         settings=settings, letter_date=letter_date or decided_on, requester=requester_of(latest))
    return draft, warnings
