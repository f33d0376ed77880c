"""Rule files -> `RuleBase`: structural validation, then references and stage rules.

Every problem found is collected and raised together as a `RuleBaseError`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ncnd_assistant.errors import Location, Problem, RuleBaseError
from ncnd_assistant.paths import packaged_rules_root
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import (
    BLOCK_SCOPES,
    HARM_LEVELS,
    HARM_TESTS,
    QUESTION_TYPES,
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
    block_targets,
    placeholders,
)
from ncnd_assistant.rulebase.notice_text import NOTICE_PLACEHOLDERS, NoticeText
from ncnd_assistant.rulebase.schema import (
    INVALID,
    NAME,
    NAME_HINT,
    Bool,
    ConditionSpec,
    Date,
    Field,
    Int,
    ListOf,
    Obj,
    Record,
    Str,
    StrOrObj,
    did_you_mean,
)
from ncnd_assistant.rulebase.yamlsource import display_path, parse_file

RULE_ID = r"[a-z0-9][a-z0-9-]*"
PROVISION_ID = r"s[0-9]+[A-Z]?(\([0-9]+[A-Z]?\))*(\([a-z]+\))*|[A-Za-z][A-Za-z0-9().-]*"

CITATION = StrOrObj(Str(description="a citation"), Obj("a citation", {
    "ref": Field(Str(), doc="what is cited, e.g. FOIA 2000 s24(2)"),
    "url": Field(Str(), required=False),
    "as_of": Field(Date(), required=False,
                   doc="the date of the version of the source relied on, e.g. a page's last-updated date"),
}))
CITATIONS = ListOf(CITATION, min_items=1)
FACTORS = Obj("public_interest", {
    "for": Field(ListOf(Str()), required=False, default=[],
                 doc="factors favouring confirmation or denial (or disclosure)"),
    "against": Field(ListOf(Str()), required=False, default=[], doc="factors against"),
})
META = Obj("rulebase", {
    "id": Field(Str(pattern=RULE_ID, pattern_hint="lower case, digits and hyphens")),
    "title": Field(Str()),
    "version": Field(Str()),
    "effective": Field(Date()),
    "regime": Field(Str(choices=("foia", "eir", "foisa"))),
    "jurisdiction": Field(Str(), required=False, default=""),
    "sign_off": Field(ListOf(Str()), required=False,
                      doc="provisions whose decisions a second officer must sign off (default s23(5), s24(2))"),
    "limits": Field(ListOf(Str()), required=False, default=[],
                    doc="what the rule base does not model, in plain English (shown in the rule book)"),
})
CHOICE = Obj("a choice", {"value": Field(Str(pattern=NAME, pattern_hint=NAME_HINT)),
                          "label": Field(Str())})
QUESTION = Obj("a question", {
    "id": Field(Str(pattern=NAME, pattern_hint=NAME_HINT)),
    "text": Field(Str(), doc="the question as shown"),
    "help": Field(Str(), doc="the legal test in plain English, with its citation"),
    "type": Field(Str(choices=QUESTION_TYPES)),
    "stage": Field(Int(choices=(1, 2)), doc="1 = confirm or deny, 2 = disclosure"),
    "choices": Field(ListOf(CHOICE, min_items=2), required=False, default=[]),
    "reveals_holding": Field(Bool(), required=False, default=False),
    "sensitive": Field(Bool(), required=False, default=False,
                       doc="mask the answer when the audit record is exported for the ICO"),
    "request_wide": Field(Bool(), required=False, default=False,
                          doc="the answer applies to the whole request (s14, the s12 cost limit): the "
                              "interview asks it once and every part must give the same answer"),
    "ask_when": Field(ConditionSpec(), required=False),
    "aggregated_cost": Field(Bool(), required=False, default=False,
                             doc="with request_wide: a cost-limit question whose costs are aggregated across "
                                 "similar parts (Fees Regulations reg 5); parts that are not similar may differ"),
    "min_words": Field(Int(), required=False, default=0,
                       doc="a text answer must have at least this many words (a case-specific reason)"),
    "public_interest_reasons": Field(Bool(), required=False, default=False,
                                     doc="the answer is the officer's public interest reasons for its stage: "
                                         "the letter gives it under the balance"),
    "citations": Field(ListOf(CITATION), required=False, default=[]),
})
FACT = Obj("a fact", {"id": Field(Str(pattern=NAME, pattern_hint=NAME_HINT)), "text": Field(Str())})
PROVISION = Obj("a provision", {
    "id": Field(Str(pattern=PROVISION_ID, pattern_hint="cite it as in the Act, e.g. s24(2)")),
    "act": Field(Str()),
    "title": Field(Str()),
    "limb": Field(Str(choices=tuple(limb.value for limb in Limb))),
    "exemption": Field(Str(choices=("absolute", "qualified", "not_exemption"))),
    "test": Field(Str(choices=("class", "prejudice", "required_for", "endanger", "data_protection", "confidence",
                                "cost", "vexatious"))),
    "summary": Field(Str()),
    "in_the_alternative_with": Field(ListOf(Str()), required=False, default=[]),
    "public_interest": Field(FACTORS, required=False),
    "notice": Field(Str(), required=False, default="", doc="how the letter explains the provision"),
    "citations": Field(CITATIONS),
})
CONCLUSION_KINDS = ("engage", "derive", "outcome", "block", "balance", "contradiction", "warn")
THEN = Obj("a conclusion", {
    "engage": Field(Str(), required=False, doc="a provision id"),
    "harm": Field(Str(choices=HARM_LEVELS), required=False),
    "derive": Field(Str(), required=False, doc="a fact id"),
    "outcome": Field(Str(choices=("not_held", "eir")), required=False),
    "block": Field(Str(), required=False,
                   doc="ncnd: every NCND limb; harm_based: limbs resting on a harm; absolute: absolute limbs; "
                       "or one provision's id (for example a limb removed for historical records, s63)"),
    "contradiction": Field(Str(), required=False,
                           doc="a question id: the answers contradict each other; the officer is asked it again"),
    "warn": Field(Str(pattern=r"[a-z][a-z0-9-]*", pattern_hint="a short name in lower case and hyphens"),
                  required=False, doc="a short name: the rule's `because` is shown to the officer as a warning"),
    "balance": Field(Str(choices=("maintain", "disclose")), required=False),
})
RULE = Obj("a rule", {
    "id": Field(Str(pattern=RULE_ID, pattern_hint="lower case, digits and hyphens")),
    "stage": Field(Int(choices=(1, 2))),
    "when": Field(ConditionSpec()),
    "then": Field(THEN),
    "because": Field(Str(), doc="the reason in plain English"),
    "citations": Field(CITATIONS),
    "public_interest": Field(FACTORS, required=False),
    "priority": Field(Int(), required=False, default=0),
    "notice": Field(Str(), required=False, default="",
                    doc="the harm paragraph for the letter; the `because` is used when absent"),
})
NOTICE = Obj("notice", {"authority": Field(Str(), required=False, default=NoticeText.authority), **{
    key: Field(Str(), required=False, default=getattr(NoticeText, key),
               doc="placeholders: " + ", ".join("{" + p + "}" for p in sorted(places)))
    for key, places in NOTICE_PLACEHOLDERS.items()}})
RULE_FILE = Obj("a rule file", {
    "rulebase": Field(META, required=False),
    "questions": Field(ListOf(QUESTION), required=False, default=[]),
    "facts": Field(ListOf(FACT), required=False, default=[]),
    "provisions": Field(ListOf(PROVISION), required=False, default=[]),
    "rules": Field(ListOf(RULE), required=False, default=[]),
    "notice": Field(NOTICE, required=False),
})


# ---------------------------------------------------------------- finding the files

def resolve_rules_dir(given: Path | str | None, regime: str = "foia") -> Path:
    """The rule-base folder: `given`, else $NCND_RULES, else the shipped one.

    A folder holding YAML files is a rule base; a folder of rule bases is searched for
    `regime` (or its only rule base).
    """
    if given is None or str(given) == "":
        given = os.environ.get("NCND_RULES") or packaged_rules_root()
    path = Path(given)
    if not path.is_dir():
        raise RuleBaseError(f"rule-base folder {path} not found", [Problem(
            Location(str(path), 0, 0), "no-rule-base", "no such folder",
            "pass --rules DIR or set NCND_RULES to a rule-base folder")])
    if _rule_files(path):
        return path
    candidates = [p for p in sorted(path.iterdir()) if p.is_dir() and _rule_files(p)]
    chosen = [p for p in candidates if p.name == regime] or (candidates if len(candidates) == 1 else [])
    # a folder with one rule base gives it whatever the regime: the request's regime is then checked
    # against the rule base's own `regime` (answers.regime_problem), never silently assumed
    if chosen:
        return chosen[0]
    raise RuleBaseError(f"no rule files in {path}", [Problem(
        Location(str(path), 0, 0), "no-rule-base",
        "no *.yaml rule files here" + (f" and no '{regime}' rule base" if candidates else ""),
        "point --rules at the folder holding the rule files, e.g. rules/foia")])


def _rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def rules_digest(files: Iterable[Path], root: Path) -> str:
    """sha256 over each rule file's relative name and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


