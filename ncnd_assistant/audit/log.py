"""The decision log: one JSON line per record, each chained to the previous by hash.

Appends take an exclusive lock (`flock`), are flushed and synced, and the file is created readable
by its owner only. A writer killed mid-append leaves a torn last line; the next append cuts it off
and first records a `repair` record saying what it removed. `verify` walks the chain and names the
first record that was edited, removed, reordered, torn or is not JSON. `replay` re-assesses recorded
answers under the current rule base. Pure functions: nothing here prints.

The format, the chain and the commands are documented in docs/audit.md.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ncnd_assistant import __version__
from ncnd_assistant.decide.answers import Part, coerce, expected
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError, ExitCode, NcndError
from ncnd_assistant.paths import data_dir
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase

GENESIS = "0" * 64
MASK = "[withheld: sensitive]"
Record = dict[str, Any]
Clock = Callable[[], datetime]
IdSource = Callable[[], str]

# What verify says is wrong with the first bad record.
EDITED = "edited"
LINK = "removed or reordered"
TORN = "torn tail"
NOT_JSON = "not JSON"


class AuditError(NcndError):
    """The log cannot be read or the request on it cannot be done (unknown id, four eyes...)."""

    exit_code = ExitCode.FAILED


# ---------------------------------------------------------------------------------------------- basics
def default_audit_path() -> Path:
    """$NCND_AUDIT, else audit.jsonl in the per-user data directory."""
    return Path(os.environ.get("NCND_AUDIT") or data_dir() / "audit.jsonl")


def record_hash(record: Record) -> str:
    """sha256 of the record without its `hash` key, as sorted-key JSON (UTF-8, no ASCII escaping)."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def record_line(record: Record) -> bytes:
    """The record exactly as the log stores it: one line of sorted-key JSON and a newline."""
    return (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _parse(raw: bytes) -> Record | None:
    """One log line as a record (a JSON object with string `hash` and `prev_hash`), else None."""
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(value, dict) and isinstance(value.get("hash"), str) and isinstance(value.get("prev_hash"), str):
        return value
    return None


def _why_not_json(raw: bytes) -> str:
    if not raw.strip():
        return "a blank line"
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError as error:
        return f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return "JSON, but not an object"
    return "a JSON object without a `hash` and `prev_hash`"


# ---------------------------------------------------------------------------------------------- appending
@contextmanager
def _locked(path: Path, create: bool = True) -> Iterator[IO[bytes]]:
    """The log opened for appending under an exclusive lock (created 0600 when `create`)."""
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise AuditError(f"no audit log at {path}")
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | (os.O_CREAT if create else 0), 0o600)
    except OSError as error:
        raise AuditError(f"cannot open the audit log {path}: {error.strerror}") from None
    with os.fdopen(fd, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(fd: int, data: bytes) -> None:
    """Write all of `data` (the one place bytes reach the log; tests replace it to tear a write)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


@dataclass(frozen=True)
class _Tail:
    prev_hash: str  # hash of the last whole record (GENESIS for an empty log)
    last_id: str | None
    keep: int  # bytes to keep; the rest is the torn tail
    torn: bytes
    reason: str


def _tail(handle: IO[bytes]) -> _Tail:
    """The end of the log: the last whole record, and any torn or non-JSON last line after it."""
    size = os.fstat(handle.fileno()).st_size
    if size == 0:
        return _Tail(GENESIS, None, 0, b"", "")
    chunk = 1 << 16
    while True:
        start = max(0, size - chunk)
        handle.seek(start)
        pieces = handle.read(size - start).split(b"\n")
        # enough pieces for a torn line and the whole line before it, the first piece maybe partial
        if start == 0 or len(pieces) >= 4:
            break
        chunk *= 4
    whole, torn = pieces[:-1], pieces[-1]
    reason = "the last line had no final newline: a write did not finish" if torn else ""
    if not torn and whole and _parse(whole[-1]) is None:
        torn, whole = whole[-1] + b"\n", whole[:-1]
        reason = "the last line was not a log record"
    if start > 0:
        whole = whole[1:]
    last = _parse(whole[-1]) if whole else None
    if last is None:
        return _Tail(GENESIS, None, size - len(torn), torn, reason)
    return _Tail(str(last["hash"]), str(last.get("id") or "") or None, size - len(torn), torn, reason)


def _repair_record(tail: _Tail) -> Record:
    return {"kind": "repair", "reason": tail.reason, "offset": tail.keep, "after": tail.last_id,
            "removed_bytes": len(tail.torn), "removed_sha256": hashlib.sha256(tail.torn).hexdigest(),
            "removed_text": tail.torn.decode("utf-8", errors="backslashreplace")}


def _now(clock: Clock | None) -> datetime:
    """The clock's time in UTC (a naive time is taken to be UTC already)."""
    now = (clock or (lambda: datetime.now(UTC)))()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _append_locked(handle: IO[bytes], bodies: Sequence[Record], clock: Clock | None,
                   new_id: IdSource | None) -> list[Record]:
    """Chain and write `bodies` (after a repair record if the tail is torn); return what was written."""
    for body in bodies:
        if not isinstance(body.get("kind"), str) or not body["kind"]:
            raise AuditError("an audit record needs a `kind`")
    tail = _tail(handle)
    if tail.torn:
        os.ftruncate(handle.fileno(), tail.keep)
        bodies = [_repair_record(tail), *bodies]
    time = _now(clock).isoformat(timespec="seconds")
    written: list[Record] = []
    prev = tail.prev_hash
    for body in bodies:
        full = {"id": (new_id or (lambda: uuid.uuid4().hex))(), "time": time, "tool_version": __version__,
                **body, "prev_hash": prev}
        full.pop("hash", None)
        full["hash"] = prev = record_hash(full)
        written.append(full)
    _write(handle.fileno(), b"".join(record_line(r) for r in written))
    handle.flush()
    os.fsync(handle.fileno())
    return written


def append_many(path: Path, records: Sequence[Record], clock: Clock | None = None,
                new_id: IdSource | None = None) -> list[Record]:
    """Append records in one locked, synced write; a repair record comes first if the tail was torn."""
    with _locked(path) as handle:
        return _append_locked(handle, records, clock, new_id)


def append(path: Path, record: Record, clock: Clock | None = None, new_id: IdSource | None = None) -> Record:
    """Append one record (adding id, time, tool version, previous hash and its own hash); return it."""
    return append_many(path, [record], clock, new_id)[-1]


# ---------------------------------------------------------------------------------------------- verify
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
    repairs: tuple[Record, ...] = ()

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuditError(f"no audit log at {path}") from None
    except OSError as error:
        raise AuditError(f"cannot read the audit log {path}: {error.strerror}") from None


def _lines(data: bytes) -> tuple[list[bytes], bool]:
    """The log's lines, and whether the last one is torn (no final newline)."""
    if not data:
        return [], False
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        return pieces[:-1], False
    return pieces, True


def _link_detail(line: int, prev_hash: str, hash_at: dict[str, int], ids: dict[int, str]) -> str:
    def where(n: int) -> str:
        return f"line {n}" + (f" (record {ids[n]})" if n in ids else "")

    if line == 1:
        return ("the first record does not start the chain (its prev_hash is not 64 zeros): "
                "records before it were removed")
    if prev_hash == GENESIS:
        return f"it starts a new chain, but follows {where(line - 1)}: the log was cut or spliced here"
    if prev_hash in hash_at:
        target = hash_at[prev_hash]
        if target > line:
            return f"it belongs after {where(target)}, not after {where(line - 1)}: records were reordered"
        return (f"it belongs after {where(target)}, not after {where(line - 1)}: "
                "records were moved or inserted between them")
    return (f"the record it follows (hash {prev_hash[:12]}...) is not in the log: a record before it was "
            f"removed, or {where(line - 1)} was rewritten with a recomputed hash")


def verify(path: Path) -> VerifyReport:
    """Check every line parses, every hash matches its record and every link; name the first break."""
    lines, torn_last = _lines(_read_bytes(path))
    parsed = [_parse(raw) for raw in lines]
    hash_at: dict[str, int] = {}
    ids: dict[int, str] = {}
    for n, rec in enumerate(parsed, 1):
        if rec is not None:
            hash_at.setdefault(str(rec["hash"]), n)
            if isinstance(rec.get("id"), str):
                ids[n] = rec["id"]
    kinds: Counter[str] = Counter()
    repairs: list[Record] = []
    prev = GENESIS
    good = 0

    def report(bad: ChainBreak | None) -> VerifyReport:
        return VerifyReport(path, good, len(lines), dict(sorted(kinds.items())), prev, bad, tuple(repairs))

    for n, (raw, rec) in enumerate(zip(lines, parsed, strict=True), 1):
        rid = ids.get(n)
        if n == len(lines) and torn_last:
            return report(ChainBreak(n, rid, TORN, (
                f"the last line is incomplete ({len(raw)} bytes, no final newline): a write did not finish; "
                f"the {good} record(s) before it check out, and the next append will cut it off and record a "
                "repair")))
        if rec is None:
            return report(ChainBreak(n, rid, NOT_JSON, f"the line is {_why_not_json(raw)}"))
        if record_hash(rec) != rec["hash"]:
            return report(ChainBreak(n, rid, EDITED,
                                     "its content does not match its hash: it was changed after it was written"))
        if record_line(rec) != raw + b"\n":
            return report(ChainBreak(n, rid, EDITED, "its hash matches but the line is not as written "
                                                     "(spacing or key order was changed)"))
        if rec["prev_hash"] != prev:
            return report(ChainBreak(n, rid, LINK, _link_detail(n, str(rec["prev_hash"]), hash_at, ids)))
        prev = str(rec["hash"])
        good += 1
        kinds[str(rec.get("kind", "?"))] += 1
        if rec.get("kind") == "repair":
            repairs.append(rec)
    return report(None)


# ---------------------------------------------------------------------------------------------- reading
def _records(data: bytes, path: Path, tolerant: bool) -> list[Record]:
    lines, torn_last = _lines(data)
    records = []
    for n, raw in enumerate(lines, 1):
        rec = _parse(raw)
        if rec is not None and not (torn_last and n == len(lines)):
            records.append(rec)
        elif not tolerant:
            what = "is torn (no final newline)" if torn_last and n == len(lines) else f"is {_why_not_json(raw)}"
            raise AuditError(f"{path}:{n}: the line {what}; run `ncnd audit verify`")
    return records


def read_records(path: Path, tolerant: bool = False) -> list[Record]:
    """Every record in the log, in order. A line that is not a whole record is an error, or with
    `tolerant` is skipped (`verify` says what is wrong with it)."""
    return _records(_read_bytes(path), path, tolerant)


def _find_in(records: Iterable[Record], id_or_prefix: str, path: Path) -> Record:
    prefix = id_or_prefix.strip().lower()
    if not prefix:
        raise AuditError("give a record id (or the start of one)")
    matches = [r for r in records if str(r.get("id", "")).startswith(prefix)]
    if not matches:
        raise AuditError(f"no record in {path} has an id starting '{prefix}'")
    if len(matches) > 1:
        shown = ", ".join(f"{r['id'][:12]} ({r.get('kind')}, {r.get('case_ref') or '-'})" for r in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise AuditError(f"'{prefix}' matches {len(matches)} records: {shown}{more}; give more of the id")
    return matches[0]


def find(path: Path, id_or_prefix: str) -> Record:
    """The one record whose id is or starts with `id_or_prefix` (an error if none or several)."""
    return _find_in(read_records(path, tolerant=True), id_or_prefix, path)


MONTAGUE = "Montague v IC and Department for International Trade [2022] UKUT 104 (AAC)"


def decided_on(record: Record) -> date | None:
    """The date of the response a decision was made for (its record date for records before
    `decided_on` was kept): the public interest is weighed as it stood then (Montague)."""
    try:
        return date.fromisoformat(str(record["decided_on"]))
    except (KeyError, ValueError):
        return record_date(record)


def record_date(record: Record) -> date | None:
    try:
        return datetime.fromisoformat(str(record["time"])).astimezone(UTC).date()
    except (KeyError, ValueError):
        return None


def decision_provisions(record: Record) -> list[str]:
    """Provisions of the final decision, else of the recommendation."""
    for key in ("decision", "recommendation"):
        value = record.get(key)
        if isinstance(value, dict) and value.get("provisions"):
            return [str(p) for p in value["provisions"]]
    return []


def final_outcome(record: Record) -> str:
    decision = record.get("decision")
    return str(decision.get("outcome", "")) if isinstance(decision, dict) else ""


def list_records(path: Path, case: str | None = None, since: date | None = None, until: date | None = None,
                 provision: str | None = None, outcome: str | None = None,
                 kind: str | None = None) -> list[Record]:
    """Records matching every filter given: case reference, UTC date range (inclusive), a provision
    of the decision or recommendation, the final outcome, the record kind."""
    result = []
    for rec in read_records(path, tolerant=True):
        day = record_date(rec)
        provisions = set(decision_provisions(rec)) | set((rec.get("recommendation") or {}).get("provisions", []))
        if ((case is not None and rec.get("case_ref") != case)
                or (since is not None and (day is None or day < since))
                or (until is not None and (day is None or day > until))
                or (provision is not None and provision not in provisions)
                or (outcome is not None and final_outcome(rec) != outcome)
                or (kind is not None and rec.get("kind") != kind)):
            continue
        result.append(rec)
    return result


def _decision_key(record: Record) -> tuple[str, ...]:
    part = record.get("part") or {}
    if record.get("session") and part.get("id"):
        return ("session", str(record["session"]), str(part["id"]))
    return ("id", str(record.get("id")))


def latest_decisions(records: Iterable[Record]) -> list[Record]:
    """Decision records, the latest only for each session and part (in log order)."""
    latest: dict[tuple[str, ...], Record] = {}
    for rec in records:
        if rec.get("kind") == "decision":
            key = _decision_key(rec)
            latest.pop(key, None)
            latest[key] = rec
    return list(latest.values())


def sign_offs_for(records: Iterable[Record], decision_id: str) -> list[Record]:
    return [r for r in records if r.get("kind") == "sign-off" and r.get("decision_id") == decision_id]


# ---------------------------------------------------------------------------------------------- four eyes
def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def sign_off(path: Path, decision_id: str, by: str, clock: Clock | None = None,
             new_id: IdSource | None = None) -> Record:
    """Record a second officer's approval of a decision (checked and written under one lock).

    Refused if `by` is empty, the id is not a decision, `by` made the decision, or `by` has
    already signed it off."""
    by = " ".join(by.split())
    if not by:
        raise AuditError("a sign-off needs the name of the officer signing (--by NAME)")
    with _locked(path, create=False) as handle:
        handle.seek(0)
        records = _records(handle.read(), path, tolerant=True)
        decision = _find_in(records, decision_id, path)
        if decision.get("kind") != "decision":
            raise AuditError(f"record {decision['id']} is a '{decision.get('kind')}' record, not a decision")
        officer = str(decision.get("officer") or "")
        if officer and _same_person(officer, by):
            raise AuditError(f"four eyes: {officer} made decision {decision['id'][:12]}, so a different "
                             "officer must sign it off")
        for earlier in sign_offs_for(records, decision["id"]):
            if _same_person(str(earlier.get("by", "")), by):
                raise AuditError(f"{earlier.get('by')} already signed off decision {decision['id'][:12]} "
                                 f"(record {earlier['id'][:12]}, {earlier.get('time')})")
        body = {"kind": "sign-off", "decision_id": decision["id"], "by": by,
                "case_ref": decision.get("case_ref"), "decided_by": officer}
        return _append_locked(handle, [body], clock, new_id)[-1]


def pending_sign_offs(path: Path) -> list[Record]:
    """Latest decisions that require a sign-off and have none yet."""
    records = read_records(path, tolerant=True)
    signed = {r.get("decision_id") for r in records if r.get("kind") == "sign-off"}
    return [d for d in latest_decisions(records) if d.get("sign_off_required") and d["id"] not in signed]


# ---------------------------------------------------------------------------------------------- export
OUTCOME_LABELS = {o.value: o.label for o in Outcome}  # the one vocabulary (model.Outcome.label)


@dataclass(frozen=True)
class Export:
    text: str
    masked: tuple[str, ...]  # ids of the questions whose answers were withheld
    unflagged: tuple[str, ...] = ()  # questions recorded without a `sensitive` flag (older records)


def _masked_copy(record: Record, mask: bool) -> tuple[Record, tuple[str, ...], tuple[str, ...]]:
    copy = json.loads(json.dumps(record))
    questions = [q for q in copy.get("questions") or [] if isinstance(q, dict)]
    unflagged = tuple(str(q.get("id")) for q in questions if "sensitive" not in q)
    if not mask:
        return copy, (), unflagged
    sensitive = [q for q in questions if q.get("sensitive") is True]
    for q in sensitive:
        q["answer"] = MASK
        if isinstance(copy.get("answers"), dict) and q.get("id") in copy["answers"]:
            copy["answers"][q["id"]] = MASK
    needles = [str(n) for q in sensitive for n in (q.get("id"), q.get("text")) if n]
    if isinstance(copy.get("reasons"), list):
        copy["reasons"] = [f"{MASK} (this line quotes an answer to a sensitive question)"
                           if any(n in str(line) for n in needles) else line for line in copy["reasons"]]
    return copy, tuple(str(q.get("id")) for q in sensitive), unflagged


def _outcome_text(value: Any) -> str:
    label = OUTCOME_LABELS.get(str(value))
    return f"{label} ({value})" if label else str(value or "-")


def _provision_text(block: Any) -> str:
    provisions = (block or {}).get("provisions") or []
    return ", ".join(str(p) for p in provisions) if provisions else "none"


def _export_markdown(rec: Record, sign_offs: Sequence[Record], masked: Sequence[str], unflagged: Sequence[str],
                     mask: bool) -> str:
    rb = rec.get("rulebase") or {}
    part = rec.get("part") or {}
    case = rec.get("case") or {}
    out = [f"# Decision record {rec.get('id')}", "",
           f"- Case reference: {rec.get('case_ref') or '-'}",
           f"- Request received: {case.get('received') or '-'}",
           f"- Part: {part.get('id', '-')}: {part.get('summary', '')}",
           f"- Topic tags: {', '.join(part.get('tags') or []) or '-'}",
           f"- Decided by: {rec.get('officer') or '(not recorded)'}",
           f"- Recorded: {rec.get('time')} (UTC), ncnd-assistant {rec.get('tool_version')}",
           f"- Decided on: {decided_on(rec) or '-'}; the public interest was weighed as it stood at the original "
           f"response ({MONTAGUE})",
           f"- Rule base: {rb.get('id', '-')} version {rb.get('version', '-')}, digest {rb.get('digest', '-')}",
           f"- Record hash: {rec.get('hash')} (previous: {rec.get('prev_hash')})", "",
           "## Decision", "",
           f"- Recommended by the rule base: {_outcome_text((rec.get('recommendation') or {}).get('outcome'))}; "
           f"provisions: {_provision_text(rec.get('recommendation'))}",
           f"- Decided by the officer: {_outcome_text((rec.get('decision') or {}).get('outcome'))}; "
           f"provisions: {_provision_text(rec.get('decision'))}"]
    override = rec.get("override")
    out.append(f"- Override: {override.get('reason')}" if isinstance(override, dict) else "- Override: none")
    if "reasons_withheld" in rec:
        out.append("- Reasons withheld from the requester under FOIA s17(4): "
                   + ("yes (given in full below)" if rec["reasons_withheld"] else "no"))
    required = rec.get("sign_off_required")
    out.append("- Sign-off by a second officer required: "
               + ("yes" if required else "no" if required is False else "not recorded"))
    for s in sign_offs:
        out.append(f"- Signed off by {s.get('by')} on {s.get('time')} (record {s.get('id')})")
    if required and not sign_offs:
        out.append("- Sign-off: awaiting a second officer")
    out += ["", "## Questions as shown and answers given", ""]
    for n, q in enumerate(rec.get("questions") or [], 1):
        out.append(f"{n}. {q.get('text')} ({q.get('id')})  ")
        out.append(f"   Answer: {q.get('answer')}")
    out += ["", "## Rules fired", ""]
    out += [f"- {r}" for r in rec.get("fired") or []] or ["- none"]
    if rec.get("reasons"):
        out += ["", "## Reasons", ""] + [f"- {line}" for line in rec["reasons"]]
    for key, title in (("harm_text", "Harm (officer's text)"),
                       ("public_interest_text", "Public interest (officer's text)")):
        if rec.get(key):
            out += ["", f"## {title}", "", str(rec[key])]
    if case.get("request"):
        out += ["", "## Request as received", ""] + [f"> {line}" for line in str(case["request"]).splitlines()]
    out += ["", "## Masking", ""]
    if not mask:
        out.append("Nothing was masked: this export shows every answer as given.")
    elif masked:
        out.append(f"Answers to questions marked sensitive are shown as \"{MASK}\": " + ", ".join(masked) + ".")
        out.append("Lines of the reasons that quote those questions are withheld the same way.")
    else:
        out.append("No question in this record is marked sensitive; nothing was masked.")
    if mask and unflagged:
        out.append("This record predates sensitivity flags; these answers were not checked for masking: "
                   + ", ".join(unflagged) + ".")
    return "\n".join(out) + "\n"


def render_export(record: Record, fmt: str = "markdown", mask_sensitive: bool = True,
                  sign_offs: Sequence[Record] = ()) -> Export:
    """An export of one decision for an internal reviewer, the ICO or a tribunal (nothing appended)."""
    if record.get("kind") != "decision":
        raise AuditError(f"record {record.get('id')} is a '{record.get('kind')}' record; only decisions are exported")
    copy, masked, unflagged = _masked_copy(record, mask_sensitive)
    if fmt == "json":
        doc = {"export": {"mask_sensitive": mask_sensitive, "masked": list(masked),
                          "unflagged": list(unflagged) if mask_sensitive else [],
                          "note": "the record's hash is of the record as logged, before any masking"},
               "decision": copy, "sign_offs": list(sign_offs)}
        return Export(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", masked, unflagged)
    if fmt == "markdown":
        return Export(_export_markdown(copy, sign_offs, masked, unflagged, mask_sensitive), masked, unflagged)
    raise AuditError(f"unknown export format '{fmt}' (use markdown or json)")


def export(path: Path, id_or_prefix: str, fmt: str = "markdown", mask_sensitive: bool = True, by: str = "",
           clock: Clock | None = None, new_id: IdSource | None = None) -> tuple[Export, Record]:
    """Render a decision's export and append an `export` record saying so; return both."""
    records = read_records(path, tolerant=True)
    record = _find_in(records, id_or_prefix, path)
    result = render_export(record, fmt, mask_sensitive, sign_offs_for(records, str(record["id"])))
    logged = append(path, {"kind": "export", "decision_id": record["id"], "case_ref": record.get("case_ref"),
                           "format": fmt, "masked": list(result.masked), "mask_sensitive": mask_sensitive,
                           "by": " ".join(by.split()),
                           "export_sha256": hashlib.sha256(result.text.encode()).hexdigest()}, clock, new_id)
    return result, logged


# ---------------------------------------------------------------------------------------------- replay
SAME, DIFFERS, INCOMPLETE, NOT_REPLAYABLE = "same", "differs", "incomplete", "not replayable"


@dataclass(frozen=True)
class ReplayResult:
    """One decision re-assessed under the current rule base."""

    record: Record
    status: str  # SAME, DIFFERS, INCOMPLETE (needs answers it lacks now) or NOT_REPLAYABLE (no answers)
    outcome_then: str
    outcome_now: str | None = None
    provisions_then: tuple[str, ...] = ()
    provisions_now: tuple[str, ...] = ()
    rules_added: tuple[str, ...] = ()  # fire now, did not then
    rules_removed: tuple[str, ...] = ()  # fired then, do not now
    digest_then: str = ""
    digest_now: str = ""
    notes: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        return self.status in (DIFFERS, INCOMPLETE)

    def why(self) -> list[str]:
        """Why the decision would now differ (or what else changed), one line each."""
        lines = []
        if self.outcome_now is not None and self.outcome_now != self.outcome_then:
            lines.append(f"outcome: {self.outcome_then} then, {self.outcome_now} now")
        if self.outcome_now is not None and self.provisions_now != self.provisions_then:
            added = sorted(set(self.provisions_now) - set(self.provisions_then))
            removed = sorted(set(self.provisions_then) - set(self.provisions_now))
            lines.append("provisions: " + "; ".join(
                ([f"now also {', '.join(added)}"] if added else []) + ([f"no longer {', '.join(removed)}"]
                                                                        if removed else [])))
        if self.rules_added:
            lines.append("rules that fire now but did not then: " + ", ".join(self.rules_added))
        if self.rules_removed:
            lines.append("rules that fired then but do not now: " + ", ".join(self.rules_removed))
        if self.digest_then and self.digest_now and self.digest_then != self.digest_now:
            lines.append(f"rule base: digest {self.digest_then} then, {self.digest_now} now")
        elif self.digest_then == self.digest_now and self.status == DIFFERS:
            lines.append("rule base: same digest then and now (the difference comes from the tool, not the rules)")
        return lines + list(self.notes)


@dataclass(frozen=True)
class ReplayReport:
    results: tuple[ReplayResult, ...]
    rulebase: dict[str, str] = field(default_factory=dict)

    @property
    def differences(self) -> list[ReplayResult]:
        return [r for r in self.results if r.differs]


def _replay_one(rec: Record, rb: RuleBase, assessor: Assessor) -> ReplayResult:
    recommended = rec.get("recommendation") or {}
    then_outcome = str(recommended.get("outcome", ""))
    then_provisions = tuple(sorted(str(p) for p in recommended.get("provisions") or []))
    then_fired = [str(r) for r in rec.get("fired") or []]
    base: dict[str, Any] = {"record": rec, "outcome_then": then_outcome, "provisions_then": then_provisions,
            "digest_then": str((rec.get("rulebase") or {}).get("digest", "")), "digest_now": rb.digest}
    raw_answers = rec.get("answers")
    if not isinstance(raw_answers, dict):
        return ReplayResult(status=NOT_REPLAYABLE, notes=(
            "the record has no raw answers (written before answers were recorded)",), **base)
    notes: list[str] = []
    answers: dict[str, Value] = {}
    for qid, raw in raw_answers.items():
        if not rb.has_question(qid):
            notes.append(f"answer to '{qid}' ignored: the current rule base has no such question")
            continue
        value = coerce(rb.question(qid), raw)
        if value is None:
            notes.append(f"answer to '{qid}' ({raw!r}) no longer fits: it must now be {expected(rb.question(qid))}")
            continue
        answers[qid] = value
    part = rec.get("part") or {}
    try:
        now = assessor.assess_part(Part(str(part.get("id", "part")), str(part.get("summary", "")), answers))
    except AnswersError as error:
        return ReplayResult(status=INCOMPLETE, notes=tuple(
            notes + [f"the current rule base needs answers the record lacks: {p.message}" for p in error.problems]),
            **base)
    now_provisions = tuple(sorted(c.provision.id for c in now.decision.cited))
    same = now.outcome.value == then_outcome and now_provisions == then_provisions
    return ReplayResult(status=SAME if same else DIFFERS, outcome_now=now.outcome.value,
                        provisions_now=now_provisions,
                        rules_added=tuple(r for r in now.fired if r not in then_fired),
                        rules_removed=tuple(r for r in then_fired if r not in now.fired),
                        notes=tuple(notes), **base)


def replay(path: Path, rulebase: RuleBase, ids: Sequence[str] | None = None,
           assessor: Assessor | None = None) -> ReplayReport:
    """Re-assess recorded answers under `rulebase` and compare with each record's recommendation.

    Without `ids`, every decision (the latest per session and part); with ids (or unique prefixes),
    those decisions."""
    records = read_records(path, tolerant=True)
    if ids is None:
        chosen = latest_decisions(records)
    else:
        chosen = []
        for wanted in ids:
            rec = _find_in(records, wanted, path)
            if rec.get("kind") != "decision":
                raise AuditError(f"record {rec['id']} is a '{rec.get('kind')}' record, not a decision")
            chosen.append(rec)
    assessor = assessor or Assessor(rulebase)
    results = tuple(_replay_one(rec, rulebase, assessor) for rec in chosen)
    meta = {"id": rulebase.meta.id, "version": rulebase.meta.version, "digest": rulebase.digest}
    return ReplayReport(results, meta)
