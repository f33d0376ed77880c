"""A part's reasons in the letter: the harm (in the order of the provisions, absolute limbs under
their own heading), the public interest factors per provision and the balance with the officer's
own reasons, each paragraph with a key the officer can withhold under s17(4)."""

from __future__ import annotations

from ncnd_assistant.decide.decision import CitedProvision
from ncnd_assistant.letter import particulars as our
from ncnd_assistant.letter.blocks import Block
from ncnd_assistant.letter.part import NoticePart, Words, relied_on, with_answers
from ncnd_assistant.letter.public_interest import factor_groups
from ncnd_assistant.rulebase.model import HARM_BASED_TESTS, Outcome, RuleBase
from ncnd_assistant.settings.model import Settings

OFFICER_HARM, PUBLIC_INTEREST, BALANCE = "officer-harm", "public-interest", "balance"


def reason_blocks(np: NoticePart, cited: tuple[CitedProvision, ...], paragraphs: dict[str, str]) -> list[Block]:
    """The reason paragraphs in the order of the provisions: each absolute provision under its own
    heading, then the harm (or, for class-based provisions, why the exemption applies)."""
    def shown(key: str) -> bool:
        return key in paragraphs and not np.withholds(key)

    absolute: list[Block] = []
    harm: list[str] = [paragraphs[OFFICER_HARM]] if shown(OFFICER_HARM) else []
    for c in cited:
        texts = [paragraphs[f"rule:{rid}"] for rid in c.rules if shown(f"rule:{rid}")]
        if c.provision.exemption == "absolute" and texts:
            absolute += [Block("heading", f"{c.provision.label}: an absolute exemption", level=4)]
            absolute += [Block("paragraph", t) for t in dict.fromkeys(texts)]
        else:
            harm += texts
    if not harm:
        return absolute
    if any(c.provision.test in HARM_BASED_TESTS for c in cited):
        title = "Harm in confirming or denying" if np.final is Outcome.NCND else "Harm"
    else:  # class-based, data protection, confidence, cost, vexatious: no harm test
        title = "Why the exemption applies" if np.final is not Outcome.REFUSE else "Reasons"
    return absolute + [Block("heading", title, level=4)] + [Block("paragraph", h) for h in dict.fromkeys(harm)]


def public_interest_blocks(letter: Words, np: NoticePart, cited: tuple[CitedProvision, ...],
                            paragraphs: dict[str, str]) -> list[Block]:
    pi = np.assessed.decision.public_interest if cited else None
    if pi is None or (np.withholds(PUBLIC_INTEREST) and np.withholds(BALANCE)):
        return []  # no balance, or the whole public interest test is withheld (s17(4))
    what = "confirmation or denial" if np.final is Outcome.NCND else "disclosure"
    blocks = []
    if not np.withholds(PUBLIC_INTEREST):
        for group in factor_groups(letter.rb, cited, pi):
            blocks.append(Block("heading", f"Public interest test: {group.title}", level=4))
            if group.for_:
                blocks += [Block("paragraph", f"Factors favouring {what}:"),
                           Block("list", items=tuple(letter.ours(f) for f in group.for_))]
            if group.against:
                blocks += [Block("paragraph", f"Factors against {what}:"),
                           Block("list", items=tuple(letter.ours(f) for f in group.against))]
    if not np.withholds(BALANCE):
        blocks += [Block("heading", "Balance test", level=4)]
        blocks += [Block("paragraph", text) for text in paragraphs[BALANCE].split("\n\n") if text.strip()]
    return blocks


def reason_paragraphs(rb: RuleBase, np: NoticePart, settings: Settings | None = None) -> list[tuple[str, str]]:
    """The letter's reason paragraphs for a part, each with a key the officer can withhold under
    s17(4): the officer's harm text, each rule's paragraph (in the order of the provisions it
    engages), the public interest factors and the balance (with the officer's reasons)."""
    return paragraphs_for(Words(rb, our.authority_name(settings, rb.notice.authority)), np)


def paragraphs_for(letter: Words, np: NoticePart) -> list[tuple[str, str]]:
    rb, pa = letter.rb, np.assessed
    cited = relied_on(np)
    if np.final in (Outcome.NOT_HELD, Outcome.DISCLOSE, Outcome.EIR) or not cited:
        return []
    out = [(OFFICER_HARM, np.harm_text)] if np.harm_text else []
    fired = {f.rule: f for f in pa.explanation.fired}
    seen: set[str] = {np.harm_text}
    for rid in (rid for c in cited for rid in c.rules if rid in fired):
        text = letter.ours(with_answers(rb, rb.rule(rid).notice, pa.part.answers) or fired[rid].because)
        if text not in seen:
            seen.add(text)
            out.append((f"rule:{rid}", text))
    pi = pa.decision.public_interest
    if pi is not None:
        factors = "; ".join(letter.ours(f) for f in pi.for_ + pi.against)
        out.append((PUBLIC_INTEREST, f"The public interest factors for and against ({factors})"))
        out.append((BALANCE, "\n\n".join(_balance(letter, np))))
    return out


def _balance(letter: Words, np: NoticePart) -> list[str]:
    """The balance: the rule base's reasoning for it, then the officer's own reasons."""
    rb, pa = letter.rb, np.assessed
    pi = pa.decision.public_interest
    assert pi is not None
    balance = rb.rule(pi.balance_rule) if pi.balance_rule else None
    text = letter.ours(with_answers(rb, balance.notice, pa.part.answers) or balance.because) if balance else \
        "[officer to state the balance of the public interest]"
    reasons = [" ".join(str(pa.part.answers[q.id]).split()) for q in rb.stage_questions(pa.decision.stage)
               if q.public_interest_reasons and q.id in pa.asked and q.id in pa.part.answers]
    own = [" ".join(np.public_interest_text.split())] if np.public_interest_text.strip() else []
    return [text, *reasons, *own]

