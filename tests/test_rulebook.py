"""`ncnd rules docs`: the rule book for legal review."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.checks.scenarios import Scenario, ScenarioResult, load_scenarios, run_scenario
from ncnd_assistant.cli import app
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.render.rulebook import GLOSSARY, rule_book
from ncnd_assistant.render.rulebook_index import engaging_names, feeding_rules, leading_questions, relied_on, set_aside
from ncnd_assistant.render.rulebook_sections import citation_text
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Citation, RuleBase
from ncnd_assistant.rulebase.phrasing import condition_lines
from tests.conftest import EXAMPLE, SHIPPED, check_golden

runner = CliRunner()


def run_all(assessor: Assessor, scenarios: list[Scenario]) -> list[ScenarioResult]:
    """Every scenario as `ncnd rules test` runs it."""
    return [run_scenario(assessor, s) for s in scenarios]

# A gating question (vexatious) and a gating fact (screened), a provision engaged through two derived
# facts (s31(3)), s23(5) cited in conjunction with s24(2), an unread fact, and `limits`.
GATED_RULES = """\
rulebase:
  id: book-test
  title: Book test
  version: 0.0.1
  effective: 2026-01-01
  regime: foia
  limits:
    - Does not model the Environmental Information Regulations.
    - Does not model   section 21 (reasonably accessible).

questions:
  - id: vexatious
    text: Is this request vexatious?
    help: s14(1).
    type: yes_no
    stage: 1
  - id: covert_tactic
    text: Is it about a covert tactic?
    help: Covert.
    type: yes_no
    stage: 1
    ask_when: {screened: true}
  - id: crime_harm
    text: Would confirming or denying prejudice crime?
    help: Prejudice.
    type: yes_no
    stage: 1
    ask_when: {covert_tactic: true}
  - id: security_body
    text: Does it relate to a security body?
    help: s23(3).
    type: yes_no
    stage: 1
    ask_when: {screened: true}
  - id: ns_harm
    text: Is exemption required to safeguard national security?
    help: s24.
    type: yes_no
    stage: 1
    ask_when: {screened: true}
  - id: held
    text: Is it held?
    help: Searched.
    type: yes_no
    stage: 2
    reveals_holding: true

facts:
  - {id: screened, text: The request is not vexatious.}
  - {id: covert, text: The part is about a covert tactic.}
  - {id: crime_prejudice, text: Confirming or denying would prejudice law enforcement.}
  - {id: unused, text: Nothing reads this.}

provisions:
  - {id: s31(3), act: FOIA 2000, title: Law Enforcement, limb: ncnd, exemption: qualified, test: prejudice,
     summary: Law enforcement., citations: ["FOIA 2000 s31(3)"]}
  - {id: s14(1), act: FOIA 2000, title: Vexatious Requests, limb: refuse, exemption: not_exemption,
     test: vexatious, summary: Vexatious., citations: ["FOIA 2000 s14(1)"]}
  - {id: s24(2), act: FOIA 2000, title: National Security, limb: ncnd, exemption: qualified, test: required_for,
     summary: National security., citations: ["FOIA 2000 s24(2)"]}
  - {id: s23(5), act: FOIA 2000, title: Security Bodies, limb: ncnd, exemption: absolute, test: class,
     summary: Security bodies., in_the_alternative_with: [s24(2)], citations: ["FOIA 2000 s23(5)"]}

