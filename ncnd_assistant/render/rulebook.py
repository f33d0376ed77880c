"""The rule book: the whole rule base in Markdown, for legal review (`ncnd rules docs`).

Per provision: its test and character, the notice wording, citations, the questions and rules
that lead to it (conditions in plain English, with the question texts), public-interest factors
and the scenarios that exercise it. Then every question, fact, remaining rule and the letter
templates. The output is deterministic, so it can be kept under review as a golden file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import PurePath

from ncnd_assistant.checks.scenarios import CONTRADICTION, Scenario, run_scenario
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import (
    Citation,
    Factors,
    Limb,
    Outcome,
    Provision,
    Question,
    Rule,
    RuleBase,
    block_targets,
    section_key,
)
from ncnd_assistant.rulebase.notice_text import NOTICE_PLACEHOLDERS, NoticeText

LIMBS = {
    Limb.NCND: "neither confirm nor deny: lifts the duty to confirm or deny (s1(1)(a)); decided in Stage 1",
    Limb.WITHHOLD: "withholding: lifts the duty to communicate (s1(1)(b)); decided in Stage 2",
    Limb.REFUSE: "refusal (not an exemption): at Stage 1 both duties fall away; at Stage 2, once the information "
                 "is found to be held, only the duty to communicate",
}
EXEMPTIONS = {
    "absolute": "absolute: no public interest test",
    "qualified": "qualified: relied on only if the public interest in maintaining it outweighs the public "
                 "interest in {towards}",
    "not_exemption": "not an exemption: no public interest test",
}
TESTS = {
    "class": "class-based: engaged by the kind of information, with no harm test",
    "prejudice": "prejudice: confirming, denying or disclosing would, or would be likely to, cause the harm",
    "required_for": "\"required for\": exemption is reasonably necessary to safeguard the interest; no likelihood "
                    "level is set",
    "data_protection": "data protection: confirming, denying or disclosing would contravene the data protection "
                       "principles (lawfulness and fairness, usually a legitimate-interests balance)",
    "confidence": "breach of confidence: the information was obtained from another person and confirming, denying "
                  "or disclosing would be an actionable breach of confidence",
    "endanger": "endangerment: would, or would be likely to, endanger health or safety",
    "cost": "cost: complying would exceed the appropriate limit",
    "vexatious": "vexatious request",
}
HARMS = {"would": "would (more probable than not)",
         "would_be_likely_to": "would be likely to (a real and significant risk)"}
OUTCOMES = {**{o.value: o.phrase for o in Outcome}, "error": "error"}  # the one vocabulary (Outcome.label)
STAGES = {1: "Stage 1 (confirm or deny)", 2: "Stage 2 (disclosure)"}
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
EFFECTS = {Limb.REFUSE: "refuse", Limb.NCND: "NCND", Limb.WITHHOLD: "withhold"}
SHORT_TESTS = {"class": "class", "prejudice": "prejudice", "required_for": "required for", "endanger": "endanger",
               "data_protection": "data protection principles", "confidence": "actionable breach of confidence",
               "cost": "cost", "vexatious": "vexatious"}
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
    "5. **Decision support, not legal advice.** The tool recommends; the officer decides, and an "
    "override is recorded with its reason.",
)

GLOSSARY = (
    ("Limb", "which duty a provision lifts: the duty to confirm or deny whether information is held "
             "(s1(1)(a)), the duty to communicate it (s1(1)(b)) or, for a refusal, both (s14, s12(2)) or only "
             "the second (s12(1))."),
    ("Exclusion of the duty to confirm or deny", "a provision (such as s24(2) or s31(3)) under which the "
     "authority need not say whether it holds the information: the response neither confirms nor denies (NCND)."),
    ("Exemption", "a provision (such as s24(1) or s31(1)) under which information that is held need not be "
                  "disclosed: the authority says it holds the information and withholds it."),
    ("Engaged", "the provision's test is met on the answers given (a rule engaging it applied)."),
    ("Relied on", "engaged and cited in the response as its reason: absolute, or qualified with the public "
                  "interest test favouring maintaining it, and (for NCND) not made unavailable by official "
                  "confirmation."),
    ("Set aside", "engaged, but not relied on, because the information's existence has been officially "
                  "confirmed (so NCND is not available) or because the public interest test favours "
                  "confirming or denying (or disclosure)."),
    ("Considered, not engaged", "the questions that decide the provision were asked, but the answers did not "
                                "meet its test."),
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
    ("Derived fact", "an intermediate judgement the rules establish from the answers, read by other rules or "
                     "deciding which questions are asked."),
    ("Priority", "of public-interest balance rules: when several apply, the one with the highest priority "
                 "decides."),
    ("Second-officer sign-off", "a decision that relies on, or sets aside, a provision the rule base lists "
                                "(by default s23(5) and s24(2)) waits for a second officer to sign it off."),
    ("In the alternative", "two paired provisions (s23(5) with s24(2)) both relied on and cited together, "
     "each as an alternative to the other, so the response does not reveal which one applies; the "
     "second may be cited only where it is itself engaged and maintained, otherwise the tool warns."),
)


@dataclass(frozen=True)
class ScenarioRun:
    """What a scenario did under the rule base: for the "scenarios that exercise it" lists."""

    scenario: Scenario
    outcome: str
    cited: tuple[str, ...]  # provisions relied on
    set_aside: tuple[str, ...]  # engaged but not relied on (blocked, or the public interest)
    fired: tuple[str, ...]
    error: str = ""
    asked: tuple[str, ...] = ()
    passed: bool = False  # as `ncnd rules test` judges it (scenarios.run_scenario): held-invariance too


def run_scenarios(assessor: Assessor, scenarios: Sequence[Scenario]) -> list[ScenarioRun]:
    """Run each scenario as `ncnd rules test` does, keeping which provisions it engaged."""
    runs = []
    for scenario in scenarios:
        result = run_scenario(assessor, scenario)  # the one pass rule, held-invariance included
        pa = result.assessed
        if pa is None:  # a contradiction, or an error the result's message names
            error = "" if result.outcome.startswith(CONTRADICTION) else result.message
            runs.append(ScenarioRun(scenario, result.outcome, (), (), result.fired, error, passed=result.passed))
            continue
        passed = result.passed
        stages = [pa.stage1] if pa.decision is pa.stage1 else [pa.stage1, pa.decision]
        cited = tuple(dict.fromkeys(cp.provision.id for cp in pa.decision.cited))
        aside = tuple(dict.fromkeys(cp.provision.id for st in stages for cp in st.set_aside
                                    if cp.provision.id not in cited))
        runs.append(ScenarioRun(scenario, pa.outcome.value, cited, aside, pa.fired, asked=pa.asked, passed=passed))
    return runs


# ---------------------------------------------------------------- plain English

def anchor(kind: str, ident: str) -> str:
    return f"{kind}-" + re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")


def one_line(text: str) -> str:
    return " ".join(text.split())


def _value(rb: RuleBase, name: str, value: c.Value) -> str:
    if rb.has_question(name):
        return f"“{rb.question(name).display(value)}”"
    return "true" if value is True else "false" if value is False else f"“{value}”"


def _subject(rb: RuleBase, name: str) -> str:
    if rb.has_question(name):
        return f"the answer to “{one_line(rb.question(name).text)}” (`{name}`)"
    if rb.has_fact(name):
        return f"the fact “{one_line(rb.fact(name).text)}” (`{name}`)"
    return f"`{name}`"


def _leaf(rb: RuleBase, cond: c.Eq | c.In, negated: bool) -> str:
    values = (cond.value,) if isinstance(cond, c.Eq) else cond.values
    if rb.has_fact(cond.name) and isinstance(cond, c.Eq) and isinstance(cond.value, bool):
        holds = cond.value != negated
        return f"{_subject(rb, cond.name)} {'holds' if holds else 'does not hold'}"
    shown = " or ".join(_value(rb, cond.name, v) for v in values)
    verb = "is not" if negated else "is"
    return f"{_subject(rb, cond.name)} {verb} {shown}"


def condition_lines(rb: RuleBase, cond: c.Condition, depth: int = 0, negated: bool = False) -> list[str]:
    """The condition as nested Markdown bullets in plain English."""
    pad = "  " * depth
    if isinstance(cond, c.Not):
        inner = cond.item
        if isinstance(inner, (c.Eq, c.In, c.Not)):
            return condition_lines(rb, inner, depth, not negated)
        head = "none of the following holds:" if isinstance(inner, c.AnyOf) else "not all of the following hold:"
        if negated:
            head = "any of the following holds:" if isinstance(inner, c.AnyOf) else "all of the following hold:"
        return [f"{pad}- {head}"] + [line for item in inner.items
                                     for line in condition_lines(rb, item, depth + 1)]
    if isinstance(cond, (c.Eq, c.In)):
        return [f"{pad}- {_leaf(rb, cond, negated)}"]
    every = isinstance(cond, c.All)
    if negated:
        head = "not all of the following hold:" if every else "none of the following holds:"
    else:
        head = "all of the following hold:" if every else "any of the following holds:"
    return [f"{pad}- {head}"] + [line for item in cond.items for line in condition_lines(rb, item, depth + 1)]


def citation_text(citation: Citation) -> str:
    text = citation.ref
    if citation.url:
        text = f"[{citation.ref}]({citation.url})"
    if citation.as_of:
        text += f" (version of {citation.as_of.isoformat()})"
    return text


def _citations(items: Sequence[Citation], indent: str = "") -> list[str]:
    return [f"{indent}- {citation_text(ci)}" for ci in items] or [f"{indent}- none"]


def _towards(limb: Limb | None) -> str:
    return "confirming or denying" if limb == Limb.NCND else "disclosure" if limb == Limb.WITHHOLD \
        else "confirming or denying (or disclosure)"


def _factors(factors: Factors, limb: Limb | None, indent: str = "") -> list[str]:
    if not factors.for_ and not factors.against:
        return []
    towards = _towards(limb)
    lines = [f"{indent}- For {towards}:"] + [f"{indent}  - {one_line(f)}" for f in factors.for_ or ("none listed",)]
    lines += [f"{indent}- Against:"] + [f"{indent}  - {one_line(f)}" for f in factors.against or ("none listed",)]
    return lines


def _quote(text: str) -> list[str]:
    return [f"> {one_line(text)}"]


def conclusion_text(rb: RuleBase, rule: Rule) -> str:
    then = rule.then
    if then.kind == "engage":
        provision = rb.provision(then.target)
        harm = f", harm: {HARMS.get(then.harm, then.harm)}" if then.harm else ""
        return f"engages [{provision.label}](#{anchor('provision', provision.id)}){harm}"
    if then.kind == "derive":
        return f"establishes the fact [`{then.target}`](#{anchor('fact', then.target)})"
    if then.kind == "outcome":
        return f"gives the outcome “{OUTCOMES.get(then.target, then.target)}”"
    if then.kind == "block":
        scopes = {"ncnd": "makes NCND unavailable for the part (the authority must confirm or deny)",
                  "harm_based": "makes the harm-based NCND limbs (prejudice, endangerment, s24) unavailable",
                  "absolute": "makes the absolute NCND limbs unavailable"}
        if then.target in scopes:
            return scopes[then.target]
        names = ", ".join(f"[{rb.provision(t).label}](#{anchor('provision', t)})" for t in block_targets(then.target))
        return f"makes {names} unavailable"
    if then.kind == "warn":
        return "warns the officer (the reason below), without changing the outcome"
    if then.kind == "contradiction":
        return f"finds the answers contradict each other: the officer is asked `{then.target}` again"
    maintain = then.target == "maintain"
    if rule.stage == 1:
        return ("public interest balance: maintain the exclusion of the duty to confirm or deny" if maintain
                else "public interest balance: confirm or deny")
    return "public interest balance: maintain the exemption" if maintain else "public interest balance: disclose"


def rule_section(rb: RuleBase, rule: Rule, level: str = "####") -> list[str]:
    limb = rb.provision(rule.then.target).limb if rule.then.kind == "engage" else None
    lines = [f'<a id="{anchor("rule", rule.id)}"></a>', "",
             f"{level} Rule `{rule.id}` (stage {rule.stage})", "",
             f"- **Concludes:** {conclusion_text(rb, rule)}"]
    if rule.priority:
        lines.append(f"- **Priority:** {rule.priority}")
    lines.append("- **When:**")
    lines += condition_lines(rb, rule.when, 1)
    lines.append(f"- **Because:** {one_line(rule.because)}")
    if rule.notice:
        lines.append(f"- **Notice paragraph:** {one_line(rule.notice)}")
    lines.append("- **Citations:**")
    lines += _citations(rule.citations, "  ")
    factors = _factors(rule.public_interest, limb, "  ")
    if factors:
        lines.append("- **Public-interest factors it adds:**")
        lines += factors
    if rule.loc.line:
        lines.append(f"- **Source:** `{PurePath(rule.loc.path).name}`, line {rule.loc.line}")
    return lines + [""]


# ---------------------------------------------------------------- the book

def _scenario_line(run: ScenarioRun, pid: str | None = None) -> str:
    status = "passes" if run.passed else "FAILS"
    how = ""
    if pid is not None:
        how = "relied on" if pid in run.cited else "engaged but set aside"
    got = OUTCOMES.get(run.outcome, run.outcome)
    details = f"outcome: {got}" + (f"; {how}" if how else "") + f"; {status}"
    return f"- {one_line(run.scenario.name)} ({details})"


def _link(provision: Provision) -> str:
    return f"[{provision.label}](#{anchor('provision', provision.id)})"


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


def _provision_section(rb: RuleBase, provision: Provision, runs: Sequence[ScenarioRun] | None) -> list[str]:
    engaging = [r for r in rb.rules if r.then.kind == "engage" and r.then.target == provision.id]
    feeding = feeding_rules(rb, provision.id)
    lines = [f'<a id="{anchor("provision", provision.id)}"></a>', "", f"#### {provision.label}", "",
             f"- **Provision:** {provision.id}, {provision.act}",
             f"- **Limb:** {LIMBS[provision.limb]}",
             "- **Absolute or qualified:** " + EXEMPTIONS.get(provision.exemption, provision.exemption).format(
                 towards=_towards(provision.limb)),
             f"- **Test:** {TESTS.get(provision.test, provision.test)}"]
    lines += _conjunction(rb, provision)
    if provision.id in rb.meta.sign_off:
        lines.append("- **Second-officer sign-off:** required for decisions relying on it or setting it aside")
    lines += ["", "**Summary.**", "", *_quote(provision.summary), ""]
    lines += ["**Notice wording.**", ""]
    lines += _quote(provision.notice) if provision.notice else ["No wording of its own: the letter gives its heading."]
    lines += ["", "**Citations.**", "", *_citations(provision.citations), ""]
    factors = _factors(provision.public_interest, provision.limb)
    if factors:
        lines += ["**Public-interest factors.**", "", *factors, ""]
    elif provision.qualified:
        lines += ["**Public-interest factors.** None given for the provision itself.", ""]
    lines += ["**Questions that lead here.**", ""]
    lines += [f"- [{one_line(q.text)}](#{anchor('question', q.id)}) (`{q.id}`, stage {q.stage})"
              for q in leading_questions(rb, provision.id)] or ["- none"]
    lines.append("")
    if feeding:
        lines += ["**Rules feeding the engaging rules.**", ""]
        lines += [f"- [`{r.id}`](#{anchor('rule', r.id)}): {conclusion_text(rb, r)}" for r in feeding]
        lines.append("")
    lines += ["**Rules that engage it.**", ""]
    if not engaging:
        lines += ["No rule engages it directly.", ""]
    for rule in engaging:
        lines += rule_section(rb, rule, "#####")
    if runs is not None:
        mine = [run for run in runs if provision.id in run.cited or provision.id in run.set_aside]
        lines += ["**Scenarios that exercise it.**", ""]
        lines += [_scenario_line(run, provision.id) for run in mine] or ["- none: add a scenario"]
        lines.append("")
    return lines


def _question_section(rb: RuleBase, qid: str) -> list[str]:
    q = rb.question(qid)
    kind = {"yes_no": "yes / no", "choice": "choice", "text": "free text"}.get(q.type, q.type)
    lines = [f'<a id="{anchor("question", q.id)}"></a>', "", f"### `{q.id}`: {one_line(q.text)}", "",
             f"- **Stage:** {STAGES[q.stage]}", f"- **Answer:** {kind}"]
    for choice in q.choices:
        lines.append(f"  - `{choice.value}`: {one_line(choice.label)}")
    if q.ask_when is None:
        lines.append("- **Asked:** always" + (" (once Stage 1 leaves the part to Stage 2)" if q.stage == 2 else ""))
    else:
        lines.append("- **Asked only when:**")
        lines += condition_lines(rb, q.ask_when, 1)
    if q.reveals_holding:
        lines.append("- **Reveals whether information is held:** yes (never read by Stage 1)")
    if q.request_wide:
        lines.append("- **Applies to the whole request:** asked once and given the same answer for every part")
    if q.sensitive:
        lines.append("- **Sensitive:** the answer is masked when the audit record is exported for the ICO")
    lines.append(f"- **Help shown to the officer:** {one_line(q.help)}")
    if q.citations:
        lines.append("- **Citations:**")
        lines += _citations(q.citations, "  ")
    users = [r.id for r in rb.rules if q.id in c.names(r.when)]
    gated = [o.id for o in rb.questions if o.ask_when is not None and q.id in c.names(o.ask_when)]
    lines.append("- **Read by rules:** " + (", ".join(f"[`{u}`](#{anchor('rule', u)})" for u in users) or "none"))
    if gated:
        lines.append("- **Decides whether these are asked:** "
                     + ", ".join(f"[`{g}`](#{anchor('question', g)})" for g in gated))
    return lines + [""]


def _fact_section(rb: RuleBase, fid: str) -> list[str]:
    fact = rb.fact(fid)
    derived = [r.id for r in rb.rules if r.then.kind == "derive" and r.then.target == fid]
    users = [r.id for r in rb.rules if fid in c.names(r.when)]
    gated = [q.id for q in rb.questions if q.ask_when is not None and fid in c.names(q.ask_when)]
    lines = [f'<a id="{anchor("fact", fid)}"></a>', "", f"### `{fid}`", "", f"{one_line(fact.text)}", "",
             f"- **Stage:** {STAGES[rb.fact_stage(fid)]}",
             "- **Established by:** " + (", ".join(f"[`{d}`](#{anchor('rule', d)})" for d in derived) or "no rule")]
    if users or not gated:
        lines.append("- **Read by:** " + (", ".join(f"[`{u}`](#{anchor('rule', u)})" for u in users) or "no rule"))
    if gated:
        lines.append("- **Decides whether these are asked:** "
                     + ", ".join(f"[`{g}`](#{anchor('question', g)})" for g in gated))
    return lines + [""]


def _notice_section(rb: RuleBase) -> list[str]:
    default = NoticeText()
    lines = ["## Notice templates", "",
             "The wording of the draft response. `{placeholders}` are filled in per case and part.", ""]
    for item in fields(NoticeText):
        text = getattr(rb.notice, item.name)
        places = NOTICE_PLACEHOLDERS.get(item.name, set())
        note = " (the built-in default)" if text == getattr(default, item.name) else ""
        lines.append(f"### `{item.name}`{note}")
        lines.append("")
        if places:
            lines.append("Placeholders: " + ", ".join(f"`{{{p}}}`" for p in sorted(places)))
            lines.append("")
        lines += _quote(text)
        lines.append("")
    return lines


def engaging_names(rb: RuleBase, pid: str) -> frozenset[str]:
    """The questions and facts whose values engage the provision: those named in the `when` of the
    rules engaging it and, through each derived fact named there, in the rules deriving it (transitively).
    Gating conditions (`ask_when`) are not followed."""
    def compute() -> frozenset[str]:
        names = {n for r in rb.rules if r.then.kind == "engage" and r.then.target == pid for n in c.names(r.when)}
        todo = list(names)
        while todo:
            name = todo.pop()
            if rb.has_fact(name):
                new = {n for r in rb.rules if r.then.kind == "derive" and r.then.target == name
                       for n in c.names(r.when)} - names
                names |= new
                todo += new
        return frozenset(names)
    return rb.memo(("engaging_names", pid), compute)


def leading_questions(rb: RuleBase, pid: str) -> list[Question]:
    """The questions whose answers engage the provision, in the order they are asked."""
    names = engaging_names(rb, pid)
    return [q for q in rb.questions if q.id in names]


def feeding_rules(rb: RuleBase, pid: str) -> list[Rule]:
    """The rules deriving a fact the provision's engaging rules read, directly or transitively."""
    names = engaging_names(rb, pid)
    return [r for r in rb.rules if r.then.kind == "derive" and r.then.target in names]


