"""The chain check: every record parses, every hash matches its record, every record links to the
one before it; the first record that does not is named, with what is wrong with it (docs/audit.md).
It streams the store once (a second pass only to explain a broken link), so a log of any size is
checked in constant memory. With an anchor (`store.Anchor`, kept outside the store) it also proves
that no record up to the anchored head was removed, which the chain alone cannot show for the last
records of a log."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
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
from ncnd_assistant.lazy_dataclass import dataclass
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


def _checked_fast(raw: bytes) -> dict[str, Any] | None:
    """The line's JSON object if it is a record exactly as the tool writes it and matches its hash,
    else None (then `_slow_check` says what is wrong). One parse and one sha256, no re-encoding: the
    top-level `hash` entry is cut out of the text where the sorted keys put it, and what is left
    must hash to it; that proves the rest is the canonical form, and the cut proves its place."""
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    digest, prev = obj.get("hash"), obj.get("prev_hash")
    if not (isinstance(digest, str) and isinstance(prev, str)):
        return None
    keys = sorted(obj)
    at = keys.index("hash")
    entry = f'"hash": {_json_text(digest)}'.encode()
    if len(keys) == 1:
        body = b"{}" if raw == b"{" + entry + b"}" else None
    elif at == 0:
        body = b"{" + raw[len(entry) + 3:] if raw.startswith(b"{" + entry + b", ") else None
    else:
        cut = b", " + entry
        after = b"}" if at == len(keys) - 1 else f', {_json_text(keys[at + 1])}: '.encode()
        where = raw.rfind(cut + b"}") if after == b"}" else raw.find(cut + after)
        body = raw[:where] + raw[where + len(cut):] if where > 0 and (
            after != b"}" or where + len(cut) + 1 == len(raw)) else None
    if body is None or hashlib.sha256(body).hexdigest() != digest:
        return None
    return obj


Fields = tuple[dict[str, Any] | None, str | None, object, str, str]  # JSON (if parsed), id, kind, hash, prev_hash


def _line_fast(raw: bytes) -> Fields | None:
    """A JSONL line that `_checked_fast` accepts, as the fields the chain check needs."""
    obj = _checked_fast(raw)
    if obj is None:
        return None
    rid = obj.get("id")
    return obj, rid if isinstance(rid, str) and rid else None, obj.get("kind"), str(obj["hash"]), str(obj["prev_hash"])


def _json_text(value: str) -> str:
    """`value` as canonical JSON writes it (quoted; escaped only when it has to be)."""
    plain = value.isascii() and value.isprintable() and '"' not in value and "\\" not in value
    return f'"{value}"' if plain else json.dumps(value, ensure_ascii=False)


def _row_fast(line: StoredLine) -> Fields | None:
    """A database row whose JSON hashes to its hash column and holds its id, kind and prev_hash columns
    as written, as the fields the chain check needs (no parsing: the row keeps the hashed bytes apart)."""
    cols = dict(line.columns)
    assert line.hashed is not None
    if hashlib.sha256(line.hashed).hexdigest() != cols.get("hash"):
        return None
    for name in ("prev_hash", "id", "kind"):  # the hashed text holds them, so the columns are the record's
        if f'"{name}": {_json_text(cols.get(name, ""))}'.encode() not in line.text:
            return None
    return None, cols["id"] or None, cols["kind"], cols["hash"], cols["prev_hash"]


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


def _columns_problem(line: StoredLine, obj: dict[str, Any]) -> str:
    """How a database row's own columns disagree with its record, if they do."""
    return "; ".join(f"its {name} column ({value[:12]}...) differs from the record's ({str(obj.get(name))[:12]}...)"
                     for name, value in line.columns if obj.get(name) != value)


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


class ChainChecker:
    """The chain check fed one stored line at a time (`feed`), so a listing that reads the store checks
    it in the same pass; `report` says what `verify` would."""

    def __init__(self, store: Store, anchor: Anchor | None = None) -> None:
        self.store, self.anchor = store, anchor
        self.kinds: Counter[str] = Counter()
        self.repairs: list[RepairRecord] = []
        self.prev, self.good, self.lines = GENESIS, 0, 0
        self.bad: ChainBreak | None = None
        self.before: tuple[int, str | None] | None = None
        self.at_anchor: str | None = GENESIS if anchor is not None and anchor.count == 0 else None
        self.canonical = False  # whether the line fed last is exactly as the tool writes it (the fast path took it)

    def feed(self, line: StoredLine) -> dict[str, Any] | None:
        """Check the next line; its JSON object when the check parsed it and found it exactly as the
        tool writes it (a JSONL line on the fast path: the line is then `record_line` of the object)."""
        self.lines += 1
        self.canonical = False
        if self.bad is not None:
            return None  # count the rest
        fields = None if line.torn else _row_fast(line) if line.hashed is not None else _line_fast(line.raw)
        if fields is not None:
            obj, rid, kind, this_hash, prev_hash = fields
        else:
            self.bad, rec = _slow_check(line, self.good)
            if self.bad is not None or rec is None:
                return None
            obj, rid, kind, this_hash, prev_hash = rec.to_json(), rec.id or None, rec.kind, rec.hash, rec.prev_hash
        problem = line.problem or (_columns_problem(line, obj) if obj is not None else "")
        if problem:
            self.bad = ChainBreak(line.position, rid, EDITED, f"the row was changed after it was written: {problem}")
        elif prev_hash != self.prev:
            self.bad = ChainBreak(line.position, rid, LINK,
                                  _link_detail(self.store, line.position, prev_hash, self.before))
        if self.bad is not None:
            return None
        self.prev, self.good, self.before = this_hash, self.good + 1, (line.position, rid)
        self.kinds[kind if isinstance(kind, str) and kind else "?"] += 1
        if kind == "repair":
            repair = AuditRecord.from_json(obj if obj is not None else json.loads(line.raw))
            if isinstance(repair, RepairRecord):
                self.repairs.append(repair)
        if self.anchor is not None and self.good == self.anchor.count:
            self.at_anchor = this_hash
        self.canonical = fields is not None
        return obj if fields is not None and line.hashed is None else None

    def report(self) -> VerifyReport:
        """What the lines fed so far say (the whole store's check once every line was fed)."""
        anchor = self.anchor
        broken = self.bad is not None
        anchor_break = _anchor_break(anchor, self.good, self.at_anchor, broken) if anchor is not None else ""
        return VerifyReport(self.store.describe(), self.good, self.lines, dict(sorted(self.kinds.items())),
                            self.prev, self.bad, tuple(self.repairs), anchor, anchor_break)


def verify(where: Store | Path, anchor: Anchor | None = None) -> VerifyReport:
    """Check every record parses, every hash matches its record and every link; name the first
    break; with `anchor`, check that the record at the anchored count has the anchored hash."""
    store = as_store(where)
    checker = ChainChecker(store, anchor)
    for line in store.lines():
        checker.feed(line)
    return checker.report()
