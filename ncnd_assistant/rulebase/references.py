"""The checks that need the whole rule base: every name a rule or question uses is declared,
ids are unique, stages are kept apart (stage 1 never reads what reveals holding), conclusions fit
their provisions, letter placeholders can be filled, and derived facts do not depend on themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.hints import cut, did_you_mean
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType
from ncnd_assistant.rulebase.model import (
    BLOCK_SCOPES,
    HARM_TESTS,
    Limb,
    Question,
    Rule,
    RuleBase,
    block_targets,
    placeholders,
)


def check_references(rb: RuleBase) -> list[Problem]:
    """Every problem between the parts of a built rule base, in the order the author meets them:
    duplicate ids, questions, facts, provisions, rules, then fact cycles."""
    problems = _duplicates([(q.id, q.loc) for q in rb.questions] + [(f.id, f.loc) for f in rb.facts],
                           "question/fact")
    problems += _duplicates([(p.id, p.loc) for p in rb.provisions], "provision")
    problems += _duplicates([(r.id, r.loc) for r in rb.rules], "rule")
    names = [q.id for q in rb.questions] + [f.id for f in rb.facts]
    provision_ids = [p.id for p in rb.provisions]
    derived_in = _derived_in(rb)
    for q in rb.questions:
        problems += _question_problems(rb, q, names, derived_in)
    problems += _fact_problems(rb, derived_in)
    problems += _provision_problems(rb, provision_ids)
    for rule in rb.rules:
        problems += _rule_problems(rb, rule, names, provision_ids, derived_in)
    problems += _fact_cycles(rb)
    return problems


def _duplicates(items: Iterable[tuple[str, Location]], what: str) -> list[Problem]:
    seen: dict[str, Location] = {}
    problems = []
    for ident, where in items:
        if ident in seen:
            problems.append(Problem(where, "duplicate-id", f"{what} id '{ident}' is used twice",
                                    f"first defined at {seen[ident]}; rename one"))
        else:
            seen[ident] = where
    return problems


def _derived_in(rb: RuleBase) -> dict[str, set[int]]:
    """The stages whose rules derive each fact."""
    derived_in: dict[str, set[int]] = {}
    for rule in rb.rules:
        if rule.then.kind is ConclusionKind.DERIVE:
            derived_in.setdefault(rule.then.target, set()).add(rule.stage)
    return derived_in


def _fact_problems(rb: RuleBase, derived_in: dict[str, set[int]]) -> list[Problem]:
    """Each fact is derived, by rules of one stage."""
    problems = []
    for fact in rb.facts:
        if fact.id not in derived_in:
            problems.append(Problem(fact.loc, "underived-fact", f"no rule derives fact '{fact.id}'",
                                    "add a rule with `then: {derive: ...}` or remove the fact"))
        elif len(derived_in[fact.id]) > 1:
            problems.append(Problem(fact.loc, "fact-stage-mixed",
                                    f"fact '{fact.id}' is derived by rules of both stages",
                                    "derive it in one stage only"))
    return problems


def _provision_problems(rb: RuleBase, provision_ids: list[str]) -> list[Problem]:
    """Provisions cited in the alternative, and those needing sign-off, are declared."""
    problems = []
    for p in rb.provisions:
        for other in p.in_the_alternative_with:
            if other == p.id:
                problems.append(Problem(p.loc, "unknown-provision",
                                        f"'{p.id}' is cited in the alternative with itself",
                                        "list the other provisions it travels with"))
            elif other not in provision_ids:
                problems.append(Problem(p.loc, "unknown-provision",
                                        f"'{p.id}' is cited in the alternative with unknown provision '{other}'",
                                        did_you_mean(other, provision_ids)))
    if rb.meta.sign_off_given:
        for pid in rb.meta.sign_off:
            if pid not in provision_ids:
                problems.append(Problem(rb.meta.loc, "unknown-provision",
                                        f"`sign_off` names unknown provision '{pid}'",
                                        did_you_mean(pid, provision_ids)))
    return problems


def _leaf_problems(rb: RuleBase, cond: c.Condition, names: list[str], reader: str) -> list[Problem]:
    """Unknown names and values of the wrong kind in a condition."""
    problems = []
    for leaf in c.leaves(cond):
        if leaf.name not in names:
            problems.append(Problem(leaf.loc, "unknown-name",
                                    f"{reader} names '{leaf.name}', which is no question or fact",
                                    did_you_mean(leaf.name, names)))
            continue
        values = leaf.values if isinstance(leaf, c.In) else (leaf.value,)
        if rb.has_fact(leaf.name) or rb.question(leaf.name).type is QuestionType.YES_NO:
            for value in values:
                if not isinstance(value, bool):
                    problems.append(Problem(leaf.loc, "bad-value-type",
                                            f"'{leaf.name}' is yes/no, so it cannot equal '{cut(str(value))}'",
                                            "use true or false"))
            continue
        question = rb.question(leaf.name)
        if question.type is QuestionType.TEXT:
            problems.append(Problem(leaf.loc, "text-in-condition",
                                    f"'{leaf.name}' is a text question; conditions cannot test text",
                                    "make it a yes/no or choice question"))
            continue
        allowed = [ch.value for ch in question.choices]
        for value in values:
            if isinstance(value, bool):
                shown = "yes" if value else "no"
                problems.append(Problem(leaf.loc, "bad-value-type",
                                        f"'{leaf.name}' is a choice question; '{shown}' was read as yes/no",
                                        f"quote it: \"{shown}\"" if shown in allowed else
                                        "expected one of: " + ", ".join(allowed)))
            elif value not in allowed:
                problems.append(Problem(leaf.loc, "unknown-choice",
                                        f"'{cut(str(value))}' is not a choice of '{leaf.name}'",
                                        did_you_mean(value, allowed)))
    return problems


def _carry_problems(rb: RuleBase, q: Question) -> list[Problem]:
    """`carries` names an earlier-stage question of the same type and choices, one that does not
    reveal holding when carried into Stage 1 (it never is: it must come from an earlier stage)."""
    other = next((o for o in rb.questions if o.id == q.carries), None)
    if other is None or other.stage >= q.stage or other.type is not q.type \
            or [ch.value for ch in other.choices] != [ch.value for ch in q.choices]:
        what = ("no such question" if other is None else "it is not asked at an earlier stage"
                if other.stage >= q.stage else "its type or choices differ")
        return [Problem(q.loc, "bad-carry", f"question '{q.id}' carries '{q.carries}', but {what}",
                        "name an earlier-stage question of the same type that asks the same fact, or remove "
                        "`carries`")]
    return []


def _question_problems(rb: RuleBase, q: Question, names: list[str],
                       derived_in: dict[str, set[int]]) -> list[Problem]:
    problems = []
    if q.type is QuestionType.CHOICE and not q.choices:
        problems.append(Problem(q.loc, "missing-choices", f"choice question '{q.id}' has no choices",
                                "add choices: [{value, label}, ...]"))
    if q.type is not QuestionType.CHOICE and q.choices:
        problems.append(Problem(q.loc, "unexpected-choices", f"'{q.id}' is {q.type} but has choices",
                                "remove them or make it type: choice"))
    values = [ch.value for ch in q.choices]
    for value in sorted({v for v in values if values.count(v) > 1}):
        problems.append(Problem(q.loc, "duplicate-choice", f"'{q.id}' has the choice value '{value}' twice",
                                "give each choice its own value"))
    if q.reveals_holding and q.stage != 2:
        problems.append(Problem(q.loc, "holding-in-stage-1",
                                f"'{q.id}' reveals whether information is held but is in stage 1",
                                "Stage 1 must be decided without knowing whether information is held: use stage: 2"))
    if q.request_wide and q.reveals_holding:
        problems.append(Problem(q.loc, "request-wide-holding",
                                f"'{q.id}' reveals whether information is held, which differs from part to part",
                                "remove `request_wide`"))
    if q.carries:
        problems += _carry_problems(rb, q)
    if q.ask_when is None:
        return problems
    problems += _leaf_problems(rb, q.ask_when, names, f"question '{q.id}'")
    earlier = {other.id for other in rb.questions[: rb.questions.index(q)]}
    for leaf in c.leaves(q.ask_when):
        if rb.has_question(leaf.name) and leaf.name not in earlier:
            problems.append(Problem(leaf.loc, "forward-reference",
                                    f"question '{q.id}' depends on '{leaf.name}', which is not asked before it",
                                    "move the question after the one it depends on"))
        if q.stage == 1 and _is_stage2(rb, leaf.name, derived_in):
            holding = rb.has_question(leaf.name) and rb.question(leaf.name).reveals_holding
            problems.append(Problem(leaf.loc, "stage1-reads-holding" if holding else "stage1-reads-stage2",
                                    f"stage-1 question '{q.id}' depends on stage-2 '{leaf.name}'"
                                    + (", which reveals whether information is held" if holding else ""),
                                    "Stage 1 may only depend on stage-1 questions and facts"))
    return problems


def _is_stage2(rb: RuleBase, name: str, derived_in: dict[str, set[int]]) -> bool:
    if rb.has_question(name):
        return rb.question(name).stage == 2 or rb.question(name).reveals_holding
    return 2 in derived_in.get(name, set())


def _notice_answer_problems(rb: RuleBase, rule: Rule) -> list[Problem]:
    """A rule's `notice` may name text or choice questions, `{qid}`, whose answers (a choice's
    label) fill it in the letter: only of the rule's stage or earlier, never one that reveals holding."""
    try:
        names = placeholders(rule.notice)
    except ValueError as error:
        return [Problem(rule.loc, "bad-placeholder", f"rule '{rule.id}' notice: {error}",
                        "write a literal brace as {{ or }}")]
    problems = []
    for name in sorted(names):
        q = rb.question(name) if rb.has_question(name) else None
        if q is None or q.type is QuestionType.YES_NO or q.stage > rule.stage or q.reveals_holding:
            texts = [x.id for x in rb.questions if x.type is not QuestionType.YES_NO and x.stage <= rule.stage]
            problems.append(Problem(rule.loc, "bad-placeholder",
                                    f"rule '{rule.id}' notice uses {{{name}}}, which is not a text or choice "
                                    f"question answered by stage {rule.stage}",
                                    did_you_mean(name, texts) or "name a text question, e.g. {statute_named}"))
    return problems


