"""Which questions apply to a part: each question's `ask_when`, in rule-base order.

The walk is public, so that the interview, `assess` and the linter ask questions the same way:
`asking_order` (the order of a stage), `settled` (the stage's outcome is certain: ask nothing
more), `asks` (is this question asked at its turn: its `ask_when`, and for a public interest
question whether the balance still matters, `balance_matters`), each three-valued over the answers
and derived facts known so far and the names still unknown. `settling_names` and
`balance_matter_names` say which names `settled` and `balance_matters` read; `settling_inputs`,
after which questions a stage can become settled. `relevance` walks a stage with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import field

from ncnd_assistant.engine.compiler import layers
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Limb, Outcome, Provision, Question, Rule, RuleBase


@dataclass(frozen=True)
class Relevance:
    """The questions of one stage, sorted by whether they apply to the part."""

    asked: tuple[str, ...]  # apply and are answered
    missing: tuple[str, ...]  # apply and are unanswered
    maybe: tuple[str, ...]  # unanswered; whether they apply depends on missing answers
    ignored: tuple[str, ...]  # answered but do not apply
    env: dict[str, c.Value]  # the answers that count (plus `base`)
    derived: int = field(default=0, compare=False)  # fact derivations the walk made (work, for tests)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.maybe

    def next_question(self) -> str | None:
        """The first question still to ask, in order."""
        pending = [q for q in self.missing + self.maybe]
        return pending[0] if pending else None


def _gate(rb: RuleBase, qid: str) -> c.Predicate3:
    """The question's `ask_when`, compiled once per rule base."""
    return rb.memo(("gate", qid), lambda: c.compile_predicate3(rb.question(qid).ask_when))  # type: ignore[arg-type]


def asking_order(rb: RuleBase, stage: int) -> tuple[Question, ...]:
    """The stage's questions in the order they are asked (their order in the rule base)."""
    return rb.stage_questions(stage)


def _settling_conditions(rb: RuleBase, stage: int) -> tuple[tuple[c.Condition, ...], ...]:
    """The conditions that settle a stage whatever is answered later, in order of precedence (EIR
    routing; refusals; in Stage 2, not held). An absolute exemption does not settle Stage 2: it may
    cover only some of the information (s40(2) the personal data in a file), and s23(1) travels
    with s24(1)."""
    def compute() -> tuple[tuple[c.Condition, ...], ...]:
        rules = rb.stage_rules(stage)
        groups = [tuple(r.when for r in rules if r.then.kind == "outcome" and r.then.target == Outcome.EIR.value),
                  tuple(r.when for r in rules
                        if r.then.kind == "engage" and rb.provision(r.then.target).limb == Limb.REFUSE)]
        if stage == 2:
            groups.append(tuple(r.when for r in rules
                                if r.then.kind == "outcome" and r.then.target == Outcome.NOT_HELD.value))
        return tuple(groups)
    return rb.memo(("settling_conditions", stage), compute)


def settling_names(rb: RuleBase, stage: int) -> frozenset[str]:
    """Every name (question or fact) that `settled` reads directly for the stage."""
    return rb.memo(("settling_names", stage), lambda: frozenset(
        n for group in _settling_conditions(rb, stage) for cond in group for n in c.names(cond)))


def _settling(rb: RuleBase, stage: int) -> tuple[tuple[tuple[c.Predicate3, ...], ...], frozenset[str]]:
    """The settling conditions compiled, and the questions they read, directly or through the
    stage's derived facts."""
    def compute() -> tuple[tuple[tuple[c.Predicate3, ...], ...], frozenset[str]]:
        rules = rb.stage_rules(stage)
        groups = _settling_conditions(rb, stage)
        names = set(settling_names(rb, stage))
        changed = True
        while changed:  # through the facts those conditions read
            changed = False
            for r in rules:
                if r.then.kind == "derive" and r.then.target in names:
                    new = set(c.names(r.when)) - names
                    names |= new
                    changed = changed or bool(new)
        return (tuple(tuple(c.compile_predicate3(cond) for cond in g) for g in groups),
                frozenset(n for n in names if rb.has_question(n)))
    return rb.memo(("settling", stage), compute)


def settling_inputs(rb: RuleBase, stage: int) -> frozenset[str]:
    """The questions `settled` reads for the stage, directly or through its derived facts: only
    after one of them can a stage that was not settled become settled."""
    return _settling(rb, stage)[1]


