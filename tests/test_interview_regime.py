"""The law in the interview: "Which law applies?" after the case reference (FOIA, the EIR or FOISA,
unless --rules or the answers file fixes it), kept in the session through back, review and resume;
and a FOIA part found environmental (s39) answered under the EIR, its carried answers shown and
the switch kept in the session and the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.interview.session import Session
from ncnd_assistant.rulebase.loader import load_rulebase
from tests.conftest import ROOT, SEED

runner = CliRunner()
ENV_NOISE = ROOT / "tests" / "fixtures" / "answers" / "env-noise.yaml"
REQUEST = ["All the emails you hold", ".", "Jo Officer", "all", "All emails", "", "n"]
VEXATIOUS = ["1", "y", "The requester repeats the same demand every week."]  # FOISA s14(1), confirmed
# the EIR questions left open once env-noise's part is switched: not complex and voluminous (reg 7),
# no reg 12(5)(a) harm in a yes or no, not manifestly unreasonable (reg 12(4)(b)), not too general
EIR_OPEN = ["n", "1", "1", "n"]


def interview(tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["interview", "--prompt", "--audit", str(tmp_path / "a.jsonl"),
                                 "--notice-out", str(tmp_path / "n.md"), *extra], input="\n".join(lines) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    return result.exit_code, result.output


def resume(tmp_path: Path, path: Path, lines: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, ["interview", "--prompt", "--resume", str(path)], input="\n".join(lines) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    return result.exit_code, result.output


def saved(out: str) -> Path:
    return Path(out.split("--resume ", 1)[1].split()[0])


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_law_is_asked_after_the_reference_and_foisa_gives_the_scottish_limit_route_and_rule_base(
        tmp_path: Path) -> None:
    code, out = interview(tmp_path, ["F-1", "3", "2026-11-02", *REQUEST, *VEXATIOUS, "a", ""])
    assert code == 0, out
    assert out.index("Case reference") < out.index("Which law applies?") < out.index("Date received")
    assert "Scottish public authority → FOISA; environmental information → EIR" in out
    assert "FOISA s10(1); weekends, Christmas Day and Scottish bank holidays excluded" in " ".join(out.split())
    assert "[w]ithhold reasons, [b]ack" in " ".join(out.split())  # not FOIA's s17(4) in a FOISA interview
    (record,) = records(tmp_path)
    assert record["rulebase"]["id"] == load_rulebase(ROOT / "rules" / "foisa").meta.id
    letter = " ".join((tmp_path / "n.md").read_text(encoding="utf-8").split())
    assert "Scottish Information Commissioner" in letter and "Freedom of Information (Scotland) Act 2002" in letter
    assert "section 50 of the Freedom of Information Act 2000" not in letter


def test_enter_keeps_foia_and_the_choice_is_saved(tmp_path: Path) -> None:
    code, out = interview(tmp_path, ["R-1", "", "2026-11-02"])
    assert code != 0  # end of input at the request text: saved
    assert "FOIA s10(1); weekends and UK bank holidays excluded" in " ".join(out.split())
    session = Session.load(saved(out))
    assert (session.regime, session.regime_source) == ("foia", "chosen")
    assert Path(session.rules) == (ROOT / "rules" / "foia").resolve()


def test_back_goes_from_the_date_to_the_law_and_from_the_law_to_the_reference(tmp_path: Path) -> None:
    code, out = interview(tmp_path, ["R-1", "back", "R-2", "2", "back", "3", "2026-11-02"])
    assert code != 0, out
    assert out.count("Case reference") == 2 and out.count("Which law applies?") == 3
    assert "EIR 2004 (Environmental" in out and "Answered under FOISA 2002" in out
    session = Session.load(saved(out))
    assert session.case_ref == "R-2" and session.regime == "foisa"
    assert Path(session.rules) == (ROOT / "rules" / "foisa").resolve()


def test_an_unknown_choice_is_asked_again_and_help_explains_the_choice(tmp_path: Path) -> None:
    code, out = interview(tmp_path, ["R-1", "?", "scotland", "eir", "2026-11-02"])
    assert code != 0, out
    assert "Police Scotland" in " ".join(out.split()) and "Please type 1, 2 or 3" in out
    assert "EIR reg 5(2)" in out and Session.load(saved(out)).regime == "eir"


@pytest.mark.parametrize(("extra", "said"), [
    (["--rules", str(ROOT / "rules" / "foisa")], "Law: FOISA 2002 (Freedom of Information (Scotland) Act 2002), as "
                                                  "the rule base given (--rules) sets it."),
    (["--answers", str(ENV_NOISE), "--received", "2026-11-02", "--officer", "Jo"],
     "Law: FOIA 2000 (Freedom of Information Act 2000), as the answers file sets it."),
])
def test_the_law_is_not_asked_when_the_rules_or_the_answers_file_fix_it(tmp_path: Path, extra: list[str],
                                                                        said: str) -> None:
    code, out = interview(tmp_path, ["R-1", "2026-11-02"], *extra)
    assert "Which law applies?" not in out and said in " ".join(out.split()), out


def test_the_law_is_kept_on_resume_and_changed_in_review_only_before_any_answer(tmp_path: Path) -> None:
    _, out = interview(tmp_path, ["R-1", "2", "2026-11-02"])
    path = saved(out)
    code, out = resume(tmp_path, path, [*REQUEST[:3], "noise", "Noise readings", "", "n", "review", "c", "5",
                                        "3", "", "quit"])
    assert code == 0, out
    assert "Which law applies?" in out  # from review: no part has an answer yet
    session = Session.load(path)
    assert session.regime == "foisa" and Path(session.rules) == (ROOT / "rules" / "foisa").resolve()
    code, out = resume(tmp_path, path, ["3", "review", "c", "5", "", "quit"])  # 3: not vexatious
    assert "The law can be changed only before any part is answered" in out
    assert Session.load(path).regime == "foisa"


def test_a_session_saved_before_the_choice_loads_under_its_rules_path(tmp_path: Path) -> None:
    _, out = interview(tmp_path, ["R-1", "3", "2026-11-02"])
    path = saved(out)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["regime"], data["regime_source"]  # as an older version wrote it
    path.write_text(json.dumps(data), encoding="utf-8")
    session = Session.load(path)
    assert (session.regime, session.regime_source) == ("", "rules")
    _, out = resume(tmp_path, path, [])
    assert "Which law applies?" not in out
    assert "Law: FOISA 2002" in out and Session.load(path).regime == "foisa"


def noise(tmp_path: Path, lines: list[str]) -> tuple[int, str]:
    return interview(tmp_path, lines, "--answers", str(ENV_NOISE), "--received", "2026-11-02", "--officer", "Jo")


def test_a_foia_part_found_environmental_is_answered_under_the_eir_with_its_carried_answers(tmp_path: Path) -> None:
    code, out = noise(tmp_path, ["s", *EIR_OPEN, "a", ""])
    assert code == 0, out
    flat = " ".join(out.split())
    assert "[s] Answer this part under the EIR" in flat and "keep the FOIA outcome 'Deal with under the EIR'" in flat
    assert "Part 'noise' is now answered under the EIR 2004." in out and "Carried from the FOIA answers" in out
    assert "Are the complexity and volume of the information requested such" in flat  # an EIR question, asked
    assert "Recommendation: Not held" in out
    (record,) = records(tmp_path)
    assert record["rulebase"]["id"] == load_rulebase(ROOT / "rules" / "eir").meta.id
    assert record["decision"]["outcome"] == "not_held"
    switch = record["regime_switch"]
    assert (switch["from"], switch["to"], switch["foia_outcome"]) == ("foia", "eir", "eir")
    assert switch["carried"] == [{"from": "personal_data", "to": "third_party_data"}, {"from": "held", "to": "held"}]
    assert switch["foia_answers"]["environmental"] is True
    letter = " ".join((tmp_path / "n.md").read_text(encoding="utf-8").split())  # its only part: an EIR letter
    assert "regulation 12(4)(a)" in letter and "regulation 18 of the EIR" in letter and "s1(1)(a)" not in letter


def test_keeping_the_foia_outcome_records_deal_with_under_the_eir(tmp_path: Path) -> None:
    code, out = noise(tmp_path, ["a", ""])
    assert code == 0, out
    (record,) = records(tmp_path)
    assert record["decision"]["outcome"] == "eir" and "regime_switch" not in record
    assert record["rulebase"]["id"] == load_rulebase(ROOT / "rules" / "foia").meta.id


@pytest.fixture
def interrupt_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Lines the console reads; Ctrl-C once they are used up."""
    lines: list[str] = []

    def read(self: Console, prompt: str = "", **_: Any) -> str:
        self.print(prompt, end="", markup=False)
        if not lines:
            raise KeyboardInterrupt
        return lines.pop(0)

    monkeypatch.setattr(SafeConsole, "input", read)
    yield lines


