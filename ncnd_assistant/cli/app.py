"""The `ncnd` command: the Typer app with its groups; top-level `decide`, `interview`, `notice`, `version`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ncnd_assistant import __version__
from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.decision_record import considered_provisions, decision_record
from ncnd_assistant.audit.precedent import find_precedents
from ncnd_assistant.audit.query import find
from ncnd_assistant.cli.audit_cmds import audit_app
from ncnd_assistant.cli.cases_cmds import cases_app, roles_app
from ncnd_assistant.cli.common import Format, RulesOption, reporting, stderr, stdout
from ncnd_assistant.cli.review_cmds import ico_app, review_app
from ncnd_assistant.cli.rules_cmds import rules_app
from ncnd_assistant.cli.run_interview import interview_command
from ncnd_assistant.cli.settings_cmds import settings_app
from ncnd_assistant.cli.stats_cmds import stats_command
from ncnd_assistant.decide.answers import load_request, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.serialize import assessment_record
from ncnd_assistant.letter.from_records import notice_from_records
from ncnd_assistant.paths import write_private
from ncnd_assistant.render.markdown import assessment_markdown
from ncnd_assistant.render.text import render_assessment
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.text_safety import json_safe

app = typer.Typer(help="NCND Assistant: decision support for 'neither confirm nor deny' FOI responses. "
                       "It recommends; the officer decides.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
app.add_typer(rules_app, name="rules")
app.add_typer(audit_app, name="audit")
app.add_typer(settings_app, name="settings")
app.add_typer(cases_app, name="cases")
app.add_typer(review_app, name="review")
app.add_typer(ico_app, name="ico")
app.add_typer(roles_app, name="roles")


@app.command()
@reporting
def decide(
    answers: Annotated[Path, typer.Option("--answers", "-a", help="Answers file (see examples/).",
                                          exists=True, dir_okay=False)],
    rules: RulesOption = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    explain: Annotated[bool, typer.Option(help="Include the explanation in text output.")] = True,
    record: Annotated[bool, typer.Option(
        "--record", help="Append each part's decision (the recommendation, accepted) to the audit log.")] = False,
    officer: Annotated[str, typer.Option("--officer", help="Who decided, for --record.")] = "",
    audit_file: Annotated[Path | None, typer.Option(
        "--audit", envvar="NCND_AUDIT", help="Decision log: read for precedent, appended to with --record.")] = None,
) -> None:
    """Recommend an outcome for every part of a request from an answers file."""
    source = read_answers(answers)  # read once: the rule base is chosen by its regime
    rb = load_rulebase(rules, regime=source.regime)
    request = load_request(source, rb)
    assessment = Assessor(rb).assess(request)
    log = audit_file or audit.default_audit_path()
    earlier = audit.read_records(log, tolerant=True) if log.exists() else []
    precedents = {pa.part.id: find_precedents(earlier, pa.part.tags, considered_provisions(pa))
                  for pa in assessment.parts}
    if record:  # every part's record in one write: all of them or none
        audit.append_many(log, [decision_record(rb, pa, case_ref=request.case_ref, officer=officer or request.officer,
                                                session="decide", final=pa.outcome, received=request.received,
                                                request=request.request, tags=pa.part.tags, source="decide")
                                for pa in assessment.parts])
    if output_format is Format.json:
        data = assessment_record(assessment)
        for part in data["parts"]:
            found = precedents[part["id"]]
            part["precedents"] = [{"record": p.record_id, "case_ref": p.case_ref, "outcome": p.outcome,
                                   "provisions": list(p.provisions), "shared": list(p.shared)} for p in found]
            part["departs_from_precedent"] = any(p.departs_from(part["outcome"]) for p in found)
        typer.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
    elif output_format is Format.markdown:
        typer.echo(assessment_markdown(assessment))
    else:
        out = stdout()
        out.print(render_assessment(assessment, explain))
        for pa in assessment.parts:
            departures = [p for p in precedents[pa.part.id] if p.departs_from(pa.outcome.value)]
            if departures:
                out.print(f"Warning: part '{pa.part.id}' ({pa.outcome.value}) departs from earlier decisions: "
                          + "; ".join(f"{p.case_ref} {p.outcome} (shares {', '.join(p.shared)})"
                                      for p in departures), style="bold yellow", markup=False)


@app.command()
def interview(
    rules: RulesOption = None,
    case_ref: Annotated[str | None, typer.Option("--case-ref", help="The request's reference.")] = None,
    answers: Annotated[Path | None, typer.Option(
        "--answers", "-a", help="Prefill case details and answers from an answers file.", exists=True,
        dir_okay=False)] = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", help="Continue a saved session where it stopped.", exists=True, dir_okay=False)] = None,
    officer: Annotated[str | None, typer.Option("--officer", help="Your name, for the audit trail.")] = None,
    received: Annotated[str | None, typer.Option("--received", help="Date received, YYYY-MM-DD.")] = None,
    request_file: Annotated[Path | None, typer.Option(
        "--request-file", help="Read the request text from this file.", exists=True, dir_okay=False)] = None,
    notice_out: Annotated[Path | None, typer.Option("--notice-out", help="Write the draft notice here.")] = None,
    audit_file: Annotated[Path | None, typer.Option(
        "--audit", envvar="NCND_AUDIT", help="Decision log (JSON Lines) to append to.")] = None,
    prompt: Annotated[bool | None, typer.Option(
        "--prompt/--no-prompt", help="Ask questions even without a terminal (--prompt), or never (--no-prompt). "
                                     "Default: ask only when standard input is a terminal.")] = None,
) -> None:
    """Walk through a request part by part and record a decision: the main job."""
    interview_command(rules=rules, case_ref=case_ref, answers=answers, resume=resume, officer=officer,
                      received=received, request_file=request_file, notice_out=notice_out,
                      audit_file=audit_file, prompt=prompt)


@app.command("notice")
@reporting
def notice_command(
    record_id: Annotated[str, typer.Argument(help="An audit record id (or a unique prefix) of one decision.")],
    rules: RulesOption = None,
    audit_file: Annotated[Path | None, typer.Option(
        "--audit", envvar="NCND_AUDIT", help="Decision log to read.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="markdown or text.")] = Format.markdown,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of printing.")] = None,
) -> None:
    """Regenerate the draft notice for the case of an audit record (every part decided with it)."""
    log = audit_file or audit.default_audit_path()
    record = find(log, record_id)
    rb = load_rulebase(rules)
    letter, warnings = notice_from_records(rb, audit.read_records(log, tolerant=True), record,
                                           "text" if output_format is Format.text else "markdown")
    for warning in warnings:
        stderr().print(f"Warning: {warning}", markup=False, style="yellow")
    if out is None:
        typer.echo(letter, nl=False)
    else:
        write_private(out, letter)
        stdout().print(f"Notice written to {out}", markup=False)


@app.command()
def version() -> None:
    """Print the tool's version."""
    typer.echo(f"ncnd-assistant {__version__}")


app.command("stats")(stats_command)




def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
