"""PDF from a :class:`~palermo.documents.model.Document`, with fpdf2 and HarfBuzz.

Arabic is shaped and laid out right to left (``set_text_shaping``, which runs the Unicode
bidirectional algorithm); Chinese, Cyrillic and Latin text print with the vendored Noto fonts,
the others standing in for the block's font wherever it lacks a character. A character that
no font has is printed as ``[U+XXXX]`` and listed in :attr:`PdfResult.missing`: text is never
dropped silently.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import PDFResourceType, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.outline import OutlineSection

from .model import (
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    PageBreak,
    Paragraph,
    Text,
    base_language,
    has_rtl_letters,
    is_rtl,
    paragraph_rtl,
    spans,
)

# fpdf2 subsets fonts with fontTools, which reports every glyph at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# family → (regular, bold); Chinese has one weight (see fonts/README.md).
FONTS = {
    "sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "naskh": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "sc": ("NotoSansCJKsc-Regular-subset.otf", "NotoSansCJKsc-Regular-subset.otf"),
}
HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 11.5}
BODY_SIZE = 10.0
SMALL_SIZE = 8.5
LINE = 1.45  # line height, times the font size
TOTAL = "{tot}"  # stands for the number of pages until the end
KEY_SHARE = 0.3  # width of the key column of a key–value table
KEEP = {"\u200c", "\u200d"}  # joiners matter to Arabic shaping; other format characters go
# Scripts that need shaping besides right-to-left ones: Indic, Thai, Lao, Tibetan, Myanmar, Khmer.
_COMPLEX = re.compile(r"[\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]")
_PLAIN = re.compile(r"[ -~]*")  # printable ASCII, which every text font has
_FONT_IN_USE = re.compile(rb"/F(\d+) ")  # a font selected in a content stream
_WIDE = re.compile("[\u2e80-\U0010ffff]")  # characters an em wide (CJK), for estimates


def family_for(lang: str) -> str:
    base = base_language(lang)
    if is_rtl(base):
        return "naskh"
    if base in {"zh", "ja"}:
        return "sc"
    return "sans"


def needs_shaping(text: str, rtl: bool) -> bool:
    if rtl or has_rtl_letters(text):
        return True
    return _COMPLEX.search(text) is not None


@cache
def _cmap(name: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_DIR / name, lazy=True).getBestCmap())


@cache
def _chars(name: str) -> frozenset[str]:
    return frozenset(map(chr, _cmap(name)))


@cache
def covered_characters() -> frozenset[int]:
    """Every code point that one of the vendored fonts can print."""
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    for regular, _bold in FONTS.values():
        font = TTFont(FONT_DIR / regular, lazy=True)
        codes.update(font.getBestCmap())
    return frozenset(codes)


@dataclass
class PdfResult:
    data: bytes
    pages: int
    missing: set[str] = field(default_factory=set)  # characters printed as [U+XXXX]


def document_texts(document: Document) -> Iterator[tuple[str, str]]:
    """Every text of the document with its language."""
    lang = document.language
    for label in [document.title, document.subtitle, document.header, document.footer,
                  document.edition_label, document.page_label, document.toc_title or ""]:
        yield label, lang
    for block in document.blocks:
        block_lang = document.lang_of(block)
        texts: list[Text] = []
        if isinstance(block, Heading | Paragraph):
            texts = [block.text]
        elif isinstance(block, KeyValueTable):
            texts = [cell for row in block.rows for cell in row]
        elif isinstance(block, BulletList):
            texts = list(block.items)
        for item in texts:
            if isinstance(item, str):
                yield item, block_lang
                continue
            for span in spans(item, block_lang):
                yield span.text, span.lang or block_lang


def families_needed(document: Document, cmaps: dict[str, frozenset[int]]) -> list[str]:
    """The font families the document needs: Noto Sans (page numbers, bullets), each block
    language's own, and the first that has each character Noto Sans lacks."""
    needed = {"sans", family_for(document.language)}
    sans = cmaps["sans"]
    chars: set[str] = set()
    languages: set[str] = set()
    for text, lang in document_texts(document):
        languages.add(lang)
        chars.update(text)
    for char in chars:
        code = ord(char)
        if code in sans:
            continue
        for family in ("naskh", "sc"):
            if code in cmaps[family]:
                needed.add(family)
                break
    needed.update(family_for(lang) for lang in languages)
    return [family for family in FONTS if family in needed]


