"""Read generated documents back as text, as a reader's software would."""

from __future__ import annotations

import io
import unicodedata

import docx
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    # pypdf puts a NUL after each two-byte CJK glyph code; presentation forms are folded.
    pages = [(page.extract_text() or "").replace("\x00", "")
             for page in PdfReader(io.BytesIO(data)).pages]
    return unicodedata.normalize("NFKC", "\n".join(pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def squeeze(text: str) -> str:
    return "".join(text.split())
