"""What every `ncnd` command shares: the --rules, --audit and --store options, output formats,
error reporting (the consoles are in `consoles`, which imports Rich's console)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

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


def plain_width() -> int | None:
    """The width Rich would draw standard output at when it would draw no colour or style (not a
    terminal, and nothing in the environment saying otherwise; UTF-8, so its rounded boxes; not
    Windows, whose consoles Rich treats apart), else None. With it, `render.plain` gives exactly
    Rich's characters without importing Rich's console (rich.console.Console.size and is_terminal)."""
    if sys.platform == "win32" or any(name in os.environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE",
                                                                       "TTY_INTERACTIVE", "JUPYTER_COLUMNS")):
        return None
    try:
        if sys.stdout.isatty() or not (sys.stdout.encoding or "utf-8").lower().startswith("utf"):
            return None
    except (AttributeError, ValueError):
        return None
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):  # Rich asks standard input, output and error, in that order
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


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
            from ncnd_assistant.cli.consoles import stderr

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
            from ncnd_assistant.cli.consoles import stderr

            stderr().print(f"Internal error: {type(error).__name__}: {error} "
                            "(set NCND_DEBUG=1 to see the traceback; please report it)", markup=False)
            raise typer.Exit(int(ExitCode.FAILED)) from None
    return wrapper  # type: ignore[return-value]
