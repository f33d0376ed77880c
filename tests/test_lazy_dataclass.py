"""`lazy_dataclass.dataclass` behaves as `dataclasses.dataclass` on every class shape the package uses,
and finishes a class only when it is used."""

from __future__ import annotations

import dataclasses
import pickle
import re
import subprocess
import sys
import threading
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant import lazy_dataclass
from tests.conftest import ROOT

FIELD = st.fixed_dictionaries({
    "default": st.sampled_from(["none", "value", "factory"]),
    "init": st.booleans(), "repr": st.booleans(), "compare": st.booleans(),
    "kw_only": st.sampled_from([None, True, False]),
})
SPEC = st.fixed_dictionaries({
    "fields": st.lists(FIELD, max_size=5),
    "base_fields": st.lists(FIELD, max_size=3),
    "params": st.fixed_dictionaries({"frozen": st.booleans(), "eq": st.booleans(), "kw_only": st.booleans(),
                                     "repr": st.booleans()}),
    "post_init": st.booleans(),
})


def _namespace(fields: list[dict[str, Any]], prefix: str, post_init: bool) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for i, spec in enumerate(fields):
        name = f"{prefix}{i}"
        namespace["__annotations__"][name] = "int"
        options: dict[str, Any] = {"init": spec["init"], "repr": spec["repr"], "compare": spec["compare"]}
        if spec["kw_only"] is not None:
            options["kw_only"] = spec["kw_only"]
        if spec["default"] == "value":
            options["default"] = 10 + i
        elif spec["default"] == "factory":
            options["default_factory"] = lambda i=i: 20 + i
        namespace[name] = dataclasses.field(**options)
    if post_init:
        def __post_init__(self: Any) -> None:
            object.__setattr__(self, "post", True)
        namespace["__post_init__"] = __post_init__
    return namespace


def _classes(decorate: Any, spec: dict[str, Any]) -> type | Exception:
    """The spec's base and class under `decorate`, or the exception decorating (or finishing) raised."""
    try:
        base = decorate(**spec["params"])(types.new_class(
            "Base", (), exec_body=lambda ns: ns.update(_namespace(spec["base_fields"], "b", False))))
        cls = decorate(**spec["params"])(types.new_class(
            "Shape", (base,), exec_body=lambda ns: ns.update(_namespace(spec["fields"], "f", spec["post_init"]))))
        dataclasses.fields(cls)  # finishes a lazy class
        return cls  # type: ignore[no-any-return]
    except (TypeError, ValueError) as error:
        return error


def _attempt(call: Any) -> Any:
    try:
        return ("ok", call())
    except Exception as error:  # noqa: BLE001 - the kind of failure is what is compared
        return ("error", type(error).__name__)


def _repr(obj: object) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", repr(obj))  # object's own repr (repr=False) names an address


def _behaviour(cls: Any, spec: dict[str, Any]) -> list[Any]:
    """Everything observable about `cls` that the package relies on."""
    seen: list[Any] = [[(f.name, f.init, f.repr, f.compare, f.kw_only, f.default,
                         f.default_factory is dataclasses.MISSING) for f in dataclasses.fields(cls)],
                       getattr(cls, "__match_args__", None), cls.__hash__ is None]
    init_fields = [f for f in dataclasses.fields(cls) if f.init]
    positional = [f for f in init_fields if not f.kw_only]
    keyword = {f.name: 100 + n for n, f in enumerate(init_fields) if f.kw_only}
    for count in range(len(positional) + 2):
        made = _attempt(lambda count=count: cls(*range(count), **keyword))
        seen.append(made[0] if made[0] == "error" else _attempt(lambda made=made: _repr(made[1])))
        if made[0] != "ok":
            continue
        obj = made[1]
        other = cls(*range(count), **keyword)
        seen.append(sorted(vars(obj).items()))
        seen.append(_attempt(lambda obj=obj, other=other: obj == other))
        seen.append(_attempt(lambda obj=obj: obj == cls.__mro__[1]))
        seen.append(_attempt(lambda obj=obj, other=other: hash(obj) == hash(other)))
        seen.append(_attempt(lambda obj=obj: dataclasses.asdict(obj)))
        seen.append(_attempt(lambda obj=obj: _repr(dataclasses.replace(obj))))
        seen.append(_attempt(lambda obj=obj: vars(pickle.loads(pickle.dumps(obj))) == vars(obj)))
        name = next(iter(f.name for f in dataclasses.fields(cls)), "missing")
        seen.append(_attempt(lambda obj=obj, name=name: setattr(obj, name, 7)))
        seen.append(_attempt(lambda obj=obj: setattr(obj, "elsewhere", 7)))
        seen.append(_attempt(lambda obj=obj, name=name: delattr(obj, name)))
    return seen


