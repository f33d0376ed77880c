"""The audit trail: durable chained appends, torn-tail repair, tamper detection, search, export,
four-eyes sign-off and replay under a changed rule base."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import typer
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.export import MASK, export
from ncnd_assistant.audit.query import find, list_records
from ncnd_assistant.audit.record import (
    AuditRecord,
    DecisionRecord,
    ExportRecord,
    RepairRecord,
    record_hash,
    record_line,
)
from ncnd_assistant.audit.replay import DIFFERS, INCOMPLETE, NOT_REPLAYABLE, SAME, replay
from ncnd_assistant.audit.signoff import pending_sign_offs, sign_off
from ncnd_assistant.audit.verify import EDITED, LINK, NOT_JSON, TORN, verify
from ncnd_assistant.cli.audit_cmds import audit_app
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import StorageError
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import EXAMPLE, ROOT

runner = CliRunner()
cli = typer.Typer()
cli.add_typer(audit_app, name="audit")


def run_cli(log: Path, *args: str) -> Any:
    return runner.invoke(cli, ["audit", *args, "--audit", str(log)], env={"COLUMNS": "200"})


def clock_at(day: str) -> Callable[[], datetime]:
    return lambda: datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=UTC)


def ids(*prefixes: str) -> Callable[[], str]:
    """An id source giving ids that start with each prefix in turn (padded to 32 hex digits)."""
    it = iter(prefixes)
    return lambda: next(it).ljust(32, "0")


def decision(rb: RuleBase, assessor: Assessor, part_id: str, answers: dict[str, Any], *, case_ref: str = "C-1",
             officer: str = "Alice", session: str = "s1", final: str | None = None, record_answers: bool = True,
             sign_off_required: bool = False) -> dict[str, Any]:
    """A decision record in the documented shape (docs/audit.md), from a real assessment."""
    pa = assessor.assess_part(Part(part_id, f"summary of {part_id}", answers))
    provisions = [c.provision.id for c in pa.decision.cited]
    final = final or pa.outcome.value
    record: dict[str, Any] = {
        "kind": "decision", "case_ref": case_ref, "officer": officer, "session": session,
        "rulebase": {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest},
        "part": {"id": part_id, "summary": f"summary of {part_id}", "tags": ["covert"]},
        "questions": [{"id": q, "text": rb.question(q).text, "answer": rb.question(q).display(pa.env[q]),
                       "sensitive": rb.question(q).sensitive} for q in pa.asked],
        "answers": dict(answers),
        "fired": list(pa.fired),
        "recommendation": {"outcome": pa.outcome.value, "provisions": provisions},
        "decision": {"outcome": final, "provisions": provisions if final == pa.outcome.value else []},
        "override": None if final == pa.outcome.value else {"reason": "the officer knows better"},
        "harm_text": "", "public_interest_text": "", "reasons_withheld": False, "reasons": [],
        "sign_off_required": sign_off_required, "case": {"received": "2026-11-27", "request": "Do you use X?"},
    }
    if not record_answers:
        for key in ("answers", "reasons_withheld", "reasons", "sign_off_required", "case"):
            del record[key]
    return record


@pytest.fixture(scope="module")
def example_assessor(example: RuleBase) -> Assessor:
    return Assessor(example)


NCND_WOULD = {"covert_tactic": True, "crime_harm": "would", "officially_confirmed": False}
NOT_HELD = {"covert_tactic": False, "held": False}


def simple_log(tmp_path: Path, n: int = 5) -> Path:
    log = tmp_path / "audit.jsonl"
    for i in range(n):
        audit.append(log, {"kind": "decision", "case_ref": f"CASE-{i}", "officer": "Alice"})
    return log


R = TypeVar("R", bound=AuditRecord)


def typed(cls: type[R], record: AuditRecord) -> R:
    """`record`, checked to be of the record type `cls` (by its kind)."""
    assert isinstance(record, cls), record
    return record


def lines_of(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split("\n")


# ------------------------------------------------------------------------------------------ appending
def test_appends_are_chained_and_the_file_is_owner_only(tmp_path: Path) -> None:
    log = tmp_path / "sub" / "audit.jsonl"
    first = audit.append(log, {"kind": "decision", "case_ref": "A"}, clock_at("2026-11-27"))
    second = audit.append(log, {"kind": "decision", "case_ref": "B"})
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash
    assert first.time == "2026-11-27T10:00:00+00:00" and first.tool_version
    assert len(first.id) == 32
    raw = log.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 2
    assert json.loads(raw.split(b"\n")[0]) == first.to_json()
    assert list(json.loads(raw.split(b"\n")[0])) == sorted(first.to_json())  # keys sorted
    report = verify(log)
    assert report.ok and report.records == 2 and report.kinds == {"decision": 2}


def test_a_record_needs_a_kind(tmp_path: Path) -> None:
    with pytest.raises(audit.AuditError, match="kind"):
        audit.append(tmp_path / "a.jsonl", {"case_ref": "A"})


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ncnd_assistant.audit import log as audit
    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    Path(sys.argv[4]).touch()
    while not Path(sys.argv[5]).exists():
        pass
    for i in range(count):
        audit.append(path, {"kind": "decision", "case_ref": f"{name}-{i}", "officer": name, "seq": i,
                            "harm_text": "x" * (i % 7) * 300})
""")


