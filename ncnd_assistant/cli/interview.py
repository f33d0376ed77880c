"""The terminal interview: prompts, commands and screens around the pure `Flow`.

Input and output are injected (a Rich console and a `read(prompt)` function), so tests drive
it exactly. The session is saved before every prompt and after every answer; Ctrl-C and end
of input propagate to the caller, which saves and prints the `--resume` command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.precedent import find_precedents
from ncnd_assistant.audit.record import AuditRecord
from ncnd_assistant.audit.records import considered_provisions, decision_record, needs_sign_off
from ncnd_assistant.decide.answers import Part, coerce, expected
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import Decision, PartState, Session
from ncnd_assistant.letter.notice import NoticePart, reason_paragraphs, render_notice
from ncnd_assistant.letter.workdays import due_date
from ncnd_assistant.paths import data_dir
from ncnd_assistant.render.text import OUTCOME_TEXT, render_explanation, render_part, render_weighing
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, Question

Reader = Callable[[str], str]
COMMANDS = "? = help, why, back, review, quit"
NAME_CHARS = re.compile(r"[^a-z0-9_]+")


class QuitRequested(Exception):
    """The officer typed `quit`: save and leave."""


@dataclass
class Finished:
    """Where the interview's outputs went."""

    notice: Path
    audit: Path


