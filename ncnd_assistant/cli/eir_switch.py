"""The decision screen's offer for a FOIA part found to be environmental information (FOIA s39,
outcome `eir`): answer this part under the EIR instead, the answers that mean the same carried over
(`decide/regime_switch.to_eir`) and shown, the switch kept in the session; and undoing it."""

from __future__ import annotations

from ncnd_assistant.cli.prompts import Stage, cut
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.regime_switch import to_eir
from ncnd_assistant.interview.session import PartState
from ncnd_assistant.rulebase.loader import shipped_rules_dir
from ncnd_assistant.rulebase.model import Outcome

SWITCH = "[s]witch: answer this part under the EIR, "
UNDO = "[u]ndo the switch: answer this part under FOIA again, "


class EirSwitch(Stage):
    """Switching a FOIA part found environmental to the EIR, and back."""

    def offer_switch(self) -> None:
        self.say("This part is environmental information (FOIA s39). [s] Answer this part under the EIR "
                 "(the answers that mean the same are carried over; the EIR questions still open are asked), "
                 "or [a] keep the FOIA outcome 'Deal with under the EIR'.", "bold")

    def switchable(self, part: PartState, assessed: PartAssessment) -> bool:
        """Whether the part may be answered under the EIR instead: a FOIA part the rules send to the
        EIR (outcome `eir`, FOIA s39), with the EIR rule base shipped."""
        return (assessed.outcome is Outcome.EIR and self.law.regime_of(part) == "foia"
                and shipped_rules_dir("eir") is not None)

    def switch_to_eir(self, part: PartState, assessed: PartAssessment) -> None:
        """Answer the part under the EIR from now on: the answers that mean the same carried over
        (`regime_switch.to_eir`) and shown, the FOIA answers kept in the session for the audit log;
        the question loop then asks the EIR questions still open."""
        foia = self.assessor.rulebase
        eir = self.law.load("eir")
        switched = to_eir(assessed, eir.rulebase)
        part.foia_answers = dict(part.answers)
        part.carried = dict(switched.carried)
        part.settled = {part.carried[q]: why for q, why in part.settled.items() if q in part.carried}
        part.answers = dict(switched.part.answers)
        part.history = list(part.answers)
        part.pending = None
        part.regime = "eir"
        self.law.use("eir")
        self.save()
        self.say(f"Part '{part.id}' is now answered under the EIR 2004.", "bold green")
        if not switched.carried:
            self.say("No answer carries over: the EIR asks its own questions.")
        else:
            self.say("Carried from the FOIA answers (the same fact in both laws; use review to change one):")
            for source, target in switched.carried:
                question = eir.rulebase.question(target)
                said = (f"the FOIA answer to: {cut(foia.question(source).text, 70)}" if foia.has_question(source)
                        else f"the FOIA finding {source}")
                self.say(f"  {question.text} {question.display(part.answers[target])} (from {said})", "dim")
        open_ = self.law.assessor.gate(part.answers).asked_and_open()[1]
        self.say(f"The EIR questions still open follow ({len(open_)} now).")

    def undo_switch(self, part: PartState) -> None:
        """Answer the part under FOIA again, with the FOIA answers it had when it was switched."""
        part.answers, part.foia_answers = dict(part.foia_answers), {}
        part.history = list(part.answers)
        part.settled = {foia: part.settled[eir] for foia, eir in part.carried.items() if eir in part.settled}
        part.carried, part.regime, part.pending = {}, "", None
        self.law.use(self.law.home)
        self.save()
        self.say(f"Part '{part.id}' is answered under FOIA again, with its FOIA answers.", "bold green")
