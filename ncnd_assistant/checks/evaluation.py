"""The evaluation set: real, published decisions as answers files, with the final legal position
per part, and how far the rule base agrees with them.

Each file in the set is an answers file with two additions: a `decision` block (the citation,
source address, deciding body, a summary, whether NCND was found wrongly used) and, per part, the
authority's position and the final position (outcome and limbs). The answers are written from the
facts the authority knew; the rule base is run on them and compared with the final position.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ncnd_assistant.decide.answers import ANSWERS_FILE, PART, Request, request_from_record
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import AnswersError, Location, NcndError, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.model import Outcome
from ncnd_assistant.rulebase.schema import INVALID, Bool, Date, Field, ListOf, Obj, Str
from ncnd_assistant.rulebase.yamlsource import display_path, parse_file

CONFIRM_OR_DENY = "confirm_or_deny"  # a final position that only requires the authority to confirm or deny
POSITION_OUTCOMES = tuple(o.value for o in Outcome) + (CONFIRM_OR_DENY,)
BODIES = ("ico", "ftt", "ut", "authority", "sic", "court")
POSITION = Obj("a position", {
    "outcome": Field(Str(choices=POSITION_OUTCOMES)),
    "provisions": Field(ListOf(Str()), required=False, default=[]),
})
DECISION = Obj("a decision", {
    "citation": Field(Str(), doc="how the decision is cited"),
    "url": Field(Str(pattern=r"https?://\S+", pattern_hint="a web address"), doc="where it was read"),
    "body": Field(Str(choices=BODIES)),
    "date": Field(Date(), required=False),
    "authority": Field(Str(), required=False, default=""),
    "summary": Field(Str()),
    "ncnd_wrongly_used": Field(Bool(), doc="the ICO or a tribunal found NCND was wrongly relied on"),
})
CASE_PART = Obj("a part of an evaluated decision", {
    **PART.fields,
    "authority_position": Field(POSITION, doc="what the authority answered"),
    "final_position": Field(POSITION, doc="the final legal position (the ICO's or the tribunal's)"),
    "notes": Field(Str(), required=False, default=""),
})
CASE_FILE = Obj("an evaluated decision", {
    **{k: f for k, f in ANSWERS_FILE.fields.items() if k != "parts"},
    "decision": Field(DECISION),
    "parts": Field(ListOf(CASE_PART, min_items=1)),
})


@dataclass(frozen=True)
class Position:
    outcome: str
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One evaluated decision."""

    path: Path
    request: Request
    citation: str
    url: str
    body: str
    ncnd_wrongly_used: bool
    authority: dict[str, Position]  # by part id
    final: dict[str, Position]


@dataclass(frozen=True)
class PartResult:
    case: Case
    part: str
    tool: Position | None  # None: the tool could not decide (the message says why)
    message: str = ""

    @property
    def final(self) -> Position:
        return self.case.final[self.part]

    @property
    def authority(self) -> Position:
        return self.case.authority[self.part]

    @property
    def outcome_agrees(self) -> bool:
        if self.tool is None:
            return False
        if self.final.outcome == CONFIRM_OR_DENY:  # any answer that says whether it is held
            return self.tool.outcome in (Outcome.NOT_HELD, Outcome.WITHHOLD, Outcome.DISCLOSE)
        return self.tool.outcome == self.final.outcome

    @property
    def limbs_exact(self) -> bool:
        return self.tool is not None and set(self.tool.provisions) == set(self.final.provisions)

    @property
    def limbs_covered(self) -> bool:
        """Every limb of the final position is cited (the tool may cite more)."""
        return self.tool is not None and set(self.final.provisions) <= set(self.tool.provisions)

    @property
    def ncnd_wrongly_used(self) -> bool:
        """The authority neither confirmed nor denied, and the final position is that it should not have."""
        return self.authority.outcome == Outcome.NCND and self.final.outcome != Outcome.NCND


@dataclass(frozen=True)
class Totals:
    parts: int
    decided: int
    outcome_agree: int
    with_limbs: int  # parts whose final position rests on limbs
    limbs_exact: int
    limbs_covered: int
    wrongly_used: int
    wrongly_used_caught: int

    @staticmethod
    def of(results: Sequence[PartResult]) -> Totals:
        limbed = [r for r in results if r.final.provisions]
        wrong = [r for r in results if r.ncnd_wrongly_used]
        return Totals(len(results), sum(r.tool is not None for r in results),
                      sum(r.outcome_agrees for r in results), len(limbed),
                      sum(r.limbs_exact for r in limbed), sum(r.limbs_covered for r in limbed), len(wrong),
                      sum(r.tool is not None and r.tool.outcome != Outcome.NCND for r in wrong))


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.y*ml") if p.is_file())


