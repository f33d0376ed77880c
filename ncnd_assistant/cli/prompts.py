"""The terminal interview's prompts: the state every stage shares, reading a line, a typed answer
and its re-ask message, and the help and why texts for a question.

Input and output are injected (a Rich console and a `read(prompt)` function), so tests drive
the interview exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from rich.console import Console, RenderableType
from rich.panel import Panel

from ncnd_assistant.decide.answers import coerce, expected
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.errors import NcndError
from ncnd_assistant.interview.flow import Flow
from ncnd_assistant.interview.session import PartState, Session
from ncnd_assistant.rulebase.conditions import Value
from ncnd_assistant.rulebase.kinds import QuestionType
from ncnd_assistant.rulebase.loader import load_rulebase, shipped_rules_dir
from ncnd_assistant.rulebase.model import Question, RuleBase
from ncnd_assistant.text_safety import for_terminal, markup_safe

Reader = Callable[[str], str]
COMMANDS = "? = help, why, back, review, quit"
WHY_SHOWN = 5  # question texts `why` lists before "and N more"
S = TypeVar("S", bound="Stage")


class QuitRequested(Exception):
    """The officer typed `quit`: save and leave."""


class Law:
    """The rule bases an interview answers under, one assessor and flow per regime: the request's
    (`home`), and the shipped one of any regime a part is switched to (loaded when first needed);
    `regime` is the one in use for the part being asked."""

    def __init__(self, assessor: Assessor, flow: Flow):
        self.home = self.regime = assessor.rulebase.meta.regime
        self._by_regime: dict[str, tuple[Assessor, Flow]] = {self.home: (assessor, flow)}

    @property
    def assessor(self) -> Assessor:
        return self._by_regime[self.regime][0]

    @property
    def flow(self) -> Flow:
        return self._by_regime[self.regime][1]

    def load(self, regime: str) -> Assessor:
        """The assessor of `regime`: the request's own, or the shipped rule base for it."""
        if regime not in self._by_regime:
            folder = shipped_rules_dir(regime)
            if folder is None:
                raise NcndError(f"no rule base is shipped for '{regime}'")
            assessor = Assessor(load_rulebase(folder))
            self._by_regime[regime] = (assessor, Flow(assessor))
        return self._by_regime[regime][0]

    def use(self, regime: str) -> None:
        """Answer under `regime` from now on (a part's own)."""
        self.load(regime)
        self.regime = regime

    def rehome(self, assessor: Assessor) -> None:
        """The request is answered under another rule base (the officer chose another law)."""
        self.home = self.regime = assessor.rulebase.meta.regime
        self._by_regime[self.home] = (assessor, Flow(assessor))

    def regime_of(self, part: PartState) -> str:
        return part.regime or self.home

    def for_part(self, part: PartState) -> Assessor:
        """The assessor of the law `part` is answered under."""
        return self.load(self.regime_of(part))


class Stage:
    """One stage of the terminal interview, with what every stage shares: where it prints, how
    it reads a line, the law (the assessor and flow in use), the session it fills in, and the clock."""

    def __init__(self, console: Console, read: Reader, assessor: Assessor, flow: Flow, session: Session,
                 clock: Callable[[], datetime]):
        self.console = console
        self.read = read
        self.law = Law(assessor, flow)
        self.session = session
        self.clock = clock

    @property
    def assessor(self) -> Assessor:
        return self.law.assessor

    @property
    def flow(self) -> Flow:
        return self.law.flow

    def share(self, stage: type[S]) -> S:
        """Another stage working on the same console, reader, law, session and clock."""
        made = stage(self.console, self.read, self.assessor, self.flow, self.session, self.clock)
        made.law = self.law
        return made

    def say(self, text: str = "", style: str = "") -> None:
        self.console.print(markup_safe(text), style=style or None)

    def save(self) -> None:
        self.session.save()

    def ask_line(self, prompt: str) -> str:
        return self.read(for_terminal(prompt)).strip()


def page(console: Console, renderable: RenderableType) -> None:
    """Text taller than the screen through the system pager (`less`, or $PAGER) in a terminal;
    printed otherwise."""
    if console.is_terminal and console.is_interactive \
            and len(console.render_lines(renderable, console.options, pad=False)) > console.height - 2:
        with console.pager():
            console.print(renderable)
    else:
        console.print(renderable)


def cut(text: str, width: int) -> str:
    """One line of at most `width` characters, cut at a word with an ellipsis if it is longer."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    return line[: max(1, width - 1)].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def parse_answer(q: Question, raw: str) -> Value | None:
    """An answer typed at the prompt: y/n/yes/no, a choice number or text, or text."""
    if not raw:
        return None
    if q.type is QuestionType.CHOICE and raw.isdigit():
        index = int(raw)
        return q.choices[index - 1].value if 1 <= index <= len(q.choices) else None
    return coerce(q, raw)


def retry_message(q: Question, value: Value | None) -> str:
    """Why a typed answer is asked again: it could not be read (None), or the reason is too short."""
    if value is None:
        return (f"Please answer {expected(q) if q.type != 'choice' else 'with a number or a choice'}"
                f" ({COMMANDS}).")
    return (f"Please give a reason specific to this request, in at least {q.min_words} words"
            + (" (it goes into the letter)." if q.public_interest_reasons else "."))


def help_panel(q: Question) -> Panel:
    """A question's help, with its sources."""
    body = q.help
    if q.citations:
        body += "\n\nSources: " + "; ".join(str(c) for c in q.citations)
    return Panel(markup_safe(body), title="Help", title_align="left")


def why_lines(flow: Flow, rb: RuleBase, question_id: str, width: int = 100) -> list[str]:
    """What depends on an answer, in words: the provisions it feeds (by title) and the questions it
    decides whether to ask (by their text, the first few)."""
    deps = flow.dependents(question_id)
    if not deps.rules and not deps.questions:
        return ["No rule depends on this answer; it is recorded for the audit trail."]
    lines = []
    if deps.provisions:
        lines.append("Provisions that depend on this answer: "
                     + ", ".join(rb.provision(p).label for p in deps.provisions))
    else:
        lines.append(f"No provision depends on it directly; {len(deps.rules)} rule(s) read it.")
    if deps.questions:
        lines.append("It decides whether these questions are asked:")
        lines += [f"  - {cut(rb.question(q).text, width - 4)}" for q in deps.questions[:WHY_SHOWN]]
        if len(deps.questions) > WHY_SHOWN:
            lines.append(f"  and {len(deps.questions) - WHY_SHOWN} more.")
    return lines
