"""A draft s17 response in the layout police forces use (plain Markdown).

Only the stage that settled a part feeds its text, so an NCND part's wording is the same
whether or not the information is held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ncnd_assistant.assess import PartAssessment
from ncnd_assistant.model import Outcome
from ncnd_assistant.workdays import due_date

AUTHORITY = "the force"
CAVEAT = ("This response should not be taken as an indication of whether or not the information you "
          "requested is held.")
RIGHTS = ("If you are dissatisfied with this response you may ask the force for an internal review. "
          "If you remain dissatisfied after the review you may "
          "complain to the Information Commissioner under section 50 of the Freedom of Information Act "
          "2000 (Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF; "
          "ico.org.uk).")


@dataclass(frozen=True)
class NoticePart:
    """One part as decided: the assessment, and what the officer finally decided."""

    assessed: PartAssessment
    final: Outcome
    override_reason: str = ""
    harm_text: str = ""
    public_interest_text: str = ""


def _sections(np: NoticePart) -> list[str]:
    if np.final != np.assessed.outcome:
        return []
    return [c.provision.label for c in np.assessed.decision.cited]


def _response(np: NoticePart) -> list[str]:
    summary = np.assessed.part.summary
    cites = _sections(np)
    cited = " and ".join(s.split(" ")[0] for s in cites) if cites else "[officer to state the provisions]"
    if np.final is Outcome.NOT_HELD:
        return [f"**{summary}.** We have searched our records and the information you requested is not held "
                f"by {AUTHORITY}."]
    if np.final is Outcome.DISCLOSE:
        return [f"**{summary}.** The information you requested is held and is provided below / attached."]
    if np.final is Outcome.REFUSE:
        return [f"**{summary}.** {AUTHORITY.capitalize()} is not obliged to comply with this part of your "
                f"request by virtue of {cited}."]
    if np.final is Outcome.WITHHOLD:
        return [f"**{summary}.** The information you requested is held, but it is exempt from disclosure "
                f"by virtue of {cited}."]
    return [f"**{summary}.** {AUTHORITY.capitalize()} can neither confirm nor deny that it holds the "
            f"information you requested in relation to {summary.lower()}, as the duty in s1(1)(a) of the "
            f"Freedom of Information Act 2000 does not apply by virtue of {cited}."]


def _reasons(np: NoticePart) -> list[str]:
    pa = np.assessed
    if np.final not in (Outcome.NCND, Outcome.WITHHOLD, Outcome.REFUSE):
        return []
    out: list[str] = []
    for cited in pa.decision.cited if np.final == pa.outcome else ():
        p = cited.provision
        kind = "absolute" if p.exemption == "absolute" else "qualified"
        basis = "class-based" if p.test == "class" else "harm-based"
        out.append(f"- {p.label}: {kind}, {basis}. {p.summary}")
    reasons = [f.because for f in pa.explanation.fired if f.conclusion.startswith("engages")]
    if np.harm_text:
        reasons.insert(0, np.harm_text)
    if reasons:
        out += ["", "**Harm**", ""] + reasons
    pi = pa.decision.public_interest if np.final == pa.outcome else None
    if pi is not None:
        verb = "confirmation or denial" if np.final is Outcome.NCND else "disclosure"
        out += ["", "**Public Interest Test**", "", f"Factors favouring {verb}:", ""]
        out += [f"- {f}" for f in pi.for_]
        out += ["", f"Factors against {verb}:", ""] + [f"- {f}" for f in pi.against]
        if np.public_interest_text:
            out += ["", np.public_interest_text]
        out += ["", "**Balance test**", "", pi.balance_because or "[officer to state the balance]"]
    return out


def render_notice(case_ref: str, received: date | None, request: str, parts: list[NoticePart]) -> str:
    """The draft response, for the officer to check and finish."""
    out = [f"# Freedom of Information request {case_ref}", ""]
    if received:
        out += [f"Received: {received.isoformat()}. Response due by: {due_date(received).isoformat()} "
                "(20 working days, s10(1)).", ""]
    if request.strip():
        out += ["## Request", "", *[f"> {line}" if line else ">" for line in request.strip().splitlines()], ""]
    out += ["## Response", "",
            "Section 1(1) of the Freedom of Information Act 2000 places two duties on public authorities: to "
            "confirm or deny whether information is held (s1(1)(a)) and, if held, to communicate it (s1(1)(b)). "
            "Any disclosure under the Act is a disclosure to the world, not just to the requester.", ""]
    for np in parts:
        out += _response(np) + [""] + _reasons(np) + [""]
    if any(np.final is Outcome.NCND for np in parts):
        out += [CAVEAT, ""]
    out += ["## Your rights", "", RIGHTS, "",
            "_Draft produced with decision support, not legal advice: the officer decides._", ""]
    return "\n".join(out)
