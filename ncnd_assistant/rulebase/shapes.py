"""The shape of every rule file, declared once: `RULE_FILE` and the sections it may hold
(`rulebase:`, `questions:`, `facts:`, `provisions:`, `rules:`, `notice:`).

The loader validates each file against these shapes; `checks.json_schema` turns the same
declarations into the editor schema, so the two cannot drift apart.
"""

from __future__ import annotations

from ncnd_assistant.rulebase.condition_schema import ConditionSpec
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import HARM_LEVELS, QUESTION_TYPES, Limb
from ncnd_assistant.rulebase.notice_text import NOTICE_PLACEHOLDERS, NoticeText
from ncnd_assistant.rulebase.schema import NAME, NAME_HINT, Bool, Date, Field, Int, ListOf, Obj, Str, StrOrObj

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
    "carries": Field(Str(pattern=NAME, pattern_hint=NAME_HINT), required=False, default="",
                     doc="an earlier-stage question asking the same fact: its answer is carried over, "
                         "shown and changeable in review, instead of asking twice"),
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
CONCLUSION_KINDS = tuple(ConclusionKind)
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
