"""Mixed requests: a FOIA request with an EIR part (`regime: eir`), each part decided under its own
rule base, recorded and replayed under it, and answered under its own law in one letter."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ncnd_assistant.audit.decision_record import decision_record, recorded_regime
from ncnd_assistant.audit.log import append_many, read_records
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.audit.replay import SAME, replay
from ncnd_assistant.cli import app
from ncnd_assistant.decide.answers import Part, load_request, read_answers
from ncnd_assistant.decide.mixed import (
    MixedAssessment,
    MixedAssessor,
    decide_file,
    load_mixed_request,
    rulebases_for,
    switch_to_eir,
)
from ncnd_assistant.decide.serialize import assessment_record
from ncnd_assistant.errors import AnswersError
from ncnd_assistant.letter.blocks import Block, render_blocks
from ncnd_assistant.letter.draft import as_letter
from ncnd_assistant.letter.formats import LetterFormat, plain_text
from ncnd_assistant.letter.from_records import notice_from_records
from ncnd_assistant.letter.mixed import LAWS
from ncnd_assistant.letter.notice import NoticePart, letter_draft
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.settings.model import Settings
from tests.conftest import ROOT, check_golden

MIXED = ROOT / "examples" / "mixed-foia-eir.yaml"
ENV_NOISE = ROOT / "tests" / "fixtures" / "answers" / "env-noise.yaml"
runner = CliRunner()
CONVOYS = """
  - id: convoys
    regime: eir
    summary: Convoys carrying radioactive waste through the county in 2025
    answers:
      complex_voluminous: false
      confirm_deny_harm: national_security
      officially_confirmed: false
      third_party_data: false
      ncnd_pi_maintain: true
      ncnd_pi_reason: >-
        Saying whether the force holds records of such convoys would tell hostile actors whether and
        when radioactive material moves through the county; that outweighs environmental transparency.
      held: {held}
