"""The letter as blocks (headings, paragraphs, lists, quotations, marks, kept lines) and its
Markdown and plain-text forms; the Word, HTML and PDF forms are in `docx`, `html` and `pdf`."""

from __future__ import annotations

import textwrap

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.text_safety import printable


@dataclass(frozen=True)
class Block:
    """A heading (level 1-4), a paragraph, a bullet list (`items`), a quotation, a `mark` (a
    prominent notice inside the letter) or `lines` (`items` kept as they are: an address, the
    date and reference, the signature)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    level: int = 0


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append("#" * b.level + " " + b.text)
        elif b.kind == "list":
            out.append("\n".join(f"- {item}" for item in b.items))
        elif b.kind == "quote":
            out.append("\n".join(f"> {line}" if line else ">" for line in b.text.splitlines()))
        elif b.kind == "mark":
            out.append(f"**{b.text}**")
        elif b.kind == "lines":
            out.append("  \n".join(b.items))  # a hard line break between lines
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block], width: int = 88) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append(b.text.upper() if b.level <= 2 else b.text)
            if b.level <= 2:
                out.append("=" * len(b.text) if b.level == 1 else "-" * len(b.text))
                out[-2:] = ["\n".join(out[-2:])]
        elif b.kind == "list":
            out.append("\n".join(textwrap.fill(item, width, initial_indent="  * ", subsequent_indent="    ")
                                 for item in b.items))
        elif b.kind == "quote":
            out.append("\n".join(textwrap.fill(line, width, initial_indent="  | ", subsequent_indent="  | ")
                                 if line else "  |" for line in b.text.splitlines()))
        elif b.kind == "mark":
            rule = "!" * min(width, 60)
            out.append("\n".join([rule, textwrap.fill(b.text, width), rule]))
        elif b.kind == "lines":
            out.append("\n".join(b.items))
        else:
            out.append(textwrap.fill(b.text, width))
    return "\n\n".join(out) + "\n"


def render_blocks(blocks: list[Block], fmt: str = "markdown") -> str:
    """Blocks as Markdown (default) or plain text, without control characters."""
    return printable(to_text(blocks) if fmt == "text" else to_markdown(blocks))

