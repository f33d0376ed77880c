"""`ncnd cases` (the case register: list, show, record an event) and `ncnd roles` (officers'
roles); the one place case commands read and append records (`_records`, `_append`): docs/cases.md."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from ncnd_assistant.audit.record import AuditRecord
from ncnd_assistant.cases.events import EVENTS, CaseError, event_body, parse_day
from ncnd_assistant.cases.register import STATUSES, Case, OpenSession, build_register, find_case, select
from ncnd_assistant.cases.roles import ROLES, role_body, roles, signer_problem
from ncnd_assistant.cases.views import CSV_COLUMNS, case_detail, csv_row, part_summary
from ncnd_assistant.cli.common import reporting
from ncnd_assistant.cli.consoles import stdout
from ncnd_assistant.cli.stores import cli_store
from ncnd_assistant.interview.session import Session, saved_sessions
from ncnd_assistant.settings.store import load_settings
from ncnd_assistant.store import Store
from ncnd_assistant.text_safety import json_safe

AuditOption = Annotated[Path | None, typer.Option(
    "--audit", envvar="NCND_AUDIT", show_default=False, help="Decision log (default: the per-user one).")]
OfficerOption = Annotated[str | None, typer.Option(
    "--officer", help="Who is recording this (default: the officer in your settings).", show_default=False)]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="Count working days left from this date, YYYY-MM-DD (default: today).", show_default=False)]


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


# ---------------------------------------------------------------------------------------------- storage
def _store(where: Store | Path | None) -> Store:
    """The store to read and write: one given, or the one --audit (or the environment, the settings,
    the default) names."""
    return where if isinstance(where, Store) else cli_store(where, None)


def _records(where: Store | Path | None) -> Iterable[AuditRecord]:
    """Every record of the store, in chain order, streamed (none when there is no store yet)."""
    store = _store(where)
    return store.records() if store.exists() else []


def _append(where: Store | Path | None, bodies: Sequence[dict[str, Any]]) -> list[AuditRecord]:
    """Append record bodies to the store as one write."""
    return _store(where).append_many(bodies)


def _sessions(folder: Path | None = None) -> list[OpenSession]:
    """Unfinished interview sessions in the per-user sessions folder (unreadable ones are skipped:
    `ncnd sessions` and `ncnd interview --resume` report them)."""
    return [OpenSession(s.case_ref, s.officer, s.received) for s in saved_sessions(folder)
            if isinstance(s, Session) and not s.finished]


def _register(audit_path: Store | Path | None) -> list[Case]:
    return build_register(_records(audit_path), _sessions())


def check_signer(audit_path: Store | Path | None, by: str) -> None:
    """Once roles are recorded in the log, a CaseError unless `by` holds the signer role (that the
    signer is not the decider is checked by the sign-off itself)."""
    problem = signer_problem(roles(_records(audit_path)), " ".join(by.split()), "")
    if problem:
        raise CaseError(problem)


def officer_name(given: str | None) -> str:
    """--officer, else the settings' officer (a CaseError when neither is set)."""
    name = " ".join((given or load_settings().officer).split())
    if not name:
        raise CaseError("say who you are: --officer NAME, or once for all: ncnd settings set officer \"Your Name\"")
    return name


def case_named(audit_path: Store | Path | None, ref: str) -> Case:
    """The case with this reference, or a CaseError listing a few that exist."""
    cases = _register(audit_path)
    case = find_case(cases, ref)
    if case is None:
        known = ", ".join(c.ref for c in cases[-5:]) or "none yet"
        raise CaseError(f"no case '{ref}' in {_store(audit_path).describe()} (latest cases: {known})")
    return case


def _today(as_of: str | None) -> date:
    return parse_day(as_of, date.today(), "--as-of")


def _echo_json(data: object) -> None:
    typer.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str)))


# ---------------------------------------------------------------------------------------------- ncnd cases
cases_app = typer.Typer(help="The case register: every request, its status, due date and outcomes; "
                             "record what happens to a case (holding notice, clarification, fees, sent...).",
                        invoke_without_command=True, no_args_is_help=False)


def _left(case: Case, today: date) -> str:
    if case.clock.stopped:
        return f"stopped: {case.clock.stopped}"
    left = case.clock.days_left(today)
    if left is None:
        return "sent" if case.clock.answered else "-"
    return f"{-left} overdue" if left < 0 else f"{left} left"


