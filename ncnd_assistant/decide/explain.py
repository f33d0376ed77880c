"""Why and why not: what each fired rule relied on, and why other provisions did not apply."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Citation, Limb, Provision, Rule, RuleBase, section_key
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


Considered = tuple[tuple[Provision, tuple[tuple[Rule, tuple[str, ...]], ...]], ...]


def _considered(rb: RuleBase, stages: Sequence[int]) -> Considered:
    """In statutory order, each provision with the rules of `stages` that engage it (an NCND
    provision only in Stage 1), each with the names it reads: those whose "why not" is given
    when it is not engaged."""
    def compute() -> Considered:
        engagers: dict[str, list[Rule]] = {p.id: [] for p in rb.provisions}
        for r in rb.rules:
            if r.then.kind is ConclusionKind.ENGAGE and r.then.target in engagers:
                engagers[r.then.target].append(r)
        out = []
        for provision in sorted(rb.provisions, key=lambda p: section_key(p.id)):
            rules = tuple((r, tuple(_names(rb, r))) for r in engagers[provision.id] if r.stage in stages
                          and not (provision.limb == Limb.NCND and r.stage != 1))
            if rules:
                out.append((provision, rules))
        return tuple(out)
    return rb.memo(("considered", tuple(stages)), compute)


def explain(rb: RuleBase, fired: Sequence[str], env: Mapping[str, c.Value],
            stages: Sequence[int]) -> Explanation:
    """Explain the fired rules and the provisions of `stages` that were not engaged (in statutory order)."""
    fired_rules = tuple(_fired_rule(rb, rb.rule(rid), env) for rid in fired)
    engaged = {rb.rule(rid).then.target for rid in fired if rb.rule(rid).then.kind is ConclusionKind.ENGAGE}
    not_engaged = []
    for provision, rules in _considered(rb, stages):
        if provision.id in engaged:
            continue
        for rule, names in rules:
            why = _why_not(rb, rule, env, names)
            if why is not None:
                not_engaged.append(NotEngaged(provision.id, provision.title, rule.id, why[0], rule.citations, why[1]))
    return Explanation(fired_rules, tuple(not_engaged))


def _fired_rule(rb: RuleBase, rule: Rule, env: Mapping[str, c.Value]) -> FiredRule:
    """A fired rule with what it relied on: depends only on the answers to the names it reads, so
    cached on those as `_why_not` is."""
    cache: dict[tuple[object, ...], FiredRule] = rb.memo("fired_rule_cache", dict)
    names = _names(rb, rule)
    key = (rule.id, *map(env.get, names, _UNANSWERED))
    found = cache.get(key)
    if found is None:
        relied = tuple(Reliance(n, name_text(rb, n), answer_text(rb, n, env),
                                "question" if rb.has_question(n) else "fact")
                       for n in names)
        found = FiredRule(rule.id, rule.stage, rule.then.describe(), rule.because, rule.citations, relied)
        if len(cache) >= _WHY_NOT_CACHE_SIZE:
            cache.clear()
        cache[key] = found
    return found


def forget_why_not(rb: RuleBase) -> None:
    """Empty the caches of `_why_not` and `_fired_rule` (for benchmarks that assess parts as if first seen)."""
    rb.memo("why_not_cache", dict).clear()
    rb.memo("fired_rule_cache", dict).clear()


_NOT_ANSWERED = object()
_UNANSWERED = repeat(_NOT_ANSWERED)  # env.get's default for each name, to map over the names
_WHY_NOT_CACHE_SIZE = 20_000


def _why_not(rb: RuleBase, rule: Rule, env: Mapping[str, c.Value],
             names: tuple[str, ...] | None = None) -> tuple[str, bool] | None:
    """(why the rule's condition failed, whether its questions arose), or None if it holds.

    Depends only on the answers to the names the rule reads, so it is cached on those: parts
    share most of them, and assessment repeats each NCND part for the held-invariance check."""
    cache: dict[tuple[object, ...], tuple[str, bool] | None] = rb.memo("why_not_cache", dict)
    key = (rule.id, *map(env.get, names if names is not None else _names(rb, rule), _UNANSWERED))
    if key in cache:
        return cache[key]
    failed = c.first_failure(rule.when, env)
    if failed is None:
        result = None
    else:  # whether its questions arose: a single test's one name, else every name it reads
        arose = (failed.name in env if isinstance(failed, (c.Eq, c.In))
                 else all(name in env for name in c.names(failed)))
        result = (describe_failure(rb, failed, env), arose)
    if len(cache) >= _WHY_NOT_CACHE_SIZE:
        cache.clear()
    cache[key] = result
    return result
