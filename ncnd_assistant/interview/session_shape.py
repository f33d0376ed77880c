"""Reading a saved session's JSON defensively: each field checked for its type before it is used.

A `Fields` is one JSON object of the session file with the path of its place in the file (`parts[1]
.decision`); each accessor returns the field's value if it has the right type, its default if it is
absent, and otherwise raises a `SessionError` naming the file and the field. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.rulebase.conditions import Value

T = TypeVar("T")
REQUIRED: Any = object()  # the default of a field the file must have


class SessionError(NcndError):
    """A session file cannot be read: missing, not JSON, or a field of the wrong shape."""

    exit_code = ExitCode.ANSWERS


def kind_of(value: Any) -> str:
    """A JSON value's kind, in the words of the error messages."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
             int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def shown(value: Any) -> str:
    """A wrong value as an error message names it: its kind, and a short scalar itself."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = repr(value)
        return f"{kind_of(value)} {text if len(text) <= 40 else text[:39] + '…'}"
    return kind_of(value)


class Fields:
    """One JSON object of the session file at `path`, at `where` within it."""

    def __init__(self, path: Path, value: Any, where: str = ""):
        self.path, self.where = path, where
        if not isinstance(value, dict):
            raise self.error("", "a JSON object", value)
        self.data: dict[str, Any] = value

    def error(self, name: str, wanted: str, value: Any) -> SessionError:
        place = f"field `{self.name(name)}`" if self.name(name) else "the file"
        return SessionError(f"cannot read session {self.path}: {place} must be {wanted}, not {shown(value)}")

    def get(self, name: str, wanted: str, fits: Callable[[Any], bool], default: Any = REQUIRED) -> Any:
        """The field `name` if `fits(value)`; its default if absent (an error if it has none)."""
        if name not in self.data:
            if default is REQUIRED:
                raise SessionError(f"cannot read session {self.path}: field `{self.name(name)}` is missing")
            return default
        value = self.data[name]
        if not fits(value):
            raise self.error(name, wanted, value)
        return value

    def text(self, name: str, default: Any = "") -> str:
        return str(self.get(name, "text", lambda v: isinstance(v, str), default))

    def optional_text(self, name: str) -> str | None:
        value = self.get(name, "text or null", lambda v: v is None or isinstance(v, str), None)
        return None if value is None else str(value)

    def flag(self, name: str, default: bool = False) -> bool:
        return bool(self.get(name, "true or false", lambda v: isinstance(v, bool), default))

    def whole(self, name: str, low: int, high: int, default: int = 0) -> int:
        wanted = f"a whole number from {low} to {high}"
        value = self.get(name, wanted, lambda v: isinstance(v, int) and not isinstance(v, bool), default)
        if not low <= value <= high:
            raise self.error(name, wanted, value)
        return int(value)

    def texts(self, name: str) -> list[str]:
        fits = lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)  # noqa: E731
        return list(self.get(name, "a list of text", fits, []))

    def text_map(self, name: str) -> dict[str, str]:
        fits = lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values())  # noqa: E731
        return dict(self.get(name, "an object of text values", fits, {}))

    def answers(self, name: str) -> dict[str, Value]:
        fits = lambda v: isinstance(v, dict) and all(isinstance(x, bool | str) for x in v.values())  # noqa: E731
        return dict(self.get(name, "an object of true/false or text answers", fits, {}))

    def objects(self, name: str) -> list[Fields]:
        values = self.get(name, "a list", lambda v: isinstance(v, list), [])
        return [Fields(self.path, v, f"{self.name(name)}[{i}]") for i, v in enumerate(values)]

    def child(self, name: str) -> Fields | None:
        """The object under `name`, or None if it is null or absent."""
        value = self.get(name, "an object or null", lambda v: v is None or isinstance(v, dict), None)
        return None if value is None else Fields(self.path, value, self.name(name))

    def choice(self, name: str, choices: tuple[str, ...], default: Any = REQUIRED) -> str:
        wanted = "one of " + ", ".join(choices)
        return str(self.get(name, wanted, lambda v: v in choices, default))

    def name(self, name: str) -> str:
        return ".".join(p for p in (self.where, name) if p)