# ---------------------------------------------------------------- loading

def load_rulebase(folder: Path | str | None = None, regime: str = "foia") -> RuleBase:
    """Load and validate a rule base; raise `RuleBaseError` listing every problem."""
    root = resolve_rules_dir(folder, regime)
    files = _rule_files(root)
    problems: list[Problem] = []
    records: list[Record] = []
    for path in files:
        node = parse_file(path, display_path(path), problems)
        if node is None:
            continue
        record = RULE_FILE.check(node, problems, "the file")
        if record is not INVALID:
            records.append(record)
    if problems:
        raise RuleBaseError(f"{len(problems)} problem(s) in the rule base at {display_path(root)}", problems)
    rulebase = _build(records, rules_digest(files, root), root, problems)
    if problems:  # a rule was dropped: its references would give false reports
        raise RuleBaseError(f"{len(problems)} problem(s) in the rule base at {display_path(root)}", problems)
    problems.extend(_check_references(rulebase))
    if problems:
        raise RuleBaseError(f"{len(problems)} problem(s) in the rule base at {display_path(root)}", problems)
    return rulebase


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


def _build(records: list[Record], digest: str, root: Path, problems: list[Problem]) -> RuleBase:
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
    meta = Meta(m["id"], m["title"], m["version"], m["effective"], m["regime"], m["jurisdiction"],
                tuple(m["sign_off"]) if given else Meta.sign_off, given, metas[0][1].loc, tuple(m["limits"]))
    notice = _notice(records, problems)

    def loc(record: Record) -> Location:
        return record.node.loc

    questions = tuple(Question(
        id=q["id"], text=q["text"], help=q["help"], type=q["type"], stage=q["stage"],
        choices=tuple(Choice(ch["value"], ch["label"]) for ch in q["choices"]),
        reveals_holding=q["reveals_holding"], sensitive=q["sensitive"], request_wide=q["request_wide"],
        ask_when=q["ask_when"], min_words=q["min_words"], aggregated_cost=q["aggregated_cost"],
        public_interest_reasons=q["public_interest_reasons"],
        citations=_citations(q["citations"]), loc=loc(q))
        for r in records for q in r["questions"])
    facts = tuple(Fact(f["id"], f["text"], loc(f)) for r in records for f in r["facts"])
    provisions = tuple(Provision(
        id=p["id"], act=p["act"], title=p["title"], limb=Limb(p["limb"]), exemption=p["exemption"],
        test=p["test"], summary=p["summary"], citations=_citations(p["citations"]),
        in_the_alternative_with=tuple(p["in_the_alternative_with"]),
        public_interest=_factors(p["public_interest"]), notice=p["notice"], loc=loc(p))
        for r in records for p in r["provisions"])
    rules = []
    for r in records:
        for rule in r["rules"]:
            then = rule["then"]
            kinds = [k for k in CONCLUSION_KINDS if then.get(k) is not None]
            if len(kinds) != 1:
                problems.append(Problem(then.node.loc, "bad-conclusion",
                                        f"a rule's `then` needs exactly one of {', '.join(CONCLUSION_KINDS)}"
                                        f"; got {', '.join(kinds) or 'none'}",
                                        "split it into several rules" if kinds else
                                        "say what the rule concludes, e.g. `then: {engage: s24(2), harm: would}`"))
                continue
            conclusion = Conclusion(kinds[0], then[kinds[0]], then.get("harm"))
            if conclusion.kind != "engage" and conclusion.harm:
                problems.append(Problem(then.at("harm").loc, "unexpected-harm",
                                        "`harm` goes only with `engage`", "remove it"))
            rules.append(Rule(rule["id"], rule["stage"], rule["when"], conclusion, rule["because"],
                              _citations(rule["citations"]), _factors(rule["public_interest"]),
                              rule["priority"], rule["notice"], loc(rule)))
    return RuleBase(meta, questions, facts, provisions, tuple(rules), digest, root, notice)


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


