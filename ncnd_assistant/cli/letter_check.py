"""The interview's letter step, just before the letter is written and the decisions recorded.

For each part the officer sees the sentence that answers it exactly as the letter will give it,
and may reword the part's summary that sentence is built from. For each NCND part, the text the
officer typed (harm, public interest reasons) is shown exactly as it will be sent, with warnings
from `letter.free_text` on anything that may reveal holding or a capability; the officer
confirms it, edits it or leaves it out, and the decision record keeps how it was checked. Without
a terminal the warnings are printed and the record says the text was not confirmed
interactively; the run is not blocked. After the decisions are recorded it says which of them
await a second officer's sign-off before the letter may be sent.
"""

from __future__ import annotations

from dataclasses import field, replace
from typing import Any

from ncnd_assistant.audit.decision_record import needs_sign_off
from ncnd_assistant.cli.decision_screen import DecisionScreen, Finished, as_part
from ncnd_assistant.cli.interview import TerminalInterview
from ncnd_assistant.decide.answers import Request
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.session import PartState
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.free_text import TextWarning, check_text
from ncnd_assistant.letter.notice import NoticePart, letter_draft, part_statement
from ncnd_assistant.letter.particulars import Requester
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.settings.model import Settings

HELD_INVARIANCE_SCOPE = ("Held-invariance covers the rule base's wording only. The text you typed goes into the "
                         "letter exactly as shown: it is yours to check that it does not reveal whether the "
                         "information is held, or a capability.")
NOT_CONFIRMED = "not-confirmed"  # no terminal: printed with its warnings, recorded as not confirmed interactively


@dataclass
class LetterExtras:
    """What the answers file gives for the letter only: the requester and each part's questions."""

    requester: dict[str, str] = field(default_factory=dict)
    questions: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @staticmethod
    def of(request: Request | None) -> LetterExtras:
        if request is None:
            return LetterExtras()
        requester = {"name": request.requester_name, "address": request.requester_address}
        return LetterExtras(requester if any(requester.values()) else {},
                            {p.id: p.questions for p in request.parts if p.questions})


@dataclass
class OfficerText:
    """One text of the officer's that goes into an NCND part's letter."""

    key: str  # harm_text, public_interest_text, or the id of a public interest reasons question
    label: str
    text: str


