"""The validated rule base cached on disk, so that commands do not re-parse unchanged YAML.

One file a key in the user's cache folder (`$NCND_CACHE_DIR`, else platformdirs' user cache
directory, e.g. ~/.cache/ncnd-assistant/rulebase), owner-only. The key is the SHA-256 of the rule
files' digest, the tool's version, the Python version, the code that builds a rule base, and where
the rule base is (its locations name it). An entry is used only when its key matches, its file
belongs to this user and nobody else can read or write it; anything else is ignored (and a bad
entry deleted), so the folder is always safe to delete. `NCND_NO_CACHE=1` turns it off.

A value derived from a loaded rule base (the engine's compiled rulesets) is cached the same way,
under the SHA-256 of the rule base's key, its name and the source of the code that derives it
(`derived_key`); a rule base built in memory has no key, so nothing derived from it is cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from ncnd_assistant import __version__
from ncnd_assistant.errors import StorageError
from ncnd_assistant.paths import private_dir, write_private
from ncnd_assistant.rulebase.model import RuleBase

FORMAT = b"ncnd-rulebase-cache 1\n"  # change when the file layout changes
KEEP = 16  # entries kept; older ones are removed when one is written
KEY_MEMO = ("rulebase-cache", "key")  # a loaded rule base remembers its key, for values derived from it
_CODE = Path(__file__).resolve().parent  # the rulebase package: the code that builds the model


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("NCND_NO_CACHE"):
        return None
    if os.environ.get("NCND_CACHE_DIR"):
        return Path(os.environ["NCND_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ncnd-assistant", appauthor=False)) / "rulebase"


def cache_key(rules_digest: str, root: Path, display_root: str) -> str:
    """SHA-256 over everything a cached rule base depends on."""
    digest = hashlib.sha256()
    for part in (FORMAT.decode(), __version__, sys.version, rules_digest, str(root.resolve()), display_root):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for source in sorted(_CODE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def load_cached(key: str) -> RuleBase | None:
    """The rule base cached under `key`, or None (missing, not ours, unreadable, or another key)."""
    found: RuleBase | None = _read(key, RuleBase)
    return found


def remember_key(rulebase: RuleBase, key: str) -> None:
    """Mark a rule base loaded from files under `key`, so values derived from it may be cached too."""
    rulebase.memo(KEY_MEMO, lambda: key)


def derived_key(rulebase: RuleBase, name: str, code: bytes) -> str | None:
    """The key of a value derived from a loaded rule base by `code` (the deriving module's source),
    or None for a rule base not loaded from files (built in memory: nothing to key it by)."""
    key = rulebase.memo(KEY_MEMO, lambda: None)
    if key is None:
        return None
    return hashlib.sha256(b"\0".join((FORMAT, key.encode(), name.encode(), code))).hexdigest()


def load_derived(key: str, kind: type[Any]) -> Any:
    """The value of type `kind` cached under a `derived_key`, or None."""
    return _read(key, kind)


def _read(key: str, kind: type[Any]) -> Any:
    """The `kind` cached under `key`, or None; an entry that cannot be used is removed."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.pickle"
    data = read_own(path)
    if data is None:
        return None
    header = FORMAT + key.encode() + b"\n"
    try:
        if not data.startswith(header):
            raise ValueError("another key")
        found = pickle.loads(data[len(header):])  # the user's own owner-only file, under the key checked
        if not isinstance(found, kind):
            raise ValueError(f"not a {kind.__name__}")
    except Exception:  # a truncated or stale entry: drop it and load from the YAML
        remove(path)
        return None
    return found


def read_own(path: Path) -> bytes | None:
    """A cache entry's bytes, or None when it is missing, unreadable, not this user's or writable by
    others (then it may not have been written by this user's tool); the checks' cache reads through it."""
    try:
        info = os.stat(path)
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        return path.read_bytes()
    except OSError:
        return None


def store(key: str, rulebase: RuleBase) -> None:
    """Cache `rulebase` under `key` (owner-only, atomic); a cache that cannot be written is skipped."""
    state = RuleBase(rulebase.meta, rulebase.questions, rulebase.facts, rulebase.provisions, rulebase.rules,
                     rulebase.digest, rulebase.source, rulebase.notice)  # without memoised values
    store_value(key, state)


def store_value(key: str, value: object) -> None:
    """Cache `value` under `key` (owner-only, atomic); a cache that cannot be written is skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        private_dir(folder)
        write_private(folder / f"{key}.pickle", FORMAT + key.encode() + b"\n" + payload)
        prune(folder)
    except (StorageError, OSError, pickle.PicklingError, RecursionError):
        return


def prune(folder: Path, pattern: str = "*.pickle", keep: int | None = None) -> None:
    """Remove all but the `keep` (default `KEEP`) newest entries matching `pattern` in `folder`
    (the checks' cache uses it too)."""
    entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP if keep is None else keep:]:
        remove(old)


def remove(path: Path) -> None:
    """Delete a cache entry; one already gone or not removable is left to the next prune."""
    with contextlib.suppress(OSError):
        path.unlink()
