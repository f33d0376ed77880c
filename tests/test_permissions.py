"""Owner-only everywhere (issue 13, item 7): every folder the tool creates is 0700 and every file it
writes 0600 (log, sessions, notices, exports), whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.paths import private_dir, write_private
from ncnd_assistant.store import open_store
from tests.conftest import SEED

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home" / "share" / "ncnd"  # none of it exists yet
    monkeypatch.setenv("NCND_DATA_DIR", str(folder))
    monkeypatch.delenv("NCND_AUDIT", raising=False)
    return folder


def interview(*extra: str) -> None:
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", *extra])
    assert result.exit_code == 0, result.output


def test_the_interview_with_default_places_is_owner_only(data: Path, tmp_path: Path) -> None:
    interview()
    folders = [data, data.parent, data.parent.parent, data / "sessions", data / "notices"]
    assert {str(f.relative_to(tmp_path)): oct(mode(f)) for f in folders} == {
        str(f.relative_to(tmp_path)): "0o700" for f in folders}
    store = sorted(data.glob("audit.db*"))  # the default SQLite store (and its WAL files while open)
    files = [*store, *(data / "sessions").iterdir(), *(data / "notices").iterdir()]
    assert store[0].name == "audit.db" and len(files) == 1 + len(store)  # a finished scripted run leaves no session
    assert {f.name: oct(mode(f)) for f in files} == {f.name: "0o600" for f in files}


def test_notice_out_and_audit_in_new_folders_are_owner_only(data: Path, tmp_path: Path) -> None:
    notice, log = tmp_path / "out" / "n.md", tmp_path / "logs" / "a.jsonl"
    interview("--notice-out", str(notice), "--audit", str(log))
    assert (mode(notice.parent), mode(log.parent), mode(notice), mode(log)) == (0o700, 0o700, 0o600, 0o600)


def test_regenerated_notices_and_exports_replace_a_loose_file_with_an_owner_only_one(
        data: Path, tmp_path: Path) -> None:
    interview()
    record = next(open_store().records()).id  # the default store
    for args in (["notice", record], ["audit", "export", record]):
        out = tmp_path / f"{args[0]}-{args[-2]}.md"
        out.write_text("old", encoding="utf-8")
        out.chmod(0o644)
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o600 and out.read_text(encoding="utf-8") != "old"


def test_the_helpers_set_modes_whatever_the_umask(tmp_path: Path) -> None:
    os.umask(0o000)
    folder = private_dir(tmp_path / "a" / "b")
    write_private(folder / "f.txt", "x")
    assert (mode(tmp_path / "a"), mode(folder), mode(folder / "f.txt")) == (0o700, 0o700, 0o600)
    assert [p.name for p in folder.iterdir()] == ["f.txt"]  # no temporary file left behind
