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

from collections.abc import Mapping
from dataclasses import dataclass

from ncnd_assistant.engine.evaluator import derive3
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Limb, Outcome, Provision, Question, RuleBase


@dataclass(frozen=True)
class Relevance:
    """The questions of one stage, sorted by whether they apply to the part."""

    asked: tuple[str, ...]  # apply and are answered
    missing: tuple[str, ...]  # apply and are unanswered
    maybe: tuple[str, ...]  # unanswered; whether they apply depends on missing answers
    ignored: tuple[str, ...]  # answered but do not apply
    env: dict[str, c.Value]  # the answers that count (plus `base`)

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


def _reads_facts(rb: RuleBase, qid: str) -> bool:
    return rb.memo(("gate_reads_facts", qid), lambda: any(
        rb.has_fact(n) for n in c.names(rb.question(qid).ask_when)))  # type: ignore[arg-type]


def _fact_inputs(rb: RuleBase, stage: int) -> frozenset[str]:
    """Every question the stage's derived facts read, directly or through other facts."""
    def compute() -> frozenset[str]:
        names: set[str] = set()
        for rule in rb.stage_rules(stage):
            if rule.then.kind == "derive":
                names.update(n for n in c.names(rule.when) if rb.has_question(n))
        return frozenset(names)
    return rb.memo(("fact_inputs", stage), compute)


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
        results = {p(values, still) for p in group}
        if True in results:
            return True
        if None in results:
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
    applies = True if rb.question(qid).ask_when is None else _gate(rb, qid)(values, still)
    if applies is not False and qid in balance_inputs(rb, stage) and not balance_matters(rb, stage, values, still):
        return False  # nothing left for the public interest to decide
    return applies


def asks_reads_facts(rb: RuleBase, stage: int, qid: str) -> bool:
    """Whether `asks` needs the derived facts for the question (otherwise the answers will do)."""
    return (rb.question(qid).ask_when is not None and _reads_facts(rb, qid)) or qid in balance_inputs(rb, stage)


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
    cone = _fact_inputs(rb, stage)
    facts: tuple[dict[str, c.Value], set[str]] | None = None  # derived values, facts still unknown
    settle_inputs = settling_inputs(rb, stage)
    check_settled = True

    def with_facts(unknown: set[str]) -> tuple[Mapping[str, c.Value], set[str]]:
        """The answers so far with the derived facts, and the names still unknown."""
        nonlocal facts
        if facts is None:  # recomputed only after an answer the facts depend on
            derived, still = derive3(rb, stage, env, unknown)
            facts = ({k: v for k, v in derived.items() if rb.has_fact(k)}, {n for n in still if rb.has_fact(n)})
        return {**env, **facts[0]}, unknown | facts[1]

    for q in questions:
        unknown = set(missing) | set(maybe) | later  # `later` still holds q
        if check_settled:
            check_settled = False
            if settled(rb, stage, *with_facts(unknown)):
                ignored += [rest.id for rest in questions if rest.id in later and rest.id in answers]
                break
        later.discard(q.id)
        applies = asks(rb, stage, q.id, *(with_facts(unknown) if asks_reads_facts(rb, stage, q.id) else (env, unknown)))
        if q.id in cone:
            facts = None
        if q.id in settle_inputs:  # answered, or known not to apply: the stage may now be settled
            check_settled = True
        answered = q.id in answers
        if applies is False:
            if answered:
                ignored.append(q.id)
            continue
        if answered and applies:
            asked.append(q.id)
            env[q.id] = answers[q.id]
        elif answered:  # may apply: keep the answer, it is needed if it does
            env[q.id] = answers[q.id]
            asked.append(q.id)
        elif applies:
            missing.append(q.id)
        else:
            maybe.append(q.id)
    return Relevance(tuple(asked), tuple(missing), tuple(maybe), tuple(ignored), env)
