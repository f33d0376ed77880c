"""Load and compile time against rule-base size, cache cold and warm, with a linear fit.

    python benchmarks/scale.py [--sizes 500,1000,2000,5000] [--repeat 3]

Each size is a rule base written by `generate.py` (seed 0). "cold" is `load_rulebase` with an
empty cache folder (parse, validate, build, check, then store); "warm" is the next
`load_rulebase` (the cache hit: hashing the files, reading the entry); "compile" is
`make_engine` (compile to durable-rules rulesets and create them). CPU seconds
(`time.process_time`), best of `--repeat`. Prints a Markdown table and, for each column, the
least-squares line `a + b * rules` with its R² (1.0 is a straight line: linear growth).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_rulebase  # noqa: E402

from ncnd_assistant.engine.runner import make_engine  # noqa: E402
from ncnd_assistant.rulebase.loader import load_rulebase  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x, and R²."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys) or 1.0
    return a, b, 1 - ss_res / ss_tot


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000,2000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        os.environ["NCND_CACHE_DIR"] = str(cache)
        for n in sizes:
            folder = write_rulebase(Path(tmp) / f"g{n}", n)

            def cold(folder: Path = folder) -> object:
                shutil.rmtree(cache, ignore_errors=True)
                return load_rulebase(folder)

            t_cold = best(cold, args.repeat)
            rb = load_rulebase(folder)
            t_warm = best(functools.partial(load_rulebase, folder), args.repeat)
            t_engine = best(functools.partial(make_engine, rb), args.repeat)
            rows.append((n, t_cold, t_warm, t_engine))
            print(f"{n}: cold {t_cold:.3f} warm {t_warm:.3f} engine {t_engine:.3f}", file=sys.stderr)
    print(f"Python {sys.version.split()[0]}, CPU seconds, best of {args.repeat}\n")
    print("| rules | load, cache cold | load, cache warm | compile + engine | warm load + engine |")
    print("|---:|---:|---:|---:|---:|")
    for n, c, w, e in rows:
        print(f"| {n:,} | {c * 1000:,.0f} ms | {w * 1000:,.0f} ms | {e * 1000:,.0f} ms | {(w + e) * 1000:,.0f} ms |")
    print()
    xs = [float(r[0]) for r in rows]
    for name, col in (("cold load", 1), ("warm load", 2), ("compile + engine", 3)):
        a, b, r2 = fit(xs, [r[col] for r in rows])
        print(f"- {name}: {a * 1000:.0f} ms + {b * 1e6:.0f} µs per rule (R² {r2:.3f})")


if __name__ == "__main__":
    main()
