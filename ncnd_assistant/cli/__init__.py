"""The `ncnd` command line: the only package that prints or exits."""

from ncnd_assistant.cli.app import app, main

__all__ = ["app", "main"]
