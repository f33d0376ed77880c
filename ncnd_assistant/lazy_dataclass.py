"""``dataclass``, built when a class is first used and with one generated method instead of six.

``dataclasses.dataclass`` compiles ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and, for a
frozen class, ``__setattr__`` and ``__delattr__`` with ``exec`` for every class as its module is
imported: about 4-5 M instructions a class, 300 M of the 1,000 M that ``ncnd decide`` took at
start-up (benchmarks/README.md, issue 16). Most classes are never built in a given command (a
cached rule base is unpickled, which calls no ``__init__``), and only ``__init__`` gains from
being generated.

So this decorator records its arguments and installs stubs. The first time a class is used (an
instance built, compared, hashed, printed or assigned to, or ``dataclasses.fields``, ``replace``,
``asdict`` or ``is_dataclass`` asked about it) the class is finished in place:

- its fields are ``dataclasses.Field`` objects in ``__dataclass_fields__``, as the standard
  library makes them, so ``fields``, ``replace``, ``asdict`` and ``is_dataclass`` work unchanged;
- ``__init__`` is generated (one ``exec``), with defaults, ``default_factory``, ``kw_only``,
  ``init=False`` and ``__post_init__`` as the standard library has them;
- ``__repr__``, ``__eq__``, ``__hash__`` and the frozen ``__setattr__``/``__delattr__`` are shared
  functions over the field names, with the standard library's behaviour
  (tests/test_lazy_dataclass.py compares the two on generated classes).

Anything else (``order``, ``slots``, ``unsafe_hash``, ``match_args=False``, ``ClassVar``,
``InitVar``, ``KW_ONLY``) is handed to ``dataclasses.dataclass`` itself, still lazily (``slots``
at once, since it makes a new class). Type checkers see ``dataclasses.dataclass`` (the ``.pyi``).
"""

from __future__ import annotations

import dataclasses
import reprlib
import sys
import threading
from collections.abc import Callable
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, TypeVar, cast

_T = TypeVar("_T", bound=type)

_METHODS = ("__init__", "__repr__", "__eq__", "__hash__")
_FROZEN_METHODS = ("__setattr__", "__delattr__")
_CLASS_ATTRIBUTES = ("__dataclass_fields__", "__dataclass_params__")
_PENDING = "_lazy_dataclass_pending"
_ABSENT = object()
_FINISHING = threading.RLock()  # re-entrant: finishing a class finishes its bases first
_OWN_PARAMS = frozenset({"init", "repr", "eq", "frozen", "kw_only"})
_SPECIAL_ANNOTATIONS = ("ClassVar", "InitVar", "KW_ONLY")
_MISSING = dataclasses.MISSING


def materialize(cls: type) -> None:
    """Finish ``cls`` as a dataclass now (nothing if it is finished already).

    One thread finishes a class at a time; the stubs stay in place until the real methods replace
    them, and a stub called meanwhile waits for the lock (`_finished`), so no thread ever sees a
    half-finished class."""
    if _PENDING not in cls.__dict__:
        return
    with _FINISHING:
        pending = cls.__dict__.get(_PENDING)
        if pending is None:
            return  # finished meanwhile, or being finished by this thread
        delattr(cls, _PENDING)
        originals, params = pending
        for base in cls.__mro__[1:]:
            materialize(base)
        if set(params) <= _OWN_PARAMS and not _has_special_annotation(cls):
            _finish(cls, originals, **params)
            _restore(cls, originals)  # what a stub stood for and the dataclass did not replace
        else:
            _restore(cls, originals)
            dataclasses.dataclass(cls, **params)


def _finished(cls: type) -> None:
    with _FINISHING:
        materialize(cls)


def _restore(cls: type, originals: dict[str, Any]) -> None:
    for name, original in originals.items():
        if getattr(cls.__dict__.get(name), "__lazy_stub__", False):
            if original is _ABSENT:
                delattr(cls, name)
            else:
                setattr(cls, name, original)


