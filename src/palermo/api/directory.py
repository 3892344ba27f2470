"""The directory: authorities, their contacts and State profiles.

Every read starts from :mod:`palermo.directory.access`, with the visitor taken from the
request (``request.user``: the Django session, or the owner of a personal API token):
anonymous visitors see public entries only. What may not be seen answers exactly like what
does not exist. The authorities list is the directory search (:mod:`palermo.directory.search`)
with the API's pages and a State filter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from palermo.core.models import DataVersion
from palermo.directory import access
from palermo.directory.models import (
    Authority,
    Channel,
    Designation,
    Function,
    Measure,
    ProfileSection,
)
from palermo.directory.search import SearchParams
from palermo.directory.search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    facet_counts,
    matching,
    terms_of,
)
from palermo.reference.models import Instrument, Language, RegionalGroup, State

from .conditional import make_etag, not_modified, set_validators
from .reference import STATE_CODE, STATE_CODE_HELP, state_ref
from .schemas import (
    LANGUAGE_CODES,
    AuthorityDetailOut,
    AuthorityPage,
    FunctionCode,
    Names,
    StateProfileOut,
    blank_to_none,
    names,
    responses,
)

router = Router(tags=["directory"])

MAX_PAGE_SIZE = 100


class AuthorityFilters(Schema):
    q: str | None = Field(
        None, min_length=1, max_length=MAX_QUERY_LENGTH, pattern=r"^[^\x00-\x1f\x7f]*$",
        description="Words that the authority is found by, each required, ignoring case, "
                    "accents and punctuation: its names in every language and acronym, its "
                    "city, its kind, its State's names in the six languages and code, its "
                    "functions and instruments. \"Mexique\", \"Мексика\", \"墨西哥\" and "
                    "\"mexico\" all find Mexico's authorities. The same search as the "
                    "directory's search page; the first 8 words count.")
    state: str | None = Field(
        None, pattern=STATE_CODE,
        description="State: ISO 3166-1 alpha-3 code (EU for the European Union), any case.")
    instrument: str | None = Field(
        None, pattern=r"^[A-Za-z0-9-]{1,20}$",
        description="Designated under a provision of this instrument (untoc, tip, som, "
                    "firearms, uncac, c1988).")
    function: FunctionCode | None = Field(None, description="Designated for this function.")
    group: str | None = Field(
        None, pattern=r"^[A-Za-z]{2,8}$",
        description="State in this regional group: AFR, APG, EEG, GRULAC or WEOG, any case.")
    language: str | None = Field(
        None, pattern=r"^[A-Za-z]{2,3}$",
        description="Accepts requests in this language (ISO 639-1 code, such as es).")


class AuthorityListQuery(AuthorityFilters):
    page: int = Field(1, ge=1, description="Page number, from 1. Past the last page the "
                                           "results are empty.")
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description="Results per page, at most 100.")


FILTER_HELP = (
    "The same search and filters as the directory's search page: `q` and the filters "
    "combine (all must hold), each filter on its own (`instrument=uncac&function=extradition` "
    "asks for authorities designated under UNCAC and designated for extradition, not "
    "necessarily by the same designation); `state` is the API's own addition. A well-formed "
    "code that names no State, instrument, regional group or language answers 422 with the "
    "offending parameter, like any malformed value; so does a `q` without a letter or digit.\n\n"
    "Visibility: anonymous requests see public authorities only; practitioners, focal points "
    "and the secretariat, signed in (session cookie) or with a personal API token "
    "(`Authorization: Bearer …`), also see restricted ones. Nothing tells the two apart except "
    "what is listed and counted.\n\n"
    "Caching: the answer carries an ETag (different for public and restricted visitors) and "
    "Last-Modified; send If-None-Match to get 304 Not Modified."
)

CSV_COLUMNS = [
    "id", "state", "kind", *(f"name_{code}" for code in LANGUAGE_CODES), "acronym",
    "street_address", "postal_address", "city", "postal_code", "time_zone", "website", "email",
    "phone", "fax", "channels", "originals_required", "urgent_channel", "urgent_contact",
    "languages", "designations", "visibility", "is_demo", "updated_at",
]

CSV_HELP = (
    "The authorities matching the same filters as `GET /authorities`, all of them (no pages), "
    "as UTF-8 CSV with a header row, ordered like the list. Same visibility as the list.\n\n"
    "Columns: " + ", ".join(f"`{column}`" for column in CSV_COLUMNS) + ".\n\n"
    "`state` is the State's code; `kind` is central, competent, focal_point or liaison; "
    "`name_<language>` is empty where no name is recorded in that language; `phone` and `fax` "
    "are E.164; `channels` (post, email, fax, diplomatic, interpol, direct, secure) and "
    "`languages` (ISO 639-1) are lists separated by `;`; `designations` lists "
    "`instrument:provision:function` separated by `;`; `originals_required` and `is_demo` "
    "are `true` or `false`; `updated_at` is ISO 8601 in UTC. A text cell that would start "
    "with `=`, `+`, `-`, `@` or a control character is prefixed with `'` so that spreadsheets "
    "do not run it as a formula.\n\n" + FILTER_HELP
)


def search_params(filters: AuthorityFilters) -> SearchParams:
    """The filters as the directory search reads them (codes cased as it stores them)."""
    return SearchParams(
        q=filters.q or "", instrument=(filters.instrument or "").lower(),
        function=filters.function or "", group=(filters.group or "").upper(),
        language=(filters.language or "").lower(),
    )


def filtered_authorities(user: Any, filters: AuthorityFilters) -> QuerySet[Authority]:
    """The directory search's matches (visibility included), narrowed to a State if asked."""
    if filters.q is not None and not terms_of(filters.q):
        raise ValidationError([{
            "type": "no_words", "loc": ["query", "q"], "input": filters.q,
            "msg": gettext("Type at least one letter or digit to search."),
        }])
    queryset = matching(user, search_params(filters))
    if filters.state:
        queryset = queryset.filter(state__code=filters.state.upper())
    return queryset


