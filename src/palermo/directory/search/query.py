"""Running a search: the words, the filters, visibility, facets and one page of results.

Every count and every facet starts from :func:`palermo.directory.access.authorities_visible_to`:
what a visitor may not see, a visitor cannot find or count. Input is never trusted: the words
are normalized and bounded, filter codes are checked, page numbers are clamped, and each problem
is reported in a sentence instead of an error page.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.utils import build_localized_fieldname, get_language

from palermo.core import pagecache
from palermo.directory import access
from palermo.directory.models import Authority, Designation, Function
from palermo.reference.models import Instrument, Language, RegionalGroup, State

from .document import normalize
from .index import backend

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200  # characters of the query that are searched
MAX_TERMS = 8  # words that must all match
MAX_ECHO = 40  # characters of a bad filter code or page number repeated back
CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
PAGE = re.compile(r"[0-9]{1,9}")
FACETS = ("instrument", "function", "group", "language")
FACET_TITLES = {
    "instrument": gettext_lazy("Instrument"),
    "function": gettext_lazy("Function"),
    "group": gettext_lazy("Regional group"),
    "language": gettext_lazy("Language accepted"),
}
_KEEP_FORMAT = {"\u200c", "\u200d"}  # joiners that some scripts need inside words


@dataclass(frozen=True)
class SearchParams:
    """The search as understood, after cleaning: what links and the form carry on."""

    q: str = ""
    instrument: str = ""
    function: str = ""
    group: str = ""
    language: str = ""
    page: int = 1

    def querystring(self, **changes: Any) -> str:
        """This search with some values changed; any change but the page goes to page 1."""
        values = {**asdict(self), "page": 1, **changes}
        return urlencode([(key, value) for key, value in values.items()
                          if value and not (key == "page" and value == 1)])


@dataclass
class FacetOption:
    code: str
    label: str
    count: int
    selected: bool
    querystring: str  # adds this value, or removes it when selected


@dataclass
class Facet:
    param: str
    title: str
    options: list[FacetOption]


@dataclass
class SelectedFilter:
    param: str
    code: str
    title: str
    label: str
    remove_querystring: str


@dataclass
class Hit:
    authority: Authority
    functions: list[str]


@dataclass
class SearchResult:
    params: SearchParams
    terms: list[str]
    searched: bool  # False when the query held nothing to search for
    notices: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    pages: int = 1
    facets: list[Facet] = field(default_factory=list)
    filters: list[SelectedFilter] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def first(self) -> int:
        """The position of the first hit on this page, counting from 1."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1

    @property
    def previous_querystring(self) -> str:
        return self.params.querystring(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_querystring(self) -> str:
        return self.params.querystring(page=self.page + 1) if self.page < self.pages else ""


def clean_query(value: str) -> str:
    """The query as it is echoed back: no control or invisible formatting characters."""
    chars = []
    for char in value:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):
            chars.append(" ")
        elif category != "Cf" or char in _KEEP_FORMAT:
            chars.append(char)
    return " ".join("".join(chars).split())


def _echo(value: str) -> str:
    cleaned = clean_query(value)
    return cleaned[:MAX_ECHO] + ("…" if len(cleaned) > MAX_ECHO else "")


