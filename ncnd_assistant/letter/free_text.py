"""A check of the text an officer types into an NCND part (harm, public interest reasons) before it
goes into the letter: phrases that may reveal whether information is held, or a capability.

Held-invariance covers the rule base's wording: the letter's own text is the same whether or not
the information is held. Text the officer types is the officer's to check; this detector points
at what most often gives the game away (named operations, people and places, "we hold", "our
records show", dates, "live operation"). It is a prompt to read again, not a guarantee: a clean
result does not mean the text is safe, and a warning may be a false alarm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ncnd_assistant.lazy_dataclass import dataclass

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")

# (what the phrase may reveal, pattern); "whether we hold" asks, so it is not flagged
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("names an operation", re.compile(r"\b(?:Operation|Op\.?)\s+[A-Z][A-Za-z-]+")),
    ("says whether information is held", re.compile(
        r"(?<!whether\s)(?<!if\s)\b(?:we|I|the force|the police|the authority|it|they)\s+"
        r"(?:do\s+|does\s+|did\s+)?(?:not\s+)?"
        r"(?:hold|holds|held|retain|retains|possess|possesses|keep|keeps)\b"
        r"|\b(?:is|are|was|were|been)\s+(?:not\s+)?held\b(?!\s+to\s+account)"
        r"|\bour\s+(?:records|systems|files|databases?)\s+(?:show|shows|indicate|indicates|contain|contains|hold)\b"
        r"|\b(?:records|searches)\s+(?:show|shows|found|revealed?)\b"
        r"|\bwe\s+(?:have|hold|found|located|identified)\s+(?:no\s+|some\s+|any\s+)?(?:records?|information|"
        r"files?|data|intelligence|documents?)\b"
        r"|\bwe\s+can\s+(?:confirm|deny)\b|\bno\s+(?:such\s+)?(?:information|records?)\s+(?:exists?|is\s+held)\b",
        re.IGNORECASE)),
    ("reveals a capability or an activity", re.compile(
        r"\b(?:live|ongoing|current|active)\s+(?:operation|investigation|deployment|surveillance)\b"
        r"|(?<!whether\s)(?<!if\s)\b(?:we|the force|the police)\s+(?:do\s+not\s+|don't\s+|does\s+not\s+)?"
        r"(?:use|uses|used|deploy|deploys|"
        r"deployed|operate|operates|have\s+deployed|have\s+used)\b"
        r"|\b(?:has|have|lacks?)\s+(?:the|this|that)\s+capability\b"
        r"|\bagainst\s+a\s+named\b", re.IGNORECASE)),
    ("gives a date", re.compile(
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
        r"|\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b(?:in|since|during|until|from)\s+(?:19|20)\d{2}\b")),
    ("names a person", re.compile(
        r"\b(?:Mr|Mrs|Ms|Miss|Dr|DC|DS|DI|DCI|PC|Sgt|Sergeant|Inspector|Superintendent|Detective|Officer)\.?\s+"
        r"[A-Z][a-z]+")),
)
# words that start with a capital mid-sentence without naming anyone or anywhere in particular
COMMON_NAMES = frozenset(
    ("Act", "Acts", "Freedom", "Information", "Commissioner", "Commissioner's", "Tribunal", "National", "Security",
     "Law", "Enforcement", "UK", "United", "Kingdom", "Government", "Police", "Service", "Home", "Office", "Data",
     "Protection", "Regulation", "GDPR", "Part", "Schedule", "Article", "Section", "Regulations", "Environmental",
     "Crown", "Parliament", "I", "English", "Welsh", "Scottish", "British", "Court", "Upper", "First-tier"))
PROPER_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*)")


HYPOTHETICAL_OK = ("says whether information is held", "reveals a capability or an activity")


def _hypothetical(text: str, start: int) -> bool:
    """Whether the phrase at `start` is put as a question ("confirming whether this information is
    held", "if the police used it", "confirming or denying that it is held"): its clause has a
    "whether", an "if", or "confirm" or "deny" before it."""
    clause = re.split(r"[.;:!?]", text[:start])[-1]
    return bool(re.search(r"\b(?:whether|if|confirm(?:ing)?|deny(?:ing)?)\b", clause, re.IGNORECASE))


@dataclass(frozen=True)
class TextWarning:
    """One phrase that may reveal holding or a capability, and why."""

    why: str
    phrase: str

    def __str__(self) -> str:
        return f"{self.why}: \"{self.phrase}\""


def _proper_names(text: str, allowed: frozenset[str]) -> list[str]:
    """Capitalised words inside a sentence (a person, a place or an organisation, perhaps)."""
    found = []
    for match in PROPER_NAME.finditer(text):
        start = match.start()
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?:;\"'(\n":
            continue  # the start of a sentence
        words = [w for w in re.split(r"[\s-]+", match.group(1)) if w not in COMMON_NAMES and w not in allowed]
        if words:
            found.append(match.group(1))
    return found


def check_text(text: str, allowed_names: Iterable[str] = ()) -> list[TextWarning]:
    """What in `text` may reveal whether information is held, or a capability (each phrase once).

    `allowed_names` are proper names that reveal nothing (the authority's own name, say)."""
    allowed = frozenset(w for name in allowed_names for w in re.split(r"[\s-]+", name) if w)
    out: list[TextWarning] = []
    for why, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if why in HYPOTHETICAL_OK and _hypothetical(text, match.start()):
                continue
            out.append(TextWarning(why, match.group(0)))
    named = {w.phrase for w in out}
    for name in _proper_names(text, allowed):
        if not any(name in phrase or phrase in name for phrase in named):
            out.append(TextWarning("names a person, place or organisation", name))
    return list(dict.fromkeys(out))
