"""checks/check_cache.py and checks/predicates.py: `rules check` reuses the findings of the linter
and of the scenarios only while nothing they depend on changes, from owner-only entries that are
safe to delete; the linter's compiled conditions give the same three values as `conditions`."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant.checks import lint as lint_module
from ncnd_assistant.checks import scenarios as scenarios_module
from ncnd_assistant.checks.predicates import compile3, generated
from ncnd_assistant.checks.report import check_rulebase
from ncnd_assistant.rulebase import conditions as c
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
TODAY = date(2026, 11, 27)
NAMES = ("a", "b", "c")
VALUES: tuple[c.Value, ...] = (True, False, "x", "y")

leaf = st.one_of(
    st.builds(c.Eq, st.sampled_from(NAMES), st.sampled_from(VALUES)),
    st.builds(lambda n, vs: c.In(n, tuple(vs)), st.sampled_from(NAMES), st.lists(st.sampled_from(VALUES), max_size=3)))
condition = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(c.Not, inner),
    st.builds(lambda items: c.All(tuple(items)), st.lists(inner, min_size=1, max_size=4)),
    st.builds(lambda items: c.AnyOf(tuple(items)), st.lists(inner, min_size=1, max_size=4))), max_leaves=12)
env = st.dictionaries(st.sampled_from(NAMES), st.sampled_from(VALUES))
unknown = st.sets(st.sampled_from(NAMES))


@settings(max_examples=300, deadline=None)
@given(condition, env, unknown)
def test_compiled_conditions_give_the_same_three_values(cond: c.Condition, values: dict[str, c.Value],
                                                        names: set[str]) -> None:
    expected = c.holds3(cond, values, names)
    assert compile3(cond)(values, names) == generated(cond)(values, names) == expected
    assert c.compile_predicate3(cond)(values, names) == expected


def test_a_condition_too_deep_to_generate_falls_back_to_the_closures() -> None:
    deep: c.Condition = c.Eq("a", True)
    for _ in range(400):
        deep = c.Not(deep)
    assert generated(deep)({"a": True}, set()) is True  # an even number of `not`


class Counted:
    """Counts the linter's and the scenario reader's runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.lints = self.reads = 0
        real_lint, real_read = lint_module.lint, scenarios_module.load_scenarios

        def lint(*args: object, **kwargs: object) -> object:
            self.lints += 1
            return real_lint(*args, **kwargs)  # type: ignore[arg-type]

        def read(*args: object) -> object:
            self.reads += 1
            return real_read(*args)  # type: ignore[arg-type]
        monkeypatch.setattr(lint_module, "lint", lint)
        monkeypatch.setattr(scenarios_module, "load_scenarios", read)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NCND_CACHE_DIR", str(folder))
    monkeypatch.delenv("NCND_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a rule base with one scenario problem, checked from its parent folder."""
    shutil.copytree(FIXTURES / "bad" / "scenario-unknown-question", tmp_path / "rb")
    monkeypatch.chdir(tmp_path)
    return Path("rb")


def shown(folder: Path, **options: object) -> list[str]:
    return [str(p) for p in check_rulebase(folder, today=TODAY, **options).problems]  # type: ignore[arg-type]


def test_an_unchanged_rule_base_is_not_linted_or_read_again(cache: Path, rules: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    first = shown(rules)
    assert (counted.lints, counted.reads) == (1, 1) and len(first) == 1 and "unknown-question" in first[0]
    assert shown(rules) == first and (counted.lints, counted.reads) == (1, 1)
    entries = sorted((cache / "checks").iterdir())
    assert len(entries) == 2
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entries)
    assert stat.S_IMODE((cache / "checks").stat().st_mode) == 0o700


def test_a_changed_scenario_is_read_again_and_its_problem_shown(cache: Path, rules: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    shown(rules)
    path = rules / "scenarios" / "cases.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("officialy_confirmed", "officially_confirmed"),
                    encoding="utf-8")
    assert shown(rules) == [] and (counted.lints, counted.reads) == (1, 2)
    (rules / "scenarios" / "more.yaml").write_text("scenarios: []\n", encoding="utf-8")
    assert shown(rules) != [] and (counted.lints, counted.reads) == (1, 3)  # an empty file is a problem


def test_a_changed_rule_file_option_or_day_is_linted_again(cache: Path, rules: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    shown(rules)
    shown(rules, max_citation_age_days=10)
    assert counted.lints == 2
    check_rulebase(rules, today=date(2026, 11, 28))
    assert counted.lints == 3
    path = rules / "rulebase.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    shown(rules)
    assert (counted.lints, counted.reads) == (4, 2)  # the scenarios' key has the rule files' digest too


def test_an_entry_others_could_change_or_a_broken_one_is_not_trusted(cache: Path, rules: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    first = shown(rules)
    for entry in (cache / "checks").iterdir():
        entry.write_text('{"format": "ncnd-check-cache 1", "key": "x", "count": 0, "problems": []}')
        os.chmod(entry, 0o644)
    assert shown(rules) == first and (counted.lints, counted.reads) == (2, 2)  # ignored, then written anew
    for entry in (cache / "checks").iterdir():
        entry.write_text("{truncated")
    assert shown(rules) == first and (counted.lints, counted.reads) == (3, 3)
    shutil.rmtree(cache)
    assert shown(rules) == first and (counted.lints, counted.reads) == (4, 4)


def test_no_cache_means_no_entry(cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_NO_CACHE", "1")
    counted = Counted(monkeypatch)
    shown(rules)
    shown(rules)
    assert (counted.lints, counted.reads) == (2, 2) and not (cache / "checks").exists()
