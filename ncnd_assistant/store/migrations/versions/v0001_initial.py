"""The first schema: the hash-chained, append-only `audit_record` table and the requester's
identity kept apart in `requester_identity`.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ncnd_assistant.store.schema import PG_FUNCTION, pg_triggers, sqlite_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_record",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("time", sa.Text, nullable=False),
        sa.Column("case_ref", sa.Text, nullable=True),
        sa.Column("prev_hash", sa.Text, nullable=False, unique=True),
        sa.Column("hash", sa.Text, nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_record_case_ref", "audit_record", ["case_ref"])
    op.create_table(
        "requester_identity",
        sa.Column("seq", sa.BigInteger, sa.ForeignKey("audit_record.seq"), primary_key=True),
        sa.Column("identity", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        statements = pg_triggers("audit_record") + pg_triggers("requester_identity")
    else:
        statements = sqlite_triggers("audit_record") + sqlite_triggers("requester_identity")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("refused: the decision log is append-only, so its schema is never downgraded")