# ---------------------------------------------------------------- reference checks

def _duplicates(items: Iterable[tuple[str, Location]], what: str) -> list[Problem]:
    seen: dict[str, Location] = {}
    problems = []
    for ident, where in items:
        if ident in seen:
            problems.append(Problem(where, "duplicate-id", f"{what} id '{ident}' is used twice",
                                    f"first defined at {seen[ident]}; rename one"))
        else:
            seen[ident] = where
    return problems


def _check_references(rb: RuleBase) -> list[Problem]:
    problems = _duplicates([(q.id, q.loc) for q in rb.questions] + [(f.id, f.loc) for f in rb.facts],
                           "question/fact")
    problems += _duplicates([(p.id, p.loc) for p in rb.provisions], "provision")
    problems += _duplicates([(r.id, r.loc) for r in rb.rules], "rule")
    names = [q.id for q in rb.questions] + [f.id for f in rb.facts]
    provision_ids = [p.id for p in rb.provisions]
    derived_in: dict[str, set[int]] = {}
    for rule in rb.rules:
        if rule.then.kind == "derive":
            derived_in.setdefault(rule.then.target, set()).add(rule.stage)

    for q in rb.questions:
        problems += _question_problems(rb, q, names, derived_in)
    for fact in rb.facts:
        if fact.id not in derived_in:
            problems.append(Problem(fact.loc, "underived-fact", f"no rule derives fact '{fact.id}'",
                                    "add a rule with `then: {derive: ...}` or remove the fact"))
        elif len(derived_in[fact.id]) > 1:
            problems.append(Problem(fact.loc, "fact-stage-mixed",
                                    f"fact '{fact.id}' is derived by rules of both stages",
                                    "derive it in one stage only"))
    for p in rb.provisions:
        for other in p.in_the_alternative_with:
            if other == p.id:
                problems.append(Problem(p.loc, "unknown-provision",
                                        f"'{p.id}' is cited in the alternative with itself",
                                        "list the other provisions it travels with"))
            elif other not in provision_ids:
                problems.append(Problem(p.loc, "unknown-provision",
                                        f"'{p.id}' is cited in the alternative with unknown provision '{other}'",
                                        did_you_mean(other, provision_ids)))
    if rb.meta.sign_off_given:
        for pid in rb.meta.sign_off:
            if pid not in provision_ids:
                problems.append(Problem(rb.meta.loc, "unknown-provision",
                                        f"`sign_off` names unknown provision '{pid}'",
                                        did_you_mean(pid, provision_ids)))
    for rule in rb.rules:
        problems += _rule_problems(rb, rule, names, provision_ids, derived_in)
    problems += _fact_cycles(rb)
    return problems


