"""The rule book's sections, each as Markdown lines: a provision (its legal character, notice
wording, citations, what leads to it, the scenarios that exercise it), a rule, a question, a
derived fact and the notice templates. The words come from `rulebase.phrasing` and `wording`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import PurePath

from ncnd_assistant.checks.scenarios import ScenarioResult
from ncnd_assistant.render.rulebook_index import (
    engaging_rules,
    exercises,
    feeding_rules,
    leading_questions,
    relied_on,
)
from ncnd_assistant.render.rulebook_regime import regime_wording
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Citation, Factors, Limb, Provision, Rule, RuleBase
from ncnd_assistant.rulebase.notice_text import NOTICE_PLACEHOLDERS, NoticeText
from ncnd_assistant.rulebase.phrasing import (
    conclusion_sentence,
    condition_lines,
    one_line,
    outcome_phrase,
    provision_character,
)
from ncnd_assistant.rulebase.wording import QUESTION_TYPE_NAMES, STAGE_NAMES, towards


def anchor(kind: str, ident: str) -> str:
    """The id a section's `<a id>` gives it and links point to: "provision-s24-2"."""
    return f"{kind}-" + re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")


def stage_title(stage: int) -> str:
    return f"Stage {stage} ({STAGE_NAMES[stage]})"


def citation_text(citation: Citation) -> str:
    """A citation as Markdown: a link when it has an address, with the version it was read at."""
    text = citation.ref
    if citation.url:
        text = f"[{citation.ref}]({citation.url})"
    if citation.as_of:
        text += f" (version of {citation.as_of.isoformat()})"
    return text


def _citations(items: Sequence[Citation], indent: str = "") -> list[str]:
    return [f"{indent}- {citation_text(ci)}" for ci in items] or [f"{indent}- none"]


def _factors(factors: Factors, limb: Limb | None, indent: str = "") -> list[str]:
    if not factors.for_ and not factors.against:
        return []
    lines = [f"{indent}- For {towards(limb)}:"]
    lines += [f"{indent}  - {one_line(f)}" for f in factors.for_ or ("none listed",)]
    lines += [f"{indent}- Against:"] + [f"{indent}  - {one_line(f)}" for f in factors.against or ("none listed",)]
    return lines


def _quote(text: str) -> list[str]:
    return [f"> {one_line(text)}"]


def _link(provision: Provision) -> str:
    return f"[{provision.label}](#{anchor('provision', provision.id)})"


def _fact_link(fid: str) -> str:
    return f"[`{fid}`](#{anchor('fact', fid)})"


def _links(kind: str, idents: Sequence[str]) -> str:
    return ", ".join(f"[`{i}`](#{anchor(kind, i)})" for i in idents)


def conclusion_text(rb: RuleBase, rule: Rule) -> str:
    """The rule's conclusion as the book states it, in the regime's words where it has its own
    (`BookWording.conclusion`), provisions and facts linked to their sections."""
    words = regime_wording(rb)
    own = words.conclusion(rule) if words else None
    return own or conclusion_sentence(rb, rule, _link, _fact_link)


def rule_section(rb: RuleBase, rule: Rule, level: str = "####") -> list[str]:
    limb = rb.provision(rule.then.target).limb if rule.then.kind is ConclusionKind.ENGAGE else None
    lines = [f'<a id="{anchor("rule", rule.id)}"></a>', "",
             f"{level} Rule `{rule.id}` (stage {rule.stage})", "",
             f"- **Concludes:** {conclusion_text(rb, rule)}"]
    if rule.priority:
        lines.append(f"- **Priority:** {rule.priority}")
    lines += ["- **When:**", *condition_lines(rb, rule.when, 1), f"- **Because:** {one_line(rule.because)}"]
    if rule.notice:
        lines.append(f"- **Notice paragraph:** {one_line(rule.notice)}")
    lines += ["- **Citations:**", *_citations(rule.citations, "  ")]
    factors = _factors(rule.public_interest, limb, "  ")
    if factors:
        lines += ["- **Public-interest factors it adds:**", *factors]
    if rule.loc.line:
        lines.append(f"- **Source:** `{PurePath(rule.loc.path).name}`, line {rule.loc.line}")
    return lines + [""]


def _scenario_line(result: ScenarioResult, pid: str) -> str:
    status = "passes" if result.passed else "FAILS"
    how = "relied on" if pid in relied_on(result) else "engaged but set aside"
    return f"- {one_line(result.scenario.name)} (outcome: {outcome_phrase(result.outcome)}; {how}; {status})"


def _conjunction(rb: RuleBase, provision: Provision) -> list[str]:
    """The lines saying which provisions are cited in conjunction with this one, either way round."""
    lines = []
    if provision.in_the_alternative_with:
        others = ", ".join(_link(rb.provision(o)) for o in provision.in_the_alternative_with)
        lines.append(f"- **Relied on in the alternative with** {others} when both are relied on, so the "
                     "response does not reveal which applies (the tool warns when it is relied on alone).")
    carriers = [p for p in rb.provisions if provision.id in p.in_the_alternative_with]
    if carriers:
        lines.append("- **Relied on in the alternative with** " + " or ".join(_link(p) for p in carriers)
                     + " when it is itself engaged and maintained, so the response does not reveal which applies.")
    return lines


def _provision_head(rb: RuleBase, provision: Provision) -> list[str]:
    """The heading and the legal character: where it is, its limb, kind and test, who must sign off."""
    lines = [f'<a id="{anchor("provision", provision.id)}"></a>', "", f"#### {provision.label}", ""]
    character = provision_character(provision)
    words = regime_wording(rb)
    lines += [f"- **{heading}:** {text}" for heading, text in (words.character(provision, character) if words
                                                              else character)]
    lines += _conjunction(rb, provision)
    if provision.id in rb.meta.sign_off:
        lines.append("- **Second-officer sign-off:** required for decisions relying on it or setting it aside")
    return lines + [""]


