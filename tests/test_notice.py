"""The draft s17 notice: police layout, wording from the rule base, s17(4), no leak of holding."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncnd_assistant.checks.scenarios import Scenario
from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import RuleBaseError
from ncnd_assistant.letter.notice import NoticePart, Requester, letter_draft, render_blocks, render_notice
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import Outcome, RuleBase
from ncnd_assistant.settings.model import Settings
from tests.conftest import SEED, SHIPPED, check_golden, shipped_scenarios

RECEIVED = date(2018, 5, 1)
LETTER_DATE = date(2018, 5, 30)
WMP = Settings(authority="West Midlands Police", address="Lloyd House, Colmore Circus Queensway, Birmingham B4 6NQ",
               contact="Freedom of Information Unit, foi@example.police.uk", signature="Freedom of Information Officer",
               review="Write to the Freedom of Information Unit within 40 working days of this letter, quoting the "
                      "reference.")


def seed_parts(rb: RuleBase, assessor: Assessor, withheld: bool = False) -> list[NoticePart]:
    """The seed's parts as decided and signed off (the covert part's s24(2) needs a second officer)."""
    request = load_request(SEED, rb)
    return [NoticePart(pa, pa.outcome, reasons_withheld=withheld and pa.outcome is Outcome.NCND, awaiting_sign_off=())
            for pa in (assessor.assess_part(p) for p in request.parts)]


def seed_notice(rb: RuleBase, assessor: Assessor, fmt: str = "markdown", withheld: bool = False,
                settings: Settings | None = None, requester: Requester | None = None) -> str:
    request = load_request(SEED, rb)
    return render_notice(rb, request.case_ref, RECEIVED, request.request, seed_parts(rb, assessor, withheld), fmt,
                         settings=settings, letter_date=LETTER_DATE, requester=requester)


def test_the_seed_notice_matches_its_golden_files(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    """The seed's letter in West Midlands Police's name, as an FOI manager would read it."""
    check_golden("seed-notice.md", seed_notice(shipped, shipped_assessor, settings=WMP))
    check_golden("seed-notice.txt", seed_notice(shipped, shipped_assessor, "text", settings=WMP))


def test_the_letter_is_in_the_authoritys_name_with_its_particulars(shipped: RuleBase,
                                                                     shipped_assessor: Assessor) -> None:
    text = " ".join(seed_notice(shipped, shipped_assessor, settings=WMP,
                                requester=Requester("Ms A Example", "1 High Street\nBirmingham B1 1AA")).split())
    assert "West Midlands Police can neither confirm nor deny" in text
    assert "the force can neither" not in text.lower()
    assert "Lloyd House Colmore Circus Queensway Birmingham B4 6NQ" in text  # the address, one part a line
    assert "Date: 30 May 2018" in text and "Our reference: 16883_18" in text
    assert "Ms A Example 1 High Street Birmingham B1 1AA" in text and "Dear Ms A Example," in text
    assert "received on 1 May 2018" in text  # no zero padding
    assert "within 40 working days of this letter" in text  # the internal review procedure (s17(7)(a))
    assert text.index("internal review") < text.index("Information Commissioner under section 50")
    assert "please contact Freedom of Information Unit, foi@example.police.uk" in text
    assert text.endswith("Yours sincerely, Freedom of Information Officer West Midlands Police")
    for internal in ("DRAFT", "Response due by", "[to complete"):  # for the officer, not the letter
        assert internal not in text


def test_without_settings_the_gaps_are_marked_and_the_officer_told(shipped: RuleBase,
                                                                   shipped_assessor: Assessor) -> None:
    request = load_request(SEED, shipped)
    draft = letter_draft(shipped, request.case_ref, RECEIVED, request.request, seed_parts(shipped, shipped_assessor),
                         letter_date=LETTER_DATE)
    letter = " ".join(" ".join((b.text, *b.items)) for b in draft.blocks)
    assert "[to complete: your internal review procedure" in letter
    assert "[to complete: the name and role of the person signing]" in letter
    notes = " ".join(draft.officer_notes)
    assert "DRAFT prepared with decision support" in notes
    assert "Response due by 31 May 2018" in notes  # the due date is the officer's, not the requester's
    assert "ncnd settings set authority" in notes


def test_the_seed_notice_has_the_seed_responses_sections(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    text = " ".join(seed_notice(shipped, shipped_assessor).split())
    assert "is not held by the force" in text  # the overt part
    assert "can neither confirm nor deny that it holds the information" in text
    assert "by virtue of S24(2) and S31(3)" in text
    assert "S24(2) National Security (qualified)" in text
    assert "S31(3) Law Enforcement (qualified, prejudice-based)" in text
    for heading in ("#### Harm in confirming or denying", "#### Public interest test: S24(2) National Security",
                    "#### Public interest test: S31(3) Law Enforcement", "#### Balance test", "## Internal review",
                    "## Your right to complain"):
        assert heading in seed_notice(shipped, shipped_assessor)
    assert "Factors favouring confirmation or denial:" in text and "Factors against confirmation or denial:" in text
    assert "does or does not exist" in text  # the neutral NCND caveat
    assert "internal review" in text and "Information Commissioner" in text and "section 50" in text
    assert text.index("is not held") < text.index("neither confirm nor deny")  # parts in the order asked


def test_harm_and_public_interest_follow_the_provisions_in_order(shipped: RuleBase,
                                                                  shipped_assessor: Assessor) -> None:
    """WMP's layout: S24 then S31, for the harm and for the factors."""
    text = " ".join(seed_notice(shipped, shipped_assessor).split())
    national_security = text.index("show terrorists and others who threaten national security")
    law_enforcement = text.index("tell offenders which tactics and capabilities the police use")
    assert national_security < law_enforcement
    assert text.index("Public interest test: S24(2)") < text.index("Public interest test: S31(3)")


