"""The audit record, typed: what each kind of log record holds (docs/audit.md, "Record format").

`AuditRecord.from_json(obj)` reads one log line's JSON object as a `DecisionRecord`,
`SignOffRecord`, `ExportRecord`, `RepairRecord`, `NoticeSentRecord`, `CaseEventRecord` or
`RoleRecord` by its `kind` (a plain `AuditRecord` for any other kind), and `to_json()` gives back
exactly that JSON, so a record read and written again hashes as before and old logs still verify.
Nothing is lost on the way: keys a type does not know (from future records) and known keys whose
value does not have the expected type (a hand-edited record) are kept as they were in `extra`;
known keys a record lacks (older records) are named in `missing` and not written back. The typed
value of such a key is its default.

The canonical form a record is hashed and stored in (`record_hash`, `record_line`) and the check
that a line is a log record (`parse_line`) live here too, so the JSON shape has one home.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Self, cast

from ncnd_assistant.audit.jsonobject import (
    ANSWERS,
    BOOL,
    INT,
    INTS,
    OPTIONAL_STR,
    STR,
    STRINGS,
    Json,
    JsonObject,
    nullable,
    object_of,
    objects_of,
    stored,
)
from ncnd_assistant.decide.answers import ANSWERED
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.conditions import Value


# ---------------------------------------------------------------------------------------------- parts
@dataclass(frozen=True, kw_only=True)
class RulebaseRef(JsonObject):
    """The rule base a decision was made under."""

    id: str = stored(STR, "")
    version: str = stored(STR, "")
    digest: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class CaseInfo(JsonObject):
    """The request as received."""

    received: str | None = stored(OPTIONAL_STR, None)  # YYYY-MM-DD
    request: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class PartInfo(JsonObject):
    """The part of the request a decision is for."""

    id: str = stored(STR, "")
    summary: str = stored(STR, "")
    tags: tuple[str, ...] = stored(STRINGS, ())
    kind: str = stored(STR, ANSWERED)
    fallback_for: str | None = stored(OPTIONAL_STR, None)
    portion_of: str | None = stored(OPTIONAL_STR, None)
    part_summary: str | None = stored(OPTIONAL_STR, None)
    questions: tuple[int, ...] = stored(INTS, ())  # the request's numbered questions it answers


@dataclass(frozen=True, kw_only=True)
class RequesterInfo(JsonObject):
    """Who asked (optional; never used for precedent, masked in exports)."""

    name: str = stored(STR, "")
    address: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class CasePart(JsonObject):
    """A part of the request as it stood when the decision was made (to tell undecided parts)."""

    id: str = stored(STR, "")
    summary: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class FreeTextCheck(JsonObject):
    """The check of the officer's own text in an NCND part before it went into the letter."""

    status: str = stored(STR, "")  # confirmed, edited, left-out, not-confirmed (no terminal), no-text
    warnings: tuple[str, ...] = stored(STRINGS, ())  # what the detector flagged
    texts: tuple[str, ...] = stored(STRINGS, ())  # which texts were checked (harm_text, a question id)


@dataclass(frozen=True, kw_only=True)
class AskedQuestion(JsonObject):
    """A question as shown and the answer as the officer read it."""

    id: str = stored(STR, "")
    text: str = stored(STR, "")
    answer: str = stored(STR, "")
    sensitive: bool | None = stored(BOOL, None)  # None: recorded before sensitivity flags


@dataclass(frozen=True, kw_only=True)
class Verdict(JsonObject):
    """An outcome and the provisions it relies on (the recommendation, or the officer's decision)."""

    outcome: str = stored(STR, "")
    provisions: tuple[str, ...] = stored(STRINGS, ())


@dataclass(frozen=True, kw_only=True)
class Override(JsonObject):
    """Why the officer departed from the recommendation."""

    reason: str = stored(STR, "")


