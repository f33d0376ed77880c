"""Mixed requests: a FOIA request with parts that are environmental information (FOIA s39), each
part assessed under its own regime's rule base (`regime: eir` on the part), one assessment for all.

The request's regime keeps its rule base (`--rules` replaces only that one); the EIR parts are
assessed by the shipped EIR rule base (or the one given as `eir_rules`). The held-invariance check
runs per NCND part under the part's own rule base. See README.md, "Answers files", and
docs/letters.md, "Mixed requests".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ncnd_assistant.decide.answers import (
    PART_REGIMES,
    REGIME_NAMES,
    AnswersFile,
    Part,
    Request,
    load_request,
    read_answers,
)
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.decide.regime_switch import Switched, to_eir
from ncnd_assistant.engine.runner import EngineName
from ncnd_assistant.errors import AnswersError, Location, Problem
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase.loader import load_rulebase, shipped_rules_dir
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.rulebase.yamlsource import YNode

__all__ = ["MixedAssessment", "MixedAssessor", "assess_mixed", "decide_file", "load_mixed_request",
           "regimes_needed", "rulebases_for", "switch_to_eir"]


def regimes_needed(source: AnswersFile) -> tuple[str, ...]:
    """The request's regime first, then each other regime a part declares that the request's allows
    (read without a rule base; a part regime it does not allow is reported by `load_mixed_request`)."""
    found = [source.regime]
    node = source.node
    parts = node.value.get("parts") if node is not None and isinstance(node.value, dict) else None
    for part in parts.value if parts is not None and isinstance(parts.value, list) else []:
        given = part.value.get("regime") if isinstance(part.value, dict) else None
        regime = getattr(given, "value", None)
        if isinstance(regime, str) and regime in PART_REGIMES.get(source.regime, ()) and regime not in found:
            found.append(regime)
    return tuple(found)


def rulebases_for(source: AnswersFile, rules: Path | None = None,
                  eir_rules: Path | None = None) -> dict[str, RuleBase]:
    """Regime -> rule base for every regime the file needs: `rules` (else NCND_RULES, else the shipped
    one) for the request's regime, and the shipped EIR rule base (or `eir_rules`) for its EIR parts."""
    needed = regimes_needed(source)
    found = {needed[0]: load_rulebase(rules, regime=needed[0])}
    for regime in needed[1:]:
        folder = eir_rules if regime == "eir" and eir_rules is not None else shipped_rules_dir(regime)
        found[regime] = load_rulebase(folder, regime=regime)
    return found


def load_mixed_request(source: Path | AnswersFile, rulebases: Mapping[str, RuleBase]) -> Request:
    """Read an answers file whose parts may be under another regime than the request's: each part's
    answers are checked against its own regime's rule base. Raises `AnswersError` as `load_request`."""
    answers = source if isinstance(source, AnswersFile) else read_answers(source)
    main = rulebases[answers.regime] if answers.regime in rulebases else next(iter(rulebases.values()))
    others = {r: rb for r, rb in rulebases.items() if r != answers.regime}
    for regime, rb in others.items():
        if rb.meta.regime != regime:
            loc = _first_part_regime(answers, regime)
            raise AnswersError(f"the rule base for the '{regime}' parts serves '{rb.meta.regime}'", [Problem(
                loc, "wrong-regime", f"the parts with `regime: {regime}` are under {REGIME_NAMES.get(regime, regime)}, "
                f"but the rule base {rb.meta.id} {rb.meta.version} given for them serves "
                f"{REGIME_NAMES.get(rb.meta.regime, rb.meta.regime)}",
                f"leave out --{regime}-rules to use the shipped rules/{regime}, or pass a rule base whose "
                f"`rulebase: regime:` is '{regime}'")])
    return load_request(answers, main, others)


def _first_part_regime(source: AnswersFile, regime: str) -> Location:
    """Where the first part under `regime` says so (the file's start if none can be found)."""
    node = source.node
    parts = node.value.get("parts") if node is not None and isinstance(node.value, dict) else None
    for part in parts.value if parts is not None and isinstance(parts.value, list) else []:
        given = part.value.get("regime") if isinstance(part.value, dict) else None
        if isinstance(given, YNode) and given.value == regime:
            return given.loc
    return Location(str(source.path), 1, 1)


