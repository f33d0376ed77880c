"""The wording of the draft response a rule base may change (`notice:` in its files), the built-in
default of each template, and which `{placeholders}` each template may use."""

from __future__ import annotations

from dataclasses import dataclass

NOTICE_PLACEHOLDERS = {
    "duty": {"authority", "Authority"},
    "not_held": {"authority", "Authority", "summary"},
    "disclose": {"authority", "Authority", "summary"},
    "eir": {"authority", "Authority", "summary"},
    "withhold": {"authority", "Authority", "summary", "sections"},
    "refuse": {"authority", "Authority", "summary", "sections"},
    "ncnd": {"authority", "Authority", "summary", "sections"},
    "ncnd_other": {"authority", "Authority", "summary", "sections"},
    "reasons_withheld": {"authority", "Authority", "sections"},
    "reasons_partly_withheld": {"authority", "Authority", "sections"},
    "ncnd_caveat": {"authority", "Authority", "summary"},
    "rights": {"authority", "Authority"},
    "due": {"received", "due"},
}


@dataclass(frozen=True)
class NoticeText:
    """The wording of the draft response; `{placeholders}` are filled in per case and part."""

    authority: str = "the authority"
    duty: str = ("Section 1(1) of the Freedom of Information Act 2000 places two duties on public authorities: "
                 "to confirm or deny whether information is held, and if it is held, to communicate it. "
                 "Any disclosure under the Act is a disclosure to the world.")
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
    rights: str = ("If you are dissatisfied with this response you may ask {authority} for an internal review. "
                   "If you remain dissatisfied you may complain to the Information Commissioner under "
                   "section 50 of the Freedom of Information Act 2000.")
    due: str = "Received {received}; the response is due by {due} (20 working days, section 10(1))."
