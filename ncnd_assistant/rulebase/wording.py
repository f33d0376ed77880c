"""The words for each term of the rule files, in one place: outcomes, stages, question types,
limbs, exemption kinds, tests, harm levels, what a `block` makes unavailable, the public-interest
balance, and a conclusion in a few words.

Keyed by the values the rule files use ("ncnd", "would_be_likely_to", "harm_based"...), it
imports only `kinds`, so the model can use it (`Outcome.label`, `Conclusion.describe`).
Sentences built from a loaded rule base (answers, conditions, the rule book's conclusions) are in
`phrasing`.
"""

from __future__ import annotations

from ncnd_assistant.rulebase.kinds import ConclusionKind, QuestionType

OUTCOME_LABELS = {  # read through `Outcome.label` and `Outcome.phrase`
    "ncnd": "Neither confirm nor deny",
    "not_held": "Not held",
    "withhold": "Confirm held, withhold",
    "disclose": "Disclose",
    "refuse": "Refuse the request",
    "eir": "Deal with under the EIR (environmental information)",
}
STAGE_NAMES = {1: "confirm or deny", 2: "disclosure"}
QUESTION_TYPE_NAMES = {QuestionType.YES_NO: "yes / no", QuestionType.CHOICE: "choice", QuestionType.TEXT: "free text"}

LIMB_TEXT = {
    "ncnd": "neither confirm nor deny: lifts the duty to confirm or deny (s1(1)(a)); decided in Stage 1",
    "withhold": "withholding: lifts the duty to communicate (s1(1)(b)); decided in Stage 2",
    "refuse": "refusal (not an exemption): at Stage 1 both duties fall away; at Stage 2, once the information "
              "is found to be held, only the duty to communicate",
}
LIMB_EFFECTS = {"refuse": "refuse", "ncnd": "NCND", "withhold": "withhold"}

EXEMPTION_KINDS = {"absolute": "absolute", "qualified": "qualified", "not_exemption": "not an exemption"}
TEST_BASIS = {"class": "class-based", "prejudice": "prejudice-based"}  # the letter names other tests by title
EXEMPTION_TEXT = {
    "absolute": "absolute: no public interest test",
    "qualified": "qualified: relied on only if the public interest in maintaining it outweighs the public "
                 "interest in {towards}",
    "not_exemption": "not an exemption: no public interest test",
}

TEST_TEXT = {
    "class": "class-based: engaged by the kind of information, with no harm test",
    "prejudice": "prejudice: confirming, denying or disclosing would, or would be likely to, cause the harm",
    "required_for": "\"required for\": exemption is reasonably necessary to safeguard the interest; no likelihood "
                    "level is set",
    "data_protection": "data protection: confirming, denying or disclosing would contravene the data protection "
                       "principles (lawfulness and fairness, usually a legitimate-interests balance)",
    "confidence": "breach of confidence: the information was obtained from another person and confirming, denying "
                  "or disclosing would be an actionable breach of confidence",
    "endanger": "endangerment: would, or would be likely to, endanger health or safety",
    "cost": "cost: complying would exceed the appropriate limit",
    "vexatious": "vexatious request",
}
TEST_NAMES = {"class": "class", "prejudice": "prejudice", "required_for": "required for", "endanger": "endanger",
              "data_protection": "data protection principles", "confidence": "actionable breach of confidence",
              "cost": "cost", "vexatious": "vexatious"}

HARM_MEANINGS = {"would": "more probable than not", "would_be_likely_to": "a real and significant risk"}

# What a `block` conclusion makes unavailable: a few words (the graph) and a sentence (the rule book).
BLOCK_LABELS = {"ncnd": "NCND blocked", "harm_based": "harm-based NCND limbs blocked",
                "absolute": "absolute NCND limbs blocked"}
BLOCK_SENTENCES = {"ncnd": "makes NCND unavailable for the part (the authority must confirm or deny)",
                   "harm_based": "makes the harm-based NCND limbs (prejudice, endangerment, s24) unavailable",
                   "absolute": "makes the absolute NCND limbs unavailable"}

# What a balance conclusion favours, by stage and target.
BALANCE_CHOICES = {(1, "maintain"): "maintain the exclusion of the duty to confirm or deny",
                   (1, "disclose"): "confirm or deny",
                   (2, "maintain"): "maintain the exemption",
                   (2, "disclose"): "disclose"}

_SUMMARIES = {ConclusionKind.DERIVE: "derives {target}", ConclusionKind.OUTCOME: "outcome {target}",
              ConclusionKind.BLOCK: "blocks {target}",
              ConclusionKind.CONTRADICTION: "contradicts the answer to {target}",
              ConclusionKind.WARN: "warns ({target})", ConclusionKind.BALANCE: "public interest balance: {target}"}


def harm_text(level: str) -> str:
    """A harm level as said: "would be likely to"."""
    return level.replace("_", " ")


def fact_truth(holds: bool) -> str:
    """Whether a derived fact holds, as said."""
    return "holds" if holds else "does not hold"


def truth(value: bool) -> str:
    """A true-or-false value that is not a question's answer."""
    return "true" if value else "false"


def towards(limb: str | None) -> str:
    """What the public interest in not maintaining a provision of the limb favours."""
    if limb == "ncnd":
        return "confirming or denying"
    return "disclosure" if limb == "withhold" else "confirming or denying (or disclosure)"


def conclusion_summary(kind: ConclusionKind, target: str, harm: str | None = None) -> str:
    """A conclusion in a few words, as explanations, the audit record and the JSON output give it:
    "engages s24(2) (would be likely to)"."""
    if kind is ConclusionKind.ENGAGE:
        return f"engages {target}" + (f" ({harm_text(harm)})" if harm else "")
    return _SUMMARIES[kind].format(target=target)
