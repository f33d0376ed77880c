"""The rule-base linter: problems a rule base can load with but should not ship with.

`load_rulebase` already reports the structural problems (shape, names, stages, fact cycles...).
`lint` looks at what the rules *mean*, over the answers the questions can take:

* a question that no path of answers reaches (`question-never-asked`), a rule whose `when` no
  possible answers satisfy (`rule-never-fires`), a question gated on a fact that depends on that
  question or a later one (`condition-cycle`), two `balance` rules that can fire together with
  different balances and no precedence (`conflicting-rules`);
* citations: missing (`missing-citation`) or relying on a version of the source too old to trust
  unchecked (`stale-citation`);
* dead weight: a derived fact nothing reads (`unused-fact`), a provision nothing engages or cites
  in the alternative (`provision-never-engaged`).

The reasoning about answers simulates question gating exactly as `gating.relevance` does: the
questions are walked in the order they are asked (Stage 1, then Stage 2), a question whose
`ask_when` is false (three-valued, later answers unknown) has no value, otherwise it has one of
its values. For each check only the questions the condition can depend on are walked (its names,
the names of the rules deriving its facts, and the `ask_when` of those questions, transitively),
and every partial walk is cut off as soon as the three-valued value of the condition is settled.
A search that grows too large is abandoned without a report: the linter only reports what it has
proved (an impossibility, or answers that show a conflict).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Citation, Limb, Rule, RuleBase
from ncnd_assistant.rulebase.yamlsource import YNode, parse_file

DEFAULT_MAX_CITATION_AGE_DAYS = 3 * 365
SEARCH_BUDGET = 600  # partial walks per check; a larger search is abandoned without a report
RESTARTS, RESTART_BUDGET = 3, 80  # short randomised searches tried first
RELAXED_BUDGET = 2000
OPEN_BUDGET = 20_000  # for "can Stage 1 leave a part open?"
TOTAL_BUDGET = 40_000  # partial walks for the whole lint: a huge rule base is checked in bounded time

ERROR = "error"
WARNING = "warning"

Pred3 = c.Predicate3
_TRUE: Pred3 = lambda env, unknown: True  # noqa: E731


def lint(rb: RuleBase, *, max_citation_age_days: int = DEFAULT_MAX_CITATION_AGE_DAYS,
         today: date | None = None) -> list[Problem]:
    """Every lint problem of a loaded rule base, sorted by place (errors and warnings)."""
    analysis = _Analysis(rb)
    problems: list[Problem] = []
    problems += analysis.condition_cycles()
    problems += analysis.unreachable_questions()
    problems += analysis.dead_rules()
    problems += analysis.balance_conflicts()
    problems += _citation_problems(rb, max_citation_age_days, today or date.today())
    problems += _unused(rb)
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem is an error (not only warnings)."""
    return any(p.severity == ERROR for p in problems)


# ---------------------------------------------------------------- reasoning over answers


class _GiveUp(Exception):
    """The search grew past its budget."""


@dataclass
class _Search:
    """One satisfiability question: can `target` hold on some walk through `variables`?"""

    target: Pred3
    variables: list[str]  # questions, in the order they are asked
    facts: list[str]  # derived facts the target depends on, in dependency order
    later: frozenset[str] = frozenset()  # names that stay unknown (asked after the point of interest)
    reads: frozenset[str] = frozenset()  # the names the target reads directly
    none_is_witness: bool = False  # an undecided target at the end of a walk counts as holding
    undecided: bool = field(default=False, init=False)


