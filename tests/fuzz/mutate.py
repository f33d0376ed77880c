"""Mutations of YAML and JSON texts: line edits, hostile snippets and tree-level edits.

Every mutation is a function `(rng, text) -> text`, deterministic for a given `random.Random`.
Bytes that are not UTF-8 are carried as lone surrogates (encode with `surrogateescape`).
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable
from typing import Any

import yaml

Mutation = Callable[[random.Random, str], str]
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TREE_MAX = 1_000_000  # characters: a bigger mutant is left to the text mutations

TAGS = ("!!bool maybe", '!!int ""', "!!timestamp nope", "!!float x", "!!binary '@@'", "!!int 0x",
        "!!timestamp 2026-02-30", "!!set [1]", "!!omap x", "!!python/object:os.system", "!foo bar",
        "!!null x", "!!str", "!!map []", "!!seq {}")
DATES = ("2026-02-30", "9999-12-31", "0001-01-01", "2026-13-01", "2026-00-10", "10000-01-01",
         "2026-02-29", "1900-02-29", "2026-1-1", "2026-01-01T25:61:61")
SYNTAX = (":", "- ", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", '"', "#", "%", "@", "`", "?",
          ", ", ": :", "\t", "---\n", "...\n", "<<: ", "%YAML 1.1\n")
CONTROL = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[31mred\x1b[0m", "\x7f", "\x85",
           "\u2028", "\u2029", "\ufeff", "\udcff", "\udcc3(", "\r", "\r\n")
UNICODE = ("\u202e", "\u200b", "é", "e\u0301", "😀", "\U0001F4A9" * 50, "ℌ𝔢𝔩𝔩𝔬", "\ufffd", "İ", "ß")
MARKUP = ("[/]", "unbalanced [/] tag", "[bold red]ALERT[/bold red]", "[link=https://evil.example]click me[/link]",
          "[link=file:///etc/passwd]x", "[", "[[/]]", "\\[b]", "[red", ":smile:", "[/bold]")
VALUES: tuple[Any, ...] = (None, 0, -1, 2**64, 1.5e308, float("nan"), True, "", "x", [], {}, [[]], {"a": 1},
                           ["x", 1, None], "0", "99", "-1", "yes", "null")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def swap_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def reindent(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    body = lines[i].lstrip(" ")
    lines[i] = rng.choice((" " * rng.randrange(12), "\t", " \t")) + body
    return "\n".join(lines)


def _insert(rng: random.Random, text: str, snippet: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + snippet + text[at:]


def _replace_value(rng: random.Random, text: str, snippet: str) -> str:
    """Put `snippet` after the `: ` or `- ` of a random line (or anywhere when none has one)."""
    lines = _lines(text)
    spots = [i for i, line in enumerate(lines) if ": " in line or line.lstrip().startswith("- ")]
    if not spots:
        return _insert(rng, text, snippet)
    i = rng.choice(spots)
    line = lines[i]
    cut = line.index(": ") + 2 if ": " in line else line.index("- ") + 2
    lines[i] = line[:cut] + snippet
    return "\n".join(lines)


def syntax_char(rng: random.Random, text: str) -> str:
    return _insert(rng, text, rng.choice(SYNTAX))


def tag(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, rng.choice(TAGS))


def bad_date(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, rng.choice(DATES))


def control_char(rng: random.Random, text: str) -> str:
    return _insert(rng, text, rng.choice(CONTROL))


def unicode_text(rng: random.Random, text: str) -> str:
    return _insert(rng, text, rng.choice(UNICODE))


def markup(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, json.dumps(rng.choice(MARKUP)))


def huge_value(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, "x" * rng.choice((10_000, 100_000, 1_000_000)))


def unclosed_quote(rng: random.Random, text: str) -> str:
    return _replace_value(rng, text, rng.choice(("'", '"', '"abc', "'it''s")))


def truncate(rng: random.Random, text: str) -> str:
    return text[:rng.randrange(len(text) + 1)]


def anchor_alias(rng: random.Random, text: str) -> str:
    text = _replace_value(rng, text, rng.choice(("&a x", "&a [1, 2]", "&a {k: v}")))
    return _replace_value(rng, text, rng.choice(("*a", "*b", "*a *a", "<<: *a")))


def alias_bomb(rng: random.Random, text: str) -> str:
    """A billion-laughs document of `levels` x `width` aliases, before the text or as a value."""
    levels, width = rng.randint(3, 9), rng.randint(2, 10)
    rows = ['b0: &b0 ["lol"]'] + [
        f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    if rng.random() < 0.5:
        return "\n".join(rows) + "\n" + text
    return _replace_value(rng, text, "{" + ", ".join(rows) + "}")


def deep_nesting(rng: random.Random, text: str) -> str:
    depth = rng.choice((100, 490, 1000, 5000, 100_000))
    style = rng.randrange(3)
    if style == 0:
        snippet = "[" * depth + "]" * depth * rng.randrange(2)
    elif style == 1:
        snippet = "{a: " * depth + "}" * depth
    else:
        snippet = "\n" + "".join("  " * i + "- \n" for i in range(min(depth, 2000)))
    return _replace_value(rng, text, snippet)


def many_items(rng: random.Random, text: str) -> str:
    """Repeat a random block of lines many times (thousands of parts, rules or questions)."""
    lines = _lines(text)
    i = rng.randrange(len(lines))
    block = lines[i:i + rng.randint(1, 20)]
    return "\n".join(lines[:i] + block * rng.choice((100, 1000)) + lines[i:])


TEXT_MUTATIONS: dict[str, Mutation] = {
    f.__name__: f for f in (delete_line, duplicate_line, swap_lines, reindent, syntax_char, tag, bad_date,
                            control_char, unicode_text, markup, huge_value, unclosed_quote, truncate,
                            anchor_alias, alias_bomb, deep_nesting, many_items)}


def _paths(tree: Any, limit: int = 20_000) -> list[tuple[Any, ...]]:
    """Paths (keys and indices) to values in a parsed tree, breadth first, at most `limit` of them
    (a tree read from an alias bomb shares its nodes: walking all of it would never end)."""
    found: list[tuple[Any, ...]] = []
    queue: deque[tuple[tuple[Any, ...], Any]] = deque([((), tree)])
    while queue and len(found) < limit:
        here, value = queue.popleft()
        found.append(here)
        if isinstance(value, dict):
            queue += [(here + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            queue += [(here + (i,), v) for i, v in enumerate(value)]
    return found


def _edit_tree(rng: random.Random, tree: Any) -> Any:
    """Replace a value with one of another type, drop a key, add an unknown key or empty a list."""
    path = rng.choice(_paths(tree))
    if not path:
        return rng.choice(VALUES)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = rng.randrange(4)
    if action == 0:
        parent[last] = rng.choice(VALUES)
    elif action == 1 and isinstance(parent, dict):
        del parent[last]
    elif action == 2 and isinstance(parent, dict):
        parent[rng.choice(("unknown", "extra_key", "x-" + str(last)))] = rng.choice(VALUES)
    elif isinstance(parent, list):
        parent.insert(last, parent[last]) if rng.random() < 0.5 else parent.clear()
    else:
        parent[last] = rng.choice(VALUES)
    return tree


def tree_yaml(rng: random.Random, text: str) -> str:
    """Tree-level edit of a YAML document (the text is returned unchanged when PyYAML cannot read or
    write it, which includes its own crashes on `!!timestamp nope`, deep nesting and the like)."""
    if len(text) >= TREE_MAX:
        return text
    try:
        tree = yaml.load(text, Loader=LOADER)
        return yaml.dump(_edit_tree(rng, tree), Dumper=DUMPER, sort_keys=False, allow_unicode=True)
    except Exception:  # noqa: BLE001 - PyYAML raises anything on hostile text; it is not what is fuzzed
        return text


def tree_json(rng: random.Random, text: str) -> str:
    """Tree-level edit of a JSON document (the text is returned unchanged when it does not parse)."""
    if len(text) >= TREE_MAX:
        return text
    try:
        return json.dumps(_edit_tree(rng, json.loads(text)), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def mutate(rng: random.Random, text: str, tree: Mutation, rounds: int = 3) -> tuple[str, list[str]]:
    """Apply 1 to `rounds` mutations (one in four a tree edit); return the mutant and their names."""
    names: list[str] = []
    for _ in range(rng.randint(1, rounds)):
        if rng.random() < 0.25:
            name, mutation = tree.__name__, tree
        else:
            name, mutation = rng.choice(list(TEXT_MUTATIONS.items()))
        text = mutation(rng, text)
        names.append(name)
    return text, names
