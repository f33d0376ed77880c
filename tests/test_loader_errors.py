"""Rule-file errors: one bad fixture per failure mode, compared line by line with its expected output.

Each folder under tests/fixtures/bad/ is a small rule base (the good example with one thing broken)
and an `expected.txt` holding the exact `str(Problem)` lines, in the order they are reported. The test
runs from tests/fixtures/bad, so paths read `unknown-key-top/rulebase.yaml:9:1: ...`.

To regenerate the expected files after an intended change of message, run

    NCND_UPDATE_GOLDEN=1 pytest tests/test_loader_errors.py

and review the result with `git diff tests/fixtures/bad`.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncnd_assistant.checks.scenarios import load_scenarios
from ncnd_assistant.engine import compiler
from ncnd_assistant.engine.compiler import compile_rulebase
from ncnd_assistant.errors import ExitCode, Problem, RuleBaseError
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir
from tests.conftest import EXAMPLE, ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
PACKAGE = ROOT / "ncnd_assistant"
ERRORS_DOC = ROOT / "docs" / "errors.md"
UPDATE = bool(os.environ.get("NCND_UPDATE_GOLDEN"))
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: [a-z0-9-]+: ")


@functools.cache
def emitted_codes() -> dict[str, set[str]]:
    """Every problem code the package can emit: the code argument of each `Problem(...)` call."""
    codes: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name != "Problem":
                continue
            arg = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "code"), None)
            assert arg is not None, f"{path.name}:{node.lineno}: Problem(...) without a code"
            found = [n.value for n in ast.walk(arg) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            assert found, f"{path.name}:{node.lineno}: the problem code is not a literal string"
            for code in found:
                codes.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    return codes


def check(folder: Path | str) -> None:
    """What `ncnd rules check` does: load, compile and read the scenarios."""
    folder = resolve_rules_dir(folder)
    rulebase = load_rulebase(folder)
    compile_rulebase(rulebase)
    load_scenarios(folder, rulebase)


def problems_of(name: str) -> list[Problem]:
    with pytest.raises(RuleBaseError) as caught:
        check(name)
    assert caught.value.problems, "a RuleBaseError must list at least one problem"
    return caught.value.problems


def code_of_case(name: str, codes: set[str]) -> str | None:
    """The problem code a fixture is named after (`unknown-key-top` -> `unknown-key`)."""
    stem = name.removeprefix("scenario-")
    matches = [code for code in codes if stem == code or stem.startswith(code + "-")]
    return max(matches, key=len) if matches else None


# ---------------------------------------------------------------- the fixtures


@pytest.mark.parametrize("name", CASES)
def test_bad_rule_base_reports_exactly_the_expected_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    problems = problems_of(name)
    actual = "".join(f"{p}\n" for p in problems)
    expected_file = BAD / name / "expected.txt"
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
        return
    assert expected_file.exists(), f"no {expected_file}; run with NCND_UPDATE_GOLDEN=1 and review the diff"
    assert actual.splitlines() == expected_file.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", CASES)
def test_each_fixture_shows_its_own_code_and_a_usable_location(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    problems = problems_of(name)
    code = code_of_case(name, set(emitted_codes()))
    if code is not None:
        assert code in {p.code for p in problems}, f"fixture {name} does not show {code}"
    else:
        assert name.startswith("several-files"), f"fixture {name} is not named after a problem code"
    for problem in problems:
        assert PROBLEM_LINE.match(str(problem)), str(problem)
        assert problem.location.path.startswith(name), "paths are shown relative to the working folder"
        assert problem.severity == "error"
        assert "\n" not in str(problem)


def test_every_loader_code_has_a_fixture() -> None:
    covered = {code_of_case(name, set(emitted_codes())) for name in CASES}
    # Codes that only answers files, decisions or the engine limits produce are tested elsewhere.
    elsewhere = {"bad-answer", "unknown-question", "missing-answer", "empty-file", "balance-conflict",
                 "engine-limit", "bad-scenario", "contradiction", "wrong-regime",
                 "short-answer", "unknown-part",
                 "portion-stage-1", "part-regime", "mixed-unsupported"}  # the last two: tests/test_mixed.py
    # The settings file's own code is tested in tests/test_settings.py.
    elsewhere |= {"settings-missing"}
    # Files too large to commit are made by tests/test_hostile_files.py.
    elsewhere |= {"file-too-large", "value-too-long", "too-many-values", "too-many-parts"}
    # The linter's codes have their fixtures in tests/fixtures/lint (tests/test_lint.py).
    elsewhere |= {"question-never-asked", "rule-never-fires", "condition-cycle", "conflicting-rules",
                  "missing-citation", "stale-citation", "unused-fact", "provision-never-engaged"}
    missing = set(emitted_codes()) - covered - elsewhere
    assert not missing, f"no bad fixture for: {', '.join(sorted(missing))}"


def test_problems_in_several_files_are_all_reported_together_and_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    for name, files in (("several-files", 3), ("several-files-references", 2)):
        problems = problems_of(name)
        assert len({p.location.path for p in problems}) == files, "every file's problems are reported"
        assert problems == sorted(problems, key=Problem.sort_key)
        assert [p.location for p in problems] == sorted(p.location for p in problems)


def test_the_good_example_loads_with_no_problems() -> None:
    rulebase = load_rulebase(EXAMPLE)
    assert rulebase.meta.id == "example-ncnd"
    compile_rulebase(rulebase)
    assert load_scenarios(EXAMPLE, rulebase) == []


def test_a_rules_folder_that_does_not_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase("no-such-folder")
    assert [str(p) for p in caught.value.problems] == [
        "no-such-folder:0:0: no-rule-base: no such folder "
        "(hint: pass --rules DIR or set NCND_RULES to a rule-base folder)"]


def test_rule_too_big_for_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MAX_TESTS_PER_RULESET", 1)
    with pytest.raises(RuleBaseError) as caught:
        compile_rulebase(load_rulebase(EXAMPLE))
    problems = caught.value.problems
    assert {p.code for p in problems} == {"engine-limit"}
    assert any("crime-prejudice-from-covert-tactic" in p.message for p in problems)
    assert all(p.location.line > 0 and "split the rule" in p.hint for p in problems)


def test_rule_base_error_summary_counts_the_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase("several-files")
    assert str(caught.value).startswith(f"{len(caught.value.problems)} problem(s) in the rule base at several-files")


# ---------------------------------------------------------------- the command line

CLI_CASES = ["yaml-syntax", "unknown-key-top", "bad-value-type-unquoted-no", "fact-cycle", "several-files",
             "several-files-references", "no-rule-base", "scenario-unknown-question", "unreadable-file"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NCND_RULES", "NCND_DEBUG")}
    env["COLUMNS"] = "80"
    return subprocess.run([sys.executable, "-m", "ncnd_assistant", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # starts another Python process
@pytest.mark.parametrize("name", CLI_CASES)
def test_rules_check_reports_located_problems_and_exits_3(name: str) -> None:
    result = run_cli("rules", "check", "--rules", name, cwd=BAD)
    output = result.stdout + result.stderr
    assert result.returncode == int(ExitCode.RULEBASE) == 3, output
    assert "Traceback" not in output
    assert re.search(rf"^{re.escape(name)}(/\S*)?:\d+:\d+: [a-z0-9-]+: ", output, re.MULTILINE), output
    for line in (BAD / name / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in output.splitlines(), f"missing from the CLI output: {line}\n{output}"


@pytest.mark.slow  # starts another Python process
def test_rules_check_passes_on_the_good_example() -> None:
    result = run_cli("rules", "check", "--rules", str(EXAMPLE), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- the documentation


def documented_codes() -> set[str]:
    text = ERRORS_DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([a-z0-9-]+)`\s*\|", text, re.MULTILINE))


def test_every_emitted_code_is_documented() -> None:
    missing = {code: where for code, where in emitted_codes().items() if code not in documented_codes()}
    assert not missing, f"codes missing from docs/errors.md: {missing}"


def test_every_documented_code_is_emitted() -> None:
    stale = documented_codes() - set(emitted_codes())
    assert not stale, f"docs/errors.md documents codes the package no longer emits: {sorted(stale)}"


def test_the_code_scan_finds_the_known_codes() -> None:
    codes = emitted_codes()
    assert {"yaml-syntax", "unknown-key", "fact-cycle", "engine-limit", "balance-conflict", "bad-answer",
            "missing-answer", "no-rule-base", "stage1-reads-holding"} <= set(codes)
    assert len(codes) >= 40


# ---------------------------------------------------------------- property: never crash

GOOD_LINES = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8").splitlines()
KEYS = ["id", "text", "help", "type", "stage", "choices", "when", "then", "because", "citations", "ask_when",
        "reveals_holding", "engage", "harm", "derive", "all", "any", "not", "in", "rulebase", "questions", "facts",
        "provisions", "rules", "no", "yes", "<<", "?", "- id", "public_interest", "for", "against", "priority"]
VALUES = ["", "1", "2", "true", "no", "~", "[]", "{}", "[a, b]", "{x: 1}", "s31(3)", "crime_prejudice", "held",
          "2026-11-27", "&a x", "*a", "!!str 3", "'quoted'", '"unterminated', "- item", "{in: [would]}",
          "{all: []}", "0.1.0", "-1", "1e3"]
CHARS = " :-{}[],\"'#&*!|>?\t0123456789abz_%@`"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(GOOD_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "digit", "indent", "insert"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from(CHARS)) + lines[i][k + 1:]
        elif op == "digit":
            digits = [(n, k) for n, line in enumerate(lines) for k, ch in enumerate(line) if ch.isdigit()]
            if digits:
                n, k = draw(st.sampled_from(digits))
                lines[n] = lines[n][:k] + draw(st.sampled_from("0123456789")) + lines[n][k + 1:]
        elif op == "indent":
            delta = draw(st.integers(-4, 4))
            body = lines[i].lstrip(" ")
            lines[i] = " " * max(0, len(lines[i]) - len(body) + delta) + body
        elif op == "insert":
            indent = " " * draw(st.sampled_from([0, 2, 4, 6, 8]))
            key = draw(st.sampled_from(KEYS) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True))
            lines.insert(i, f"{indent}{key}: {draw(st.sampled_from(VALUES))}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=mutated())
def test_mutated_rule_files_give_a_rule_base_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "rulebase.yaml").write_text(text, encoding="utf-8")
        try:
            load_rulebase(tmp)
        except RuleBaseError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.code and problem.message
                assert problem.location.line >= 0 and problem.location.col >= 0
                assert problem.location.path
                assert PROBLEM_LINE.match(str(problem)) or problem.location.line == 0, str(problem)


# ---------------------------------------------------------------- the optional `limits` of `rulebase`

def _with_limits(tmp_path: Path, limits: str) -> Path:
    """The example rule base with `limits: ...` added to its `rulebase` section."""
    text = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8")
    assert "  regime: foia\n" in text
    (tmp_path / "rulebase.yaml").write_text(text.replace("  regime: foia\n", f"  regime: foia\n{limits}", 1),
                                            encoding="utf-8")
    return tmp_path


def test_limits_are_optional_and_kept_in_order(tmp_path: Path) -> None:
    assert load_rulebase(EXAMPLE).meta.limits == ()
    rb = load_rulebase(_with_limits(tmp_path, "  limits:\n    - Does not model the EIR.\n    - Nor s21.\n"))
    assert rb.meta.limits == ("Does not model the EIR.", "Nor s21.")


@pytest.mark.parametrize(("limits", "code", "line"), [
    ("  limits: Does not model the EIR.\n", "wrong-type", 7),
    ("  limits:\n    - {eir: no}\n", "wrong-type", 8),
    ("  limits:\n    - Does not model the EIR.\n    - ''\n", "empty-value", 9),
    ("  limit:\n    - Does not model the EIR.\n", "unknown-key", 7),
])
def test_limits_must_be_a_list_of_text(tmp_path: Path, limits: str, code: str, line: int) -> None:
    with pytest.raises(RuleBaseError) as raised:
        load_rulebase(_with_limits(tmp_path, limits))
    assert [(p.code, p.location.line) for p in raised.value.problems] == [(code, line)], \
        [str(p) for p in raised.value.problems]
