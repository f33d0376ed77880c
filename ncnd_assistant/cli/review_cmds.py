"""`ncnd review start|decide` (an internal review linked to the original decisions) and
`ncnd ico complaint|record|tribunal` (the ICO's decision notice and any appeal): docs/cases.md."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
import yaml

from ncnd_assistant.audit.decision_record import decision_record, recorded_regime
from ncnd_assistant.audit.record import DecisionRecord
from ncnd_assistant.cases import events as ev
from ncnd_assistant.cases.events import CaseError, event_body, parse_day
from ncnd_assistant.cases.register import UNDER_REVIEW, Case, case_regime
from ncnd_assistant.cases.review import check_reviewer, review_answers, review_decisions, review_result
from ncnd_assistant.cases.roles import same_person
from ncnd_assistant.cli.cases_cmds import (
    AuditOption,
    OfficerOption,
    _append,
    _records,
    _store,
    case_named,
    officer_name,
)
from ncnd_assistant.cli.common import RulesOption, reporting
from ncnd_assistant.cli.consoles import stdout
from ncnd_assistant.decide.answers import read_answers
from ncnd_assistant.decide.mixed import assess_mixed, load_mixed_request, rulebases_for
from ncnd_assistant.paths import write_private
from ncnd_assistant.rulebase.loader import load_rulebase
from ncnd_assistant.rulebase.model import RuleBase

DateOption = Annotated[str | None, typer.Option("--date", help="When it happened, YYYY-MM-DD (default: today).",
                                                show_default=False)]
NoteOption = Annotated[str, typer.Option("--note", help="Free text kept with the record.")]

class _Dumper(yaml.SafeDumper):
    """Multi-line text (the request) as a YAML block, as a person would write it."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))

review_app = typer.Typer(help="Internal review: reopen a decided case for a second officer, record the new "
                              "decision beside the original (s45 Code: 20 working days, 40 at most).",
                         no_args_is_help=True)


def _case_rulebase(case: Case, rules: Path | None) -> RuleBase:
    """The rule base the case's request was decided under: `--rules` when given, else the shipped rule
    base of the law its records name (a FOISA case is reviewed under FOISA, not FOIA)."""
    if rules is not None:
        return load_rulebase(rules)
    if regime := case_regime(case.parts):
        return load_rulebase(None, regime)
    ids = {d.rulebase.id for d in case.parts if not recorded_regime(d)}  # the request's parts, not its EIR ones
    if not ids:  # no decision recorded yet: the default, as before
        return load_rulebase(None)
    raise CaseError(f"case {case.ref} was decided under rule base {', '.join(sorted(ids))}, which is not one of the "
                    "shipped rule bases: pass --rules DIR with the rule base it was decided under")


def _print_decision(d: DecisionRecord) -> None:
    out = stdout()
    out.print(f"Part {d.part.id} ({d.part.summary}): {d.decision.outcome} "
              f"{', '.join(d.decision.provisions)}, decided by {d.officer or '-'} on {d.decided_on}", markup=False)
    for q in d.questions:
        out.print(f"  {q.text} -> {q.answer}", markup=False)


@review_app.command("start")
@reporting
def start(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    officer: Annotated[str, typer.Option("--officer", help="The reviewing officer (not the one who decided).")],
    answers_out: Annotated[Path | None, typer.Option(
        "--answers-out", help="Write the original answers here (default: review-REF.yaml).",
        show_default=False)] = None,
    day: DateOption = None,
    note: NoteOption = "",
    rules: RulesOption = None,
    audit_file: AuditOption = None,
) -> None:
    """Take a review: the original answers are shown and written to an answers file to change."""
    log = _store(audit_file)  # one store for the whole command
    case = case_named(log, ref)
    reviewer = officer_name(officer)
    check_reviewer(case.deciders, reviewer)
    rb = _case_rulebase(case, rules)
    data = review_answers(case, rb.meta.regime, reviewer)
    path = answers_out or Path(f"review-{re.sub(r'[^A-Za-z0-9_-]+', '-', case.ref)}.yaml")
    header = (f"# Internal review of case {case.ref}: the original answers. Change what the review finds, then:\n"
              f"#   ncnd review decide {case.ref} --officer \"{reviewer}\" --answers {path}\n")
    write_private(path, header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))
    # opens a review, takes one asked for, or hands an open one to this reviewer
    _append(log, [event_body(case.ref, ev.REVIEW_STARTED, parse_day(day, date.today()), reviewer, note)])
    for d in case.parts:
        _print_decision(d)
    stdout().print(f"Review of {case.ref} started by {reviewer}; the original answers are in {path}. Change them, "
                   f"then: ncnd review decide {case.ref} --officer \"{reviewer}\" --answers {path}", markup=False)


