"""The document package: one model, printed as DOCX and PDF, read back by other libraries."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest
from babel.messages.pofile import read_po
from docx.oxml.ns import qn
from pypdf import PdfReader

from palermo.documents import (
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    PageBreak,
    Paragraph,
    Span,
    covered_characters,
    render_docx,
    render_pdf,
)
from palermo.reference.models import State

ARABIC_TITLE = "دليل السلطات الوطنية المختصة"
ARABIC_NAME = "السلطة المركزية لتبادل المساعدة القانونية"
CHINESE_NAME = "墨西哥中央机关司法协助请求"
RUSSIAN_NAME = "Центральный орган по вопросам взаимной правовой помощи"


def sample(language: str = "en") -> Document:
    return Document(
        title=ARABIC_TITLE if language == "ar" else "Directory of competent authorities",
        language=language,
        subtitle="Public edition",
        header="Palermo directory",
        footer="Public edition",
        edition_date=dt.date(2026, 12, 4),
        edition_label="Edition of 4 December 2026",
        page_label="Page {page} of {pages}",
        toc_title="Contents",
        blocks=[
            Heading("Mexico", 1),
            Heading(Span(ARABIC_NAME, "ar"), 2),
            KeyValueTable([
                ("Address", "Calle 123, Ciudad de México"),
                ("Chinese name", Span(CHINESE_NAME, "zh-hans")),
                ("Russian name", Span(RUSSIAN_NAME, "ru")),
            ]),
            Paragraph(["The authority ", Span(ARABIC_NAME, "ar"), " receives requests."]),
            BulletList(["Post", Span("البريد الإلكتروني", "ar"), "E-mail"]),
            PageBreak(),
            Heading("Russian Federation", 1),
            Heading(Span(RUSSIAN_NAME, "ru"), 2),
            Paragraph("Small print at the end.", small=True),
        ],
    )


def pdf_text(data: bytes) -> list[str]:
    """Each page's text; pypdf puts a NUL after each two-byte CJK glyph code, dropped here."""
    return [(page.extract_text() or "").replace("\x00", "")
            for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Extracted text without spaces, presentation forms folded (pypdf spaces out CJK)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def words_present(words: str, text: str) -> bool:
    """Every word is there; the order of right-to-left words after extraction may differ."""
    folded = unicodedata.normalize("NFKC", text)
    return all(word in folded for word in words.split())


# ---- DOCX ---------------------------------------------------------------------------------


def test_docx_opens_and_holds_every_block():
    opened = docx.Document(io.BytesIO(render_docx(sample())))
    paragraphs = [p.text for p in opened.paragraphs]
    for text in ["Directory of competent authorities", "Public edition",
                 "Edition of 4 December 2026", "Contents", "Mexico", ARABIC_NAME,
                 f"The authority {ARABIC_NAME} receives requests.", "Post",
                 "البريد الإلكتروني", "E-mail", "Russian Federation", RUSSIAN_NAME,
                 "Small print at the end."]:
        assert text in paragraphs, text
    cells = [cell.text for row in opened.tables[0].rows for cell in row.cells]
    assert cells == ["Address", "Calle 123, Ciudad de México", "Chinese name", CHINESE_NAME,
                     "Russian name", RUSSIAN_NAME]
    styles = {p.text: p.style.name for p in opened.paragraphs if p.text}
    assert styles["Russian Federation"] == "Heading 1"
    assert styles[RUSSIAN_NAME] == "Heading 2"
    assert styles["Post"] == "List Bullet"
    section = opened.sections[0]
    assert section.header.paragraphs[0].text == "Palermo directory"
    footer = section.footer.paragraphs[0]
    assert "Edition of 4 December 2026" in footer.text
    assert 'instr="PAGE"' in footer._p.xml and 'instr="NUMPAGES"' in footer._p.xml
    assert opened.core_properties.title == "Directory of competent authorities"


def test_docx_table_of_contents_is_a_field_listing_the_headings():
    opened = docx.Document(io.BytesIO(render_docx(sample())))
    body = opened.element.body
    instructions = [e.text for e in body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']
    begin = next(body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:dirty")) == "true"  # Word fills in page numbers on opening
    texts = [p.text for p in opened.paragraphs]
    contents = texts[texts.index("Contents") + 1: texts.index("Contents") + 5]
    assert contents == ["Mexico", ARABIC_NAME, "Russian Federation", RUSSIAN_NAME]
    assert opened.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_docx_marks_arabic_right_to_left_and_names_fonts_per_script():
    opened = docx.Document(io.BytesIO(render_docx(sample("ar"))))
    title = opened.paragraphs[0]
    assert title.text == ARABIC_TITLE
    assert title._p.pPr.find(qn("w:bidi")) is not None
    for run in title.runs:
        assert run._r.rPr.find(qn("w:rtl")) is not None
        assert run._r.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
    # A paragraph in Latin letters inside an Arabic document runs left to right, on the right.
    subtitle = opened.paragraphs[1]
    assert subtitle.text == "Public edition"
    assert subtitle._p.pPr.find(qn("w:bidi")) is None
    assert subtitle._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "right"
    assert subtitle.runs[0]._r.rPr.find(qn("w:rtl")) is None
    # The key–value table reads right to left.
    assert opened.tables[0]._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    # Chinese runs name their east Asian language and font hint.
    chinese = [run for row in opened.tables[0].rows for cell in row.cells
               for run in cell.paragraphs[0].runs if run.text == CHINESE_NAME]
    assert chinese
    r_pr = chinese[0]._r.rPr
    assert r_pr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert r_pr.find(qn("w:rFonts")).get(qn("w:hint")) == "eastAsia"
    defaults = opened.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Noto Sans"
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert fonts.get(qn("w:cs")) == "Noto Naskh Arabic"


def test_docx_splits_an_arabic_name_with_latin_letters_into_runs():
    document = Document(title="x", language="en",
                        blocks=[Paragraph(Span("المكسيك Mexico 123", "ar"))])
    paragraph = docx.Document(io.BytesIO(render_docx(document))).paragraphs[1]
    runs = [(run.text, run._r.rPr.find(qn("w:rtl")) is not None) for run in paragraph.runs]
    assert runs == [("المكسيك ", True), ("Mexico 123", False)]


def telephone_document(kind: str) -> Document:
    return Document(title="دليل", language="ar", blocks=[KeyValueTable([
        ("الهاتف", "+34 555 55 10 30"),
        ("جهة الاتصال", "مسؤول القضايا\ncontact@example.org\n+34 555 55 10 32"),
    ])])


def test_numbers_and_addresses_keep_their_order_in_arabic_documents():
    opened = docx.Document(io.BytesIO(render_docx(telephone_document("docx"))))
    cells = [row.cells[1] for row in opened.tables[0].rows]
    assert [p.text for p in cells[1].paragraphs] == [
        "مسؤول القضايا", "contact@example.org", "+34 555 55 10 32"]
    bidi = [p._p.pPr.find(qn("w:bidi")) is not None for p in cells[1].paragraphs]
    assert bidi == [True, False, False]
    text = "\n".join(pdf_text(render_pdf(telephone_document("pdf")).data))
    assert "+34 555 55 10 30" in text and "+34 555 55 10 32" in text
    assert "contact@example.org" in text


# ---- PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pdf_text_holds_arabic_chinese_and_russian(language):
    result = render_pdf(sample(language))
    assert result.missing == set()
    pages = pdf_text(result.data)
    text = "\n".join(pages)
    assert words_present(ARABIC_NAME, text)
    assert words_present("البريد الإلكتروني", text)
    assert CHINESE_NAME in squeeze(text)
    assert squeeze(RUSSIAN_NAME) in squeeze(text)
    assert "Calle 123, Ciudad de México" in text
    if language == "ar":
        assert words_present(ARABIC_TITLE, pages[0])
    for number, page in enumerate(pages, start=1):
        assert "Edition of 4 December 2026" in page
        assert f"{number}" in page and f"{len(pages)}" in page


def test_pdf_table_of_contents_lists_the_headings_with_their_pages():
    result = render_pdf(sample())
    pages = pdf_text(result.data)
    contents = pages[0]
    assert "Contents" in contents
    for heading in ["Mexico", "Russian Federation"]:
        line = next(line for line in contents.splitlines() if line.startswith(heading))
        page_number = int(line.split()[-1])
        assert heading in pages[page_number - 1].split("Contents")[-1]
    assert squeeze(RUSSIAN_NAME) in squeeze(contents)
    assert words_present(ARABIC_NAME, contents)
    outline = PdfReader(io.BytesIO(result.data)).outline
    assert [item.title for item in outline if not isinstance(item, list)] == [
        "Mexico", "Russian Federation"]


def test_pdf_table_of_contents_spans_several_pages_when_needed():
    blocks = [Heading(f"State number {n}", 1) for n in range(120)]
    result = render_pdf(Document(title="Long", language="en", blocks=blocks,
                                 toc_title="Contents"))
    pages = pdf_text(result.data)
    listed = "".join(pages[:4])
    assert "State number 0" in listed and "State number 119" in listed
    last = next(line for line in listed.splitlines() if line.startswith("State number 119"))
    assert "State number 119" in pages[int(last.split()[-1]) - 1]


def test_pdf_never_drops_a_character_that_no_font_has():
    document = Document(title="Scripts", language="en",
                        blocks=[Paragraph("Thai ไทย and a clef 𝄞 stay visible")])
    result = render_pdf(document)
    assert result.missing == {"ไ", "ท", "ย", "𝄞"}
    text = "\n".join(pdf_text(result.data))
    assert "Thai [U+0E44][U+0E17][U+0E22] and a clef [U+1D11E] stay visible" in text


def test_long_arabic_paragraphs_are_broken_into_lines_without_loss():
    words = ("يجب أن يتضمن الطلب وصفا للوقائع والجرائم والعقوبات المنطبقة " * 30).split()
    document = Document(title="طويل", language="ar", blocks=[Paragraph(" ".join(words))])
    text = unicodedata.normalize("NFKC", "\n".join(pdf_text(render_pdf(document).data)))
    for word in set(words):
        assert text.count(word) >= words.count(word), word


# ---- fonts --------------------------------------------------------------------------------


def test_fonts_print_the_chinese_interface():
    catalogue = Path(__file__).resolve().parents[2] / (
        "src/palermo/locale/zh_Hans/LC_MESSAGES/django.po")
    with catalogue.open("rb") as handle:
        messages = read_po(handle)
    covered = covered_characters()
    missing = set()
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            missing.update(c for c in string or "" if not c.isspace() and ord(c) not in covered
                           and unicodedata.category(c) not in {"Cf", "Cc"})
    assert missing == set()


@pytest.mark.django_db
def test_fonts_print_every_state_name_in_six_languages(reference_data):
    covered = covered_characters()
    names = State.objects.values_list("name_ar", "name_zh_hans", "name_en", "name_fr",
                                      "name_ru", "name_es")
    missing = {char for row in names for name in row for char in name or ""
               if not char.isspace() and ord(char) not in covered}
    assert missing == set()


def test_fonts_folder_holds_the_licence_and_readme():
    fonts = Path(__file__).resolve().parents[2] / "src/palermo/documents/fonts"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL.txt").read_text()
    readme = (fonts / "README.md").read_text()
    for name in ["NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf",
                 "NotoSansCJKsc-Regular-subset.otf"]:
        assert (fonts / name).exists() and name in readme


# ---- long documents -----------------------------------------------------------------------


def directory_like(states: int = 40) -> Document:
    """Many parts, each with sections and tables, like the printed edition of the directory."""
    blocks: list = []
    for number in range(states):
        blocks.append(Heading(f"State number {number}", 1))
        for authority in range(3):
            blocks.append(Heading(f"Authority {number}-{authority}", 2))
            blocks.append(Paragraph("Central authority · Fictional demo entry", small=True))
            blocks.append(KeyValueTable([
                ("Designations", "UNTOC, art. 18(13) — Receives requests for mutual legal "
                                 "assistance and transmits them to the competent authorities "
                                 f"of State number {number}\nNotified: 4 December 2026"),
                ("Street address", f"Calle {number}\n{authority} Ciudad"),
                ("Telephone", "+52 55 5555 5555"),
            ]))
    return Document(title="Directory", language="en", blocks=blocks, toc_title="Contents",
                    toc_depth=1, footer="Public edition",
                    edition_label="Edition of 4 December 2026", page_label="Page {page} of {pages}")


def test_pdf_table_of_contents_lists_every_part_on_its_page():
    result = render_pdf(directory_like())
    pages = pdf_text(result.data)
    toc_pages = next(n for n, page in enumerate(pages) if "Authority 0-0" in page)
    listed = [line for page in pages[:toc_pages] for line in page.splitlines()
              if line.startswith("State number ")]
    assert [line.rsplit(" ", 1)[0] for line in listed] == [
        f"State number {n}" for n in range(40)]
    for line in listed:
        name, page = line.rsplit(" ", 1)
        body = pages[int(page) - 1]
        assert name in body and "Contents" not in body
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Public edition · Edition of 4 December 2026" in page
    assert result.pages == len(pages)


def test_pdf_long_lines_wrap_without_losing_a_word():
    words = [f"word{n}" for n in range(400)]
    document = Document(title="Long", language="en", blocks=[
        Paragraph(" ".join(words)),
        KeyValueTable([("Key", " ".join(words))]),
        BulletList([" ".join(words)]),
    ])
    text = "\n".join(pdf_text(render_pdf(document).data))
    found = re.findall(r"word\d+", text)
    assert found == words * 3


def test_pdf_reports_missing_characters_of_repeated_text():
    line = "Thai ไทย"
    document = Document(title="Scripts", language="en", blocks=[
        Paragraph(line), KeyValueTable([(line, line)]), Paragraph(line)])
    result = render_pdf(document)
    assert result.missing == {"ไ", "ท", "ย"}
    text = "\n".join(pdf_text(result.data))
    assert text.count("Thai [U+0E44][U+0E17][U+0E22]") == 4
    assert render_pdf(Document(title="Again", language="en",
                               blocks=[Paragraph(line)])).missing == {"ไ", "ท", "ย"}


def test_docx_of_a_long_document_holds_every_part_in_order():
    document = directory_like()
    opened = docx.Document(io.BytesIO(render_docx(document)))
    headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"State number {n}" for n in range(40)]
    texts = [p.text for p in opened.paragraphs]
    contents = texts[texts.index("Contents") + 1: texts.index("Contents") + 41]
    assert contents == headings  # the table of contents, until Word fills in the pages
    assert len(opened.tables) == 120
    table = opened.tables[-1]
    assert [cell.text for cell in table.rows[2].cells] == ["Telephone", "+52 55 5555 5555"]
    assert [p.text for p in table.rows[1].cells[1].paragraphs] == ["Calle 39", "2 Ciudad"]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert widths == [2948, 6917]  # 52 mm and 122 mm, as the cells


def test_docx_keeps_tabs_and_drops_characters_xml_cannot_hold():
    document = Document(title="x", language="en", blocks=[
        Paragraph("Tab\there, bell\x07 & <angle>"), KeyValueTable([("Key\x0b", "a\tb")])])
    opened = docx.Document(io.BytesIO(render_docx(document)))
    assert opened.paragraphs[1].text == "Tab\there, bell & <angle>"
    assert [cell.text for cell in opened.tables[0].rows[0].cells] == ["Key", "a\tb"]


def test_pdf_repeated_arabic_lines_are_printed_whole_every_time():
    hours = "الجمعة 9:00 ص–5:00 م"  # Arabic, digits and a dash that Noto Sans prints
    # First after another line in the same font, then after a label in bold: a line drawn
    # again elsewhere must name its own font.
    rows = [("ساعات العمل", f"مسؤول القضايا\n{hours}"), ("ساعات العمل", hours)] * 75
    document = Document(title="دليل", language="ar", blocks=[
        Heading("المكسيك", 1), KeyValueTable(rows), Paragraph("مسؤول القضايا")])
    result = render_pdf(document)
    pages = pdf_text(result.data)
    assert len(pages) > 3
    text = unicodedata.normalize("NFKC", "\n".join(pages))
    assert text.count("الجمعة") == 150
    assert text.count("ساعات") == 150 and text.count("القضايا") == 76
    assert text.count("5:00") == 150 and text.count("–") == 150
