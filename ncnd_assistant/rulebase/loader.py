"""Rule files -> `RuleBase`: find the files, then take the rule base from the on-disk cache
(`cache`) or read it (`read`: validate each file against its shape, build the model, check
references and stage rules across it).

Every problem found is collected and raised together as a `RuleBaseError`.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ncnd_assistant.errors import Location, Problem, RuleBaseError
from ncnd_assistant.paths import packaged_rules_root
from ncnd_assistant.rulebase.cache import cache_key, load_cached, remember_key, store
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.yamlsource import MAX_FILE_BYTES, display_path

# ---------------------------------------------------------------- finding the files

def resolve_rules_dir(given: Path | str | None, regime: str = "foia") -> Path:
    """The rule-base folder: `given`, else $NCND_RULES, else the shipped one.

    A folder holding YAML files is a rule base; a folder of rule bases is searched for
    `regime` (or its only rule base).
    """
    if given is None or str(given) == "":
        given = os.environ.get("NCND_RULES") or packaged_rules_root()
    path = Path(given)
    if not path.is_dir():
        raise RuleBaseError(f"rule-base folder {path} not found", [Problem(
            Location(str(path), 0, 0), "no-rule-base", "no such folder",
            "pass --rules DIR or set NCND_RULES to a rule-base folder")])
    if _rule_files(path):
        return path
    candidates = [p for p in sorted(path.iterdir()) if p.is_dir() and _rule_files(p)]
    chosen = [p for p in candidates if p.name == regime] or (candidates if len(candidates) == 1 else [])
    # a folder with one rule base gives it whatever the regime: the request's regime is then checked
    # against the rule base's own `regime` (answers.regime_problem), never silently assumed
    if chosen:
        return chosen[0]
    raise RuleBaseError(f"no rule files in {path}", [Problem(
        Location(str(path), 0, 0), "no-rule-base",
        "no *.yaml rule files here" + (f" and no '{regime}' rule base" if candidates else ""),
        "point --rules at the folder holding the rule files, e.g. rules/foia")])


def shipped_regime_of(rulebase_id: str) -> str:
    """The law a shipped rule base serves, by its id ("foisa-ncnd" -> "foisa"), or "" for a rule base
    that is not shipped; read from each shipped `rulebase.yaml` alone (no rule base is loaded)."""
    return _shipped_regimes().get(rulebase_id, "")


@functools.cache
def _shipped_regimes() -> dict[str, str]:
    import yaml  # the metadata files only: small, and trusted (they ship with the tool)

    found: dict[str, str] = {}
    root = packaged_rules_root()
    for meta in sorted(root.glob("*/rulebase.yaml")) if root.is_dir() else []:
        try:
            head = yaml.safe_load(meta.read_text(encoding="utf-8")).get("rulebase", {})
        except (OSError, yaml.YAMLError, AttributeError):
            continue
        if isinstance(head, dict) and isinstance(head.get("id"), str) and isinstance(head.get("regime"), str):
            found[head["id"]] = head["regime"]
    return found


def shipped_rules_dir(regime: str) -> Path | None:
    """The shipped rule base for `regime` (rules/<regime> in the checkout, _rules/<regime> in the
    wheel), or None when none is shipped for it."""
    if not regime.isidentifier():
        return None
    folder = packaged_rules_root() / regime
    return folder if folder.is_dir() and _rule_files(folder) else None


def _rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def rules_digest(files: Iterable[Path], root: Path) -> str:
    """sha256 over each rule file's relative name and bytes, in name order. A file over the reader's
    limit counts by its first MAX_FILE_BYTES + 1 bytes only: it is refused (`file-too-large`) when
    read, so its rule base is never built or cached, and a 1 GB file costs no more than the limit."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            with path.open("rb") as stream:
                digest.update(stream.read(MAX_FILE_BYTES + 1) + b"\0")
        except OSError:  # unreadable: reported as `unreadable-file` when the files are read
            digest.update(b"\1")
    return "sha256:" + digest.hexdigest()


# ---------------------------------------------------------------- loading

def load_rulebase(folder: Path | str | None = None, regime: str = "foia") -> RuleBase:
    """Load and validate a rule base; raise `RuleBaseError` listing every problem.

    An unchanged rule base comes from the on-disk cache (`cache`), validated when it was stored."""
    root = resolve_rules_dir(folder, regime)
    files = _rule_files(root)
    digest = rules_digest(files, root)
    key = cache_key(digest, root, display_path(root))
    with gc_paused():  # the model is many small objects that live as long as the process: nothing to collect
        cached = load_cached(key)
        if cached is not None:
            remember_key(cached, key)
            return cached
        from ncnd_assistant.rulebase.read import read_rulebase  # only when the cache has no entry

        rulebase = read_rulebase(files, digest, root)
        store(key, rulebase)
    remember_key(rulebase, key)
    return rulebase


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off for the block: building a rule base (or compiling one) makes
    many small objects that all live on, and collecting was most of the time of a large load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
