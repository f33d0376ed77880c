"""Typer's help, tidied: a flag (`--prompt/--no-prompt`, `--help`) takes no value, so its help line
shows no `<bool>` type placeholder. Applied once, when the app is imported."""

from __future__ import annotations

from typing import Any

from typer import core


def hide_flag_types() -> None:
    """Make the rich help show no type for flag options (Typer shows `<bool>` for them)."""
    option = getattr(core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None or getattr(shown, "_hides_flags", False):
        return  # another Typer: nothing to tidy, or done already

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    display_type_rich._hides_flags = True  # type: ignore[attr-defined]
    option.display_type_rich = display_type_rich


hide_flag_types()
