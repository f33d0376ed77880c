"""A seeded fuzzing campaign: mutate, feed to the entry points, classify, time, keep reproducers.

Outcomes: "accepted", "error" (a clear domain error: an `NcndError`, or located problems),
"internal" (any other exception, or "Internal error" / a traceback from the CLI) and "timeout"
(past the per-case limit of CPU seconds, enforced with SIGPROF so one alias bomb cannot stall the
run, and other jobs on the machine do not turn a quick case into a timeout).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType

from ncnd_assistant.errors import NcndError
from tests.fuzz import targets
from tests.fuzz.mutate import Mutation, mutate, tree_json, tree_yaml


class CaseTimeout(BaseException):
    """Raised by the timer; a BaseException so that no `except Exception` in the tool swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` of this process's CPU time (main thread only) with
    `CaseTimeout`."""
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout
    previous = signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Mutant:
    """One mutated file: its seed, the file it replaces (relative, for rule bases) and its text."""

    kind: str
    seed: str
    mutations: list[str]
    text: str
    base: Path | None = None
    relpath: str = ""


@dataclass
class Result:
    """How one target took one mutant."""

    target: str
    mutant: Mutant
    outcome: str
    error_type: str
    detail: str
    seconds: float
    cpu: float  # CPU seconds of this process: what the case costs whatever else the machine runs


def classify(run: Callable[[], str], limit: float) -> tuple[str, str, str, float, float]:
    """Run a target: (outcome, error type, detail, seconds, CPU seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with time_limit(limit):
            outcome, kind, detail = run(), "", ""
    except CaseTimeout:
        outcome, kind, detail = "timeout", "timeout", f"over {limit} s CPU"
    except NcndError as error:
        outcome, kind, detail = "error", type(error).__name__, str(error)[:200]
    except targets.InternalError as error:
        outcome, kind, detail = "internal", "cli:" + str(error).split(":")[0], str(error)
    except Exception as error:  # anything else is what the fuzzer is looking for
        outcome, kind, detail = "internal", type(error).__name__, f"{type(error).__name__}: {str(error)[:200]}"
    return outcome, kind, detail, time.perf_counter() - start, time.process_time() - cpu


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@dataclass
class Campaign:
    """A fuzzing run in `home` (a scratch folder it owns), deterministic for `seed`."""

    home: Path
    seed: int = 0
    limit: float = 5.0  # CPU seconds per case before it counts as a timeout
    cli_every: int = 10  # also run every n-th rule-base and answers mutant through the CLI
    shipped_share: float = 0.5  # share of rule-base mutants made from the shipped rule base
    keep: int = 5  # reproducers kept (plus the first of each failure class)
    results: list[Result] = field(default_factory=list)
    kept: list[Result] = field(default_factory=list)
    mutating: float = 0.0  # seconds spent making mutants

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.cli = targets.Cli(self.home)

    def _record(self, target: str, mutant: Mutant, run: Callable[[], str]) -> Result:
        result = Result(target, mutant, *classify(run, self.limit))
        self.results.append(result)
        if result.outcome in ("internal", "timeout"):
            known = {(r.target, r.error_type) for r in self.kept}
            if len(self.kept) < self.keep or (target, result.error_type) not in known:
                self.kept.append(result)
        return result

    def _mutant(self, kind: str, seed: str, text: str, tree: Mutation) -> Mutant:
        start = time.perf_counter()
        mutated, names = mutate(self.rng, text, tree)
        self.mutating += time.perf_counter() - start
        return Mutant(kind, seed, names, mutated)

    def rule_bases(self, count: int) -> None:
        """Mutate one file of the shipped or the example rule base; `rules check` in-process."""
        copies = []
        for base in targets.RULE_BASES:
            copy = self.home / f"rules-{base.name}"
            shutil.copytree(base, copy, dirs_exist_ok=True)
            copies.append((base, copy, targets.rule_files(copy)))
        for i in range(count):
            base, copy, files = copies[0] if self.rng.random() < self.shipped_share else copies[1]
            rel = self._pick(files)
            original = (copy / rel).read_text(encoding="utf-8")
            mutant = self._mutant("rules", f"{base.name}/{rel}", original, tree_yaml)
            mutant.base, mutant.relpath = base, str(rel)
            _write(copy / rel, mutant.text)
            try:
                self._record("check_rulebase", mutant, partial(targets.check_rules, copy))
                if i % self.cli_every == 0:
                    self._record("cli:rules check", mutant, partial(self.cli.check, copy))
            finally:
                _write(copy / rel, original)

    def _pick(self, files: list[Path]) -> Path:
        """A rule file; a scenario one time in five (scenarios load last, so they cost a whole lint)."""
        scenarios = [f for f in files if f.parts[0] == "scenarios"]
        rules = [f for f in files if f not in scenarios]
        return self.rng.choice(scenarios if scenarios and (self.rng.random() < 0.2 or not rules) else rules)

    def answers(self, count: int) -> None:
        """Mutate a shipped answers file; read + assess in-process, and a sample through the CLI."""
        seeds = [(p.name, p.read_text(encoding="utf-8")) for p in targets.answers_seeds()]
        path = self.home / "answers.yaml"
        for i in range(count):
            name, text = self.rng.choice(seeds)
            mutant = self._mutant("answers", name, text, tree_yaml)
            _write(path, mutant.text)
            self._record("decide_answers", mutant, lambda: targets.decide_answers(path))
            if i % self.cli_every == 0:
                self._record("cli:decide", mutant, lambda: self.cli.decide(path))
                _write(path, mutant.text)
                self._record("cli:interview --answers", mutant, lambda: self.cli.interview(path))

    def sessions(self, count: int) -> None:
        """Mutate a session saved by a scripted interview; `Session.load`, then `--resume` in the CLI."""
        seeds = targets.scripted_sessions(self.cli)
        path = self.home / "session.json"
        for _ in range(count):
            i = self.rng.randrange(len(seeds))
            mutant = self._mutant("session", f"scripted-{i}", seeds[i], tree_json)
            _write(path, mutant.text)
            self._record("Session.load", mutant, lambda: targets.load_session(path))
            _write(path, mutant.text)
            self._record("cli:interview --resume", mutant, lambda: self.cli.resume(path))

    def run(self, rule_bases: int, answers: int, sessions: int) -> None:
        """The whole campaign, from inside `home` (relative paths in a mutant stay in it)."""
        self.home.mkdir(parents=True, exist_ok=True)
        here = Path.cwd()
        os.chdir(self.home)
        try:
            self.rule_bases(rule_bases)
            self.answers(answers)
            self.sessions(sessions)
        finally:
            os.chdir(here)

    def internal(self) -> list[Result]:
        return [r for r in self.results if r.outcome in ("internal", "timeout")]

    def slowest(self, in_process: bool = False) -> Result:
        """The slowest case (of the in-process targets only, whose memory `peak_memory` can measure)."""
        return max((r for r in self.results if not (in_process and r.target.startswith("cli:"))),
                   key=lambda r: r.seconds)

    def peak_memory(self, result: Result) -> int:
        """Peak Python memory (tracemalloc, bytes) of running `result`'s case again."""
        path = write_case(result, self.home / "memory")
        run = {"check_rulebase": lambda: targets.check_rules(path), "Session.load": lambda: targets.load_session(path),
               "decide_answers": lambda: targets.decide_answers(path)}.get(result.target)
        if run is None:
            return 0
        tracemalloc.start()
        try:
            classify(run, self.limit)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


RUN = {"rules": "ncnd rules check --rules", "answers": "ncnd decide --answers",
       "session": "ncnd interview --no-prompt --resume"}


def write_case(result: Result, folder: Path) -> Path:
    """Write a mutant where a command can read it: a whole rule-base folder, or one file."""
    mutant = result.mutant
    folder.mkdir(parents=True, exist_ok=True)
    if mutant.base is not None:
        shutil.copytree(mutant.base, folder / "rules", dirs_exist_ok=True)
        _write(folder / "rules" / mutant.relpath, mutant.text)
        return folder / "rules"
    path = folder / ("answers.yaml" if mutant.kind == "answers" else "session.json")
    _write(path, mutant.text)
    return path


def write_reproducers(campaign: Campaign, folder: Path) -> list[Path]:
    """One folder per kept failure, with the mutant and a `case.txt` saying what it did."""
    made = []
    for n, result in enumerate(campaign.kept, 1):
        name = f"{n:03d}-{result.target}-{result.error_type}"
        where = folder / name.replace(":", "-").replace(" ", "_")
        path = write_case(result, where)
        (where / "case.txt").write_text(
            f"target: {result.target}\nseed: {result.mutant.seed}\nmutations: {', '.join(result.mutant.mutations)}\n"
            f"file: {path.name}\nrun: {RUN[result.mutant.kind]} {path.name}\nseconds: {result.seconds:.2f}\n"
            f"{result.detail}\n", encoding="utf-8")
        made.append(where)
    return made


def summary(campaign: Campaign, peak: int | None = None) -> str:
    """Mutations tried, outcomes, internal errors by class (with an example each), the slowest case;
    `peak` is the peak memory of the slowest in-process case, when measured."""
    tried = Counter(r.mutant.kind for r in campaign.results if not r.target.startswith("cli:"))
    outcomes = Counter(r.outcome for r in campaign.results)
    lines = [f"mutations tried: {sum(tried.values())} ({', '.join(f'{k} {v}' for k, v in tried.items())}); "
             f"target runs: {len(campaign.results)}",
             "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
             f"internal errors: {len(campaign.internal())}"]
    classes = Counter((r.target, r.error_type) for r in campaign.internal())
    for (target, kind), n in classes.most_common():
        example = next(r for r in campaign.internal() if (r.target, r.error_type) == (target, kind))
        lines.append(f"  {n:5d}  {target}: {kind}  e.g. {example.mutant.seed} "
                     f"[{', '.join(example.mutant.mutations)}]: {example.detail[:120]!r}")
    slow = campaign.slowest()
    wall, cpu = (sum(1 for r in campaign.results if r.seconds > 2), sum(1 for r in campaign.results if r.cpu > 2))
    over = f"{wall} ({cpu} by CPU)"
    lines.append(f"slowest case: {slow.seconds:.2f} s ({slow.cpu:.2f} s CPU), {slow.target} on {slow.mutant.seed} "
                 f"[{', '.join(slow.mutant.mutations)}] -> {slow.outcome}; cases over 2 s: {over}")
    if peak is not None:
        slow = campaign.slowest(in_process=True)
        lines.append(f"slowest in-process case: {slow.seconds:.2f} s, {slow.target} on {slow.mutant.seed} "
                     f"[{', '.join(slow.mutant.mutations)}]; peak memory {peak / 2**20:.1f} MB (tracemalloc)")
    return "\n".join(lines)
