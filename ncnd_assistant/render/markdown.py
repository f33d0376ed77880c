"""Markdown rendering of an assessment, for files and review."""

from __future__ import annotations

from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.render.blocks import BALANCE_TEXT, OUTCOME_TEXT, not_arising
from ncnd_assistant.text_safety import printable


def part_markdown(pa: PartAssessment) -> list[str]:
    d = pa.decision
    out = [f"## Part `{pa.part.id}`: {pa.part.summary}", "",
           f"**Recommendation:** {OUTCOME_TEXT[pa.outcome]} (stage {d.stage})", ""]
    if d.cited:
        out += ["| Provision | Type | Test | Harm |", "|---|---|---|---|"]
        out += [f"| {c.provision.label}{' (in the alternative)' if c.in_the_alternative else ''} | "
                f"{c.provision.exemption} | {c.provision.test.replace('_', ' ')} | "
                f"{(c.harm or '-').replace('_', ' ')} |" for c in d.cited]
        out.append("")
    if pa.stage1.blocked_by:
        out += [f"NCND not available: {', '.join(pa.stage1.blocked_by)}", ""]
    pi = d.public_interest
    if pi is not None:
        out += ["### Public interest test", "", "Factors favouring confirmation or denial / disclosure:", ""]
        out += [f"- {f}" for f in pi.for_] + ["", "Factors against:", ""]
        out += [f"- {f}" for f in pi.against] + [""]
        out += [f"**Balance:** {BALANCE_TEXT[pi.balance.value] if pi.balance else 'not determined'}. "
                f"{pi.balance_because}", ""]
    out += [f"> Warning: {w}" for w in pa.warnings]
    out += ["### Why", ""]
    for f in pa.explanation.fired:
        out.append(f"- **{f.rule}** (stage {f.stage}): {f.conclusion}. {f.because} "
                   f"_Cites: {'; '.join(str(c) for c in f.citations)}._")
        out += [f"  - {r.text} → {r.answer}" for r in f.relied_on]
    considered = [n for n in pa.explanation.not_engaged if n.arose]
    if considered:
        out += ["", "### Why not", ""]
        out += [f"- {n.provision} {n.title} ({n.rule}): {n.failed}" for n in considered]
    if not_arising(pa):
        out += ["", f"Did not arise (their questions did not apply): {', '.join(not_arising(pa))}."]
    return out + [""]


def assessment_markdown(a: Assessment) -> str:
    rb = a.rulebase
    out = [f"# Case {a.request.case_ref}", "",
           f"Rule base `{rb.meta.id}` version {rb.meta.version}, digest `{rb.digest}`.", ""]
    for pa in a.parts:  # a mixed request: the parts answered under another law, and their rule base
        other = a.rulebase_of(pa.part)
        if other is not rb:
            out += [f"Part `{pa.part.id}` is answered under the {a.regime_of(pa.part).upper()}: rule base "
                    f"`{other.meta.id}` version {other.meta.version}, digest `{other.digest}`.", ""]
    for pa in a.parts:
        out += part_markdown(pa)
    if a.held_invariance:
        out.append("Held-invariance check for NCND parts: "
                   + ("identical whether or not the information is held." if a.held_invariant
                      else "**DIFFERS depending on whether the information is held: do not send.**"))
    out += ["", "_Decision support, not legal advice: the officer decides._", ""]
    return printable("\n".join(out))
