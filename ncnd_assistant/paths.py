"""Where the tool's files are (the user's data directory, the shipped rule bases), and the one way
the tool writes its own files: folders `0700`, files `0600`, whatever the umask (docs/audit.md)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ncnd_assistant.errors import StorageError

OWNER_DIR = 0o700  # every folder the tool creates
OWNER_FILE = 0o600  # every file the tool writes: logs, sessions, notices, exports


def data_dir() -> Path:
    """Per-user data directory: $NCND_DATA_DIR, else $XDG_DATA_HOME/ncnd-assistant,
    else ~/.local/share/ncnd-assistant."""
    if os.environ.get("NCND_DATA_DIR"):
        return Path(os.environ["NCND_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ncnd-assistant"


def storage_error(what: str, path: Path, error: OSError) -> StorageError:
    """A one-line error naming the path and the system's reason."""
    return StorageError(f"cannot {what} {path}: {error.strerror or error}")


def private_dir(folder: Path) -> Path:
    """`folder` and any missing parents, each created owner-only (`0700`); existing ones are left."""
    missing = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    try:
        for created in reversed(missing):
            created.mkdir(mode=OWNER_DIR, exist_ok=True)
            os.chmod(created, OWNER_DIR)  # the umask may have taken bits off
        if not folder.is_dir():
            raise NotADirectoryError(20, "not a folder")
    except OSError as error:
        raise storage_error("create the folder", folder, error) from None
    return folder


@contextmanager
def staged(path: Path, data: str | bytes) -> Iterator[Callable[[], None]]:
    """`data` written durably to a `0600` temporary file beside `path`; calling the function given
    puts it in place atomically (rename). Left uncalled, or on an error, the temporary file goes."""
    private_dir(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), OWNER_FILE)
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        _discard(tmp)
        raise storage_error("write", path, error) from None

    def commit() -> None:
        try:
            os.replace(tmp, path)
        except OSError as error:
            raise storage_error("write", path, error) from None

    try:
        yield commit
    finally:
        _discard(tmp)


def _discard(tmp: str) -> None:
    if tmp and os.path.exists(tmp):
        os.unlink(tmp)


def write_private(path: Path, data: str | bytes) -> None:
    """Replace `path` atomically and durably (temporary file, fsync, rename) with a `0600` file."""
    with staged(path, data) as commit:
        commit()


def packaged_rules_root() -> Path:
    """Where the shipped rule bases live: inside the installed package, or the checkout."""
    package = Path(__file__).resolve().parent
    inside = package / "_rules"
    if inside.is_dir():
        return inside
    return package.parent / "rules"