def _rule_problems(rb: RuleBase, rule: Rule, names: list[str], provision_ids: list[str],
                   derived_in: dict[str, set[int]]) -> list[Problem]:
    problems = _leaf_problems(rb, rule.when, names, f"rule '{rule.id}'")
    problems += _notice_answer_problems(rb, rule)
    if rule.stage == 1:
        problems += _stage1_rule_reads(rb, rule, names, derived_in)
    if rule.then.kind is ConclusionKind.ENGAGE:
        problems += _engage_problems(rb, rule, provision_ids)
    else:
        problems += _conclusion_problems(rb, rule)
    return problems


def _stage1_rule_reads(rb: RuleBase, rule: Rule, names: list[str],
                       derived_in: dict[str, set[int]]) -> list[Problem]:
    """A stage-1 rule's condition reads nothing of stage 2."""
    problems = []
    for leaf in c.leaves(rule.when):
        if leaf.name in names and _is_stage2(rb, leaf.name, derived_in):
            holding = rb.has_question(leaf.name) and rb.question(leaf.name).reveals_holding
            problems.append(Problem(
                leaf.loc, "stage1-reads-holding" if holding else "stage1-reads-stage2",
                f"stage-1 rule '{rule.id}' reads '{leaf.name}', a stage-2 "
                + ("question that reveals whether information is held" if holding else "question or fact"),
                "Stage 1 (confirm or deny) must be decidable without knowing whether information is held"))
    return problems


