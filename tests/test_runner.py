"""engine/runner.py: make_engine gives durable-rules or the Python evaluator, and both fire the same rules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ncnd_assistant.engine.result import StageResult
from ncnd_assistant.engine.runner import EngineName, make_engine
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import ROOT

COVERT_CONFIRMED: dict[str, Value] = {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": True}
CASES: list[tuple[int, dict[str, Value], StageResult]] = [
    (1, COVERT_CONFIRMED, StageResult(("crime-prejudice-from-covert-tactic", "official-confirmation-blocks-ncnd",
                                       "ncnd-s31-covert-tactic", "balance-favours-consistent-ncnd"),
                                      {"crime_prejudice": True})),
    (1, {**COVERT_CONFIRMED, "officially_confirmed": False},
     StageResult(("crime-prejudice-from-covert-tactic", "ncnd-s31-covert-tactic", "balance-favours-consistent-ncnd"),
                 {"crime_prejudice": True})),
    (1, {**COVERT_CONFIRMED, "crime_harm": "no", "officially_confirmed": False},
     StageResult((), {"crime_prejudice": False})),
    (1, {"covert_tactic": False}, StageResult((), {"crime_prejudice": False})),
    (2, {"covert_tactic": False, "crime_prejudice": False, "held": False}, StageResult(("not-held",), {})),
    (2, {"covert_tactic": False, "crime_prejudice": False, "held": True}, StageResult((), {})),
]


@pytest.mark.parametrize("engine", ["python", "durable"])
@pytest.mark.parametrize(("stage", "env", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_each_engine_fires_the_expected_rules_on_the_example(
        example: RuleBase, engine: EngineName, stage: int, env: dict[str, Value], expected: StageResult) -> None:
    assert make_engine(example, engine).run_stage(stage, env) == expected


def test_one_engine_runs_any_number_of_cases_without_state_left_over(example: RuleBase) -> None:
    names: tuple[EngineName, ...] = ("python", "durable")
    for name in names:
        engine = make_engine(example, name)
        assert [engine.run_stage(stage, env) for stage, env, _ in CASES * 2] == [r for _, _, r in CASES * 2], name


@pytest.mark.slow  # starts another Python process
def test_the_default_engine_is_durable_and_only_it_loads_durable() -> None:
    probe = ("import sys; from pathlib import Path; from ncnd_assistant.rulebase.loader import load_rulebase; "
             "from ncnd_assistant.engine.runner import make_engine; "
             "rb = load_rulebase(Path('tests/fixtures/good/example')); "
             "python = make_engine(rb, 'python'); before = 'durable' in sys.modules; "
             "default = make_engine(rb); "
             "print(type(python).__name__, before, type(default).__name__, 'durable' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["PythonEngine", "False", "DurableEngine", "True"]
