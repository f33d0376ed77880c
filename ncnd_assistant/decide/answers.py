"""Answers files: a request's case details and, per part, the answers given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import date
from pathlib import Path
from typing import Any, assert_never

from ncnd_assistant.errors import AnswersError, Location, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.hints import cut, did_you_mean
from ncnd_assistant.rulebase.kinds import QuestionType
from ncnd_assistant.rulebase.loader import shipped_rules_dir
from ncnd_assistant.rulebase.model import Question, RuleBase
from ncnd_assistant.rulebase.schema import (
    INVALID,
    NAME,
    NAME_HINT,
    AnyValue,
    Date,
    Field,
    Int,
    ListOf,
    MapOf,
    Obj,
    Record,
    Str,
)
from ncnd_assistant.rulebase.yamlsource import BROKEN, YNode, display_path, parse_file

ANSWERED, ANY_OTHER = "answered", "any_other_information"
PORTION = Obj("a portion of a part", {
    "id": Field(Str(pattern=NAME, pattern_hint=NAME_HINT)),
    "summary": Field(Str(), doc="which of the part's information this portion is, e.g. names of junior staff"),
    "answers": Field(MapOf(AnyValue()), doc="Stage-2 answers for this portion, over the part's own"),
})
PART_KINDS = (ANSWERED, ANY_OTHER)
PART = Obj("a part", {
    "id": Field(Str(pattern=NAME, pattern_hint=NAME_HINT)),
    "summary": Field(Str(), doc="what this part of the request asks, in a few words"),
    "answers": Field(MapOf(AnyValue()), required=False, default={}),
    "tags": Field(ListOf(Str(pattern=r"[a-z0-9][a-z0-9-]*", pattern_hint="lower case words joined by hyphens")),
                  required=False, default=[], doc="topic tags, to compare with earlier decisions"),
    "fallback_for": Field(Str(pattern=NAME, pattern_hint=NAME_HINT), required=False, default="",
                          doc="the id of a part this one replaces if that part is refused on cost (s12): the "
                              "requester's fallback, e.g. 'or, if too costly, only 2024'"),
    "portions": Field(ListOf(PORTION, min_items=2), required=False,
                      doc="portions of the part's information answered differently at Stage 2 (for example "
                          "disclosed with junior staff names withheld under s40(2)); Stage 1 is the part's"),
    "kind": Field(Str(choices=PART_KINDS), required=False, default=ANSWERED,
                  doc="answered (the default), or any_other_information: the protective 'neither confirm nor "
                      "deny' for any other (for example covert) information within the request"),
    "questions": Field(ListOf(Int()), required=False, default=[],
                       doc="the numbered questions of the request this part answers, e.g. [1, 2]; the letter "
                           "says so (\"This is our response to questions 1 and 2\")"),
    "regime": Field(Str(choices=("foia", "eir", "foisa")), required=False, default="",
                    doc="the law this part is answered under, when not the request's: only `eir` in a `foia` "
                        "request (environmental information, FOIA s39); its answers are read against the EIR "
                        "rule base's questions"),
})
REQUESTER = Obj("the requester", {
    "name": Field(Str(), required=False, default="", doc="the requester's name, for the letter's address block"),
    "address": Field(Str(), required=False, default="",
                     doc="the requester's postal or email address (lines separated by new lines)"),
})
ANSWERS_FILE = Obj("an answers file", {
    "case_ref": Field(Str(), doc="the request's reference"),
    "regime": Field(Str(choices=("foia", "eir", "foisa")), required=False, default="foia"),
    "request": Field(Str(), required=False, default="", doc="the request text as received"),
    "received": Field(Date(), required=False),
    "officer": Field(Str(), required=False, default=""),
    "requester": Field(REQUESTER, required=False,
                       doc="who asked (optional): goes into the letter only; never used to match precedent, "
                           "and masked in exports"),
    "parts": Field(ListOf(PART, min_items=1)),
})

REGIME_NAMES = {
    "foia": "the Freedom of Information Act 2000 (FOIA)",
    "eir": "the Environmental Information Regulations 2004 (EIR)",
    "foisa": "the Freedom of Information (Scotland) Act 2002 (FOISA)",
}

PART_REGIMES: dict[str, tuple[str, ...]] = {"foia": ("eir",)}  # the part regimes each request regime allows

YES = ("yes", "y", "true")
NO = ("no", "n", "false")


@dataclass(frozen=True)
class Part:
    """One part of a request, assessed on its own."""

    id: str
    summary: str
    answers: dict[str, Value]
    locations: dict[str, Location] = field(default_factory=dict, compare=False)
    loc: Location = field(default=Location("<answers>"), compare=False)
    tags: tuple[str, ...] = ()
    kind: str = ANSWERED  # or ANY_OTHER: NCND for any other information in the request
    fallback_for: str = ""  # the part this one replaces if that part is refused on cost (s12)
    portion_of: str = ""  # for a portion: the id of its part (whose heading it is answered under)
    part_summary: str = ""  # for a portion: its part's summary
    questions: tuple[int, ...] = ()  # the request's numbered questions this part answers
    regime: str = ""  # the law the part is answered under when not the request's ("eir" in a FOIA request)


@dataclass(frozen=True)
class Request:
    case_ref: str
    parts: tuple[Part, ...]
    regime: str = "foia"
    request: str = ""
    received: date | None = None
    officer: str = ""
    requester_name: str = ""  # optional, for the letter only (never for precedent)
    requester_address: str = ""


def coerce(question: Question, raw: Any) -> Value | None:
    """An answer in the question's own type, or None when it does not fit."""
    match question.type:
        case QuestionType.YES_NO:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in YES + NO:
                return raw.strip().lower() in YES
            return None
        case QuestionType.CHOICE:
            return _choice(question, raw)
        case QuestionType.TEXT:
            if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) and str(raw).strip():
                return str(raw)
            return None
        case _:
            assert_never(question.type)


