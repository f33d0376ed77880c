"""Which questions apply to a part: each question's `ask_when`, in rule-base order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ncnd_assistant.engine.evaluator import derive3
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Limb, Outcome, Provision, RuleBase


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


def _settling(rb: RuleBase, stage: int) -> tuple[tuple[tuple[c.Predicate3, ...], ...], frozenset[str]]:
    """The rules that settle a stage whatever is answered later, in order of precedence (EIR
    routing; refusals; in Stage 2, not held), and the questions they read, directly or through
    derived facts. An absolute exemption does not settle Stage 2: it may cover only some of the
    information (s40(2) the personal data in a file), and s23(1) travels with s24(1)."""
    def compute() -> tuple[tuple[tuple[c.Predicate3, ...], ...], frozenset[str]]:
        rules = rb.stage_rules(stage)

        groups = [[r.when for r in rules if r.then.kind == "outcome" and r.then.target == Outcome.EIR.value],
                  [r.when for r in rules
                   if r.then.kind == "engage" and rb.provision(r.then.target).limb == Limb.REFUSE]]
        if stage == 2:
            groups += [[r.when for r in rules if r.then.kind == "outcome" and r.then.target == Outcome.NOT_HELD.value]]
        names = {n for g in groups for cond in g for n in c.names(cond)}
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


def balance_matters(rb: RuleBase, stage: int, values: Mapping[str, c.Value], still: set[str]) -> bool:
    """Whether a qualified provision of the stage may still be relied on (engaged, or maybe, and not
    certainly blocked), on the answers and derived facts so far: if none may, the public interest
    questions cannot change anything."""
    blocks = [target for predicate, target in _blocking(rb, stage) if predicate(values, still) is True]
    return any(predicate(values, still) is not False and not any(p.blocked_by(b) for b in blocks)
               for predicate, p in _qualified_engaging(rb, stage))


def relevance(rb: RuleBase, stage: int, answers: Mapping[str, c.Value],
              base: Mapping[str, c.Value] | None = None) -> Relevance:
    """Walk the stage's questions in order and sort them (see `Relevance`)."""
    env: dict[str, c.Value] = dict(base or {})
    questions = rb.stage_questions(stage)
    later = {q.id for q in questions}
    asked: list[str] = []
    missing: list[str] = []
    maybe: list[str] = []
    ignored: list[str] = []
    cone = _fact_inputs(rb, stage)
    facts: tuple[dict[str, c.Value], set[str]] | None = None  # derived values, facts still unknown
    settle_inputs = _settling(rb, stage)[1]
    weighing = balance_inputs(rb, stage)
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
        applies: bool | None = True
        if q.ask_when is not None:
            values, gate_unknown = with_facts(unknown) if _reads_facts(rb, q.id) else (env, unknown)
            applies = _gate(rb, q.id)(values, gate_unknown)
        if applies is not False and q.id in weighing and not balance_matters(rb, stage, *with_facts(unknown)):
            applies = False  # nothing left for the public interest to decide
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