def _leaf_problems(rb: RuleBase, cond: c.Condition, names: list[str], reader: str) -> list[Problem]:
    """Unknown names and values of the wrong kind in a condition."""
    problems = []
    for leaf in c.leaves(cond):
        if leaf.name not in names:
            problems.append(Problem(leaf.loc, "unknown-name",
                                    f"{reader} names '{leaf.name}', which is no question or fact",
                                    did_you_mean(leaf.name, names)))
            continue
        values = leaf.values if isinstance(leaf, c.In) else (leaf.value,)
        if rb.has_fact(leaf.name) or rb.question(leaf.name).type == "yes_no":
            for value in values:
                if not isinstance(value, bool):
                    problems.append(Problem(leaf.loc, "bad-value-type",
                                            f"'{leaf.name}' is yes/no, so it cannot equal '{value}'",
                                            "use true or false"))
            continue
        question = rb.question(leaf.name)
        if question.type == "text":
            problems.append(Problem(leaf.loc, "text-in-condition",
                                    f"'{leaf.name}' is a text question; conditions cannot test text",
                                    "make it a yes/no or choice question"))
            continue
        allowed = [ch.value for ch in question.choices]
        for value in values:
            if isinstance(value, bool):
                shown = "yes" if value else "no"
                problems.append(Problem(leaf.loc, "bad-value-type",
                                        f"'{leaf.name}' is a choice question; '{shown}' was read as yes/no",
                                        f"quote it: \"{shown}\"" if shown in allowed else
                                        "expected one of: " + ", ".join(allowed)))
            elif value not in allowed:
                problems.append(Problem(leaf.loc, "unknown-choice",
                                        f"'{value}' is not a choice of '{leaf.name}'",
                                        did_you_mean(value, allowed)))
    return problems


