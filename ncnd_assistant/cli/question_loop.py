"""The interview's questions for one part: the next question (or an answer shared across the
request), the question screen, the commands typed at it (help, why, back, review, quit) and the
review of a part's answers."""

from __future__ import annotations

from rich.table import Table

from ncnd_assistant.cli.case_details import CaseDetails
from ncnd_assistant.cli.prompts import (
    QuitRequested,
    Stage,
    cut,
    help_panel,
    page,
    parse_answer,
    retry_message,
    why_lines,
)
from ncnd_assistant.decide.decision import PublicInterest
from ncnd_assistant.interview.session import PartState
from ncnd_assistant.render.blocks import balance_text
from ncnd_assistant.render.text import render_weighing
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.kinds import QuestionType
from ncnd_assistant.rulebase.model import Question
from ncnd_assistant.text_safety import for_terminal, markup_safe

ANSWER_HINTS = {QuestionType.YES_NO: "y/n", QuestionType.CHOICE: "number", QuestionType.TEXT: "text"}
STAGE_TEXT = {1: "Stage 1: confirm or deny", 2: "Stage 2: disclosure"}
def balance_words(pi: PublicInterest, stage: int) -> str:
    return balance_text(pi, stage)


def weighing_summary(pi: PublicInterest, stage: int, width: int) -> list[str]:
    """The public-interest weighing in a few lines; `factors` shows it in full."""
    towards = "confirming or denying" if stage == 1 else "disclosure"
    lines = [f"Weigh the public interest: {len(pi.for_)} factor(s) favouring {towards}, {len(pi.against)} against.",
             f"The rules recommend: {balance_words(pi, stage)}."]
    if pi.balance_because:
        lines.append("  " + cut(pi.balance_because, width - 2))
    lines.append("Type 'factors' to read every factor and the rules' reasons in full. The judgement is yours: "
                 "an even balance means " + ("confirm or deny." if stage == 1 else "disclose."))
    return lines


