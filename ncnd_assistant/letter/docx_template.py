"""The default Word template for letters (`templates/letter.docx`), built here so it can be rebuilt.

A4 with 2.5 cm margins, Arial 11 pt throughout, black bold headings kept with what follows, a
bulleted list style, an indented italic quotation for the request, a boxed bold style for
notices inside the letter (`Letter Mark`, never split across pages), an unspaced style for
address and signature lines (`Letter Lines`), and "Page N of M" in the footer. An authority
restyles a copy of it in Word and names it in `settings.word_template`.
"""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
HEADINGS = {1: (14, False), 2: (12, False), 3: (11, False), 4: (11, True)}  # level: (size, italic)


def _font(style: ParagraphStyle, size: float, bold: bool = False, italic: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = BLACK
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the name


def _box(style: ParagraphStyle) -> None:
    """A single-line border round the paragraph, with a light grey fill."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "000000")):
            edge.set(qn(key), value)
        borders.append(edge)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "EDEDED")):
        shading.set(qn(key), value)
    ppr.append(shading)


def _field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def build_template() -> bytes:
    """The default template's bytes."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    styles = document.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _font(normal, 11)
    normal.paragraph_format.space_before = Pt(3)  # a paragraph after a list stands clear of it
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, (size, italic) in HEADINGS.items():
        heading = styles[f"Heading {level}"]
        assert isinstance(heading, ParagraphStyle)
        _font(heading, size, bold=True, italic=italic)
        heading.paragraph_format.space_before = Pt(14 if level <= 2 else 10)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    bullet = styles["List Bullet"]
    assert isinstance(bullet, ParagraphStyle)
    _font(bullet, 11)
    bullet.paragraph_format.space_before = Pt(0)
    bullet.paragraph_format.space_after = Pt(4)
    quote = styles["Quote"]
    assert isinstance(quote, ParagraphStyle)
    _font(quote, 11, italic=True)
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.right_indent = Cm(1)
    mark = styles.add_style("Letter Mark", WD_STYLE_TYPE.PARAGRAPH)
    mark.base_style = normal
    _font(mark, 11, bold=True)
    mark.paragraph_format.space_before = Pt(6)
    mark.paragraph_format.space_after = Pt(10)
    mark.paragraph_format.keep_together = True  # a boxed notice is not split across pages
    _box(mark)
    lines = styles.add_style("Letter Lines", WD_STYLE_TYPE.PARAGRAPH)
    lines.base_style = normal
    lines.paragraph_format.space_after = Pt(10)
    lines.paragraph_format.line_spacing = 1.0
    lines.paragraph_format.keep_together = True  # an address or signature block stays on one page
    footer_style = styles["Footer"]
    assert isinstance(footer_style, ParagraphStyle)
    _font(footer_style, 9)
    footer = section.footer.paragraphs[0]
    footer.style = footer_style
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    props = document.core_properties
    props.author = props.last_modified_by = props.title = props.comments = ""
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
