"""The officer's own text in an NCND part: the detector, and the interview's letter step that shows
it exactly as sent, warns, asks to confirm, edit or leave it out, and records how it was checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ncnd_assistant.cli.app import app
from ncnd_assistant.letter.free_text import HYPOTHETICAL_OK, check_text
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import SEED

runner = CliRunner()
KESTREL = "Operation Kestrel is a live operation against a named organised crime group in Walsall."
SEED_REASON = ("Confirming or denying whether the force uses facial recognition covertly would tell criminals "
               "and terrorists whether that capability exists here; set against the national threat level and the "
               "answers other forces give, that outweighs the general benefit of transparency.")


@pytest.mark.parametrize(("text", "why"), [
    (KESTREL, "names an operation"),
    (KESTREL, "reveals a capability or an activity"),
    (KESTREL, "names a person, place or organisation"),
    ("Our records show nothing of the kind.", "says whether information is held"),
    ("We hold a report on this.", "says whether information is held"),
    ("The force does not hold it.", "says whether information is held"),
    ("The force deployed it on 3 March 2025.", "gives a date"),
    ("It has been used since 2019.", "gives a date"),
    ("The source met DC Smith twice.", "names a person"),
    ("We have deployed the tactic twice.", "reveals a capability or an activity"),
])
def test_text_that_may_reveal_holding_or_a_capability_is_flagged(text: str, why: str) -> None:
    assert why in {w.why for w in check_text(text)}


@pytest.mark.parametrize("text", [
    SEED_REASON,
    "Confirming or denying whether we hold this would reveal the tactics police forces may use.",
    "Disclosure would harm the work of West Midlands Police and the Home Office.",
])
def test_neutral_text_is_not_flagged(text: str) -> None:
    assert check_text(text, ["West Midlands Police"]) == []


def interview(tmp_path: Path, answers: Path, *args: str, stdin: str | None = None) -> tuple[Any, list[dict[str, Any]]]:
    log = tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--received", "2018-05-01", "--officer",
                                 "A. Officer", "--audit", str(log), "--notice-out", str(tmp_path / "n.md"), *args],
                           input=stdin, env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"})
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return result, logged


def with_reason(tmp_path: Path, reason: str) -> Path:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("      ncnd_pi_reason: >-")
    path = tmp_path / "answers.yaml"
    path.write_text(text[:start] + f"      ncnd_pi_reason: \"{reason}\"\n", encoding="utf-8")
    return path


def test_a_scripted_run_prints_the_warnings_and_records_the_text_as_not_confirmed(tmp_path: Path) -> None:
    answers = with_reason(tmp_path, KESTREL + " Confirming or denying would reveal it to the group.")
    result, logged = interview(tmp_path, answers)
    assert result.exit_code == 0, result.output
    assert "Held-invariance covers the rule base's wording only" in result.output
    assert 'names an operation: "Operation Kestrel"' in result.output
    assert "Not confirmed: there is no terminal to ask" in result.output
    covert = next(r for r in logged if r["part"]["id"] == "covert")
    assert covert["free_text_check"]["status"] == "not-confirmed"
    assert any("Operation Kestrel" in w for w in covert["free_text_check"]["warnings"])
    assert "Sign-off: the covert part relies on s24(2)" in result.output
    assert f"ncnd audit sign-off {covert['id']} --by NAME" in result.output
    overt = next(r for r in logged if r["part"]["id"] == "overt")
    assert "free_text_check" not in overt  # not an NCND part
    assert [p["id"] for p in covert["case_parts"]] == ["overt", "covert"]


def test_at_a_terminal_the_officer_edits_the_text_and_the_summary(tmp_path: Path) -> None:
    answers = with_reason(tmp_path, KESTREL + " Confirming or denying would reveal it to the group.")
    safer = ("Confirming or denying would tell offenders whether this tactic is available here, and that "
             "outweighs the general benefit of transparency.")
    # accept both parts; keep the overt summary, reword the covert one; edit the flagged text, then confirm
    stdin = "\n".join(["a", "a", "", "covert facial recognition", "", "e", safer, "c"]) + "\n"
    result, logged = interview(tmp_path, answers, "--prompt", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert "in relation to covert facial recognition" in result.output  # the sentence shown again
    covert = next(r for r in logged if r["part"]["id"] == "covert")
    assert covert["free_text_check"]["status"] == "edited"
    assert covert["answers"]["ncnd_pi_reason"] == safer and covert["part"]["summary"] == "covert facial recognition"
    letter = " ".join((tmp_path / "n.md").read_text(encoding="utf-8").split())
    assert "Operation Kestrel" not in letter and safer in letter
    assert "in relation to covert facial recognition" in letter


def test_the_officer_may_leave_their_harm_text_out(tmp_path: Path) -> None:
    stdin = "\n".join(["a", "h", KESTREL, "a", "", "", "l", "c"]) + "\n"
    result, logged = interview(tmp_path, SEED, "--prompt", stdin=stdin)
    assert result.exit_code == 0, result.output
    covert = next(r for r in logged if r["part"]["id"] == "covert")
    assert covert["harm_text"] == "" and covert["free_text_check"]["status"] == "left-out,confirmed"
    assert "Kestrel" not in (tmp_path / "n.md").read_text(encoding="utf-8")


def test_enter_confirms_a_text_nothing_flags_but_a_flagged_text_needs_a_choice(tmp_path: Path) -> None:
    clean = with_reason(tmp_path, "Confirming or denying would tell offenders whether this tactic is available here, "
                                  "and that outweighs the general benefit of transparency.")
    result, logged = interview(tmp_path, clean, "--prompt", stdin="\n".join(["a", "a", "", "", ""]) + "\n")
    assert result.exit_code == 0, result.output
    covert = next(r for r in logged if r["part"]["id"] == "covert")
    assert covert["free_text_check"]["status"] == "confirmed"
    flagged = with_reason(tmp_path, KESTREL + " Confirming or denying would reveal it to the group.")
    result, logged = interview(tmp_path / "second", flagged, "--prompt",
                               stdin="\n".join(["a", "a", "", "", "", "c"]) + "\n")
    assert result.exit_code == 0, result.output
    assert "Please type c, e or l." in result.output  # Enter alone is not a confirmation of flagged text
    covert = next(r for r in logged if r["part"]["id"] == "covert")
    assert covert["free_text_check"]["status"] == "confirmed"


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_the_detector_never_fails_and_each_warning_quotes_the_text(text: str) -> None:
    for warning in check_text(text):
        assert warning.phrase and warning.phrase in text


def test_the_rule_bases_own_ncnd_wording_is_not_taken_for_a_revelation(shipped: RuleBase) -> None:
    """The detector reads "confirming or denying whether this is held" as the question it is: none of
    the Stage-1 paragraphs is flagged as saying whether information is held or revealing a capability."""
    texts = [r.notice for r in shipped.stage_rules(1) if r.notice]
    assert len(texts) > 30
    flagged = [t[:60] for t in texts if any(w.why in HYPOTHETICAL_OK for w in check_text(t))]
    assert flagged == []