def _engage_problems(rb: RuleBase, rule: Rule, provision_ids: list[str]) -> list[Problem]:
    """An `engage` names a provision of the rule's stage, with a harm level exactly when its test has one."""
    then = rule.then
    if then.target not in provision_ids:
        return [Problem(rule.loc, "unknown-provision",
                        f"rule '{rule.id}' engages unknown provision '{then.target}'",
                        did_you_mean(then.target, provision_ids))]
    problems = []
    provision = rb.provision(then.target)
    wrong_stage = {Limb.NCND: 2, Limb.WITHHOLD: 1}.get(provision.limb)
    if rule.stage == wrong_stage:
        problems.append(Problem(rule.loc, "limb-stage",
                                f"rule '{rule.id}' engages {provision.limb.value} provision "
                                f"'{provision.id}' in stage {rule.stage}",
                                "NCND limbs belong to stage 1, withholding limbs to stage 2"))
    if provision.test in HARM_TESTS and not then.harm:
        problems.append(Problem(rule.loc, "missing-harm",
                                f"'{provision.id}' has a {provision.test.replace('_', ' ')} test, "
                                f"so rule '{rule.id}' needs `harm`",
                                "add harm: would or harm: would_be_likely_to"))
    if provision.test not in HARM_TESTS and then.harm:
        problems.append(Problem(rule.loc, "unexpected-harm",
                                f"'{provision.id}' has a {provision.test} test, which takes no harm level",
                                "remove `harm`"))
    return problems