@pytest.mark.slow  # starts another Python process
def test_two_processes_appending_at_once_corrupt_nothing(tmp_path: Path) -> None:
    log, go, count = tmp_path / "audit.jsonl", tmp_path / "go", 300
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(log), name, str(count),
                                 str(tmp_path / f"ready-{name}"), str(go)], cwd=ROOT)
               for name in ("one", "two")]
    while not all((tmp_path / f"ready-{name}").exists() for name in ("one", "two")):
        assert all(w.poll() is None for w in writers), "a writer died before starting"
    go.touch()  # both start appending together
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    report = verify(log)
    assert report.ok, str(report.first_bad)
    assert report.records == 2 * count and report.kinds == {"decision": 2 * count}
    records = [typed(DecisionRecord, r) for r in audit.read_records(log)]
    for name in ("one", "two"):
        assert [r.extra["seq"] for r in records if r.officer == name] == list(range(count))
    # the two writers really did interleave
    runs = [len(list(group)) for _, group in itertools.groupby(r.officer for r in records)]
    assert len(runs) > 2
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------ torn tails
def test_a_torn_tail_is_named_and_the_next_append_repairs_it(tmp_path: Path) -> None:
    log = simple_log(tmp_path, 3)
    whole = audit.read_records(log)
    partial = b'{"case_ref": "CASE-3", "id": "d\xc3'  # cut inside a two-byte UTF-8 character
    with log.open("ab") as handle:
        handle.write(partial)

    report = verify(log)
    assert not report.ok
    assert report.first_bad is not None
    assert (report.first_bad.line, report.first_bad.what) == (4, TORN)
    assert report.records == 3 and report.last_hash == whole[-1].hash  # every whole record checks out
    result = run_cli(log, "verify")
    assert result.exit_code == 1
    assert "line 4" in result.output and "torn tail" in result.output
    assert "3 record(s) before line 4 check out" in result.output
    with pytest.raises(audit.AuditError, match="torn"):
        audit.read_records(log)
    assert len(audit.read_records(log, tolerant=True)) == 3

    new = audit.append(log, {"kind": "decision", "case_ref": "CASE-4"})
    records = audit.read_records(log)
    assert [r.kind for r in records] == ["decision"] * 3 + ["repair", "decision"]
    repair = typed(RepairRecord, records[3])
    assert repair.prev_hash == whole[-1].hash and new.prev_hash == repair.hash
    assert repair.removed_bytes == len(partial)
    assert repair.removed_sha256 == hashlib.sha256(partial).hexdigest()
    assert repair.removed_text == '{"case_ref": "CASE-3", "id": "d\\xc3'
    assert repair.after == whole[-1].id and repair.offset == log.stat().st_size - len(
        record_line(repair.to_json())) - len(record_line(new.to_json()))
    report = verify(log)
    assert report.ok and report.kinds == {"decision": 4, "repair": 1} and len(report.repairs) == 1
    result = run_cli(log, "verify")
    assert result.exit_code == 0 and "repaired a torn tail" in result.output


