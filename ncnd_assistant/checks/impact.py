"""The impact of a rule change: every scenario (and recorded decision) assessed under two rule bases."""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from ncnd_assistant.audit.record import AuditRecord, DecisionRecord
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError, NcndError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.notice import NoticePart, render_notice
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import RuleBase


@dataclass(frozen=True)
class Case:
    """Something to assess under both rule bases: a scenario or a recorded decision."""

    source: str  # "scenario" or "decision"
    name: str
    part: Part


@dataclass(frozen=True)
class Result:
    outcome: str
    provisions: tuple[str, ...]
    notice: str


@dataclass(frozen=True)
class Change:
    case: Case
    before: Result
    after: Result

    @property
    def what(self) -> list[str]:
        out = []
        if self.before.outcome != self.after.outcome:
            out.append(f"outcome {self.before.outcome} -> {self.after.outcome}")
        if self.before.provisions != self.after.provisions:
            out.append(f"provisions {list(self.before.provisions)} -> {list(self.after.provisions)}")
        if self.before.notice != self.after.notice:
            out.append("notice text")
        return out


def rules_at_revision(rev: str, rules_dir: Path) -> Path:
    """Check out `rules_dir` as it was at git revision `rev` into a temporary folder."""
    root = subprocess.run(["git", "-C", str(rules_dir), "rev-parse", "--show-toplevel"], capture_output=True,
                          text=True)
    if root.returncode != 0:
        raise NcndError(f"--against {rev}: not a folder, and {rules_dir} is not in a git checkout")
    top = Path(root.stdout.strip())
    relative = os.path.relpath(rules_dir.resolve(), top)
    archive = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", rev, "--", relative],
                             capture_output=True)
    if archive.returncode != 0:
        raise NcndError(f"--against {rev}: git cannot find {relative} at that revision: "
                        f"{archive.stderr.decode(errors='replace').strip()}")
    target = Path(tempfile.mkdtemp(prefix="ncnd-rules-"))
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / relative


def _result(assessor: Assessor, rb: RuleBase, part: Part) -> Result:
    try:
        pa = assessor.assess_part(part)
    except AnswersError as error:
        return Result(f"needs {len(error.problems)} more answer(s)", (), "")
    except NcndError as error:
        return Result(f"error: {error}", (), "")
    notice = render_notice(rb, "IMPACT", None, "", [NoticePart(pa, pa.outcome)])
    return Result(pa.outcome.value, tuple(c.provision.id for c in pa.decision.cited), notice)


def compare(before: RuleBase, after: RuleBase, cases: Iterable[Case]) -> tuple[list[Change], int]:
    """Every case whose outcome, provisions or notice text differ; and how many were compared."""
    old, new = Assessor(before), Assessor(after)
    changes, count = [], 0
    for case in cases:
        count += 1
        a, b = _result(old, before, case.part), _result(new, after, case.part)
        if a != b:
            changes.append(Change(case, a, b))
    return changes, count


def decision_cases(records: Iterable[AuditRecord]) -> list[Case]:
    """The latest recorded decision per session and part, with its answers."""
    latest: dict[tuple[str, str], tuple[DecisionRecord, dict[str, Value]]] = {}
    for record in records:
        if isinstance(record, DecisionRecord) and record.answers is not None:
            latest[(record.session, record.part.id)] = record, dict(record.answers)
    return [Case("decision", f"{r.case_ref} / {r.part.id} ({r.id[:10]})", Part(r.part.id, r.part.summary, answers))
            for r, answers in latest.values()]
