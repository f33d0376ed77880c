"""Mutation fuzzing (issue 13, item 9): a seeded, bounded campaign over rule bases, answers files and
sessions gives no internal error and no case over 2 s. The long run is `benchmarks/fuzz.py`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.fuzz import mutate, targets
from tests.fuzz.runner import Campaign, Result, classify, summary, write_reproducers

SEED = 13
BUDGET = {"rule_bases": 300, "answers": 300, "sessions": 100}
SLOW_CASE = 2.0  # seconds: issue 13 asks any input of up to 10 MB to be accepted or refused within 2 s
# CPU seconds are asserted (other jobs share this machine's 2 cores); a case past the CPU limit (2.5 s)
# is stopped as a "timeout" and fails `test_no_internal_errors` too.


def _campaign(home: Path) -> Campaign:
    run = Campaign(home, seed=SEED, limit=2.5, cli_every=15, shipped_share=0.25)
    run.run(**BUDGET)
    return run


def _report(campaign: Campaign, failures: list[Result]) -> str:
    made = write_reproducers(campaign, campaign.home / "reproducers")
    return f"{len(failures)} failing case(s); reproducers in {made[0].parent if made else '-'}\n{summary(campaign)}"


@pytest.mark.slow
def test_the_campaign_spends_its_budget_with_no_internal_error_and_no_slow_case(tmp_path: Path) -> None:
    """One test, not three over a module fixture: under pytest-xdist each worker that ran one of
    them would run the whole 26-s campaign again."""
    campaign = _campaign(tmp_path)
    # the budget was spent and the mutants reach both sides (the fuzzer is not vacuous)
    tried = {kind: sum(1 for r in campaign.results if r.mutant.kind == kind and not r.target.startswith("cli:"))
             for kind in ("rules", "answers", "session")}
    assert tried == {"rules": BUDGET["rule_bases"], "answers": BUDGET["answers"], "session": BUDGET["sessions"]}
    assert any(r.target.startswith("cli:") for r in campaign.results)
    assert {"accepted", "error"} <= {r.outcome for r in campaign.results}
    failures = campaign.internal()
    assert not failures, _report(campaign, failures)
    slow = [r for r in campaign.results if r.cpu > SLOW_CASE]
    assert not slow, _report(campaign, slow)


def test_mutations_are_deterministic_for_a_seed() -> None:
    text = targets.SEED_ANSWERS.read_text(encoding="utf-8")
    runs = [mutate.mutate(random.Random(7), text, mutate.tree_yaml, rounds=5) for _ in range(2)]
    assert runs[0] == runs[1]
    for name, mutation in mutate.TEXT_MUTATIONS.items():
        out = mutation(random.Random(1), text)
        assert isinstance(out, str) and out.encode("utf-8", "surrogateescape"), name


def test_tree_edits_keep_the_document_readable() -> None:
    """A tree edit changes one thing and still dumps a document of the same format."""
    rng = random.Random(3)
    session = json.dumps({"format": 1, "parts": [{"id": "a", "answers": {"x": True}}], "current": 0})
    edited = [mutate.tree_json(rng, session) for _ in range(20)]
    assert any(e != json.dumps(json.loads(session), indent=2) for e in edited)
    for e in edited:
        json.loads(e)


def test_alias_bomb_is_a_bomb() -> None:
    bomb = mutate.alias_bomb(random.Random(0), "a: 1\n")
    assert bomb.count("*b") >= 6 and "&b0" in bomb


def test_classify_sorts_outcomes() -> None:
    def boom() -> str:
        raise KeyError("maybe")

    def forever() -> str:
        while True:
            pass

    def refuse() -> str:
        return targets.load_session(Path("/nonexistent/session.json"))

    assert classify(lambda: "accepted", 1)[0] == "accepted"
    assert classify(boom, 1)[:2] == ("internal", "KeyError")
    assert classify(forever, 0.05)[:2] == ("timeout", "timeout")
    assert classify(refuse, 1)[:2] == ("error", "SessionError")
