"""JSON objects read into typed, frozen dataclass fields and written back exactly (for `record`).

A field declared with `stored(codec, default)` is stored under its own name. `from_json` keeps what it
cannot type: keys the class does not know, and known keys whose value has another type, go to
`extra` as they were; known keys the object lacks are named in `missing`. `to_json` writes the typed
fields not in `missing`, then `extra`, so `from_json(obj).to_json() == obj` for every JSON object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field, fields, replace
from typing import Any, Self

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value

Json = Any  # a value as json.loads gives it


class _Unfit(Exception):
    """A JSON value that does not have the type its field needs (the key goes to `extra`)."""


@dataclass(frozen=True)
class Codec:
    """How one field is read from JSON (raising _Unfit if the value does not fit) and written back."""

    decode: Callable[[Json], Any]
    encode: Callable[[Any], Json]


def _same(value: Any) -> Any:
    return value


def _scalar(kind: type) -> Codec:
    """A str, bool or int kept as it is (an int must not be a bool, as JSON tells them apart)."""
    def decode(value: Json) -> Any:
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return value
        raise _Unfit
    return Codec(decode, _same)


def nullable(codec: Codec) -> Codec:
    """`codec`'s type, or JSON null as None."""
    return Codec(lambda v: None if v is None else codec.decode(v),
                  lambda v: None if v is None else codec.encode(v))


def _strings_decode(value: Json) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _Unfit


def object_of(cls: type[JsonObject]) -> Codec:
    def decode(value: Json) -> JsonObject:
        if isinstance(value, dict):
            return cls.from_json(value)
        raise _Unfit
    return Codec(decode, lambda v: v.to_json())


def objects_of(cls: type[JsonObject]) -> Codec:
    def decode(value: Json) -> tuple[JsonObject, ...]:
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return tuple(cls.from_json(v) for v in value)
        raise _Unfit
    return Codec(decode, lambda v: [item.to_json() for item in v])


def _ints_decode(value: Json) -> tuple[int, ...]:
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    raise _Unfit


def _answers_decode(value: Json) -> Mapping[str, Value]:
    if isinstance(value, dict) and all(isinstance(v, bool | str) for v in value.values()):
        return dict(value)
    raise _Unfit


STR, BOOL, INT = _scalar(str), _scalar(bool), _scalar(int)
OPTIONAL_STR = nullable(STR)
STRINGS = Codec(_strings_decode, list)
INTS = Codec(_ints_decode, list)
ANSWERS = Codec(_answers_decode, dict)


def stored(codec: Codec, default: Any) -> Any:
    """A dataclass field stored under its own name as a JSON key."""
    return field(default=default, metadata={"codec": codec})


_CODECS: dict[type, dict[str, Codec]] = {}


def _codecs(cls: type[JsonObject]) -> dict[str, Codec]:
    """The typed fields of `cls` and their codecs (worked out once per class)."""
    found = _CODECS.get(cls)
    if found is None:
        found = _CODECS[cls] = {f.name: f.metadata["codec"] for f in fields(cls) if "codec" in f.metadata}
    return found


@dataclass(frozen=True, kw_only=True)
class JsonObject:
    """A JSON object read into typed fields (each declared with `stored`), exactly reversibly."""

    extra: Mapping[str, Json] = field(default_factory=dict)  # unknown keys, and known ones that did not fit
    missing: frozenset[str] = frozenset()  # known keys whose typed value is not written back

    @classmethod
    def from_json(cls, obj: Mapping[str, Json]) -> Self:
        """The object's typed view; `to_json()` gives `obj` back."""
        codecs = _codecs(cls)
        values: dict[str, Any] = {}
        extra: dict[str, Json] = {}
        unfit: set[str] = set()
        for key, value in obj.items():  # the object's keys, not every codec: a summary has few
            codec = codecs.get(key)
            if codec is None:
                extra[key] = value
                continue
            try:
                values[key] = codec.decode(value)
            except _Unfit:
                unfit.add(key)
        if unfit:  # after the unknown keys, in the fields' order, as `to_json` gives them back
            extra.update((name, obj[name]) for name in codecs if name in unfit)
        missing = frozenset(unfit | (codecs.keys() - obj.keys()))
        return cls(**values, extra=extra, missing=missing)

    def to_json(self) -> dict[str, Json]:
        """The JSON object this was read from (with any `updated` values in place)."""
        out = {name: codec.encode(getattr(self, name)) for name, codec in _codecs(type(self)).items()
               if name not in self.missing}
        out.update(self.extra)
        return out

    def updated(self, **changes: Any) -> Self:
        """A copy with these typed values, which `to_json` then writes whatever the original held."""
        return replace(self, **changes, extra={k: v for k, v in self.extra.items() if k not in changes},
                       missing=self.missing - changes.keys())