def _value(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _localized(path: str, field_name: str) -> Coalesce:
    """A translated column in the current language, falling back to English."""
    current = build_localized_fieldname(field_name, get_language())
    english = build_localized_fieldname(field_name, "en")
    return Coalesce(NullIf(F(path + current), Value("")), F(path + english),
                    output_field=CharField())


def _unknown(param: str, code: str) -> str:
    messages = {
        "instrument": _("There is no instrument with the code “%(code)s”; that filter was "
                        "left out."),
        "function": _("There is no function with the code “%(code)s”; that filter was "
                      "left out."),
        "group": _("There is no regional group with the code “%(code)s”; that filter was "
                   "left out."),
        "language": _("There is no language with the code “%(code)s”; that filter was "
                      "left out."),
    }
    return messages[param] % {"code": _echo(code)}


def _filters(data: Mapping[str, Any], notices: list[str]) -> tuple[dict[str, str],
                                                                    dict[str, str]]:
    """The valid filter codes, and their labels; one query checks those held in tables."""
    wanted: dict[str, str] = {}
    for param in FACETS:
        raw = _value(data, param).strip()
        if not raw:
            continue
        code = raw.upper() if param == "group" else raw.lower()
        if not CODE.fullmatch(code) or (param == "function" and code not in Function.values):
            notices.append(_unknown(param, raw))
            continue
        wanted[param] = code
    labels: dict[str, str] = {}
    if "function" in wanted:
        labels["function"] = str(Function(wanted["function"]).label)
    checks: list[QuerySet[Any, Any]] = []
    for param, model, label_field in (("instrument", Instrument, "short_name"),
                                      ("group", RegionalGroup, "name"),
                                      ("language", Language, "name")):
        if param in wanted:
            checks.append(
                model.objects.filter(code=wanted[param]).order_by()
                .annotate(facet=Value(param), facet_label=_localized("", label_field))
                .values_list("facet", "facet_label"))
    if checks:
        for param, label in checks[0].union(*checks[1:], all=True):
            labels[param] = label
    for param in [p for p in wanted if p not in labels]:
        notices.append(_unknown(param, wanted.pop(param)))
    return wanted, labels


def _page(data: Mapping[str, Any], notices: list[str]) -> int:
    raw = _value(data, "page").strip()
    if not raw:
        return 1
    if not PAGE.fullmatch(raw):
        notices.append(_("“%(page)s” is not a page number; showing the first page.")
                       % {"page": _echo(raw)})
        return 1
    if int(raw) < 1:
        notices.append(_("Pages are numbered from 1; showing the first page."))
        return 1
    return int(raw)


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [row for row in rows if row["facet_code"] is not None]


def _counts(results: QuerySet[Authority]) -> dict[str, list[dict[str, Any]]]:
    """Per facet: code, label (in the active language) and number of authorities among the
    results, from :func:`facet_counts`'s one query."""
    language = get_language() or "en"
    counts: dict[str, list[dict[str, Any]]] = {}
    for facet, values in facet_counts(results).items():
        rows: list[dict[str, Any]] = [{"facet_code": value.code, "count": value.count,
                 "facet_label": (str(Function(value.code).label) if facet == "function"
                                 else value.names.get(language) or value.names.get("en")
                                 or value.code)}
                for value in values]
        if facet == "language":
            rows.sort(key=lambda row: (-row["count"], normalize(row["facet_label"])))
        counts[facet] = rows
    return counts


def _facets(results: QuerySet[Authority], params: SearchParams) -> list[Facet]:
    """The facets of the current results (visible ones only), each option a link."""
    counts = _counts(results)
    facets = []
    for param in FACETS:
        selected = getattr(params, param)
        options = [
            FacetOption(
                code=row["facet_code"], label=row["facet_label"] or row["facet_code"],
                count=row["count"], selected=row["facet_code"] == selected,
                querystring=params.querystring(
                    **{param: "" if row["facet_code"] == selected else row["facet_code"]}),
            )
            for row in counts[param]
        ]
        if options:
            facets.append(Facet(param=param, title=str(FACET_TITLES[param]), options=options))
    return facets


def _hits(results: QuerySet[Authority], terms: list[str], page: int) -> list[Hit]:
    ordered = results
    order: list[Any] = []
    if terms:
        # Authorities whose own names hold every word come first.
        names = Q()
        for term in terms:
            names &= Q(search_entry__names__contains=term)
        ordered = ordered.annotate(relevance=Case(When(names, then=Value(0)), default=Value(1),
                                                  output_field=IntegerField()))
        order.append("relevance")
    order += [_localized("state__", "name"), "kind", _localized("", "name"), "pk"]
    start = (page - 1) * PAGE_SIZE
    authorities = list(
        ordered.order_by(*order).select_related("state").prefetch_related(
            Prefetch("designations",
                     queryset=Designation.objects.order_by().only("id", "authority_id",
                                                                  "function")))
        [start:start + PAGE_SIZE]
    )
    hits = []
    for authority in authorities:
        codes = {designation.function for designation in authority.designations.all()}
        hits.append(Hit(authority=authority,
                        functions=[str(Function(code).label) for code in Function.values
                                   if code in codes]))
    return hits


def run(user: Any, data: Mapping[str, Any]) -> SearchResult:
    """Search the directory as ``user`` may see it; ``data`` is the query string (GET)."""
    notices: list[str] = []
    raw = _value(data, "q")
    q = clean_query(raw)
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH].rstrip()
        notices.append(ngettext(
            "Your search was long: only its first %(count)d character was used.",
            "Your search was long: only its first %(count)d characters were used.",
            MAX_QUERY_LENGTH) % {"count": MAX_QUERY_LENGTH})
    terms = list(dict.fromkeys(normalize(q).split()))
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notices.append(ngettext("Only the first %(count)d word of your search was used.",
                                "Only the first %(count)d words of your search were used.",
                                MAX_TERMS) % {"count": MAX_TERMS})
    codes, labels = _filters(data, notices)
    page = _page(data, notices)
    params = SearchParams(q=q, page=page, **codes)
    filters = [SelectedFilter(param=param, code=codes[param], title=str(FACET_TITLES[param]),
                              label=labels[param],
                              remove_querystring=params.querystring(**{param: ""}))
               for param in FACETS if param in codes]
    if raw.strip() and not terms:
        notices.append(_("Type at least one letter or digit to search."))
        return SearchResult(params=params, terms=[], searched=False, notices=notices,
                            filters=filters)

    results = access.authorities_visible_to(user)
    if terms:
        results = results.filter(backend().matches(terms))
    if "instrument" in codes:
        results = results.filter(pk__in=Designation.objects.order_by().filter(
            provision__instrument__code=codes["instrument"]).values("authority_id"))
    if "function" in codes:
        results = results.filter(pk__in=Designation.objects.order_by().filter(
            function=codes["function"]).values("authority_id"))
    if "group" in codes:
        results = results.filter(state_id__in=State.objects.order_by().filter(
            regional_groups__code=codes["group"]).values("pk"))
    if "language" in codes:
        results = results.filter(pk__in=Authority.accepted_languages.through.objects
                                 .order_by().filter(language__code=codes["language"])
                                 .values("authority_id"))

    total = results.count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if total and page > pages:
        notices.append(ngettext(
            "There is only %(count)d page of results; showing it.",
            "There are only %(count)d pages of results; showing the last one.",
            pages) % {"count": pages})
        page = pages
    elif not total:
        page = 1
    params = SearchParams(q=q, page=page, **codes)
    result = SearchResult(params=params, terms=terms, searched=True, notices=notices,
                          total=total, pages=pages, filters=filters)
    if total:
        result.hits = _hits(results, terms, page)
        result.facets = _facets(results, params)
    return result


