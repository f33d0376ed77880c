"""Time `ncnd rules check` and `ncnd rules test` by phase: run by hand, not in CI.

    python benchmarks/bench_check.py           # shipped, generated 1,000 and 5,000 rules

Phases of `check_rulebase` (load + validate, lint, compile, scenarios) are timed separately,
in-process, after start-up (imports), best of 3 (one run for the largest). `rules test` is timed
on the shipped rule base (its scenarios, including the held flip of every NCND scenario).
Prints a Markdown table.
"""

from __future__ import annotations

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
from ncnd_assistant.checks.scenarios import load_scenarios, run_scenario  # noqa: E402
from ncnd_assistant.decide.assess import Assessor  # noqa: E402
from ncnd_assistant.engine.compiler import compile_rulebase  # noqa: E402
from ncnd_assistant.rulebase.loader import load_rulebase  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bases = [("shipped (rules/foia)", ROOT / "rules" / "foia", 5)]
        for n in (1000, 5000):
            bases.append((f"generated {n:,}", write_rulebase(Path(tmp) / f"g{n}", n), 3 if n < 5000 else 1))
        for name, folder, repeat in bases:
            t_load, rb = best(lambda folder=folder: load_rulebase(folder), repeat)
            t_lint, problems = best(lambda rb=rb: lint(rb), repeat)
            t_compile, _ = best(lambda rb=rb: compile_rulebase(rb), repeat)
            t_scen, scenarios = best(lambda folder=folder, rb=rb: load_scenarios(folder, rb), repeat)
            total = t_load + t_lint + t_compile + t_scen
            rows.append(f"| {name} | {len(rb.rules):,} | {ms(t_load)} | {ms(t_lint)} ({len(problems)} found) | "
                        f"{ms(t_compile)} | {ms(t_scen)} | {ms(total)} |")
            print(f"[{name}] done", file=sys.stderr)
    rb = load_rulebase(ROOT / "rules" / "foia")
    scenarios = load_scenarios(ROOT / "rules" / "foia", rb)

    def run_tests() -> Any:
        assessor = Assessor(rb)
        results = [run_scenario(assessor, s) for s in scenarios]
        return coverage(rb, results)

    t_test, _ = best(run_tests, 5)
    print("| rule base | rules | load + validate | lint | compile | scenarios read | `rules check` total |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print(f"`rules test` on the shipped rule base ({len(scenarios)} scenarios, held flipped for each NCND one, "
          f"coverage): {ms(t_test)} after start-up.")


if __name__ == "__main__":
    main()
