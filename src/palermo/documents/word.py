"""DOCX from a :class:`~palermo.documents.model.Document`, with python-docx.

Word shapes and orders text itself; what it needs from us is to know which text is what.
Right-to-left paragraphs carry ``w:bidi`` and their Arabic runs ``w:rtl``; every run names its
language (``w:lang``: ``w:val``, ``w:eastAsia`` or ``w:bidi``), and the document's defaults
name a font for each kind of script (Latin, east Asian, complex). The table of contents is a
Word field marked dirty, so Word fills in the page numbers when the file is opened; until then
it lists the headings, so it is useful in any reader.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.document import _Body
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .model import (
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    PageBreak,
    Paragraph,
    Span,
    Text,
    base_language,
    has_rtl_letters,
    is_rtl,
    paragraph_rtl,
    plain,
    spans,
)

LATIN_FONT = "Noto Sans"
EAST_ASIAN_FONT = "Noto Sans CJK SC"
COMPLEX_FONT = "Noto Naskh Arabic"
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_PPR_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)


def word_language(lang: str) -> str:
    """A language tag Word knows: zh-hans → zh-CN, ar → ar-SA, others as they are."""
    base = base_language(lang)
    return {"zh": "zh-CN", "ar": "ar-SA"}.get(base, lang)


def _child(parent: object, tag: str, order: tuple[str, ...]) -> object:
    """The child ``tag`` of an rPr/pPr, created in its schema position when missing."""
    found = parent.find(qn(tag))  # type: ignore[attr-defined]
    if found is not None:
        return found
    element = OxmlElement(tag)
    position = order.index(tag)
    parent.insert_element_before(element, *order[position + 1:])  # type: ignore[attr-defined]
    return element


def _mark_run(run: object, lang: str, *, bold: bool = False) -> None:
    """Properties of a new run, appended in the order the schema wants them."""
    r_pr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    base = base_language(lang)
    rtl = is_rtl(lang)
    east_asian = base in {"zh", "ja"}
    if east_asian:
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:hint"), "eastAsia")
        r_pr.append(fonts)
    if bold:
        r_pr.append(OxmlElement("w:b"))
        r_pr.append(OxmlElement("w:bCs"))
    if rtl:
        r_pr.append(OxmlElement("w:rtl"))
    language = OxmlElement("w:lang")
    attribute = "w:bidi" if rtl else "w:eastAsia" if east_asian else "w:val"
    language.set(qn(attribute), word_language(lang))
    r_pr.append(language)


def _mark_paragraph(paragraph: DocxParagraph, rtl: bool, block_rtl: bool | None = None) -> None:
    """``w:bidi`` on a right-to-left paragraph; a left-to-right one (a telephone number) in a
    right-to-left block keeps its own direction but lines up with the block, on the right."""
    if rtl:
        p_pr = paragraph._p.get_or_add_pPr()
        if p_pr.find(qn("w:bidi")) is None:
            p_pr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)
    elif block_rtl:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def script_runs(text: str, lang: str) -> list[tuple[str, str]]:
    """The text cut where it changes between right-to-left letters and other letters.

    Word marks a run right to left as a whole, so an Arabic name with a Latin acronym is two
    runs: the Arabic one in the block's right-to-left language (or Arabic, in a block in
    another language), the Latin one in the block's language (or English, in an Arabic block).
    Digits, spaces and punctuation stay with the run they are in.
    """
    rtl_lang = lang if is_rtl(lang) else "ar"
    ltr_lang = "en" if is_rtl(lang) else lang
    runs: list[tuple[str, str]] = []
    current: list[str] = []
    current_rtl: bool | None = None
    for char in text:
        if char.isalpha():
            char_rtl = has_rtl_letters(char)
            if current_rtl is not None and char_rtl != current_rtl and current:
                runs.append(("".join(current), rtl_lang if current_rtl else ltr_lang))
                current = []
            current_rtl = char_rtl
        current.append(char)
    if current:
        rtl = is_rtl(lang) if current_rtl is None else current_rtl
        runs.append(("".join(current), rtl_lang if rtl else ltr_lang))
    return runs


def _write(paragraph: DocxParagraph, text: Text, lang: str, *, bold: bool = False) -> None:
    for span in spans(text, lang):
        for number, line in enumerate(span.text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            for piece, piece_lang in script_runs(line, span.lang or lang):
                _mark_run(paragraph.add_run(piece), piece_lang, bold=bold)


def _paragraph(container: object, text: Text, lang: str, *, style: Any = None,
               bold: bool = False) -> DocxParagraph:
    paragraph: DocxParagraph = container.add_paragraph()  # type: ignore[attr-defined]
    if style is not None:
        # The style's identifier, set directly: python-docx would look the style up again.
        paragraph._p.get_or_add_pPr().style = style.style_id
    _mark_paragraph(paragraph, paragraph_rtl(plain(text), lang), is_rtl(lang))
    _write(paragraph, text, lang, bold=bold)
    return paragraph


def _split_lines(text: Text) -> list[list[Span]]:
    """The text's lines, each a paragraph of its own (and so with its own direction)."""
    lines: list[list[Span]] = [[]]
    for span in spans(text, ""):
        for number, piece in enumerate(span.text.split("\n")):
            if number:
                lines.append([])
            if piece:
                lines[-1].append(Span(piece, span.lang or None))
    return lines


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str, lang: str) -> None:
    """A simple field (PAGE, NUMPAGES) with a placeholder result."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    paragraph._p.append(field)
    run = paragraph.add_run(placeholder)
    _mark_run(run, lang)
    field.append(run._r)


def _complex_field_start(paragraph: DocxParagraph, instruction: str) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # Word updates the field when it opens the file
    paragraph.add_run()._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)


def _complex_field_end(paragraph: DocxParagraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _defaults(document: DocxDocument, lang: str) -> None:
    """Fonts and languages of the document's defaults and of its headings."""
    styles = document.styles.element
    r_pr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for style in [r_pr, *(s.element.get_or_add_rPr() for s in document.styles
                          if s.name and s.name.startswith(("Heading", "Title", "Subtitle")))]:
        fonts = _child(style, "w:rFonts", _RPR_ORDER)
        for key in ["asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"]:
            fonts.attrib.pop(qn(f"w:{key}"), None)  # type: ignore[attr-defined]
        fonts.set(qn("w:ascii"), LATIN_FONT)  # type: ignore[attr-defined]
        fonts.set(qn("w:hAnsi"), LATIN_FONT)  # type: ignore[attr-defined]
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)  # type: ignore[attr-defined]
        fonts.set(qn("w:cs"), COMPLEX_FONT)  # type: ignore[attr-defined]
    language = _child(r_pr, "w:lang", _RPR_ORDER)
    language.set(qn("w:val"), "en-GB" if is_rtl(lang) or base_language(lang) == "zh"  # type: ignore[attr-defined]
                 else word_language(lang))
    language.set(qn("w:eastAsia"), "zh-CN")  # type: ignore[attr-defined]
    language.set(qn("w:bidi"), "ar-SA")  # type: ignore[attr-defined]
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        compat = settings.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(update)
        else:
            settings.append(update)


