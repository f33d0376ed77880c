"""`ncnd audit list` reads the store once (issue 16): the listing, the sign-offs it notes and the chain
check behind its warning come from one pass, counted here through a store that counts its passes; the
output stays what three passes gave (JSON byte for byte, the table, the warning)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ncnd_assistant.audit import query
from ncnd_assistant.audit.log import GENESIS, chain
from ncnd_assistant.audit.record import record_line
from ncnd_assistant.audit.verify import ChainChecker, verify
from ncnd_assistant.cli import app, audit_cmds, audit_rows
from ncnd_assistant.store import Store, StoredLine, open_store
from ncnd_assistant.text_safety import json_safe
from tests.test_log_scale import store_with


def _records(count: int) -> list[dict[str, Any]]:
    """Decisions (every third needing a sign-off) and, at the end, sign-offs of the first two."""
    bodies: list[dict[str, Any]] = [
        {"kind": "decision", "case_ref": f"C-{n}", "officer": "Alice", "sign_off_required": n % 3 == 0,
         "decision": {"outcome": "ncnd", "provisions": ["s24(2)"]}, "harm_text": "caf\u00e9 \u202e"}
        for n in range(count)]
    first = chain(bodies, GENESIS, clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
    late = [{"kind": "sign-off", "decision_id": first[n]["id"], "by": "Bob", "case_ref": f"C-{n}"} for n in (0, 1)]
    return first + chain(late, first[-1]["hash"], clock=lambda: datetime(2025, 1, 2, tzinfo=UTC))


def _store(backend: str, folder: Path, count: int) -> Store:
    return store_with(backend, folder, _records(count))


class Counting(Store):
    """A store that counts the passes made over another (`lines`, `objects`, `records`)."""

    def __init__(self, inner: Store) -> None:
        self.inner, self.url, self.passes = inner, inner.url, 0

    def lines(self) -> Iterator[StoredLine]:
        self.passes += 1
        return self.inner.lines()

    def objects(self, containing: Sequence[bytes] = ()) -> Iterator[dict[str, Any]]:
        self.passes += 1
        return self.inner.objects(containing)

    def records(self) -> Iterator[Any]:
        self.passes += 1
        return self.inner.records()

    def describe(self) -> str:
        return self.inner.describe()

    def head(self) -> tuple[int, str]:
        return self.inner.head()

    def exists(self) -> bool:
        return self.inner.exists()

    def append_many(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a listing does not write")

    append_checked = import_records = append_many


def _list(monkeypatch: pytest.MonkeyPatch, store: Store, *args: str) -> tuple[str, int]:
    """`ncnd audit list ARGS` on `store`, its output and the passes it made over the store."""
    counting = Counting(store)
    monkeypatch.setattr(audit_cmds, "cli_store", lambda *_: counting)
    result = CliRunner().invoke(app, ["audit", "list", *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output, counting.passes


@pytest.mark.parametrize("backend", ["jsonl", "sqlite"])
@pytest.mark.parametrize("args", [(), ("--json",), ("--case", "C-3"), ("--kind", "sign-off", "--json")])
def test_a_listing_reads_the_store_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str,
                                        args: tuple[str, ...]) -> None:
    with _store(backend, tmp_path, 12) as store:
        _, passes = _list(monkeypatch, store, *args)
        assert passes == 1


@pytest.mark.parametrize("backend", ["jsonl", "sqlite"])
def test_the_json_listing_is_the_records_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   backend: str) -> None:
    with _store(backend, tmp_path, 12) as store:
        all_filters: list[tuple[str, ...]] = [(), ("--case", "C-4"), ("--kind", "sign-off")]
        for filters in all_filters:
            out, _ = _list(monkeypatch, store, "--json", *filters)
            case = filters[1] if filters[:1] == ("--case",) else None
            kind = filters[1] if filters[:1] == ("--kind",) else None
            before = [json_safe(json.dumps(obj, ensure_ascii=False, sort_keys=True))
                      for obj in query.matching_json(store, case=case, kind=kind)]
            assert out.splitlines() == before and before


@pytest.mark.parametrize("backend", ["jsonl", "sqlite"])
def test_one_pass_checks_the_chain_as_verify_does(tmp_path: Path, backend: str) -> None:
    with _store(backend, tmp_path, 12) as store:
        checker = ChainChecker(store)
        signed: dict[str, list[str]] = {}
        listed = list(query.one_pass(store, checker, (None,) * 6, signed))
        assert checker.report() == verify(store) and checker.report().ok
        assert len(listed) == 14 and sorted(len(by) for by in signed.values()) == [1, 1]


def test_a_long_listing_notes_sign_offs_read_after_its_decision(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_rows, "TABLE_ROWS", 5)
    with _store("jsonl", tmp_path, 12) as store:
        out, passes = _list(monkeypatch, store)
        rows = {line.split()[0]: line for line in out.splitlines() if line[:1].isalnum() and "  " in line}
        decisions = [r.id for r in store.records() if r.kind == "decision"]
        assert rows[decisions[0][:10]].endswith("by Alice; signed off by Bob")
        assert rows[decisions[1][:10]].endswith("by Alice; signed off by Bob")
        assert rows[decisions[3][:10]].endswith("by Alice; awaits sign-off")
        assert rows[decisions[2][:10]].endswith("by Alice")
        assert "\u202e" not in out and passes == 1


def test_a_broken_chain_gives_the_same_warning_from_the_one_pass(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with _store("jsonl", tmp_path, 12) as store:
        path = tmp_path / "audit.jsonl"
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:4] + lines[5:]))  # a record removed
        report = verify(store)
        for args in ((), ("--json",)):
            out, _ = _list(monkeypatch, store, *args)
            assert f"Warning: the log does not verify ({report.first_bad}); run `ncnd audit verify`." in out


def test_the_byte_search_finds_every_character_json_safe_escapes() -> None:
    changed = [chr(cp) for cp in range(0x3000) if not 0xD800 <= cp < 0xE000 and json_safe(chr(cp)) != chr(cp)]
    assert changed and all(audit_rows.json_line({}, f'{{"a": "x{c}"}}'.encode()) == json_safe(f'{{"a": "x{c}"}}')
                           for c in changed)
    assert all(audit_rows._may_need_escaping(f"x{c}\u2019".encode()) for c in changed)
    assert not audit_rows._may_need_escaping("caf\u00e9 \u2019 \u2069".encode()[:-1])


def test_json_lines_to_a_stdout_that_is_not_utf8_go_through_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-16")
    monkeypatch.setattr(sys, "stdout", stream)
    audit_rows.write_json(iter([({"a": "\u00e9\u202e"}, None), ({}, b'{"b": "x"}')]))
    stream.flush()
    assert raw.getvalue().decode("utf-16") == '{"a": "\u00e9\\u202e"}\n{"b": "x"}\n'


@pytest.mark.parametrize("body", [{"id": "r1", "kind": "repair", "time": "t"}, {"a": [1, {"hash": "x"}], "z": "\u00e9"},
                                  {"case_ref": "C-1", "requester": {"name": "R"}, "kind": "decision"}, {"b": 1}])
def test_a_database_row_gives_its_jsonl_line_without_encoding_it_all(body: dict[str, Any]) -> None:
    full = {**body, "prev_hash": GENESIS, "hash": "ab" * 32}
    hashed = record_line({k: v for k, v in full.items() if k != "hash"})[:-1]
    row = StoredLine(1, hashed, columns=(("hash", full["hash"]),), hashed=hashed)
    assert query._with_hash(row, dict(full)) == record_line(full)[:-1]
    other = StoredLine(1, b"{}", columns=(("hash", "h"),), hashed=b'{"zz": 1}')
    assert query._with_hash(other, {"a": 1, "hash": "h", "zz": 1}) is None  # not the row's JSON: not guessed


def test_a_sqlite_listing_with_a_requester_prints_the_records_as_before(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    records = chain([{"kind": "decision", "case_ref": "C-1", "requester": {"name": "R. Q\u00e9"}, "officer": "A"},
                     {"kind": "decision", "case_ref": "C-2", "officer": "A"}], GENESIS,
                    clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
    with open_store(f"sqlite:///{tmp_path / 'audit.db'}") as store:
        store.import_records(records)
        out, passes = _list(monkeypatch, store, "--json")
        assert out.splitlines() == [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
        assert "R. Q\u00e9" in out and passes == 1
