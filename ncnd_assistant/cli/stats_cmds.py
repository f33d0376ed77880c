"""`ncnd stats`: the figures for the monthly report and the ICO, with a bar chart of the on-time
rate by month (docs/cases.md). Requesters never appear."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ncnd_assistant.cases.events import CaseError, parse_day
from ncnd_assistant.cases.stats import ICO_TARGET, Stats, compute_stats
from ncnd_assistant.cli.cases_cmds import AuditOption, _register
from ncnd_assistant.cli.common import RulesOption, reporting
from ncnd_assistant.cli.consoles import stdout
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.text_safety import json_safe

BAR_WIDTH = 40


class StatsFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


def on_time_chart(stats: Stats) -> Table:
    """One bar per month: the share answered within 20 working days, against the ICO's 90%."""
    table = Table(title=f"Answered within 20 working days, by month (ICO expects {ICO_TARGET:.0f}%)",
                  box=box.SIMPLE, header_style="bold", pad_edge=False)
    for column in ("month", "answered", "in time", "%", ""):
        table.add_column(column, justify="right" if column in ("answered", "in time", "%") else "left")
    for month in stats.months:
        rate = month.rate or 0.0
        bar = Text("█" * round(rate / 100 * BAR_WIDTH), style="green" if rate >= ICO_TARGET else "red")
        table.add_row(month.month, str(month.answered), str(month.on_time), f"{rate:.0f}", bar)
    return table


def _figures(stats: Stats) -> Table:
    table = Table(box=box.SIMPLE, header_style="bold", pad_edge=False)
    for column in ("section", "item", "value"):
        table.add_column(column, overflow="fold")
    previous = ""
    for section, item, value in stats.rows():
        table.add_row(section if section != previous else "", item, value)
        previous = section
    return table


stats_app = typer.Typer(help="Monthly figures: requests answered within 20 working days, outcomes, provisions, "
                                 "reviews.", invoke_without_command=True, no_args_is_help=False)


@stats_app.callback()
@reporting
def stats_command(
    since: Annotated[str | None, typer.Option("--from", help="First day of the period, YYYY-MM-DD.",
                                              show_default=False)] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.",
                                              show_default=False)] = None,
    output_format: Annotated[StatsFormat, typer.Option("--format", "-f", help="text, csv or json.")] = StatsFormat.text,
    rules: RulesOption = None,
    audit_file: AuditOption = None,
) -> None:
    """Monthly figures: requests answered within 20 working days, outcomes, provisions, reviews.

    Requests received and answered, % answered within 20 working days, extensions used, outcomes
    per part, provisions cited (NCND limbs apart), overrides and their reasons, internal reviews and
    their results; a bar chart of the on-time rate by month."""
    start = parse_day(since, date.min, "--from") if since else None
    end = parse_day(until, date.max, "--to") if until else None
    if start and end and end < start:
        raise CaseError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    limbs = {p.id: p.limb.value for p in load_rulebase(rules).provisions}
    stats = compute_stats(_register(audit_file), limbs, start, end)
    if output_format is StatsFormat.json:
        typer.echo(json_safe(json.dumps(stats.to_json(), indent=2, ensure_ascii=False)))
    elif output_format is StatsFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("section", "item", "value"))
        writer.writerows(stats.rows())
        typer.echo(buffer.getvalue(), nl=False)
    else:
        out = stdout()
        out.print(_figures(stats))
        if stats.months:
            out.print(on_time_chart(stats))
        else:
            out.print("No request answered in the period yet: no chart.", markup=False)

