"""ncnd_assistant.paths: where the user's data lives and where the shipped rule bases are."""

from __future__ import annotations

from pathlib import Path

import pytest

from ncnd_assistant import paths
from tests.conftest import ROOT


@pytest.fixture
def no_data_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment: neither variable set, and HOME in tmp_path."""
    monkeypatch.delenv("NCND_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def test_ncnd_data_dir_wins_over_xdg_data_home(no_data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(no_data_env / "mine"))
    monkeypatch.setenv("XDG_DATA_HOME", str(no_data_env / "xdg"))
    assert paths.data_dir() == no_data_env / "mine"


def test_xdg_data_home_gets_a_folder_of_its_own(no_data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(no_data_env / "xdg"))
    assert paths.data_dir() == no_data_env / "xdg" / "ncnd-assistant"


def test_without_either_variable_the_data_lives_under_the_home_folder(no_data_env: Path) -> None:
    assert paths.data_dir() == no_data_env / "home" / ".local" / "share" / "ncnd-assistant"


def test_an_empty_variable_counts_as_unset(no_data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(no_data_env / "xdg"))
    assert paths.data_dir() == no_data_env / "xdg" / "ncnd-assistant"
    monkeypatch.setenv("XDG_DATA_HOME", "")
    assert paths.data_dir() == no_data_env / "home" / ".local" / "share" / "ncnd-assistant"


def test_a_checkout_reads_the_rules_folder_beside_the_package() -> None:
    assert paths.packaged_rules_root() == ROOT / "rules"
    assert (paths.packaged_rules_root() / "foia" / "rulebase.yaml").is_file()


def test_an_installed_wheel_reads_the_rules_inside_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "ncnd_assistant"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    assert paths.packaged_rules_root() == tmp_path / "site-packages" / "rules"
    (package / "_rules").mkdir()
    assert paths.packaged_rules_root() == package / "_rules"