def test_a_switched_part_stays_under_the_eir_after_ctrl_c_and_resume(tmp_path: Path,
                                                                     interrupt_after: list[str]) -> None:
    interrupt_after.extend(["s", "n"])  # switch, answer the first open EIR question, then Ctrl-C
    code, out = noise(tmp_path, [])
    assert code == 130 and "Interrupted." in out, out
    path = saved(out)
    part = Session.load(path).parts[0]
    assert part.regime == "eir" and part.carried == {"personal_data": "third_party_data", "held": "held"}
    assert part.answers["complex_voluminous"] is False and "environmental" not in part.answers
    assert part.foia_answers["environmental"] is True
    interrupt_after.extend([*EIR_OPEN[1:], "a", ""])
    code, out = resume(tmp_path, path, [])
    assert code == 0, out
    assert "Would confirming or denying whether the authority holds the information" in out  # the EIR's reg 12(6)
    assert "Are the complexity and volume" not in out  # answered before the Ctrl-C
    (record,) = records(tmp_path)
    assert record["regime_switch"]["to"] == "eir" and record["decision"]["outcome"] == "not_held"


def mixed_answers(tmp_path: Path) -> Path:
    """The seed's two FOIA parts and env-noise's environmental part, in one request."""
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    seed["parts"].append(yaml.safe_load(ENV_NOISE.read_text(encoding="utf-8"))["parts"][0])
    seed["case_ref"] = "MIX-1"
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(seed, sort_keys=False), encoding="utf-8")
    return path