def _conclusion_problems(rb: RuleBase, rule: Rule) -> list[Problem]:
    """The target of any other conclusion exists and fits the rule's stage."""
    then = rule.then
    if then.kind is ConclusionKind.DERIVE and not rb.has_fact(then.target):
        return [Problem(rule.loc, "unknown-fact", f"rule '{rule.id}' derives undeclared fact '{then.target}'",
                        did_you_mean(then.target, [f.id for f in rb.facts]) or "declare it under `facts:`")]
    if then.kind is ConclusionKind.OUTCOME and then.target == "not_held" and rule.stage != 2:
        return [Problem(rule.loc, "outcome-stage", f"rule '{rule.id}' gives not_held in stage 1",
                        "whether information is held is a stage-2 matter")]
    if then.kind is ConclusionKind.CONTRADICTION and not (rb.has_question(then.target)
                                             and rb.question(then.target).stage <= rule.stage):
        return [Problem(rule.loc, "unknown-question",
                        f"rule '{rule.id}' names '{then.target}', which is not a question of stage "
                        f"{rule.stage} or earlier",
                        did_you_mean(then.target, [q.id for q in rb.questions]) or
                        "name the question the officer should be asked again")]
    if then.kind is ConclusionKind.BLOCK and any(not rb.has_provision(t) for t in block_targets(then.target)):
        unknown = next(t for t in block_targets(then.target) if not rb.has_provision(t))
        return [Problem(rule.loc, "unknown-provision", f"rule '{rule.id}' blocks unknown '{unknown}'",
                        did_you_mean(unknown, list(BLOCK_SCOPES) + [p.id for p in rb.provisions])
                        or "block ncnd, harm_based, absolute, or provision ids separated by commas")]
    if then.kind is ConclusionKind.BLOCK and rule.stage != 1 and (
            then.target in BLOCK_SCOPES or any(rb.provision(t).limb == Limb.NCND for t in block_targets(then.target))):
        return [Problem(rule.loc, "block-stage", f"rule '{rule.id}' blocks NCND in stage 2",
                        "NCND is decided in stage 1; in stage 2 a rule may block a withholding provision")]
    return []


def _fact_cycles(rb: RuleBase) -> list[Problem]:
    """Derived facts that depend on themselves."""
    reads: dict[str, set[str]] = {}
    for rule in rb.rules:
        if rule.then.kind is ConclusionKind.DERIVE:
            reads.setdefault(rule.then.target, set()).update(
                n for n in c.names(rule.when) if rb.has_fact(n))
    problems = []
    state: dict[str, int] = {}

    def visit(fact: str, path: list[str]) -> None:
        state[fact] = 1
        for nxt in sorted(reads.get(fact, ())):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [fact, nxt]
                problems.append(Problem(rb.fact(nxt).loc, "fact-cycle",
                                        "derived facts depend on each other: " + " -> ".join(cycle),
                                        "break the cycle: a fact cannot depend on itself"))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[fact] = 2

    for fact in sorted(reads):
        if fact not in state:
            visit(fact, [fact])
    return problems
