"""The linter's search: can a three-valued target hold on some walk through the questions?

A walk asks the questions in order exactly as gating does (`engine.gating`): before each question,
whether its stage is already `settled` (then the stage's later questions get no value); at its
turn, whether it `asks` it (no value if not); otherwise it takes each of its values in turn.
Only the questions a `Search` names are walked; every other name is unknown throughout, so a
gating step that reads one can only be less certain, never wrong. A question whose value nothing
still to come can read is not branched on (it stays unknown). Each partial walk is cut off as soon
as the target's three-valued value is settled; a walk that grows past its budget raises `GiveUp`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from ncnd_assistant.engine.gating import asks, settled, settling_inputs
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import RuleBase

Pred3 = c.Predicate3
Facts = tuple[dict[str, c.Value], frozenset[str]]  # derived facts known, and those still unknown


class GiveUp(Exception):
    """The search grew past its budget."""


@dataclass(frozen=True)
class Search:
    """One satisfiability question: can `target` hold on some walk through `variables`?"""

    target: Pred3
    variables: tuple[str, ...]  # questions, in the order they are asked
    facts: tuple[tuple[str, tuple[Pred3, ...]], ...]  # derived facts needed, in dependency order, with their rules
    unknown: frozenset[str]  # the other names gating's steps read: never walked, unknown throughout
    reads: frozenset[str]  # the names the target reads directly
    readers: Mapping[str, frozenset[str]]  # name -> the names whose value (or asking) depends on it
    fact_readers: Mapping[str, tuple[int, ...]]  # name -> the facts (positions) depending on it, in order


def _derive(facts: Iterable[tuple[str, tuple[Pred3, ...]]], values: dict[str, c.Value], still: set[str]) -> None:
    """Add each fact to `values` once its rules settle it (true if one holds), else to `still`."""
    for fact, rules in facts:
        result: bool | None = False
        for rule in rules:
            got = rule(values, still)
            if got is True:
                result = True
                break
            if got is None:
                result = None
        if result is None:
            still.add(fact)
        else:
            values[fact] = result


class Walk:
    """One depth-first walk of a search; `run` says True (a witness), False (none) or None."""

    def __init__(self, rb: RuleBase, domain: Mapping[str, tuple[c.Value, ...]], gates: Mapping[str, Pred3],
                 search: Search, budget: int, rng: random.Random | None):
        self.rb, self.domain, self.gates, self.search, self.rng = rb, domain, gates, search, rng
        self.left = budget
        self.env: dict[str, c.Value] = {}
        self.skipped: set[str] = set()  # walked without a value because nothing still open reads it
        self.undecided = False
        variables = search.variables
        self.watched = {q for q in variables if q in gates and q in search.reads}  # see `foreseen`
        self.stage = [rb.question(q).stage for q in variables]
        self.stage_end = [next((j for j in range(i, len(variables)) if self.stage[j] != self.stage[i]),
                               len(variables)) for i in range(len(variables))]

    def run(self) -> bool | None:
        if self.step(0, True, None):
            return True
        return None if self.undecided else False

    def rederive(self, values: dict[str, c.Value], still: set[str], changed: Iterable[str]) -> None:
        """Derive again the facts that depend on the `changed` names."""
        todo = sorted({j for name in changed for j in self.search.fact_readers.get(name, ())})
        for j in todo:
            fact = self.search.facts[j][0]
            values.pop(fact, None)
            still.discard(fact)
            _derive((self.search.facts[j],), values, still)

    def known(self, i: int, parent: Facts | None, changed: Iterable[str]) -> tuple[dict[str, c.Value], set[str], Facts]:
        """The values known before the i-th question (answers and derived facts) and the names
        still unknown, as gating knows them at the question's turn; and the facts alone, derived
        again only where the `changed` names (since the `parent` node) reach them."""
        values: dict[str, c.Value] = dict(self.env)
        still = set(self.search.variables[i:]) | self.search.unknown | self.skipped
        if parent is None:
            _derive(self.search.facts, values, still)
        else:
            values.update(parent[0])
            still |= parent[1]
            self.rederive(values, still, changed)
        names = [f for f, _ in self.search.facts]
        return values, still, ({f: values[f] for f in names if f in values}, frozenset(f for f in names if f in still))

    def foreseen(self, i: int, values: dict[str, c.Value], still: set[str]) -> tuple[dict[str, c.Value], set[str]]:
        """`known`, and that each question the target reads that is still to come and whose
        `ask_when` is already false will have no value: true of every walk on from here, so the
        target may use it (gating's steps may not: at a question's turn gating does not know which
        later questions it will not ask)."""
        unasked = {q for q in self.search.variables[i:] if q in self.watched and self.gates[q](values, still) is False}
        if not unasked:
            return values, still
        ahead, still_ahead = dict(values), still - unasked
        self.rederive(ahead, still_ahead, unasked)
        return ahead, still_ahead

    def step(self, i: int, check_settled: bool, parent: Facts | None, changed: Iterable[str] = ()) -> bool:
        """Whether some walk from the i-th question on makes the target hold."""
        self.left -= 1
        if self.left < 0:
            raise GiveUp
        values, still, facts = self.known(i, parent, changed)
        held = self.search.target(values, still)
        if held is not None:
            return held
        variables = self.search.variables
        if i == len(variables):
            self.undecided = True
            return False
        ahead, still_ahead = self.foreseen(i, values, still)
        held = None if ahead is values else self.search.target(ahead, still_ahead)
        if held is not None:
            return held
        name, stage, end = variables[i], self.stage[i], self.stage_end[i]
        if check_settled and settled(self.rb, stage, values, still):
            return self.step(end, True, facts, variables[i:end])  # the stage's later questions are not asked
        check_next = name in settling_inputs(self.rb, stage) or end == i + 1
        if asks(self.rb, stage, name, values, still) is False:
            return self.step(i + 1, check_next, facts, (name,))
        if not self.matters(name, still_ahead):
            self.skipped.add(name)
            found = self.step(i + 1, end == i + 1, facts)
            self.skipped.discard(name)
            return found
        return self.branch(i, name, check_next, facts)

    def branch(self, i: int, name: str, check_next: bool, facts: Facts) -> bool:
        choices = list(self.domain[name])
        if self.rng is not None:
            self.rng.shuffle(choices)
        for value in choices:
            self.env[name] = value
            if self.step(i + 1, check_next, facts, (name,)):
                return True
        del self.env[name]
        return False

    def matters(self, name: str, still: set[str]) -> bool:
        """Whether a question's value can still change the target: the target reads it, or
        something not yet known (`still`) that matters depends on it."""
        pending = still - self.search.unknown - self.skipped - {name}
        seen: dict[str, bool] = {}

        def reaches(n: str) -> bool:
            if n in self.search.reads:
                return True
            if n not in seen:
                seen[n] = False
                seen[n] = any(r in pending and reaches(r) for r in self.search.readers.get(n, ()))
            return seen[n]
        return reaches(name)


def relaxed(target: Pred3, names: list[str], domain: Mapping[str, tuple[c.Value, ...]],
            gates: Mapping[str, tuple[Pred3, bool]], budget: int) -> bool | None:
    """A quick, order-free over-approximation: only `names` (facts with no domain take either
    value), each question present only when its entry in `gates` holds (exactly when, if its flag
    says so), free otherwise. False proves the target can never hold; None: too large."""
    env: dict[str, c.Value] = {}
    left = [budget]

    def walk(i: int) -> bool:
        left[0] -= 1
        if left[0] < 0:
            raise GiveUp
        held = target(env, set(names[i:]))
        if held is not None:
            return held
        if i == len(names):  # pragma: no cover - every name the target reads is assigned
            return True
        name = names[i]
        options: list[c.Value | None] = list(domain.get(name, (True, False)))
        gate = gates.get(name)
        present = None if gate is None else gate[0](env, set(names[i:]))
        if present is False:
            options = [None]
        elif gate is None or not gate[1]:
            options.append(None)  # it may be left unasked (an undecided exact gate asks it)
        for value in options:
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
            if walk(i + 1):
                return True
        env.pop(name, None)
        return False

    try:
        return walk(0)
    except GiveUp:
        return None
