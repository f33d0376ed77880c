"""assess(): the one path from a rule base and answers to an explained recommendation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace

from ncnd_assistant.decide.answers import Part, Request, regime_problem
from ncnd_assistant.decide.assessment import Assessment, Gated, PartAssessment
from ncnd_assistant.decide.decision import (
    PublicInterest,
    StageDecision,
    contradictions,
    decide_stage1,
    decide_stage2,
)
from ncnd_assistant.decide.explain import Explanation, explain, forget_why_not
from ncnd_assistant.decide.request_wide import apply_fallbacks, with_request_wide_warnings
from ncnd_assistant.decide.serialize import same_record
from ncnd_assistant.engine.gating import Relevance, asking_order, relevance
from ncnd_assistant.engine.runner import EngineName, StageRunner, make_engine
from ncnd_assistant.errors import AnswersError, ContradictionError, Location, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.hints import cut
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Outcome, Rule, RuleBase

_MEMO_SIZE = 4096  # Stage-1 results remembered per assessor


class Assessor:
    """Compiles a rule base once and assesses any number of parts against it."""

    def __init__(self, rb: RuleBase, engine: EngineName = "durable"):
        self.rulebase = rb
        self.engine: StageRunner = make_engine(rb, engine)
        self.holding_questions = tuple(q.id for q in rb.questions if q.reveals_holding)
        self._stage1_ids = tuple(q.id for q in asking_order(rb, 1))
        self._stage1_memo: dict[tuple[tuple[str, Value], ...], _Stage1] = {}  # by the Stage-1 answers
        self.counts: Counter[str] = Counter()  # work done, for tests that keep it linear in the parts

    def forget(self) -> None:
        """Drop what was remembered from answers (Stage 1 by its answers, the reasons rules did not
        hold), so the next part is assessed as if it were the first; for benchmarks."""
        self._stage1_memo.clear()
        forget_why_not(self.rulebase)

    def missing(self, part: Part) -> list[Problem]:
        """A problem for each question the part still needs answered (none when complete)."""
        try:
            self.assess_part(part)
        except AnswersError as error:
            return list(error.problems)
        return []

    def gate(self, answers: Mapping[str, Value]) -> Gated:
        """Which questions apply, Stage 1 run as soon as its questions are all answered.

        The one place that orders the two stages: assessment and the interview both use it.
        """
        return self._gate(self._stage1(answers), answers)

    def _gate(self, entry: _Stage1, answers: Mapping[str, Value]) -> Gated:
        rb = self.rulebase
        gated = entry.gated
        if not gated.stage1_questions.complete or gated.stage1 is None or gated.stage1.outcome is not None \
                or gated.contradictions:
            return gated
        assert gated.stage1_run is not None
        self.counts["relevance"] += 1
        env = {**gated.stage1_questions.env, **gated.stage1_run.derived}
        rel2 = relevance(rb, 2, answers, env)
        self.counts["fact_derivations"] += rel2.derived
        return replace(gated, stage2_questions=rel2)

    def stage1(self, answers: Mapping[str, Value]) -> Gated:
        """Stage 1's questions and, when they are all answered, its run: remembered by the Stage-1
        answers (parts of a request share most of them, and the held-invariance check all)."""
        return self._stage1(answers).gated

    def _stage1(self, answers: Mapping[str, Value]) -> _Stage1:
        key = tuple((qid, answers[qid]) for qid in self._stage1_ids if qid in answers)
        found = self._stage1_memo.get(key)
        if found is not None:
            return found
        rb = self.rulebase
        self.counts["relevance"] += 1
        seen = _Watched(answers, frozenset(self._stage1_ids))
        rel1 = relevance(rb, 1, seen)
        self.counts["fact_derivations"] += rel1.derived
        strays = seen.strays | {name for name in rel1.env if name not in seen.allowed}
        if not rel1.complete:
            gated = Gated(rel1)
        else:
            self.counts["stage1_run"] += 1
            first = self.engine.run_stage(1, rel1.env)
            gated = Gated(rel1, first, decide_stage1(rb, first.fired), contradictions=contradictions(rb, first.fired))
        if len(self._stage1_memo) >= _MEMO_SIZE:
            self._stage1_memo.clear()  # bounded: memory stays linear in the parts
        entry = self._stage1_memo[key] = _Stage1(gated, frozenset(strays))
        return entry

    def interim_public_interest(self, answers: Mapping[str, Value], stage: int) -> PublicInterest | None:
        """The public interest test of `stage` on the answers given so far: the factors for and
        against and the balance the rules recommend, before the officer's own balance answer.

        Stage 1 sees only Stage-1 answers, so this never depends on whether information is held.
        """
        rb = self.rulebase
        gated = self.gate(answers)
        if stage == 1:
            run = gated.stage1_run or self.engine.run_stage(1, gated.stage1_questions.env)
            return decide_stage1(rb, run.fired).public_interest
        if gated.stage2_questions is None:
            return None
        return decide_stage2(rb, self.engine.run_stage(2, gated.stage2_questions.env).fired).public_interest

    def assess_part(self, part: Part) -> PartAssessment:
        """Assess one part; raise `AnswersError` if answers it needs are missing."""
        rb = self.rulebase
        self.counts["assess_part"] += 1
        entry = self._stage1(part.answers)
        gated = self._gate(entry, part.answers)
        rel1 = gated.stage1_questions
        _require(rb, part, rel1)
        assert gated.stage1_run is not None and gated.stage1 is not None
        first, stage1 = gated.stage1_run, gated.stage1
        _consistent(part, gated.contradictions, first.fired)
        if gated.stage2_questions is None:  # settled in Stage 1: all but the answers is Stage 1's
            if entry.settled is None:
                self.counts["stage1_explained"] += 1
                entry.settled = _settled(rb, gated)
            ignored = rel1.ignored + tuple(q for q in part.answers if rb.question(q).stage == 2)
            _long_enough(rb, part, rel1.asked)
            settled = entry.settled
            return PartAssessment(part, settled.outcome, stage1, stage1, first.fired, dict(settled.env),
                                  settled.explanation, rel1.asked, ignored, settled.warnings)
        rel2 = gated.stage2_questions
        _require(rb, part, rel2)
        second = self.engine.run_stage(2, rel2.env)
        _consistent(part, contradictions(rb, second.fired), first.fired + second.fired)
        decision = decide_stage2(rb, second.fired)
        env = {**rel2.env, **second.derived}
        fired, asked = first.fired + second.fired, rel1.asked + rel2.asked
        _long_enough(rb, part, asked)
        assert decision.outcome is not None
        return PartAssessment(part, decision.outcome, decision, stage1, fired, env,
                              explain(rb, fired, env, (1, 2)), asked, rel1.ignored + rel2.ignored,
                              _warnings(rb, stage1, decision, fired))

    def assess(self, request: Request) -> Assessment:
        """Assess every part, then check held-invariance for each NCND part."""
        wrong = regime_problem(self.rulebase, request.regime, Location("<request>"))
        if wrong is not None:
            raise AnswersError(f"a '{request.regime}' request, not '{self.rulebase.meta.regime}'", [wrong])
        assessed: list[PartAssessment] = []
        problems: list[Problem] = []
        for part in request.parts:
            try:
                assessed.append(self.assess_part(part))
            except AnswersError as error:  # collect every part's missing answers, then report
                problems.extend(error.problems)
        if problems:
            clashes = sum(p.code == "contradiction" for p in problems)
            raise AnswersError(f"{clashes} contradiction(s) between answers" if clashes == len(problems) else
                               f"{len(problems)} problem(s) with the answers" if clashes else
                               f"{len(problems)} answer(s) missing", problems)
        parts = apply_fallbacks(with_request_wide_warnings(self.rulebase, tuple(assessed)))
        invariance = {pa.part.id: self._held_invariant(pa.part, first)
                      for pa, first in zip(parts, assessed, strict=True) if pa.outcome == Outcome.NCND}
        return Assessment(request, self.rulebase, parts, invariance)

    def held_invariant(self, part: Part) -> bool:
        """Assess the part with held = true and held = false: is everything produced identical?"""
        return self._held_invariant(part, None)

    def _held_invariant(self, part: Part, assessed: PartAssessment | None) -> bool:
        """`held_invariant`; `assessed` (when given) is `assess_part(part)`.

        Stage 1 never reads `held` (it is given only the Stage-1 answers, and `_Watched` notes any
        look-up beyond them), so it is remembered by those answers and shared by both variants; what
        is compared is what Stage 2 and the rendering could still change: every field the part's
        record is made from (`serialize.RECORD_FIELDS`), the part's answers aside."""
        records: list[PartAssessment] = []
        for held in (True, False):
            answers = {**part.answers, **dict.fromkeys(self.holding_questions, held)}
            if self._stage1(answers).strays:
                return False  # Stage 1 looked beyond its own answers: it may depend on held
            if assessed is not None and all(part.answers.get(q) is held for q in self.holding_questions):
                records.append(assessed)
            else:
                records.append(self.assess_part(replace(part, answers=answers)))
        return same_record(*records)


