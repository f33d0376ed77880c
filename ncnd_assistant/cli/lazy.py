"""Command groups imported only when used: `ncnd --help` and `ncnd version` load none of them."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_group

from ncnd_assistant.lazy_dataclass import dataclass


@dataclass(frozen=True)
class LazyGroup:
    """A sub-app `attr` of `module`, known by `name` and its one-line `help` until it is run."""

    name: str
    module: str
    attr: str
    help: str

    def load(self) -> typer.Typer:
        """The real sub-app (its module imported now)."""
        found = getattr(importlib.import_module(self.module), self.attr)
        assert isinstance(found, typer.Typer)
        return found


# The command groups, in the order `--help` lists them (after the top-level commands).
LAZY_GROUPS = (
    LazyGroup("rules", "ncnd_assistant.cli.rules_cmds", "rules_app", "Check and test a rule base."),
    LazyGroup("audit", "ncnd_assistant.cli.audit_cmds", "audit_app",
              "Check, search, export and replay the decision log (the audit trail)."),
    LazyGroup("cases", "ncnd_assistant.cli.cases_cmds", "cases_app",
              "The case register: every request, its status, due date and outcomes; record what happens to a case."),
    LazyGroup("review", "ncnd_assistant.cli.review_cmds", "review_app",
              "Internal review: reopen a decided case for a second officer and record the new decision."),
    LazyGroup("ico", "ncnd_assistant.cli.review_cmds", "ico_app",
              "The ICO and the tribunal: a complaint (s50), the decision notice, an appeal (s57)."),
    LazyGroup("stats", "ncnd_assistant.cli.stats_cmds", "stats_app",
              "Monthly figures: requests answered within 20 working days, outcomes, provisions, reviews."),
    LazyGroup("roles", "ncnd_assistant.cli.cases_cmds", "roles_app",
              "Officers' roles: officer (decides) and signer (signs off another officer's decision)."),
    LazyGroup("notice", "ncnd_assistant.cli.notice_cmds", "notice_app",
              "The letter of a decided case: draft or as sent, in any letter format; record what was sent."),
    LazyGroup("sessions", "ncnd_assistant.cli.sessions_cmds", "sessions_app",
              "List and delete unfinished interview sessions."),
    LazyGroup("store", "ncnd_assistant.cli.store_cmds", "store_app",
              "The case store: show where decisions are kept, export to and import from JSON Lines."),
    LazyGroup("settings", "ncnd_assistant.cli.settings_cmds", "settings_app",
              "Show, check and edit your settings: the authority's particulars for letters, your name, the store."),
)


class LazyTyperGroup(TyperGroup):
    """The top-level group: `LAZY_GROUPS` are listed by name and help, and imported only when one is
    run (or its own help is asked for)."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name: the eager ones, then the lazy groups."""
        return [*super().list_commands(ctx), *(g.name for g in LAZY_GROUPS if g.name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; a lazy group is imported here unless only the command list is being written."""
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        for lazy in LAZY_GROUPS:
            if lazy.name == cmd_name:
                if self._listing:
                    return TyperGroup(name=lazy.name, help=lazy.help)
                command = get_group(lazy.load())
                command.name = lazy.name
                _same_help_style(command, self.rich_markup_mode)
                self.commands[lazy.name] = command
                return command
        return None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help, its command list from the lazy groups' names and help (nothing imported)."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _same_help_style(command: Any, mode: Any) -> None:
    """`command` and its subcommands write help as the top-level group does (plain or Rich)."""
    command.rich_markup_mode = mode
    for sub in getattr(command, "commands", {}).values():
        _same_help_style(sub, mode)
