"""`ncnd audit ...`: verify, anchor, list, show, export, replay, sign off the decision log, in whichever
store the options name (docs/audit.md, docs/store.md)."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ncnd_assistant.audit import query
from ncnd_assistant.audit.export import export, render_export
from ncnd_assistant.audit.record import (
    DecisionRecord,
)
from ncnd_assistant.audit.replay import DIFFERS, SAME, replay
from ncnd_assistant.audit.signoff import pending_sign_offs, sign_off
from ncnd_assistant.audit.verify import ChainChecker, VerifyReport, verify
from ncnd_assistant.cli import audit_rows
from ncnd_assistant.cli.cases_cmds import check_signer
from ncnd_assistant.cli.common import AuditOption, RulesOption, StoreOption, reporting
from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.cli.stores import cli_store
from ncnd_assistant.errors import ExitCode
from ncnd_assistant.paths import write_private
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.store import Store
from ncnd_assistant.store.transfer import anchor_of, read_anchor
from ncnd_assistant.text_safety import json_safe

audit_app = typer.Typer(help="Check, search, export and replay the decision log (the audit trail).",
                        no_args_is_help=True)

class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


def _out() -> Console:
    return SafeConsole(highlight=False, soft_wrap=True)


def _err() -> Console:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def _short(value: str) -> str:
    return value[:12]


def _warn_if_broken(log: Store, report: VerifyReport | None = None) -> None:
    """The warning a command that read the log gives when it does not verify (`report`: the check
    already made in the same pass)."""
    report = report if report is not None else verify(log)
    if not report.ok:
        _err().print(f"Warning: the log does not verify ({report.first_bad}); run `ncnd audit verify`.",
                     markup=False, style="yellow")


@audit_app.command("verify")
@reporting
def verify_command(
    anchor_file: Annotated[Path | None, typer.Option(
        "--anchor", exists=True, dir_okay=False, show_default=False,
        help="An anchor written by `ncnd audit anchor`: also prove no record up to it was removed.")] = None,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Check the whole hash chain; name the first bad record and its line (exit 1 if any)."""
    with cli_store(audit_file, store) as log:
        anchor = read_anchor(anchor_file) if anchor_file is not None else None
        report = verify(log, anchor)
    out = _out()
    kinds = ", ".join(f"{kind}: {n}" for kind, n in report.kinds.items()) or "empty"
    where = report.where
    if report.first_bad is None:
        out.print(f"OK: {where}: {report.records} record(s) ({kinds}); the chain is intact; "
                  f"last hash {report.last_hash}.", markup=False)
        for repair in report.repairs:
            out.print(f"Note: record {repair.id} ({repair.time}) repaired a torn tail: "
                      f"{repair.removed_bytes} byte(s) cut off at offset {repair.offset} "
                      f"(sha256 {repair.removed_sha256}); {repair.reason}.", markup=False)
    else:
        bad = report.first_bad
        out.print(f"FAILED: {where}: {bad}", markup=False)
        out.print(f"The {report.records} record(s) before line {bad.line} check out ({kinds}); "
                  f"the log has {report.lines} line(s).", markup=False)
    if anchor is not None and report.anchor_break:
        out.print(f"FAILED: {where}: anchor {anchor_file}: {report.anchor_break}", markup=False)
    elif anchor is not None:
        out.print(f"OK: the anchor {anchor_file} checks out: record {anchor.count} has the anchored hash, so no "
                  "record up to it was removed or changed.", markup=False)
    if not report.ok:
        raise typer.Exit(int(ExitCode.FAILED))


