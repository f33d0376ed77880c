"""checks/impact.py: the cases whose outcome, provisions or letter change between two rule bases,
the recorded decisions to replay, and a rule base as it was at a git revision."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.checks.impact import Case, Result, compare, decision_cases, rules_at_revision
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import NcndError
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import EXAMPLE

COVERT: dict[str, Value] = {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": False}
CASES = [Case("scenario", "covert, held", Part("a", "covert use", {**COVERT, "held": True})),
         Case("scenario", "covert", Part("b", "covert use", COVERT)),
         Case("scenario", "overt, not held", Part("c", "overt use", {"covert_tactic": False, "held": False})),
         Case("scenario", "overt, held", Part("d", "overt use", {"covert_tactic": False, "held": True}))]


def always(value: str) -> Callable[[], str]:
    """An id source for the audit log that gives `value`."""
    return lambda: value


def changed_copy(folder: Path, old: str, new: str) -> RuleBase:
    """The example rule base copied to `folder` with `old` replaced by `new` in its YAML."""
    shutil.copytree(EXAMPLE, folder)
    path = folder / "rulebase.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_rulebase(folder)


def test_the_same_rule_base_changes_nothing(example: RuleBase) -> None:
    assert compare(example, example, CASES) == ([], 4)
    assert compare(example, example, []) == ([], 0)


def test_a_changed_balance_changes_the_outcome_provisions_and_letter(example: RuleBase, tmp_path: Path) -> None:
    after = changed_copy(tmp_path / "after", "then: {balance: maintain}", "then: {balance: disclose}")
    changes, compared = compare(example, after, CASES)
    assert compared == 4
    assert [(c.case.name, c.what) for c in changes] == [
        ("covert, held", ["outcome ncnd -> disclose", "provisions ['s31(3)'] -> []", "notice text"]),
        ("covert", ["outcome ncnd -> needs 1 more answer(s)", "provisions ['s31(3)'] -> []", "notice text"])]
    covert = changes[1]
    assert covert.after == Result("needs 1 more answer(s)", (), "")
    assert (covert.before.outcome, covert.before.provisions) == ("ncnd", ("s31(3)",))
    assert "neither confirm nor deny" in covert.before.notice


def test_a_changed_letter_alone_is_a_change_of_notice_text(example: RuleBase, tmp_path: Path) -> None:
    after = changed_copy(tmp_path / "after", "rules:\n", "notice: {authority: Midshire Police}\n\nrules:\n")
    changes, _ = compare(example, after, CASES)
    assert [(c.case.name, c.what) for c in changes] == [(c.name, ["notice text"]) for c in CASES]
    assert "Midshire Police" in changes[2].after.notice and "Midshire Police" not in changes[2].before.notice


def test_an_engine_error_is_a_result_not_a_crash(example: RuleBase, tmp_path: Path) -> None:
    after = changed_copy(tmp_path / "after", "then: {balance: maintain}", "then: {balance: disclose}")
    clash = [Case("scenario", "clash", Part("x", "x", {**COVERT, "held": True}))]
    with_conflict = changed_copy(tmp_path / "conflict", "rules:\n", (
        "rules:\n  - id: also-disclose\n    stage: 1\n    when: {crime_prejudice: true}\n"
        "    then: {balance: disclose}\n    because: x\n    citations: [x]\n"))
    [change] = compare(after, with_conflict, clash)[0]
    assert change.before.outcome == "disclose"
    assert change.after == Result("error: conflicting public-interest balances", (), "")


def test_recorded_decisions_are_cases_the_latest_per_session_and_part(example: RuleBase, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    assessor = Assessor(example, engine="python")
    decisions: list[tuple[str, dict[str, Value]]] = [("s1", COVERT), ("s1", {"covert_tactic": False, "held": False}),
                                                     ("s2", COVERT)]
    for n, (session, answers) in enumerate(decisions, 1):
        pa = assessor.assess_part(Part("p", f"summary {n}", answers))
        body = decision_record(example, pa, case_ref=f"C-{session}", officer="A", session=session, final=pa.outcome)
        audit.append(log, body, new_id=always(str(n) * 12))
    audit.append(log, {"kind": "note", "session": "s3", "part": {"id": "p", "summary": "no answers"}})
    assert decision_cases(audit.read_records(log)) == [
        Case("decision", "C-s1 / p (2222222222)", Part("p", "summary 2", {"covert_tactic": False, "held": False})),
        Case("decision", "C-s2 / p (3333333333)", Part("p", "summary 3", COVERT))]


# ---------------------------------------------------------------- a rule base at a git revision


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose rules/ folder holds the example, then (committed) a changed balance."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "rules")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the example")
    path = repo / "rules" / "rulebase.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{balance: maintain}", "{balance: disclose}"),
                    encoding="utf-8")
    git(repo, "commit", "-q", "-am", "disclose")
    return repo


def test_the_rules_at_a_revision_are_the_files_as_committed_then(repo: Path) -> None:
    then = rules_at_revision("HEAD~1", repo / "rules")
    assert then.name == "rules" and then != repo / "rules"
    assert (then / "rulebase.yaml").read_bytes() == (EXAMPLE / "rulebase.yaml").read_bytes()
    before, after = load_rulebase(then), load_rulebase(repo / "rules")
    changes, _ = compare(before, after, CASES[:1])
    assert [c.what[0] for c in changes] == ["outcome ncnd -> disclose"]
    shutil.rmtree(then.parent)


def test_an_unknown_revision_or_a_folder_outside_git_is_an_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(NcndError, match=r"^--against no-such-rev: git cannot find rules at that revision: "):
        rules_at_revision("no-such-rev", repo / "rules")
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(NcndError) as caught:
        rules_at_revision("HEAD", outside)
    assert str(caught.value) == f"--against HEAD: not a folder, and {outside} is not in a git checkout"