def _table(cases: Sequence[Case], today: date) -> Table:
    table = Table(box=box.SIMPLE, header_style="bold", pad_edge=False, collapse_padding=True)
    for column in ("reference", "received", "due", "left"):
        table.add_column(column, no_wrap=True)
    table.add_column("status", min_width=8)
    table.add_column("parts", overflow="fold", min_width=12)
    table.add_column("officer", overflow="fold", min_width=9)
    for case in cases:
        table.add_row(case.ref, case.received.isoformat() if case.received else "-",
                      str(case.clock.deadline or case.clock.due or "-"), _left(case, today), case.status,
                      ", ".join(map(part_summary, case.parts)) or "-", ", ".join(case.officers) or "-")
    return table


@cases_app.callback()
@reporting
def cases_main(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help=f"Only cases with this status: {', '.join(STATUSES)}.",
                                               show_default=False)] = None,
    officer: Annotated[str | None, typer.Option("--officer", help="Only cases this officer worked on.",
                                                show_default=False)] = None,
    due_within: Annotated[int | None, typer.Option(
        "--due-within", help="Only cases not sent whose deadline is at most N working days away (or past).",
        show_default=False)] = None,
    provision: Annotated[str | None, typer.Option("--provision", help="Only cases relying on this provision.",
                                                  show_default=False)] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only cases with a part of this topic tag.",
                                            show_default=False)] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ListFormat.text,
    as_of: AsOfOption = None,
    audit_file: AuditOption = None,
) -> None:
    """With no command: list the cases (filters combine)."""
    if ctx.invoked_subcommand is not None:
        return
    if status is not None and status not in STATUSES:
        raise CaseError(f"'{status}' is not a status; the statuses are: {', '.join(STATUSES)}")
    today = _today(as_of)
    cases = select(_register(audit_file), today, status=status, officer=officer, due_within=due_within,
                   provision=provision, tag=tag)
    if output_format is ListFormat.json:
        _echo_json([{k: v for k, v in case_detail(c, today).items() if k in (*CSV_COLUMNS, "stopped")} for c in cases])
    elif output_format is ListFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(c, today) for c in cases)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        out = stdout()
        if not cases:
            out.print("No cases match." if any(x is not None for x in (status, officer, due_within, provision, tag))
                      else "No cases yet: decisions recorded by `ncnd interview` appear here.", markup=False)
            return
        out.print(_table(cases, today))


@cases_app.command("show")
@reporting
def show(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    as_of: AsOfOption = None,
    audit_file: AuditOption = None,
) -> None:
    """One case: its clock, every part's decision (and any a review replaced), events, reviews, appeals."""
    today = _today(as_of)
    detail = case_detail(case_named(audit_file, ref), today)
    if output_format is not ListFormat.text:
        _echo_json(detail)
        return
    out = stdout()
    clock = detail["clock"]
    out.print(f"Case {detail['ref']}: {detail['status']}", style="bold", markup=False)
    lines = [f"received {detail['received'] or 'not recorded'}",
             f"20th working day (s10(1)) {clock['due'] or '-'}",
             f"deadline {clock['deadline'] or '-'}" + (f" (extended by {clock['extended_by']} working days, "
                                                       f"holding notice {clock['holding_notice']})"
                                                       if clock['extended_by'] else ""),
             f"sent {clock['sent'] or 'not yet'}" + ("" if clock["within_20"] is None
                                                     else " (within 20 working days)" if clock["within_20"]
                                                     else " (after the 20th working day)")]
    if clock["stopped"]:
        lines.append(f"clock stopped: {clock['stopped']}")
    lines += [f"note: {n}" for n in clock["notes"]]
    left = detail["days_left"]
    if left is not None:
        lines.append(f"{-left} working day(s) overdue" if left < 0 else f"{left} working day(s) left")
    for line in lines:
        out.print(f"  {line}", markup=False)
    for title, key in (("Decisions", "decisions"), ("Replaced by a review (the original decisions)",
                                                    "replaced_decisions")):
        if detail[key]:
            out.print(title, style="bold", markup=False)
        for d in detail[key]:
            override = f"; override: {d['override_reason']}" if d["override_reason"] else ""
            out.print(f"  {d['part']}: {d['outcome']} {', '.join(d['provisions'])} (recommended "
                      f"{d['recommendation']}{override}) by {d['officer'] or '-'} on {d['decided_on']}, "
                      f"record {d['record'][:12]}", markup=False)
    for record in detail["awaiting_sign_off"]:
        out.print(f"  awaiting sign-off: {record[:12]} (ncnd audit sign-off {record[:12]} --by NAME)", markup=False)
    for note in detail["sign_off_notes"]:
        out.print(f"  {note}", markup=False)
    if detail["events"]:
        out.print("Events", style="bold", markup=False)
    for e in detail["events"]:
        extra = "; ".join(x for x in (e["reference"], e["outcome"], e["note"]) if x)
        out.print(f"  {e['date']} {e['event']} ({e['officer']})" + (f": {extra}" if extra else ""), markup=False)
    for r in detail["reviews"]:
        out.print(f"Internal review asked for {r['requested'] or '-'}, reviewer {r['officer'] or 'not assigned'}, "
                  f"target {r['target'] or '-'} (20 working days), limit {r['limit'] or '-'} (40): "
                  + (f"decided {r['decided']}, {r['outcome']}" if r["decided"] else "not decided"), markup=False)


