"""The decision log's storage: one JSON line per record, each chained to the previous by hash.

Appends take an exclusive lock (`flock`), are flushed and synced, and the file is created readable
by its owner only. An append refuses a symlink (unless $NCND_AUDIT_FOLLOW_SYMLINKS is 1) and a file
whose first line is not a log record: it never writes to a file it did not write. A writer killed
mid-append leaves a torn last line; the next append cuts it off and first records a `repair` record
saying what it removed (only a fragment that starts like a record: anything else is refused).
Reading gives typed records (`record.AuditRecord`). The chain check is in `verify`, searching in
`query`. Pure functions: nothing here prints.

The format, the chain and the commands are documented in docs/audit.md.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ncnd_assistant import __version__
from ncnd_assistant.audit.record import AuditRecord, parse_line, record_hash, record_line, why_not_a_record
from ncnd_assistant.errors import ExitCode, NcndError, StorageError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.paths import OWNER_FILE, data_dir, private_dir, storage_error

GENESIS = "0" * 64
FOLLOW_SYMLINKS = "NCND_AUDIT_FOLLOW_SYMLINKS"  # set to 1 to let appends follow a symlinked log
RECORD_START = b'{"'  # how every line the tool writes begins (sorted-key JSON objects)
Body = Mapping[str, Any]  # what a caller asks to log: a JSON object with a `kind`
Clock = Callable[[], datetime]
IdSource = Callable[[], str]


class AuditError(NcndError):
    """The log cannot be read or the request on it cannot be done (unknown id, four eyes...)."""

    exit_code = ExitCode.FAILED


def default_audit_path() -> Path:
    """$NCND_AUDIT, else audit.jsonl in the per-user data directory."""
    return Path(os.environ.get("NCND_AUDIT") or data_dir() / "audit.jsonl")


# ---------------------------------------------------------------------------------------------- appending
@contextmanager
def locked(path: Path, create: bool = True) -> Iterator[IO[bytes]]:
    """The log opened for appending under an exclusive lock (created 0600 when `create`)."""
    follow = os.environ.get(FOLLOW_SYMLINKS) == "1"
    if path.is_symlink() and not follow:
        raise StorageError(f"refusing to write to the audit log {path}: it is a symlink "
                           f"(set {FOLLOW_SYMLINKS}=1 to follow it)")
    if create:
        private_dir(path.parent)
    elif not path.exists():
        raise AuditError(f"no audit log at {path}")
    flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT if create else 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags, OWNER_FILE)
    except OSError as error:
        raise storage_error("open the audit log", path, error) from None
    with os.fdopen(fd, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            _check_ours(handle, path)
            yield handle
        except OSError as error:
            raise storage_error("append to the audit log", path, error) from None
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_ours(handle: IO[bytes], path: Path) -> None:
    """Refuse a non-empty file whose first line is not a log record (or the start of one, torn)."""
    handle.seek(0)
    if not _starts_like_a_record(handle.read(len(RECORD_START))):
        raise StorageError(f"refusing to write to {path}: its first line is not a decision-log record, "
                           "so the tool did not write it (give --audit a new file or an existing log)")
    handle.seek(0)
    first = handle.readline()
    if first.endswith(b"\n") and parse_line(first) is None:
        raise StorageError(f"refusing to write to {path}: its first line is not a decision-log record, "
                           "so the tool did not write it (give --audit a new file or an existing log)")
    try:
        _tail(handle)
    except _NotOurs:
        raise StorageError(f"refusing to append to {path}: its last line is neither a log record nor a torn "
                           "one the tool left, so something else wrote it; run `ncnd audit verify`") from None


def _write(fd: int, data: bytes) -> None:
    """Write all of `data` (the one place bytes reach the log; tests replace it to tear a write)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _starts_like_a_record(data: bytes) -> bool:
    """Whether `data` could be the start of a line the tool wrote (even one cut after a byte)."""
    return RECORD_START.startswith(data[:len(RECORD_START)]) if len(data) < len(RECORD_START) \
        else data.startswith(RECORD_START)


