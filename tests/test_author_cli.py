"""`ncnd rules test` (coverage) and `ncnd rules diff` (impact of a rule change)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from ncnd_assistant.cli import app
from tests.conftest import EXAMPLE

runner = CliRunner()

SCENARIOS = """\
scenarios:
  - name: a covert tactic likely to prejudice crime is neither confirmed nor denied
    answers: {covert_tactic: true, crime_harm: likely, officially_confirmed: false, held: true}
    expect: {outcome: ncnd, provisions: [s31(3)]}
  - name: a covert tactic that would prejudice crime is neither confirmed nor denied
    answers: {covert_tactic: true, crime_harm: would, officially_confirmed: false, held: false}
    expect: {outcome: ncnd, provisions: [s31(3)]}
  - name: an officially confirmed tactic is answered on its content
    answers: {covert_tactic: true, crime_harm: would, officially_confirmed: true, held: true}
    expect: {outcome: disclose}
  - name: an overt matter not held is answered not held
    answers: {covert_tactic: false, held: false}
    expect: {outcome: not_held}
"""


def example_copy(tmp_path: Path, name: str = "rules") -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLE, folder)
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "cases.yaml").write_text(SCENARIOS, encoding="utf-8")
    return folder


def test_rules_test_prints_coverage_and_what_was_never_reached(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(example_copy(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "4 passed, 0 failed" in result.output
    assert "rules fired: 5/5 (100%)" in result.output
    # the example has no withholding or refusal provision, so those outcomes are not counted
    assert "outcomes reached: 3/3 (100%)" in result.output
    only_ncnd = example_copy(tmp_path, "r2")  # one scenario: the not-held outcome is never reached
    cases = only_ncnd / "scenarios" / "cases.yaml"
    cases.write_text("\n".join(SCENARIOS.splitlines()[:4]) + "\n", encoding="utf-8")
    low = runner.invoke(app, ["rules", "test", "--rules", str(only_ncnd), "--min-coverage", "100"])
    assert low.exit_code == 1 and "below --min-coverage 100" in low.output, low.output
    assert "outcomes reached: 1/3 (33%); never: not_held, disclose" in low.output


def test_rules_test_json_and_a_failing_scenario(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    cases = folder / "scenarios" / "cases.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("expect: {outcome: not_held}",
                                                               "expect: {outcome: disclose}"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", "--rules", str(folder), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["failed"] == 1
    (failure,) = data["failures"]
    assert failure["expected"]["outcome"] == "disclose" and failure["actual"]["outcome"] == "not_held"
    assert data["coverage"]["questions asked"]["never"] == []
    only = runner.invoke(app, ["rules", "test", "--rules", str(folder), "-k", "answered not held"])
    assert "0 passed, 1 failed" in only.output and "PASS" not in only.output


def test_rules_diff_lists_exactly_the_parts_a_rule_change_affects(tmp_path: Path) -> None:
    before, after = example_copy(tmp_path, "before"), example_copy(tmp_path, "after")
    rules = after / "rulebase.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("crime_harm: {in: [would, likely]}",
                                                               "crime_harm: would"), encoding="utf-8")
    same = runner.invoke(app, ["rules", "diff", "--rules", str(before), "--against", str(before)])
    assert same.exit_code == 0 and "No part would change." in same.output
    result = runner.invoke(app, ["rules", "diff", "--rules", str(after), "--against", str(before), "-f", "json"])
    assert result.exit_code == 1
    changes = json.loads(result.stdout)["changes"]
    assert [c["name"] for c in changes] == ["a covert tactic likely to prejudice crime is neither confirmed nor denied"]
    assert changes[0]["before"]["outcome"] == "ncnd" and changes[0]["after"]["outcome"] == "disclose"


def test_rules_diff_against_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    folder = example_copy(repo, "rules")
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "rules"], check=True)
    rules = folder / "rulebase.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("then: {balance: maintain}",
                                                               "then: {balance: disclose}"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "diff", "--rules", str(folder), "--against", "HEAD"])
    assert result.exit_code == 1, result.output
    assert "2 case(s) would change." in result.output
    bad = runner.invoke(app, ["rules", "diff", "--rules", str(folder), "--against", "no-such-rev"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