def test_public_interest_factors_are_each_given_once_and_are_factors(shipped: RuleBase,
                                                                     shipped_assessor: Assessor) -> None:
    from ncnd_assistant.letter.public_interest import near_duplicate
    for scenario in (s for s in shipped_scenarios() if s.outcome == "ncnd"):
        pa = shipped_assessor.assess_part(scenario.part)
        letter = render_notice(shipped, "X", RECEIVED, "r", [NoticePart(pa, pa.outcome)], letter_date=LETTER_DATE)
        items = [line[2:] for line in letter.splitlines() if line.startswith("- ") and "(qualified" not in line
                 and "(absolute" not in line]
        assert not [i for i in items if "more probable than not" in i], scenario.name
        doubles = [(a, b) for n, a in enumerate(items) for b in items[n + 1:] if near_duplicate(a, b)]
        assert doubles == [], scenario.name


def test_near_duplicate_factors_are_recognised() -> None:
    from ncnd_assistant.letter.public_interest import distinct, is_factor, near_duplicate
    assert near_duplicate("Answers given by different forces could be compared to map where a tactic is or is not "
                          "used.", "Answers given by different forces can be compared to map where tactics are or "
                          "are not used.")
    assert not near_duplicate("Confirming or denying would reveal police tactical capability.",
                              "The public is entitled to know how public money is spent.")
    assert not is_factor("The danger to health or safety from confirming or denying is more probable than not.")
    seen: list[str] = []
    assert distinct(["A map of tactics could be drawn.", "A map of tactics could be drawn!", "Other."], seen) == \
        ("A map of tactics could be drawn.", "Other.")


def test_an_absolute_limb_is_explained_under_its_own_heading(shipped: RuleBase, shipped_assessor: Assessor,
                                                             scenarios: tuple[Scenario, ...]) -> None:
    [scenario] = [s for s in scenarios if s.name.startswith("a request about Special Branch")]
    pa = shipped_assessor.assess_part(scenario.part)
    text = render_notice(shipped, "T-1", None, "request", [NoticePart(pa, pa.outcome)], letter_date=LETTER_DATE)
    absolute = text.index("#### S23(5)")
    assert "an absolute exemption" in text[absolute:absolute + 120]
    assert "Section 23(5) removes the duty to confirm or deny" in text[absolute:text.index("#### Harm")]


