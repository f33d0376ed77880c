"""`rules check`: everything wrong with a rule base, from every stage that can find it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ncnd_assistant.checks.lint import lint
from ncnd_assistant.checks.scenarios import Scenario, load_scenarios
from ncnd_assistant.engine.compiler import CompiledRuleBase, compile_rulebase
from ncnd_assistant.errors import Problem, RuleBaseError
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase


@dataclass
class CheckReport:
    """What `rules check` found: the loaded parts (where they loaded) and every problem."""

    folder: Path
    rulebase: RuleBase | None = None
    compiled: CompiledRuleBase | None = None
    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def check_rulebase(folder: Path, max_citation_age_days: int = 3 * 365, today: date | None = None) -> CheckReport:
    """Load, lint, compile and read the scenarios; collect every problem instead of stopping."""
    report = CheckReport(folder)
    try:
        report.rulebase = load_rulebase(folder)
    except RuleBaseError as error:
        report.problems = list(error.problems)
        return report
    rb = report.rulebase
    report.problems += lint(rb, max_citation_age_days=max_citation_age_days, today=today)
    try:
        report.compiled = compile_rulebase(rb)
    except RuleBaseError as error:
        report.problems += error.problems
    try:
        report.scenarios = load_scenarios(folder, rb)
    except RuleBaseError as error:
        report.problems += error.problems
    report.problems.sort(key=Problem.sort_key)
    return report
