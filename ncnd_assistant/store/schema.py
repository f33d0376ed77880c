"""The database schema of the SQL backends, and bringing a database up to it with Alembic.

Two tables: `audit_record` (one row per record, in chain order: its sequence number, id, kind,
time, case reference, the two hashes and the record's canonical JSON without its hash and the
requester: with the requester put back, exactly the bytes the hash is the sha256 of) and
`requester_identity` (the requester's identity of a record that has one, kept apart from the
decision data: never read for precedent, masked in exports). Both are append-only: triggers refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL). `prev_hash` is unique, so the chain cannot fork
even if a writer skipped the head lock. docs/store.md has the roles and grants for a team database.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import BigInteger, Column, Connection, ForeignKey, MetaData, Table, Text, inspect

from ncnd_assistant.store.base import REQUESTER_KEY

__all__ = ["REQUESTER_KEY", "RECORDS", "REQUESTERS", "upgrade", "current_revision"]

HEAD_REVISION = "0001"  # the newest migration in migrations/versions (a test keeps them in step)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = MetaData()

RECORDS = Table(
    "audit_record", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),  # 1, 2, 3... in chain order
    Column("id", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("time", Text, nullable=False),
    Column("case_ref", Text, nullable=True, index=True),
    Column("prev_hash", Text, nullable=False, unique=True),
    Column("hash", Text, nullable=False, unique=True),
    Column("body", Text, nullable=False),  # canonical JSON (sorted keys) without `hash` and `requester`
)

REQUESTERS = Table(
    "requester_identity", metadata,
    Column("seq", BigInteger, ForeignKey("audit_record.seq"), primary_key=True),
    Column("identity", Text, nullable=False),  # the record's `requester` value, as JSON
)


APPEND_ONLY_MESSAGE = "the decision log is append-only"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ncnd_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$
"""


def pg_triggers(table: str) -> list[str]:
    """PostgreSQL: UPDATE and DELETE (per row) and TRUNCATE (per statement) refused on `table`."""
    return [f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ncnd_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ncnd_refuse_change()"]


def sqlite_triggers(table: str) -> list[str]:
    """SQLite: UPDATE and DELETE refused on `table` (SQLite has no TRUNCATE)."""
    return [f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}: {op} on {table} refused'); END"
            for op in ("UPDATE", "DELETE")]


def current_revision(conn: Connection) -> str | None:
    """The database's schema revision (None: not created yet)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def upgrade(conn: Connection) -> None:
    """Run the migrations up to HEAD_REVISION on `conn` (inside the caller's transaction)."""
    from alembic import command  # only when a database is created or upgraded
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, HEAD_REVISION)