rules:
  - {id: refuse-vexatious, stage: 1, when: {vexatious: true}, then: {engage: s14(1)}, because: Vexatious.,
     citations: ["FOIA 2000 s14(1)"]}
  - {id: screen, stage: 1, when: {vexatious: false}, then: {derive: screened}, because: Not vexatious.,
     citations: ["FOIA 2000 s14(1)"]}
  - {id: covert-from-tactic, stage: 1, when: {covert_tactic: true}, then: {derive: covert}, because: Covert.,
     citations: ["WMP 16883_18"]}
  - {id: unused-from-tactic, stage: 1, when: {covert_tactic: true}, then: {derive: unused}, because: Unused.,
     citations: ["WMP 16883_18"]}
  - id: crime-prejudice-judged
    stage: 1
    when: {all: [{covert: true}, {crime_harm: true}]}
    then: {derive: crime_prejudice}
    because: Judged.
    citations: ["FOIA 2000 s31(1)(a)"]
  - {id: ncnd-s31, stage: 1, when: {crime_prejudice: true}, then: {engage: s31(3), harm: would}, because: Crime.,
     citations: ["FOIA 2000 s31(3)"]}
  - {id: ncnd-s23, stage: 1, when: {security_body: true}, then: {engage: s23(5)}, because: Security body.,
     citations: ["FOIA 2000 s23(5)"]}
  - {id: ncnd-s24, stage: 1, when: {ns_harm: true}, then: {engage: s24(2)}, because: National security.,
     citations: ["FOIA 2000 s24(2)"]}
  - {id: not-held, stage: 2, when: {held: false}, then: {outcome: not_held}, because: Not held.,
     citations: ["FOIA 2000 s1(1)(a)"]}