@cases_app.command("event")
@reporting
def event(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    kind: Annotated[str, typer.Argument(metavar="EVENT", help=f"One of: {', '.join(EVENTS)}.", show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When it happened, YYYY-MM-DD (default: today).",
                                            show_default=False)] = None,
    note: Annotated[str, typer.Option("--note", help="Free text kept with the event.")] = "",
    days: Annotated[int, typer.Option("--days", help="holding-notice: extra working days (default 20, the "
                                                     "ICO's normal maximum).")] = 0,
    officer: OfficerOption = None,
    audit_file: AuditOption = None,
) -> None:
    """Record an event of a case: the date received, a holding notice, clarification, a fees notice, sent..."""
    log = _store(audit_file)  # one store for the whole command
    body = event_body(ref, kind, parse_day(day, date.today()), officer_name(officer), note, working_days=days)
    if kind != "received":
        case_named(log, ref)  # the case must exist: `received` opens one
    written = _append(log, [body])[-1]
    stdout().print(f"Recorded {kind} for case {body['case_ref']} on {body['date']} (record {written.id[:12]})",
                   markup=False)


# ---------------------------------------------------------------------------------------------- ncnd roles
roles_app = typer.Typer(help="Officers' roles in the shared log: officer (decides) and signer (signs off "
                             "another officer's decision).", no_args_is_help=True)


@roles_app.command("list")
@reporting
def roles_list(audit_file: AuditOption = None) -> None:
    """Every named officer and their roles."""
    held = roles(_records(audit_file))
    out = stdout()
    if not held:
        out.print("No roles recorded: any officer but the decider may sign off (ncnd roles grant NAME signer).",
                  markup=False)
    for name, current in held.items():
        out.print(f"{name}: {', '.join(r for r in ROLES if r in current) or '(none)'}", markup=False)


def _change(name: str, role: str, granted: bool, by: str | None, audit_file: Path | None) -> None:
    body = role_body(name, role, granted, officer_name(by))
    _append(audit_file, [body])
    stdout().print(f"{body['name']}: {role} {'granted' if granted else 'revoked'} by {body['by']}", markup=False)


@roles_app.command("grant")
@reporting
def grant(name: Annotated[str, typer.Argument(help="The officer.", show_default=False)],
          role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.", show_default=False)],
          by: Annotated[str | None, typer.Option("--by", help="Who grants it (default: your settings' officer).",
                                                 show_default=False)] = None,
          audit_file: AuditOption = None) -> None:
    """Give an officer a role."""
    _change(name, role, True, by, audit_file)


@roles_app.command("revoke")
@reporting
def revoke(name: Annotated[str, typer.Argument(help="The officer.", show_default=False)],
           role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.", show_default=False)],
           by: Annotated[str | None, typer.Option("--by", help="Who revokes it (default: your settings' officer).",
                                                  show_default=False)] = None,
           audit_file: AuditOption = None) -> None:
    """Take a role from an officer."""
    _change(name, role, False, by, audit_file)
