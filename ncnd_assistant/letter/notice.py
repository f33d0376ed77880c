"""The draft s17 response, in the layout police forces use, worded by the rule base.

The letter is built as a list of blocks and rendered as Markdown or plain text. Only the stage
that settled a part feeds its text, so an NCND part's wording is the same whether or not the
information is held. With s17(4) the reasons for a part are left out of the letter (the audit
record keeps them).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from ncnd_assistant.decide.answers import ANY_OTHER
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.decision import CitedProvision
from ncnd_assistant.letter.workdays import due_date
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import HARM_BASED_TESTS, Outcome, RuleBase, placeholders
from ncnd_assistant.rulebase.wording import EXEMPTION_KINDS, TEST_BASIS
from ncnd_assistant.text_safety import printable

DRAFT_BANNER = ("DRAFT prepared with decision support; not legal advice. The officer decides: check every "
                "section before sending.")
TO_COMPLETE = "[officer to state the provisions]"


@dataclass(frozen=True)
class NoticePart:
    """One part as decided: the assessment and what the officer finally decided and added."""

    assessed: PartAssessment
    final: Outcome
    override_reason: str = ""
    harm_text: str = ""
    public_interest_text: str = ""
    reasons_withheld: bool = False  # s17(4): every reason paragraph is left out
    withheld_paragraphs: frozenset[str] = frozenset()  # s17(4) paragraph by paragraph (keys of reason_paragraphs)

    def withholds(self, key: str) -> bool:
        return self.reasons_withheld or key in self.withheld_paragraphs


@dataclass(frozen=True)
class Block:
    """A heading (level 1-3), a paragraph, a bullet list or a quotation."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    level: int = 0


def _fill(template: str, rb: RuleBase, **values: str) -> str:
    authority = rb.notice.authority
    return template.format(authority=authority, Authority=authority[:1].upper() + authority[1:], **values)


def _with_answers(rb: RuleBase, text: str, answers: Mapping[str, Value]) -> str:
    """A rule's notice with `{qid}` filled from the part's answers (a choice by its label; a marked
    gap if unanswered)."""
    names = placeholders(text)

    def shown(qid: str) -> str:
        value = answers.get(qid)
        if value is None or value == "":
            return f"[to complete: {rb.question(qid).text}]"
        return rb.question(qid).display(value)
    return text.format(**{n: shown(n) for n in names})


def _relied_on(np: NoticePart) -> tuple[CitedProvision, ...]:
    """The provisions the final decision relies on (none known when the officer overrode it)."""
    return np.assessed.decision.cited if np.final == np.assessed.outcome else ()


def _sections(cited: tuple[CitedProvision, ...]) -> str:
    labels = [c.provision.label.split(" ")[0] for c in cited]
    if not labels:
        return TO_COMPLETE
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]




def _describe(cited: CitedProvision) -> str:
    p = cited.provision
    kind = EXEMPTION_KINDS[p.exemption]
    basis = TEST_BASIS.get(p.test)
    text = f"{p.label} ({kind}, {basis})" if basis else f"{p.label} ({kind})"
    if cited.in_the_alternative:
        text += ", cited in the alternative"
    return text + (f": {p.notice}" if p.notice else "")


def _inline(summary: str) -> str:
    """A part's summary inside a sentence: "Covert use of FR" -> "covert use of FR"."""
    if len(summary) > 1 and summary[0].isupper() and not summary[1].isupper():
        return summary[0].lower() + summary[1:]
    return summary


def _part_blocks(rb: RuleBase, np: NoticePart) -> list[Block]:
    """One part's answer; an NCND part ends with the neutral caveat naming that part."""
    if np.assessed.fallback_needed is False:
        return []  # the requester's fallback, not needed: its main part was not refused on cost
    blocks = _answer_blocks(rb, np)
    if np.assessed.fallback_needed:
        blocks.insert(1, Block("paragraph", f"As you asked, because the part of your request this replaces would "
                                            f"exceed the cost limit, this is the response to your narrower request "
                                            f"({_inline(np.assessed.part.summary)})."))
    if np.final is Outcome.DISCLOSE:
        blocks.append(Block("paragraph", "[to complete: the information disclosed, or where it is attached]"))
    if np.final is Outcome.NCND:
        blocks.append(Block("paragraph", _fill(rb.notice.ncnd_caveat, rb,
                                               summary=_inline(np.assessed.part.summary))))
    return blocks


