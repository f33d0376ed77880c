"""The interview's decision screen for one part: the recommendation and its precedents, the
officer's choice (accept, override with a reason, case-specific harm and public interest text,
s17(4) withheld reasons, and for a FOIA part found environmental the offer to answer it under the
EIR instead, carrying the answers that mean the same) kept in the session, and at the end the
notice and every part's decision recorded in the audit log as one unit, once the notice can be
written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.text import Text

from ncnd_assistant.audit.decision_record import decision_record, needs_sign_off
from ncnd_assistant.cli.eir_switch import SWITCH, UNDO, EirSwitch
from ncnd_assistant.cli.override import RELYING, OverrideDialog
from ncnd_assistant.cli.precedent_panel import PrecedentPanel
from ncnd_assistant.cli.prompts import QuitRequested, Reader, cut, page
from ncnd_assistant.cli.question_loop import balance_words
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import Decision, PartState, Session
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.draft import interview_letter
from ncnd_assistant.letter.formats import format_for, render
from ncnd_assistant.letter.notice import NoticePart, chosen_provisions, reason_paragraphs
from ncnd_assistant.letter.particulars import Requester
from ncnd_assistant.paths import data_dir, staged
from ncnd_assistant.render.blocks import OUTCOME_STYLE, OUTCOME_TEXT
from ncnd_assistant.render.text import render_part
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.settings.store import load_settings
from ncnd_assistant.text_safety import for_terminal


@dataclass
class Finished:
    """Where the interview's outputs went."""

    notice: Path
    audit: str  # the store the records went to (a path, or a URL)


# What lets a letter leave out a reason, by law: FOIA s17(4) and FOISA s16(3) excuse a statement that
# would itself disclose exempt information; the EIR have no such provision (reg 14(3) requires the
# reasons), so an EIR letter may only keep them general enough not to reveal what the exception protects.
WITHHOLD_BASIS = {"foia": "s17(4)", "foisa": "FOISA s16(3)"}
EIR_WITHHOLDING = ("the EIR have no s17(4): reg 14(3) requires the reasons, so leave out only what would reveal what "
                   "the exception protects, and the letter will say the full reasons are recorded for the Commissioner")
CHOICES = ("[a]ccept, [o]verride, [e]xplain, [h]arm text, [p]ublic interest text, [w]ithhold reasons (s17(4)), "
           "[b]ack, [r]eview, [q]uit: ")
EXEMPTION_WORDS = {"not_exemption": "not an exemption"}  # a provision's kind, in words


def as_part(part: PartState) -> Part:
    """The session's part as the assessor takes it."""
    return Part(part.id, part.summary, dict(part.answers), tags=tuple(part.tags), kind=part.kind, regime=part.regime)