def _choice(question: Question, raw: Any) -> str | None:
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if not isinstance(raw, (str, int)):
        return None
    text = str(raw).strip()
    for choice in question.choices:
        if text in (choice.value, choice.label) or text.lower() == choice.label.lower():
            return choice.value
    return None


def expected(question: Question) -> str:
    match question.type:
        case QuestionType.YES_NO:
            return "yes or no"
        case QuestionType.CHOICE:
            return "one of: " + ", ".join(ch.value for ch in question.choices)
        case QuestionType.TEXT:
            return "some text"
        case _:
            assert_never(question.type)


def check_answers(rb: RuleBase, answers: dict[str, YNode]) -> tuple[dict[str, Value], list[Problem]]:
    """Answers typed by their questions; unknown ids and misfits become problems."""
    ids = [q.id for q in rb.questions]
    values: dict[str, Value] = {}
    problems: list[Problem] = []
    for qid, node in answers.items():
        if not rb.has_question(qid):
            hint = did_you_mean(qid, ids)
            what = "a derived fact, which the rules work out" if rb.has_fact(qid) else "no question"
            problems.append(Problem(node.loc, "unknown-question", f"'{qid}' is {what}", hint))
            continue
        question = rb.question(qid)
        if node.value is BROKEN:
            continue  # already reported when the YAML was read
        value = coerce(question, node.value)
        if value is None:
            problems.append(Problem(node.loc, "bad-answer",
                                    f"'{qid}' must be {expected(question)}, got {cut(repr(node.value))}",
                                    did_you_mean(cut(str(node.value)), [ch.value for ch in question.choices])))
            continue
        values[qid] = value
    return values, problems


def regime_problem(rb: RuleBase, regime: str, loc: Location) -> Problem | None:
    """A problem when a request under `regime` is given to a rule base serving another regime."""
    if regime == rb.meta.regime:
        return None
    found = shipped_rules_dir(regime)
    shipped = display_path(found) if found is not None else None
    return Problem(loc, "wrong-regime",
                   f"this request is under {REGIME_NAMES.get(regime, regime)} ('regime: {regime}'), but the rule base "
                   f"{rb.meta.id} {rb.meta.version} serves {REGIME_NAMES.get(rb.meta.regime, rb.meta.regime)}: "
                   f"it would give a {rb.meta.regime.upper()} answer, letter and complaint route",
                   f"the shipped {regime.upper()} rule base is {shipped}: leave out --rules (and NCND_RULES) to use "
                   f"it, or pass --rules {shipped}" if shipped is not None else
                   f"pass --rules DIR (or set NCND_RULES) to a rule base whose `rulebase: regime:` is '{regime}'; "
                   f"none is shipped for '{regime}' yet")



