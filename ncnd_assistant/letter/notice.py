"""The draft s17 response, in the layout police forces use, worded by the rule base and headed,
addressed and signed with the authority's particulars from the user's settings.

The letter is built as a list of blocks (`LetterDraft.blocks`) and rendered as Markdown or plain
text; what is for the officer only (the DRAFT banner, the due date, gaps to fill) is kept apart
in `LetterDraft.officer_notes`, never in the letter. Only the stage that settled a part feeds its
text, so an NCND part's wording is the same whether or not the information is held. With s17(4)
the reasons for a part are left out of the letter (the audit record keeps them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ncnd_assistant.audit.decision_record import needs_sign_off
from ncnd_assistant.decide.answers import ANY_OTHER
from ncnd_assistant.decide.decision import CitedProvision
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter import mixed
from ncnd_assistant.letter import particulars as our
from ncnd_assistant.letter.blocks import Block, render_blocks, to_markdown, to_text
from ncnd_assistant.letter.part import MissingPart, NoticePart, Words, chosen_provisions, relied_on
from ncnd_assistant.letter.particulars import Requester
from ncnd_assistant.letter.reasons import (
    paragraphs_for,
    public_interest_blocks,
    reason_blocks,
    reason_paragraphs,
)
from ncnd_assistant.letter.workdays import calendar_for, due_date, long_date
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.rulebase.wording import EXEMPTION_KINDS, TEST_BASIS
from ncnd_assistant.settings.model import Settings

__all__ = ["DRAFT_BANNER", "Block", "LetterDraft", "MissingPart", "NoticePart", "Requester", "chosen_provisions",
           "letter_draft", "notice_blocks", "reason_paragraphs", "render_blocks", "render_notice", "to_markdown",
           "to_text"]

DRAFT_BANNER = ("DRAFT prepared with decision support; not legal advice. The officer decides: check every "
                "section before sending.")
TO_COMPLETE = "[officer to state the provisions]"
AWAITING_SIGN_OFF = ("AWAITING SIGN-OFF BY A SECOND OFFICER: the decision on {summary} involves {provisions}; "
                     "this letter is not to be sent until a second officer has signed the decision off "
                     "(ncnd audit pending lists it; ncnd audit sign-off ID --by NAME).")
SUBJECT_ACCESS_NOTE = ("The s40(5A) part tells the requester they may make a subject access request; the ICO "
                       "expects the authority to deal with the request as one itself where it can: if you are "
                       "doing so, say so in the letter.")
NOT_DECIDED = ("[PART NOT YET DECIDED: {summary}. No decision is recorded for this part; the letter must not be "
               "sent until it is decided.]")


@dataclass(frozen=True)
class LetterDraft:
    """The letter's blocks, and the notes for the officer that are not part of it."""

    blocks: list[Block]
    officer_notes: list[str]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sections(cited: tuple[CitedProvision, ...]) -> str:
    labels = [c.provision.label.split(" ")[0] for c in cited]
    return _and(labels) if labels else TO_COMPLETE


def questions_text(numbers: Sequence[int]) -> str:
    """"question 2", "questions 1 and 2", "questions 1, 3 and 4"."""
    ordered = [str(n) for n in sorted(set(numbers))]
    return ("question " if len(ordered) == 1 else "questions ") + _and(ordered)


def _describe(letter: Words, cited: CitedProvision) -> str:
    p = cited.provision
    kind = EXEMPTION_KINDS[p.exemption]
    basis = TEST_BASIS.get(p.test)
    text = f"{p.label} ({kind}, {basis})" if basis else f"{p.label} ({kind})"
    if cited.in_the_alternative:
        text += ", cited in the alternative"
    return text + (f": {letter.ours(p.notice)}" if p.notice else "")


def _inline(summary: str) -> str:
    """A part's summary inside a sentence: "Covert use of FR" -> "covert use of FR"."""
    if len(summary) > 1 and summary[0].isupper() and not summary[1].isupper():
        return summary[0].lower() + summary[1:]
    return summary


def _heading(summary: str) -> str:
    return summary[:1].upper() + summary[1:]


