"""The seed (WMP 16883_18) as a golden case: not held for overt use, NCND s24(2)+s31(3) for covert."""

from __future__ import annotations

import io
import json

from rich.console import Console

from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import Assessment
from ncnd_assistant.decide.serialize import assessment_record
from ncnd_assistant.engine.compiler import compile_rulebase
from ncnd_assistant.render.markdown import assessment_markdown
from ncnd_assistant.render.text import render_assessment
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import SEED, check_golden


def seed_assessment(rb: RuleBase, assessor: Assessor) -> Assessment:
    return assessor.assess(load_request(SEED, rb))


def test_the_seed_gives_not_held_and_ncnd_under_s24_2_and_s31_3(shipped: RuleBase,
                                                                   shipped_assessor: Assessor) -> None:
    a = seed_assessment(shipped, shipped_assessor)
    outcomes = {p.part.id: p.outcome for p in a.parts}
    assert outcomes == {"overt": Outcome.NOT_HELD, "covert": Outcome.NCND}
    covert = next(p for p in a.parts if p.outcome is Outcome.NCND)
    assert [c.provision.id for c in covert.decision.cited] == ["s24(2)", "s31(3)"]
    harms = {c.provision.id: c.harm for c in covert.decision.cited}
    assert harms == {"s24(2)": None, "s31(3)": "would"}, "s31(3) is prejudice-based; s24(2)'s test has no level"
    pi = covert.decision.public_interest
    assert pi is not None and pi.for_ and pi.against and pi.balance is not None
    assert pi.balance.value == "maintain"
    assert a.held_invariant and a.held_invariance == {"covert": True}
    assert covert.explanation.fired and all(f.citations for f in covert.explanation.fired)


def test_the_seed_json_matches_its_golden_file(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    record = assessment_record(seed_assessment(shipped, shipped_assessor))
    record["rulebase"]["digest"] = "<digest>"  # the rule base evolves; the decision must not
    record["tool"]["version"] = "<version>"
    check_golden("seed.json", json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def test_the_seed_text_and_markdown_match_their_golden_files(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    a = seed_assessment(shipped, shipped_assessor)
    console = Console(file=io.StringIO(), width=100, color_system=None, record=True)
    console.print(render_assessment(a))
    text = console.export_text().replace(shipped.digest[:19], "<digest>")
    check_golden("seed.txt", text)
    check_golden("seed.md", assessment_markdown(a).replace(shipped.digest, "<digest>"))


def test_the_compiled_shipped_rule_base_matches_its_golden_file(shipped: RuleBase) -> None:
    compiled = json.loads(compile_rulebase(shipped).to_json())
    compiled["digest"] = "<digest>"
    check_golden("compiled-foia.json", json.dumps(compiled, indent=2, sort_keys=True) + "\n")
