"""The raw answers of a cycle as CSV (streamed) and XLSX, with the scope's confidentiality:
the secretariat gets every State's answers, confidential ones marked; a State's people their
own State's. Only submitted responses, and only answers their conditions show."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from palermo.reporting.cycles.selectors import display_value
from palermo.reporting.models import Answer, Cycle

from .selectors import Scope, export_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
CHUNK = 2000


def filename(cycle: Cycle, fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return f"palermo-cycle-{cycle.pk}-answers.{fmt}"


def header() -> list[str]:
    return [_("State code"), _("State"), _("Section"), _("Question code"), _("Question"),
            _("Type"), _("Answer"), _("Value as recorded"), _("Confidential"), _("Submitted")]


def _cell(text: str) -> str:
    """A text as a spreadsheet cell that cannot run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def rows(cycle: Cycle, scope: Scope) -> Iterator[list[Any]]:
    answers = export_rows(cycle, scope).prefetch_related("question__choices",
                                                         "question__columns")
    yes, no = _("yes"), _("no")
    for answer in _chunks(answers):
        question = answer.question
        response = answer.response
        yield [response.state.code, response.state.name, question.section.code, question.code,
               _cell(question.localized_text), question.get_type_display(),
               _cell(display_value(question, answer.value)),
               _cell(json.dumps(answer.value, ensure_ascii=False)),
               yes if answer.confidential else no,
               response.submitted_at.isoformat() if response.submitted_at else ""]


def _chunks(answers: Any) -> Iterator[Answer]:
    """The answers read a chunk at a time (the prefetches run once per chunk)."""
    yield from answers.iterator(chunk_size=CHUNK)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(cycle: Cycle, scope: Scope) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs read UTF-8 by this mark
    yield writer.writerow(header())
    for row in rows(cycle, scope):
        yield writer.writerow(row)


def xlsx_bytes(cycle: Cycle, scope: Scope) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Answers"))
    sheet.append(header())
    for row in rows(cycle, scope):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