def _answer_blocks(rb: RuleBase, np: NoticePart) -> list[Block]:
    """One part's answer: the statement, the provisions relied on, then the harm and public
    interest reasons the officer has not withheld (s17(4))."""
    pa = np.assessed
    cited = _relied_on(np)
    sections = _sections(cited)
    summary = pa.part.summary
    statement = {
        Outcome.NOT_HELD: rb.notice.not_held, Outcome.DISCLOSE: rb.notice.disclose,
        Outcome.WITHHOLD: rb.notice.withhold, Outcome.REFUSE: rb.notice.refuse, Outcome.NCND: rb.notice.ncnd,
        Outcome.EIR: rb.notice.eir,
    }[np.final]
    if np.final is Outcome.NCND and pa.part.kind == ANY_OTHER:
        statement = rb.notice.ncnd_other
    blocks = [Block("heading", summary[:1].upper() + summary[1:], level=4 if pa.part.portion_of else 3),
              Block("paragraph", _fill(statement, rb, summary=_inline(summary), sections=sections))]
    if np.final in (Outcome.NOT_HELD, Outcome.DISCLOSE, Outcome.EIR):
        return blocks
    if cited:
        blocks += _provision_blocks(cited)
    if np.reasons_withheld:
        return blocks + [Block("paragraph", _fill(rb.notice.reasons_withheld, rb, sections=sections))]
    paragraphs = dict(reason_paragraphs(rb, np))
    blocks += _harm_blocks(np, cited, paragraphs)
    blocks += _public_interest_blocks(np, cited, paragraphs)
    if any(np.withholds(key) for key in paragraphs):
        blocks.append(Block("paragraph", _fill(rb.notice.reasons_partly_withheld, rb, sections=sections)))
    return blocks


def _provision_blocks(cited: tuple[CitedProvision, ...]) -> list[Block]:
    blocks = [Block("list", items=tuple(_describe(c) for c in cited))]
    alternatives = [c.provision.label.split(" ")[0] for c in cited if c.in_the_alternative]
    if len(alternatives) > 1:
        blocks.append(Block("paragraph", f"{' and '.join(alternatives)} are relied on in the alternative. It "
                                         "would not be appropriate to say which of them applies, because "
                                         "that would itself reveal information that the exemptions protect."))
    return blocks


def _harm_blocks(np: NoticePart, cited: tuple[CitedProvision, ...], paragraphs: dict[str, str]) -> list[Block]:
    harm = [text for key, text in paragraphs.items()
            if (key == OFFICER_HARM or key.startswith("rule:")) and not np.withholds(key)]
    if not harm:
        return []
    if any(c.provision.test in HARM_BASED_TESTS for c in cited):
        title = "Harm in confirming or denying" if np.final is Outcome.NCND else "Harm"
    else:  # class-based, data protection, confidence, cost, vexatious: no harm test
        title = "Why the exemption applies" if np.final is not Outcome.REFUSE else "Reasons"
    return [Block("heading", title, level=4)] + [Block("paragraph", h) for h in dict.fromkeys(harm)]


def _public_interest_blocks(np: NoticePart, cited: tuple[CitedProvision, ...],
                            paragraphs: dict[str, str]) -> list[Block]:
    pi = np.assessed.decision.public_interest if cited else None
    if pi is None or (np.withholds(PUBLIC_INTEREST) and np.withholds(BALANCE)):
        return []  # no balance, or the whole public interest test is withheld (s17(4))
    what = "confirmation or denial" if np.final is Outcome.NCND else "disclosure"
    blocks = [Block("heading", "Public Interest Test", level=4)]
    if not np.withholds(PUBLIC_INTEREST):
        blocks += [Block("paragraph", f"Factors favouring {what}:"), Block("list", items=pi.for_),
                   Block("paragraph", f"Factors against {what}:"), Block("list", items=pi.against)]
        if np.public_interest_text:
            blocks.append(Block("paragraph", np.public_interest_text))
    if not np.withholds(BALANCE):
        blocks += [Block("heading", "Balance test", level=4)]
        blocks += [Block("paragraph", text) for text in paragraphs[BALANCE].split("\n\n")]
    return blocks


OFFICER_HARM, PUBLIC_INTEREST, BALANCE = "officer-harm", "public-interest", "balance"
SETTLED_AT_STAGE_1 = (Outcome.NCND, Outcome.REFUSE, Outcome.EIR)


