"""The condition language's shape: `ConditionSpec` reads a located YAML condition into a
`conditions.Condition` (reporting every malformed part), and `CONDITION_SCHEMA` is the same
shape as JSON Schema for editors. See docs/rules.md for the language itself.
"""

from __future__ import annotations

import re
from typing import Any

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.hints import closest, describe_value
from ncnd_assistant.rulebase.schema import INVALID, NAME, NAME_HINT, Spec
from ncnd_assistant.rulebase.yamlsource import BROKEN, YNode

KEYWORDS = ["all", "any", "not"]


@dataclass
class ConditionSpec(Spec):
    """A condition in the rule language (see docs/rules.md)."""

    description: str = "a condition (a mapping with one key: all, any, not or a name)"

    def validate(self, node: YNode, problems: list[Problem], what: str) -> Any:
        before = len(problems)
        cond = self._parse(node, problems)
        return INVALID if len(problems) > before or cond is None else cond

    def _parse(self, node: YNode, problems: list[Problem]) -> c.Condition | None:
        if node.value is BROKEN:
            return None
        if not isinstance(node.value, dict) or len(node.value) != 1:
            got = f"{len(node.value)} keys" if isinstance(node.value, dict) else describe_value(node.value)
            problems.append(Problem(node.loc, "bad-condition",
                                    f"a condition must be a mapping with exactly one key, got {got}",
                                    "combine several tests with `all: [...]` or `any: [...]`"))
            return None
        (key, child), = node.value.items()
        key_loc = node.key_locs[key]
        if key in ("all", "any"):
            return self._parse_all_or_any(key, key_loc, child, problems)
        if key == "not":
            inner = self._parse(child, problems)
            return None if inner is None else c.Not(inner, key_loc)
        return self._parse_test(key, key_loc, child, problems)

    def _parse_all_or_any(self, key: str, key_loc: Location, child: YNode,
                          problems: list[Problem]) -> c.Condition | None:
        """`all: [...]` or `any: [...]`: a non-empty list of conditions."""
        if not isinstance(child.value, list) or not child.value:
            problems.append(Problem(child.loc, "bad-condition",
                                    f"'{key}' needs a non-empty list of conditions", ""))
            return None
        items = [self._parse(item, problems) for item in child.value]
        if any(i is None for i in items):
            return None
        kept = tuple(i for i in items if i is not None)
        return c.All(kept, key_loc) if key == "all" else c.AnyOf(kept, key_loc)

    def _parse_test(self, key: str, key_loc: Location, child: YNode,
                    problems: list[Problem]) -> c.Condition | None:
        """`name: value` or `name: {in: [values]}`: a test on a question or fact."""
        if not re.fullmatch(NAME, key):
            keyword = closest(key, KEYWORDS)
            problems.append(Problem(key_loc, "bad-condition",
                                    f"'{key}' is not a question or fact name, nor all/any/not",
                                    f"did you mean '{keyword}'?" if keyword else NAME_HINT))
            return None
        if isinstance(child.value, list):
            keyword = closest(key, KEYWORDS)
            problems.append(Problem(key_loc, "bad-condition",
                                    f"only `all` and `any` take a list of conditions, not '{key}'",
                                    f"did you mean '{keyword}'?" if keyword else
                                    f"to test several values write `{key}: {{in: [a, b]}}`"))
            return None
        if isinstance(child.value, dict):
            return self._parse_in(key, key_loc, child, problems)
        value = self._scalar(child, problems)
        return None if value is None else c.Eq(key, value, key_loc)

    def _parse_in(self, key: str, key_loc: Location, child: YNode,
                  problems: list[Problem]) -> c.Condition | None:
        """`name: {in: [a, b]}`: the name has one of the values."""
        if set(child.value) != {"in"} or not isinstance(child.value["in"].value, list) \
                or not child.value["in"].value:
            problems.append(Problem(child.loc, "bad-condition",
                                    f"the test on '{key}' must be a value or {{in: [values]}}",
                                    "write `name: value` or `name: {in: [a, b]}`"))
            return None
        values = [self._scalar(v, problems) for v in child.value["in"].value]
        if any(v is None for v in values):
            return None
        return c.In(key, tuple(v for v in values if v is not None), key_loc)

    @staticmethod
    def _scalar(node: YNode, problems: list[Problem]) -> c.Value | None:
        if node.value is BROKEN:
            return None
        if isinstance(node.value, (bool, str)):
            return node.value
        numeric = isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
        problems.append(Problem(node.loc, "bad-condition",
                                "a condition value must be true, false or a choice value, "
                                f"got {describe_value(node.value)}",
                                "quote choice values that look like numbers" if numeric else
                                "write `name: value` or `name: {in: [a, b]}`"))
        return None

    def json_schema(self) -> dict[str, Any]:
        return {"$ref": "#/$defs/condition"}


CONDITION_SCHEMA: dict[str, Any] = {
    "type": "object", "minProperties": 1, "maxProperties": 1,
    "properties": {
        "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
        "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
        "not": {"$ref": "#/$defs/condition"},
    },
    "patternProperties": {  # a question or fact name (all, any and not are the keywords above)
        f"^(?!(?:all|any|not)$){NAME}$": {"anyOf": [
            {"type": ["boolean", "string"]},
            {"type": "object", "additionalProperties": False, "required": ["in"],
             "properties": {"in": {"type": "array", "minItems": 1, "items": {"type": ["boolean", "string"]}}}},
        ]},
    },
    "additionalProperties": False,
}
