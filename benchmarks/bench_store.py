"""Store benchmark: run by hand, not in CI.

    python benchmarks/bench_store.py                      # JSONL and SQLite; PostgreSQL if --pg or $NCND_TEST_PG_URL
    python benchmarks/bench_store.py --pg postgresql://postgres@/postgres?host=/tmp/sock&port=5432
    python benchmarks/bench_store.py --sizes 10000 --appends 200   # a quicker run

For each backend it measures, with records the size of a real decision (the seed request's first
part, assessed and recorded as the interview records it):

* **appends/s, one writer**: `Store.append`, one record per durable transaction (JSONL: flock,
  write, fsync; SQLite: BEGIN IMMEDIATE, WAL, synchronous=FULL; PostgreSQL: advisory lock,
  synchronous_commit on); aim >= 200/s;
* **appends/s, two writers at once**: two processes appending the same number each, the total
  over the wall time of both; the chain is verified afterwards;
* **verify** at each size: `ncnd audit verify` in a child process, its wall and CPU time and peak
  resident memory (the child's VmHWM: interpreter and imports included); aim 100,000 records
  < 5 s and < 100 MB on SQLite and PostgreSQL. On a busy machine the CPU time is the steadier figure.

The stores are filled to each size with `append_many` in batches of 1,000 (the chain built as
usual). PostgreSQL needs a server; each run creates and drops a database of its own. Prints a
Markdown table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.decide.answers import load_request, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "wmp-16883-18.yaml"
BATCH = 1_000

WRITER = """
import json, sys, time
from pathlib import Path
from ncnd_assistant.store import open_store
url, count, body = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
ready, go = Path(sys.argv[5]), Path(sys.argv[6])
store = open_store(url)
store.head()  # imported, connected: only the appends are timed
ready.touch()
while not go.exists():
    time.sleep(0.005)
start = time.time()
for i in range(count):
    store.append({**body, "case_ref": f"W{sys.argv[4]}-{i}"})
print(start, time.time())
"""


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def sample_body() -> dict[str, Any]:
    """A decision record as the interview writes it, for the seed request's first part."""
    source = read_answers(SEED)
    rb = load_rulebase(None, regime=source.regime)
    request = load_request(source, rb)
    assessed = Assessor(rb).assess(request).parts[0]
    return decision_record(rb, assessed, case_ref="BENCH", officer="A. Officer", session="bench",
                           final=Outcome(assessed.outcome.value), received=request.received or date.today(),
                           request=request.request, tags=assessed.part.tags)


def _libpq(url: str) -> str:
    u = make_url(url)
    parts = {"dbname": u.database, "user": u.username, "password": u.password, "host": u.host, "port": u.port,
             **{k: v for k, v in u.query.items() if isinstance(v, str)}}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


class Backend:
    """Fresh stores of one backend, made and removed on demand."""

    def __init__(self, name: str, folder: Path, pg: str | None) -> None:
        self.name, self.folder, self.pg = name, folder, pg
        self.made: list[str] = []

    def fresh(self, label: str) -> str:
        if self.name == "jsonl":
            return f"jsonl:///{self.folder / f'{label}.jsonl'}"
        if self.name == "sqlite":
            return f"sqlite:///{self.folder / f'{label}.db'}"
        assert self.pg is not None
        db = f"ncnd_bench_{os.getpid()}_{label}"
        with psycopg.connect(_libpq(self.pg), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}"')  # type: ignore[arg-type]
            conn.execute(f'CREATE DATABASE "{db}"')  # type: ignore[arg-type]
        self.made.append(db)
        return make_url(self.pg).set(database=db).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.pg is None:
            return
        with psycopg.connect(_libpq(self.pg), autocommit=True) as conn:
            for db in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')  # type: ignore[arg-type]


def appends_per_second(url: str, body: dict[str, Any], count: int) -> float:
    store = open_store(url)
    store.append_many([body])  # created, schema there
    start = time.perf_counter()
    for i in range(count):
        store.append({**body, "case_ref": f"A-{i}"})
    elapsed = time.perf_counter() - start
    store.close()
    return count / elapsed


