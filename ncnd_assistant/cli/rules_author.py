"""`ncnd rules graph | docs | schema | evaluate`: tools for the authors and reviewers of a rule base.

Each command imports what it needs when it runs, so that `ncnd rules check` loads none of it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ncnd_assistant.cli.common import RulesOption, reporting
from ncnd_assistant.errors import ExitCode
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of printing.",
                                                dir_okay=False)]


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Written to {out}", err=True)


@reporting
def rules_graph(
    rules: RulesOption = None,
    output_format: Annotated[GraphFormat, typer.Option(
        "--format", "-f", help="mermaid (Markdown viewers, mermaid.live) or dot (Graphviz).")] = GraphFormat.mermaid,
    provision: Annotated[str | None, typer.Option(
        "--provision", "-p", help="Draw only what leads to this provision, e.g. s24(2).")] = None,
    out: OutOption = None,
) -> None:
    """Draw questions -> rules -> provisions -> outcomes as a Mermaid or Graphviz graph."""
    from ncnd_assistant.render.graph import build_graph
    from ncnd_assistant.render.graph_draw import to_dot, to_mermaid

    graph = build_graph(load_rulebase(rules), provision)
    _emit(to_mermaid(graph) if output_format is GraphFormat.mermaid else to_dot(graph), out)


@reporting
def rules_docs(rules: RulesOption = None, out: OutOption = None) -> None:
    """Write the rule book: every provision, question, rule and scenario, in Markdown for legal review."""
    from ncnd_assistant.checks.scenarios import load_scenarios, run_scenario
    from ncnd_assistant.decide.assess import Assessor
    from ncnd_assistant.render.rulebook import rule_book

    folder = resolve_rules_dir(rules)
    rb = load_rulebase(folder)
    assessor = Assessor(rb)
    _emit(rule_book(rb, [run_scenario(assessor, s) for s in load_scenarios(folder, rb)]), out)


@reporting
def rules_schema(out: OutOption = None) -> None:
    """Print the JSON Schema of rule and scenario files, for editors (see docs/authoring.md)."""
    from ncnd_assistant.checks.json_schema import rule_file_schema_json

    _emit(rule_file_schema_json(), out)


class EvalFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@reporting
def rules_evaluate(
    rules: RulesOption = None,
    cases: Annotated[Path, typer.Option("--cases", help="Folder of evaluated decisions.", file_okay=False)] = Path(
        "evaluation/cases"),
    output_format: Annotated[EvalFormat, typer.Option("--format", "-f", help="text, json or markdown.")] =
        EvalFormat.text,
) -> None:
    """Run the evaluation set of real decisions and print how far the rule base agrees with them.

    Exit 0 when every file could be read and decided (whatever the agreement), 1 otherwise.
    """
    from ncnd_assistant.checks.evaluation import Totals, evaluate, markdown_table, totals_lines
    from ncnd_assistant.decide.assess import Assessor

    if not cases.is_dir():
        typer.echo(f"Error: no folder {cases} (pass --cases DIR)", err=True)
        raise typer.Exit(int(ExitCode.FAILED))
    assessor = Assessor(load_rulebase(rules))
    results, problems = evaluate(assessor, cases)
    totals = Totals.of(results)
    n_cases = len({r.case.path for r in results})
    if output_format is EvalFormat.json:
        typer.echo(json.dumps({
            "rulebase": {"id": assessor.rulebase.meta.id, "version": assessor.rulebase.meta.version},
            "totals": dataclasses.asdict(totals) | {"decisions": n_cases},
            "parts": [{"case_ref": r.case.request.case_ref, "file": str(r.case.path), "part": r.part,
                       "citation": r.case.citation, "url": r.case.url,
                       "authority": dataclasses.asdict(r.authority), "final": dataclasses.asdict(r.final),
                       "tool": dataclasses.asdict(r.tool) if r.tool else None, "message": r.message,
                       "outcome_agrees": r.outcome_agrees, "limbs_exact": r.limbs_exact,
                       "limbs_covered": r.limbs_covered, "ncnd_wrongly_used": r.ncnd_wrongly_used}
                      for r in results],
            "problems": [str(p) for p in problems]}, indent=2, ensure_ascii=False))
    elif output_format is EvalFormat.markdown:
        rb = assessor.rulebase
        typer.echo(f"Rule base `{rb.meta.id}` {rb.meta.version}.\n\n" + "\n".join(totals_lines(totals, n_cases))
                   + "\n\n" + markdown_table(results), nl=False)
    else:
        for r in results:
            mark = "agrees " if r.outcome_agrees else "DIFFERS"
            tool = f"{r.tool.outcome} {list(r.tool.provisions)}" if r.tool else f"undecided: {r.message}"
            typer.echo(f"{mark} {r.case.request.case_ref} part {r.part}: tool {tool}; final "
                       f"{r.final.outcome} {list(r.final.provisions)} ({r.case.path})")
        for line in totals_lines(totals, n_cases):
            typer.echo(line)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems or totals.decided < totals.parts:
        raise typer.Exit(int(ExitCode.FAILED))


# Registered on `rules_app` by `rules_cmds`, after its own check, test and diff.
AUTHOR_COMMANDS: dict[str, Callable[..., None]] = {
    "graph": rules_graph, "docs": rules_docs, "schema": rules_schema, "evaluate": rules_evaluate}
