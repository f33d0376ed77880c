"""What a settings file may hold: the keys, what each is for, and the validated result."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.schema import Field, Obj, Str

DEFAULT_AUTHORITY = "the force"  # what letters say when no authority is set (the rule base's wording)

# key -> what it is for; the order is the order `ncnd settings` shows them in
KEYS: dict[str, str] = {
    "authority": "the authority's name as letters use it, e.g. West Midlands Police",
    "address": "the authority's postal address, for the letter's head (one line, or lines separated by new lines)",
    "contact": "who the requester contacts: the FOI team, its email and telephone",
    "signature": "the signature block: name and role, e.g. Freedom of Information Officer",
    "review": "the internal review procedure (s17(7)(a)): how and where to ask, and the time limit",
    "letterhead": "optional lines printed above the letter (e.g. the unit's name and reference line)",
    "word_template": "optional Word (.docx) template the DOCX letter is styled from (a path)",
    "officer": "your name, recorded with each decision (the --officer option overrides it)",
    "store": "where decisions are stored: a URL such as sqlite:///path or postgresql://host/db",
}

SETTINGS_FILE = Obj("a settings file", {key: Field(Str(), required=False, default="", doc=doc)
                                        for key, doc in KEYS.items()})


@dataclass(frozen=True)
class Settings:
    """The validated settings; a key not set is empty. `source` is the file read (None: none)."""

    authority: str = ""
    address: str = ""
    contact: str = ""
    signature: str = ""
    review: str = ""
    letterhead: str = ""
    word_template: str = ""
    officer: str = ""
    store: str = ""
    source: Path | None = None

    @property
    def authority_name(self) -> str:
        """The name letters use: the authority set here, else the rule base's neutral wording."""
        return self.authority.strip() or DEFAULT_AUTHORITY

    def value(self, key: str) -> str:
        """The value of a settings key ('' when not set)."""
        if key not in KEYS:
            raise KeyError(key)
        return str(getattr(self, key))

    def as_dict(self) -> dict[str, str]:
        """Every key with its value, in the order of KEYS."""
        return {key: self.value(key) for key in KEYS}


assert [f.name for f in fields(Settings)][:-1] == list(KEYS)  # one field per key, in order
