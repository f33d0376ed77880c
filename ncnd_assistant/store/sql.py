"""The SQL backends (SQLite and PostgreSQL) through SQLAlchemy 2 (psycopg 3 for PostgreSQL).

An append is one transaction with the chain head locked: on SQLite `BEGIN IMMEDIATE` (the
database's write lock, taken before the head is read), on PostgreSQL a transaction-scoped
advisory lock. A writer killed mid-insert leaves nothing: its transaction is rolled back. Commits
are durable (SQLite: WAL with `synchronous=FULL`; PostgreSQL: `synchronous_commit` as the server
has it, on by default). Reading streams rows in chain order.
"""

from __future__ import annotations

import itertools
import json
import os
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, cast, create_engine, event, func, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ncnd_assistant.audit.log import GENESIS, AuditError, Clock, IdSource, chain, follows
from ncnd_assistant.audit.record import AuditRecord, parse_line, record_line
from ncnd_assistant.errors import StorageError
from ncnd_assistant.paths import OWNER_FILE, private_dir, storage_error
from ncnd_assistant.store.base import EMPTY_HEAD, Checker, Store, StoredLine, may_hold
from ncnd_assistant.store.schema import HEAD_REVISION, RECORDS, REQUESTER_KEY, REQUESTERS, current_revision, upgrade

CHAIN_LOCK = 0x6E636E64  # "ncnd": the PostgreSQL advisory lock key of the chain head
MIGRATION_LOCK = 0x6E636E65
BUSY_TIMEOUT_MS = 60_000  # SQLite: how long a writer waits for another's lock
STREAM_BATCH = 500


def _after_insert() -> None:
    """Called inside an append's transaction, after the insert and before the commit (a test
    replaces it to kill a writer there)."""


def _public_url(url: str) -> str:
    """The URL as given, or with its password hidden if it has one."""
    parsed = make_url(url)
    return parsed.render_as_string(hide_password=True) if parsed.password else url


