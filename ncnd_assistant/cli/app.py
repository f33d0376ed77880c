"""The `ncnd` command: the Typer app with its groups; top-level `decide`, `interview`, `notice`, `version`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ncnd_assistant import __version__
from ncnd_assistant.cli.common import AuditOption, Format, RulesOption, StoreOption, plain_width, reporting
from ncnd_assistant.cli.help_format import hide_flag_types
from ncnd_assistant.cli.lazy import LazyTyperGroup

# Start-up: `ncnd --help` and `ncnd version` import only this module, `common` and `lazy`; the
# command groups (cli/lazy.py) and each command's own modules are imported when run.
app = typer.Typer(help="NCND Assistant: decision support for 'neither confirm nor deny' FOI responses. "
                       "It recommends; the officer decides.", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=LazyTyperGroup,
                  rich_markup_mode=None)  # plain help: Rich panels cost more than the rest of `--help`
hide_flag_types()  # no `<bool>` after a flag where help is drawn by Rich


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
    audit_file: AuditOption = None,
    store: StoreOption = None,
    eir_rules: Annotated[Path | None, typer.Option(
        "--eir-rules", help="Rule base for the parts with `regime: eir` (default: the shipped rules/eir).",
        exists=True, file_okay=False)] = None,
) -> None:
    """Recommend an outcome for every part of a request from an answers file."""
    from ncnd_assistant.decide.answers import read_answers
    from ncnd_assistant.decide.mixed import decide_file
    from ncnd_assistant.settings.store_url import may_exist, store_url

    source = read_answers(answers)  # read once: the rule base is chosen by its regime
    assessment = decide_file(source, rules, eir_rules)  # each part under its own regime's rule base
    request = assessment.request
    url = store_url(store, audit_file)  # read for precedent (streamed per part), appended to with --record
    # no store yet and no --record: no precedent, and no store or audit code imported (audit.precedent.Precedent)
    precedents: dict[str, list[Any]] = {pa.part.id: [] for pa in assessment.parts}
    if record or may_exist(url):
        from ncnd_assistant.audit.decision_record import considered_provisions, decision_record
        from ncnd_assistant.audit.precedent import find_precedents
        from ncnd_assistant.store.locate import open_url

        log = open_url(url)
        precedents = {pa.part.id: find_precedents(log.records() if log.exists() else [], pa.part.tags,
                                                  considered_provisions(pa)) for pa in assessment.parts}
        if record:  # every part's record in one write: all of them or none
            case_parts = [(p.id, p.summary) for p in request.parts]
            log.append_many([decision_record(assessment.rulebase_of(pa.part), pa, case_ref=request.case_ref,
                                             officer=officer or request.officer, session="decide",
                                             final=pa.outcome, received=request.received,
                                             request=request.request, tags=pa.part.tags, source="decide",
                                             questions=pa.part.questions, case_parts=case_parts,
                                             requester={"name": request.requester_name,
                                                        "address": request.requester_address})
                             for pa in assessment.parts])
    if output_format is Format.json:
        from ncnd_assistant.decide.serialize import assessment_record
        from ncnd_assistant.text_safety import json_safe

        data = assessment_record(assessment)
        for part in data["parts"]:
            found = precedents[part["id"]]
            part["precedents"] = [{"record": p.record_id, "case_ref": p.case_ref, "outcome": p.outcome,
                                   "provisions": list(p.provisions), "shared": list(p.shared)} for p in found]
            part["departs_from_precedent"] = any(p.departs_from(part["outcome"]) for p in found)
        typer.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
    elif output_format is Format.markdown:
        from ncnd_assistant.render.markdown import assessment_markdown

        typer.echo(assessment_markdown(assessment))
    else:
        from ncnd_assistant.render.blocks import assessment_blocks
        from ncnd_assistant.render.plain import draw

        width = plain_width()
        drawn = None if width is None else draw(assessment_blocks(assessment, explain), width)
        if drawn is not None:  # Rich's very characters, without loading Rich's console
            sys.stdout.write(drawn)
            sys.stdout.flush()
        else:
            from ncnd_assistant.cli.consoles import stdout
            from ncnd_assistant.render.text import render_assessment

            stdout().print(render_assessment(assessment, explain))
        warnings = [f"Warning: part '{pa.part.id}' ({pa.outcome.value}) departs from earlier decisions: "
                    + "; ".join(f"{p.case_ref} {p.outcome} (shares {', '.join(p.shared)})" for p in departures)
                    for pa in assessment.parts
                    for departures in [[p for p in precedents[pa.part.id] if p.departs_from(pa.outcome.value)]]
                    if departures]
        if warnings:  # Rich's console only when there is one to print
            from ncnd_assistant.cli.consoles import stdout

            out = stdout()
            for warning in warnings:
                out.print(warning, style="bold yellow", markup=False)


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
    audit_file: AuditOption = None,
    store: StoreOption = None,
    prompt: Annotated[bool | None, typer.Option(
        "--prompt/--no-prompt", help="Ask questions even without a terminal (--prompt), or never (--no-prompt). "
                                     "Default: ask only when standard input is a terminal.")] = None,
) -> None:
    """Walk through a request part by part and record a decision: the main job."""
    from ncnd_assistant.cli.run_interview import interview_command

    interview_command(rules=rules, case_ref=case_ref, answers=answers, resume=resume, officer=officer,
                      received=received, request_file=request_file, notice_out=notice_out,
                      audit_file=audit_file, prompt=prompt, store=store)


@app.command()
def version() -> None:
    """Print the tool's version."""
    typer.echo(f"ncnd-assistant {__version__}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