class _NotOurs(Exception):
    """The log's last line was not written by the tool (see `_check_ours`)."""


@dataclass(frozen=True)
class _Tail:
    prev_hash: str  # hash of the last whole record (GENESIS for an empty log)
    last_id: str | None
    keep: int  # bytes to keep; the rest is the torn tail
    torn: bytes
    reason: str


def _last_lines(handle: IO[bytes], size: int) -> tuple[list[bytes], bool]:
    """The lines at the end of the log (enough for a torn line and the whole line before it), and
    whether they start at the file's beginning (else the first piece may be partial)."""
    chunk = 1 << 16
    while True:
        start = max(0, size - chunk)
        handle.seek(start)
        pieces = handle.read(size - start).split(b"\n")
        if start == 0 or len(pieces) >= 4:
            return pieces, start == 0
        chunk *= 4


def _tail(handle: IO[bytes]) -> _Tail:
    """The end of the log: the last whole record, and any torn or non-JSON last line after it."""
    size = os.fstat(handle.fileno()).st_size
    if size == 0:
        return _Tail(GENESIS, None, 0, b"", "")
    pieces, from_start = _last_lines(handle, size)
    whole, torn = pieces[:-1], pieces[-1]
    reason = "the last line had no final newline: a write did not finish" if torn else ""
    if torn and not _starts_like_a_record(torn) or not torn and whole and parse_line(whole[-1]) is None:
        raise _NotOurs
    if not from_start:
        whole = whole[1:]
    last = parse_line(whole[-1]) if whole else None
    if last is None:
        return _Tail(GENESIS, None, size - len(torn), torn, reason)
    return _Tail(last.hash, last.id or None, size - len(torn), torn, reason)


def _repair_body(tail: _Tail) -> Body:
    return {"kind": "repair", "reason": tail.reason, "offset": tail.keep, "after": tail.last_id,
            "removed_bytes": len(tail.torn), "removed_sha256": hashlib.sha256(tail.torn).hexdigest(),
            "removed_text": tail.torn.decode("utf-8", errors="backslashreplace")}


def _now(clock: Clock | None) -> datetime:
    """The clock's time in UTC (a naive time is taken to be UTC already)."""
    now = (clock or (lambda: datetime.now(UTC)))()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _chained(bodies: Sequence[Body], prev: str, time: str, new_id: IdSource | None) -> list[dict[str, Any]]:
    """The bodies as log records: id, time and tool version added, each hashed and linked to the last."""
    written = []
    for body in bodies:
        full = {"id": (new_id or (lambda: uuid.uuid4().hex))(), "time": time, "tool_version": __version__,
                **body, "prev_hash": prev}
        full.pop("hash", None)
        full["hash"] = prev = record_hash(full)
        written.append(full)
    return written


def chain(bodies: Sequence[Body], prev: str, clock: Clock | None = None,
          new_id: IdSource | None = None) -> list[dict[str, Any]]:
    """The bodies as records following the hash `prev`: id, time (now, UTC) and tool version added,
    each hashed and linked to the one before (every backend of the store chains through here)."""
    if any(not (isinstance(body.get("kind"), str) and body["kind"]) for body in bodies):
        raise AuditError("an audit record needs a `kind`")
    return _chained(bodies, prev, _now(clock).isoformat(timespec="seconds"), new_id)


def append_locked(handle: IO[bytes], bodies: Sequence[Body], clock: Clock | None = None,
                  new_id: IdSource | None = None) -> list[AuditRecord]:
    """Chain and write `bodies` (after a repair record if the tail is torn) to a log opened with
    `locked`; return what was written."""
    if any(not AuditRecord.from_json(body).kind for body in bodies):
        raise AuditError("an audit record needs a `kind`")
    tail = _tail(handle)
    if tail.torn:
        os.ftruncate(handle.fileno(), tail.keep)
        bodies = [_repair_body(tail), *bodies]
    written = chain(bodies, tail.prev_hash, clock, new_id)
    lines = [record_line(r) for r in written]
    try:
        _write(handle.fileno(), b"".join(lines))
        handle.flush()
        os.fsync(handle.fileno())
    except OSError:  # a full disk or a file size limit: take back what this append wrote
        _restore(handle.fileno(), tail)
        raise  # `locked` names the log
    return [AuditRecord.from_json(json.loads(line)) for line in lines]  # as a reader will see them