@review_app.command("decide")
@reporting
def decide(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    officer: Annotated[str, typer.Option("--officer", help="The reviewing officer.")],
    answers: Annotated[Path | None, typer.Option(
        "--answers", "-a", help="The review's answers file (from `review start`, changed). Without it, the "
                                "decisions recorded for the case since the review started (e.g. by "
                                "`ncnd interview --answers`) are the review's.", exists=True, dir_okay=False)] = None,
    outcome: Annotated[str | None, typer.Option(
        "--outcome", help=f"The review's result: {', '.join(ev.REVIEW_OUTCOMES)} (default: from the parts' "
                          "outcomes).", show_default=False)] = None,
    day: DateOption = None,
    note: NoteOption = "",
    rules: RulesOption = None,
    audit_file: AuditOption = None,
) -> None:
    """Record the review's decision beside the original and the review's result."""
    log = _store(audit_file)  # one store for the whole command
    case = case_named(log, ref)
    reviewer = officer_name(officer)
    if case.status != UNDER_REVIEW:
        raise CaseError(f"case {case.ref} is not under internal review (status: {case.status}); "
                        f"start one with: ncnd review start {case.ref} --officer NAME")
    if outcome is not None and outcome not in ev.REVIEW_OUTCOMES:
        raise CaseError(f"'{outcome}' is not a review result; give one of: {', '.join(ev.REVIEW_OUTCOMES)}")
    original, new = review_decisions(_records(log), case.ref)
    check_reviewer([d.officer for d in original], reviewer)
    if any(d.officer and not same_person(d.officer, reviewer) for d in new):
        others = sorted({d.officer for d in new if not same_person(d.officer, reviewer)})
        raise CaseError(f"decisions recorded since the review started were made by {', '.join(others)}, not the "
                        f"reviewer {reviewer}; record the review's decisions as {reviewer}")
    if answers is not None:
        source = read_answers(answers)
        rulebases = rulebases_for(source, rules)  # a mixed request's EIR parts under the EIR rule base
        request = load_mixed_request(source, rulebases)
        if request.case_ref.strip() != case.ref:
            raise CaseError(f"{answers} is for case '{request.case_ref}', not {case.ref}")
        session = f"review-{uuid.uuid4().hex[:12]}"
        assessment = assess_mixed(request, rulebases)
        bodies = [decision_record(assessment.rulebase_of(pa.part), pa, case_ref=case.ref, officer=reviewer,
                                  session=session, final=pa.outcome,
                                  received=request.received, request=request.request, tags=pa.part.tags,
                                  source="review") for pa in assessment.parts]
        new = [r for r in _append(log, bodies) if isinstance(r, DecisionRecord)]
    if not new:
        raise CaseError(f"no decision has been recorded for {case.ref} since the review started: give --answers "
                        "FILE, or decide it with `ncnd interview --answers FILE` first")
    result = outcome or review_result(original, new)
    body = event_body(case.ref, ev.REVIEW_DECIDED, parse_day(day, date.today()), reviewer, note, outcome=result,
                      decisions=[d.id for d in new], replaces=[d.id for d in original])
    _append(log, [body])
    out = stdout()
    before = {d.part.id: d for d in original}
    for d in new:
        old = before.get(d.part.id)
        out.print(f"Part {d.part.id}: {old.decision.outcome if old else '(new part)'} -> {d.decision.outcome} "
                  f"{', '.join(d.decision.provisions)}", markup=False)
    out.print(f"Review of {case.ref} decided by {reviewer}: {result}", markup=False)


