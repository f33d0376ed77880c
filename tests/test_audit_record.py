"""The typed audit record reads every log line and writes it back exactly, so old logs still verify.

tests/fixtures/audit/decision-log.jsonl was written by the tool before the record was typed (the
commit before it), with `ncnd interview` (also with s17(4)), `ncnd decide --record` on the answers
fixtures (portions, a cost fallback, any other information), `ncnd audit sign-off` and `export`,
and `audit.append` for an override, a record in the older format (no `answers`, `case`,
sensitivity flags...), one from a "later version" with keys this one does not know, a record of an
unknown kind, and a torn tail that the next append repaired.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant.audit.decision_record import decision_record
from ncnd_assistant.audit.jsonobject import JsonObject
from ncnd_assistant.audit.log import read_records
from ncnd_assistant.audit.record import (
    RECORD_TYPES,
    WRITTEN_WHEN_GIVEN,
    AskedQuestion,
    AuditRecord,
    CaseInfo,
    DecisionRecord,
    ExportRecord,
    Override,
    PartInfo,
    RepairRecord,
    RulebaseRef,
    SignOffRecord,
    Verdict,
    record_line,
)
from ncnd_assistant.audit.verify import verify
from ncnd_assistant.decide.answers import Part
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "audit" / "decision-log.jsonl"
LOGS = sorted((ROOT / "tests" / "fixtures" / "audit").glob("*.jsonl"))


def lines(log: Path) -> list[bytes]:
    return log.read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("log", LOGS, ids=[p.name for p in LOGS])
def test_every_record_of_an_existing_log_round_trips_exactly(log: Path) -> None:
    report = verify(log)
    assert report.ok, str(report.first_bad)
    assert report.records == len(lines(log))
    for raw in lines(log):
        obj = json.loads(raw)
        record = AuditRecord.from_json(obj)
        assert type(record) is RECORD_TYPES.get(obj["kind"], AuditRecord)
        assert record.to_json() == obj
        assert record_line(record.to_json()) == raw  # byte for byte: the hash is unchanged


def test_the_fixture_has_every_kind_and_its_records_read_as_typed() -> None:
    records = read_records(FIXTURE)
    assert {type(r) for r in records} == {DecisionRecord, SignOffRecord, ExportRecord, RepairRecord, AuditRecord}
    decisions = {r.case_ref: r for r in records if isinstance(r, DecisionRecord)}
    current = [r for r in records if isinstance(r, DecisionRecord) and r.case_ref not in ("FIX-OLD", "FIX-NEW")]
    assert all(not r.extra and not r.missing - WRITTEN_WHEN_GIVEN for r in current)  # the type knows every key
    assert {r.part.kind for r in current} == {"answered", "any_other_information"}
    assert any(r.part.fallback_for for r in current) and any(r.part.portion_of for r in current)
    assert any(r.reasons_withheld for r in current)

    override = decisions["FIX-3"]
    assert override.override is not None and override.override.reason.startswith("the capability")
    assert (override.decision.outcome, override.decision.provisions) == ("withhold", ())
    assert override.withheld_paragraphs == ("harm",) and override.decided_on == "2018-05-20"

    old = decisions["FIX-OLD"]
    assert old.answers is None and old.sign_off_required is None and old.reasons == ()
    assert {"answers", "case", "reasons", "sign_off_required"} <= old.missing and not old.extra
    assert all(q.sensitive is None and q.missing == {"sensitive"} for q in old.questions)
    assert old.part.missing == {"tags", "kind", "fallback_for", "portion_of", "part_summary", "questions"}

    future = decisions["FIX-NEW"]
    assert future.extra == {"store": {"backend": "postgres", "row": 17}}
    assert future.part.extra == {"regime_detail": ["foia", 2]} and future.questions[0].extra == {"shown_at": 1.5}

    (repair,) = [r for r in records if isinstance(r, RepairRecord)]
    assert repair.removed_text == '{"case_ref": "TORN", "id": "caf\\xc3' and repair.removed_bytes == 32
    (sign_off,) = [r for r in records if isinstance(r, SignOffRecord)]
    assert (sign_off.by, sign_off.case_ref, sign_off.decided_by) == ("C. Reviewer", "FIX-1", "A. Officer")
    unknown = [r for r in records if type(r) is AuditRecord]
    assert [r.kind for r in unknown] == ["note", "note"] and unknown[0].extra["n"] is None


def test_a_decision_record_as_written_now_is_fully_typed(example: RuleBase) -> None:
    pa = Assessor(example).assess_part(Part("covert", "Do you use it?", {
        "covert_tactic": True, "crime_harm": "would", "officially_confirmed": False}))
    body = decision_record(example, pa, case_ref="C-1", officer="Alice", session="s1", final=Outcome.DISCLOSE,
                           override_reason="published", tags=("covert",), questions=(1,),
                           requester={"name": "A. Requester", "address": ""}, case_parts=[("covert", "Do you use it?")],
                           free_text_check={"status": "no-text", "warnings": [], "texts": []})
    record = AuditRecord.from_json({**body, "id": "a" * 32, "time": "2026-11-27T10:00:00+00:00",
                                    "tool_version": "0.1.0", "prev_hash": "0" * 64, "hash": "f" * 64})
    assert isinstance(record, DecisionRecord)
    assert not record.extra and not record.missing
    assert record.override is not None and record.override.reason == "published"
    assert record.recommendation.outcome == "ncnd" and record.decision.outcome == "disclose"
    assert all(isinstance(q, AskedQuestion) and q.sensitive is not None for q in record.questions)


def test_updated_values_are_written_even_where_the_original_did_not_fit() -> None:
    record = AuditRecord.from_json({"kind": "decision", "questions": [{"id": "q", "answer": 7}], "reasons": "x"})
    assert isinstance(record, DecisionRecord) and record.questions[0].extra == {"answer": 7}
    masked = record.updated(questions=(record.questions[0].updated(answer="[withheld]"),))
    assert masked.to_json() == {"kind": "decision", "questions": [{"id": "q", "answer": "[withheld]"}],
                                "reasons": "x"}


# ---------------------------------------------------------------------------------------------- any JSON object
SCALAR = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4)
JSON = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                         max_size=3), max_leaves=8)


def fitting(hint: Any) -> st.SearchStrategy[Any]:
    """JSON a field with this type annotation holds, derived from the annotation (not the codecs)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return st.one_of([fitting(a) for a in args])
    if hint is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(fitting(args[0]), max_size=3)
    if origin is Mapping:
        return st.dictionaries(st.text(max_size=4), st.booleans() | st.text(max_size=4), max_size=3)
    if isinstance(hint, type) and issubclass(hint, JsonObject):
        return json_object(hint)
    return {str: st.text(max_size=6), bool: st.booleans(), int: st.integers()}[hint]


