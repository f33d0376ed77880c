"""Replay: recorded answers re-assessed under the current rule base and compared with what the rule
base recommended then (docs/audit.md, "What replay compares")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from ncnd_assistant.audit.decision_record import recorded_regime
from ncnd_assistant.audit.query import find_decision_in, latest_decisions
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.decide.answers import Part, coerce, expected
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.loader import load_rulebase, shipped_rules_dir
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.store import Store, as_store

SAME, DIFFERS, INCOMPLETE, NOT_REPLAYABLE = "same", "differs", "incomplete", "not replayable"


@dataclass(frozen=True)
class ReplayResult:
    """One decision re-assessed under the current rule base."""

    record: DecisionRecord
    status: str  # SAME, DIFFERS, INCOMPLETE (needs answers it lacks now) or NOT_REPLAYABLE (no answers)
    outcome_then: str
    outcome_now: str | None = None
    provisions_then: tuple[str, ...] = ()
    provisions_now: tuple[str, ...] = ()
    rules_added: tuple[str, ...] = ()  # fire now, did not then
    rules_removed: tuple[str, ...] = ()  # fired then, do not now
    digest_then: str = ""
    digest_now: str = ""
    notes: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        return self.status in (DIFFERS, INCOMPLETE)

    def _provision_change(self) -> str:
        added = sorted(set(self.provisions_now) - set(self.provisions_then))
        removed = sorted(set(self.provisions_then) - set(self.provisions_now))
        return "provisions: " + "; ".join(([f"now also {', '.join(added)}"] if added else [])
                                          + ([f"no longer {', '.join(removed)}"] if removed else []))

    def why(self) -> list[str]:
        """Why the decision would now differ (or what else changed), one line each."""
        lines = []
        if self.outcome_now is not None and self.outcome_now != self.outcome_then:
            lines.append(f"outcome: {self.outcome_then} then, {self.outcome_now} now")
        if self.outcome_now is not None and self.provisions_now != self.provisions_then:
            lines.append(self._provision_change())
        if self.rules_added:
            lines.append("rules that fire now but did not then: " + ", ".join(self.rules_added))
        if self.rules_removed:
            lines.append("rules that fired then but do not now: " + ", ".join(self.rules_removed))
        if self.digest_then and self.digest_now and self.digest_then != self.digest_now:
            lines.append(f"rule base: digest {self.digest_then} then, {self.digest_now} now")
        elif self.digest_then == self.digest_now and self.status == DIFFERS:
            lines.append("rule base: same digest then and now (the difference comes from the tool, not the rules)")
        return lines + list(self.notes)


@dataclass(frozen=True)
class ReplayReport:
    results: tuple[ReplayResult, ...]
    rulebase: dict[str, str] = field(default_factory=dict)

    @property
    def differences(self) -> list[ReplayResult]:
        return [r for r in self.results if r.differs]


def _current_answers(recorded: Mapping[str, Value], rb: RuleBase) -> tuple[dict[str, Value], list[str]]:
    """The recorded answers the current rule base still asks and accepts, and a note for each other."""
    notes: list[str] = []
    answers: dict[str, Value] = {}
    for qid, raw in recorded.items():
        if not rb.has_question(qid):
            notes.append(f"answer to '{qid}' ignored: the current rule base has no such question")
            continue
        value = coerce(rb.question(qid), raw)
        if value is None:
            notes.append(f"answer to '{qid}' ({raw!r}) no longer fits: it must now be {expected(rb.question(qid))}")
            continue
        answers[qid] = value
    return answers, notes


def _replay_one(rec: DecisionRecord, rb: RuleBase, assessor: Assessor) -> ReplayResult:
    then_provisions = tuple(sorted(rec.recommendation.provisions))
    then_fired = list(rec.fired)
    base: dict[str, Any] = {"record": rec, "outcome_then": rec.recommendation.outcome,
                            "provisions_then": then_provisions, "digest_then": rec.rulebase.digest,
                            "digest_now": rb.digest}
    if rec.answers is None:
        return ReplayResult(status=NOT_REPLAYABLE, notes=(
            "the record has no raw answers (written before answers were recorded)",), **base)
    answers, notes = _current_answers(rec.answers, rb)
    try:
        now = assessor.assess_part(Part(rec.part.id or "part", rec.part.summary, answers))
    except AnswersError as error:
        return ReplayResult(status=INCOMPLETE, notes=tuple(
            notes + [f"the current rule base needs answers the record lacks: {p.message}" for p in error.problems]),
            **base)
    now_provisions = tuple(sorted(c.provision.id for c in now.decision.cited))
    same = now.outcome.value == rec.recommendation.outcome and now_provisions == then_provisions
    return ReplayResult(status=SAME if same else DIFFERS, outcome_now=now.outcome.value,
                        provisions_now=now_provisions,
                        rules_added=tuple(r for r in now.fired if r not in then_fired),
                        rules_removed=tuple(r for r in then_fired if r not in now.fired),
                        notes=tuple(notes), **base)


def replay(where: Store | Path, rulebase: RuleBase, ids: Sequence[str] | None = None,
           assessor: Assessor | None = None, others: Mapping[str, RuleBase] | None = None) -> ReplayReport:
    """Re-assess recorded answers under `rulebase` and compare with each record's recommendation.

    Without `ids`, every decision (the latest per session and part); with ids (or unique prefixes),
    those decisions. A record of a part answered under another law than its request's (the EIR part
    of a mixed request, `part.regime`) is replayed under `others[regime]`, else that law's shipped
    rule base; every other record under `rulebase`."""
    store = as_store(where)
    chosen = latest_decisions(store.records()) if ids is None else [
        find_decision_in(store.records(), i, store.describe()) for i in ids]
    assessors = {"": assessor or Assessor(rulebase)}
    bases = dict(others or {})

    def assessor_of(rec: DecisionRecord) -> Assessor:
        regime = recorded_regime(rec)
        if regime == rulebase.meta.regime or (regime and shipped_rules_dir(regime) is None and regime not in bases):
            regime = ""  # the request's own law, or one with no rule base: replayed (and reported) under `rulebase`
        if regime not in assessors:
            assessors[regime] = Assessor(bases[regime] if regime in bases else
                                         load_rulebase(shipped_rules_dir(regime), regime=regime))
        return assessors[regime]
    results = tuple(_replay_one(rec, (found := assessor_of(rec)).rulebase, found) for rec in chosen)
    meta = {"id": rulebase.meta.id, "version": rulebase.meta.version, "digest": rulebase.digest}
    return ReplayReport(results, meta)
