"""The interview's precedent panel: the few closest earlier decisions (same topic tags, same
provisions relied on) with why each matches, and a reason asked for a departure from a
consistent precedent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console

from ncnd_assistant.audit.decision_record import considered_provisions
from ncnd_assistant.audit.precedent import Precedent, consistent_departure, find_precedents
from ncnd_assistant.audit.record import AuditRecord
from ncnd_assistant.cli.prompts import QuitRequested, Reader, Stage, cut
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import PartState, Session
from ncnd_assistant.render.blocks import OUTCOME_TEXT
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.store import Store, open_store

OUTCOME_VALUES = frozenset(o.value for o in Outcome)


class PrecedentPanel(Stage):
    """Earlier decisions for the part on screen, read once from the store the session names."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, flow: Flow, session: Session,
                 clock: Callable[[], datetime]):
        super().__init__(console, read, assessor, flow, session, clock)
        self._earlier: list[AuditRecord] | None = None
        self._precedents: dict[str, list[Precedent]] = {}

    def store(self) -> Store:
        """The session's store: its --store URL or --audit log, else the one the environment and settings name."""
        where = self.session.audit
        if "://" in where:
            return open_store(url=where)
        return open_store(audit_path=Path(where) if where else None)

    def earlier_decisions(self) -> list[AuditRecord]:
        """The audit log as it was when this run started, read once (this session's own records
        are excluded from precedent anyway)."""
        if self._earlier is None:
            store = self.store()
            self._earlier = list(store.records()) if store.exists() else []
        return self._earlier

    def show_precedents(self, part: PartState, assessed: PartAssessment) -> None:
        """The few closest earlier decisions (same topic tags, same provisions relied on), why each
        matches, and any departure from a consistent precedent."""
        found = find_precedents(self.earlier_decisions(), part.tags, considered_provisions(assessed),
                                exclude_session=self.session.id)
        self._precedents[part.id] = found
        if not found:
            return
        rb = self.assessor.rulebase
        self.say("Earlier decisions on the same subject (closest first):", "bold")
        for p in found:
            why = []
            if p.shared_tags:
                why.append("tags " + ", ".join(p.shared_tags))
            if p.shared_provisions:
                why.append("relied on " + ", ".join(rb.provision(x).label if rb.has_provision(x) else x
                                                    for x in p.shared_provisions))
            outcome = OUTCOME_TEXT[Outcome(p.outcome)] if p.outcome in OUTCOME_VALUES else p.outcome
            self.say(f"  {p.time[:10]} {p.case_ref} '{cut(p.summary, 50)}': {outcome} (same {'; '.join(why)})")
        departures = consistent_departure(found, assessed.outcome.value)
        if departures:
            self.say(f"Warning: this recommendation ({OUTCOME_TEXT[assessed.outcome]}) departs from the consistent "
                     "earlier decision(s) above. Consistent answers matter for NCND: check before deciding; a "
                     "decision that departs from them asks for your reason.", "bold yellow")

    def ask_departure(self, part: PartState, final: Outcome) -> tuple[list[str], str] | None:
        """If `final` departs from consistent precedent: (the records, the officer's reason); ([], "")
        if it does not; None if the officer typed back."""
        departures = consistent_departure(self._precedents.get(part.id, []), final.value)
        if not departures:
            return [], ""
        earlier = OUTCOME_TEXT[Outcome(departures[0].outcome)] if departures[0].outcome in OUTCOME_VALUES \
            else departures[0].outcome
        self.say(f"This decision ({OUTCOME_TEXT[final]}) departs from {len(departures)} earlier decision(s), all "
                 f"{earlier}.", "bold yellow")
        while True:
            reason = self.ask_line("Why does this case differ? (recorded in the audit trail; back to return): ")
            if reason.lower() in ("back", "b"):
                return None
            if reason.lower() == "quit":
                raise QuitRequested
            if reason:
                return [p.record_id for p in departures], reason
            self.say("A reason is needed when departing from consistent precedent.", "yellow")
