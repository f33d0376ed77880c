"""Fired rules -> the recommendation for one part, in two stages (design notes).

Stage 1 (confirm or deny) sees only what Stage-1 rules fired, so it cannot depend on whether
information is held. Stage 2 (disclosure) runs only when Stage 1 did not settle the part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field, replace

from ncnd_assistant.errors import Problem, RuleBaseError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import HARM_LEVELS, Balance, Limb, Outcome, Provision, Rule, RuleBase, section_key


@dataclass(frozen=True)
class CitedProvision:
    """A provision the recommendation relies on, or one considered and set aside."""

    provision: Provision
    harm: str | None
    rules: tuple[str, ...]
    in_the_alternative: bool = False  # relied on in the alternative with another (s23(5) with s24(2))


@dataclass(frozen=True)
class PublicInterest:
    """The public interest test for the qualified provisions of the deciding stage."""

    for_: tuple[str, ...]
    against: tuple[str, ...]
    balance: Balance | None
    balance_rule: str | None
    balance_because: str


@dataclass(frozen=True)
class StageDecision:
    """What one stage concluded; `outcome` is None when it leaves the part to Stage 2."""

    stage: int
    outcome: Outcome | None
    cited: tuple[CitedProvision, ...]
    set_aside: tuple[CitedProvision, ...]  # engaged but not maintained (blocked or PIT)
    public_interest: PublicInterest | None
    blocked_by: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def _strongest(harms: Sequence[str | None]) -> str | None:
    known = [h for h in harms if h]
    return min(known, key=HARM_LEVELS.index) if known else None


def _engaged(rb: RuleBase, fired: Sequence[Rule], limb: Limb) -> list[CitedProvision]:
    by_provision: dict[str, list[Rule]] = {}
    for rule in fired:
        if rule.then.kind is ConclusionKind.ENGAGE and rb.provision(rule.then.target).limb == limb:
            by_provision.setdefault(rule.then.target, []).append(rule)
    return [CitedProvision(rb.provision(pid), _strongest([r.then.harm for r in rules]),
                           tuple(r.id for r in rules))
            for pid, rules in by_provision.items()]


def _balance(fired: Sequence[Rule]) -> Rule | None:
    """The balance rule with the highest priority; equal priorities must agree."""
    rules = [r for r in fired if r.then.kind is ConclusionKind.BALANCE]
    if not rules:
        return None
    top = max(r.priority for r in rules)
    best = [r for r in rules if r.priority == top]
    if len({r.then.target for r in best}) > 1:
        raise RuleBaseError("conflicting public-interest balances", [
            Problem(r.loc, "balance-conflict",
                    f"rule '{r.id}' gives balance '{r.then.target}' at priority {r.priority}, "
                    f"as do others with a different balance",
                    "give one of them a higher `priority`") for r in best])
    return best[0]


def _with_alternatives(rb: RuleBase, kept: list[CitedProvision]) -> tuple[list[CitedProvision], list[str]]:
    """Mark provisions relied on in the alternative (s23(5) with s24(2)) when both are relied on;
    warn when one is relied on alone, since its partner may be cited only if itself engaged and
    maintained (ICO "How sections 23 and 24 interact")."""
    ids = {c.provision.id for c in kept}
    out, warnings = [], []
    for item in kept:
        partners = [o for o in item.provision.in_the_alternative_with if o in ids]
        partners += [p.id for p in rb.provisions if item.provision.id in p.in_the_alternative_with and p.id in ids]
        out.append(replace(item, in_the_alternative=True) if partners else item)
        for other in item.provision.in_the_alternative_with:
            if other not in ids:
                warnings.append(f"{item.provision.id} is relied on without {other}: {other} can be cited in the "
                                f"alternative only where it is itself engaged and its public interest test favours "
                                f"maintaining it, and citing {item.provision.id} alone shows which of the two "
                                f"applies; consider whether {other} applies, and record the reasoning")
    return sorted(out, key=lambda c: section_key(c.provision.id)), warnings


def _public_interest(cited: Sequence[CitedProvision], fired: Sequence[Rule],
                     balance: Rule | None) -> PublicInterest | None:
    qualified = [c for c in cited if c.provision.qualified]
    if not qualified:
        return None
    reasons = {rid for c in qualified for rid in c.rules}
    for_: list[str] = []
    against: list[str] = []
    sources = [c.provision.public_interest for c in qualified]
    # factors of the rules engaging these provisions, and of every other rule that fired in the
    # stage (balance rules that were outweighed still bring their factors to the test)
    sources += [r.public_interest for r in fired if r.id in reasons or r.then.kind is not ConclusionKind.ENGAGE]
    for factors in sources:
        for_.extend(f for f in factors.for_ if f not in for_)
        against.extend(f for f in factors.against if f not in against)
    return PublicInterest(tuple(for_), tuple(against),
                          Balance(balance.then.target) if balance else None,
                          balance.id if balance else None, balance.because if balance else "")


def _maintain(rb: RuleBase, stage: int, engaged: list[CitedProvision], fired: Sequence[Rule],
              blocked: Callable[[Provision], bool], outcome: Outcome) -> StageDecision | None:
    """Keep absolute provisions, and qualified ones when the balance says maintain, unless blocked."""
    balance = _balance(fired)
    warnings = []
    if any(c.provision.qualified for c in engaged) and balance is None:
        warnings.append(f"no public-interest balance rule fired in stage {stage}; "
                        "qualified provisions are not relied on")
    keep = [c for c in engaged if not blocked(c.provision) and
            (not c.provision.qualified or (balance is not None and balance.then.target == Balance.MAINTAIN))]
    set_aside = tuple(c for c in engaged if c not in keep)
    if not keep:
        return None if not engaged else StageDecision(stage, None, (), set_aside,
                                                     _public_interest(engaged, fired, balance),
                                                     warnings=tuple(warnings))
    cited, notes = _with_alternatives(rb, keep)
    warnings += notes
    return StageDecision(stage, outcome, tuple(cited), set_aside,
                         _public_interest(cited, fired, balance), warnings=tuple(warnings))


def _routed(fired: Sequence[Rule], stage: int) -> StageDecision | None:
    """Environmental information goes to the EIR (s39), whatever else the FOIA rules found."""
    if any(r.then.kind is ConclusionKind.OUTCOME and r.then.target == Outcome.EIR.value for r in fired):
        return StageDecision(stage, Outcome.EIR, (), (), None)
    return None


def _blocked(fired: Sequence[Rule]) -> Callable[[Provision], bool]:
    """Whether a provision is made unavailable by a `block` rule that fired in the stage."""
    scopes = [r.then.target for r in fired if r.then.kind is ConclusionKind.BLOCK]
    return lambda p: any(p.blocked_by(scope) for scope in scopes)


def contradictions(rb: RuleBase, fired_ids: Sequence[str]) -> tuple[Rule, ...]:
    """The fired rules that find the officer's answers contradict each other."""
    return tuple(r for r in (rb.rule(rid) for rid in fired_ids) if r.then.kind is ConclusionKind.CONTRADICTION)


