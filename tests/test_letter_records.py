"""A letter rebuilt from the log is never incomplete or unsigned by accident: undecided parts stop
it (or are marked), a decision awaiting four-eyes sign-off is marked until signed, and sign-off
needs a named decider and a different named signer. The requester goes into the letter only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.audit.export import REQUESTER_MASK, render_export
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.audit.signoff import sign_off
from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError, ExitCode
from ncnd_assistant.letter.from_records import IncompleteCaseError, notice_from_records
from ncnd_assistant.letter.notice import render_blocks
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import SEED
from tests.test_notice import WMP

REQUESTER = {"name": "Ms A Example", "address": "1 High Street\nBirmingham B1 1AA"}


def seed_log(tmp_path: Path, rb: RuleBase, assessor: Assessor, *, officer: str = "A. Officer",
             only: str | None = None, questions: dict[str, list[int]] | None = None) -> Path:
    """The seed's decisions in a log, as the interview records them (each naming every part)."""
    request = load_request(SEED, rb)
    case_parts = [(p.id, p.summary) for p in request.parts]
    log = tmp_path / "audit.jsonl"
    bodies = [decision_record(rb, pa, case_ref=request.case_ref, officer=officer, session="s1", final=pa.outcome,
                              received=date(2018, 5, 1), request=request.request, decided_on=date(2018, 5, 30),
                              requester=REQUESTER, case_parts=case_parts,
                              questions=(questions or {}).get(pa.part.id, ()))
              for pa in (assessor.assess_part(p) for p in request.parts) if only is None or pa.part.id == only]
    audit.append_many(log, bodies)
    return log


def records(log: Path) -> list[Any]:
    return audit.read_records(log, tolerant=True)


def decision_of(log: Path, part: str) -> DecisionRecord:
    [found] = [r for r in records(log) if isinstance(r, DecisionRecord) and r.part.id == part]
    return found


def letter(rb: RuleBase, log: Path, part: str = "covert", **kwargs: Any) -> str:
    draft, _ = notice_from_records(rb, records(log), decision_of(log, part), WMP, **kwargs)
    return " ".join(render_blocks(draft.blocks).split())


def test_an_undecided_part_stops_the_letter(tmp_path: Path, shipped: RuleBase, shipped_assessor: Assessor) -> None:
    log = seed_log(tmp_path, shipped, shipped_assessor, only="covert")
    with pytest.raises(IncompleteCaseError) as caught:
        notice_from_records(shipped, records(log), decision_of(log, "covert"), WMP)
    assert caught.value.exit_code is ExitCode.FAILED
    assert "'overt' (Overt use of facial recognition technology on CCTV imagery)" in str(caught.value)
    assert "--allow-incomplete" in str(caught.value)
    text = letter(shipped, log, allow_incomplete=True)
    assert "[PART NOT YET DECIDED: overt use of facial recognition technology on CCTV imagery." in text
    assert text.index("PART NOT YET DECIDED") < text.index("neither confirm nor deny")  # in the request's order
    assert "NOT READY TO SEND" in text


def test_a_decided_case_gives_the_whole_letter(tmp_path: Path, shipped: RuleBase, shipped_assessor: Assessor) -> None:
    log = seed_log(tmp_path, shipped, shipped_assessor, questions={"overt": [1, 2], "covert": [3, 4]})
    text = letter(shipped, log)
    assert "PART NOT YET DECIDED" not in text
    assert "Date: 30 May 2018" in text  # the decision's date
    assert "Dear Ms A Example," in text and "1 High Street Birmingham B1 1AA" in text
    assert "This is our response to questions 1 and 2 of your request." in text
    assert "This is our response to questions 3 and 4 of your request." in text


def test_a_letter_awaiting_sign_off_is_marked_until_signed(tmp_path: Path, shipped: RuleBase,
                                                           shipped_assessor: Assessor) -> None:
    log = seed_log(tmp_path, shipped, shipped_assessor)
    covert = decision_of(log, "covert")
    assert covert.sign_off_required is True
    draft, _ = notice_from_records(shipped, records(log), covert, WMP)
    marks = [b.text for b in draft.blocks if b.kind == "mark"]
    assert marks and marks[0].startswith("NOT READY TO SEND: 1 part(s) awaiting sign-off")
    assert any(m.startswith("AWAITING SIGN-OFF BY A SECOND OFFICER") and "s24(2)" in m for m in marks)
    assert any("Sign-off:" in note for note in draft.officer_notes)
    sign_off(log, covert.id, "B. Reviewer")
    text = letter(shipped, log)
    assert "AWAITING SIGN-OFF" not in text and "NOT READY TO SEND" not in text


def test_four_eyes_needs_a_named_decider_and_a_different_named_signer(tmp_path: Path, shipped: RuleBase,
                                                                      shipped_assessor: Assessor) -> None:
    anonymous = seed_log(tmp_path / "a", shipped, shipped_assessor, officer="")
    with pytest.raises(audit.AuditError, match="records no deciding officer"):
        sign_off(anonymous, decision_of(anonymous, "covert").id, "B. Reviewer")
    assert "AWAITING SIGN-OFF" in letter(shipped, anonymous)  # still unsigned
    named = seed_log(tmp_path / "b", shipped, shipped_assessor, officer="A. Officer")
    covert = decision_of(named, "covert").id
    with pytest.raises(audit.AuditError, match="four eyes: A. Officer made decision"):
        sign_off(named, covert, "a.  officer")
    with pytest.raises(audit.AuditError, match="needs the name"):
        sign_off(named, covert, "  ")
    assert sign_off(named, covert, "B. Reviewer").decided_by == "A. Officer"


def test_the_requester_is_recorded_apart_and_masked_in_exports(tmp_path: Path, shipped: RuleBase,
                                                               shipped_assessor: Assessor) -> None:
    log = seed_log(tmp_path, shipped, shipped_assessor)
    covert = decision_of(log, "covert")
    assert covert.requester is not None and covert.requester.name == "Ms A Example"
    raw = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert raw["requester"] == REQUESTER and "requester" not in raw["part"]
    for fmt in ("json", "markdown"):
        assert "Ms A Example" not in render_export(covert, fmt).text
    assert REQUESTER_MASK in render_export(covert, "json").text
    assert "Ms A Example" not in render_export(covert, "json", mask_sensitive=False).text  # applicant-blind: always
    assert audit.read_records(log)[0].to_json() == raw  # read and written back unchanged


def test_answers_files_give_the_requester_and_question_numbers(tmp_path: Path, shipped: RuleBase) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(text.replace("regime: foia\n", "regime: foia\nrequester:\n  name: Ms A Example\n"
                                                  "  address: 1 High Street\n")
                    .replace("  - id: covert\n", "  - id: covert\n    questions: [3, 4]\n"), encoding="utf-8")
    request = load_request(path, shipped)
    assert request.requester_name == "Ms A Example" and request.requester_address == "1 High Street"
    assert [p.questions for p in request.parts] == [(), (3, 4)]
    path.write_text(text.replace("  - id: covert\n", "  - id: covert\n    questions: [0]\n"), encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        load_request(path, shipped)
    assert [p.code for p in caught.value.problems] == ["bad-value"]