@audit_app.command("anchor")
@reporting
def anchor_command(
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", show_default=False, help="Write the anchor here (mode 0600) instead of printing it.")] = None,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Print (or write) the chain head: keep it outside the store, and `verify --anchor` proves later that
    no record up to it was removed."""
    with cli_store(audit_file, store) as log:
        anchor = anchor_of(log)
    if out_file is None:
        typer.echo(anchor.text(), nl=False)
        return
    write_private(out_file, anchor.text())
    _err().print(f"Anchor written to {out_file}: {anchor.count} record(s), head {anchor.hash}. Keep it "
                 "somewhere the store's users cannot change (another system, a signed e-mail, print).", markup=False)


@audit_app.command("list")
@reporting
def list_command(
    case: Annotated[str | None, typer.Option("--case", help="Only this case reference.")] = None,
    since: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], show_default=False, help="Only records on or after this UTC date (YYYY-MM-DD).")] = None,
    until: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], show_default=False, help="Only records on or before this UTC date (YYYY-MM-DD).")] = None,
    provision: Annotated[str | None, typer.Option(
        "--provision", help="Only decisions citing this provision, e.g. 's24(2)'.")] = None,
    outcome: Annotated[Outcome | None, typer.Option(
        "--outcome", help="Only decisions with this final outcome.")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only records of this kind: decision, sign-off, export, repair.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matching records as JSON lines.")] = False,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """List records, filtered by case, UTC date, provision, outcome or kind (streamed from the store)."""
    with cli_store(audit_file, store) as log:
        filters = (case, since.date() if since else None, until.date() if until else None, provision,
                   outcome.value if outcome else None, kind)
        checker = ChainChecker(log)  # one pass: the listing, the sign-offs and the chain check
        if as_json:  # a record's JSON is its typed view's to_json() (jsonobject), so it is printed as read
            audit_rows.write_json(query.one_pass(log, checker, filters))
        else:
            signed: dict[str, list[str]] = {}
            records = (query.summary(obj) for obj, _ in query.one_pass(log, checker, filters, signed, lines=False))
            audit_rows.print_rows(records, signed, log.describe())
        _warn_if_broken(log, checker.report())


@audit_app.command("show")
@reporting
def show_command(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A record id or a unique prefix of one.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the record exactly as logged (JSON).")] = False,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Show one record in full (nothing masked; use `export` for a copy to send out)."""
    with cli_store(audit_file, store) as log:
        rec = query.find(log, record_id)
        if as_json or not isinstance(rec, DecisionRecord):
            typer.echo(json_safe(json.dumps(rec.to_json(), indent=2, ensure_ascii=False, sort_keys=True)))
        else:
            sign_offs = query.sign_offs_for(log.records(), rec.id)
            typer.echo(render_export(rec, "markdown", mask_sensitive=False, sign_offs=sign_offs).text, nl=False)
        _warn_if_broken(log)


@audit_app.command("export")
@reporting
def export_command(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A decision's record id or a unique prefix.")],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="markdown or json.")] = (
        ExportFormat.markdown),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here (mode 0600) instead of printing.")] = None,
    mask: Annotated[bool, typer.Option("--mask/--no-mask", help="Mask answers to questions marked sensitive.")] = True,
    by: Annotated[str, typer.Option("--by", help="Who is exporting, for the audit trail.")] = "",
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Export one decision for an internal review, the ICO or a tribunal, and log the export."""
    with cli_store(audit_file, store) as log:
        result, logged = export(log, record_id, output_format.value, mask, by)
    err = _err()
    if out is None:
        typer.echo(result.text, nl=False)
    else:
        write_private(out, result.text)
        err.print(f"Export written to {out}", markup=False)
    if not mask:
        err.print("Nothing masked (--no-mask): every answer is shown.", markup=False)
    elif result.masked:
        err.print(f"Masked the answers to the sensitive question(s): {', '.join(result.masked)}.", markup=False)
    else:
        err.print("No question in this decision is marked sensitive: nothing masked.", markup=False)
    if mask and result.unflagged:
        err.print("Warning: this record predates sensitivity flags; not checked for masking: "
                  f"{', '.join(result.unflagged)}.", markup=False, style="yellow")
    err.print(f"Export recorded in {log.describe()} as {logged.id}.", markup=False)


@audit_app.command("replay")
@reporting
def replay_command(
    record_ids: Annotated[list[str] | None, typer.Argument(
        metavar="ID", help="Decision ids (or unique prefixes) to replay.", show_default=False)] = None,
    replay_all: Annotated[bool, typer.Option(
        "--all", help="Replay every decision (the latest for each session and part).")] = False,
    rules: RulesOption = None,
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Re-assess recorded answers under the current rule base; list what would differ (exit 1 if any)."""
    if bool(record_ids) == replay_all:
        _err().print("Error: give decision ids, or --all (not both).", markup=False)
        raise typer.Exit(int(ExitCode.USAGE))
    rb = load_rulebase(rules)
    with cli_store(audit_file, store) as log:
        report = replay(log, rb, None if replay_all else record_ids)
    out = _out()
    out.print(f"Replayed {len(report.results)} decision(s) under rule base {rb.meta.id} {rb.meta.version} "
              f"({rb.digest}). The recorded public interest answers are kept: the balance is struck as at each "
              f"original response ({query.MONTAGUE}), not re-weighed with later events.", markup=False,
              soft_wrap=True)
    counts: dict[str, int] = {}
    for result in report.results:
        counts[result.status] = counts.get(result.status, 0) + 1
        rec = result.record
        where = (f"{rec.id[:12]} case {rec.case_ref or '-'} part {rec.part.id or '-'} "
                 f"(decided {query.decided_on(rec) or '-'})")
        if result.status == SAME and replay_all:
            continue
        if result.status in (SAME, DIFFERS):
            then = f"{result.outcome_then} [{' '.join(result.provisions_then)}]"
            now = f"{result.outcome_now} [{' '.join(result.provisions_now)}]"
            out.print(f"{result.status.upper()} {where}: {then} then, {now} now", markup=False)
        else:
            out.print(f"{result.status.upper()} {where}: recommended {result.outcome_then} then", markup=False)
        for line in result.why():
            out.print(f"    {line}", markup=False)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to replay"
    out.print(f"{len(report.differences)} would differ ({summary}).", markup=False)
    if report.differences:
        raise typer.Exit(int(ExitCode.FAILED))


@audit_app.command("sign-off")
@reporting
def sign_off_command(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The decision's record id or a unique prefix.")],
    by: Annotated[str, typer.Option("--by", help="The signing officer (not the one who decided).")],
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Record a second officer's approval of a decision (four eyes)."""
    with cli_store(audit_file, store) as log:
        check_signer(log, by)  # once roles are recorded, only a signer may sign off (docs/cases.md)
        rec = sign_off(log, record_id, by)
    out = _out()
    out.print(f"Signed off decision {rec.decision_id} (case {rec.case_ref or '-'}) by {rec.by}; "
              f"audit record {rec.id}.", markup=False)
    if not rec.decided_by:
        _err().print("Warning: the decision records no officer, so it could not be checked that a different "
                     "person signed it off.", markup=False, style="yellow")


@audit_app.command("pending")
@reporting
def pending_command(audit_file: AuditOption = None, store: StoreOption = None) -> None:
    """List decisions that need a second officer's sign-off and have none yet."""
    with cli_store(audit_file, store) as log:
        waiting = pending_sign_offs(log)
    if not waiting:
        _out().print("No decisions await sign-off.")
        return
    _out().print(audit_rows.table(waiting, {}, f"{len(waiting)} decision(s) await sign-off "
                                     "(ncnd audit sign-off ID --by NAME)"))
