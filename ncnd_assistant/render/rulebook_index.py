"""The rule book's cross-references: what leads to each provision (the rules engaging it, the
questions and facts they read, the rules feeding them) and which scenarios exercise it.

Scenarios are read from `checks/scenarios.run_scenario`'s results, the ones `ncnd rules test`
judges, so the book and the test agree on every pass and fail.
"""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.checks.scenarios import ScenarioResult
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Provision, Question, Rule, RuleBase


def engaging_rules(rb: RuleBase, pid: str) -> list[Rule]:
    """The rules that engage the provision directly."""
    return [r for r in rb.rules if r.then.kind == "engage" and r.then.target == pid]


def engaging_names(rb: RuleBase, pid: str) -> frozenset[str]:
    """The questions and facts whose values engage the provision: those named in the `when` of the
    rules engaging it and, through each derived fact named there, in the rules deriving it (transitively).
    Gating conditions (`ask_when`) are not followed."""
    def compute() -> frozenset[str]:
        names = {n for r in engaging_rules(rb, pid) for n in c.names(r.when)}
        todo = list(names)
        while todo:
            name = todo.pop()
            if rb.has_fact(name):
                new = {n for r in rb.rules if r.then.kind == "derive" and r.then.target == name
                       for n in c.names(r.when)} - names
                names |= new
                todo += new
        return frozenset(names)
    return rb.memo(("engaging_names", pid), compute)


def leading_questions(rb: RuleBase, pid: str) -> list[Question]:
    """The questions whose answers engage the provision, in the order they are asked."""
    names = engaging_names(rb, pid)
    return [q for q in rb.questions if q.id in names]


def feeding_rules(rb: RuleBase, pid: str) -> list[Rule]:
    """The rules deriving a fact the provision's engaging rules read, directly or transitively."""
    names = engaging_names(rb, pid)
    return [r for r in rb.rules if r.then.kind == "derive" and r.then.target in names]


def relied_on(result: ScenarioResult) -> tuple[str, ...]:
    """The provisions the scenario's decision relies on, in the order it cites them."""
    if result.assessed is None:
        return ()
    return tuple(dict.fromkeys(cp.provision.id for cp in result.assessed.decision.cited))


def set_aside(result: ScenarioResult) -> tuple[str, ...]:
    """The provisions the scenario engaged but did not rely on (blocked, or the public interest)."""
    pa = result.assessed
    if pa is None:
        return ()
    stages = [pa.stage1] if pa.decision is pa.stage1 else [pa.stage1, pa.decision]
    cited = relied_on(result)
    return tuple(dict.fromkeys(cp.provision.id for st in stages for cp in st.set_aside
                               if cp.provision.id not in cited))


def exercises(result: ScenarioResult, pid: str) -> bool:
    """Whether the scenario engaged the provision (relied on it or set it aside)."""
    return pid in relied_on(result) or pid in set_aside(result)


def not_engaged(rb: RuleBase, provision: Provision, results: Sequence[ScenarioResult]) -> list[ScenarioResult]:
    """Scenarios that asked a question whose answer engages the provision (`leading_questions`),
    yet did not engage it: the "considered and not engaged" cases."""
    read = {q.id for q in leading_questions(rb, provision.id)}
    return [r for r in results if r.assessed is not None and read & set(r.asked) and not exercises(r, provision.id)]
