"""Citations of treaty provisions in the reader's language: art. 18(13), 第18条第13款 …"""

from __future__ import annotations

from django.utils.translation import gettext


def format_citation(article: int, paragraph: int | None = None, subparagraph: str = "") -> str:
    values = {"article": article, "paragraph": paragraph, "subparagraph": subparagraph}
    if paragraph is None:
        return gettext("art. %(article)s") % values
    if not subparagraph:
        return gettext("art. %(article)s(%(paragraph)s)") % values
    return gettext("art. %(article)s(%(paragraph)s)(%(subparagraph)s)") % values
