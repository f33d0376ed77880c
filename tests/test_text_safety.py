"""User text is text: hostile strings (Rich markup, escape sequences, C0/C1 controls, bidi
overrides) through every screen and output format; sessions and records of the wrong shape read
defensively (issue 13, items 5 and 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.cli import app
from ncnd_assistant.interview.session import Session
from ncnd_assistant.paths import packaged_rules_root
from ncnd_assistant.text_safety import for_terminal, json_safe, markup_safe, printable
from tests.conftest import SEED
from tests.test_interview import CASE, COVERT, OVERT, PARTS

runner = CliRunner()

MARKUP = "unbalanced [/] tag [bold red]ALERT[/bold red] [link=https://evil.example]click me[/link]"
ESCAPES = ("\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x9b2J \x9d0;title\x9c "
           "\x07\x08 \u202eevil")
HOSTILE = f"{MARKUP} {ESCAPES}"
CONTROLS = ("\x1b", "\x9b", "\x9d", "\x9c", "\x07", "\x08")  # none of these may reach a terminal or a letter


def clean(text: str, bidi: bool = True) -> None:
    """`text` holds no control character (nor, with `bidi`, a bidi override)."""
    assert not [c for c in CONTROLS + (("\u202e",) if bidi else ()) if c in text], repr(text[:2000])


def invoke(tmp_path: Path, *args: str) -> Any:
    return runner.invoke(app, list(args), env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "250"})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The seed answers file with hostile text in its case reference, officer and part summaries."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["case_ref"] = "C-1 [bold]X[/] \x1b[2J\x9b1m"
    data["officer"] = HOSTILE
    for part in data["parts"]:
        part["summary"] = HOSTILE
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    return path


def test_the_helpers() -> None:
    assert printable(ESCAPES) == "red link    \u202eevil"  # an OSC title goes with its sequence
    assert for_terminal(ESCAPES) == "red link    evil"
    assert printable("keeps\ttabs\nand lines, drops\r CR and \x00 NUL and \x7f DEL") == (
        "keeps\ttabs\nand lines, drops CR and  NUL and  DEL")
    assert markup_safe("[bold]x[/]") == "\\[bold]x\\[/]"
    assert printable("plain text, “curly” and ü") == "plain text, “curly” and ü"
    assert json.loads(json_safe(json.dumps(HOSTILE, ensure_ascii=False))) == HOSTILE
    clean(json_safe(json.dumps(HOSTILE, ensure_ascii=False)))


def test_decide_shows_user_text_literally_in_every_format(hostile: Path, tmp_path: Path) -> None:
    text = invoke(tmp_path, "decide", "--answers", str(hostile))
    assert text.exit_code == 0, text.output
    assert "[link=https://evil.example]click me[/link]" in text.output and "[/]" in text.output
    assert "[bold red]ALERT[/bold red]" in text.output and "Case C-1 [bold]X[/]" in text.output
    clean(text.output)
    markdown = invoke(tmp_path, "decide", "--answers", str(hostile), "--format", "markdown")
    assert markdown.exit_code == 0 and "[link=https://evil.example]" in markdown.output
    clean(markdown.output, bidi=False)
    as_json = invoke(tmp_path, "decide", "--answers", str(hostile), "--format", "json")
    assert json.loads(as_json.stdout)["parts"][0]["summary"] == HOSTILE  # JSON is data: kept exactly
    clean(as_json.stdout)  # but written with escapes: C0 by json.dumps, C1 and bidi by json_safe


def test_the_interview_screens_and_letter_show_user_text_literally(tmp_path: Path) -> None:
    notice, log = tmp_path / "notice.md", tmp_path / "audit.jsonl"
    parts = [PARTS[0], HOSTILE, *PARTS[2:5], HOSTILE, *PARTS[6:]]
    lines = CASE[:2] + [HOSTILE, "."] + CASE[4:] + parts + OVERT + ["a"] + COVERT + ["e", "a"]
    result = runner.invoke(app, ["interview", "--prompt", "--case-ref", "T-[/]1\x1b[31m", "--notice-out", str(notice),
                                 "--audit", str(log)], input="\n".join(lines) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Part 'overt': unbalanced [/] tag [bold red]ALERT[/bold red]" in result.output
    clean(result.output)
    letter = notice.read_text(encoding="utf-8")
    assert "[link=https://evil.example]click me[/link]" in letter
    clean(letter, bidi=False)


def test_the_batch_interview_decision_screen_and_letter(hostile: Path, tmp_path: Path) -> None:
    notice, log = tmp_path / "notice.md", tmp_path / "audit.jsonl"
    result = invoke(tmp_path, "interview", "--answers", str(hostile), "--no-prompt", "--notice-out", str(notice),
                    "--audit", str(log))
    assert result.exit_code == 0, result.output
    assert "[link=https://evil.example]click me[/link]" in result.output
    clean(result.output)
    clean(notice.read_text(encoding="utf-8"), bidi=False)


def test_the_audit_commands_and_the_notice_show_user_text_literally(hostile: Path, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    assert invoke(tmp_path, "decide", "--answers", str(hostile), "--record", "--audit", str(log)).exit_code == 0
    first = json.loads(log.read_text(encoding="utf-8").splitlines()[0])["id"]
    listed = invoke(tmp_path, "audit", "list", "--audit", str(log))
    assert listed.exit_code == 0 and "C-1 [bold]X[/]" in listed.output and "[bold red]ALERT" in listed.output
    clean(listed.output)
    for args in (["audit", "show", first], ["audit", "export", first], ["notice", first],
                 ["notice", first, "--format", "text"], ["audit", "replay", "--all"]):
        result = invoke(tmp_path, *args, "--audit", str(log))
        assert result.exit_code == 0, (args, result.output)
        clean(result.output, bidi=args[0] == "audit" and args[1] == "replay")
    shown = invoke(tmp_path, "audit", "show", first, "--audit", str(log)).output
    assert "[link=https://evil.example]click me[/link]" in shown
    exported = invoke(tmp_path, "audit", "export", first, "--format", "json", "--audit", str(log))
    assert json.loads(exported.stdout)["decision"]["part"]["summary"] == HOSTILE  # the record, exactly
    clean(exported.stdout)
    for args in (["audit", "list", "--json"], ["audit", "show", first, "--json"]):
        as_json = invoke(tmp_path, *args, "--audit", str(log)).stdout
        assert json.loads(as_json.splitlines()[0] if args[1] == "list" else as_json)["part"]["summary"] == HOSTILE
        clean(as_json)


# ---------------------------------------------------------------------------------------------- sessions
SESSION = {"format": 1, "id": "s", "parts": [{"id": "p", "summary": "s"}]}


def session_with(**changes: Any) -> str:
    return json.dumps({**SESSION, **changes})


@pytest.mark.parametrize(("content", "message"), [
    ("[]", "the file must be a JSON object, not a list"),
    ('"hello"', "the file must be a JSON object, not text 'hello'"),
    ("null", "the file must be a JSON object, not null"),
    ("[" * 100_000, "the JSON is nested too deeply"),
    ("{", "the file is not valid JSON"),
    ('{"current": "0"}', "is not a session file this version can read (field `format` is not 1)"),
    (session_with(current="0"), "field `current` must be a whole number from 0 to 1, not text '0'"),
    (session_with(current=99), "field `current` must be a whole number from 0 to 1, not a number 99"),
    (session_with(current=True), "field `current` must be a whole number from 0 to 1, not true/false"),
    (session_with(parts="p"), "field `parts` must be a list, not text 'p'"),
    (session_with(parts=[[]]), "field `parts[0]` must be a JSON object, not a list"),
    (session_with(parts=[{"id": "p"}]), "field `parts[0].summary` is missing"),
    (session_with(parts=[{"id": "p", "summary": "s"}] * 2), "field `parts[1].id` repeats the part id 'p'"),
    (session_with(id=None), "field `id` must be text, not null"),
    (session_with(received="2026-02-30"), "field `received` must be a date YYYY-MM-DD, not text '2026-02-30'"),
    (session_with(parts=[{"id": "p", "summary": "s", "answers": []}]),
     "field `parts[0].answers` must be an object of true/false or text answers, not a list"),
    (session_with(parts=[{"id": "p", "summary": "s", "decision": {"recommended": "ncnd", "final": "x"}}]),
     "field `parts[0].decision.final` must be one of ncnd, not_held, withhold, disclose, refuse, eir, not text 'x'"),
    (session_with(rulebase=[]), "field `rulebase` must be an object of text values, not a list"),
])
def test_a_bad_session_is_refused_naming_the_file_and_the_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["interview", "--resume", str(path), "--no-prompt"],
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "80"})  # on one line
    assert result.exit_code == 4, result.output
    assert f"Error: cannot read session {path}: {message}" in result.output or (
        f"Error: {path} {message}" in result.output), result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    assert path.read_text(encoding="utf-8") == content  # untouched
    assert list(tmp_path.iterdir()) == [path]  # and nothing else written


def test_a_saved_session_still_loads(tmp_path: Path) -> None:
    session = Session.new("C-1", tmp_path)
    session.save()
    assert Session.load(session.path).to_data() == session.to_data()


# ---------------------------------------------------------------------------------------------- records
def odd_log(tmp_path: Path) -> tuple[Path, list[str]]:
    """A log that verifies, holding a good decision and decision records of odd shapes."""
    log = tmp_path / "audit.jsonl"
    assert invoke(tmp_path, "decide", "--answers", str(SEED), "--record", "--audit", str(log)).exit_code == 0
    good = {k: v for k, v in json.loads(log.read_text(encoding="utf-8").splitlines()[0]).items()
            if k not in ("id", "time", "tool_version", "hash", "prev_hash")}
    odd: list[dict[str, Any]] = [
        {"kind": "decision"}, {"kind": "decision", "part": "p1", "case_ref": "X"},
        {"kind": "decision", "questions": [[1]], "answers": [], "recommendation": "x", "decision": ["a"]},
        {"kind": "sign-off", "decision_id": ["x"]}, {"kind": "decision", "part": {"id": ["a"]}, "override": "no"},
        {**good, "session": "s1", "decision": {"outcome": "bogus", "provisions": []}},
        {**good, "session": "s2", "case": {"received": "2026-02-30", "request": "r"}},
        {**good, "session": "s3", "time": "0001-01-01T00:00:00+14:00"},
    ]
    return log, [audit.append(log, body).id for body in odd]


def _never_crash(tmp_path: Path, log: Path, commands: list[list[str]]) -> None:
    for args in commands:
        result = invoke(tmp_path, *args, "--audit", str(log))
        assert "Internal error" not in result.output and "Traceback" not in result.output, (args, result.output)
        assert result.exit_code in (0, 1, 4), (args, result.output)


@pytest.mark.slow  # `rules diff` re-assesses the logged decisions under two rule bases: about 2 s of CPU
def test_odd_records_never_crash_rules_diff(tmp_path: Path) -> None:
    log, _ = odd_log(tmp_path)
    _never_crash(tmp_path, log, [["rules", "diff", "--against", str(packaged_rules_root() / "foia")]])


def test_odd_records_never_crash_the_commands_that_read_them(tmp_path: Path) -> None:
    log, ids = odd_log(tmp_path)
    commands = [["audit", "verify"], ["audit", "list"], ["audit", "list", "--json"], ["audit", "replay", "--all"],
                ["audit", "pending"]]
    commands += [[*c, i] for i in ids for c in (["audit", "show"], ["audit", "export"], ["notice"])]
    _never_crash(tmp_path, log, commands)
    bogus = invoke(tmp_path, "notice", ids[5], "--audit", str(log)).output
    assert f"record {ids[5]}: the decision outcome 'bogus' is not one this version knows" in " ".join(bogus.split())
    bad_date = invoke(tmp_path, "notice", ids[6], "--audit", str(log)).output
    assert f"record {ids[6]}: the date received '2026-02-30' is not a date" in " ".join(bad_date.split())
