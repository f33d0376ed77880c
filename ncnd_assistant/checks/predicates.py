"""Three-valued conditions compiled to Python functions for the linter's searches.

`compile3(cond)` returns a function equal to `conditions.compile_predicate3(cond)` (the same
True, False or None for every environment and set of unknown names). A large condition (such as
"Stage 1 settles the part", read at every step of a Stage-2 search) is generated as source and
compiled once: each `all`/`any` is one function with its tests written out in line, so a search
that evaluates it hundreds of thousands of times does not pay a call per leaf; an `all`/`any` of
plain tests (most rules' `when`) is one loop. The value
of a three-valued `all` (False if any item is False, else None if any is unknown, else True) and
`any` (its dual) does not depend on the order the items are tested in, so the short cuts here
give the same answer as the closures of `conditions`.
"""

from __future__ import annotations

from ncnd_assistant.rulebase import conditions as c

_NOT = {True: False, False: True, None: None}


class _Emitter:
    """Source for one condition: a function per `all`/`any`, tests of names inline."""

    def __init__(self) -> None:
        self.consts: dict[str, object] = {"_NOT": _NOT}
        self.functions: list[str] = []

    def const(self, value: object) -> str:
        name = f"_k{len(self.consts)}"
        self.consts[name] = value
        return name

    def expr(self, cond: c.Condition) -> str:
        """An expression giving the condition's three-valued value (reads `env` and `unknown`)."""
        if isinstance(cond, c.Eq):
            name = self.const(cond.name)
            value = self.const(cond.value)
            test = f"env.get({name}) is {value}" if isinstance(cond.value, bool) else f"env.get({name}) == {value}"
            return f"(None if {name} in unknown else {test})"
        if isinstance(cond, c.In):
            name = self.const(cond.name)
            bools = self.const(frozenset(v for v in cond.values if isinstance(v, bool)))
            strings = self.const(frozenset(v for v in cond.values if not isinstance(v, bool)))
            return (f"(None if {name} in unknown else (_g in {bools} "
                    f"if (_g := env.get({name})).__class__ is bool else _g in {strings}))")
        if isinstance(cond, c.Not):
            return f"_NOT[{self.expr(cond.item)}]"
        return f"{self.function(cond)}(env, unknown)"

    def function(self, cond: c.All | c.AnyOf) -> str:
        """A function for an `all` or `any`; returns its name."""
        decisive = isinstance(cond, c.AnyOf)  # `any` is settled by a True, `all` by a False
        items = [self.expr(item) for item in cond.items]  # nested functions are emitted first
        fname = f"_f{len(self.functions)}"
        lines = [f"def {fname}(env, unknown):", "    _u = False"]
        for item in items:
            lines += [f"    _r = {item}", f"    if _r is {decisive}:", f"        return {decisive}",
                      "    if _r is None:", "        _u = True"]
        lines.append(f"    return None if _u else {not decisive}")
        self.functions.append("\n".join(lines))
        return fname


GENERATE_FROM = 24  # leaves: a condition this large is generated as source; smaller ones are closures


def compile3(cond: c.Condition) -> c.Predicate3:
    """A function equal to `conditions.compile_predicate3(cond)`: generated source for a large
    condition (compiling costs about as much as a few hundred evaluations of a small one), a flat
    loop for an `all`/`any` of plain tests, else the closures of `conditions`."""
    if sum(1 for _ in c.leaves(cond)) >= GENERATE_FROM:
        return generated(cond)
    if isinstance(cond, (c.All, c.AnyOf)) and all(isinstance(item, (c.Eq, c.In)) for item in cond.items):
        return _flat(cond)
    return c.compile_predicate3(cond)


def _flat(cond: c.All | c.AnyOf) -> c.Predicate3:
    """An `all`/`any` of tests of names, as one loop (no call per test)."""
    decisive = isinstance(cond, c.AnyOf)  # `any` is settled by a True, `all` by a False
    tests = tuple((leaf.name, leaf.value, isinstance(leaf.value, bool), None, None) if isinstance(leaf, c.Eq) else
                  (leaf.name, None, False, frozenset(v for v in leaf.values if isinstance(v, bool)),
                   frozenset(v for v in leaf.values if not isinstance(v, bool)))
                  for leaf in cond.items if isinstance(leaf, (c.Eq, c.In)))

    def flat(env: c.Env, unknown: frozenset[str] | set[str]) -> bool | None:
        undecided = False
        for name, value, is_bool, bools, strings in tests:
            if name in unknown:
                undecided = True
                continue
            got = env.get(name)
            if bools is None or strings is None:
                result = got is value if is_bool else got == value
            else:
                result = got in bools if got.__class__ is bool else got in strings
            if result is decisive:
                return decisive
        return None if undecided else not decisive
    return flat


def generated(cond: c.Condition) -> c.Predicate3:
    """`compile3` as generated source, whatever the condition's size."""
    emitter = _Emitter()
    if isinstance(cond, (c.All, c.AnyOf)):
        top = emitter.function(cond)
    else:
        body = emitter.expr(cond)
        top = f"_f{len(emitter.functions)}"
        emitter.functions.append(f"def {top}(env, unknown):\n    return {body}")
    namespace: dict[str, object] = dict(emitter.consts)
    try:
        code = compile("\n\n".join(emitter.functions), "<ncnd-condition>", "exec")
    except (SyntaxError, RecursionError, MemoryError):  # nested too deeply for the parser
        return c.compile_predicate3(cond)
    exec(code, namespace)  # noqa: S102 - source generated here from names and values kept as constants
    return namespace[top]  # type: ignore[return-value]
