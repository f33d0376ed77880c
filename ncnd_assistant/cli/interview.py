"""The terminal interview: the stages around the pure `Flow`, run part by part to a decision.

The stages are the case details (`case_details`), a part's questions (`question_loop`) and its
decision screen (`decision_screen`), all built on the shared prompts (`prompts`). The session is
saved before every prompt and after every answer; Ctrl-C and end of input propagate to the
caller, which saves and prints the `--resume` command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rich.console import Console

from ncnd_assistant.cli.case_details import CaseDetails
from ncnd_assistant.cli.decision_screen import DecisionScreen, Finished, as_part
from ncnd_assistant.cli.prompts import QuitRequested, Reader, Stage
from ncnd_assistant.cli.question_loop import QuestionLoop
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import PartState, Session

__all__ = ["Finished", "QuitRequested", "TerminalInterview"]


class TerminalInterview(Stage):
    """Walks an officer through a session, part by part, to a decision."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, session: Session,
                 clock: Callable[[], datetime] | None = None):
        super().__init__(console, read, assessor, Flow(assessor), session, clock or (lambda: datetime.now(UTC)))
        self.details = self.share(CaseDetails)
        self.questions = self.share(QuestionLoop)
        self.decisions = self.share(DecisionScreen)

    def run(self) -> Finished:
        self.details.ask_details()
        self.details.define_parts()
        while self.session.current < len(self.session.parts):
            part = self.session.parts[self.session.current]
            self.interview_part(part)
            self.session.current += 1
            self.save()
        self.law.use(self.law.home)
        return self.decisions.finish()

    def run_batch(self) -> Finished:
        """No terminal and nothing to ask: accept every recommendation."""
        if self.session.received is None:
            self.session.received = self.clock().date()
        for part in self.session.parts:
            if part.decision is None:
                self.law.use(self.law.regime_of(part))  # a part switched to the EIR (a resumed session)
                assessed = self.assessor.assess_part(as_part(part))
                self.decisions.show_decision(part, assessed)
                self.decisions.show_precedents(part, assessed)
                self.decisions.record(part, assessed, assessed.outcome, "")
        self.session.current = len(self.session.parts)
        self.law.use(self.law.home)
        return self.decisions.finish()

    def interview_part(self, part: PartState) -> None:
        """A part's questions, then its decision screen, until a decision is recorded; each under the
        part's own law (the request's, or the EIR once the officer switched the part to it)."""
        self.law.use(self.law.regime_of(part))
        self.questions.start(part)
        if self.details.offer_copy(part):
            self.questions.review(part)
        while part.decision is None:
            if not self.questions.ask_next(part):
                self.decision_screen(part)

    def decision_screen(self, part: PartState) -> None:
        if self.decisions.decision_screen(part):
            self.questions.review(part)

    def show_decision(self, part: PartState, assessed: PartAssessment) -> None:
        self.decisions.show_decision(part, assessed)

    def as_part(self, part: PartState) -> Part:
        return as_part(part)
