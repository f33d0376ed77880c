"""The letter's formats: choosing one, Word from a template (golden text for the seed), the HTML
disclosure-log fragment, JSON, PDF through LibreOffice."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncnd_assistant.decide.answers import load_request
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.letter import pdf
from ncnd_assistant.letter.docx import DEFAULT_TEMPLATE, STYLES, WordTemplateError, docx_bytes, docx_text
from ncnd_assistant.letter.docx_template import build_template
from ncnd_assistant.letter.draft import as_letter
from ncnd_assistant.letter.formats import Letter, LetterFormat, LetterFormatError, format_for, letter_json, render
from ncnd_assistant.letter.html import REMOVED, disclosure_fragment
from ncnd_assistant.letter.notice import DRAFT_BANNER, Block, NoticePart, letter_draft, render_notice
from ncnd_assistant.rulebase.model import RuleBase
from ncnd_assistant.settings.model import Settings
from tests.conftest import SEED, check_golden
from tests.test_notice import RECEIVED
from tests.test_notice import WMP as WMP_PARTICULARS

WMP = Settings(authority="West Midlands Police")
SEED_SETTINGS = WMP_PARTICULARS  # the same particulars as the seed's Markdown and text goldens
LETTER_DATE = date(2018, 5, 30)


def seed_letter(rb: RuleBase, assessor: Assessor, settings: Settings | None = None) -> Letter:
    request = load_request(SEED, rb)
    parts = [NoticePart(pa, pa.outcome) for pa in (assessor.assess_part(p) for p in request.parts)]
    draft = letter_draft(rb, request.case_ref, RECEIVED, request.request, parts, letter_date=LETTER_DATE,
                         settings=settings)
    return as_letter(rb, request.case_ref, draft.blocks, draft.officer_notes)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name if p.style is not None else "", p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


# ---------------------------------------------------------------------------------------------- choosing
@pytest.mark.parametrize(("name", "path", "expected"), [
    (None, None, LetterFormat.markdown), (None, "n.docx", LetterFormat.docx), (None, "N.DOCX", LetterFormat.docx),
    (None, "n.txt", LetterFormat.text), (None, "n.htm", LetterFormat.html), (None, "n.pdf", LetterFormat.pdf),
    (None, "n.json", LetterFormat.json), (None, "letter", LetterFormat.markdown), ("docx", "n.docx", LetterFormat.docx),
    ("json", None, LetterFormat.json), ("html", "entry.inc", LetterFormat.html)])
def test_the_format_is_named_or_taken_from_the_extension(name: str | None, path: str | None,
                                                         expected: LetterFormat) -> None:
    assert format_for(name, Path(path) if path else None) is expected


@pytest.mark.parametrize(("name", "path", "says"), [
    ("markdown", "n.docx", "does not fit the file name n.docx"), ("docx", "n.md", "end the name with .docx"),
    (None, "n.odt", "cannot tell the letter's format from the name n.odt"), ("word", None, "unknown letter format")])
def test_a_name_and_an_extension_that_disagree_are_an_error(name: str | None, path: str | None, says: str) -> None:
    with pytest.raises(LetterFormatError, match=None) as error:
        format_for(name, Path(path) if path else None)
    assert says in str(error.value) and error.value.exit_code == 2


# ---------------------------------------------------------------------------------------------- Word
def test_the_seed_letter_in_word_reads_back_as_its_golden_text(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    """The seed's Word letter in West Midlands Police's name (the particulars the Markdown golden uses)."""
    data = render(seed_letter(shipped, shipped_assessor, SEED_SETTINGS), LetterFormat.docx, SEED_SETTINGS)
    assert zipfile.is_zipfile(io.BytesIO(data))
    text = docx_text(data)
    assert "West Midlands Police can neither confirm nor deny" in text and "The force" not in text
    check_golden("seed-notice.docx.txt", text)


def test_word_paragraphs_take_the_styles_of_their_blocks(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    letter = seed_letter(shipped, shipped_assessor)
    styled = paragraphs(docx_bytes(letter.blocks, WMP, letter.title))
    assert ("Heading 1", "Freedom of Information request 16883_18") in styled
    assert ("Heading 2", "Request") in styled
    assert ("List Bullet", "S24(2) National Security (qualified)") in styled
    assert any(style == "Quote" and "facial recognition" in text for style, text in styled)
    assert {style for style, _ in styled} <= set(STYLES.values())
    props = docx.Document(io.BytesIO(docx_bytes(letter.blocks, WMP, letter.title))).core_properties
    assert (props.author, props.title, props.comments) == ("West Midlands Police", letter.title, "")


def test_marks_and_kept_lines_in_word() -> None:
    blocks = (Block("lines", items=("West Midlands Police", "Lloyd House", "Birmingham B4 6NQ")),
              Block("mark", "AWAITING SIGN-OFF BY A SECOND OFFICER: not to be sent until signed off"),
              Block("paragraph", "bad\x1b[31m control\x07 characters"))
    document = docx.Document(io.BytesIO(docx_bytes(blocks, Settings())))
    lines, mark, text = document.paragraphs
    assert (lines.style.name if lines.style else "", lines.text) == (
        "Letter Lines", "West Midlands Police\nLloyd House\nBirmingham B4 6NQ")
    assert mark.style is not None and mark.style.name == "Letter Mark" and all(r.bold for r in mark.runs)
    assert text.text == "bad control characters"


def test_an_authoritys_template_keeps_its_header_and_styles_and_loses_its_body(tmp_path: Path) -> None:
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "WEST MIDLANDS POLICE - OFFICIAL"
    template.add_paragraph("Delete me: the template's own text")
    normal = template.styles["Normal"]
    normal.font.name = "Georgia"
    template.save(str(tmp_path / "ours.docx"))
    settings = Settings(word_template="ours.docx", source=tmp_path / "settings.yaml")  # relative to the settings file
    data = docx_bytes((Block("paragraph", "The letter."), Block("mark", "A mark")), settings)
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == ["The letter.", "A mark"]
    assert document.sections[0].header.paragraphs[0].text == "WEST MIDLANDS POLICE - OFFICIAL"
    assert document.styles["Normal"].font.name == "Georgia"
    assert document.paragraphs[1].style is not None and document.paragraphs[1].style.name == "Letter Mark"


@pytest.mark.parametrize(("content", "says"), [(None, "does not exist"), (b"not a zip", "is not a .docx file"),
                                               (b"", "is not a .docx file")])
def test_a_template_that_cannot_be_used_is_a_clear_error(tmp_path: Path, content: bytes | None, says: str) -> None:
    path = tmp_path / "t.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WordTemplateError, match=says):
        docx_bytes((Block("paragraph", "x"),), Settings(word_template=str(path)))


def test_the_shipped_template_is_the_one_build_template_makes() -> None:
    """Rebuild it with NCND_UPDATE_GOLDEN=1 after changing `build_template`."""
    built = build_template()
    if os.environ.get("NCND_UPDATE_GOLDEN"):
        DEFAULT_TEMPLATE.write_bytes(built)
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped, zipfile.ZipFile(io.BytesIO(built)) as fresh:
        assert {n: shipped.read(n) for n in shipped.namelist()} == {n: fresh.read(n) for n in fresh.namelist()}
    section = docx.Document(str(DEFAULT_TEMPLATE)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_word_text_reads_tables_too(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "cell"
    out = io.BytesIO()
    document.save(out)
    assert docx_text(out.getvalue()) == "Before\ncell\n\n"


# ---------------------------------------------------------------------------------------------- HTML
def test_the_disclosure_fragment_has_no_requester_no_internal_lines_and_escapes_everything() -> None:
    blocks = [Block("lines", items=("Ms Jane Requester", "1 High Street")), Block("paragraph", "Dear Ms Requester,"),
              Block("heading", "Request <1>", level=2), Block("mark", "AWAITING SIGN-OFF"),
              Block("paragraph", DRAFT_BANNER),
              Block("quote", "Dear force,\n<script>alert(1)</script> from Jane Requester\n\n2. And?"),
              Block("list", items=("a & b", 'say "hi"')), Block("paragraph", "Received 1 May. Due 30 May.")]
    fragment = disclosure_fragment(blocks, internal=(DRAFT_BANNER, "Received 1 May. Due 30 May."),
                                   redact=("Jane Requester", "Ms Jane Requester"))
    assert "Requester" not in fragment and "High Street" not in fragment and "SIGN-OFF" not in fragment
    assert "DRAFT" not in fragment and "Due 30 May" not in fragment
    assert "<h3>Request &lt;1&gt;</h3>" in fragment and "Dear Ms" not in fragment
    assert "<br>\n&lt;script&gt;" in fragment and "</p>\n  <p>2. And?</p>" in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt; from " + REMOVED in fragment
    assert "<li>a &amp; b</li>" in fragment and "<li>say &quot;hi&quot;</li>" in fragment


@given(st.text())
def test_no_text_in_a_letter_becomes_markup_in_the_fragment(text: str) -> None:
    fragment = disclosure_fragment([Block("heading", text, level=1), Block("paragraph", text),
                                    Block("list", items=(text,)), Block("quote", text)])
    stripped = fragment
    for tag in ('<article class="foi-disclosure">', "</article>", "<p>", "</p>", "<ul>", "</ul>", "<li>", "</li>",
                "<blockquote>", "</blockquote>", "<br>", "<h2>", "</h2>"):
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped and ">" not in stripped


# ---------------------------------------------------------------------------------------------- JSON
def test_the_json_form_is_the_blocks_and_what_the_letter_is(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    letter = seed_letter(shipped, shipped_assessor)
    data = json.loads(render(letter, LetterFormat.json, Settings()))
    assert data == json.loads(json.dumps(letter_json(letter)))
    assert (data["letter"], data["status"], data["case_ref"]) == (1, "draft", "16883_18")
    assert [Block(b["kind"], b["text"], tuple(b["items"]), b["level"]) for b in data["blocks"]] == list(letter.blocks)
    assert data["officer_notes"][0] == DRAFT_BANNER and "Response due by" in data["officer_notes"][1]


def test_markdown_and_text_are_the_notices_own_renderings(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    request = load_request(SEED, shipped)
    parts = [NoticePart(pa, pa.outcome) for pa in (shipped_assessor.assess_part(p) for p in request.parts)]
    letter = seed_letter(shipped, shipped_assessor)
    for fmt in (LetterFormat.markdown, LetterFormat.text):
        assert render(letter, fmt, Settings()).decode() == render_notice(
            shipped, request.case_ref, RECEIVED, request.request, parts, fmt.value, letter_date=LETTER_DATE)


# ---------------------------------------------------------------------------------------------- PDF
def test_without_libreoffice_pdf_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable, match="PDF needs LibreOffice, which is not installed"):
        render(Letter((Block("paragraph", "x"),)), LetterFormat.pdf, Settings())


@pytest.mark.slow
@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice is not installed")
def test_pdf_through_libreoffice(shipped: RuleBase, shipped_assessor: Assessor) -> None:
    data = render(seed_letter(shipped, shipped_assessor), LetterFormat.pdf, Settings())
    assert data.startswith(b"%PDF-") and len(data) > 10_000
