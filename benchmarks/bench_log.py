"""The decision log at scale: run by hand, not in CI.

    python benchmarks/bench_log.py                       # 100,000 records, JSONL and SQLite
    python benchmarks/bench_log.py --size 20000 --backends sqlite

Builds a log of `--size` records quickly but through the real chaining code: decision records the
size of a real one (the seed request's first part, as `bench_store.sample_body` makes it) with a
sign-off after every tenth, chained by `audit.log.chain` in batches (a clock a day a batch), written
as the JSONL log writes them (`record_line`) or imported into SQLite by `Store.import_records`, which
checks every hash and link. Then each command runs in a child process (start-up included) and its
CPU time (user + system) and peak resident memory (`ru_maxrss` of that child, through GNU time) are
printed as a Markdown table: `audit verify`, `audit list`, `audit list --json`, `audit list --case`
(one case), `audit list --kind sign-off --since`, `store export`. Aim for verify and list: 100,000
records in under 5 s and under 100 MB each. The commands' output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_store import sample_body  # type: ignore[import-not-found]

from ncnd_assistant.audit.log import GENESIS, chain
from ncnd_assistant.audit.record import record_line
from ncnd_assistant.store import open_store

BATCH = 1_000
START = datetime(2025, 1, 1, 9, tzinfo=UTC)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def chained(size: int, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`size` records chained from the genesis hash: decisions, a sign-off after every tenth."""
    prev, done, n = GENESIS, 0, 0
    while done < size:
        bodies: list[dict[str, Any]] = []
        while len(bodies) < min(BATCH, size - done):
            n += 1
            bodies.append({**body, "case_ref": f"C-{n}"})
            if n % 10 == 0 and len(bodies) < min(BATCH, size - done):
                bodies.append({"kind": "sign-off", "decision_id": f"d{n}", "by": "B. Reviewer",
                               "case_ref": f"C-{n}", "note": ""})
        day = START + timedelta(days=done // BATCH)
        written = chain(bodies, prev, clock=lambda day=day: day)
        prev = written[-1]["hash"]
        done += len(written)
        yield from written


def build(backend: str, folder: Path, size: int, body: dict[str, Any]) -> str:
    """A store of `size` records; its URL."""
    if backend == "jsonl":
        path = folder / "audit.jsonl"
        with path.open("wb") as out:
            for record in chained(size, body):
                out.write(record_line(record))
        return f"jsonl:///{path}"
    url = f"sqlite:///{folder / 'audit.db'}"
    with open_store(url) as store:
        store.import_records(chained(size, body))
    return url


def run(args: list[str]) -> tuple[float, float, int]:
    """`ncnd ARGS` in a child under GNU time: CPU seconds, peak resident MB, exit code (through
    /usr/bin/time, since a child forked from this process would count this process's pages in its
    ru_maxrss)."""
    ncnd = Path(sys.executable).with_name("ncnd")
    env = {k: v for k, v in os.environ.items() if k not in ("NCND_AUDIT", "NCND_STORE")}
    with tempfile.NamedTemporaryFile("r") as report:
        proc = subprocess.run(["/usr/bin/time", "-q", "-o", report.name, "-f", "%U %S %M", str(ncnd), *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        user, system, kb = report.read().split()[-3:]
    return float(user) + float(system), int(kb) / 1024, proc.returncode


COMMANDS = [
    ("audit verify", ["audit", "verify"]),
    ("audit list", ["audit", "list"]),
    ("audit list --json", ["audit", "list", "--json"]),
    ("audit list --case C-5000", ["audit", "list", "--case", "C-5000"]),
    ("audit list --kind sign-off --since", ["audit", "list", "--kind", "sign-off", "--since", "2025-01-20"]),
    ("store export", ["store", "export"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--backends", default="jsonl,sqlite")
    parser.add_argument("--skip-table", action="store_true", help="leave out `audit list` as a table (slow)")
    args = parser.parse_args()
    body = sample_body()
    folder = Path(tempfile.mkdtemp(prefix="ncnd-bench-log-"))
    rows = []
    try:
        for backend in args.backends.split(","):
            start = time.process_time()
            url = build(backend, folder, args.size, body)
            log(f"{backend}: built {args.size:,} records in {time.process_time() - start:.1f} s of CPU")
            for label, command in COMMANDS:
                if args.skip_table and label == "audit list":
                    continue
                cpu, mb, code = run([*command, "--store", url])
                log(f"{backend}: {label}: {cpu:.2f} s CPU, {mb:.0f} MB, exit {code}")
                rows.append((backend, label, cpu, mb, code))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"| backend | command ({args.size:,} records) | CPU | peak RSS | exit |")
    print("|---|---|---:|---:|---:|")
    for backend, label, cpu, mb, code in rows:
        print(f"| {backend} | `{label}` | {cpu:.2f} s | {mb:.0f} MB | {code} |")


if __name__ == "__main__":
    main()