def _question_problems(rb: RuleBase, q: Question, names: list[str],
                       derived_in: dict[str, set[int]]) -> list[Problem]:
    problems = []
    if q.type == "choice" and not q.choices:
        problems.append(Problem(q.loc, "missing-choices", f"choice question '{q.id}' has no choices",
                                "add choices: [{value, label}, ...]"))
    if q.type != "choice" and q.choices:
        problems.append(Problem(q.loc, "unexpected-choices", f"'{q.id}' is {q.type} but has choices",
                                "remove them or make it type: choice"))
    values = [ch.value for ch in q.choices]
    for value in sorted({v for v in values if values.count(v) > 1}):
        problems.append(Problem(q.loc, "duplicate-choice", f"'{q.id}' has the choice value '{value}' twice",
                                "give each choice its own value"))
    if q.reveals_holding and q.stage != 2:
        problems.append(Problem(q.loc, "holding-in-stage-1",
                                f"'{q.id}' reveals whether information is held but is in stage 1",
                                "Stage 1 must be decided without knowing whether information is held: use stage: 2"))
    if q.request_wide and q.reveals_holding:
        problems.append(Problem(q.loc, "request-wide-holding",
                                f"'{q.id}' reveals whether information is held, which differs from part to part",
                                "remove `request_wide`"))
    if q.ask_when is None:
        return problems
    problems += _leaf_problems(rb, q.ask_when, names, f"question '{q.id}'")
    earlier = {other.id for other in rb.questions[: rb.questions.index(q)]}
    for leaf in c.leaves(q.ask_when):
        if rb.has_question(leaf.name) and leaf.name not in earlier:
            problems.append(Problem(leaf.loc, "forward-reference",
                                    f"question '{q.id}' depends on '{leaf.name}', which is not asked before it",
                                    "move the question after the one it depends on"))
        if q.stage == 1 and _is_stage2(rb, leaf.name, derived_in):
            holding = rb.has_question(leaf.name) and rb.question(leaf.name).reveals_holding
            problems.append(Problem(leaf.loc, "stage1-reads-holding" if holding else "stage1-reads-stage2",
                                    f"stage-1 question '{q.id}' depends on stage-2 '{leaf.name}'"
                                    + (", which reveals whether information is held" if holding else ""),
                                    "Stage 1 may only depend on stage-1 questions and facts"))
    return problems


def _is_stage2(rb: RuleBase, name: str, derived_in: dict[str, set[int]]) -> bool:
    if rb.has_question(name):
        return rb.question(name).stage == 2 or rb.question(name).reveals_holding
    return 2 in derived_in.get(name, set())


def _notice_answer_problems(rb: RuleBase, rule: Rule) -> list[Problem]:
    """A rule's `notice` may name text or choice questions, `{qid}`, whose answers (a choice's
    label) fill it in the letter: only of the rule's stage or earlier, never one that reveals holding."""
    try:
        names = placeholders(rule.notice)
    except ValueError as error:
        return [Problem(rule.loc, "bad-placeholder", f"rule '{rule.id}' notice: {error}",
                        "write a literal brace as {{ or }}")]
    problems = []
    for name in sorted(names):
        q = rb.question(name) if rb.has_question(name) else None
        if q is None or q.type == "yes_no" or q.stage > rule.stage or q.reveals_holding:
            texts = [x.id for x in rb.questions if x.type != "yes_no" and x.stage <= rule.stage]
            problems.append(Problem(rule.loc, "bad-placeholder",
                                    f"rule '{rule.id}' notice uses {{{name}}}, which is not a text or choice "
                                    f"question answered by stage {rule.stage}",
                                    did_you_mean(name, texts) or "name a text question, e.g. {statute_named}"))
    return problems


