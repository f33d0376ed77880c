"""Reading the decision log (any store, streamed): a record by id prefix, records by filter, the
latest decision per part, a decision's sign-offs, and the dates and provisions of a decision."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from ncnd_assistant.audit.jsonobject import Json
from ncnd_assistant.audit.log import AuditError
from ncnd_assistant.audit.record import (
    AuditRecord,
    CaseEventRecord,
    DecisionRecord,
    ExportRecord,
    NoticeSentRecord,
    SignOffRecord,
    parse_object,
)
from ncnd_assistant.audit.verify import ChainChecker
from ncnd_assistant.store import Store, StoredLine, as_store
from ncnd_assistant.store.base import REQUESTER_KEY, may_hold

MONTAGUE = "Montague v IC and Department for International Trade [2022] UKUT 104 (AAC)"


def case_ref_of(record: AuditRecord) -> str | None:
    """The case reference of a record that has one (decisions, sign-offs, exports, letters sent, case events)."""
    match record:
        case DecisionRecord() | SignOffRecord() | ExportRecord() | NoticeSentRecord() | CaseEventRecord():
            return record.case_ref
    return None


def find_in(records: Iterable[AuditRecord], id_or_prefix: str, path: Path | str) -> AuditRecord:
    """The one record of `records` (read from `path`) whose id is or starts with `id_or_prefix`."""
    prefix = id_or_prefix.strip().lower()
    if not prefix:
        raise AuditError("give a record id (or the start of one)")
    matches = [r for r in records if r.id.startswith(prefix)]
    if not matches:
        raise AuditError(f"no record in {path} has an id starting '{prefix}'")
    if len(matches) > 1:
        shown = ", ".join(f"{r.id[:12]} ({r.kind}, {case_ref_of(r) or '-'})" for r in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise AuditError(f"'{prefix}' matches {len(matches)} records: {shown}{more}; give more of the id")
    return matches[0]


def find_decision_in(records: Iterable[AuditRecord], id_or_prefix: str, path: Path | str) -> DecisionRecord:
    """Like `find_in`, and an error if the record found is not a decision."""
    record = find_in(records, id_or_prefix, path)
    if not isinstance(record, DecisionRecord):
        raise AuditError(f"record {record.id} is a '{record.kind}' record, not a decision")
    return record


def find(where: Store | Path, id_or_prefix: str) -> AuditRecord:
    """The one record whose id is or starts with `id_or_prefix` (an error if none or several)."""
    store = as_store(where)
    return find_in(store.records(), id_or_prefix, store.describe())


def record_date(record: AuditRecord) -> date | None:
    """The UTC date the record was written."""
    return _day(record.time)


def _day(time: object) -> date | None:
    """The UTC date of a record's `time` (None if it is not an ISO 8601 string)."""
    if not isinstance(time, str):
        return None  # the record's typed `time` is then "", which has no date either
    try:
        return datetime.fromisoformat(time).astimezone(UTC).date()
    except (ValueError, OverflowError):
        return None


def decided_on(record: DecisionRecord) -> date | None:
    """The date of the response a decision was made for (its record date for records before
    `decided_on` was kept): the public interest is weighed as it stood then (Montague)."""
    try:
        return date.fromisoformat(record.decided_on)
    except ValueError:
        return record_date(record)


def decision_provisions(record: DecisionRecord) -> list[str]:
    """Provisions of the final decision, else of the recommendation."""
    return list(record.decision.provisions or record.recommendation.provisions)


def final_outcome(record: AuditRecord) -> str:
    """The officer's final outcome of a decision ("" for other records)."""
    return record.decision.outcome if isinstance(record, DecisionRecord) else ""


def _provisions(record: AuditRecord) -> set[str]:
    """The provisions a decision's final decision or recommendation names."""
    if not isinstance(record, DecisionRecord):
        return set()
    return set(decision_provisions(record)) | set(record.recommendation.provisions)


# What a listing or a filter reads of a decision: `summary` types only these (a decision's questions,
# answers and texts are most of its bytes and most of the time spent reading it).
SUMMARY_KEYS = frozenset({"id", "time", "tool_version", "kind", "prev_hash", "hash", "case_ref", "officer",
                          "session", "part", "recommendation", "decision", "override", "sign_off_required"})


def summary(obj: dict[str, Json]) -> AuditRecord:
    """A record's typed view with, for a decision, only the `SUMMARY_KEYS`: what `matching`'s filters
    and `ncnd audit list`'s table read, the same there as in the whole record."""
    if obj.get("kind") != "decision":
        return AuditRecord.from_json(obj)
    return AuditRecord.from_json({key: value for key, value in obj.items() if key in SUMMARY_KEYS})


Filters = tuple[str | None, date | None, date | None, str | None, str | None, str | None]
# case, since, until, provision, outcome, kind: the filters of `matching`, in its order


def selector(filters: Filters) -> tuple[tuple[bytes, ...], Callable[[dict[str, Json]], bool]]:
    """For `filters`: the bytes a record's stored text must hold to be worth parsing (`may_hold`),
    and whether a parsed record's JSON object matches."""
    case, since, until, provision, outcome, kind = filters

    def wanted(rec: AuditRecord) -> bool:
        return ((case is None or case_ref_of(rec) == case)
                and (provision is None or provision in _provisions(rec))
                and (outcome is None or final_outcome(rec) == outcome)
                and (kind is None or rec.kind == kind))
    typed = any(v is not None for v in (case, provision, outcome, kind))

    def keep(obj: dict[str, Json]) -> bool:
        if since is not None or until is not None:
            day = _day(obj.get("time"))
            if day is None or (since is not None and day < since) or (until is not None and day > until):
                return False
        return not typed or wanted(summary(obj))
    needles = tuple(json.dumps(v, ensure_ascii=False).encode() for v in (case, provision, outcome, kind) if v)
    return needles, keep