@dataclass
class _Stage1:
    """What `Assessor` remembers for a set of Stage-1 answers: Stage 1's gating and run, the names
    beyond those answers that Stage 1 looked up (none, unless gating is wrong), and, for a part
    that Stage 1 settles, everything its assessment takes from Stage 1."""

    gated: Gated
    strays: frozenset[str]
    settled: _Settled | None = None


@dataclass(frozen=True)
class _Settled:
    outcome: Outcome
    env: dict[str, Value]
    explanation: Explanation
    warnings: tuple[str, ...]


def _settled(rb: RuleBase, gated: Gated) -> _Settled:
    """The outcome, facts, explanation and warnings of a part that Stage 1 settles: the same for
    every part with the same Stage-1 answers."""
    first, stage1 = gated.stage1_run, gated.stage1
    assert first is not None and stage1 is not None and stage1.outcome is not None
    env = {**gated.stage1_questions.env, **first.derived}
    return _Settled(stage1.outcome, env, explain(rb, first.fired, env, (1,)),
                    _warnings(rb, stage1, stage1, first.fired))


def _warnings(rb: RuleBase, stage1: StageDecision, decision: StageDecision, fired: tuple[str, ...]) -> tuple[str, ...]:
    """The part's warnings: the stages' own, the `warn` rules that fired, and a disclosure that
    Stage 1 set NCND aside for."""
    warnings = stage1.warnings + (decision.warnings if decision is not stage1 else ())
    warnings += tuple(" ".join(r.because.split()) for r in (rb.rule(rid) for rid in fired)
                      if r.then.kind is ConclusionKind.WARN)
    if decision.outcome is Outcome.DISCLOSE and stage1.set_aside and not decision.set_aside:
        aside = ", ".join(c.provision.id for c in stage1.set_aside)
        warnings += (f"Stage 1 set aside {aside} (NCND not available or outweighed); disclosure is "
                     "recommended only because no withholding exemption was engaged in stage 2: check "
                     "whether the matching exemption (for example s42(1), s43(2)) applies to the content",)
    return warnings


