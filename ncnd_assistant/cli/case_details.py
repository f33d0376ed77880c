"""The interview's case-details stage: the case reference, the law that applies (FOIA, the EIR or
FOISA, unless --rules or the answers file fixes it), dates, request text and officer; the parts the
request is split into, with the protective "any other information" part; and the offer to copy an
earlier part's answers."""

from __future__ import annotations

import re

from rich.panel import Panel

from ncnd_assistant.cli.prompts import COMMANDS, QuitRequested, Stage
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.interview.dates import DATE_HINT, date_warning, parse_date, time_limit
from ncnd_assistant.interview.session import NOT_REFERENCES, REGIMES, PartState, usable_reference
from ncnd_assistant.letter.workdays import calendar_for, long_date, time_limit_basis
from ncnd_assistant.rulebase.loader import load_rulebase, shipped_rules_dir

NAME_CHARS = re.compile(r"[^a-z0-9_]+")
REGIME_LABELS = {"foia": "FOIA 2000 (Freedom of Information Act 2000)",
                 "eir": "EIR 2004 (Environmental Information Regulations 2004)",
                 "foisa": "FOISA 2002 (Freedom of Information (Scotland) Act 2002)"}
REGIME_HINT = "Scottish public authority → FOISA; environmental information → EIR"
FIXED_BY = {"rules": "the rule base given (--rules)", "answers": "the answers file"}


