"""Choosing the store: `open_store` opens the store a URL names, the URL read (`settings.store_url`)
from the first of `--audit PATH` (a JSONL file), `--store URL`, $NCND_AUDIT, $NCND_STORE and the
settings file's `store`, else the default SQLite database in the user's data directory
(docs/store.md, "Choosing a backend")."""

from __future__ import annotations

from pathlib import Path

from ncnd_assistant.settings.store_url import (
    AUDIT_ENV,
    DEFAULT_DB,
    LEGACY_LOG,
    SCHEMES,
    STORE_ENV,
    StoreUrlError,
    default_url,
    may_exist,
    store_url,
)
from ncnd_assistant.settings.store_url import path_of as _path_of
from ncnd_assistant.store.base import Store
from ncnd_assistant.store.jsonl import JsonlStore

__all__ = ["AUDIT_ENV", "DEFAULT_DB", "LEGACY_LOG", "SCHEMES", "STORE_ENV", "StoreUrlError", "as_store", "default_url",
           "may_exist", "open_store", "open_url", "store_url"]


def open_url(url: str) -> Store:
    """The store a URL names."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in SCHEMES or ":" not in url:
        raise StoreUrlError(f"unknown store '{url}': use sqlite:///FILE, postgresql://USER@HOST/DB or jsonl:///FILE")
    if scheme == "jsonl":
        return JsonlStore(_path_of(url, "jsonl"))
    from ncnd_assistant.store.sql import SqlStore  # SQLAlchemy only for the SQL backends

    if scheme == "sqlite":
        path = _path_of(url, url.split(":", 1)[0])
        return SqlStore(f"sqlite+pysqlite:///{path}", path, f"sqlite:///{path}")
    rest = url.split("://", 1)[1] if "://" in url else ""
    return SqlStore(f"postgresql+psycopg://{rest}", public=f"postgresql://{rest}")


def open_store(url: str | None = None, audit_path: Path | None = None) -> Store:
    """The store to use: --audit PATH (a JSONL store), else --store URL, $NCND_AUDIT, $NCND_STORE, the
    settings file's `store`, else the default SQLite database in the user's data directory."""
    return open_url(store_url(url, audit_path))


def as_store(where: Store | Path) -> Store:
    """A store as is; a path as the JSONL store at that path (what the audit functions took before the store)."""
    return where if isinstance(where, Store) else JsonlStore(where)