# Building blocks for other readers of the directory (the JSON API): the same words, filters,
# visibility and counts as :func:`run`, without its page of hits and its notices.


def terms_of(q: str) -> list[str]:
    """The words of ``q`` that must all match, read as :func:`run` reads them."""
    cleaned = clean_query(q)[:MAX_QUERY_LENGTH].rstrip()
    return list(dict.fromkeys(normalize(cleaned).split()))[:MAX_TERMS]


def matching(user: Any, params: SearchParams) -> QuerySet[Authority]:
    """The authorities ``user`` may see that hold every word of ``params.q`` and pass every
    filter of ``params``, unordered. The codes must be checked and cased already (instrument,
    function and language lower case, group upper case); an unknown one matches nothing."""
    results = access.authorities_visible_to(user)
    terms = terms_of(params.q)
    if terms:
        results = results.filter(backend().matches(terms))
    if params.instrument:
        results = results.filter(pk__in=Designation.objects.order_by().filter(
            provision__instrument__code=params.instrument).values("authority_id"))
    if params.function:
        results = results.filter(pk__in=Designation.objects.order_by().filter(
            function=params.function).values("authority_id"))
    if params.group:
        results = results.filter(state_id__in=State.objects.order_by().filter(
            regional_groups__code=params.group).values("pk"))
    if params.language:
        results = results.filter(pk__in=Authority.accepted_languages.through.objects
                                 .order_by().filter(language__code=params.language)
                                 .values("authority_id"))
    return results


