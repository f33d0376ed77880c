"""`render.blocks` drawn as the characters Rich prints for them on a console without colour.

`ncnd decide` into a pipe or a file prints no colour, and importing and running Rich's console
was a quarter of its start-up (benchmarks/README.md, issue 16). This draws the same text with
Rich's own cell widths (`rich.cells`, which loads no console) and its rules: words wrapped by
`rich._wrap.divide_line` itself, paragraphs as `Text`, indents as `Padding`, tables as a `Table`
with no box, boxes as a `Panel` with a rounded border and a left-aligned title.

Where it cannot be sure of matching Rich (a tab, a carriage return or another control, a table
column left with no room at all, a room under 10 columns) `draw` returns None and the caller
prints with Rich. tests/test_render_plain.py compares the two on generated blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from ncnd_assistant.render.blocks import Block, Box, Columns, Para

try:  # Rich's own word wrap: private to Rich, but it is the very rule to match, whatever Rich is installed
    from rich._wrap import divide_line as _rich_divide_line
except ImportError:  # a Rich without it: `draw` declines and Rich prints
    _rich_divide_line = None  # type: ignore[assignment]

MIN_WIDTH = 10
_TRAILING_SPACE = re.compile(r"\s+$")
# Text() strips some controls, expands tabs and gives the rest no width: none of them is drawn here
_AWKWARD = frozenset({chr(code) for code in range(32) if code != 10} | {"\x7f"})


class Unsure(Exception):
    """This block would not come out exactly as Rich draws it."""


def draw(blocks: Sequence[Block], width: int) -> str | None:
    """What a Rich console `width` columns wide writes for `Group(blocks)` without colour, or None."""
    if width < MIN_WIDTH or _rich_divide_line is None:
        return None
    try:
        lines = [line for block in blocks for line in _draw(block, width, fill=False)]
    except Unsure:
        return None
    return "".join(f"{line}\n" for line in lines)


def _draw(block: Block, width: int, fill: bool) -> list[str]:
    """The lines of `block` in `width` cells; `fill` pads them to the width, as Rich does for
    lines inside a panel or padding."""
    if width < 1:
        raise Unsure
    if isinstance(block, Para):
        return _paragraph(block, width, fill)
    if isinstance(block, Columns):
        return [_pad(line, width) if fill else line for line in _table(block, width)]
    return _box(block, width)


def _pad(line: str, width: int) -> str:
    return line + " " * (width - (len(line) if line.isascii() else cell_len(line)))


def wrap(content: str, width: int, fold: bool = True) -> list[str]:
    """`Text(content).wrap(console, width)` as strings: Rich's word wrap, a word wider than a line
    folded (`fold`, a paragraph's overflow) or cut with "…" (a table cell's)."""
    if _AWKWARD & set(content):
        raise Unsure
    lines: list[str] = []
    for raw in content.split("\n"):
        breaks = divide_line(raw, width, fold)
        for start, end in zip([0, *breaks], [*breaks, len(raw)], strict=True):
            piece = _rstrip_end(raw[start:end], width)
            if cell_len(piece) > width:  # Text.truncate
                piece = set_cell_size(piece, width) if fold else set_cell_size(piece, width - 1) + "…"
            lines.append(piece)
    return lines


def _rstrip_end(piece: str, width: int) -> str:
    """Text.rstrip_end: trailing spaces beyond `width` characters go."""
    if len(piece) > width:
        trailing = _TRAILING_SPACE.search(piece)
        if trailing is not None:
            return piece[:len(piece) - min(len(trailing.group()), len(piece) - width)]
    return piece


def divide_line(content: str, width: int, fold: bool = True) -> list[int]:
    """Where Rich breaks a line: before each word that does not fit, and (`fold`) inside a word
    wider than a line, else before it (Rich's own `rich._wrap.divide_line`)."""
    if len(content) <= width and content.isascii():
        return []  # it fits: ASCII has one cell a character
    return _rich_divide_line(content, width, fold=fold)


def _paragraph(block: Para, width: int, fill: bool) -> list[str]:
    content = "".join(part for part, _style in block.spans)
    if block.indent is None:
        lines = wrap(content, width)
        return [_pad(line, width) for line in lines] if fill else lines
    inner = width - block.indent
    if inner < 1:
        raise Unsure
    return [" " * block.indent + _pad(line, inner) for line in wrap(content, inner)]  # Padding fills


def _table(block: Columns, width: int) -> list[str]:
    """Rich's Table(box=None, pad_edge=False): one space of padding between columns, none at the
    edges; each column as wide as its widest cell, the widest shrunk first when the table would not
    fit (Table._collapse_widths), cells wrapped in them, long words cut with an ellipsis."""
    rows = [block.headers, *block.rows]
    count = len(block.headers)
    if any(len(row) != count for row in rows) or any(_AWKWARD & set(cell) for row in rows for cell in row):
        raise Unsure
    pads = [(0 if i == 0 else 1, 0 if i == count - 1 else 1) for i in range(count)]
    widths = [max(cell_len(line) for row in rows for line in row[i].splitlines() or [""]) + sum(pads[i])
              for i in range(count)]
    widths = [min(w, width) or 1 for w in widths]
    if sum(widths) > width:
        widths = _collapse(widths, width)
        if sum(widths) > width:
            widths = _ratio_reduce(sum(widths) - width, [1] * count, widths, widths)
    if any(w - left - right < 1 for w, (left, right) in zip(widths, pads, strict=True)):
        raise Unsure
    lines: list[str] = []
    for number, row in enumerate(rows):
        cells = [[" " * left + _pad(piece, w - left - right) + " " * right
                  for piece in wrap(cell, w - left - right, fold=False)]
                 for cell, w, (left, right) in zip(row, widths, pads, strict=True)]
        height = max(len(cell) for cell in cells)
        for cell, w in zip(cells, widths, strict=True):
            blank = [" " * w] * (height - len(cell))
            cell[:] = blank + cell if number == 0 else cell + blank  # the header sits at the bottom
        lines.extend("".join(cell[i] for cell in cells) for i in range(height))
    return lines


def _collapse(widths: list[int], width: int) -> list[int]:
    """Table._collapse_widths with every column wrappable: the widest columns give way first."""
    excess = sum(widths) - width
    while sum(widths) and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        difference = widest - second
        ratios = [1 if w == widest else 0 for w in widths]
        if not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        excess = sum(widths) - width
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce: `total` taken from `values` in proportion to `ratios`."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _box(block: Box, width: int) -> list[str]:
    """Rich's Panel (box ROUNDED, expand, padding (0, 1)) with the title at the left of the top."""
    title = block.title.replace("\n", " ")
    if _AWKWARD & set(title):
        raise Unsure
    room = width - 4
    if title:
        shown = f" {title} "
        if cell_len(shown) > room:
            shown = set_cell_size(shown, room)
        top = "╭─" + shown + "─" * (room - cell_len(shown)) + "─╮"
    else:
        top = "╭" + "─" * (width - 2) + "╮"
    body = [line for child in block.body for line in _draw(child, room, fill=True)]
    return [top, *(f"│ {line} │" for line in body), "╰" + "─" * (width - 2) + "╯"]
