"""The letter's file formats: Markdown, text, Word, the HTML disclosure-log fragment, PDF and JSON.

A format is chosen by name (`--format`) or by the file's extension (`.docx` writes Word, never
Markdown under a Word name); a name and an extension that disagree, or an extension no format
has, are an error before anything is written. `render` turns a `Letter` (its blocks, title,
the officer's notes and metadata) into the file's bytes. The JSON form is documented in docs/letters.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.docx import docx_bytes
from ncnd_assistant.letter.html import disclosure_fragment
from ncnd_assistant.letter.notice import Block, to_markdown, to_text
from ncnd_assistant.letter.pdf import pdf_from_docx, require_soffice
from ncnd_assistant.settings.model import Settings
from ncnd_assistant.text_safety import json_safe, printable

JSON_VERSION = 1  # `letter` in the JSON form; raised only with a migration note in docs/letters.md


class LetterFormat(StrEnum):
    markdown = "markdown"
    text = "text"
    docx = "docx"
    html = "html"
    pdf = "pdf"
    json = "json"


SUFFIXES: dict[str, LetterFormat] = {
    ".md": LetterFormat.markdown, ".markdown": LetterFormat.markdown, ".txt": LetterFormat.text,
    ".docx": LetterFormat.docx, ".html": LetterFormat.html, ".htm": LetterFormat.html,
    ".pdf": LetterFormat.pdf, ".json": LetterFormat.json}
BINARY = frozenset({LetterFormat.docx, LetterFormat.pdf})
NAMES = ", ".join(f.value for f in LetterFormat)


class LetterFormatError(NcndError):
    """A format name, or a file name, that does not say which letter format to write."""

    exit_code = ExitCode.USAGE


def format_for(name: str | None, path: Path | None) -> LetterFormat:
    """The format named, else the one of `path`'s extension, else Markdown (a file with no extension)."""
    try:
        named = LetterFormat(name.strip().lower()) if name else None
    except ValueError:
        raise LetterFormatError(f"unknown letter format {name!r}: use one of {NAMES}") from None
    suffix = path.suffix.lower() if path is not None else ""
    by_name = SUFFIXES.get(suffix)
    if suffix and by_name is None and named is None:
        raise LetterFormatError(f"cannot tell the letter's format from the name {path}: end it with one of "
                                f"{', '.join(SUFFIXES)} (`ncnd notice` also takes --format: {NAMES})")
    if named is not None and by_name is not None and named is not by_name:
        raise LetterFormatError(f"--format {named.value} does not fit the file name {path} (a {by_name.value} "
                                f"name): end the name with {_suffix_of(named)}, or leave out --format")
    return named or by_name or LetterFormat.markdown


def check_available(fmt: LetterFormat) -> LetterFormat:
    """`fmt`, or an error now if this machine cannot write it (PDF without LibreOffice)."""
    if fmt is LetterFormat.pdf:
        require_soffice()
    return fmt


def _suffix_of(fmt: LetterFormat) -> str:
    return next(s for s, f in SUFFIXES.items() if f is fmt)


@dataclass(frozen=True)
class Letter:
    """A letter ready to write: its blocks; `officer_notes`, the lines for the officer only (shown on
    the terminal; never in the HTML fragment); `meta`, what the JSON form says about it."""

    blocks: tuple[Block, ...]
    title: str = ""
    officer_notes: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    redact: tuple[str, ...] = ()  # the requester's particulars, removed from the HTML fragment


def block_json(block: Block) -> dict[str, Any]:
    return {"kind": block.kind, "text": block.text, "items": list(block.items), "level": block.level}


def letter_json(letter: Letter, status: str = "draft") -> dict[str, Any]:
    """The JSON form of a letter: its blocks and what it is."""
    return {"letter": JSON_VERSION, "status": status, "title": letter.title, **letter.meta,
            "officer_notes": list(letter.officer_notes), "blocks": [block_json(b) for b in letter.blocks]}


def to_json_text(data: Mapping[str, Any]) -> str:
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render(letter: Letter, fmt: LetterFormat, settings: Settings) -> bytes:
    """The file's bytes for the letter in `fmt` (text formats are UTF-8)."""
    blocks = list(letter.blocks)
    match fmt:
        case LetterFormat.markdown:
            return printable(to_markdown(blocks)).encode("utf-8")
        case LetterFormat.text:
            return printable(to_text(blocks)).encode("utf-8")
        case LetterFormat.docx:
            return docx_bytes(blocks, settings, letter.title)
        case LetterFormat.pdf:
            return pdf_from_docx(docx_bytes(blocks, settings, letter.title))
        case LetterFormat.html:
            return disclosure_fragment(blocks, letter.officer_notes, letter.redact).encode("utf-8")
        case LetterFormat.json:
            return to_json_text(letter_json(letter)).encode("utf-8")


def plain_text(letter: Letter, fmt: LetterFormat, settings: Settings) -> str:
    """The letter's text as a person reads it in that format: for a Word file its paragraphs (as
    `docx_text` reads them back), else the file's text. Used to compare a draft with what was sent."""
    from ncnd_assistant.letter.docx import docx_text

    if fmt in BINARY:
        return docx_text(docx_bytes(list(letter.blocks), settings, letter.title))
    return render(letter, fmt, settings).decode("utf-8")

