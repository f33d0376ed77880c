"""The log at scale: verify and the searches stream the store, holding a bounded number of records
whatever the log's length (issue 16). Measured as the peak of Python allocations (tracemalloc) on a
log four times as long, not as time: holding every record would make the peak four times as high."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ncnd_assistant.audit import query
from ncnd_assistant.audit.log import GENESIS, chain
from ncnd_assistant.audit.record import parse_object, record_line
from ncnd_assistant.audit.verify import verify
from ncnd_assistant.store import Store, open_store

SMALL, BIG = 500, 2_000  # BIG is four times the SQL backend's batch of rows (STREAM_BATCH)
TEXT = "x" * 1_000  # a record of about 1.3 KB, so holding them all would dwarf what streaming keeps


def _records(count: int) -> Iterator[dict[str, Any]]:
    prev = GENESIS
    for start in range(0, count, 500):
        bodies = [{"kind": "decision", "case_ref": f"C-{n}", "harm_text": TEXT,
                   "decision": {"outcome": "ncnd", "provisions": ["s24(2)"]}}
                  for n in range(start, min(count, start + 500))]
        written = chain(bodies, prev, clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
        prev = written[-1]["hash"]
        yield from written


def store_with(backend: str, folder: Path, records: Iterable[dict[str, Any]]) -> Store:
    """A JSONL or SQLite store in `folder` holding these chained records (written as the log writes
    them, or imported, which checks every hash and link); test_list_one_pass uses it too."""
    if backend == "jsonl":
        path = folder / "audit.jsonl"
        path.write_bytes(b"".join(record_line(r) for r in records))
        return open_store(f"jsonl:///{path}")
    store = open_store(f"sqlite:///{folder / 'audit.db'}")
    store.import_records(records)
    return store


def _store(backend: str, folder: Path, count: int) -> Store:
    return store_with(backend, folder, _records(count))


def _peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _check_everything(store: Store, count: int) -> Callable[[], object]:
    def work() -> None:
        report = verify(store)
        assert report.ok and report.records == count
        assert sum(1 for _ in query.matching(store)) == count
        assert sum(1 for _ in query.matching(store, brief=True)) == count
        assert sum(1 for _ in query.matching_json(store, provision="s24(2)")) == count
        assert sum(1 for _ in query.matching(store, case="C-7")) == 1
        assert store.head()[0] == count
    return work


@pytest.mark.slow  # tracemalloc slows the reading several times over: about 3 s a backend
@pytest.mark.parametrize("backend", ["jsonl", "sqlite"])
def test_verify_and_the_searches_hold_a_bounded_number_of_records(backend: str, tmp_path: Path) -> None:
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    with _store(backend, tmp_path / "small", SMALL) as small, _store(backend, tmp_path / "big", BIG) as big:
        _check_everything(small, SMALL)()  # imports and caches warm: only the reading is measured
        big.head()  # its connection open
        small_peak, big_peak = _peak(_check_everything(small, SMALL)), _peak(_check_everything(big, BIG))
    held_all = (BIG - SMALL) * len(TEXT)  # what holding every record's text alone would add
    assert big_peak - small_peak < held_all / 4, (small_peak, big_peak)


def test_a_search_does_not_parse_records_without_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--case` on a long log parses only the records whose text holds that case reference, and finds the
    same records as the full parse, including one whose case reference a hand edit wrote with an escape."""
    with _store("jsonl", tmp_path, 300) as store:
        parsed: list[bytes] = []

        def counting(raw: bytes) -> dict[str, Any] | None:
            parsed.append(raw)
            return parse_object(raw)

        monkeypatch.setattr("ncnd_assistant.store.base.parse_object", counting)
        found = list(query.matching(store, case="C-12"))
        assert [r.case_ref for r in found] == ["C-12"]  # type: ignore[attr-defined]
        assert len(parsed) == 1
        path = tmp_path / "audit.jsonl"
        lines = path.read_bytes().splitlines(keepends=True)
        lines[40] = lines[40].replace(b'"C-40"', b'"C-\\u0034\\u0030"')  # the same string, escaped
        path.write_bytes(b"".join(lines))
        parsed.clear()
        assert [r.case_ref for r in query.matching(store, case="C-40")] == ["C-40"]  # type: ignore[attr-defined]
        assert len(parsed) == 1


def test_a_long_listing_is_printed_as_plain_rows_with_every_record_and_the_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ncnd_assistant.cli import app, audit_rows

    monkeypatch.setattr(audit_rows, "TABLE_ROWS", 3)
    with _store("jsonl", tmp_path, 7) as store:
        ids = [rec.id[:10] for rec in store.records()]
    log = str(tmp_path / "audit.jsonl")
    out = CliRunner().invoke(app, ["audit", "list", "--audit", log], env={"COLUMNS": "200"}).output
    assert [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] in ids] == ids
    assert out.count("time (UTC)") == 1 and out.count("as plain rows (longer than 3)") == 1
    assert out.rstrip().endswith(f"{log}: 7 record(s)")
    assert "\u2501" not in out and "\u2500" not in out  # plain rows, not Rich's table
    short = CliRunner().invoke(app, ["audit", "list", "--audit", log, "--case", "C-2"], env={"COLUMNS": "200"})
    assert f"{log}: 1 record(s)" in short.output and "in tables" not in short.output