def part_statement(rb: RuleBase, np: NoticePart, settings: Settings | None = None) -> str:
    """The sentence that answers the part, as the letter gives it (shown to the officer to check)."""
    letter = Words(rb, our.authority_name(settings, rb.notice.authority))
    return _statement(letter, np)


def _statement(letter: Words, np: NoticePart) -> str:
    rb, summary = letter.rb, np.assessed.part.summary
    statement = {
        Outcome.NOT_HELD: rb.notice.not_held, Outcome.DISCLOSE: rb.notice.disclose,
        Outcome.WITHHOLD: rb.notice.withhold, Outcome.REFUSE: rb.notice.refuse, Outcome.NCND: rb.notice.ncnd,
        Outcome.EIR: rb.notice.eir,
    }[np.final]
    if np.final is Outcome.NCND and np.assessed.part.kind == ANY_OTHER:
        statement = rb.notice.ncnd_other
    return letter.fill(statement, summary=_inline(summary), sections=_sections(relied_on(np)))


def _part_blocks(letter: Words, np: NoticePart) -> list[Block]:
    """One part's answer; an NCND part ends with the neutral caveat naming that part."""
    if np.assessed.fallback_needed is False:
        return []  # the requester's fallback, not needed: its main part was not refused on cost
    blocks = _answer_blocks(letter, np)
    if np.assessed.fallback_needed:
        blocks.insert(1, Block("paragraph", f"As you asked, because the part of your request this replaces would "
                                            f"exceed the cost limit, this is the response to your narrower request "
                                            f"({_inline(np.assessed.part.summary)})."))
    if np.final is Outcome.DISCLOSE:
        blocks.append(Block("paragraph", "[to complete: the information disclosed, or where it is attached]"))
    if np.final is Outcome.NCND:
        blocks.append(Block("paragraph", letter.fill(letter.rb.notice.ncnd_caveat,
                                                     summary=_inline(np.assessed.part.summary))))
    return blocks


def _answer_blocks(letter: Words, np: NoticePart) -> list[Block]:
    """One part's answer: the statement, the provisions relied on, then the reasons the officer
    has not withheld (s17(4)): absolute limbs under their own heading, harm in the order of the
    provisions, the public interest test per provision and the balance."""
    pa = np.assessed
    cited = relied_on(np)
    sections = _sections(cited)
    blocks = [Block("heading", _heading(pa.part.summary), level=4 if pa.part.portion_of else 3)]
    waiting = awaiting(letter.rb, np)
    if waiting:
        blocks.append(Block("mark", AWAITING_SIGN_OFF.format(summary=_inline(pa.part.summary),
                                                             provisions=_and(list(waiting)))))
    if np.questions:
        blocks.append(_questions_block(letter, np.questions))
    blocks.append(Block("paragraph", _statement(letter, np)))
    if np.final in (Outcome.NOT_HELD, Outcome.DISCLOSE, Outcome.EIR):
        return blocks
    if cited:
        blocks += _provision_blocks(letter, cited)
    if np.reasons_withheld:
        return blocks + [Block("paragraph", letter.fill(letter.rb.notice.reasons_withheld, sections=sections))]
    paragraphs = dict(paragraphs_for(letter, np))
    blocks += reason_blocks(np, cited, paragraphs)
    blocks += public_interest_blocks(letter, np, cited, paragraphs)
    if any(np.withholds(key) for key in paragraphs):
        blocks.append(Block("paragraph", letter.fill(letter.rb.notice.reasons_partly_withheld, sections=sections)))
    return blocks


def _questions_block(letter: Words, numbers: Sequence[int]) -> Block:
    return Block("paragraph", letter.fill(letter.rb.notice.questions, questions=questions_text(numbers)))


def awaiting(rb: RuleBase, np: NoticePart) -> tuple[str, ...]:
    """The provisions of the part's decision still waiting for a second officer's sign-off."""
    if np.awaiting_sign_off is not None:
        return np.awaiting_sign_off
    return tuple(needs_sign_off(rb, np.assessed))


