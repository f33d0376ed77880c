"""Rich renderables for the terminal, made from `render.blocks`. Builds; never prints (the CLI prints)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ncnd_assistant.decide.assessment import Assessment, PartAssessment
from ncnd_assistant.decide.decision import PublicInterest
from ncnd_assistant.errors import Problem
from ncnd_assistant.render.blocks import (
    Block,
    Columns,
    Para,
    assessment_blocks,
    explanation_blocks,
    part_block,
    weighing_block,
)
from ncnd_assistant.text_safety import for_terminal as _safe

Memo = dict[tuple[object, ...], tuple[Console, list[Segment]]]


class Remembered:
    """A renderable drawn once per key, console and options of a `memo`, then replayed: the parts of
    a request repeat the same rule reasons, citations and answers, and Rich's wrapping is the cost."""

    def __init__(self, key: tuple[object, ...], make: Callable[[], RenderableType], memo: Memo):
        self.key, self.make, self.memo = key, make, memo

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        full = (self.key, id(console), *options.__dict__.values())
        found = self.memo.get(full)
        if found is None:  # the console is kept with its segments, so its id is not reused
            found = self.memo[full] = (console, list(console.render(self.make(), options)))
        yield from found[1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.make())


def _para(block: Para) -> RenderableType:
    content = Text.assemble(*block.spans, style=block.style)
    return content if block.indent is None else Padding(content, (0, 0, 0, block.indent))


def to_rich(block: Block, memo: Memo | None = None) -> RenderableType:
    """The Rich renderable of a block; paragraphs are drawn once per `memo` when one is given."""
    if isinstance(block, Para):
        if memo is not None:
            return Remembered(("para", block), lambda: _para(block), memo)
        return _para(block)
    if isinstance(block, Columns):
        table = Table(box=None, pad_edge=False)
        for heading in block.headers:
            table.add_column(Text(heading))  # as Text: a plain string would be parsed for markup and emoji
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table
    return Panel(Group(*(to_rich(child, memo) for child in block.body)), title=Text(block.title),
                 title_align="left")


def group(blocks: Sequence[Block], memo: Memo | None = None) -> Group:
    return Group(*(to_rich(block, memo) for block in blocks))


def render_part(pa: PartAssessment, explain: bool = True, memo: Memo | None = None) -> RenderableType:
    """One part: outcome, provisions, public interest and (optionally) the explanation; lines
    repeated across parts are drawn once per `memo`."""
    return to_rich(part_block(pa, explain), memo)


def render_weighing(pi: PublicInterest, stage: int) -> RenderableType:
    """Shown before the officer's public-interest answer: the factors so far and the rules' view."""
    return to_rich(weighing_block(pi, stage))


def render_explanation(pa: PartAssessment, memo: Memo | None = None) -> RenderableType:
    """Every rule that fired with its reason, citations and answers; and why not."""
    return group(explanation_blocks(pa), memo)


def render_assessment(a: Assessment, explain: bool = True) -> RenderableType:
    """The whole request: header, every part, and the held-invariance check."""
    return group(assessment_blocks(a, explain), {})


def render_problems(problems: list[Problem]) -> RenderableType:
    return Group(*(Text(_safe(str(p))) for p in problems))