def json_object(cls: type[JsonObject]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object for `cls`: each known key absent, fitting, or any JSON at all; and unknown keys."""
    hints = {name: hint for name, hint in get_type_hints(cls).items() if name not in ("extra", "missing")}
    known = st.fixed_dictionaries({}, optional={name: st.one_of(fitting(hint), SCALAR, JSON)
                                                  for name, hint in hints.items()})
    unknown = st.dictionaries(st.text(max_size=6).filter(lambda k: k not in hints), JSON, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


def conforms(value: Any, hint: Any) -> bool:
    """Whether a typed value has its field's annotated type (an int is not a bool here, as in JSON)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if origin is tuple:
        return isinstance(value, tuple) and all(conforms(v, args[0]) for v in value)
    if origin is Mapping:
        return isinstance(value, Mapping) and all(isinstance(v, bool | str) for v in value.values())
    if isinstance(hint, type) and issubclass(hint, JsonObject):
        return isinstance(value, hint) and all_typed(value)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return value is None if hint is type(None) else isinstance(value, hint)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The class's annotations, resolved once a class (resolving them was most of a check)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = get_type_hints(cls)
    return found


def all_typed(obj: JsonObject) -> bool:
    hints = _hints(type(obj))
    return all(conforms(getattr(obj, name), hints[name]) for name in hints if name not in ("extra", "missing"))


def records() -> st.SearchStrategy[dict[str, Any]]:
    """A record of each known kind (its `kind` set), or of any kind at all."""
    def of_kind(kind: str) -> st.SearchStrategy[dict[str, Any]]:
        return json_object(RECORD_TYPES[kind]).map(lambda obj: {**obj, "kind": kind})
    return st.sampled_from(sorted(RECORD_TYPES)).flatmap(of_kind) | json_object(AuditRecord)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(obj=records())
def test_any_json_object_round_trips_exactly_and_reads_as_its_types(obj: dict[str, Any]) -> None:
    record = AuditRecord.from_json(obj)
    assert record.to_json() == obj
    assert record_line(record.to_json()) == record_line(obj)
    assert all_typed(record)
    kind = obj.get("kind")
    assert type(record) is (RECORD_TYPES.get(kind, AuditRecord) if isinstance(kind, str) else AuditRecord)


# ------------------------------------------------------------------------------------------ every JSON type, every key
TYPES: list[type[JsonObject]] = [AuditRecord, *RECORD_TYPES.values(), RulebaseRef, CaseInfo, PartInfo, AskedQuestion,
                                 Verdict, Override]
OTHER_VALUES: list[Any] = [None, True, False, 0, 7, 1.5, "", "text", [], ["x", 1], ["x"], {}, {"k": [1]}]


@pytest.mark.parametrize("cls", TYPES, ids=[c.__name__ for c in TYPES])
def test_a_value_of_any_json_type_under_a_known_key_survives_and_typed_values_keep_their_types(
        cls: type[JsonObject]) -> None:
    for name in get_type_hints(cls):
        if name in ("extra", "missing"):
            continue
        for value in OTHER_VALUES:
            obj = {name: value}
            typed = cls.from_json(obj)
            assert typed.to_json() == obj and record_line(typed.to_json()) == record_line(obj), (name, value)
            assert all_typed(typed), (name, value)
