"""What an assessment produces: per part and for the whole request."""

from __future__ import annotations

from ncnd_assistant.decide.answers import Part, Request
from ncnd_assistant.decide.decision import StageDecision
from ncnd_assistant.decide.explain import Explanation
from ncnd_assistant.engine.gating import Relevance
from ncnd_assistant.engine.result import StageResult
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, Rule, RuleBase


@dataclass(frozen=True)
class PartAssessment:
    """The recommendation for one part, with everything needed to explain it."""

    part: Part
    outcome: Outcome
    decision: StageDecision  # the stage that settled the part
    stage1: StageDecision
    fired: tuple[str, ...]
    env: dict[str, Value]  # the answers that counted, and the derived facts
    explanation: Explanation
    asked: tuple[str, ...]
    ignored: tuple[str, ...]
    warnings: tuple[str, ...]
    fallback_needed: bool | None = None  # for a fallback part: whether its main part was refused on cost


@dataclass(frozen=True)
class Assessment:
    request: Request
    rulebase: RuleBase
    parts: tuple[PartAssessment, ...]
    held_invariance: dict[str, bool]  # per NCND part: identical with held true and false

    @property
    def held_invariant(self) -> bool:
        return all(self.held_invariance.values())

    def regime_of(self, part: Part) -> str:
        """The law the part is answered under: its own `regime` (a mixed request), else the request's."""
        return part.regime or self.request.regime

    def rulebase_of(self, part: Part) -> RuleBase:
        """The rule base that decided the part (`mixed.MixedAssessment` has one per regime)."""
        return self.rulebase


@dataclass(frozen=True)
class Gated:
    """The questions of a part sorted by stage; Stage 1's run once its questions are answered."""

    stage1_questions: Relevance
    stage1_run: StageResult | None = None
    stage1: StageDecision | None = None
    stage2_questions: Relevance | None = None  # only when Stage 1 leaves the part open
    contradictions: tuple[Rule, ...] = ()  # Stage-1 rules finding the answers contradict each other

    def asked_and_open(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(questions that apply and are answered, questions still to ask), stage by stage."""
        rel1, rel2 = self.stage1_questions, self.stage2_questions
        if not rel1.complete or rel2 is None:
            return rel1.asked, rel1.missing + rel1.maybe
        return rel1.asked + rel2.asked, rel2.missing + rel2.maybe
