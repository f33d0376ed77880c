"""Reading and writing the settings file: where it is, validation with located problems, and
owner-only writes that keep the file's other keys."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ncnd_assistant.errors import ExitCode, Location, Problem, ProblemsError
from ncnd_assistant.paths import write_private
from ncnd_assistant.rulebase.hints import did_you_mean
from ncnd_assistant.rulebase.schema import INVALID
from ncnd_assistant.rulebase.yamlsource import display_path, parse_file
from ncnd_assistant.settings.model import KEYS, SETTINGS_FILE, Settings

APP_NAME = "ncnd-assistant"


class SettingsError(ProblemsError):
    """The settings file cannot be read, or holds keys or values the tool does not know."""

    exit_code = ExitCode.SETTINGS


def settings_path() -> Path:
    """The settings file: $NCND_SETTINGS, else `settings.yaml` in the platform's per-user config
    folder (on Linux $XDG_CONFIG_HOME/ncnd-assistant, else ~/.config/ncnd-assistant)."""
    named = os.environ.get("NCND_SETTINGS")
    if named:
        return Path(named)
    from platformdirs import user_config_path  # only when a command needs the settings

    return user_config_path(APP_NAME, appauthor=False) / "settings.yaml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings in `path` (default: `settings_path()`); no file there gives empty settings,
    unless the file was named explicitly (argument or $NCND_SETTINGS), which must exist."""
    explicit = path is not None or bool(os.environ.get("NCND_SETTINGS"))
    path = path or settings_path()
    display = display_path(path)
    if not path.exists():
        if explicit:
            raise SettingsError(f"no settings file at {display}", [Problem(
                Location(display, 0, 0), "settings-missing", "the settings file named does not exist",
                "create it with `ncnd settings set authority \"Your Authority\"`, or unset NCND_SETTINGS")])
        return Settings()
    problems: list[Problem] = []
    node = parse_file(path, display, problems)
    if not problems and (node is None or node.value is None):  # empty, or only comments: nothing set
        return Settings(source=path)
    record = SETTINGS_FILE.check(node, problems, "the settings file") if node is not None else INVALID
    if problems or record is INVALID:
        raise SettingsError(f"the settings file {display} has problems", problems)
    return Settings(**{key: record[key].strip() for key in KEYS}, source=path)


def check_key(key: str) -> None:
    """A SettingsError unless `key` is a settings key."""
    if key not in KEYS:
        raise SettingsError(f"'{key}' is not a settings key", [Problem(
            Location("<command line>"), "unknown-key", f"unknown settings key '{key}'",
            did_you_mean(key, list(KEYS)) or f"the keys are: {', '.join(KEYS)}")])


def save_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Set (or, with an empty value, remove) one key, keeping the others; written owner-only."""
    check_key(key)
    path = path or settings_path()
    current = load_settings(path) if path.exists() else Settings()
    values = {k: v for k, v in current.as_dict().items() if v}
    if value.strip():
        values[key] = value.strip()
    else:
        values.pop(key, None)
    header = "# ncnd-assistant settings (`ncnd settings` shows and checks them; docs/settings.md)\n"
    body = yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=100) if values else ""
    write_private(path, header + body)
    return path
