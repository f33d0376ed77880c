"""`ncnd sessions`: list the interviews not yet finished, and delete the ones no longer wanted."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ncnd_assistant.cli.common import reporting
from ncnd_assistant.cli.consoles import stderr, stdout
from ncnd_assistant.cli.prompts import cut
from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.interview.dates import time_limit
from ncnd_assistant.interview.session import Session, saved_sessions, sessions_dir
from ncnd_assistant.interview.session_shape import SessionError
from ncnd_assistant.letter.workdays import DueDateError, calendar_for
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.text_safety import for_terminal

sessions_app = typer.Typer(help="List unfinished interview sessions, or delete them.",
                           invoke_without_command=True, no_args_is_help=False)

FolderOption = Annotated[Path | None, typer.Option(
    "--dir", help="The sessions folder (default: the per-user data folder's sessions/).", show_default=False,
    file_okay=False)]


@sessions_app.callback()
@reporting
def sessions_main(ctx: typer.Context, folder: FolderOption = None) -> None:
    """With no command: list the unfinished sessions (as `ncnd sessions list`)."""
    if ctx.invoked_subcommand is None:
        _list(folder, finished=False)


@sessions_app.command("list")
@reporting
def list_command(folder: FolderOption = None, finished: Annotated[bool, typer.Option(
        "--finished", help="Also list finished sessions.")] = False) -> None:
    """Unfinished sessions: reference, started, last answer, part and question reached, due date."""
    _list(folder, finished)


def reached(session: Session) -> str:
    """The part and question a session stopped at, in words."""
    if not session.details_done:
        return "case details"
    if not session.parts_done:
        return f"defining parts ({len(session.parts)} so far)"
    part = session.part()
    if part is None:
        return "all parts decided; notice not yet written" if not session.finished else "finished"
    where = f"part {session.current + 1} of {len(session.parts)} ({part.id})"
    if part.pending:
        rb = _rulebase(session.rules)
        text = rb.question(part.pending).text if rb is not None and rb.has_question(part.pending) else part.pending
        return f"{where}: {cut(text, 50)}"
    return f"{where}, decision" if part.answers else where


@cache
def _rulebase(folder: str) -> RuleBase | None:
    """The session's rule base, for question texts; None if it cannot be loaded now."""
    try:
        return load_rulebase(Path(folder) if folder else None)
    except NcndError:
        return None


def due(session: Session) -> str:
    if session.received is None:
        return "-"
    try:
        return time_limit(session.received, date.today(), calendar_for(session.regime)).due.isoformat()
    except DueDateError:
        return "beyond the calendar"


def cells(*values: str) -> list[Text]:
    """Table cells as plain text: a reference or path is never read as markup."""
    return [Text(for_terminal(v)) for v in values]


def _list(folder: Path | None, finished: bool) -> None:
    where = folder or sessions_dir()
    found = saved_sessions(where)
    shown = [s for s in found if isinstance(s, SessionError) or finished or not s.finished]
    out = stdout()
    if not shown:
        out.print(f"No unfinished sessions in {where}.", markup=False, soft_wrap=True)
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("reference", "started", "last answer", "reached", "due"):
        table.add_column(name, overflow="fold", no_wrap=name != "reached")
    files = []
    for s in shown:
        if isinstance(s, SessionError):
            table.add_row(*cells("[unreadable]", "", "", str(s), ""))
            continue
        table.add_row(*cells(s.case_ref or "(none yet)", s.created[:10], s.updated[:16].replace("T", " "),
                             reached(s) + (" [finished]" if s.finished else ""), due(s)))
        files.append(f"  {s.case_ref or '(none yet)'}: ncnd interview --resume {s.path}")
    out.print(table)
    out.print("Resume with:", markup=False)
    for line in files:
        out.print(line, markup=False, soft_wrap=True)
    out.print("Delete with: ncnd sessions delete REFERENCE (or the session file)", markup=False)


@sessions_app.command("delete")
@reporting
def delete_command(
    sessions: Annotated[list[str], typer.Argument(
        help="Case references, session ids (or unique prefixes) or session files.")],
    folder: FolderOption = None,
) -> None:
    """Delete sessions (their answers are lost; decisions already recorded stay in the audit log)."""
    where = folder or sessions_dir()
    paths: list[Path] = []
    for name in sessions:
        given = Path(name)
        if given.suffix == ".json" and given.is_file():
            paths.append(given)
            continue
        matches = [s.path for s in saved_sessions(where) if isinstance(s, Session)
                   and (s.case_ref == name or s.id.startswith(name))]
        if len(matches) != 1:
            problem = "no session" if not matches else f"{len(matches)} sessions"
            stderr().print(f"Error: {problem} in {where} match '{name}' (see `ncnd sessions list`)", markup=False)
            raise typer.Exit(int(ExitCode.USAGE))
        paths.append(matches[0])
    out = stdout()
    for path in paths:
        path.unlink(missing_ok=True)
        out.print(f"Deleted {path}", markup=False, soft_wrap=True)
