"""The EIR rule base (rules/eir): it loads and lints clean, its scenarios pass at full coverage with
every provision engaged twice and considered-but-not-engaged once, NCND stays held-invariant, the
letter is worded for the EIR, a `regime: eir` request is routed to it, and its evaluation set decides."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ncnd_assistant.checks.coverage import coverage
from ncnd_assistant.checks.evaluation import case_files, evaluate
from ncnd_assistant.checks.lint import lint
from ncnd_assistant.checks.scenarios import ScenarioResult, load_scenarios, run_scenario, scenario_files
from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError
from ncnd_assistant.letter.notice import NoticePart, letter_draft, render_notice
from ncnd_assistant.render.rulebook_index import exercises, not_engaged
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir
from ncnd_assistant.rulebase.model import Limb, Outcome, RuleBase
from tests.conftest import ROOT
from tests.test_rule_files import misnamed, restated_defaults

EIR = ROOT / "rules" / "eir"
EXAMPLE = ROOT / "examples" / "eir-nuclear-convoys.yaml"
CASES = ROOT / "evaluation" / "eir"


@functools.cache
def eir_rulebase() -> RuleBase:
    return load_rulebase(EIR)


@functools.cache
def eir_results() -> tuple[ScenarioResult, ...]:
    assessor = Assessor(eir_rulebase())
    return tuple(run_scenario(assessor, s) for s in load_scenarios(EIR, eir_rulebase()))


@pytest.fixture(scope="module")
def rb() -> RuleBase:
    return eir_rulebase()


@pytest.fixture(scope="module")
def assessor(rb: RuleBase) -> Assessor:
    return Assessor(rb)


def test_the_eir_rule_base_declares_its_regime_and_lints_clean(rb: RuleBase) -> None:
    assert rb.meta.regime == "eir"
    assert lint(rb, today=date(2026, 12, 2)) == []
    assert {p.act for p in rb.provisions} == {"EIR 2004"}


def test_every_eir_scenario_passes_at_full_coverage() -> None:
    results = eir_results()
    assert [r.message for r in results if not r.passed] == []
    measured = coverage(eir_rulebase(), results)
    assert {m.name: m.never for m in measured.measures} == {
        "rules fired": (), "questions asked": (), "outcomes reached": (), "provisions engaged": ()}
    assert len(results) >= 30


def test_every_eir_provision_is_engaged_twice_and_considered_but_not_engaged_once(rb: RuleBase) -> None:
    results = eir_results()
    counts = {p.id: (sum(exercises(r, p.id) for r in results), len(not_engaged(rb, p, results)))
              for p in rb.provisions}
    assert {pid: c for pid, c in counts.items() if c[0] < 2 or c[1] < 1} == {}


def test_the_eir_has_ncnd_only_for_reg_12_5_a_interests_and_personal_data(rb: RuleBase) -> None:
    """reg 12(6) (the 12(5)(a) interests) and reg 13(5A): no NCND for law enforcement or the others."""
    ncnd = {p.id: p.exemption for p in rb.provisions if p.limb is Limb.NCND}
    assert ncnd == {"reg12(6)": "qualified", "reg13(5A)": "absolute"}
    assert rb.meta.sign_off == ("reg12(6)",)


def test_every_eir_exception_but_reg_13_carries_the_public_interest_test(rb: RuleBase) -> None:
    """reg 12(1)(b): every reg 12 exception is qualified, including the refusals 12(4)(b) and (c)."""
    kinds = {p.id: p.exemption for p in rb.provisions if p.limb is not Limb.NCND}
    assert {pid for pid, kind in kinds.items() if kind != "qualified"} == {"reg13(1)"}
    assert {p.id for p in rb.provisions if p.limb is Limb.REFUSE} == {"reg12(4)(b)", "reg12(4)(c)"}


def test_ncnd_scenarios_are_held_invariant(assessor: Assessor) -> None:
    ncnd = [r for r in eir_results() if r.outcome == Outcome.NCND.value]
    assert len(ncnd) >= 5
    assert all(assessor.held_invariant(r.scenario.part) for r in ncnd)


def test_the_emissions_override_removes_12_5_d_to_g_but_not_the_others() -> None:
    by_name = {r.scenario.name: r for r in eir_results()}
    discharges = next(r for name, r in by_name.items() if "discharges into a river" in name)
    assert discharges.outcome == "disclose" and discharges.assessed is not None
    assert {c.provision.id for c in discharges.assessed.decision.set_aside} == {"reg12(5)(d)", "reg12(5)(f)"}
    incinerator = next(r for name, r in by_name.items() if "incinerator" in name)
    assert incinerator.provisions == ("reg13(1)",)


def test_the_shipped_eir_files_follow_the_naming_scheme_and_keep_their_defaults(rb: RuleBase) -> None:
    assert misnamed(EIR) == []
    assert [found for path in scenario_files(EIR) for found in restated_defaults(rb, path)] == []


def test_a_regime_eir_request_is_routed_to_the_eir_rule_base() -> None:
    assert resolve_rules_dir(ROOT / "rules", "eir") == EIR
    assert resolve_rules_dir(ROOT / "rules", "foia") == ROOT / "rules" / "foia"
    request = load_request(EXAMPLE, eir_rulebase())
    assert request.regime == "eir"


def test_a_foia_rule_base_refuses_an_eir_request() -> None:
    with pytest.raises(AnswersError) as refused:
        load_request(EXAMPLE, load_rulebase(ROOT / "rules" / "foia"))
    assert [p.code for p in refused.value.problems] == ["wrong-regime"]


def _letter(assessor: Assessor, path: Path) -> str:
    request = load_request(path, assessor.rulebase)
    parts = [NoticePart(pa, pa.outcome) for pa in (assessor.assess_part(p) for p in request.parts)]
    return render_notice(assessor.rulebase, request.case_ref, request.received, request.request, parts)


def _due_note(assessor: Assessor, path: Path) -> str:
    """The due-date line the officer is shown beside the letter (it is not part of the letter)."""
    request = load_request(path, assessor.rulebase)
    parts = [NoticePart(pa, pa.outcome) for pa in (assessor.assess_part(p) for p in request.parts)]
    draft = letter_draft(assessor.rulebase, request.case_ref, request.received, request.request, parts)
    return "\n".join(draft.officer_notes)


def test_the_eir_letter_cites_the_eir_and_its_own_routes_not_foia_s1_or_s17(assessor: Assessor) -> None:
    letter = _letter(assessor, EXAMPLE)
    assert "Environmental Information Regulations 2004" in letter
    assert "regulation 11" in letter and "40 working days" in letter
    assert "as applied by regulation 18" in letter and "Information Commissioner" in letter
    assert "regulation 5(2)" in _due_note(assessor, EXAMPLE) and "regulation 7" in _due_note(assessor, EXAMPLE)
    assert "regulation 12(7)" in letter  # the NCND caveat
    assert not re.search(r"s17|section 17|s1\(1\)|section 1 of|s10\(1\)|FOIA\)", letter)


def test_the_eir_letter_of_an_ncnd_part_does_not_change_with_holding(assessor: Assessor) -> None:
    request = load_request(EXAMPLE, assessor.rulebase)
    convoys = next(p for p in request.parts if p.id == "convoys")
    texts = set()
    for held in (True, False):
        pa = assessor.assess_part(replace(convoys, answers={**convoys.answers, "held": held}))
        assert pa.outcome is Outcome.NCND
        texts.add(render_notice(assessor.rulebase, request.case_ref, request.received, request.request,
                                [NoticePart(pa, pa.outcome)]))
    assert len(texts) == 1


def test_the_eir_evaluation_set_reads_and_decides(assessor: Assessor) -> None:
    results, problems = evaluate(assessor, CASES)
    assert problems == []
    assert [r.message for r in results if r.tool is None] == []
    assert len({r.case.path for r in results}) == len(case_files(CASES)) >= 10
    assert all(r.case.request.regime == "eir" for r in results)
    assert all(re.match(r"https?://", r.case.url) for r in results)


def test_decide_without_rules_answers_an_eir_request_under_the_eir() -> None:
    from typer.testing import CliRunner

    from ncnd_assistant.cli import app

    result = CliRunner().invoke(app, ["decide", "--answers", str(EXAMPLE), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "Rule base `eir-ncnd`" in result.output
    assert "reg12(6)" in result.output and "reg13(1)" in result.output
    assert "s24(2)" not in result.output and "FOIA 2000" not in result.output


def test_the_eir_rule_book_states_the_eir_not_foia(rb: RuleBase) -> None:
    """The group headings, procedure, glossary and each provision's limb and test are the EIR's."""
    from ncnd_assistant.checks.scenarios import load_scenarios as scenarios_of
    from ncnd_assistant.render.rulebook import rule_book

    book = rule_book(rb, [run_scenario(Assessor(rb), s) for s in scenarios_of(EIR, rb)])
    front = book.split("## Limits of this rule base")[0]
    assert "presumption in favour of disclosure" in front and "reg 13(5A)" in front
    assert "**Emissions:**" in front and "**Exception:**" in front
    assert not re.search(r"s1\(1\)|s2\(1\)|s12\(|s14|s23\(5\)|s24\(2\)|s40|s41", front)
    provisions = book.split("## Provisions")[1].split("## Questions")[0]
    assert "s1(1)" not in provisions and "would, or would be likely to" not in provisions
    assert "### Exceptions to the duty to make information available (Stage 2)" in provisions
    assert "reg 12(7)" in provisions
