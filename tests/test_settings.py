"""Settings: where the file is, validation with located problems, owner-only edits, `ncnd settings`."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.errors import ExitCode
from ncnd_assistant.settings.model import DEFAULT_AUTHORITY, KEYS, Settings
from ncnd_assistant.settings.store import SettingsError, load_settings, save_setting, settings_path

runner = CliRunner()


def test_no_file_means_nothing_set_and_the_neutral_authority(own_settings: Path) -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.authority_name == DEFAULT_AUTHORITY
    assert settings_path() == own_settings / "ncnd-assistant" / "settings.yaml"


def test_ncnd_settings_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text("authority: West Midlands Police\nreview: Write within 40 working days.\n", encoding="utf-8")
    monkeypatch.setenv("NCND_SETTINGS", str(path))
    settings = load_settings()
    assert settings.authority_name == "West Midlands Police"
    assert settings.review == "Write within 40 working days."
    assert settings.source == path


def test_a_named_file_that_does_not_exist_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_SETTINGS", str(tmp_path / "missing.yaml"))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert [p.code for p in caught.value.problems] == ["settings-missing"]


def test_every_problem_is_located(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("authority: [a, b]\nsignatur: me\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    shown = [str(p) for p in caught.value.problems]
    assert any(line.startswith(f"{path}:1:12: wrong-type:") or ":1:12: wrong-type:" in line for line in shown)
    assert any(":2:1: unknown-key:" in line and "did you mean 'signature'" in line for line in shown)


def test_set_keeps_the_other_keys_and_writes_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.yaml"
    save_setting("authority", "West Midlands Police", path)
    save_setting("contact", "FOI Unit, foi@example.police.uk", path)
    save_setting("authority", "  ", path)  # empty removes
    settings = load_settings(path)
    assert settings.authority == "" and settings.contact == "FOI Unit, foi@example.police.uk"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_unknown_key_cannot_be_set(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'athority' is not a settings key"):
        save_setting("athority", "x", tmp_path / "s.yaml")
    assert not (tmp_path / "s.yaml").exists()


def test_the_command_shows_validates_and_edits(own_settings: Path) -> None:
    shown = runner.invoke(app, ["settings"])
    assert shown.exit_code == 0, shown.output
    assert "not created yet" in shown.output and all(key in shown.output for key in KEYS)
    assert runner.invoke(app, ["settings", "set", "authority", "Test Constabulary"]).exit_code == 0
    shown = runner.invoke(app, ["settings", "show"])
    assert "Test Constabulary" in shown.output
    assert runner.invoke(app, ["settings", "check"]).exit_code == 0
    bad = runner.invoke(app, ["settings", "set", "athority", "x"])
    assert bad.exit_code == ExitCode.SETTINGS and "did you mean 'authority'" in bad.output
    assert runner.invoke(app, ["settings", "unset", "authority"]).exit_code == 0
    assert load_settings().authority == ""


def test_a_broken_file_is_exit_7_with_located_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("authority: x\n  bad: [\n", encoding="utf-8")
    monkeypatch.setenv("NCND_SETTINGS", str(path))
    result = runner.invoke(app, ["settings", "check"])
    assert result.exit_code == ExitCode.SETTINGS
    assert "Traceback" not in result.output
    assert re.search(r"s\.yaml:2:\d+: yaml-syntax: ", result.output), result.output  # file:line:col: code
