"""`ncnd rules check | test | diff`, and the authoring commands of `rules_author`.

Each command imports the modules only it needs when it runs (`rules check` needs no engine run,
audit log or coverage)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ncnd_assistant.checks.report import check_rulebase
from ncnd_assistant.cli.common import Format, RulesOption, print_problems, reporting
from ncnd_assistant.cli.consoles import stderr, stdout
from ncnd_assistant.cli.rules_author import AUTHOR_COMMANDS
from ncnd_assistant.errors import ExitCode
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir

rules_app = typer.Typer(help="Check and test a rule base.", no_args_is_help=True)


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
                       "scenarios": report.scenario_count} if rb else None,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "problems": [{"path": p.location.path, "line": p.location.line, "col": p.location.col,
                          "severity": p.severity, "code": p.code, "message": p.message, "hint": p.hint}
                         for p in report.problems]}, indent=2))
    else:
        err = stderr()
        print_problems([f"{problem.severity}: {problem}" if problem.severity != "error" else str(problem)
                        for problem in report.problems])
        if rb is not None and not failing:
            stdout().print(
                f"{folder}: rule base {rb.meta.id} {rb.meta.version}: {len(rb.questions)} questions, "
                f"{len(rb.facts)} facts, {len(rb.provisions)} provisions, {len(rb.rules)} rules "
                f"({len(compiled.rulesets) if compiled else 0} durable rulesets), {report.scenario_count} scenarios: "
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
    from ncnd_assistant.checks.coverage import coverage
    from ncnd_assistant.checks.scenarios import load_scenarios, run_scenario, select
    from ncnd_assistant.decide.assess import Assessor

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
        out = stdout()
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
    from ncnd_assistant.audit import log as audit
    from ncnd_assistant.checks.impact import Case, compare, decision_cases, rules_at_revision
    from ncnd_assistant.checks.scenarios import load_scenarios

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
        out = stdout()
        out.print(f"Comparing {other.meta.id} {other.meta.version} ({other_dir}) with {current.meta.id} "
                  f"{current.meta.version} ({folder}): {compared} case(s).", markup=False, soft_wrap=True)
        for c in changes:
            out.print(f"  {c.case.source} '{c.case.name}': {'; '.join(c.what)}", markup=False, soft_wrap=True)
        out.print(f"{len(changes)} case(s) would change." if changes else "No part would change.", markup=False)
    if changes:
        raise typer.Exit(int(ExitCode.FAILED))


for _name, _command in AUTHOR_COMMANDS.items():
    rules_app.command(_name)(_command)
