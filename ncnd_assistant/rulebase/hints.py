"""The wording shared by located problems: the closest name for a typo, and how a value is named.

Every check that reports a bad name (the schema, the reference checks, the answers and scenario
files) words its hint with `did_you_mean`, so a typo gets the same help wherever it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date
from typing import Any


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option most like `word` (ignoring case), if any is close."""
    by_lower = {o.lower(): o for o in options}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """A hint naming the closest option, or listing them when few."""
    match = closest(word, options)
    if match is not None:
        return f"did you mean '{match}'?"
    if 0 < len(set(options)) <= 12:
        return "expected one of: " + ", ".join(sorted(set(options)))
    return ""


def cut(text: str, limit: int = 80) -> str:
    """Text as a message quotes it: at most `limit` characters, a long one cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_value(value: Any) -> str:
    """A value as a problem message names it: "a mapping", "the number 3", "'text'"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return f"'{cut(str(value))}'"