def _page_furniture(document: DocxDocument, doc: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ["left_margin", "right_margin", "top_margin", "bottom_margin"]:
        setattr(section, side, Mm(18))
    rtl = doc.rtl
    if rtl:
        section._sectPr.append(OxmlElement("w:bidi"))
    if doc.header:
        header = section.header.paragraphs[0]
        _mark_paragraph(header, rtl)
        _write(header, doc.header, doc.language)
    footer = section.footer.paragraphs[0]
    _mark_paragraph(footer, rtl)
    left = " · ".join(part for part in [doc.footer, doc.edition_label] if part)
    if left:
        _write(footer, left + " · ", doc.language)
    label = doc.page_label
    for piece in label.replace("{pages}", "\0{pages}\0").replace("{page}", "\0{page}\0").split(
            "\0"):
        if piece == "{page}":
            _field(footer, "PAGE", "1", doc.language)
        elif piece == "{pages}":
            _field(footer, "NUMPAGES", "1", doc.language)
        elif piece:
            _write(footer, piece, doc.language)


def _table_of_contents(document: DocxDocument, doc: Document) -> None:
    assert doc.toc_title is not None
    _paragraph(document, doc.toc_title, doc.language, style=document.styles["TOC Heading"])
    entries = [h for h in doc.headings() if h.in_toc and h.level <= doc.toc_depth]
    first = document.add_paragraph()
    _mark_paragraph(first, doc.rtl)
    _complex_field_start(first, f'TOC \\o "1-{doc.toc_depth}" \\h \\z \\u')
    paragraph = first
    for index, heading in enumerate(entries):
        if index:
            paragraph = document.add_paragraph()
            _mark_paragraph(paragraph, doc.rtl)
        if heading.level > 1:
            paragraph.paragraph_format.left_indent = Mm(6 * (heading.level - 1))
        _write(paragraph, heading.text, doc.lang_of(heading), bold=heading.level == 1)
    _complex_field_end(paragraph)


def _key_values(container: Any, table_block: KeyValueTable, lang: str,
                styles: dict[str, Any]) -> None:
    table = container.add_table(rows=0, cols=2, width=Mm(174))
    table._tbl.tblPr.style = styles["Table Grid"].style_id
    if is_rtl(lang):
        tbl_pr = table._tbl.tblPr
        tbl_pr.append(OxmlElement("w:bidiVisual"))
    for key, value in table_block.rows:
        # Row.cells walks the whole table (quadratic in its rows): take the new row's own.
        cells = [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]
        cells[0].width, cells[1].width = Mm(52), Mm(122)
        for cell, text, bold in [(cells[0], key, True), (cells[1], value, False)]:
            for number, line in enumerate(_split_lines(text)):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                _mark_paragraph(paragraph, paragraph_rtl(plain(line), lang), is_rtl(lang))
                _write(paragraph, line, lang, bold=bold)
    container.add_paragraph()


def _bullets(container: Any, items: Iterable[Text], lang: str,
             styles: dict[str, Any]) -> None:
    for item in items:
        _paragraph(container, item, lang, style=styles["List Bullet"])


def render_docx(doc: Document) -> bytes:
    document = docx.Document()
    _defaults(document, doc.language)
    properties = document.core_properties
    properties.title = doc.title
    properties.language = word_language(doc.language)
    properties.author = doc.author
    properties.subject = doc.subtitle
    _page_furniture(document, doc)
    # Looking a style up by name reads every style: once per document, not once per block.
    styles = {name: document.styles[name] for name in [
        "Title", "Subtitle", "List Bullet", "Table Grid", *(f"Heading {n}" for n in range(1, 10))]}
    _paragraph(document, doc.title, doc.language, style=styles["Title"])
    if doc.subtitle:
        _paragraph(document, doc.subtitle, doc.language, style=styles["Subtitle"])
    if doc.edition_label:
        _paragraph(document, doc.edition_label, doc.language)
    if doc.toc_title is not None:
        _table_of_contents(document, doc)
        document.add_page_break()
    normal = document.styles["Normal"].font
    normal.size = Pt(10)
    # Blocks are written into a small detached body and moved into the document in batches:
    # python-docx finds the place of each new block by scanning the whole body, which would
    # make a long document quadratic.
    scratch = _Body(OxmlElement("w:body"), document.part)
    end_of_body = document.element.body.find(qn("w:sectPr"))
    for index, block in enumerate(doc.blocks):
        lang = doc.lang_of(block)
        if isinstance(block, Heading):
            _paragraph(scratch, block.text, lang, style=styles[f"Heading {min(block.level, 9)}"])
        elif isinstance(block, Paragraph):
            paragraph = _paragraph(scratch, block.text, lang)
            if block.small:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        elif isinstance(block, KeyValueTable):
            _key_values(scratch, block, lang, styles)
        elif isinstance(block, BulletList):
            _bullets(scratch, block.items, lang, styles)
        elif isinstance(block, PageBreak):
            scratch.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if index % 50 == 49 or index == len(doc.blocks) - 1:
            for element in list(scratch._body):
                end_of_body.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