def matching_json(where: Store | Path, case: str | None = None, since: date | None = None,
                  until: date | None = None, provision: str | None = None, outcome: str | None = None,
                  kind: str | None = None) -> Iterator[dict[str, Json]]:
    """The JSON objects of the records `matching` the filters, streamed. A record whose stored text lacks
    a value searched for is not parsed (`Store.objects`); the filters are then applied to the typed record."""
    needles, keep = selector((case, since, until, provision, outcome, kind))
    return (obj for obj in as_store(where).objects(needles) if keep(obj))


def matching(where: Store | Path, case: str | None = None, since: date | None = None, until: date | None = None,
             provision: str | None = None, outcome: str | None = None,
             kind: str | None = None, brief: bool = False) -> Iterator[AuditRecord]:
    """Records matching every filter given, streamed: case reference, UTC date range (inclusive), a
    provision of the decision or recommendation, the final outcome, the record kind. With `brief`, each
    as its `summary` (a decision without its questions, answers and texts)."""
    read = summary if brief else AuditRecord.from_json
    return (read(obj) for obj in matching_json(where, case, since, until, provision, outcome, kind))


def list_records(where: Store | Path, case: str | None = None, since: date | None = None,
                 until: date | None = None, provision: str | None = None, outcome: str | None = None,
                 kind: str | None = None) -> list[AuditRecord]:
    """The records `matching` the filters, as a list."""
    return list(matching(where, case, since, until, provision, outcome, kind))


def _decision_key(record: DecisionRecord) -> tuple[str, ...]:
    if record.session and record.part.id:
        return ("session", record.session, record.part.id)
    return ("id", record.id)


def latest_decisions(records: Iterable[AuditRecord]) -> list[DecisionRecord]:
    """Decision records, the latest only for each session and part (in log order)."""
    latest: dict[tuple[str, ...], DecisionRecord] = {}
    for rec in records:
        if isinstance(rec, DecisionRecord):
            key = _decision_key(rec)
            latest.pop(key, None)
            latest[key] = rec
    return list(latest.values())


def sign_offs_for(records: Iterable[AuditRecord], decision_id: str) -> list[SignOffRecord]:
    """The sign-offs of the decision with this (full) id."""
    return [r for r in records if isinstance(r, SignOffRecord) and r.decision_id == decision_id]


def object_of(line: StoredLine) -> dict[str, Json] | None:
    """A stored line's JSON object as `Store.objects` gives it (None: a torn line, or not a record)."""
    if line.torn:
        return None
    if not line.columns:  # a JSONL line
        return parse_object(line.raw)
    try:
        obj = json.loads(line.text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    obj["hash"] = dict(line.columns).get("hash", "")
    if line.identity is not None:
        obj[REQUESTER_KEY] = line.identity
    return obj


Listed = tuple[dict[str, Json], bytes | None]  # a record's JSON object; its JSONL line when known to be canonical
SIGN_OFF = json.dumps("sign-off").encode()


def one_pass(store: Store, checker: ChainChecker, filters: Filters,
             signed: dict[str, list[str]] | None = None, lines: bool = True) -> Iterator[Listed]:
    """The records `matching` the filters, read in one pass over the store that also feeds every line to
    the chain check and, with `signed`, fills it with who signed off each decision (by decision id).
    Each record is parsed at most once; a JSONL line the check parsed is not parsed again and comes with
    its text, which is then `record_line` of the object (so it need not be encoded again). Without
    `lines` (a listing that reads only the objects) no text is given, and a database row's is not
    worked out."""
    needles, keep = selector(filters)
    for line in store.lines():
        parsed = checker.feed(line)
        obj = parsed
        if signed is not None and (parsed.get("kind") == "sign-off" if parsed is not None
                                   else may_hold(line.text, (SIGN_OFF,))):
            obj = obj if obj is not None else object_of(line)
            rec = summary(obj) if obj is not None and obj.get("kind") == "sign-off" else None
            if isinstance(rec, SignOffRecord):
                signed.setdefault(rec.decision_id, []).append(rec.by)
        # a line the check found canonical writes each string as `needles` do: no escape to allow for
        if all(n in line.text for n in needles) if parsed is not None else may_hold(line.text, needles):
            obj = obj if obj is not None else object_of(line)
            if obj is not None and keep(obj):
                if not lines:
                    yield obj, None
                elif parsed is not None:
                    yield obj, line.text
                else:
                    yield obj, _with_hash(line, obj) if checker.canonical else None


def _with_hash(row: StoredLine, obj: dict[str, Json]) -> bytes | None:
    """The JSONL line (`record_line` of `obj`, without the newline) of a database row the chain check
    took as written: its hashed JSON with the `hash` entry put where sorted keys put it, found by
    encoding only the entries before it (None if that does not fit, or the row is not one)."""
    if row.hashed is None or not isinstance(digest := obj.get("hash"), str):
        return None
    head = json.dumps({k: v for k, v in obj.items() if k < "hash"}, ensure_ascii=False, sort_keys=True)
    start = head[:-1].encode() if head != "{}" else b"{"
    rest = row.hashed[len(start):]
    if not row.hashed.startswith(start) or not (rest == b"}" or rest.startswith(b", " if head != "{}" else b'"')):
        return None
    entry = f'"hash": {json.dumps(digest, ensure_ascii=False)}'.encode()
    if head == "{}":
        return start + entry + (b"}" if rest == b"}" else b", " + rest)
    return start + b", " + entry + rest
