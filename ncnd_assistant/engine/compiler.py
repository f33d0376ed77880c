"""Rule base -> durable-rules rulesets (pure data, golden-tested).

Each stage's rules are ordered into layers so that a rule reading a derived fact runs after
every rule deriving it (stratified forward chaining); each layer is split into rulesets that
stay inside durable-rules' limits. Every ruleset gets one fact per case holding exactly the
names its rules read; a name with no value is given `ABSENT`, and `not` is pushed down to
membership in the complement, so durable never meets a missing property or `$neq`.
"""

from __future__ import annotations

import json
from typing import Any, assert_never

from ncnd_assistant.errors import Problem, RuleBaseError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType
from ncnd_assistant.rulebase.model import Rule, RuleBase

ABSENT = "__absent__"  # a value no choice can take: choice values start with a letter
NEVER = "__never__"  # an impossible value, for an empty membership test

# durable-rules limits (design notes), with headroom: >256 rules on one pattern fails with
# error 108; ~512 distinct tests in one ruleset makes set_rulesets loop forever; a fact with
# more than 255 properties fails with error 302.
MAX_RULES_PER_RULESET = 200
MAX_TESTS_PER_RULESET = 400
MAX_PROPERTIES_PER_FACT = 200
# durable walks its alpha network depth-first with a fixed stack of 64 nodes (MAX_STACK_SIZE in its
# events.c); a fact that matches more pending tests fails with error 303 and leaves the engine
# unsafe. Tests are chained in expression order and shared between rules, so the worst case is
# computed on a trie of the rules' test paths (see `AlphaTrie`), kept under this bound.
MAX_ALPHA_STACK = 56
MAX_PATHS_PER_RULE = 256


@dataclass(frozen=True)
class CompiledRuleset:
    """One durable ruleset: rules by id, and the names its case fact must carry."""

    name: str
    stage: int
    layer: int
    rules: dict[str, dict[str, Any]]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class CompiledRuleBase:
    """Every ruleset in evaluation order, and the facts each stage derives."""

    rulebase_id: str
    digest: str
    rulesets: tuple[CompiledRuleset, ...]
    derived: dict[str, tuple[str, ...]]  # rule id -> facts it derives (at most one)
    stage_facts: dict[int, tuple[str, ...]]

    def stage(self, stage: int) -> tuple[CompiledRuleset, ...]:
        return tuple(rs for rs in self.rulesets if rs.stage == stage)

    def to_json(self) -> str:
        """A stable text form for golden tests and review."""
        data = {
            "rulebase": self.rulebase_id,
            "digest": self.digest,
            "rulesets": [{"name": rs.name, "stage": rs.stage, "layer": rs.layer,
                          "properties": list(rs.properties), "rules": rs.rules} for rs in self.rulesets],
        }
        return json.dumps(data, indent=2, sort_keys=True)


def domains(rb: RuleBase) -> dict[str, tuple[c.Value, ...]]:
    """Every value each name can take (questions may also have no value)."""
    out: dict[str, tuple[c.Value, ...]] = {f.id: (True, False) for f in rb.facts}
    for q in rb.questions:
        match q.type:
            case QuestionType.YES_NO:
                out[q.id] = (True, False)
            case QuestionType.CHOICE:
                out[q.id] = tuple(ch.value for ch in q.choices)
            case QuestionType.TEXT:
                pass  # any text: conditions may only test a text answer for presence
            case _:
                assert_never(q.type)
    return out


def expression(cond: c.Condition, dom: dict[str, tuple[c.Value, ...]], facts: set[str]) -> dict[str, Any]:
    """A durable-rules match expression equivalent to `conditions.holds`."""
    return _expr(_push_not(cond, dom, facts))


def _push_not(cond: c.Condition, dom: dict[str, tuple[c.Value, ...]], facts: set[str],
              negate: bool = False) -> c.Condition:
    if isinstance(cond, c.Not):
        return _push_not(cond.item, dom, facts, not negate)
    if isinstance(cond, (c.All, c.AnyOf)):
        items = tuple(_push_not(i, dom, facts, negate) for i in cond.items)
        flip = isinstance(cond, c.All) == negate
        return c.AnyOf(items) if flip else c.All(items)
    values = cond.values if isinstance(cond, c.In) else (cond.value,)
    if not negate:
        return cond
    rest = [v for v in dom[cond.name] if v not in values]
    if cond.name not in facts:
        rest.append(ABSENT)
    return c.In(cond.name, tuple(rest))


