"""The authority's particulars in the letter, from the user's settings: the letterhead, its
address, the requester's address block, the date and reference lines, the contact and signature
blocks and the internal review procedure (s17(7)(a)). A particular not set leaves a marked gap
"[to complete: ...]" rather than a guess."""

from __future__ import annotations

import re
from datetime import date

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.workdays import long_date
from ncnd_assistant.settings.model import Settings

REVIEW_GAP = ("[to complete: your internal review procedure: how and where to ask for a review, and the time "
              "limit; set it once with `ncnd settings set review ...`]")
SIGNATURE_GAP = "[to complete: the name and role of the person signing]"
ADDRESS_GAP = "[to complete: the authority's postal address; set it with `ncnd settings set address ...`]"


@dataclass(frozen=True)
class Requester:
    """Who the letter is to (optional case details; never used for precedent, masked in exports)."""

    name: str = ""
    address: str = ""

    def __bool__(self) -> bool:
        return bool(self.name.strip() or self.address.strip())


def address_lines(text: str) -> tuple[str, ...]:
    """An address as lines: its own lines, or a one-line address split at its commas."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [piece.strip() for piece in lines[0].split(",") if piece.strip()]
    return tuple(lines)


def lines_of(text: str) -> tuple[str, ...]:
    """A settings value's lines, as written (blank lines dropped)."""
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


def authority_name(settings: Settings | None, default: str) -> str:
    """The authority's name: the settings' if set, else the rule base's neutral wording."""
    return settings.authority.strip() if settings is not None and settings.authority.strip() else default


def in_our_name(text: str, authority: str, default: str = "the force") -> str:
    """Rule-base wording that speaks of "the force", in the authority's name when one is set."""
    if authority == default:
        return text
    text = re.sub(rf"\b{re.escape(default[:1].upper() + default[1:])}\b", authority[:1].upper() + authority[1:],
                  text)
    return re.sub(rf"\b{re.escape(default)}\b", authority, text)


def head_lines(settings: Settings | None, authority: str) -> list[tuple[str, ...]]:
    """The letterhead (if any), then the authority's name and address."""
    out = []
    if settings is not None and settings.letterhead.strip():
        out.append(lines_of(settings.letterhead))
    address = address_lines(settings.address) if settings is not None else ()
    out.append((authority[:1].upper() + authority[1:], *(address or (ADDRESS_GAP,))))
    return out


def requester_lines(requester: Requester | None) -> tuple[str, ...]:
    if not requester:
        return ()
    return tuple(x for x in (requester.name.strip(), *address_lines(requester.address)) if x)


def date_lines(letter_date: date, case_ref: str) -> tuple[str, ...]:
    return (f"Date: {long_date(letter_date)}", f"Our reference: {case_ref}")


def greeting(requester: Requester | None) -> tuple[str, str]:
    """The salutation and the matching close."""
    if requester is not None and requester.name.strip():
        return f"Dear {requester.name.strip()},", "Yours sincerely,"
    return "Dear Sir or Madam,", "Yours faithfully,"


def review_text(settings: Settings | None) -> str:
    """The internal review procedure, or a marked gap (s17(7)(a) requires its particulars)."""
    text = " ".join(settings.review.split()) if settings is not None else ""
    return text or REVIEW_GAP


def signature_lines(settings: Settings | None, authority: str) -> tuple[str, ...]:
    signed = lines_of(settings.signature) if settings is not None else ()
    return (*(signed or (SIGNATURE_GAP,)), authority[:1].upper() + authority[1:])


def contact_text(settings: Settings | None) -> str:
    contact = " ".join(settings.contact.split()) if settings is not None else ""
    return f"If you have any questions about this response, please contact {contact}." if contact else ""
