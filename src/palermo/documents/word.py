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
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from .model import (
    Block,
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
    if not text:
        return []
    ltr_lang = "en" if is_rtl(lang) else lang
    if not has_rtl_letters(text):  # most text: one run
        return [(text, ltr_lang if any(char.isalpha() for char in text) else lang)]
    rtl_lang = lang if is_rtl(lang) else "ar"
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


# ---- the body, written as XML text -------------------------------------------------------
#
# python-docx builds a tree of Python objects, a few for every run and paragraph; a directory
# of 20,000 authorities is over a million of them, most of the time and memory a document
# took. The body is written as WordprocessingML text instead, each distinct run once, and put
# in place of a marker paragraph when the package is saved (see :func:`render_docx`).

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\r]")
_TABLE_KEY_W = 2948  # twentieths of a point: 52 mm
_TABLE_VALUE_W = 6917  # 122 mm
_SMALL_HALF_POINTS = 17  # 8.5 pt


def _escape(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run_properties(lang: str, bold: bool, small: bool) -> str:
    """A run's ``w:rPr``, its children in the schema's order (as :func:`_mark_run` makes)."""
    base = base_language(lang)
    rtl = is_rtl(lang)
    east_asian = base in {"zh", "ja"}
    parts = []
    if east_asian:
        parts.append('<w:rFonts w:hint="eastAsia"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if small:
        parts.append(f'<w:sz w:val="{_SMALL_HALF_POINTS}"/>')
    if rtl:
        parts.append("<w:rtl/>")
    attribute = "w:bidi" if rtl else "w:eastAsia" if east_asian else "w:val"
    parts.append(f'<w:lang {attribute}="{_escape(word_language(lang))}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


class _BodyWriter:
    """WordprocessingML text for the blocks of a document, as python-docx would write them."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles  # style name → style identifier
        self.properties: dict[tuple[str, bool, bool], str] = {}
        self.runs: dict[tuple[str, str, bool, bool], str] = {}
        self.paragraphs: dict[tuple[str, str, str, bool, bool], str] = {}

    def run(self, text: str, lang: str, bold: bool, small: bool) -> str:
        key = (text, lang, bold, small)
        known = self.runs.get(key)
        if known is None:
            r_pr = self.properties.get((lang, bold, small))
            if r_pr is None:
                r_pr = self.properties[(lang, bold, small)] = _run_properties(lang, bold, small)
            content = []
            for number, piece in enumerate(text.split("\t")):
                if number:
                    content.append("<w:tab/>")
                if piece:
                    space = ' xml:space="preserve"' if piece.strip() != piece else ""
                    content.append(f"<w:t{space}>{_escape(piece)}</w:t>")
            known = self.runs[key] = f"<w:r>{r_pr}{''.join(content)}</w:r>"
        return known

    def write(self, text: Text, lang: str, bold: bool, small: bool) -> str:
        """The runs of a text, as :func:`_write` adds them."""
        out = []
        items = [Span(text, lang)] if isinstance(text, str) and text else spans(text, lang)
        for span in items:
            for number, line in enumerate(span.text.split("\n")):
                if number:
                    out.append("<w:r><w:rPr><w:sz w:val=\"17\"/></w:rPr><w:br/></w:r>"
                               if small else "<w:r><w:br/></w:r>")
                for piece, piece_lang in script_runs(line, span.lang or lang):
                    out.append(self.run(piece, piece_lang, bold, small))
        return "".join(out)

    def paragraph(self, text: Text, lang: str, *, style: str = "", bold: bool = False,
                  small: bool = False) -> str:
        """A paragraph, as :func:`_paragraph` makes it."""
        key = (text, lang, style, bold, small) if isinstance(text, str) else None
        if key is not None:
            known = self.paragraphs.get(key)
            if known is not None:
                return known
        properties = f'<w:pStyle w:val="{style}"/>' if style else ""
        if paragraph_rtl(plain(text), lang):
            properties += "<w:bidi/>"
        elif is_rtl(lang):
            properties += '<w:jc w:val="right"/>'
        p_pr = f"<w:pPr>{properties}</w:pPr>" if properties else ""
        xml = f"<w:p>{p_pr}{self.write(text, lang, bold, small)}</w:p>"
        if key is not None:
            self.paragraphs[key] = xml
        return xml

    def cell(self, text: Text, lang: str, width: int, bold: bool) -> str:
        lines: list[str] | list[list[Span]] = (
            text.split("\n") if isinstance(text, str) else _split_lines(text))
        paragraphs = [self.paragraph(line, lang, bold=bold) for line in lines]
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                f"{''.join(paragraphs)}</w:tc>")

    def key_values(self, table: KeyValueTable, lang: str) -> str:
        bidi = "<w:bidiVisual/>" if is_rtl(lang) else ""
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["Table Grid"]}"/>{bidi}'
            '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
            'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            f'</w:tblPr><w:tblGrid><w:gridCol w:w="{_TABLE_KEY_W}"/>'
            f'<w:gridCol w:w="{_TABLE_VALUE_W}"/></w:tblGrid>'
        ]
        for key, value in table.rows:
            out.append(f"<w:tr>{self.cell(key, lang, _TABLE_KEY_W, True)}"
                       f"{self.cell(value, lang, _TABLE_VALUE_W, False)}</w:tr>")
        out.append("</w:tbl><w:p/>")
        return "".join(out)

    def block(self, block: Block, lang: str) -> str:
        if isinstance(block, Heading):
            return self.paragraph(block.text, lang,
                                  style=self.styles[f"Heading {min(block.level, 9)}"])
        if isinstance(block, Paragraph):
            return self.paragraph(block.text, lang, small=block.small)
        if isinstance(block, KeyValueTable):
            return self.key_values(block, lang)
        if isinstance(block, BulletList):
            style = self.styles["List Bullet"]
            return "".join(self.paragraph(item, lang, style=style) for item in block.items)
        if isinstance(block, PageBreak):
            return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        return ""


def _body_chunks(doc: Document, styles: dict[str, str], size: int = 1 << 20
                 ) -> Iterator[bytes]:
    """The blocks as UTF-8 WordprocessingML, in pieces of about ``size`` bytes."""
    writer = _BodyWriter(styles)
    pending: list[str] = []
    length = 0
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            # Most runs are names and addresses written once: keep a part's worth.
            writer.runs.clear()
            writer.paragraphs.clear()
        xml = writer.block(block, doc.lang_of(block))
        pending.append(xml)
        length += len(xml)
        if length >= size:
            yield "".join(pending).encode("utf-8")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _splice(package: bytes, marker: str, chunks: Iterable[bytes]) -> bytes:
    """The package with the paragraph holding ``marker`` in word/document.xml replaced by
    the chunks, every other part copied as it is."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "word/document.xml":
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            found = data.index(marker.encode("ascii"))
            start = data.rindex(b"<w:p>", 0, found)
            end = data.index(b"</w:p>", found) + len(b"</w:p>")
            with target.open(info.filename, "w") as out:
                out.write(data[:start])
                for chunk in chunks:
                    out.write(chunk)
                out.write(data[end:])
    return buffer.getvalue()


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
    if not doc.blocks:
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    marker = f"palermo-body-{uuid.uuid4().hex}"
    document.add_paragraph(marker)
    buffer = io.BytesIO()
    document.save(buffer)
    style_ids = {name: style.style_id for name, style in styles.items()}
    return _splice(buffer.getvalue(), marker, _body_chunks(doc, style_ids))