def test_a_last_line_the_tool_did_not_write_is_refused_not_repaired(tmp_path: Path) -> None:
    log = simple_log(tmp_path, 2)
    for junk in (b"not a record\n", b"a fragment that is not a record"):
        with log.open("ab") as handle:
            handle.write(junk)
        before = log.read_bytes()
        bad = verify(log).first_bad
        assert bad is not None and bad.line == 3
        with pytest.raises(StorageError, match=f"refusing to append to {log}: its last line is neither"):
            audit.append(log, {"kind": "decision"})
        assert log.read_bytes() == before
        log.write_bytes(before[: -len(junk)])


@pytest.mark.parametrize("content", [b"case_ref: X\nparts: []\nlast: line\n", b"{}\n", b"no newline at all",
                                     b'{"hash": "x", "prev_hash": "y"} trailing\n'])
def test_a_file_that_is_not_a_log_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    other = tmp_path / "f.yaml"
    other.write_bytes(content)
    with pytest.raises(StorageError, match=f"refusing to write to {other}: its first line is not a decision-log"):
        audit.append(other, {"kind": "decision"})
    assert other.read_bytes() == content


def test_a_symlinked_log_is_refused_unless_told_to_follow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = simple_log(tmp_path, 1)
    with target.open("ab") as handle:
        handle.write(b'{"case_ref": "TORN')
    before = target.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with pytest.raises(StorageError, match=f"{link}: it is a symlink .set NCND_AUDIT_FOLLOW_SYMLINKS=1"):
        audit.append(link, {"kind": "decision"})
    assert target.read_bytes() == before
    monkeypatch.setenv("NCND_AUDIT_FOLLOW_SYMLINKS", "1")
    audit.append(link, {"kind": "decision"})
    assert [r.kind for r in audit.read_records(target)] == ["decision", "repair", "decision"]


def test_decide_record_refuses_an_ordinary_yaml_file(tmp_path: Path) -> None:
    from ncnd_assistant.cli.app import app

    other = tmp_path / "f.yaml"
    other.write_text("case_ref: X\nlast: line\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["decide", "--answers", str(ROOT / "examples" / "wmp-16883-18.yaml"), "--record",
                                      "--audit", str(other)])
    assert result.exit_code == 6, result.output
    assert f"Error: refusing to write to {other}: its first" in " ".join(result.output.split())
    assert other.read_text(encoding="utf-8") == "case_ref: X\nlast: line\n"


@pytest.mark.parametrize("torn", [b"{", b'{"'])
def test_a_write_torn_after_its_first_bytes_is_still_the_tools(tmp_path: Path, torn: bytes) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_bytes(torn)  # killed during the very first append
    audit.append(log, {"kind": "decision"})
    assert [r.kind for r in audit.read_records(log)] == ["repair", "decision"] and verify(log).ok