class _Watched(Mapping[str, Value]):
    """A part's answers as Stage 1 sees them, noting every look-up of a name outside `allowed`
    (the Stage-1 questions): Stage 1 is remembered by those answers alone, so it must read no other."""

    def __init__(self, answers: Mapping[str, Value], allowed: frozenset[str]):
        self._answers, self.allowed = answers, allowed
        self.strays: set[str] = set()

    def __getitem__(self, name: str) -> Value:
        if name not in self.allowed:
            self.strays.add(name)
        return self._answers[name]

    def __contains__(self, name: object) -> bool:
        if name not in self.allowed:
            self.strays.add(str(name))
        return name in self._answers

    def __iter__(self) -> Iterator[str]:
        self.strays.update(n for n in self._answers if n not in self.allowed)
        return iter(self._answers)

    def __len__(self) -> int:
        self.strays.update(n for n in self._answers if n not in self.allowed)
        return len(self._answers)


def _named(part: Part) -> str:
    """A part as a problem names it: its id and the start of its summary."""
    return f"part '{part.id}'" + (f" (“{cut(part.summary, 60)}”)" if part.summary else "")


def _missing_problems(rb: RuleBase, part: Part, rel: Relevance) -> list[Problem]:
    problems = [Problem(part.loc, "missing-answer",
                        f"{_named(part)} needs an answer to '{qid}': {rb.question(qid).text}",
                        f"add `{qid}:` under the part's answers")
                for qid in rel.missing]
    problems += [Problem(part.loc, "missing-answer",
                         f"{_named(part)} may need an answer to '{qid}' (depends on the missing answers): "
                         f"{rb.question(qid).text}", f"add `{qid}:` under the part's answers")
                 for qid in rel.maybe]
    return problems


def _consistent(part: Part, clash: tuple[Rule, ...], fired: tuple[str, ...]) -> None:
    """Raise `ContradictionError` when a `contradiction` rule fired: the answers cannot all be true."""
    if not clash:
        return
    problems = [Problem(part.locations.get(r.then.target, part.loc), "contradiction",
                        f"part '{part.id}': {' '.join(r.because.split())}",
                        f"answer '{r.then.target}' again, or change the earlier answer it contradicts")
                for r in clash]
    raise ContradictionError(f"the answers to part '{part.id}' contradict each other", problems,
                             clash[0].then.target, fired)


def _long_enough(rb: RuleBase, part: Part, asked: tuple[str, ...]) -> None:
    """Raise `AnswersError` for a text answer shorter than its question's `min_words`."""
    problems = [Problem(part.locations.get(qid, part.loc), "short-answer",
                        f"part '{part.id}': the answer to '{qid}' has {len(str(part.answers[qid]).split())} "
                        f"word(s); it needs at least {rb.question(qid).min_words}",
                        "give a short reason specific to this request (s17(3) requires the reasons to be stated)")
                for qid in asked if rb.question(qid).too_short(part.answers[qid])]
    if problems:
        raise AnswersError(f"{len(problems)} answer(s) too short", problems)


def _require(rb: RuleBase, part: Part, rel: Relevance) -> None:
    problems = _missing_problems(rb, part, rel)
    if problems:
        raise AnswersError(f"{len(problems)} answer(s) missing", problems)