def settled(rb: RuleBase, stage: int, values: Mapping[str, c.Value], still: set[str]) -> bool:
    """Whether the stage's outcome is already certain, so later questions cannot change it
    (they are then not asked): an EIR routing or a refusal (and in Stage 2, not held) holds on the
    answers and derived facts so far (`values`; `still` the names not yet known), and nothing of
    higher precedence still may."""
    groups, _ = _settling(rb, stage)
    for group in groups:
        undecided = False
        for predicate in group:
            holds = predicate(values, still)
            if holds is True:
                return True
            undecided = undecided or holds is None
        if undecided:
            return False
    return False


def balance_inputs(rb: RuleBase, stage: int) -> frozenset[str]:
    """The stage's questions that matter only to the public interest balance: read by balance (or
    contradiction) rules and by no other rule, or the officer's public interest reasons, and
    deciding whether to ask nothing but other such questions."""
    def compute() -> frozenset[str]:
        rules = rb.stage_rules(stage)
        weighing = {n for r in rules if r.then.kind == "balance" for n in c.names(r.when) if rb.has_question(n)}
        other = {n for r in rules if r.then.kind not in ("balance", "contradiction") for n in c.names(r.when)}
        found = {q.id for q in rb.stage_questions(stage)
                 if (q.id in weighing or q.public_interest_reasons) and q.id not in other}
        changed = True
        while changed:  # a question deciding whether to ask something else is not only the balance's
            changed = False
            for q in rb.stage_questions(stage):
                if q.ask_when is not None and q.id not in found:
                    for name in set(c.names(q.ask_when)) & found:
                        found.discard(name)
                        changed = True
        return frozenset(found)
    return rb.memo(("balance_inputs", stage), compute)


def _qualified_engaging(rb: RuleBase, stage: int) -> tuple[tuple[c.Predicate3, Provision], ...]:
    limb = Limb.NCND if stage == 1 else Limb.WITHHOLD
    return rb.memo(("qualified_engaging", stage), lambda: tuple(
        (c.compile_predicate3(r.when), rb.provision(r.then.target)) for r in rb.stage_rules(stage)
        if r.then.kind == "engage" and rb.provision(r.then.target).limb == limb
        and rb.provision(r.then.target).qualified))


def _blocking(rb: RuleBase, stage: int) -> tuple[tuple[c.Predicate3, str], ...]:
    return rb.memo(("blocking", stage), lambda: tuple(
        (c.compile_predicate3(r.when), r.then.target) for r in rb.stage_rules(stage) if r.then.kind == "block"))


def balance_matter_names(rb: RuleBase, stage: int) -> frozenset[str]:
    """Every name that `balance_matters` reads for the stage: the conditions of the rules engaging
    its qualified provisions and of its `block` rules."""
    limb = Limb.NCND if stage == 1 else Limb.WITHHOLD
    return rb.memo(("balance_matter_names", stage), lambda: frozenset(
        n for r in rb.stage_rules(stage) for n in c.names(r.when)
        if r.then.kind == "block" or (r.then.kind == "engage" and rb.provision(r.then.target).limb == limb
                                      and rb.provision(r.then.target).qualified)))


def balance_matters(rb: RuleBase, stage: int, values: Mapping[str, c.Value], still: set[str]) -> bool:
    """Whether a qualified provision of the stage may still be relied on (engaged, or maybe, and not
    certainly blocked), on the answers and derived facts so far: if none may, the public interest
    questions cannot change anything."""
    blocks = [target for predicate, target in _blocking(rb, stage) if predicate(values, still) is True]
    return any(predicate(values, still) is not False and not any(p.blocked_by(b) for b in blocks)
               for predicate, p in _qualified_engaging(rb, stage))


def asks(rb: RuleBase, stage: int, qid: str, values: Mapping[str, c.Value], still: set[str]) -> bool | None:
    """Whether question `qid` is asked at its turn, the stage not being settled, on the answers
    and derived facts so far (`values`; `still` the names not yet known, `qid` among them): its
    `ask_when` (None: it depends on what is not known yet, and the question is asked), and False
    for a question that matters only to the public interest balance when the balance no longer
    matters (`balance_matters`)."""
    asking = _asking(rb, stage).get(qid)
    if asking is None:  # a question of another stage
        asking = (None if rb.question(qid).ask_when is None else _gate(rb, qid), qid in balance_inputs(rb, stage))
    return _asks(rb, stage, asking, values, still)