class CheckedDecisionScreen(DecisionScreen):
    """The decision screen with the letter step run before the letter is written."""

    interactive: bool = False
    settings: Settings | None = None
    extras: LetterExtras = LetterExtras()
    checks: dict[str, dict[str, Any]]

    def finish(self) -> Finished:
        self.checks = self.check_letter()
        finished = super().finish()
        self.after_recording()
        return finished

    def letter_parts(self, parts: list[tuple[PartState, PartAssessment]]) -> list[NoticePart]:
        """Each part as the letter gives it, with the numbered questions it answers."""
        return [replace(np, questions=self.extras.questions.get(part.id, ()))
                for (part, _), np in zip(parts, super().letter_parts(parts), strict=True)]

    def letter_requester(self) -> Requester | None:
        """The requester from the answers file, if it names one."""
        r = self.extras.requester
        return Requester(r.get("name", ""), r.get("address", "")) if r else None

    def body(self, part: PartState, assessed: PartAssessment) -> dict[str, object]:
        """The decision record, with the text check, the request's parts and the letter's extras."""
        body = super().body(part, assessed)
        check = getattr(self, "checks", {}).get(part.id)
        if check is not None:
            body["free_text_check"] = check
        body["case_parts"] = [{"id": p.id, "summary": p.summary} for p in self.session.parts]
        if self.extras.requester:
            body["requester"] = dict(self.extras.requester)
        questions = self.extras.questions.get(part.id)
        if questions and isinstance(body.get("part"), dict):
            body["part"]["questions"] = list(questions)  # type: ignore[index]
        return body

    # ------------------------------------------------------------------ before the letter
    def check_letter(self) -> dict[str, dict[str, Any]]:
        """Each part's sentence as the letter gives it; each NCND part's own text checked."""
        checks: dict[str, dict[str, Any]] = {}
        self.say("The letter: check each part's sentence as the requester will read it.", "bold")
        for part in self.session.parts:
            if part.decision is None:
                continue
            self.show_sentence(part)
            assessed = self.law.for_part(part).assess_part(as_part(part))
            if Outcome(part.decision.final) is Outcome.NCND:
                checks[part.id] = self.check_free_text(part, assessed)
        return checks

    def show_sentence(self, part: PartState) -> None:
        """The part's answering sentence; at a terminal the officer may reword the summary in it."""
        while True:
            assessed = self.law.for_part(part).assess_part(as_part(part))
            np = self.letter_parts([(part, assessed)])[0]
            sentence = part_statement(self.law.for_part(part).rulebase, np, self.settings)
            self.say(f"Part '{part.id}': the letter will say:")
            self.say(f"  \"{sentence}\"")
            if not self.interactive:
                return
            raw = self.ask("Press Enter to keep it, or type a new summary of this part for the letter "
                           "(e.g. covert use of facial recognition technology): ")
            if not raw:
                return
            part.summary = raw
            self.save()

    def officer_texts(self, part: PartState, assessed: PartAssessment) -> list[OfficerText]:
        """The officer's own texts that the part's letter gives."""
        rb, d = self.law.for_part(part).rulebase, part.decision
        assert d is not None
        texts = [OfficerText("harm_text", "your harm text", d.harm_text)] if d.harm_text.strip() else []
        if d.public_interest_text.strip():
            texts.append(OfficerText("public_interest_text", "your public interest text", d.public_interest_text))
        texts += [OfficerText(q.id, f"your answer to \"{q.text}\"", str(part.answers[q.id]))
                  for q in rb.stage_questions(assessed.decision.stage)
                  if q.public_interest_reasons and q.id in assessed.asked and str(part.answers.get(q.id, "")).strip()]
        return texts

    def check_free_text(self, part: PartState, assessed: PartAssessment) -> dict[str, Any]:
        """Show each of the part's officer texts as sent, warn, and confirm, edit or leave it out."""
        texts = self.officer_texts(part, assessed)
        if not texts:
            return {"status": "no-text", "warnings": [], "texts": []}
        self.say(HELD_INVARIANCE_SCOPE, "bold yellow")
        statuses: list[str] = []
        warned: list[str] = []
        for item in texts:
            status, warnings = self.check_one(part, item)
            statuses.append(status)
            warned += [f"{item.key}: {w}" for w in warnings]
        return {"status": ",".join(dict.fromkeys(statuses)), "warnings": warned, "texts": [t.key for t in texts]}

    def check_one(self, part: PartState, item: OfficerText) -> tuple[str, list[TextWarning]]:
        names = [self.settings.authority] if self.settings is not None and self.settings.authority else []
        edited = False
        while True:
            warnings = check_text(item.text, names)
            self.say(f"Part '{part.id}', {item.label}, exactly as the letter will give it:")
            self.say(f"  \"{' '.join(item.text.split())}\"")
            for w in warnings:
                self.say(f"  Warning: this may reveal holding or a capability: it {w}", "bold red")
            if not self.interactive:
                if warnings:
                    self.say("  Not confirmed: there is no terminal to ask. Read it before the letter is sent.",
                             "yellow")
                return NOT_CONFIRMED, warnings
            # with nothing flagged, Enter confirms the text just shown; a flagged text needs a choice
            prompt = ("[c]onfirm it as it is, [e]dit it, or [l]eave it out of the letter: " if warnings else
                      "Enter or [c] to confirm it as it is, [e]dit it, or [l]eave it out of the letter: ")
            choice = self.ask(prompt)
            if choice is None:  # end of input: as without a terminal
                continue
            choice = choice.strip().lower() or ("" if warnings else "c")
            if choice in ("c", "confirm"):
                return ("edited" if edited else "confirmed"), warnings
            if choice in ("e", "edit"):
                new = self.ask("New text (one paragraph): ")
                if new and self.set_text(part, item, new):
                    item.text, edited = new, True
                continue
            if choice in ("l", "leave", "leave out"):
                if self.set_text(part, item, ""):
                    return "left-out", warnings
                continue
            self.say("Please type c, e or l.", "yellow")

    def ask(self, prompt: str) -> str | None:
        """A line from the officer; at the end of input (None) the rest of the step runs as it does
        without a terminal, so scripted input that ends at the last decision still finishes."""
        try:
            return self.ask_line(prompt)
        except EOFError:
            self.interactive = False
            self.say("")
            return None

    def set_text(self, part: PartState, item: OfficerText, text: str) -> bool:
        """Change (or clear) one of the part's officer texts; False if that is not allowed."""
        d = part.decision
        assert d is not None
        if item.key == "harm_text":
            d.harm_text = text
        elif item.key == "public_interest_text":
            d.public_interest_text = text
        else:
            q = self.law.for_part(part).rulebase.question(item.key)
            if not text or q.too_short(text):
                self.say(f"This answer is needed for the public interest test and must have at least {q.min_words} "
                         "words: edit it instead.", "yellow")
                return False
            part.answers[item.key] = text
        self.save()
        return True

    # ------------------------------------------------------------------ after the records
    def after_recording(self) -> None:
        """The officer's notes beside the letter, and the decisions awaiting a second officer."""
        s = self.session
        parts = self.letter_parts([(part, self.law.for_part(part).assess_part(as_part(part))) for part in s.parts])
        draft = letter_draft(self.letter_rulebase(), s.case_ref, s.received, s.request, parts, settings=self.settings,
                             requester=self.letter_requester())
        for note in draft.officer_notes:
            if not note.startswith("Sign-off:"):
                self.say(f"Note: {note}")
        for part in s.parts:
            assert part.decision is not None
            assessor = self.law.for_part(part)
            waiting = needs_sign_off(assessor.rulebase, assessor.assess_part(as_part(part)))
            if waiting:
                self.say(f"Sign-off: the {part.id} part relies on {', '.join(waiting)}; a second officer must sign "
                         f"it off before the letter is sent: ncnd audit sign-off {part.decision.record_id} --by NAME",
                         "bold yellow")
                if not s.officer.strip():
                    self.say("No deciding officer is recorded for it, so sign-off will be refused (four eyes needs "
                             "two named people): give --officer NAME, or set `officer` in the answers file or the "
                             "settings, and record the decision again.", "bold red")


def install(runner: TerminalInterview, interactive: bool, settings: Settings | None, extras: LetterExtras) -> None:
    """Put the letter step into an interview runner's finish (`runner.decisions`)."""
    screen = runner.share(CheckedDecisionScreen)
    screen.interactive, screen.settings, screen.extras = interactive, settings, extras
    runner.decisions = screen
