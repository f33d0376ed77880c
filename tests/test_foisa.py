"""The shipped FOISA rule base (rules/foisa): its law, scenarios, letter and the regime plumbing
(the rule base found by regime, its letter sections checked against its regime, Scotland's calendar)."""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ncnd_assistant.checks.coverage import coverage
from ncnd_assistant.checks.evaluation import Totals, evaluate, markdown_table
from ncnd_assistant.checks.lint import has_errors, lint
from ncnd_assistant.checks.scenarios import ScenarioResult, load_scenarios, run_scenario, scenario_files
from ncnd_assistant.cli import app
from ncnd_assistant.decide.answers import Part, load_request, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.letter.workdays import SCOTLAND, UK_NATIONS, calendar_for, due_date, is_working_day
from ncnd_assistant.render.rulebook import rule_book
from ncnd_assistant.render.rulebook_index import exercises, not_engaged
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir, shipped_rules_dir
from ncnd_assistant.rulebase.model import Limb, Outcome, RuleBase
from ncnd_assistant.rulebase.regime import FOIA_WORDED, regime_problems, sections_needed
from tests.conftest import ROOT, SHIPPED, shipped_rulebase
from tests.test_rule_files import misnamed, restated_defaults
from tests.test_scenarios import random_answers

FOISA = ROOT / "rules" / "foisa"
EXAMPLE = ROOT / "examples" / "police-scotland-covert-foisa.yaml"
runner = CliRunner()

# FOISA s18(1) as amended by the FOI (Amendment) (Scotland) Act 2013 s2: "sections 28 to 35, 38, 39(1) or 41"
S18_LIST = {f"s{n}" for n in range(28, 36)} | {"s38", "s39(1)", "s41"}


@functools.cache
def foisa() -> RuleBase:
    return load_rulebase(FOISA)


@functools.cache
def results() -> tuple[ScenarioResult, ...]:
    assessor = Assessor(foisa())
    return tuple(run_scenario(assessor, s) for s in load_scenarios(FOISA, foisa()))


def _decide(answers: dict[str, Value], held: bool) -> tuple[str, list[str]]:
    pa = Assessor(foisa()).assess_part(Part("p", "", {**answers, "held": held}))
    return pa.outcome.value, sorted(c.provision.id for c in pa.decision.cited)


# ---------------------------------------------------------------- the rule base and its law


def test_the_foisa_rule_base_loads_lints_clean_and_declares_its_regime() -> None:
    rb = foisa()
    assert (rb.meta.id, rb.meta.regime) == ("foisa-ncnd", "foisa")
    assert not has_errors(lint(rb)) and lint(rb) == []
    assert all(p.act == "FOISA 2002" for p in rb.provisions)


def test_every_refusal_to_confirm_or_deny_is_s18_read_with_an_exemption_s18_lists() -> None:
    """s18(1) is the only FOISA route to "neither confirm nor deny", and only for ss28-35, 38, 39(1), 41."""
    ncnd = [p for p in foisa().provisions if p.limb is Limb.NCND]
    assert ncnd
    for p in ncnd:
        base, _, exemption = p.id.partition("-")
        assert base == "s18(1)", p.id
        section = re.match(r"s\d+", exemption)
        assert section is not None and (section.group() in S18_LIST or exemption.startswith("s39(1)")), p.id
        assert not exemption.startswith("s39(2)"), "s39(2) (environmental) is not in s18(1)'s list"
        # s18(1) always asks whether revealing existence would be contrary to the public interest,
        # even where the exemption itself is absolute (s38): so every s18 limb is qualified
        assert p.exemption == "qualified", p.id
    assert {p.id for p in ncnd} >= {"s18(1)-s35(1)", "s18(1)-s31(1)", "s18(1)-s38(1)(b)"}


def test_personal_data_is_not_an_automatic_refusal_to_confirm_or_deny_as_under_foia_s40_5() -> None:
    """Unlike FOIA s40(5A)/(5B), s18(1) with s38 needs the public interest finding."""
    base: dict[str, Value] = {"s14_ground": "no", "cost_exceeds": False, "covert_tactic": False, "investigation": False,
            "security_matter": False, "safety_concern": False, "officially_revealed": False,
            "s18_pi_reason": "Revealing whether records exist would reveal police contact with the person."}
    own: dict[str, Value] = {"personal_data": "requester"}
    others: dict[str, Value] = {"personal_data": "third_party", "dp_contravene": True}
    for data in (own, others):
        assert _decide({**base, **data, "s18_pi_contrary": True}, held=True)[0] == "ncnd"
        outcome, cited = _decide({**base, **data, "s18_pi_contrary": False}, held=True)
        assert outcome == "withhold" and cited and all(c.startswith("s38(1)") for c in cited)


