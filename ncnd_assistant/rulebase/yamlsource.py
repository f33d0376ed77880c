"""Safe YAML with node locations: a tree of `YNode`s, duplicate keys reported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ncnd_assistant.errors import Location, Problem


@dataclass
class YNode:
    """A YAML value with where it came from.

    `value` is a dict of str -> YNode (mapping), a list of YNode (sequence) or a plain scalar.
    Mapping keys are always the key's source text, so `no:` stays the string "no".
    """

    value: Any
    loc: Location
    key_locs: dict[str, Location] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value with every YNode unwrapped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class _Broken:
    """The value of a node that could not be read (already reported)."""

    def __repr__(self) -> str:
        return "BROKEN"


BROKEN: Any = _Broken()


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def _location(path: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(path, 0, 0)
    return Location(path, mark.line + 1, mark.column + 1)


# libyaml's composer when PyYAML was built with it (about twice as fast, same marks), else Python's
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAP_TAG = "tag:yaml.org,2002:map"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MERGE_TAG = "tag:yaml.org,2002:merge"


def _convert(node: yaml.Node, path: str, problems: list[Problem], ctor: _Constructor,
             active: frozenset[int] = frozenset()) -> YNode:
    loc = _location(path, node.start_mark)
    if id(node) in active:
        problems.append(Problem(loc, "yaml-value", "an alias refers to the value that contains it",
                                "remove the recursive alias"))
        return YNode(BROKEN, loc)
    active = active | {id(node)}
    if isinstance(node, yaml.MappingNode):
        if node.tag != MAP_TAG:
            return _bad_tag(node, loc, problems)
        return _convert_mapping(node, path, problems, ctor, active, loc)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ_TAG:
            return _bad_tag(node, loc, problems)
        return YNode([_convert(item, path, problems, ctor, active) for item in node.value], loc)
    if node.tag == STR_TAG:
        return YNode(node.value, loc)  # most values are text: skip the constructor
    try:
        return YNode(ctor.construct_object(node, deep=True), loc)
    except yaml.constructor.ConstructorError as error:
        problems.append(Problem(loc, "yaml-value", error.problem or "unreadable value", "quote the value"))
    except (ValueError, TypeError, OverflowError) as error:
        problems.append(Problem(loc, "yaml-value", f"cannot read '{node.value}': {error}",
                                "write dates as YYYY-MM-DD, or quote the value if it is text"))
    return YNode(BROKEN, loc)


def _bad_tag(node: yaml.Node, loc: Location, problems: list[Problem]) -> YNode:
    problems.append(Problem(loc, "yaml-value", f"the tag {node.tag} is not allowed here",
                            "remove the tag: rule files use plain YAML"))
    return YNode(BROKEN, loc)


def _convert_mapping(node: yaml.MappingNode, path: str, problems: list[Problem], ctor: _Constructor,
                     active: frozenset[int], loc: Location) -> YNode:
    """A mapping; keys merged in with `<<` may be overridden by the mapping's own keys."""
    own_count = sum(1 for key, _ in node.value if key.tag != MERGE_TAG)
    ctor.flatten_mapping(node)
    pairs = node.value
    merged, own = pairs[: len(pairs) - own_count], pairs[len(pairs) - own_count:]
    result: dict[str, YNode] = {}
    key_locs: dict[str, Location] = {}
    own_keys: set[str] = set()
    for index, (key_node, value_node) in enumerate(merged + own):
        is_own = index >= len(merged)
        key_loc = _location(path, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(key_loc, "bad-key", "a mapping key must be a plain name",
                                    "write the key as text, e.g. `id:`"))
            continue
        key = str(key_node.value)
        if is_own and key in own_keys:
            first = key_locs[key]
            problems.append(Problem(key_loc, "duplicate-key", f"duplicate key '{key}'",
                                    f"first given at line {first.line}; remove one"))
            continue
        if is_own:
            own_keys.add(key)
        elif key in result:
            continue  # the first merged mapping wins (YAML merge-key semantics)
        key_locs[key] = key_loc
        result[key] = _convert(value_node, path, problems, ctor, active)
    return YNode(result, loc, key_locs)


def parse_text(text: str, path: str, problems: list[Problem]) -> YNode | None:
    """Parse one YAML document; syntax errors and duplicate keys become problems."""
    try:
        try:
            documents = list(yaml.compose_all(text, Loader=SAFE_LOADER))
        except yaml.YAMLError:
            # report with the pure-Python parser's messages, the same with or without libyaml
            documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        problems.append(Problem(_location(path, mark), "yaml-syntax", message,
                                "check indentation, quotes and colons near this place"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(Location(path, 1, 1), "yaml-syntax", str(error), ""))
        return None
    documents = [d for d in documents if d is not None]
    if not documents:
        return None
    if len(documents) > 1:
        problems.append(Problem(_location(path, documents[1].start_mark), "multiple-documents",
                                "a file may hold only one YAML document",
                                "remove the `---` separator or split the file"))
    try:
        return _convert(documents[0], path, problems, _Constructor())
    except yaml.constructor.ConstructorError as error:  # e.g. a merge key on something not a mapping
        problems.append(Problem(_location(path, error.problem_mark), "yaml-value",
                                error.problem or "unreadable value", "quote the value"))
        return None


def display_path(path: Path) -> str:
    """A path as problems show it: relative to the working folder where that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def parse_file(path: Path, display: str, problems: list[Problem]) -> YNode | None:
    """Read and parse a YAML file; unreadable files become problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(display, 1, 1), "unreadable-file", str(error),
                                "check the file exists and is UTF-8 text"))
        return None
    return parse_text(text, display, problems)
