"""Deciding a request of many parts stays linear in the parts: counted, not timed (issue 13,
item 2; benchmarks/many_parts.py has the times)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from ncnd_assistant.decide import request_wide
from ncnd_assistant.decide.answers import ANY_OTHER, Request, load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.render.text import Memo, render_assessment, render_part
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import SEED


def many(rb: RuleBase, copies: int) -> Request:
    """The seed request with its two parts copied `copies` times (distinct ids and summaries); every
    other covert copy gives its own public-interest reason, so Stage 1 sees distinct answers, and
    answers held (false), which Stage 1 then ignores."""
    seed = load_request(SEED, rb)
    parts = []
    for i in range(copies):
        for p in seed.parts:
            answers = dict(p.answers)
            if "ncnd_pi_reason" in answers and i % 2:
                answers["ncnd_pi_reason"] = f"{answers['ncnd_pi_reason']} (copy {i})"
                answers["held"] = False
            parts.append(replace(p, id=f"{p.id}_{i}", summary=f"{p.summary} ({i})", answers=answers))
    return replace(seed, parts=tuple(parts))


def counted(rb: RuleBase, copies: int) -> tuple[int, dict[str, int]]:
    """The NCND parts of the request and the work its assessment did."""
    assessor = Assessor(rb)
    assessment = assessor.assess(many(rb, copies))
    assert assessment.held_invariant
    return sum(pa.outcome is Outcome.NCND for pa in assessment.parts), dict(assessor.counts)


def test_each_ncnd_part_is_assessed_once_more_for_held_invariance(shipped: RuleBase) -> None:
    # twice when held is not answered; once when it is: the part's own assessment is reused for its
    # own answer to held (before, always twice)
    for copies in (6, 20):
        ncnd, counts = counted(shipped, copies)
        assert ncnd == copies
        assert counts["assess_part"] == 2 * copies + 2 * ncnd - copies // 2


def test_stage_1_runs_once_per_distinct_set_of_stage_1_answers(shipped: RuleBase) -> None:
    # overt: one set of Stage-1 answers; covert: the seed's and one per odd copy
    for copies in (4, 16):
        _, counts = counted(shipped, copies)
        assert counts["stage1_run"] == 2 + copies // 2


def test_the_work_grows_linearly_with_the_parts(shipped: RuleBase) -> None:
    _, small = counted(shipped, 10)
    _, large = counted(shipped, 40)
    assert all(large[k] <= 4 * small[k] for k in small)


@pytest.mark.slow  # renders many parts at two widths: about 1 s of CPU
def test_repeated_explanation_lines_are_wrapped_once_and_drawn_the_same(shipped: RuleBase) -> None:
    assessment = Assessor(shipped).assess(many(shipped, 6))
    console = Console(file=io.StringIO(), width=80, highlight=False, soft_wrap=False)
    memo: Memo = {}
    for pa in assessment.parts:
        console.print(render_part(pa, True, memo))
    remembered = len(memo)
    for pa in assessment.parts * 3:
        console.print(render_part(pa, True, memo))
    assert 0 < remembered == len(memo)  # the repeated parts' lines were all drawn before
    plain = Console(file=io.StringIO(), width=80, highlight=False, soft_wrap=False)
    for pa in assessment.parts * 4:
        plain.print(render_part(pa, True))
    assert console.file.getvalue() == plain.file.getvalue()  # type: ignore[attr-defined]
    assert len(assessment.parts) < remembered < 30 * len(assessment.parts)
    drawn = Console(file=io.StringIO(), width=80, highlight=False, soft_wrap=False)
    drawn.print(render_assessment(assessment))
    assert plain.file.getvalue().startswith(drawn.file.getvalue().split("\n", 1)[1][:2000])  # type: ignore[attr-defined]


def test_each_summary_is_read_once_for_the_protective_parts(shipped: RuleBase,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # k "any other information" parts against n answered parts: k + n summaries read, not k + k * n
    parts = Assessor(shipped).assess(many(shipped, 10)).parts
    protective = tuple(replace(pa, part=replace(pa.part, kind=ANY_OTHER)) for pa in parts[1::2][:5])
    answered = parts[0::2]
    read: list[str] = []
    real = request_wide._words

    def words(text: str) -> set[str]:
        read.append(text)
        return real(text)

    monkeypatch.setattr(request_wide, "_words", words)
    notes = request_wide.protective_notes(protective + answered)
    assert len(read) == len(protective) + len(answered)
    assert not notes  # the seed's overt parts are worded narrowly
