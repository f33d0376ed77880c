"""Scenario coverage: which rules fired, questions were asked, outcomes and provisions reached."""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.checks.scenarios import ScenarioResult
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Outcome, RuleBase


@dataclass(frozen=True)
class Measure:
    """One kind of coverage: what was reached out of what exists."""

    name: str
    reached: tuple[str, ...]
    never: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.reached) + len(self.never)

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * len(self.reached) / self.total


@dataclass(frozen=True)
class Coverage:
    measures: tuple[Measure, ...]

    @property
    def percent(self) -> float:
        """The lowest of the measures: full coverage means every measure is full."""
        return min((m.percent for m in self.measures), default=100.0)


def _measure(name: str, everything: Sequence[str], reached: set[str]) -> Measure:
    return Measure(name, tuple(x for x in everything if x in reached),
                   tuple(x for x in everything if x not in reached))


def possible_outcomes(rb: RuleBase) -> list[str]:
    """The outcomes this rule base can give: disclose always, the others through its provisions
    (NCND, withhold, refuse limbs) and `outcome` rules (not held, EIR)."""
    limbs = {p.limb.value for p in rb.provisions}
    given = {r.then.target for r in rb.rules if r.then.kind is ConclusionKind.OUTCOME}
    return [o.value for o in Outcome if o is Outcome.DISCLOSE or o.value in limbs | given]


def coverage(rb: RuleBase, results: Sequence[ScenarioResult]) -> Coverage:
    """Coverage of the rule base by these scenario results."""
    fired = {rid for r in results for rid in r.fired}
    asked = {qid for r in results for qid in r.asked}
    outcomes = {r.outcome for r in results}
    engaged = {rb.rule(rid).then.target for rid in fired if rb.rule(rid).then.kind is ConclusionKind.ENGAGE}
    return Coverage((
        _measure("rules fired", [r.id for r in rb.rules], fired),
        _measure("questions asked", [q.id for q in rb.questions], asked),
        _measure("outcomes reached", possible_outcomes(rb), outcomes),
        _measure("provisions engaged", [p.id for p in rb.provisions], engaged),
    ))