def two_writers(url: str, body: dict[str, Any], each: int, folder: Path) -> tuple[float, bool]:
    """Two processes appending `each` records at once: records per second from the first start to
    the last finish, and whether the chain verifies with every record in it."""
    import json

    from ncnd_assistant.audit.verify import verify

    open_store(url).append_many([body])
    go = folder / "go"
    go.unlink(missing_ok=True)
    ready = [folder / f"ready-{n}" for n in (1, 2)]
    for path in ready:
        path.unlink(missing_ok=True)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(each), json.dumps(body), str(n), str(path),
                               str(go)], stdout=subprocess.PIPE, text=True)
             for n, path in zip((1, 2), ready, strict=True)]
    while not all(path.exists() for path in ready):
        time.sleep(0.01)
    go.touch()
    outs = [p.communicate()[0].split() for p in procs]
    ok = all(p.returncode == 0 for p in procs) and all(len(o) == 2 for o in outs)
    elapsed = max(float(o[1]) for o in outs) - min(float(o[0]) for o in outs) if ok else float("nan")
    report = verify(open_store(url))
    return 2 * each / elapsed, ok and report.ok and report.records == 1 + 2 * each


def fill(url: str, body: dict[str, Any], size: int) -> None:
    store = open_store(url)
    done = store.head()[0]
    while done < size:
        n = min(BATCH, size - done)
        store.append_many([{**body, "case_ref": f"F-{done + i}"} for i in range(n)])
        done += n
    store.close()


VERIFY_CHILD = """
import sys
from pathlib import Path
from ncnd_assistant.cli import main
sys.argv = ["ncnd", "audit", "verify", "--store", sys.argv[1]]
try:
    main()
finally:  # the peak resident memory of this process since its exec (VmHWM; ru_maxrss would count the parent)
    hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
    print(int(hwm.split()[1]) // 1024, file=sys.stderr)
"""


def verify_child(url: str) -> tuple[float, float, float, bool]:
    """`ncnd audit verify` in a child: wall and CPU seconds, peak resident MB, whether it passed."""
    env = {k: v for k, v in os.environ.items() if k not in ("NCND_AUDIT", "NCND_STORE")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", VERIFY_CHILD, url], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, text=True)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - verify_child.cpu_so_far  # type: ignore[attr-defined]
    verify_child.cpu_so_far += cpu  # type: ignore[attr-defined]
    peak = float(err.strip().splitlines()[-1]) if err.strip() else float("nan")
    return elapsed, cpu, peak, proc.returncode == 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("NCND_TEST_PG_URL"),
                        help="URL of a PostgreSQL server's maintenance database (a database per run is made)")
    parser.add_argument("--sizes", default="10000,100000", help="record counts to verify at")
    parser.add_argument("--appends", type=int, default=500, help="appends timed per writer")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    body = sample_body()
    import json

    log(f"record size: {len(json.dumps(body))} bytes of JSON")
    backends = ["jsonl", "sqlite"] + (["postgresql"] if args.pg else [])
    folder = Path(tempfile.mkdtemp(prefix="ncnd-bench-"))
    rows = []
    try:
        for name in backends:
            backend = Backend(name, folder, args.pg)
            try:
                log(f"{name}: appends")
                one = appends_per_second(backend.fresh("one"), body, args.appends)
                two, ok = two_writers(backend.fresh("two"), body, args.appends // 2, folder)
                url = backend.fresh("big")
                cells = [name, f"{one:,.0f}", f"{two:,.0f}" + ("" if ok else " (CHAIN BROKEN)")]
                for size in sizes:
                    log(f"{name}: fill to {size:,}")
                    fill(url, body, size)
                    verify_child.cpu_so_far = _children_cpu()  # type: ignore[attr-defined]
                    seconds, cpu, mb, passed = verify_child(url)
                    cells.append(f"{seconds:.2f} s ({cpu:.2f} s CPU), {mb:.0f} MB" + ("" if passed else " (FAILED)"))
                rows.append(cells)
            finally:
                backend.drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("| backend | appends/s, 1 writer | appends/s, 2 writers | "
          + " | ".join(f"verify {s:,}" for s in sizes) + " |")
    print("|---|---:|---:|" + "---:|" * len(sizes))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