# ---------------------------------------------------------------------------------------------- ncnd ico
ico_app = typer.Typer(help="The ICO and the tribunal: a complaint (s50), the decision notice, an appeal (s57).",
                      no_args_is_help=True)
NOTICE = re.compile(r"(FS5\d{7}|FER0\d{6}|IC-\d{4,7}-[A-Z0-9]{4})")
APPEAL = re.compile(r"EA/\d{4}/\d{3,4}")


@ico_app.command("complaint")
@reporting
def complaint(ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
              reference: Annotated[str, typer.Option("--reference", help="The ICO's case reference.")] = "",
              day: DateOption = None, note: NoteOption = "", officer: OfficerOption = None,
              audit_file: AuditOption = None) -> None:
    """Record that the requester complained to the ICO."""
    log = _store(audit_file)  # one store for the whole command
    case = case_named(log, ref)
    _append(log, [event_body(case.ref, ev.ICO_COMPLAINT, parse_day(day, date.today()), officer_name(officer),
                                    note, reference=reference)])
    stdout().print(f"Recorded the ICO complaint for {case.ref}", markup=False)


@ico_app.command("record")
@reporting
def record(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    decision_notice: Annotated[str, typer.Option("--decision-notice", help="The notice, e.g. FS50123456 or "
                                                                           "IC-123456-A1B2.")],
    outcome: Annotated[str, typer.Option("--outcome", help=f"One of: {', '.join(ev.ICO_OUTCOMES)} (the "
                                                           "complaint's fate).")],
    day: DateOption = None, note: NoteOption = "", officer: OfficerOption = None, audit_file: AuditOption = None,
) -> None:
    """Record the ICO's decision notice against the case."""
    log = _store(audit_file)  # one store for the whole command
    case = case_named(log, ref)
    if not NOTICE.fullmatch(decision_notice.strip()):
        raise CaseError(f"'{decision_notice}' does not look like an ICO decision notice reference "
                        "(FS50123456, FER0123456 or IC-123456-A1B2)")
    if outcome not in ev.ICO_OUTCOMES:
        raise CaseError(f"'{outcome}' is not an ICO outcome; give one of: {', '.join(ev.ICO_OUTCOMES)}")
    _append(log, [event_body(case.ref, ev.ICO_DECISION, parse_day(day, date.today()), officer_name(officer),
                                    note, reference=decision_notice.strip(), outcome=outcome)])
    stdout().print(f"Recorded decision notice {decision_notice.strip()} ({outcome}) for {case.ref}", markup=False)


@ico_app.command("tribunal")
@reporting
def tribunal(
    ref: Annotated[str, typer.Argument(help="The case reference.", show_default=False)],
    appeal: Annotated[str, typer.Option("--appeal", help="The appeal number, e.g. EA/2024/0123.")],
    outcome: Annotated[str, typer.Option("--outcome", help=f"One of: {', '.join(ev.TRIBUNAL_OUTCOMES)}.")],
    day: DateOption = None, note: NoteOption = "", officer: OfficerOption = None, audit_file: AuditOption = None,
) -> None:
    """Record the First-tier Tribunal's decision on an appeal against the decision notice."""
    log = _store(audit_file)  # one store for the whole command
    case = case_named(log, ref)
    if not APPEAL.fullmatch(appeal.strip()):
        raise CaseError(f"'{appeal}' does not look like a tribunal appeal number (EA/2024/0123)")
    if outcome not in ev.TRIBUNAL_OUTCOMES:
        raise CaseError(f"'{outcome}' is not a tribunal outcome; give one of: {', '.join(ev.TRIBUNAL_OUTCOMES)}")
    _append(log, [event_body(case.ref, ev.TRIBUNAL_DECISION, parse_day(day, date.today()),
                                    officer_name(officer), note, reference=appeal.strip(), outcome=outcome)])
    stdout().print(f"Recorded tribunal decision {appeal.strip()} ({outcome}) for {case.ref}", markup=False)