def _rule_problems(rb: RuleBase, rule: Rule, names: list[str], provision_ids: list[str],
                   derived_in: dict[str, set[int]]) -> list[Problem]:
    problems = _leaf_problems(rb, rule.when, names, f"rule '{rule.id}'")
    problems += _notice_answer_problems(rb, rule)
    if rule.stage == 1:
        for leaf in c.leaves(rule.when):
            if leaf.name in names and _is_stage2(rb, leaf.name, derived_in):
                holding = rb.has_question(leaf.name) and rb.question(leaf.name).reveals_holding
                problems.append(Problem(
                    leaf.loc, "stage1-reads-holding" if holding else "stage1-reads-stage2",
                    f"stage-1 rule '{rule.id}' reads '{leaf.name}', a stage-2 "
                    + ("question that reveals whether information is held" if holding else "question or fact"),
                    "Stage 1 (confirm or deny) must be decidable without knowing whether information is held"))
    then = rule.then
    if then.kind == "engage":
        if then.target not in provision_ids:
            problems.append(Problem(rule.loc, "unknown-provision",
                                    f"rule '{rule.id}' engages unknown provision '{then.target}'",
                                    did_you_mean(then.target, provision_ids)))
            return problems
        provision = rb.provision(then.target)
        wrong_stage = {Limb.NCND: 2, Limb.WITHHOLD: 1}.get(provision.limb)
        if rule.stage == wrong_stage:
            problems.append(Problem(rule.loc, "limb-stage",
                                    f"rule '{rule.id}' engages {provision.limb.value} provision "
                                    f"'{provision.id}' in stage {rule.stage}",
                                    "NCND limbs belong to stage 1, withholding limbs to stage 2"))
        if provision.test in HARM_TESTS and not then.harm:
            problems.append(Problem(rule.loc, "missing-harm",
                                    f"'{provision.id}' has a {provision.test.replace('_', ' ')} test, "
                                    f"so rule '{rule.id}' needs `harm`",
                                    "add harm: would or harm: would_be_likely_to"))
        if provision.test not in HARM_TESTS and then.harm:
            problems.append(Problem(rule.loc, "unexpected-harm",
                                    f"'{provision.id}' has a {provision.test} test, which takes no harm level",
                                    "remove `harm`"))
    elif then.kind == "derive" and not rb.has_fact(then.target):
        problems.append(Problem(rule.loc, "unknown-fact", f"rule '{rule.id}' derives undeclared fact '{then.target}'",
                                did_you_mean(then.target, [f.id for f in rb.facts]) or "declare it under `facts:`"))
    elif then.kind == "outcome" and then.target == "not_held" and rule.stage != 2:
        problems.append(Problem(rule.loc, "outcome-stage", f"rule '{rule.id}' gives not_held in stage 1",
                                "whether information is held is a stage-2 matter"))
    elif then.kind == "contradiction" and not (rb.has_question(then.target)
                                               and rb.question(then.target).stage <= rule.stage):
        problems.append(Problem(rule.loc, "unknown-question",
                                f"rule '{rule.id}' names '{then.target}', which is not a question of stage "
                                f"{rule.stage} or earlier",
                                did_you_mean(then.target, [q.id for q in rb.questions]) or
                                "name the question the officer should be asked again"))
    elif then.kind == "block" and any(not rb.has_provision(t) for t in block_targets(then.target)):
        unknown = next(t for t in block_targets(then.target) if not rb.has_provision(t))
        problems.append(Problem(rule.loc, "unknown-provision", f"rule '{rule.id}' blocks unknown '{unknown}'",
                                did_you_mean(unknown, list(BLOCK_SCOPES) + [p.id for p in rb.provisions])
                                or "block ncnd, harm_based, absolute, or provision ids separated by commas"))
    elif then.kind == "block" and rule.stage != 1 and (
            then.target in BLOCK_SCOPES or any(rb.provision(t).limb == Limb.NCND for t in block_targets(then.target))):
        problems.append(Problem(rule.loc, "block-stage", f"rule '{rule.id}' blocks NCND in stage 2",
                                "NCND is decided in stage 1; in stage 2 a rule may block a withholding provision"))
    return problems


def _fact_cycles(rb: RuleBase) -> list[Problem]:
    """Derived facts that depend on themselves."""
    reads: dict[str, set[str]] = {}
    for rule in rb.rules:
        if rule.then.kind == "derive":
            reads.setdefault(rule.then.target, set()).update(
                n for n in c.names(rule.when) if rb.has_fact(n))
    problems = []
    state: dict[str, int] = {}

    def visit(fact: str, path: list[str]) -> None:
        state[fact] = 1
        for nxt in sorted(reads.get(fact, ())):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [fact, nxt]
                problems.append(Problem(rb.fact(nxt).loc, "fact-cycle",
                                        "derived facts depend on each other: " + " -> ".join(cycle),
                                        "break the cycle: a fact cannot depend on itself"))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[fact] = 2

    for fact in sorted(reads):
        if fact not in state:
            visit(fact, [fact])
    return problems