def refuse_unknown_codes(filters: AuthorityFilters) -> None:
    """422 for a code that names nothing. Asked only when nothing matched: a match proves
    that every code exists."""
    checks = [
        ("state", filters.state, State.objects.filter(code=(filters.state or "").upper()),
         gettext("No State has this code.")),
        ("instrument", filters.instrument,
         Instrument.objects.filter(code=(filters.instrument or "").lower()),
         gettext("No instrument has this code.")),
        ("group", filters.group, RegionalGroup.objects.filter(code=(filters.group or "").upper()),
         gettext("No regional group has this code.")),
        ("language", filters.language,
         Language.objects.filter(code=(filters.language or "").lower()),
         gettext("No language has this code.")),
    ]
    errors = [
        {"type": "unknown_code", "loc": ["query", name], "msg": message, "input": value}
        for name, value, queryset, message in checks
        if value and not queryset.exists()
    ]
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class ListStats:
    count: int
    etag: str
    last_modified: dt.datetime | None
    data_token: str  # the page cache's data token, the key of the kept facet counts


def list_validator(request: HttpRequest, queryset: QuerySet[Authority],
                   filters: AuthorityFilters) -> ListStats:
    """Count, ETag and latest change of the matching authorities, and the data token, in one
    query (the token is the same on every row: ``Max`` only lets the aggregate carry it)."""
    stats = queryset.aggregate(
        count=Count("pk", distinct=True), latest=Max("updated_at"),
        designation_count=Count("designations", distinct=True),
        designation_latest=Max("designations__updated_at"),
        data_token=Max(Subquery(DataVersion.objects.filter(pk=DataVersion.SINGLETON)
                                .values("token")[:1])),
    )
    if stats["count"] == 0:
        refuse_unknown_codes(filters)
    etag = make_etag(request, stats["count"], stats["latest"], stats["designation_count"],
                     stats["designation_latest"])
    dates = [date for date in (stats["latest"], stats["designation_latest"]) if date]
    # No token row yet reads as "-", as pagecache.current_token() has it.
    return ListStats(stats["count"], etag, max(dates) if dates else None,
                     stats["data_token"] or "-")


def for_output(queryset: QuerySet[Authority]) -> QuerySet[Authority]:
    return (
        queryset.select_related("state")
        .prefetch_related(
            Prefetch("designations",
                     queryset=Designation.objects.select_related("provision__instrument")),
            "accepted_languages",
        )
        .order_by("state__code", "kind", build_localized_fieldname("name", "en"), "pk")
    )


def language_out(language: Language) -> dict[str, Any]:
    return {"code": language.code, "name": names(language, "name")}


def channels(values: Iterable[str]) -> list[str]:
    return [value for value in values if value in Channel.values]


def authority_item(authority: Authority) -> dict[str, Any]:
    return {
        "id": authority.pk, "state": state_ref(authority.state), "kind": authority.kind,
        "name": names(authority, "name"), "acronym": blank_to_none(authority.acronym),
        "city": blank_to_none(authority.city),
        "designations": [
            {"instrument": d.provision.instrument.code, "provision": d.provision.code,
             "function": d.function} for d in authority.designations.all()
        ],
        "languages": [language_out(language) for language in authority.accepted_languages.all()],
        "visibility": authority.visibility, "is_demo": authority.is_demo,
        "updated_at": authority.updated_at,
    }


