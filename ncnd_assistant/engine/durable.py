"""The only module that imports durable-rules: run compiled rulesets for one case.

A private `Host` per compiled rule base, with durable's background timer threads disabled so
actions run synchronously in the caller. Each case gets a fresh state id, deleted afterwards
(durable allows about 1,024 live states per ruleset). Exceptions raised by actions, which
durable would swallow into the state, are caught and re-raised as `EngineError`.

durable-rules 2.0.28 segfaults in `delete_state` when the ruleset has never run an action and
the case matched nothing (seen here: the first case of a fresh host answering "no"). Every
ruleset therefore gets a warm-up rule that fires once, at construction, on a fact no case has.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from typing import Any

from durable import engine as durable_engine

from ncnd_assistant.engine.compiler import ABSENT, CompiledRuleBase, CompiledRuleset
from ncnd_assistant.engine.result import StageResult
from ncnd_assistant.errors import EngineError
from ncnd_assistant.rulebase.conditions import Value

FireHook = Callable[[str], None]
WARM_UP = "__warm_up__"


class _SynchronousHost(durable_engine.Host):  # type: ignore[misc]
    """A durable Host without the dispatch and timer threads (see design notes)."""

    def _run(self) -> None:
        return None


class DurableEngine:
    """Runs a compiled rule base through durable-rules. Safe to share between threads."""

    def __init__(self, compiled: CompiledRuleBase, on_fire: FireHook | None = None):
        self.compiled = compiled
        self._on_fire = on_fire
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._fired: list[str] = []
        self._errors: list[str] = []
        self._failed = ""
        self._host = _SynchronousHost()
        definitions: dict[str, dict[str, Any]] = {}
        for ruleset in compiled.rulesets:
            # set_rulesets deletes each rule's "run" and reads the rest (json.dumps): a copy of each
            # rule's top level is enough (a deep copy was a tenth of making an engine)
            rules = {rule_id: dict(rule) for rule_id, rule in ruleset.rules.items()}
            for rule_id, rule in rules.items():
                rule["run"] = self._action(rule_id)
            rules[WARM_UP] = {"all": [{"m": {WARM_UP: True}}], "run": self._action(WARM_UP)}
            definitions[ruleset.name] = rules
        try:
            if definitions:
                self._host.set_rulesets(definitions)
            for name in definitions:
                self._host.assert_fact(name, {"sid": WARM_UP, WARM_UP: True})
                self._host.delete_state(name, WARM_UP)
        except Exception as error:  # durable reports bare numeric codes
            raise EngineError(f"durable-rules refused the compiled rule base: {error}") from error

    def _action(self, rule_id: str) -> Callable[[Any], None]:
        def run(closure: Any) -> None:
            try:
                if rule_id == WARM_UP:
                    return
                self._fired.append(rule_id)
                if self._on_fire is not None:
                    self._on_fire(rule_id)
            except BaseException as error:  # durable would swallow it into the state
                self._errors.append(f"{rule_id}: {type(error).__name__}: {error}")
        return run

    def run_stage(self, stage: int, env: Mapping[str, Value]) -> StageResult:
        """Run one stage's layers for a case whose known values are `env`."""
        with self._lock:
            values: dict[str, Value] = dict(env)
            derived = dict.fromkeys(self.compiled.stage_facts.get(stage, ()), False)
            values.update(derived)
            fired: list[str] = []
            for ruleset in self.compiled.stage(stage):
                new = self._assert(ruleset, values)
                fired.extend(new)
                for rule_id in new:
                    for fact in self.compiled.derived.get(rule_id, ()):
                        derived[fact] = True
                        values[fact] = True
            return StageResult(tuple(fired), derived)

    def _assert(self, ruleset: CompiledRuleset, values: Mapping[str, Value]) -> list[str]:
        if self._failed:
            raise EngineError(f"the inference engine stopped after an earlier failure ({self._failed}); "
                              "start the command again")
        sid = str(next(self._ids))
        fact: dict[str, Any] = {name: values.get(name, ABSENT) for name in ruleset.properties}
        fact["sid"] = sid
        self._fired = []
        self._errors = []
        try:
            self._host.assert_fact(ruleset.name, fact)
        except durable_engine.MessageNotHandledException:
            pass  # no rule matched: nothing fired
        except Exception as error:
            # durable's state for this case is now inconsistent; touching it (get_state,
            # delete_state) can crash the process, so this engine is not used again.
            self._failed = f"ruleset {ruleset.name}: {error}"
            raise EngineError(f"durable-rules failed on ruleset {ruleset.name}: {error}") from error
        self._host.delete_state(ruleset.name, sid)
        if self._errors:
            raise EngineError("a rule action failed: " + "; ".join(self._errors))
        # durable expands `$or` into alternative paths and fires a rule once per matching path;
        # with one fact per case a rule holds or not, so keep its first firing only.
        return list(dict.fromkeys(self._fired))
