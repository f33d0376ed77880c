"""One part of the letter: the part as decided (`NoticePart`), a part with no decision yet
(`MissingPart`), the provisions the final decision relies on (the recommendation's, or the
officer's own on an override), and the wording every block of a letter shares (`Words`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.decision import CitedProvision
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter import particulars as our
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase, placeholders


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
    questions: tuple[int, ...] = ()  # the numbered questions of the request this part answers
    # provisions a second officer has yet to sign off; None: a decision just made, so every provision the
    # rule base wants a second officer for (`sign_off` in its metadata) still waits
    awaiting_sign_off: tuple[str, ...] | None = None
    # an override's own provisions (`chosen_provisions`); empty: the recommendation's, when accepted
    chosen: tuple[CitedProvision, ...] = ()
    # the part's own rule base when it is not the letter's (an EIR part of a mixed FOIA request): the
    # part is worded under its own law (letter/mixed.py)
    rulebase: RuleBase | None = None

    def withholds(self, key: str) -> bool:
        return self.reasons_withheld or key in self.withheld_paragraphs


@dataclass(frozen=True)
class MissingPart:
    """A part of the request with no decision recorded (the letter marks it, never skips it)."""

    id: str
    summary: str


@dataclass(frozen=True)
class Words:
    """What every block of one letter is worded with."""

    rb: RuleBase
    authority: str

    def fill(self, template: str, **values: str) -> str:
        a = self.authority
        return template.format(authority=a, Authority=a[:1].upper() + a[1:], **values)

    def ours(self, text: str) -> str:
        """Rule-base wording in the authority's name."""
        return our.in_our_name(text, self.authority, self.rb.notice.authority)


def with_answers(rb: RuleBase, text: str, answers: Mapping[str, Value]) -> str:
    """A rule's notice with `{qid}` filled from the part's answers (a choice by its label; a marked
    gap if unanswered)."""
    names = placeholders(text)

    def shown(qid: str) -> str:
        value = answers.get(qid)
        if value is None or value == "":
            return f"[to complete: {rb.question(qid).text}]"
        return rb.question(qid).display(value)
    return text.format(**{n: shown(n) for n in names})


def relied_on(np: NoticePart) -> tuple[CitedProvision, ...]:
    """The provisions the final decision relies on: the officer's own choice on an override, else the
    recommendation's (none known for an override that named none)."""
    if np.chosen:
        return np.chosen
    return np.assessed.decision.cited if np.final == np.assessed.outcome else ()


def chosen_provisions(rb: RuleBase, assessed: PartAssessment, final: Outcome,
                      provisions: Sequence[str]) -> tuple[CitedProvision, ...]:
    """The provisions an officer's decision relies on, for the letter: () when it is the
    recommendation's own; otherwise each id in the officer's order, keeping the reasons (rules,
    harm) the assessment found for it where it was engaged, and by its title alone where it was not."""
    cited = assessed.decision.cited
    if final == assessed.outcome and list(provisions) == [c.provision.id for c in cited]:
        return ()
    known = {c.provision.id: c for c in (*assessed.decision.set_aside, *cited)}
    return tuple(known.get(pid) or CitedProvision(rb.provision(pid), None, ())
                 for pid in provisions if rb.has_provision(pid))