def _has_special_annotation(cls: type) -> bool:
    for annotation in cls.__dict__.get("__annotations__", {}).values():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if any(special in text for special in _SPECIAL_ANNOTATIONS):
            return True
    return False


def _own_fields(cls: type, kw_only: bool) -> list[dataclasses.Field[Any]]:
    own = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            field = default
            if field.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, field.default)
        else:
            field = dataclasses.field(default=default)
        if field.default is not _MISSING and field.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(field.default)} for field {name} is not allowed: "
                             "use default_factory")
        field.name = name
        field.type = annotation
        field._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        if field.kw_only is _MISSING:
            field.kw_only = kw_only
        own.append(field)
    return own


def _finish(cls: type, originals: dict[str, Any], *, init: bool = True, repr: bool = True,  # noqa: A002
            eq: bool = True, frozen: bool = False, kw_only: bool = False) -> None:
    def own(name: str) -> Any:  # what the class itself defines under `name` (not a stub)
        return originals[name] if name in originals else cls.__dict__.get(name, _ABSENT)

    def set_new(name: str, value: Any) -> None:
        if own(name) is _ABSENT:
            setattr(cls, name, value)

    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        base_fields = base.__dict__.get("__dataclass_fields__")
        if base_fields is not None:
            if base.__dict__["__dataclass_params__"].frozen != frozen:
                raise TypeError(f"cannot inherit {'non-' if frozen else ''}frozen dataclass from a "
                                f"{'' if frozen else 'non-'}frozen one")
            fields.update(base_fields)
    for field in _own_fields(cls, kw_only):
        fields[field.name] = field
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    cls.__dataclass_params__ = SimpleNamespace(  # type: ignore[attr-defined]
        init=init, repr=repr, eq=eq, order=False, unsafe_hash=False, frozen=frozen, match_args=True,
        kw_only=kw_only, slots=False, weakref_slot=False)
    listed = list(fields.values())
    explicit_hash = own("__hash__") is not _ABSENT and not (own("__hash__") is None
                                                             and own("__eq__") is not _ABSENT)
    if init:
        set_new("__init__", _init_function(cls, listed, frozen))
    if repr:
        set_new("__repr__", _repr_function([f.name for f in listed if f.repr]))
    compared = [f.name for f in listed if f.compare]
    if eq:
        set_new("__eq__", _eq_function(compared))
    if eq and not explicit_hash:
        hashed = [f.name for f in listed if (f.compare if f.hash is None else f.hash)]
        cls.__hash__ = _hash_function(hashed) if frozen else None  # type: ignore[assignment]
    if frozen:
        names = frozenset(fields)
        for name, function in (("__setattr__", _frozen_setattr(cls, names)),
                               ("__delattr__", _frozen_delattr(cls, names))):
            if own(name) is not _ABSENT:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, function)
    if "__match_args__" not in cls.__dict__:
        setattr(cls, "__match_args__", tuple(f.name for f in listed if f.init and not f.kw_only))  # noqa: B010 - mypy refuses the assignment
    if sys.version_info >= (3, 13) and "__replace__" not in cls.__dict__:
        cls.__replace__ = dataclasses.replace  # type: ignore[attr-defined]


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) >= 2:
        return attrgetter(*names)  # a tuple of the values, in C
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _init_function(cls: type, fields: list[dataclasses.Field[Any]], frozen: bool) -> Callable[..., None]:
    """``__init__`` as the standard library writes it: one assignment per field, defaults bound.

    A frozen class's fields go straight into the instance's ``__dict__`` (3.5x faster than the
    standard library's ``object.__setattr__`` per field, the same result) unless a class on its
    MRO has a data descriptor under a field's name, which only ``object.__setattr__`` would call."""
    into_dict = frozen and not any(_data_descriptor(cls, field.name) for field in fields)
    namespace: dict[str, Any] = {"__dataclass_HAS_DEFAULT_FACTORY__": _HAS_DEFAULT_FACTORY,
                                 "__dataclass_object_setattr__": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    seen_default = False
    for field in fields:
        name = field.name
        has_factory = field.default_factory is not _MISSING
        if has_factory:
            namespace[f"__dataclass_factory_{name}__"] = field.default_factory
        if field.init:
            if has_factory:
                parameter = f"{name}=__dataclass_HAS_DEFAULT_FACTORY__"
                value = (f"__dataclass_factory_{name}__() if {name} is __dataclass_HAS_DEFAULT_FACTORY__ "
                         f"else {name}")
            elif field.default is not _MISSING:
                namespace[f"__dataclass_default_{name}__"] = field.default
                parameter, value = f"{name}=__dataclass_default_{name}__", name
            else:
                parameter, value = name, name
            if field.kw_only:
                keyword.append(parameter)
            else:
                if "=" in parameter:
                    seen_default = True
                elif seen_default:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                positional.append(parameter)
        elif has_factory:
            value = f"__dataclass_factory_{name}__()"
        else:
            continue
        if not frozen:
            body.append(f"self.{name} = {value}")
        elif into_dict:
            body.append(f"__dataclass_dict__[{name!r}] = {value}")
        else:
            body.append(f"__dataclass_object_setattr__(self, {name!r}, {value})")
    if into_dict and body:
        body.insert(0, "__dataclass_dict__ = self.__dict__")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({parameters}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    exec(source, namespace)  # noqa: S102 - our own text, as dataclasses does
    function: Callable[..., None] = namespace["__init__"]
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


def _data_descriptor(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return hasattr(type(klass.__dict__[name]), "__set__")
    return False


class _HasDefaultFactory:
    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _HasDefaultFactory()


def _repr_function(names: list[str]) -> Callable[[Any], str]:
    getters = [(name, attrgetter(name)) for name in names]

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={get(self)!r}" for name, get in getters)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _eq_function(names: list[str]) -> Callable[[Any, Any], Any]:
    values = _values(names)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash_function(names: list[str]) -> Callable[[Any], int]:
    values = _values(names)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _frozen_setattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _frozen_delattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__


class _ClassAttribute:
    """Stands for ``__dataclass_fields__``/``__dataclass_params__`` until the class is finished."""

    __lazy_stub__ = True

    def __init__(self, cls: type, name: str) -> None:
        self._cls = cls
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        _finished(self._cls)
        return getattr(self._cls, self._name)


def _stub(cls: type, name: str) -> Callable[..., Any]:
    def stub(self: Any, *args: Any, **kwargs: Any) -> Any:
        _finished(cls)
        return getattr(cls, name)(self, *args, **kwargs)

    stub.__name__ = stub.__qualname__ = name
    stub.__lazy_stub__ = True  # type: ignore[attr-defined]
    return stub


def _defer(cls: _T, params: dict[str, Any]) -> _T:
    if params.get("slots"):
        return cast(_T, dataclasses.dataclass(cls, **params))
    names = _METHODS + (_FROZEN_METHODS if params.get("frozen") else ())
    originals: dict[str, Any] = {}
    for name in names:
        original = cls.__dict__.get(name, _ABSENT)
        # a method the class defines itself is kept; ``__hash__ = None`` is what Python sets when
        # the class defines ``__eq__``, and a frozen dataclass replaces it
        if original is _ABSENT or (name == "__hash__" and original is None):
            originals[name] = original
            setattr(cls, name, _stub(cls, name))
    for name in _CLASS_ATTRIBUTES:
        originals[name] = cls.__dict__.get(name, _ABSENT)
        setattr(cls, name, _ClassAttribute(cls, name))
    setattr(cls, _PENDING, (originals, params))
    return cls


def _lazy_dataclass(cls: type | None = None, /, **params: Any) -> Any:
    if cls is None:
        return lambda inner: _defer(inner, params)
    return _defer(cls, params)


dataclass = _lazy_dataclass  # type checkers read lazy_dataclass.pyi: `dataclasses.dataclass` itself
