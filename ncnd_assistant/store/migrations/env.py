"""Alembic's environment for the store: migrations run on the connection the store passes in
(`schema.upgrade`), inside its transaction and under its lock; there is no alembic.ini. Imported
outside a migration run (a test importing every module), it does nothing."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection


def _connection() -> Connection | None:
    """The store's connection, when Alembic is running the migrations."""
    try:
        connection = context.config.attributes.get("connection")
    except (AttributeError, NameError):  # no migration run: Alembic has not set up its context
        return None
    return connection if isinstance(connection, Connection) else None


def run() -> None:
    connection = _connection()
    if connection is None:
        return
    context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


run()