@dataclass(frozen=True)
class _Prepared:
    rtl: bool
    cleaned: str
    font: TTFFont | None  # the font that prints it whole without shaping, if one does


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(format="A4", unit="mm")
        self.document = document
        self.rtl = document.rtl
        self.missing: set[str] = set()
        self.body_top = 0.0
        self.covered = covered_characters()
        self.cmaps = {family: _cmap(regular) for family, (regular, _bold) in FONTS.items()}
        # Reading a font takes a tenth of a second or more: only the ones this document uses.
        self.families = families_needed(document, self.cmaps)
        for family in self.families:
            regular, bold = FONTS[family]
            self.add_font(family, "", str(FONT_DIR / regular))
            self.add_font(family, "B", str(FONT_DIR / bold))
        self.set_fallback_fonts(self.families, exact_match=False)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(document.title)
        self.set_lang(document.language)
        self.set_author(document.author)
        self.set_creator("Palermo")
        # fpdf2 reserves the alias's width for the total: five characters, five digits.
        self.page_text = document.page_label.replace("{pages}", TOTAL)
        self.alias_nb_pages(TOTAL)
        self.fallbacks = self.families
        self.fallbacks_on = True
        # Most lines of a directory are text that one font prints whole and that needs no
        # shaping: those are measured with the font's widths and written straight into the
        # page (see :meth:`fast_lines`), each distinct string measured and encoded once.
        self.font_chars = {
            f"{family}{style}": _chars(FONTS[family][1 if style else 0])
            for family in self.families for style in ("", "B")}
        self.classified: set[str] = set()  # characters seen by clean()
        self.replacements: dict[int, str | None] = {ord("\t"): " "}  # for str.translate
        self.uncovered: set[str] = set()  # characters printed as [U+XXXX]
        self.fonts_on_page: tuple[int, set[int]] = (0, set())
        self.replays: dict[tuple[Any, ...], tuple[bytes, float, float, frozenset[int]]] = {}
        # font → (character → glyph code, for str.translate; the characters in it)
        self.glyph_codes: dict[int, tuple[dict[int, str], set[str]]] = {}
        self.text_wrap: str | None = None  # colour operator of grey text, see set_text_color
        self.cleaned: dict[str, tuple[str, frozenset[str]]] = {}
        self.prepared: dict[tuple[str, str, bool], _Prepared] = {}
        self.encoded: dict[tuple[int, str], tuple[float, str]] = {}
        self.broken: dict[tuple[int, str, float, float], list[tuple[str, float, bool]]] = {}
        self.estimates: dict[tuple[str, str, float, bool, float, float], float] = {}
        self.page_numbers_later = False

    # ---- text -------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """The text with format characters dropped (joiners kept), odd spaces made spaces,
        and characters that no font has written as [U+XXXX] (and noted as missing). Each
        character is looked at once per document."""
        if _PLAIN.fullmatch(text):
            return text
        text = text.replace("\r\n", "\n")
        present = set(text)
        new = present - self.classified
        if new:
            for char in new:
                code = ord(char)
                if char == "\n" or char in KEEP:
                    continue
                if unicodedata.category(char) in {"Cf", "Cc"}:
                    self.replacements[code] = None
                elif code in self.covered:
                    continue
                elif char.isspace():
                    self.replacements[code] = " "
                else:
                    self.replacements[code] = f"[U+{code:04X}]"
                    self.uncovered.add(char)
            self.replacements[ord("\t")] = " "
            self.classified |= new
        if not present.isdisjoint(self.uncovered):
            self.missing |= present & self.uncovered
        return text.translate(self.replacements)

    def use(self, lang: str, *, bold: bool = False, size: float = BODY_SIZE,
            text: str = "", rtl: bool | None = None) -> tuple[str, str]:
        """Font and shaping for a piece of text in ``lang``; returns (cleaned text, align)."""
        rtl = is_rtl(lang) if rtl is None else rtl
        family = family_for(lang)
        self.set_font(family, "B" if bold else "", size)
        cleaned = self.clean(text)
        shaping = needs_shaping(cleaned, rtl)
        if shaping:
            self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        else:
            self.set_text_shaping(False)
        # With fallback fonts fpdf2 looks at every character on its own, which is most of the
        # time a document takes; text that its own font prints whole goes without them.
        cmap = self.cmaps[family]
        needed = shaping or not all(ord(char) in cmap for char in cleaned)
        if needed != self.fallbacks_on:
            self.set_fallback_fonts(self.fallbacks if needed else [], exact_match=False)
            self.fallbacks_on = needed
        return cleaned, "R" if rtl else "L"

    def text_of(self, text: Text, lang: str) -> str:
        if isinstance(text, str):
            return text
        return "".join(span.text for span in spans(text, lang))

    def prepare(self, part: str, lang: str, bold: bool) -> _Prepared:
        """Direction, cleaned text and, when one font prints it unshaped, that font."""
        key = (part, lang, bold)
        prepared = self.prepared.get(key)
        if prepared is not None:
            if not self.uncovered.isdisjoint(part):
                self.clean(part)  # note its missing characters again
            return prepared
        rtl = paragraph_rtl(part, lang)
        cleaned = self.clean(part)
        family = family_for(lang)
        font_key = f"{family}{'B' if bold else ''}"
        font = None
        if not needs_shaping(cleaned, rtl) and self.font_chars[font_key].issuperset(cleaned):
            candidate = self.fonts[font_key]
            if isinstance(candidate, TTFFont):
                font = candidate
        prepared = self.prepared[key] = _Prepared(rtl, cleaned, font)
        return prepared

    def forget(self) -> None:
        """Drop the measured strings (at each part: most are names and addresses printed
        once), keeping memory to a part's worth; labels are measured again, once a part."""
        for cache_ in (self.prepared, self.encoded, self.broken, self.estimates, self.replays):
            cache_.clear()

    def encode(self, font: TTFFont, text: str) -> tuple[float, str]:
        """The text's width in thousandths of the font size, and its glyph codes as a PDF
        string (the glyphs are added to the font's subset)."""
        key = (font.i, text)
        known = self.encoded.get(key)
        if known is None:
            table, known_chars = self.glyph_codes.setdefault(font.i, ({}, set()))
            new = set(text).difference(known_chars)
            if new:
                for char in new:
                    table[ord(char)] = chr(font.subset.pick(ord(char)) or 0)
                known_chars |= new
            units = sum(map(font.cw.__getitem__, map(ord, text)))
            codes = text.translate(table)
            known = self.encoded[key] = (units, font.escape_text(codes))
        return known

    def fast_lines(self, font: TTFFont, text: str, size: float,
                   available: float) -> list[tuple[str, float, bool]]:
        """The text's lines as (line, width units, fits), broken at spaces by measuring
        each word once; a word wider than the column is a line that does not fit."""
        units, _codes = self.encode(font, text)
        scale = size * 0.001 / self.k
        if units * scale <= available:
            return [(text, units, True)]
        key = (font.i, text, size, available)
        known = self.broken.get(key)
        if known is not None:
            return known
        limit = available / scale
        space = font.cw[32]
        lines: list[tuple[str, float, bool]] = []
        current: list[str] = []
        used = 0.0
        for word in text.split(" "):
            word_units = self.encode(font, word)[0]
            needed = word_units if not current else used + space + word_units
            if current and needed > limit:
                lines.append((" ".join(current), used, used <= limit))
                current, used = [word], word_units
            else:
                current.append(word)
                used = needed
        lines.append((" ".join(current), used, used <= limit))
        self.broken[key] = lines
        return lines

    def write_line(self, font: TTFFont, text: str, units: float, *, left: float, width: float,
                   h: float, size: float, align: str) -> None:
        """One line of unshaped text, as ``cell`` would print it, without its overheads."""
        if self.y + h > self.page_break_trigger and not self.in_footer and self.auto_page_break:
            self._perform_page_break()
        if text:
            k = self.k
            text_w = units * size * 0.001 / k
            dx = width - self.c_margin - text_w if align == "R" else self.c_margin
            baseline = self.h - self.y - 0.5 * h - 0.3 * size / k
            codes = self.encode(font, text)[1]
            out = (f"BT /F{font.i} {size:.2f} Tf {(left + dx) * k:.2f} {baseline * k:.2f} Td "
                   f"({codes}) Tj ET")
            if self.text_wrap is not None:
                out = f"q {self.text_wrap} {out} Q"
            # What FPDF._out does, without its checks (a page is open: this is a page's body).
            contents = self.pages[self.page].contents
            if isinstance(contents, bytearray):
                contents.extend(out.encode("latin-1"))
                contents.append(0x0A)
            else:
                self._out(out)
            page, fonts = self.fonts_on_page
            if page != self.page:
                self.fonts_on_page = page, fonts = self.page, set()
            if font.i not in fonts:
                fonts.add(font.i)
                self._resource_catalog.add(PDFResourceType.FONT, font.i, self.page)
            # The page's font is now this one: fpdf2 sets its own again before its next text.
            self.current_font_is_set_on_page = False
            if size > font.biggest_size_pt:
                font.biggest_size_pt = size
        self._lasth = h
        self.x = self.l_margin
        self.y += h

    def set_text_color(self, r: Any, g: Any = -1, b: Any = -1) -> None:
        super().set_text_color(r, g, b)
        color = self.text_color
        self.text_wrap = (None if color is None or color == self.fill_color
                          else color.serialize().lower())

    def block(self, text: str, lang: str, *, x: float | None = None, w: float | None = None,
              bold: bool = False, size: float = BODY_SIZE, line: float = LINE,
              align: str | None = None) -> None:
        """Write wrapped text, breaking pages where needed.

        Each line of the text is a paragraph of its own for the bidirectional algorithm, with
        the direction of its content (like ``dir="auto"``): a telephone number or an address
        in Latin letters inside an Arabic block keeps its order.
        """
        left = self.x if x is None else x
        width = self.epw if w is None else w
        align = align or ("R" if is_rtl(lang) else "L")
        available = width - 2 * self.c_margin - 0.5
        for part in text.replace("\r\n", "\n").split("\n"):
            prepared = self.prepare(part, lang, bold)
            font = prepared.font
            if font is not None:
                h = size / self.k * line
                for text_line, units, fits in self.fast_lines(font, prepared.cleaned, size,
                                                              available):
                    if fits:
                        self.write_line(font, text_line, units, left=left, width=width, h=h,
                                        size=size, align=align)
                    else:  # one word wider than the column: fpdf2 cuts it
                        self.use(lang, bold=bold, size=size, text=text_line, rtl=prepared.rtl)
                        self.set_x(left)
                        self.multi_cell(w=width, h=h, text=text_line, align=align,
                                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                continue
            rtl = prepared.rtl
            cleaned, _start = self.use(lang, bold=bold, size=size, text=part, rtl=rtl)
            if self.get_string_width(cleaned) <= available:
                lines = [(cleaned, True)]  # most lines: no line breaking at all
            else:
                # fpdf2's multi_cell measures a growing line for every character it adds
                # (and re-shapes it, for Arabic); words are measured once here instead.
                lines = self.break_lines(cleaned, width, bold=bold)
                self.use(lang, bold=bold, size=size, text=cleaned, rtl=rtl)
            for text_line, fits in lines:
                self.set_x(left)
                if fits:
                    self.shaped_line(text_line, width, self.font_size * line, align)
                else:  # one word wider than the column: fpdf2 cuts it
                    self.multi_cell(w=width, h=self.font_size * line, text=text_line,
                                    align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def shaped_line(self, text: str, width: float, h: float, align: str) -> None:
        """A line that fpdf2 shapes (or prints with fallback fonts): written by ``cell`` the
        first time, then, when the same line comes again in the same font, direction and
        colour, the same drawing moved to its place (``cm``), without shaping it again.
        Labels and the lines repeated in every entry of an Arabic edition are most of it."""
        font = self.current_font
        key = (text, font.fontkey if font is not None else "", self.font_size_pt,
               str(self.text_shaping), self.fallbacks_on, align, width, h, self.text_wrap)
        replay = self.replays.get(key)
        contents = self.pages[self.page].contents
        if replay is not None and isinstance(contents, bytearray):
            if (self.y + h > self.page_break_trigger and not self.in_footer
                    and self.auto_page_break):
                self._perform_page_break()
                contents = self.pages[self.page].contents
                assert isinstance(contents, bytearray)
            data, x0, y0, fonts = replay
            k = self.k
            contents.extend(f"q 1 0 0 1 {(self.x - x0) * k:.2f} {(y0 - self.y) * k:.2f} cm\n"
                            .encode("latin-1"))
            contents.extend(data)
            contents.extend(b"Q\n")
            for number in fonts:
                self._resource_catalog.add(PDFResourceType.FONT, number, self.page)
            self.current_font_is_set_on_page = False  # Q restored the page's font
            self._lasth = h
            self.x = self.l_margin
            self.y += h
            return
        page, x0, y0 = self.page, self.x, self.y
        start = len(contents) if isinstance(contents, bytearray) else 0
        # fpdf2 selects the font inside what it writes only when it does not take it to be
        # the page's already: then the drawing is whole, and can be moved elsewhere.
        self.current_font_is_set_on_page = False
        self.cell(w=width, h=h, text=text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.page == page and isinstance(contents, bytearray) and TOTAL not in text:
            data = bytes(contents[start:])
            fonts = frozenset(int(number) for number in _FONT_IN_USE.findall(data))
            self.replays[key] = (data, x0, y0, fonts)

    def break_lines(self, text: str, width: float, *, bold: bool) -> list[tuple[str, bool]]:
        """Lines of a long shaped text, each measured word by word.

        fpdf2 reshapes the growing line for every character it adds, which takes seconds for
        a long Arabic paragraph; words are shaped once here, each in the font that prints it.
        """
        family, size = self.font_family, self.font_size_pt
        available = width - 2 * self.c_margin - 0.5
        space = self.get_string_width(" ")
        lines: list[tuple[str, bool]] = []
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                self.set_font(_family_of_word(word, family), "B" if bold else "", size)
                word_width = self.get_string_width(word)
                needed = word_width if not current else used + space + word_width
                if current and needed > available:
                    lines.append((" ".join(current), used <= available))
                    current, used = [word], word_width
                else:
                    current.append(word)
                    used = needed
            lines.append((" ".join(current), used <= available))
        return lines

    def estimate(self, text: str, lang: str, *, w: float | None = None, bold: bool = False,
                 size: float = BODY_SIZE, line: float = LINE) -> float:
        """A generous height for the text, measured without shaping (which is costly to
        run twice): enough to decide page breaks and lay out the table of contents."""
        width = self.epw if w is None else w
        key = (text, lang, width, bold, size, line)
        known = self.estimates.get(key)
        if known is not None:
            return known
        font = self.fonts[f"{family_for(lang)}{'B' if bold else ''}"]
        assert isinstance(font, TTFFont)
        widths = font.cw
        font_size = size / self.k
        column = max(width - 2 * self.c_margin, 1)
        lines = 0
        for part in self.clean(text).split("\n"):
            wide = _WIDE.findall(part)
            if wide:
                part = _WIDE.sub("", part)
            narrow = sum(map(widths.__getitem__, map(ord, part)))
            length = narrow * size * 0.001 / self.k + len(wide) * font_size
            lines += max(1, math.ceil(length * 1.12 / column))
        known = self.estimates[key] = lines * font_size * line
        return known

    # ---- page furniture ---------------------------------------------------------------

    def header(self) -> None:
        doc = self.document
        shaping = self.text_shaping
        if doc.header:
            self.set_y(8)
            self.set_text_color(90)
            self.block(doc.header, doc.language, size=SMALL_SIZE, line=1.2)
            self.set_draw_color(180)
            self.line(self.l_margin, self.y + 1, self.w - self.r_margin, self.y + 1)
            self.set_text_color(0)
        self.set_y(max(self.t_margin, self.y + 4))
        self.body_top = self.y
        self.text_shaping = shaping

    def footer(self) -> None:
        doc = self.document
        shaping = self.text_shaping
        self.set_y(-13)
        self.set_text_color(90)
        left = " · ".join(part for part in [doc.footer, doc.edition_label] if part)
        y = self.y
        if left:
            self.block(left, doc.language, w=self.epw - 40, size=SMALL_SIZE, line=1.2,
                       x=self.l_margin + (40 if self.rtl else 0))
        if not self.page_numbers_later:
            self.set_y(y)
            self.page_number(y)
        self.set_text_color(0)
        self.text_shaping = shaping

    def number_pages(self) -> None:
        """"Page 3 of 12" on every page, once the number of pages is known (instead of
        fpdf2's alias, which costs a slow path for every page)."""
        total = str(self.pages_count)
        text = self.page_text.replace(TOTAL, total)
        last, y = self.page, self.h - 13
        self.in_footer = True  # no page breaks
        self.set_text_color(90)
        for number in range(1, self.pages_count + 1):
            self.page = number
            self.current_font_is_set_on_page = False
            self.set_y(y)
            self.block(text.replace("{page}", str(number)), self.document.language,
                       x=self.l_margin + (0 if self.rtl else self.epw - 40), w=40,
                       size=SMALL_SIZE, line=1.2, align="R")
        self.set_text_color(0)
        self.in_footer = False
        self.page = last

    def page_number(self, y: float) -> None:
        """"Page 3 of 12" at the end side of the footer. The total is an alias filled in at
        the end; in right-to-left text it is placed beside the words by hand, since the
        shaping engine cannot move an alias."""
        text = self.page_text.replace("{page}", str(self.page_no()))
        if not self.rtl or TOTAL not in text:
            self.block(text, self.document.language, x=self.l_margin + self.epw - 40, w=40,
                       size=SMALL_SIZE, line=1.2, align="R")
            return
        before, _, after = text.partition(TOTAL)
        right = self.l_margin + 40.0
        for part in [before.strip(), TOTAL, after.strip()]:
            if not part:
                continue
            cleaned, _align = self.use(self.document.language, size=SMALL_SIZE,
                                       text="00000" if part == TOTAL else part)
            width = self.get_string_width(cleaned) + 1
            if part == TOTAL:
                self.set_text_shaping(False)
                cleaned = part
            self.set_xy(right - width, y)
            self.cell(width, self.font_size * 1.2, cleaned, align="R")
            right -= width + 0.5

    # ---- blocks -----------------------------------------------------------------------

    def room(self, height: float) -> None:
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def heading(self, heading: Heading, lang: str) -> None:
        size = HEADING_SIZES.get(heading.level, BODY_SIZE + 0.5)
        text = self.text_of(heading.text, lang)
        self.room(size * 0.35 * 1.5 + 35)
        self.ln(3 if heading.level > 1 else 5)
        if heading.in_toc:
            self.start_section(self.clean(text), level=max(heading.level - 1, 0), strict=False)
        self.block(text, _lang_of(heading.text, lang), bold=True, size=size, line=1.35,
                   align=_align(lang))
        self.ln(1.5)

    def key_values(self, table: KeyValueTable, lang: str) -> None:
        key_w = self.epw * KEY_SHARE
        value_w = self.epw - key_w - 3
        rtl = is_rtl(lang)
        key_x = self.l_margin + (self.epw - key_w if rtl else 0)
        value_x = self.l_margin + (0 if rtl else key_w + 3)
        usable = self.page_break_trigger - self.body_top
        key_size = SMALL_SIZE + 0.5
        self.set_draw_color(215)
        for key, value in table.rows:
            key_text, value_text = self.text_of(key, lang), self.text_of(value, lang)
            value_lang = _lang_of(value, lang)
            key_h = self.estimate(key_text, lang, w=key_w, bold=True, size=key_size)
            value_h = self.estimate(value_text, value_lang, w=value_w)
            if max(key_h, value_h) > usable / 2:
                # Too long for a row: the label, then the text across the page.
                self.room(key_h + 10)
                self.block(key_text, lang, bold=True, size=key_size)
                self.block(value_text, value_lang, align=_align(lang))
            else:
                self.room(max(key_h, value_h) + 1.5)
                top, page = self.y, self.page
                self.block(key_text, lang, x=key_x, w=key_w, bold=True, size=key_size)
                key_end = self.y
                self.page = page  # both columns start on the same page
                self.set_y(top)
                self.block(value_text, value_lang, x=value_x, w=value_w, align=_align(lang))
                if self.page == page:
                    self.set_y(max(key_end, self.y))
            self.line(self.l_margin, self.y + 0.6, self.w - self.r_margin, self.y + 0.6)
            self.ln(1.5)
        self.ln(2)

    def bullets(self, items: BulletList, lang: str) -> None:
        rtl = is_rtl(lang)
        indent = 6.0
        for item in items.items:
            text = self.text_of(item, lang)
            item_lang = _lang_of(item, lang)
            self.room(min(self.estimate(text, item_lang, w=self.epw - indent), 20))
            top = self.y
            bullet_x = self.l_margin + (self.epw - indent + 2 if rtl else 1)
            bullet = self.fonts["sans"]
            assert isinstance(bullet, TTFFont)
            self.write_line(bullet, "•", self.encode(bullet, "•")[0], left=bullet_x,
                            width=indent - 2, h=BODY_SIZE / self.k * LINE, size=BODY_SIZE,
                            align="L")
            self.set_y(top)
            self.block(text, item_lang, x=self.l_margin + (0 if rtl else indent),
                       w=self.epw - indent, align="R" if rtl else "L")
        self.ln(2)

    def paragraph(self, paragraph: Paragraph, lang: str) -> None:
        text = self.text_of(paragraph.text, lang)
        if paragraph.small:
            self.set_text_color(80)
        self.block(text, _lang_of(paragraph.text, lang),
                   size=SMALL_SIZE if paragraph.small else BODY_SIZE, align=_align(lang))
        self.set_text_color(0)
        self.ln(2)

    # ---- table of contents ------------------------------------------------------------

    def toc_entries(self) -> list[tuple[int, str, str]]:
        doc = self.document
        return [
            (heading.level, self.text_of(heading.text, doc.lang_of(heading)),
             doc.lang_of(heading))
            for heading in doc.headings()
            if heading.in_toc and heading.level <= doc.toc_depth
        ]

    def toc_pass(self, entries: Sequence[tuple[int, str, str]], *, draw: bool,
                 sections: Sequence[OutlineSection] = ()) -> int:
        """Lay out (or only measure) the table of contents; returns the pages it spans."""
        number_w = 14.0
        pages = 1
        y = self.y
        for index, (level, text, lang) in enumerate(entries):
            indent = (level - 1) * 6.0
            width = self.epw - number_w - indent - 2
            bold = level == 1
            height = self.estimate(text, lang, w=width, bold=bold) + 1
            if y + height > self.page_break_trigger:
                pages += 1
                y = self.body_top
                if draw:
                    self.add_page()
                    self.set_y(self.body_top)
            if draw:
                section = sections[index]
                link = self.add_link(page=section.page_number)
                self.set_y(y)
                if self.rtl:
                    name_x, number_x = self.l_margin + number_w + 2, self.l_margin
                else:
                    name_x, number_x = self.l_margin + indent, self.l_margin + self.epw - number_w
                cleaned, align = self.use(lang, bold=bold, text=text)
                self.set_x(name_x)
                self.multi_cell(w=width, h=self.font_size * 1.45, text=cleaned, align=align,
                                link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.use(self.document.language, text="0")
                self.set_xy(number_x, y)
                self.cell(number_w, self.font_size * 1.45, str(section.page_number),
                          align="L" if self.rtl else "R", link=link)
            y += height
        return pages

    def toc_renderer(self, entries: Sequence[tuple[int, str, str]]
                     ) -> Callable[[FPDF, list[OutlineSection]], None]:
        depth = self.document.toc_depth

        def render(pdf: FPDF, outline: list[OutlineSection]) -> None:
            sections = [section for section in outline if section.level < depth]
            assert len(sections) == len(entries)
            self.toc_pass(entries, draw=True, sections=sections)

        return render


def _align(lang: str) -> str:
    """Blocks line up with their own language's start, whatever the language of the text."""
    return "R" if is_rtl(lang) else "L"


def _family_of_word(word: str, default: str) -> str:
    for char in word:
        if has_rtl_letters(char):
            return "naskh"
        if ord(char) >= 0x2E80:
            return "sc"
        if char.isalpha():
            return "sans"
    return default


def _lang_of(text: Text, lang: str) -> str:
    """The language of a text that is one span in another language, else the block's."""
    if isinstance(text, str):
        return lang
    parts = spans(text, lang)
    return parts[0].lang or lang if len(parts) == 1 else lang


def render_pdf(document: Document, progress: Callable[[int], None] | None = None) -> PdfResult:
    """Print the document. ``progress`` is told the index of each level-1 heading written."""
    pdf = _Pdf(document)
    pdf.page_numbers_later = True
    pdf.add_page()
    doc = document
    pdf.block(doc.title, doc.language, bold=True, size=20, line=1.3)
    if doc.subtitle:
        pdf.block(doc.subtitle, doc.language, size=13)
    if doc.edition_label:
        pdf.ln(2)
        pdf.block(doc.edition_label, doc.language)
    pdf.ln(6)
    if doc.toc_title is not None:
        entries = pdf.toc_entries()
        pdf.block(doc.toc_title, doc.language, bold=True, size=HEADING_SIZES[2])
        pdf.ln(2)
        if entries:
            pages = pdf.toc_pass(entries, draw=False)
            pdf.insert_toc_placeholder(pdf.toc_renderer(entries), pages=pages)
    parts = 0
    for block in doc.blocks:
        lang = doc.lang_of(block)
        if isinstance(block, Heading):
            if block.level == 1:
                pdf.forget()
                if progress is not None:
                    progress(parts)
                    parts += 1
            pdf.heading(block, lang)
        elif isinstance(block, Paragraph):
            pdf.paragraph(block, lang)
        elif isinstance(block, KeyValueTable):
            pdf.key_values(block, lang)
        elif isinstance(block, BulletList):
            pdf.bullets(block, lang)
        elif isinstance(block, PageBreak):
            pdf.add_page()
    pdf.number_pages()
    data = bytes(pdf.output())
    return PdfResult(data=data, pages=pdf.pages_count, missing=pdf.missing)
