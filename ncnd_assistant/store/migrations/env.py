"""Alembic's environment for the store: migrations run on the connection the store passes in
(`schema.upgrade`), inside its transaction and under its lock; there is no alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

connection = context.config.attributes["connection"]
assert isinstance(connection, Connection)
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
