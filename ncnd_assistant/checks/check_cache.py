"""The findings of `rules check` cached on disk, so that checking an unchanged rule base does not
search its answers, or parse its scenarios, again.

Linting and reading the scenarios are pure functions of what they read, so each one's findings (its
problems, and how many scenarios were read) are stored under a SHA-256 key over all of it: which of
the two it is, the rule files' digest (`RuleBase.digest`, over every rule file's name and bytes),
where the rule base is and how its places are written, the tool's version, the Python version, the
working folder (places may be written relative to it), the source of every module of the package (a
change to any check, or to what it reads, is a new key), and the inputs of each: for the linter
`--max-citation-age` and today's date (a citation's staleness depends on it), for the scenarios the
name and bytes of every scenario file. `--strict` only decides which findings fail, after they are
found, so it is not part of a key.

One JSON file a key in `checks/` under the rule-base cache folder (`rulebase.cache.cache_dir`),
written owner-only; an entry is used only when it is this user's, nobody else can read or write
it, and its key and shape match. Anything else is ignored (a bad entry deleted) and the work done
again, so an entry never hides a problem the checks would find, and the folder is safe to delete.
`NCND_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path

from ncnd_assistant import __version__
from ncnd_assistant.errors import Location, Problem, StorageError
from ncnd_assistant.paths import private_dir, write_private
from ncnd_assistant.rulebase.cache import cache_dir, prune, read_own, remove
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.yamlsource import display_path

FORMAT = "ncnd-check-cache 1"  # change when the file layout changes
KEEP = 32  # entries kept; older ones are removed when one is written
_PACKAGE = Path(__file__).resolve().parent.parent  # ncnd_assistant/: the code the findings depend on


@cache
def code_digest() -> str:
    """SHA-256 over the name and bytes of every module of the package (once a process)."""
    digest = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def scenario_files(rules_dir: Path) -> list[Path]:
    """The scenario files of a rule base (`scenarios/*.yaml` beside the rules), in name order."""
    folder = rules_dir / "scenarios"
    return sorted(p for p in folder.glob("*.y*ml")) if folder.is_dir() else []


def files_digest(files: list[Path]) -> str:
    """SHA-256 over each file's name and bytes, in the order given (an unreadable one by why)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(b"\0" + path.read_bytes() + b"\0")
        except OSError as error:  # reported when the file is read: the same while it stays so
            digest.update(b"\1" + type(error).__name__.encode() + b"\0")
    return digest.hexdigest()


def findings_key(kind: str, rb: RuleBase, root: Path, *inputs: str) -> str:
    """SHA-256 over everything the findings of `kind` on `rb` depend on."""
    digest = hashlib.sha256()
    for part in (FORMAT, kind, __version__, sys.version, rb.digest, str(rb.source), str(root.resolve()),
                 display_path(root), os.getcwd(), code_digest(), *inputs):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _folder() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "checks"


def load_findings(key: str) -> tuple[list[Problem], int] | None:
    """The problems and count cached under `key`, or None (off, missing, not ours, unreadable,
    another key)."""
    folder = _folder()
    if folder is None:
        return None
    path = folder / f"{key}.json"
    raw = read_own(path)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if data["format"] != FORMAT or data["key"] != key or not isinstance(data["count"], int):
            raise ValueError("another key")
        return [_problem(item) for item in data["problems"]], data["count"]
    except (ValueError, KeyError, TypeError):  # a truncated or stale entry: drop it, do the work
        remove(path)
        return None


def store_findings(key: str, problems: list[Problem], count: int = 0) -> None:
    """Cache the findings under `key` (owner-only, atomic); a cache that cannot be written is skipped."""
    folder = _folder()
    if folder is None:
        return
    data = {"format": FORMAT, "key": key, "count": count, "problems": [
        {"path": p.location.path, "line": p.location.line, "col": p.location.col, "code": p.code,
         "message": p.message, "hint": p.hint, "severity": p.severity} for p in problems]}
    try:
        private_dir(folder)
        write_private(folder / f"{key}.json", json.dumps(data, ensure_ascii=False))
        prune(folder, "*.json", KEEP)
    except (StorageError, OSError):
        return


_replayed = Problem  # a problem found before, by a check that names its code (and docs/errors.md lists it)


def _problem(item: dict[str, object]) -> Problem:
    path, line, col = item["path"], item["line"], item["col"]
    code, message, hint, severity = item["code"], item["message"], item["hint"], item["severity"]
    if not (isinstance(path, str) and isinstance(line, int) and isinstance(col, int) and isinstance(code, str)
            and isinstance(message, str) and isinstance(hint, str) and isinstance(severity, str)):
        raise TypeError("not a problem")
    return _replayed(Location(path, line, col), code, message, hint, severity)

