"""Printed documents: one structured model, written as DOCX and as PDF.

Build a :class:`Document` of blocks and give it to :func:`render_docx` or :func:`render_pdf`.
Used by the printed edition of the directory and by the request writer.
"""

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
    is_rtl,
)
from .pdf import PdfResult, covered_characters, render_pdf
from .word import render_docx

__all__ = [
    "Block", "BulletList", "Document", "Heading", "KeyValueTable", "PageBreak", "Paragraph",
    "PdfResult", "Span", "Text", "covered_characters", "is_rtl", "render_docx", "render_pdf",
]
