"""The durable-rules adapter: agreement with the Python evaluator, chaining, limits, errors."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncnd_assistant.engine.compiler import (
    MAX_ALPHA_STACK,
    MAX_RULES_PER_RULESET,
    AlphaTrie,
    compile_rulebase,
    domains,
    expression,
    layers,
    paths,
)
from ncnd_assistant.engine.durable import DurableEngine
from ncnd_assistant.engine.evaluator import PythonEngine
from ncnd_assistant.errors import EngineError, RuleBaseError
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType, Stage
from ncnd_assistant.rulebase.model import (
    Choice,
    Citation,
    Conclusion,
    Fact,
    Limb,
    Meta,
    Provision,
    Question,
    Rule,
    RuleBase,
)

CITE = (Citation("test"),)
META = Meta("t", "test", "0", date(2026, 1, 1), "foia")
QUESTIONS = (
    Question("a", "A?", "h", QuestionType.YES_NO, Stage(1)),
    Question("b", "B?", "h", QuestionType.YES_NO, Stage(1)),
    Question("k", "K?", "h", QuestionType.CHOICE, Stage(1), (Choice("x", "X"), Choice("y", "Y"), Choice("z", "Z"))),
    Question("m", "M?", "h", QuestionType.CHOICE, Stage(1), (Choice("p", "P"), Choice("q", "Q"))),
)
DOMAINS: dict[str, list[c.Value]] = {"a": [True, False], "b": [True, False], "k": ["x", "y", "z"],
                                     "m": ["p", "q"], "f1": [True, False], "f2": [True, False]}
PROVISION = Provision("s31(3)", "FOIA 2000", "Law Enforcement", Limb.NCND, "qualified", "prejudice", "s", CITE)


def _leaf(names: list[str]) -> st.SearchStrategy[c.Condition]:
    name = st.sampled_from(names)
    eq = name.flatmap(lambda n: st.sampled_from(DOMAINS[n]).map(lambda v: c.Eq(n, v)))
    member = name.flatmap(lambda n: st.lists(st.sampled_from(DOMAINS[n]), min_size=1, max_size=3, unique=True)
                          .map(lambda vs: c.In(n, tuple(vs))))
    return st.one_of(eq, member)


def conditions(names: list[str]) -> st.SearchStrategy[c.Condition]:
    return st.recursive(_leaf(names), lambda inner: st.one_of(
        inner.map(c.Not),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: c.All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: c.AnyOf(tuple(xs)))), max_leaves=8)


@st.composite
def rulebases(draw: st.DrawFn) -> RuleBase:
    """Random rules over four questions and two chained derived facts."""
    answers = ["a", "b", "k", "m"]
    rules = [
        Rule("derive-f1", Stage(1), draw(conditions(answers)), Conclusion(ConclusionKind.DERIVE, "f1"), "r", CITE),
        Rule("derive-f2", Stage(1), draw(conditions(answers + ["f1"])), Conclusion(ConclusionKind.DERIVE, "f2"),
             "r", CITE),
    ]
    for i in range(draw(st.integers(1, 6))):
        rules.append(Rule(f"r{i}", Stage(1), draw(conditions(answers + ["f1", "f2"])),
                          Conclusion(ConclusionKind.ENGAGE, "s31(3)", "would"), "r", CITE))
    facts = (Fact("f1", "F1"), Fact("f2", "F2"))
    return RuleBase(META, QUESTIONS, facts, (PROVISION,), tuple(rules), "sha256:test")


answer_sets = st.fixed_dictionaries({}, optional={
    "a": st.booleans(), "b": st.booleans(), "k": st.sampled_from(["x", "y", "z"]), "m": st.sampled_from(["p", "q"])})


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rb=rulebases(), cases=st.lists(answer_sets, min_size=1, max_size=8))
def test_durable_and_python_evaluator_agree_on_random_rules_and_answers(rb: RuleBase,
                                                                        cases: list[dict[str, c.Value]]) -> None:
    durable = DurableEngine(compile_rulebase(rb))
    python = PythonEngine(rb)
    for answers in cases:
        d, p = durable.run_stage(1, answers), python.run_stage(1, answers)
        assert sorted(d.fired) == sorted(p.fired), answers
        assert d.derived == p.derived
        env = {**answers, **p.derived}
        for rule in rb.rules:  # and both agree with the reference evaluator
            assert (rule.id in p.fired) == c.holds(rule.when, env)


def test_forward_chaining_runs_in_layers(example: RuleBase) -> None:
    assert [[r.id for r in layer] for layer in layers(example, 1)][0] == [
        "crime-prejudice-from-covert-tactic", "official-confirmation-blocks-ncnd"]
    result = DurableEngine(compile_rulebase(example)).run_stage(1, {"covert_tactic": True, "crime_harm": "would"})
    assert result.derived == {"crime_prejudice": True}
    assert "ncnd-s31-covert-tactic" in result.fired  # reads the derived fact


def test_an_exception_inside_an_action_is_surfaced(example: RuleBase) -> None:
    def explode(rule_id: str) -> None:
        raise RuntimeError(f"boom in {rule_id}")

    engine = DurableEngine(compile_rulebase(example), on_fire=explode)
    with pytest.raises(EngineError, match="boom in crime-prejudice-from-covert-tactic"):
        engine.run_stage(1, {"covert_tactic": True, "crime_harm": "would"})


def test_states_are_deleted_so_thousands_of_cases_run(example: RuleBase) -> None:
    engine = DurableEngine(compile_rulebase(example))
    for i in range(3000):  # durable allows about 1,024 live states per ruleset
        result = engine.run_stage(1, {"covert_tactic": True, "crime_harm": "would" if i % 2 else "no"})
        assert ("ncnd-s31-covert-tactic" in result.fired) == bool(i % 2)


def _wide_rulebase(n_rules: int, in_values: int = 1) -> RuleBase:
    questions = tuple(Question(f"q{i}", "?", "h", QuestionType.YES_NO, Stage(1)) for i in range(40)) + (
        Question("wide", "?", "h", QuestionType.CHOICE, Stage(1),
                 tuple(Choice(f"v{i}", f"V{i}") for i in range(max(2, in_values)))),)
    rules = []
    for i in range(n_rules):
        cond: c.Condition = c.All((c.Eq(f"q{i % 40}", True), c.Eq(f"q{(i * 7 + 1) % 40}", i % 3 == 0)))
        if in_values > 1:
            cond = c.In("wide", tuple(f"v{j}" for j in range(in_values)))
        rules.append(Rule(f"r{i}", Stage(1), cond, Conclusion(ConclusionKind.ENGAGE, "s31(3)", "would"), "r", CITE))
    return RuleBase(META, questions, (), (PROVISION,), tuple(rules), "sha256:test")


def test_large_rule_bases_are_split_across_rulesets_within_durable_limits() -> None:
    rb = _wide_rulebase(450)
    compiled = compile_rulebase(rb)
    assert len(compiled.rulesets) >= 3
    assert all(len(rs.rules) <= MAX_RULES_PER_RULESET for rs in compiled.rulesets)
    answers = {f"q{i}": i % 2 == 0 for i in range(40)}
    assert sorted(DurableEngine(compiled).run_stage(1, answers).fired) == sorted(
        PythonEngine(rb).run_stage(1, answers).fired)


def test_a_rule_beyond_the_engine_limits_is_refused_with_a_clear_problem() -> None:
    with pytest.raises(RuleBaseError) as caught:
        compile_rulebase(_wide_rulebase(1, in_values=450))
    problem = caught.value.problems[0]
    assert problem.code == "engine-limit"
    assert "split the rule" in problem.hint


def _single_test_rulebase(n_questions: int, rules: list[tuple[str, ...]]) -> RuleBase:
    questions = tuple(Question(f"q{i}", "?", "h", QuestionType.YES_NO, Stage(1)) for i in range(n_questions))
    built = [Rule(f"r{i}", Stage(1), c.All(tuple(c.Eq(name, True) for name in names)) if len(names) > 1
                  else c.Eq(names[0], True), Conclusion(ConclusionKind.ENGAGE, "s31(3)", "would"), "r", CITE)
             for i, names in enumerate(rules)]
    return RuleBase(META, questions, (), (PROVISION,), tuple(built), "sha256:test")


@pytest.mark.parametrize("shape", ["many first tests", "shared first test, many second tests"])
def test_rulesets_stay_inside_durables_alpha_stack(shape: str) -> None:
    # Unsplit, both shapes make durable fail with error 303 (its 64-deep matching stack) when
    # every test matches; the compiler splits them so that no ruleset can.
    if shape == "many first tests":
        rb = _single_test_rulebase(150, [(f"q{i % 150}",) for i in range(200)])
    else:
        rb = _single_test_rulebase(141, [("q140", f"q{i}") for i in range(140)])
    compiled = compile_rulebase(rb)
    assert len(compiled.rulesets) >= 2
    for ruleset in compiled.rulesets:
        trie = AlphaTrie()
        for rule in ruleset.rules.values():
            trie.add(paths(rule["all"][0]["m"]))
        assert trie.peak <= MAX_ALPHA_STACK
    answers = {f"q{i}": True for i in range(150)}
    fired = DurableEngine(compiled).run_stage(1, answers).fired
    assert sorted(fired) == sorted(PythonEngine(rb).run_stage(1, answers).fired)
    assert len(fired) == len(rb.rules)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(cond=conditions(["a", "b", "k", "m"]), answers=answer_sets,
       unknown=st.sets(st.sampled_from(["a", "b", "k", "m"])))
def test_the_compiled_three_valued_evaluator_agrees_with_the_reference(cond: c.Condition, answers: dict[str, c.Value],
                                                                       unknown: set[str]) -> None:
    assert c.compile_predicate3(cond)(answers, unknown) == c.holds3(cond, answers, unknown)
    assert c.holds3(cond, answers, set()) == c.holds(cond, answers) == c.compile_predicate(cond)(answers)
    known = c.holds3(cond, answers, unknown)
    if known is not None:  # a settled answer cannot change whatever the unknown names turn out to be
        for name in unknown:
            for value in DOMAINS[name]:
                assert c.holds(cond, {**answers, name: value}) == known


def test_repeated_and_nested_alternatives_are_compiled_once() -> None:
    """A condition repeating a test (found by the property test above) must not multiply the
    engine's alternative paths past its limit: duplicates are dropped, nested and/or flattened."""
    a = c.Eq("a", True)
    cond = c.Not(c.AnyOf((a, a, c.AnyOf((c.All((a, a)), c.All((a, a, a)), c.All((c.Eq("k", "x"),)))))))
    rb = RuleBase(META, QUESTIONS, (), (PROVISION,),
                  (Rule("r0", Stage(1), cond, Conclusion(ConclusionKind.ENGAGE, "s31(3)", "would"), "r", CITE),),
                  "sha256:test")
    expr = expression(cond, domains(rb), set())
    assert len(paths(expr)) == 6
    assert compile_rulebase(rb).rulesets
