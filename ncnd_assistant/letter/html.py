"""The letter as an HTML fragment for a disclosure-log entry: the response without the requester.

It starts at the letter's first heading (the title: the greeting before it goes). Left out: every
`lines` block (letterhead, the requester's and the authority's address blocks, the date and
reference lines, the signature), every `mark` (notices for the officer, not the public),
the internal lines (the draft banner, the due date) and any text given to `redact` (the
requester's name, say), which is replaced by "[name removed]". Everything is HTML-escaped; the
fragment has no script, style or attribute that comes from the letter.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ncnd_assistant.letter.notice import Block
from ncnd_assistant.text_safety import printable

REMOVED = "[name removed]"
PUBLIC_KINDS = ("heading", "paragraph", "list", "quote")


def _clean(text: str, redact: Sequence[str]) -> str:
    for secret in sorted((s for s in redact if s.strip()), key=len, reverse=True):
        text = text.replace(secret, REMOVED)
    return html.escape(printable(text), quote=True)


def _element(block: Block, redact: Sequence[str]) -> str:
    if block.kind == "heading":
        level = min(max(block.level, 1) + 1, 6)  # the log page has its own h1
        return f"<h{level}>{_clean(block.text, redact)}</h{level}>"
    if block.kind == "list":
        return "<ul>\n" + "".join(f"  <li>{_clean(i, redact)}</li>\n" for i in block.items) + "</ul>"
    if block.kind == "quote":  # a paragraph per run of lines, blank lines between them
        paragraphs = [p for p in block.text.split("\n\n") if p.strip()]
        return "<blockquote>\n" + "".join(
            "  <p>" + "<br>\n".join(_clean(line, redact) for line in p.strip("\n").splitlines()) + "</p>\n"
            for p in paragraphs) + "</blockquote>"
    return f"<p>{_clean(block.text, redact)}</p>"


def disclosure_fragment(blocks: Iterable[Block], internal: Iterable[str] = (), redact: Sequence[str] = ()) -> str:
    """The public part of the letter as an HTML fragment (`internal`: the texts of paragraphs that
    are for the officer only)."""
    internal_texts = set(internal)
    blocks = list(blocks)
    start = next((n for n, b in enumerate(blocks) if b.kind == "heading"), 0)  # the greeting goes too
    body = [_element(b, redact) for b in blocks[start:]
            if b.kind in PUBLIC_KINDS and not (b.kind == "paragraph" and b.text in internal_texts)]
    return '<article class="foi-disclosure">\n' + "\n".join(body) + "\n</article>\n"
