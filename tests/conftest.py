"""Shared fixtures: paths, the shipped rule base, and golden-file comparison."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings

from ncnd_assistant.checks.scenarios import Scenario, load_scenarios
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase

# The compiled rule-base cache goes to a folder of this test run, not the user's cache (tests that
# start `ncnd` inherit it); tests/test_cache.py checks the cache itself.
os.environ.setdefault("NCND_CACHE_DIR", tempfile.mkdtemp(prefix="ncnd-test-cache-"))

# Property tests check behaviour, not time: no per-example deadline on a shared, loaded machine
# (a first example that imports `holidays` under load took 671 ms against hypothesis' 200 ms).
settings.register_profile("ncnd", deadline=None)
settings.load_profile("ncnd")

# CliRunner.invoke turns the Typer app into a click command at every call, reading every command's
# signature and annotations again (77,000 annotation compiles, a fifth of the fast loop's CPU);
# the command is the same each time, so it is built once per test process.
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "foia"
EXAMPLE = ROOT / "tests" / "fixtures" / "good" / "example"
SEED = ROOT / "examples" / "wmp-16883-18.yaml"
GOLDEN = ROOT / "tests" / "golden"


@functools.cache
def shipped_rulebase() -> RuleBase:
    """The shipped rule base, loaded once per test process: the `shipped` fixture, and parametrising
    at collection (`pytest_generate_tests`) or a Hypothesis strategy that needs it before any fixture."""
    return load_rulebase(SHIPPED)


@functools.cache
def shipped_scenarios() -> tuple[Scenario, ...]:
    """The shipped rule base's scenarios, read once per test process."""
    return tuple(load_scenarios(SHIPPED, shipped_rulebase()))


@pytest.fixture(scope="session")
def shipped() -> RuleBase:
    return shipped_rulebase()


@pytest.fixture(scope="session")
def scenarios() -> tuple[Scenario, ...]:
    return shipped_scenarios()


@pytest.fixture(scope="session")
def shipped_assessor(shipped: RuleBase) -> Assessor:
    return Assessor(shipped)


@pytest.fixture(scope="session")
def example() -> RuleBase:
    return load_rulebase(EXAMPLE)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; NCND_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("NCND_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run with NCND_UPDATE_GOLDEN=1 and review the diff"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test starts with no settings file: the user's own (and any NCND_SETTINGS) never leak in.
    Returns the config folder a test may write a settings file into."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.delenv("NCND_SETTINGS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config