def _asks(rb: RuleBase, stage: int, asking: tuple[c.Predicate3 | None, bool],
          values: Mapping[str, c.Value], still: set[str]) -> bool | None:
    gate, balance_only = asking
    applies = True if gate is None else gate(values, still)
    if applies is not False and balance_only and not balance_matters(rb, stage, values, still):
        return False  # nothing left for the public interest to decide
    return applies


def _asking(rb: RuleBase, stage: int) -> dict[str, tuple[c.Predicate3 | None, bool]]:
    """Per question of the stage: its `ask_when` compiled (None: always asked), and whether it
    matters only to the public interest balance."""
    return rb.memo(("asking", stage), lambda: {
        q.id: (None if q.ask_when is None else _gate(rb, q.id), q.id in balance_inputs(rb, stage))
        for q in rb.stage_questions(stage)})


class _Facts:
    """The stage's derived facts under three-valued logic (as `derive3`), kept up to date while the
    walk learns its questions one at a time, and derived only when read: a question that becomes
    known (answered, or known not to apply) marks the still-unknown facts that read it, directly or
    through other facts; `refresh` derives again only the marked facts a reader needs, in order.
    Kleene logic is monotone, so a fact once true or false stays so.

    `values` holds the answers so far and the facts known; `still` the names not yet known
    (questions, and facts not yet known or not re-derived since); `derived` counts fact
    derivations, for tests that keep the work small."""

    __slots__ = ("values", "still", "derived", "_open", "_dirty", "_order", "_downstream")

    def __init__(self, rb: RuleBase, stage: int, env: Mapping[str, c.Value], unknown: set[str]):
        self._order, self._downstream, _ = _fact_plan(rb, stage)
        if not env:  # the same for every walk of the stage: derived once per rule base
            values, still, open_, _ = rb.memo(("facts_start", stage, frozenset(unknown)),
                                              lambda: self._start({}, unknown))
            derived = 0
        else:
            values, still, open_, derived = self._start(env, unknown)
        self.values, self.still, self._open, self.derived = dict(values), set(still), set(open_), derived
        self._dirty: set[int] = set()

    def _start(self, env: Mapping[str, c.Value], unknown: set[str]) -> tuple[
            dict[str, c.Value], set[str], set[int], int]:
        values, still, open_ = dict(env), set(unknown), set()
        for i, (fact, predicates) in enumerate(self._order):
            if fact in values or fact in still:
                continue  # as derive3: a fact given (or unknown) is left as it is
            known = _derive(predicates, values, still)
            if known is None:
                still.add(fact)
                open_.add(i)
            else:
                values[fact] = known
        return values, still, open_, len(self._order)

    def learn(self, name: str) -> None:
        """`name` (a question) is now known: its answer is in `values`, or it has none."""
        self.still.discard(name)
        self._dirty.update(self._downstream.get(name, ()))

    def refresh(self, needs: tuple[int, ...]) -> None:
        """Bring the facts `needs` (positions, in order, upstream facts included) up to date."""
        dirty = self._dirty
        for i in needs:
            if i in dirty:
                dirty.discard(i)
                if i in self._open:
                    fact, predicates = self._order[i]
                    self.derived += 1
                    known = _derive(predicates, self.values, self.still)
                    if known is not None:
                        self._open.discard(i)
                        self.still.discard(fact)
                        self.values[fact] = known


def _derive(predicates: tuple[c.Predicate3, ...], values: Mapping[str, c.Value], still: set[str]) -> bool | None:
    """A fact from its derive rules: true if one holds, unknown if one may, else false."""
    result: bool | None = False
    for predicate in predicates:
        holds = predicate(values, still)
        if holds is True:
            return True
        if holds is None:
            result = None
    return result


FactPlan = tuple[tuple[tuple[str, tuple[c.Predicate3, ...]], ...], dict[str, tuple[int, ...]],
                 Callable[[Iterable[str]], tuple[int, ...]]]


