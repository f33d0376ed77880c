"""When a stage decides, written as conditions over answers and derived facts.

`decide.decision` turns the rules that fired into a stage's outcome; the linter needs the same
knowledge as conditions it can search answers for: whether Stage 1 settles the part (so that
Stage 2 never runs, `Assessor.gate`), and whether a stage's decision gets as far as weighing its
public interest balance (where conflicting balances raise).
"""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Balance, Limb, Outcome, Provision, Rule, RuleBase


def _any(conditions: Sequence[c.Condition]) -> c.Condition | None:
    return c.AnyOf(tuple(conditions)) if conditions else None


def _unless(condition: c.Condition, stops: Sequence[c.Condition]) -> c.Condition:
    """`condition`, and none of `stops` (tested first: there are usually fewer of them)."""
    return c.All((c.Not(c.AnyOf(tuple(stops))), condition)) if stops else condition


def _balance_rules(rb: RuleBase, stage: int) -> list[Rule]:
    return [r for r in rb.stage_rules(stage) if r.then.kind == "balance"]


def top_balance(rb: RuleBase, stage: int, balance: Balance) -> c.Condition | None:
    """Holds when a `balance` rule giving `balance` fires and no balance rule of a higher
    priority does (the balance `decide` weighs with)."""
    rules = _balance_rules(rb, stage)
    return _any([_unless(r.when, [o.when for o in rules if o.priority > r.priority])
                 for r in rules if r.then.target == balance])


def balance_conflict(rb: RuleBase, stage: int) -> c.Condition | None:
    """Holds when the highest-priority balance rules that fire give different balances (deciding
    the stage then raises `balance-conflict`)."""
    rules = _balance_rules(rb, stage)
    options = []
    for priority in sorted({r.priority for r in rules}):
        maintain = [r.when for r in rules if r.priority == priority and r.then.target == Balance.MAINTAIN]
        disclose = [r.when for r in rules if r.priority == priority and r.then.target == Balance.DISCLOSE]
        if maintain and disclose:
            both = c.All((c.AnyOf(tuple(maintain)), c.AnyOf(tuple(disclose))))
            options.append(_unless(both, [r.when for r in rules if r.priority > priority]))
    return _any(options)


def _kept(rb: RuleBase, provision: Provision) -> c.Condition | None:
    """Holds when Stage 1 relies on an NCND limb: engaged, not blocked, and for a qualified limb
    the balance says maintain (None: it never can be)."""
    rules = rb.stage_rules(1)
    engaged = c.AnyOf(tuple(r.when for r in rules if r.then.kind == "engage" and r.then.target == provision.id))
    kept = _unless(engaged, [r.when for r in rules if r.then.kind == "block" and provision.blocked_by(r.then.target)])
    if not provision.qualified:
        return kept
    maintain = top_balance(rb, 1, Balance.MAINTAIN)
    return None if maintain is None else c.All((kept, maintain))


def stage1_settles(rb: RuleBase, *, weighed: bool = True) -> c.Condition | None:
    """Holds exactly when Stage 1 does not leave the part to Stage 2: an EIR routing, a refusal,
    a contradiction, conflicting balances, or an NCND limb relied on. None: nothing can.

    With `weighed=False` what needs the balance is left out (qualified limbs, conflicting
    balances): the smaller condition holds only where Stage 1 settles the part whatever the
    balance, which is all a proof that Stage 2 is never reached needs."""
    rules = rb.stage_rules(1)
    options = [r.when for r in rules if r.then.kind == "contradiction"
               or (r.then.kind == "outcome" and r.then.target == Outcome.EIR)
               or (r.then.kind == "engage" and rb.provision(r.then.target).limb == Limb.REFUSE)]
    conflict = balance_conflict(rb, 1) if weighed else None
    options += [conflict] if conflict is not None else []
    engaged = dict.fromkeys(r.then.target for r in rules if r.then.kind == "engage")
    for pid in engaged:
        provision = rb.provision(pid)
        if provision.limb == Limb.NCND and (weighed or not provision.qualified):
            kept = _kept(rb, provision)
            options += [kept] if kept is not None else []
    return _any(options)


def decided_before_balance(rb: RuleBase, stage: int) -> c.Condition | None:
    """Holds when the stage is decided before its balance is weighed: an EIR routing or a
    refusal (in Stage 2 also not held, or Stage 1 settling the part, so Stage 2 never runs)."""
    rules = rb.stage_rules(stage)
    options = [r.when for r in rules if (r.then.kind == "outcome" and (stage == 2 or r.then.target == Outcome.EIR))
               or (r.then.kind == "engage" and rb.provision(r.then.target).limb == Limb.REFUSE)]
    settles = stage1_settles(rb) if stage == 2 else None
    options += [settles] if settles is not None else []
    return _any(options)
