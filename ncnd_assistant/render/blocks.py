"""What the terminal shows for an assessment, as plain blocks: paragraphs, a table, boxes.

`render.text` turns the blocks into Rich renderables (colour, a terminal); `render.plain` draws
them as the very characters Rich prints without colour, without importing Rich's console, for
`ncnd decide` into a pipe or file (start-up, issue 16). Builds; never prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.decide.decision import PublicInterest
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.model import Outcome, section_key
from ncnd_assistant.text_safety import for_terminal as _safe

OUTCOME_TEXT = {o: o.label for o in Outcome}  # the one vocabulary (model.Outcome.label)
OUTCOME_STYLE = {Outcome.NCND: "bold magenta", Outcome.NOT_HELD: "bold cyan", Outcome.WITHHOLD: "bold yellow",
                 Outcome.DISCLOSE: "bold green", Outcome.REFUSE: "bold red", Outcome.EIR: "bold blue"}
EXEMPTION_TEXT = {"not_exemption": "not an exemption"}  # a provision's kind, in words


@dataclass(frozen=True)
class Para:
    """A paragraph wrapped to the width: `spans` of (text, style), the whole in `style`; with
    `indent`, every line is indented by that many spaces and filled to the width (Rich's Padding)."""

    spans: tuple[tuple[str, str], ...]
    style: str = ""
    indent: int | None = None


@dataclass(frozen=True)
class Columns:
    """A table without borders: a header row and rows of cells (Rich's Table, box=None, pad_edge=False)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Box:
    """A rounded box the width of its room, its title on the top border (Rich's Panel)."""

    title: str
    body: tuple[Block, ...]


Block = Para | Columns | Box


def text(content: str, style: str = "") -> Para:
    """One paragraph of user or rule-base text (escape and control sequences removed)."""
    return Para(((_safe(content), ""),), style)


def indented(content: str, spaces: int, style: str = "") -> Para:
    """Text whose wrapped lines keep the indent."""
    return Para(((_safe(content), ""),), style, spaces)


PLAIN_STARTS = frozenset({"The", "This", "These", "That", "Those", "A", "An", "It", "Its", "No", "Neither",
                          "There", "Confirming", "Disclosing", "Section", "Sections", "Whether", "Either", "Both",
                          "Every", "Any", "Some", "Nothing", "Information"})


def sentence_case(content: str) -> str:
    """A reason to follow "because": a plain first word lower-cased ("because The officer judged"
    reads "because the officer judged"); names and abbreviations are left as they are."""
    first = content.split(" ", 1)[0]
    return first.lower() + content[len(first):] if first in PLAIN_STARTS else content


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


def part_block(pa: PartAssessment, explain: bool = True) -> Box:
    """One part: outcome, provisions, public interest and (optionally) the explanation."""
    d = pa.decision
    body: list[Block] = [Para((("Recommendation: ", "bold"), (OUTCOME_TEXT[pa.outcome], OUTCOME_STYLE[pa.outcome]),
                               (f"  (decided at stage {d.stage})", "")))]
    if d.cited:
        rows = []
        for c in d.cited:
            p = c.provision
            label = p.label + (" (in the alternative)" if c.in_the_alternative else "")
            rows.append(tuple(_safe(cell) for cell in (label, EXEMPTION_TEXT.get(p.exemption, p.exemption),
                                                       p.test.replace("_", " "), (c.harm or "-").replace("_", " "))))
        body.append(Columns(("Provision", "Type", "Test", "Harm"), tuple(rows)))
    if pa.stage1.blocked_by:
        why = {f.rule: f.because for f in pa.explanation.fired}
        body.append(text("Neither confirm nor deny is not available: "
                         + " ".join(why.get(r, r) for r in pa.stage1.blocked_by), "yellow"))
    pi = d.public_interest
    if pi is not None:
        body.append(text("Public interest test", "bold"))
        body.append(text("Factors favouring confirmation or denial / disclosure:"))
        body.extend(indented(f"+ {f}", 2) for f in pi.for_)
        body.append(text("Factors against:"))
        body.extend(indented(f"- {f}", 2) for f in pi.against)
        body.append(Para((("Balance: ", "bold"), (balance_text(pi, d.stage), ""))))
        if pi.balance_because:
            body.append(indented(pi.balance_because, 2))
    for warning in pa.warnings:
        body.append(text(f"Warning: {warning}", "bold yellow"))
    if explain:
        body.extend(explanation_blocks(pa))
    return Box(_safe(f"Part '{pa.part.id}': {pa.part.summary}"), tuple(body))


def weighing_block(pi: PublicInterest, stage: int) -> Box:
    """Shown before the officer's public-interest answer: the factors so far and the rules' view."""
    towards = "confirming or denying" if stage == 1 else "disclosure"
    body: list[Block] = [Para(((f"Factors favouring {towards}:", ""),))]
    body.extend(indented(f"+ {f}", 2) for f in pi.for_ or ("none listed",))
    body.append(Para((("Factors against:", ""),)))
    body.extend(indented(f"- {f}", 2) for f in pi.against or ("none listed",))
    if pi.balance is not None:
        body.append(Para((("The rules recommend: ", "bold"), (balance_text(pi, stage), ""))))
        if pi.balance_because:
            body.append(indented(pi.balance_because, 2))
    body.append(Para((("The judgement is yours: an even balance means "
                       + ("confirm or deny." if stage == 1 else "disclose."), ""),), "dim"))
    return Box("Weigh the public interest", tuple(body))


def explanation_blocks(pa: PartAssessment) -> list[Block]:
    """Every rule that fired with its reason, citations and answers; and why not."""
    lines: list[Block] = [text("Why", "bold")]
    for f in pa.explanation.fired:
        lines.append(Para(((_safe(f"  {f.rule}"), "bold"), (_safe(f" (stage {f.stage}): {f.conclusion}"), ""))))
        lines.append(indented(f"because {sentence_case(f.because)}", 4))
        lines.append(indented("cites " + "; ".join(str(c) for c in f.citations), 4, "dim"))
        for r in f.relied_on:
            lines.append(indented(f"- {r.text} -> {r.answer}", 4))
    considered = [n for n in pa.explanation.not_engaged if n.arose]
    if considered:
        lines.append(text("Why not", "bold"))
        for n in considered:
            lines.append(indented(f"{n.provision} {n.title} ({n.rule}): {n.failed}", 2))
    unasked = not_arising(pa)
    if unasked:
        lines.append(indented("Did not arise (their questions did not apply): " + ", ".join(unasked), 0, "dim"))
    return lines


def not_arising(pa: PartAssessment) -> list[str]:
    """Provisions none of whose rules got as far as an answered question, in statutory order."""
    arose = {n.provision for n in pa.explanation.not_engaged if n.arose}
    return sorted({n.provision for n in pa.explanation.not_engaged if n.provision not in arose}, key=section_key)


def assessment_blocks(a: Assessment, explain: bool = True) -> Sequence[Block]:
    """The whole request: header, every part, and the held-invariance check."""
    rb = a.rulebase
    header = Para((("Case ", "bold"), (_safe(a.request.case_ref), ""),
                   (_safe(f"   rule base {rb.meta.id} {rb.meta.version} ({rb.digest[:19]}...)"), "")))
    parts = [part_block(p, explain) for p in a.parts]
    if a.held_invariance:
        check = ("identical whether or not the information is held" if a.held_invariant
                 else "DIFFERS depending on whether the information is held: do not send")
        footer = Para(((f"Held-invariance check for NCND parts: {check}", ""),),
                      "green" if a.held_invariant else "bold red")
    else:
        footer = Para((("Held-invariance check: no NCND parts", ""),))
    notice = Para((("Decision support, not legal advice: the officer decides.", ""),), "dim")
    others = [text(f"Part '{pa.part.id}' is answered under the {a.regime_of(pa.part).upper()}: rule base "
                   f"{other.meta.id} {other.meta.version} ({other.digest[:19]}...)")
              for pa in a.parts for other in [a.rulebase_of(pa.part)] if other is not rb]  # a mixed request
    return [header, *others, *parts, footer, notice]
