"""The evaluation set of real decisions: every file reads and decides, and the agreement measures
count what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ncnd_assistant.checks.evaluation import (
    PartResult,
    Position,
    Totals,
    case_files,
    evaluate,
    load_case,
    markdown_table,
)
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError

ROOT = Path(__file__).parent.parent
CASES = ROOT / "evaluation" / "cases"


def test_every_evaluated_decision_reads_and_is_decided(shipped_assessor: Assessor) -> None:
    results, problems = evaluate(shipped_assessor, CASES)
    assert problems == []
    assert [r.message for r in results if r.tool is None] == []
    refs = {r.case.request.case_ref for r in results}
    assert len(refs) == len(case_files(CASES)) >= 40, "one decision per file, at least 40"


def test_every_decision_has_a_source_address_and_a_summary(shipped_assessor: Assessor) -> None:
    for path in case_files(CASES):
        case = load_case(path, shipped_assessor)
        assert re.match(r"https?://", case.url), path
        assert case.citation.strip(), path


def test_the_measures_count_a_confirm_or_deny_position_and_limbs(tmp_path: Path, shipped_assessor: Assessor) -> None:
    case_file = tmp_path / "c.yaml"
    source = (CASES / sorted(p.name for p in case_files(CASES))[0]).read_text(encoding="utf-8")
    case_file.write_text(source, encoding="utf-8")
    case = load_case(case_file, shipped_assessor)
    part = case.request.parts[0].id

    def result(tool: Position, final: Position, authority: Position) -> PartResult:
        return PartResult(type(case)(case.path, case.request, case.citation, case.url, case.body, True,
                                     {part: authority}, {part: final}), part, tool)

    ncnd = Position("ncnd", ("s31(3)",))
    confirm = Position("confirm_or_deny", ())
    held_not = result(Position("not_held", ()), confirm, ncnd)
    assert held_not.outcome_agrees and held_not.ncnd_wrongly_used
    still_ncnd = result(ncnd, confirm, ncnd)
    assert not still_ncnd.outcome_agrees
    more = result(Position("ncnd", ("s30(3)", "s31(3)")), ncnd, ncnd)
    assert more.outcome_agrees and more.limbs_covered and not more.limbs_exact and not more.ncnd_wrongly_used
    totals = Totals.of([held_not, still_ncnd, more])
    assert (totals.outcome_agree, totals.with_limbs, totals.limbs_covered, totals.limbs_exact) == (2, 1, 1, 0)
    assert (totals.wrongly_used, totals.wrongly_used_caught) == (2, 1)


def test_an_unknown_outcome_in_a_position_is_a_located_problem(tmp_path: Path, shipped_assessor: Assessor) -> None:
    bad = tmp_path / "bad.yaml"
    first = case_files(CASES)[0].read_text(encoding="utf-8")
    bad.write_text(re.sub(r"final_position: \{outcome: \w+", "final_position: {outcome: maybe", first, count=1),
                   encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        load_case(bad, shipped_assessor)
    assert any(p.code == "bad-value" and "maybe" in p.message for p in caught.value.problems)


def test_docs_evaluation_shows_the_current_table(shipped_assessor: Assessor) -> None:
    results, _ = evaluate(shipped_assessor, CASES)
    doc = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert markdown_table(results) in doc, "regenerate with: ncnd rules evaluate --format markdown"
