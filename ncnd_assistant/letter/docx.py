"""The letter as a Word (.docx) file, from its blocks and a Word template the authority can restyle.

python-docx writes it: every block kind maps to a paragraph style (`STYLES`), so restyling a
template's styles (fonts, sizes, spacing, colours) restyles every letter, and the template's page
set-up, headers and footers (a logo, a protective marking, page numbers) are kept. Whatever the
template's body holds is replaced by the letter. The default template ships in the package
(`templates/letter.docx`, built by `docx_template.build_template`); `settings.word_template`
names the authority's own.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from ncnd_assistant.errors import NcndError
from ncnd_assistant.letter.notice import Block
from ncnd_assistant.settings.model import Settings
from ncnd_assistant.text_safety import printable

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "letter.docx"

# block kind (headings by level) -> the paragraph style it is written in
STYLES = {"paragraph": "Normal", "list": "List Bullet", "quote": "Quote", "mark": "Letter Mark",
          "lines": "Letter Lines", **{f"heading{n}": f"Heading {n}" for n in range(1, 5)}}


class WordTemplateError(NcndError):
    """The Word template named in the settings cannot be used."""


def template_path(settings: Settings) -> Path:
    """The template the letter is styled from: `settings.word_template` (relative to the settings
    file's folder when relative), else the shipped one."""
    if not settings.word_template:
        return DEFAULT_TEMPLATE
    path = Path(settings.word_template).expanduser()
    if not path.is_absolute() and settings.source is not None:
        path = settings.source.parent / path
    return path


def _open_template(path: Path) -> Document:
    hint = "(check the word_template setting: `ncnd settings`; it must name a .docx file saved by Word)"
    if not path.is_file():
        raise WordTemplateError(f"the Word template {path} does not exist {hint}")
    if not zipfile.is_zipfile(path):
        raise WordTemplateError(f"the Word template {path} is not a .docx file {hint}")
    try:
        return docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds on a broken package
        raise WordTemplateError(f"the Word template {path} cannot be read: {error} {hint}") from None


def _clear_body(document: Document) -> None:
    """Remove the template's body content, keeping its section properties (page, headers, footers)."""
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _style(document: Document, name: str, known: dict[str, ParagraphStyle]) -> ParagraphStyle | None:
    """The template's paragraph style `name` (`known`: its styles by name); one of our own
    (`Letter ...`) is added when missing; a missing built-in falls back to Normal (None)."""
    styles = document.styles
    if name in known:
        return known[name]
    if name.startswith("Letter "):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = styles["Normal"]
        if name == "Letter Mark":
            style.font.bold = True
        else:
            style.paragraph_format.space_after = Pt(0)
        known[name] = style
        return style
    return None


def _lines(paragraph: Paragraph, lines: Sequence[str]) -> None:
    """The lines in one paragraph, separated by line breaks (kept as they are, not re-flowed)."""
    for n, line in enumerate(lines):
        run = paragraph.add_run(printable(line))
        if n < len(lines) - 1:
            run.add_break()


def _add(document: Document, block: Block, known: dict[str, ParagraphStyle]) -> None:
    key = f"heading{min(max(block.level, 1), 4)}" if block.kind == "heading" else block.kind
    style = _style(document, STYLES.get(key, "Normal"), known)
    if block.kind == "list":
        for item in block.items:
            if style is None:  # the template has no bullet style: a bullet character instead
                document.add_paragraph(printable(f"\u2022 {item}"))
            else:
                document.add_paragraph(printable(item), style=style)
    elif block.kind in ("lines", "quote"):
        lines = list(block.items) if block.kind == "lines" else block.text.splitlines()
        _lines(document.add_paragraph(style=style), lines or [""])
    elif block.kind == "mark":
        paragraph = document.add_paragraph(style=style)
        paragraph.add_run(printable(block.text)).bold = True
    else:
        document.add_paragraph(printable(block.text), style=style)


def docx_bytes(blocks: Sequence[Block], settings: Settings, title: str = "") -> bytes:
    """The letter as a .docx file's bytes, styled from the settings' template (or the shipped one)."""
    document = _open_template(template_path(settings))
    _clear_body(document)
    known = {s.name: s for s in document.styles if isinstance(s, ParagraphStyle) and s.name}
    for block in blocks:
        _add(document, block, known)
    props = document.core_properties
    props.title = printable(title)
    props.author = props.last_modified_by = printable(settings.authority_name)
    props.comments = props.subject = props.keywords = props.category = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """The text of a .docx file: its paragraphs and table cells in order, one line each (a line
    break inside a paragraph as a new line). An NcndError if `data` is not a Word file."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # not a zip, no document part, broken XML
        raise NcndError(f"not a Word (.docx) file: {error}") from None
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            lines += [cell.text for row in item.rows for cell in row.cells]
        else:
            lines.append(item.text)
    return "\n".join(lines) + "\n"