def _fact_plan(rb: RuleBase, stage: int) -> FactPlan:
    """The stage's facts in an order where each comes after the facts it reads, each with its derive
    rules' predicates; for each name, the facts (by position) that read it directly or through other
    facts; and a function giving, for some names, the facts they are or read (positions, in order)."""
    def compute() -> FactPlan:
        rules: dict[str, list[Rule]] = {}
        depth: dict[str, int] = {}
        for level, layer in enumerate(layers(rb, stage)):
            for rule in layer:
                if rule.then.kind is ConclusionKind.DERIVE:
                    rules.setdefault(rule.then.target, []).append(rule)
                    depth[rule.then.target] = level  # a fact is known after its last rule's layer
        facts = sorted(rules, key=lambda f: depth[f])  # stable: rule-base order within a layer
        order = tuple((f, tuple(c.compile_predicate3(r.when) for r in rules[f])) for f in facts)
        position = {f: i for i, f in enumerate(facts)}
        reads = {f: {n for r in rules[f] for n in c.names(r.when)} for f in facts}
        readers: dict[str, set[int]] = {}
        for f in facts:
            for name in reads[f]:
                readers.setdefault(name, set()).add(position[f])
        downstream: dict[str, tuple[int, ...]] = {}
        upstream: dict[str, frozenset[int]] = {}

        def below(name: str) -> tuple[int, ...]:
            if name not in downstream:
                found = set(readers.get(name, ()))
                for i in readers.get(name, ()):
                    found.update(below(facts[i]))
                downstream[name] = tuple(sorted(found))
            return downstream[name]

        def above(fact: str) -> frozenset[int]:
            if fact not in upstream:
                upstream[fact] = frozenset({position[fact]}).union(
                    *(above(n) for n in reads[fact] if n in position))
            return upstream[fact]

        def needs(names: Iterable[str]) -> tuple[int, ...]:
            return tuple(sorted(set().union(*(above(n) for n in names if n in position))))
        for name in list(readers):
            below(name)
        return order, downstream, needs
    return rb.memo(("fact_plan", stage), compute)


def _reads(rb: RuleBase, stage: int) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The facts (positions in `_fact_plan`) that `settled` reads for the stage, and that `asks`
    reads for each of its questions, upstream facts included."""
    def compute() -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
        needs = _fact_plan(rb, stage)[2]
        balance = balance_inputs(rb, stage)
        per_question = {q.id: needs((c.names(q.ask_when) if q.ask_when is not None else [])
                                    + (sorted(balance_matter_names(rb, stage)) if q.id in balance else []))
                        for q in rb.stage_questions(stage)}
        return needs(settling_names(rb, stage)), per_question
    return rb.memo(("fact_reads", stage), compute)


def relevance(rb: RuleBase, stage: int, answers: Mapping[str, c.Value],
              base: Mapping[str, c.Value] | None = None) -> Relevance:
    """Walk the stage's questions in order and sort them (see `Relevance`)."""
    env: dict[str, c.Value] = dict(base or {})
    questions = asking_order(rb, stage)
    later = {q.id for q in questions}
    asked: list[str] = []
    missing: list[str] = []
    maybe: list[str] = []
    ignored: list[str] = []
    facts = _Facts(rb, stage, env, later)  # the answers, the facts known, and what is still unknown
    values, still = facts.values, facts.still
    settling_reads, asks_reads = _reads(rb, stage)
    asking = _asking(rb, stage)
    settle_inputs = settling_inputs(rb, stage)
    check_settled = True
    for q in questions:
        if check_settled:
            check_settled = False
            facts.refresh(settling_reads)
            if settled(rb, stage, values, still):
                ignored += [rest.id for rest in questions if rest.id in later and rest.id in answers]
                break
        later.discard(q.id)
        facts.refresh(asks_reads[q.id])
        applies = _asks(rb, stage, asking[q.id], values, still)
        if q.id in settle_inputs:  # answered, or known not to apply: the stage may now be settled
            check_settled = True
        answered = q.id in answers
        if applies is False:
            if answered:
                ignored.append(q.id)
            facts.learn(q.id)  # known not to apply: it has no answer
            continue
        if answered:  # applies, or may apply: keep the answer, it is needed if it does
            asked.append(q.id)
            env[q.id] = values[q.id] = answers[q.id]
            facts.learn(q.id)
        elif applies:
            missing.append(q.id)
        else:
            maybe.append(q.id)
    return Relevance(tuple(asked), tuple(missing), tuple(maybe), tuple(ignored), env, facts.derived)
