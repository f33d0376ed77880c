"""The interview's decision screen for one part: the recommendation and its precedents, the
officer's choice (accept, override with a reason, case-specific harm and public interest text,
s17(4) withheld reasons) kept in the session, and at the end the notice and every part's decision
recorded in the audit log as one unit, once the notice can be written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from rich.console import Console

from ncnd_assistant.audit.decision_record import considered_provisions, decision_record, needs_sign_off
from ncnd_assistant.audit.precedent import find_precedents
from ncnd_assistant.audit.record import AuditRecord
from ncnd_assistant.cli.prompts import QuitRequested, Reader, Stage
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import Decision, PartState, Session
from ncnd_assistant.letter.notice import NoticePart, reason_paragraphs, render_notice
from ncnd_assistant.paths import data_dir, staged
from ncnd_assistant.render.text import OUTCOME_TEXT, render_explanation, render_part
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.store import Store, open_store


@dataclass
class Finished:
    """Where the interview's outputs went."""

    notice: Path
    audit: str  # the store the records went to (a path, or a URL)


def as_part(part: PartState) -> Part:
    """The session's part as the assessor takes it."""
    return Part(part.id, part.summary, dict(part.answers), tags=tuple(part.tags), kind=part.kind)


class DecisionScreen(Stage):
    """Shows a part's recommendation, records the officer's decision, and writes the notice."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, flow: Flow, session: Session,
                 clock: Callable[[], datetime]):
        super().__init__(console, read, assessor, flow, session, clock)
        self._earlier: list[AuditRecord] | None = None

    def show_decision(self, part: PartState, assessed: PartAssessment) -> None:
        self.console.print(render_part(assessed, explain=False))
        if assessed.outcome is Outcome.NCND:
            same = self.assessor.held_invariant(as_part(part))
            self.say("Held-invariance: everything above is identical whether or not the information is held."
                     if same else "Held-invariance FAILED: the result depends on whether the information is held.",
                     "green" if same else "bold red")

    def recommend(self, part: PartState) -> PartAssessment:
        """Assess the answered part, with any request-wide conflicts; show it and its precedents."""
        part.pending = None
        self.save()
        assessed = self.assessor.assess_part(as_part(part))
        conflicts = self.flow.request_wide_conflicts(self.session.parts, part)
        if conflicts:
            assessed = replace(assessed, warnings=assessed.warnings + tuple(conflicts))
        self.show_decision(part, assessed)
        self.show_precedents(part, assessed)
        return assessed

    def decision_screen(self, part: PartState) -> bool:
        """The officer's choice until a decision is recorded or the officer goes back; True when the
        officer asked to review the part's answers instead (the question loop shows them)."""
        assessed = self.recommend(part)
        harm = public_interest = ""
        withheld = False
        paragraphs: list[str] = []
        while True:
            choice = self.ask_line("[a]ccept, [o]verride, [e]xplain, [h]arm text, [p]ublic interest text, "
                                   "[w]ithhold reasons (s17(4)), [b]ack, [r]eview, [q]uit: ").lower()
            if choice in ("a", "accept"):
                self.record(part, assessed, assessed.outcome, "", harm, public_interest, withheld, paragraphs)
                return False
            if choice in ("o", "override"):
                final, reason = self.ask_override(assessed.outcome)
                self.record(part, assessed, final, reason, harm, public_interest, withheld, paragraphs)
                return False
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
                return False
            elif choice in ("r", "review"):
                return True
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
        """Keep the officer's decision in the session; `finish` logs every part's at once."""
        part.decision = Decision(assessed.outcome.value, final.value, [c.provision.id for c in assessed.decision.cited],
                                 reason, harm, public_interest, self.clock().isoformat(timespec="seconds"),
                                 withheld, "", list(paragraphs or []))
        self.save()
        verdict = OUTCOME_TEXT[final] + (f" (override: {reason})" if reason else "")
        self.say(f"Decided for part '{part.id}': {verdict}. It goes into the audit log, with the request's other "
                 "parts, when the notice is written.", "bold green")

    def earlier_decisions(self) -> list[AuditRecord]:
        """The audit log as it was when this run started, read once (this session's own records
        are excluded from precedent anyway)."""
        if self._earlier is None:
            store = self.store()
            self._earlier = list(store.records()) if store.exists() else []
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
    def store(self) -> Store:
        """The session's store: its --store URL or --audit log, else the one the environment and settings name."""
        where = self.session.audit
        if "://" in where:
            return open_store(url=where)
        return open_store(audit_path=Path(where) if where else None)

    def notice_path(self) -> Path:
        if self.session.notice_out:
            return Path(self.session.notice_out)
        return data_dir() / "notices" / f"{self.session.id}.md"

    def finish(self) -> Finished:
        """Write the notice and log every part's decision as one unit: the letter is built and
        written to a temporary file first, the records appended, then the letter put in place."""
        s = self.session
        parts = [(part, self.assessor.assess_part(as_part(part))) for part in s.parts]
        notice = self.notice_path()
        fmt = "text" if notice.suffix == ".txt" else "markdown"
        text = render_notice(self.assessor.rulebase, s.case_ref, s.received, s.request,
                             [notice_part(part, assessed) for part, assessed in parts], fmt)
        todo = [(part, assessed) for part, assessed in parts if not self.logged(part)]
        with staged(notice, text) as commit:
            bodies = [self.body(p, a) for p, a in todo]
            store = self.store()
            written = store.append_many(bodies, self.clock) if bodies else []
            commit()
        for (part, assessed), rec in zip(todo, written, strict=True):
            assert part.decision is not None
            part.decision.record_id = rec.id
            self.announce(part, assessed, rec.id)
        s.finished = True
        self.save()
        self.say(f"Draft notice written to {notice}", "bold")
        self.say(f"Audit records appended to {store.describe()}", "bold")
        return Finished(notice, store.describe())

    @staticmethod
    def logged(part: PartState) -> bool:
        """Whether the part's decision is in the log already (a session an older version recorded)."""
        return part.decision is not None and bool(part.decision.record_id)

    def body(self, part: PartState, assessed: PartAssessment) -> dict[str, object]:
        """The part's decision record, from the decision the session keeps."""
        s, d = self.session, part.decision
        assert d is not None
        try:
            decided = datetime.fromisoformat(d.decided_at).date()
        except ValueError:  # no time kept (or not one): the response is for today
            decided = self.clock().date()
        return decision_record(
            self.assessor.rulebase, assessed, case_ref=s.case_ref, officer=s.officer, session=s.id,
            final=Outcome(d.final), override_reason=d.override_reason, harm_text=d.harm_text,
            public_interest_text=d.public_interest_text, reasons_withheld=d.reasons_withheld, received=s.received,
            request=s.request, tags=part.tags, decided_on=decided, withheld_paragraphs=d.withheld_paragraphs)

    def announce(self, part: PartState, assessed: PartAssessment, record_id: str) -> None:
        """Say where the part's decision was recorded, and whether it awaits a second officer."""
        assert part.decision is not None
        self.say(f"Recorded for part '{part.id}': {OUTCOME_TEXT[Outcome(part.decision.final)]}. "
                 f"Audit record {record_id}.", "bold green")
        waiting = needs_sign_off(self.assessor.rulebase, assessed)
        if waiting:
            self.say(f"This decision involves {', '.join(waiting)}: it awaits sign-off by a second officer "
                     f"(ncnd audit sign-off {record_id} --by NAME).", "bold yellow")


def notice_part(part: PartState, assessed: PartAssessment) -> NoticePart:
    """The part as the notice shows it, with the officer's decision."""
    d = part.decision
    assert d is not None
    return NoticePart(assessed, Outcome(d.final), d.override_reason, d.harm_text, d.public_interest_text,
                      d.reasons_withheld, frozenset(d.withheld_paragraphs))
