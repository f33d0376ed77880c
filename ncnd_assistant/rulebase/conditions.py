"""The condition language: `all`, `any`, `not`, equality and membership over named values.

Values are booleans (yes/no questions and derived facts) or strings (choice values). A name
that has no value (a question not asked or not answered) equals nothing. Two evaluators live
here: closed-world (`holds`, `compile_predicate`) for deciding, and three-valued (`holds3`) for
question gating, where unanswered names are unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field

from ncnd_assistant.errors import Location
from ncnd_assistant.lazy_dataclass import dataclass

Value = bool | str
NOWHERE = Location("<built-in>", 0, 0)


@dataclass(frozen=True)
class Eq:
    """`name: value`."""

    name: str
    value: Value
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class In:
    """`name: {in: [v1, v2]}`."""

    name: str
    values: tuple[Value, ...]
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class All:
    """`all: [...]`: every item holds."""

    items: tuple[Condition, ...]
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class AnyOf:
    """`any: [...]`: at least one item holds."""

    items: tuple[Condition, ...]
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Not:
    """`not: c`."""

    item: Condition
    loc: Location = field(default=NOWHERE, compare=False)


Condition = Eq | In | All | AnyOf | Not
Env = Mapping[str, Value]


def leaves(cond: Condition) -> Iterator[Eq | In]:
    """Every equality and membership test in the condition, in source order."""
    if isinstance(cond, (Eq, In)):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for item in cond.items:
            yield from leaves(item)


def names(cond: Condition) -> list[str]:
    """The names a condition reads, first mention first, without repeats."""
    return list(dict.fromkeys(leaf.name for leaf in leaves(cond)))


def holds(cond: Condition, env: Env) -> bool:
    """Closed-world evaluation: a name missing from `env` equals nothing."""
    if isinstance(cond, Eq):
        return cond.name in env and env[cond.name] == cond.value and _same_kind(env[cond.name], cond.value)
    if isinstance(cond, In):
        return cond.name in env and any(
            env[cond.name] == v and _same_kind(env[cond.name], v) for v in cond.values)
    if isinstance(cond, Not):
        return not holds(cond.item, env)
    if isinstance(cond, All):
        return all(holds(item, env) for item in cond.items)
    return any(holds(item, env) for item in cond.items)


def _same_kind(a: Value, b: Value) -> bool:
    return isinstance(a, bool) == isinstance(b, bool)


def holds3(cond: Condition, env: Env, unknown: frozenset[str] | set[str]) -> bool | None:
    """Three-valued evaluation: names in `unknown` may still take any value (None = unknown)."""
    if isinstance(cond, (Eq, In)):
        if cond.name in unknown:
            return None
        return holds(cond, env)
    if isinstance(cond, Not):
        inner = holds3(cond.item, env, unknown)
        return None if inner is None else not inner
    results = [holds3(item, env, unknown) for item in cond.items]
    if isinstance(cond, All):
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def first_failure(cond: Condition, env: Env) -> Condition | None:
    """The first sub-condition that makes `cond` false (None when it holds).

    For `all` it is the first failing item (searched recursively); for `any`, `not` and
    leaves it is the condition itself.
    """
    if holds(cond, env):
        return None
    if isinstance(cond, All):
        for item in cond.items:
            failed = first_failure(item, env)
            if failed is not None:
                return failed
    return cond


Predicate = Callable[[Env], bool]


def compile_predicate(cond: Condition) -> Predicate:
    """A fast closure equivalent to `holds(cond, env)`: the plain-Python evaluator."""
    if isinstance(cond, Eq):
        name, value, is_bool = cond.name, cond.value, isinstance(cond.value, bool)
        if is_bool:
            return lambda env: env.get(name) is value
        return lambda env: env.get(name) == value
    if isinstance(cond, In):
        name = cond.name
        bools = frozenset(v for v in cond.values if isinstance(v, bool))
        strings = frozenset(v for v in cond.values if not isinstance(v, bool))

        def member(env: Env) -> bool:
            got = env.get(name)
            if isinstance(got, bool):
                return got in bools
            return got in strings
        return member
    if isinstance(cond, Not):
        inner = compile_predicate(cond.item)
        return lambda env: not inner(env)
    parts = tuple(compile_predicate(item) for item in cond.items)
    if isinstance(cond, All):
        return lambda env: all(p(env) for p in parts)
    return lambda env: any(p(env) for p in parts)


Predicate3 = Callable[[Env, "frozenset[str] | set[str]"], "bool | None"]


def compile_predicate3(cond: Condition) -> Predicate3:
    """A closure equivalent to `holds3(cond, env, unknown)`."""
    if isinstance(cond, (Eq, In)):
        name, closed = cond.name, compile_predicate(cond)
        return lambda env, unknown: None if name in unknown else closed(env)
    if isinstance(cond, Not):
        inner = compile_predicate3(cond.item)

        def negate(env: Env, unknown: frozenset[str] | set[str]) -> bool | None:
            result = inner(env, unknown)
            return None if result is None else not result
        return negate
    parts = tuple(compile_predicate3(item) for item in cond.items)
    decisive = isinstance(cond, AnyOf)  # `any` is settled by a True, `all` by a False

    def combine(env: Env, unknown: frozenset[str] | set[str]) -> bool | None:
        undecided = False
        for part in parts:
            result = part(env, unknown)
            if result is decisive:
                return decisive
            if result is None:
                undecided = True
        return None if undecided else not decisive
    return combine


def to_data(cond: Condition) -> object:
    """The condition back in its YAML form (for golden files and JSON output)."""
    if isinstance(cond, Eq):
        return {cond.name: cond.value}
    if isinstance(cond, In):
        return {cond.name: {"in": list(cond.values)}}
    if isinstance(cond, Not):
        return {"not": to_data(cond.item)}
    key = "all" if isinstance(cond, All) else "any"
    return {key: [to_data(item) for item in cond.items]}