class SqlStore(Store):
    """A hash-chained log in an SQL database."""

    def __init__(self, url: str, path: Path | None = None, public: str = "") -> None:
        self.url = _public_url(public or url)
        self.path = path  # SQLite: the database file
        self._driver_url = url
        self._engine: Engine | None = None
        self._ready = False

    # ------------------------------------------------------------------ connections
    def describe(self) -> str:
        return str(self.path) if self.path is not None else self.url

    @property
    def dialect(self) -> str:
        return "sqlite" if self.path is not None else "postgresql"

    def engine(self) -> Engine:
        """The store's engine, keeping one connection for the store's life (closed by `close`, or
        when the store is dropped)."""
        if self._engine is None:
            self._engine = _sqlite_engine(self._driver_url) if self.dialect == "sqlite" else create_engine(
                self._driver_url, pool_size=1, max_overflow=2)
            self._finalizer = weakref.finalize(self, self._engine.dispose)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._finalizer()
            self._engine = None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database errors as one-line StorageErrors naming the store."""
        try:
            yield
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            raise StorageError(f"cannot {doing} the store {self.describe()}: "
                               f"{reason[0] if reason else type(error).__name__}") from None

    def exists(self) -> bool:
        if self.path is not None:
            return self.path.exists()
        with self._errors("read"), self.engine().connect() as conn:
            return bool(inspect(conn).has_table(RECORDS.name))

    def _prepare(self, create: bool) -> None:
        """Make sure the database is there with the current schema (created when `create`)."""
        if self._ready:
            return
        if self.path is not None and not self.path.exists():
            if not create:
                raise AuditError(f"no audit log at {self.path}")
            _create_private(self.path)
        with self._errors("open"):
            with self.engine().connect() as conn:
                current = current_revision(conn)
            if current != HEAD_REVISION:
                with self._writing() as conn:
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                    if current_revision(conn) != HEAD_REVISION:
                        upgrade(conn)
        self._ready = True

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A connection in a write transaction (SQLite: BEGIN IMMEDIATE), committed at the end."""
        with self.engine().connect().execution_options(ncnd_write=True) as conn, conn.begin():
            yield conn

    # ------------------------------------------------------------------ the interface
    def append_many(self, records: Sequence[Mapping[str, Any]], clock: Clock | None = None,
                    new_id: IdSource | None = None) -> list[AuditRecord]:
        if not records:
            return []
        if self.dialect == "postgresql" and any(
                r.get("kind") == "decision" and not str(r.get("officer") or "").strip() for r in records):
            raise AuditError(f"a team store ({self.url}) records who decided: give --officer NAME, or set it "
                             "once with `ncnd settings set officer NAME`")
        self._prepare(create=True)
        with self._errors("append to"), self._writing() as conn:
            return self._append_in(conn, records, clock, new_id)

    def append_checked(self, check: Checker, clock: Clock | None = None,
                       new_id: IdSource | None = None) -> list[AuditRecord]:
        self._prepare(create=False)
        with self._errors("append to"), self._writing() as conn:
            self._lock_head(conn)
            bodies = check(rec for line in self._rows(conn) if (rec := parse_line(line.raw)) is not None)
            return self._append_in(conn, bodies, clock, new_id) if bodies else []

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        self._prepare(create=True)
        count = 0
        with self._errors("import into"), self._writing() as conn:
            self._lock_head(conn)
            seq, prev = self._head_in(conn)
            batch: list[Mapping[str, Any]] = []
            for count, record in enumerate(records, 1):  # noqa: B007  (count is the total after the loop)
                prev = follows(record, prev, count)
                batch.append(record)
                if len(batch) >= STREAM_BATCH:
                    seq = self._insert(conn, batch, seq)
                    batch = []
            self._insert(conn, batch, seq)
        return count

    @staticmethod
    def _head_in(conn: Connection) -> tuple[int, str]:
        last = conn.execute(select(RECORDS.c.seq, RECORDS.c.hash).order_by(RECORDS.c.seq.desc()).limit(1)).first()
        return (int(last[0]), str(last[1])) if last else (0, GENESIS)

    @staticmethod
    def _insert(conn: Connection, written: Sequence[Mapping[str, Any]], seq: int) -> int:
        """Insert records chained already after row `seq`; return the last row's number."""
        rows, identities = [], []
        for n, full in enumerate(written, seq + 1):
            body = {k: v for k, v in full.items() if k not in (REQUESTER_KEY, "hash")}
            rows.append({"seq": n, "id": str(full["id"]), "kind": str(full["kind"]), "time": str(full.get("time", "")),
                         "case_ref": _text_or_none(full.get("case_ref")), "prev_hash": full["prev_hash"],
                         "hash": full["hash"], "body": record_line(body).decode()[:-1]})
            if REQUESTER_KEY in full:
                identities.append({"seq": n, "identity": json.dumps(full[REQUESTER_KEY], ensure_ascii=False,
                                                                    sort_keys=True)})
        if rows:
            conn.execute(insert(RECORDS), rows)
        if identities:
            conn.execute(insert(REQUESTERS), identities)
        return seq + len(rows)

    def _lock_head(self, conn: Connection) -> None:
        """Hold the chain head until the transaction ends (SQLite: BEGIN IMMEDIATE did already)."""
        if self.dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")

    def _append_in(self, conn: Connection, records: Sequence[Mapping[str, Any]], clock: Clock | None,
                   new_id: IdSource | None) -> list[AuditRecord]:
        """Chain `records` after the head and insert them, in the caller's write transaction."""
        self._lock_head(conn)
        seq, prev = self._head_in(conn)
        written = chain(records, prev, clock, new_id)
        self._insert(conn, written, seq)
        _after_insert()
        return [AuditRecord.from_json(json.loads(record_line(full))) for full in written]

    def lines(self) -> Iterator[StoredLine]:
        self._prepare(create=False)
        with self._errors("read"), self.engine().connect() as conn:
            yield from self._rows(conn)

    def _rows(self, conn: Connection) -> Iterator[StoredLine]:
        if self.dialect == "postgresql":
            yield from _pg_rows(conn)
            return
        yield from self._sqlite_rows(conn)

    def _sqlite_rows(self, conn: Connection) -> Iterator[StoredLine]:
        """The rows in chain order, streamed on `conn` (SQLite gives the JSON as UTF-8 bytes, not decoded and
        encoded again; PostgreSQL as text, since bytea would travel hex-encoded)."""
        body = RECORDS.c.body if self.dialect == "postgresql" else cast(RECORDS.c.body, LargeBinary)
        query = (select(RECORDS.c.seq, RECORDS.c.id, RECORDS.c.kind, RECORDS.c.prev_hash, RECORDS.c.hash,
                        body, REQUESTERS.c.identity)
                 .select_from(RECORDS.outerjoin(REQUESTERS, REQUESTERS.c.seq == RECORDS.c.seq))
                 .order_by(RECORDS.c.seq))
        result = conn.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(query)
        # a server-side cursor on PostgreSQL: at most STREAM_BATCH rows in memory
        for seq, rid, kind, prev_hash, hash_, body, identity in result:
            text = body.encode() if isinstance(body, str) else bytes(body)
            yield _stored_line(int(seq), rid, kind, prev_hash, hash_, text, identity)

    def objects(self, containing: Sequence[bytes] = ()) -> Iterator[dict[str, Any]]:
        """The records' JSON objects, streamed in chain order, each parsed once (`verify` says what is
        wrong with any row that does not parse); `containing` is matched against the row's JSON, not
        the requester's identity kept apart."""
        for line in self.lines():
            if not may_hold(line.text, containing):
                continue
            try:
                obj = json.loads(line.text)
            except ValueError:
                continue
            if isinstance(obj, dict):
                obj["hash"] = dict(line.columns).get("hash", "")
                if line.identity is not None:
                    obj[REQUESTER_KEY] = line.identity
                yield obj

    def head(self) -> tuple[int, str]:
        if self.path is not None and not self.path.exists():
            return EMPTY_HEAD
        self._prepare(create=False)
        with self._errors("read"), self.engine().connect() as conn:
            count = conn.execute(select(func.count()).select_from(RECORDS)).scalar_one()
            last = conn.execute(select(RECORDS.c.hash).order_by(RECORDS.c.seq.desc()).limit(1)).scalar()
        return (int(count), str(last)) if last is not None else EMPTY_HEAD


