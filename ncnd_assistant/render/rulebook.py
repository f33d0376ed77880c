"""The rule book: the whole rule base in Markdown, for legal review (`ncnd rules docs`).

Per provision: its test and character, the notice wording, citations, the questions and rules
that lead to it (conditions in plain English, with the question texts), public-interest factors
and the scenarios that exercise it. Then every question, fact, remaining rule and the letter
templates. The output is deterministic, so it can be kept under review as a golden file.
"""

from __future__ import annotations

from collections.abc import Sequence

from ncnd_assistant.checks.scenarios import ScenarioResult
from ncnd_assistant.render.rulebook_index import engaging_rules, not_engaged, relied_on, set_aside
from ncnd_assistant.render.rulebook_regime import (
    CONSIDERED,
    DECISION_SUPPORT,
    DERIVED_FACT,
    ENGAGED,
    PRIORITY,
    BookWording,
    regime_wording,
)
from ncnd_assistant.render.rulebook_sections import (
    anchor,
    fact_section,
    notice_section,
    provision_section,
    question_section,
    rule_section,
)
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Limb, Provision, RuleBase, section_key
from ncnd_assistant.rulebase.phrasing import one_line, outcome_phrase
from ncnd_assistant.rulebase.wording import EXEMPTION_KINDS, LIMB_EFFECTS, TEST_NAMES

GROUPS = (
    (Limb.REFUSE, "Refusals of the request",
     "Not exemptions, and no public interest test. A refusal at Stage 1 (s14, s12(2)) relieves the duty to "
     "confirm or deny and with it the duty to communicate; a refusal at Stage 2 (s12(1)), reached once the "
     "information is found to be held, relieves only the duty to communicate."),
    (Limb.NCND, "Exclusions of the duty to confirm or deny (Stage 1)",
     "Each lifts the duty in s1(1)(a) to say whether information is held. Decided without knowing "
     "whether anything is held."),
    (Limb.WITHHOLD, "Exemptions from the duty to disclose (Stage 2)",
     "Each lifts the duty in s1(1)(b) to communicate information that is held. Reached only when Stage 1 "
     "did not settle the part, including when an exclusion was set aside."),
)
OTHER_RULES = (
    ("balance", "Public interest balance",
     "The balance with the highest priority decides; absolute provisions are not affected."),
    ("block", "When NCND, or a provision, is not available", ""),
    ("outcome", "Outcomes", ""),
    ("warn", "Warnings", "Shown to the officer with the recommendation; they do not change the outcome."),
    ("contradiction", "Answers that contradict each other",
     "A decision is refused (and the interview asks again) while these hold."),
    ("derive", "Facts established",
     "Intermediate judgements, including the cross-cutting principles, recorded with each decision."),
)
PROCEDURE = (
    "1. **Stage 1 (confirm or deny)** uses only the Stage-1 answers, so it never depends on whether "
    "information is held. A refusal (s12(2), s14) ends the part. Otherwise each engaged exclusion of "
    "the duty to confirm or deny is relied on if it is absolute, or if it is qualified and the public "
    "interest balance is to maintain it, unless NCND is not available (official confirmation). If any "
    "is relied on the part is answered \"neither confirm nor deny\", citing each provision relied on; "
    "two that are both relied on and paired (s23(5) with s24(2)) are cited in the alternative.",
    "2. **Stage 2 (disclosure)** runs only otherwise: a refusal (s12(1)), then \"not held\", then each "
    "engaged exemption (absolute, or qualified with the balance to maintain it) gives \"withhold\"; "
    "otherwise \"disclose\".",
    "3. **Which questions are asked.** Gating questions (whether the request is vexatious, whether the cost "
    "limit is exceeded, and screening questions that open a group of questions) decide which questions are "
    "asked and are listed under each question they gate (\"Asked only when\"), not under the provisions, "
    "whose \"Questions that lead here\" are only those whose answers engage them.",
    "4. **Held-invariance.** For every NCND part the tool checks that the outcome, the provisions and the "
    "letter are the same whether or not the information is held.",
    DECISION_SUPPORT,
)