class _Analysis:
    """The rule base's names, domains and compiled conditions, shared by the checks."""

    def __init__(self, rb: RuleBase):
        self.rb = rb
        self.order = [q for q in rb.questions if q.stage == 1] + [q for q in rb.questions if q.stage == 2]
        self.position = {q.id: i for i, q in enumerate(self.order)}
        self.domain: dict[str, tuple[c.Value, ...]] = {}
        for q in rb.questions:
            if q.type == "yes_no":
                self.domain[q.id] = (True, False)
            elif q.type == "choice":
                self.domain[q.id] = tuple(dict.fromkeys(ch.value for ch in q.choices))
            else:
                self.domain[q.id] = ("",)  # a text answer: conditions never test it
        self.gates: dict[str, Pred3] = {
            q.id: c.compile_predicate3(q.ask_when) for q in rb.questions if q.ask_when is not None}
        self.derivers: dict[str, list[Rule]] = {f.id: [] for f in rb.facts}
        for rule in rb.rules:
            if rule.then.kind == "derive" and rule.then.target in self.derivers:
                self.derivers[rule.then.target].append(rule)
        self._preds: dict[str, Pred3] = {}
        self.readers: dict[str, set[str]] = {}  # name -> the facts and questions that read it directly
        for q in rb.questions:
            for name in c.names(q.ask_when) if q.ask_when is not None else ():
                self.readers.setdefault(name, set()).add(q.id)
        for fact, rules in self.derivers.items():
            for rule in rules:
                for name in c.names(rule.when):
                    self.readers.setdefault(name, set()).add(fact)
        self.fact_order = self._fact_order()
        self.fact_rank = {f: i for i, f in enumerate(self.fact_order)}
        self._deps: dict[str, frozenset[str]] = {}
        self._settled: dict[int, c.Condition | None] = {}
        self.total = TOTAL_BUDGET
        self._open: bool | None | str = "unknown"
        self._unsettled: tuple[Pred3, list[str], set[str]] | None = None

    # -------------------------------------------------------- dependencies

    def pred(self, rule: Rule) -> Pred3:
        if rule.id not in self._preds:
            self._preds[rule.id] = c.compile_predicate3(rule.when)
        return self._preds[rule.id]

    def _fact_order(self) -> list[str]:
        """Facts so that each comes after every fact its deriving rules read."""
        out: list[str] = []
        state: dict[str, int] = {}

        def visit(fact: str) -> None:
            state[fact] = 1
            for rule in self.derivers.get(fact, ()):
                for name in c.names(rule.when):
                    if name in self.derivers and name not in state:
                        visit(name)
            state[fact] = 2
            out.append(fact)

        for fact in self.derivers:
            if fact not in state:
                visit(fact)
        return out

    def direct(self, name: str) -> Iterable[str]:
        """The names whose values a name's value (or whether it is asked) depends on."""
        if name in self.derivers:
            for rule in self.derivers[name]:
                yield from c.names(rule.when)
        elif self.rb.has_question(name):
            ask_when = self.rb.question(name).ask_when
            if ask_when is not None:
                yield from c.names(ask_when)

    def cone(self, names: Iterable[str]) -> frozenset[str]:
        """The names, and every name they depend on, transitively."""
        out: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in out:
                continue
            if name in self._deps:
                out |= self._deps[name]
                continue
            out.add(name)
            stack.extend(self.direct(name))
        return frozenset(out)

    def name_cone(self, name: str) -> frozenset[str]:
        if name not in self._deps:
            self._deps[name] = frozenset()  # guards against cycles (already reported by the loader)
            self._deps[name] = self.cone(self.direct(name)) | {name}
        return self._deps[name]

    def search_for(self, target: Pred3, names: Iterable[str], before: str | None = None,
                   none_is_witness: bool = False) -> _Search:
        """A search over the questions `names` depend on (only those asked before `before`)."""
        cone: set[str] = set()
        names = list(names)
        for name in names:
            cone |= self.name_cone(name)
        names = list(names)
        questions = sorted((n for n in cone if n in self.position), key=self.position.__getitem__)
        limit = self.position[before] if before is not None else len(self.order)
        variables = [q for q in questions if self.position[q] < limit]
        later = frozenset(q for q in questions if self.position[q] >= limit)
        facts = sorted((n for n in cone if n in self.fact_rank), key=self.fact_rank.__getitem__)
        return _Search(target, variables, facts, later, frozenset(names), none_is_witness)

    # -------------------------------------------------------- the search

    def possible(self, search: _Search, budget: int = SEARCH_BUDGET) -> bool | None:
        """True: some answers make the target hold (a witness was found). False: none can.
        None: undecided (the search was abandoned, or ended on an unknown).

        A few short searches with the values tried in a random (seeded) order come first: they find
        a witness quickly where a chronological search would thrash; then one full search."""
        rng = random.Random(len(search.variables))
        tries = RESTARTS if len(search.variables) > 6 else 0
        for _ in range(tries):
            if self.total <= 0:
                return None
            found = self._walk(search, RESTART_BUDGET, rng)
            if found is not None:
                return found
        return self._walk(search, budget, None)

    def _walk(self, search: _Search, budget: int, rng: random.Random | None) -> bool | None:
        env: dict[str, c.Value] = {}
        variables = search.variables
        count = len(variables)
        left = [min(budget, self.total)]
        fact_preds = [(fact, [self.pred(r) for r in self.derivers[fact]]) for fact in search.facts]
        search.undecided = False

        def walk(i: int) -> bool:
            left[0] -= 1
            if left[0] < 0:
                raise _GiveUp
            values: dict[str, c.Value] = dict(env)
            unknown = set(variables[i:]) | search.later
            for fact, preds in fact_preds:
                result: bool | None = False
                for p in preds:
                    got = p(values, unknown)
                    if got is True:
                        result = True
                        break
                    if got is None:
                        result = None
                if result is None:
                    unknown.add(fact)
                else:
                    values[fact] = result
            held = search.target(values, unknown)
            if held is not None:
                return held
            if i == count:
                if search.none_is_witness:
                    return True
                search.undecided = True
                return False
            name = variables[i]
            gate = self.gates.get(name)
            if gate is not None and gate(values, unknown) is False:
                return walk(i + 1)  # not asked: no value
            if not self._matters(name, search, unknown, {}):
                return walk(i + 1)  # nothing still open reads it: any value will do
            choices = list(self.domain[name])
            if rng is not None:
                rng.shuffle(choices)
            for value in choices:
                env[name] = value
                if walk(i + 1):
                    return True
            del env[name]
            return False

        try:
            if walk(0):
                return True
        except _GiveUp:
            return None
        finally:
            self.total -= min(budget, self.total) - max(left[0], 0)
        return None if search.undecided else False

    def relaxed_possible(self, target: Pred3, names: list[str], budget: int = RELAXED_BUDGET) -> bool | None:
        """A quick, order-free over-approximation: only the names the target reads, facts taking
        either value, each question present exactly when its `ask_when` holds where that reads
        only questions of the set (free otherwise). False proves the target can never hold."""
        facts = [n for n in names if n in self.derivers]
        questions = sorted((n for n in names if n in self.position), key=self.position.__getitem__)
        closed = set(questions)
        present_iff: dict[str, Pred3] = {}
        for q in questions:
            ask_when = self.rb.question(q).ask_when
            if ask_when is None:
                present_iff[q] = _TRUE
            elif set(c.names(ask_when)) <= closed and not any(n in self.derivers for n in c.names(ask_when)):
                present_iff[q] = self.gates[q]
        variables = facts + questions
        env: dict[str, c.Value] = {}
        left = [budget]

        def walk(i: int) -> bool:
            left[0] -= 1
            if left[0] < 0:
                raise _GiveUp
            held = target(env, set(variables[i:]))
            if held is not None:
                return held
            if i == len(variables):  # pragma: no cover - every name the target reads is assigned
                return True
            name = variables[i]
            options: list[c.Value | None] = [True, False] if name in self.derivers else list(self.domain[name])
            gate = present_iff.get(name)
            if gate is None:
                options.append(None)
            else:
                present = gate(env, set(variables[i:]))
                if present is False:
                    options = [None]
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
        except _GiveUp:
            return None

    def _matters(self, name: str, search: _Search, unknown: set[str], seen: dict[str, bool]) -> bool:
        """Whether a name's value can still change the target: the target reads it, or an
        unsettled fact or a question still to be asked depends on it that itself matters."""
        if name in search.reads:
            return True
        if name in seen:
            return seen[name]
        seen[name] = False
        for reader in self.readers.get(name, ()):
            if reader in unknown and reader not in search.later and self._matters(reader, search, unknown, seen):
                seen[name] = True
                return True
        return False

    # -------------------------------------------------------- what settles a part in Stage 1

    def settled_in_stage1(self) -> c.Condition | None:
        """A condition that, when it holds, certainly settles the part in Stage 1 (refuse or NCND),
        so Stage 2 is never reached; None when nothing can settle it."""
        if 1 not in self._settled:
            self._settled[1] = self._settles()
        return self._settled[1]

    def _settles(self) -> c.Condition | None:
        rb = self.rb
        stage1 = rb.stage_rules(1)

        def engaging(pred: Callable[[Rule], bool]) -> list[c.Condition]:
            return [r.when for r in stage1 if r.then.kind == "engage" and pred(r)]

        def limb(r: Rule) -> Limb:
            return rb.provision(r.then.target).limb

        # Qualified NCND limbs are left out (they also need the balance): what remains certainly
        # settles the part, which is all the soundness of the Stage-2 checks needs.
        refuse = engaging(lambda r: limb(r) == Limb.REFUSE)
        ncnd = engaging(lambda r: limb(r) == Limb.NCND and not rb.provision(r.then.target).qualified)
        blocks = [r.when for r in stage1 if r.then.kind == "block" and r.then.target in ("ncnd", "absolute")]
        # an EIR routing or a contradiction also ends the part in Stage 1
        options: list[c.Condition] = list(refuse) + [
            r.when for r in stage1 if r.then.kind in ("outcome", "contradiction")]
        if ncnd:
            kept: c.Condition = c.AnyOf(tuple(ncnd))
            if blocks:
                kept = c.All((c.Not(c.AnyOf(tuple(blocks))), kept))
            options.append(kept)
        return c.AnyOf(tuple(options)) if options else None

    def stage1_open(self) -> bool | None:
        """Can Stage 1 leave a part open (so that Stage 2 runs)? None: undecided."""
        if self._open == "unknown":
            settles = self.settled_in_stage1()
            self._open = True if settles is None else self.possible(
                self.search_for(c.compile_predicate3(c.Not(settles)), c.names(settles)), OPEN_BUDGET)
        return self._open  # type: ignore[return-value]

    def reached_in_stage2(self, target: Pred3, names: list[str], before: str | None = None,
                          none_is_witness: bool = False) -> bool | None:
        """Can the target hold on a path where Stage 1 leaves the part open? Only called once the
        target is known to be possible (or undecided) on its own."""
        settles = self.settled_in_stage1()
        if settles is None:
            return True
        is_open = self.stage1_open()
        if is_open is False:
            return False
        if self._unsettled is None:  # computed once: the settling condition is large
            names_of = c.names(settles)
            self._unsettled = (c.compile_predicate3(c.Not(settles)), names_of,
                               {n for n in self.cone(names_of) if n in self.position})
        not_settled, settle_names, settle_cone = self._unsettled
        shared = settle_cone & {n for n in self.cone(names) if n in self.position}
        if not shared:  # independent answers: both can hold at once
            return is_open
        both = _and3(not_settled, target)
        return self.possible(self.search_for(both, settle_names + names, before, none_is_witness))

    # -------------------------------------------------------- checks

    def condition_cycles(self) -> list[Problem]:
        problems = []
        for q in self.order:
            if q.ask_when is None:
                continue
            reported: set[str] = set()
            for leaf in c.leaves(q.ask_when):
                if leaf.name not in self.derivers or leaf.name in reported:
                    continue
                late = sorted((n for n in self.name_cone(leaf.name)
                               if n in self.position and self.position[n] >= self.position[q.id]),
                              key=self.position.__getitem__)
                if late:
                    reported.add(leaf.name)
                    via = "itself" if late[0] == q.id else f"'{late[0]}', asked after it"
                    problems.append(Problem(
                        leaf.loc, "condition-cycle",
                        f"question '{q.id}' is asked when fact '{leaf.name}' holds, which depends on {via}",
                        "a question's condition may only depend on answers given before it: test the earlier "
                        "questions directly, or derive a fact from them alone", ERROR))
        return problems

    def unreachable_questions(self) -> list[Problem]:
        problems = []
        for q in self.order:
            where = q.ask_when.loc if q.ask_when is not None and q.ask_when.loc.line else q.loc
            gate = self.gates.get(q.id)
            names = c.names(q.ask_when) if q.ask_when is not None else []
            if gate is not None:
                found = self.possible(self.search_for(gate, names, before=q.id, none_is_witness=True))
                if found is False:
                    problems.append(Problem(
                        where, "question-never-asked",
                        f"question '{q.id}' is never asked: its `ask_when` cannot hold for any answers "
                        "to the questions before it",
                        "correct the condition, or remove the question", ERROR))
                    continue
            if q.stage == 2 and self.reached_in_stage2(gate or _TRUE, names, q.id, True) is False:
                problems.append(Problem(
                    where, "question-never-asked",
                    f"stage-2 question '{q.id}' is never asked: whenever it would apply, Stage 1 "
                    "has already settled the part (refusal or NCND)",
                    "Stage 2 is reached only when Stage 1 leaves the part open: check the Stage-1 "
                    "rules, or the question's `ask_when`", ERROR))
        return problems

    def dead_rules(self) -> list[Problem]:
        problems = []
        for rule in self.rb.rules:
            where = rule.when.loc if rule.when.loc.line else rule.loc
            pred = self.pred(rule)
            names = c.names(rule.when)
            found = self.relaxed_possible(pred, names)
            if found is not False:
                found = self.possible(self.search_for(pred, names))
            if found is False:
                problems.append(Problem(
                    where, "rule-never-fires",
                    f"rule '{rule.id}' never fires: its `when` cannot hold for any answers the questions "
                    "can take (a question not asked has no value)",
                    "correct the condition, or remove the rule", ERROR))
            elif rule.stage == 2 and self.reached_in_stage2(pred, names) is False:
                problems.append(Problem(
                    where, "rule-never-fires",
                    f"stage-2 rule '{rule.id}' never fires: whenever its `when` holds, Stage 1 has "
                    "already settled the part (refusal or NCND)",
                    "check the Stage-1 rules, or the rule's condition", ERROR))
        return problems

    def balance_conflicts(self) -> list[Problem]:
        problems = []
        for stage in (1, 2):
            rules = [r for r in self.rb.stage_rules(stage) if r.then.kind == "balance"]
            for i, first in enumerate(rules):
                for second in rules[i + 1:]:
                    if first.priority != second.priority or first.then.target == second.then.target:
                        continue
                    found = self.possible(self.search_for(*self._conflict(stage, first, second)))
                    if found is True:
                        problems.append(Problem(
                            second.loc, "conflicting-rules",
                            f"rules '{first.id}' and '{second.id}' (stage {stage}, priority {first.priority}) "
                            f"can fire on the same answers with different balances "
                            f"({first.then.target} and {second.then.target})",
                            f"give one of them a higher `priority` (the other is at {first.loc}), "
                            "or make their conditions exclusive", ERROR))
        return problems

    def _conflict(self, stage: int, first: Rule, second: Rule) -> tuple[Pred3, list[str]]:
        """Both balance rules fire, no higher balance rule does, and the stage reaches its balance."""
        rb = self.rb
        parts: list[c.Condition] = [first.when, second.when]
        higher = [r.when for r in rb.stage_rules(stage)
                  if r.then.kind == "balance" and r.priority > first.priority]
        earlier = [r.when for r in rb.stage_rules(stage) if r.then.kind == "engage"
                   and rb.provision(r.then.target).limb == Limb.REFUSE]
        if stage == 2:
            earlier += [r.when for r in rb.stage_rules(2) if r.then.kind == "outcome"]
            settles = self.settled_in_stage1()
            if settles is not None:
                earlier.append(settles)
        if higher or earlier:
            parts.append(c.Not(c.AnyOf(tuple(higher + earlier))))
        both = c.All(tuple(parts))
        return c.compile_predicate3(both), c.names(both)


