"""Legal round 2 through the CLI: other regimes refused, environmental parts sent to the EIR,
answers that contradict each other refused by `decide` and asked again by the interview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.checks.scenarios import Scenario
from ncnd_assistant.cli import app
from ncnd_assistant.decide.assess import Assessor
from tests.conftest import SEED, SHIPPED

runner = CliRunner()
ANSWERS = Path(__file__).parent / "fixtures" / "answers"


def _decide(path: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["decide", "--answers", str(path), *extra])
    return result.exit_code, result.output


def test_a_foisa_request_is_refused_naming_the_regime_and_where_it_is_declared(tmp_path: Path) -> None:
    foisa = tmp_path / "foisa.yaml"
    foisa.write_text(SEED.read_text(encoding="utf-8").replace("regime: foia", "regime: foisa"), encoding="utf-8")
    code, out = _decide(foisa, "--format", "markdown", "--rules", str(SHIPPED))  # FOIA's, not FOISA's
    assert code == 4, out
    line = next(n for n, text in enumerate(foisa.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("regime:"))
    assert f"foisa.yaml:{line}:9: wrong-regime:" in out
    assert "Freedom of Information (Scotland) Act 2002" in out and "--rules" in out
    assert "can neither confirm nor deny" not in out and "Traceback" not in out


def test_an_eir_request_is_refused_too(tmp_path: Path) -> None:
    eir = tmp_path / "eir.yaml"
    eir.write_text(SEED.read_text(encoding="utf-8").replace("regime: foia", "regime: eir"), encoding="utf-8")
    code, out = _decide(eir, "--rules", str(SHIPPED))
    assert code == 4 and "Environmental Information Regulations 2004 (EIR)" in out


def test_an_environmental_part_is_dealt_with_under_the_eir_not_a_foia_ncnd() -> None:
    code, out = _decide(ANSWERS / "env-noise.yaml", "--format", "json")
    assert code == 0, out
    (part,) = json.loads(out)["parts"]
    assert (part["outcome"], part["provisions"]) == ("eir", [])
    assert any(f["rule"] == "environmental-information-is-answered-under-the-eir" for f in part["explanation"])
    code, letter = _decide(ANSWERS / "env-noise.yaml", "--format", "markdown")
    assert code == 0 and "Deal with under the EIR" in letter


def test_harm_then_a_harmless_yes_or_no_is_a_located_contradiction() -> None:
    code, out = _decide(ANSWERS / "harm-contradiction.yaml", "--format", "json")
    assert code == 4, out
    assert "1 contradiction(s) between answers" in out
    assert "harm-contradiction.yaml:25:31: contradiction: part 'tracking':" in out
    assert "answer 'general_answer_harmful' again" in out


def test_the_interview_asks_the_contradicted_question_again_until_the_answers_agree(tmp_path: Path) -> None:
    notice, audit = tmp_path / "notice.md", tmp_path / "audit.jsonl"
    result = runner.invoke(app, ["interview", "--prompt", "--answers", str(ANSWERS / "harm-contradiction.yaml"),
                                 "--notice-out", str(notice), "--audit", str(audit)],
                           input="\n".join(["2018-06-11", "", "n", "y", "too short",
                                             "A yes or no to every force would map where trackers are used.",
                                             "a"]) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    out = result.output
    assert result.exit_code == 0, out
    assert out.count("Your answers contradict each other") == 2  # the same answer again is not accepted
    assert "at least 8 words" in out  # the short reason from the file is asked again
    assert "Neither confirm nor deny" in out
    (record,) = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert record["decision"]["outcome"] == "ncnd"
    assert {q["id"]: q["answer"] for q in record["questions"]}["general_answer_harmful"] == "Yes"


def test_a_decision_records_its_date_and_the_export_and_replay_say_the_balance_is_as_at_then(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    code, out = _decide(SEED, "--record", "--audit", str(log))
    assert code == 0, out
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert all(r["decided_on"] == r["time"][:10] for r in records)
    shown = runner.invoke(app, ["audit", "show", records[1]["id"], "--audit", str(log)]).output
    assert f"Decided on: {records[1]['decided_on']}" in shown and "[2022] UKUT 104 (AAC)" in shown
    replayed = runner.invoke(app, ["audit", "replay", records[1]["id"], "--audit", str(log)]).output
    assert "not re-weighed with later events" in replayed and f"(decided {records[1]['decided_on']})" in replayed


def test_an_investigation_of_a_named_person_without_personal_data_warns(
        shipped_assessor: Assessor, scenarios: tuple[Scenario, ...]) -> None:
    [scenario] = [s for s in scenarios if s.name.startswith("a part asking whether a named man")]
    warnings = shipped_assessor.assess_part(scenario.part).warnings
    assert any("criminal offence data (UK GDPR Article 10)" in w for w in warnings)


def test_s17_4_paragraph_by_paragraph_leaves_out_only_the_chosen_reasons(tmp_path: Path) -> None:
    log, notice = tmp_path / "audit.jsonl", tmp_path / "n.md"
    # accept the overt part; on the covert part's decision screen withhold reason paragraph 1 only
    result = runner.invoke(app, ["interview", "--prompt", "--answers", str(SEED), "--received", "2018-05-01",
                                 "--officer", "A. Officer", "--audit", str(log), "--notice-out", str(notice)],
                           input="a\nw\n9\n1\na\n", env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Please give numbers from 1 to" in result.output  # 9 is not a paragraph: asked again
    covert = next(json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["part"]["id"] == "covert")
    assert covert["reasons_withheld"] is False and len(covert["withheld_paragraphs"]) == 1
    first_rule = covert["withheld_paragraphs"][0].removeprefix("rule:")
    assert any(line.startswith(first_rule) for line in covert["reasons"])  # the record keeps it
    letter = notice.read_text(encoding="utf-8")
    assert "Some of the reasons for relying on S24(2) and S31(3) are not given" in letter
    assert "Public interest test" in letter and "Balance test" in letter  # the rest is still given
    rebuilt = runner.invoke(app, ["notice", covert["id"], "--audit", str(log)])
    assert "Some of the reasons for relying on" in rebuilt.output


def test_not_held_plus_ncnd_for_any_other_information_is_a_part_kind_with_its_own_wording(tmp_path: Path) -> None:
    path = ANSWERS / "any-other-information.yaml"
    code, out = _decide(path, "--format", "json")
    assert code == 0, out
    parts = {p["id"]: p for p in json.loads(out)["parts"]}
    assert (parts["overt"]["outcome"], parts["other"]["outcome"]) == ("not_held", "ncnd")
    assert parts["other"]["kind"] == "any_other_information" and parts["overt"]["warnings"] == []
    code, letter = _decide(path, "--format", "markdown")
    log = tmp_path / "a.jsonl"
    _decide(path, "--record", "--audit", str(log))
    record = json.loads(log.read_text(encoding="utf-8").splitlines()[1])
    notice = runner.invoke(app, ["notice", record["id"], "--audit", str(log)]).output
    assert "can neither confirm nor deny that it holds any other information relevant to your request" in notice
    assert "is not held" in notice


def test_an_answered_part_worded_as_broadly_as_the_ncnd_part_is_warned(tmp_path: Path) -> None:
    broad = tmp_path / "broad.yaml"
    broad.write_text((ANSWERS / "any-other-information.yaml").read_text(encoding="utf-8").replace(
        "summary: Overt use of facial recognition technology on CCTV imagery",
        "summary: Use of facial recognition technology"), encoding="utf-8")
    code, out = _decide(broad, "--format", "json")
    assert code == 0, out
    overt = next(p for p in json.loads(out)["parts"] if p["id"] == "overt")
    assert any("worded no more narrowly than the part neither confirmed nor denied" in w for w in overt["warnings"])


def test_a_requesters_fallback_is_answered_only_when_the_main_part_is_refused_on_cost(tmp_path: Path) -> None:
    path = ANSWERS / "cost-fallback.yaml"
    code, out = _decide(path, "--format", "json")
    assert code == 0, out
    parts = {p["id"]: p for p in json.loads(out)["parts"]}
    assert parts["since_2010"]["outcome"] == "refuse" and parts["only_2024"]["fallback_needed"] is True
    log = tmp_path / "a.jsonl"
    _decide(path, "--record", "--audit", str(log))
    first = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    letter = runner.invoke(app, ["notice", first["id"], "--audit", str(log)]).output
    assert "Advice and assistance (section 16): Records for a single recent year" in " ".join(letter.split())
    assert "this is the response to your narrower request" in letter
    cheap = tmp_path / "cheap.yaml"
    cheap.write_text(path.read_text(encoding="utf-8").replace(
        "compliance_cost_exceeds: true,", "compliance_cost_exceeds: false, content_security_body: false, "
        "content_ns_harm: false, content_investigation: false, content_confidential_source: false, "
        "content_le_harm: 'no', content_endanger: 'no', content_personal_data: 'no',", 1), encoding="utf-8")
    code, out = _decide(cheap, "--format", "json")
    parts = {p["id"]: p for p in json.loads(out)["parts"]} if code == 0 else {}
    assert code == 0, out
    assert parts["only_2024"]["fallback_needed"] is False
    assert any("this part is not needed" in w for w in parts["only_2024"]["warnings"])


def test_a_fallback_for_an_unknown_part_is_a_located_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((ANSWERS / "cost-fallback.yaml").read_text(encoding="utf-8").replace(
        "fallback_for: since_2010", "fallback_for: since_2011"), encoding="utf-8")
    code, out = _decide(bad)
    assert code == 4 and "unknown-part" in out and "since_2010" in out


def test_a_part_can_be_disclosed_in_portions_each_with_its_own_provision(tmp_path: Path) -> None:
    path = ANSWERS / "portions.yaml"
    code, out = _decide(path, "--format", "json")
    assert code == 0, out
    parts = {p["id"]: p for p in json.loads(out)["parts"]}
    assert (parts["report.body"]["outcome"], parts["report.names"]["outcome"]) == ("disclose", "withhold")
    assert parts["report.names"]["provisions"] == ["s40(2)"] and parts["report.names"]["portion_of"] == "report"
    log = tmp_path / "a.jsonl"
    _decide(path, "--record", "--audit", str(log))
    first = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    letter = runner.invoke(app, ["notice", first["id"], "--audit", str(log)]).output
    assert letter.count("The report into the handling of the flood response") == 1
    assert "This part of your request is answered in portions" in letter and "S40(2)" in letter


def test_a_portion_may_not_change_a_stage_1_answer(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((ANSWERS / "portions.yaml").read_text(encoding="utf-8").replace(
        'answers: {content_personal_data: "no"}', 'answers: {content_personal_data: "no", covert_tactic: true}'),
        encoding="utf-8")
    code, out = _decide(bad)
    assert code == 4 and "portion-stage-1" in out and "covert_tactic" in out


def test_an_ncnd_part_with_portions_is_answered_once_so_the_letter_shows_no_division(tmp_path: Path) -> None:
    covert = tmp_path / "covert.yaml"
    covert.write_text((ANSWERS / "portions.yaml").read_text(encoding="utf-8").replace(
        "covert_tactic: false,", "covert_tactic: true, ns_harm: false, le_harm: would, endanger: 'no', "
        "officially_confirmed: false, request_specificity: specific, ncnd_pi_maintain: true, "
        "ncnd_pi_reason: 'A yes or no would tell offenders whether this covert tactic is used here.',", 1),
        encoding="utf-8")
    log = tmp_path / "a.jsonl"
    code, out = _decide(covert, "--record", "--audit", str(log))
    assert code == 0, out
    first = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    letter = runner.invoke(app, ["notice", first["id"], "--audit", str(log)]).output
    assert letter.count("can neither confirm nor deny") == 1
    assert "junior officers" not in letter and "answered in portions" not in letter


@pytest.mark.slow  # starts another Python process
def test_an_answers_file_on_a_pipe_is_read_once(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    read, write = os.pipe()
    os.write(write, SEED.read_bytes())
    os.close(write)
    result = subprocess.run([sys.executable, "-m", "ncnd_assistant", "decide", "--answers", f"/dev/fd/{read}",
                             "--format", "json"], pass_fds=(read,), capture_output=True, text=True)
    os.close(read)
    assert result.returncode == 0, result.stderr
    assert [p["outcome"] for p in json.loads(result.stdout)["parts"]] == ["not_held", "ncnd"]