def test_a_torn_tail_after_a_long_record_is_found(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    audit.append(log, {"kind": "decision", "harm_text": "h" * 300_000})
    audit.append(log, {"kind": "decision", "harm_text": "i" * 200_000})
    last = audit.read_records(log)[-1]
    with log.open("ab") as handle:
        handle.write(b'{"kind": "dec')
    repaired = audit.append(log, {"kind": "decision"})
    records = audit.read_records(log)
    assert records[2].kind == "repair" and records[2].prev_hash == last.hash
    assert repaired.prev_hash == records[2].hash and verify(log).ok


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from ncnd_assistant.audit import log as audit

    def torn_write(fd, data):
        os.write(fd, data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)  # killed between the write and the fsync

    audit._write = torn_write
    audit.append(Path(sys.argv[1]), {"kind": "decision", "case_ref": "KILLED", "harm_text": "y" * 500})
""")


@pytest.mark.slow  # starts another Python process
def test_a_writer_killed_mid_append(tmp_path: Path) -> None:
    log = simple_log(tmp_path, 4)
    size = log.stat().st_size
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(log)], cwd=ROOT, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert log.stat().st_size > size

    report = verify(log)
    assert report.first_bad is not None
    assert (report.first_bad.line, report.first_bad.what, report.records) == (5, TORN, 4)
    result = run_cli(log, "verify")
    assert result.exit_code == 1 and "line 5" in result.output and "torn tail" in result.output

    audit.append(log, {"kind": "decision", "case_ref": "AFTER"})  # the dead writer's lock is gone
    records = audit.read_records(log)
    assert [r.kind for r in records[4:]] == ["repair", "decision"]
    assert typed(RepairRecord, records[4]).removed_text.startswith('{"case_ref": "KILLED"')
    assert verify(log).ok


# ------------------------------------------------------------------------------------------ tampering
def edit_value(lines: list[str]) -> None:
    lines[2] = lines[2].replace("CASE-2", "CASE-X")


def edit_hash(lines: list[str]) -> None:
    record = json.loads(lines[2])
    lines[2] = lines[2].replace(record["hash"], "f" * 64)


def edit_and_rehash(lines: list[str]) -> None:
    record = json.loads(lines[2])
    record["case_ref"] = "CASE-X"
    record["hash"] = record_hash(record)
    lines[2] = record_line(record).decode().rstrip("\n")


def remove_middle(lines: list[str]) -> None:
    del lines[2]


def remove_first(lines: list[str]) -> None:
    del lines[0]


def swap(lines: list[str]) -> None:
    lines[2], lines[3] = lines[3], lines[2]


def insert_garbage(lines: list[str]) -> None:
    lines.insert(2, "{not json")


def insert_blank(lines: list[str]) -> None:
    lines.insert(2, "")


def reformat(lines: list[str]) -> None:
    lines[2] = json.dumps(json.loads(lines[2]), sort_keys=True, indent=None, separators=(", ", ":"))


def truncate_mid_record(lines: list[str]) -> None:
    lines[-2] = lines[-2][:-20]
    del lines[-1]  # no final newline


TAMPERING = [
    (edit_value, 3, EDITED, "does not match its hash"),
    (edit_hash, 3, EDITED, "does not match its hash"),
    (edit_and_rehash, 4, LINK, "line 3"),
    (remove_middle, 3, LINK, "removed"),
    (remove_first, 1, LINK, "removed"),
    (swap, 3, LINK, "reordered"),
    (insert_garbage, 3, NOT_JSON, "not valid JSON"),
    (insert_blank, 3, NOT_JSON, "blank line"),
    (reformat, 3, EDITED, "not as written"),
    (truncate_mid_record, 5, TORN, "incomplete"),
]


@pytest.mark.parametrize(("tamper", "line", "what", "detail"), TAMPERING, ids=[t[0].__name__ for t in TAMPERING])
def test_each_kind_of_tampering_is_detected(tmp_path: Path, tamper: Callable[[list[str]], None], line: int,
                                            what: str, detail: str) -> None:
    log = simple_log(tmp_path, 5)
    lines = lines_of(log)
    tamper(lines)
    log.write_text("\n".join(lines), encoding="utf-8")

    report = verify(log)
    assert report.first_bad is not None
    assert (report.first_bad.line, report.first_bad.what) == (line, what), str(report.first_bad)
    assert detail in report.first_bad.detail
    assert report.records == line - 1  # everything before the first bad record checks out
    assert report.last_hash == (json.loads(lines[line - 2])["hash"] if line > 1 else audit.GENESIS)
    assert report.kinds == ({"decision": line - 1} if line > 1 else {})
    result = run_cli(log, "verify")
    assert result.exit_code == 1
    assert f"line {line}" in result.output and what in result.output


def test_verify_on_an_empty_or_missing_log(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert verify(empty).ok and verify(empty).records == 0
    result = run_cli(tmp_path / "missing.jsonl", "verify")
    assert result.exit_code == 1 and "Error: no audit log" in result.output
    assert "Traceback" not in result.output


def test_the_log_location_comes_from_the_environment(tmp_path: Path) -> None:
    log = simple_log(tmp_path, 1)
    result = runner.invoke(cli, ["audit", "verify"], env={"NCND_AUDIT": str(log)})
    assert result.exit_code == 0 and "1 record(s)" in result.output
    data = tmp_path / "data"
    result = runner.invoke(cli, ["audit", "verify"], env={"NCND_AUDIT": "", "NCND_DATA_DIR": str(data)})
    assert result.exit_code == 1
    assert "Error: no audit log at " + str(data / "audit.db") in result.output.replace("\n", "")  # the default store


# ------------------------------------------------------------------------------------------ search
@pytest.fixture
def varied_log(tmp_path: Path, example: RuleBase, example_assessor: Assessor) -> Path:
    log = tmp_path / "audit.jsonl"
    rb, a = example, example_assessor
    audit.append(log, decision(rb, a, "covert", NCND_WOULD, case_ref="C-1"), clock_at("2026-11-01"), ids("aaaa11"))
    audit.append(log, decision(rb, a, "overt", NOT_HELD, case_ref="C-1"), clock_at("2026-11-10"), ids("aaaa22"))
    audit.append(log, decision(rb, a, "covert", NCND_WOULD, case_ref="C-2", session="s2", final="withhold"),
                 clock_at("2026-11-20"), ids("bbbb33"))
    audit.append(log, {"kind": "sign-off", "decision_id": "aaaa11".ljust(32, "0"), "by": "Bob", "case_ref": "C-1"},
                 clock_at("2026-11-21"), ids("cccc44"))
    return log


def kept(records: list[AuditRecord]) -> list[str]:
    return [r.id[:6] for r in records]


def test_list_filters(varied_log: Path) -> None:
    log = varied_log
    assert kept(list_records(log)) == ["aaaa11", "aaaa22", "bbbb33", "cccc44"]
    assert kept(list_records(log, case="C-1")) == ["aaaa11", "aaaa22", "cccc44"]
    assert kept(list_records(log, since=date(2026, 11, 10))) == ["aaaa22", "bbbb33", "cccc44"]
    assert kept(list_records(log, until=date(2026, 11, 10))) == ["aaaa11", "aaaa22"]
    assert kept(list_records(log, since=date(2026, 11, 2), until=date(2026, 11, 20))) == ["aaaa22", "bbbb33"]
    assert kept(list_records(log, provision="s31(3)")) == ["aaaa11", "bbbb33"]  # recommended, overridden
    assert kept(list_records(log, outcome="not_held")) == ["aaaa22"]
    assert kept(list_records(log, outcome="withhold")) == ["bbbb33"]
    assert kept(list_records(log, kind="sign-off")) == ["cccc44"]
    assert kept(list_records(log, case="C-1", outcome="ncnd")) == ["aaaa11"]

    result = run_cli(log, "list", "--case", "C-1", "--since", "2026-11-05", "--json")
    assert result.exit_code == 0
    assert [json.loads(line)["id"][:6] for line in result.stdout.splitlines()] == ["aaaa22", "cccc44"]
    table = run_cli(log, "list", "--outcome", "ncnd")
    assert table.exit_code == 0 and "aaaa11" in table.stdout and "aaaa22" not in table.stdout
    assert "signed off by Bob" in table.stdout
    assert run_cli(log, "list", "--outcome", "maybe").exit_code == 2
    assert run_cli(log, "list", "--since", "27/11/2026").exit_code == 2


def test_list_warns_when_the_log_does_not_verify(varied_log: Path) -> None:
    lines = lines_of(varied_log)
    assert '"C-2"' in lines[2]
    lines[2] = lines[2].replace('"C-2"', '"C-9"')
    varied_log.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli(varied_log, "list")
    assert result.exit_code == 0 and "Warning: the log does not verify (line 3" in result.output


def test_find_and_show_by_prefix(varied_log: Path) -> None:
    assert typed(DecisionRecord, find(varied_log, "bbbb")).case_ref == "C-2"
    assert find(varied_log, "AAAA22").id == "aaaa22".ljust(32, "0")
    with pytest.raises(audit.AuditError, match="'aaaa' matches 2 records"):
        find(varied_log, "aaaa")
    with pytest.raises(audit.AuditError, match="no record .* starting 'ffff'"):
        find(varied_log, "ffff")

    shown = run_cli(varied_log, "show", "bbbb")
    assert shown.exit_code == 0
    assert "Decided by the officer: Confirm held, withhold" in shown.stdout and "Override: the officer knows better" \
        in shown.stdout
    raw = run_cli(varied_log, "show", "cccc", "--json")
    assert raw.exit_code == 0 and json.loads(raw.stdout)["by"] == "Bob"
    ambiguous = run_cli(varied_log, "show", "aaaa")
    assert ambiguous.exit_code == 1 and ambiguous.output.startswith("Error: 'aaaa' matches 2 records")
    assert "Traceback" not in ambiguous.output


# ------------------------------------------------------------------------------------------ export
def sensitive_decision(example: RuleBase, assessor: Assessor) -> dict[str, Any]:
    record = decision(example, assessor, "covert", NCND_WOULD, sign_off_required=True)
    record["questions"].append({"id": "source_name", "text": "Who is the source?", "answer": "Agent Nightjar",
                                "sensitive": True})
    record["answers"]["source_name"] = "Agent Nightjar"
    record["reasons"] = ["ncnd-s31-covert-tactic (engage s31(3)): covert [relied on: Who is the source? -> "
                         "Agent Nightjar]", "balance: maintain"]
    return record


def test_export_masks_sensitive_answers_and_is_logged(tmp_path: Path, example: RuleBase,
                                                      example_assessor: Assessor) -> None:
    log = tmp_path / "audit.jsonl"
    rec = audit.append(log, sensitive_decision(example, example_assessor))
    sign_off(log, rec.id, "Bob")

    result, logged = export(log, rec.id[:8], "markdown", by="Carol")
    assert result.masked == ("source_name",)
    assert "Agent Nightjar" not in result.text
    assert "Answer: [withheld: sensitive]" in result.text
    assert "Answers to questions marked sensitive are shown as \"[withheld: sensitive]\": source_name." in result.text
    assert "Answer: Yes" in result.text  # other answers are shown
    for needed in (example.digest, "example-ncnd version 0.1.0", "Recommended by the rule base: Neither confirm "
                   "nor deny (ncnd); provisions: s31(3)", "ncnd-s31-covert-tactic", "Signed off by Bob",
                   "- balance: maintain"):
        assert needed in result.text
    assert logged.kind == "export" and logged.decision_id == rec.id and logged.masked == ("source_name",)
    assert logged.by == "Carol" and logged.format == "markdown"
    assert logged.export_sha256 == hashlib.sha256(result.text.encode()).hexdigest()

    as_json, _ = export(log, rec.id, "json")
    doc = json.loads(as_json.text)
    assert doc["export"]["masked"] == ["source_name"] and "Agent Nightjar" not in as_json.text
    assert doc["decision"]["answers"]["source_name"] == MASK
    assert doc["decision"]["answers"]["covert_tactic"] is True
    assert [s["by"] for s in doc["sign_offs"]] == ["Bob"]

    unmasked, _ = export(log, rec.id, "markdown", mask_sensitive=False)
    assert "Agent Nightjar" in unmasked.text and unmasked.masked == ()
    assert verify(log).kinds == {"decision": 1, "export": 3, "sign-off": 1}
    kept_answers = typed(DecisionRecord, find(log, rec.id)).answers
    assert kept_answers is not None and kept_answers["source_name"] == "Agent Nightjar"  # the log keeps it

    out = tmp_path / "ico.md"
    cli_result = run_cli(log, "export", rec.id[:8], "--out", str(out), "--by", "Dan")
    assert cli_result.exit_code == 0, cli_result.output
    assert "Masked the answers to the sensitive question(s): source_name." in cli_result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "Agent Nightjar" not in out.read_text(encoding="utf-8")
    assert typed(ExportRecord, list_records(log, kind="export")[-1]).by == "Dan"
    printed = run_cli(log, "export", rec.id, "--format", "json", "--no-mask")
    assert printed.exit_code == 0 and "Nothing masked" in printed.output


def test_old_records_and_non_decisions(tmp_path: Path, example: RuleBase, example_assessor: Assessor) -> None:
    log = tmp_path / "audit.jsonl"
    old = decision(example, example_assessor, "covert", NCND_WOULD, record_answers=False)
    for q in old["questions"]:
        del q["sensitive"]
    rec = audit.append(log, old)
    result, _ = export(log, rec.id)
    assert "This record predates sensitivity flags" in result.text and result.masked == ()
    exported = list_records(log, kind="export")[0]
    with pytest.raises(audit.AuditError, match="only decisions are exported"):
        export(log, exported.id)


# ------------------------------------------------------------------------------------------ four eyes
def test_sign_off_four_eyes(tmp_path: Path, example: RuleBase, example_assessor: Assessor) -> None:
    log = tmp_path / "audit.jsonl"
    needs = audit.append(log, decision(example, example_assessor, "covert", NCND_WOULD, officer="Alice Smith",
                                       sign_off_required=True))
    audit.append(log, decision(example, example_assessor, "overt", NOT_HELD, officer="Alice Smith"))
    assert [d.id for d in pending_sign_offs(log)] == [needs.id]
    pending = run_cli(log, "pending")
    assert pending.exit_code == 0 and needs.id[:10] in pending.stdout

    with pytest.raises(audit.AuditError, match="four eyes: Alice Smith made decision"):
        sign_off(log, needs.id, "  alice   SMITH ")
    with pytest.raises(audit.AuditError, match="needs the name"):
        sign_off(log, needs.id, " ")
    signed = sign_off(log, needs.id[:10], "Bob")
    assert signed.kind == "sign-off" and signed.decision_id == needs.id and signed.by == "Bob"
    assert signed.case_ref == "C-1" and signed.decided_by == "Alice Smith"
    with pytest.raises(audit.AuditError, match="Bob already signed off"):
        sign_off(log, needs.id, "bob")
    with pytest.raises(audit.AuditError, match="'sign-off' record, not a decision"):
        sign_off(log, signed.id, "Carol")
    assert pending_sign_offs(log) == []
    assert run_cli(log, "pending").stdout.strip() == "No decisions await sign-off."

    same = run_cli(log, "sign-off", needs.id, "--by", "Alice Smith")
    assert same.exit_code == 1 and same.output.startswith("Error: four eyes")
    other = run_cli(log, "sign-off", needs.id, "--by", "Carol")
    assert other.exit_code == 0 and "by Carol" in other.stdout
    assert verify(log).kinds == {"decision": 2, "sign-off": 2}
    with pytest.raises(audit.AuditError, match="no audit log"):
        sign_off(tmp_path / "none.jsonl", "abc", "Bob")
    assert not (tmp_path / "none.jsonl").exists()


def test_a_re_decided_part_replaces_the_earlier_decision_awaiting_sign_off(tmp_path: Path, example: RuleBase,
                                                                          example_assessor: Assessor) -> None:
    log = tmp_path / "audit.jsonl"
    audit.append(log, decision(example, example_assessor, "covert", NCND_WOULD, sign_off_required=True))
    again = audit.append(log, decision(example, example_assessor, "covert", NCND_WOULD, sign_off_required=True))
    assert [d.id for d in pending_sign_offs(log)] == [again.id]


# ------------------------------------------------------------------------------------------ replay
SCENARIOS: dict[str, dict[str, Any]] = {
    "would": {"covert_tactic": True, "crime_harm": "would", "officially_confirmed": False, "held": False},
    "likely_not_held": {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": False,
                        "held": False},
    "likely_held": {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": False, "held": True},
    "confirmed": {"covert_tactic": True, "crime_harm": "would", "officially_confirmed": True, "held": True},
    "overt_not_held": {"covert_tactic": False, "held": False},
    "overt_held": {"covert_tactic": False, "held": True},
    "likely_asked_only": {"covert_tactic": True, "crime_harm": "likely", "officially_confirmed": False},
}


def test_replay_after_a_rule_change_reports_exactly_the_changed_decisions(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(EXAMPLE, rules)
    rb = load_rulebase(rules)
    assessor = Assessor(rb)
    log = tmp_path / "audit.jsonl"
    written = {name: audit.append(log, decision(rb, assessor, name, answers, session="s1"))
               for name, answers in SCENARIOS.items()}
    # an old record without answers, and a part decided twice (only the latest counts)
    old = audit.append(log, decision(rb, assessor, "old", SCENARIOS["likely_held"], session="s0",
                                     record_answers=False))
    audit.append(log, decision(rb, assessor, "twice", SCENARIOS["likely_held"], session="s2"))
    latest = audit.append(log, decision(rb, assessor, "twice", SCENARIOS["would"], session="s2"))

    unchanged = replay(log, rb, assessor=assessor)
    assert unchanged.differences == []
    assert len(unchanged.results) == len(SCENARIOS) + 2
    assert {r.record.id for r in unchanged.results if r.status == NOT_REPLAYABLE} == {old.id}
    assert run_cli(log, "replay", "--all", "--rules", str(rules)).exit_code == 0

    # the change: only "would" now counts as prejudice to law enforcement, not "would be likely to"
    path = rules / "rulebase.yaml"
    text = path.read_text(encoding="utf-8")
    assert "crime_harm: {in: [would, likely]}" in text
    path.write_text(text.replace("crime_harm: {in: [would, likely]}", "crime_harm: would"), encoding="utf-8")
    changed = load_rulebase(rules)
    assert changed.digest != rb.digest

    report = replay(log, changed)
    differ = {r.record.part.id: r for r in report.differences}
    assert set(differ) == {"likely_not_held", "likely_held", "likely_asked_only"}
    assert latest.id in {r.record.id for r in report.results if r.status == SAME}

    moved = differ["likely_not_held"]
    assert moved.status == DIFFERS
    assert (moved.outcome_then, moved.provisions_then) == ("ncnd", ("s31(3)",))
    assert (moved.outcome_now, moved.provisions_now) == ("not_held", ())
    assert moved.rules_added == ("not-held",)
    assert set(moved.rules_removed) == {"crime-prejudice-from-covert-tactic", "ncnd-s31-covert-tactic",
                                        "balance-favours-consistent-ncnd"}
    why = "\n".join(moved.why())
    assert "outcome: ncnd then, not_held now" in why and "no longer s31(3)" in why
    assert f"digest {rb.digest} then, {changed.digest} now" in why
    assert differ["likely_held"].outcome_now == "disclose"
    incomplete = differ["likely_asked_only"]
    assert incomplete.status == INCOMPLETE and "'held'" in "\n".join(incomplete.why())

    only = replay(log, changed, [written["likely_held"].id[:10], written["would"].id])
    assert [r.status for r in only.results] == [DIFFERS, SAME]

    result = run_cli(log, "replay", "--all", "--rules", str(rules))
    assert result.exit_code == 1, result.output
    flagged = {line.split()[1] for line in result.stdout.splitlines()
               if line.startswith(("DIFFERS", "INCOMPLETE"))}
    assert flagged == {written[n].id[:12] for n in differ}
    assert "3 would differ" in result.stdout and "NOT REPLAYABLE" in result.stdout
    same = run_cli(log, "replay", written["overt_held"].id[:8], "--rules", str(rules))
    assert same.exit_code == 0 and same.stdout.startswith("Replayed 1 decision") and "SAME" in same.stdout
    assert run_cli(log, "replay", "--rules", str(rules)).exit_code == 2  # neither ids nor --all
    not_decision = run_cli(log, "replay", "nonexistent", "--rules", str(rules))
    assert not_decision.exit_code == 1 and not_decision.output.startswith("Error: no record")


def test_replay_notes_answers_the_rule_base_no_longer_has(tmp_path: Path, example: RuleBase,
                                                          example_assessor: Assessor) -> None:
    log = tmp_path / "audit.jsonl"
    record = decision(example, example_assessor, "overt", NOT_HELD)
    record["answers"]["retired_question"] = True
    record["answers"]["covert_tactic"] = "perhaps"
    audit.append(log, record)
    (result,) = replay(log, example, assessor=example_assessor).results
    notes = "\n".join(result.notes)
    assert "'retired_question' ignored" in notes and "'covert_tactic' ('perhaps') no longer fits" in notes
    assert result.status == INCOMPLETE
