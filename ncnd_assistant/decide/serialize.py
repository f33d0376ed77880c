"""Assessments as plain data: the documented JSON form (docs/json-output.md)."""

from __future__ import annotations

import json
from typing import Any

from ncnd_assistant import __version__
from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.decide.decision import CitedProvision, PublicInterest
from ncnd_assistant.rulebase.model import Citation, RuleBase


def _citation(cite: Citation) -> Any:
    if cite.url is None and cite.as_of is None:
        return cite.ref
    out: dict[str, Any] = {"ref": cite.ref}
    if cite.url:
        out["url"] = cite.url
    if cite.as_of:
        out["as_of"] = cite.as_of.isoformat()
    return out


def _provision(cited: CitedProvision) -> dict[str, Any]:
    p = cited.provision
    return {"id": p.id, "title": p.title, "act": p.act, "limb": p.limb.value,
            "exemption": p.exemption, "test": p.test, "harm": cited.harm,
            "in_the_alternative": cited.in_the_alternative, "rules": list(cited.rules)}


def _public_interest(pi: PublicInterest | None) -> dict[str, Any] | None:
    if pi is None:
        return None
    return {"for": list(pi.for_), "against": list(pi.against),
            "balance": pi.balance.value if pi.balance else None,
            "balance_rule": pi.balance_rule, "balance_reason": pi.balance_because}


def part_record(pa: PartAssessment) -> dict[str, Any]:
    """One part as JSON-ready data."""
    d = pa.decision
    return {
        "id": pa.part.id,
        "summary": pa.part.summary,
        "kind": pa.part.kind,
        "fallback_for": pa.part.fallback_for or None,
        "portion_of": pa.part.portion_of or None,
        "fallback_needed": pa.fallback_needed,
        "outcome": pa.outcome.value,
        "decided_at_stage": d.stage,
        "provisions": [c.provision.id for c in d.cited],
        "provision_details": [_provision(c) for c in d.cited],
        "set_aside": [_provision(c) for c in d.set_aside + (pa.stage1.set_aside if d is not pa.stage1 else ())],
        "ncnd_blocked_by": list(pa.stage1.blocked_by),
        "public_interest": _public_interest(d.public_interest),
        "explanation": [
            {"rule": f.rule, "stage": f.stage, "conclusion": f.conclusion, "because": f.because,
             "citations": [_citation(c) for c in f.citations],
             "relied_on": [{"id": r.name, "kind": r.kind, "text": r.text, "answer": r.answer}
                           for r in f.relied_on]}
            for f in pa.explanation.fired],
        "not_engaged": [
            {"provision": n.provision, "title": n.title, "rule": n.rule, "failed": n.failed, "arose": n.arose,
             "citations": [_citation(c) for c in n.citations]}
            for n in pa.explanation.not_engaged],
        "fired": list(pa.fired),
        "ignored_answers": list(pa.ignored),
        "warnings": list(pa.warnings),
    }


def _rulebase(rb: RuleBase) -> dict[str, str]:
    return {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest,
            "effective": rb.meta.effective.isoformat()}


def _with_regime(a: Assessment, pa: PartAssessment) -> dict[str, Any]:
    """A part's record with the law it is answered under, and the rule base that decided it when that
    is not the request's (an EIR part of a FOIA request)."""
    record = {**part_record(pa), "regime": a.regime_of(pa.part)}
    rb = a.rulebase_of(pa.part)
    if rb is not a.rulebase:
        record["rulebase"] = _rulebase(rb)
    return record


def assessment_record(a: Assessment) -> dict[str, Any]:
    """The whole assessment as JSON-ready data."""
    rb = a.rulebase
    return {
        "tool": {"name": "ncnd-assistant", "version": __version__},
        "case_ref": a.request.case_ref,
        "regime": a.request.regime,
        "rulebase": _rulebase(rb),
        "parts": [_with_regime(a, p) for p in a.parts],
        "checks": {"held_invariant": a.held_invariant,
                   "held_invariance": [{"part": k, "identical": v} for k, v in a.held_invariance.items()]},
    }


def canonical(data: Any) -> str:
    """A stable text form for comparison."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