def _provision_blocks(letter: Words, cited: tuple[CitedProvision, ...]) -> list[Block]:
    blocks = [Block("list", items=tuple(_describe(letter, c) for c in cited))]
    alternatives = [c.provision.label.split(" ")[0] for c in cited if c.in_the_alternative]
    if len(alternatives) > 1:
        blocks.append(Block("paragraph", f"{' and '.join(alternatives)} are relied on in the alternative. It "
                                         "would not be appropriate to say which of them applies, because "
                                         "that would itself reveal information that the exemptions protect."))
    return blocks


SETTLED_AT_STAGE_1 = (Outcome.NCND, Outcome.REFUSE, Outcome.EIR)


def _parts_blocks(letter: Words, parts: Sequence[NoticePart | MissingPart], mixed_law: bool = False) -> list[Block]:
    """Every part's answer; in a mixed letter (`mixed_law`) each part worded and headed under its own law."""
    blocks: list[Block] = []
    heading_of = ""
    for np in parts:
        if isinstance(np, MissingPart):
            blocks += [Block("heading", _heading(np.summary or np.id), level=3),
                       Block("mark", NOT_DECIDED.format(summary=_inline(np.summary or np.id)))]
            heading_of = ""
            continue
        words = mixed.words_for(letter, np)
        start = len(blocks)
        _part_into(blocks, words, np, heading_of)
        heading_of = np.assessed.part.portion_of
        if mixed_law:  # the part's first heading says which law it is answered under
            for i in range(start, len(blocks)):
                if blocks[i].kind == "heading" and blocks[i].level == 3:
                    blocks[i] = replace(blocks[i], text=mixed.law_heading(blocks[i].text, words.rb.meta.regime))
                    break
    return blocks


def _part_into(blocks: list[Block], letter: Words, np: NoticePart, heading_of: str) -> None:
    """Add one part's blocks (`heading_of`: the part whose heading was given last, for portions)."""
    part = np.assessed.part
    if part.portion_of and np.final in SETTLED_AT_STAGE_1:
        # portions are a Stage-2 matter: an NCND (or refused, or EIR) part is answered once, under its
        # own summary, so the letter does not show how the information would be divided
        if part.portion_of != heading_of:
            whole = replace(part, id=part.portion_of, summary=part.part_summary, portion_of="")
            blocks += _part_blocks(letter, replace(np, assessed=replace(np.assessed, part=whole)))
        return
    if part.portion_of and part.portion_of != heading_of:  # the part's heading once, then its portions
        blocks.append(Block("heading", _heading(part.part_summary), level=3))
        if np.questions:
            blocks.append(_questions_block(letter, np.questions))
            np = replace(np, questions=())
        blocks.append(Block("paragraph", "This part of your request is answered in portions."))
    elif part.portion_of:
        np = replace(np, questions=())
    blocks += _part_blocks(letter, np)


