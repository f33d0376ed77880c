"""The wording of the draft response a rule base may change (`notice:` in its files), the built-in
default of each template, and which `{placeholders}` each template may use.

The authority's particulars (its name, address, contact, signature and internal review procedure)
come from the user's settings, not from here: `authority` is only the neutral name used when no
settings name one."""

from __future__ import annotations

from ncnd_assistant.lazy_dataclass import dataclass

NAME = {"authority", "Authority"}
NOTICE_PLACEHOLDERS = {
    "opening": NAME | {"received"},
    "duty": NAME,
    "questions": NAME | {"questions"},
    "not_held": NAME | {"summary"},
    "disclose": NAME | {"summary"},
    "eir": NAME | {"summary"},
    "withhold": NAME | {"summary", "sections"},
    "refuse": NAME | {"summary", "sections"},
    "ncnd": NAME | {"summary", "sections"},
    "ncnd_other": NAME | {"summary", "sections"},
    "reasons_withheld": NAME | {"sections"},
    "reasons_partly_withheld": NAME | {"sections"},
    "ncnd_caveat": NAME | {"summary"},
    "review": NAME | {"review"},
    "rights": NAME,
    "due": {"received", "due"},
}


@dataclass(frozen=True)
class NoticeText:
    """The wording of the draft response; `{placeholders}` are filled in per case and part."""

    authority: str = "the authority"
    # regime-neutral defaults (the rule base words its own law): `opening` and `review`
    opening: str = "Thank you for your request for information, received on {received}."
    duty: str = ("Section 1(1) of the Freedom of Information Act 2000 places two duties on public authorities: "
                 "to confirm or deny whether information is held, and if it is held, to communicate it. "
                 "Any disclosure under the Act is a disclosure to the world.")
    questions: str = "This is our response to {questions} of your request."
    not_held: str = "We have searched our records and the information you requested is not held by {authority}."
    disclose: str = "The information you requested is held and is provided below."
    eir: str = ("This part of your request, about {summary}, is for environmental information. Environmental "
                "information is exempt under section 39 of the Freedom of Information Act 2000 because it must be "
                "dealt with under the Environmental Information Regulations 2004, and {authority} is dealing with "
                "this part under those Regulations.")
    withhold: str = "The information you requested is held, but it is exempt from disclosure by virtue of {sections}."
    refuse: str = "{Authority} is not obliged to comply with this part of your request by virtue of {sections}."
    ncnd: str = ("{Authority} can neither confirm nor deny that it holds the information you requested in "
                 "relation to {summary}, by virtue of {sections}.")
    ncnd_other: str = ("{Authority} can neither confirm nor deny that it holds any other information relevant to "
                       "your request, such as information relating to {summary}, by virtue of {sections}.")
    reasons_withheld: str = ("{Authority} is not required to explain further why {sections} applies, as doing "
                             "so would itself disclose exempt information (section 17(4)).")
    reasons_partly_withheld: str = ("Some of the reasons for relying on {sections} are not given, because giving "
                                    "them would itself disclose exempt information (section 17(4)).")
    ncnd_caveat: str = ("Nothing in this response should be taken as an indication of whether or not "
                        "information relating to {summary} is held.")
    review: str = "If you are dissatisfied with this response you may ask {authority} for a review of it. {review}"
    rights: str = ("If you remain dissatisfied after the internal review, you may complain to the Information "
                   "Commissioner under section 50 of the Freedom of Information Act 2000.")
    due: str = "Received {received}; the response is due by {due} (20 working days, section 10(1))."
