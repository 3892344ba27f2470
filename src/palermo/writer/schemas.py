"""Typed shapes of the request writer's API (``/api/v1/requests``).

The ``Literal`` types repeat the model choices and the steps' identifiers on purpose, so that
the OpenAPI schema lists them; ``tests/writer/test_api.py`` checks that they stay equal.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

KindCode = Literal["mla", "extradition", "transfer", "confiscation"]
StatusCode = Literal["draft", "in_review", "returned", "approved"]
TranslationCode = Literal["not_needed", "needed", "in_progress", "done"]
OutputLanguage = Literal["ar", "zh-hans", "en", "fr", "ru", "es"]
SectionCode = Literal["start", "parties", "measures", "case", "persons", "assistance",
                      "procedure", "contact", "check"]
MeasureCode = Literal["mla-a", "mla-b", "mla-c", "mla-d", "mla-e", "mla-f", "mla-g", "mla-h",
                      "mla-i", "video", "other", "13-1-a", "13-1-b", "13-2"]
DocumentFormat = Literal["docx", "pdf"]

NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses NUL in text
LONG = 20000
SHORT = 500
Long = Annotated[str, Field(max_length=LONG, pattern=NO_NUL)]
Short = Annotated[str, Field(max_length=SHORT, pattern=NO_NUL)]
Note = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]
StateCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}$",
                                 description="ISO 3166-1 alpha-3 code, any case.")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$",
                                    description="ISO 639 code of a language, such as es.")]
InstrumentCode = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,20}$")]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description=(
    "The draft's `version` as you last read it. When someone saved since, nothing is "
    "written and the answer is 409 with the draft as it is now."))]
AuthorityId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- content ---------------------------------------------------------------------------------


class PersonRow(Strict):
    name: Short = ""
    role: Literal["", "suspect", "person_sought", "sentenced_person", "witness", "victim",
                  "account_holder", "other"] = ""
    birth_date: Annotated[str, Field(max_length=40, pattern=NO_NUL)] = ""
    nationality: Annotated[str, Field(max_length=120, pattern=NO_NUL)] = ""
    location: Short = ""
    details: Note = ""


class AccountRow(Strict):
    institution: Short = ""
    number: Annotated[str, Field(max_length=120, pattern=NO_NUL)] = ""
    holder: Short = ""
    period: Annotated[str, Field(max_length=120, pattern=NO_NUL)] = ""
    details: Note = ""


class ItemRow(Strict):
    description: Note = ""
    location: Short = ""
    details: Note = ""


class AnnexRow(Strict):
    title: Short = ""
    description: Note = ""


class MeasureDetail(Strict):
    description: Long = ""
    link: Long = Field("", description="How this measure relates to the facts.")


class Content(Strict):
    """What the request says, as written; every key optional. On update, the keys sent
    replace those saved, and the others are kept."""

    subject_matter: Long | None = None
    conducting_authority: Long | None = None
    facts: Long | None = None
    offences: Long | None = None
    law_text: Long | None = None
    penalty: Long | None = None
    persons: list[PersonRow] | None = Field(None, max_length=200)
    no_persons: Literal["", "yes"] | None = Field(
        None, description='"yes" when no person concerned is known.')
    accounts: list[AccountRow] | None = Field(None, max_length=200)
    items: list[ItemRow] | None = Field(None, max_length=200)
    measure_details: dict[MeasureCode, MeasureDetail] | None = None
    extradition_purpose: Literal["", "prosecution", "enforcement"] | None = None
    warrant: Long | None = None
    sentence: Long | None = None
    sentence_remaining: Long | None = None
    consent: Literal["", "given", "refused", "not_required"] | None = None
    property: Long | None = None
    confiscation_order: Long | None = None
    execution_extent: Long | None = None
    purpose: Long | None = None
    procedure: Long | None = None
    confidential: Literal["", "yes"] | None = None
    confidentiality: Long | None = None
    urgency_reason: Long | None = None
    contact_name: Short | None = None
    contact_function: Short | None = None
    contact_phone: Annotated[str, Field(max_length=40, pattern=NO_NUL)] | None = None
    contact_email: Annotated[str, Field(max_length=254, pattern=NO_NUL)] | None = None
    annexes: list[AnnexRow] | None = Field(None, max_length=200)
    checklist_confirmed: list[Long] | None = Field(
        None, max_length=200,
        description="The texts of the requested State's checklist that the request meets.")


# --- drafts ----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str


class DraftItem(Schema):
    id: int
    kind: KindCode
    title: str = Field(description="Your reference, such as a case number.")
    status: StatusCode
    translation_status: TranslationCode
    version: int
    urgent: bool
    needed_by: dt.date | None
    author: PersonOut
    requesting_state: str = Field(description="ISO 3166-1 alpha-3 code.")
    requested_state: str | None
    updated_at: dt.datetime


class DraftOut(DraftItem):
    requesting_authority: int | None = Field(description="The directory's authority number.")
    central_authority: int | None = Field(
        description="The central authority that reviews and transmits the request.")
    requested_authority: int | None
    measures: list[str]
    legal_bases: list[str] = Field(description="Instrument codes, such as untoc.")
    drafting_language: str | None = Field(description="ISO 639 code of the language the "
                                                      "request is written in.")
    output_language: OutputLanguage = Field(description="Language of the fixed text.")
    second_output_language: OutputLanguage | None
    content: dict[str, Any] = Field(description="What the request says, as written (see the "
                                                "`Content` schema for the keys).")
    created_at: dt.datetime


class DraftPage(Schema):
    count: int = Field(description="Requests matching the filters, on all pages.")
    page: int
    pages: int = Field(description="Number of pages; 0 when nothing matches.")
    results: list[DraftItem]


class DraftCreateIn(Strict):
    kind: KindCode
    title: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    requesting_state: StateCode | None = Field(
        None, description="Defaults to the first State you have a role for.")
    requested_state: StateCode | None = None
    urgent: bool = False
    needed_by: dt.date | None = None


class DraftUpdateIn(Strict):
    """Only the fields sent are changed; ``content`` keys are merged into those saved."""

    version: Version
    section: SectionCode | None = Field(
        None, description="The step being saved, recorded in the request's history.")
    kind: KindCode | None = None
    title: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)] | None = None
    requested_state: StateCode | None = None
    urgent: bool | None = None
    needed_by: dt.date | None = None
    requesting_authority: AuthorityId | None = None
    central_authority: AuthorityId | None = None
    requested_authority: AuthorityId | None = None
    legal_bases: list[InstrumentCode] | None = Field(None, max_length=20)
    drafting_language: LanguageCode | None = None
    output_language: OutputLanguage | None = None
    second_output_language: OutputLanguage | Literal[""] | None = None
    measures: list[MeasureCode] | None = Field(None, max_length=20)
    content: Content | None = None


class SubmitIn(Strict):
    version: Version
    note: Note = ""


class ReturnIn(Strict):
    version: Version
    note: Note = Field("", description="What must change. Required unless open comments on "
                                       "the sections say it.")


class ApproveIn(Strict):
    version: Version
    note: Note = ""
    translation_status: TranslationCode | None = Field(
        None, description="The state of the request's translation, recorded with the approval.")


class TranslationIn(Strict):
    version: Version
    translation_status: TranslationCode


class CommentIn(Strict):
    version: Version
    section: SectionCode
    text: Annotated[str, Field(min_length=1, max_length=5000, pattern=NO_NUL)]


class CommentOut(Schema):
    id: int
    section: str = Field(description="The step the comment is about.")
    author: PersonOut
    text: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class MissingOut(Schema):
    step: str = Field(description="The step where the element is written.")
    label: str = Field(description="What is missing, in the language of Accept-Language.")
    citation: str = Field(description="The provision that requires it, or empty.")
    field: str = Field(description="The field (column or content key) to fill, or empty.")


class CompletenessOut(Schema):
    complete: bool
    missing: list[MissingOut]
    warnings: list[str] = Field(description="What may get the request returned without being "
                                            "missing, such as a language the requested State "
                                            "does not accept.")


class StaleOut(Schema):
    detail: str
    current: DraftOut = Field(description="The draft as it is saved now.")


class ForbiddenOut(Schema):
    detail: str = Field(description="Why you may not do this to a request you may see.")
