"""`ncnd interview`: set up or resume a session, then run it in the terminal or in batch."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console

from ncnd_assistant.cli.consoles import SafeConsole
from ncnd_assistant.cli.interview import QuitRequested, TerminalInterview
from ncnd_assistant.cli.letter_check import LetterExtras, install
from ncnd_assistant.cli.prompts import Law
from ncnd_assistant.decide.answers import Part, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.mixed import load_mixed_request, regimes_needed
from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.interview.dates import DATE_HINT, parse_date
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import PartState, Session
from ncnd_assistant.letter.formats import check_available, format_for
from ncnd_assistant.rulebase.loader import load_rulebase, resolve_rules_dir, shipped_rules_dir
from ncnd_assistant.settings.store import load_settings

OFFICER_ENV = "NCND_OFFICER"


def _resume_hint(console: Console, session: Session, headline: str) -> None:
    console.print(f"{headline} Your answers are saved. Resume with:", markup=False, soft_wrap=True)
    console.print(f"  ncnd interview --resume {shlex.quote(str(session.path))}", markup=False, soft_wrap=True)


def _new_session(rules: Path | None, case_ref: str | None,
                 answers: Path | None) -> tuple[Session, Assessor, LetterExtras]:
    source = read_answers(answers) if answers is not None else None  # read once: a pipe works too
    folder = resolve_rules_dir(rules, source.regime if source is not None else "foia")
    rb = load_rulebase(folder)
    # a part may say `regime: eir` (a mixed request): its answers are read against the shipped EIR rule base
    request = load_mixed_request(source, {source.regime: rb, **{
        r: load_rulebase(shipped_rules_dir(r), regime=r) for r in regimes_needed(source)[1:]}}) \
        if source is not None else None
    session = Session.new(case_ref or (request.case_ref if request else ""))
    session.rules = str(folder.resolve())
    session.rulebase = {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest}
    session.regime = rb.meta.regime
    # the law is asked in the case details unless the answers file or the rules fix it
    session.regime_source = "answers" if source is not None else "rules" if rules or os.environ.get(
        "NCND_RULES") else ""
    if request is not None:
        session.received = request.received
        session.request = request.request
        session.officer = request.officer
        session.parts = [PartState(p.id, p.summary, dict(p.answers), tags=list(p.tags), kind=p.kind, regime=p.regime)
                         for p in request.parts]
        session.parts_done = True
    return session, Assessor(rb), LetterExtras.of(request)


def _resumed_session(path: Path, rules: Path | None, console: Console) -> tuple[Session, Assessor]:
    session = Session.load(path)
    rb = load_rulebase(rules or session.rules or None)
    if session.rulebase and session.rulebase.get("digest") != rb.digest:
        console.print("Note: the rule base has changed since this session started; answers it no longer "
                      "accepts will be asked again.", style="yellow")
        session.rulebase = {"id": rb.meta.id, "version": rb.meta.version, "digest": rb.digest}
    if not session.regime or rules is not None:
        session.regime = rb.meta.regime
    if rules is not None and not session.regime_source:
        session.regime_source = "rules"  # --rules on resume fixes the law not yet chosen
    assessor = Assessor(rb)
    flow = Flow(assessor)  # a part switched to the EIR is checked against the EIR's questions when it is asked
    dropped = [f"{part.id}.{qid}" for part in session.parts if not part.regime for qid in flow.drop_invalid(part)]
    if dropped:
        console.print(f"Note: {path}: answers the rule base cannot use are set aside and will be asked again "
                      f"if they apply: {', '.join(dropped)}", style="yellow", markup=False)
    return session, assessor


def _missing(session: Session, law: Law) -> list[str]:
    """What a batch run would need asked: one line per missing answer, each part under its own law."""
    if not session.parts:
        return ["no parts and no answers were given"]
    return [p.message for part in session.parts
            for p in law.for_part(part).missing(Part(part.id, part.summary, part.answers))]


def interview_command(*, rules: Path | None, case_ref: str | None, answers: Path | None, resume: Path | None,
                      officer: str | None, received: str | None, request_file: Path | None,
                      notice_out: Path | None, audit_file: Path | None, prompt: bool | None,
                      store: str | None = None) -> None:
    console = SafeConsole(highlight=False)
    err = SafeConsole(stderr=True, highlight=False)
    try:
        extras = LetterExtras()
        if resume is not None:
            session, assessor = _resumed_session(resume, rules, console)
        else:
            session, assessor, extras = _new_session(rules, case_ref, answers)
        settings = load_settings()
        session.officer = officer_name(officer, session.officer)
        if received:
            day = parse_date(received)
            if day is None:
                err.print(f"Error: --received must be a date ({DATE_HINT}), got '{received}'", markup=False)
                raise typer.Exit(int(ExitCode.USAGE)) from None
            session.received = day
        if request_file is not None:
            session.request = request_file.read_text(encoding="utf-8").strip()
        if notice_out is not None:
            check_available(format_for(None, notice_out))  # an error now, not after the questions
            session.notice_out = str(notice_out)
        if audit_file is not None:
            session.audit = str(audit_file)
        elif store is not None:
            session.audit = store  # a store URL (a plain path is a JSONL log)
    except NcndError as error:
        _report(err, error)
        raise typer.Exit(int(error.exit_code)) from None

    interactive = prompt if prompt is not None else sys.stdin.isatty()
    runner = TerminalInterview(console, lambda text: console.input(text, markup=False), assessor, session)
    install(runner, interactive, settings, extras)  # the letter step (cli/letter_check.py) in the finish
    if not interactive:
        try:
            for part in session.parts:  # the same fact asked at two stages: the file need give it once
                runner.law.use(runner.law.regime_of(part))
                runner.flow.fill_carried(part)
            runner.law.use(runner.law.home)
            missing = _missing(session, runner.law)
        except NcndError as error:
            _report(err, error)
            raise typer.Exit(int(error.exit_code)) from None
        if missing:
            err.print("Error: there is no terminal to ask questions, and answers are missing:", markup=False)
            for line in missing:
                err.print(f"  {line}", markup=False, soft_wrap=True)
            err.print("Give every answer in --answers FILE (see examples/), or use `ncnd decide --answers FILE` "
                      "for a recommendation without the interview, or run `ncnd interview` in a terminal.",
                      markup=False, soft_wrap=True)
            raise typer.Exit(int(ExitCode.ANSWERS))
        if session.received is None:  # never today's date on a case that has its own
            err.print("Error: there is no terminal to ask the date the request was received, and none was given. "
                      "Add `received: YYYY-MM-DD` to the answers file or pass --received DATE.",
                      markup=False, soft_wrap=True)
            raise typer.Exit(int(ExitCode.ANSWERS))
        if not session.case_ref:
            session.case_ref = "unreferenced"
        session.details_done = True
        _finish_or_fail(console, err, session, runner.run_batch)
        session.discard()  # finished: the audit log and the notice hold everything; no session is left
        return
    _finish_or_fail(console, err, session, runner.run)


def officer_name(given: str | None, from_answers: str) -> str:
    """Who decides: --officer, else the answers file's (or the resumed session's) officer, else
    $NCND_OFFICER, else the settings file's officer; "" if none."""
    if given:
        return given
    if from_answers:
        return from_answers
    if os.environ.get(OFFICER_ENV, "").strip():
        return os.environ[OFFICER_ENV].strip()
    return load_settings().officer