def _expr(cond: c.Condition) -> dict[str, Any]:
    if isinstance(cond, c.Eq):
        return {cond.name: cond.value}
    if isinstance(cond, c.In):
        if not cond.values:
            return {cond.name: NEVER}
        tests = [{cond.name: v} for v in cond.values]
        return tests[0] if len(tests) == 1 else {"$or": tests}
    if isinstance(cond, c.Not):  # pragma: no cover - removed by _push_not
        raise AssertionError("not must be pushed down first")
    op = "$and" if isinstance(cond, c.All) else "$or"
    parts: list[dict[str, Any]] = []
    for item in cond.items:  # flatten nested same operators and drop repeats: each repeat multiplies the paths
        part = _expr(item)
        for piece in part[op] if set(part) == {op} else [part]:
            if piece not in parts:
                parts.append(piece)
    if len(parts) == 1:
        return parts[0]
    return {op: parts}


def _tests(expr: Any) -> set[str]:
    """Distinct comparisons in an expression (what durable counts per ruleset)."""
    if isinstance(expr, dict):
        out: set[str] = set()
        for key, value in expr.items():
            if key in ("$and", "$or"):
                for item in value:
                    out |= _tests(item)
            else:
                out.add(json.dumps({key: value}, sort_keys=True))
        return out
    return set()


def paths(expr: dict[str, Any]) -> list[tuple[tuple[str, Any], ...]]:
    """The expression as durable chains it: every alternative sequence of tests, in order."""
    if "$and" in expr:
        out: list[tuple[tuple[str, Any], ...]] = [()]
        for item in expr["$and"]:
            out = [left + right for left in out for right in paths(item)]
            if len(out) > MAX_PATHS_PER_RULE:
                break
        return out
    if "$or" in expr:
        return [path for item in expr["$or"] for path in paths(item)]
    ((name, value),) = expr.items()
    return [((name, json.dumps(value)),)]


class _Node:
    __slots__ = ("children", "names", "peak", "best_child")

    def __init__(self) -> None:
        self.children: dict[tuple[str, Any], _Node] = {}
        self.names: dict[str, int] = {}  # distinct test names among the children, with counts
        self.peak = 0  # the deepest durable's stack gets below this node
        self.best_child = 0  # the largest peak among the children


class AlphaTrie:
    """The alpha network of one ruleset, as far as its worst-case stack depth goes.

    A node's children can match one fact at the same time only if they test different names,
    so pushing them takes `k` = distinct names; popping one and descending adds its own peak.
    """

    def __init__(self) -> None:
        self.root = _Node()

    @property
    def peak(self) -> int:
        return self.root.peak

    def add(self, new_paths: list[tuple[tuple[str, Any], ...]]) -> list[Any]:
        """Insert the paths; return an undo log for `undo`."""
        log: list[Any] = []
        for path in new_paths:
            self._insert(self.root, path, log)
        return log

    def _insert(self, node: _Node, path: tuple[tuple[str, Any], ...], log: list[Any]) -> None:
        if not path:
            return
        key = path[0]
        log.append(("state", node, node.peak, node.best_child))
        child = node.children.get(key)
        if child is None:
            child = node.children[key] = _Node()
            node.names[key[0]] = node.names.get(key[0], 0) + 1
            log.append(("child", node, key))
        self._insert(child, path[1:], log)
        node.best_child = max(node.best_child, child.peak)
        k = len(node.names)
        node.peak = max(k, k - 1 + node.best_child)

    @staticmethod
    def undo(log: list[Any]) -> None:
        for entry in reversed(log):
            if entry[0] == "child":
                _, node, key = entry
                del node.children[key]
                node.names[key[0]] -= 1
                if not node.names[key[0]]:
                    del node.names[key[0]]
            else:
                _, node, node.peak, node.best_child = entry


def layers(rb: RuleBase, stage: int) -> list[list[Rule]]:
    """The stage's rules grouped so each layer reads only facts derived in earlier layers."""
    return rb.memo(("layers", stage), lambda: _layers(rb, stage))