def load_case(path: Path, assessor: Assessor) -> Case:
    """Read one evaluated decision; raise `AnswersError` listing every problem."""
    rb = assessor.rulebase
    problems: list[Problem] = []
    node = parse_file(path, display_path(path), problems)
    record = CASE_FILE.check(node, problems, "the file") if node is not None else INVALID
    if record is INVALID:
        if not problems:
            problems.append(Problem(Location(display_path(path), 1, 1), "empty-file", "the file is empty", ""))
        raise AnswersError(f"{len(problems)} problem(s) in {path}", problems)
    request = request_from_record(rb, record, problems)
    if problems:
        raise AnswersError(f"{len(problems)} problem(s) in {path}", problems)
    decision = record["decision"]

    def position(p: dict[str, object], key: str) -> Position:
        value = p[key]
        return Position(value["outcome"], tuple(value["provisions"]))  # type: ignore[index]
    return Case(path, request, decision["citation"], decision["url"], decision["body"],
                decision["ncnd_wrongly_used"],
                {p["id"]: position(p, "authority_position") for p in record["parts"]},
                {p["id"]: position(p, "final_position") for p in record["parts"]})


def evaluate_case(assessor: Assessor, case: Case) -> list[PartResult]:
    """Run every part of the case through the rule base."""
    results = []
    for part in case.request.parts:
        try:
            pa = assessor.assess_part(part)
        except NcndError as error:
            problems = getattr(error, "problems", [])
            detail = "; ".join(f"{p.code}: {p.message}" for p in problems[:3]) or str(error)
            results.append(PartResult(case, part.id, None, detail))
            continue
        results.append(PartResult(case, part.id, Position(
            pa.outcome.value, tuple(sorted(c.provision.id for c in pa.decision.cited)))))
    return results


def evaluate(assessor: Assessor, folder: Path) -> tuple[list[PartResult], list[Problem]]:
    """Every case under `folder`: the results per part, and the problems of files that could not be read."""
    results: list[PartResult] = []
    problems: list[Problem] = []
    for path in case_files(folder):
        try:
            case = load_case(path, assessor)
        except AnswersError as error:
            problems.extend(error.problems)
            continue
        results.extend(evaluate_case(assessor, case))
    return results, problems


def percent(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "n/a"


def _pos(p: Position | None) -> str:
    if p is None:
        return "(undecided)"
    return p.outcome + (f" {', '.join(p.provisions)}" if p.provisions else "")


def markdown_table(results: Sequence[PartResult], root: Path | None = None) -> str:
    """The agreement table, one row per part, with the decision's citation and source address."""
    lines = ["| decision | part | authority | final position | tool | outcome | limbs |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        limbs = ("exact" if r.limbs_exact else "covered" if r.limbs_covered else "missing") \
            if r.final.provisions and r.tool is not None else "-"
        cite = f"[{r.case.citation.replace('|', '/')}]({r.case.url}) ({r.case.request.case_ref})"
        lines.append(f"| {cite} | {r.part} | {_pos(r.authority)} | {_pos(r.final)} | {_pos(r.tool)} | "
                     f"{'agrees' if r.outcome_agrees else '**differs**'} | {limbs} |")
    return "\n".join(lines) + "\n"


def totals_lines(t: Totals, cases: int) -> list[str]:
    return [
        f"- Decisions: {cases}; parts: {t.parts}; decided by the tool: {t.decided}.",
        f"- Outcome agreement: {t.outcome_agree}/{t.parts} parts ({percent(t.outcome_agree, t.parts)}).",
        f"- Limbs, parts whose final position rests on limbs: every limb cited (covered) "
        f"{t.limbs_covered}/{t.with_limbs} ({percent(t.limbs_covered, t.with_limbs)}); exactly the same limbs "
        f"{t.limbs_exact}/{t.with_limbs} ({percent(t.limbs_exact, t.with_limbs)}).",
        f"- NCND wrongly used (the authority neither confirmed nor denied, the final position differs): "
        f"caught {t.wrongly_used_caught}/{t.wrongly_used} ({percent(t.wrongly_used_caught, t.wrongly_used)}).",
    ]