def test_the_foisa_scenarios_pass_cover_everything_and_hold_for_held_and_not_held() -> None:
    runs = results()
    failed = [r.message for r in runs if not r.passed]
    assert failed == []
    assert coverage(foisa(), runs).percent == 100.0
    assert {r.outcome for r in runs} == {o.value for o in Outcome} - {"eir"}


def test_every_foisa_provision_is_engaged_twice_and_considered_but_not_engaged_once() -> None:
    runs = results()
    counts = {p.id: (sum(exercises(r, p.id) for r in runs), len(not_engaged(foisa(), p, runs)))
              for p in foisa().provisions}
    assert {pid: c for pid, c in counts.items() if c[0] < 2 or c[1] < 1} == {}


# ---------------------------------------------------------------- the example, the decision and the letter


def test_the_police_scotland_example_is_decided_by_the_shipped_foisa_rule_base_without_rules() -> None:
    source = read_answers(EXAMPLE)
    assert source.regime == "foisa"
    rb = load_rulebase(None, regime=source.regime)
    assert rb.meta.id == "foisa-ncnd"
    assessment = Assessor(rb).assess(load_request(EXAMPLE, rb))
    got = {pa.part.id: (pa.outcome.value, sorted(c.provision.id for c in pa.decision.cited))
           for pa in assessment.parts}
    assert got == {"policy": ("not_held", []), "covert": ("ncnd", ["s18(1)-s31(1)", "s18(1)-s35(1)"])}


def test_the_foisa_decision_and_letter_cite_scots_law_and_the_scottish_information_commissioner(
        tmp_path: Path) -> None:
    decided = runner.invoke(app, ["decide", "--answers", str(EXAMPLE), "--format", "markdown"])
    assert decided.exit_code == 0, decided.output
    assert "FOISA" in decided.output
    assert not re.search(r"\bFOIA 2000\b|Freedom of Information Act 2000", decided.output)
    notice, log = tmp_path / "notice.md", tmp_path / "audit.log"
    interview = runner.invoke(app, ["interview", "--answers", str(EXAMPLE), "--notice-out", str(notice),
                                    "--audit", str(log)], input="")
    assert interview.exit_code == 0, interview.output
    letter = notice.read_text(encoding="utf-8")
    assert "Scottish Information Commissioner" in letter and "Court of Session" in letter
    assert "section 18(1)" in letter and "section 20(1)" in letter
    for wrong in ("Wilmslow", "Information Commissioner's Office", "Freedom of Information Act 2000",
                  "section 50", "section 17(4)"):
        assert wrong not in letter, wrong


# ---------------------------------------------------------------- the evaluation set (SIC decisions)


def test_the_foisa_evaluation_set_has_ten_sic_decisions_and_the_docs_show_its_table() -> None:
    results_, problems = evaluate(Assessor(foisa()), ROOT / "evaluation" / "foisa")
    assert problems == []
    cases = {r.case.path for r in results_}
    assert len(cases) >= 10 and {r.case.body for r in results_} == {"sic"}
    totals = Totals.of(results_)
    assert totals.decided == totals.parts and totals.outcome_agree == totals.parts
    assert totals.wrongly_used >= 1 and totals.wrongly_used_caught == totals.wrongly_used
    doc = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert markdown_table(results_) in doc, (
        "regenerate with: ncnd rules evaluate --rules rules/foisa --cases evaluation/foisa --format markdown")


# ---------------------------------------------------------------- the regime plumbing


def test_the_shipped_rule_bases_are_found_by_regime_in_the_checkout_and_the_wheel() -> None:
    assert resolve_rules_dir(None, "foisa") == FOISA
    assert resolve_rules_dir(None, "foia") == SHIPPED
    assert shipped_rules_dir("foisa") == FOISA and shipped_rules_dir("nonesuch") is None
    assert shipped_rules_dir("../foia") is None
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # the whole rules/ folder travels in the wheel, so every regime's rule base is packaged
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["rules"] == "ncnd_assistant/_rules"


def test_a_foisa_request_given_the_foia_rule_base_is_told_where_the_shipped_foisa_one_is() -> None:
    result = runner.invoke(app, ["decide", "--answers", str(EXAMPLE), "--rules", str(SHIPPED)])
    assert result.exit_code == 4
    assert "wrong-regime" in result.output and "the shipped FOISA rule base is" in result.output
    assert "none is shipped" not in result.output


def test_the_letter_sections_a_regime_needs_are_checked_against_what_the_rule_base_words() -> None:
    assert regime_problems(foisa()) == [] and regime_problems(shipped_rulebase()) == []
    assert "eir" not in sections_needed(foisa())  # no FOISA rule sends a part to the EIR
    assert "eir" in sections_needed(shipped_rulebase())
    assert set(sections_needed(foisa())) >= {"duty", "reasons_withheld", "reasons_partly_withheld", "rights", "due"}
    assert {"not_held", "ncnd", "ncnd_caveat", "authority"}.isdisjoint(FOIA_WORDED)  # neutral by default


