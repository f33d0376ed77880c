"""checks/report.py: the `rules check` report collects the problems of every stage (load, lint,
compile, scenarios) instead of stopping at the first, sorted by place; --strict fails on warnings."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.checks.report import check_rulebase
from ncnd_assistant.cli import app
from ncnd_assistant.engine import compiler
from tests.conftest import EXAMPLE, ROOT, SHIPPED, shipped_scenarios

FIXTURES = ROOT / "tests" / "fixtures"
TODAY = date(2026, 11, 27)  # the lint fixtures' expected.txt count citation ages from this day
STALE = ("stale-citation/rulebase.yaml:56:76: stale-citation: provision 's31(3)' cites 'ICO guidance on s31 NCND' "
         "as of 2020-01-01, 2522 days ago (more than 1095) (hint: check the source is still current and update "
         "`as_of`)")
runner = CliRunner()


def expected(folder: Path) -> list[str]:
    return (folder / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_a_clean_rule_base_reports_its_parts_and_no_problems() -> None:
    report = check_rulebase(EXAMPLE, today=TODAY)
    assert report.rulebase is not None and report.rulebase.meta.id == "example-ncnd"
    assert report.compiled is not None and len(report.compiled.rulesets) == 3
    assert (report.folder, report.scenario_count, report.problems, report.errors, report.warnings) == (
        EXAMPLE, 0, [], [], [])


@pytest.mark.slow  # lints and compiles the whole shipped rule base: about 3 s
def test_the_shipped_rule_base_checks_clean_with_every_scenario() -> None:
    report = check_rulebase(SHIPPED)
    assert [str(p) for p in report.problems] == []
    assert report.scenario_count == len(shipped_scenarios())


def test_a_rule_base_that_does_not_load_reports_only_the_load_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "bad")
    report = check_rulebase(Path("duplicate-id-rule"), today=TODAY)
    assert (report.rulebase, report.compiled, report.scenario_count) == (None, None, 0)
    assert [str(p) for p in report.errors] == expected(FIXTURES / "bad" / "duplicate-id-rule")
    assert report.warnings == []


def test_lint_warnings_are_warnings_and_the_citation_age_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "lint")
    report = check_rulebase(Path("stale-citation"), today=TODAY)
    assert ([str(p) for p in report.warnings], report.errors) == ([STALE], [])
    assert report.rulebase is not None and report.compiled is not None
    assert check_rulebase(Path("stale-citation"), max_citation_age_days=2522, today=TODAY).problems == []
    assert [p.code for p in check_rulebase(Path("stale-citation"), max_citation_age_days=2521,
                                           today=TODAY).problems] == ["stale-citation"]


def test_lint_errors_are_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "lint")
    report = check_rulebase(Path("conflicting-rules"), today=TODAY)
    assert ([str(p) for p in report.errors], report.warnings) == (expected(FIXTURES / "lint" / "conflicting-rules"), [])


def test_a_scenario_problem_is_reported_beside_a_loaded_rule_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "bad")
    report = check_rulebase(Path("scenario-unknown-question"), today=TODAY)
    assert report.rulebase is not None and report.compiled is not None and report.scenario_count == 0
    assert [str(p) for p in report.problems] == expected(FIXTURES / "bad" / "scenario-unknown-question")


def test_an_engine_limit_is_reported_and_leaves_no_compiled_rule_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MAX_TESTS_PER_RULESET", 1)
    report = check_rulebase(EXAMPLE, today=TODAY)
    assert report.rulebase is not None and report.compiled is None
    assert {p.code for p in report.problems} == {"engine-limit"} and report.problems == report.errors


def test_problems_from_every_stage_come_together_sorted_by_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint (z.yaml:56), the compiler (z.yaml, later lines) and the scenarios (scenarios/..., which
    sorts first): found in that order, reported in order of place."""
    monkeypatch.chdir(tmp_path)
    folder = Path("all")
    shutil.copytree(FIXTURES / "bad" / "scenario-unknown-question" / "scenarios", folder / "scenarios")
    shutil.copy(FIXTURES / "lint" / "stale-citation" / "rulebase.yaml", folder / "z.yaml")
    monkeypatch.setattr(compiler, "MAX_TESTS_PER_RULESET", 1)
    report = check_rulebase(folder, today=TODAY)
    codes = [p.code for p in report.problems]
    assert codes[0] == "unknown-question" and codes[1] == "stale-citation"
    assert set(codes[2:]) == {"engine-limit"} and len(codes) > 2
    assert [p.location.path for p in report.problems[:2]] == ["all/scenarios/cases.yaml", "all/z.yaml"]
    assert report.problems == sorted(report.problems, key=lambda p: p.sort_key())
    assert [p.code for p in report.warnings] == ["stale-citation"]


def test_rules_check_allows_warnings_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "lint")
    lenient = runner.invoke(app, ["rules", "check", "--rules", "stale-citation"])
    assert lenient.exit_code == 0, lenient.output
    assert lenient.stdout.endswith(": 1 warning(s).\n")
    assert lenient.stderr.startswith("warning: stale-citation/rulebase.yaml:56:76: stale-citation: ")
    strict = runner.invoke(app, ["rules", "check", "--rules", "stale-citation", "--strict"])
    assert strict.exit_code == 3, strict.output
    assert strict.stdout == "" and strict.stderr.endswith(
        "Error: 0 error(s), 1 warning(s) in the rule base at stale-citation\n")
