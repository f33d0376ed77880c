"""assess(): the one path from a rule base and answers to an explained recommendation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ncnd_assistant.answers import ANY_OTHER, Part, Request, regime_problem
from ncnd_assistant.compiler import compile_rulebase
from ncnd_assistant.conditions import Value
from ncnd_assistant.decision import PublicInterest, StageDecision, contradictions, decide_stage1, decide_stage2
from ncnd_assistant.engine import DurableEngine, StageResult
from ncnd_assistant.errors import AnswersError, ContradictionError, Location, Problem
from ncnd_assistant.evaluator import PythonEngine
from ncnd_assistant.explain import Explanation, explain
from ncnd_assistant.gating import Relevance, relevance
from ncnd_assistant.model import Outcome, Rule, RuleBase
from ncnd_assistant.serialize import canonical, part_record


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


class Assessor:
    """Compiles a rule base once and assesses any number of parts against it."""

    def __init__(self, rb: RuleBase, engine: Literal["durable", "python"] = "durable"):
        self.rulebase = rb
        self.engine: DurableEngine | PythonEngine = (
            DurableEngine(compile_rulebase(rb)) if engine == "durable" else PythonEngine(rb))
        self.holding_questions = tuple(q.id for q in rb.questions if q.reveals_holding)

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
        rb = self.rulebase
        rel1 = relevance(rb, 1, answers)
        if not rel1.complete:
            return Gated(rel1)
        first = self.engine.run_stage(1, rel1.env)
        stage1 = decide_stage1(rb, first.fired)
        clash = contradictions(rb, first.fired)
        if stage1.outcome is not None or clash:
            return Gated(rel1, first, stage1, contradictions=clash)
        return Gated(rel1, first, stage1, relevance(rb, 2, answers, {**rel1.env, **first.derived}))

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
        gated = self.gate(part.answers)
        rel1 = gated.stage1_questions
        _require(rb, part, rel1)
        assert gated.stage1_run is not None and gated.stage1 is not None
        first, stage1 = gated.stage1_run, gated.stage1
        _consistent(part, gated.contradictions, first.fired)
        env = {**rel1.env, **first.derived}
        fired, asked, ignored = first.fired, rel1.asked, rel1.ignored
        decision, stages = stage1, [1]
        if gated.stage2_questions is not None:
            rel2 = gated.stage2_questions
            _require(rb, part, rel2)
            second = self.engine.run_stage(2, rel2.env)
            _consistent(part, contradictions(rb, second.fired), first.fired + second.fired)
            decision, stages = decide_stage2(rb, second.fired), [1, 2]
            env = {**rel2.env, **second.derived}
            fired, asked, ignored = fired + second.fired, asked + rel2.asked, ignored + rel2.ignored
        else:
            ignored += tuple(q for q in part.answers if rb.question(q).stage == 2)
        _long_enough(rb, part, asked)
        assert decision.outcome is not None
        warnings = stage1.warnings + (decision.warnings if decision is not stage1 else ())
        warnings += tuple(" ".join(r.because.split()) for r in (rb.rule(rid) for rid in fired)
                          if r.then.kind == "warn")
        if decision.outcome is Outcome.DISCLOSE and stage1.set_aside and not decision.set_aside:
            aside = ", ".join(c.provision.id for c in stage1.set_aside)
            warnings += (f"Stage 1 set aside {aside} (NCND not available or outweighed); disclosure is "
                         "recommended only because no withholding exemption was engaged in stage 2: check "
                         "whether the matching exemption (for example s42(1), s43(2)) applies to the content",)
        return PartAssessment(part, decision.outcome, decision, stage1, fired, env,
                              explain(rb, fired, env, stages), asked, ignored, warnings)

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
        parts = apply_fallbacks(_request_wide_warnings(self.rulebase, tuple(assessed)))
        invariance = {pa.part.id: self.held_invariant(pa.part) for pa in parts if pa.outcome == Outcome.NCND}
        return Assessment(request, self.rulebase, parts, invariance)

    def held_invariant(self, part: Part) -> bool:
        """Assess the part with held = true and held = false: is everything produced identical?"""
        records = set()
        for held in (True, False):
            answers = {**part.answers, **dict.fromkeys(self.holding_questions, held)}
            again = self.assess_part(replace(part, answers=answers))
            records.add(canonical(part_record(again)))
        return len(records) == 1


def request_wide_notes(rb: RuleBase, answered: Mapping[str, Mapping[str, Value]]) -> dict[str, list[str]]:
    """Per part id, a warning for each request-wide question (s14, the s12 cost limit) the part
    answers differently from another part; `answered` holds each part's answers to the questions
    that apply to it. Those judgements are made for the request as a whole."""
    notes: dict[str, list[str]] = {}
    for q in rb.questions:
        if not q.request_wide:
            continue
        given = {pid: answers[q.id] for pid, answers in answered.items() if q.id in answers}
        if len({canonical(v) for v in given.values()}) > 1:
            shown = "; ".join(f"part '{pid}': {q.display(v)}" for pid, v in given.items())
            for pid in given:
                notes.setdefault(pid, []).append(
                    f"'{q.text}' is answered differently by the parts ({shown}): that is right only if the parts "
                    "are not for the same or similar information; where they are, their costs are aggregated "
                    "(Fees Regulations reg 5) and every part gets the same answer" if q.aggregated_cost else
                    f"'{q.text}' applies to the whole request, but the parts answer it differently "
                    f"({shown}): give every part the same answer")
    return notes


def protective_notes(parts: tuple[PartAssessment, ...]) -> dict[str, list[str]]:
    """Per part id, warnings for the "answered on its merits, NCND for any other information"
    pattern: the protective part should be NCND, and each answered part must be worded narrowly
    enough that its answer (say "not held") does not also answer the protective part."""
    notes: dict[str, list[str]] = {}
    others = [pa for pa in parts if pa.part.kind == ANY_OTHER]
    answered = [pa for pa in parts if pa.part.kind != ANY_OTHER]
    for pa in others:
        if pa.outcome is not Outcome.NCND:
            notes.setdefault(pa.part.id, []).append(
                f"part '{pa.part.id}' is for any other information, to be neither confirmed nor denied, but the "
                f"recommendation is {pa.outcome.value}: if NCND is not needed for it, answer it as an ordinary part")
        if not answered:
            notes.setdefault(pa.part.id, []).append(
                f"part '{pa.part.id}' is for any other information, but no part of the request is answered on "
                "its merits: use an ordinary part")
        words = _words(pa.part.summary)
        for other in answered:
            if other.outcome is not Outcome.NCND and not _words(other.part.summary) - words:
                notes.setdefault(other.part.id, []).append(
                    f"part '{other.part.id}' ('{other.part.summary}') is worded no more narrowly than the part "
                    f"neither confirmed nor denied ('{pa.part.summary}'): its answer ({other.outcome.value}) would "
                    "also answer that part. Name its scope (for example 'overt use of ...')")
    return notes


_STOP_WORDS = frozenset({"the", "a", "an", "of", "on", "in", "to", "for", "and", "or", "by", "with", "any", "other",
                         "use", "information", "about", "whether"})


def _words(text: str) -> set[str]:
    return {w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in text).split() if w not in _STOP_WORDS}


def apply_fallbacks(parts: tuple[PartAssessment, ...]) -> tuple[PartAssessment, ...]:
    """A requester's fallback ("or, if that is too costly, only 2024") is needed only if its main
    part is refused under s12; otherwise it is not answered."""
    by_id = {pa.part.id: pa for pa in parts}
    out = []
    for pa in parts:
        main = by_id.get(pa.part.fallback_for) if pa.part.fallback_for else None
        if main is None:
            out.append(pa)
            continue
        needed = main.outcome is Outcome.REFUSE and any(c.provision.test == "cost" for c in main.decision.cited)
        note = () if needed else (f"part '{pa.part.id}' is the requester's fallback if part '{main.part.id}' is too "
                                  f"costly; '{main.part.id}' is not refused on cost, so this part is not needed and "
                                  "the letter leaves it out",)
        out.append(replace(pa, fallback_needed=needed, warnings=pa.warnings + note))
    return tuple(out)


def _request_wide_warnings(rb: RuleBase, parts: tuple[PartAssessment, ...]) -> tuple[PartAssessment, ...]:
    notes = request_wide_notes(rb, {pa.part.id: {q: pa.part.answers[q] for q in pa.asked} for pa in parts})
    for pid, more in protective_notes(parts).items():
        notes.setdefault(pid, []).extend(more)
    return tuple(replace(pa, warnings=pa.warnings + tuple(notes.get(pa.part.id, ()))) for pa in parts)


def _missing_problems(rb: RuleBase, part: Part, rel: Relevance) -> list[Problem]:
    problems = [Problem(part.loc, "missing-answer",
                        f"part '{part.id}' needs an answer to '{qid}': {rb.question(qid).text}",
                        f"add `{qid}:` under the part's answers")
                for qid in rel.missing]
    problems += [Problem(part.loc, "missing-answer",
                         f"part '{part.id}' may need an answer to '{qid}' (depends on the missing answers): "
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


