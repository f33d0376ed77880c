"""The lint checks of dead weight: a derived fact nothing reads (`unused-fact`), a provision
nothing engages or cites in the alternative (`provision-never-engaged`)."""

from __future__ import annotations

from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import RuleBase

WARNING = "warning"


def unused(rb: RuleBase) -> list[Problem]:
    """Derived facts nothing reads; provisions nothing engages or cites in the alternative."""
    problems = []
    read: set[str] = set()
    for rule in rb.rules:
        read.update(c.names(rule.when))
    for q in rb.questions:
        if q.ask_when is not None:
            read.update(c.names(q.ask_when))
    for fact in rb.facts:
        if fact.id not in read:
            problems.append(Problem(fact.loc, "unused-fact",
                                    f"fact '{fact.id}' is derived but no rule or question reads it",
                                    "use it in a rule's `when` or a question's `ask_when`, or remove it "
                                    "and the rules deriving it", WARNING))
    engaged = {r.then.target for r in rb.rules if r.then.kind == "engage"}
    alongside = {other for p in rb.provisions if p.id in engaged for other in p.in_the_alternative_with}
    for provision in rb.provisions:
        if provision.id not in engaged and provision.id not in alongside:
            problems.append(Problem(provision.loc, "provision-never-engaged",
                                    f"no rule engages provision '{provision.id}' and no engaged provision "
                                    "is cited in the alternative with it",
                                    "add a rule with `then: {engage: ...}`, or remove the provision", WARNING))
    return problems
