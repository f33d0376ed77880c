"""Hostile input files (issue 13): located problems, never an internal error, and quickly.

Each answers file under tests/fixtures/hostile-answers/ has an `.expected` file holding the exact
problem lines `ncnd decide --answers` prints (run from that folder). Rule-file reproducers are bad
fixtures (tests/fixtures/bad/too-deep*, yaml-alias*, yaml-value-*, yaml-syntax-control); files too
big to commit are made here. Regenerate the expected files with NCND_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.checks.scenarios import load_scenarios
from ncnd_assistant.cli import app
from ncnd_assistant.decide.answers import MAX_PARTS, read_answers
from ncnd_assistant.errors import ExitCode, Problem, RuleBaseError
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.yamlsource import MAX_FILE_BYTES, MAX_VALUES, YNode, parse_file, parse_text
from tests.conftest import EXAMPLE, ROOT, SHIPPED

HOSTILE = ROOT / "tests" / "fixtures" / "hostile-answers"
CASES = sorted(p.stem for p in HOSTILE.glob("*.yaml"))
UPDATE = bool(os.environ.get("NCND_UPDATE_GOLDEN"))
GOOD = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8")
runner = CliRunner()


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(tuple(f"{c}.yaml:" for c in CASES))]


def parse(text: str) -> tuple[YNode | None, list[Problem]]:
    problems: list[Problem] = []
    return parse_text(text, "f.yaml", problems), problems


# ---------------------------------------------------------------- answers files through the CLI


@pytest.mark.parametrize("name", CASES)
def test_hostile_answers_file_gives_its_located_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HOSTILE)
    result = runner.invoke(app, ["decide", "--answers", f"{name}.yaml", "--rules", str(SHIPPED)])
    assert result.exit_code == ExitCode.ANSWERS, result.output
    assert "Internal error" not in result.output and "Traceback" not in result.output
    actual = problem_lines(result.output)
    expected = HOSTILE / f"{name}.expected"
    if UPDATE:
        expected.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
        return
    assert actual and actual == expected.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", ["baddate", "booltag", "inttag", "tstag", "bomb"])
def test_the_interview_refuses_them_too(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HOSTILE)
    result = runner.invoke(app, ["interview", "--answers", f"{name}.yaml", "--rules", str(SHIPPED), "--no-prompt"],
                           input="")
    assert result.exit_code == ExitCode.ANSWERS, result.output
    assert problem_lines(result.output) == (HOSTILE / f"{name}.expected").read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- the reader's limits


def test_an_alias_bomb_is_refused_before_expansion() -> None:
    levels = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "x"] * 10) + "]\n" for i in range(12))
    start = time.perf_counter()
    node, problems = parse(levels)
    assert time.perf_counter() - start < 0.5
    assert node is None and [(p.code, p.location.line) for p in problems] == [("yaml-alias", 1)]


@pytest.mark.parametrize("text", ["x: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                  "".join("  " * i + "-\n" for i in range(5_000))])
def test_any_nesting_is_refused_without_recursion(text: str) -> None:
    node, problems = parse(text)
    assert node is None and [p.code for p in problems] == ["too-deep"]


def test_a_control_character_is_located_on_one_line() -> None:
    _, problems = parse("a: 1\nb: [x,\n  y\x07]\n")
    assert [str(p) for p in problems] == [
        'f.yaml:3:4: yaml-syntax: the control character U+0007 is not allowed (hint: remove it, or write it as an '
        'escape such as "\\t" inside double quotes)']


def test_a_long_value_is_refused_and_cut_in_the_message() -> None:
    _, problems = parse("a: " + "v" * 1_000_000 + "\n")
    assert [p.code for p in problems] == ["value-too-long"]
    assert "vvv…'" in str(problems[0]) and len(str(problems[0])) < 200


def test_a_long_key_is_refused() -> None:
    node, problems = parse("k" * 201 + ": 1\nb: 2\n")
    assert [p.code for p in problems] == ["value-too-long"] and "key of 201" in problems[0].message
    assert node is not None and node.plain() == {"b": 2}


def test_a_long_bad_answer_is_cut_in_its_message(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("case_ref: X\nparts:\n  - id: p\n    summary: s\n    answers: {vexatious: " + "B" * 99_000 + "}\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["decide", "--answers", str(path), "--rules", str(SHIPPED)])
    assert result.exit_code == ExitCode.ANSWERS
    assert "BBB…" in result.output and max(len(line) for line in result.output.splitlines()) < 400


def test_too_many_values_are_refused() -> None:
    node, problems = parse("a: [" + ", ".join(["x"] * (MAX_VALUES + 1)) + "]\n")
    assert node is None and [p.code for p in problems] == ["too-many-values"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n# " + b"x" * MAX_FILE_BYTES + b"\n")
    problems: list[Problem] = []
    assert parse_file(path, "big.yaml", problems) is None
    assert [str(p.location) + " " + p.code for p in problems] == ["big.yaml:1:1 file-too-large"]


def test_a_thousand_parts_are_read_and_one_more_refused(tmp_path: Path) -> None:
    def answers(n: int) -> Path:
        path = tmp_path / f"a{n}.yaml"
        path.write_text("case_ref: X\nparts:\n" + "".join(f"  - id: p{i}\n    summary: s\n    answers: {{held: true}}\n"
                                                         for i in range(n)), encoding="utf-8")
        return path
    assert read_answers(answers(MAX_PARTS)).problems == ()
    refused = read_answers(answers(MAX_PARTS + 1))
    assert refused.node is None and [(p.code, p.location.line) for p in refused.problems] == [("too-many-parts", 3)]


# ---------------------------------------------------------------- time: any file up to 10 MB within 2 s


def _rules(tmp_path: Path, text: str) -> Path:
    (tmp_path / "rulebase.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_a_5_mb_rule_file_with_an_unclosed_quote_is_refused_quickly(tmp_path: Path) -> None:
    filler = "".join(f"x_{i}: filler text {i}\n" for i in range(250_000))[:5_000_000]
    folder = _rules(tmp_path, GOOD + filler[: filler.rfind("\n") + 1] + 'y: "unclosed\nz: 1\n')
    start = time.perf_counter()
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase(folder)
    assert time.perf_counter() - start < 2
    assert {p.code for p in caught.value.problems} <= {"too-many-values", "yaml-syntax"}


@pytest.mark.slow
def test_a_10_mb_file_of_tiny_values_is_refused_quickly(tmp_path: Path) -> None:
    row = "[" + ", ".join(["a"] * 40) + "]\n"
    text = GOOD + "".join(f"x{i}: {row}" for i in range((MAX_FILE_BYTES - len(GOOD)) // (len(row) + 8)))
    start = time.perf_counter()
    problems: list[Problem] = []
    assert parse_text(text, "big.yaml", problems) is None
    assert time.perf_counter() - start < 2
    assert [p.code for p in problems] == ["too-many-values"]


def test_an_unreadable_date_in_a_scenario_file_is_a_located_problem(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules)
    scenarios = rules / "scenarios" / "refusals.yaml"
    text = scenarios.read_text(encoding="utf-8")
    assert "  vexatious: false\n" in text
    scenarios.write_text(text.replace("  vexatious: false\n", "  vexatious: 2026-02-30\n", 1), encoding="utf-8")
    with pytest.raises(RuleBaseError) as caught:  # was AttributeError: '_Invalid' object has no attribute 'value'
        load_scenarios(rules, load_rulebase(rules))
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("yaml-value", 4)]
