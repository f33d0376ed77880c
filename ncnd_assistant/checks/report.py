"""`rules check`: everything wrong with a rule base, from every stage that can find it."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from pathlib import Path

from ncnd_assistant.checks.check_cache import files_digest, findings_key, load_findings, scenario_files, store_findings
from ncnd_assistant.engine.compiler import CompiledRuleBase, compile_rulebase
from ncnd_assistant.errors import Problem, RuleBaseError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase


@dataclass
class CheckReport:
    """What `rules check` found: the loaded parts (where they loaded), how many scenarios were
    read, and every problem."""

    folder: Path
    rulebase: RuleBase | None = None
    compiled: CompiledRuleBase | None = None
    scenario_count: int = 0  # 0 when the scenarios have problems
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def check_rulebase(folder: Path, max_citation_age_days: int = 3 * 365, today: date | None = None) -> CheckReport:
    """Load, lint, compile and read the scenarios; collect every problem instead of stopping.

    The findings of the linter and of the scenarios come from the on-disk cache (`check_cache`)
    when nothing they depend on has changed."""
    report = CheckReport(folder)
    try:
        report.rulebase = load_rulebase(folder)
    except RuleBaseError as error:
        report.problems = list(error.problems)
        return report
    rb = report.rulebase
    report.problems += cached_lint(rb, folder, max_citation_age_days, today or date.today())
    try:
        report.compiled = compile_rulebase(rb)
    except RuleBaseError as error:
        report.problems += error.problems
    problems, report.scenario_count = cached_scenarios(rb, folder)
    report.problems += problems
    report.problems.sort(key=Problem.sort_key)
    return report


def cached_lint(rb: RuleBase, folder: Path, max_citation_age_days: int, today: date) -> list[Problem]:
    """`lint(rb)`, or its findings cached under a key over everything they depend on."""
    key = findings_key("lint", rb, folder, str(max_citation_age_days), today.isoformat())
    found = load_findings(key)
    if found is not None:
        return found[0]
    from ncnd_assistant.checks.lint import lint  # the linter's modules only when it runs

    problems = lint(rb, max_citation_age_days=max_citation_age_days, today=today)
    store_findings(key, problems)
    return problems


def cached_scenarios(rb: RuleBase, folder: Path) -> tuple[list[Problem], int]:
    """The problems of the scenarios beside the rules and how many there are (none counted when
    there are problems), or the same cached under a key over the rule base and every scenario file."""
    key = findings_key("scenarios", rb, folder, files_digest(scenario_files(folder)))
    found = load_findings(key)
    if found is not None:
        return found
    from ncnd_assistant.checks.scenarios import load_scenarios  # the answers' modules only when read

    try:
        problems, count = [], len(load_scenarios(folder, rb))
    except RuleBaseError as error:
        problems, count = list(error.problems), 0
    store_findings(key, problems, count)
    return problems, count
