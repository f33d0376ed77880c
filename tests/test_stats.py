"""`ncnd stats`: the figures from a register of real decision records, the period, the NCND
limbs apart, and the CSV, JSON and chart output (docs/cases.md)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.cases.events import event_body
from ncnd_assistant.cases.register import build_register
from ncnd_assistant.cases.stats import compute_stats
from ncnd_assistant.cli.app import app
from ncnd_assistant.rulebase.model import RuleBase
from tests.test_cases import seed_decisions

runner = CliRunner()


def ev(ref: str, kind: str, day: str, **more: object) -> dict[str, object]:
    return event_body(ref, kind, date.fromisoformat(day), "A. Officer", **more)  # type: ignore[arg-type]


@pytest.fixture
def log(tmp_path: Path, shipped: RuleBase, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three cases: R1 sent in time in March, R2 extended and sent late in April, R3 received in
    April and not answered; R1's covert part overridden to disclose; R1 reviewed and overturned."""
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    r1 = seed_decisions(shipped, "R1", "A. Officer")
    r1[1] = {**r1[1], "decision": {"outcome": "disclose", "provisions": []},
             "override": {"reason": "already  published by the force"}}
    audit.append_many(path, [*r1, ev("R1", "sent", "2026-03-20"), ev("R1", "review-requested", "2026-03-25"),
                             ev("R1", "review-decided", "2026-04-30", outcome="overturned")])
    audit.append_many(path, [*seed_decisions(shipped, "R2", "B. Officer", session="s2"),
                             ev("R2", "holding-notice", "2026-03-27"), ev("R2", "sent", "2026-04-10")])
    audit.append_many(path, [ev("R3", "received", "2026-04-01")])
    return path


def test_the_figures(log: Path, shipped: RuleBase) -> None:
    limbs = {p.id: p.limb.value for p in shipped.provisions}
    stats = compute_stats(build_register(audit.read_records(log)), limbs)
    assert (stats.received, stats.answered, stats.on_time, stats.within_deadline) == (3, 2, 1, 2)
    assert stats.on_time_rate == 50.0 and stats.extensions == 1
    assert stats.outcomes == {"not_held": 2, "disclose": 1, "ncnd": 1}
    assert stats.ncnd_limbs == {"s24(2)": 1, "s31(3)": 1}  # R1's overridden part relies on nothing
    assert stats.overrides == 1 and stats.override_reasons == {"already published by the force": 1}
    assert stats.reviews_requested == 1 and stats.reviews_decided == {"overturned": 1} and stats.reviews_late == 1
    assert [(m.month, m.answered, m.on_time) for m in stats.months] == [("2026-03", 1, 1), ("2026-04", 1, 0)]


def test_a_period(log: Path, shipped: RuleBase) -> None:
    stats = compute_stats(build_register(audit.read_records(log)), {}, date(2026, 4, 1), date(2026, 4, 30))
    assert (stats.received, stats.answered, stats.on_time) == (1, 1, 0)
    assert stats.outcomes == {} and stats.reviews_requested == 0 and stats.reviews_decided == {"overturned": 1}
    assert stats.other_provisions == {}


def test_csv_json_and_chart(log: Path) -> None:
    result = runner.invoke(app, ["stats", "--format", "csv", "--audit", str(log)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["section", "item", "value"]
    assert ["requests", "answered within 20 working days (%)", "50.0"] in rows
    assert ["NCND limbs cited", "s24(2)", "1"] in rows
    data = json.loads(runner.invoke(app, ["stats", "-f", "json", "--audit", str(log), "--from", "2026-03-01",
                                          "--to", "2026-03-31"]).output)
    assert data["answered_within_20_percent"] == 100.0 and data["months"][0]["month"] == "2026-03"
    text = runner.invoke(app, ["stats", "--audit", str(log)]).output
    assert "by month" in text and "█" in text and "Jo Requester" not in text


def test_bad_periods_are_clear_errors(log: Path) -> None:
    result = runner.invoke(app, ["stats", "--audit", str(log), "--from", "2026-13-01"])
    assert result.exit_code == 1 and "not a date" in result.output
    result = runner.invoke(app, ["stats", "--audit", str(log), "--from", "2026-04-01", "--to", "2026-03-01"])
    assert result.exit_code == 1 and "before --from" in result.output


def test_no_log_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["stats", "--format", "csv", "--audit", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 0 and ["requests", "received", "0"] in list(csv.reader(io.StringIO(result.output)))
