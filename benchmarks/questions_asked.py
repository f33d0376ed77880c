"""How many questions each shipped scenario asks (the questions that apply and are answered, as
the interview asks them), for comparing rule-base versions.

    python benchmarks/questions_asked.py [RULES_DIR] [--before OLD_RULES_DIR]

Prints one line per scenario (questions asked, outcome, name) and the totals: mean and median
questions per scenario, and per outcome. With --before, each line shows the count under the old
rule base too (the scenarios are the new folder's), and the totals compare the two: the before and
after table of issue 15. Run by hand; not a test.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict

from ncnd_assistant.checks.scenarios import load_scenarios
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import NcndError
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir


def asked(assessor: Assessor, part: object) -> tuple[int, str] | None:
    """(questions asked, outcome) for a scenario's part; None if it asks no decision."""
    try:
        pa = assessor.assess_part(part)  # type: ignore[arg-type]
    except NcndError:
        return None  # a scenario expecting a contradiction (or using a question the rule base lacks)
    return len(pa.asked), pa.outcome.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", nargs="?", default=None)
    parser.add_argument("--before", default=None, help="the old rule-base folder to compare with")
    args = parser.parse_args()
    folder = resolve_rules_dir(args.rules)
    rb = load_rulebase(folder)
    after = Assessor(rb)
    before = Assessor(load_rulebase(resolve_rules_dir(args.before))) if args.before else None
    counts: dict[str, list[int]] = defaultdict(list)
    old_counts: dict[str, list[int]] = defaultdict(list)
    changed = 0
    for scenario in load_scenarios(folder, rb):
        now = asked(after, scenario.part)
        if now is None:
            continue
        n, outcome = now
        counts[outcome].append(n)
        if before is None:
            print(f"{n:3d}  {outcome:9s} {scenario.name[:100]}")
            continue
        was = asked(before, scenario.part)
        old = was[0] if was is not None else n
        old_counts[outcome].append(old)
        changed += old != n
        mark = "*" if old != n else " "
        print(f"{old:3d} -> {n:3d}{mark} {outcome:9s} {scenario.name[:90]}")
    every = [n for values in counts.values() for n in values]
    print(f"\n{rb.meta.id} {rb.meta.version}: {len(every)} scenarios, mean {statistics.mean(every):.1f}, "
          f"median {statistics.median(every):g} questions asked")
    if before is not None:
        old_every = [n for values in old_counts.values() for n in values]
        print(f"before: mean {statistics.mean(old_every):.1f}, median {statistics.median(old_every):g}, "
              f"total {sum(old_every)}; after: total {sum(every)}; {changed} scenario(s) ask fewer or more")
    for outcome, values in sorted(counts.items()):
        line = f"  {outcome:9s} {len(values):3d} scenarios, mean {statistics.mean(values):.1f}, max {max(values)}"
        if before is not None:
            old = old_counts[outcome]
            line += f"   (before: mean {statistics.mean(old):.1f}, max {max(old)})"
        print(line)


if __name__ == "__main__":
    main()