def not_engaged(rb: RuleBase, provision: Provision, runs: Sequence[ScenarioRun]) -> list[ScenarioRun]:
    """Scenarios that asked a question whose answer engages the provision (`leading_questions`),
    yet did not engage it: the "considered and not engaged" cases."""
    read = {q.id for q in leading_questions(rb, provision.id)}
    return [run for run in runs if read & set(run.asked) and provision.id not in run.cited
            and provision.id not in run.set_aside and not run.error]


def _groups(rb: RuleBase) -> dict[Limb, list[Provision]]:
    """Provisions by effect, each in statutory order."""
    return {limb: sorted((p for p in rb.provisions if p.limb == limb), key=lambda p: section_key(p.id))
            for limb, _, _ in GROUPS}


def _glance(rb: RuleBase, groups: dict[Limb, list[Provision]], runs: Sequence[ScenarioRun] | None) -> list[str]:
    """One row per provision: what it does, its test, and how well the scenarios exercise it."""
    head = "| Provision | Effect | Absolute or qualified | Test | Rules |"
    rule = "|---|---|---|---|---:|"
    if runs is not None:
        head += " Scenarios: relied on / set aside / considered, not engaged |"
        rule += "---:|"
    lines = [head, rule]
    for limb, _, _ in GROUPS:
        for p in groups[limb]:
            engaging = [r for r in rb.rules if r.then.kind == "engage" and r.then.target == p.id]
            rules = len(engaging)
            kind = p.exemption.replace("not_exemption", "not an exemption")
            row = (f"| [{p.label}](#{anchor('provision', p.id)}) | {EFFECTS[limb]} | {kind} | "
                   f"{SHORT_TESTS.get(p.test, p.test)} | {rules} |")
            if runs is not None:
                relied = sum(1 for run in runs if p.id in run.cited)
                aside = sum(1 for run in runs if p.id in run.set_aside)
                row += f" {relied} / {aside} / {len(not_engaged(rb, p, runs))} |"
            lines.append(row)
    return lines