@settings(max_examples=300, deadline=None)
@given(SPEC)
def test_it_behaves_as_the_standard_dataclass(spec: dict[str, Any]) -> None:
    standard = _classes(dataclasses.dataclass, spec)
    lazy = _classes(lazy_dataclass.dataclass, spec)
    if isinstance(standard, Exception) or isinstance(lazy, Exception):
        assert type(standard) is type(lazy), (standard, lazy)
        return
    assert _behaviour(lazy, spec) == _behaviour(standard, spec)


@lazy_dataclass.dataclass(frozen=True)
class Point:
    """Used by one test only: it checks when the class is finished."""

    x: int
    y: int = 0


@lazy_dataclass.dataclass(frozen=True)
class Key:
    """Used by one test only: hashed before it is finished."""

    name: str


def test_a_class_is_finished_only_when_used() -> None:
    assert "_lazy_dataclass_pending" in Point.__dict__
    restored = pickle.loads(pickle.dumps(Point.__new__(Point)))  # unpickling builds no instance the usual way
    assert type(restored) is Point and "_lazy_dataclass_pending" in Point.__dict__
    assert Point(1) == Point(1, 0) and "_lazy_dataclass_pending" not in Point.__dict__
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 2  # type: ignore[misc]


def test_an_object_hashed_before_its_class_is_finished_keeps_its_hash() -> None:
    stored = pickle.loads(pickle.dumps(Key.__new__(Key)))
    object.__setattr__(stored, "name", "a")
    assert "_lazy_dataclass_pending" in Key.__dict__
    table = {stored: 1}  # hashing finishes the class: the value hash, as later lookups use
    assert table[Key("a")] == 1


def test_importing_the_decision_modules_leaves_the_rule_base_classes_unfinished() -> None:
    """Start-up (issue 16): a cached rule base is unpickled, so `decide` never finishes these."""
    code = ("import sys, ncnd_assistant.decide.mixed as mixed, ncnd_assistant.rulebase.model as model\n"
            "print(sorted(c.__name__ for c in (model.Question, model.Fact, model.Rule, model.RuleBase,"
            " model.Provision, mixed.MixedAssessment) if '_lazy_dataclass_pending' in c.__dict__))")
    pending = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert pending.stdout.strip() == str(sorted(["Question", "Fact", "Rule", "RuleBase", "Provision",
                                                 "MixedAssessment"]))


def test_threads_that_first_use_a_class_together_all_see_it_finished() -> None:
    """The stubs stay until the real methods replace them, and a stub waits while another thread
    finishes the class: no thread builds an instance through `object.__init__` (it did before)."""
    names = {f"f{i}": "int" for i in range(60)}  # a class slow to finish, threads switched often
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        _race(names)
    finally:
        sys.setswitchinterval(switching)


def _race(names: dict[str, str]) -> None:
    for _ in range(20):
        cls: Any = lazy_dataclass.dataclass(frozen=True)(types.new_class(
            "Racing", (), exec_body=lambda ns: ns.update({"__annotations__": {"a": "int", **names},
                                                          "__module__": __name__,
                                                          **{name: 0 for name in names}})))
        start = threading.Barrier(8)
        made: list[Any] = []
        errors: list[BaseException] = []

        def use(cls: Any = cls, start: threading.Barrier = start, made: list[Any] = made,
                errors: list[BaseException] = errors) -> None:
            start.wait()
            try:
                made.append((cls(1), hash(cls(1)), repr(cls(1))))
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

        workers = [threading.Thread(target=use) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == [] and len({(h, r) for _obj, h, r in made}) == 1


class _Doubling:
    """A base whose `x` is a property: a frozen dataclass's __init__ must go through its setter."""

    @property
    def x(self) -> int:
        return int(self.__dict__["_x"])

    @x.setter
    def x(self, value: int) -> None:
        self.__dict__["_x"] = value * 2


def test_a_field_over_a_data_descriptor_is_set_through_it_as_the_standard_dataclass_does() -> None:
    made = []
    for decorate in (dataclasses.dataclass, lazy_dataclass.dataclass):
        cls: Any = decorate(frozen=True)(types.new_class(
            "Over", (_Doubling,), exec_body=lambda ns: ns.update({"__annotations__": {"x": "int"},
                                                                  "__module__": __name__})))
        made.append((cls(3).x, sorted(vars(cls(3)))))
    assert made[0] == made[1] == (6, ["_x"])