def _layers(rb: RuleBase, stage: int) -> list[list[Rule]]:
    rules = rb.stage_rules(stage)
    derivers: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.then.kind is ConclusionKind.DERIVE:
            derivers.setdefault(rule.then.target, []).append(rule)
    depth: dict[str, int] = {}

    def rule_depth(rule: Rule, seen: frozenset[str]) -> int:
        if rule.id in depth:
            return depth[rule.id]
        level = 0
        for name in c.names(rule.when):
            for deriver in derivers.get(name, []):
                if deriver.id in seen:  # a cycle: the loader reports it
                    continue
                level = max(level, rule_depth(deriver, seen | {deriver.id}) + 1)
        depth[rule.id] = level
        return level

    grouped: dict[int, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule_depth(rule, frozenset({rule.id})), []).append(rule)
    return [grouped[k] for k in sorted(grouped)]


def _pack(layer: list[Rule], dom: dict[str, tuple[c.Value, ...]], facts: set[str],
          problems: list[Problem]) -> list[tuple[dict[str, dict[str, Any]], set[str]]]:
    """Split one layer into chunks that respect the engine's limits: (rules, names read)."""
    chunks: list[tuple[dict[str, dict[str, Any]], set[str]]] = []
    rules: dict[str, dict[str, Any]] = {}
    tests: set[str] = set()
    props: set[str] = set()
    trie = AlphaTrie()
    for rule in layer:
        expr = expression(rule.when, dom, facts)
        rule_tests, rule_props, rule_paths = _tests(expr), set(c.names(rule.when)), paths(expr)
        alone = AlphaTrie()
        alone.add(rule_paths[:MAX_PATHS_PER_RULE])
        if (len(rule_tests) > MAX_TESTS_PER_RULESET or len(rule_props) > MAX_PROPERTIES_PER_FACT
                or len(rule_paths) > MAX_PATHS_PER_RULE or alone.peak > MAX_ALPHA_STACK):
            problems.append(Problem(
                rule.loc, "engine-limit",
                f"rule '{rule.id}' is too large for the inference engine: {len(rule_tests)} distinct tests "
                f"on {len(rule_props)} names in {len(rule_paths)} alternative paths (limits: "
                f"{MAX_TESTS_PER_RULESET} tests, {MAX_PROPERTIES_PER_FACT} names, {MAX_PATHS_PER_RULE} paths, "
                f"and at most {MAX_ALPHA_STACK} tests pending at once)",
                "split the rule into several smaller rules, or derive a fact for part of its condition"))
            continue
        undo = trie.add(rule_paths)
        if rules and (len(rules) >= MAX_RULES_PER_RULESET or len(tests | rule_tests) > MAX_TESTS_PER_RULESET
                      or len(props | rule_props) > MAX_PROPERTIES_PER_FACT or trie.peak > MAX_ALPHA_STACK):
            trie.undo(undo)
            chunks.append((rules, props))
            rules, tests, props, trie = {}, set(), set(), AlphaTrie()
            trie.add(rule_paths)
        rules[rule.id] = {"all": [{"m": expr}]}
        tests |= rule_tests
        props |= rule_props
    if rules:
        chunks.append((rules, props))
    return chunks


def compile_rulebase(rb: RuleBase) -> CompiledRuleBase:
    """Compile every rule; refuse, with located problems, anything durable cannot hold."""
    dom = domains(rb)
    facts = {f.id for f in rb.facts}
    rulesets: list[CompiledRuleset] = []
    problems: list[Problem] = []
    for stage in (1, 2):
        for layer_no, layer in enumerate(layers(rb, stage)):
            for index, (rules, props) in enumerate(_pack(layer, dom, facts, problems)):
                rulesets.append(CompiledRuleset(f"s{stage}_l{layer_no}_{index}", stage, layer_no, rules,
                                                tuple(sorted(props))))
    if problems:
        raise RuleBaseError(f"{len(problems)} rule(s) exceed the engine's limits", problems)
    derived: dict[str, tuple[str, ...]] = {
        r.id: ((r.then.target,) if r.then.kind is ConclusionKind.DERIVE else ()) for r in rb.rules}
    stage_facts = {s: rb.stage_facts(s) for s in (1, 2)}
    return CompiledRuleBase(rb.meta.id, rb.digest, tuple(rulesets), derived, stage_facts)
