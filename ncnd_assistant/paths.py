"""Where the tool's files are: the user's data directory and the shipped rule bases."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Per-user data directory: $NCND_DATA_DIR, else $XDG_DATA_HOME/ncnd-assistant,
    else ~/.local/share/ncnd-assistant."""
    if os.environ.get("NCND_DATA_DIR"):
        return Path(os.environ["NCND_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ncnd-assistant"


def packaged_rules_root() -> Path:
    """Where the shipped rule bases live: inside the installed package, or the checkout."""
    package = Path(__file__).resolve().parent
    inside = package / "_rules"
    if inside.is_dir():
        return inside
    return package.parent / "rules"
