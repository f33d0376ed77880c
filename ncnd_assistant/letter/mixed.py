"""One letter for a mixed request: FOIA parts and EIR parts, each answered under its own law.

The ICO: "If some of the information you hold is environmental information and some is not, you
have to apply the EIR to the environmental information and FOIA to the non-environmental
information" (docs/sources.md, "Mixed requests"). So the letter opens by saying which law answers
which parts, gives each law's duty, heads each part with the law it is answered under, and gives
both routes of challenge: FOIA's internal review and the EIR's representations (reg 11), then the
Information Commissioner (FOIA s50, applied to the EIR by reg 18). Each part's own wording comes
from its own rule base (`NoticePart.rulebase`); this module only words what is common to the laws.
"""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.letter.blocks import Block
from ncnd_assistant.letter.part import MissingPart, NoticePart, Words
from ncnd_assistant.rulebase.model import RuleBase

LAWS = {"foia": "the Freedom of Information Act 2000", "eir": "the Environmental Information Regulations 2004",
        "foisa": "the Freedom of Information (Scotland) Act 2002"}
SHORT = {"foia": "FOIA", "eir": "the EIR", "foisa": "FOISA"}

OPENING = ("Thank you for your request for information, received on {received}. Part of the information you "
           "asked for is environmental information, which {authority} must deal with under the Environmental "
           "Information Regulations 2004 (the EIR) rather than the Freedom of Information Act 2000 (FOIA) "
           "(section 39 of FOIA); the rest of your request has been dealt with under FOIA. Each part of your "
           "request is answered below under the law that applies to it, and its heading says which.")
REFUSALS = ("Where a part answered under FOIA is refused, this letter is, for that part, a refusal notice under "
            "section 17 of FOIA. Where a part answered under the EIR is refused, this letter is, for that part, a "
            "refusal notice under regulation 14 of the EIR.")
PART_DUTY = {"eir": (
    "regulation 5(1) of the EIR requires a public authority that holds environmental information to make it "
    "available on request, unless an exception in regulation 12 or 13 applies. Every exception in regulation 12 "
    "applies only where, in all the circumstances, the public interest in maintaining it outweighs the public "
    "interest in disclosure, and the authority must apply a presumption in favour of disclosure (regulation "
    "12(1)(b) and (2)). The authority may neither confirm nor deny whether it holds information where "
    "confirming or denying would itself adversely affect international relations, defence, national security "
    "or public safety and the public interest favours not doing so (regulation 12(6), with 12(1)(b)), or where "
    "giving the confirmation or denial to a member of the public would contravene the data protection "
    "principles (regulation 13(5A) and (5B)(a)).")}
FOIA_REVIEW_TIME = ("Under the Code of Practice issued under section 45 of FOIA, you should ask for the review "
                    "within 40 working days of the date of this response.")
REVIEW_LEAD = {"foia": "For the parts answered under FOIA: ", "eir": "For the parts answered under the EIR: "}
TITLE = "Request for information {case_ref}"


def words_for(letter: Words, np: NoticePart) -> Words:
    """The wording of one part: its own rule base's when it has one other than the letter's."""
    rb = np.rulebase
    return letter if rb is None or rb is letter.rb else Words(rb, letter.authority)


def regimes(rb: RuleBase, parts: Sequence[NoticePart | MissingPart]) -> tuple[str, ...]:
    """The laws the letter's parts are answered under, the letter's own first."""
    found = [rb.meta.regime]
    for np in parts:
        if isinstance(np, NoticePart) and np.rulebase is not None and np.rulebase.meta.regime not in found:
            found.append(np.rulebase.meta.regime)
    return tuple(found)


def other_rulebases(rb: RuleBase, parts: Sequence[NoticePart | MissingPart]) -> list[RuleBase]:
    """The rule bases of the parts answered under another law than the letter's, once each."""
    found: dict[str, RuleBase] = {}
    for np in parts:
        if isinstance(np, NoticePart) and np.rulebase is not None and np.rulebase.meta.regime != rb.meta.regime:
            found.setdefault(np.rulebase.meta.regime, np.rulebase)
    return list(found.values())


def law_heading(summary_heading: str, regime: str) -> str:
    """A part's heading in a mixed letter: its summary and the law it is answered under."""
    return f"{summary_heading} (answered under {LAWS.get(regime, regime)})"


def duty_blocks(letter: Words, others: Sequence[RuleBase]) -> list[Block]:
    """Each law's duties for the parts answered under it, then which refusal notice the letter is for
    which parts. The request's law in its rule base's words; the EIR's for a part of a mixed request
    (its rule base's `duty` speaks of the whole request as environmental)."""
    blocks = [_led(letter, letter.fill(letter.rb.notice.duty))]
    for rb in others:
        words = Words(rb, letter.authority)
        blocks.append(_led(words, words.fill(PART_DUTY.get(rb.meta.regime, rb.notice.duty))))
    return blocks + [Block("paragraph", REFUSALS)]


def review_blocks(letter: Words, others: Sequence[RuleBase], review: str) -> list[Block]:
    """Both routes: each law's review (FOIA internal review; EIR representations, reg 11) and its
    complaint to the Information Commissioner (FOIA s50; applied to the EIR by reg 18)."""
    laws = [letter, *(Words(rb, letter.authority) for rb in others)]
    blocks = [Block("heading", "Internal review and representations", level=2)]
    for i, w in enumerate(laws):  # the authority's own procedure once, with the first law's route
        own = "" if i else review
        if w.rb.meta.regime == "foia":  # FOIA sets no time for a review: the s45 Code does
            own = f"{FOIA_REVIEW_TIME} {own}".strip()
        blocks.append(_led(w, w.fill(w.rb.notice.review, review=own).strip()))
    blocks.append(Block("heading", "Your right to complain", level=2))
    return blocks + [_led(w, w.fill(w.rb.notice.rights)) for w in laws]


def _led(words: Words, text: str) -> Block:
    """"For the parts answered under FOIA: if you are dissatisfied ..."."""
    lead = REVIEW_LEAD.get(words.rb.meta.regime, "")
    return Block("paragraph", lead + text[:1].lower() + text[1:] if lead else text)
