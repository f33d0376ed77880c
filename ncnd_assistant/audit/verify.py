"""The chain check: every line parses, every hash matches its record, every record links to the one
before it; the first record that does not is named, with what is wrong with it (docs/audit.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ncnd_assistant.audit.log import GENESIS, read_bytes, split_lines
from ncnd_assistant.audit.record import (
    AuditRecord,
    RepairRecord,
    parse_line,
    record_hash,
    record_line,
    why_not_a_record,
)

# What verify says is wrong with the first bad record.
EDITED = "edited"
LINK = "removed or reordered"
TORN = "torn tail"
NOT_JSON = "not JSON"


@dataclass(frozen=True)
class ChainBreak:
    """The first record that does not check out."""

    line: int
    record_id: str | None
    what: str  # EDITED, LINK, TORN or NOT_JSON
    detail: str

    def __str__(self) -> str:
        rid = f" (record {self.record_id})" if self.record_id else ""
        return f"line {self.line}{rid}: {self.what}: {self.detail}"


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    records: int  # records that check out (all of them when ok; those before the break otherwise)
    lines: int
    kinds: dict[str, int]
    last_hash: str  # hash of the last record that checks out
    first_bad: ChainBreak | None = None
    repairs: tuple[RepairRecord, ...] = ()

    @property
    def ok(self) -> bool:
        return self.first_bad is None


@dataclass(frozen=True)
class _Lines:
    """The log's lines, each parsed, with where each hash first occurs and each line's record id."""

    raw: list[bytes]
    parsed: list[AuditRecord | None]
    torn_last: bool
    hash_at: dict[str, int]
    ids: dict[int, str]

    @classmethod
    def read(cls, path: Path) -> _Lines:
        raw, torn_last = split_lines(read_bytes(path))
        parsed = [parse_line(line) for line in raw]
        hash_at: dict[str, int] = {}
        ids: dict[int, str] = {}
        for n, rec in enumerate(parsed, 1):
            if rec is not None:
                hash_at.setdefault(rec.hash, n)
                if rec.id:
                    ids[n] = rec.id
        return cls(raw, parsed, torn_last, hash_at, ids)

    def where(self, n: int) -> str:
        return f"line {n}" + (f" (record {self.ids[n]})" if n in self.ids else "")


def _link_detail(line: int, prev_hash: str, lines: _Lines) -> str:
    if line == 1:
        return ("the first record does not start the chain (its prev_hash is not 64 zeros): "
                "records before it were removed")
    if prev_hash == GENESIS:
        return f"it starts a new chain, but follows {lines.where(line - 1)}: the log was cut or spliced here"
    if prev_hash in lines.hash_at:
        target = lines.hash_at[prev_hash]
        if target > line:
            return (f"it belongs after {lines.where(target)}, not after {lines.where(line - 1)}: "
                    "records were reordered")
        return (f"it belongs after {lines.where(target)}, not after {lines.where(line - 1)}: "
                "records were moved or inserted between them")
    return (f"the record it follows (hash {prev_hash[:12]}...) is not in the log: a record before it was "
            f"removed, or {lines.where(line - 1)} was rewritten with a recomputed hash")


def _check(n: int, lines: _Lines, prev: str, good: int) -> ChainBreak | None:
    """What is wrong with line `n` (whose record should follow the hash `prev`), if anything."""
    raw, rec, rid = lines.raw[n - 1], lines.parsed[n - 1], lines.ids.get(n)
    if n == len(lines.raw) and lines.torn_last:
        return ChainBreak(n, rid, TORN, (
            f"the last line is incomplete ({len(raw)} bytes, no final newline): a write did not finish; "
            f"the {good} record(s) before it check out, and the next append will cut it off and record a "
            "repair"))
    if rec is None:
        return ChainBreak(n, rid, NOT_JSON, f"the line is {why_not_a_record(raw)}")
    as_json = rec.to_json()
    if record_hash(as_json) != rec.hash:
        return ChainBreak(n, rid, EDITED, "its content does not match its hash: it was changed after it was written")
    if record_line(as_json) != raw + b"\n":
        return ChainBreak(n, rid, EDITED, "its hash matches but the line is not as written "
                                          "(spacing or key order was changed)")
    if rec.prev_hash != prev:
        return ChainBreak(n, rid, LINK, _link_detail(n, rec.prev_hash, lines))
    return None


def verify(path: Path) -> VerifyReport:
    """Check every line parses, every hash matches its record and every link; name the first break."""
    lines = _Lines.read(path)
    kinds: Counter[str] = Counter()
    repairs: list[RepairRecord] = []
    prev, good, bad = GENESIS, 0, None
    for n, rec in enumerate(lines.parsed, 1):
        bad = _check(n, lines, prev, good)
        if bad is not None or rec is None:
            break
        prev = rec.hash
        good += 1
        kinds[rec.kind or "?"] += 1
        if isinstance(rec, RepairRecord):
            repairs.append(rec)
    return VerifyReport(path, good, len(lines.raw), dict(sorted(kinds.items())), prev, bad, tuple(repairs))