def test_a_part_says_which_questions_it_answers(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    overt, covert = seed_parts(shipped, shipped_assessor)
    text = " ".join(render_notice(shipped, "X", RECEIVED, "r", [replace(overt, questions=(2, 1)),
                                                               replace(covert, questions=(3,))],
                                  letter_date=LETTER_DATE).split())
    assert "This is our response to questions 1 and 2 of your request." in text
    assert "This is our response to question 3 of your request." in text


def test_s17_4_leaves_the_reasons_out_of_the_letter(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    text = seed_notice(shipped, shipped_assessor, withheld=True)
    assert "Harm in confirming or denying" not in text and "Public Interest Test" not in text
    assert "section 17(4)" in text.replace("s17(4)", "section 17(4)")
    assert "by virtue of S24(2) and S31(3)" in " ".join(text.split())


def test_rule_authors_change_the_letter_without_python(tmp_path: Path) -> None:
    folder = tmp_path / "foia"
    shutil.copytree(SHIPPED, folder)
    notice = folder / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("authority: the force",
                                                                 "authority: Midshire Police"), encoding="utf-8")
    rb = load_rulebase(folder)
    text = seed_notice(rb, Assessor(rb))
    assert "Midshire Police can neither confirm nor deny" in " ".join(text.split())
    with_settings = seed_notice(rb, Assessor(rb), settings=WMP)  # the settings name the authority over it
    assert "West Midlands Police can neither confirm nor deny" in " ".join(with_settings.split())


def ncnd_scenarios() -> list[Scenario]:
    return [s for s in shipped_scenarios() if s.outcome == "ncnd"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per shipped NCND scenario: the ids are needed at collection, from the session's one load."""
    if "ncnd_scenario" in metafunc.fixturenames:
        found = ncnd_scenarios()
        metafunc.parametrize("ncnd_scenario", found, ids=[s.slug for s in found])


def test_most_ncnd_scenarios_are_checked() -> None:
    assert len(ncnd_scenarios()) >= 10


def test_an_ncnd_notice_is_byte_identical_whether_or_not_the_information_is_held(
        shipped: RuleBase, shipped_assessor: Assessor, ncnd_scenario: Scenario) -> None:
    scenario = ncnd_scenario
    for withheld in (False, True):
        letters = set()
        for held in (True, False):
            assessed = shipped_assessor.assess_part(replace(scenario.part,
                                                            answers={**scenario.part.answers, "held": held}))
            assert assessed.outcome is Outcome.NCND
            letters.add(render_notice(shipped, "X", RECEIVED, "request",
                                      [NoticePart(assessed, assessed.outcome, reasons_withheld=withheld,
                                                  questions=(1,))], settings=WMP, letter_date=LETTER_DATE,
                                      requester=Requester("A. Requester", "1 High Street")))
        assert len(letters) == 1


def test_a_letter_relying_on_s23_5_and_s24_2_says_they_apply_in_the_alternative(
        shipped: RuleBase, shipped_assessor: Assessor, scenarios: tuple[Scenario, ...]) -> None:
    [scenario] = [s for s in scenarios if s.name.startswith("a request about Special Branch")]
    pa = shipped_assessor.assess_part(scenario.part)
    text = " ".join(render_notice(shipped, "T-1", None, "request", [NoticePart(pa, pa.outcome)], "text").split())
    assert "S23(5) and S24(2) are relied on in the alternative. It would not be appropriate to say which" in text
    assert "Section 23(5) removes the duty to confirm or deny" in text
    assert "That is itself information about a security body" not in text  # the officer's reasoning stays out


OFFICER_ONLY = ("the officer", "rule base", "Handle the request", "the requester", "no public interest test applies "
                "and still apply", "Absolute exclusions (", "Absolute exemptions (", "£600",
                "(for example whether they were arrested", "so section 30(3) applies", "is class-based and qualified",
                "Section 42(2) is class-based", "It is absolute: no public")


def test_no_letter_carries_text_written_for_the_officer(
        shipped: RuleBase, shipped_assessor: Assessor, scenarios: tuple[Scenario, ...]) -> None:
    """Letters use each rule's `notice`; its `because` (reasoning for the officer) stays out."""
    leaks = []
    for scenario in (s for s in scenarios if not s.outcome.startswith("contradiction")):
        assessed = shipped_assessor.assess_part(replace(scenario.part, summary="this part"))
        letter = " ".join(render_notice(shipped, "X", RECEIVED, "request", [NoticePart(assessed, assessed.outcome)],
                                        "text").split())
        leaks += [f"{scenario.name[:60]}: '{phrase}'" for phrase in OFFICER_ONLY if phrase in letter]
    assert leaks == []


def test_a_rule_notice_names_the_enactment_the_officer_gave(
        shipped: RuleBase, shipped_assessor: Assessor, scenarios: tuple[Scenario, ...]) -> None:
    [scenario] = [s for s in scenarios if s.name.startswith("whether the force obtained an interception warrant")]
    answers = {**scenario.part.answers, "statutory_bar_enactment": "section 57 of the Example Act 2016"}
    pa = shipped_assessor.assess_part(replace(scenario.part, answers=answers))
    letter = " ".join(render_notice(shipped, "X", RECEIVED, "r", [NoticePart(pa, pa.outcome)], "text").split())
    assert "is prohibited by section 57 of the Example Act 2016, so the duty to confirm or deny does not arise" \
        in letter


def test_a_rule_notice_may_only_name_text_questions_of_its_stage(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules)
    path = rules / "rules-stage1-other-class.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{statutory_bar_enactment}", "{accessible_where}"),
                    encoding="utf-8")
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase(rules)
    [problem] = [p for p in caught.value.problems if p.code == "bad-placeholder"]
    assert "{accessible_where}, which is not a text or choice question answered by stage 1" in problem.message


