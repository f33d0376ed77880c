"""The `ncnd` command: the only module that prints or exits."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ncnd_assistant import __version__, audit
from ncnd_assistant.answers import load_request, read_answers
from ncnd_assistant.assess import Assessor
from ncnd_assistant.check import check_rulebase
from ncnd_assistant.cli.run_interview import interview_command
from ncnd_assistant.coverage import coverage
from ncnd_assistant.errors import ExitCode, NcndError, ProblemsError
from ncnd_assistant.impact import Case, compare, decision_cases, rules_at_revision
from ncnd_assistant.loader import load_rulebase, resolve_rules_dir
from ncnd_assistant.notice import notice_from_records
from ncnd_assistant.precedent import find_precedents
from ncnd_assistant.records import considered_provisions, decision_record
from ncnd_assistant.render.markdown import assessment_markdown
from ncnd_assistant.render.text import render_assessment
from ncnd_assistant.scenarios import load_scenarios, run_scenario, select
from ncnd_assistant.serialize import assessment_record

app = typer.Typer(help="NCND Assistant: decision support for 'neither confirm nor deny' FOI responses. "
                       "It recommends; the officer decides.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
rules_app = typer.Typer(help="Check and test a rule base.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

F = TypeVar("F", bound=Callable[..., Any])

RulesOption = Annotated[Path | None, typer.Option(
    "--rules", envvar="NCND_RULES", help="Rule-base folder (default: the shipped FOIA rule base).",
    show_default=False)]


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def reporting(command: F) -> F:
    """Turn domain errors into `Error: ...`, located problems and a documented exit code."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NcndError as error:
            err = _stderr()
            err.print(f"Error: {error}", markup=False)
            if isinstance(error, ProblemsError):
                for problem in error.problems:
                    err.print(str(problem), markup=False, soft_wrap=True)
            raise typer.Exit(int(error.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # the last line of defence: never a bare traceback
            if os.environ.get("NCND_DEBUG"):
                raise
            _stderr().print(f"Internal error: {type(error).__name__}: {error} "
                            "(set NCND_DEBUG=1 to see the traceback; please report it)", markup=False)
            raise typer.Exit(int(ExitCode.FAILED)) from None
    return wrapper  # type: ignore[return-value]


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
    if record:
        for pa in assessment.parts:
            audit.append(log, decision_record(rb, pa, case_ref=request.case_ref, officer=officer or request.officer,
                                              session="decide", final=pa.outcome, received=request.received,
                                              request=request.request, tags=pa.part.tags, source="decide"))
    if output_format is Format.json:
        data = assessment_record(assessment)
        for part in data["parts"]:
            found = precedents[part["id"]]
            part["precedents"] = [{"record": p.record_id, "case_ref": p.case_ref, "outcome": p.outcome,
                                   "provisions": list(p.provisions), "shared": list(p.shared)} for p in found]
            part["departs_from_precedent"] = any(p.departs_from(part["outcome"]) for p in found)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif output_format is Format.markdown:
        typer.echo(assessment_markdown(assessment))
    else:
        out = _stdout()
        out.print(render_assessment(assessment, explain))
        for pa in assessment.parts:
            departures = [p for p in precedents[pa.part.id] if p.departs_from(pa.outcome.value)]
            if departures:
                out.print(f"Warning: part '{pa.part.id}' ({pa.outcome.value}) departs from earlier decisions: "
                          + "; ".join(f"{p.case_ref} {p.outcome} (shares {', '.join(p.shared)})"
                                      for p in departures), style="bold yellow", markup=False)


@rules_app.command("check")
@reporting
def rules_check(
    rules: RulesOption = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    max_citation_age: Annotated[int, typer.Option(
        "--max-citation-age", help="Warn about citations checked longer ago than this many days.")] = 3 * 365,
) -> None:
    """Load, lint, compile a rule base and its scenarios; list every problem.

    Exit 0 when clean (warnings alone are allowed unless --strict), 3 when there are errors.
    """
    folder = resolve_rules_dir(rules)
    report = check_rulebase(folder, max_citation_age)
    failing = report.errors + (report.warnings if strict else [])
    rb, compiled = report.rulebase, report.compiled
    if output_format is Format.json:
        typer.echo(json.dumps({
            "folder": str(folder),
            "rulebase": {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest} if rb else None,
            "counts": {"questions": len(rb.questions), "facts": len(rb.facts), "provisions": len(rb.provisions),
                       "rules": len(rb.rules), "rulesets": len(compiled.rulesets) if compiled else None,
                       "scenarios": len(report.scenarios)} if rb else None,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "problems": [{"path": p.location.path, "line": p.location.line, "col": p.location.col,
                          "severity": p.severity, "code": p.code, "message": p.message, "hint": p.hint}
                         for p in report.problems]}, indent=2))
    else:
        err = _stderr()
        for problem in report.problems:
            err.print(f"{problem.severity}: {problem}" if problem.severity != "error" else str(problem),
                      markup=False, soft_wrap=True)
        if rb is not None and not failing:
            _stdout().print(
                f"{folder}: rule base {rb.meta.id} {rb.meta.version}: {len(rb.questions)} questions, "
                f"{len(rb.facts)} facts, {len(rb.provisions)} provisions, {len(rb.rules)} rules "
                f"({len(compiled.rulesets) if compiled else 0} durable rulesets), {len(report.scenarios)} scenarios: "
                + (f"{len(report.warnings)} warning(s)." if report.warnings else "no problems."),
                markup=False, soft_wrap=True)
        elif failing:
            err.print(f"Error: {len(report.errors)} error(s), {len(report.warnings)} warning(s) in the rule base "
                      f"at {folder}", markup=False, soft_wrap=True)
    if failing:
        raise typer.Exit(int(ExitCode.RULEBASE))


@rules_app.command("test")
@reporting
def rules_test(
    rules: RulesOption = None,
    pattern: Annotated[str | None, typer.Option("-k", help="Only scenarios whose name contains this.")] = None,
    min_coverage: Annotated[float, typer.Option(
        "--min-coverage", help="Fail when any coverage measure is below this percentage.")] = 0.0,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Run the rule base's scenarios, then report coverage (exit 1 on a failure or low coverage)."""
    folder = resolve_rules_dir(rules)
    rb = load_rulebase(folder)
    scenarios = select(load_scenarios(folder, rb), pattern)
    assessor = Assessor(rb)
    results = [run_scenario(assessor, scenario) for scenario in scenarios]
    failed = [r for r in results if not r.passed]
    cover = coverage(rb, results)
    low = cover.percent < min_coverage
    if output_format is Format.json:
        typer.echo(json.dumps({
            "passed": len(results) - len(failed), "failed": len(failed),
            "failures": [{"scenario": r.scenario.name, "place": str(r.scenario.loc), "message": r.message,
                          "expected": {"outcome": r.scenario.outcome, "provisions": list(r.scenario.provisions)},
                          "actual": {"outcome": r.outcome, "provisions": list(r.provisions)}} for r in failed],
            "coverage": {"percent": round(cover.percent, 1), **{
                m.name: {"reached": len(m.reached), "total": m.total, "percent": round(m.percent, 1),
                         "never": list(m.never)} for m in cover.measures}},
        }, indent=2))
    else:
        out = _stdout()
        for result in results:
            if result.passed:
                out.print(f"[green]PASS[/] {escape(result.scenario.name)}")
            else:
                out.print(f"[bold red]FAIL[/] {escape(result.scenario.name)} ({result.scenario.loc})")
                out.print(f"     {result.message}", markup=False, soft_wrap=True)
        out.print("Coverage:", style="bold")
        for m in cover.measures:
            never = f"; never: {', '.join(m.never)}" if m.never else ""
            out.print(f"  {m.name}: {len(m.reached)}/{m.total} ({m.percent:.0f}%){never}", markup=False,
                      soft_wrap=True)
        out.print(f"Coverage {cover.percent:.0f}% (the lowest measure)"
                  + (f", below --min-coverage {min_coverage:g}" if low else ""), markup=False)
        out.print(f"{len(results) - len(failed)} passed, {len(failed)} failed", markup=False)
    if failed or low:
        raise typer.Exit(int(ExitCode.FAILED))


@rules_app.command("diff")
@reporting
def rules_diff(
    against: Annotated[str, typer.Option("--against", help="Another rule-base folder, or a git revision.")],
    rules: RulesOption = None,
    audit_file: Annotated[Path | None, typer.Option(
        "--audit", help="Also re-assess every decision recorded in this log.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """What a rule change would change: every scenario (and recorded decision) under both rule bases.

    Exit 0 when nothing changes, 1 when some part's outcome, provisions or notice text would change.
    """
    folder = resolve_rules_dir(rules)
    current = load_rulebase(folder)
    other_dir = Path(against) if Path(against).exists() else rules_at_revision(against, folder)
    other_dir = resolve_rules_dir(other_dir)
    other = load_rulebase(other_dir)
    seen: dict[str, Case] = {}
    for source_dir, rb in ((other_dir, other), (folder, current)):
        for scenario in load_scenarios(source_dir, rb):
            seen.setdefault(scenario.name, Case("scenario", scenario.name, scenario.part))
    cases = list(seen.values())
    if audit_file is not None:
        cases += decision_cases(audit.read_records(audit_file, tolerant=True))
    changes, compared = compare(other, current, cases)
    if output_format is Format.json:
        typer.echo(json.dumps({
            "before": {"folder": str(other_dir), "id": other.meta.id, "version": other.meta.version,
                       "digest": other.digest},
            "after": {"folder": str(folder), "id": current.meta.id, "version": current.meta.version,
                      "digest": current.digest},
            "compared": compared,
            "changes": [{"source": c.case.source, "name": c.case.name, "what": c.what,
                         "before": {"outcome": c.before.outcome, "provisions": list(c.before.provisions)},
                         "after": {"outcome": c.after.outcome, "provisions": list(c.after.provisions)}}
                        for c in changes]}, indent=2))
    else:
        out = _stdout()
        out.print(f"Comparing {other.meta.id} {other.meta.version} ({other_dir}) with {current.meta.id} "
                  f"{current.meta.version} ({folder}): {compared} case(s).", markup=False, soft_wrap=True)
        for c in changes:
            out.print(f"  {c.case.source} '{c.case.name}': {'; '.join(c.what)}", markup=False, soft_wrap=True)
        out.print(f"{len(changes)} case(s) would change." if changes else "No part would change.", markup=False)
    if changes:
        raise typer.Exit(int(ExitCode.FAILED))


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
    record = audit.find(log, record_id)
    rb = load_rulebase(rules)
    letter, warnings = notice_from_records(rb, audit.read_records(log, tolerant=True), record,
                                           "text" if output_format is Format.text else "markdown")
    for warning in warnings:
        _stderr().print(f"Warning: {warning}", markup=False, style="yellow")
    if out is None:
        typer.echo(letter, nl=False)
    else:
        out.write_text(letter, encoding="utf-8")
        _stdout().print(f"Notice written to {out}", markup=False)


@app.command()
def version() -> None:
    """Print the tool's version."""
    typer.echo(f"ncnd-assistant {__version__}")


from ncnd_assistant.cli.audit_cmds import audit_app  # noqa: E402  (it imports `reporting` from here)

app.add_typer(audit_app, name="audit")
import ncnd_assistant.cli.rules_author  # noqa: F401,E402  (registers rules graph/docs/schema)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
