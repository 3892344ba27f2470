"""Reads of reference data. Reference data is public: no access rules apply."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from .models import Article, Instrument, Participation, Provision, RegionalGroup, Source, State


def sort_key(text: str) -> str:
    """A collation good enough for names in six scripts: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def by_name(states: list[State]) -> list[State]:
    return sorted(states, key=lambda state: sort_key(state.name))


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.select_related(
        "parent", "official_count_source", "text_source"
    ).annotate(
        recorded_parties=Count(
            "participations", filter=Q(participations__consent_on__isnull=False)
        ),
        recorded_signatories=Count(
            "participations", filter=Q(participations__signed_on__isnull=False)
        ),
    )


def regional_groups() -> QuerySet[RegionalGroup]:
    return RegionalGroup.objects.all()


@dataclass
class StateFilter:
    group: RegionalGroup | None = None
    instrument: Instrument | None = None
    status: str = ""  # "party", "signatory", "unknown" (no record)


STATUS_CHOICES = ("party", "signatory", "unknown")


def states(filters: StateFilter) -> list[State]:
    """The States of the list, each with its regional groups as a plain list (``group_list``):
    ``state.regional_groups.all`` in the template would build a manager and a queryset for
    each of some two hundred rows."""
    qs = State.objects.all()
    qs = qs.prefetch_related(Prefetch(
        "regional_groups",
        queryset=RegionalGroup.objects.all(),
        to_attr="group_list",
    ))
    if filters.group is not None:
        qs = qs.filter(regional_groups=filters.group)
    if filters.instrument is not None:
        qs = qs.prefetch_related(Prefetch(
            "participations",
            queryset=Participation.objects.filter(instrument=filters.instrument),
            to_attr="selected_participation",
        ))
        party = Q(participations__instrument=filters.instrument,
                  participations__consent_on__isnull=False)
        recorded = Q(participations__instrument=filters.instrument)
        if filters.status == "party":
            qs = qs.filter(party)
        elif filters.status == "signatory":
            qs = qs.filter(recorded).exclude(party)
        elif filters.status == "unknown":
            qs = qs.exclude(recorded)
    return by_name(list(qs.distinct()))


def state_detail(code: str) -> State:
    try:
        return State.objects.prefetch_related("regional_groups").get(code=code.upper())
    except State.DoesNotExist as exc:
        raise Http404 from exc


def state_participation(state: State) -> list[dict[str, Any]]:
    """One row per instrument, with the State's record or None where nothing is known."""
    records = {
        p.instrument_id: p
        for p in Participation.objects.filter(state=state).select_related("source")
    }
    return [
        {"instrument": instrument, "record": records.get(instrument.pk)}
        for instrument in Instrument.objects.all()
    ]


def instrument_detail(code: str) -> Instrument:
    try:
        return instruments().get(code=code)
    except Instrument.DoesNotExist as exc:
        raise Http404 from exc


def instrument_participation(instrument: Instrument) -> list[Participation]:
    rows = list(
        Participation.objects.filter(instrument=instrument).select_related("state", "source")
    )
    return sorted(rows, key=lambda p: sort_key(p.state.name))


def instrument_provisions(instrument: Instrument) -> QuerySet[Provision]:
    return Provision.objects.filter(instrument=instrument).select_related(
        "article__instrument", "paragraph"
    )


def instrument_articles(instrument: Instrument) -> QuerySet[Article]:
    return Article.objects.filter(instrument=instrument).select_related("instrument")


def article_detail(code: str, number: int) -> Article:
    try:
        return (
            Article.objects.select_related("instrument", "instrument__text_source")
            .prefetch_related(
                "paragraphs",
                Prefetch("provisions", queryset=Provision.objects.select_related("paragraph")),
            )
            .get(instrument__code=code, number=number)
        )
    except Article.DoesNotExist as exc:
        raise Http404 from exc


def neighbours(article: Article) -> tuple[int | None, int | None]:
    numbers = list(
        Article.objects.filter(instrument_id=article.instrument_id)
        .values_list("number", flat=True)
    )
    index = numbers.index(article.number)
    previous = numbers[index - 1] if index > 0 else None
    following = numbers[index + 1] if index + 1 < len(numbers) else None
    return previous, following


def sources() -> QuerySet[Source]:
    return Source.objects.annotate(participation_rows=Count("participations"))


def home_summary() -> dict[str, Any]:
    counts = State.objects.aggregate(
        members=Count("pk", filter=Q(kind=State.Kind.MEMBER)), total=Count("pk")
    )
    return {
        "instruments": list(instruments()),
        "member_states": counts["members"],
        "participants": counts["total"],
        "language": get_language(),
    }


def participation_rows(instrument: Instrument | None = None) -> list[dict[str, str]]:
    """Participation in the import format, for export and correction."""
    records = Participation.objects.select_related("state", "instrument", "source")
    if instrument is not None:
        records = records.filter(instrument=instrument)
    return [
        {
            "state": p.state.code, "instrument": p.instrument.code,
            "signature_date": p.signed_on.isoformat() if p.signed_on else "",
            "consent_date": p.consent_on.isoformat() if p.consent_on else "",
            "action": p.action, "source": p.source.tag, "note": p.note,
        }
        for p in records.order_by("instrument__position", "state__code")
    ]