def decide_stage1(rb: RuleBase, fired_ids: Sequence[str]) -> StageDecision:
    """EIR, refuse, NCND, or leave the part to Stage 2 (outcome None)."""
    fired = [rb.rule(rid) for rid in fired_ids]
    routed = _routed(fired, 1)
    if routed is not None:
        return routed
    refusals = _engaged(rb, fired, Limb.REFUSE)
    if refusals:
        return StageDecision(1, Outcome.REFUSE, tuple(refusals), (), None)
    blocked_by = tuple(r.id for r in fired if r.then.kind is ConclusionKind.BLOCK)
    engaged = _engaged(rb, fired, Limb.NCND)
    decision = _maintain(rb, 1, engaged, fired, _blocked(fired), Outcome.NCND)
    if decision is None:
        return StageDecision(1, None, (), (), None, blocked_by)
    return StageDecision(1, decision.outcome, decision.cited, decision.set_aside,
                         decision.public_interest, blocked_by, decision.warnings)


def decide_stage2(rb: RuleBase, fired_ids: Sequence[str]) -> StageDecision:
    """EIR, refuse, not held, withhold or disclose."""
    fired = [rb.rule(rid) for rid in fired_ids]
    routed = _routed(fired, 2)
    if routed is not None:
        return routed
    refusals = _engaged(rb, fired, Limb.REFUSE)
    if refusals:
        return StageDecision(2, Outcome.REFUSE, tuple(refusals), (), None)
    if any(r.then.kind is ConclusionKind.OUTCOME and r.then.target == "not_held" for r in fired):
        return StageDecision(2, Outcome.NOT_HELD, (), (), None)
    engaged = _engaged(rb, fired, Limb.WITHHOLD)
    decision = _maintain(rb, 2, engaged, fired, _blocked(fired), Outcome.WITHHOLD)
    if decision is None:
        return StageDecision(2, Outcome.DISCLOSE, (), (), None)
    if decision.outcome is None:
        return StageDecision(2, Outcome.DISCLOSE, (), decision.set_aside, decision.public_interest,
                             warnings=decision.warnings)
    return decision