# ---------------------------------------------------------------------------------------------- records
@dataclass(frozen=True, kw_only=True)
class AuditRecord(JsonObject):
    """What every record has; a record of a kind this version does not know is just this."""

    id: str = stored(STR, "")
    time: str = stored(STR, "")  # UTC, ISO 8601 to the second
    tool_version: str = stored(STR, "")
    kind: str = stored(STR, "")
    prev_hash: str = stored(STR, "")
    hash: str = stored(STR, "")

    @classmethod
    def from_json(cls, obj: Mapping[str, Json]) -> Self:
        """Called on AuditRecord: the record type of `obj`'s kind; on a subclass: that type."""
        kind = obj.get("kind")
        if cls is AuditRecord and isinstance(kind, str) and kind in RECORD_TYPES:
            return cast(Self, RECORD_TYPES[kind].from_json(obj))
        return super().from_json(obj)


@dataclass(frozen=True, kw_only=True)
class DecisionRecord(AuditRecord):
    """`kind: decision`: one part of a request as asked, answered, fired and decided."""

    source: str = stored(STR, "")  # interview or decide
    case_ref: str | None = stored(OPTIONAL_STR, None)
    officer: str = stored(STR, "")
    session: str = stored(STR, "")
    rulebase: RulebaseRef = stored(object_of(RulebaseRef), RulebaseRef())
    case: CaseInfo = stored(object_of(CaseInfo), CaseInfo())
    decided_on: str = stored(STR, "")  # YYYY-MM-DD of the response the decision is for
    part: PartInfo = stored(object_of(PartInfo), PartInfo())
    questions: tuple[AskedQuestion, ...] = stored(objects_of(AskedQuestion), ())
    answers: Mapping[str, Value] | None = stored(ANSWERS, None)  # None: recorded before raw answers were
    fired: tuple[str, ...] = stored(STRINGS, ())
    recommendation: Verdict = stored(object_of(Verdict), Verdict())
    considered_provisions: tuple[str, ...] = stored(STRINGS, ())
    decision: Verdict = stored(object_of(Verdict), Verdict())
    override: Override | None = stored(nullable(object_of(Override)), None)
    harm_text: str = stored(STR, "")
    public_interest_text: str = stored(STR, "")
    reasons_withheld: bool | None = stored(BOOL, None)  # s17(4); None: not recorded
    withheld_paragraphs: tuple[str, ...] = stored(STRINGS, ())
    reasons: tuple[str, ...] = stored(STRINGS, ())
    sign_off_required: bool | None = stored(BOOL, None)  # None: not recorded
    requester: RequesterInfo | None = stored(nullable(object_of(RequesterInfo)), None)  # None: not given
    case_parts: tuple[CasePart, ...] = stored(objects_of(CasePart), ())  # (): not recorded
    free_text_check: FreeTextCheck | None = stored(nullable(object_of(FreeTextCheck)), None)


# decision keys written only when there is something to say (decision_record): a record without them
# is current, not old
WRITTEN_WHEN_GIVEN = frozenset({"requester", "case_parts", "free_text_check"})


@dataclass(frozen=True, kw_only=True)
class SignOffRecord(AuditRecord):
    """`kind: sign-off`: a second officer's approval of a decision."""

    decision_id: str = stored(STR, "")
    by: str = stored(STR, "")
    case_ref: str | None = stored(OPTIONAL_STR, None)
    decided_by: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class ExportRecord(AuditRecord):
    """`kind: export`: a decision exported for a reviewer, the ICO or a tribunal."""

    decision_id: str = stored(STR, "")
    case_ref: str | None = stored(OPTIONAL_STR, None)
    format: str = stored(STR, "")
    masked: tuple[str, ...] = stored(STRINGS, ())
    mask_sensitive: bool = stored(BOOL, True)
    by: str = stored(STR, "")
    export_sha256: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class RepairRecord(AuditRecord):
    """`kind: repair`: a torn tail cut off by an append."""

    reason: str = stored(STR, "")
    offset: int = stored(INT, 0)
    after: str | None = stored(OPTIONAL_STR, None)
    removed_bytes: int = stored(INT, 0)
    removed_sha256: str = stored(STR, "")
    removed_text: str = stored(STR, "")


