"""`ncnd notice RECORD_ID` (the letter of a case, as drafted or as sent, in any letter format) and
`ncnd notice finalise RECORD_ID --file LETTER` (record the letter actually sent) and `ncnd notice
template --out FILE` (a copy of the default Word template to restyle) (docs/letters.md)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ncnd_assistant.audit.query import find_decision_in
from ncnd_assistant.audit.record import DecisionRecord, NoticeSentRecord
from ncnd_assistant.cli.common import AuditOption, RulesOption, StoreOption, reporting
from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.cli.stores import cli_store
from ncnd_assistant.errors import NcndError
from ncnd_assistant.letter.docx import DEFAULT_TEMPLATE
from ncnd_assistant.letter.draft import draft_from_records
from ncnd_assistant.letter.formats import (
    BINARY,
    NAMES,
    LetterFormat,
    LetterFormatError,
    check_available,
    format_for,
    plain_text,
    render,
    to_json_text,
)
from ncnd_assistant.letter.sent import awaiting_sign_off, latest_sent, letter_diff, read_sent, sent_body
from ncnd_assistant.paths import write_private
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.settings.store import load_settings

SHOW = "show"


class NoticeGroup(TyperGroup):
    """`ncnd notice RECORD_ID ...` runs the (hidden) `show` command; `ncnd notice finalise ...` its own."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: typer's click.Context
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [SHOW, *args]
        return super().parse_args(ctx, args)


notice_app = typer.Typer(
    cls=NoticeGroup, no_args_is_help=True,
    subcommand_metavar="RECORD_ID | finalise RECORD_ID --file LETTER | template --out FILE",
    help=f"The letter of a case. `ncnd notice RECORD_ID [--format {'|'.join(f.value for f in LetterFormat)}] "
         "[--out FILE] [--allow-incomplete] [--diff] [--draft]` gives the draft rebuilt from the decision log "
         "(or, once recorded, the letter as sent); the format comes from --format or the --out file's "
         "extension (.md .txt .docx .html .pdf .json); html is the disclosure-log fragment without the "
         "requester; pdf needs LibreOffice. `ncnd notice finalise RECORD_ID --file LETTER` records the "
         "letter actually sent; `ncnd notice template --out FILE` copies the default Word template to restyle. "
         "See docs/letters.md.")


def _err() -> SafeConsole:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def _emit(data: bytes, out: Path | None, what: str) -> None:
    if out is None:
        typer.echo(data, nl=False)
    else:
        write_private(out, data)
        SafeConsole(highlight=False, soft_wrap=True).print(f"{what} written to {out}", markup=False)


def _sent_json(sent: NoticeSentRecord) -> dict[str, Any]:
    return {"letter": 1, "status": "sent", "record": sent.decision_id, "case_ref": sent.case_ref,
            "sent": {"record": sent.id, "sent_on": sent.sent_on, "by": sent.by, "file_name": sent.file_name,
                     "format": sent.format, "sha256": sent.sha256,
                     "awaiting_sign_off": list(sent.awaiting_sign_off)},
            "text": sent.text}


def _as_sent(sent: NoticeSentRecord, fmt: LetterFormat) -> bytes:
    """The letter as sent, in a format it can be given in: its text, or the JSON form."""
    if fmt is LetterFormat.json:
        return to_json_text(_sent_json(sent)).encode("utf-8")
    if fmt in (LetterFormat.markdown, LetterFormat.text):
        return sent.text.encode("utf-8")
    raise LetterFormatError(f"the letter as sent is kept as its text (and the SHA-256 of {sent.file_name}), so it "
                            f"cannot be given as {fmt.value}: use the file you sent, or --draft for the draft "
                            f"as {fmt.value}")


