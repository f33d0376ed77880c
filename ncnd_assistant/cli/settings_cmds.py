"""`ncnd settings`: show, check and edit the authority's and the officer's settings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ncnd_assistant.cli.common import reporting
from ncnd_assistant.cli.consoles import stdout
from ncnd_assistant.settings.model import KEYS
from ncnd_assistant.settings.store import check_key, load_settings, save_setting, settings_path

settings_app = typer.Typer(help="Show, check and edit your settings: the authority's name, address, contact, "
                                "signature and review procedure for letters, your name, the case store.",
                           invoke_without_command=True, no_args_is_help=False)


@settings_app.callback()
@reporting
def settings_main(ctx: typer.Context) -> None:
    """With no command: show the settings and where they come from (as `ncnd settings show`)."""
    if ctx.invoked_subcommand is None:
        _show()


def _show() -> None:
    settings = load_settings()
    out = stdout()
    where = settings.source or settings_path()
    out.print(f"Settings file: {where}" + ("" if settings.source else " (not created yet: nothing is set)"),
              markup=False, soft_wrap=True)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("key")
    table.add_column("value", overflow="fold")
    table.add_column("what it is for", style="dim", overflow="fold")
    for key, doc in KEYS.items():
        value = settings.value(key)
        table.add_row(key, value if value else "[not set]", doc)
    out.print(table)
    if not settings.authority:
        out.print(f"Letters say \"{settings.authority_name}\" until you set the authority: "
                  "ncnd settings set authority \"Your Authority\"", markup=False, soft_wrap=True)
    if not settings.review:
        out.print("Letters need the internal review procedure (s17(7)(a)): "
                  "ncnd settings set review \"How and where to ask, and the time limit\"", markup=False, soft_wrap=True)


@settings_app.command("show")
@reporting
def show() -> None:
    """Show every setting, its value and where the file is."""
    _show()


@settings_app.command("check")
@reporting
def check() -> None:
    """Validate the settings file: every problem as file:line:col: code: message."""
    settings = load_settings()
    stdout().print(f"{settings.source or settings_path()}: ok", markup=False)


@settings_app.command("path")
@reporting
def path() -> None:
    """Print the path of the settings file (NCND_SETTINGS, or the per-user config folder)."""
    typer.echo(str(settings_path()))


@settings_app.command("set")
@reporting
def set_key(
    key: Annotated[str, typer.Argument(help=f"One of: {', '.join(KEYS)}.", show_default=False)],
    value: Annotated[str, typer.Argument(help="The new value (quote it); empty removes the key.",
                                         show_default=False)],
) -> None:
    """Set one key (the other keys are kept); the file is written owner-only (0600)."""
    check_key(key)
    written = save_setting(key, value)
    stdout().print(f"{key} {'set' if value.strip() else 'removed'} in {written}", markup=False)


@settings_app.command("unset")
@reporting
def unset(key: Annotated[str, typer.Argument(help="The key to remove.", show_default=False)]) -> None:
    """Remove one key."""
    written = save_setting(key, "")
    stdout().print(f"{key} removed from {written}", markup=False)
