"""Interview sessions: everything the officer has entered, saved after every answer.

A session is one JSON file, replaced atomically (write, flush, fsync, rename) so a crash or
Ctrl-C never leaves half a file. Sessions live in the per-user data directory unless told
otherwise (`data_dir`).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ncnd_assistant.decide.answers import ANSWERED, PART_KINDS
from ncnd_assistant.interview.session_shape import REQUIRED, Fields, SessionError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.paths import data_dir, write_private
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.model import Outcome

SESSION_FORMAT = 1
NOT_REFERENCES = frozenset({"?", "help", "why", "back", "review", "quit", "q"})  # commands, not references
REGIMES = ("foia", "eir", "foisa")
# where the session's regime came from: "" not yet chosen (the interview asks), "chosen" by the officer,
# "rules" fixed by --rules (or, in a session saved before the choice existed, its rules path), "answers"
# fixed by the answers file
REGIME_SOURCES = ("", "chosen", "rules", "answers")


@dataclass
class Decision:
    """What the officer decided for a part."""

    recommended: str
    final: str
    provisions: list[str]
    override_reason: str = ""
    harm_text: str = ""
    public_interest_text: str = ""
    decided_at: str = ""
    reasons_withheld: bool = False  # s17(4): the letter omits the reasons, the audit keeps them
    record_id: str = ""  # the audit record of this decision
    withheld_paragraphs: list[str] = field(default_factory=list)  # s17(4) paragraph by paragraph
    departed_from: list[str] = field(default_factory=list)  # audit records of a consistent precedent departed from
    departure_reason: str = ""  # why, in the officer's words


@dataclass
class PartState:
    id: str
    summary: str
    answers: dict[str, Value] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # question ids in the order answered
    pending: str | None = None  # the question being asked (resume starts here)
    decision: Decision | None = None
    tags: list[str] = field(default_factory=list)  # topic tags, for consistency with precedent
    kind: str = "answered"  # or "any_other_information": the protective NCND part
    settled: dict[str, str] = field(default_factory=dict)  # question id -> the officer's reason for a settling answer
    regime: str = ""  # "" = the session's; "eir" once a FOIA part found environmental is answered under the EIR
    foia_answers: dict[str, Value] = field(default_factory=dict)  # a switched part's answers under the FOIA
    carried: dict[str, str] = field(default_factory=dict)  # a switched part: FOIA question or fact -> EIR question


@dataclass
class Session:
    """An interview in progress (or finished)."""

    id: str
    path: Path
    case_ref: str = ""
    received: date | None = None
    request: str = ""
    officer: str = ""
    details_done: bool = False
    parts_done: bool = False
    parts: list[PartState] = field(default_factory=list)
    current: int = 0
    rules: str = ""
    rulebase: dict[str, str] = field(default_factory=dict)
    regime: str = ""  # the law the request is answered under (foia, eir, foisa); "" until chosen or fixed
    regime_source: str = ""  # one of REGIME_SOURCES
    notice_out: str = ""
    audit: str = ""
    finished: bool = False
    created: str = ""
    updated: str = ""

    @staticmethod
    def new(case_ref: str = "", folder: Path | None = None) -> Session:
        folder = folder or sessions_dir()
        case_ref = case_ref if usable_reference(case_ref) else ""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", case_ref).strip("-") or "case"
        sid = f"{slug}-{stamp}-{uuid.uuid4().hex[:6]}"
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return Session(id=sid, path=folder / f"{sid}.json", case_ref=case_ref, created=now, updated=now)

    def discard(self) -> None:
        """Remove the session file (a finished scripted run leaves none behind)."""
        self.path.unlink(missing_ok=True)

    def part(self) -> PartState | None:
        return self.parts[self.current] if 0 <= self.current < len(self.parts) else None

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = SESSION_FORMAT
        data["path"] = str(self.path)
        data["received"] = self.received.isoformat() if self.received else None
        return data

    def save(self) -> None:
        """Replace the session file atomically and durably, owner-only (a `StorageError` naming the
        path if it cannot be written)."""
        self.updated = datetime.now(UTC).isoformat(timespec="seconds")
        write_private(self.path, json.dumps(self.to_data(), indent=2, ensure_ascii=False))

    @staticmethod
    def load(path: Path) -> Session:
        """The session saved at `path`; a SessionError naming the file and the field if it is not one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SessionError(f"cannot read session {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise SessionError(f"cannot read session {path}: the file is not UTF-8 text") from None
        except RecursionError:
            raise SessionError(f"cannot read session {path}: the JSON is nested too deeply") from None
        except ValueError as error:
            raise SessionError(f"cannot read session {path}: the file is not valid JSON ({error})") from None
        return _session(path, Fields(path, data))


def sessions_dir() -> Path:
    """Where sessions are kept by default."""
    return data_dir() / "sessions"


def usable_reference(case_ref: str) -> bool:
    """Whether a typed case reference can name a session: not empty, not a command."""
    return bool(case_ref.strip()) and case_ref.strip().lower() not in NOT_REFERENCES


def saved_sessions(folder: Path | None = None) -> list[Session | SessionError]:
    """Every session file in `folder` (the default place if None), oldest first; a file that
    cannot be read is given as its error, so a listing shows it instead of failing."""
    folder = folder or sessions_dir()
    found: list[Session | SessionError] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            found.append(Session.load(path))
        except SessionError as error:
            found.append(error)
    return found


def _session(path: Path, f: Fields) -> Session:
    """A session from its file's top-level object, every field checked."""
    if f.data.get("format") != SESSION_FORMAT:
        raise SessionError(f"{path} is not a session file this version can read (field `format` is not "
                           f"{SESSION_FORMAT})")
    parts = [_part(p) for p in f.objects("parts")]
    seen: set[str] = set()
    for i, part in enumerate(parts):
        if part.id in seen:
            raise SessionError(f"cannot read session {path}: field `parts[{i}].id` repeats the part id {part.id!r}")
        seen.add(part.id)
    received = f.optional_text("received")
    try:
        day = date.fromisoformat(received) if received else None
    except ValueError:
        raise f.error("received", "a date YYYY-MM-DD", received) from None
    return Session(id=f.text("id", REQUIRED), path=path, case_ref=f.text("case_ref"), received=day,
                   request=f.text("request"), officer=f.text("officer"), details_done=f.flag("details_done"),
                   parts_done=f.flag("parts_done"), parts=parts, current=f.whole("current", 0, len(parts)),
                   rules=f.text("rules"), rulebase=f.text_map("rulebase"),
                   regime=f.choice("regime", ("", *REGIMES), ""),
                   regime_source=f.choice("regime_source", REGIME_SOURCES, "rules"),  # absent: its rules path says
                   notice_out=f.text("notice_out"), audit=f.text("audit"), finished=f.flag("finished"),
                   created=f.text("created"), updated=f.text("updated"))


def _part(f: Fields) -> PartState:
    decision = f.child("decision")
    return PartState(f.text("id", REQUIRED), f.text("summary", REQUIRED), f.answers("answers"), f.texts("history"),
                     f.optional_text("pending"), _decision(decision) if decision else None, f.texts("tags"),
                     f.choice("kind", PART_KINDS, ANSWERED), f.text_map("settled"),
                     f.choice("regime", ("", *REGIMES), ""), f.answers("foia_answers"), f.text_map("carried"))


def _decision(f: Fields) -> Decision:
    outcomes = tuple(o.value for o in Outcome)
    return Decision(f.choice("recommended", outcomes), f.choice("final", outcomes), f.texts("provisions"),
                    f.text("override_reason"), f.text("harm_text"), f.text("public_interest_text"),
                    f.text("decided_at"), f.flag("reasons_withheld"), f.text("record_id"),
                    f.texts("withheld_paragraphs"), f.texts("departed_from"), f.text("departure_reason"))