@dataclass(frozen=True, kw_only=True)
class NoticeSentRecord(AuditRecord):
    """`kind: notice-sent`: the letter actually sent for a case (`ncnd notice finalise`): its text
    (for a Word file, the text read from it) and the SHA-256 of the file's bytes."""

    decision_id: str = stored(STR, "")
    case_ref: str | None = stored(OPTIONAL_STR, None)
    session: str = stored(STR, "")
    file_name: str = stored(STR, "")  # the name only, not the folder
    format: str = stored(STR, "")  # markdown, text or docx
    sha256: str = stored(STR, "")  # of the file's bytes
    text: str = stored(STR, "")
    sent_on: str = stored(STR, "")  # YYYY-MM-DD
    by: str = stored(STR, "")
    awaiting_sign_off: tuple[str, ...] = stored(STRINGS, ())  # decisions of the case not yet signed off


@dataclass(frozen=True, kw_only=True)
class CaseEventRecord(AuditRecord):
    """`kind: case-event`: something that happened to a case beyond its decisions (the statutory
    clock, reviews, the ICO): see `cases.events` for the event types."""

    case_ref: str | None = stored(OPTIONAL_STR, None)
    event: str = stored(STR, "")
    date: str = stored(STR, "")  # YYYY-MM-DD the event happened (not when it was recorded)
    officer: str = stored(STR, "")  # who recorded it
    note: str = stored(STR, "")
    reference: str = stored(STR, "")  # an ICO decision notice (FS5...) or a tribunal appeal number
    outcome: str = stored(STR, "")  # of a review, an ICO decision or a tribunal
    working_days: int = stored(INT, 0)  # a holding notice's extension (0: the default)
    decisions: tuple[str, ...] = stored(STRINGS, ())  # decision records the event links (a review's)
    replaces: tuple[str, ...] = stored(STRINGS, ())  # decision records a review decided again


@dataclass(frozen=True, kw_only=True)
class RoleRecord(AuditRecord):
    """`kind: role`: a role (officer, signer) given to or taken from a named officer."""

    name: str = stored(STR, "")
    role: str = stored(STR, "")
    granted: bool = stored(BOOL, True)
    by: str = stored(STR, "")


RECORD_TYPES: dict[str, type[AuditRecord]] = {
    "decision": DecisionRecord, "sign-off": SignOffRecord, "export": ExportRecord, "repair": RepairRecord,
    "notice-sent": NoticeSentRecord, "case-event": CaseEventRecord, "role": RoleRecord}


# ---------------------------------------------------------------------------------------------- canonical form
def record_hash(obj: Mapping[str, Json]) -> str:
    """sha256 of the record without its `hash` key, as sorted-key JSON (UTF-8, no ASCII escaping)."""
    body = {k: v for k, v in obj.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def record_line(obj: Mapping[str, Json]) -> bytes:
    """The record exactly as the log stores it: one line of sorted-key JSON and a newline."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _load(raw: bytes) -> Json:
    return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)


def parse_object(raw: bytes) -> dict[str, Json] | None:
    """One log line as the JSON object of a record (one with string `hash` and `prev_hash`), else None."""
    try:
        value = _load(raw)
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(value, dict) and isinstance(value.get("hash"), str) and isinstance(value.get("prev_hash"), str):
        return value
    return None


def parse_line(raw: bytes) -> AuditRecord | None:
    """One log line as a record (a JSON object with string `hash` and `prev_hash`), else None."""
    value = parse_object(raw)
    return None if value is None else AuditRecord.from_json(value)


def why_not_a_record(raw: bytes) -> str:
    """What a line that `parse_line` refuses is instead."""
    if not raw.strip():
        return "a blank line"
    try:
        value = _load(raw)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError as error:
        return f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return "JSON, but not an object"
    return "a JSON object without a `hash` and `prev_hash`"