"""


@pytest.fixture
def gated(tmp_path: Path) -> RuleBase:
    (tmp_path / "rulebase.yaml").write_text(GATED_RULES, encoding="utf-8")
    return load_rulebase(tmp_path)


def _section(book: str, pid: str) -> str:
    return book.split(f'<a id="provision-{pid}"></a>')[1].split('<a id="provision-')[0].split("\n## ")[0]


def _block(section: str, title: str) -> str:
    """The lines under a bold `title` up to the next blank line."""
    return section.split(f"**{title}**\n\n")[1].split("\n\n")[0] if f"**{title}**" in section else ""


@pytest.fixture(scope="module")
def shipped_runs(shipped: RuleBase, shipped_assessor: Assessor) -> list[ScenarioResult]:
    return run_all(shipped_assessor, load_scenarios(SHIPPED, shipped))


@pytest.fixture(scope="module")
def shipped_book(shipped: RuleBase, shipped_runs: list[ScenarioResult]) -> str:
    return rule_book(shipped, shipped_runs)


def test_the_example_rule_book_matches_its_golden_file(example: RuleBase) -> None:
    runs = run_all(Assessor(example), load_scenarios(EXAMPLE, example))
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
                                                                           shipped_runs: list[ScenarioResult]) -> None:
    section = shipped_book.split('<a id="provision-s24-2"></a>')[1].split('<a id="provision-')[0]
    assert "qualified: relied on only if the public interest in maintaining it outweighs the public interest in " \
           "confirming or denying" in section
    assert "##### Rule `ncnd-s24-2-national-security-required` (stage 1)" in section
    assert "- **Because:** Confirming or denying would show terrorists" in section
    assert "(`ns_harm`) is “Yes”" in section
    assert "- For confirming or denying:" in section
    assert "Second-officer sign-off" in section
    relying = [run for run in shipped_runs if "s24(2)" in relied_on(run)]
    aside = [run for run in shipped_runs if "s24(2)" in set_aside(run)]
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
    runs = run_all(Assessor(example), load_scenarios(rules, example))
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


def test_the_scenarios_section_reports_each_run(shipped_runs: list[ScenarioResult], shipped_book: str) -> None:
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


@pytest.mark.slow  # the whole shipped rule book, through the CLI
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


def test_the_glance_table_counts_scenarios_relied_on_set_aside_and_not_engaged(
        shipped_book: str, shipped_runs: list[ScenarioResult]) -> None:
    row = next(line for line in shipped_book.splitlines() if line.startswith("| [S24(2) National Security]"))
    relied = sum("s24(2)" in relied_on(run) for run in shipped_runs)
    aside = sum("s24(2)" in set_aside(run) for run in shipped_runs)
    considered = sum("ns_harm" in run.asked and "s24(2)" not in relied_on(run) + set_aside(run) for run in shipped_runs)
    assert row.endswith(f"| NCND | qualified | required for | 1 | {relied} / {aside} / {considered} |")
    assert considered > 0


def test_questions_that_lead_here_are_only_those_whose_answers_engage_it(gated: RuleBase) -> None:
    assert [q.id for q in leading_questions(gated, "s31(3)")] == ["covert_tactic", "crime_harm"]
    assert engaging_names(gated, "s31(3)") == {"crime_prejudice", "covert", "crime_harm", "covert_tactic"}
    book = rule_book(gated)
    s31 = _block(_section(book, "s31-3"), "Questions that lead here.")
    assert "(`covert_tactic`, stage 1)" in s31 and "(`crime_harm`, stage 1)" in s31
    for section in ("s31-3", "s24-2", "s23-5"):  # the gating question and what it gates through are not there
        assert "`vexatious`" not in _block(_section(book, section), "Questions that lead here.")
    assert _block(_section(book, "s24-2"), "Questions that lead here.").count("\n- ") == 0
    assert "(`vexatious`, stage 1)" in _block(_section(book, "s14-1"), "Questions that lead here.")


def test_the_book_says_gating_questions_are_listed_under_each_question(example: RuleBase) -> None:
    procedure = rule_book(example).split("## How a part is decided\n")[1].split("\n## ")[0]
    assert "Gating questions (whether the request is vexatious, whether the cost limit is exceeded, and " \
           "screening questions that open a group of questions) decide which questions are asked and are " \
           "listed under each question they gate" in procedure


def test_gating_questions_are_not_listed_for_the_shipped_s24_2(shipped: RuleBase, shipped_book: str) -> None:
    leading = _block(_section(shipped_book, "s24-2"), "Questions that lead here.")
    assert "(`ns_harm`, stage 1)" in leading
    for gate in ("vexatious", "other_matters", "security_matter"):
        assert f"(`{gate}`," not in leading
    assert [q.id for q in leading_questions(shipped, "s24(2)")] == ["ns_harm"]


def test_rules_feeding_are_only_those_deriving_facts_the_engaging_rules_read(gated: RuleBase) -> None:
    assert [r.id for r in feeding_rules(gated, "s31(3)")] == ["covert-from-tactic", "crime-prejudice-judged"]
    book = rule_book(gated)
    feeding = _block(_section(book, "s31-3"), "Rules feeding the engaging rules.")
    assert "[`covert-from-tactic`]" in feeding and "[`crime-prejudice-judged`]" in feeding
    assert "screen" not in feeding and "unused" not in feeding
    s24 = _section(book, "s24-2")
    assert "**Rules feeding the engaging rules.**" not in s24
    assert "ncnd-s23" not in s24.split("**Rules that engage it.**")[0]


def test_provisions_relied_on_in_the_alternative_say_so_either_way_round(gated: RuleBase) -> None:
    book = rule_book(gated)
    assert "- **Relied on in the alternative with** [S24(2) National Security](#provision-s24-2) when both are " \
           "relied on, so the response does not reveal which applies" in _section(book, "s23-5")
    assert "- **Relied on in the alternative with** [S23(5) Security Bodies](#provision-s23-5) when it is itself " \
           "engaged and maintained, so the response does not reveal which applies." in _section(book, "s24-2")
    assert "alternative" not in _section(book, "s31-3")


def test_facts_that_only_gate_questions_say_so_and_are_not_read_by_no_rule(gated: RuleBase) -> None:
    facts = rule_book(gated).split("## Derived facts\n")[1].split("\n## ")[0]
    screened = facts.split("### `screened`")[1].split("### ")[0]
    assert "- **Decides whether these are asked:** [`covert_tactic`](#question-covert-tactic), " \
           "[`security_body`](#question-security-body), [`ns_harm`](#question-ns-harm)" in screened
    assert "Read by" not in screened
    assert "- **Read by:** no rule" in facts.split("### `unused`")[1]
    covert = facts.split("### `covert`")[1].split("### ")[0]
    assert "- **Read by:** [`crime-prejudice-judged`]" in covert and "Decides" not in covert


def test_the_glossary_follows_how_a_part_is_decided(example: RuleBase) -> None:
    book = rule_book(example)
    headings = re.findall(r"^## (.+)$", book, re.MULTILINE)
    assert headings[1:4] == ["How a part is decided", "Glossary", "Provisions"]
    assert "- [How a part is decided](#how-a-part-is-decided)\n- [Glossary](#glossary)\n- [Provisions]" in book
    glossary = book.split("## Glossary\n\n")[1].split("\n\n")[0].splitlines()
    assert len(glossary) == len(GLOSSARY)
    terms = [line.split(":**")[0].removeprefix("- **") for line in glossary]
    for term in ("Limb", "Exclusion of the duty to confirm or deny", "Exemption", "Engaged", "Relied on",
                 "Set aside", "Considered, not engaged", "Absolute", "Qualified", "Class-based", "Prejudice",
                 "\"Required for\"", "Data protection principles", "Actionable breach of confidence",
                 "Held-invariance", "Derived fact", "Priority", "Second-officer sign-off",
                 "In the alternative"):
        assert term in terms, term
    prejudice = next(line for line in glossary if line.startswith("- **Prejudice:**"))
    assert "\"would\" means more probable than not" in prejudice
    assert "\"would be likely to\" means a real and significant risk" in prejudice


def test_limits_follow_the_glossary_and_are_left_out_when_there_are_none(gated: RuleBase,
                                                                          example: RuleBase) -> None:
    assert gated.meta.limits == ("Does not model the Environmental Information Regulations.",
                                 "Does not model   section 21 (reasonably accessible).")
    book = rule_book(gated)
    headings = re.findall(r"^## (.+)$", book, re.MULTILINE)
    assert headings[2:5] == ["Glossary", "Limits of this rule base", "Provisions"]
    assert "- [Glossary](#glossary)\n- [Limits of this rule base](#limits-of-this-rule-base)\n" in book
    limits = book.split("## Limits of this rule base\n")[1].split("\n## ")[0]
    assert "- Does not model the Environmental Information Regulations.\n" \
           "- Does not model section 21 (reasonably accessible).\n" in limits
    assert example.meta.limits == ()
    assert "Limits of this rule base" not in rule_book(example)


def test_citation_dates_are_the_version_relied_on() -> None:
    cited = Citation("ICO guidance on s31", "https://ico.org.uk/s31", date(2024, 3, 21))
    assert citation_text(cited) == "[ICO guidance on s31](https://ico.org.uk/s31) (version of 2024-03-21)"
    assert citation_text(Citation("FOIA 2000 s31(3)")) == "FOIA 2000 s31(3)"


def test_the_rule_book_judges_a_scenario_as_rules_test_does_held_invariance_included(
        shipped: RuleBase, shipped_assessor: Assessor) -> None:
    """A scenario whose outcome and provisions match but whose NCND changes with "held" fails in
    both places: the book prints the result `ncnd rules test` judges (scenarios.run_scenario)."""
    scenario = next(s for s in load_scenarios(SHIPPED, shipped) if s.outcome == "ncnd")
    original = shipped_assessor.held_invariant
    try:
        shipped_assessor.held_invariant = lambda part: False  # type: ignore[method-assign]
        result = run_scenario(shipped_assessor, scenario)
    finally:
        shipped_assessor.held_invariant = original  # type: ignore[method-assign]
    assert not result.passed
    assert result.outcome == "ncnd" and result.provisions == scenario.provisions
    book = rule_book(shipped, [result])
    assert "0 of 1 scenarios pass." in book
    assert f"- {scenario.name}: expects neither confirm nor deny; gives neither confirm nor deny citing " in book
    assert book.rstrip().endswith("**(FAILS)**")
    assert "; relied on; FAILS)" in book
