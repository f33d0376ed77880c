"""The public interest test as police letters set it out: factors for and against per provision
(or per group of provisions relied on together in the alternative), only those the answers
triggered, each factor once (near-duplicates too), and no harm levels posing as factors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ncnd_assistant.decide.decision import CitedProvision, PublicInterest
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.model import RuleBase

# statements of how likely a harm is: the test the harm meets, not a reason for or against
NOT_A_FACTOR = re.compile(r"\bmore probable than not\b|\breal and significant risk\b", re.IGNORECASE)
STOPWORDS = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
                       "or", "that", "the", "this", "to", "was", "which", "with", "would", "could", "can", "its",
                       "their", "there"))
NEAR = 0.6  # word-set overlap (Jaccard) above which two factors say the same thing


@dataclass(frozen=True)
class FactorGroup:
    """The factors for one provision, or for provisions relied on together."""

    provisions: tuple[CitedProvision, ...]
    for_: tuple[str, ...]
    against: tuple[str, ...]
    together: bool = False  # factors that bear on every provision relied on (a balance rule's)

    @property
    def title(self) -> str:
        labels = [c.provision.label.split(" ")[0] if self.together else c.provision.label for c in self.provisions]
        joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        return f"{joined} together" if self.together else joined


def words(text: str) -> frozenset[str]:
    """The content words of a factor, for comparing factors."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS)


def near_duplicate(a: str, b: str) -> bool:
    """Whether two factors say the same thing in other words (or one says all of the other)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return a.strip() == b.strip()
    shared = len(wa & wb)
    return shared / len(wa | wb) >= NEAR or shared / min(len(wa), len(wb)) >= 0.85


def is_factor(text: str) -> bool:
    """False for a statement of a harm's likelihood ("... is more probable than not")."""
    return not NOT_A_FACTOR.search(text)


def distinct(factors: Iterable[str], seen: list[str]) -> tuple[str, ...]:
    """`factors` without non-factors and without any that repeat one in `seen` (which grows)."""
    out = []
    for factor in factors:
        if is_factor(factor) and not any(near_duplicate(factor, earlier) for earlier in seen):
            seen.append(factor)
            out.append(factor)
    return tuple(out)


def _groups_of(cited: Sequence[CitedProvision]) -> list[tuple[CitedProvision, ...]]:
    """Qualified provisions, one group each, except those relied on in the alternative: one group."""
    qualified = [c for c in cited if c.provision.qualified]
    together = tuple(c for c in qualified if c.in_the_alternative)
    groups: list[tuple[CitedProvision, ...]] = []
    for c in qualified:
        if c.in_the_alternative:
            if together not in groups:
                groups.append(together)
        else:
            groups.append((c,))
    return groups


def factor_groups(rb: RuleBase, cited: Sequence[CitedProvision], pi: PublicInterest) -> list[FactorGroup]:
    """The public interest factors per provision group, in the order of the provisions.

    A group's factors are its provisions' own and those of the rules that engaged them; factors the
    stage's other rules brought (a balance rule's) follow as a group of all the provisions, or join
    the only group. Only factors the decision weighed (`pi`) appear, each once in the letter."""
    triggered_for, triggered_against = set(pi.for_), set(pi.against)
    seen_for: list[str] = []
    seen_against: list[str] = []
    out: list[FactorGroup] = []
    for group in _groups_of(cited):
        sources = [c.provision.public_interest for c in group]
        sources += [rb.rule(rid).public_interest for c in group for rid in c.rules]
        for_ = distinct((f for s in sources for f in s.for_ if f in triggered_for), seen_for)
        against = distinct((f for s in sources for f in s.against if f in triggered_against), seen_against)
        out.append(FactorGroup(group, for_, against))
    rest_for = distinct(pi.for_, seen_for)
    rest_against = distinct(pi.against, seen_against)
    if rest_for or rest_against:
        if len(out) == 1:
            only = out[0]
            out[0] = FactorGroup(only.provisions, only.for_ + rest_for, only.against + rest_against)
        else:
            everyone = tuple(c for g in out for c in g.provisions)
            out.append(FactorGroup(everyone, rest_for, rest_against, together=True))
    return [g for g in out if g.for_ or g.against]