def _and3(a: Pred3, b: Pred3) -> Pred3:
    def both(env: c.Env, unknown: frozenset[str] | set[str]) -> bool | None:
        x = a(env, unknown)
        if x is False:
            return False
        y = b(env, unknown)
        if y is False:
            return False
        return True if x is True and y is True else None
    return both


# ---------------------------------------------------------------- citations


def _citation_problems(rb: RuleBase, max_age_days: int, today: date) -> list[Problem]:
    problems = []
    owners: list[tuple[str, str, Location, Sequence[Citation], bool]] = []
    owners += [("question", q.id, q.loc, q.citations, False) for q in rb.questions]
    owners += [("provision", p.id, p.loc, p.citations, True) for p in rb.provisions]
    owners += [("rule", r.id, r.loc, r.citations, True) for r in rb.rules]
    places = _CitationPlaces()
    for kind, ident, loc, citations, required in owners:
        if required and not citations:
            problems.append(Problem(loc, "missing-citation", f"{kind} '{ident}' has no citation",
                                    "add `citations:` with the Act, case or guidance it rests on", ERROR))
        for i, citation in enumerate(citations):
            if citation.as_of is None:
                continue
            age = (today - citation.as_of).days
            if age > max_age_days:
                problems.append(Problem(
                    places.at(loc, i), "stale-citation",
                    f"{kind} '{ident}' cites '{citation.ref}' as of {citation.as_of.isoformat()}, "
                    f"{age} days ago (more than {max_age_days})",
                    "check the source is still current and update `as_of`", WARNING))
    return problems


