"""The `ncnd` command line, the only package that prints or exits: the Typer app and shared
reporting (`app`, `common`), `rules` commands (`rules_cmds`, `rules_author`), `audit` commands
(`audit_cmds`) and the terminal interview (`run_interview`, `interview`, with its stages `prompts`,
`case_details`, `question_loop`, `decision_screen`). It may import every other layer; nothing
imports it but `__main__`.
"""

from ncnd_assistant.cli.app import app, main

__all__ = ["app", "main"]