class MixedAssessor:
    """One `Assessor` per regime (each made when first needed), every part assessed by its own."""

    def __init__(self, rulebases: Mapping[str, RuleBase], request_regime: str = "foia",
                 engine: EngineName = "durable") -> None:
        if request_regime not in rulebases:
            raise ValueError(f"no rule base for the request's regime '{request_regime}'")
        self.rulebases = dict(rulebases)
        self.request_regime = request_regime
        self._engine: EngineName = engine
        self._assessors: dict[str, Assessor] = {}

    def regime_of(self, part: Part) -> str:
        """The law the part is answered under: its own `regime`, else the request's."""
        return part.regime or self.request_regime

    def rulebase_of(self, part: Part) -> RuleBase:
        regime = self.regime_of(part)
        if regime not in self.rulebases:
            raise ValueError(f"part '{part.id}' is under '{regime}', and no rule base was given for it")
        return self.rulebases[regime]

    def assessor_of(self, part: Part) -> Assessor:
        regime = self.regime_of(part)
        if regime not in self._assessors:
            self._assessors[regime] = Assessor(self.rulebase_of(part), self._engine)
        return self._assessors[regime]

    def assess_part(self, part: Part) -> PartAssessment:
        """The part assessed under its own regime's rule base."""
        return self.assessor_of(part).assess_part(part)

    def assess(self, request: Request) -> MixedAssessment:
        """Every part under its own rule base (request-wide checks and fallbacks within each regime),
        in the request's order; raise `AnswersError` with every regime's problems."""
        by_regime: dict[str, list[Part]] = {}
        for part in request.parts:
            by_regime.setdefault(self.regime_of(part), []).append(part)
        assessed: dict[str, PartAssessment] = {}
        invariance: dict[str, bool] = {}
        errors: list[AnswersError] = []
        for regime, parts in by_regime.items():
            try:
                one = self.assessor_of(parts[0]).assess(replace(request, regime=regime, parts=tuple(parts)))
            except AnswersError as error:
                errors.append(error)
                continue
            assessed.update((pa.part.id, pa) for pa in one.parts)
            invariance.update(one.held_invariance)
        if len(errors) == 1:
            raise errors[0]  # as `Assessor.assess` raised it, for a request under one law
        if errors:
            problems = [p for error in errors for p in error.problems]
            raise AnswersError(f"{len(problems)} problem(s) with the answers", problems)
        ordered = tuple(assessed[p.id] for p in request.parts)
        held = {pa.part.id: invariance[pa.part.id] for pa in ordered if pa.part.id in invariance}
        return MixedAssessment(request, self.rulebases[self.request_regime], ordered, held, self.rulebases)


@dataclass(frozen=True)
class MixedAssessment(Assessment):
    """An assessment whose parts may be under different regimes; `rulebase` is the request's."""

    rulebases: Mapping[str, RuleBase]

    def rulebase_of(self, part: Part) -> RuleBase:
        return self.rulebases.get(self.regime_of(part), self.rulebase)


def assess_mixed(request: Request, rulebases: Mapping[str, RuleBase],
                 engine: EngineName = "durable") -> MixedAssessment:
    """Every part of `request` assessed under its own regime's rule base."""
    return MixedAssessor(rulebases, request.regime, engine).assess(request)


def decide_file(source: Path | AnswersFile, rules: Path | None = None,
                eir_rules: Path | None = None) -> MixedAssessment:
    """An answers file read, its rule bases loaded (`rulebases_for`), checked and assessed."""
    answers = source if isinstance(source, AnswersFile) else read_answers(source)
    rulebases = rulebases_for(answers, rules, eir_rules)
    return assess_mixed(load_mixed_request(answers, rulebases), rulebases)


def switch_to_eir(assessed: PartAssessment, eir: RuleBase) -> Switched:
    """A FOIA part the rule base sent to the EIR (outcome `eir`) as an EIR part (`regime="eir"`) with
    the answers that mean the same carried over (`regime_switch.to_eir`), for the officer to complete."""
    switched = to_eir(assessed, eir)
    return replace(switched, part=replace(switched.part, regime="eir"))
