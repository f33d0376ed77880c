"""Decisions recorded from the interview and from decide: precedent, sign-off, s17(4), notice rebuild."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.cli import app
from tests.conftest import SEED

runner = CliRunner()


def invoke(tmp_path: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input, env={"NCND_DATA_DIR": str(tmp_path / "data"),
                                                              "COLUMNS": "120"})
    return result.exit_code, result.output


def decisions(log: Path) -> list[DecisionRecord]:
    """The decision records of the log (all of them: it holds nothing else here)."""
    records = audit.read_records(log)
    assert all(isinstance(r, DecisionRecord) for r in records)
    return [r for r in records if isinstance(r, DecisionRecord)]


def confirmed_variant(tmp_path: Path) -> Path:
    """The seed with the covert part's use officially confirmed and no further harm in confirming it
    again: NCND is no longer available."""
    text = SEED.read_text(encoding="utf-8").replace("      officially_confirmed: false\n"
                                                    "      request_specificity: specific\n"
                                                    "      ncnd_pi_maintain: true\n",
                                                    "      officially_confirmed: true\n"
                                                    "      confirmed_still_harmful: false\n      held: true\n"
                                                    "      compliance_cost_exceeds: false\n"
                                                    "      content_security_body: false\n"
                                                    "      content_ns_harm: true\n"
                                                    "      content_investigation: false\n"
                                                    "      content_confidential_source: false\n"
                                                    "      content_le_harm: likely\n"
                                                    "      content_endanger: \"no\"\n"
                                                    "      content_personal_data: \"no\"\n"
                                                    "      withhold_pi_maintain: true\n"
                                                    "      withhold_pi_reason: Releasing details of the confirmed "
                                                    "capability would still help offenders avoid it.\n")
    path = tmp_path / "confirmed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_decide_records_and_warns_when_a_new_decision_departs_from_precedent(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    code, out = invoke(tmp_path, "decide", "-a", str(SEED), "--record", "--officer", "A. Officer",
                       "--audit", str(log), "-f", "json")
    assert code == 0, out
    assert [r.decision.outcome for r in decisions(log)] == ["not_held", "ncnd"]
    code, out = invoke(tmp_path, "decide", "-a", str(confirmed_variant(tmp_path)), "--audit", str(log), "-f", "json")
    assert code == 0, out
    covert = next(p for p in json.loads(out)["parts"] if p["id"] == "covert")
    assert covert["outcome"] == "withhold"
    assert covert["departs_from_precedent"] is True
    earlier_ncnd = next(p for p in covert["precedents"] if p["outcome"] == "ncnd")
    assert {"facial-recognition", "covert-tactics", "s24(2)"} <= set(earlier_ncnd["shared"])
    code, out = invoke(tmp_path, "decide", "-a", str(confirmed_variant(tmp_path)), "--audit", str(log))
    assert "Warning: part 'covert' (withhold) departs from earlier decisions" in out


def test_a_recorded_ncnd_decision_awaits_sign_off_by_a_second_officer(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    notice = tmp_path / "n.md"
    code, out = invoke(tmp_path, "interview", "--answers", str(SEED), "--officer", "A. Officer",
                       "--audit", str(log), "--notice-out", str(notice))
    assert code == 0, out
    assert "awaits sign-off by a second officer" in out
    ncnd = next(r for r in decisions(log) if r.decision.outcome == "ncnd")
    assert ncnd.sign_off_required is True and ncnd.reasons
    code, out = invoke(tmp_path, "audit", "pending", "--audit", str(log))
    assert ncnd.id[:8] in out
    code, out = invoke(tmp_path, "audit", "sign-off", ncnd.id, "--by", "A. Officer", "--audit", str(log))
    assert code != 0  # four eyes: not the officer who decided
    code, out = invoke(tmp_path, "audit", "sign-off", ncnd.id, "--by", "B. Reviewer", "--audit", str(log))
    assert code == 0, out
    code, out = invoke(tmp_path, "audit", "pending", "--audit", str(log))
    assert ncnd.id[:8] not in out
    code, out = invoke(tmp_path, "audit", "verify", "--audit", str(log))
    assert code == 0, out


def test_the_notice_is_rebuilt_from_an_audit_record(tmp_path: Path) -> None:
    log, notice = tmp_path / "audit.jsonl", tmp_path / "n.md"
    code, out = invoke(tmp_path, "interview", "--answers", str(SEED), "--audit", str(log), "--notice-out",
                       str(notice), "--received", "2018-05-01")
    assert code == 0, out
    first = audit.read_records(log)[0].id
    result = runner.invoke(app, ["notice", first[:10], "--audit", str(log)], env={"NCND_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert result.stdout == notice.read_text(encoding="utf-8")  # the officer's notes go to stderr


def test_s17_4_withholds_reasons_from_the_letter_but_the_record_keeps_them(tmp_path: Path) -> None:
    log, notice = tmp_path / "audit.jsonl", tmp_path / "n.md"
    answers = SEED.read_text(encoding="utf-8")
    # answer the interview from the seed file, choosing s17(4) on the covert part's decision screen
    code, out = invoke(tmp_path, "interview", "--prompt", "--answers", str(SEED), "--received", "2018-05-01",
                       "--officer", "A. Officer", "--audit", str(log), "--notice-out", str(notice),
                       input="a\nw\nall\na\n")
    assert code == 0, out
    assert "The letter will leave out the reasons for this part (s17(4))" in out
    covert = next(r for r in decisions(log) if r.part.id == "covert")
    assert covert.reasons_withheld is True
    assert any("ncnd-s24-2-national-security" in line for line in covert.reasons)
    letter = notice.read_text(encoding="utf-8")
    assert "Harm in confirming or denying" not in letter and "Public Interest Test" not in letter
    assert "section 17(4)" in letter.replace("s17(4)", "section 17(4)")
    assert "neither confirm nor deny" in letter and answers