_CURSORS = itertools.count(1)
PG_ROWS = ("SELECT a.seq, a.id, a.kind, a.prev_hash, a.hash, a.body, r.identity FROM audit_record a "
           "LEFT JOIN requester_identity r ON r.seq = a.seq ORDER BY a.seq")


def _pg_rows(conn: Connection) -> Iterator[StoredLine]:
    """PostgreSQL's rows in chain order through a psycopg server-side cursor, STREAM_BATCH at a time
    (straight from the driver: SQLAlchemy's streaming fetched in far smaller steps)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor(name=f"ncnd_rows_{next(_CURSORS)}") as cursor:  # a name of its own: two may be open
        cursor.itersize = STREAM_BATCH
        cursor.execute(PG_ROWS)
        for seq, rid, kind, prev_hash, hash_, body, identity in cursor:
            yield _stored_line(int(seq), rid, kind, prev_hash, hash_, body.encode(), identity)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _stored_line(seq: int, rid: str, kind: str, prev_hash: str, hash_: str, text: bytes,
                 identity: str | None) -> StoredLine:
    """A row for the chain check: its JSON (without `hash`) is what its hash is over, once the
    requester's identity, kept apart, is put back."""
    columns = (("id", rid), ("kind", kind), ("prev_hash", prev_hash), ("hash", hash_))
    if identity is None:
        return StoredLine(seq, text, columns=columns, hashed=text)
    try:
        obj, who = json.loads(text), json.loads(identity)
    except ValueError:
        return StoredLine(seq, text, problem="its JSON or its requester's identity is not JSON", columns=columns)
    if not isinstance(obj, dict) or record_line(obj) != text + b"\n":
        return StoredLine(seq, text, columns=columns, identity=who)  # not as written: verify says how
    obj[REQUESTER_KEY] = who
    return StoredLine(seq, text, columns=columns, hashed=record_line(obj)[:-1], identity=who)


def _create_private(path: Path) -> None:
    """An empty owner-only database file (SQLite gives its WAL and shared-memory files the same mode)."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_FILE))
    except OSError as error:
        raise storage_error("create the store", path, error) from None


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, pool_size=1, max_overflow=2)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ncnd_write") else "BEGIN")

    return engine
