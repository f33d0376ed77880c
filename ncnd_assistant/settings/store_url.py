"""Which case store a command uses, as a URL: the first of `--audit PATH` (a JSONL file), `--store
URL`, $NCND_AUDIT, $NCND_STORE and the settings file's `store`, else the default SQLite database in
the user's data directory (docs/store.md, "Choosing a backend"); and whether a file store exists
yet. Apart from `store.locate` (which re-exports all of it) so that a command that only reads, and
finds no store, imports no store or audit code."""

from __future__ import annotations

import os
from pathlib import Path

from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.paths import data_dir

STORE_ENV = "NCND_STORE"
AUDIT_ENV = "NCND_AUDIT"
DEFAULT_DB = "audit.db"
LEGACY_LOG = "audit.jsonl"  # the default log before the store: used while it exists and no database does
SCHEMES = ("sqlite", "postgresql", "jsonl")


class StoreUrlError(NcndError):
    """A store URL the tool cannot use."""

    exit_code = ExitCode.USAGE


def default_url() -> str:
    """The default store: audit.db in the data directory (or an older audit.jsonl there, while it
    is the only log there: `ncnd store import` moves it into the database)."""
    db, legacy = data_dir() / DEFAULT_DB, data_dir() / LEGACY_LOG
    if legacy.exists() and not db.exists():
        return f"jsonl:///{legacy}"
    return f"sqlite:///{db}"


def store_url(url: str | None = None, audit_path: Path | None = None) -> str:
    """The URL of the store to use (see the module docstring for the order)."""
    if audit_path is not None:
        return f"jsonl:///{audit_path}"
    if url:
        return url
    if os.environ.get(AUDIT_ENV):
        return f"jsonl:///{os.environ[AUDIT_ENV]}"
    if os.environ.get(STORE_ENV):
        return os.environ[STORE_ENV]
    from ncnd_assistant.settings.store import load_settings  # only when no URL was given

    return load_settings().store or default_url()


def path_of(url: str, scheme: str) -> Path:
    """The file of a `scheme:///PATH` URL (relative unless PATH starts with /, as SQLAlchemy reads sqlite URLs)."""
    rest = url[len(scheme) + len(":///"):] if url.startswith(f"{scheme}:///") else ""
    if not rest:
        raise StoreUrlError(f"the store URL '{url}' names no file (write {scheme}:///relative/path or "
                            f"{scheme}:////absolute/path)")
    return Path(rest.split("?", 1)[0])


def may_exist(url: str) -> bool:
    """False when the store a URL names is certainly not there yet (a JSONL or SQLite file that does
    not exist), so a command that only reads can skip opening it, and SQLAlchemy's import with it."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("jsonl", "sqlite"):
        try:
            return path_of(url, url.split(":", 1)[0]).exists()
        except StoreUrlError:
            return True  # opening it reports the problem
    return True
