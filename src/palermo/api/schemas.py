"""Typed shapes of what the API answers.

The API is language-neutral: every translated field is an object with the six UN languages
as keys (``null`` where no text is recorded in that language). Codes are returned as codes;
their labels are for clients to show in their own language.

The ``Literal`` types repeat the model choices on purpose (so that the OpenAPI schema lists
them under stable names); ``tests/api`` checks that they stay equal to the models' choices.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname
from ninja import Field, Schema
from typing_extensions import TypedDict

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _label in settings.LANGUAGES)

Names = TypedDict(
    "Names",
    {"ar": str | None, "zh-hans": str | None, "en": str | None, "fr": str | None,
     "ru": str | None, "es": str | None},
)


def names(obj: Any, field: str) -> Names:
    """The six language versions of a translated field; ``None`` where a version is empty."""
    values = {code: getattr(obj, build_localized_fieldname(field, code)) or None
              for code in LANGUAGE_CODES}
    return Names(**values)  # type: ignore[typeddict-item]


def blank_to_none(value: str | None) -> str | None:
    return value or None


StateKind = Literal["member", "observer", "other", "reio"]
AuthorityKind = Literal["central", "competent", "focal_point", "liaison"]
FunctionCode = Literal["receive_mla", "send_mla", "extradition", "transfer", "sea", "firearms",
                       "confiscation", "asset_recovery"]
ChannelCode = Literal["post", "email", "fax", "diplomatic", "interpol", "direct", "secure"]
MeasureCode = Literal["mla", "extradition", "transfer", "confiscation", "sea"]
VisibilityCode = Literal["public", "restricted"]
LegalBasisCode = Literal["yes", "no", "treaty"]
FinderMeasureCode = Literal["mla-a", "mla-b", "mla-c", "mla-d", "mla-e", "mla-f", "mla-g",
                            "mla-h", "mla-i", "extradition", "transfer", "confiscation", "sea"]
PartyStatus = Literal["both_parties", "requested_not_recorded", "requesting_not_recorded",
                      "neither_recorded"]
DualCriminalityCode = Literal["required", "not_required", "coercive"]
ParticipationAction = Literal["r", "a", "A", "AA", "d", "c"]
ParticipationStatus = Literal["party", "signatory", "unknown"]
ProvisionSubject = Literal["central_authority", "languages", "extradition", "transfer", "sea",
                           "firearms", "confiscation"]


class ErrorOut(Schema):
    detail: str = Field(description='"Not found." for what does not exist or may not be seen.')


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] = Field(
        description="One entry per problem: `loc` (where), `msg` (what), `type`.")


class TokenRefusedOut(Schema):
    detail: str = Field(description="Why the API token was refused, in a sentence.")


def responses(ok: Any, *errors: int) -> dict[int, Any]:
    """An operation's answers: ``ok`` with 200, 304 for a matching ETag, 401 for a refused
    token, and the errors."""
    known: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
    return {200: ok, 304: None, 401: TokenRefusedOut, **{code: known[code] for code in errors}}


# Reference data ----------------------------------------------------------------------------


class RegionalGroupOut(Schema):
    code: str = Field(description="AFR, APG, EEG, GRULAC or WEOG.")
    name: Names


class StateRef(Schema):
    code: str = Field(description="ISO 3166-1 alpha-3 code; EU for the European Union.")
    name: Names


class StateOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-3 code; EU for the European Union.")
    iso2: str = Field(description="ISO 3166-1 alpha-2 code.")
    iso_numeric: str | None = Field(description="ISO 3166-1 numeric code, where there is one.")
    kind: StateKind
    name: Names
    regional_groups: list[RegionalGroupOut] = Field(
        description="United Nations regional groups; Türkiye belongs to two.")


class SourceOut(Schema):
    tag: str
    title: str
    url: str | None
    as_at: dt.date | None = Field(description="The date the source's data are as at.")


class InstrumentRef(Schema):
    code: str
    abbreviation: Names


class ParticipationRow(Schema):
    instrument: InstrumentRef
    status: ParticipationStatus = Field(
        description="party (consent to be bound recorded), signatory (signature only) or "
                    "unknown (nothing recorded: not known, not a statement that the State "
                    "is not a party).")
    signed_on: dt.date | None
    consent_on: dt.date | None = Field(
        description="Ratification, accession, acceptance, approval or succession.")
    action: ParticipationAction | None = Field(
        description="r ratification, a accession, A acceptance, AA approval, d succession, "
                    "c formal confirmation.")
    source: SourceOut | None
    note: str | None


class StateParticipationOut(Schema):
    state: StateRef
    instruments: list[ParticipationRow]


class InstrumentOut(Schema):
    code: str
    name: Names
    short_name: Names
    abbreviation: Names
    supplements: str | None = Field(description="Code of the Convention a Protocol supplements.")
    adopted_on: dt.date
    entry_into_force_on: dt.date
    depositary_reference: str | None
    status_url: str | None
    recorded_parties: int = Field(description="Parties recorded in Palermo.")
    recorded_signatories: int = Field(description="Signatories recorded in Palermo.")
    official_parties: int | None = Field(description="Parties according to the depositary.")
    official_signatories: int | None
    official_count_as_at: dt.date | None


class ProvisionOut(Schema):
    code: str
    subject: ProvisionSubject
    title: Names
    article: int
    paragraph: int | None
    subparagraph: str | None
    citation: str = Field(description='Such as "art. 18(13)".')


class InstrumentDetailOut(InstrumentOut):
    official_count_source: SourceOut | None
    text_source: SourceOut | None
    provisions: list[ProvisionOut] = Field(
        description="Provisions under which States designate authorities or notify facts.")


# Directory ---------------------------------------------------------------------------------


class LanguageOut(Schema):
    code: str = Field(description="ISO 639-1 code.")
    name: Names


class DesignationBrief(Schema):
    instrument: str
    provision: str
    function: FunctionCode


class AuthorityItem(Schema):
    id: int
    state: StateRef
    kind: AuthorityKind
    name: Names
    acronym: str | None
    city: str | None
    designations: list[DesignationBrief]
    languages: list[LanguageOut] = Field(description="Languages accepted for requests.")
    visibility: VisibilityCode = Field(
        description="restricted entries are shown only to signed-in practitioners, focal "
                    "points and the secretariat.")
    is_demo: bool = Field(description="A fictional demonstration entry.")
    updated_at: dt.datetime


class FacetCountOut(Schema):
    code: str
    name: Names
    count: int = Field(ge=1, description="Matching authorities (on all pages) that have it.")


class FunctionCountOut(Schema):
    code: FunctionCode
    name: Names
    count: int = Field(ge=1, description="Matching authorities (on all pages) that have it.")


class FacetsOut(Schema):
    instrument: list[FacetCountOut] = Field(
        description="Instruments the matching authorities are designated under, in the usual "
                    "order; `name` is the instrument's short name.")
    function: list[FunctionCountOut] = Field(
        description="Functions the matching authorities are designated for.")
    group: list[FacetCountOut] = Field(
        description="Regional groups of the matching authorities' States.")
    language: list[FacetCountOut] = Field(
        description="Languages the matching authorities accept, most frequent first.")


class AuthorityPage(Schema):
    count: int = Field(description="Authorities matching the filters, on all pages.")
    page: int
    pages: int = Field(description="Number of pages; 0 when nothing matches.")
    results: list[AuthorityItem]
    facets: FacetsOut = Field(
        description="Counts that narrow the search, as on the search page: send a `code` back "
                    "as the filter of the same name. Only what you may see is counted.")


class DesignationOut(Schema):
    instrument: str
    provision: str
    citation: str
    function: FunctionCode
    scope_note: Names
    notified_on: dt.date | None
    source: str | None


class OfficeHoursOut(Schema):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday.")
    # Not JSON Schema's "time" format, which requires an offset: these are local wall times.
    opens: str = Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$",
                       description="HH:MM, local time in the authority's time zone.")
    closes: str = Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$",
                        description="HH:MM, local time in the authority's time zone.")


class ContactOut(Schema):
    id: int
    name: str
    position: str | None
    email: str | None
    phone: str | None = Field(description="E.164.")
    languages: list[LanguageOut] = Field(description="Languages spoken.")
    visibility: VisibilityCode
    updated_at: dt.datetime


class AuthorityDetailOut(Schema):
    id: int
    state: StateRef
    kind: AuthorityKind
    name: Names
    acronym: str | None
    street_address: str | None
    postal_address: str | None
    city: str | None
    postal_code: str | None
    time_zone: str = Field(description="IANA time zone of the office hours.")
    website: str | None
    email: str | None
    phone: str | None = Field(description="E.164.")
    fax: str | None = Field(description="E.164.")
    channels: list[ChannelCode] = Field(description="Channels accepted for requests.")
    originals_required: bool = Field(
        description="Electronic copies must be followed by originals.")
    urgent_channel: ChannelCode | None
    urgent_contact: str | None = Field(description="Reachable 24 hours a day, 7 days a week.")
    languages: list[LanguageOut] = Field(description="Languages accepted for requests.")
    designations: list[DesignationOut]
    office_hours: list[OfficeHoursOut]
    contacts: list[ContactOut] = Field(description="The contact persons you may see.")
    visibility: VisibilityCode
    is_demo: bool
    version: int
    updated_at: dt.datetime


class ChecklistItemOut(Schema):
    position: int
    text: Names


class LawOut(Schema):
    title: str
    url: str


class ProfileSectionOut(Schema):
    measure: MeasureCode
    untoc_legal_basis: LegalBasisCode | None = Field(
        description="Whether the Convention is accepted as a legal basis; null: not stated.")
    dual_criminality: DualCriminalityCode | None = Field(description="null: not stated.")
    languages: list[LanguageOut] = Field(description="Languages accepted.")
    channels: list[ChannelCode]
    summary: Names = Field(description="Legal and procedural requirements.")
    treaties: Names = Field(description="Bilateral and regional treaties in force.")
    alternative_arrangements: Names
    urgent_procedure: Names
    costs: Names
    checklist: list[ChecklistItemOut] = Field(
        description="What a request must contain beyond art. 18(15).")
    laws: list[LawOut]
    visibility: VisibilityCode
    is_demo: bool
    updated_at: dt.datetime


class StateProfileOut(Schema):
    state: StateRef
    sections: list[ProfileSectionOut] = Field(
        description="The sections you may see, in the order mla, extradition, transfer, "
                    "confiscation, sea.")


# Finder ------------------------------------------------------------------------------------


class FinderMeasureOut(Schema):
    code: FinderMeasureCode
    kind: MeasureCode = Field(description="The measure of the State profiles it belongs to.")
    label: Names
    treaty_citation: str | None = Field(description='For mla-a … mla-i: "art. 18(3)(f)" …')
    treaty_text: str | None = Field(
        description="For mla-a … mla-i: the Convention's own words (English, the text held).")


class FinderDesignationOut(Schema):
    instrument: str
    provision: str
    citation: str
    function: FunctionCode


class FinderAuthorityOut(Schema):
    id: int
    kind: AuthorityKind
    name: Names
    acronym: str | None
    city: str | None
    street_address: str | None
    postal_address: str | None
    website: str | None
    email: str | None
    phone: str | None = Field(description="E.164.")
    fax: str | None = Field(description="E.164.")
    channels: list[ChannelCode] = Field(description="Channels accepted for requests.")
    originals_required: bool
    urgent_channel: ChannelCode | None
    urgent_contact: str | None = Field(description="Reachable 24 hours a day, 7 days a week.")
    languages: list[LanguageOut] = Field(description="Languages accepted for requests.")
    designations: list[FinderDesignationOut]
    visibility: VisibilityCode
    is_demo: bool
    updated_at: dt.datetime


class FinderLegalBasisOut(Schema):
    instrument: InstrumentRef
    status: PartyStatus = Field(
        description="both_parties: both States are recorded as parties on today's date; "
                    "otherwise which State is not recorded as a party (participation may simply "
                    "not be recorded yet: not a statement that it is not a party).")
    available: bool = Field(description="Both States are recorded as parties today.")
    requesting_party_since: dt.date | None
    requested_party_since: dt.date | None


class FinderProfileOut(Schema):
    untoc_legal_basis: LegalBasisCode | None = Field(
        description="Whether the requested State accepts the Convention as a legal basis.")
    dual_criminality: DualCriminalityCode | None
    treaties: Names = Field(description="Bilateral and regional treaties in force.")
    summary: Names = Field(description="Legal and procedural requirements.")
    urgent_procedure: Names
    costs: Names
    visibility: VisibilityCode
    is_demo: bool
    updated_at: dt.datetime


class TreatyItemOut(Schema):
    letter: str
    text: str


class FinderContentsOut(Schema):
    citation: str = Field(description='"art. 18(15)".')
    language: Literal["en"] = Field(description="The language of the quoted treaty text.")
    items: list[TreatyItemOut]


class FinderOut(Schema):
    requesting: StateRef
    requested: StateRef
    measure: FinderMeasureOut
    urgent: bool
    authorities: list[FinderAuthorityOut] = Field(
        description="The authorities of the requested State designated for this, that you "
                    "may see: the one to address first (central authorities before competent "
                    "ones).")
    channels: list[ChannelCode] = Field(description="Channels the first authority accepts.")
    originals_required: bool | None = Field(
        description="The first authority wants originals after electronic copies.")
    urgent_channel: ChannelCode | None
    urgent_contact: str | None
    languages: list[LanguageOut] = Field(
        description="Languages accepted: the first authority's, then the profile's.")
    legal_bases: list[FinderLegalBasisOut] = Field(
        description="The instruments that may apply to this measure.")
    profile: FinderProfileOut | None = Field(
        description="The requested State's profile for this measure, if published and "
                    "visible to you (its laws: GET /states/{code}/profile).")
    contents: FinderContentsOut | None = Field(
        description="What a request for mutual legal assistance must contain (art. 18(15)); "
                    "null for other measures.")
    checklist: list[ChecklistItemOut] = Field(
        description="What the requested State also requires.")
    missing: list[Names] = Field(description="What the directory does not know yet.")
    shows_demo: bool = Field(description="The answer includes fictional demonstration entries.")
