"""The interview's case-details stage: the case reference, dates, request text and officer; the
parts the request is split into, with the protective "any other information" part; and the
offer to copy an earlier part's answers."""

from __future__ import annotations

import re
from datetime import date

from rich.panel import Panel

from ncnd_assistant.cli.prompts import COMMANDS, QuitRequested, Stage
from ncnd_assistant.interview.session import PartState
from ncnd_assistant.letter.workdays import calendar_for, due_date, time_limit_basis

NAME_CHARS = re.compile(r"[^a-z0-9_]+")


class CaseDetails(Stage):
    """Asks what the case is and which parts the request has; each step is skipped once done."""

    def ask_details(self) -> None:
        s = self.session
        if s.details_done:
            return
        self.console.print(Panel("NCND Assistant: decision support, not legal advice. The officer decides.\n"
                                 f"Type '?' at any question for help; commands: {COMMANDS}.",
                                 title="Interview", title_align="left"))
        while not s.case_ref:
            s.case_ref = self.ask_line("Case reference: ")
        s.name_after_case()
        self.save()
        self.ask_received()
        self.save()
        if not s.request:
            s.request = self.ask_request_text()
        if not s.officer:
            s.officer = self.ask_line("Your name, for the audit trail (Enter to skip): ")
        s.details_done = True
        self.save()

    def ask_received(self) -> None:
        """The date received, and the response due date it gives."""
        s = self.session
        while s.received is None:
            raw = self.ask_line("Date received (YYYY-MM-DD, Enter for today): ")
            try:
                s.received = date.fromisoformat(raw) if raw else self.clock().date()
            except ValueError:
                self.say("Please give the date as YYYY-MM-DD, for example 2026-11-27.", "yellow")
        regime = self.assessor.rulebase.meta.regime
        due = due_date(s.received, nations=calendar_for(regime))
        self.say(f"Response due by {due.strftime('%A %d %B %Y')} "
                 f"(20 working days after receipt, {time_limit_basis(regime)}).", "bold")

    def ask_request_text(self) -> str:
        self.say("Paste the request text, then a line with only a full stop (.) to finish:")
        lines: list[str] = []
        while True:
            line = self.read("")
            if line.strip() == ".":
                break
            lines.append(line.rstrip())
        return "\n".join(lines).strip()

    # ------------------------------------------------------------------ parts
    def define_parts(self) -> None:
        s = self.session
        if s.parts_done:
            return
        self.say("Split the request into parts that may need different answers "
                 "(for example overt use and covert use); each part is assessed on its own.")
        while True:
            s.parts.append(self.ask_part(len(s.parts) + 1))
            self.save()
            more = self.ask_more()
            if more in ("o", "other"):
                self.add_protective_part()
                break
            if more in ("n", "no"):
                break
        s.parts_done = True
        self.save()

    def ask_part(self, number: int) -> PartState:
        """One part: a new short name, what it asks, and its topic tags."""
        name = ""
        while not name:
            name = NAME_CHARS.sub("_", self.ask_line(f"Part {number}: short name (e.g. covert): ").lower())
            name = name.strip("_")
            if name in {p.id for p in self.session.parts}:
                self.say(f"There is already a part '{name}'.", "yellow")
                name = ""
        summary = ""
        while not summary:
            summary = self.ask_line(f"Part {number}: what it asks, in a few words: ")
        raw_tags = self.ask_line(f"Part {number}: topic tags, comma-separated (optional, e.g. "
                                 "facial-recognition): ")
        tags = [t for t in (NAME_CHARS.sub("-", t.strip().lower()).strip("-") for t in raw_tags.split(","))
                if t]
        return PartState(name, summary, tags=tags)

    def ask_more(self) -> str:
        """Whether another part follows: y, yes, n, no, o or other."""
        more = self.ask_line("Add another part? [y/n, or o for a part for any other (for example covert) "
                             "information, to be neither confirmed nor denied] ").strip().lower()
        while more not in ("y", "yes", "n", "no", "o", "other"):
            if more == "quit":
                raise QuitRequested
            more = self.ask_line("Please answer y, n or o: ").strip().lower()
        return more

    def add_protective_part(self) -> None:
        """The police pattern: the parts above answered on their merits (for example "not held" for
        overt use), and "neither confirm nor deny" for any other information in the request."""
        s = self.session
        self.say("The last part covers any other information within the request (for example covert use), to be "
                 "neither confirmed nor denied. Describe what it covers; the letter says the authority can neither "
                 "confirm nor deny that it holds any other such information.")
        summary = ""
        while not summary:
            summary = self.ask_line("What the other information would be, in a few words (e.g. covert use of "
                                    "facial recognition): ")
        name = "any_other"
        while name in {p.id for p in s.parts}:
            name += "_"
        s.parts.append(PartState(name, summary, kind="any_other_information"))
        self.save()

    def offer_copy(self, part: PartState) -> bool:
        """Offer to copy an earlier part's answers into a new part; True if they were copied (the
        caller then shows them for review)."""
        earlier = [p for p in self.session.parts[: self.session.current] if p.answers]
        if not earlier or part.answers or part.history:
            return False
        self.say("Copy the answers from an earlier part, then change what differs?")
        for i, other in enumerate(earlier, 1):
            self.say(f"  {i}) {other.id}: {other.summary}")
        while True:
            raw = self.ask_line("Number to copy, or Enter for none: ")
            if not raw:
                return False
            if raw.isdigit() and 1 <= int(raw) <= len(earlier):
                self.flow.copy_answers(earlier[int(raw) - 1], part)
                self.save()
                return True
            self.say(f"Enter a number from 1 to {len(earlier)}, or nothing.", "yellow")