def test_a_foisa_rule_base_that_leaves_the_rights_to_the_foia_default_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "foisa"
    folder.mkdir()
    for path in FOISA.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "notice.yaml":
            text = text[:text.index("  rights: >-")] + text[text.index("  due: >-"):]
        (folder / path.name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--rules", str(folder)])
    assert result.exit_code == 3
    assert "rulebase.yaml:" in result.stderr and "regime-letter:" in result.stderr
    assert "does not word rights:" in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------- Scotland's working days (FOISA s73)


def test_foisa_counts_only_scottish_bank_holidays() -> None:
    assert calendar_for("foisa") == SCOTLAND and calendar_for("foia") == calendar_for("eir") == UK_NATIONS
    assert is_working_day(date(2025, 4, 21), SCOTLAND) and not is_working_day(date(2025, 4, 21))  # Easter Monday
    assert is_working_day(date(2025, 8, 25), SCOTLAND)  # the English summer bank holiday
    assert not is_working_day(date(2025, 8, 4), SCOTLAND)  # Scotland's summer bank holiday
    assert not is_working_day(date(2025, 12, 1), SCOTLAND)  # St Andrew's Day (observed)
    assert not is_working_day(date(2025, 1, 2), SCOTLAND) and not is_working_day(date(2025, 4, 18), SCOTLAND)
    assert due_date(date(2025, 4, 10), nations=SCOTLAND) == date(2025, 5, 12)  # UK-wide: 13 May
    assert due_date(date(2025, 8, 1), nations=SCOTLAND) == date(2025, 9, 1)  # UK-wide: 2 September
    assert due_date(date(2025, 4, 10)) == date(2025, 5, 13)  # the default is unchanged


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_a_scottish_due_date_is_the_20th_scottish_working_day_and_never_later_than_the_uk_one(received: date) -> None:
    due = due_date(received, nations=SCOTLAND)
    assert is_working_day(due, SCOTLAND) and due <= due_date(received)
    days = [received + timedelta(days=n) for n in range(1, (due - received).days + 1)]
    assert sum(is_working_day(d, SCOTLAND) for d in days) == 20


@pytest.mark.parametrize("regime", ["foia", "eir", "foisa"])
def test_calendar_for_every_regime_names_gb_subdivisions(regime: str) -> None:
    assert set(calendar_for(regime)) <= set(UK_NATIONS)


def test_the_interview_gives_a_foisa_due_date_on_the_scottish_calendar(tmp_path: Path) -> None:
    result = runner.invoke(app, ["interview", "--prompt", "--case-ref", "S-1", "--rules", str(FOISA),
                                 "--notice-out", str(tmp_path / "n.md"), "--audit", str(tmp_path / "a.jsonl")],
                           input="2025-04-10\nA request.\n.\nJo Officer\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"})
    # Easter Monday (21 April 2025) is a working day under FOISA s73, so the limit is a day earlier
    assert "Response due by Monday 12 May 2025" in result.output, result.output
    assert "FOISA s10(1)" in result.output and "FOIA s10(1)" not in result.output


@functools.cache
def _assessors() -> tuple[Assessor, Assessor]:
    return Assessor(foisa()), Assessor(foisa(), engine="python")


@settings(max_examples=60, deadline=None)
@given(answers=st.deferred(lambda: random_answers(foisa())))
def test_on_random_answers_both_engines_agree_and_a_refusal_to_confirm_or_deny_never_depends_on_held(
        answers: dict[str, Value]) -> None:
    durable, python = _assessors()
    part = Part("random", "random answers", answers)
    by_durable = durable.assess_part(part)
    assert by_durable == python.assess_part(part)
    if by_durable.outcome is Outcome.NCND:
        assert durable.held_invariant(part)
        assert all(c.provision.id.startswith("s18(1)-") for c in by_durable.decision.cited)


def test_the_foisa_rule_files_follow_the_naming_scheme_and_scenarios_stay_lean() -> None:
    assert misnamed(FOISA) == []
    assert [found for path in scenario_files(FOISA) for found in restated_defaults(foisa(), path)] == []


def test_the_foisa_rule_book_states_scots_law_not_foia_sections() -> None:
    book = rule_book(foisa())
    procedure = book.split("## How a part is decided", 1)[1].split("## Limits", 1)[0]
    assert "s18(1)" in procedure and "s2(1)(b)" in procedure
    for foia_only in ("s1(1)(a)", "s1(1)(b)", "s2(2)(b)", "s23(5)", "s24(2)", "s40"):
        assert foia_only not in procedure, foia_only
    assert "S18(1)-S31(1) Refusal to Confirm or Deny: National Security" in book
