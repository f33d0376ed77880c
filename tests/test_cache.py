"""The on-disk rule-base cache: used only under its own key, owner-only, safe to delete."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ncnd_assistant.rulebase import cache
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import EXAMPLE


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example rule base and an empty cache folder of this test."""
    monkeypatch.setenv("NCND_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NCND_NO_CACHE", raising=False)
    folder = tmp_path / "rules"
    shutil.copytree(EXAMPLE, folder)
    return folder


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.pickle"))


def test_a_second_load_comes_from_the_cache_and_equals_the_first(rules: Path, tmp_path: Path) -> None:
    first = load_rulebase(rules)
    (entry,) = entries(tmp_path)
    assert entry.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    second = load_rulebase(rules)
    assert second == first and second is not first
    assert second.source == first.source and second.digest == first.digest


def test_a_changed_rule_file_is_loaded_afresh(rules: Path, tmp_path: Path) -> None:
    first = load_rulebase(rules)
    target = sorted(rules.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    second = load_rulebase(rules)
    assert second.digest != first.digest
    assert len(entries(tmp_path)) == 2


def test_an_entry_under_another_key_is_never_used(rules: Path, tmp_path: Path) -> None:
    load_rulebase(rules)
    (entry,) = entries(tmp_path)
    other = entry.with_name("0" * 64 + ".pickle")
    entry.rename(other)  # the right content under a file name (key) that is not this rule base's
    assert cache.load_cached("0" * 64) is None  # the header names the real key: dropped
    assert not other.exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "group-writable"])
def test_a_damaged_or_exposed_entry_is_ignored(rules: Path, tmp_path: Path, damage: str) -> None:
    first = load_rulebase(rules)
    (entry,) = entries(tmp_path)
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:200])
    elif damage == "garbage":
        entry.write_bytes(cache.FORMAT + b"not a key\n" + os.urandom(64))
    else:
        entry.chmod(0o660)
    assert load_rulebase(rules) == first  # loaded from the YAML again, same result


def test_the_cache_folder_is_safe_to_delete(rules: Path, tmp_path: Path) -> None:
    first = load_rulebase(rules)
    shutil.rmtree(tmp_path / "cache")
    assert load_rulebase(rules) == first
    assert len(entries(tmp_path)) == 1


def test_it_can_be_turned_off(rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_NO_CACHE", "1")
    load_rulebase(rules)
    assert entries(tmp_path) == []


def test_the_key_covers_the_tool_version_and_the_place(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache.cache_key("sha256:x", rules, "rules")
    assert cache.cache_key("sha256:y", rules, "rules") != key
    assert cache.cache_key("sha256:x", rules.parent, "rules") != key
    assert cache.cache_key("sha256:x", rules, "elsewhere/rules") != key
    monkeypatch.setattr(cache, "__version__", "999")
    assert cache.cache_key("sha256:x", rules, "rules") != key


def test_only_the_newest_entries_are_kept(rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    rb = load_rulebase(rules)
    for n in range(4):
        cache.store(f"{n:064x}", rb)
    assert len(entries(tmp_path)) == 2


def test_the_compiled_rulesets_are_cached_beside_the_rule_base(rules: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from ncnd_assistant.engine import compiler, runner

    calls: list[str] = []
    real = compiler.compile_rulebase

    def counting(rb: RuleBase) -> compiler.CompiledRuleBase:
        calls.append(rb.digest)
        return real(rb)

    monkeypatch.setattr(compiler, "compile_rulebase", counting)
    first = runner.compiled(load_rulebase(rules))
    assert len(calls) == 1 and len(entries(tmp_path)) == 2  # the rule base and its compiled rulesets
    again = runner.compiled(load_rulebase(rules))  # a later command: both from the cache
    assert len(calls) == 1 and again == first and again is not first
    assert entries(tmp_path)[0].stat().st_mode & 0o777 == 0o600
    in_memory = replace(load_rulebase(rules))  # built in memory: no key, nothing cached or reused
    assert runner.compiled(in_memory) == first and len(calls) == 2 and len(entries(tmp_path)) == 2


def test_a_changed_compiler_compiles_afresh(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ncnd_assistant.engine import compiler, runner

    rb = load_rulebase(rules)
    source = Path(compiler.__file__).read_bytes()
    key = cache.derived_key(rb, "compiled", source)
    assert key is not None and key != cache.derived_key(rb, "compiled", source + b"# changed\n")
    runner.compiled(rb)
    assert cache.load_derived(key, compiler.CompiledRuleBase) is not None
    assert cache.load_derived(key, RuleBase) is None  # an entry of another type is never used
