"""The interview's question flow, without any input or output.

Which question comes next, going back, reviewing answers, and what depends on a question.
Stage 1 is settled before any stage-2 question (and so before the question that reveals
whether information is held) is asked.
"""

from __future__ import annotations

from ncnd_assistant.decide.answers import coerce
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import Gated
from ncnd_assistant.decide.decision import PublicInterest, contradictions
from ncnd_assistant.decide.request_wide import request_wide_notes
from ncnd_assistant.interview.session import PartState
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType
from ncnd_assistant.rulebase.model import Limb, Question, Rule, RuleBase


@dataclass(frozen=True)
class Dependents:
    """What an answer feeds: rules (directly or through derived facts), provisions, questions."""

    rules: tuple[str, ...]
    provisions: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    answer: str
    applies: bool
    carried_from: str = ""  # the earlier-stage question whose answer it carries (same answer)


class Flow:
    """Question flow for the parts of one request, over one rule base."""

    def __init__(self, assessor: Assessor):
        self.assessor = assessor
        self.rb: RuleBase = assessor.rulebase
        self._order = {q.id: i for i, q in enumerate(self.rb.questions)}
        self._weighs = frozenset(n for r in self.rb.rules if r.then.kind is ConclusionKind.BALANCE
                                 for n in c.names(r.when))
        # the questions a contradiction rule asks again (only these need the contradiction check)
        self.contradicted = frozenset(r.then.target for r in self.rb.rules
                                      if r.then.kind is ConclusionKind.CONTRADICTION)

    # ------------------------------------------------------------------ state of a part
    def drop_invalid(self, part: PartState) -> list[str]:
        """Remove answers the rule base no longer accepts (unknown question or value)."""
        dropped = []
        for qid, value in list(part.answers.items()):
            if not self.rb.has_question(qid) or coerce(self.rb.question(qid), value) != value:
                dropped.append(qid)
                del part.answers[qid]
        return dropped

    def _stages(self, answers: dict[str, c.Value], gated: Gated | None = None) -> tuple[list[str], list[str]]:
        """(questions that apply and are answered, questions still open), in order."""
        asked, open_ = (gated or self.assessor.gate(answers)).asked_and_open()
        return list(asked), sorted(open_, key=self._order.__getitem__)

    def next_question(self, part: PartState) -> Question | None:
        """The pending question if it still applies, else the first open one; with every question
        answered, the one a contradiction names (it is asked again until the answers agree)."""
        gated = self.assessor.gate(part.answers)
        asked, open_ = self._stages(part.answers, gated)
        if part.pending and (part.pending in asked or part.pending in open_):
            return self.rb.question(part.pending)
        if open_:
            part.pending = open_[0]
        else:  # every question answered: a contradiction, then a too-short reason, is asked again
            clash = self.contradiction(part, gated)
            short = [q for q in asked if self.rb.question(q).too_short(part.answers[q])]
            part.pending = clash.then.target if clash else short[0] if short else None
        return self.rb.question(part.pending) if part.pending else None

    def progress(self, part: PartState) -> tuple[int, int]:
        """(i, m): the pending question is the i-th of about m the part will need. m follows the
        gating from the answers so far, the rest answered "No" (information assumed held, the
        longer path): it changes as answers come in, and never depends on whether information is
        held, which is not known until Stage 2."""
        asked, open_ = self._stages(part.answers)
        pending = part.pending
        position = asked.index(pending) + 1 if pending in asked else len(asked) + 1
        answers = dict(part.answers)
        rest = 0
        while open_ and rest <= len(self._order):
            question = self.rb.question(open_[0])
            answers[question.id] = self._likely(question)
            rest += 1
            open_ = self._stages(answers)[1]
        return position, max(position, len(asked) + rest)

    @staticmethod
    def _likely(q: Question) -> c.Value:
        """The answer `progress` assumes for a question not yet answered."""
        if q.type is QuestionType.YES_NO:
            return q.reveals_holding  # "No", except that information is held (the longer path)
        if q.type is QuestionType.CHOICE:
            values = [choice.value for choice in q.choices]
            return "no" if "no" in values else values[-1]
        return "-"

    def contradiction(self, part: PartState, gated: Gated | None = None) -> Rule | None:
        """The first rule finding this part's answers contradict each other, or None."""
        gated = gated or self.assessor.gate(part.answers)
        if gated.contradictions:
            return gated.contradictions[0]
        if gated.stage2_questions is not None and gated.stage2_questions.complete:
            second = self.assessor.engine.run_stage(2, gated.stage2_questions.env)
            found = contradictions(self.rb, second.fired)
            return found[0] if found else None
        return None

    def answer(self, part: PartState, qid: str, value: c.Value) -> None:
        part.answers[qid] = value
        if qid in part.history:
            part.history.remove(qid)
        part.history.append(qid)
        part.pending = None

    def back(self, part: PartState) -> Question | None:
        """Step back to the previous question (answers given later are kept)."""
        asked, _ = self._stages(part.answers)
        order = [q for q in part.history if q in asked]
        current = part.pending
        if current in order:
            index = order.index(current)
            previous = order[index - 1] if index > 0 else None
        else:
            previous = order[-1] if order else None
        if previous is not None:
            part.pending = previous
            return self.rb.question(previous)
        return None

    def goto(self, part: PartState, qid: str) -> Question:
        part.pending = qid
        return self.rb.question(qid)

    def review(self, part: PartState) -> list[ReviewItem]:
        """Every answer given so far, in rule-base order, and whether it still applies."""
        asked, _ = self._stages(part.answers)
        return [ReviewItem(q, q.display(part.answers[q.id]), q.id in asked,
                           q.carries if q.carries and part.answers.get(q.carries) == part.answers[q.id] else "")
                for q in self.rb.questions if q.id in part.answers]

    def weighing(self, part: PartState, q: Question) -> PublicInterest | None:
        """Before the last open question that a public-interest balance rule reads (the officer's
        own balance): the factors so far and the balance the rules recommend; None otherwise."""
        if q.id not in self._weighs:
            return None
        _, open_ = self._stages(part.answers)
        if any(o in self._weighs and self._order[o] > self._order[q.id] for o in open_):
            return None
        return self.assessor.interim_public_interest(part.answers, q.stage)

    def asked_because(self, part: PartState, q: Question) -> list[str]:
        """The answered questions that make `q` apply (directly, or through a fact derived from
        them), in rule-base order: what the officer said that led here."""
        if q.ask_when is None:
            return []
        env: dict[str, c.Value] = dict(part.answers)
        found: set[str] = set()

        def visit(cond: c.Condition, depth: int) -> None:
            if isinstance(cond, c.Eq | c.In):
                if self.rb.has_question(cond.name):
                    if c.holds(cond, env):
                        found.add(cond.name)
                elif depth < 3:  # a derived fact: the answers behind the rules that derive it
                    for rule in self.rb.rules:
                        if rule.then.kind is ConclusionKind.DERIVE and rule.then.target == cond.name \
                                and c.holds(rule.when, env):
                            visit(rule.when, depth + 1)
            elif isinstance(cond, c.All | c.AnyOf):
                for item in cond.items:
                    visit(item, depth)

        visit(q.ask_when, 0)
        return [x.id for x in self.rb.questions if x.id in found]

    def settles(self, part: PartState, q: Question, value: c.Value) -> list[str]:
        """The provisions refusing the whole request (s14, s12) that this answer would complete: the
        refusal rules of the question's stage that read it and hold with it; [] for most answers."""
        env = {**part.answers, q.id: value}
        found = [r.then.target for r in self.rb.rules
                 if r.then.kind is ConclusionKind.ENGAGE and r.stage == q.stage
                 and self.rb.provision(r.then.target).limb is Limb.REFUSE
                 and q.id in c.names(r.when) and c.holds(r.when, env)]
        return list(dict.fromkeys(found))

    def carried_answer(self, part: PartState, q: Question) -> tuple[str, c.Value] | None:
        """For a question that `carries` an earlier-stage one this part has answered: (that
        question's id, its answer), so the same fact is not asked twice; None otherwise."""
        if not q.carries or q.id in part.answers or q.carries not in part.answers:
            return None
        value = part.answers[q.carries]
        return (q.carries, value) if coerce(q, value) == value else None

    def fill_carried(self, part: PartState) -> list[str]:
        """Answer, from the questions they carry, the open questions that carry an earlier-stage
        answer, in the order they come (a scripted run); the ids filled in."""
        filled = []
        while (q := self.next_question(part)) is not None and (carried := self.carried_answer(part, q)):
            self.answer(part, q.id, carried[1])
            filled.append(q.id)
        part.pending = None
        return filled

    # ------------------------------------------------------------------ request-wide questions
    def shared_answer(self, parts: list[PartState], part: PartState, q: Question) -> tuple[str, c.Value] | None:
        """For a request-wide question this part has not answered: (part id, answer) from the first
        other part that has, so it is asked once for the whole request."""
        if not q.request_wide or q.id in part.answers:
            return None
        for other in parts:
            if other is not part and q.id in other.answers:
                return other.id, other.answers[q.id]
        return None

    def request_wide_conflicts(self, parts: list[PartState], part: PartState) -> list[str]:
        """Warnings for request-wide questions this part answers differently from another part."""
        answered = {p.id: {q: p.answers[q] for q in self._stages(p.answers)[0]} for p in parts}
        return request_wide_notes(self.rb, answered).get(part.id, [])

    def copy_answers(self, source: PartState, target: PartState) -> None:
        target.answers.update(source.answers)
        target.history = [q for q in source.history]

    # ------------------------------------------------------------------ why
    def dependents(self, qid: str) -> Dependents:
        """Rules that read the answer, directly, through facts derived from it, or through the
        questions it decides whether to ask; and the provisions those rules engage."""
        names = {qid}
        rules: list[str] = []
        questions: list[str] = []
        changed = True
        while changed:
            changed = False
            for rule in self.rb.rules:
                if rule.id not in rules and names & set(c.names(rule.when)):
                    rules.append(rule.id)
                    changed = True
                    if rule.then.kind is ConclusionKind.DERIVE:
                        names.add(rule.then.target)
            for q in self.rb.questions:
                if q.id not in questions and q.ask_when is not None and names & set(c.names(q.ask_when)):
                    questions.append(q.id)
                    names.add(q.id)
                    changed = True
        provisions = list(dict.fromkeys(
            self.rb.rule(r).then.target for r in rules if self.rb.rule(r).then.kind is ConclusionKind.ENGAGE))
        return Dependents(tuple(rules), tuple(provisions), tuple(questions))
