"""How many questions each shipped scenario asks (the questions that apply and are answered),
for comparing rule-base versions: run it in two checkouts and compare the lines.

    python benchmarks/questions_asked.py [RULES_DIR]

Prints one line per scenario (questions asked, outcome, name) and the totals: mean and median
questions per scenario, and per outcome. Run by hand; not a test.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict

from ncnd_assistant.checks.scenarios import load_scenarios
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import NcndError
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir


def main() -> None:
    folder = resolve_rules_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    rb = load_rulebase(folder)
    assessor = Assessor(rb)
    counts: dict[str, list[int]] = defaultdict(list)
    for scenario in load_scenarios(folder, rb):
        try:
            pa = assessor.assess_part(scenario.part)
        except NcndError:
            continue  # a scenario expecting a contradiction asks no decision
        counts[pa.outcome.value].append(len(pa.asked))
        print(f"{len(pa.asked):3d}  {pa.outcome.value:9s} {scenario.name[:100]}")
    every = [n for values in counts.values() for n in values]
    print(f"\n{rb.meta.id} {rb.meta.version}: {len(every)} scenarios, mean {statistics.mean(every):.1f}, "
          f"median {statistics.median(every):g} questions asked")
    for outcome, values in sorted(counts.items()):
        print(f"  {outcome:9s} {len(values):3d} scenarios, mean {statistics.mean(values):.1f}, "
              f"max {max(values)}")


if __name__ == "__main__":
    main()
