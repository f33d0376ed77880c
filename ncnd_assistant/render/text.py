"""Rich renderables for the terminal. Builds; never prints (the CLI prints)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.decide.decision import PublicInterest
from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase.model import Outcome, section_key
from ncnd_assistant.text_safety import for_terminal as _safe

OUTCOME_TEXT = {o: o.label for o in Outcome}  # the one vocabulary (model.Outcome.label)
OUTCOME_STYLE = {Outcome.NCND: "bold magenta", Outcome.NOT_HELD: "bold cyan", Outcome.WITHHOLD: "bold yellow",
                 Outcome.DISCLOSE: "bold green", Outcome.REFUSE: "bold red", Outcome.EIR: "bold blue"}
EXEMPTION_TEXT = {"not_exemption": "not an exemption"}  # a provision's kind, in words


PLAIN_STARTS = frozenset({"The", "This", "These", "That", "Those", "A", "An", "It", "Its", "No", "Neither",
                          "There", "Confirming", "Disclosing", "Section", "Sections", "Whether", "Either", "Both",
                          "Every", "Any", "Some", "Nothing", "Information"})


def sentence_case(text: str) -> str:
    """A reason to follow "because": a plain first word lower-cased ("because The officer judged"
    reads "because the officer judged"); names and abbreviations are left as they are."""
    first = text.split(" ", 1)[0]
    return first.lower() + text[len(first):] if first in PLAIN_STARTS else text


BALANCE_BY_STAGE = {  # the balance in the words of the stage it is for
    (1, "maintain"): "favours neither confirming nor denying (maintaining the exclusion)",
    (1, "disclose"): "favours confirming or denying",
    (2, "maintain"): "favours withholding (maintaining the exemption)",
    (2, "disclose"): "favours disclosure",
}


def balance_text(pi: PublicInterest, stage: int) -> str:
    """The recommended balance of `stage`, in that stage's words."""
    return BALANCE_BY_STAGE[(stage, pi.balance.value)] if pi.balance is not None else "not determined"


BALANCE_TEXT = {
    "maintain": "favours maintaining the exclusion (or exemption)",
    "disclose": "favours confirming or denying (or disclosing)",
}


def _indent(text: str, spaces: int, style: str = "", memo: Memo | None = None) -> RenderableType:
    """Text whose wrapped lines keep the indent (drawn once per `memo` when one is given)."""
    if memo is not None:
        return Remembered(("indent", text, spaces, style), lambda: _indent(text, spaces, style), memo)
    return Padding(Text(_safe(text), style=style), (0, 0, 0, spaces))


def _fired(rule: str, stage: int, conclusion: str, memo: Memo | None) -> RenderableType:
    """The heading line of a rule that fired."""
    if memo is not None:
        return Remembered(("fired", rule, stage, conclusion), lambda: _fired(rule, stage, conclusion, None), memo)
    return Text.assemble((_safe(f"  {rule}"), "bold"), _safe(f" (stage {stage}): {conclusion}"))


Memo = dict[tuple[object, ...], tuple[Console, list[Segment]]]


class Remembered:
    """A renderable drawn once per key, console and options of a `memo`, then replayed: the parts of
    a request repeat the same rule reasons, citations and answers, and Rich's wrapping is the cost."""

    def __init__(self, key: tuple[object, ...], make: Callable[[], RenderableType], memo: Memo):
        self.key, self.make, self.memo = key, make, memo

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        full = (self.key, id(console), *options.__dict__.values())
        found = self.memo.get(full)
        if found is None:  # the console is kept with its segments, so its id is not reused
            found = self.memo[full] = (console, list(console.render(self.make(), options)))
        yield from found[1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.make())


def render_part(pa: PartAssessment, explain: bool = True, memo: Memo | None = None) -> RenderableType:
    """One part: outcome, provisions, public interest and (optionally) the explanation; lines
    repeated across parts are drawn once per `memo`."""
    d = pa.decision
    body: list[RenderableType] = [
        Text.assemble(("Recommendation: ", "bold"), (OUTCOME_TEXT[pa.outcome], OUTCOME_STYLE[pa.outcome]),
                      f"  (decided at stage {d.stage})"),
    ]
    if d.cited:
        table = Table(box=None, pad_edge=False)
        for heading in ("Provision", "Type", "Test", "Harm"):
            table.add_column(Text(heading))  # as Text: a plain string would be parsed for markup and emoji
        for c in d.cited:
            p = c.provision
            label = p.label + (" (in the alternative)" if c.in_the_alternative else "")
            table.add_row(*(Text(_safe(cell)) for cell in (label, EXEMPTION_TEXT.get(p.exemption, p.exemption),
                                                          p.test.replace("_", " "),
                                                          (c.harm or "-").replace("_", " "))))
        body.append(table)
    if pa.stage1.blocked_by:
        why = {f.rule: f.because for f in pa.explanation.fired}
        body.append(Text(_safe("Neither confirm nor deny is not available: "
                               + " ".join(why.get(r, r) for r in pa.stage1.blocked_by)), style="yellow"))
    pi = d.public_interest
    if pi is not None:
        body.append(Text("Public interest test", style="bold"))
        body.append(Text("Factors favouring confirmation or denial / disclosure:"))
        body.extend(_indent(f"+ {f}", 2, memo=memo) for f in pi.for_)
        body.append(Text("Factors against:"))
        body.extend(_indent(f"- {f}", 2, memo=memo) for f in pi.against)
        balance = balance_text(pi, d.stage)
        body.append(Text.assemble(("Balance: ", "bold"), balance))
        if pi.balance_because:
            body.append(_indent(pi.balance_because, 2, memo=memo))
    for warning in pa.warnings:
        body.append(Text(_safe(f"Warning: {warning}"), style="bold yellow"))
    if explain:
        body.append(render_explanation(pa, memo))
    return Panel(Group(*body), title=Text(_safe(f"Part '{pa.part.id}': {pa.part.summary}")), title_align="left")


