"""The closed vocabularies of the rule language, as enums: question types, conclusion kinds, stages.

Their values are the strings (and numbers) rule files and the JSON output use, so a `StrEnum`
member compares equal to its YAML spelling; code branches on members with `match` and ends each
`match` with `assert_never`, so mypy names every place a new member needs handling.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class QuestionType(StrEnum):
    """How a question is answered."""

    YES_NO = "yes_no"
    CHOICE = "choice"
    TEXT = "text"


class ConclusionKind(StrEnum):
    """What a rule's `then` does (exactly one per rule)."""

    ENGAGE = "engage"  # engages a provision (with `harm` for a prejudice-based one)
    DERIVE = "derive"  # establishes a fact
    OUTCOME = "outcome"  # gives an outcome directly (not held, EIR)
    BLOCK = "block"  # makes provisions unavailable
    BALANCE = "balance"  # the public-interest balance
    CONTRADICTION = "contradiction"  # the answers contradict each other: ask a question again
    WARN = "warn"  # warns the officer without changing the outcome


class Stage(IntEnum):
    """The two stages of the decision (design notes): confirm or deny, then disclose."""

    CONFIRM_OR_DENY = 1
    DISCLOSE = 2
