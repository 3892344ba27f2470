"""Shapes of the reporting API's answers. Texts of questionnaires are objects with the
language codes as keys (only the languages that have a text)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

Texts = dict[str, str]
QuestionType = Literal["yes_no_partly", "single", "multiple", "number", "date", "text", "file",
                       "table"]
ResponseStatus = Literal["not_started", "in_progress", "submitted", "reopened"]


class VersionRefOut(Schema):
    number: int
    status: Literal["draft", "published"]
    published_at: dt.datetime | None


class QuestionnaireOut(Schema):
    code: str
    kind: Literal["questionnaire", "supplementary"]
    instrument: str = Field(description="The instrument's code: untoc, tip, som, firearms …")
    title: Texts
    versions: list[VersionRefOut]


class ChoiceOut(Schema):
    code: str
    label: Texts


class ColumnOut(Schema):
    code: str
    type: Literal["text", "number", "date", "yes_no"]
    label: Texts


class CitationOut(Schema):
    article: int
    paragraph: int | None
    subparagraph: str | None
    citation: str = Field(description="As the treaty texts cite it, e.g. art. 5(1)(a).")


class ConditionOut(Schema):
    question: str = Field(description="The code of the earlier question.")
    values: list[str] = Field(description="The answers to it that show this question.")


class QuestionOut(Schema):
    code: str
    type: QuestionType
    required: bool
    text: Texts
    help: Texts
    condition: ConditionOut | None
    citations: list[CitationOut]
    choices: list[ChoiceOut]
    columns: list[ColumnOut]
    priority_areas: list[str]


class SectionOut(Schema):
    code: str
    title: Texts
    questions: list[QuestionOut]


class VersionOut(Schema):
    questionnaire: str
    number: int
    status: Literal["draft", "published"]
    published_at: dt.datetime | None
    title: Texts
    introduction: Texts
    sections: list[SectionOut]


class CycleOut(Schema):
    id: int
    title: Texts
    questionnaire: str
    version: int
    instrument: str
    parties_on: dt.date
    opens_on: dt.date
    closes_on: dt.date
    is_demo: bool = Field(description="A fictional demonstration cycle (demo data), whose "
                                      "responses are no State's answers.")


class StateStatusOut(Schema):
    state: str = Field(description="The State's code.")
    status: ResponseStatus
    deadline: dt.date | None
    submitted_at: dt.datetime | None


class CycleDetailOut(CycleOut):
    states_in_scope: int
    submitted: int
    statuses: list[StateStatusOut] = Field(
        description="The status per State: every State's for the secretariat, the caller's "
                    "own State's for its focal points and invited experts.")


class ResponseOut(Schema):
    id: int
    state: str
    questionnaire: str
    version: int
    cycle: int | None
    status: ResponseStatus
    submitted_at: dt.datetime | None


class AnswerOut(Schema):
    question: str
    value: Any = Field(description="By the question's type: yes/no/partly, a choice code, a "
                                   "list of codes, a number, an ISO date, a text, a list of "
                                   "file ids, or a list of rows.")
    confidential: bool


class ResponseDetailOut(ResponseOut):
    answers: list[AnswerOut] = Field(
        description="The answers the caller may see, in the questionnaire's order. An answer "
                    "to a question hidden by its condition (the earlier answer it depends on "
                    "does not show it) is not listed: it stays stored in case that answer "
                    "changes back, but like on the response's pages it is neither shown, nor "
                    "required, nor counted while the question is hidden.")