def _provision_texts(provision: Provision) -> list[str]:
    """Its summary, notice wording, citations and public-interest factors."""
    lines = ["**Summary.**", "", *_quote(provision.summary), "", "**Notice wording.**", ""]
    lines += _quote(provision.notice) if provision.notice else ["No wording of its own: the letter gives its heading."]
    lines += ["", "**Citations.**", "", *_citations(provision.citations), ""]
    factors = _factors(provision.public_interest, provision.limb)
    if factors:
        lines += ["**Public-interest factors.**", "", *factors, ""]
    elif provision.qualified:
        lines += ["**Public-interest factors.** None given for the provision itself.", ""]
    return lines


def _provision_rules(rb: RuleBase, provision: Provision) -> list[str]:
    """The questions that lead to it, the rules feeding the engaging rules, and the engaging rules."""
    lines = ["**Questions that lead here.**", ""]
    lines += [f"- [{one_line(q.text)}](#{anchor('question', q.id)}) (`{q.id}`, stage {q.stage})"
              for q in leading_questions(rb, provision.id)] or ["- none"]
    lines.append("")
    feeding = feeding_rules(rb, provision.id)
    if feeding:
        lines += ["**Rules feeding the engaging rules.**", ""]
        lines += [f"- [`{r.id}`](#{anchor('rule', r.id)}): {conclusion_text(rb, r)}" for r in feeding]
        lines.append("")
    lines += ["**Rules that engage it.**", ""]
    engaging = engaging_rules(rb, provision.id)
    if not engaging:
        lines += ["No rule engages it directly.", ""]
    for rule in engaging:
        lines += rule_section(rb, rule, "#####")
    return lines


def provision_section(rb: RuleBase, provision: Provision, results: Sequence[ScenarioResult] | None) -> list[str]:
    """A provision's whole section; `results` adds the scenarios that exercise it."""
    lines = _provision_head(rb, provision) + _provision_texts(provision) + _provision_rules(rb, provision)
    if results is not None:
        mine = [r for r in results if exercises(r, provision.id)]
        lines += ["**Scenarios that exercise it.**", ""]
        lines += [_scenario_line(r, provision.id) for r in mine] or ["- none: add a scenario"]
        lines.append("")
    return lines


def question_section(rb: RuleBase, qid: str) -> list[str]:
    q = rb.question(qid)
    lines = [f'<a id="{anchor("question", q.id)}"></a>', "", f"### `{q.id}`: {one_line(q.text)}", "",
             f"- **Stage:** {stage_title(q.stage)}", f"- **Answer:** {QUESTION_TYPE_NAMES.get(q.type, q.type)}"]
    lines += [f"  - `{choice.value}`: {one_line(choice.label)}" for choice in q.choices]
    if q.ask_when is None:
        lines.append("- **Asked:** always" + (" (once Stage 1 leaves the part to Stage 2)" if q.stage == 2 else ""))
    else:
        lines += ["- **Asked only when:**", *condition_lines(rb, q.ask_when, 1)]
    if q.reveals_holding:
        lines.append("- **Reveals whether information is held:** yes (never read by Stage 1)")
    if q.request_wide:
        lines.append("- **Applies to the whole request:** asked once and given the same answer for every part")
    if q.sensitive:
        lines.append("- **Sensitive:** the answer is masked when the audit record is exported for the ICO")
    lines.append(f"- **Help shown to the officer:** {one_line(q.help)}")
    if q.citations:
        lines += ["- **Citations:**", *_citations(q.citations, "  ")]
    users = [r.id for r in rb.rules if q.id in c.names(r.when)]
    gated = [o.id for o in rb.questions if o.ask_when is not None and q.id in c.names(o.ask_when)]
    lines.append("- **Read by rules:** " + (_links("rule", users) or "none"))
    if gated:
        lines.append("- **Decides whether these are asked:** " + _links("question", gated))
    return lines + [""]


def fact_section(rb: RuleBase, fid: str) -> list[str]:
    fact = rb.fact(fid)
    derived = [r.id for r in rb.rules if r.then.kind is ConclusionKind.DERIVE and r.then.target == fid]
    users = [r.id for r in rb.rules if fid in c.names(r.when)]
    gated = [q.id for q in rb.questions if q.ask_when is not None and fid in c.names(q.ask_when)]
    lines = [f'<a id="{anchor("fact", fid)}"></a>', "", f"### `{fid}`", "", f"{one_line(fact.text)}", "",
             f"- **Stage:** {stage_title(rb.fact_stage(fid))}",
             "- **Established by:** " + (_links("rule", derived) or "no rule")]
    if users or not gated:
        lines.append("- **Read by:** " + (_links("rule", users) or "no rule"))
    if gated:
        lines.append("- **Decides whether these are asked:** " + _links("question", gated))
    return lines + [""]


def notice_section(rb: RuleBase) -> list[str]:
    default = NoticeText()
    lines = ["## Notice templates", "",
             "The wording of the draft response. `{placeholders}` are filled in per case and part.", ""]
    for item in fields(NoticeText):
        text = getattr(rb.notice, item.name)
        places = NOTICE_PLACEHOLDERS.get(item.name, set())
        note = " (the built-in default)" if text == getattr(default, item.name) else ""
        lines += [f"### `{item.name}`{note}", ""]
        if places:
            lines += ["Placeholders: " + ", ".join(f"`{{{p}}}`" for p in sorted(places)), ""]
        lines += [*_quote(text), ""]
    return lines
