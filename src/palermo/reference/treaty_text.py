"""Parse the English treaty texts in ``data/treaties`` into articles and paragraphs.

The texts come from the Netherlands' treaty database (see each file's header), in a light
Markdown: ``### Article  N`` opens an article, the ``####`` line after it is its title, numbered
lines (``13.   Each State Party ...``) open paragraphs, lettered lines (``a) ...``) belong to the
paragraph above. Any other heading closes the article: chapter titles, and the Dutch text that
some files carry after the English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_RE = re.compile(r"^###\s+Article\s+(\d+)\s*$")
PARAGRAPH_RE = re.compile(r"^(\d+)\.(?:\s+(.*))?$")
HEADING_RE = re.compile(r"^#{2,4}")
SOURCE_RE = re.compile(r"^Source:\s*(.+?)(?:,\s*read from|$)", re.MULTILINE)


@dataclass
class ParsedParagraph:
    number: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line for line in self.lines if line).strip()


@dataclass
class ParsedArticle:
    number: int
    title: str = ""
    paragraphs: list[ParsedParagraph] = field(default_factory=list)

    def paragraph(self, number: int) -> ParsedParagraph:
        for paragraph in self.paragraphs:
            if paragraph.number == number:
                return paragraph
        raise KeyError(f"article {self.number} has no paragraph {number}")


def parse_treaty(text: str) -> list[ParsedArticle]:
    body = re.sub(r"<!--.*?-->", "", text, count=1, flags=re.DOTALL)
    articles: list[ParsedArticle] = []
    current: ParsedArticle | None = None
    for raw in body.splitlines():
        line = raw.strip()
        match = ARTICLE_RE.match(line)
        if match:
            current = ParsedArticle(number=int(match.group(1)))
            articles.append(current)
            continue
        if current is None:
            continue
        if HEADING_RE.match(line):
            if not current.title and not current.paragraphs:
                current.title = line.lstrip("#").strip()
            else:
                current = None
            continue
        if not line:
            continue
        _add_line(current, line)
    _check_sequence(articles)
    return articles


def _add_line(article: ParsedArticle, line: str) -> None:
    match = PARAGRAPH_RE.match(line)
    expected = article.paragraphs[-1].number + 1 if article.paragraphs else 1
    if match and int(match.group(1)) == expected:
        article.paragraphs.append(ParsedParagraph(number=expected, lines=[match.group(2) or ""]))
        return
    if not article.paragraphs:
        article.paragraphs.append(ParsedParagraph(number=0))
    article.paragraphs[-1].lines.append(line)


def _check_sequence(articles: list[ParsedArticle]) -> None:
    numbers = [article.number for article in articles]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"articles are not numbered 1..n: {numbers}")


def declared_article_count(text: str) -> int | None:
    match = re.search(r"^Articles:\s*(\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def treaty_path(filename: str) -> Path:
    return Path(__file__).resolve().parent / "data" / "treaties" / filename
