"""The rule book's wording that states the law of a regime: the group headings, "How a part is
decided", the glossary, and each provision's limb and test. FOIA's is in `rulebook` and
`rulebase.wording`; a regime listed here has its own, so an EIR rule book explains reg 12 and 13
rather than FOIA s1, s2, s12 and s14 (`regime_wording`)."""

from __future__ import annotations

from dataclasses import field

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Limb, Provision, Rule, RuleBase

# Glossary entries and procedure steps every regime's rule book words the same (FOIA's included).
ENGAGED = ("Engaged", "the provision's test is met on the answers given (a rule engaging it applied).")
CONSIDERED = ("Considered, not engaged", "the questions that decide the provision were asked, but the answers did "
                                         "not meet its test.")
DERIVED_FACT = ("Derived fact", "an intermediate judgement the rules establish from the answers, read by other "
                                "rules or deciding which questions are asked.")
PRIORITY = ("Priority", "of public-interest balance rules: when several apply, the one with the highest priority "
                        "decides.")
DECISION_SUPPORT = ("5. **Decision support, not legal advice.** The tool recommends; the officer decides, and an "
                    "override is recorded with its reason.")


@dataclass(frozen=True)
class BookWording:
    """A regime's group headings and introductions (by limb), procedure and glossary, and the
    provision character lines (limb, test) and rule conclusions (public interest balances by stage
    and target, blocks by target) it words differently from FOIA."""

    groups: dict[Limb, tuple[str, str]]
    procedure: tuple[str, ...]
    glossary: tuple[tuple[str, str], ...]
    limbs: dict[Limb, str] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)
    balances: dict[tuple[int, str], str] = field(default_factory=dict)
    blocks: dict[str, str] = field(default_factory=dict)

    def character(self, provision: Provision, lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A provision's character lines (`phrasing.provision_character`) with this regime's limb and test."""
        own = {"Limb": self.limbs.get(provision.limb), "Test": self.tests.get(provision.test)}
        return [(heading, own.get(heading) or text) for heading, text in lines]

    def conclusion(self, rule: Rule) -> str | None:
        """The rule's conclusion in this regime's words, or None where FOIA's wording serves."""
        then = rule.then
        if then.kind is ConclusionKind.BALANCE and (rule.stage, then.target) in self.balances:
            return f"public interest balance: {self.balances[(rule.stage, then.target)]}"
        if then.kind is ConclusionKind.BLOCK and then.target in self.blocks:
            return self.blocks[then.target]
        return None


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
        DECISION_SUPPORT,
    ),
    glossary=(
        ("Limb", "which response a provision gives: neither confirm nor deny (reg 12(6), reg 13(5A)), refuse "
                 "to make available information that is held (an exception), or refuse the request as a whole "
                 "(reg 12(4)(b), 12(4)(c))."),
        ("Neither confirm nor deny", "a response under reg 12(6) or reg 13(5A) that does not say whether the "
                                     "information exists and is held (NCND)."),
        ("Exception", "a provision of reg 12(4), 12(5) or 13 under which environmental information that is "
                      "held need not (for reg 13, must not) be made available; the refusal is given under reg 14."),
        ENGAGED,
        ("Relied on", "engaged and cited in the response as its reason: absolute, or qualified with the public "
                      "interest test favouring maintaining it, and (for NCND) not made unavailable by official "
                      "confirmation."),
        ("Set aside", "engaged, but not relied on, because the fact has been officially confirmed (so NCND is "
                      "not available), because reg 12(9) removes it for information on emissions, or because the "
                      "public interest test favours confirming or denying (or disclosure)."),
        CONSIDERED,
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
        DERIVED_FACT,
        PRIORITY,
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
    balances={(1, "maintain"): "maintain neither confirming nor denying (reg 12(6))",
              (2, "maintain"): "maintain the exception"},
    blocks={"ncnd": "makes neither confirm nor deny unavailable for the part (the authority must say whether "
                    "it holds the information)",
            "harm_based": "makes reg 12(6) unavailable (the authority must say whether it holds the information)"},
)