class CaseDetails(Stage):
    """Asks what the case is and which parts the request has; each step is skipped once done."""

    def ask_details(self) -> None:
        s = self.session
        if s.details_done:
            return
        self.console.print(Panel("NCND Assistant: decision support, not legal advice. The officer decides.\n"
                                 f"Type '?' at any question for help; commands: {COMMANDS}.",
                                 title="Interview", title_align="left"))
        while True:
            if not usable_reference(s.case_ref):
                s.case_ref = self.ask_reference()
            self.save()
            if not self.ask_regime():
                s.case_ref = ""  # `back` at the law: the reference again
                continue
            if self.ask_received():
                break
            if s.regime_source == "chosen":
                s.regime_source = ""  # `back` at the date: the law again
            else:
                s.case_ref = ""  # the law is fixed: the reference again
        self.save()
        if not s.request:
            s.request = self.ask_request_text()
        if not s.officer:
            s.officer = self.ask_line("Your name, for the audit trail (Enter to skip; `ncnd settings set officer "
                                      "NAME` or NCND_OFFICER saves asking): ")
        s.details_done = True
        self.save()

    def ask_regime(self) -> bool:
        """Which law applies (asked once, after the reference; Enter keeps FOIA), or which applies
        when --rules or the answers file fixes it; False if the officer typed back."""
        s = self.session
        if s.regime_source:
            if s.regime_source in FIXED_BY:
                self.say(f"Law: {REGIME_LABELS.get(self.law.home, self.law.home)}, as {FIXED_BY[s.regime_source]} "
                         "sets it.", "dim")
            return True
        self.say("Which law applies?", "bold")
        for i, regime in enumerate(REGIMES, 1):
            self.say(f"  {i}) {REGIME_LABELS[regime]}" + (" (default)" if i == 1 else ""))
        self.say(f"  {REGIME_HINT}", "dim")
        while True:
            raw = self.ask_line("[number, Enter for FOIA] > ").lower()
            if raw == "quit":
                raise QuitRequested
            if raw == "back":
                return False
            if raw in ("?", "help"):
                self.say("The law the request is answered under: FOIA 2000 for public authorities in England, Wales "
                         "and Northern Ireland (and UK-wide bodies); FOISA 2002 for Scottish public authorities such "
                         "as Police Scotland; the EIR 2004 where the information requested is environmental "
                         "(FOIA s39). It decides the questions, the time limit and the letter.", "dim")
                continue
            chosen = "foia" if not raw else REGIMES[int(raw) - 1] if raw in ("1", "2", "3") else raw
            if chosen in REGIMES:
                self.choose_regime(chosen)
                return True
            self.say("Please type 1, 2 or 3 (or Enter for FOIA 2000).", "yellow")

    def choose_regime(self, regime: str) -> None:
        """Answer the request under `regime`'s shipped rule base, kept in the session."""
        s = self.session
        if regime != self.law.home:
            folder = shipped_rules_dir(regime)
            if folder is None:
                self.say(f"No rule base is shipped for {REGIME_LABELS[regime]}; the request stays under "
                         f"{REGIME_LABELS[self.law.home]}.", "bold yellow")
                regime = self.law.home
            else:
                rb = load_rulebase(folder)
                self.law.rehome(Assessor(rb))
                s.rules = str(folder.resolve())
                s.rulebase = {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest}
        s.regime, s.regime_source = regime, "chosen"
        self.save()
        self.say(f"Answered under {REGIME_LABELS[regime]}.", "dim")

    def change_regime(self) -> None:
        """The law again, from `review`: only while no part has an answer (answers and decisions under
        one law are not answers under another)."""
        s = self.session
        if s.regime_source in FIXED_BY:
            self.say(f"The law is fixed by {FIXED_BY[s.regime_source]}.", "yellow")
        elif any(p.answers or p.decision for p in s.parts):
            self.say("The law can be changed only before any part is answered: start a new interview to answer "
                     "this request under another law.", "yellow")
        else:
            s.regime_source = ""
            self.ask_regime()
            if not s.regime_source:  # `back`: keep the law as it was
                s.regime_source = "chosen"
            self.show_time_limit()

    def ask_reference(self) -> str:
        """The case reference: never empty and never a command (`?` gives help)."""
        while True:
            raw = self.ask_line("Case reference: ")
            if usable_reference(raw):
                return raw
            command = raw.lower()
            if command == "quit":
                raise QuitRequested
            if command in ("?", "help"):
                self.say("The reference your authority gave the request (for example FOI/2026/0123): it names "
                         "the session, the audit records and the letter.", "dim")
            elif command == "back":
                self.say("This is the first question.", "yellow")
            elif command in NOT_REFERENCES:
                self.say(f"'{raw}' is a command here, not a reference; type the case reference.", "yellow")
            else:
                self.say("A case reference is needed: type your authority's reference for the request.", "yellow")

    def ask_received(self) -> bool:
        """The date received, and the response due date it gives; False if the officer typed back."""
        s = self.session
        today = self.clock().date()
        while s.received is None:
            raw = self.ask_line(f"Date received ({DATE_HINT}; Enter for today): ")
            command = raw.lower()
            if command == "quit":
                raise QuitRequested
            if command == "back":
                return False
            if command in ("?", "help"):
                self.say("The day the request reached the authority: the 20 working days for the response "
                         f"run from the day after it. Type it as {DATE_HINT}.", "dim")
                continue
            day = parse_date(raw) if raw else today
            if day is None:
                self.say(f"Could not read '{raw}' as a date: type it as {DATE_HINT} (for example 03/11/2026).",
                         "yellow")
                continue
            warning = date_warning(day, today)
            if warning:
                self.say(f"Check the date: {warning} If it is wrong, type review at any question, then c.",
                         "bold yellow")
            s.received = day
        self.show_time_limit()
        return True

    def show_time_limit(self) -> None:
        s = self.session
        if s.received is None:
            return
        regime = self.assessor.rulebase.meta.regime
        limit = time_limit(s.received, self.clock().date(), calendar_for(regime))
        self.say(f"Response due by {limit.due:%A} {long_date(limit.due)} (20 working days after receipt, "
                 f"{time_limit_basis(regime)}): {limit.describe()}.", "bold")

    def edit_details(self) -> None:
        """Change the reference, date received, request text or officer (from `review`)."""
        s = self.session
        while True:
            received = s.received.strftime("%d %B %Y") if s.received else "not given"
            first = s.request.splitlines()[0] if s.request else "not given"
            self.say("Case details:", "bold")
            self.say(f"  1) Case reference: {s.case_ref}")
            self.say(f"  2) Date received: {received}")
            more = "…" if len(first) > 80 or "\n" in s.request else ""
            self.say(f"  3) Request text: {first[:80]}{more}")
            self.say(f"  4) Your name: {s.officer or 'not given'}")
            self.say(f"  5) Law: {REGIME_LABELS.get(self.law.home, self.law.home)}")
            raw = self.ask_line("Number to change, or Enter to go back: ").lower()
            if raw in ("", "back"):
                return
            if raw == "quit":
                raise QuitRequested
            if raw == "1":
                s.case_ref = self.ask_reference()
            elif raw == "2":
                old, s.received = s.received, None
                if not self.ask_received():
                    s.received = old
            elif raw == "3":
                s.request = self.ask_request_text()
            elif raw == "4":
                s.officer = self.ask_line("Your name, for the audit trail: ")
            elif raw == "5":
                self.change_regime()
            else:
                self.say("Enter a number from 1 to 5, or nothing.", "yellow")
                continue
            self.save()

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
            if not name:
                self.say("A short name is needed (letters, digits or _), for example overt or covert.", "yellow")
            elif name in {p.id for p in self.session.parts}:
                self.say(f"There is already a part '{name}'.", "yellow")
                name = ""
        summary = ""
        while not summary:
            summary = self.ask_line(f"Part {number}: what it asks, in a few words: ")
            if not summary:
                self.say("Say in a few words what this part asks, for example 'covert use of facial "
                         "recognition'.", "yellow")
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
            if not summary:
                self.say("A few words are needed: they go into the letter.", "yellow")
        name = "any_other"
        while name in {p.id for p in s.parts}:
            name += "_"
        s.parts.append(PartState(name, summary, kind="any_other_information"))
        self.save()

    def offer_copy(self, part: PartState) -> bool:
        """Offer to copy an earlier part's answers into a new part; True if they were copied (the
        caller then shows them for review)."""
        law = self.law.regime_of(part)  # a part switched to the EIR has EIR answers: not for a FOIA part
        earlier = [p for p in self.session.parts[: self.session.current] if p.answers and self.law.regime_of(p) == law]
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