@notice_app.command(SHOW, hidden=True)
@reporting
def show_command(
    record_id: Annotated[str, typer.Argument(help="An audit record id (or a unique prefix) of one decision.")],
    rules: RulesOption = None,
    audit_file: AuditOption = None,
    store: StoreOption = None,
    output_format: Annotated[LetterFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help=f"{NAMES}. Default: from the --out file's extension, else markdown.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", dir_okay=False,
                                             help="Write here (mode 0600) instead of printing.")] = None,
    allow_incomplete: Annotated[bool, typer.Option(
        "--allow-incomplete", help="Mark each undecided part in the letter instead of refusing.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="A unified diff of the draft against the letter sent.")] = False,
    draft: Annotated[bool, typer.Option("--draft", help="The draft, even once a letter has been sent.")] = False,
) -> None:
    """The letter of the case of a decision: the draft, or once recorded, the letter as sent."""
    if diff:  # a diff is text, whatever the name of the file it goes to
        if output_format not in (None, LetterFormat.text, LetterFormat.markdown):
            raise LetterFormatError("--diff prints a unified diff of the letter's text: leave out --format")
        fmt = LetterFormat.text
    else:
        fmt = check_available(format_for(output_format.value if output_format else None, out))
    if fmt in BINARY and out is None and sys.stdout.isatty():
        raise LetterFormatError(f"a {fmt.value} file is not for the terminal: give --out FILE (or redirect the output)")
    log = cli_store(audit_file, store)
    records = list(log.records())
    decision = find_decision_in(records, record_id, log.describe())
    sent = latest_sent(records, decision)
    err = _err()
    if sent is not None and not draft and not diff:
        err.print(f"This is the letter as sent on {sent.sent_on} by {sent.by} ({sent.file_name}, recorded in "
                  f"{sent.id[:12]}); --draft gives the draft, --diff how the two differ.", markup=False)
        _emit(_as_sent(sent, fmt), out, "Letter as sent")
        return
    if diff and sent is None:
        raise NcndError(f"no letter has been recorded as sent for the case of {decision.id[:12]}: record it with "
                        f"`ncnd notice finalise {decision.id[:12]} --file LETTER`")
    settings = load_settings()
    letter, warnings = draft_from_records(load_rulebase(rules), records, decision, settings, allow_incomplete)
    for warning in warnings:
        err.print(f"Warning: {warning}", markup=False, style="yellow")
    for line in letter.officer_notes:
        err.print(f"For you, not the requester: {line}", markup=False)
    if diff:
        assert sent is not None
        sent_as = LetterFormat(sent.format) if sent.format in LetterFormat.__members__ else LetterFormat.markdown
        changes = letter_diff(plain_text(letter, sent_as, settings), sent.text, sent.file_name)
        if not changes:
            err.print(f"The letter sent ({sent.file_name}) is the draft, unchanged.", markup=False)
        _emit(changes.encode("utf-8"), out, "Diff")
        return
    _emit(render(letter, fmt, settings), out, "Notice")


@notice_app.command("finalise")
@reporting
def finalise_command(
    record_id: Annotated[str, typer.Argument(
        help="An audit record id (or a unique prefix) of a decision in the case.")],
    file: Annotated[Path, typer.Option("--file", exists=True, dir_okay=False,
                                       help="The letter as sent: .docx, .md or .txt.")],
    sent_date: Annotated[str | None, typer.Option("--sent-date", help="When it was sent, YYYY-MM-DD (default: today).",
                                                  show_default=False)] = None,
    by: Annotated[str, typer.Option("--by", help="Who sent it (default: the officer in your settings).")] = "",
    audit_file: AuditOption = None,
    store: StoreOption = None,
) -> None:
    """Record in the audit log the letter actually sent for a case: its text, its file's SHA-256, when and by whom."""
    try:
        sent_on = date.fromisoformat(sent_date) if sent_date else date.today()
    except ValueError:
        raise LetterFormatError(f"--sent-date must be a date YYYY-MM-DD, got {sent_date!r}") from None
    if sent_on > date.today():
        raise LetterFormatError(f"--sent-date {sent_on.isoformat()} is in the future: record a letter once it is sent")
    who = " ".join((by or load_settings().officer).split())
    if not who:
        raise LetterFormatError("say who sent the letter: --by NAME (or set your name: "
                                "`ncnd settings set officer NAME`)")
    log = cli_store(audit_file, store)
    records = list(log.records())
    decision: DecisionRecord = find_decision_in(records, record_id, log.describe())
    letter = read_sent(file)
    err = _err()
    for marker in letter.left_in():
        err.print(f"Warning: {file} still contains {marker!r}, a line of the draft: is this the letter sent?",
                  markup=False, style="yellow")
    unsigned = awaiting_sign_off(records, decision)
    for rec in unsigned:
        err.print(f"Warning: decision {rec.id[:12]} (part '{rec.part.id}') had not been signed off by a second "
                  "officer when this letter was sent; the record says so.", markup=False, style="bold yellow")
    written = log.append_many([sent_body(decision, letter, sent_on, who, unsigned)])[-1]
    SafeConsole(highlight=False, soft_wrap=True).print(
        f"Recorded the letter sent for case {decision.case_ref} ({letter.file_name}, sha256 {letter.sha256[:16]}…, "
        f"sent {sent_on.isoformat()} by {who}) as record {written.id}. `ncnd notice {decision.id[:12]}` now gives "
        "this letter; --diff shows how it differs from the draft.", markup=False)


@notice_app.command("template")
@reporting
def template_command(
    out: Annotated[Path, typer.Option("--out", "-o", dir_okay=False, help="Where to write the copy (.docx).")],
) -> None:
    """Copy the default Word template, to restyle in Word and name in `ncnd settings set word_template FILE`."""
    if out.suffix.lower() != ".docx":
        raise LetterFormatError(f"a Word template is a .docx file: end its name with .docx, not {out.name}")
    if out.exists():
        raise LetterFormatError(f"{out} exists: the template is not copied over a file (remove it, or give "
                                "another name)")
    write_private(out, DEFAULT_TEMPLATE.read_bytes())
    SafeConsole(highlight=False, soft_wrap=True).print(
        f"Default Word template copied to {out}. Restyle it in Word (the styles Normal, Heading 1-4, List Bullet, "
        f"Quote, Letter Mark and Letter Lines; the header and footer), then: ncnd settings set word_template {out}",
        markup=False)