def _finish_or_fail(console: Console, err: Console, session: Session, run: Callable[[], object]) -> None:
    try:
        session.save()
        run()
    except QuitRequested:
        _stop(console, err, session, "Interview paused.", ExitCode.OK)
    except KeyboardInterrupt:
        console.print()
        _stop(console, err, session, "Interrupted.", 130)
    except EOFError:
        console.print()
        _stop(console, err, session, "End of input.", ExitCode.FAILED)
    except NcndError as error:
        _report(err, error)
        _stop(err, err, session, "Stopped.", error.exit_code)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:  # a crash must not lose the session
        err.print(f"Internal error: {type(error).__name__}: {error} (please report it)", markup=False)
        _stop(err, err, session, "Stopped.", ExitCode.FAILED)


def _stop(out: Console, err: Console, session: Session, headline: str, code: int) -> None:
    """Save the session, say how to resume it, and exit with `code`; if the save fails too, say so in
    one line and exit with the storage status (never a second traceback)."""
    try:
        session.save()
    except NcndError as error:
        err.print(f"Error: the session could not be saved either: {error}", markup=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.STORAGE)) from None
    _resume_hint(out, session, headline)
    raise typer.Exit(int(code)) from None


def _report(err: Console, error: NcndError) -> None:
    err.print(f"Error: {error}", markup=False, soft_wrap=True)
    for problem in getattr(error, "problems", []):
        err.print(str(problem), markup=False, soft_wrap=True)

