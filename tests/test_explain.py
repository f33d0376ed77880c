"""Explanations list provisions in statutory order, whatever order the rule files declare them in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import PartAssessment
from ncnd_assistant.decide.explain import _why_not
from ncnd_assistant.render.blocks import not_arising
from ncnd_assistant.render.markdown import part_markdown
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase, section_key
from ncnd_assistant.rulebase.phrasing import describe_failure
from tests.conftest import SHIPPED

# Provisions and rules declared out of statutory order: s31(3), s24(2), s23(5).
RULES = """\
rulebase: {id: order-test, title: Order test, version: 0.0.1, effective: 2026-01-01, regime: foia}
questions:
  - {id: screen, text: Screen?, help: Screen., type: yes_no, stage: 1}
  - {id: q31, text: Law enforcement?, help: s31., type: yes_no, stage: 1, ask_when: {screen: true}}
  - {id: q24, text: National security?, help: s24., type: yes_no, stage: 1, ask_when: {screen: true}}
  - {id: q23, text: Security body?, help: s23., type: yes_no, stage: 1, ask_when: {screen: true}}
  - {id: held, text: Held?, help: Held., type: yes_no, stage: 2, reveals_holding: true}
provisions:
  - {id: s31(3), act: FOIA 2000, title: Law Enforcement, limb: ncnd, exemption: absolute, test: class,
     summary: s31., citations: ["FOIA 2000 s31(3)"]}
  - {id: s24(2), act: FOIA 2000, title: National Security, limb: ncnd, exemption: absolute, test: class,
     summary: s24., citations: ["FOIA 2000 s24(2)"]}
  - {id: s23(5), act: FOIA 2000, title: Security Bodies, limb: ncnd, exemption: absolute, test: class,
     summary: s23., citations: ["FOIA 2000 s23(5)"]}
rules:
  - {id: r31, stage: 1, when: {q31: true}, then: {engage: s31(3)}, because: s31., citations: ["s31(3)"]}
  - {id: r24, stage: 1, when: {q24: true}, then: {engage: s24(2)}, because: s24., citations: ["s24(2)"]}
  - {id: r23, stage: 1, when: {q23: true}, then: {engage: s23(5)}, because: s23., citations: ["s23(5)"]}
"""
STATUTORY = ["s23(5)", "s24(2)", "s31(3)"]


@pytest.fixture
def rb(tmp_path: Path) -> RuleBase:
    (tmp_path / "rulebase.yaml").write_text(RULES, encoding="utf-8")
    return load_rulebase(tmp_path)


def assess(rb: RuleBase, **answers: bool) -> PartAssessment:
    return Assessor(rb, engine="python").assess_part(Part("p", "a part", {**answers, "held": True}))


def test_the_files_declare_the_provisions_out_of_order(rb: RuleBase) -> None:
    assert [p.id for p in rb.provisions] != sorted((p.id for p in rb.provisions), key=section_key)


def test_why_not_is_in_statutory_order(rb: RuleBase) -> None:
    pa = assess(rb, screen=True, q31=False, q24=False, q23=False)
    assert [n.provision for n in pa.explanation.not_engaged] == STATUTORY
    assert all(n.arose for n in pa.explanation.not_engaged)
    markdown = "\n".join(part_markdown(pa))
    why_not = markdown.split("### Why not\n\n")[1]
    assert [line.split(" ")[1] for line in why_not.splitlines() if line.startswith("- ")] == STATUTORY


def test_did_not_arise_is_in_statutory_order(rb: RuleBase) -> None:
    pa = assess(rb, screen=False)
    assert not_arising(pa) == STATUTORY
    assert "Did not arise (their questions did not apply): s23(5), s24(2), s31(3)." in part_markdown(pa)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_cached_why_not_equals_a_fresh_one(data: st.DataObject) -> None:
    rb = load_rulebase(SHIPPED)
    env: dict[str, c.Value] = {}
    for q in rb.questions:
        if q.type == "text" or not data.draw(st.booleans(), label=f"answer {q.id}"):
            continue
        values: list[c.Value] = [True, False] if q.type == "yes_no" else [ch.value for ch in q.choices]
        env[q.id] = data.draw(st.sampled_from(values), label=q.id)
    for rule in rb.rules:
        failed = c.first_failure(rule.when, env)
        fresh = None if failed is None else (describe_failure(rb, failed, env),
                                             all(n in env for n in c.names(failed)))
        assert _why_not(rb, rule, env) == fresh
        assert _why_not(rb, rule, env) == fresh  # and again, from the cache
