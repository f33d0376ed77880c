"""Which questions can be asked and which conditions can hold, on the walks gating allows.

The questions are walked in the order they are asked (Stage 1, then Stage 2) with gating's own
steps (`checks.search`). A search walks only the questions its target can depend on: the names it
reads, the rules deriving those facts, the `ask_when` of those questions and, for the settling
that can skip them (`follow` a stage), the names `settled` reads; for a public interest question,
the names `balance_matters` reads; all transitively. That Stage 1 leaves a part open (so Stage 2
runs) is over-approximated by `stage_conditions.stage1_settles(weighed=False)` not holding (a
qualified NCND limb also needs its balance): searched once on its own, and together with a Stage-2
target only when the two share questions.

Budgets: `SEARCH_BUDGET` partial walks per search (after `RESTARTS` short randomised ones),
`RELAXED_BUDGET` for the quick order-free check, `OPEN_BUDGET` for "can Stage 1 leave a part
open?", and `TOTAL_BUDGET` for the whole lint, so a huge rule base is checked in bounded time. A
search over budget is undecided (None), and the checks report nothing for it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from ncnd_assistant.checks.predicates import compile3
from ncnd_assistant.checks.search import GiveUp, Pred3, Search, Walk, relaxed
from ncnd_assistant.checks.stage_conditions import stage1_settles
from ncnd_assistant.engine.gating import (
    asking_order,
    balance_inputs,
    balance_matter_names,
    settled,
    settling_names,
)
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Rule, RuleBase

SEARCH_BUDGET = 600  # partial walks per search; a larger search is abandoned without a report
RESTARTS, RESTART_BUDGET = 3, 80  # short randomised searches tried first
RELAXED_BUDGET = 2000
OPEN_BUDGET = 20_000  # for "can Stage 1 leave a part open?"
TOTAL_BUDGET = 40_000  # partial walks for the whole lint

_TRUE: Pred3 = lambda env, unknown: True  # noqa: E731


def and3(a: Pred3, b: Pred3) -> Pred3:
    """Both hold (three-valued)."""
    def both(env: c.Env, unknown: frozenset[str] | set[str]) -> bool | None:
        x = a(env, unknown)
        if x is False:
            return False
        y = b(env, unknown)
        if y is False:
            return False
        return True if x is True and y is True else None
    return both


class Reachability:
    """The rule base's questions, domains and dependencies, and the searches over them."""

    def __init__(self, rb: RuleBase):
        self.rb = rb
        self.order = asking_order(rb, 1) + asking_order(rb, 2)
        self.position = {q.id: i for i, q in enumerate(self.order)}
        self.domain = {q.id: _domain(q.type, [ch.value for ch in q.choices]) for q in rb.questions}
        self.gates = {q.id: compile3(q.ask_when) for q in rb.questions if q.ask_when is not None}
        self.derivers: dict[str, list[Rule]] = {f.id: [] for f in rb.facts}
        for rule in rb.rules:
            if rule.then.kind == "derive" and rule.then.target in self.derivers:
                self.derivers[rule.then.target].append(rule)
        self.fact_rank = {f: i for i, f in enumerate(_fact_order(self.derivers))}
        self.names = frozenset(self.position) | frozenset(self.derivers)
        self.gating_reads = frozenset().union(*(f(rb, stage) for f in (settling_names, balance_matter_names)
                                                for stage in (1, 2)))
        self._preds: dict[str, Pred3] = {}
        self._fact_preds: dict[str, tuple[Pred3, ...]] = {}
        self._direct: dict[str, list[str]] = {}
        self._fact_deps: dict[str, list[str]] | None = None  # fact -> the names it depends on
        self._fact_readers_of: dict[tuple[str, ...], dict[str, tuple[int, ...]]] = {}
        self._cones: dict[tuple[int, str], frozenset[str]] = {}
        self._readers: dict[int, dict[str, frozenset[str]]] = {}
        self.total = TOTAL_BUDGET
        settles = stage1_settles(rb, weighed=False)  # where Stage 1 certainly settles the part
        self._open_pred = None if settles is None else compile3(c.Not(settles))
        self._settle_names = [] if settles is None else c.names(settles)
        self._open: bool | None | str = "unknown"
        self._settle_cone: frozenset[str] | None = None

    # -------------------------------------------------------- dependencies

    def pred(self, rule: Rule) -> Pred3:
        if rule.id not in self._preds:
            self._preds[rule.id] = compile3(rule.when)
        return self._preds[rule.id]

    def direct(self, name: str) -> list[str]:
        """The names a name's value (or whether its question's `ask_when` holds) reads."""
        if name not in self._direct:
            if name in self.derivers:
                self._direct[name] = list(dict.fromkeys(n for rule in self.derivers[name] for n in c.names(rule.when)))
            else:
                ask_when = self.rb.question(name).ask_when if self.rb.has_question(name) else None
                self._direct[name] = c.names(ask_when) if ask_when is not None else []
        return self._direct[name]

    def depends_on(self, name: str, follow: int) -> list[str]:
        """`direct`, and for a question what else decides whether it is asked: the settling of
        its stage (when that is the stage `follow`ed; 0: none) and, for a question that matters
        only to the public interest balance, whether the balance still matters (if `follow`)."""
        names = list(self.direct(name))
        if follow and self.rb.has_question(name):
            stage = self.rb.question(name).stage
            if stage == follow:
                names += settling_names(self.rb, stage)
            if name in balance_inputs(self.rb, stage):
                names += balance_matter_names(self.rb, stage)
        return names

    def cone(self, names: Iterable[str], follow: int = 0) -> frozenset[str]:
        """The names, and every name they depend on, transitively."""
        out: set[str] = set()
        for name in names:
            if (follow, name) not in self._cones:
                self._cones[follow, name] = _closure(name, lambda n: self.depends_on(n, follow))
            out |= self._cones[follow, name]
        return frozenset(out)

    def readers(self, follow: int) -> dict[str, frozenset[str]]:
        """name -> the names that depend on it (the inverse of `depends_on`)."""
        if follow not in self._readers:
            found: dict[str, set[str]] = {}
            for name in self.names:
                for dep in self.depends_on(name, follow):
                    found.setdefault(dep, set()).add(name)
            self._readers[follow] = {n: frozenset(r) for n, r in found.items()}
        return self._readers[follow]

    # -------------------------------------------------------- searches

    def search(self, target: Pred3, names: Iterable[str], follow: int = 0, before: int | None = None) -> Search:
        """A search over the questions `names` depend on (only those asked before position
        `before`; the later ones stay unknown)."""
        names = list(names)
        cone = self.cone(names, follow)
        limit = len(self.order) if before is None else before
        variables = tuple(sorted((n for n in cone if n in self.position and self.position[n] < limit),
                                 key=self.position.__getitem__))
        facts = tuple((f, self._deriving(f))
                      for f in sorted((n for n in cone if n in self.fact_rank), key=self.fact_rank.__getitem__))
        unknown = (cone | self.gating_reads) - set(variables) - {f for f, _ in facts}  # nothing else is read
        return Search(target, variables, facts, unknown, frozenset(names), self.readers(follow),
                      self._fact_readers([f for f, _ in facts]))

    def _deriving(self, fact: str) -> tuple[Pred3, ...]:
        """The conditions of the rules deriving a fact (gathered once a fact)."""
        if fact not in self._fact_preds:
            self._fact_preds[fact] = tuple(self.pred(r) for r in self.derivers[fact])
        return self._fact_preds[fact]

    def _fact_readers(self, facts: list[str]) -> dict[str, tuple[int, ...]]:
        """name -> the positions in `facts` (in dependency order) of the facts depending on it,
        through the rules deriving them (from each fact's own dependencies, found once)."""
        if self._fact_deps is None:
            ranked = sorted(self.derivers, key=self.fact_rank.__getitem__)
            found: dict[str, set[str]] = {}
            for fact in reversed(ranked):  # a fact's readers come after it
                for name in self.direct(fact):
                    found.setdefault(name, set()).update({fact} | found.get(fact, set()))
            deps: dict[str, list[str]] = {fact: [] for fact in self.derivers}
            for name, readers in found.items():
                for fact in readers:
                    deps[fact].append(name)
            self._fact_deps = deps
        key = tuple(facts)
        if key not in self._fact_readers_of:  # many searches need the same facts
            out: dict[str, list[int]] = {}
            for j, fact in enumerate(facts):  # in dependency order, so each list is in order
                for name in self._fact_deps[fact]:
                    out.setdefault(name, []).append(j)
            self._fact_readers_of[key] = {name: tuple(positions) for name, positions in out.items()}
        return self._fact_readers_of[key]

    def possible(self, search: Search, budget: int = SEARCH_BUDGET) -> bool | None:
        """True: some answers make the target hold (a witness was found). False: none can.
        None: undecided (the search was abandoned, or ended on an unknown).

        A few short searches with the values tried in a random (seeded) order come first: they find
        a witness quickly where a chronological search would thrash; then one full search."""
        rng = random.Random(len(search.variables))
        for _ in range(RESTARTS if len(search.variables) > 6 else 0):
            if self.total <= 0:
                return None
            found = self._walk(search, RESTART_BUDGET, rng)
            if found is not None:
                return found
        return self._walk(search, budget, None)

    def _walk(self, search: Search, budget: int, rng: random.Random | None) -> bool | None:
        walk = Walk(self.rb, self.domain, self.gates, search, min(budget, self.total), rng)
        try:
            return walk.run()
        except GiveUp:
            return None
        finally:
            self.total -= min(budget, self.total) - max(walk.left, 0)

    def asked(self, qid: str) -> Pred3:
        """The target "question `qid` is asked" (it has a value); False as soon as its `ask_when`
        is false."""
        gate = self.gates.get(qid)

        def target(env: c.Env, unknown: frozenset[str] | set[str]) -> bool | None:
            if qid in env:
                return True
            if qid not in unknown or (gate is not None and gate(env, unknown) is False):
                return False
            return None
        return target

    def relaxed_possible(self, target: Pred3, names: list[str]) -> bool | None:
        """The order-free check of `search.relaxed` over the names the target reads: a question is
        present only when its `ask_when` holds, where that reads only questions of the set, and
        exactly then unless settling or the balance may skip it."""
        questions = sorted((n for n in names if n in self.position), key=self.position.__getitem__)
        closed = set(questions)
        gates: dict[str, tuple[Pred3, bool]] = {}
        for q in questions:
            ask_when = self.rb.question(q).ask_when
            if ask_when is None:
                gates[q] = (_TRUE, not self._skippable(q))
            elif set(c.names(ask_when)) <= closed:
                gates[q] = (self.gates[q], not self._skippable(q))
        facts = [n for n in names if n in self.derivers]
        return relaxed(target, facts + questions, self.domain, gates, RELAXED_BUDGET)

    def _skippable(self, qid: str) -> bool:
        """Whether gating may leave the question unasked although its `ask_when` holds: it
        matters only to the balance, or its stage may be settled before it."""
        rb, stage = self.rb, self.rb.question(qid).stage
        if qid in balance_inputs(rb, stage) or settled(rb, stage, {}, set(self.names)):
            return True
        inputs = [self.position[n] for n in self.cone(settling_names(rb, stage)) if n in self.position]
        return min(inputs, default=len(self.order)) < self.position[qid]

    # -------------------------------------------------------- Stage 1 to Stage 2

    def stage1_open(self) -> bool | None:
        """Can Stage 1 leave a part open (so that Stage 2 runs)? None: undecided."""
        if self._open == "unknown":
            self._open = True if self._open_pred is None else self.possible(
                self.search(self._open_pred, self._settle_names), OPEN_BUDGET)
        return self._open  # type: ignore[return-value]

    def reached_in_stage2(self, target: Pred3, names: list[str], before: int | None = None,
                          follow: int = 0) -> bool | None:
        """Can the target hold on a walk where Stage 1 leaves the part open? Only called once the
        target is known to be possible (or undecided) on its own. A target that can only be less
        certain where Stage 2 is settled early (such as "question q is asked") need not `follow`
        that settling; one that can hold because a question goes unasked (`not (m in [p, q])`)
        must follow it (`follow=2`), or the walk would ask every question whose `ask_when` holds
        and miss the walks where Stage 2 settles before it."""
        if self._open_pred is None:
            return True
        is_open = self.stage1_open()
        if is_open is False:
            return False
        if self._settle_cone is None:
            self._settle_cone = frozenset(n for n in self.cone(self._settle_names) if n in self.position)
        if not self._settle_cone & {n for n in self.cone(names, follow) if n in self.position}:
            return is_open  # independent answers: both can hold at once
        both = and3(self._open_pred, target)
        return self.possible(self.search(both, self._settle_names + names, follow, before))


def _domain(kind: str, choices: list[str]) -> tuple[c.Value, ...]:
    if kind == "yes_no":
        return (True, False)
    if kind == "choice":
        return tuple(dict.fromkeys(choices))
    return ("",)  # a text answer: conditions never test it


def _closure(name: str, depends_on: Callable[[str], list[str]]) -> frozenset[str]:
    out: set[str] = set()
    stack = [name]
    while stack:
        n = stack.pop()
        if n not in out:
            out.add(n)
            stack.extend(depends_on(n))
    return frozenset(out)


def _fact_order(derivers: dict[str, list[Rule]]) -> list[str]:
    """Facts so that each comes after every fact its deriving rules read."""
    out: list[str] = []
    state: set[str] = set()

    def visit(fact: str) -> None:
        state.add(fact)
        for rule in derivers.get(fact, ()):
            for name in c.names(rule.when):
                if name in derivers and name not in state:
                    visit(name)
        out.append(fact)

    for fact in derivers:
        if fact not in state:
            visit(fact)
    return out