class QuestionLoop(Stage):
    """Asks a part's questions one at a time, each answer saved as it is given."""

    def start(self, part: PartState) -> None:
        """The part's heading, after dropping answers the rule base no longer accepts."""
        dropped = self.flow.drop_invalid(part)
        if dropped:
            self.say("The rule base no longer accepts some answers; they will be asked again: "
                     + ", ".join(dropped), "yellow")
        self.console.rule(markup_safe(for_terminal(cut(f"Part '{part.id}': {part.summary}", self.console.width - 6))))

    def ask_next(self, part: PartState) -> bool:
        """Ask (or fill in from another part) the next question; False when none is left."""
        question = self.flow.next_question(part)
        if question is None:
            return False
        if (carried := self.flow.carried_answer(part, question)) is not None:
            source, value = carried
            self.flow.answer(part, question.id, value)
            self.save()
            earlier = self.flow.rb.question(source)
            self.say(f"{question.text} Carried from your Stage {earlier.stage} answer '{earlier.display(value)}' to: "
                     f"{earlier.text} (the same fact, not asked twice; use review to change it)", "dim")
        elif (shared := self.flow.shared_answer(self.same_law(part), part, question)) is not None:
            source, value = shared
            self.flow.answer(part, question.id, value)
            self.save()
            self.say(f"{question.text} (applies to the whole request: answered '{question.display(value)}' "
                     f"as for part '{source}'; use review to change it)", "dim")
        else:
            self.ask(part, question)
        return True

    def same_law(self, part: PartState) -> list[PartState]:
        """The parts answered under the same law as `part` (request-wide answers are shared among them)."""
        return [p for p in self.session.parts if self.law.regime_of(p) == self.law.regime_of(part)]

    def ask(self, part: PartState, q: Question) -> None:
        part.pending = q.id
        self.save()
        current = self.show_question(part, q)
        hint = ANSWER_HINTS[q.type]
        keep = f", Enter keeps '{q.display(current)}'" if current is not None else ""
        while not self.take(part, q, current, self.ask_line(f"[{hint}{keep}] > ")):
            pass

    def progress(self, part: PartState) -> str:
        """Where the officer is, in one line: the part, the stage and the question."""
        parts = self.session.parts
        k = parts.index(part) + 1 if part in parts else 1
        pending = self.flow.rb.question(part.pending) if part.pending else None
        i, m = self.flow.progress(part)
        stage = f" · {STAGE_TEXT[pending.stage]}" if pending is not None else ""
        return f"Part {k} of {max(len(parts), k)} ({part.id}){stage} · question {i} of about {m}"

    def because(self, part: PartState, q: Question) -> str:
        """One line: the positive answers that led to this question ("" if none), so a question
        that follows a "No" says which "Yes" it follows from."""
        rb = self.flow.rb
        reasons = [qid for qid in self.flow.asked_because(part, q)
                   if part.answers.get(qid) not in (False, "no", "") and not rb.question(qid).request_wide]
        if not reasons:
            return ""
        said = "; ".join(f"'{rb.question(r).display(part.answers[r])}' to: {rb.question(r).text}" for r in reasons[-2:])
        return cut(f"Asked because you answered {said}", self.console.width - 1)

    def show_question(self, part: PartState, q: Question) -> Value | None:
        """The question with its progress line, any weighing and contradiction; the answer Enter keeps."""
        weighing = self.flow.weighing(part, q)
        if weighing is not None:
            self.console.print()
            for line in weighing_summary(weighing, q.stage, self.console.width):
                self.say(line, "bold" if line.startswith("Weigh") else "")
        self.console.print(f"\n[dim]{markup_safe(self.progress(part))}[/]")
        because = self.because(part, q)
        if because:
            self.say(because, "dim")
        clash = self.flow.contradiction(part) if q.id in self.flow.contradicted else None
        if clash is not None and clash.then.target == q.id:
            self.say("Your answers contradict each other: " + " ".join(clash.because.split()), "bold yellow")
            self.say("Answer this question again, or type back to change the earlier answer.", "yellow")
        self.say(q.text, "bold")
        if q.choices:  # a grid: a wrapped choice stays indented under its own text
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", min_width=4)
            grid.add_column()
            for i, choice in enumerate(q.choices, 1):
                grid.add_row(f"{i})", markup_safe(for_terminal(choice.label)))
            self.console.print(grid)
        current = part.answers.get(q.id)
        if current is not None and q.too_short(current):
            self.say(f"The answer given ('{current}') is too short: give a reason specific to this request, in at "
                     f"least {q.min_words} words.", "yellow")
            return None  # Enter may not keep it
        return current

    def take(self, part: PartState, q: Question, current: Value | None, raw: str) -> bool:
        """Act on a line typed at a question; True once the officer has moved on from it."""
        command = raw.lower()
        if command in ("?", "help"):
            self.console.print(help_panel(q))
            return False
        if command == "why":
            for line in why_lines(self.flow, self.assessor.rulebase, q.id, self.console.width):
                self.say(line)
            return False
        if command == "factors":
            weighing = self.flow.weighing(part, q)
            if weighing is None:
                self.say("This question has no public-interest weighing to show.", "yellow")
            else:
                page(self.console, render_weighing(weighing, q.stage))
            return False
        if command == "back":
            if self.flow.back(part) is None:
                self.say("This is the first question.", "yellow")
                return False
            self.save()
            return True
        if command == "review":
            self.review(part)
            return True
        if command == "quit":
            raise QuitRequested
        value = current if not raw and current is not None else parse_answer(q, raw)
        if value is None or q.too_short(value):
            self.say(retry_message(q, value), "yellow")
            return False
        if not self.confirm_settling(part, q, value):
            return False
        self.flow.answer(part, q.id, value)
        self.save()
        return True

    def confirm_settling(self, part: PartState, q: Question, value: Value) -> bool:
        """An answer that refuses the whole request (s14 vexatious, the s12 cost limit) is confirmed,
        with a one-line reason kept for the record; False if the officer does not confirm it."""
        refusing = self.flow.settles(part, q, value)
        if not refusing:
            part.settled.pop(q.id, None)
            return True
        if part.answers.get(q.id) == value and part.settled.get(q.id):
            return True  # confirmed before (Enter kept it)
        names = ", ".join(self.flow.rb.provision(p).label for p in refusing)
        self.say(f"This answer settles the part: the request is refused under {names}; only a question that "
                 "could still change that is asked.", "bold yellow")
        while True:
            sure = self.ask_line("Are you sure? [y/n] ").lower()
            if sure in ("n", "no", "back", ""):
                self.say("Answer not taken; answer the question again.", "yellow")
                return False
            if sure == "quit":
                raise QuitRequested
            if sure in ("y", "yes"):
                break
            self.say("Please answer y or n.", "yellow")
        while True:
            reason = self.ask_line("In one line, why (recorded with the decision): ")
            if reason.lower() == "back":
                return False
            if reason.lower() == "quit":
                raise QuitRequested
            if reason:
                part.settled[q.id] = reason
                return True
            self.say("A reason is needed for an answer that settles the part (or type back).", "yellow")

    def review(self, part: PartState) -> None:
        items = self.flow.review(part)
        if not items:
            self.say("No answers yet.")
            if self.ask_line("c to change the case details, or Enter to continue: ").lower() == "c":
                self.share(CaseDetails).edit_details()
            return
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right")
        table.add_column()
        for i, item in enumerate(items, 1):
            note = "" if item.applies else "  [dim](does not apply now)[/]"
            if item.carried_from:
                note += f"  [dim](carried from Stage {self.flow.rb.question(item.carried_from).stage})[/]"
            table.add_row(f"{i})", f"{markup_safe(item.question.text)}\n[bold]{markup_safe(item.answer)}[/]{note}")
        self.say(f"Answers for part '{part.id}':", "bold")
        self.console.print(table)
        while True:
            raw = self.ask_line("Number to change, c for the case details (reference, date, request), "
                                "or Enter to continue: ")
            if not raw:
                return
            if raw.lower() == "quit":
                raise QuitRequested
            if raw.lower() in ("c", "case"):
                self.share(CaseDetails).edit_details()
                return
            if raw.isdigit() and 1 <= int(raw) <= len(items):
                self.flow.goto(part, items[int(raw) - 1].question.id)
                self.save()
                return
            self.say(f"Enter a number from 1 to {len(items)}, or nothing.", "yellow")