def rule_book(rb: RuleBase, runs: Sequence[ScenarioRun] | None = None) -> str:
    """The rule book in Markdown; `runs` (from `run_scenarios`) adds the scenario lists."""
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
    groups = _groups(rb)
    for limb, title, _ in GROUPS:
        if groups[limb]:
            lines.append(f"  - [{title}](#{anchor('group', limb.value)})")
            lines += [f"    - [{p.label}](#{anchor('provision', p.id)})" for p in groups[limb]]
    lines += ["- [Questions](#questions)", "- [Derived facts](#derived-facts)",
              "- [Other rules](#other-rules)", "- [Notice templates](#notice-templates)"]
    if runs is not None:
        lines.append("- [Scenarios](#scenarios)")
    lines += ["", "## How a part is decided", "", *PROCEDURE, ""]
    lines += ["## Glossary", "", *(f"- **{term}:** {text}" for term, text in GLOSSARY), ""]
    if meta.limits:
        lines += ["## Limits of this rule base", "", "What this rule base does not model:", "",
                  *(f"- {one_line(limit)}" for limit in meta.limits), ""]
    lines += ["## Provisions", "", *_glance(rb, groups, runs), ""]
    for limb, title, intro in GROUPS:
        if groups[limb]:
            lines += [f'<a id="{anchor("group", limb.value)}"></a>', "", f"### {title}", "", intro, ""]
            for provision in groups[limb]:
                lines += _provision_section(rb, provision, runs)
    lines += ["## Questions", "", "In the order they are asked.", ""]
    for q in rb.questions:
        lines += _question_section(rb, q.id)
    lines += ["## Derived facts", ""]
    if not rb.facts:
        lines += ["None.", ""]
    for f in rb.facts:
        lines += _fact_section(rb, f.id)
    lines += ["## Other rules", "",
              "Rules that set the public interest balance, make NCND unavailable, give an outcome or "
              "establish facts.", ""]
    others = [r for r in rb.rules if r.then.kind != "engage"]
    for kind, title, intro in OTHER_RULES:
        mine = sorted((r for r in others if r.then.kind == kind), key=lambda r: (r.stage, -r.priority))
        if mine:
            lines += [f"### {title}", ""] + ([intro, ""] if intro else [])
            for rule in mine:
                lines += rule_section(rb, rule, "####")
    if not others:
        lines += ["None.", ""]
    lines += _notice_section(rb)
    if runs is not None:
        lines += ["## Scenarios", "",
                  f"{sum(run.passed for run in runs)} of {len(runs)} scenarios pass.", ""]
        for run in runs:
            expected = OUTCOMES.get(run.scenario.outcome, run.scenario.outcome)
            cited = ", ".join(run.cited) or "no provision"
            lines.append(f"- {one_line(run.scenario.name)}: expects {expected}; gives "
                         f"{OUTCOMES.get(run.outcome, run.outcome)} citing {cited}"
                         + ("" if run.passed else " **(FAILS)**"))
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
