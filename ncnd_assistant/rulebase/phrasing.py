"""How the parts of a loaded rule base read in English: an answer or a fact's value, a condition
(nested lines for the rule book, short edge labels for the graph, why it failed for the
explanations), a rule's conclusion as the rule book states it, and a provision's legal character.

The one home of this phrasing: the explanations (`decide/explain`), the rule book and the graph
(`render/`) all use it. The words for each term are in `wording`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import assert_never

from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Outcome, Provision, Rule, RuleBase, block_targets
from ncnd_assistant.rulebase.wording import (
    BALANCE_CHOICES,
    BLOCK_SENTENCES,
    EXEMPTION_TEXT,
    HARM_MEANINGS,
    LIMB_TEXT,
    TEST_TEXT,
    fact_truth,
    harm_text,
    towards,
    truth,
)

NOT_ASKED = "not asked"
GRAPH_LABEL_WIDTH = 28  # a choice label longer than this is shown on the graph by its value


def one_line(text: str) -> str:
    """The text on one line, runs of white space as one space."""
    return " ".join(text.split())


def outcome_phrase(value: str) -> str:
    """An outcome inside a sentence ("neither confirm nor deny"); anything else as it is."""
    try:
        return Outcome(value).phrase
    except ValueError:
        return value


def value_text(rb: RuleBase, name: str, value: c.Value) -> str:
    """A question's answer as the officer reads it (a choice by its label); a fact's as true or false."""
    if rb.has_question(name):
        return rb.question(name).display(value)
    return truth(value) if isinstance(value, bool) else str(value)


def answer_text(rb: RuleBase, name: str, env: Mapping[str, c.Value]) -> str:
    """The answer given to `name` (or its derived value), or that it was not asked."""
    return value_text(rb, name, env[name]) if name in env else NOT_ASKED


def name_text(rb: RuleBase, name: str) -> str:
    """The question as asked, or what the fact means."""
    return rb.question(name).text if rb.has_question(name) else rb.fact(name).text


# ---------------------------------------------------------------- the rule book's lines

def _subject(rb: RuleBase, name: str) -> str:
    if rb.has_question(name):
        return f"the answer to “{one_line(rb.question(name).text)}” (`{name}`)"
    if rb.has_fact(name):
        return f"the fact “{one_line(rb.fact(name).text)}” (`{name}`)"
    return f"`{name}`"


def _quoted(rb: RuleBase, name: str, value: c.Value) -> str:
    text = value_text(rb, name, value)
    return text if isinstance(value, bool) and not rb.has_question(name) else f"“{text}”"


def _values(cond: c.Eq | c.In) -> tuple[c.Value, ...]:
    return (cond.value,) if isinstance(cond, c.Eq) else cond.values


def _fact_tested(rb: RuleBase, cond: c.Eq | c.In) -> bool | None:
    """For `fact: true` or `fact: false` (read as the fact holding or not), the truth tested."""
    if isinstance(cond, c.Eq) and isinstance(cond.value, bool) and rb.has_fact(cond.name):
        return cond.value
    return None


def leaf_text(rb: RuleBase, cond: c.Eq | c.In, negated: bool = False) -> str:
    """One test as a sentence: "the answer to “…” (`id`) is not “Yes”"."""
    tested = _fact_tested(rb, cond)
    if tested is not None:
        return f"{_subject(rb, cond.name)} {fact_truth(tested != negated)}"
    shown = " or ".join(_quoted(rb, cond.name, v) for v in _values(cond))
    return f"{_subject(rb, cond.name)} {'is not' if negated else 'is'} {shown}"


def _group_head(any_of: bool, negated: bool) -> str:
    if any_of:
        return "none of the following holds:" if negated else "any of the following holds:"
    return "not all of the following hold:" if negated else "all of the following hold:"


def condition_lines(rb: RuleBase, cond: c.Condition, depth: int = 0, negated: bool = False) -> list[str]:
    """The condition as nested Markdown bullets in plain English."""
    pad = "  " * depth
    if isinstance(cond, c.Not):
        inner = cond.item
        if isinstance(inner, (c.Eq, c.In, c.Not)):
            return condition_lines(rb, inner, depth, not negated)
        head = _group_head(isinstance(inner, c.AnyOf), not negated)
        return [f"{pad}- {head}"] + [line for item in inner.items for line in condition_lines(rb, item, depth + 1)]
    if isinstance(cond, (c.Eq, c.In)):
        return [f"{pad}- {leaf_text(rb, cond, negated)}"]
    head = _group_head(isinstance(cond, c.AnyOf), negated)
    return [f"{pad}- {head}"] + [line for item in cond.items for line in condition_lines(rb, item, depth + 1)]


# ---------------------------------------------------------------- the graph's labels

def _value_label(rb: RuleBase, name: str, value: c.Value) -> str:
    if isinstance(value, bool):
        return fact_truth(value) if rb.has_fact(name) else "Yes" if value else "No"
    if rb.has_question(name):
        label = rb.question(name).display(value)
        return label if len(label) <= GRAPH_LABEL_WIDTH else value
    return value


def condition_labels(rb: RuleBase, cond: c.Condition, negated: bool = False) -> Iterator[tuple[str, str]]:
    """(name, edge label) for each test in the condition: the answer that makes it hold ("Yes",
    "would"; a fact "holds"); a test under an odd number of `not`s says so."""
    if isinstance(cond, c.Not):
        yield from condition_labels(rb, cond.item, not negated)
        return
    if isinstance(cond, (c.All, c.AnyOf)):
        for item in cond.items:
            yield from condition_labels(rb, item, negated)
        return
    tested = _fact_tested(rb, cond)
    if tested is not None:
        yield cond.name, fact_truth(tested != negated)
        return
    text = " or ".join(_value_label(rb, cond.name, v) for v in _values(cond))
    yield cond.name, f"not {text}" if negated else text


# ---------------------------------------------------------------- why a condition failed

def _wanted(rb: RuleBase, leaf: c.Eq | c.In) -> str:
    """What a test needs ("'Yes' or 'Not sure'"): fixed by the rule base, so worked out once a test
    (every part's "why not" repeats them)."""
    values = _values(leaf)
    key = (("wanted", leaf.name, leaf.value.__class__, leaf.value) if isinstance(leaf, c.Eq)
           else ("wanted", leaf.name, tuple(map(type, values)), values))  # True and 1 are different answers
    return rb.memo(key, lambda: " or ".join(f"'{value_text(rb, leaf.name, v)}'" for v in values))


def describe_failure(rb: RuleBase, cond: c.Condition, env: Mapping[str, c.Value]) -> str:
    """Plain English for a condition that did not hold on the answers `env`."""
    if isinstance(cond, (c.Eq, c.In)):
        subject = f"'{name_text(rb, cond.name)}'"
        got = answer_text(rb, cond.name, env)
        if got == NOT_ASKED:
            return f"{subject} was not asked (needs {_wanted(rb, cond)})"
        verb = "was answered" if rb.has_question(cond.name) else "is"
        return f"{subject} {verb} '{got}' (needs {_wanted(rb, cond)})"
    if isinstance(cond, c.Not):
        inner = cond.item
        if isinstance(inner, (c.Eq, c.In)):
            return f"'{name_text(rb, inner.name)}' is '{answer_text(rb, inner.name, env)}', which rules it out"
        return "an excluding condition holds: " + ", ".join(
            f"'{name_text(rb, n)}' is '{answer_text(rb, n, env)}'" for n in c.names(inner))
    if isinstance(cond, c.AnyOf):
        return "none of these holds: " + "; ".join(describe_failure(rb, i, env) for i in cond.items)
    return "; ".join(describe_failure(rb, i, env) for i in cond.items if not c.holds(i, env))


# ---------------------------------------------------------------- conclusions and provisions

def _plain_fact(fid: str) -> str:
    return f"`{fid}`"


def _plain_provision(provision: Provision) -> str:
    return provision.label


def conclusion_sentence(rb: RuleBase, rule: Rule, provision_ref: Callable[[Provision], str] = _plain_provision,
                        fact_ref: Callable[[str], str] = _plain_fact) -> str:
    """What the rule concludes, as the rule book states it; `provision_ref` and `fact_ref` name a
    provision and a fact (the book makes them links)."""
    then = rule.then
    match then.kind:
        case ConclusionKind.ENGAGE:
            harm = f", harm: {harm_text(then.harm)} ({HARM_MEANINGS[then.harm]})" if then.harm else ""
            return f"engages {provision_ref(rb.provision(then.target))}{harm}"
        case ConclusionKind.DERIVE:
            return f"establishes the fact {fact_ref(then.target)}"
        case ConclusionKind.OUTCOME:
            return f"gives the outcome “{outcome_phrase(then.target)}”"
        case ConclusionKind.BLOCK if then.target in BLOCK_SENTENCES:
            return BLOCK_SENTENCES[then.target]
        case ConclusionKind.BLOCK:
            names = ", ".join(provision_ref(rb.provision(t)) for t in block_targets(then.target))
            return f"makes {names} unavailable"
        case ConclusionKind.WARN:
            return "warns the officer (the reason below), without changing the outcome"
        case ConclusionKind.CONTRADICTION:
            return f"finds the answers contradict each other: the officer is asked `{then.target}` again"
        case ConclusionKind.BALANCE:
            return f"public interest balance: {BALANCE_CHOICES[(rule.stage, then.target)]}"
        case _:
            assert_never(then.kind)


def provision_character(provision: Provision) -> list[tuple[str, str]]:
    """A provision's legal character as (heading, text) pairs: where it is, which duty it lifts,
    whether it is absolute or qualified, and its test."""
    return [("Provision", f"{provision.id}, {provision.act}"),
            ("Limb", LIMB_TEXT[provision.limb]),
            ("Absolute or qualified", EXEMPTION_TEXT.get(provision.exemption, provision.exemption).format(
                towards=towards(provision.limb))),
            ("Test", TEST_TEXT.get(provision.test, provision.test))]
