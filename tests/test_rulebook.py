"""`ncnd rules docs`: the rule book for legal review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ncnd_assistant.cli.rules_author  # noqa: F401  (registers the commands on `rules_app`)
from ncnd_assistant import conditions as c
from ncnd_assistant.assess import Assessor
from ncnd_assistant.cli import app
from ncnd_assistant.model import RuleBase
from ncnd_assistant.rulebook import ScenarioRun, condition_lines, rule_book, run_scenarios
from ncnd_assistant.scenarios import load_scenarios
from tests.conftest import EXAMPLE, SHIPPED, check_golden

runner = CliRunner()


@pytest.fixture(scope="module")
def shipped_runs(shipped: RuleBase, shipped_assessor: Assessor) -> list[ScenarioRun]:
    return run_scenarios(shipped_assessor, load_scenarios(SHIPPED, shipped))


@pytest.fixture(scope="module")
def shipped_book(shipped: RuleBase, shipped_runs: list[ScenarioRun]) -> str:
    return rule_book(shipped, shipped_runs)


def test_the_example_rule_book_matches_its_golden_file(example: RuleBase) -> None:
    runs = run_scenarios(Assessor(example), load_scenarios(EXAMPLE, example))
    check_golden("rulebook-example.md", rule_book(example, runs))


def test_every_provision_has_a_section_with_its_legal_character(shipped: RuleBase, shipped_book: str) -> None:
    assert "24(2)" in shipped_book
    sections = shipped_book.split('<a id="provision-')[1:]
    assert len(sections) == len(shipped.provisions)
    by_label = {s.split("#### ", 1)[1].split("\n", 1)[0]: s for s in sections}
    for provision in shipped.provisions:
        section = by_label[provision.label]
        assert f"- **Provision:** {provision.id}, {provision.act}" in section
        assert "- **Absolute or qualified:** " + provision.exemption.replace("not_exemption", "not an exemption") \
            in section
        assert "**Summary.**" in section and "**Notice wording.**" in section and "**Citations.**" in section
        assert "**Scenarios that exercise it.**" in section


def test_the_s24_2_section_shows_its_rules_questions_factors_and_scenarios(shipped_book: str,
                                                                           shipped_runs: list[ScenarioRun]) -> None:
    section = shipped_book.split('<a id="provision-s24-2"></a>')[1].split('<a id="provision-')[0]
    assert "qualified: relied on only if the public interest in maintaining it outweighs the public interest in " \
           "confirming or denying" in section
    assert "##### Rule `ncnd-s24-2-national-security-would` (stage 1)" in section
    assert "- **Because:** Confirming or denying would show terrorists" in section
    assert "(`ns_harm`) is “Yes: it would”" in section
    assert "- For confirming or denying:" in section
    assert "Second-officer sign-off" in section
    relying = [run for run in shipped_runs if "s24(2)" in run.cited]
    aside = [run for run in shipped_runs if "s24(2)" in run.set_aside]
    for run in relying:
        assert f"- {run.scenario.name} (outcome: neither confirm nor deny; relied on; " in section
    for run in aside:
        assert f"- {run.scenario.name} (outcome: " in section and "engaged but set aside" in section
    if not relying and not aside:
        assert "- none: add a scenario" in section


def test_the_book_lists_scenarios_that_rely_on_a_provision(example: RuleBase, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "rulebase.yaml").write_text((EXAMPLE / "rulebase.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "scenarios").mkdir()
    (rules / "scenarios" / "cases.yaml").write_text(
        "scenarios:\n"
        "  - name: covert and harmful is neither confirmed nor denied\n"
        "    answers: {covert_tactic: true, crime_harm: would, officially_confirmed: false, held: true}\n"
        "    expect: {outcome: ncnd, provisions: [s31(3)]}\n"
        "  - name: officially confirmed and held is disclosed\n"
        "    answers: {covert_tactic: true, crime_harm: would, officially_confirmed: true, held: true}\n"
        "    expect: {outcome: disclose}\n"
        "  - name: a wrong expectation is shown as failing\n"
        "    answers: {covert_tactic: false, held: false}\n"
        "    expect: {outcome: disclose}\n", encoding="utf-8")
    runs = run_scenarios(Assessor(example), load_scenarios(rules, example))
    book = rule_book(example, runs)
    section = book.split("**Scenarios that exercise it.**")[1].split("##")[0]
    assert "- covert and harmful is neither confirmed nor denied (outcome: neither confirm nor deny; relied on; " \
           "passes)" in section
    assert "- officially confirmed and held is disclosed (outcome: disclose; engaged but set aside; passes)" in section
    assert "wrong expectation" not in section
    assert "2 of 3 scenarios pass." in book
    assert "- a wrong expectation is shown as failing: expects disclose; gives not held citing no provision " \
           "**(FAILS)**" in book


def test_every_question_fact_rule_and_template_is_in_the_book(shipped: RuleBase, shipped_book: str) -> None:
    for q in shipped.questions:
        assert f'<a id="question-{q.id.replace("_", "-")}"></a>' in shipped_book
    for f in shipped.facts:
        assert f"### `{f.id}`" in shipped_book
    for r in shipped.rules:
        assert shipped_book.count(f"Rule `{r.id}`") == 1, r.id
    for key in ("duty", "ncnd", "ncnd_caveat", "rights", "due"):
        assert f"### `{key}`" in shipped_book
    assert "the force" in shipped_book.split("## Notice templates")[1]


def test_every_link_in_the_book_has_its_anchor(shipped_book: str) -> None:
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', shipped_book))
    headings = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^## (.+)$", shipped_book, re.MULTILINE)}
    for target in re.findall(r"\]\(#([^)]+)\)", shipped_book):
        assert target in anchors | headings, target


def test_the_scenarios_section_reports_each_run(shipped_runs: list[ScenarioRun], shipped_book: str) -> None:
    passed = sum(run.passed for run in shipped_runs)
    assert len(shipped_runs) >= 1
    assert f"{passed} of {len(shipped_runs)} scenarios pass." in shipped_book
    for run in shipped_runs:
        assert f"- {run.scenario.name}: expects " in shipped_book


def test_conditions_read_as_plain_english(example: RuleBase) -> None:
    cond = c.All((c.Eq("covert_tactic", True), c.Not(c.In("crime_harm", ("would", "likely"))),
                  c.Not(c.AnyOf((c.Eq("crime_prejudice", True), c.Eq("held", False))))))
    lines = condition_lines(example, cond)
    assert lines[0] == "- all of the following hold:"
    assert lines[1].startswith("  - the answer to “Does this part of the request ask about a covert policing")
    assert lines[1].endswith("(`covert_tactic`) is “Yes”")
    assert lines[2].endswith("(`crime_harm`) is not “Yes: it would” or “Yes: it would be likely to”")
    assert lines[3] == "  - none of the following holds:"
    assert lines[4].startswith("    - the fact “Confirming or denying would") and lines[4].endswith("holds")
    assert lines[5].endswith("(`held`) is “No”")
    assert condition_lines(example, c.Not(c.Eq("crime_prejudice", True)))[0].endswith("does not hold")


def test_the_command_writes_the_book(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "docs", "--rules", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Rule book: Example NCND rule base")
    out = tmp_path / "book.md"
    result = runner.invoke(app, ["rules", "docs", "--rules", str(SHIPPED), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "### S24(2) National Security" in out.read_text(encoding="utf-8")


def test_provisions_are_grouped_by_effect_in_statutory_order(shipped: RuleBase, shipped_book: str) -> None:
    body = shipped_book.split("\n## Provisions\n")[1].split("\n## Questions\n")[0]
    groups = body.split("\n### ")[1:]
    assert [g.split("\n")[0] for g in groups] == [
        "Refusals of the request", "Exclusions of the duty to confirm or deny (Stage 1)",
        "Exemptions from the duty to disclose (Stage 2)"]
    ncnd = re.findall(r"^#### S(\S+) ", groups[1], re.MULTILINE)
    assert ncnd[:4] == ["22(2)", "22A(2)", "23(5)", "24(2)"] and ncnd[-1] == "44(2)"
    assert all(p.limb.value == "ncnd" for p in shipped.provisions if p.id[1:] in ncnd)


def test_the_glance_table_counts_scenarios_relied_on_set_aside_and_not_engaged(shipped_book: str,
                                                                             shipped_runs: list[ScenarioRun]) -> None:
    row = next(line for line in shipped_book.splitlines() if line.startswith("| [S24(2) National Security]"))
    relied = sum("s24(2)" in run.cited for run in shipped_runs)
    aside = sum("s24(2)" in run.set_aside for run in shipped_runs)
    considered = sum("ns_harm" in run.asked and "s24(2)" not in run.cited + run.set_aside for run in shipped_runs)
    assert row.endswith(f"| NCND | qualified | required for | 2 | {relied} / {aside} / {considered} |")
    assert considered > 0
