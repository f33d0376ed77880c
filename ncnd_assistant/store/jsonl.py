"""The JSON Lines backend: today's decision-log file (`audit.log`), unchanged, behind the store
interface. `--audit PATH` and `jsonl:///PATH` mean this backend; old logs keep working."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ncnd_assistant.audit import log
from ncnd_assistant.audit.log import AuditError, Clock, IdSource
from ncnd_assistant.audit.record import AuditRecord, parse_line
from ncnd_assistant.store.base import EMPTY_HEAD, Checker, Store, StoredLine


class JsonlStore(Store):
    """A hash-chained JSON Lines file, appended under `flock` (one machine: not over SMB or NFS)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"jsonl:///{path.absolute().as_posix()}"  # four slashes: an absolute path, as for sqlite

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def append_many(self, records: Sequence[Mapping[str, Any]], clock: Clock | None = None,
                    new_id: IdSource | None = None) -> list[AuditRecord]:
        return log.append_many(self.path, records, clock, new_id)

    def append_checked(self, check: Checker, clock: Clock | None = None,
                       new_id: IdSource | None = None) -> list[AuditRecord]:
        with log.locked(self.path, create=False) as handle:
            handle.seek(0)
            bodies = check(log.parse_records(handle.read(), self.path, tolerant=True))
            return log.append_locked(handle, bodies, clock, new_id) if bodies else []

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        return log.append_records(self.path, records)

    def lines(self) -> Iterator[StoredLine]:
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            raise AuditError(f"no audit log at {self.path}") from None
        except OSError as error:
            raise AuditError(f"cannot read the audit log {self.path}: {error.strerror}") from None
        with handle:
            for n, raw in enumerate(handle, 1):
                if raw.endswith(b"\n"):
                    yield StoredLine(n, raw[:-1])
                else:
                    yield StoredLine(n, raw, torn=True)

    def head(self) -> tuple[int, str]:
        if not self.path.exists():
            return EMPTY_HEAD
        count, last = EMPTY_HEAD
        for line in self.lines():
            rec = None if line.torn else parse_line(line.raw)
            if rec is not None:
                count, last = count + 1, rec.hash
        return count, last
