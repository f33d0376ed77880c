"""A rule base's regime and the letter sections it supplies must agree.

A rule base declares its regime (`rulebase: regime:`) and supplies the wording of the letter in
`notice:`. The built-in wording of some sections states FOIA 2000 law (the s1 duties, s17(4), the
complaint to the Information Commissioner under s50, the s39 route to the EIR); a rule base for
another regime that leaves one of them out would send a Scottish or environmental requester a
letter citing the wrong Act and the wrong appeal route. `regime_problems` names each such section.
"""

from __future__ import annotations

import dataclasses
import re

from ncnd_assistant.errors import Problem
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.notice_text import NoticeText

# FOIA law in a built-in template: a section number, the Act, or the (UK) Information Commissioner
FOIA_LAW = re.compile(r"\bsections? \d|Freedom of Information Act 2000|Information Commissioner")


def _foia_worded() -> tuple[str, ...]:
    """The letter sections whose built-in wording (NoticeText's defaults) states FOIA 2000 law; found
    from the defaults themselves, so a section added to NoticeText later is checked too."""
    default = NoticeText()
    return tuple(f.name for f in dataclasses.fields(NoticeText)
                 if isinstance(getattr(default, f.name), str) and FOIA_LAW.search(getattr(default, f.name)))


FOIA_WORDED = _foia_worded()  # today: duty, eir, reasons_withheld, reasons_partly_withheld, rights, due


def sections_needed(rb: RuleBase) -> tuple[str, ...]:
    """The FOIA-worded sections this rule base's letters can use: all of them, but `eir` only when a
    rule can send a part to the EIR."""
    sends_to_eir = any(r.then.kind is ConclusionKind.OUTCOME and r.then.target == "eir" for r in rb.rules)
    return tuple(key for key in FOIA_WORDED if key != "eir" or sends_to_eir)


def regime_problems(rb: RuleBase) -> list[Problem]:
    """A `regime-letter` problem when a non-FOIA rule base leaves a FOIA-worded section to the default."""
    if rb.meta.regime == "foia":
        return []
    default = NoticeText()
    missing = [key for key in sections_needed(rb) if getattr(rb.notice, key) == getattr(default, key)]
    if not missing:
        return []
    return [Problem(rb.meta.loc, "regime-letter",
                    f"the rule base serves '{rb.meta.regime}', but its `notice:` does not word "
                    f"{', '.join(missing)}: the letter would fall back to the built-in FOIA 2000 wording "
                    "(FOIA sections and the Information Commissioner's complaint route)",
                    f"add {', '.join(missing)} to `notice:` in the words of the regime's own law "
                    "(docs/rules.md, `notice`)")]
