"""Validated rule files -> the frozen model: one `RuleBase` from the records of every file.

The shapes (`shapes`) have checked each file on its own; what only shows across a file's
sections or across files is checked here as the model is built: one `rulebase:` and one
`notice:` section, the notice's placeholders, and exactly one conclusion per rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ncnd_assistant.errors import Location, Problem, RuleBaseError
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType, Stage
from ncnd_assistant.rulebase.model import (
    Choice,
    Citation,
    Conclusion,
    Fact,
    Factors,
    Limb,
    Meta,
    Provision,
    Question,
    Rule,
    RuleBase,
    placeholders,
)
from ncnd_assistant.rulebase.notice_text import NOTICE_PLACEHOLDERS, NoticeText
from ncnd_assistant.rulebase.schema import Record
from ncnd_assistant.rulebase.shapes import CONCLUSION_KINDS
from ncnd_assistant.rulebase.yamlsource import display_path


def build_rulebase(records: list[Record], digest: str, root: Path, problems: list[Problem]) -> RuleBase:
    """The rule base the records describe; problems found on the way are added to `problems`
    (a rule with a malformed conclusion is left out). Raise `RuleBaseError` when no file has
    the `rulebase:` metadata."""
    meta = _meta(records, root, problems)
    notice = _notice(records, problems)
    questions = tuple(_question(q) for r in records for q in r["questions"])
    facts = tuple(Fact(f["id"], f["text"], f.node.loc) for r in records for f in r["facts"])
    provisions = tuple(_provision(p) for r in records for p in r["provisions"])
    rules = []
    for r in records:
        for record in r["rules"]:
            rule = _rule(record, problems)
            if rule is not None:
                rules.append(rule)
    return RuleBase(meta, questions, facts, provisions, tuple(rules), digest, root, notice)


def _citations(items: list[Any]) -> tuple[Citation, ...]:
    out = []
    for item in items or []:
        if isinstance(item, Record):
            out.append(Citation(item["ref"], item.get("url"), item.get("as_of")))
        else:
            out.append(Citation(str(item)))
    return tuple(out)


def _factors(record: Record | None) -> Factors:
    if record is None:
        return Factors()
    return Factors(tuple(record["for"]), tuple(record["against"]))


def _meta(records: list[Record], root: Path, problems: list[Problem]) -> Meta:
    """The one `rulebase:` section (a second one is a problem; none is fatal)."""
    metas = [(r["rulebase"], r.at("rulebase")) for r in records if r["rulebase"] is not None]
    if not metas:
        where = Location(display_path(root), 0, 0)
        problems.append(Problem(where, "missing-rulebase", "no file has a `rulebase:` section",
                                "add rulebase: {id, title, version, effective, regime} to one file"))
        raise RuleBaseError("the rule base has no metadata", problems)
    for _, node in metas[1:]:
        problems.append(Problem(node.loc, "duplicate-rulebase", "a second `rulebase:` section",
                                f"the first is at {metas[0][1].loc}; keep one"))
    m = metas[0][0]
    given = m["sign_off"] is not None
    return Meta(m["id"], m["title"], m["version"], m["effective"], m["regime"], m["jurisdiction"],
                tuple(m["sign_off"]) if given else Meta.sign_off, given, metas[0][1].loc, tuple(m["limits"]))


def _question(q: Record) -> Question:
    return Question(
        id=q["id"], text=q["text"], help=q["help"], type=QuestionType(q["type"]), stage=Stage(q["stage"]),
        choices=tuple(Choice(ch["value"], ch["label"]) for ch in q["choices"]),
        reveals_holding=q["reveals_holding"], sensitive=q["sensitive"], request_wide=q["request_wide"],
        ask_when=q["ask_when"], min_words=q["min_words"], aggregated_cost=q["aggregated_cost"],
        public_interest_reasons=q["public_interest_reasons"],
        citations=_citations(q["citations"]), carries=q["carries"], loc=q.node.loc)


def _provision(p: Record) -> Provision:
    return Provision(
        id=p["id"], act=p["act"], title=p["title"], limb=Limb(p["limb"]), exemption=p["exemption"],
        test=p["test"], summary=p["summary"], citations=_citations(p["citations"]),
        in_the_alternative_with=tuple(p["in_the_alternative_with"]),
        public_interest=_factors(p["public_interest"]), notice=p["notice"], loc=p.node.loc)


def _rule(rule: Record, problems: list[Problem]) -> Rule | None:
    """The rule, or None after reporting a `then` that does not give exactly one conclusion."""
    then = rule["then"]
    kinds = [k for k in CONCLUSION_KINDS if then.get(k) is not None]
    if len(kinds) != 1:
        problems.append(Problem(then.node.loc, "bad-conclusion",
                                f"a rule's `then` needs exactly one of {', '.join(CONCLUSION_KINDS)}"
                                f"; got {', '.join(kinds) or 'none'}",
                                "split it into several rules" if kinds else
                                "say what the rule concludes, e.g. `then: {engage: s24(2), harm: would}`"))
        return None
    conclusion = Conclusion(ConclusionKind(kinds[0]), then[kinds[0]], then.get("harm"))
    if conclusion.kind is not ConclusionKind.ENGAGE and conclusion.harm:
        problems.append(Problem(then.at("harm").loc, "unexpected-harm",
                                "`harm` goes only with `engage`", "remove it"))
    return Rule(rule["id"], Stage(rule["stage"]), rule["when"], conclusion, rule["because"],
                _citations(rule["citations"]), _factors(rule["public_interest"]),
                rule["priority"], rule["notice"], rule.node.loc)


def _notice(records: list[Record], problems: list[Problem]) -> NoticeText:
    """The rule base's letter wording (one `notice:` section at most), placeholders checked."""
    sections = [r["notice"] for r in records if r["notice"] is not None]
    for extra in sections[1:]:
        problems.append(Problem(extra.node.loc, "duplicate-notice", "a second `notice:` section",
                                f"the first is at {sections[0].node.loc}; keep one"))
    if not sections:
        return NoticeText()
    section = sections[0]
    for key, allowed in NOTICE_PLACEHOLDERS.items():
        try:
            names = placeholders(section[key])
        except ValueError as error:
            problems.append(Problem(section.at(key).loc, "bad-placeholder", f"notice '{key}': {error}",
                                    "write a literal brace as {{ or }}"))
            continue
        for name in sorted(names - allowed):
            problems.append(Problem(section.at(key).loc, "bad-placeholder",
                                    f"notice '{key}' uses {{{name}}}, which it cannot fill",
                                    "allowed here: " + ", ".join("{" + a + "}" for a in sorted(allowed))))
    return NoticeText(**{k: section[k] for k in ("authority", *NOTICE_PLACEHOLDERS)})
