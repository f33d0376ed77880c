"""The interview's letter carries what the answers file and the override give it: the requester,
the numbered questions each part answers, and the provisions an officer chose on an override."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.letter.notice import NoticePart, chosen_provisions, render_notice
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import SEED

runner = CliRunner()


def test_the_interview_letter_is_addressed_and_says_which_questions_each_part_answers(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    text = seed.replace("regime: foia\n", "regime: foia\nrequester:\n  name: Ms A Requester\n"
                                          "  address: \"1 High Street\\nBirmingham B1 1AA\"\n", 1)
    text = text.replace("  - id: overt\n", "  - id: overt\n    questions: [1, 2]\n", 1)
    text = text.replace("  - id: covert\n", "  - id: covert\n    questions: [3, 4]\n", 1)
    answers = tmp_path / "addressed.yaml"
    answers.write_text(text, encoding="utf-8")
    notice = tmp_path / "n.md"
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--notice-out", str(notice),
                                 "--audit", str(tmp_path / "a.jsonl")], env={"NCND_DATA_DIR": str(tmp_path / "d")})
    assert result.exit_code == 0, result.output
    letter = " ".join(notice.read_text(encoding="utf-8").split())
    assert "Ms A Requester" in letter and "Birmingham B1 1AA" in letter
    assert "questions 1 and 2" in letter and "questions 3 and 4" in letter


def test_an_override_cites_the_provisions_the_officer_chose(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    request = load_request(SEED, shipped)
    covert = shipped_assessor.assess_part(next(p for p in request.parts if p.id == "covert"))
    accepted = chosen_provisions(shipped, covert, covert.outcome, [c.provision.id for c in covert.decision.cited])
    assert accepted == ()  # the recommendation's own: the letter uses its reasons as they are
    dropped = chosen_provisions(shipped, covert, Outcome.NCND, ["s31(3)"])
    letter = render_notice(shipped, "X", None, "", [NoticePart(covert, Outcome.NCND, "only s31(3) applies",
                                                                 chosen=dropped)], "text")
    flat = " ".join(letter.split())
    assert "by virtue of S31(3)." in flat and "S24(2)" not in flat
    overt = shipped_assessor.assess_part(next(p for p in request.parts if p.id == "overt"))
    added = chosen_provisions(shipped, overt, Outcome.NCND, ["s30(3)"])
    assert [c.provision.id for c in added] == ["s30(3)"]
    flat = " ".join(render_notice(shipped, "X", None, "", [NoticePart(overt, Outcome.NCND, "an investigation",
                                                                        chosen=added)], "text").split())
    assert "by virtue of S30(3)" in flat and "[officer to state the provisions]" not in flat
