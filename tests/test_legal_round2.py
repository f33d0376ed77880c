"""Legal round 2 through the CLI: other regimes refused, environmental parts sent to the EIR,
answers that contradict each other refused by `decide` and asked again by the interview."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ncnd_assistant.cli import app
from tests.conftest import SEED

runner = CliRunner()
ANSWERS = Path(__file__).parent / "fixtures" / "answers"


def _decide(path: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["decide", "--answers", str(path), *extra])
    return result.exit_code, result.output


def test_a_foisa_request_is_refused_naming_the_regime_and_where_it_is_declared(tmp_path: Path) -> None:
    foisa = tmp_path / "foisa.yaml"
    foisa.write_text(SEED.read_text(encoding="utf-8").replace("regime: foia", "regime: foisa"), encoding="utf-8")
    code, out = _decide(foisa, "--format", "markdown")
    assert code == 4, out
    line = next(n for n, text in enumerate(foisa.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("regime:"))
    assert f"foisa.yaml:{line}:9: wrong-regime:" in out
    assert "Freedom of Information (Scotland) Act 2002" in out and "--rules" in out
    assert "can neither confirm nor deny" not in out and "Traceback" not in out


def test_an_eir_request_is_refused_too(tmp_path: Path) -> None:
    eir = tmp_path / "eir.yaml"
    eir.write_text(SEED.read_text(encoding="utf-8").replace("regime: foia", "regime: eir"), encoding="utf-8")
    code, out = _decide(eir)
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
                           input="\n".join(["2018-06-11", "", "n", "y", "a"]) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"})
    out = result.output
    assert result.exit_code == 0, out
    assert out.count("Your answers contradict each other") == 2  # the same answer again is not accepted
    assert "Neither confirm nor deny" in out
    (record,) = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert record["decision"]["outcome"] == "ncnd"
    assert {q["id"]: q["answer"] for q in record["questions"]}["general_answer_harmful"] == "Yes"
