"""The consoles every command prints with: Rich, with user text stripped of escape sequences.

Kept apart from `common` because importing Rich's console is a tenth of a command's start-up:
`ncnd decide` into a pipe draws its text without it (`render.plain`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from ncnd_assistant.text_safety import for_terminal


class SafeConsole(Console):
    """A console that strips escape and control sequences from the strings it is given to print
    (user text is text); renderables build their own safe `Text`."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(for_terminal(o) if isinstance(o, str) else o for o in objects), **kwargs)


def stdout() -> Console:
    return SafeConsole(highlight=False, soft_wrap=False)


def stderr() -> Console:
    return SafeConsole(stderr=True, highlight=False)
