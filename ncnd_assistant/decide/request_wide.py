"""Checks across the parts of one request: request-wide notes, protective NCND parts, fallbacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ncnd_assistant.decide.answers import ANY_OTHER
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.serialize import canonical
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome, RuleBase


def request_wide_notes(rb: RuleBase, answered: Mapping[str, Mapping[str, Value]]) -> dict[str, list[str]]:
    """Per part id, a warning for each request-wide question (s14, the s12 cost limit) the part
    answers differently from another part; `answered` holds each part's answers to the questions
    that apply to it. Those judgements are made for the request as a whole."""
    notes: dict[str, list[str]] = {}
    for q in rb.questions:
        if not q.request_wide:
            continue
        given = {pid: answers[q.id] for pid, answers in answered.items() if q.id in answers}
        if len({canonical(v) for v in given.values()}) > 1:
            shown = "; ".join(f"part '{pid}': {q.display(v)}" for pid, v in given.items())
            for pid in given:
                notes.setdefault(pid, []).append(
                    f"'{q.text}' is answered differently by the parts ({shown}): that is right only if the parts "
                    "are not for the same or similar information; where they are, their costs are aggregated "
                    "(Fees Regulations reg 5) and every part gets the same answer" if q.aggregated_cost else
                    f"'{q.text}' applies to the whole request, but the parts answer it differently "
                    f"({shown}): give every part the same answer")
    return notes


def protective_notes(parts: tuple[PartAssessment, ...]) -> dict[str, list[str]]:
    """Per part id, warnings for the "answered on its merits, NCND for any other information"
    pattern: the protective part should be NCND, and each answered part must be worded narrowly
    enough that its answer (say "not held") does not also answer the protective part."""
    notes: dict[str, list[str]] = {}
    others = [pa for pa in parts if pa.part.kind == ANY_OTHER]
    answered = [pa for pa in parts if pa.part.kind != ANY_OTHER]
    scopes = [_words(pa.part.summary) for pa in answered]  # once each, not once per protective part
    for pa in others:
        if pa.outcome is not Outcome.NCND:
            notes.setdefault(pa.part.id, []).append(
                f"part '{pa.part.id}' is for any other information, to be neither confirmed nor denied, but the "
                f"recommendation is {pa.outcome.value}: if NCND is not needed for it, answer it as an ordinary part")
        if not answered:
            notes.setdefault(pa.part.id, []).append(
                f"part '{pa.part.id}' is for any other information, but no part of the request is answered on "
                "its merits: use an ordinary part")
        words = _words(pa.part.summary)
        for other, scope in zip(answered, scopes, strict=True):
            if other.outcome is not Outcome.NCND and not scope - words:
                notes.setdefault(other.part.id, []).append(
                    f"part '{other.part.id}' ('{other.part.summary}') is worded no more narrowly than the part "
                    f"neither confirmed nor denied ('{pa.part.summary}'): its answer ({other.outcome.value}) would "
                    "also answer that part. Name its scope (for example 'overt use of ...')")
    return notes


_STOP_WORDS = frozenset({"the", "a", "an", "of", "on", "in", "to", "for", "and", "or", "by", "with", "any", "other",
                         "use", "information", "about", "whether"})


def _words(text: str) -> set[str]:
    return {w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in text).split() if w not in _STOP_WORDS}


def apply_fallbacks(parts: tuple[PartAssessment, ...]) -> tuple[PartAssessment, ...]:
    """A requester's fallback ("or, if that is too costly, only 2024") is needed only if its main
    part is refused under s12; otherwise it is not answered."""
    by_id = {pa.part.id: pa for pa in parts}
    out = []
    for pa in parts:
        main = by_id.get(pa.part.fallback_for) if pa.part.fallback_for else None
        if main is None:
            out.append(pa)
            continue
        needed = main.outcome is Outcome.REFUSE and any(c.provision.test == "cost" for c in main.decision.cited)
        note = () if needed else (f"part '{pa.part.id}' is the requester's fallback if part '{main.part.id}' is too "
                                  f"costly; '{main.part.id}' is not refused on cost, so this part is not needed and "
                                  "the letter leaves it out",)
        out.append(replace(pa, fallback_needed=needed, warnings=pa.warnings + note))
    return tuple(out)


def with_request_wide_warnings(rb: RuleBase, parts: tuple[PartAssessment, ...]) -> tuple[PartAssessment, ...]:
    notes = request_wide_notes(rb, {pa.part.id: {q: pa.part.answers[q] for q in pa.asked} for pa in parts})
    for pid, more in protective_notes(parts).items():
        notes.setdefault(pid, []).extend(more)
    return tuple(replace(pa, warnings=pa.warnings + tuple(notes.get(pa.part.id, ()))) for pa in parts)
