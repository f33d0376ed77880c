"""The real entry points a mutant is fed to, in-process, and the seeds the mutants start from.

Each target returns "accepted" or "error" (a clear, domain refusal); any exception other than an
`NcndError` escapes to the runner, which calls it an internal error. The CLI targets drive the Typer
app with `CliRunner` and read "Internal error" or a traceback in the output as an internal error.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from ncnd_assistant.checks.report import check_rulebase
from ncnd_assistant.cli.app import app
from ncnd_assistant.decide.answers import load_request, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.interview.session import Session
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase

ROOT = Path(__file__).resolve().parent.parent.parent
RULE_BASES = (ROOT / "rules" / "foia", ROOT / "tests" / "fixtures" / "good" / "example")
SEED_ANSWERS = ROOT / "examples" / "wmp-16883-18.yaml"
INTERNAL = re.compile(r"Internal error: (\w+)|Traceback \(most recent call last\)")


class InternalError(Exception):
    """A CLI run that showed an internal error or a traceback (the type it named, and its output)."""


def answers_seeds() -> list[Path]:
    """The answers files the project ships: the example and the evaluation cases."""
    return sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "evaluation" / "cases").glob("*.yaml"))


def rule_files(folder: Path) -> list[Path]:
    """Every YAML file of a rule base, scenarios included, relative to the folder."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*.yaml"))


@functools.cache
def _rulebase(regime: str) -> RuleBase:
    return load_rulebase(None, regime=regime)


@functools.cache
def _assessor(regime: str) -> Assessor:
    return Assessor(_rulebase(regime))


def check_rules(folder: Path) -> str:
    """What `ncnd rules check` does: load, lint, compile, read the scenarios."""
    return "error" if check_rulebase(folder).errors else "accepted"


def decide_answers(path: Path) -> str:
    """What `ncnd decide` does before output: read, choose the rule base by regime, assess."""
    source = read_answers(path)
    request = load_request(source, _rulebase(source.regime))
    _assessor(source.regime).assess(request)
    return "accepted"


def load_session(path: Path) -> str:
    """What `ncnd interview --resume` does first."""
    session = Session.load(path)
    session.part()
    return "accepted"


@dataclass
class Cli:
    """The Typer app run in-process, writing only under `home` (data folder, audit log, notices)."""

    home: Path
    runs: int = field(default=0)

    def env(self) -> dict[str, str | None]:
        return {"NCND_DATA_DIR": str(self.home / "data"), "NCND_AUDIT": str(self.home / "audit.log"),
                "NCND_DEBUG": None, "COLUMNS": "100"}

    def __call__(self, *args: str, stdin: str = "") -> str:
        """Run `ncnd ARGS`; "accepted" on exit 0, "error" on any other documented exit."""
        self.runs += 1
        result = CliRunner().invoke(app, list(args), input=stdin, env=self.env())
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        found = INTERNAL.search(result.output)
        if found:
            raise InternalError(f"{found.group(1) or 'Traceback'}: {result.output[-300:]}")
        return "accepted" if result.exit_code == 0 else "error"

    def decide(self, answers: Path) -> str:
        return self("decide", "--answers", str(answers))

    def interview(self, answers: Path) -> str:
        out = self.home / f"run-{self.runs}"
        return self("interview", "--answers", str(answers), "--no-prompt", "--notice-out",
                    str(out / "notice.md"), "--audit", str(out / "audit.log"))

    def resume(self, session: Path) -> str:
        return self("interview", "--resume", str(session), "--no-prompt")

    def check(self, folder: Path) -> str:
        return self("rules", "check", "--rules", str(folder))


def scripted_sessions(cli: Cli) -> list[str]:
    """Session files made by scripted interviews: the seed answers run in batch (finished), the
    same with its last part reopened at a question, and a prompted one stopped at the case details."""
    sessions = cli.home / "data" / "sessions"
    # the seed answered in a terminal (a finished scripted run leaves no session): Enter at the
    # officer's name, then accept each part
    runs = ((["--answers", str(SEED_ANSWERS), "--prompt"], "\na\na\n"), (["--prompt", "--case-ref", "FZ-1"], "\n" * 3))
    texts = []
    for args, stdin in runs:
        before = set(sessions.glob("*.json"))
        cli("interview", *args, "--notice-out", str(cli.home / "seed-notice.md"), "--audit",
            str(cli.home / "seed.log"), stdin=stdin)
        texts += [p.read_text(encoding="utf-8") for p in sorted(set(sessions.glob("*.json")) - before)]
    trees = [json.loads(text) for text in texts] + [json.loads(texts[0])]
    trees[-1].update(finished=False, current=len(trees[-1]["parts"]) - 1)
    trees[-1]["parts"][-1].update(decision=None, pending="held")
    for tree in trees:  # relative paths: a mutant writes only under the campaign's folder
        tree.update(notice_out="notice.md", audit="audit.log", rules="", path="session.json")
    return [json.dumps(tree, indent=2, ensure_ascii=False) for tree in trees]
