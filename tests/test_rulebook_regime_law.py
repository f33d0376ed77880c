"""The EIR and FOISA rule books and letters state each regime's own law (docs/law-review-eir-foisa.md):
no FOIA term where the regime differs, and the provisions the review corrected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ncnd_assistant.render.rulebook import rule_book
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> RuleBase:
    return load_rulebase(ROOT / "rules" / name, name)


@pytest.fixture(scope="module")
def eir() -> RuleBase:
    return _load("eir")


@pytest.fixture(scope="module")
def foisa() -> RuleBase:
    return _load("foisa")


def _concludes(book: str) -> list[str]:
    return re.findall(r"^- \*\*Concludes:\*\* (.*)$", book, flags=re.MULTILINE)


def test_foisa_rule_book_never_speaks_of_a_duty_to_confirm_or_deny(foisa: RuleBase) -> None:
    kinds = {r.then.kind for r in foisa.rules}
    assert {ConclusionKind.BALANCE, ConclusionKind.BLOCK} <= kinds  # the words below are reached
    lines = _concludes(rule_book(foisa))
    assert lines and not [line for line in lines if "confirm or deny" in line]
    assert any("contrary to the public interest (s18(1))" in line for line in lines)
    assert any("makes s18(1) unavailable" in line for line in lines)


def test_eir_rule_book_says_exception_and_reg_12_6_not_foia_limbs(eir: RuleBase) -> None:
    lines = _concludes(rule_book(eir))
    assert not [line for line in lines if "exemption" in line or "s24" in line or "endangerment" in line]
    assert any(line.endswith("maintain the exception") for line in lines)
    assert any("makes reg 12(6) unavailable" in line for line in lines)


def test_the_foia_rule_book_keeps_its_own_wording() -> None:
    foia = _load("foia")
    lines = _concludes(rule_book(foia))
    assert any("maintain the exclusion of the duty to confirm or deny" in line for line in lines)


def test_foisa_letter_cites_s16_3_for_withheld_reasons_and_rcs_41_20_for_the_appeal(foisa: RuleBase) -> None:
    notice = foisa.notice
    for text in (notice.reasons_withheld, notice.reasons_partly_withheld):
        assert "section 16(3)" in text and "16(5)" not in text
    assert "Court of Session" in notice.rights and "rule 41.20" in notice.rights
    assert "42" in notice.rights and "Information Commissioner's Office" not in notice.rights
