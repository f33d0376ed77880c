"""Hand-written lists of absolute and qualified provisions in the shipped rule base's texts agree
with the provisions themselves (a legal review found copies that had drifted apart)."""

from __future__ import annotations

import re

from ncnd_assistant.rulebase.model import Provision, RuleBase

LIST_START = re.compile(r"\b(absolute|qualified) (?:ones|exclusions|exemptions) \(", re.IGNORECASE)
SECTION = re.compile(r"s\d+[A-Z]?(?:\([0-9A-Za-z]+\))*(?:-\([a-z]+\))?")


def _texts(rb: RuleBase) -> list[tuple[str, str]]:
    texts = [(f"question {q.id}", q.help) for q in rb.questions]
    texts += [(f"rule {r.id}", r.because) for r in rb.rules]
    texts += [(f"fact {f.id}", f.text) for f in rb.facts]
    return [(where, " ".join(text.split())) for where, text in texts]


def _parenthesised(text: str, start: int) -> str:
    depth, i = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def _items(inner: str) -> list[str]:
    """Top-level comma-separated items, a qualifier's own commas kept ("for the Sovereign, heir")."""
    items: list[str] = []
    for piece in re.split(r",\s*(?![^()]*\))", inner):
        piece = piece.strip()
        if SECTION.match(piece) or not items:
            items.append(piece)
        else:
            items[-1] += ", " + piece
    return items


def _candidates(rb: RuleBase, item: str) -> list[Provision]:
    match = SECTION.match(item)
    assert match, item
    sid = match.group(0)
    return [p for p in rb.provisions if p.id == sid or p.id.startswith(sid) or sid.startswith(p.id)]


def lists_in(rb: RuleBase) -> list[tuple[str, str, list[str]]]:
    found = []
    for where, text in _texts(rb):
        for m in LIST_START.finditer(text):
            found.append((where, m.group(1).lower(), _items(_parenthesised(text, m.end()))))
    return found


def test_the_texts_contain_lists_to_check(shipped: RuleBase) -> None:
    kinds = {kind for _, kind, _ in lists_in(shipped)}
    assert kinds == {"absolute", "qualified"}


def test_every_listed_provision_has_the_character_the_list_gives_it(shipped: RuleBase) -> None:
    rb = shipped
    wrong = []
    for where, kind, items in lists_in(rb):
        for item in items:
            candidates = _candidates(rb, item)
            if not any(p.exemption == kind for p in candidates):
                wrong.append(f"{where}: '{item}' is listed as {kind}")
    assert wrong == []


def test_each_list_names_every_provision_of_its_kind_and_limb(shipped: RuleBase) -> None:
    rb = shipped
    missing = []
    for where, kind, items in lists_in(rb):
        named = {p.id for item in items for p in _candidates(rb, item) if p.exemption == kind}
        limbs = {rb.provision(pid).limb for pid in named}
        if len(limbs) != 1:
            continue  # a list mixing limbs is checked item by item only
        limb = limbs.pop()
        expected = {p.id for p in rb.provisions if p.limb == limb and p.exemption == kind}
        if expected - named:
            missing.append(f"{where}: {kind} list lacks {sorted(expected - named)}")
    assert missing == []