def _restore(fd: int, tail: _Tail) -> None:
    """Put the log back as the failed append found it: its records, then any torn tail it had cut."""
    os.ftruncate(fd, tail.keep)
    view = memoryview(tail.torn)  # fits: it was there a moment ago
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def append_many(path: Path, bodies: Sequence[Body], clock: Clock | None = None,
                new_id: IdSource | None = None) -> list[AuditRecord]:
    """Append records in one locked, synced write; a repair record comes first if the tail was torn."""
    with locked(path) as handle:
        return append_locked(handle, bodies, clock, new_id)


def append(path: Path, body: Body, clock: Clock | None = None, new_id: IdSource | None = None) -> AuditRecord:
    """Append one record (adding id, time, tool version, previous hash and its own hash); return it."""
    return append_many(path, [body], clock, new_id)[-1]


def follows(record: Mapping[str, Any], prev: str, n: int) -> str:
    """The hash of `record`, the `n`th of an import, after checking it is whole and follows `prev`."""
    if not isinstance(record.get("kind"), str) or not isinstance(record.get("hash"), str):
        raise AuditError(f"record {n} of the import is not a log record (no `kind` or `hash`)")
    if record_hash(record) != record["hash"]:
        raise AuditError(f"record {n} of the import ({record.get('id')}) does not match its hash: nothing imported")
    if record.get("prev_hash") != prev:
        raise AuditError(f"record {n} of the import ({record.get('id')}) does not follow the store's last record "
                         f"(hash {prev[:12]}...): import into an empty store, or the log that continues this one")
    return str(record["hash"])


def append_records(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    """Append records that are chained already (an import), each checked to follow the one before;
    all of them or none. Returns how many."""
    with locked(path) as handle:
        tail = _tail(handle)
        if tail.torn:
            raise AuditError(f"{path} ends in a torn line; append to it once (which repairs it) before importing")
        prev, n = tail.prev_hash, 0
        try:
            for n, record in enumerate(records, 1):  # noqa: B007  (n is the count after the loop)
                prev = follows(record, prev, n)
                _write(handle.fileno(), record_line(record))
            handle.flush()
            os.fsync(handle.fileno())
        except (OSError, AuditError):
            _restore(handle.fileno(), tail)
            raise
    return n


# ---------------------------------------------------------------------------------------------- reading
def read_bytes(path: Path) -> bytes:
    """The whole log (an AuditError if it is missing or unreadable)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuditError(f"no audit log at {path}") from None
    except OSError as error:
        raise AuditError(f"cannot read the audit log {path}: {error.strerror}") from None


def split_lines(data: bytes) -> tuple[list[bytes], bool]:
    """The log's lines, and whether the last one is torn (no final newline)."""
    if not data:
        return [], False
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        return pieces[:-1], False
    return pieces, True


def parse_records(data: bytes, path: Path, tolerant: bool) -> list[AuditRecord]:
    """The records in `data` (the bytes of the log at `path`); see `read_records`."""
    lines, torn_last = split_lines(data)
    records = []
    for n, raw in enumerate(lines, 1):
        rec = parse_line(raw)
        if rec is not None and not (torn_last and n == len(lines)):
            records.append(rec)
        elif not tolerant:
            what = "is torn (no final newline)" if torn_last and n == len(lines) else f"is {why_not_a_record(raw)}"
            raise AuditError(f"{path}:{n}: the line {what}; run `ncnd audit verify`")
    return records


def read_records(path: Path, tolerant: bool = False) -> list[AuditRecord]:
    """Every record in the log, in order. A line that is not a whole record is an error, or with
    `tolerant` is skipped (`verify` says what is wrong with it)."""
    return parse_records(read_bytes(path), path, tolerant)
