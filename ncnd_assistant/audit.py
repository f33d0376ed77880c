"""The decision log: one JSON line per record, each chained to the previous by hash.

Appends take an exclusive lock, are flushed and synced, and the file is created readable by
its owner only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ncnd_assistant import __version__
from ncnd_assistant.session import data_dir

GENESIS = "0" * 64


def default_audit_path() -> Path:
    """$NCND_AUDIT, else audit.jsonl in the per-user data directory."""
    return Path(os.environ.get("NCND_AUDIT") or data_dir() / "audit.jsonl")


def record_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _last_hash(handle: Any) -> str:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    if size == 0:
        return GENESIS
    chunk = min(size, 1 << 16)
    while True:
        handle.seek(size - chunk)
        lines = handle.read(chunk).splitlines()
        complete = [line for line in lines if line.strip()]
        if len(lines) > 1 or chunk == size:
            break
        chunk = min(size, chunk * 2)
    try:
        return str(json.loads(complete[-1])["hash"])
    except (ValueError, KeyError, IndexError):
        return GENESIS  # a torn or foreign last line: the chain restarts, and verify will say so


def append(path: Path, record: dict[str, Any], clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """Append one record (adding id, time, tool version, previous hash and its own hash)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            now = (clock or (lambda: datetime.now(UTC)))()
            full = {"id": uuid.uuid4().hex, "time": now.isoformat(timespec="seconds"),
                    "tool_version": __version__, **record, "prev_hash": _last_hash(handle)}
            full["hash"] = record_hash(full)
            handle.seek(0, os.SEEK_END)
            handle.write((json.dumps(full, ensure_ascii=False, sort_keys=True) + "\n").encode())
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return full