def function_names(code: str) -> Names:
    """A function's label in the six languages (from the code's translations, no query)."""
    labels = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            labels[language] = str(Function(code).label)
    return Names(**labels)  # type: ignore[typeddict-item]


def facets_out(queryset: QuerySet[Authority],
               token: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The directory search's facet counts of the matching authorities, in one query or kept
    (``token``: the data token, if already read)."""
    counts = facet_counts(queryset, token=token)
    return {
        facet: [{"code": row.code, "count": row.count,
                 "name": function_names(row.code) if facet == "function" else
                 Names(**{code: row.names.get(code) or None  # type: ignore[typeddict-item]
                          for code in LANGUAGE_CODES})}
                for row in counts[facet]]
        for facet in FACETS
    }


@router.get(
    "/authorities", response=responses(AuthorityPage, 422),
    summary="List authorities",
    description="Competent national authorities, ordered by State, kind and English name, a "
                "page at a time (`page`, `page_size` ≤ 100), with the facet counts of the "
                "search page: for each instrument, function, regional group and language "
                "accepted, how many of the matching authorities (on all pages) have it, "
                "counting only the authorities you may see.\n\n" + FILTER_HELP,
)
def authority_list(request: HttpRequest, response: HttpResponse,
                   filters: Query[AuthorityListQuery]) -> Any:
    queryset = filtered_authorities(request.user, filters)
    stats = list_validator(request, queryset, filters)
    count = stats.count
    answer = not_modified(request, stats.etag, stats.last_modified)
    if answer is not None:
        return answer
    set_validators(response, stats.etag, stats.last_modified)
    pages = math.ceil(count / filters.page_size)
    results: list[dict[str, Any]] = []
    if filters.page <= pages:
        start = (filters.page - 1) * filters.page_size
        rows = for_output(queryset)[start:start + filters.page_size]
        results = [authority_item(authority) for authority in rows]
    facets = (facets_out(queryset, stats.data_token) if count
              else {facet: [] for facet in FACETS})
    return {"count": count, "page": filters.page, "pages": pages, "results": results,
            "facets": facets}


def csv_safe(value: str) -> str:
    if value and (value[0] in "=+-@" or value[0] < " "):
        return "'" + value
    return value


def csv_row(authority: Authority) -> list[str]:
    text = [
        *(getattr(authority, build_localized_fieldname("name", code)) or ""
          for code in LANGUAGE_CODES),
        authority.acronym, authority.street_address, authority.postal_address, authority.city,
        authority.postal_code, authority.time_zone, authority.website, authority.email,
    ]
    return [
        str(authority.pk), authority.state.code, authority.kind, *map(csv_safe, text),
        authority.phone, authority.fax, ";".join(channels(authority.channels)),
        "true" if authority.originals_required else "false", authority.urgent_channel,
        csv_safe(authority.urgent_contact),
        ";".join(language.code for language in authority.accepted_languages.all()),
        ";".join(f"{d.provision.instrument.code}:{d.provision.code}:{d.function}"
                 for d in authority.designations.all()),
        authority.visibility, "true" if authority.is_demo else "false",
        authority.updated_at.astimezone(dt.UTC).isoformat(),
    ]


@router.get(
    "/authorities.csv", response=responses(None, 422),
    summary="Export authorities as CSV",
    description=CSV_HELP,
    openapi_extra={"responses": {200: {
        "description": "CSV, one authority a row.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }}},
)
def authority_csv(request: HttpRequest, filters: Query[AuthorityFilters]) -> Any:
    queryset = filtered_authorities(request.user, filters)
    stats = list_validator(request, queryset, filters)
    etag, last_modified = stats.etag, stats.last_modified
    answer = not_modified(request, etag, last_modified)
    if answer is not None:
        return answer
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(authority) for authority in for_output(queryset))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="authorities.csv"'
    set_validators(response, etag, last_modified)
    return response


def contacts_out(user: Any, authority: Authority) -> list[dict[str, Any]]:
    """The visible contacts with their languages, in one query (a row per language)."""
    language_names = [build_localized_fieldname("languages__name", code)
                      for code in LANGUAGE_CODES]
    rows = (
        access.contacts_visible_to(user).filter(authority=authority)
        .order_by("name", "pk", "-languages__is_un_official", "languages__code")
        .values("pk", "name", "position", "email", "phone", "visibility", "updated_at",
                "languages__code", *language_names)
    )
    contacts: dict[int, dict[str, Any]] = {}
    for row in rows:
        contact = contacts.setdefault(row["pk"], {
            "id": row["pk"], "name": row["name"], "position": blank_to_none(row["position"]),
            "email": blank_to_none(row["email"]), "phone": blank_to_none(row["phone"]),
            "languages": [], "visibility": row["visibility"], "updated_at": row["updated_at"],
        })
        if row["languages__code"]:
            contact["languages"].append({
                "code": row["languages__code"],
                "name": Names(**{  # type: ignore[typeddict-item]
                    code: row[column] or None
                    for code, column in zip(LANGUAGE_CODES, language_names, strict=True)
                }),
            })
    return list(contacts.values())


@router.get(
    "/authorities/{id}", response=responses(AuthorityDetailOut, 404, 422),
    summary="One authority",
    description="An authority with its designations, office hours (local time in its time "
                "zone), accepted languages and channels, and the contact persons you may see. "
                "A restricted authority answers to anonymous visitors exactly like one that "
                "does not exist: 404 `{\"detail\": \"Not found.\"}`.",
)
def authority_detail(
    request: HttpRequest, response: HttpResponse,
    id: int = Path(..., ge=1, le=2**63 - 1, description="The authority's number."),
) -> Any:
    authority = access.get_authority_for_user(request.user, id)
    designations = list(
        Designation.objects.filter(authority=authority)
        .select_related("provision__instrument", "provision__article", "provision__paragraph")
    )
    contacts = contacts_out(request.user, authority)
    dates = [authority.updated_at, *(d.updated_at for d in designations),
             *(c["updated_at"] for c in contacts)]
    response["Last-Modified"] = http_date(max(dates).timestamp())
    return {
        "id": authority.pk, "state": state_ref(authority.state), "kind": authority.kind,
        "name": names(authority, "name"), "acronym": blank_to_none(authority.acronym),
        "street_address": blank_to_none(authority.street_address),
        "postal_address": blank_to_none(authority.postal_address),
        "city": blank_to_none(authority.city),
        "postal_code": blank_to_none(authority.postal_code),
        "time_zone": authority.time_zone, "website": blank_to_none(authority.website),
        "email": blank_to_none(authority.email), "phone": blank_to_none(authority.phone),
        "fax": blank_to_none(authority.fax), "channels": channels(authority.channels),
        "originals_required": authority.originals_required,
        "urgent_channel": blank_to_none(authority.urgent_channel),
        "urgent_contact": blank_to_none(authority.urgent_contact),
        "languages": [language_out(language) for language in authority.accepted_languages.all()],
        "designations": [
            {"instrument": d.provision.instrument.code, "provision": d.provision.code,
             "citation": d.provision.citation, "function": d.function,
             "scope_note": names(d, "scope_note"), "notified_on": d.notified_on,
             "source": blank_to_none(d.source)}
            for d in designations
        ],
        "office_hours": [{"weekday": h.weekday, "opens": f"{h.opens:%H:%M}",
                          "closes": f"{h.closes:%H:%M}"} for h in authority.office_hours.all()],
        "contacts": contacts,
        "visibility": authority.visibility, "is_demo": authority.is_demo,
        "version": authority.version, "updated_at": authority.updated_at,
    }


def section_out(section: ProfileSection) -> dict[str, Any]:
    return {
        "measure": section.measure,
        "untoc_legal_basis": blank_to_none(section.untoc_legal_basis),
        "dual_criminality": blank_to_none(section.dual_criminality),
        "languages": [language_out(language) for language in section.languages.all()],
        "channels": channels(section.channels),
        **{field: names(section, field) for field in (
            "summary", "treaties", "alternative_arrangements", "urgent_procedure", "costs")},
        "checklist": [{"position": item.position, "text": names(item, "text")}
                      for item in section.checklist.all()],
        "laws": [{"title": law.title, "url": law.url} for law in section.laws.all()],
        "visibility": section.visibility, "is_demo": section.is_demo,
        "updated_at": section.updated_at,
    }


@router.get(
    "/states/{code}/profile", response=responses(StateProfileOut, 404, 422),
    summary="A State's profile",
    description="What a request to this State needs, per measure: legal basis, dual "
                "criminality, languages and channels, requirements, a checklist and national "
                "laws. Only the sections you may see are listed; a State without visible "
                "sections has an empty list. An unknown State answers 404.",
)
def state_profile(
    request: HttpRequest, response: HttpResponse,
    code: str = Path(..., pattern=STATE_CODE, description=STATE_CODE_HELP),
) -> Any:
    sections = sorted(
        access.profile_sections_visible_to(request.user).filter(state__code=code.upper())
        .select_related("state").prefetch_related("languages", "checklist", "laws"),
        key=lambda section: Measure.values.index(section.measure),
    )
    if sections:
        state = sections[0].state
        response["Last-Modified"] = http_date(
            max(s.updated_at for s in sections).timestamp())
    else:
        found = State.objects.filter(code=code.upper()).first()
        if found is None:
            raise Http404
        state = found
    return {"state": state_ref(state), "sections": [section_out(s) for s in sections]}