def letter_draft(rb: RuleBase, case_ref: str, received: date | None, request: str,
                 parts: Sequence[NoticePart | MissingPart], *, settings: Settings | None = None,
                 letter_date: date | None = None, requester: Requester | None = None) -> LetterDraft:
    """The whole letter as blocks, with the officer's notes kept apart.

    `settings` gives the authority's particulars (the rule base's neutral wording and marked gaps
    without them); `letter_date` is the date the letter bears (today when not given)."""
    letter = Words(rb, our.authority_name(settings, rb.notice.authority))
    others = mixed.other_rulebases(rb, parts)  # a mixed request: the other laws its parts are answered under
    day = letter_date or date.today()
    salutation, close = our.greeting(requester)
    blocks = [Block("lines", items=lines) for lines in our.head_lines(settings, letter.authority)]
    if requester:
        blocks.append(Block("lines", items=our.requester_lines(requester)))
    blocks += [Block("lines", items=our.date_lines(day, case_ref)), Block("paragraph", salutation),
               Block("heading", (mixed.TITLE if others else "Freedom of Information request {case_ref}").format(
                   case_ref=case_ref), level=1),
               Block("paragraph", letter.fill(mixed.OPENING if others else rb.notice.opening,
                                              received=long_date(received) if received else
                                              "[to complete: the date received]"))]
    if request.strip():
        blocks += [Block("heading", "Request", level=2), Block("quote", request.strip())]
    blocks.append(Block("heading", "Response", level=2))
    blocks += mixed.duty_blocks(letter, others) if others else [Block("paragraph", letter.fill(rb.notice.duty))]
    blocks += _parts_blocks(letter, parts, bool(others))
    if others:  # both routes: FOIA's internal review, the EIR's representations (reg 11), then the ICO
        blocks += mixed.review_blocks(letter, others, our.review_text(settings))
    else:
        blocks += [Block("heading", "Internal review", level=2),
                   Block("paragraph", letter.fill(rb.notice.review, review=our.review_text(settings))),
                   Block("heading", "Your right to complain", level=2),
                   Block("paragraph", letter.fill(rb.notice.rights))]
    contact = our.contact_text(settings)
    if contact:
        blocks.append(Block("paragraph", contact))
    blocks += [Block("paragraph", close), Block("lines", items=our.signature_lines(settings, letter.authority))]
    marks = [b for b in blocks if b.kind == "mark"]
    if marks:  # a letter that must not go yet says so at its head too
        waiting = sum(b.text.startswith("AWAITING SIGN-OFF") for b in marks)
        why = ([f"{waiting} part(s) awaiting sign-off by a second officer"] if waiting else []) + \
            ([f"{len(marks) - waiting} part(s) not yet decided"] if len(marks) > waiting else [])
        blocks.insert(0, Block("mark", f"NOT READY TO SEND: {_and(why)}; see the marks below."))
    notes = _officer_notes(rb, received, blocks, settings)
    if received is not None:  # each other law's time limit (the EIR: reg 5(2), reg 7)
        notes[2:2] = [o.notice.due.format(received=long_date(received), due=long_date(
            due_date(received, nations=calendar_for(o.meta.regime)))) for o in others]
    if any(c.provision.id == "s40(5A)" for np in parts if isinstance(np, NoticePart) for c in relied_on(np)):
        notes.append(SUBJECT_ACCESS_NOTE)
    return LetterDraft(blocks, notes)


def _officer_notes(rb: RuleBase, received: date | None, blocks: list[Block], settings: Settings | None) -> list[str]:
    """What the officer sees beside the letter: the banner, the due date, the gaps still to fill."""
    notes = [DRAFT_BANNER]
    if received is not None:
        due = due_date(received, nations=calendar_for(rb.meta.regime))  # FOISA s73: Scotland's bank holidays
        notes.append(rb.notice.due.format(received=long_date(received), due=long_date(due)))
    notes += [f"Sign-off: {b.text.split(': ', 1)[1]}" for b in blocks if b.text.startswith("AWAITING SIGN-OFF")]
    gaps = sum(text.count("[to complete:") for b in blocks for text in (b.text, *b.items))
    if gaps:
        notes.append(f"The letter has {gaps} gap(s) marked [to complete: ...] to fill before it is sent.")
    if settings is None or not settings.authority.strip():
        notes.append("No authority is set: the letter says \"" + rb.notice.authority + "\"; set yours with "
                     "`ncnd settings set authority NAME` (and address, contact, signature, review).")
    return notes


def notice_blocks(rb: RuleBase, case_ref: str, received: date | None, request: str,
                  parts: Sequence[NoticePart | MissingPart], *, settings: Settings | None = None,
                  letter_date: date | None = None, requester: Requester | None = None) -> list[Block]:
    """The whole letter as blocks (the officer's notes are in `letter_draft`)."""
    return letter_draft(rb, case_ref, received, request, parts, settings=settings, letter_date=letter_date,
                        requester=requester).blocks


def render_notice(rb: RuleBase, case_ref: str, received: date | None, request: str,
                  parts: Sequence[NoticePart | MissingPart], fmt: str = "markdown", *,
                  settings: Settings | None = None, letter_date: date | None = None,
                  requester: Requester | None = None) -> str:
    """The letter as Markdown (default) or plain text, without control characters."""
    return render_blocks(notice_blocks(rb, case_ref, received, request, parts, settings=settings,
                                       letter_date=letter_date, requester=requester), fmt)


