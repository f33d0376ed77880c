"""The rows of `ncnd audit list` and `ncnd audit pending`: Rich's table, or for a long listing plain
fixed-width rows; and a record's line of `audit list --json`."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator, Sequence

import typer
from rich import box
from rich.table import Table

from ncnd_assistant.audit import query
from ncnd_assistant.audit.record import (
    AuditRecord,
    DecisionRecord,
    ExportRecord,
    NoticeSentRecord,
    RepairRecord,
    SignOffRecord,
)
from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.text_safety import for_terminal, json_safe, markup_safe


def _short(value: str) -> str:
    return value[:12]


def _outcome_cell(rec: DecisionRecord) -> str:
    final = query.final_outcome(rec)
    recommended = rec.recommendation.outcome
    return f"{final} (override of {recommended})" if rec.override is not None and recommended != final else final


def _notes(rec: AuditRecord, signed: dict[str, list[str]]) -> str:
    match rec:
        case DecisionRecord():
            by = signed.get(rec.id, [])
            if by:
                return "signed off by " + ", ".join(by)
            return "awaits sign-off" if rec.sign_off_required else ""
        case SignOffRecord():
            return f"signs off {_short(rec.decision_id)} by {rec.by}"
        case ExportRecord():
            masked = ", ".join(rec.masked) or "nothing"
            return f"export of {_short(rec.decision_id)} ({rec.format}), masked: {masked}"
        case RepairRecord():
            return f"cut off a torn tail of {rec.removed_bytes} bytes"
        case NoticeSentRecord():
            return f"letter sent {rec.sent_on} by {rec.by} ({rec.file_name}, sha256 {_short(rec.sha256)})"
    return ""


def _details(rec: AuditRecord, signed: dict[str, list[str]]) -> str:
    if not isinstance(rec, DecisionRecord):
        return _notes(rec, signed)
    provisions = " ".join(query.decision_provisions(rec))
    parts = [f"{_outcome_cell(rec)} {provisions}".strip(), f"by {rec.officer or '(no officer)'}",
             _notes(rec, signed)]
    return "; ".join(p for p in parts if p)


Row = tuple[str, str, str, str, AuditRecord | None, str]  # id, time, kind, case/part, record if a decision, details


def _row(rec: AuditRecord, signed: dict[str, list[str]], slim: bool = True) -> Row:
    """One record as its table cells (a decision kept, `_slim` unless told not to: its notes need the
    sign-offs, read after)."""
    part = rec.part.id if isinstance(rec, DecisionRecord) else None
    case = (query.case_ref_of(rec) or "-") + (f" / {part}" if part else "")
    keep = (_slim(rec) if slim else rec) if isinstance(rec, DecisionRecord) else None
    return (_short(rec.id)[:10], rec.time[:16].replace("T", " "), rec.kind, case, keep,
            "" if keep is not None else _details(rec, signed))


def _slim(rec: DecisionRecord) -> DecisionRecord:
    """A decision with only what its table row shows (a long log's rows stay small)."""
    return rec.updated(questions=(), answers=None, reasons=(), harm_text="", public_interest_text="",
                       case=rec.case.updated(request=""))


def table(records: Sequence[AuditRecord | Row], signed: dict[str, list[str]], title: str | None,
           header: bool = True) -> Table:
    table = Table(title=markup_safe(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, show_header=header)
    table.add_column("id", no_wrap=True)
    table.add_column("time (UTC)", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("case / part", overflow="fold")
    table.add_column("details", overflow="fold", ratio=1)
    for item in records:
        rid, time, kind, case, decision, details = item if isinstance(item, tuple) else _row(item, signed)
        if decision is not None:
            details = _details(decision, signed)
        table.add_row(*(markup_safe(cell) for cell in (rid, time, kind, case, details)))
    return table


TABLE_ROWS = 2_000  # a longer listing is printed as plain fixed-width rows, not as Rich's table
CASE_WIDTH = 20  # the case / part column of plain rows (a longer one pushes its details right)
NOTES = "\x00"  # in a held plain row, what follows it is "1" if a decision requires a sign-off ("0" if not), its id


def _plain(row: Row) -> str:
    """A row as fixed-width text; a decision's notes are left for when every sign-off has been read."""
    rid, time, kind, case, decision, details = row
    start = for_terminal(f"{rid:<10}  {time:<16}  {kind:<11}  {case:<{CASE_WIDTH}}  ")
    if not isinstance(decision, DecisionRecord):
        return start + for_terminal(details)
    provisions = " ".join(query.decision_provisions(decision))
    parts = [f"{_outcome_cell(decision)} {provisions}".strip(), f"by {decision.officer or '(no officer)'}"]
    text = for_terminal(start + "; ".join(p for p in parts if p))  # holds no NOTES: it is a control character
    return f"{text}{NOTES}{'1' if decision.sign_off_required else '0'}{decision.id}"


def _finished(row: str, signed: dict[str, list[str]]) -> str:
    text, notes_of, decision = row.partition(NOTES)
    if not notes_of:
        return text
    required, decision_id = decision[:1] == "1", decision[1:]
    by = signed.get(decision_id, [])
    notes = "signed off by " + ", ".join(by) if by else "awaits sign-off" if required else ""
    return f"{text}; {for_terminal(notes)}" if notes else text


def print_rows(records: Iterator[AuditRecord], signed: dict[str, list[str]], where: str) -> None:
    """Rich's table of the records, or for a listing longer than TABLE_ROWS plain fixed-width rows (Rich
    costs about a millisecond a row), each held as one short string until the last sign-off is read."""
    chunk = [_row(rec, signed) for rec in itertools.islice(records, TABLE_ROWS + 1)]
    if len(chunk) <= TABLE_ROWS:
        SafeConsole(highlight=False, soft_wrap=True).print(table(chunk, signed, f"{where}: {len(chunk)} record(s)"))
        return
    held = [_plain(row) for row in chunk]
    held.extend(_plain(_row(rec, signed, slim=False)) for rec in records)
    del chunk
    header = f"{'id':<10}  {'time (UTC)':<16}  {'kind':<11}  {'case / part':<{CASE_WIDTH}}  details"
    typer.echo(for_terminal(f"{where}: {len(held):,} record(s), as plain rows (longer than {TABLE_ROWS:,})"))
    typer.echo(f"\n{header}\n{'-' * len(header)}")
    for at in range(0, len(held), TABLE_ROWS):
        typer.echo("\n".join(_finished(row, signed) for row in held[at:at + TABLE_ROWS]))
    typer.echo(for_terminal(f"\n{where}: {len(held)} record(s)"))


# The UTF-8 of what `json_safe` escapes: U+007F, U+0080-U+009F (0xC2 starts them, and the rest of U+0080-U+00BF,
# which `json_safe` then leaves alone), and U+202A-U+202E and U+2066-U+2069 (0xE2 and these two bytes).
_E2_TAILS = frozenset({*(b"\x80" + bytes([n]) for n in range(0xAA, 0xAF)),
                       *(b"\x81" + bytes([n]) for n in range(0xA6, 0xAA))})


def _may_need_escaping(line: bytes) -> bool:
    """Whether UTF-8 JSON text may hold a character `json_safe` escapes (found by byte search)."""
    if b"\x7f" in line or b"\xc2" in line:
        return True
    at = line.find(b"\xe2")
    while at >= 0:
        if line[at + 1:at + 3] in _E2_TAILS:
            return True
        at = line.find(b"\xe2", at + 1)
    return False


def json_line(obj: dict[str, object], line: bytes | None) -> str:
    """A record as `audit list --json` prints it: `json_safe` of its sorted-key JSON (`line`, when given,
    is that JSON already, as the log holds it)."""
    if line is None:
        return json_safe(json.dumps(obj, ensure_ascii=False, sort_keys=True))
    if _may_need_escaping(line):
        return json_safe(line.decode())
    return line.decode()


def json_bytes(obj: dict[str, object], line: bytes | None) -> bytes:
    """`json_line` as UTF-8 (a line that needs no escaping is the stored line itself, not decoded)."""
    if line is not None and not _may_need_escaping(line):
        return line
    return json_line(obj, line).encode()


WRITE_LINES = 50  # records to a write (each batch holds its parsed objects: a few MB at most)


def write_json(listed: Iterator[tuple[dict[str, object], bytes | None]]) -> None:
    """Print each record's `json_line`, one a line, many to a write. To a UTF-8 stdout the bytes go as
    they are (what `typer.echo` would write, without its decoding, encoding and ANSI scan: JSON text
    holds no escape character, `json.dumps` writes it as \\u001b)."""
    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    binary = getattr(out, "buffer", None) if encoding == "utf8" else None
    if binary is None:
        while batch := list(itertools.islice(listed, WRITE_LINES)):
            typer.echo("\n".join(json_line(obj, line) for obj, line in batch))
        return
    out.flush()
    while batch := list(itertools.islice(listed, WRITE_LINES)):
        binary.write(b"".join(json_bytes(obj, line) + b"\n" for obj, line in batch))
    binary.flush()