def render_weighing(pi: PublicInterest, stage: int) -> RenderableType:
    """Shown before the officer's public-interest answer: the factors so far and the rules' view."""
    towards = "confirming or denying" if stage == 1 else "disclosure"
    body: list[RenderableType] = [Text(f"Factors favouring {towards}:")]
    body.extend(_indent(f"+ {f}", 2) for f in pi.for_ or ("none listed",))
    body.append(Text("Factors against:"))
    body.extend(_indent(f"- {f}", 2) for f in pi.against or ("none listed",))
    if pi.balance is not None:
        body.append(Text.assemble(("The rules recommend: ", "bold"), balance_text(pi, stage)))
        if pi.balance_because:
            body.append(_indent(pi.balance_because, 2))
    body.append(Text("The judgement is yours: an even balance means "
                     + ("confirm or deny." if stage == 1 else "disclose."), style="dim"))
    return Panel(Group(*body), title="Weigh the public interest", title_align="left")


def render_explanation(pa: PartAssessment, memo: Memo | None = None) -> RenderableType:
    """Every rule that fired with its reason, citations and answers; and why not."""
    lines: list[RenderableType] = [Text("Why", style="bold")]
    for f in pa.explanation.fired:
        lines.append(_fired(f.rule, f.stage, f.conclusion, memo))
        lines.append(_indent(f"because {sentence_case(f.because)}", 4, memo=memo))
        lines.append(_indent("cites " + "; ".join(str(c) for c in f.citations), 4, "dim", memo))
        for r in f.relied_on:
            lines.append(_indent(f"- {r.text} -> {r.answer}", 4, memo=memo))
    considered = [n for n in pa.explanation.not_engaged if n.arose]
    if considered:
        lines.append(Text("Why not", style="bold"))
        for n in considered:
            lines.append(_indent(f"{n.provision} {n.title} ({n.rule}): {n.failed}", 2, memo=memo))
    unasked = not_arising(pa)
    if unasked:
        lines.append(_indent("Did not arise (their questions did not apply): " + ", ".join(unasked), 0, "dim", memo))
    return Group(*lines)


def not_arising(pa: PartAssessment) -> list[str]:
    """Provisions none of whose rules got as far as an answered question, in statutory order."""
    arose = {n.provision for n in pa.explanation.not_engaged if n.arose}
    return sorted({n.provision for n in pa.explanation.not_engaged if n.provision not in arose}, key=section_key)


def render_assessment(a: Assessment, explain: bool = True) -> RenderableType:
    """The whole request: header, every part, and the held-invariance check."""
    rb = a.rulebase
    header = Text.assemble(("Case ", "bold"), _safe(a.request.case_ref),
                           _safe(f"   rule base {rb.meta.id} {rb.meta.version} ({rb.digest[:19]}...)"))
    memo: Memo = {}
    parts = [render_part(p, explain, memo) for p in a.parts]
    if a.held_invariance:
        check = ("identical whether or not the information is held" if a.held_invariant
                 else "DIFFERS depending on whether the information is held: do not send")
        style = "green" if a.held_invariant else "bold red"
        footer = Text(f"Held-invariance check for NCND parts: {check}", style=style)
    else:
        footer = Text("Held-invariance check: no NCND parts")
    notice = Text("Decision support, not legal advice: the officer decides.", style="dim")
    others = [Text(_safe(f"Part '{pa.part.id}' is answered under the {a.regime_of(pa.part).upper()}: rule base "
                         f"{other.meta.id} {other.meta.version} ({other.digest[:19]}...)"))
              for pa in a.parts for other in [a.rulebase_of(pa.part)] if other is not rb]  # a mixed request
    return Group(header, *others, *parts, footer, notice)


def render_problems(problems: list[Problem]) -> RenderableType:
    return Group(*(Text(_safe(str(p))) for p in problems))
