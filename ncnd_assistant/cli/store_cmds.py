"""`ncnd store ...`: where the store is, and moving a log between backends (JSONL out and in, the
chain checked on the way), so an officer's audit.jsonl becomes the team database (docs/store.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ncnd_assistant.audit.verify import verify
from ncnd_assistant.cli.common import AuditOption, StoreOption, reporting
from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.cli.stores import cli_store
from ncnd_assistant.errors import ExitCode
from ncnd_assistant.store.jsonl import JsonlStore
from ncnd_assistant.store.transfer import export_to_file, jsonl_objects, write_jsonl

store_app = typer.Typer(help="The case store: show it, export it to JSON Lines, import a JSON Lines log.",
                        no_args_is_help=True)


def _err() -> SafeConsole:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)


@store_app.command("show")
@reporting
def show_command(audit_file: AuditOption = None, store: StoreOption = None) -> None:
    """Say which store the options, environment and settings choose, and how many records it holds."""
    with cli_store(audit_file, store) as log:
        count, last = log.head()
        SafeConsole(highlight=False, soft_wrap=True).print(
            f"Store: {log.url}\n{'Records' if log.exists() else 'Not created yet; records'}: {count}; "
            f"last hash {last}", markup=False)


@store_app.command("export")
@reporting
def export_command(
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", show_default=False, help="Write the JSONL here (mode 0600) instead of printing it.")] = None,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Write every record, in chain order, as a JSON Lines log (after checking the chain). Nothing is masked:
    it is a full copy, for a backup or another backend; keep it as safe as the store."""
    with cli_store(audit_file, store) as log:
        report = verify(log)
        if not report.ok:
            _err().print(f"Error: {report.where} does not verify ({report.first_bad}); nothing exported. "
                         "Run `ncnd audit verify`.", markup=False)
            raise typer.Exit(int(ExitCode.FAILED))
        if out is None:
            count = write_jsonl(log, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            count = export_to_file(log, out)
    _err().print(f"Exported {count} record(s) from {log.describe()}" + (f" to {out}" if out else "")
                 + f"; the chain verified, last hash {report.last_hash}.", markup=False)


@store_app.command("import")
@reporting
def import_command(
    source: Annotated[Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False,
                                           help="A JSON Lines log (an audit.jsonl, or `ncnd store export`).")],
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Copy a JSON Lines log into the store, record for record (ids, times and hashes kept): its chain is
    checked first, and the store must be empty or end where the log begins. All records or none."""
    report = verify(JsonlStore(source))
    if not report.ok:
        _err().print(f"Error: {source} does not verify ({report.first_bad}); nothing imported.", markup=False)
        raise typer.Exit(int(ExitCode.FAILED))
    with cli_store(audit_file, store) as log:
        count = log.import_records(jsonl_objects(source))
        after = verify(log)
    _err().print(f"Imported {count} record(s) from {source} into {log.describe()}; the store "
                 + (f"verifies ({after.records} record(s), last hash {after.last_hash})." if after.ok
                    else f"does NOT verify: {after.first_bad}"), markup=False)
    if not after.ok:
        raise typer.Exit(int(ExitCode.FAILED))
