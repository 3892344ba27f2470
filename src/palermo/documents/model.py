"""One simple structured document, printed as DOCX (:mod:`.word`) or PDF (:mod:`.pdf`).

A document is a title and a list of blocks: headings (with levels, for the table of contents),
paragraphs, key–value tables, lists and page breaks. Every block has a language; text in
another language inside a block is a :class:`Span` with its own. Direction follows the
language (Arabic right to left), so a writer never has to think about it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "dv", "yi"})
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, presentation forms).
_RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@cache
def base_language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@cache
def is_rtl(lang: str) -> bool:
    return base_language(lang) in RTL_LANGUAGES


def has_rtl_letters(text: str) -> bool:
    return _RTL_LETTER.search(text) is not None


def paragraph_rtl(text: str, lang: str) -> bool:
    """Whether a paragraph runs right to left: as its language does, unless its letters and
    digits are all of the other direction (``dir="auto"``, so that a telephone number, an
    e-mail address or a Latin name inside an Arabic block keeps its order)."""
    rtl_content = has_rtl_letters(text)
    if is_rtl(lang):
        return rtl_content or not _has_ltr_content(text)
    return rtl_content and not _has_ltr_content(text)


def _has_ltr_content(text: str) -> bool:
    return any(char.isalnum() and not has_rtl_letters(char) for char in text)


@dataclass(frozen=True)
class Span:
    """A piece of text in a language other than its block's (a name, a quotation)."""

    text: str
    lang: str | None = None
    bold: bool = False


Inline = str | Span
Text = Inline | Sequence[Inline]


def spans(text: Text, lang: str) -> list[Span]:
    """The text as spans, each with its language (the block's where none is given)."""
    items: Sequence[Inline] = [text] if isinstance(text, str | Span) else text
    result = []
    for item in items:
        if isinstance(item, Span):
            result.append(Span(item.text, item.lang or lang, item.bold))
        elif item:
            result.append(Span(item, lang))
    return result


def plain(text: Text) -> str:
    return "".join(span.text for span in spans(text, ""))


@dataclass
class Heading:
    text: Text
    level: int = 1  # 1 is a part; 2, 3 … are sections inside it
    lang: str | None = None
    in_toc: bool = True


@dataclass
class Paragraph:
    text: Text
    lang: str | None = None
    small: bool = False


@dataclass
class KeyValueTable:
    rows: Sequence[tuple[Text, Text]]
    lang: str | None = None


@dataclass
class BulletList:
    items: Sequence[Text]
    lang: str | None = None


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | KeyValueTable | BulletList | PageBreak


@dataclass
class Document:
    """A printable document.

    ``header`` is printed at the top of every page; the footer holds ``footer``, the date of
    edition and the page number. ``toc_title`` puts a table of contents after the title,
    listing headings down to ``toc_depth``.
    """

    title: str
    language: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    header: str = ""
    footer: str = ""
    edition_date: dt.date | None = None
    edition_label: str = ""  # "Edition of 4 December 2026", already localized
    page_label: str = "{page}"  # "Page {page} of {pages}", already localized
    toc_title: str | None = None
    toc_depth: int = 2
    author: str = ""

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)

    def lang_of(self, block: Block) -> str:
        return getattr(block, "lang", None) or self.language

    def headings(self) -> Iterator[Heading]:
        return (block for block in self.blocks if isinstance(block, Heading))
