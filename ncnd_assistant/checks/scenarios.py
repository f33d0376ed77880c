"""Scenario tests kept beside the rules (`scenarios/*.yaml`), run by pytest and `ncnd rules test`."""

from __future__ import annotations

import re
from pathlib import Path

from ncnd_assistant.checks.check_cache import scenario_files as scenario_files  # also read here by tests
from ncnd_assistant.decide.answers import Part, check_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.errors import AnswersError, ContradictionError, Location, NcndError, Problem, RuleBaseError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.hints import did_you_mean
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.rulebase.schema import INVALID, AnyValue, Field, ListOf, MapOf, Obj, Record, Str
from ncnd_assistant.rulebase.yamlsource import YNode, display_path, parse_file

EXPECT = Obj("expect", {
    "outcome": Field(Str(choices=tuple(o.value for o in Outcome)), required=False,
                     doc="the expected outcome (required unless `contradiction` is given)"),
    "provisions": Field(ListOf(Str()), required=False, default=[]),
    "contradiction": Field(Str(), required=False,
                           doc="the question a contradiction rule names: the answers contradict each other"),
})
CONTRADICTION = "contradiction"  # the result of a scenario whose answers contradict each other
SCENARIO_PART = Obj("a part of a scenario", {
    "id": Field(Str(), doc="the part's short name"),
    "summary": Field(Str(), required=False, default=""),
    "answers": Field(MapOf(AnyValue())),
    "expect": Field(EXPECT),
})
SCENARIO = Obj("a scenario", {
    "name": Field(Str(), doc="a sentence saying what the case shows"),
    "answers": Field(MapOf(AnyValue()), required=False, doc="a one-part scenario's answers"),
    "expect": Field(EXPECT, required=False, doc="a one-part scenario's expected result"),
    "parts": Field(ListOf(SCENARIO_PART, min_items=2), required=False,
                   doc="a request of several parts, each with its answers and expected result "
                       "(instead of `answers` and `expect`)"),
})
SCENARIO_FILE = Obj("a scenario file", {
    "defaults": Field(MapOf(AnyValue()), required=False, default={},
                      doc="answers every scenario (and part) in the file inherits; a scenario's own answers "
                          "override them, so each case shows only what makes it different"),
    "scenarios": Field(ListOf(SCENARIO, min_items=1)),
})


@dataclass(frozen=True)
class Scenario:
    name: str
    part: Part
    outcome: str
    provisions: tuple[str, ...]
    loc: Location

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    passed: bool
    outcome: str
    provisions: tuple[str, ...]
    fired: tuple[str, ...]
    asked: tuple[str, ...]
    message: str = ""
    assessed: PartAssessment | None = None  # the assessment, when the part could be decided


def load_scenarios(rules_dir: Path, rb: RuleBase) -> list[Scenario]:
    """Every scenario under `rules_dir/scenarios`; raise `RuleBaseError` on any problem."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for path in scenario_files(rules_dir):
        node = parse_file(path, display_path(path), problems)
        if node is None:
            continue
        record = SCENARIO_FILE.check(node, problems, "the file")
        if record is INVALID:
            continue
        for item in record["scenarios"]:
            one_part = item["answers"] is not None and item["expect"] is not None
            if one_part == (item["parts"] is not None):
                problems.append(Problem(item.node.loc, "bad-scenario",
                                        f"scenario '{item['name']}' needs either `answers` and `expect`, or `parts`",
                                        "give a one-part scenario `answers` and `expect`, a request of several "
                                        "parts a `parts` list"))
                continue
            parts = [(item, "scenario", item["name"])] if one_part else [
                (p, p["id"], f"{item['name']} (part '{p['id']}'{': ' + p['summary'] if p['summary'] else ''})")
                for p in item["parts"]]
            for source, pid, name in parts:
                scenarios.append(_scenario(rb, source, pid, name, problems, record["defaults"]))
    if problems:
        raise RuleBaseError(f"{len(problems)} problem(s) in the scenarios", problems)
    return scenarios


def _scenario(rb: RuleBase, source: Record, pid: str, name: str, problems: list[Problem],
              defaults: dict[str, YNode] | None = None) -> Scenario:
    """One part to assess: its checked answers (over the file's `defaults`) and expected outcome
    and provisions."""
    answers, found = check_answers(rb, {**(defaults or {}), **source["answers"]})
    problems.extend(found)
    expect = source["expect"]
    if (expect["outcome"] is None) == (expect["contradiction"] is None):
        problems.append(Problem(expect.node.loc, "bad-scenario", f"scenario '{name}' needs exactly one of "
                                "`outcome` and `contradiction` under `expect`",
                                "expect an outcome, or the question a contradiction rule names"))
    elif expect["contradiction"] is not None and not rb.has_question(expect["contradiction"]):
        problems.append(Problem(expect.node.loc, "unknown-question",
                                f"scenario expects a contradiction on unknown question '{expect['contradiction']}'",
                                did_you_mean(expect["contradiction"], [q.id for q in rb.questions])))
    for provision in expect["provisions"]:
        if provision not in {p.id for p in rb.provisions}:
            problems.append(Problem(expect.node.loc, "unknown-provision",
                                    f"scenario expects unknown provision '{provision}'", ""))
    part = Part(pid, name, answers, loc=source.node.loc)
    outcome = expect["outcome"] or f"{CONTRADICTION}:{expect['contradiction']}"
    return Scenario(name, part, outcome, tuple(sorted(expect["provisions"])), source.node.loc)


def run_scenario(assessor: Assessor, scenario: Scenario) -> ScenarioResult:
    """Assess the scenario; for NCND also with the held answer flipped both ways."""
    try:
        pa = assessor.assess_part(scenario.part)
    except ContradictionError as error:
        got = f"{CONTRADICTION}:{error.question}"
        ok = got == scenario.outcome
        message = "" if ok else f"expected {scenario.outcome}, got a contradiction: {error.problems[0].message}"
        return ScenarioResult(scenario, ok, got, (), error.fired, (), message)
    except (AnswersError, NcndError) as error:
        details = "; ".join(p.message for p in getattr(error, "problems", [])) or str(error)
        return ScenarioResult(scenario, False, "error", (), (), (), f"{error}: {details}")
    provisions = tuple(sorted(c.provision.id for c in pa.decision.cited))
    ok = pa.outcome.value == scenario.outcome and provisions == scenario.provisions
    message = "" if ok else (f"expected {scenario.outcome} {list(scenario.provisions)}, "
                             f"got {pa.outcome.value} {list(provisions)}")
    if ok and pa.outcome == Outcome.NCND and not assessor.held_invariant(scenario.part):
        ok, message = False, "the NCND result changes when whether information is held changes"
    return ScenarioResult(scenario, ok, pa.outcome.value, provisions, pa.fired, pa.asked, message, pa)


def select(scenarios: list[Scenario], pattern: str | None) -> list[Scenario]:
    if not pattern:
        return scenarios
    return [s for s in scenarios if pattern.lower() in s.name.lower() or pattern.lower() in s.slug]
