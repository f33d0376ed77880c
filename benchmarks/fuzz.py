"""The long mutation-fuzzing run (issue 13, item 9): run by hand, not in CI.

    python benchmarks/fuzz.py --rule-bases 10000 --answers 3000 --sessions 1000 --seed 1

Mutates the shipped and example rule bases, the shipped answers files and sessions saved by a
scripted interview (`tests/fuzz/`), feeds every mutant to the real entry points in-process (a
sample through the CLI too) and prints: mutations tried, outcomes, internal errors by class with
an example each, the slowest case and its peak memory. The first reproducers (and the first of
each failure class) are written to --out. Exits 1 when any case was an internal error or timed out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.runner import Campaign, summary, write_reproducers  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule-bases", type=int, default=10_000, help="mutated rule bases")
    parser.add_argument("--answers", type=int, default=3_000, help="mutated answers files")
    parser.add_argument("--sessions", type=int, default=1_000, help="mutated session files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=10.0, help="CPU seconds per case before it is a timeout")
    parser.add_argument("--cli-every", type=int, default=10, help="run every n-th mutant through the CLI too")
    parser.add_argument("--shipped-share", type=float, default=0.5,
                        help="share of rule-base mutants made from the shipped rule base (else the example)")
    parser.add_argument("--keep", type=int, default=10, help="reproducers to write (plus one per failure class)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-reproducers"), help="folder for reproducers")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ncnd-fuzz-") as scratch:
        campaign = Campaign(Path(scratch) / "home", seed=args.seed, limit=args.limit, cli_every=args.cli_every,
                            shipped_share=args.shipped_share, keep=args.keep)
        start = time.perf_counter()
        campaign.run(args.rule_bases, args.answers, args.sessions)
        took = time.perf_counter() - start
        peak = campaign.peak_memory(campaign.slowest(in_process=True))
        made = write_reproducers(campaign, args.out.resolve())
        sys.stdout.write(f"seed {args.seed}, {took:.0f} s ({campaign.mutating:.0f} s making mutants)\n"
                         f"{summary(campaign, peak)}\n")
        if made:
            sys.stdout.write(f"reproducers: {len(made)} in {args.out}/ (case.txt in each says what to run)\n")
    return 1 if campaign.internal() else 0


if __name__ == "__main__":
    sys.exit(main())
