"""Reading a rule base from its files (what the loader does when the cache has no entry): each
file parsed and checked against its shape (`shapes`), the model built (`build`), then references
and the regime's rules checked across it (`references`, `regime`); every problem found is raised
together as a `RuleBaseError`. Apart from `loader` so that a cached load imports none of this."""

from __future__ import annotations

from pathlib import Path

from ncnd_assistant.errors import Problem, RuleBaseError
from ncnd_assistant.rulebase.build import build_rulebase
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.references import check_references
from ncnd_assistant.rulebase.regime import regime_problems
from ncnd_assistant.rulebase.schema import INVALID, Record
from ncnd_assistant.rulebase.shapes import RULE_FILE
from ncnd_assistant.rulebase.yamlsource import display_path, parse_file


def read_rulebase(files: list[Path], digest: str, root: Path) -> RuleBase:
    """The rule base in `files` (under `root`, whose digest is `digest`), validated."""
    problems: list[Problem] = []
    records = _read_records(files, problems)
    _raise_if_any(problems, root)
    rulebase = build_rulebase(records, digest, root, problems)
    _raise_if_any(problems, root)  # a rule was dropped: its references would give false reports
    problems.extend(check_references(rulebase))
    problems.extend(regime_problems(rulebase))
    _raise_if_any(problems, root)
    return rulebase


def _read_records(files: list[Path], problems: list[Problem]) -> list[Record]:
    """Each file read and checked against `RULE_FILE`; the records of those that passed."""
    records: list[Record] = []
    for path in files:
        node = parse_file(path, display_path(path), problems)
        if node is None:
            continue
        record = RULE_FILE.check(node, problems, "the file")
        if record is not INVALID:
            records.append(record)
    return records


def _raise_if_any(problems: list[Problem], root: Path) -> None:
    if problems:
        raise RuleBaseError(f"{len(problems)} problem(s) in the rule base at {display_path(root)}", problems)
