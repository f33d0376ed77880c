"""What every `ncnd` command shares: the --rules, --audit and --store options, output formats,
consoles, error reporting."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from ncnd_assistant.errors import ExitCode, NcndError, ProblemsError
from ncnd_assistant.text_safety import for_terminal

F = TypeVar("F", bound=Callable[..., Any])

RulesOption = Annotated[Path | None, typer.Option(
    "--rules", envvar="NCND_RULES", help="Rule-base folder (default: the shipped FOIA rule base).",
    show_default=False)]

AuditOption = Annotated[Path | None, typer.Option(
    "--audit", show_default=False,
    help="A decision log in JSON Lines (a jsonl store at this path; also $NCND_AUDIT). "
         "Default: the --store, else $NCND_STORE, else the settings' store, else audit.db in the data directory.")]

StoreOption = Annotated[str | None, typer.Option(
    "--store", show_default=False,
    help="The case store, as a URL: sqlite:///FILE, postgresql://USER@HOST/DB or jsonl:///FILE "
         "(default: $NCND_STORE, else the settings' store, else audit.db in the data directory).")]



class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class SafeConsole(Console):
    """A console that strips escape and control sequences from the strings it is given to print
    (user text is text); renderables build their own safe `Text`."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(for_terminal(o) if isinstance(o, str) else o for o in objects), **kwargs)


def stdout() -> Console:
    return SafeConsole(highlight=False, soft_wrap=False)


def stderr() -> Console:
    return SafeConsole(stderr=True, highlight=False)


MAX_PROBLEMS_SHOWN = 500  # in text output; `--format json` lists every problem


def print_problems(lines: Sequence[str]) -> None:
    """Located problems on stderr, one per line, as plain text (no markup, no wrapping), at most
    MAX_PROBLEMS_SHOWN of them: a file with 49,000 problems should not take seconds to print."""
    shown = lines[:MAX_PROBLEMS_SHOWN]
    more = len(lines) - len(shown)
    tail = [f"... and {more} more problem(s) (fix these first, or use --format json to see all)"] if more else []
    sys.stderr.write("".join(for_terminal(line) + "\n" for line in [*shown, *tail]))
    sys.stderr.flush()


def reporting(command: F) -> F:
    """Turn domain errors into `Error: ...`, located problems and a documented exit code."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NcndError as error:
            err = stderr()
            err.print(f"Error: {error}", markup=False)
            if isinstance(error, ProblemsError):
                print_problems([str(problem) for problem in error.problems])
            raise typer.Exit(int(error.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # the last line of defence: never a bare traceback
            if os.environ.get("NCND_DEBUG"):
                raise
            stderr().print(f"Internal error: {type(error).__name__}: {error} "
                            "(set NCND_DEBUG=1 to see the traceback; please report it)", markup=False)
            raise typer.Exit(int(ExitCode.FAILED)) from None
    return wrapper  # type: ignore[return-value]
