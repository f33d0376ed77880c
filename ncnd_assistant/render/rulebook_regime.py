"""The rule book's wording that states the law of a regime: the group headings, "How a part is
decided", the glossary, and each provision's limb and test. FOIA's is in `rulebook` and
`rulebase.wording`; a regime listed here has its own, so an EIR rule book explains reg 12 and 13
rather than FOIA s1, s2, s12 and s14 (`regime_wording`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ncnd_assistant.rulebase.model import Limb, Provision, RuleBase


@dataclass(frozen=True)
class BookWording:
    """A regime's group headings and introductions (by limb), procedure and glossary, and the
    provision character lines (limb, test) it words differently from FOIA."""

    groups: dict[Limb, tuple[str, str]]
    procedure: tuple[str, ...]
    glossary: tuple[tuple[str, str], ...]
    limbs: dict[Limb, str] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)

    def character(self, provision: Provision, lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A provision's character lines (`phrasing.provision_character`) with this regime's limb and test."""
        own = {"Limb": self.limbs.get(provision.limb), "Test": self.tests.get(provision.test)}
        return [(heading, own.get(heading) or text) for heading, text in lines]


EIR = BookWording(
    groups={
        Limb.REFUSE: (
            "Refusals of the request",
            "Exceptions that refuse the request as a whole (reg 12(4)(b) manifestly unreasonable, reg 12(4)(c) "
            "too general). Unlike FOIA's s12 and s14 they are exceptions: each is relied on only where its "
            "public interest test, with the presumption in favour of disclosure, favours it (reg 12(1)(b), "
            "12(2)). They are asked at Stage 2 before whether the information is held, so a refusal does not "
            "depend on it."),
        Limb.NCND: (
            "Neither confirm nor deny (Stage 1)",
            "The EIR have no general duty to confirm or deny. These provisions allow a response that neither "
            "confirms nor denies whether information exists and is held, whether or not it is: reg 12(6) for "
            "the reg 12(5)(a) interests, with the public interest test, and reg 13(5A) for personal data. "
            "Decided without knowing whether anything is held (reg 12(7))."),
        Limb.WITHHOLD: (
            "Exceptions to the duty to make information available (Stage 2)",
            "Each allows the authority to refuse to make available environmental information it holds (reg "
            "5(1), 12(1), 13(1)). Every reg 12 exception is qualified and read with the presumption in favour "
            "of disclosure; reg 12(9) removes reg 12(5)(d)-(g) for information on emissions. Reached only "
            "when Stage 1 did not settle the part."),
    },
    procedure=(
        "1. **Stage 1 (confirm or deny)** uses only the Stage-1 answers, so it never depends on whether "
        "information is held. reg 12(6) is relied on only if the public interest balance, applying the "
        "presumption in favour of disclosure, is to maintain it, and not where the fact has been officially "
        "confirmed; reg 13(5A) with 13(5B)(a) has no public interest test. If either is relied on the part "
        "is answered \"neither confirm nor deny\", citing each provision relied on.",
        "2. **Stage 2 (disclosure)** runs only otherwise: a refusal (reg 12(4)(b) or 12(4)(c), each only where "
        "its public interest test favours it), then \"not held\" (reg 12(4)(a)), then each engaged exception "
        "(reg 13(1), or a reg 12 exception with the balance to maintain it; reg 12(5)(d)-(g) never for "
        "information on emissions) gives \"withhold\"; otherwise \"disclose\".",
        "3. **Which questions are asked.** Gating questions (whether the request is manifestly unreasonable or "
        "too general, whether the information is held, and screening questions that open a group of "
        "questions) decide which questions are asked and are listed under each question they gate (\"Asked "
        "only when\"), not under the provisions, whose \"Questions that lead here\" are only those whose "
        "answers engage them.",
        "4. **Held-invariance.** For every NCND part the tool checks that the outcome, the provisions and the "
        "letter are the same whether or not the information is held.",
        "5. **Decision support, not legal advice.** The tool recommends; the officer decides, and an "
        "override is recorded with its reason.",
    ),
    glossary=(
        ("Limb", "which response a provision gives: neither confirm nor deny (reg 12(6), reg 13(5A)), refuse "
                 "to make available information that is held (an exception), or refuse the request as a whole "
                 "(reg 12(4)(b), 12(4)(c))."),
        ("Neither confirm nor deny", "a response under reg 12(6) or reg 13(5A) that does not say whether the "
                                     "information exists and is held (NCND)."),
        ("Exception", "a provision of reg 12(4), 12(5) or 13 under which environmental information that is "
                      "held need not (for reg 13, must not) be made available; the refusal is given under reg 14."),
        ("Engaged", "the provision's test is met on the answers given (a rule engaging it applied)."),
        ("Relied on", "engaged and cited in the response as its reason: absolute, or qualified with the public "
                      "interest test favouring maintaining it, and (for NCND) not made unavailable by official "
                      "confirmation."),
        ("Set aside", "engaged, but not relied on, because the fact has been officially confirmed (so NCND is "
                      "not available), because reg 12(9) removes it for information on emissions, or because the "
                      "public interest test favours confirming or denying (or disclosure)."),
        ("Considered, not engaged", "the questions that decide the provision were asked, but the answers did "
                                    "not meet its test."),
        ("Absolute", "no public interest test: under the EIR only the data protection principles limbs of reg "
                     "13 (13(1) with 13(2A)(a), and 13(5A) with 13(5B)(a))."),
        ("Qualified", "relied on only if, in all the circumstances, the public interest in maintaining the "
                      "exception outweighs the public interest in disclosure (or in confirming or denying), "
                      "applying a presumption in favour of disclosure (reg 12(1)(b), 12(2)): every reg 12 "
                      "exception, including reg 12(4)(b) and (c)."),
        ("Class-based", "engaged by the kind of information (or request) alone; no adverse effect has to be shown."),
        ("Adverse effect", "the test of reg 12(5) and of reg 12(6): confirming, denying or disclosing would "
                           "adversely affect the interest, meaning more probably than not; the EIR have no \"would "
                           "be likely to\" level."),
        ("Data protection principles", "reg 13's test: confirming, denying or disclosing someone else's personal "
                                       "data would breach the UK GDPR principles (lawfulness, fairness and "
                                       "transparency, usually decided by a legitimate-interests balance)."),
        ("Emissions", "reg 12(9): to the extent that information relates to information on emissions, reg "
                      "12(5)(d)-(g) cannot be relied on."),
        ("Held-invariance", "for a part answered \"neither confirm nor deny\", the outcome, the provisions and "
                            "the letter are the same whether or not the information is held, so the response "
                            "reveals nothing."),
        ("Derived fact", "an intermediate judgement the rules establish from the answers, read by other rules or "
                         "deciding which questions are asked."),
        ("Priority", "of public-interest balance rules: when several apply, the one with the highest priority "
                     "decides."),
        ("Second-officer sign-off", "a decision that relies on, or sets aside, a provision the rule base lists "
                                    "in `sign_off` waits for a second officer to sign it off."),
    ),
    limbs={
        Limb.NCND: "neither confirm nor deny: the response does not say whether the information exists and is "
                   "held (the EIR have no general duty to confirm or deny); decided in Stage 1",
        Limb.WITHHOLD: "exception: the authority refuses to make available environmental information it holds "
                       "(reg 5(1), 12(1), 13(1)), in a refusal notice under reg 14; decided in Stage 2",
        Limb.REFUSE: "refusal of the request as a whole under a reg 12(4) exception, subject to the public "
                     "interest test; decided in Stage 2, before whether the information is held",
    },
    tests={
        "prejudice": "adverse effect: confirming, denying or disclosing would (more probably than not) adversely "
                     "affect the interest; the EIR have no \"would be likely to\" level",
        "class": "class-based: engaged by the kind of information, or the form of the request, with no adverse "
                 "effect to show",
        "vexatious": "manifestly unreasonable: obviously or clearly unreasonable, by its vexatious character or "
                     "its grossly excessive burden (no cost limit)",
        "data_protection": "data protection: confirming, denying or disclosing would contravene the data "
                           "protection principles (lawfulness and fairness, usually a legitimate-interests balance)",
    },
)

WORDING = {"eir": EIR}


def regime_wording(rb: RuleBase) -> BookWording | None:
    """The rule base's regime wording, or None for FOIA (the built-in wording)."""
    return WORDING.get(rb.meta.regime)
