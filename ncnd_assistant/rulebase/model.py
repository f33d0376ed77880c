"""The rule base as frozen dataclasses: questions, facts, provisions, rules."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from ncnd_assistant.errors import Location
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Condition, Value
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType, Stage
from ncnd_assistant.rulebase.notice_text import NoticeText
from ncnd_assistant.rulebase.wording import OUTCOME_LABELS, conclusion_summary


class Outcome(StrEnum):
    """What is recommended for one part of a request."""

    NCND = "ncnd"
    NOT_HELD = "not_held"
    WITHHOLD = "withhold"
    DISCLOSE = "disclose"
    REFUSE = "refuse"
    EIR = "eir"  # environmental information: answered under the EIR, not FOIA (s39)

    @property
    def label(self) -> str:
        """How every screen, export and diagram names the outcome (one vocabulary)."""
        return OUTCOME_LABELS[self.value]

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "expects neither confirm nor deny"."""
        return self.label[:1].lower() + self.label[1:]


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
HARM_TESTS = ("prejudice", "endanger")  # "required for" (s24) has no likelihood level
HARM_BASED_TESTS = ("prejudice", "endanger", "required_for")  # limbs that rest on a harm in confirming or denying
BLOCK_SCOPES = ("ncnd", "harm_based", "absolute")  # what a `block` conclusion makes unavailable
QUESTION_TYPES = tuple(QuestionType)


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
    type: QuestionType
    stage: Stage
    choices: tuple[Choice, ...] = ()
    reveals_holding: bool = False
    sensitive: bool = False  # masked in exports for the ICO
    request_wide: bool = False  # one answer for the whole request (s14, the s12 cost limit)
    ask_when: Condition | None = None
    min_words: int = 0  # a text answer needs at least this many words
    aggregated_cost: bool = False  # request-wide cost limit: parts may differ only if not similar (reg 5)
    public_interest_reasons: bool = False  # the officer's public interest reasons, given in the letter
    citations: tuple[Citation, ...] = ()
    carries: str = ""  # an earlier-stage question asking the same fact: the interview carries its answer
    loc: Location = field(default=Location("<built-in>"), compare=False)

    def __post_init__(self) -> None:  # a plain "yes_no" or 1 becomes its member, so `is` tests hold
        object.__setattr__(self, "type", QuestionType(self.type))
        object.__setattr__(self, "stage", Stage(self.stage))

    def too_short(self, value: Value) -> bool:
        """A text answer with fewer words than the question asks for."""
        return self.type is QuestionType.TEXT and len(str(value).split()) < self.min_words

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


def placeholders(template: str) -> set[str]:
    """The `{names}` a template fills (raises ValueError on a stray brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def section_key(pid: str) -> tuple[int, str]:
    """Statutory order for provision ids: s12(2) < s22(1) < s22A(2) < s27(1) < s27(4)(a) < s44(2)."""
    digits = "".join(ch for ch in pid[1:4] if ch.isdigit())
    return (int(digits) if digits else 999, pid)


def block_targets(scope: str) -> tuple[str, ...]:
    """The provision ids a `block` names ("s28(3), s42(2)"); a kind (ncnd, ...) names none."""
    return () if scope in BLOCK_SCOPES else tuple(p.strip() for p in scope.split(",") if p.strip())


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
    notice: str = ""  # how the letter explains the provision
    loc: Location = field(default=Location("<built-in>"), compare=False)

    @property
    def qualified(self) -> bool:
        return self.exemption == "qualified"

    @property
    def harm_based(self) -> bool:
        """Engaged only by a harm (prejudice, endangerment, or s24's "required for")."""
        return self.test in HARM_BASED_TESTS

    def blocked_by(self, scope: str) -> bool:
        """Whether a `block: scope` conclusion makes this provision unavailable: `ncnd`, `harm_based`
        and `absolute` name kinds of NCND limb; any other scope is a provision id (s63)."""
        if self.id in block_targets(scope):
            return True
        return self.limb == Limb.NCND and (
            scope == "ncnd" or (scope == "harm_based" and self.harm_based)
            or (scope == "absolute" and self.exemption == "absolute"))

    @property
    def label(self) -> str:
        """How police notices head it: "S24(2) National Security" (a FOISA pairing "S18(1)-S31(1) ...")."""
        if not self.id.startswith("s"):
            return f"{self.id} {self.title}"
        return f"S{self.id[1:]} {self.title}".replace("-s", "-S", 1)


@dataclass(frozen=True)
class Conclusion:
    """What a rule concludes: engage, derive, outcome, block or balance."""

    kind: ConclusionKind
    target: str
    harm: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ConclusionKind(self.kind))

    def describe(self) -> str:
        """The conclusion in a few words (`wording.conclusion_summary`)."""
        return conclusion_summary(self.kind, self.target, self.harm)


@dataclass(frozen=True)
class Rule:
    id: str
    stage: Stage
    when: Condition
    then: Conclusion
    because: str
    citations: tuple[Citation, ...]
    public_interest: Factors = Factors()
    priority: int = 0
    notice: str = ""  # the harm paragraph for the letter (the `because` is for the officer)
    loc: Location = field(default=Location("<built-in>"), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", Stage(self.stage))


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    version: str
    effective: date
    regime: str
    jurisdiction: str = ""
    sign_off: tuple[str, ...] = ("s23(5)", "s24(2)")  # provisions whose decisions need a second officer
    sign_off_given: bool = False
    loc: Location = field(default=Location("<built-in>"), compare=False)
    limits: tuple[str, ...] = ()  # what the rule base does not model, in plain English (for the rule book)


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
    notice: NoticeText = NoticeText()
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

    def has_provision(self, pid: str) -> bool:
        return pid in self._provisions

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

    def stage_facts(self, stage: int) -> tuple[str, ...]:
        """The facts the stage's rules derive, sorted."""
        return self.memo(("stage_facts", stage), lambda: tuple(sorted(
            {r.then.target for r in self.stage_rules(stage) if r.then.kind is ConclusionKind.DERIVE})))

    def fact_stage(self, fid: str) -> int:
        """The stage whose rules derive the fact (1 if none does)."""
        stages = {r.stage for r in self.rules if r.then.kind is ConclusionKind.DERIVE and r.then.target == fid}
        return max(stages, default=1)