FOISA = BookWording(
    groups={
        Limb.REFUSE: (
            "Refusals of the request",
            "Not exemptions, and no public interest test: s14 (vexatious or repeated requests) and s12 "
            "(excessive cost, the Freedom of Information (Fees for Required Disclosure) (Scotland) Regulations "
            "2004: £600, in which the cost of finding out whether the information is held is not counted). "
            "Either relieves the authority of the duty to comply with the request as a whole."),
        Limb.NCND: (
            "Refusal to reveal whether information exists or is held (s18, Stage 1)",
            "FOISA has no separate duty to confirm or deny. s18(1) lets an authority refuse to reveal whether "
            "information exists or is held where, if it existed and were held, it could be withheld under one "
            "of ss28-35, 38, 39(1) or 41, and the authority considers that revealing whether it exists or is "
            "held would be contrary to the public interest. Each provision here is s18(1) read with one of "
            "those exemptions. Decided without knowing whether anything is held."),
        Limb.WITHHOLD: (
            "Exemptions from the duty to give information (Stage 2)",
            "Each lifts the duty in s1(1) to give information that is held, in a refusal notice under s16(1). "
            "A qualified exemption is relied on only where the public interest in disclosure is not outweighed "
            "by that in maintaining it (s2(1)(b)). Reached only when Stage 1 did not settle the part."),
    },
    procedure=(
        "1. **Stage 1 (reveal whether held)** uses only the Stage-1 answers, so it never depends on whether "
        "information is held. A refusal (s14, s12) ends the part. Otherwise s18(1) is relied on, with each "
        "exemption that would apply if the information existed and were held, only where revealing whether it "
        "exists or is held would be contrary to the public interest, and not where the authority has already "
        "revealed it officially. If it is relied on the part is answered with a refusal to reveal whether the "
        "information exists or is held (s18(1)), citing each exemption.",
        "2. **Stage 2 (disclosure)** runs only otherwise: \"not held\" (s17(1)), then each engaged exemption "
        "(absolute, or qualified with the public interest in maintaining it) gives \"withhold\"; otherwise "
        "\"disclose\".",
        "3. **Which questions are asked.** Gating questions (whether the request is vexatious or repeated, "
        "whether the cost limit is exceeded, and screening questions that open a group of questions) decide "
        "which questions are asked and are listed under each question they gate (\"Asked only when\"), not "
        "under the provisions, whose \"Questions that lead here\" are only those whose answers engage them.",
        "4. **Held-invariance.** For every s18 part the tool checks that the outcome, the provisions and the "
        "letter are the same whether or not the information is held.",
        DECISION_SUPPORT,
    ),
    glossary=(
        ("Limb", "which response a provision gives: a refusal to reveal whether information exists or is held "
                 "(s18(1)), a refusal to give information that is held (an exemption, s16(1)), or a refusal of "
                 "the request as a whole (s12, s14)."),
        ("Refusal to reveal whether information exists or is held", "the s18(1) response, Scotland's "
                                                                    "\"neither confirm nor deny\"."),
        ("Exemption", "a provision of Part 2 of FOISA (such as s31(1) or s35(1)) under which information that is "
                      "held need not be given: the authority says it holds the information and withholds it."),
        ENGAGED,
        ("Relied on", "engaged and cited in the response as its reason: absolute, or qualified with the public "
                      "interest favouring maintaining it; for s18(1), revealing whether the information exists "
                      "or is held would be contrary to the public interest."),
        ("Set aside", "engaged, but not relied on, because the authority has already revealed whether the "
                      "information exists, or because the public interest favours revealing it (or disclosure)."),
        CONSIDERED,
        ("Absolute", "no public interest test (s2(2)): among those modelled, s38(1)(a) and s38(1)(b) where the "
                     "first condition applies. s18(1) itself always needs the public interest finding."),
        ("Qualified", "relied on only if, in all the circumstances, the public interest in disclosing the "
                      "information is not outweighed by that in maintaining the exemption (s2(1)(b))."),
        ("Class-based", "engaged by the kind of information alone; no harm has to be shown."),
        ("Substantial prejudice", "FOISA's harm test (for example s35(1)): disclosure would, or would be likely "
                                  "to, prejudice the interest substantially; the harm must be real, actual and "
                                  "of significant substance."),
        ("\"Required for\"", "s31(1)'s test: exemption is required for the purpose of safeguarding national "
                             "security."),
        ("Data protection principles", "s38(1)(b)'s test: disclosing, or revealing whether the authority holds, "
                                       "someone else's personal data would breach the UK GDPR principles."),
        ("Held-invariance", "for a part answered under s18(1), the outcome, the provisions and the letter are "
                            "the same whether or not the information is held, so the response reveals nothing."),
        DERIVED_FACT,
        PRIORITY,
        ("Second-officer sign-off", "a decision that relies on, or sets aside, a provision the rule base lists "
                                    "in `sign_off` waits for a second officer to sign it off."),
    ),
    limbs={
        Limb.NCND: "refusal to reveal whether the information exists or is held (s18(1)), read with the exemption "
                   "that would apply if it existed and were held; decided in Stage 1",
        Limb.WITHHOLD: "exemption: the authority refuses to give information it holds (s1(1), s16(1)); decided "
                       "in Stage 2",
        Limb.REFUSE: "refusal of the request as a whole (s12 excessive cost, s14 vexatious or repeated); no "
                     "public interest test; decided in Stage 1",
    },
    tests={
        "prejudice": "substantial prejudice: disclosure would, or would be likely to, prejudice the interest "
                     "substantially",
        "required_for": "\"required for\": exemption is required for the purpose of safeguarding national security",
        "vexatious": "vexatious or repeated request (s14(1), s14(2))",
        "cost": "excessive cost: complying would cost more than £600 under the Scottish fees regulations (s12(1))",
    },
    balances={(1, "maintain"): "revealing whether the information exists or is held would be contrary to the "
                               "public interest (s18(1))",
              (1, "disclose"): "reveal whether the information exists or is held",
              (2, "maintain"): "maintain the exemption (s2(1)(b))"},
    blocks={"ncnd": "makes s18(1) unavailable for the part (the authority must reveal whether the information "
                    "exists or is held)",
            "harm_based": "makes the harm-based s18(1) limbs unavailable (the authority must reveal whether the "
                          "information exists or is held)"},
)

WORDING = {"eir": EIR, "foisa": FOISA}


def regime_wording(rb: RuleBase) -> BookWording | None:
    """The rule base's regime wording, or None for FOIA (the built-in wording)."""
    return WORDING.get(rb.meta.regime)
