"""The lint checks that reason over the answers the questions can take (see `reachability`):
questions never asked, rules that never fire, condition cycles and conflicting balances."""

from __future__ import annotations

from ncnd_assistant.checks.predicates import compile3
from ncnd_assistant.checks.reachability import Reachability
from ncnd_assistant.checks.stage_conditions import decided_before_balance
from ncnd_assistant.engine.gating import balance_inputs
from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Question, Rule

ERROR = "error"


def condition_cycles(reach: Reachability) -> list[Problem]:
    """A question gated on a fact that depends on the question itself or a later one."""
    problems = []
    for q in reach.order:
        if q.ask_when is None:
            continue
        reported: set[str] = set()
        for leaf in c.leaves(q.ask_when):
            if leaf.name not in reach.derivers or leaf.name in reported:
                continue
            late = sorted((n for n in reach.cone([leaf.name])
                           if n in reach.position and reach.position[n] >= reach.position[q.id]),
                          key=reach.position.__getitem__)
            if late:
                reported.add(leaf.name)
                via = "itself" if late[0] == q.id else f"'{late[0]}', asked after it"
                problems.append(Problem(
                    leaf.loc, "condition-cycle",
                    f"question '{q.id}' is asked when fact '{leaf.name}' holds, which depends on {via}",
                    "a question's condition may only depend on answers given before it: test the earlier "
                    "questions directly, or derive a fact from them alone", ERROR))
    return problems


def unreachable_questions(reach: Reachability) -> list[Problem]:
    """Questions no walk of answers asks."""
    problems = []
    for q in reach.order:
        problem = _never_asked(reach, q)
        if problem is not None:
            problems.append(problem)
    return problems


def _never_asked(reach: Reachability, q: Question) -> Problem | None:
    where = q.ask_when.loc if q.ask_when is not None and q.ask_when.loc.line else q.loc
    turn = reach.position[q.id]
    asked = reach.asked(q.id)
    found = reach.possible(reach.search(asked, [q.id], q.stage, turn + 1))
    if found is not True and q.ask_when is not None and reach.possible(
            reach.search(reach.gates[q.id], c.names(q.ask_when), before=turn)) is False:
        return Problem(where, "question-never-asked",
                       f"question '{q.id}' is never asked: its `ask_when` cannot hold for any answers "
                       "to the questions before it",
                       "correct the condition, or remove the question", ERROR)
    if found is False:
        return _skipped(reach, q, where)
    if q.stage == 2 and reach.reached_in_stage2(asked, [q.id], turn + 1) is False:
        return Problem(where, "question-never-asked",
                       f"stage-2 question '{q.id}' is never asked: whenever it would apply, Stage 1 "
                       "has already settled the part (refusal or NCND)",
                       "Stage 2 is reached only when Stage 1 leaves the part open: check the Stage-1 "
                       "rules, or the question's `ask_when`", ERROR)
    return None


def _skipped(reach: Reachability, q: Question, where: Location) -> Problem:
    """A question whose `ask_when` can hold, but never at its turn in an unsettled stage."""
    weighs = q.id in balance_inputs(reach.rb, q.stage)
    when = "whenever its `ask_when` holds, " if q.ask_when is not None else ""
    settles = "an EIR routing or a refusal" if q.stage == 1 else "an EIR routing, a refusal or not held"
    balance = ", or no qualified provision is left for its public interest balance" if weighs else ""
    hint = ("a public interest question is asked only while a qualified provision may still be relied on: "
            "check the rules engaging them, and the rules that settle the stage" if weighs else
            "a settled stage asks nothing more: ask the question earlier, or correct the rules that settle it")
    return Problem(where, "question-never-asked",
                   f"question '{q.id}' is never asked: {when}the stage is already settled before it "
                   f"({settles}){balance}", hint, ERROR)


def dead_rules(reach: Reachability) -> list[Problem]:
    """Rules whose `when` no walk of answers satisfies."""
    problems = []
    for rule in reach.rb.rules:
        where = rule.when.loc if rule.when.loc.line else rule.loc
        pred = reach.pred(rule)
        names = c.names(rule.when)
        found = reach.relaxed_possible(pred, names)
        if found is not False:
            found = reach.possible(reach.search(pred, names, rule.stage))
        if found is False:
            problems.append(Problem(
                where, "rule-never-fires",
                f"rule '{rule.id}' never fires: its `when` cannot hold for any answers the questions "
                "can take (a question not asked has no value)",
                "correct the condition, or remove the rule", ERROR))
        elif rule.stage == 2 and reach.reached_in_stage2(pred, names, follow=2) is False:
            problems.append(Problem(
                where, "rule-never-fires",
                f"stage-2 rule '{rule.id}' never fires: whenever its `when` holds, Stage 1 has "
                "already settled the part (refusal or NCND)",
                "check the Stage-1 rules, or the rule's condition", ERROR))
    return problems


def balance_conflicts(reach: Reachability) -> list[Problem]:
    """Two balance rules of one priority that fire together with different balances, on answers
    the stage's decision weighs."""
    problems = []
    for stage in (1, 2):
        rules = [r for r in reach.rb.stage_rules(stage) if r.then.kind == "balance"]
        for i, first in enumerate(rules):
            for second in rules[i + 1:]:
                if first.priority != second.priority or first.then.target == second.then.target:
                    continue
                both = _conflict(reach, stage, first, second)
                if reach.possible(reach.search(compile3(both), c.names(both), stage)) is True:
                    problems.append(Problem(
                        second.loc, "conflicting-rules",
                        f"rules '{first.id}' and '{second.id}' (stage {stage}, priority {first.priority}) "
                        f"can fire on the same answers with different balances "
                        f"({first.then.target} and {second.then.target})",
                        f"give one of them a higher `priority` (the other is at {first.loc}), "
                        "or make their conditions exclusive", ERROR))
    return problems


def _conflict(reach: Reachability, stage: int, first: Rule, second: Rule) -> c.Condition:
    """Both balance rules fire, no higher balance rule does, and the stage reaches its balance."""
    stops = [r.when for r in reach.rb.stage_rules(stage)
             if r.then.kind == "balance" and r.priority > first.priority]
    decided = decided_before_balance(reach.rb, stage)
    stops += [decided] if decided is not None else []
    parts = (first.when, second.when) + ((c.Not(c.AnyOf(tuple(stops))),) if stops else ())
    return c.All(parts)