"""


@functools.cache
def rulebases() -> dict[str, RuleBase]:
    return {"foia": load_rulebase(ROOT / "rules" / "foia"), "eir": load_rulebase(ROOT / "rules" / "eir")}


def _write(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _with_convoys(tmp_path: Path, held: bool) -> Path:
    return _write(tmp_path, MIXED.read_text(encoding="utf-8") + CONVOYS.format(held=str(held).lower()),
                  f"convoys-{held}.yaml")


def test_each_part_is_decided_under_its_own_regime() -> None:
    a = decide_file(MIXED)
    covert, air = a.parts
    assert isinstance(a, MixedAssessment) and a.request.regime == "foia"
    assert covert.outcome is Outcome.NCND and [c.provision.id for c in covert.decision.cited] == ["s24(2)", "s31(3)"]
    assert air.outcome is Outcome.DISCLOSE and air.part.regime == "eir"
    assert a.rulebase_of(covert.part).meta.regime == "foia" and a.rulebase_of(air.part).meta.regime == "eir"
    assert a.regime_of(covert.part) == "foia" and a.regime_of(air.part) == "eir"
    assert a.held_invariance == {"covert": True}


def test_an_eir_ncnd_part_is_checked_for_held_invariance_under_the_eir(tmp_path: Path) -> None:
    a = decide_file(_with_convoys(tmp_path, True))
    convoys = a.parts[-1]
    assert convoys.outcome is Outcome.NCND and [c.provision.id for c in convoys.decision.cited] == ["reg12(6)"]
    assert a.held_invariance == {"covert": True, "convoys": True}


def test_the_eir_part_is_read_against_the_eir_questions(tmp_path: Path) -> None:
    text = MIXED.read_text(encoding="utf-8").replace("      charge: false",
                                                     "      charge: false\n      vexatious: false")
    with pytest.raises(AnswersError) as caught:
        load_mixed_request(_write(tmp_path, text), rulebases())
    (problem,) = caught.value.problems
    assert problem.code == "unknown-question" and "'vexatious'" in problem.message
    assert problem.location.line == len(text.splitlines())  # the EIR part's own answer, the last line


@pytest.mark.parametrize(("request_regime", "part_regime"), [("foisa", "eir"), ("foia", "foisa"), ("eir", "foia")])
def test_any_other_combination_is_a_located_problem(tmp_path: Path, request_regime: str, part_regime: str) -> None:
    text = (f"case_ref: X\nregime: {request_regime}\nparts:\n  - id: a\n    summary: A\n"
            f"    regime: {part_regime}\n    answers: {{}}\n")
    path = _write(tmp_path, text)
    source = read_answers(path)
    with pytest.raises(AnswersError) as caught:
        load_mixed_request(source, {request_regime: load_rulebase(ROOT / "rules" / request_regime)})
    (problem,) = [p for p in caught.value.problems if p.code == "part-regime"]
    assert (problem.location.line, problem.location.col) == (6, 13)
    expected = "(Scotland) Regulations" if request_regime == "foisa" else "cannot be answered"
    assert expected in problem.message
    assert re.match(r".*answers\.yaml:6:13: part-regime: .+ \(.+\)$", str(problem))


def test_a_command_reading_one_law_refuses_an_eir_part() -> None:
    with pytest.raises(AnswersError) as caught:
        load_request(MIXED, rulebases()["foia"])
    assert [p.code for p in caught.value.problems] == ["mixed-unsupported"]


def test_rules_replaces_only_the_request_regimes_rule_base(tmp_path: Path) -> None:
    found = rulebases_for(read_answers(MIXED), ROOT / "rules" / "foia")
    assert {r: rb.meta.regime for r, rb in found.items()} == {"foia": "foia", "eir": "eir"}
    assert set(rulebases_for(read_answers(ROOT / "examples" / "wmp-16883-18.yaml"))) == {"foia"}


def test_a_plain_request_is_assessed_as_before(shipped: RuleBase) -> None:
    from ncnd_assistant.decide.assess import Assessor

    seed = ROOT / "examples" / "wmp-16883-18.yaml"
    before = Assessor(shipped).assess(load_request(seed, shipped))
    after = MixedAssessor({"foia": shipped}).assess(load_request(seed, shipped))
    assert assessment_record(before) == assessment_record(after)


def test_switch_to_eir_gives_the_eir_part_to_complete() -> None:
    foia, eir = rulebases()["foia"], rulebases()["eir"]
    (part,) = load_request(ENV_NOISE, foia).parts
    assessor = MixedAssessor(rulebases())
    switched = switch_to_eir(assessor.assess_part(part), eir)
    assert switched.part.regime == "eir" and switched.part.answers == {"third_party_data": False, "held": False}
    assert assessor.rulebase_of(switched.part) is eir
    assert "complex_voluminous" in assessor.assessor_of(switched.part).gate(switched.part.answers).asked_and_open()[1]


def test_decide_json_gives_each_part_its_regime_and_the_eir_rule_base() -> None:
    result = runner.invoke(app, ["decide", "--answers", str(MIXED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["regime"] == "foia" and data["rulebase"]["id"] == rulebases()["foia"].meta.id
    assert [(p["id"], p["regime"]) for p in data["parts"]] == [("covert", "foia"), ("air", "eir")]
    assert "rulebase" not in data["parts"][0] and data["parts"][1]["rulebase"]["digest"] == rulebases()["eir"].digest
    for part in data["parts"]:
        part.pop("rulebase", None)
    data["rulebase"]["digest"] = "<digest>"
    data["tool"]["version"] = "<version>"
    # citations are the rule bases' (seed.json and the EIR tests hold them); this golden is the mixed shape
    check_golden("mixed.json", json.dumps(_without(data, "citations"), indent=2, ensure_ascii=False) + "\n")


def _without(data: object, key: str) -> object:
    """`data` with every `key` left out of its objects, at any depth."""
    if isinstance(data, dict):
        return {k: _without(v, key) for k, v in data.items() if k != key}
    if isinstance(data, list):
        return [_without(v, key) for v in data]
    return data


def _letter(a: MixedAssessment) -> list[Block]:
    parts = [NoticePart(pa, pa.outcome, rulebase=a.rulebase_of(pa.part) if pa.part.regime else None)
             for pa in a.parts]
    return letter_draft(a.rulebase, a.request.case_ref, a.request.received, a.request.request, parts).blocks


def _sections(blocks: list[Block]) -> dict[str, str]:
    """Each part's text, from its heading to the next part's (or the review section)."""
    found: dict[str, list[str]] = {}
    current = None
    for b in blocks:
        if b.kind == "heading" and b.level == 2:
            current = None
        if b.kind == "heading" and b.level == 3:
            current = b.text
        if current is not None:
            found.setdefault(current, []).extend((b.text, *b.items))
    return {k: "\n".join(v) for k, v in found.items()}


FOIA_ONLY = re.compile(r"section 17|s17|s1\(1\)|Freedom of Information Act|FOIA|exemption", re.IGNORECASE)
EIR_ONLY = re.compile(r"regulation|reg\s*\d|reg\d|Environmental Information Regulations|\bEIR\b|exception")


def test_each_part_of_the_letter_speaks_only_its_own_law(tmp_path: Path) -> None:
    blocks = _letter(decide_file(_with_convoys(tmp_path, True)))
    sections = _sections(blocks)
    eir = {h: t for h, t in sections.items() if h.endswith(f"(answered under {LAWS['eir']})")}
    foia = {h: t for h, t in sections.items() if h.endswith(f"(answered under {LAWS['foia']})")}
    assert len(eir) == 2 and len(foia) == 1 and len(sections) == 3
    for heading, text in eir.items():
        body = text.removeprefix(heading)
        assert not FOIA_ONLY.search(body), (heading, FOIA_ONLY.search(body))
    assert any("reg12(6)" in t or "Regulation 12(6)" in t for t in eir.values())
    for heading, text in foia.items():
        body = text.removeprefix(heading)
        assert not EIR_ONLY.search(body), (heading, EIR_ONLY.search(body))


def test_the_letter_gives_both_routes_and_both_refusal_notices() -> None:
    text = render_blocks(_letter(decide_file(MIXED)), "text")
    flat = " ".join(text.split())
    assert "internal review" in flat and "s17(7)(a)" in flat and "section 45 of FOIA" in flat
    assert "make representations" in flat and "regulation 11(1)-(2)" in flat and "40 working days" in flat
    assert "section 50 of the Freedom of Information Act 2000 as applied by regulation 18 of the EIR" in flat
    assert "refusal notice under section 17 of FOIA" in flat and "refusal notice under regulation 14 of the EIR" in flat
    assert "Regulation 5(1)" in flat or "regulation 5(1)" in flat
    assert "which the force has dealt with under the Freedom of Information Act 2000" not in flat  # FOIA's opening


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_the_letter_of_an_eir_ncnd_part_does_not_depend_on_holding(tmp_path: Path, fmt: str) -> None:
    held, not_held = (render_blocks(_letter(decide_file(_with_convoys(tmp_path, h))), fmt) for h in (True, False))
    assert held == not_held


def test_the_mixed_letter_matches_its_golden_file() -> None:
    text = render_blocks(_letter(decide_file(MIXED)), "markdown")
    check_golden("mixed-notice.md", re.sub(r"Date: .*", "Date: <date>", text))


def _recorded(tmp_path: Path) -> tuple[Path, MixedAssessment]:
    a = decide_file(MIXED)
    log = tmp_path / "log.jsonl"
    parts = [(p.id, p.summary) for p in a.request.parts]
    append_many(log, [decision_record(a.rulebase_of(pa.part), pa, case_ref=a.request.case_ref, officer="o",
                                      session="s", final=pa.outcome, received=a.request.received,
                                      request=a.request.request, case_parts=parts, questions=pa.part.questions)
                      for pa in a.parts])
    return log, a


def test_each_record_names_the_rule_base_that_decided_its_part(tmp_path: Path) -> None:
    log, _ = _recorded(tmp_path)
    covert, air = [r for r in read_records(log) if isinstance(r, DecisionRecord)]
    assert (covert.rulebase.id, covert.rulebase.digest) == (rulebases()["foia"].meta.id, rulebases()["foia"].digest)
    assert (air.rulebase.id, air.rulebase.digest) == (rulebases()["eir"].meta.id, rulebases()["eir"].digest)
    assert (recorded_regime(covert), recorded_regime(air)) == ("", "eir")
    assert "regime" not in covert.part.to_json()


def test_replay_reassesses_the_eir_part_under_the_eir_rule_base(tmp_path: Path) -> None:
    log, _ = _recorded(tmp_path)
    report = replay(log, rulebases()["foia"])
    assert [r.status for r in report.results] == [SAME, SAME]
    assert [r.digest_now for r in report.results] == [rulebases()["foia"].digest, rulebases()["eir"].digest]


def test_the_letter_rebuilt_from_the_log_is_the_letter_of_the_decision(tmp_path: Path) -> None:
    log, a = _recorded(tmp_path)
    records = list(read_records(log))
    draft, warnings = notice_from_records(rulebases()["foia"], records, records[0],
                                          letter_date=a.request.received)
    assert warnings == []
    blocks = letter_draft(a.rulebase, a.request.case_ref, a.request.received, a.request.request,
                          [NoticePart(pa, pa.outcome, questions=pa.part.questions,
                                      rulebase=a.rulebase_of(pa.part) if pa.part.regime else None)
                           for pa in a.parts], letter_date=a.request.received).blocks
    assert render_blocks(draft.blocks, "markdown") == render_blocks(blocks, "markdown")


def test_an_eir_ncnd_part_in_the_interview_letter_shape_keeps_its_own_wording(tmp_path: Path) -> None:
    a = decide_file(_with_convoys(tmp_path, False))
    convoys = a.parts[-1]
    np = NoticePart(convoys, convoys.outcome, rulebase=a.rulebase_of(convoys.part))
    blocks = letter_draft(a.rulebase, "X", None, "", [replace(np)]).blocks
    flat = " ".join(render_blocks(blocks, "text").split())
    assert "as the Environmental Information Regulations 2004 allow by virtue of" in flat
    assert "regulation 12(7)" in flat
    assert isinstance(convoys.part, Part)


@pytest.mark.parametrize("fmt", [f for f in LetterFormat if f is not LetterFormat.pdf])  # pdf needs LibreOffice
def test_every_format_of_the_mixed_letter_heads_each_part_with_its_law(tmp_path: Path, fmt: LetterFormat) -> None:
    a = decide_file(_with_convoys(tmp_path, True))
    blocks = _letter(a)
    letter = as_letter(a.rulebase, a.request.case_ref, blocks, [])
    text = " ".join(plain_text(letter, fmt, Settings()).split())
    assert text.count(f"(answered under {LAWS['eir']})") == 2 and text.count(f"(answered under {LAWS['foia']})") == 1
    assert "regulation 11(1)-(2)" in text and "section 50 of the Freedom of Information Act 2000" in text
    assert letter.title == f"Request for information {a.request.case_ref}"


def test_an_eir_rule_base_for_another_law_is_a_located_problem() -> None:
    result = runner.invoke(app, ["decide", "--answers", str(MIXED), "--eir-rules", str(ROOT / "rules" / "foia")])
    assert result.exit_code == 4
    line = MIXED.read_text(encoding="utf-8").splitlines().index("    regime: eir") + 1
    assert f"mixed-foia-eir.yaml:{line}:13: wrong-regime: the parts with `regime: eir`" in result.output
    assert "Traceback" not in result.output


def test_a_fallback_under_another_law_than_its_part_is_a_problem(tmp_path: Path) -> None:
    text = MIXED.read_text(encoding="utf-8").replace("    tags: [air-quality]\n",
                                                     "    tags: [air-quality]\n    fallback_for: covert\n")
    with pytest.raises(AnswersError) as caught:
        load_mixed_request(_write(tmp_path, text), rulebases())
    assert [p.code for p in caught.value.problems] == ["part-regime"]
    assert "fallback for 'covert'" in caught.value.problems[0].message


def test_an_internal_review_of_a_mixed_case_keeps_each_part_under_its_law(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NCND_AUDIT", str(log))

    def ncnd(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output
    ncnd("decide", "--answers", str(MIXED), "--record", "--officer", "A. Officer", "--format", "json")
    ref = "FOI-2026-0999"
    ncnd("cases", "event", ref, "sent", "--date", "2026-11-20", "--officer", "A. Officer")
    ncnd("cases", "event", ref, "review-requested", "--date", "2026-11-25", "--officer", "A. Officer")
    out = tmp_path / "review.yaml"
    ncnd("review", "start", ref, "--officer", "C. Reviewer", "--answers-out", str(out))
    reopened = {p["id"]: p.get("regime") for p in yaml.safe_load(out.read_text(encoding="utf-8"))["parts"]}
    assert reopened == {"covert": None, "air": "eir"}
    assert "upheld" in ncnd("review", "decide", ref, "--officer", "C. Reviewer", "--answers", str(out))
    reviewed = [r for r in read_records(log) if isinstance(r, DecisionRecord) and r.source == "review"]
    assert {r.part.id: r.rulebase.id for r in reviewed} == {"covert": rulebases()["foia"].meta.id,
                                                             "air": rulebases()["eir"].meta.id}