GLOSSARY = (
    ("Limb", "which duty a provision lifts: the duty to confirm or deny whether information is held "
             "(s1(1)(a)), the duty to communicate it (s1(1)(b)) or, for a refusal, both (s14, s12(2)) or only "
             "the second (s12(1))."),
    ("Exclusion of the duty to confirm or deny", "a provision (such as s24(2) or s31(3)) under which the "
     "authority need not say whether it holds the information: the response neither confirms nor denies (NCND)."),
    ("Exemption", "a provision (such as s24(1) or s31(1)) under which information that is held need not be "
                  "disclosed: the authority says it holds the information and withholds it."),
    ENGAGED,
    ("Relied on", "engaged and cited in the response as its reason: absolute, or qualified with the public "
                  "interest test favouring maintaining it, and (for NCND) not made unavailable by official "
                  "confirmation."),
    ("Set aside", "engaged, but not relied on, because the information's existence has been officially "
                  "confirmed (so NCND is not available) or because the public interest test favours "
                  "confirming or denying (or disclosure)."),
    CONSIDERED,
    ("Absolute", "no public interest test: once engaged, the provision is relied on (for NCND, unless "
                 "official confirmation makes NCND unavailable)."),
    ("Qualified", "relied on only if the public interest in maintaining the exclusion or exemption outweighs "
                  "the public interest in confirming or denying (or in disclosure) (s2(1)(b), s2(2)(b))."),
    ("Class-based", "engaged by the kind of information alone; no harm has to be shown."),
    ("Prejudice", "engaged only if confirming, denying or disclosing would, or would be likely to, cause the "
                  "harm the provision protects against: \"would\" means more probable than not; \"would be "
                  "likely to\" means a real and significant risk."),
    ("\"Required for\"", "s24's test: exemption is reasonably necessary to safeguard national security; no "
                         "likelihood level (\"would\" or \"would be likely to\") is set."),
    ("Data protection principles", "s40's test: confirming, denying or disclosing someone else's personal data "
                                   "would breach the UK GDPR principles (lawfulness, fairness and transparency, "
                                   "usually decided by a legitimate-interests balance)."),
    ("Actionable breach of confidence", "s41's test: the information was obtained from another person, and "
                                        "confirming, denying or disclosing it would be a breach of confidence "
                                        "that person (or another) could take to court and win."),
    ("Held-invariance", "for a part answered \"neither confirm nor deny\", the outcome, the provisions and the "
                        "letter are the same whether or not the information is held, so the response reveals "
                        "nothing."),
    DERIVED_FACT,
    PRIORITY,
    ("Second-officer sign-off", "a decision that relies on, or sets aside, a provision the rule base lists "
                                "(by default s23(5) and s24(2)) waits for a second officer to sign it off."),
    ("In the alternative", "two paired provisions (s23(5) with s24(2)) both relied on and cited together, "
     "each as an alternative to the other, so the response does not reveal which one applies; the "
     "second may be cited only where it is itself engaged and maintained, otherwise the tool warns."),
)


FOIA = BookWording({limb: (title, intro) for limb, title, intro in GROUPS}, PROCEDURE, GLOSSARY)


def wording_for(rb: RuleBase) -> BookWording:
    """The group headings, procedure and glossary stating the rule base's regime (FOIA's by default)."""
    return regime_wording(rb) or FOIA


def _groups(rb: RuleBase) -> dict[Limb, list[Provision]]:
    """Provisions by effect, each in statutory order."""
    return {limb: sorted((p for p in rb.provisions if p.limb == limb), key=lambda p: section_key(p.id))
            for limb, _, _ in GROUPS}


def _glance_row(rb: RuleBase, p: Provision, results: Sequence[ScenarioResult] | None) -> str:
    row = (f"| [{p.label}](#{anchor('provision', p.id)}) | {LIMB_EFFECTS[p.limb]} | "
           f"{EXEMPTION_KINDS.get(p.exemption, p.exemption)} | {TEST_NAMES.get(p.test, p.test)} | "
           f"{len(engaging_rules(rb, p.id))} |")
    if results is not None:
        relied = sum(1 for r in results if p.id in relied_on(r))
        aside = sum(1 for r in results if p.id in set_aside(r))
        row += f" {relied} / {aside} / {len(not_engaged(rb, p, results))} |"
    return row


def _glance(rb: RuleBase, groups: dict[Limb, list[Provision]], results: Sequence[ScenarioResult] | None) -> list[str]:
    """One row per provision: what it does, its test, and how well the scenarios exercise it."""
    head = "| Provision | Effect | Absolute or qualified | Test | Rules |"
    rule = "|---|---|---|---|---:|"
    if results is not None:
        head += " Scenarios: relied on / set aside / considered, not engaged |"
        rule += "---:|"
    return [head, rule] + [_glance_row(rb, p, results) for limb, _, _ in GROUPS for p in groups[limb]]


