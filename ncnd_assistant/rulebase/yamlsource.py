"""Safe YAML with node locations: a tree of `YNode`s, duplicate keys reported.

Built from the parser's events without recursion, refusing hostile input as it is read: the limits
below, any anchor, alias or merge key (before anything is expanded) and any explicit tag.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from pathlib import Path
from typing import Any

import yaml

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.hints import cut

MAX_FILE_BYTES = 10 * 1024 * 1024  # any input file
MAX_DEPTH = 64  # lists and mappings inside each other; the shipped files need at most 11
MAX_VALUE_CHARS = 100_000  # one value: a long request text is about 20,000
MAX_KEY_CHARS = 200  # one mapping key: keys are names, and messages quote them whole
MAX_VALUES = 100_000  # values, lists and mappings in one file: the largest shipped file has 3,404
PY_MESSAGES_UP_TO = 128 * 1024  # syntax errors in files up to this size are worded by PyYAML's parser
# YAML 1.1's printable characters; PyYAML's Reader refuses the rest, giving only an offset
NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def _location(path: str, mark: Any) -> Location:  # a yaml.Mark, from either parser, or None
    return Location(path, 0, 0) if mark is None else Location(path, mark.line + 1, mark.column + 1)


# libyaml's parser when PyYAML was built with it (many times faster, same marks), else Python's
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TOO_DEEP = (f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
             "flatten the structure: input files need only a few levels")
_SKIP = object()  # a refused mapping key: its value is read and dropped


class _Stop(Exception):
    """Reading stops here: the problem is reported and nothing after it can be trusted."""


@dataclass
class _Frame:
    """An open list or mapping; for a mapping, the key waiting for its value."""

    node: YNode
    tagged: bool
    key: Any = None  # None (expecting a key), a str, or _SKIP


class _Builder:
    """Builds the first document's tree from parser events, with an explicit stack."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path, self.problems = path, problems
        self.stack: list[_Frame] = []
        self.root: YNode | None = None
        self.count = 0

    def at(self, mark: Any) -> Location:
        return _location(self.path, mark)

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False once the first document is complete."""
        if isinstance(event, yaml.NodeEvent):
            self.count += 1
            if self.count > MAX_VALUES:
                self.problems.append(Problem(self.at(event.start_mark), "too-many-values",
                                             f"the file holds more than {MAX_VALUES:,} values, lists and mappings",
                                             "split it, or remove what it does not need"))
                raise _Stop
        anchor = getattr(event, "anchor", None)
        if anchor is not None:  # an alias's anchor is the name it repeats
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            self.problems.append(Problem(self.at(event.start_mark), "yaml-alias",
                                         f"anchors and aliases ({sign}{cut(str(anchor), 40)}) are not allowed",
                                         "write each value out in full"))
            raise _Stop
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.tagged:
                frame.node.value = BROKEN
            self.attach(frame.node, None)
        elif isinstance(event, yaml.ScalarEvent):
            self.attach(self.scalar(event), event)
        return not (self.root is not None and not self.stack)

    def open(self, event: yaml.CollectionStartEvent) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.problems.append(Problem(self.at(event.start_mark), "too-deep", *_TOO_DEEP))
            raise _Stop
        loc = self.at(event.start_mark)
        tagged = self.refuse_tag(event)
        value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(YNode(value, loc), tagged))

    def refuse_tag(self, event: yaml.NodeEvent) -> bool:
        tag = getattr(event, "tag", None)
        if tag is None:
            return False
        shown = cut(tag.replace("tag:yaml.org,2002:", "!!", 1), 60)
        self.problems.append(Problem(self.at(event.start_mark), "yaml-value", f"the tag {shown} is not allowed",
                                     "remove the tag: input files use plain YAML; quote a value to make it text"))
        return True

    def scalar(self, event: yaml.ScalarEvent) -> YNode:
        loc = self.at(event.start_mark)
        is_key = bool(self.stack) and isinstance(self.stack[-1].node.value, dict) and self.stack[-1].key is None
        limit = MAX_KEY_CHARS if is_key else MAX_VALUE_CHARS
        if len(event.value) > limit:
            self.problems.append(Problem(loc, "value-too-long",
                                         f"a {'key' if is_key else 'value'} of {len(event.value):,} characters "
                                         f"('{cut(event.value, 40)}') is longer than the limit of {limit:,}",
                                         "shorten it"))
            return YNode(BROKEN, loc)
        if self.refuse_tag(event):
            return YNode(BROKEN, loc)
        if not event.implicit[0]:
            return YNode(event.value, loc)  # quoted or block text
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
        if tag in (STR_TAG, MERGE_TAG):
            return YNode(event.value, loc)  # most values are text: skip the constructor
        constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
        if constructor is None:  # `=` (YAML 1.1's value key) has no safe constructor: it is text
            return YNode(event.value, loc)
        node = yaml.ScalarNode(tag, event.value)
        try:
            return YNode(constructor(_CONSTRUCTOR, node), loc)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError, AttributeError) as error:
            reason = getattr(error, "problem", None) or str(error)
            self.problems.append(Problem(loc, "yaml-value", f"cannot read '{cut(event.value, 60)}': {cut(reason, 80)}",
                                         "write dates as YYYY-MM-DD, or quote the value if it is text"))
        return YNode(BROKEN, loc)

    def attach(self, node: YNode, event: yaml.ScalarEvent | None) -> None:
        """Put a finished node in its list or mapping (as a key or a value), or make it the root."""
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent = frame.node
        if isinstance(parent.value, list):
            parent.value.append(node)
        elif frame.key is None:
            frame.key = self.key(frame, node, event)
        else:
            if frame.key is not _SKIP:
                parent.value[frame.key] = node
            frame.key = None

    def key(self, frame: _Frame, node: YNode, event: yaml.ScalarEvent | None) -> Any:
        """The text of a mapping key, or _SKIP after reporting why it cannot be one."""
        if event is None or node.value is BROKEN:
            if event is None:
                self.problems.append(Problem(node.loc, "bad-key", "a mapping key must be a plain name",
                                             "write the key as text, e.g. `id:`"))
            return _SKIP
        key = str(event.value)
        if event.implicit[0] and key == "<<":
            self.problems.append(Problem(node.loc, "yaml-alias", "merge keys (<<) are not allowed",
                                         "write the keys out in full"))
            return _SKIP
        if key in frame.node.key_locs:
            self.problems.append(Problem(node.loc, "duplicate-key", f"duplicate key '{key}'",
                                         f"first given at line {frame.node.key_locs[key].line}; remove one"))
            return _SKIP
        frame.node.key_locs[key] = node.loc
        return key


def _first_unprintable(text: str, path: str, problems: list[Problem]) -> bool:
    """Report the first character YAML does not allow, at its own line and column."""
    found = NOT_PRINTABLE.search(text)
    if found is None:
        return False
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    problems.append(Problem(Location(path, line, col), "yaml-syntax",
                            f"the control character U+{ord(found.group()):04X} is not allowed",
                            "remove it, or write it as an escape such as \"\\t\" inside double quotes"))
    return True


def _build(text: str, path: str, problems: list[Problem]) -> YNode | None:
    builder = _Builder(path, problems)
    events = yaml.parse(text, Loader=SAFE_LOADER)
    for event in events:
        if not builder.feed(event):
            break
    for event in events:  # after the first document: only its end, or a second document
        if isinstance(event, yaml.NodeEvent):
            problems.append(Problem(builder.at(event.start_mark), "multiple-documents",
                                    "a file may hold only one YAML document",
                                    "remove the `---` separator or split the file"))
            break
    return builder.root


def _syntax_error(text: str, path: str, error: yaml.YAMLError, problems: list[Problem]) -> None:
    """A syntax error, worded by PyYAML's own parser where that is quick (the same with or without libyaml)."""
    if getattr(error, "problem", None) == "exceeded maximum nesting depth":  # libyaml's limit, scanning ahead
        problems.append(Problem(_location(path, getattr(error, "problem_mark", None)), "too-deep", *_TOO_DEEP))
        return
    if SAFE_LOADER is not yaml.SafeLoader and len(text) <= PY_MESSAGES_UP_TO:
        try:
            list(yaml.parse(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError as py_error:
            error = py_error
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problems.append(Problem(_location(path, mark), "yaml-syntax", cut(error.problem or "invalid YAML", 200),
                                "check indentation, quotes and colons near this place"))
    else:  # not reached: the only unmarked error, a ReaderError, is found first by `_first_unprintable`
        problems.append(Problem(Location(path, 1, 1), "yaml-syntax", cut(str(error).splitlines()[0], 200), ""))


def parse_text(text: str, path: str, problems: list[Problem]) -> YNode | None:
    """Parse one YAML document; syntax errors, limits and duplicate keys become problems."""
    if _first_unprintable(text, path, problems):
        return None
    try:
        return _build(text, path, problems)
    except _Stop:
        return None
    except yaml.YAMLError as error:
        _syntax_error(text, path, error, problems)
        return None


def display_path(path: Path) -> str:
    """A path as problems show it: relative to the working folder where that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def parse_file(path: Path, display: str, problems: list[Problem]) -> YNode | None:
    """Read and parse a YAML file of at most `MAX_FILE_BYTES`; unreadable files become problems."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # a pipe or device may never end
        # newlines as `read_text` gives them, so marks count lines the same way
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n") if len(data) <= MAX_FILE_BYTES else ""
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(display, 1, 1), "unreadable-file", cut(str(error), 200),
                                "check the file exists and is UTF-8 text"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem(Location(display, 1, 1), "file-too-large",
                                f"the file is larger than the limit of {MAX_FILE_BYTES // (1024 * 1024)} MB",
                                "split it, or remove what it does not need"))
        return None
    return parse_text(text, display, problems)