class DecisionScreen(OverrideDialog, PrecedentPanel, EirSwitch):
    """Shows a part's recommendation, records the officer's decision, and writes the notice."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, flow: Flow, session: Session,
                 clock: Callable[[], datetime]):
        super().__init__(console, read, assessor, flow, session, clock)

    def show_decision(self, part: PartState, assessed: PartAssessment) -> None:
        self.console.print(render_part(assessed, explain=False))
        if assessed.outcome is Outcome.NCND:
            same = self.assessor.held_invariant(as_part(part))
            self.say("Held-invariance: everything above is identical whether or not the information is held."
                     if same else "Held-invariance FAILED: the result depends on whether the information is held.",
                     "green" if same else "bold red")

    def summary(self, part: PartState, assessed: PartAssessment) -> None:
        """The recommendation in a few lines, printed directly above the accept prompt: the outcome,
        the provisions relied on (with titles), the balance and held-invariance; `e` shows the rest."""
        rb, d, width = self.assessor.rulebase, assessed.decision, self.console.width
        parts = self.session.parts
        k = parts.index(part) + 1 if part in parts else 1
        title = f"Decision for part {k} of {max(k, len(parts))} ({part.id}): {part.summary}"
        self.console.rule(Text(for_terminal(cut(title, width - 6))), align="left")
        self.console.print(Text.assemble(("Recommendation: ", "bold"),
                                         (OUTCOME_TEXT[assessed.outcome], OUTCOME_STYLE[assessed.outcome]),
                                         f"  (decided at stage {d.stage})"))
        for c in d.cited:
            p = c.provision
            test = p.test.replace("_", " ") + (f", {c.harm.replace('_', ' ')}" if c.harm else "")
            alt = ", in the alternative" if c.in_the_alternative else ""
            kind = EXEMPTION_WORDS.get(p.exemption, p.exemption.replace("_", " "))
            self.say(f"  {cut(p.label, width // 2)} ({kind}; {test}{alt})")
        if assessed.stage1.blocked_by:
            because = "; ".join(cut(rb.rule(r).because, width - 45) for r in assessed.stage1.blocked_by)
            self.say(f"Neither confirm nor deny is not available: {because}", "yellow")
        pi = d.public_interest
        if pi is not None:
            self.say(f"Balance: {balance_words(pi, d.stage)}; {len(pi.for_)} factor(s) for, {len(pi.against)} "
                     "against (e shows them)")
        if assessed.outcome is Outcome.NCND:
            same = self.assessor.held_invariant(as_part(part))
            self.say("Held-invariance: everything above is identical whether or not the information is held."
                     if same else "Held-invariance FAILED: the result depends on whether the information is held.",
                     "green" if same else "bold red")

    def show_warnings(self, assessed: PartAssessment) -> None:
        for warning in assessed.warnings:
            self.say(f"Warning: {warning}", "bold yellow")

    def recommend(self, part: PartState) -> PartAssessment:
        """Assess the answered part, with any request-wide conflicts; show it and its precedents."""
        part.pending = None
        self.save()
        assessed = self.assessor.assess_part(as_part(part))
        same_law = [p for p in self.session.parts if self.law.regime_of(p) == self.law.regime_of(part)]
        conflicts = self.flow.request_wide_conflicts(same_law, part)
        if conflicts:
            assessed = replace(assessed, warnings=assessed.warnings + tuple(conflicts))
        self.show_warnings(assessed)
        self.show_precedents(part, assessed)
        return assessed

    def decision_screen(self, part: PartState) -> bool:
        """The officer's choice until a decision is recorded or the officer goes back; True when the
        officer asked to review the part's answers instead (the question loop shows them)."""
        assessed = self.recommend(part)
        harm = public_interest = ""
        withheld = False
        paragraphs: list[str] = []
        switchable, undoable = self.switchable(part, assessed), bool(part.regime and part.foia_answers)
        while True:
            self.summary(part, assessed)
            if switchable:
                self.offer_switch()
            # s17(4) is FOIA's: another law's part is offered the same choice without citing FOIA
            choices = CHOICES if self.law.regime_of(part) == "foia" else CHOICES.replace(" (s17(4))", "")
            choice = self.ask_line((SWITCH if switchable else UNDO if undoable else "") + choices).lower()
            if switchable and choice in ("s", "switch"):
                self.switch_to_eir(part, assessed)
                return False
            if undoable and choice in ("u", "undo"):
                self.undo_switch(part)
                return False
            if choice in ("a", "accept"):
                departure = self.ask_departure(part, assessed.outcome)
                if departure is None:
                    continue
                self.record(part, assessed, assessed.outcome, "", harm, public_interest, withheld, paragraphs)
                self.keep_departure(part, departure)
                return False
            if choice in ("o", "override"):
                override = self.ask_override(assessed)
                if override is None:
                    self.say("Override cancelled; nothing was changed.", "yellow")
                    continue
                final, reason, provisions = override
                departure = self.ask_departure(part, final)
                if departure is None:
                    continue
                self.record(part, assessed, final, reason, harm, public_interest, withheld, paragraphs, provisions)
                self.keep_departure(part, departure)
                return False
            if choice in ("w", "withhold"):
                withheld, paragraphs = self.ask_withheld(assessed, harm)
                continue
            if choice in ("e", "explain"):
                page(self.console, Group(render_part(assessed, explain=True)))
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
                extra = "s, " if switchable else "u, " if undoable else ""
                self.say(f"Please type {extra}a, o, e, h, p, w, b, r or q.", "yellow")

    def keep_departure(self, part: PartState, departure: tuple[list[str], str]) -> None:
        assert part.decision is not None
        part.decision.departed_from, part.decision.departure_reason = departure
        self.save()

    def ask_withheld(self, assessed: PartAssessment, harm: str) -> tuple[bool, list[str]]:
        """s17(4) (FOISA s16(3); the EIR have none): which reason paragraphs the letter leaves out (all,
        some or none); the audit record keeps every reason."""
        listed = reason_paragraphs(self.assessor.rulebase, NoticePart(assessed, assessed.outcome, harm_text=harm))
        if not listed:
            self.say("This part's letter gives no reasons to withhold.", "yellow")
            return False, []
        regime = self.assessor.rulebase.meta.regime
        basis = WITHHOLD_BASIS.get(regime, "" if regime == "eir" else WITHHOLD_BASIS["foia"])
        law = f"{basis} lets you leave out any whose statement would itself disclose exempt information" if basis \
            else EIR_WITHHOLDING
        cite = basis or "the EIR have no s17(4); kept for the ICO"
        self.say(f"Reasons the letter would give ({law}):")
        for n, (_, text) in enumerate(listed, 1):
            self.say(f"  {n}) {text[:160]}{'...' if len(text) > 160 else ''}")
        while True:
            raw = self.ask_line("Leave out which? numbers separated by commas, 'all', or Enter for none: ").strip()
            if raw.lower() == "all":
                self.say(f"The letter will leave out the reasons for this part ({cite}); the "
                         "audit record keeps them.")
                return True, [key for key, _ in listed]
            if not raw:
                self.say("The letter will give the reasons for this part.")
                return False, []
            numbers = [x.strip() for x in raw.split(",")]
            if all(x.isdigit() and 1 <= int(x) <= len(listed) for x in numbers):
                keys = list(dict.fromkeys(listed[int(x) - 1][0] for x in numbers))
                if len(keys) == len(listed):
                    self.say(f"The letter will leave out the reasons for this part ({cite}); "
                             "the audit record keeps them.")
                    return True, keys
                self.say(f"The letter will leave out {len(keys)} of {len(listed)} reason paragraphs and say that "
                         f"some reasons are withheld ({cite}); the audit record keeps them all.")
                return False, keys
            self.say(f"Please give numbers from 1 to {len(listed)}, 'all', or press Enter.", "yellow")

    def record(self, part: PartState, assessed: PartAssessment, final: Outcome, reason: str,
               harm: str = "", public_interest: str = "", withheld: bool = False,
               paragraphs: list[str] | None = None, provisions: list[str] | None = None) -> None:
        """Keep the officer's decision in the session; `finish` logs every part's at once."""
        relied = [c.provision.id for c in assessed.decision.cited] if provisions is None else list(provisions)
        part.decision = Decision(assessed.outcome.value, final.value, relied,
                                 reason, harm, public_interest, self.clock().isoformat(timespec="seconds"),
                                 withheld, "", list(paragraphs or []))
        self.save()
        verdict = OUTCOME_TEXT[final] + (f" (override: {reason})" if reason else "")
        self.say(f"Decided for part '{part.id}': {verdict}. It goes into the audit log, with the request's other "
                 "parts, when the notice is written.", "bold green")

    # ------------------------------------------------------------------ outputs
    def notice_path(self) -> Path:
        if self.session.notice_out:
            return Path(self.session.notice_out)
        return data_dir() / "notices" / f"{self.session.id}.md"

    def finish(self) -> Finished:
        """Write the notice and log every part's decision as one unit: the letter is built and
        written to a temporary file first, the records appended, then the letter put in place."""
        s = self.session
        parts = [(part, self.law.for_part(part).assess_part(as_part(part))) for part in s.parts]
        notice = self.notice_path()
        settings = load_settings()
        letter = interview_letter(self.letter_rulebase(), s.case_ref, s.received, s.request,
                                  self.letter_parts(parts), settings, self.letter_requester())
        text = render(letter, format_for(None, notice), settings)  # .docx writes Word, .pdf PDF...
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

    def letter_rulebase(self) -> RuleBase:
        """The rule base that words the letter: the law every part is answered under (the EIR's when
        each part was switched to it), else the request's."""
        regimes = {self.law.regime_of(part) for part in self.session.parts}
        return self.law.load(regimes.pop() if len(regimes) == 1 else self.law.home).rulebase

    def letter_parts(self, parts: list[tuple[PartState, PartAssessment]]) -> list[NoticePart]:
        """Each part as the letter gives it (the letter step adds the numbered questions it answers)."""
        letter = self.letter_rulebase()
        worded = [(self.law.for_part(part).rulebase, part, assessed) for part, assessed in parts]
        # a part under another law than the letter's (an EIR part of a FOIA request) is worded under its own
        return [notice_part(rb, part, assessed) if rb is letter else replace(notice_part(rb, part, assessed),
                                                                              rulebase=rb)
                for rb, part, assessed in worded]

    def letter_requester(self) -> Requester | None:
        """Who the letter is to (the letter step knows it from the answers file)."""
        return None

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
        rb = self.law.for_part(part).rulebase
        body = decision_record(
            rb, assessed, case_ref=s.case_ref, officer=s.officer, session=s.id,
            final=Outcome(d.final), override_reason=d.override_reason, harm_text=d.harm_text,
            public_interest_text=d.public_interest_text, reasons_withheld=d.reasons_withheld, received=s.received,
            request=s.request, tags=part.tags, decided_on=decided, withheld_paragraphs=d.withheld_paragraphs)
        body = with_officer_provisions(body, d)
        if d.departed_from:  # additive: a departure from consistent precedent, and why
            body["precedent_departure"] = {"records": list(d.departed_from), "reason": d.departure_reason}
        if part.regime:  # additive: a FOIA part found environmental answered under the EIR
            body["regime_switch"] = {"from": self.law.home, "to": part.regime, "foia_outcome": Outcome.EIR.value,
                                     "carried": [{"from": k, "to": v} for k, v in part.carried.items()],
                                     "foia_answers": dict(part.foia_answers)}
        if part.settled:  # additive: the reasons for answers that settled the part (s14, s12)
            body["settling_answers"] = [
                {"id": qid, "text": rb.question(qid).text if rb.has_question(qid) else qid,
                 "answer": rb.question(qid).display(part.answers[qid]) if rb.has_question(qid) and qid in part.answers
                 else "", "reason": reason} for qid, reason in part.settled.items()]
        return body

    def announce(self, part: PartState, assessed: PartAssessment, record_id: str) -> None:
        """Say where the part's decision was recorded, and whether it awaits a second officer."""
        assert part.decision is not None
        self.say(f"Recorded for part '{part.id}': {OUTCOME_TEXT[Outcome(part.decision.final)]}. "
                 f"Audit record {record_id}.", "bold green")
        waiting = needs_sign_off(self.law.for_part(part).rulebase, assessed)
        if waiting:
            self.say(f"This decision involves {', '.join(waiting)}: it awaits sign-off by a second officer "
                     f"(ncnd audit sign-off {record_id} --by NAME).", "bold yellow")




def with_officer_provisions(body: dict[str, Any], d: Decision) -> dict[str, Any]:
    """An overridden decision's record with the provisions the officer chose, and which were added
    to or dropped from the recommendation's (additive fields: older records simply lack them)."""
    if not d.override_reason:
        return body
    recommended = list(body["recommendation"]["provisions"])
    chosen = list(d.provisions) if d.final in RELYING else []
    body["decision"]["provisions"] = chosen
    if isinstance(body.get("override"), dict):
        body["override"]["provisions_added"] = [p for p in chosen if p not in recommended]
        body["override"]["provisions_dropped"] = [p for p in recommended if p not in chosen]
    return body


def notice_part(rb: RuleBase, part: PartState, assessed: PartAssessment) -> NoticePart:
    """The part as the notice shows it, with the officer's decision (and, on an override, the
    provisions the officer chose)."""
    d = part.decision
    assert d is not None
    final = Outcome(d.final)
    return NoticePart(assessed, final, d.override_reason, d.harm_text, d.public_interest_text,
                      d.reasons_withheld, frozenset(d.withheld_paragraphs),
                      chosen=chosen_provisions(rb, assessed, final, d.provisions))
