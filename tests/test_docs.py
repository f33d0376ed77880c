"""Documentation that must not drift from the code."""

from __future__ import annotations

from tests.conftest import EXAMPLE, ROOT


def test_the_format_doc_shows_the_example_rule_base_unchanged() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    example = (EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in doc


def test_the_readme_quick_start_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && ncnd" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci


def test_the_readme_gives_the_fast_loop_and_ci_runs_every_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pytest -m "not slow"' in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in ci.splitlines() if "pytest" in line and not line.startswith("#")] == [
        "pip install -e '.[test]' && pytest"], "CI runs every test, slow ones included"
