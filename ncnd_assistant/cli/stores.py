"""The store a command's options name; apart from `common` so that `ncnd --help` never imports the
store and the audit code under it (only the commands that read or write decisions do)."""

from __future__ import annotations

from pathlib import Path

from ncnd_assistant.store import Store, open_store


def cli_store(audit_file: Path | None, store: str | None) -> Store:
    """The store the options name (--audit, then --store, then the environment, settings, default)."""
    return open_store(store, audit_file)
