"""Moving records in and out of a store: the chain head as an external anchor, and a store
streamed to or from a JSON Lines file (the chain is checked on the way by the caller's `verify`
and, record by record, by `import_records`)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ncnd_assistant.audit.log import AuditError
from ncnd_assistant.audit.record import record_line
from ncnd_assistant.paths import OWNER_FILE, private_dir, storage_error
from ncnd_assistant.store.base import Anchor, Store

HASH_LENGTH = 64


def anchor_of(store: Store) -> Anchor:
    """The store's head now, as an anchor to keep elsewhere."""
    count, last = store.head()
    return Anchor(count, last, store.url, datetime.now(UTC).isoformat(timespec="seconds"))


def read_anchor(path: Path) -> Anchor:
    """An anchor file written by `ncnd audit anchor` (an AuditError naming the file if it is not one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuditError(f"{path}: cannot read the anchor: {getattr(error, 'strerror', None) or error}") from None
    try:
        value = json.loads(text)
    except ValueError as error:
        raise AuditError(f"{path}:1: not an anchor: not valid JSON ({error})") from None
    count, head = (value.get("count"), value.get("hash")) if isinstance(value, dict) else (None, None)
    if (not isinstance(value, dict) or value.get("kind") != "ncnd-anchor" or not isinstance(count, int)
            or isinstance(count, bool) or count < 0 or not isinstance(head, str) or len(head) != HASH_LENGTH):
        raise AuditError(f"{path}:1: not an anchor (expected the JSON `ncnd audit anchor` writes: kind "
                         "ncnd-anchor, a count and a 64-character hash)")
    return Anchor(count, head, str(value.get("store", "")), str(value.get("time", "")))


def write_jsonl(store: Store, out: IO[bytes]) -> int:
    """Every record of `store`, in chain order, as the JSONL log stores it; returns how many."""
    count = 0  # a record's JSON object is what its typed view's to_json() gives back (audit.jsonobject)
    for count, obj in enumerate(store.objects(), 1):  # noqa: B007  (count is the total after the loop)
        out.write(record_line(obj))
    return count


def export_to_file(store: Store, path: Path) -> int:
    """`write_jsonl` to `path`, owner-only, put in place only when complete (temporary file, fsync, rename)."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), OWNER_FILE)
            count = write_jsonl(store, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        raise storage_error("write", path, error) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count


def jsonl_objects(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL log as JSON objects, streamed (an AuditError at the first line that is not one)."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise AuditError(f"cannot read {path}: {error.strerror}") from None
    with handle:
        for n, raw in enumerate(handle, 1):
            try:
                value = json.loads(raw)
            except ValueError:
                value = None
            if not isinstance(value, dict) or not raw.endswith(b"\n"):
                raise AuditError(f"{path}:{n}: not a whole log record; run `ncnd audit verify --audit {path}`")
            yield value