@dataclass(frozen=True)
class FacetCount:
    code: str
    count: int
    names: dict[str, str]  # language code → name, "" where none; empty for functions


def _facet_part(queryset: QuerySet[Any], facet: str, count: str, code: str,
                position: str | None, name: str | None) -> QuerySet[Any]:
    """One facet's rows, in the columns that all facets share (so that they can be united)."""
    columns: dict[str, Any] = {
        "facet": Value(facet, output_field=CharField()),
        "facet_code": F(code),
        "facet_position": F(position) if position else Value(0, output_field=IntegerField()),
    }
    for language, _label in settings.LANGUAGES:
        columns[build_localized_fieldname("facet_name", language)] = (
            F(build_localized_fieldname(name, language)) if name
            else Value("", output_field=CharField()))
    return (queryset.order_by().annotate(**columns).values(*columns)
            .annotate(facet_count=Count(count, distinct=True)))


FACETS_KEPT = 15 * 60  # seconds; a bound for a change that no signal sees


def facet_counts(results: QuerySet[Authority], *,
                 token: str | None = None) -> dict[str, list[FacetCount]]:
    """Per facet (instrument, function, group, language): each value among ``results`` with
    the number of authorities that have it and its names in every language, in one query.
    Ordered as the search page orders its facets (languages by count, then code).

    Counting runs over every matching authority (tens of milliseconds for the whole
    directory), and the same counts serve every page of a result and every reader who may
    see the same authorities, so they are kept in the cache. The key is the results' SQL
    with its parameters, which holds every filter and whether restricted authorities are
    included (:func:`palermo.directory.access.authorities_visible_to`), and the data token of
    :mod:`palermo.core.pagecache`, replaced on every change to the directory or the reference
    data (``token``, when the caller has read it already)."""
    sql, params = results.order_by().query.sql_with_params()
    raw = json.dumps([token or pagecache.current_token(), sql, list(params)], default=str)
    key = "palermo:facets:" + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _facet_counts(results)
        cache.set(key, found, FACETS_KEPT)
    return found


def _facet_counts(results: QuerySet[Authority]) -> dict[str, list[FacetCount]]:
    designations = Designation.objects.filter(authority_id__in=results.order_by().values("pk"))
    authorities = results.order_by()
    parts = [
        _facet_part(designations, "instrument", "authority_id", "provision__instrument__code",
                    "provision__instrument__position", "provision__instrument__short_name"),
        _facet_part(designations, "function", "authority_id", "function", None, None),
        _facet_part(authorities, "group", "pk", "state__regional_groups__code",
                    "state__regional_groups__position", "state__regional_groups__name"),
        _facet_part(authorities, "language", "pk", "accepted_languages__code", None,
                    "accepted_languages__name"),
    ]
    rows = [row for row in parts[0].union(*parts[1:], all=True)
            if row["facet_code"] is not None
            and (row["facet"] != "function" or row["facet_code"] in Function.values)]
    order = {
        "instrument": lambda row: (row["facet_position"], row["facet_code"]),
        "function": lambda row: (Function.values.index(row["facet_code"]), ""),
        "group": lambda row: (row["facet_position"], row["facet_code"]),
        "language": lambda row: (-row["facet_count"], row["facet_code"]),
    }
    counts: dict[str, list[FacetCount]] = {}
    for facet in FACETS:
        counts[facet] = [
            FacetCount(code=row["facet_code"], count=row["facet_count"],
                       names={language: row[build_localized_fieldname("facet_name",
                                                                      language)] or ""
                              for language, _label in settings.LANGUAGES}
                       if facet != "function" else {})
            for row in sorted((row for row in rows if row["facet"] == facet), key=order[facet])
        ]
    return counts
