"""`ncnd cases`, `ncnd review`, `ncnd ico` and `ncnd roles` on a real log (docs/cases.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.audit.verify import verify
from ncnd_assistant.cli.app import app
from ncnd_assistant.interview.session import Session
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from tests.test_cases import seed_decisions

runner = CliRunner()


@pytest.fixture
def log(tmp_path: Path, shipped: RuleBase, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NCND_AUDIT", str(path))
    audit.append_many(path, seed_decisions(shipped, "R1", "A. Officer"))
    return path


def ncnd(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    return result.output


def test_list_show_and_formats(log: Path) -> None:
    text = ncnd("cases", "--as-of", "2026-03-20")
    assert "R1" in text and "awaiting" in text and "7 left" in text
    rows = list(csv.reader(io.StringIO(ncnd("cases", "--format", "csv", "--as-of", "2026-03-20"))))
    assert rows[0][:3] == ["ref", "received", "due"] and rows[1][:5] == ["R1", "2026-03-02", "2026-03-31",
                                                                            "2026-03-31", "7"]
    data = json.loads(ncnd("cases", "-f", "json"))
    assert data[0]["status"] == "awaiting sign-off" and data[0]["parts"][1]["provisions"] == ["s24(2)", "s31(3)"]
    shown = ncnd("cases", "show", "r1", "--as-of", "2026-04-02")
    assert "20th working day (s10(1)) 2026-03-31" in shown and "2 working day(s) overdue" in shown
    assert "Jo Requester" not in shown + text


def test_filters_on_the_command_line(log: Path) -> None:
    assert "R1" not in ncnd("cases", "--status", "sent")
    assert "No cases match" in ncnd("cases", "--officer", "Z. Nobody")
    assert "R1" in ncnd("cases", "--provision", "s24(2)", "--tag", "cctv", "--due-within", "30", "--as-of",
                        "2026-03-20")
    assert "is not a status" in fails("cases", "--status", "closed")


def test_events_move_the_clock(log: Path) -> None:
    assert "say who you are" in fails("cases", "event", "R1", "sent")
    ncnd("cases", "event", "R1", "holding-notice", "--date", "2026-03-20", "--officer", "A. Officer")
    assert json.loads(ncnd("cases", "show", "R1", "-f", "json"))["clock"]["deadline"] == "2026-04-30"
    ncnd("cases", "event", "R1", "sent", "--date", "2026-04-02", "--officer", "A. Officer")
    assert json.loads(ncnd("cases", "-f", "json"))[0]["status"] == "sent"
    assert "not a case event" in fails("cases", "event", "R1", "lunch", "--officer", "A")
    assert "no case 'R9'" in fails("cases", "event", "R9", "sent", "--officer", "A")
    assert "not a date" in fails("cases", "event", "R1", "sent", "--officer", "A", "--date", "2.4.2026")
    assert verify(log).ok


def test_the_officer_comes_from_the_settings(log: Path, own_settings: Path) -> None:
    (own_settings / "ncnd-assistant").mkdir()
    (own_settings / "ncnd-assistant" / "settings.yaml").write_text("officer: S. Settings\n", encoding="utf-8")
    ncnd("cases", "event", "R9", "received", "--date", "2026-03-02")
    assert json.loads(ncnd("cases", "-f", "json", "--officer", "s. settings"))[0]["ref"] == "R9"


def test_an_unfinished_session_is_in_interview(log: Path, tmp_path: Path) -> None:
    session = Session.new("R5", tmp_path / "data" / "sessions")
    session.officer = "D. Officer"
    session.save()
    (tmp_path / "data" / "sessions" / "broken.json").write_text("{", encoding="utf-8")
    assert [c["status"] for c in json.loads(ncnd("cases", "-f", "json")) if c["ref"] == "R5"] == ["in interview"]


def test_an_internal_review_from_start_to_decision(log: Path, tmp_path: Path) -> None:
    ncnd("cases", "event", "R1", "sent", "--date", "2026-03-25", "--officer", "A. Officer")
    ncnd("cases", "event", "R1", "review-requested", "--date", "2026-04-01", "--officer", "A. Officer")
    assert "different officer" in fails("review", "start", "R1", "--officer", "A. Officer")
    out = tmp_path / "review.yaml"
    shown = ncnd("review", "start", "R1", "--officer", "C. Reviewer", "--answers-out", str(out))
    assert "Having searched, does the authority hold" in shown  # the original answers are shown
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert out.stat().st_mode & 0o077 == 0 and data["officer"] == "C. Reviewer"
    changed = json.loads(json.dumps(data, default=str))
    next(p for p in changed["parts"] if p["id"] == "covert")["answers"]["covert_tactic"] = False
    (tmp_path / "changed.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
    before = len(audit.read_records(log))  # a change that opens new questions is refused, nothing written
    assert "missing-answer" in fails("review", "decide", "R1", "--officer", "C. Reviewer", "--answers",
                                     str(tmp_path / "changed.yaml"))
    assert len(audit.read_records(log)) == before
    result = runner.invoke(app, ["review", "decide", "R1", "--officer", "C. Reviewer", "--answers", str(out)])
    assert result.exit_code == 0, result.output
    detail = json.loads(ncnd("cases", "show", "R1", "-f", "json"))
    assert len(detail["replaced_decisions"]) == 2 and detail["decisions"][0]["officer"] == "C. Reviewer"
    review = detail["reviews"][0]
    assert review["officer"] == "C. Reviewer" and review["decided"] and review["target"] == "2026-05-01"
    assert review["outcome"] == "upheld" and "upheld" in result.output
    assert "not under internal review" in fails("review", "decide", "R1", "--officer", "C. Reviewer")
    assert verify(log).ok


def test_a_review_decided_through_the_interview_is_linked(log: Path) -> None:
    ncnd("review", "start", "R1", "--officer", "C. Reviewer", "--answers-out", str(log.parent / "r.yaml"))
    assert "no decision has been recorded" in fails("review", "decide", "R1", "--officer", "C. Reviewer")
    shipped_records = seed_decisions_from_cli(log)
    out = ncnd("review", "decide", "R1", "--officer", "C. Reviewer", "--outcome", "upheld")
    assert "upheld" in out
    event = [r for r in audit.read_records(log) if r.kind == "case-event"][-1]
    assert event.to_json()["decisions"] == shipped_records


def seed_decisions_from_cli(log: Path) -> list[str]:
    """Decisions recorded for R1 by `ncnd decide --record`, as an interview would: their ids."""
    answers = log.parent / "r.yaml"
    ncnd("decide", "--answers", str(answers), "--record", "--officer", "C. Reviewer", "--audit", str(log))
    return [r.id for r in audit.read_records(log)[-2:]]


def test_ico_and_tribunal(log: Path) -> None:
    assert "does not look like" in fails("ico", "record", "R1", "--decision-notice", "FS123", "--outcome", "upheld",
                                         "--officer", "A")
    assert "not an ICO outcome" in fails("ico", "record", "R1", "--decision-notice", "IC-123456-A1B2", "--outcome",
                                         "won", "--officer", "A")
    ncnd("ico", "complaint", "R1", "--officer", "A", "--date", "2026-05-01")
    ncnd("ico", "record", "R1", "--decision-notice", "FS50123456", "--outcome", "not-upheld", "--officer", "A")
    ncnd("ico", "tribunal", "R1", "--appeal", "EA/2026/0123", "--outcome", "dismissed", "--officer", "A")
    detail = json.loads(ncnd("cases", "show", "R1", "-f", "json"))
    assert detail["status"] == "with the ICO"
    assert [(a["event"], a["reference"], a["outcome"]) for a in detail["appeals"]] == [
        ("ico-complaint", "", ""), ("ico-decision", "FS50123456", "not-upheld"),
        ("tribunal-decision", "EA/2026/0123", "dismissed")]


def test_roles_commands(log: Path) -> None:
    assert "No roles recorded" in ncnd("roles", "list")
    ncnd("roles", "grant", "C. Signer", "signer", "--by", "Admin")
    assert "C. Signer: signer" in ncnd("roles", "list")
    assert "not a role" in fails("roles", "grant", "C. Signer", "boss", "--by", "Admin")
    ncnd("roles", "revoke", "C. Signer", "signer", "--by", "Admin")
    assert "C. Signer: (none)" in ncnd("roles", "list")


def test_once_roles_are_recorded_only_a_signer_may_sign_off(log: Path) -> None:
    decision = json.loads(ncnd("cases", "show", "R1", "-f", "json"))["awaiting_sign_off"][0]
    ncnd("roles", "grant", "C. Signer", "signer", "--by", "Admin")
    assert "does not have the signer role" in fails("audit", "sign-off", decision, "--by", "B. Officer")
    ncnd("audit", "sign-off", decision, "--by", "c. signer")
    assert json.loads(ncnd("cases", "-f", "json"))[0]["status"] == "decided"


def test_a_foisa_case_is_reviewed_under_foisa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`review start` writes the law the case was decided under (FOISA), not the default FOIA."""
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NCND_AUDIT", str(log))
    foisa = Path(__file__).resolve().parent.parent / "examples" / "police-scotland-covert-foisa.yaml"
    ref = yaml.safe_load(foisa.read_text(encoding="utf-8"))["case_ref"]
    ncnd("decide", "--answers", str(foisa), "--record", "--officer", "A. Officer", "--format", "json")
    ncnd("cases", "event", ref, "sent", "--date", "2026-11-20", "--officer", "A. Officer")
    ncnd("cases", "event", ref, "review-requested", "--date", "2026-11-25", "--officer", "A. Officer")
    out = tmp_path / "review.yaml"
    ncnd("review", "start", ref, "--officer", "C. Reviewer", "--answers-out", str(out))
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["regime"] == "foisa"
    assert "upheld" in ncnd("review", "decide", ref, "--officer", "C. Reviewer", "--answers", str(out))
    records = audit.read_records(log)
    reviewed = {r.rulebase.id for r in records if isinstance(r, DecisionRecord) and r.source == "review"}
    assert reviewed == {"foisa-ncnd"}


def test_a_case_decided_under_an_unshipped_rule_base_needs_its_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NCND_AUDIT", str(log))
    own = {"id": "force-own-rules", "version": "1.0.0", "digest": "0" * 64}  # a force's own rule base
    bodies = seed_decisions(load_rulebase(None), "R9", "A. Officer")
    audit.append_many(log, [{**body, "rulebase": own} for body in bodies])
    ncnd("cases", "event", "R9", "sent", "--date", "2026-03-25", "--officer", "A. Officer")
    ncnd("cases", "event", "R9", "review-requested", "--date", "2026-04-01", "--officer", "A. Officer")
    out = tmp_path / "review.yaml"
    assert "pass --rules" in fails("review", "start", "R9", "--officer", "C. Reviewer", "--answers-out", str(out))
    assert not out.exists()
    ncnd("review", "start", "R9", "--officer", "C. Reviewer", "--answers-out", str(out), "--rules", "rules/foia")
    assert out.exists()