def test_a_switched_part_is_the_eir_part_of_one_mixed_letter_and_its_record(tmp_path: Path) -> None:
    lines = ["a", "a", "s", *EIR_OPEN, "a", "", "", "", "", ""]  # overt, covert, noise; then the letter step
    code, out = interview(tmp_path, lines, "--answers", str(mixed_answers(tmp_path)), "--officer", "Jo")
    assert code == 0, out
    logged = {r["part"]["id"]: r for r in records(tmp_path)}
    assert logged["noise"]["part"]["regime"] == "eir" and "regime" not in logged["overt"]["part"]
    assert logged["noise"]["rulebase"]["id"] != logged["covert"]["rulebase"]["id"]
    letter = " ".join((tmp_path / "n.md").read_text(encoding="utf-8").split())
    assert "Noise readings at a named firing range (answered under the Environmental Information Regulations" in letter
    assert "Covert use of facial recognition technology (answered under the Freedom of Information Act 2000)" in letter
    assert "regulation 12(4)(a)" in letter and "regulation 18 of the EIR" in letter  # the EIR part and its route
    assert "S24(2) and S31(3)" in letter and "under section 50 of the Freedom of Information Act 2000 (" in letter


def test_an_answers_file_part_under_the_eir_is_interviewed_under_the_eir(tmp_path: Path) -> None:
    mixed = ROOT / "examples" / "mixed-foia-eir.yaml"
    result = runner.invoke(app, ["interview", "--no-prompt", "--answers", str(mixed),
                                 "--audit", str(tmp_path / "a.jsonl"), "--notice-out", str(tmp_path / "n.md")],
                           env={"NCND_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    logged = {r["part"]["id"]: r for r in records(tmp_path)}
    assert logged["air"]["part"]["regime"] == "eir"
    assert logged["air"]["rulebase"]["id"] == load_rulebase(ROOT / "rules" / "eir").meta.id
    assert "(answered under the Environmental Information Regulations 2004)" in (tmp_path / "n.md").read_text(
        encoding="utf-8")


def test_a_switch_can_be_undone_at_the_eir_decision_screen(tmp_path: Path) -> None:
    code, out = noise(tmp_path, ["s", *EIR_OPEN, "u", "a", ""])  # switch, answer, undo, keep the FOIA outcome
    assert code == 0, out
    assert "Part 'noise' is answered under FOIA again, with its FOIA answers." in out
    (record,) = records(tmp_path)
    assert record["decision"]["outcome"] == "eir" and "regime_switch" not in record
    assert "regime" not in record["part"] and record["answers"]["environmental"] is True


def test_withholding_reasons_cites_the_law_of_the_part(tmp_path: Path) -> None:
    """FOIA's s17(4) is not cited in a FOISA interview: FOISA s16(3) is the provision."""
    foisa = ROOT / "examples" / "police-scotland-covert-foisa.yaml"
    code, out = interview(tmp_path, ["w", "", "a", "", "w", "", "a", "", "", "", "", ""], "--answers", str(foisa))
    flat = " ".join(out.split())
    assert "FOISA s16(3) lets you leave out" in flat
    assert "s17(4)" not in flat
