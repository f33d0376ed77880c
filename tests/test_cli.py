"""The `ncnd` command: exit codes, error format, --rules and NCND_RULES, python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from tests.conftest import EXAMPLE, ROOT

runner = CliRunner()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ANSWERS = """\
case_ref: T-1
parts:
  - id: covert
    summary: covert use
    answers: {covert_tactic: yes, crime_harm: likely, officially_confirmed: no}
  - id: overt
    summary: overt use
    answers: {covert_tactic: no, held: no}
"""


def test_decide_json_on_the_example(tmp_path: Path) -> None:
    result = runner.invoke(app, ["decide", "--answers", str(write(tmp_path, ANSWERS)), "--rules", str(EXAMPLE),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["outcome"] for p in data["parts"]] == ["ncnd", "not_held"]
    assert data["parts"][0]["provisions"] == ["s31(3)"]
    assert data["checks"]["held_invariant"] is True
    assert data["rulebase"]["digest"].startswith("sha256:")


def test_decide_text_and_markdown(tmp_path: Path) -> None:
    answers = str(write(tmp_path, ANSWERS))
    text = runner.invoke(app, ["decide", "-a", answers, "--rules", str(EXAMPLE)])
    assert text.exit_code == 0 and "Neither confirm nor deny" in text.stdout and "Not held" in text.stdout
    md = runner.invoke(app, ["decide", "-a", answers, "--rules", str(EXAMPLE), "-f", "markdown"])
    assert md.exit_code == 0 and md.stdout.startswith("# Case T-1")


def test_rules_option_comes_from_the_environment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["decide", "-a", str(write(tmp_path, ANSWERS)), "-f", "json"],
                           env={"NCND_RULES": str(EXAMPLE)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rulebase"]["id"] == "example-ncnd"


def test_missing_answers_exit_4_and_name_each_question(tmp_path: Path) -> None:
    path = write(tmp_path, "case_ref: T\nparts:\n  - id: p\n    summary: s\n    answers: {covert_tactic: yes}\n")
    result = runner.invoke(app, ["decide", "-a", str(path), "--rules", str(EXAMPLE)])
    assert result.exit_code == 4
    assert "needs an answer to 'crime_harm': Would confirming or denying prejudice" in result.stderr
    assert "needs an answer to 'officially_confirmed'" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_answer_names_the_part_by_its_summary_shown_literally(tmp_path: Path) -> None:
    summary = "covert [bold]use[/] \\x1b[31mred"
    path = write(tmp_path, f'case_ref: T\nparts:\n  - id: p\n    summary: "{summary}"\n'
                           '    answers: {covert_tactic: yes}\n')
    result = runner.invoke(app, ["decide", "-a", str(path), "--rules", str(EXAMPLE)])
    assert result.exit_code == 4
    assert "part 'p' (“covert [bold]use[/] red”) needs an answer to 'crime_harm'" in result.stderr
    assert "\x1b" not in result.stderr


def test_an_unknown_question_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, ANSWERS.replace("held: no", "helld: no"))
    result = runner.invoke(app, ["decide", "-a", str(path), "--rules", str(EXAMPLE)])
    assert result.exit_code == 4
    assert f"{path}:8:41: unknown-question: 'helld' is no question (hint: did you mean 'held'?)" in result.stderr


def test_a_bad_answer_value_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, ANSWERS.replace("crime_harm: likely", "crime_harm: maybe"))
    result = runner.invoke(app, ["decide", "-a", str(path), "--rules", str(EXAMPLE)])
    assert result.exit_code == 4
    assert "bad-answer: 'crime_harm' must be one of: would, likely, no, got 'maybe'" in result.stderr


def test_rules_check_passes_on_a_clean_rule_base() -> None:
    result = runner.invoke(app, ["rules", "check", "--rules", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout


def test_rules_check_reports_located_problems_with_exit_3(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    text = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8") + "\nbogus_key: 1\n"
    (folder / "rulebase.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--rules", str(folder)])
    assert result.exit_code == 3
    assert "rulebase.yaml:" in result.stderr and "unknown-key: unknown key 'bogus_key' in a rule file" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_of_rule_bases_selects_the_regime(tmp_path: Path) -> None:
    (tmp_path / "foia").mkdir()
    (tmp_path / "foia" / "rulebase.yaml").write_text((EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8"))
    result = runner.invoke(app, ["rules", "check", "--rules", str(tmp_path)])
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # starts another Python process
@pytest.mark.parametrize("argv", [["-m", "ncnd_assistant", "version"], ["-m", "ncnd_assistant", "--help"]])
def test_python_dash_m_works(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "ncnd" in result.stdout.lower()
