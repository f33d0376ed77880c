"""Why and why not: what each fired rule relied on, and why other provisions did not apply."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Citation, Limb, Rule, RuleBase, section_key
from ncnd_assistant.rulebase.phrasing import answer_text, describe_failure, name_text


@dataclass(frozen=True)
class Reliance:
    """One answer or derived fact a rule relied on."""

    name: str
    text: str  # the question as shown, or what the fact means
    answer: str  # as the officer would read it
    kind: str  # "question" or "fact"


@dataclass(frozen=True)
class FiredRule:
    rule: str
    stage: int
    conclusion: str
    because: str
    citations: tuple[Citation, ...]
    relied_on: tuple[Reliance, ...]


@dataclass(frozen=True)
class NotEngaged:
    """A provision considered but not engaged, and the first condition that failed."""

    provision: str
    title: str
    rule: str
    failed: str
    citations: tuple[Citation, ...]
    arose: bool = True  # False when the failed condition rests on questions that did not apply


@dataclass(frozen=True)
class Explanation:
    fired: tuple[FiredRule, ...]
    not_engaged: tuple[NotEngaged, ...]


def _names(rb: RuleBase, rule: Rule) -> list[str]:
    return rb.memo(("names", rule.id), lambda: c.names(rule.when))


def explain(rb: RuleBase, fired: Sequence[str], env: Mapping[str, c.Value],
            stages: Sequence[int]) -> Explanation:
    """Explain the fired rules and the provisions of `stages` that were not engaged (in statutory order)."""
    fired_rules = []
    for rid in fired:
        rule = rb.rule(rid)
        relied = tuple(Reliance(n, name_text(rb, n), answer_text(rb, n, env),
                                "question" if rb.has_question(n) else "fact")
                       for n in _names(rb, rule))
        fired_rules.append(FiredRule(rule.id, rule.stage, rule.then.describe(), rule.because,
                                     rule.citations, relied))
    engaged = {rb.rule(rid).then.target for rid in fired if rb.rule(rid).then.kind == "engage"}
    engagers = rb.memo("engagers", lambda: {
        p.id: [r for r in rb.rules if r.then.kind == "engage" and r.then.target == p.id] for p in rb.provisions})
    not_engaged = []
    for provision in sorted(rb.provisions, key=lambda p: section_key(p.id)):
        if provision.id in engaged:
            continue
        for rule in engagers[provision.id]:
            if rule.stage not in stages:
                continue
            if provision.limb == Limb.NCND and rule.stage != 1:
                continue
            why = _why_not(rb, rule, env)
            if why is not None:
                not_engaged.append(NotEngaged(provision.id, provision.title, rule.id, why[0], rule.citations, why[1]))
    return Explanation(tuple(fired_rules), tuple(not_engaged))


_NOT_ANSWERED = object()
_WHY_NOT_CACHE_SIZE = 20_000


def _why_not(rb: RuleBase, rule: Rule, env: Mapping[str, c.Value]) -> tuple[str, bool] | None:
    """(why the rule's condition failed, whether its questions arose), or None if it holds.

    Depends only on the answers to the names the rule reads, so it is cached on those: parts
    share most of them, and assessment repeats each NCND part for the held-invariance check."""
    cache: dict[tuple[object, ...], tuple[str, bool] | None] = rb.memo("why_not_cache", dict)
    key = (rule.id, *(env.get(n, _NOT_ANSWERED) for n in _names(rb, rule)))
    if key in cache:
        return cache[key]
    failed = c.first_failure(rule.when, env)
    result = None if failed is None else (describe_failure(rb, failed, env),
                                          all(name in env for name in c.names(failed)))
    if len(cache) >= _WHY_NOT_CACHE_SIZE:
        cache.clear()
    cache[key] = result
    return result
