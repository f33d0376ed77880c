"""Declarative shapes for YAML input: validate located nodes, collect every problem.

The same definitions drive loading (`check`) and can describe themselves as JSON Schema
(`json_schema`), so the editor schema and the loader cannot drift apart. These are the generic
shapes (text, numbers, dates, lists, mappings, records); the condition language's shape is in
`condition_schema`, the hints of a problem in `hints`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date
from typing import Any

from ncnd_assistant.errors import Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.hints import cut, describe_value, did_you_mean
from ncnd_assistant.rulebase.yamlsource import BROKEN, YNode


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class Spec(ABC):
    """A shape a YAML node must have."""

    description = "a value"

    def check(self, node: YNode, problems: list[Problem], what: str) -> Any:
        """The node's value in this shape, or INVALID after reporting why."""
        if node.value is BROKEN:
            return INVALID  # already reported when the YAML was read
        return self.validate(node, problems, what)

    @abstractmethod
    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        """Check a readable node; the value, or INVALID after reporting why."""

    @abstractmethod
    def json_schema(self) -> dict[str, Any]:
        """This shape as JSON Schema."""

    def wrong_type(self, node: YNode, problems: list[Problem], what: str, hint: str = "") -> Any:
        problems.append(Problem(node.loc, "wrong-type",
                                f"{what} must be {self.description}, got {describe_value(node.value)}", hint))
        return INVALID


@dataclass
class Str(Spec):
    """Text, optionally matching a pattern or one of fixed choices."""

    pattern: str | None = None
    choices: tuple[str, ...] = ()
    pattern_hint: str = ""
    description: str = "text"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        value = node.value
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
            hint = "quote it: \"...\"" if isinstance(value, bool) else ""
            return self.wrong_type(node, problems, what, hint)
        if not isinstance(value, str):
            value = value.isoformat() if isinstance(value, date) else str(value)
        if self.choices and value not in self.choices:
            problems.append(Problem(node.loc, "bad-value",
                                    f"{what} must be one of {', '.join(self.choices)}; got '{cut(value)}'",
                                    did_you_mean(value, self.choices)))
            return INVALID
        if self.pattern and not re.fullmatch(self.pattern, value):
            problems.append(Problem(node.loc, "bad-id", f"'{cut(value)}' is not a well-formed {what}",
                                    self.pattern_hint))
            return INVALID
        if not value.strip():
            problems.append(Problem(node.loc, "empty-value", f"{what} is empty", "write some text"))
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        # The loader reads numbers (and dates) as their text, so plain text accepts numbers too;
        # it rejects blank text. Choices and patterns are checked on the text itself.
        if self.choices:
            return {"type": "string", "enum": list(self.choices)}
        if self.pattern:
            return {"type": "string", "pattern": f"^(?:{self.pattern})$"}
        return {"type": ["string", "number"], "pattern": r"\S"}


@dataclass
class Bool(Spec):
    description: str = "true or false"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        if isinstance(node.value, bool):
            return node.value
        return self.wrong_type(node, problems, what)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass
class Int(Spec):
    choices: tuple[int, ...] = ()
    description: str = "a whole number"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(node, problems, what)
        if self.choices and value not in self.choices:
            problems.append(Problem(node.loc, "bad-value",
                                    f"{what} must be one of {', '.join(map(str, self.choices))}; got {value}"))
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.choices:
            schema["enum"] = list(self.choices)
        return schema


@dataclass
class Date(Spec):
    description: str = "a date YYYY-MM-DD"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        value = node.value
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return self.wrong_type(node, problems, what, "write it as 2026-11-27")

    def json_schema(self) -> dict[str, Any]:
        # YAML reads 2026-11-27 as a date; as JSON (and in editors) it is this string.
        return {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    description: str = "a list"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        if node.value is None and self.min_items == 0:
            return []  # an empty section (`facts:` with nothing under it)
        if not isinstance(node.value, list):
            return self.wrong_type(node, problems, what, "start each item on its own line with `- `")
        if len(node.value) < self.min_items:
            problems.append(Problem(node.loc, "empty-list",
                                    f"{what} needs at least {self.min_items} item(s)", ""))
            return INVALID
        items = [self.item.check(item, problems, f"{what} item {i + 1}")
                 for i, item in enumerate(node.value)]
        return INVALID if any(i is INVALID for i in items) else items

    def json_schema(self) -> dict[str, Any]:
        # An optional list may be left empty (`facts:` with nothing under it), which YAML reads as null.
        schema: dict[str, Any] = {"type": "array" if self.min_items else ["array", "null"],
                                  "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass
class Field:
    spec: Spec
    required: bool = True
    default: Any = None
    doc: str = ""


@dataclass
class Record:
    """A validated mapping: values by key, plus where each came from."""

    values: dict[str, Any]
    node: YNode

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def at(self, key: str) -> YNode:
        """The node of a key that was given (the mapping itself otherwise)."""
        return self.node.value.get(key, self.node)  # type: ignore[no-any-return]


@dataclass
class Obj(Spec):
    """A mapping with known keys."""

    name: str
    fields: dict[str, Field]
    description: str = "a mapping"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        if not isinstance(node.value, dict):
            return self.wrong_type(node, problems, what)
        ok = True
        values: dict[str, Any] = {}
        for key, child in node.value.items():
            if key not in self.fields:
                problems.append(Problem(node.key_locs[key], "unknown-key",
                                        f"unknown key '{key}' in {self.name}",
                                        did_you_mean(key, list(self.fields))))
                ok = False
                continue
            value = self.fields[key].spec.check(child, problems, f"'{key}'")
            ok = ok and value is not INVALID
            values[key] = value
        for key, spec_field in self.fields.items():
            if key in values:
                continue
            if spec_field.required:
                problems.append(Problem(node.loc, "missing-field",
                                        f"{self.name} is missing required key '{key}'",
                                        spec_field.doc))
                ok = False
            else:
                values[key] = spec_field.default
        return Record(values, node) if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k, f in self.fields.items() if f.required],
            "properties": {k: {**f.spec.json_schema(), **({"description": f.doc} if f.doc else {})}
                           for k, f in self.fields.items()},
        }


@dataclass
class StrOrObj(Spec):
    """Either short text or a mapping (citations)."""

    text: Str
    obj: Obj
    description: str = "text or a mapping"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        if isinstance(node.value, dict):
            return self.obj.check(node, problems, what)
        return self.text.check(node, problems, what)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [self.text.json_schema(), self.obj.json_schema()]}


NAME = r"[a-z][a-z0-9_]*"
NAME_HINT = "use lower case letters, digits and underscores, starting with a letter"


@dataclass
class AnyValue(Spec):
    """Anything scalar-or-nested; the caller interprets it."""

    description: str = "a value"

    def check(self, node: YNode, problems: list[Problem], what: str) -> Any:
        """The node itself, even one YAML could not read: its reader checks for BROKEN (never INVALID)."""
        return node

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        return node

    def json_schema(self) -> dict[str, Any]:
        return {}


@dataclass
class MapOf(Spec):
    """A mapping from names to values of one shape."""

    value: Spec
    key_pattern: str = NAME
    description: str = "a mapping"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        if not isinstance(node.value, dict):
            return self.wrong_type(node, problems, what)
        result: dict[str, Any] = {}
        for key, child in node.value.items():
            result[key] = self.value.check(child, problems, f"'{key}'")
        return result

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "propertyNames": {"pattern": f"^(?:{self.key_pattern})$"},
                "additionalProperties": self.value.json_schema()}