@dataclass(frozen=True)
class AnswersFile:
    """An answers file read once (so a pipe works too), before a rule base is chosen for it."""

    path: Path
    node: YNode | None
    problems: tuple[Problem, ...]

    @property
    def regime(self) -> str:
        """The `regime:` it declares (foia when absent or unreadable); checked in `load_request`."""
        if self.node is None or not isinstance(self.node.value, dict):
            return "foia"
        value = getattr(self.node.value.get("regime"), "value", None)
        return value if isinstance(value, str) and value in REGIME_NAMES else "foia"


MAX_PARTS = 1000  # parts in one answers file; each is decided on its own


def read_answers(path: Path) -> AnswersFile:
    """Read an answers file; YAML problems and too many parts are kept for `load_request`."""
    problems: list[Problem] = []
    node = parse_file(path, str(path), problems)
    parts = node.value.get("parts") if node is not None and isinstance(node.value, dict) else None
    if parts is not None and isinstance(parts.value, list) and len(parts.value) > MAX_PARTS:
        problems.append(Problem(parts.loc, "too-many-parts",
                                f"the file has {len(parts.value):,} parts, more than the limit of {MAX_PARTS:,}",
                                "split the request into several answers files"))
        node = None  # not read further: deciding so many parts would take too long
    return AnswersFile(path, node, tuple(problems))


def load_request(source: Path | AnswersFile, rb: RuleBase, others: Mapping[str, RuleBase] | None = None) -> Request:
    """Read an answers file (or use one already read); raise `AnswersError` listing every problem.

    `others` gives the rule base of each other regime a part may declare (`regime: eir`); without
    it such a part is a problem (`mixed-unsupported`)."""
    answers = source if isinstance(source, AnswersFile) else read_answers(source)
    path, node, problems = answers.path, answers.node, list(answers.problems)
    if node is None:
        if not problems:
            problems.append(Problem(Location(str(path), 1, 1), "empty-file", "the answers file is empty",
                                    "see examples/wmp-16883-18.yaml"))
        raise AnswersError(f"cannot read answers file {path}", problems)
    record = ANSWERS_FILE.check(node, problems, "the file")
    if record is INVALID:
        raise AnswersError(f"{len(problems)} problem(s) in {path}", problems)
    wrong = regime_problem(rb, record["regime"], record.at("regime").loc)
    if wrong is not None:  # the answers would be read against another regime's questions
        raise AnswersError(f"{path} is a '{record['regime']}' request, not '{rb.meta.regime}'", [wrong])
    request = request_from_record(rb, record, problems, others)
    if problems:
        raise AnswersError(f"{len(problems)} problem(s) in {path}", problems)
    return request


def part_regime(record: Record, part: Record, others: Mapping[str, RuleBase] | None,
                problems: list[Problem]) -> str | None:
    """A part's own `regime:` ("" for the request's); None, with a problem, if the request's regime does
    not allow it (`part-regime`) or no rule base was given for it (`mixed-unsupported`)."""
    regime, request = part["regime"], record["regime"]
    if not regime or regime == request:
        return ""
    loc = part.at("regime").loc
    if regime not in PART_REGIMES.get(request, ()):
        scottish = " (a FOISA request's environmental information is under the Environmental Information " \
                   "(Scotland) Regulations 2004, which this tool does not model)" if request == "foisa" else ""
        problems.append(Problem(loc, "part-regime",
                                f"a part of a '{request}' request cannot be answered under '{regime}'{scottish}",
                                "only `regime: eir` inside a `regime: foia` request is allowed: remove the part's "
                                "`regime:` or answer that part in a request of its own"))
        return None
    if others is None or regime not in others:
        problems.append(Problem(loc, "mixed-unsupported",
                                f"this part is under '{regime}', and this command reads a request under one law only",
                                "use `ncnd decide`, which answers a mixed FOIA and EIR request, or put the part "
                                "in a request of its own"))
        return None
    return str(regime)


