"""Time `ncnd rules check` and `ncnd rules test` by phase, in CPU seconds: run by hand, not in CI.

    python benchmarks/bench_check.py [--sizes 1000,2000,5000]

Phases of `check_rulebase` (load + validate, lint, compile, scenarios) are timed separately,
in-process, after start-up (imports), as CPU time (`time.process_time`, so other jobs on the
machine matter less), best of 3 (one run at 5,000 rules and more). The rule base is loaded with
its cache cold (`NCND_NO_CACHE`), and linted without the findings cache: the cold figures. The
last column is `check_rulebase` itself with both caches warm. `rules test` is timed on the
shipped rule base (its scenarios, including the held flip of every NCND scenario). Prints a
Markdown table and a least-squares line of the cold total against rules.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_rulebase  # noqa: E402

from ncnd_assistant.checks.coverage import coverage  # noqa: E402
from ncnd_assistant.checks.lint import lint  # noqa: E402
from ncnd_assistant.checks.report import check_rulebase  # noqa: E402
from ncnd_assistant.checks.scenarios import load_scenarios, run_scenario  # noqa: E402
from ncnd_assistant.decide.assess import Assessor  # noqa: E402
from ncnd_assistant.engine.compiler import compile_rulebase  # noqa: E402
from ncnd_assistant.rulebase.loader import load_rulebase  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def cold(fn: Callable[[], Any]) -> Callable[[], Any]:
    """`fn` with every on-disk cache off."""
    def run() -> Any:
        os.environ["NCND_NO_CACHE"] = "1"
        try:
            return fn()
        finally:
            del os.environ["NCND_NO_CACHE"]
    return run


def fit(points: list[tuple[int, float]]) -> str:
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    icpt = my - slope * mx
    ss_res = sum((y - icpt - slope * x) ** 2 for x, y in points)
    ss_tot = sum((y - my) ** 2 for _, y in points)
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    return f"{icpt * 1000:,.0f} ms + {slope * 1e6:,.0f} µs a rule (R² {r2:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,5000")
    sizes = [int(n) for n in parser.parse_args().sizes.split(",")]
    rows, points = [], []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NCND_CACHE_DIR"] = str(Path(tmp) / "cache")
        bases = [("shipped (rules/foia)", ROOT / "rules" / "foia", 3)]
        for n in sizes:
            bases.append((f"generated {n:,}", write_rulebase(Path(tmp) / f"g{n}", n), 3 if n < 5000 else 1))
        for name, folder, repeat in bases:
            t_load, rb = best(cold(lambda folder=folder: load_rulebase(folder)), repeat)
            t_lint, problems = best(lambda rb=rb: lint(rb), repeat)
            t_compile, _ = best(lambda rb=rb: compile_rulebase(rb), repeat)
            t_scen, _ = best(lambda folder=folder, rb=rb: load_scenarios(folder, rb), repeat)
            total = t_load + t_lint + t_compile + t_scen
            check_rulebase(folder)  # fills both caches
            t_warm, _ = best(lambda folder=folder: check_rulebase(folder), 3)
            rows.append(f"| {name} | {len(rb.rules):,} | {ms(t_load)} | {ms(t_lint)} ({len(problems)} found) | "
                        f"{ms(t_compile)} | {ms(t_scen)} | {ms(total)} | {ms(t_warm)} |")
            if name.startswith("generated"):
                points.append((len(rb.rules), total))
            print(f"[{name}] done", file=sys.stderr)
    rb = load_rulebase(ROOT / "rules" / "foia")
    scenarios = load_scenarios(ROOT / "rules" / "foia", rb)

    def run_tests() -> Any:
        assessor = Assessor(rb)
        results = [run_scenario(assessor, s) for s in scenarios]
        return coverage(rb, results)

    t_test, _ = best(run_tests, 3)
    print("| rule base | rules | load + validate (cold) | lint | compile | scenarios read | total, cold | "
          "`check_rulebase`, caches warm |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    if len(points) >= 2:
        print(f"Cold total, least squares over the generated bases: {fit(points)}.")
    print(f"`rules test` on the shipped rule base ({len(scenarios)} scenarios, held flipped for each NCND one, "
          f"coverage): {ms(t_test)} of CPU after start-up.")


if __name__ == "__main__":
    main()
