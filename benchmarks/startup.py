"""Start-up of `ncnd`, against the dependencies' floor: instructions (callgrind) and wall time.

    python benchmarks/startup.py [--ncnd PATH] [--runs 7] [--no-callgrind]

Instruction counts (valgrind's callgrind, `refs`) are repeatable on a noisy machine, so the aims
of issue 16 are stated in them; wall time is the median of `--runs` runs after a warm-up. Each
command is run once first, so byte code and the rule-base cache are warm (as for a user's second
command); the store, settings and rule-base cache are in a scratch folder, so `decide` finds no
store yet and the interview records there. `--ncnd` measures another install (e.g. a checkout of
main in its own virtualenv); the floors are measured with that install's Python. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "wmp-16883-18.yaml"


def commands(ncnd: str, python: str) -> list[tuple[str, list[str], str]]:
    """(label, argv, the floor it is compared with)."""
    return [
        ("python -c pass", [python, "-c", "pass"], ""),
        ("floor 1: import typer, rich", [python, "-c", "import typer, rich"], ""),
        ("floor 2: import typer, rich, yaml, durable.lang",
         [python, "-c", "import typer, rich, yaml, durable.lang"], ""),
        ("ncnd --help", [ncnd, "--help"], "floor 1"),
        ("ncnd version", [ncnd, "version"], "floor 1"),
        ("ncnd decide --answers SEED", [ncnd, "decide", "--answers", str(SEED)], "floor 2"),
        ("ncnd decide --answers SEED --format json", [ncnd, "decide", "--answers", str(SEED), "--format", "json"],
         "floor 2"),
        ("ncnd interview --answers SEED --no-prompt", [ncnd, "interview", "--answers", str(SEED), "--no-prompt"],
         "floor 2"),
        ("ncnd rules docs", [ncnd, "rules", "docs"], "floor 2"),
        ("ncnd rules check", [ncnd, "rules", "check"], "floor 2"),
    ]


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by the process (callgrind's `refs`)."""
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
                         capture_output=True, text=True, env=env, check=False)
    found = re.search(r"refs:\s+([\d,]+)", run.stderr)
    if found is None:
        raise SystemExit(f"no instruction count for {argv}: {run.stderr[-400:]}")
    return int(found.group(1).replace(",", ""))


def wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall seconds over `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ncnd", default=shutil.which("ncnd") or "ncnd", help="the ncnd console script to measure")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-callgrind", action="store_true", help="wall time only")
    args = parser.parse_args(argv)
    ncnd = str(Path(args.ncnd).resolve()) if os.path.exists(args.ncnd) else args.ncnd
    python = str(Path(ncnd).with_name("python"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "NCND_RULES", "NCND_AUDIT", "NCND_STORE", "NCND_NO_CACHE")}
    scratch = tempfile.mkdtemp(prefix="ncnd-startup-")  # the interview records here, not in the user's store
    env |= {"NCND_DATA_DIR": os.path.join(scratch, "data"), "NCND_CACHE_DIR": os.path.join(scratch, "cache"),
            "XDG_CONFIG_HOME": os.path.join(scratch, "config")}
    env.pop("NCND_SETTINGS", None)
    use_callgrind = not args.no_callgrind and shutil.which("valgrind") is not None
    rows, floors = [], {}
    for label, cmd, against in commands(ncnd, python):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)  # warm
        ir = instructions(cmd, env) if use_callgrind else 0
        if label.startswith("floor"):
            floors[label.split(":")[0]] = ir
        ratio = f"{ir / floors[against]:.2f}x" if use_callgrind and against else ""
        rows.append((label, ir, ratio, against, wall(cmd, env, args.runs)))
        print(f"{label}: {ir:,}", file=sys.stderr)
    print(f"Python {sys.version.split()[0]}, {ncnd}\n")
    print("| command | instructions (callgrind) | ratio | against | wall (median) |")
    print("|---|---:|---:|---|---:|")
    for label, ir, ratio, against, seconds in rows:
        print(f"| `{label}` | {ir / 1e6:,.0f} M | {ratio} | {against} | {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