def _front(rb: RuleBase, groups: dict[Limb, list[Provision]], with_scenarios: bool) -> list[str]:
    """The title, what the rule base is, and the contents."""
    meta = rb.meta
    lines = [f"# Rule book: {meta.title}", "",
             f"Rule base `{meta.id}` version {meta.version}, effective {meta.effective.isoformat()}, "
             f"regime {meta.regime.upper()}" + (f", {meta.jurisdiction}" if meta.jurisdiction else "") + ".",
             "",
             "Generated by `ncnd rules docs` from the rule files; change the rules, not this document.", "",
             "## Contents", "", "- [How a part is decided](#how-a-part-is-decided)", "- [Glossary](#glossary)"]
    if meta.limits:
        lines.append("- [Limits of this rule base](#limits-of-this-rule-base)")
    lines.append("- [Provisions](#provisions)")
    for limb, _, _ in GROUPS:
        if groups[limb]:
            lines.append(f"  - [{wording_for(rb).groups[limb][0]}](#{anchor('group', limb.value)})")
            lines += [f"    - [{p.label}](#{anchor('provision', p.id)})" for p in groups[limb]]
    lines += ["- [Questions](#questions)", "- [Derived facts](#derived-facts)",
              "- [Other rules](#other-rules)", "- [Notice templates](#notice-templates)"]
    if with_scenarios:
        lines.append("- [Scenarios](#scenarios)")
    return lines + [""]


def _provisions(rb: RuleBase, groups: dict[Limb, list[Provision]], results: Sequence[ScenarioResult] | None
                ) -> list[str]:
    lines = ["## Provisions", "", *_glance(rb, groups, results), ""]
    for limb, _, _ in GROUPS:
        if groups[limb]:
            title, intro = wording_for(rb).groups[limb]
            lines += [f'<a id="{anchor("group", limb.value)}"></a>', "", f"### {title}", "", intro, ""]
            for provision in groups[limb]:
                lines += provision_section(rb, provision, results)
    return lines


def _other_rules(rb: RuleBase) -> list[str]:
    lines = ["## Other rules", "",
             "Rules that set the public interest balance, make NCND unavailable, give an outcome or "
             "establish facts.", ""]
    others = [r for r in rb.rules if r.then.kind is not ConclusionKind.ENGAGE]
    for kind, title, intro in OTHER_RULES:
        mine = sorted((r for r in others if r.then.kind == kind), key=lambda r: (r.stage, -r.priority))
        if mine:
            lines += [f"### {title}", ""] + ([intro, ""] if intro else [])
            for rule in mine:
                lines += rule_section(rb, rule, "####")
    return lines + ([] if others else ["None.", ""])


def _scenarios(results: Sequence[ScenarioResult]) -> list[str]:
    """Every scenario: what it expects, what it gives, and whether it passes (as `ncnd rules test` judges)."""
    lines = ["## Scenarios", "", f"{sum(r.passed for r in results)} of {len(results)} scenarios pass.", ""]
    for r in results:
        cited = ", ".join(relied_on(r)) or "no provision"
        lines.append(f"- {one_line(r.scenario.name)}: expects {outcome_phrase(r.scenario.outcome)}; gives "
                     f"{outcome_phrase(r.outcome)} citing {cited}" + ("" if r.passed else " **(FAILS)**"))
    return lines + [""]


def rule_book(rb: RuleBase, results: Sequence[ScenarioResult] | None = None) -> str:
    """The rule book in Markdown; `results` (from `checks.scenarios.run_scenario`) adds the scenario lists."""
    groups = _groups(rb)
    lines = _front(rb, groups, results is not None)
    words = wording_for(rb)
    lines += ["## How a part is decided", "", *words.procedure, ""]
    lines += ["## Glossary", "", *(f"- **{term}:** {text}" for term, text in words.glossary), ""]
    if rb.meta.limits:
        lines += ["## Limits of this rule base", "", "What this rule base does not model:", "",
                  *(f"- {one_line(limit)}" for limit in rb.meta.limits), ""]
    lines += _provisions(rb, groups, results)
    lines += ["## Questions", "", "In the order they are asked.", ""]
    for q in rb.questions:
        lines += question_section(rb, q.id)
    lines += ["## Derived facts", ""] + ([] if rb.facts else ["None.", ""])
    for f in rb.facts:
        lines += fact_section(rb, f.id)
    lines += _other_rules(rb) + notice_section(rb)
    if results is not None:
        lines += _scenarios(results)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
