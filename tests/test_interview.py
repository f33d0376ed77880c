"""The interview, driven through Typer's test runner and directly with injected input."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.cli.interview import TerminalInterview
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.interview.session import Session
from ncnd_assistant.letter.workdays import long_date
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import SEED, check_golden

runner = CliRunner()

# Enter at "Which law applies?" (FOIA, the default), then the date, the request and the officer
CASE = ["", "2018-05-01", "Does the force use facial recognition on CCTV?", ".", "Jo Officer"]
PARTS = ["overt", "Overt use of facial recognition on CCTV", "facial-recognition, cctv", "y",
         "covert", "Covert use of facial recognition", "facial-recognition", "n"]
OVERT = ["n", "n", "n", "n", "n", "n", "n", "n", "no", "n", "n"]  # stage 1 (10 questions), then held
# the covert part: copy the overt answers, change covert_tactic (item 4 in review), answer the rest
REASON = "A yes or no would tell offenders whether this covert capability exists here."
COVERT = ["1", "4", "y", "y", "1", "3", "n", "1", "y", REASON]


def run(tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, str, Path, Path]:
    notice, audit = tmp_path / "notice.md", tmp_path / "audit.jsonl"
    result = runner.invoke(app, ["interview", "--prompt", "--case-ref", "T-1", "--notice-out", str(notice),
                                 "--audit", str(audit), *extra], input="\n".join(lines) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    return result.exit_code, result.output, notice, audit


def records(audit: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]


def test_the_seed_end_to_end_with_help_why_back_and_review(tmp_path: Path) -> None:
    overt = ["?", "why"] + OVERT[:3] + ["back", ""] + OVERT[3:] + ["review", "", "a"]
    code, out, notice, audit = run(tmp_path, CASE + PARTS + overt + COVERT + ["e", "a"])
    assert code == 0, out
    assert "Response due by Thursday 31 May 2018" in out  # 20 working days; 7 and 28 May are bank holidays
    assert "FOIA s12(2)" not in out or "Help" in out
    assert "Help" in out and "Provisions that depend on this answer" in out
    assert "Answers for part 'overt'" in out and "Answers for part 'covert'" in out
    assert "Neither confirm nor deny" in out and "S24(2) National Security" in out and "S31(3) Law" in out
    assert "Held-invariance: everything above is identical" in out
    assert "Why" in out  # the explanation on request
    weigh = out.index("Weigh the public interest")
    factors = out.index("factor(s) favouring confirming or denying", weigh)
    assert factors < out.index("does the public interest in", weigh)
    assert "The rules recommend" in out[weigh:]
    decisions = records(audit)
    assert [(r["part"]["id"], r["decision"]["outcome"]) for r in decisions] == [("overt", "not_held"),
                                                                                 ("covert", "ncnd")]
    assert decisions[1]["decision"]["provisions"] == ["s24(2)", "s31(3)"]
    assert decisions[1]["prev_hash"] == decisions[0]["hash"]
    assert {q["id"]: q["answer"] for q in decisions[1]["questions"]}["covert_tactic"] == "Yes"
    text = notice.read_text(encoding="utf-8")
    assert "can neither confirm nor deny" in text and "S24(2) and S31(3)" in text and "is not held" in text


def test_back_keeps_the_later_answers(tmp_path: Path) -> None:
    # answer three questions, step back twice, keep that answer with Enter: the interview goes on
    # to the first unanswered question, without re-asking the one in between
    lines = CASE + ["overt", "Overt", "", "n"] + OVERT[:3] + ["back", "back", ""] + OVERT[3:] + ["a"]
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    assert out.count("Is this request vexatious?") == 1
    assert out.count("Would the estimated cost of establishing whether") == 2  # asked, then stepped back to
    assert out.count("Would confirming or denying reveal anything (recorded or not) supplied") == 2  # passed over
    assert "Enter keeps 'No'" in out
    assert records(audit)[0]["decision"]["outcome"] == "not_held"


def test_invalid_answers_are_reasked_with_a_hint(tmp_path: Path) -> None:
    lines = CASE + ["overt", "Overt", "", "n", "maybe", "2"] + OVERT + ["a"]
    code, out, _, _ = run(tmp_path, lines)
    assert code == 0, out
    assert out.count("Please answer yes or no") == 2
    assert "Traceback" not in out


def test_an_override_needs_a_reason_and_is_recorded(tmp_path: Path) -> None:
    # withhold; Enter keeps the (empty) provisions; an empty reason is refused
    lines = CASE + ["overt", "Overt", "", "n"] + OVERT + ["o", "9", "2", "", "", "The requester already has it"]
    code, out, notice, audit = run(tmp_path, lines)
    assert code == 0, out
    assert "An override needs a reason" in out
    (record,) = records(audit)
    assert record["recommendation"]["outcome"] == "not_held"
    assert record["decision"]["outcome"] == "withhold"
    assert record["override"] == {"reason": "The requester already has it", "provisions_added": [],
                                  "provisions_dropped": []}


@pytest.mark.parametrize("cancel", ["", "back", "q", "quit"])
def test_an_override_can_be_cancelled_at_the_number(tmp_path: Path, cancel: str) -> None:
    lines = CASE + ["overt", "Overt", "", "n"] + OVERT + ["o", cancel, "a"]
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    assert "Override cancelled; nothing was changed." in out
    (record,) = records(audit)
    assert record["decision"]["outcome"] == "not_held" and record["override"] is None


def test_an_override_cancelled_at_the_provisions_or_the_reason_changes_nothing(tmp_path: Path) -> None:
    lines = CASE + ["overt", "Overt", "", "n"] + OVERT + ["o", "2", "back", "o", "2", "", "q", "a"]
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    assert out.count("Override cancelled; nothing was changed.") == 2
    assert records(audit)[0]["override"] is None


def test_an_override_adds_and_drops_provisions_from_the_rule_base_list(tmp_path: Path) -> None:
    # withhold: the list of withholding provisions, with titles; add S21 and S31(1), then drop S31(1)
    lines = (CASE + ["overt", "Overt", "", "n"] + OVERT
             + ["o", "2", "+{s21}, +{s31}", "-{s31}", "", "The information is on the force website"])
    from ncnd_assistant.rulebase.loader import load_rulebase
    from ncnd_assistant.rulebase.model import section_key
    listed = sorted((p.id for p in load_rulebase(None).provisions if p.limb == "withhold"), key=section_key)
    numbers = {"s21": listed.index("s21") + 1, "s31": listed.index("s31(1)") + 1}
    lines = [line.format(**numbers) for line in lines]
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    assert "S21 Information Accessible" in out  # titles, cut to fit the columns
    (record,) = records(audit)
    assert record["recommendation"] == {"outcome": "not_held", "provisions": []}
    assert record["decision"] == {"outcome": "withhold", "provisions": ["s21"]}
    assert record["override"]["provisions_added"] == ["s21"] and record["override"]["provisions_dropped"] == []


def test_end_of_input_saves_and_resume_continues_at_the_same_question(tmp_path: Path) -> None:
    code, out, _, _ = run(tmp_path, CASE + ["overt", "Overt", "", "n"] + OVERT[:4])
    assert code != 0
    assert "Your answers are saved. Resume with:" in out
    path = Path(out.split("--resume ", 1)[1].split()[0])
    session = Session.load(path)
    assert session.parts[0].answers == {"vexatious": False, "confirm_cost_exceeds": False,
                                        "security_body": False, "covert_tactic": False}
    assert session.parts[0].pending == "security_matter"
    result = runner.invoke(app, ["interview", "--prompt", "--resume", str(path)],
                           input="\n".join(OVERT[4:] + ["a"]) + "\n", env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert "Does this part concern national security, terrorism or counter-terrorism?" in result.output
    assert "Is this request vexatious?" not in result.output
    assert Session.load(path).finished


def test_quit_saves_and_prints_the_resume_command(tmp_path: Path) -> None:
    code, out, _, _ = run(tmp_path, CASE + ["overt", "Overt", "", "n", "n", "quit"])
    assert code == 0
    assert "Interview paused. Your answers are saved. Resume with:" in out and "ncnd interview --resume" in out


def test_scripted_answers_without_a_terminal_run_straight_to_the_decision(tmp_path: Path) -> None:
    notice, audit = tmp_path / "n.md", tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--case-ref", "FLAG-WINS",
                                 "--notice-out", str(notice), "--audit", str(audit)],
                           env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert {r["case_ref"] for r in records(audit)} == {"FLAG-WINS"}
    assert "24(2)" in result.output and "31(3)" in result.output
    text = notice.read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "received on 11 June 2018" in flat  # the seed's own date
    assert f"received on {long_date(datetime.now(UTC).date())}" not in flat
    assert not list((tmp_path / "data" / "sessions").glob("*.json"))  # a finished scripted run leaves none


def test_a_scripted_run_with_no_date_fails_clearly_instead_of_stamping_today(tmp_path: Path) -> None:
    answers = tmp_path / "undated.yaml"
    answers.write_text(SEED.read_text(encoding="utf-8").replace("received: 2018-06-11\n", ""), encoding="utf-8")
    notice, audit = tmp_path / "n.md", tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--notice-out", str(notice),
                                 "--audit", str(audit)], env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 4, result.output
    assert "there is no terminal to ask the date the request was received" in result.output
    assert "received: YYYY-MM-DD" in result.output and "Traceback" not in result.output
    assert not notice.exists() and not audit.exists()
    dated = runner.invoke(app, ["interview", "--answers", str(answers), "--received", "03/11/2026",
                                "--notice-out", str(notice), "--audit", str(audit)],
                          env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert dated.exit_code == 0, dated.output
    assert records(audit)[0]["case"]["received"] == "2026-11-03"


@pytest.mark.parametrize(("args", "env", "settings", "expected"), [
    (["--officer", "Flag Officer"], {"NCND_OFFICER": "Env Officer"}, "Set Officer", "Flag Officer"),
    ([], {"NCND_OFFICER": "Env Officer"}, "Set Officer", "Env Officer"),
    ([], {}, "Set Officer", "Set Officer"),
])
def test_a_scripted_run_takes_the_officer_from_the_flag_the_environment_or_the_settings(
        tmp_path: Path, args: list[str], env: dict[str, str], settings: str, expected: str) -> None:
    conf = tmp_path / "settings.yaml"
    conf.write_text(f"officer: {settings}\n", encoding="utf-8")
    audit = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--notice-out", str(tmp_path / "n.md"),
                                 "--audit", str(audit), *args],
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "NCND_SETTINGS": str(conf),
                                "NCND_OFFICER": "", **env})
    assert result.exit_code == 0, result.output
    assert {r["officer"] for r in records(audit)} == {expected}


def test_the_answers_file_officer_is_used_and_a_terminal_run_does_not_ask_for_it(tmp_path: Path) -> None:
    answers = tmp_path / "officer.yaml"
    seed = SEED.read_text(encoding="utf-8")
    answers.write_text(seed.replace("regime: foia\n", "regime: foia\nofficer: File Officer\n"), encoding="utf-8")
    audit = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--prompt", "--answers", str(answers), "--notice-out",
                                 str(tmp_path / "n.md"), "--audit", str(audit)], input="a\na\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "NCND_OFFICER": "Env Officer"})
    assert result.exit_code == 0, result.output
    assert "Date received" not in result.output and "Your name, for the audit trail" not in result.output
    assert {r["officer"] for r in records(audit)} == {"File Officer"}


def test_without_a_terminal_missing_answers_are_named_and_decide_is_suggested(tmp_path: Path) -> None:
    answers = tmp_path / "partial.yaml"
    answers.write_text("case_ref: X\nparts:\n  - id: p\n    summary: s\n    answers: {vexatious: false}\n")
    result = runner.invoke(app, ["interview", "--answers", str(answers)], env={"NCND_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 4
    assert "'confirm_cost_exceeds'" in result.output and "ncnd decide" in result.output


def test_the_seed_decision_screen_matches_its_golden_text(shipped: RuleBase, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path))
    from ncnd_assistant.decide.answers import load_request
    from ncnd_assistant.interview.session import PartState

    request = load_request(SEED, shipped)
    session = Session.new("16883_18", tmp_path)
    session.parts = [PartState(p.id, p.summary, dict(p.answers)) for p in request.parts]
    console = Console(file=io.StringIO(), width=100, color_system=None, record=True)
    interview = TerminalInterview(console, lambda _: "", Assessor(shipped), session,
                                  clock=lambda: datetime(2026, 11, 27, tzinfo=UTC))
    for part in session.parts:
        assessed = interview.assessor.assess_part(interview.as_part(part))
        interview.show_decision(part, assessed)  # the full view (batch runs, and `e`)
        interview.decisions.summary(part, assessed)  # what stays above the accept prompt
    check_golden("seed-decision-screen.txt", console.export_text())


def test_a_crash_saves_the_session_and_prints_the_resume_command(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: TerminalInterview, part: object) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(TerminalInterview, "decision_screen", crash)
    code, out, _, _ = run(tmp_path, CASE + ["overt", "Overt", "", "n"] + OVERT)
    assert code == 1
    assert "Internal error: RuntimeError: simulated crash" in out and "Traceback" not in out
    path = Path(out.split("--resume ", 1)[1].split()[0])
    monkeypatch.undo()
    assert len(Session.load(path).parts[0].answers) == len(OVERT)
    result = runner.invoke(app, ["interview", "--prompt", "--resume", str(path)], input="a\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert "Recorded for part 'overt': Not held." in result.output


def test_request_wide_questions_are_asked_once_for_the_whole_request(tmp_path: Path) -> None:
    covert = ["", "n", "y", "n", "n", "n", "n", "no", "y", "1", "3", "n", "n", "1", "y", REASON, "a"]
    code, out, _, audit = run(tmp_path, CASE + PARTS + OVERT + ["a"] + covert)
    assert code == 0, out
    flat = " ".join(out.split())
    assert "Is this request vexatious? (applies to the whole request: answered 'No' as for part 'overt'" in flat
    assert "(applies to the whole request: answered 'No' as for part 'overt'; use review to change it)" in flat
    assert [r["decision"]["outcome"] for r in records(audit)] == ["not_held", "ncnd"]


def test_o_after_the_parts_adds_the_protective_part_for_any_other_information(tmp_path: Path) -> None:
    lines = CASE + ["overt", "Overt use of facial recognition on CCTV", "", "maybe", "o", "covert use of facial "
                    "recognition"] + OVERT + ["a"]
    _, out, _, _ = run(tmp_path, lines)
    assert "Please answer y, n or o" in out
    assert "Part 'any_other': covert use of facial recognition" in " ".join(out.split())
    session = json.loads(next((tmp_path / "data" / "sessions").glob("*.json")).read_text(encoding="utf-8"))
    assert [(p["id"], p["kind"]) for p in session["parts"]] == [("overt", "answered"),
                                                                  ("any_other", "any_other_information")]


def test_resume_sets_aside_answers_the_rule_base_cannot_use(tmp_path: Path) -> None:
    """A session edited by hand, or saved under another rule base, with an answer to an unknown
    question and one that does not fit: both are named and asked again, no traceback."""
    code, out, _, _ = run(tmp_path, CASE + ["overt", "Overt", "", "n"] + OVERT[:4])
    path = Path(out.split("--resume ", 1)[1].split()[0])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["parts"][0]["answers"].update({"extra_key": True, "security_body": "perhaps"})
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["interview", "--prompt", "--resume", str(path)],
                           input="\n".join(["n"] + OVERT[4:] + ["a"]) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the terminal wraps long lines
    assert "set aside and will be asked again if they apply: overt.security_body, overt.extra_key" in said
    assert "supplied, directly or indirectly, by a security body" in said  # asked again
    assert "Traceback" not in result.output and "Internal error" not in result.output


def test_a_settling_answer_is_confirmed_with_a_reason_that_goes_into_the_record(tmp_path: Path) -> None:
    why = "The fifth request this month repeating the same demand after a full answer."
    lines = CASE + ["overt", "Overt", "", "n", "y", "n", "y", "y", "", why, "n", "a"]  # n: not environmental
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    assert "This answer settles the part: the request is refused under S14(1) Vexatious Requests" in out
    assert "Answer not taken" in out and "A reason is needed for an answer that settles the part" in out
    (record,) = records(audit)
    assert record["decision"]["outcome"] == "refuse"
    assert record["settling_answers"] == [{"id": "vexatious", "text": "Is this request vexatious?", "answer": "Yes",
                                           "reason": why}]


def test_a_part_settled_by_s21_asks_no_further_content_question(shipped_assessor: Assessor) -> None:
    from ncnd_assistant.checks.scenarios import load_scenarios
    from ncnd_assistant.interview.flow import Flow
    from ncnd_assistant.interview.session import PartState
    from ncnd_assistant.rulebase.loader import resolve_rules_dir
    rb = shipped_assessor.rulebase
    settled = [s for s in load_scenarios(resolve_rules_dir(None), rb)
               if s.part.answers.get("content_reasonably_accessible") is True]
    assert len(settled) >= 4
    flow = Flow(shipped_assessor)
    for scenario in settled:
        part = PartState("p", "s")
        asked = []
        while (q := flow.next_question(part)) is not None:
            asked.append(q.id)
            flow.answer(part, q.id, scenario.part.answers[q.id])
        content = {qid for qid in asked if qid.startswith("content_")}
        assert content <= {"content_reasonably_accessible", "content_environmental"}, (scenario.name, content)
        assert shipped_assessor.assess_part(scenario.part).outcome.value == "withhold"


def test_departing_from_consistent_precedent_asks_for_a_reason_that_is_recorded(tmp_path: Path) -> None:
    from tests.test_records import confirmed_variant
    audit = tmp_path / "a.jsonl"
    env = {"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120", "NCND_OFFICER": "Jo"}
    first = runner.invoke(app, ["interview", "--answers", str(SEED), "--notice-out", str(tmp_path / "1.md"),
                                "--audit", str(audit)], env=env)
    assert first.exit_code == 0, first.output
    why = "The force has since confirmed the capability on the record, so NCND is no longer available."
    second = runner.invoke(app, ["interview", "--prompt", "--answers", str(confirmed_variant(tmp_path)),
                                 "--case-ref", "LATER", "--notice-out", str(tmp_path / "2.md"), "--audit", str(audit)],
                           input="\n".join(["a", "a", "back", "a", "", why]) + "\n", env=env)
    assert second.exit_code == 0, second.output
    out = second.output
    assert "Earlier decisions on the same subject (closest first):" in out
    assert "relied on S24(2) National Security" in out or "same tags" in out
    assert "departs from 1 earlier decision(s), all Neither confirm nor deny" in out
    assert "A reason is needed when departing from consistent precedent." in out
    covert = [r for r in records(audit) if r["case_ref"] == "LATER" and r["part"]["id"] == "covert"]
    assert covert[0]["precedent_departure"]["reason"] == why
    seed_covert = [r["id"] for r in records(audit) if r["case_ref"] == "16883_18" and r["part"]["id"] == "covert"]
    assert covert[0]["precedent_departure"]["records"] == seed_covert


def test_screens_speak_in_words_not_ids(tmp_path: Path) -> None:
    from tests.test_records import confirmed_variant
    result = runner.invoke(app, ["interview", "--prompt", "--answers", str(confirmed_variant(tmp_path)),
                                 "--notice-out", str(tmp_path / "n.md"), "--audit", str(tmp_path / "a.jsonl")],
                           input="\n".join(["", "e", "a", "e", "a"]) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120", "NCND_OFFICER": "Jo"})
    out = result.output
    assert result.exit_code == 0, out
    assert "Neither confirm nor deny is not available: The authority has already officially confirmed" in out
    for jargon in ("official-confirmation-blocks-ncnd", "not_exemption", "because The ", "(or exemption)",
                   "Saved. Your answers are saved"):
        assert jargon not in out, jargon
    assert "favours withholding (maintaining the exemption)" in out  # Stage 2 in Stage 2's words
    for command in (["interview", "--help"], ["sessions", "list", "--help"], ["decide", "--help"]):
        shown = runner.invoke(app, command, env={"COLUMNS": "120"}).output
        assert "<bool>" not in shown and "--help" in shown


def test_the_new_record_fields_read_back_and_verify(tmp_path: Path) -> None:
    from ncnd_assistant.audit import log as audit_log
    lines = (CASE + ["overt", "Overt", "", "n", "y", "y", "Repeats the same demand weekly.", "n", "o", "3", "",
                     "The officer knows the requester has the information already."])
    code, out, _, audit = run(tmp_path, lines)
    assert code == 0, out
    (record,) = audit_log.read_records(audit)
    assert record.to_json()["settling_answers"][0]["reason"] == "Repeats the same demand weekly."
    assert "provisions_added" in record.to_json()["override"]
    verify = runner.invoke(app, ["audit", "verify", "--audit", str(audit)])
    assert verify.exit_code == 0, verify.output


def test_the_same_fact_is_carried_across_stages_not_asked_twice(tmp_path: Path, shipped_assessor: Assessor) -> None:
    import yaml

    from ncnd_assistant.checks.scenarios import load_scenarios
    from ncnd_assistant.rulebase.loader import resolve_rules_dir
    rb = shipped_assessor.rulebase
    scenario = next(s for s in load_scenarios(resolve_rules_dir(None), rb)
                    if s.part.answers.get("content_reasonably_accessible") is True)
    answers = {k: v for k, v in scenario.part.answers.items() if k != "content_reasonably_accessible"}
    assert answers["already_published"] is True
    path = tmp_path / "carry.yaml"
    path.write_text(yaml.safe_dump({"case_ref": "CARRY-1", "regime": "foia", "received": "2026-11-02",
                                    "officer": "Jo", "request": "r",
                                    "parts": [{"id": "p", "summary": "published figures", "answers": answers}]}),
                    encoding="utf-8")
    audit = tmp_path / "a.jsonl"
    env = {"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"}
    result = runner.invoke(app, ["interview", "--prompt", "--answers", str(path), "--notice-out",
                                 str(tmp_path / "n.md"), "--audit", str(audit)], input="r\n\nq\n", env=env)
    out = result.output
    flat = " ".join(out.split())
    assert "Carried from your Stage 1 answer 'Yes' to: Is the information, if held, already published" in flat, out
    assert "[y/n] >" not in out  # nothing asked: the Stage-2 question took the Stage-1 answer
    assert "(carried from Stage 1)" in out  # and review shows it
    saved = Session.load(Path(out.split("--resume ", 1)[1].split()[0]))
    assert saved.parts[0].answers["content_reasonably_accessible"] is True


def test_a_scripted_run_carries_the_same_fact_too(tmp_path: Path, shipped_assessor: Assessor) -> None:
    import yaml

    from ncnd_assistant.checks.scenarios import load_scenarios
    from ncnd_assistant.rulebase.loader import resolve_rules_dir
    scenario = next(s for s in load_scenarios(resolve_rules_dir(None), shipped_assessor.rulebase)
                    if s.part.answers.get("content_reasonably_accessible") is True)
    answers = {k: v for k, v in scenario.part.answers.items() if k != "content_reasonably_accessible"}
    path = tmp_path / "carry.yaml"
    path.write_text(yaml.safe_dump({"case_ref": "CARRY-2", "regime": "foia", "received": "2026-11-02",
                                    "parts": [{"id": "p", "summary": "published figures", "answers": answers}]}),
                    encoding="utf-8")
    audit = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(path), "--notice-out", str(tmp_path / "n.md"),
                                 "--audit", str(audit)], env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    (record,) = records(audit)
    assert record["decision"] == {"outcome": "withhold", "provisions": ["s21"]}
    assert record["answers"]["content_reasonably_accessible"] is True