class TerminalInterview:
    """Walks an officer through a session, part by part, to a decision."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, session: Session,
                 clock: Callable[[], datetime] | None = None):
        self.console = console
        self.read = read
        self.assessor = assessor
        self.flow = Flow(assessor)
        self.session = session
        self.clock = clock or (lambda: datetime.now(UTC))
        self._earlier: list[AuditRecord] | None = None

    # ------------------------------------------------------------------ helpers
    def say(self, text: str = "", style: str = "") -> None:
        self.console.print(escape(text), style=style or None)

    def save(self) -> None:
        self.session.save()

    def ask_line(self, prompt: str) -> str:
        return self.read(prompt).strip()

    def ask_yes_no(self, prompt: str) -> bool:
        while True:
            raw = self.ask_line(prompt).lower()
            if raw in ("y", "yes"):
                return True
            if raw in ("n", "no"):
                return False
            if raw == "quit":
                raise QuitRequested
            self.say("Please answer y or n.", "yellow")

    # ------------------------------------------------------------------ the whole run
    def run(self) -> Finished:
        self.case_details()
        self.define_parts()
        while self.session.current < len(self.session.parts):
            part = self.session.parts[self.session.current]
            self.interview_part(part)
            self.session.current += 1
            self.save()
        return self.finish()

    def run_batch(self) -> Finished:
        """No terminal and nothing to ask: accept every recommendation."""
        if self.session.received is None:
            self.session.received = self.clock().date()
        for part in self.session.parts:
            if part.decision is None:
                assessed = self.assessor.assess_part(self.as_part(part))
                self.show_decision(part, assessed)
                self.show_precedents(part, assessed)
                self.record(part, assessed, assessed.outcome, "")
        self.session.current = len(self.session.parts)
        return self.finish()

    # ------------------------------------------------------------------ case details
    def case_details(self) -> None:
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
        while s.received is None:
            raw = self.ask_line("Date received (YYYY-MM-DD, Enter for today): ")
            try:
                s.received = date.fromisoformat(raw) if raw else self.clock().date()
            except ValueError:
                self.say("Please give the date as YYYY-MM-DD, for example 2026-11-27.", "yellow")
        self.say(f"Response due by {due_date(s.received).strftime('%A %d %B %Y')} "
                 "(20 working days after receipt, FOIA s10(1); weekends and UK bank holidays excluded).", "bold")
        self.save()
        if not s.request:
            self.say("Paste the request text, then a line with only a full stop (.) to finish:")
            lines: list[str] = []
            while True:
                line = self.read("")
                if line.strip() == ".":
                    break
                lines.append(line.rstrip())
            s.request = "\n".join(lines).strip()
        if not s.officer:
            s.officer = self.ask_line("Your name, for the audit trail (Enter to skip): ")
        s.details_done = True
        self.save()

    # ------------------------------------------------------------------ parts
    def define_parts(self) -> None:
        s = self.session
        if s.parts_done:
            return
        self.say("Split the request into parts that may need different answers "
                 "(for example overt use and covert use); each part is assessed on its own.")
        while True:
            number = len(s.parts) + 1
            name = ""
            while not name:
                name = NAME_CHARS.sub("_", self.ask_line(f"Part {number}: short name (e.g. covert): ").lower())
                name = name.strip("_")
                if name in {p.id for p in s.parts}:
                    self.say(f"There is already a part '{name}'.", "yellow")
                    name = ""
            summary = ""
            while not summary:
                summary = self.ask_line(f"Part {number}: what it asks, in a few words: ")
            raw_tags = self.ask_line(f"Part {number}: topic tags, comma-separated (optional, e.g. "
                                     "facial-recognition): ")
            tags = [t for t in (NAME_CHARS.sub("-", t.strip().lower()).strip("-") for t in raw_tags.split(","))
                    if t]
            s.parts.append(PartState(name, summary, tags=tags))
            self.save()
            more = self.ask_line("Add another part? [y/n, or o for a part for any other (for example covert) "
                                 "information, to be neither confirmed nor denied] ").strip().lower()
            while more not in ("y", "yes", "n", "no", "o", "other"):
                if more == "quit":
                    raise QuitRequested
                more = self.ask_line("Please answer y, n or o: ").strip().lower()
            if more in ("o", "other"):
                self.add_protective_part()
                break
            if more in ("n", "no"):
                break
        s.parts_done = True
        self.save()

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

    def offer_copy(self, part: PartState) -> None:
        earlier = [p for p in self.session.parts[: self.session.current] if p.answers]
        if not earlier or part.answers or part.history:
            return
        self.say("Copy the answers from an earlier part, then change what differs?")
        for i, other in enumerate(earlier, 1):
            self.say(f"  {i}) {other.id}: {other.summary}")
        while True:
            raw = self.ask_line("Number to copy, or Enter for none: ")
            if not raw:
                return
            if raw.isdigit() and 1 <= int(raw) <= len(earlier):
                self.flow.copy_answers(earlier[int(raw) - 1], part)
                self.save()
                self.review(part)
                return
            self.say(f"Enter a number from 1 to {len(earlier)}, or nothing.", "yellow")

    # ------------------------------------------------------------------ questions
    def interview_part(self, part: PartState) -> None:
        dropped = self.flow.drop_invalid(part)
        if dropped:
            self.say("The rule base no longer accepts some answers; they will be asked again: "
                     + ", ".join(dropped), "yellow")
        self.console.rule(f"Part '{part.id}': {part.summary}")
        self.offer_copy(part)
        while part.decision is None:
            question = self.flow.next_question(part)
            if question is None:
                self.decision_screen(part)
            elif (shared := self.flow.shared_answer(self.session.parts, part, question)) is not None:
                source, value = shared
                self.flow.answer(part, question.id, value)
                self.save()
                self.say(f"{question.text} (applies to the whole request: answered '{question.display(value)}' "
                         f"as for part '{source}'; use review to change it)", "dim")
            else:
                self.ask(part, question)

    def ask(self, part: PartState, q: Question) -> None:
        part.pending = q.id
        self.save()
        stage = "Stage 1: confirm or deny" if q.stage == 1 else "Stage 2: disclosure"
        self.console.print(f"\n[dim]{escape(part.id)} · {stage}[/]")
        weighing = self.flow.weighing(part, q)
        if weighing is not None:
            self.console.print(render_weighing(weighing, q.stage))
        clash = self.flow.contradiction(part) if q.id in self.flow.contradicted else None
        if clash is not None and clash.then.target == q.id:
            self.say("Your answers contradict each other: " + " ".join(clash.because.split()), "bold yellow")
            self.say("Answer this question again, or type back to change the earlier answer.", "yellow")
        self.say(q.text, "bold")
        for i, choice in enumerate(q.choices, 1):
            self.say(f"  {i}) {choice.label}")
        current = part.answers.get(q.id)
        if current is not None and q.too_short(current):
            self.say(f"The answer given ('{current}') is too short: give a reason specific to this request, in at "
                     f"least {q.min_words} words.", "yellow")
            current = None  # Enter may not keep it
        hint = {"yes_no": "y/n", "choice": "number", "text": "text"}[q.type]
        keep = f", Enter keeps '{q.display(current)}'" if current is not None else ""
        while True:
            raw = self.ask_line(f"[{hint}{keep}] > ")
            command = raw.lower()
            if command in ("?", "help"):
                self.show_help(q)
            elif command == "why":
                self.show_why(q)
            elif command == "back":
                if self.flow.back(part) is None:
                    self.say("This is the first question.", "yellow")
                    continue
                self.save()
                return
            elif command == "review":
                self.review(part)
                return
            elif command == "quit":
                raise QuitRequested
            elif not raw and current is not None:
                self.flow.answer(part, q.id, current)
                self.save()
                return
            else:
                value = parse_answer(q, raw)
                if value is None:
                    self.say(f"Please answer {expected(q) if q.type != 'choice' else 'with a number or a choice'}"
                             f" ({COMMANDS}).", "yellow")
                    continue
                if q.too_short(value):
                    self.say(f"Please give a reason specific to this request, in at least {q.min_words} words"
                             + (" (it goes into the letter)." if q.public_interest_reasons else "."), "yellow")
                    continue
                self.flow.answer(part, q.id, value)
                self.save()
                return

    def show_help(self, q: Question) -> None:
        body = q.help
        if q.citations:
            body += "\n\nSources: " + "; ".join(str(c) for c in q.citations)
        self.console.print(Panel(escape(body), title="Help", title_align="left"))

    def show_why(self, q: Question) -> None:
        deps = self.flow.dependents(q.id)
        rb = self.assessor.rulebase
        if not deps.rules and not deps.questions:
            self.say("No rule depends on this answer; it is recorded for the audit trail.")
            return
        if deps.provisions:
            self.say("Provisions that depend on this answer: "
                     + ", ".join(rb.provision(p).label for p in deps.provisions))
        for rid in deps.rules:
            self.say(f"  {rid}: {rb.rule(rid).then.describe()}")
        if deps.questions:
            self.say("Questions it decides whether to ask: " + ", ".join(deps.questions))

    def review(self, part: PartState) -> None:
        items = self.flow.review(part)
        if not items:
            self.say("No answers yet.")
            return
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right")
        table.add_column()
        for i, item in enumerate(items, 1):
            note = "" if item.applies else "  [dim](does not apply now)[/]"
            table.add_row(f"{i})", f"{escape(item.question.text)}\n[bold]{escape(item.answer)}[/]{note}")
        self.say(f"Answers for part '{part.id}':", "bold")
        self.console.print(table)
        while True:
            raw = self.ask_line("Number to change, or Enter to continue: ")
            if not raw:
                return
            if raw.lower() == "quit":
                raise QuitRequested
            if raw.isdigit() and 1 <= int(raw) <= len(items):
                self.flow.goto(part, items[int(raw) - 1].question.id)
                self.save()
                return
            self.say(f"Enter a number from 1 to {len(items)}, or nothing.", "yellow")

    # ------------------------------------------------------------------ decision
    def as_part(self, part: PartState) -> Part:
        return Part(part.id, part.summary, dict(part.answers), tags=tuple(part.tags), kind=part.kind)

    def show_decision(self, part: PartState, assessed: PartAssessment) -> None:
        self.console.print(render_part(assessed, explain=False))
        if assessed.outcome is Outcome.NCND:
            same = self.assessor.held_invariant(self.as_part(part))
            self.say("Held-invariance: everything above is identical whether or not the information is held."
                     if same else "Held-invariance FAILED: the result depends on whether the information is held.",
                     "green" if same else "bold red")

    def decision_screen(self, part: PartState) -> None:
        part.pending = None
        self.save()
        assessed = self.assessor.assess_part(self.as_part(part))
        conflicts = self.flow.request_wide_conflicts(self.session.parts, part)
        if conflicts:
            assessed = replace(assessed, warnings=assessed.warnings + tuple(conflicts))
        self.show_decision(part, assessed)
        self.show_precedents(part, assessed)
        harm = public_interest = ""
        withheld = False
        paragraphs: list[str] = []
        while True:
            choice = self.ask_line("[a]ccept, [o]verride, [e]xplain, [h]arm text, [p]ublic interest text, "
                                   "[w]ithhold reasons (s17(4)), [b]ack, [r]eview, [q]uit: ").lower()
            if choice in ("a", "accept"):
                self.record(part, assessed, assessed.outcome, "", harm, public_interest, withheld, paragraphs)
                return
            if choice in ("o", "override"):
                final, reason = self.ask_override(assessed.outcome)
                self.record(part, assessed, final, reason, harm, public_interest, withheld, paragraphs)
                return
            if choice in ("w", "withhold"):
                withheld, paragraphs = self.ask_withheld(assessed, harm)
                continue
            if choice in ("e", "explain"):
                self.console.print(render_explanation(assessed))
            elif choice in ("h", "harm"):
                harm = self.ask_line("Case-specific harm text (one paragraph): ")
            elif choice in ("p", "public interest"):
                public_interest = self.ask_line("Case-specific public interest text (one paragraph): ")
            elif choice in ("b", "back"):
                self.flow.back(part)
                self.save()
                return
            elif choice in ("r", "review"):
                self.review(part)
                return
            elif choice in ("q", "quit"):
                raise QuitRequested
            else:
                self.say("Please type a, o, e, h, p, w, b, r or q.", "yellow")

    def ask_withheld(self, assessed: PartAssessment, harm: str) -> tuple[bool, list[str]]:
        """s17(4): which reason paragraphs the letter leaves out (all, some or none); the audit
        record keeps every reason."""
        listed = reason_paragraphs(self.assessor.rulebase, NoticePart(assessed, assessed.outcome, harm_text=harm))
        if not listed:
            self.say("This part's letter gives no reasons to withhold.", "yellow")
            return False, []
        self.say("Reasons the letter would give (s17(4) lets you leave out any whose statement would itself "
                 "disclose exempt information):")
        for n, (_, text) in enumerate(listed, 1):
            self.say(f"  {n}) {text[:160]}{'...' if len(text) > 160 else ''}")
        while True:
            raw = self.ask_line("Leave out which? numbers separated by commas, 'all', or Enter for none: ").strip()
            if raw.lower() == "all":
                self.say("The letter will leave out the reasons for this part (s17(4)); the audit record keeps "
                         "them.")
                return True, [key for key, _ in listed]
            if not raw:
                self.say("The letter will give the reasons for this part.")
                return False, []
            numbers = [x.strip() for x in raw.split(",")]
            if all(x.isdigit() and 1 <= int(x) <= len(listed) for x in numbers):
                keys = list(dict.fromkeys(listed[int(x) - 1][0] for x in numbers))
                if len(keys) == len(listed):
                    self.say("The letter will leave out the reasons for this part (s17(4)); the audit record "
                             "keeps them.")
                    return True, keys
                self.say(f"The letter will leave out {len(keys)} of {len(listed)} reason paragraphs and say that "
                         "some reasons are withheld (s17(4)); the audit record keeps them all.")
                return False, keys
            self.say(f"Please give numbers from 1 to {len(listed)}, 'all', or press Enter.", "yellow")

    def ask_override(self, recommended: Outcome) -> tuple[Outcome, str]:
        outcomes = [o for o in Outcome if o is not recommended]
        self.say(f"Override the recommendation ({OUTCOME_TEXT[recommended]}) with:")
        for i, outcome in enumerate(outcomes, 1):
            self.say(f"  {i}) {OUTCOME_TEXT[outcome]}")
        while True:
            raw = self.ask_line("Number: ")
            if raw.isdigit() and 1 <= int(raw) <= len(outcomes):
                final = outcomes[int(raw) - 1]
                break
            self.say(f"Enter a number from 1 to {len(outcomes)}.", "yellow")
        reason = ""
        while not reason:
            reason = self.ask_line("Reason for the override (required, recorded in the audit trail): ")
            if not reason:
                self.say("An override needs a reason.", "yellow")
        return final, reason

    def record(self, part: PartState, assessed: PartAssessment, final: Outcome, reason: str,
               harm: str = "", public_interest: str = "", withheld: bool = False,
               paragraphs: list[str] | None = None) -> None:
        s = self.session
        rb = self.assessor.rulebase
        written = audit.append(self.audit_path(), decision_record(
            rb, assessed, case_ref=s.case_ref, officer=s.officer, session=s.id, final=final,
            override_reason=reason, harm_text=harm, public_interest_text=public_interest,
            reasons_withheld=withheld, received=s.received, request=s.request, tags=part.tags,
            decided_on=self.clock().date(), withheld_paragraphs=paragraphs or []), self.clock)
        part.decision = Decision(assessed.outcome.value, final.value, [c.provision.id for c in assessed.decision.cited],
                                 reason, harm, public_interest, self.clock().isoformat(timespec="seconds"),
                                 withheld, written.id, list(paragraphs or []))
        self.save()
        verdict = OUTCOME_TEXT[final] + (f" (override: {reason})" if reason else "")
        self.say(f"Recorded for part '{part.id}': {verdict}. Audit record {written.id}.", "bold green")
        waiting = needs_sign_off(rb, assessed)
        if waiting:
            self.say(f"This decision involves {', '.join(waiting)}: it awaits sign-off by a second officer "
                     f"(ncnd audit sign-off {written.id} --by NAME).", "bold yellow")

    def earlier_decisions(self) -> list[AuditRecord]:
        """The audit log as it was when this run started, read once (this session's own records
        are excluded from precedent anyway)."""
        if self._earlier is None:
            path = self.audit_path()
            self._earlier = audit.read_records(path, tolerant=True) if path.exists() else []
        return self._earlier

    def show_precedents(self, part: PartState, assessed: PartAssessment) -> None:
        """Earlier decisions on the same topic tags or provisions, and any departure from them."""
        found = find_precedents(self.earlier_decisions(), part.tags, considered_provisions(assessed),
                                exclude_session=self.session.id)
        if not found:
            return
        self.say("Earlier decisions on the same subject:", "bold")
        for p in found:
            self.say(f"  {p.time[:10]} {p.case_ref} '{p.summary}': {p.outcome} {' '.join(p.provisions)} "
                     f"(shares {', '.join(p.shared)})")
        departures = [p for p in found if p.departs_from(assessed.outcome.value)]
        if departures:
            self.say(f"Warning: this recommendation ({assessed.outcome.value}) departs from {len(departures)} "
                     "earlier decision(s) above. Consistent answers matter for NCND: check before accepting, "
                     "and give the reason if you depart.", "bold yellow")

    # ------------------------------------------------------------------ outputs
    def audit_path(self) -> Path:
        return Path(self.session.audit) if self.session.audit else audit.default_audit_path()

    def notice_path(self) -> Path:
        if self.session.notice_out:
            return Path(self.session.notice_out)
        return data_dir() / "notices" / f"{self.session.id}.md"

    def finish(self) -> Finished:
        s = self.session
        parts = []
        for part in s.parts:
            assert part.decision is not None
            assessed = self.assessor.assess_part(self.as_part(part))
            d = part.decision
            parts.append(NoticePart(assessed, Outcome(d.final), d.override_reason, d.harm_text,
                                    d.public_interest_text, d.reasons_withheld, frozenset(d.withheld_paragraphs)))
        notice = self.notice_path()
        notice.parent.mkdir(parents=True, exist_ok=True)
        fmt = "text" if notice.suffix == ".txt" else "markdown"
        notice.write_text(render_notice(self.assessor.rulebase, s.case_ref, s.received, s.request, parts, fmt),
                          encoding="utf-8")
        s.finished = True
        self.save()
        self.say(f"Draft notice written to {notice}", "bold")
        self.say(f"Audit records appended to {self.audit_path()}", "bold")
        return Finished(notice, self.audit_path())


def parse_answer(q: Question, raw: str) -> Value | None:
    """An answer typed at the prompt: y/n/yes/no, a choice number or text, or text."""
    if not raw:
        return None
    if q.type == "choice" and raw.isdigit():
        index = int(raw)
        return q.choices[index - 1].value if 1 <= index <= len(q.choices) else None
    return coerce(q, raw)
