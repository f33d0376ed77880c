"""A plain-Python evaluator of the same rules: the test oracle, the benchmark baseline, and
the three-valued reasoning used for question gating."""

from __future__ import annotations

from collections.abc import Mapping

from ncnd_assistant.engine.compiler import layers
from ncnd_assistant.engine.result import StageResult
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import RuleBase


class PythonEngine:
    """Same interface as `DurableEngine`, evaluating compiled Python closures."""

    def __init__(self, rb: RuleBase):
        self.rulebase = rb
        self._stages = {
            stage: [[(rule.id, c.compile_predicate(rule.when),
                      rule.then.target if rule.then.kind is ConclusionKind.DERIVE else None)
                     for rule in layer] for layer in layers(rb, stage)]
            for stage in (1, 2)
        }

    def run_stage(self, stage: int, env: Mapping[str, c.Value]) -> StageResult:
        values = dict(env)
        derived = dict.fromkeys(self.rulebase.stage_facts(stage), False)
        values.update(derived)
        fired: list[str] = []
        for layer in self._stages[stage]:
            new = [(rule_id, fact) for rule_id, predicate, fact in layer if predicate(values)]
            for rule_id, fact in new:
                fired.append(rule_id)
                if fact is not None:
                    derived[fact] = True
                    values[fact] = True
        return StageResult(tuple(fired), derived)


def _derivers3(rb: RuleBase, stage: int) -> list[list[tuple[str, c.Predicate3]]]:
    """Per layer, the stage's derive rules as (fact, three-valued predicate), compiled once."""
    return rb.memo(("derivers3", stage), lambda: [
        [(rule.then.target, c.compile_predicate3(rule.when))
         for rule in layer if rule.then.kind is ConclusionKind.DERIVE]
        for layer in layers(rb, stage)])


def derive3(rb: RuleBase, stage: int, env: Mapping[str, c.Value],
            unknown: set[str]) -> tuple[dict[str, c.Value], set[str]]:
    """Derived facts of `stage` under three-valued logic.

    Returns the values now known (env plus facts settled true or false) and the names still
    unknown (unanswered questions plus facts that depend on them).
    """
    values = dict(env)
    still = set(unknown)
    pending = rb.memo(("derive_counts", stage), lambda: _derive_counts(rb, stage))
    outcomes: dict[str, list[bool | None]] = {}
    for layer in _derivers3(rb, stage):
        for fact, predicate in layer:
            outcomes.setdefault(fact, []).append(predicate(values, still))
        for fact, seen in outcomes.items():
            if len(seen) != pending[fact] or fact in values or fact in still:
                continue
            if True in seen:
                values[fact] = True
            elif None in seen:
                still.add(fact)
            else:
                values[fact] = False
    return values, still


def _derive_counts(rb: RuleBase, stage: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule in rb.stage_rules(stage):
        if rule.then.kind is ConclusionKind.DERIVE:
            counts[rule.then.target] = counts.get(rule.then.target, 0) + 1
    return counts
