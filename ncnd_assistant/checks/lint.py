"""The rule-base linter: problems a rule base can load with but should not ship with.

`load_rulebase` already reports the structural problems (shape, names, stages, fact cycles...).
`lint` looks at what the rules *mean*, over the answers the questions can take:

* a question that no path of answers reaches (`question-never-asked`), a rule whose `when` no
  possible answers satisfy (`rule-never-fires`), a question gated on a fact that depends on that
  question or a later one (`condition-cycle`), two `balance` rules that can fire together with
  different balances and no precedence (`conflicting-rules`): `lint_answers`;
* citations: missing (`missing-citation`) or relying on a version of the source too old to trust
  unchecked (`stale-citation`): `lint_citations`;
* dead weight: a derived fact nothing reads (`unused-fact`), a provision nothing engages or cites
  in the alternative (`provision-never-engaged`): `lint_unused`.

The reasoning about answers walks the questions with gating's own steps (`engine.gating`, through
`reachability` and `search`): in the order they are asked (Stage 1, then Stage 2), nothing more
asked once a stage is settled, a question not asked (its `ask_when` false, or a public interest
question once the balance no longer matters) has no value, otherwise it has one of its values;
Stage 2 only where Stage 1 leaves the part open. For each check only the questions the condition
can depend on are walked, and every partial walk is cut off as soon as the three-valued value of
the condition is settled. Each search has a budget (`reachability.SEARCH_BUDGET` partial walks,
and `TOTAL_BUDGET` for the whole lint); a search that grows too large is abandoned without a
report: the linter only reports what it has proved (an impossibility, or answers that show a
conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ncnd_assistant.checks.lint_answers import balance_conflicts, condition_cycles, dead_rules, unreachable_questions
from ncnd_assistant.checks.lint_citations import citation_problems
from ncnd_assistant.checks.lint_unused import unused
from ncnd_assistant.checks.reachability import Reachability
from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase.model import RuleBase

DEFAULT_MAX_CITATION_AGE_DAYS = 3 * 365


def lint(rb: RuleBase, *, max_citation_age_days: int = DEFAULT_MAX_CITATION_AGE_DAYS,
         today: date | None = None) -> list[Problem]:
    """Every lint problem of a loaded rule base, sorted by place (errors and warnings)."""
    reach = Reachability(rb)
    problems: list[Problem] = []
    problems += condition_cycles(reach)
    problems += unreachable_questions(reach)
    problems += dead_rules(reach)
    problems += balance_conflicts(reach)
    problems += citation_problems(rb, max_citation_age_days, today or date.today())
    problems += unused(rb)
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem is an error (not only warnings)."""
    return any(p.severity == "error" for p in problems)
