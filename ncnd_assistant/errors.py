"""Locations, problems and the domain errors the CLI turns into exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from ncnd_assistant.lazy_dataclass import dataclass


class ExitCode(IntEnum):
    """Exit statuses of the `ncnd` command (documented in docs/cli.md)."""

    OK = 0
    FAILED = 1  # a check or scenario failed, or an unexpected internal error
    USAGE = 2  # bad command-line usage (Typer's own status)
    RULEBASE = 3  # the rule base has problems
    ANSWERS = 4  # the answers file is invalid or incomplete
    ENGINE = 5  # the inference engine failed
    STORAGE = 6  # a file could not be written, or is not the tool's to write (StorageError)
    SETTINGS = 7  # the settings file is missing (when named), unreadable or invalid


class Location(NamedTuple):
    """A place in a source file; line and column are 1-based (0 for a whole file or folder)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with a code, a place and a hint."""

    location: Location
    code: str
    message: str
    hint: str = ""
    severity: str = "error"

    def sort_key(self) -> tuple[Location, str, str]:
        return (self.location, self.code, self.message)

    def __str__(self) -> str:
        text = f"{self.location}: {self.code}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class NcndError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code: ExitCode = ExitCode.FAILED


class ProblemsError(NcndError):
    """An error made of located problems, all reported together."""

    def __init__(self, summary: str, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(summary)


class RuleBaseError(ProblemsError):
    """The rule base could not be loaded or compiled."""

    exit_code = ExitCode.RULEBASE


class AnswersError(ProblemsError):
    """An answers file is malformed, names unknown questions or lacks answers."""

    exit_code = ExitCode.ANSWERS


class ContradictionError(AnswersError):
    """The officer's answers contradict each other (a `contradiction` rule fired): the question it
    names must be answered again, or the earlier answer it contradicts changed."""

    def __init__(self, summary: str, problems: list[Problem], question: str, fired: tuple[str, ...]):
        super().__init__(summary, problems)
        self.question = question
        self.fired = fired


class EngineError(NcndError):
    """The inference engine failed or an action raised."""

    exit_code = ExitCode.ENGINE


class StorageError(NcndError):
    """A file or folder the tool needs cannot be written (full disk, read-only, not a folder...),
    or the path is not the tool's to write (a symlink, a file that is not a decision log)."""

    exit_code = ExitCode.STORAGE
