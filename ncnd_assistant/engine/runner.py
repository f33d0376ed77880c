"""Choosing the engine that runs the rules: durable-rules (the product) or the Python evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal, Protocol

from ncnd_assistant.engine.compiler import CompiledRuleBase
from ncnd_assistant.engine.evaluator import PythonEngine
from ncnd_assistant.engine.result import StageResult
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import RuleBase

EngineName = Literal["durable", "python"]


class StageRunner(Protocol):
    """Runs one stage of a rule base's rules over one part's answers."""

    def run_stage(self, stage: int, env: Mapping[str, Value]) -> StageResult: ...


def make_engine(rb: RuleBase, name: EngineName = "durable") -> StageRunner:
    """An engine for `rb`. durable-rules is imported here, on first use, so that nothing which
    only reads, checks or renders a rule base loads it (tests/test_architecture.py)."""
    if name == "python":
        return PythonEngine(rb)
    from ncnd_assistant.engine.durable import DurableEngine
    from ncnd_assistant.rulebase.loader import gc_paused

    with gc_paused():
        return DurableEngine(compiled(rb))


def compiled(rb: RuleBase) -> CompiledRuleBase:
    """`compile_rulebase(rb)`, from the rule-base cache when `rb` was loaded from files and was
    compiled before by this compiler (the key: the rule base's cache key and compiler.py's source)."""
    from ncnd_assistant.engine import compiler
    from ncnd_assistant.rulebase.cache import derived_key, load_derived, store_value

    key = derived_key(rb, "compiled", Path(compiler.__file__).read_bytes())
    found: CompiledRuleBase | None = load_derived(key, CompiledRuleBase) if key is not None else None
    if found is None:
        found = compiler.compile_rulebase(rb)
        if key is not None:
            store_value(key, found)
    return found