def reason_paragraphs(rb: RuleBase, np: NoticePart) -> list[tuple[str, str]]:
    """The letter's reason paragraphs for a part, each with a key the officer can withhold under
    s17(4): the officer's harm text, each harm paragraph (by rule), the public interest factors and
    the balance (with the officer's public interest reasons)."""
    pa = np.assessed
    cited = _relied_on(np)
    if np.final in (Outcome.NOT_HELD, Outcome.DISCLOSE, Outcome.EIR) or not cited:
        return []
    out = [(OFFICER_HARM, np.harm_text)] if np.harm_text else []
    engaging = {rid for c in cited for rid in c.rules}
    seen: set[str] = {np.harm_text}
    for f in pa.explanation.fired:
        if f.rule in engaging:
            text = _with_answers(rb, rb.rule(f.rule).notice, pa.part.answers) or f.because
            if text not in seen:
                seen.add(text)
                out.append((f"rule:{f.rule}", text))
    pi = pa.decision.public_interest
    if pi is not None:
        factors = "; ".join(pi.for_ + pi.against)
        out.append((PUBLIC_INTEREST, f"The public interest factors for and against ({factors})"))
        balance = rb.rule(pi.balance_rule) if pi.balance_rule else None
        text = (_with_answers(rb, balance.notice, pa.part.answers) or balance.because) if balance else \
            "[officer to state the balance of the public interest]"
        reasons = [" ".join(str(pa.part.answers[q.id]).split()) for q in rb.stage_questions(pa.decision.stage)
                   if q.public_interest_reasons and q.id in pa.asked and q.id in pa.part.answers]
        out.append((BALANCE, "\n\n".join([text, *reasons])))
    return out


def notice_blocks(rb: RuleBase, case_ref: str, received: date | None, request: str,
                  parts: list[NoticePart]) -> list[Block]:
    """The whole letter as blocks."""
    blocks = [Block("paragraph", DRAFT_BANNER), Block("heading", f"Freedom of Information request {case_ref}",
                                                      level=1)]
    if received is not None:
        blocks.append(Block("paragraph", _fill(rb.notice.due, rb, received=received.strftime("%d %B %Y"),
                                               due=due_date(received).strftime("%d %B %Y"))))
    if request.strip():
        blocks += [Block("heading", "Request", level=2), Block("quote", request.strip())]
    blocks += [Block("heading", "Response", level=2), Block("paragraph", _fill(rb.notice.duty, rb))]
    heading_of = ""
    for np in parts:
        part = np.assessed.part
        if part.portion_of and np.final in SETTLED_AT_STAGE_1:
            # portions are a Stage-2 matter: an NCND (or refused, or EIR) part is answered once, under its
            # own summary, so the letter does not show how the information would be divided
            if part.portion_of != heading_of:
                whole = replace(part, id=part.portion_of, summary=part.part_summary, portion_of="")
                blocks += _part_blocks(rb, replace(np, assessed=replace(np.assessed, part=whole)))
            heading_of = part.portion_of
            continue
        if part.portion_of and part.portion_of != heading_of:  # the part's heading once, then its portions
            blocks.append(Block("heading", part.part_summary[:1].upper() + part.part_summary[1:], level=3))
            blocks.append(Block("paragraph", "This part of your request is answered in portions."))
        heading_of = part.portion_of
        blocks += _part_blocks(rb, np)
    blocks += [Block("heading", "Your right to complain", level=2), Block("paragraph", _fill(rb.notice.rights, rb))]
    return blocks


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append("#" * b.level + " " + b.text)
        elif b.kind == "list":
            out.append("\n".join(f"- {item}" for item in b.items))
        elif b.kind == "quote":
            out.append("\n".join(f"> {line}" if line else ">" for line in b.text.splitlines()))
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block], width: int = 88) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append(b.text.upper() if b.level <= 2 else b.text)
            if b.level <= 2:
                out.append("=" * len(b.text) if b.level == 1 else "-" * len(b.text))
                out[-2:] = ["\n".join(out[-2:])]
        elif b.kind == "list":
            out.append("\n".join(textwrap.fill(item, width, initial_indent="  * ", subsequent_indent="    ")
                                 for item in b.items))
        elif b.kind == "quote":
            out.append("\n".join(textwrap.fill(line, width, initial_indent="  | ", subsequent_indent="  | ")
                                 if line else "  |" for line in b.text.splitlines()))
        else:
            out.append(textwrap.fill(b.text, width))
    return "\n\n".join(out) + "\n"


def render_notice(rb: RuleBase, case_ref: str, received: date | None, request: str, parts: list[NoticePart],
                  fmt: str = "markdown") -> str:
    """The draft response as Markdown (default) or plain text, without control characters."""
    blocks = notice_blocks(rb, case_ref, received, request, parts)
    return printable(to_text(blocks) if fmt == "text" else to_markdown(blocks))
