"""The interview's override: the officer's own outcome, the provisions it relies on (the
recommendation's, with any added or dropped from the rule base's list, by title) and a required
reason; Enter, back or q cancels at any step."""

from __future__ import annotations

from rich.table import Table

from ncnd_assistant.cli.prompts import Stage, cut
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.render.blocks import OUTCOME_TEXT
from ncnd_assistant.rulebase.model import Outcome, section_key
from ncnd_assistant.text_safety import for_terminal, markup_safe

CANCEL = ("", "b", "back", "q", "quit")  # what cancels an override, at any of its steps
RELYING = (Outcome.NCND.value, Outcome.WITHHOLD.value, Outcome.REFUSE.value)  # outcomes that cite provisions


class OverrideDialog(Stage):
    """The steps of an override, asked from the decision screen."""

    def ask_override(self, assessed: PartAssessment) -> tuple[Outcome, str, list[str]] | None:
        """The officer's own outcome, the provisions it relies on (the recommendation's, with any
        added or dropped from the rule base's list) and a reason; None if cancelled at any step
        (Enter, back or q)."""
        recommended = assessed.outcome
        outcomes = [o for o in Outcome if o is not recommended]
        self.say(f"Override the recommendation ({OUTCOME_TEXT[recommended]}) with (Enter, back or q cancels):")
        for i, outcome in enumerate(outcomes, 1):
            self.say(f"  {i}) {OUTCOME_TEXT[outcome]}")
        while True:
            raw = self.ask_line("Number: ").lower()
            if raw in CANCEL:
                return None
            if raw.isdigit() and 1 <= int(raw) <= len(outcomes):
                final = outcomes[int(raw) - 1]
                break
            self.say(f"Enter a number from 1 to {len(outcomes)}, or press Enter to cancel.", "yellow")
        provisions = [c.provision.id for c in assessed.decision.cited if c.provision.limb == final.value]
        if final.value in RELYING:
            chosen = self.ask_provisions(final, provisions)
            if chosen is None:
                return None
            provisions = chosen
        else:
            provisions = []
        while True:
            reason = self.ask_line("Reason for the override (required, recorded in the audit trail; back cancels): ")
            if reason.lower() in CANCEL[1:]:
                return None
            if reason:
                return final, reason, provisions
            self.say("An override needs a reason (or type back to cancel).", "yellow")

    def ask_provisions(self, final: Outcome, current: list[str]) -> list[str] | None:
        """Add or drop provisions by number from the rule base's list of those for the outcome chosen
        (`+3`, `-1`), Enter to go on; None if cancelled."""
        rb = self.assessor.rulebase
        listed = sorted((p for p in rb.provisions if p.limb == final.value), key=lambda p: section_key(p.id))
        chosen = list(current)
        width = self.console.width
        while True:
            names = ", ".join(rb.provision(p).label for p in chosen) or "none"
            self.say(f"Provisions the decision relies on: {names}")
            rows = max(1, self.console.height - 8)  # in columns when the list is longer than the screen
            columns = min(max(1, -(-len(listed) // rows)), max(1, width // 40))
            per = -(-len(listed) // columns)
            cell = width // columns - 8
            grid = Table.grid(padding=(0, 2))
            for _ in range(columns):
                grid.add_column(no_wrap=True)
            cells = [f"{'*' if p.id in chosen else ' '}{i:>3}) {cut(p.label, cell)}" for i, p in enumerate(listed, 1)]
            for r in range(per):
                grid.add_row(*(markup_safe(for_terminal(cells[k * per + r])) if k * per + r < len(cells) else ""
                               for k in range(columns)))
            self.console.print(grid)
            self.say("(* = relied on)", "dim")
            raw = self.ask_line("Type +N to add or -N to drop (several with commas), Enter to keep these, "
                                "back or q to cancel: ").lower()
            if raw in ("", "ok"):
                return chosen
            if raw in CANCEL[1:]:
                return None
            for item in (x.strip() for x in raw.split(",")):
                number = item[1:]
                if item[:1] in "+-" and number.isdigit() and 1 <= int(number) <= len(listed):
                    pid = listed[int(number) - 1].id
                    if item[0] == "+" and pid not in chosen:
                        chosen.append(pid)
                    elif item[0] == "-" and pid in chosen:
                        chosen.remove(pid)
                else:
                    self.say(f"Could not read '{item}': type +N or -N with N from 1 to {len(listed)}.", "yellow")