def test_the_ncnd_caveat_closes_its_own_part_and_a_disclosure_leaves_a_gap_to_fill(shipped: RuleBase,
                                                                                  shipped_assessor: Assessor) -> None:
    request = load_request(SEED, shipped)
    overt, covert = (shipped_assessor.assess_part(p) for p in request.parts)
    letter = render_notice(shipped, "X", RECEIVED, "r", [NoticePart(covert, covert.outcome),
                                                         NoticePart(overt, overt.outcome)], "text")
    flat = " ".join(letter.split())
    caveat = flat.index("should be taken as an indication that any information relating to covert use")
    assert caveat < flat.index("Overt use of facial recognition")  # before the next part's heading
    disclosed = replace(overt, outcome=Outcome.DISCLOSE)
    letter = render_notice(shipped, "X", RECEIVED, "r", [NoticePart(disclosed, Outcome.DISCLOSE)], "text")
    assert "[to complete: the information disclosed, or where it is attached]" in letter


def test_the_s40_5a_letter_promises_no_subject_access_reply_and_the_officer_is_reminded_of_it(
        shipped: RuleBase, shipped_assessor: Assessor, scenarios: tuple[Scenario, ...]) -> None:
    found = [s for s in scenarios if "s40(5A)" in s.provisions and s.outcome == "ncnd"]
    assert found
    pa = shipped_assessor.assess_part(found[0].part)
    draft = letter_draft(shipped, "X", RECEIVED, "r", [NoticePart(pa, pa.outcome)], letter_date=LETTER_DATE)
    letter = " ".join(render_blocks(draft.blocks, "text").split())
    assert "You may ask the force for your own personal data by a subject access request" in letter
    assert "reply to you separately" not in letter and "answered separately" not in letter
    assert any("subject access request" in note and "say so in the letter" in note for note in draft.officer_notes)
    seed = letter_draft(shipped, "X", RECEIVED, "r", seed_parts(shipped, shipped_assessor), letter_date=LETTER_DATE)
    assert not any("subject access" in note for note in seed.officer_notes)


@given(st.lists(st.sampled_from(["Answers given by different forces could be compared.", "Answers given by "
                                 "different forces can be compared!", "Offenders would adapt.", "It is more probable "
                                 "than not.", "Public money is spent on it."]), max_size=8))
def test_distinct_factors_are_each_given_once_and_a_second_pass_changes_nothing(factors: list[str]) -> None:
    from ncnd_assistant.letter.public_interest import distinct, near_duplicate
    once = distinct(factors, [])
    assert all(not near_duplicate(a, b) for n, a in enumerate(once) for b in once[n + 1:])
    assert distinct(once, []) == once
    assert not any("more probable than not" in f for f in once)