class _CitationPlaces:
    """Where each citation of an entry is written, found by reading its file again (only when a
    citation has something to report); the entry's own place when the file cannot be read."""

    def __init__(self) -> None:
        self._files: dict[str, YNode | None] = {}

    def at(self, owner: Location, index: int) -> Location:
        if owner.line <= 0:
            return owner
        if owner.path not in self._files:
            self._files[owner.path] = parse_file(Path(owner.path), owner.path, []) if Path(
                owner.path).is_file() else None
        node = _find(self._files[owner.path], owner)
        if node is None:
            return owner
        citations = node.value.get("citations")
        if citations is None or not citations.is_list or index >= len(citations.value):
            return owner
        item: YNode = citations.value[index]
        if item.is_map and "as_of" in item.value:
            return item.value["as_of"].loc  # type: ignore[no-any-return]
        return item.loc


def _find(node: YNode | None, loc: Location) -> YNode | None:
    """The mapping that starts at `loc`."""
    if node is None:
        return None
    if node.is_map and node.loc == loc:
        return node
    children = node.value.values() if node.is_map else node.value if node.is_list else ()
    for child in children:
        found = _find(child, loc)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- dead weight


def _unused(rb: RuleBase) -> list[Problem]:
    problems = []
    read: set[str] = set()
    for rule in rb.rules:
        read.update(c.names(rule.when))
    for q in rb.questions:
        if q.ask_when is not None:
            read.update(c.names(q.ask_when))
    for fact in rb.facts:
        if fact.id not in read:
            problems.append(Problem(fact.loc, "unused-fact",
                                    f"fact '{fact.id}' is derived but no rule or question reads it",
                                    "use it in a rule's `when` or a question's `ask_when`, or remove it "
                                    "and the rules deriving it", WARNING))
    engaged = {r.then.target for r in rb.rules if r.then.kind == "engage"}
    alongside = {other for p in rb.provisions if p.id in engaged for other in p.in_the_alternative_with}
    for provision in rb.provisions:
        if provision.id not in engaged and provision.id not in alongside:
            problems.append(Problem(provision.loc, "provision-never-engaged",
                                    f"no rule engages provision '{provision.id}' and no engaged provision "
                                    "is cited in the alternative with it",
                                    "add a rule with `then: {engage: ...}`, or remove the provision", WARNING))
    return problems

