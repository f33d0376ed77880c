"""`ncnd rules graph | docs | schema`: tools for the authors and reviewers of a rule base."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ncnd_assistant.assess import Assessor
from ncnd_assistant.cli.app import RulesOption, reporting, rules_app
from ncnd_assistant.graph import build_graph, to_dot, to_mermaid
from ncnd_assistant.json_schema import rule_file_schema_json
from ncnd_assistant.loader import load_rulebase, resolve_rules_dir
from ncnd_assistant.rulebook import rule_book, run_scenarios
from ncnd_assistant.scenarios import load_scenarios


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


@rules_app.command("graph")
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
    graph = build_graph(load_rulebase(rules), provision)
    _emit(to_mermaid(graph) if output_format is GraphFormat.mermaid else to_dot(graph), out)


@rules_app.command("docs")
@reporting
def rules_docs(rules: RulesOption = None, out: OutOption = None) -> None:
    """Write the rule book: every provision, question, rule and scenario, in Markdown for legal review."""
    folder = resolve_rules_dir(rules)
    rb = load_rulebase(folder)
    runs = run_scenarios(Assessor(rb), load_scenarios(folder, rb))
    _emit(rule_book(rb, runs), out)


@rules_app.command("schema")
@reporting
def rules_schema(out: OutOption = None) -> None:
    """Print the JSON Schema of rule and scenario files, for editors (see docs/authoring.md)."""
    _emit(rule_file_schema_json(), out)
