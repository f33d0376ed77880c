"""The chain check: every record parses, every hash matches its record, every record links to the
one before it; the first record that does not is named, with what is wrong with it (docs/audit.md).
It streams the store once (a second pass only to explain a broken link), so a log of any size is
checked in constant memory. With an anchor (`store.Anchor`, kept outside the store) it also proves
that no record up to the anchored head was removed, which the chain alone cannot show for the last
records of a log."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ncnd_assistant.audit.log import GENESIS
from ncnd_assistant.audit.record import (
    AuditRecord,
    RepairRecord,
    parse_line,
    record_hash,
    record_line,
    why_not_a_record,
)
from ncnd_assistant.store import Anchor, Store, StoredLine, as_store

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
    where: str  # the store: a file's path, or a database URL
    records: int  # records that check out (all of them when ok; those before the break otherwise)
    lines: int
    kinds: dict[str, int]
    last_hash: str  # hash of the last record that checks out
    first_bad: ChainBreak | None = None
    repairs: tuple[RepairRecord, ...] = ()
    anchor: Anchor | None = None
    anchor_break: str = ""  # why the anchor does not check out ("" when it does, or none was given)

    @property
    def ok(self) -> bool:
        return self.first_bad is None and not self.anchor_break


def _where(position: int, record_id: str | None) -> str:
    return f"line {position}" + (f" (record {record_id})" if record_id else "")


def _parsed(line: StoredLine) -> dict[str, Any] | None:
    """The line's JSON object when it is a record in canonical form (the fast path), else None."""
    try:
        value = json.loads(line.raw)
    except ValueError:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("hash"), str) and isinstance(value.get("prev_hash"), str)):
        return None
    return value if record_line(value) == line.raw + b"\n" else None


def _find_hash(store: Store, wanted: str) -> tuple[int, str | None] | None:
    """Where the record with hash `wanted` first is (position and id), if anywhere."""
    for line in store.lines():
        rec = None if line.torn else parse_line(line.raw)
        if rec is not None and rec.hash == wanted:
            return line.position, rec.id or None
    return None


def _link_detail(store: Store, line: int, prev_hash: str, before: tuple[int, str | None] | None) -> str:
    if before is None:
        return ("the first record does not start the chain (its prev_hash is not 64 zeros): "
                "records before it were removed")
    follows = _where(*before)
    if prev_hash == GENESIS:
        return f"it starts a new chain, but follows {follows}: the log was cut or spliced here"
    target = _find_hash(store, prev_hash)
    if target is not None:
        how = "records were reordered" if target[0] > line else "records were moved or inserted between them"
        return f"it belongs after {_where(*target)}, not after {follows}: {how}"
    return (f"the record it follows (hash {prev_hash[:12]}...) is not in the log: a record before it was "
            f"removed, or {follows} was rewritten with a recomputed hash")


def _slow_check(line: StoredLine, good: int) -> tuple[ChainBreak | None, AuditRecord | None]:
    """The full check of a line the fast path did not accept: what is wrong with it, or its record."""
    n, raw = line.position, line.raw
    if line.torn:
        rec = parse_line(raw)
        return ChainBreak(n, rec.id if rec is not None and rec.id else None, TORN, (
            f"the last line is incomplete ({len(raw)} bytes, no final newline): a write did not finish; "
            f"the {good} record(s) before it check out, and the next append will cut it off and record a "
            "repair")), None
    rec = parse_line(raw)
    if rec is None:
        return ChainBreak(n, None, NOT_JSON, f"the line is {why_not_a_record(raw)}"), None
    rid = rec.id or None
    as_json = rec.to_json()
    if record_hash(as_json) != rec.hash:
        return ChainBreak(n, rid, EDITED,
                          "its content does not match its hash: it was changed after it was written"), rec
    if record_line(as_json) != raw + b"\n":
        return ChainBreak(n, rid, EDITED, "its hash matches but the line is not as written "
                                          "(spacing or key order was changed)"), rec
    return None, rec


def _anchor_break(anchor: Anchor, good: int, hash_at_anchor: str | None, broken: bool) -> str:
    if hash_at_anchor is None:
        if broken:
            return (f"the anchor ({anchor.count} record(s), {anchor.time or 'time not given'}) cannot be checked: "
                    f"the chain breaks after {good} record(s)")
        return (f"the anchor says the log had {anchor.count} record(s) ({anchor.time or 'time not given'}), but it "
                f"has {good}: records up to the anchor were removed")
    if hash_at_anchor != anchor.hash:
        return (f"record {anchor.count} is not the one anchored (hash {hash_at_anchor[:12]}..., anchored "
                f"{anchor.hash[:12]}...): the log was rewritten up to the anchor")
    return ""


def verify(where: Store | Path, anchor: Anchor | None = None) -> VerifyReport:
    """Check every record parses, every hash matches its record and every link; name the first
    break; with `anchor`, check that the record at the anchored count has the anchored hash."""
    store = as_store(where)
    kinds: Counter[str] = Counter()
    repairs: list[RepairRecord] = []
    prev, good, lines, bad = GENESIS, 0, 0, None
    before: tuple[int, str | None] | None = None
    at_anchor: str | None = GENESIS if anchor is not None and anchor.count == 0 else None
    for line in store.lines():
        lines += 1
        if bad is not None:
            continue  # count the rest
        obj = None if line.torn else _parsed(line)
        if obj is not None and record_hash(obj) == obj["hash"]:
            rid = obj.get("id") if isinstance(obj.get("id"), str) and obj.get("id") else None
            kind, this_hash, prev_hash = obj.get("kind"), str(obj["hash"]), str(obj["prev_hash"])
        else:
            bad, rec = _slow_check(line, good)
            if bad is not None or rec is None:
                continue
            obj, rid, kind, this_hash, prev_hash = rec.to_json(), rec.id or None, rec.kind, rec.hash, rec.prev_hash
        if line.problem:
            bad = ChainBreak(line.position, rid, EDITED, f"the row was changed after it was written: {line.problem}")
        elif prev_hash != prev:
            bad = ChainBreak(line.position, rid, LINK, _link_detail(store, line.position, prev_hash, before))
        if bad is not None:
            continue
        prev, good, before = this_hash, good + 1, (line.position, rid)
        kinds[kind if isinstance(kind, str) and kind else "?"] += 1
        if kind == "repair":
            repair = AuditRecord.from_json(obj)
            if isinstance(repair, RepairRecord):
                repairs.append(repair)
        if anchor is not None and good == anchor.count:
            at_anchor = this_hash
    anchor_break = _anchor_break(anchor, good, at_anchor, bad is not None) if anchor is not None else ""
    return VerifyReport(store.describe(), good, lines, dict(sorted(kinds.items())), prev, bad, tuple(repairs),
                        anchor, anchor_break)
