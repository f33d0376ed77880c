"""The rule base as frozen dataclasses: questions, facts, provisions, rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from ncnd_assistant.conditions import Condition, Value
from ncnd_assistant.errors import Location


class Outcome(StrEnum):
    """What is recommended for one part of a request."""

    NCND = "ncnd"
    NOT_HELD = "not_held"
    WITHHOLD = "withhold"
    DISCLOSE = "disclose"
    REFUSE = "refuse"


class Limb(StrEnum):
    """Which duty a provision lifts."""

    NCND = "ncnd"
    WITHHOLD = "withhold"
    REFUSE = "refuse"


class Balance(StrEnum):
    """The public-interest balance recommended for a stage."""

    MAINTAIN = "maintain"
    DISCLOSE = "disclose"


T = TypeVar("T")
HARM_LEVELS = ("would", "would_be_likely_to")
HARM_TESTS = ("prejudice", "required_for", "endanger")
QUESTION_TYPES = ("yes_no", "choice", "text")


@dataclass(frozen=True)
class Citation:
    """A source for a legal claim."""

    ref: str
    url: str | None = None
    as_of: date | None = None

    def __str__(self) -> str:
        return self.ref


@dataclass(frozen=True)
class Factors:
    """Public-interest factors for (confirming, denying or disclosing) and against."""

    for_: tuple[str, ...] = ()
    against: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    type: str
    stage: int
    choices: tuple[Choice, ...] = ()
    reveals_holding: bool = False
    ask_when: Condition | None = None
    citations: tuple[Citation, ...] = ()
    loc: Location = field(default=Location("<built-in>"), compare=False)

    def display(self, value: Value) -> str:
        """An answer as the officer would read it."""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    loc: Location = field(default=Location("<built-in>"), compare=False)


@dataclass(frozen=True)
class Provision:
    id: str
    act: str
    title: str
    limb: Limb
    exemption: str
    test: str
    summary: str
    citations: tuple[Citation, ...]
    in_the_alternative_with: tuple[str, ...] = ()
    public_interest: Factors = Factors()
    loc: Location = field(default=Location("<built-in>"), compare=False)

    @property
    def qualified(self) -> bool:
        return self.exemption == "qualified"

    @property
    def label(self) -> str:
        """How police notices head it: "S24(2) National Security"."""
        return f"S{self.id[1:]} {self.title}" if self.id.startswith("s") else f"{self.id} {self.title}"


@dataclass(frozen=True)
class Conclusion:
    """What a rule concludes: engage, derive, outcome, block or balance."""

    kind: str
    target: str
    harm: str | None = None

    def describe(self) -> str:
        if self.kind == "engage":
            harm = f" ({self.harm.replace('_', ' ')})" if self.harm else ""
            return f"engages {self.target}{harm}"
        if self.kind == "derive":
            return f"derives {self.target}"
        if self.kind == "outcome":
            return f"outcome {self.target}"
        if self.kind == "block":
            return f"blocks {self.target}"
        return f"public interest balance: {self.target}"


@dataclass(frozen=True)
class Rule:
    id: str
    stage: int
    when: Condition
    then: Conclusion
    because: str
    citations: tuple[Citation, ...]
    public_interest: Factors = Factors()
    priority: int = 0
    loc: Location = field(default=Location("<built-in>"), compare=False)


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    version: str
    effective: date
    regime: str
    jurisdiction: str = ""


@dataclass(frozen=True)
class RuleBase:
    """A loaded, validated rule base."""

    meta: Meta
    questions: tuple[Question, ...]
    facts: tuple[Fact, ...]
    provisions: tuple[Provision, ...]
    rules: tuple[Rule, ...]
    digest: str
    source: Path | None = None
    _questions: dict[str, Question] = field(init=False, repr=False, compare=False)
    _facts: dict[str, Fact] = field(init=False, repr=False, compare=False)
    _provisions: dict[str, Provision] = field(init=False, repr=False, compare=False)
    _rules: dict[str, Rule] = field(init=False, repr=False, compare=False)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_questions", {q.id: q for q in self.questions})
        object.__setattr__(self, "_facts", {f.id: f for f in self.facts})
        object.__setattr__(self, "_provisions", {p.id: p for p in self.provisions})
        object.__setattr__(self, "_rules", {r.id: r for r in self.rules})

    def question(self, qid: str) -> Question:
        return self._questions[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self._questions

    def fact(self, fid: str) -> Fact:
        return self._facts[fid]

    def has_fact(self, fid: str) -> bool:
        return fid in self._facts

    def provision(self, pid: str) -> Provision:
        return self._provisions[pid]

    def rule(self, rid: str) -> Rule:
        return self._rules[rid]

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """A value derived from the rule base, computed once (the rule base never changes)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def stage_rules(self, stage: int) -> tuple[Rule, ...]:
        return self.memo(("stage_rules", stage), lambda: tuple(r for r in self.rules if r.stage == stage))

    def stage_questions(self, stage: int) -> tuple[Question, ...]:
        return self.memo(("stage_questions", stage),
                         lambda: tuple(q for q in self.questions if q.stage == stage))

    def fact_stage(self, fid: str) -> int:
        """The stage whose rules derive the fact (1 if none does)."""
        stages = {r.stage for r in self.rules if r.then.kind == "derive" and r.then.target == fid}
        return max(stages, default=1)