def request_from_record(rb: RuleBase, record: Record, problems: list[Problem],
                        others: Mapping[str, RuleBase] | None = None) -> Request:
    """The request of a checked answers-file record (or of a file with the same keys and more),
    its answers typed by their questions (a part with its own `regime:` by that regime's rule base in
    `others`); problems are added to `problems`."""
    wrong = regime_problem(rb, record["regime"], record.at("regime").loc)
    if wrong is not None:
        problems.append(wrong)
    parts = []
    seen: set[str] = set()
    for part in record["parts"]:
        if part["id"] in seen:
            problems.append(Problem(part.node.loc, "duplicate-id", f"part id '{part['id']}' is used twice",
                                    "give each part its own id"))
        seen.add(part["id"])
        regime = part_regime(record, part, others, problems)
        if regime is None:
            continue  # its answers are for a rule base this request cannot have: not read
        own_rb = others[regime] if regime and others is not None else rb
        values, found = check_answers(own_rb, part["answers"])
        problems.extend(found)
        locations = {k: n.loc for k, n in part["answers"].items()}
        numbers = _question_numbers(part, problems)
        if not part["portions"]:
            parts.append(Part(part["id"], part["summary"], values, locations, part.node.loc, tuple(part["tags"]),
                              part["kind"], part["fallback_for"], questions=numbers, regime=regime))
            continue
        for portion in part["portions"]:
            own, found = check_answers(own_rb, portion["answers"])
            problems.extend(found)
            for qid in own:
                if own_rb.question(qid).stage != 2:
                    problems.append(Problem(portion["answers"][qid].loc, "portion-stage-1",
                                            f"portion '{portion['id']}' answers '{qid}', a Stage-1 question",
                                            "whether to confirm or deny is decided for the whole part: give "
                                            "Stage-1 answers under the part's `answers`"))
            parts.append(Part(f"{part['id']}.{portion['id']}", portion["summary"], {**values, **own},
                              {**locations, **{k: n.loc for k, n in portion["answers"].items()}},
                              portion.node.loc, tuple(part["tags"]), part["kind"], part["fallback_for"],
                              part["id"], part["summary"], numbers, regime))
    ids = {p.id for p in parts}
    for part in parts:
        if part.fallback_for and (part.fallback_for not in ids or part.fallback_for == part.id):
            problems.append(Problem(part.loc, "unknown-part",
                                    f"part '{part.id}' is a fallback for '{part.fallback_for}', which is not another "
                                    "part of this request", did_you_mean(part.fallback_for, sorted(ids - {part.id}))))
        elif part.fallback_for and part.regime != next(p.regime for p in parts if p.id == part.fallback_for):
            problems.append(Problem(part.loc, "part-regime",
                                    f"part '{part.id}' is a fallback for '{part.fallback_for}', which is answered "
                                    "under another law (a fallback replaces its part if that part is refused on "
                                    "cost: FOIA s12 has no EIR counterpart)",
                                    "give the fallback the same `regime:` as the part it replaces"))
    requester = record.get("requester")
    return Request(record["case_ref"], tuple(parts), record["regime"], record["request"],
                   record.get("received"), record["officer"],
                   requester["name"].strip() if requester else "", requester["address"].strip() if requester else "")


def _question_numbers(part: Record, problems: list[Problem]) -> tuple[int, ...]:
    """A part's `questions:`, each a question number from 1 (a problem for any other)."""
    numbers = list(part["questions"])
    given = part.at("questions").value
    for number, node in zip(numbers, given if isinstance(given, list) else [], strict=False):
        if number < 1:
            problems.append(Problem(node.loc, "bad-value", f"question number {number} is not a question of the "
                                                           "request", "number the request's questions from 1"))
    return tuple(sorted({n for n in numbers if n >= 1}))
