"""The store interface every backend implements: append records to the hash chain with its head
locked, stream them back in chain order, and say where the chain ends (its head)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import Any, Self

from ncnd_assistant.audit.log import GENESIS, Clock, IdSource
from ncnd_assistant.audit.record import AuditRecord, parse_object, record_line
from ncnd_assistant.lazy_dataclass import dataclass

REQUESTER_KEY = "requester"  # a record's requester identity: stored apart, never precedent, masked in exports
Checker = Callable[[Iterable[AuditRecord]], Sequence[Mapping[str, Any]]]


def may_hold(text: bytes, containing: Sequence[bytes]) -> bool:
    """Whether a record stored as `text` may hold every one of `containing` (each a JSON string as the
    log writes it, quotes included): False only when one is missing and the text has no `\\u` or `\\/`
    escape, the only other ways JSON can write the same string (a hand-edited line may use them)."""
    if all(needle in text for needle in containing):
        return True
    return b"\\u" in text or b"\\/" in text


@dataclass(frozen=True)
class StoredLine:
    """One record as the store holds it, for the chain check: its position in the chain (a line
    of a JSONL file, a row's sequence number in a database) and its text.

    A JSONL line is the record's canonical JSON (`text` and `raw` are the same). A database row
    keeps the hash in a column and the JSON without it, which is exactly what the hash is over
    (`hashed`), so the check needs no parsing; `raw` rebuilds the whole line when it is needed."""

    position: int
    text: bytes  # without the final newline
    torn: bool = False  # JSONL only: the last line has no final newline (a write did not finish)
    problem: str = ""  # a row the store cannot turn back into its record (say why)
    columns: tuple[tuple[str, str], ...] = ()  # a row's id, kind, prev_hash and hash columns
    hashed: bytes | None = None  # a row: the bytes its hash must be the sha256 of
    identity: Any = None  # a row: the requester's identity kept apart (None: none)

    @cached_property
    def raw(self) -> bytes:
        """The record's whole line, as a JSONL log would hold it."""
        if not self.columns:
            return self.text
        digest = dict(self.columns).get("hash", "")
        try:
            obj = json.loads(self.text)
        except ValueError:
            return self.text
        if not isinstance(obj, dict):
            return self.text
        if record_line(obj) != self.text + b"\n":  # not as written: keep it so, for verify to say
            return self.text[:-1] + f', "hash": {json.dumps(digest)}}}'.encode()
        obj["hash"] = digest
        if self.identity is not None:
            obj[REQUESTER_KEY] = self.identity
        return record_line(obj)[:-1]


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment, kept outside the store: `verify --anchor` proves no record
    up to it was removed or changed."""

    count: int
    hash: str
    url: str = ""
    time: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": "ncnd-anchor", "count": self.count, "hash": self.hash, "store": self.url, "time": self.time}

    def text(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True) + "\n"


class Store(ABC):
    """A hash-chained decision log. Appends lock the chain head so concurrent writers cannot fork
    it; reading streams records in chain order (never the whole log in memory)."""

    url: str  # where the store is, as a URL (jsonl:///..., sqlite:///..., postgresql://...), no password

    @abstractmethod
    def append_many(self, records: Sequence[Mapping[str, Any]], clock: Clock | None = None,
                    new_id: IdSource | None = None) -> list[AuditRecord]:
        """Chain and store `records` (JSON objects with a `kind`) in one durable transaction with the
        head locked: all of them or none. Returns them as written (id, time, version, hashes added)."""

    @abstractmethod
    def append_checked(self, check: Checker, clock: Clock | None = None,
                       new_id: IdSource | None = None) -> list[AuditRecord]:
        """Under the head lock, give `check` the store's records (in chain order) and append what it
        returns: a decision made on the log and recorded in it with no other writer in between
        (`check` raises to refuse). The store must exist already."""

    @abstractmethod
    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Store records that are chained already (from `ncnd store import`), exactly as they are,
        each checked to match its hash and follow the one before (the first: the store's head);
        all of them or none. Returns how many."""

    def append(self, record: Mapping[str, Any], clock: Clock | None = None,
               new_id: IdSource | None = None) -> AuditRecord:
        """Store one record; return it as written."""
        return self.append_many([record], clock, new_id)[-1]

    @abstractmethod
    def lines(self) -> Iterator[StoredLine]:
        """Every stored record in chain order, as stored (for `verify`)."""

    def objects(self, containing: Sequence[bytes] = ()) -> Iterator[dict[str, Any]]:
        """The JSON object of every record that parses, in chain order, streamed. With `containing`,
        only records whose stored text holds each of those bytes (see `may_hold`): the others are
        skipped without being parsed, so a search reads a long log at the speed of a byte scan."""
        for line in self.lines():
            if line.torn or not may_hold(line.raw, containing):
                continue
            obj = parse_object(line.raw)
            if obj is not None:
                yield obj

    def records(self) -> Iterator[AuditRecord]:
        """Every record that parses, in chain order, streamed (`verify` says what is wrong with the rest)."""
        for obj in self.objects():
            yield AuditRecord.from_json(obj)

    @abstractmethod
    def head(self) -> tuple[int, str]:
        """The number of records and the hash of the last (0 and 64 zeros when empty)."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether the store has been created (a file or a schema is there)."""

    def describe(self) -> str:
        """Where the store is, for messages (a path for files)."""
        return self.url

    def close(self) -> None:  # noqa: B027  (backends with connections override it)
        """Release connections and files."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


EMPTY_HEAD = (0, GENESIS)
