"""Documentation that must not drift from the code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ncnd_assistant.checks.scenarios import load_scenarios, run_scenario
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.loader import load_rulebase
from tests.conftest import EXAMPLE, ROOT, SHIPPED


def test_the_format_doc_shows_the_example_rule_base_unchanged() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    example = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in doc


def test_the_readme_quick_start_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -q . && ncnd" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci


def test_the_readme_gives_the_fast_loop_and_ci_runs_every_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pytest -m "not slow"' in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert [line.strip() for line in ci.splitlines() if "pytest" in line and not line.lstrip().startswith("#")] == [
        "pip install -e '.[test]' && pytest"], "CI runs every test, slow ones included"


def test_the_format_doc_s_defaults_example_passes_under_the_shipped_rule_base(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(defaults:\n.*?)```", doc, re.DOTALL)
    assert example is not None, "docs/rules.md shows no scenario file with defaults:"
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules, ignore=shutil.ignore_patterns("scenarios"))
    (rules / "scenarios").mkdir()
    (rules / "scenarios" / "example.yaml").write_text(example.group(1), encoding="utf-8")
    rb = load_rulebase(rules)
    scenarios = load_scenarios(rules, rb)
    assert len(scenarios) == 2 and scenarios[0].part.answers["vexatious"] is False
    assert all(run_scenario(Assessor(rb), s).passed for s in scenarios)
