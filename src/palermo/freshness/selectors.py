"""Reads of freshness: when each State's directory entries were last updated and confirmed,
whether they are stale, and which reminders went out.

The dates come from the data itself (the newest ``updated_at`` of a State's authorities,
designations, contacts and profile sections), read through the access layer: the secretariat's
dashboard and the reminder task see every entry, restricted ones included, so a State that
updated only restricted entries is not reminded.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import (
    CharField,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from palermo.accounts import access as account_access
from palermo.accounts import selectors as account_selectors
from palermo.accounts.models import Membership, User
from palermo.directory import access
from palermo.directory.models import Authority, ContactPerson, Designation, ProfileSection
from palermo.directory.selectors import InstrumentCoverage
from palermo.reference.models import Participation, RegionalGroup, State
from palermo.reference.selectors import sort_key

from .models import Confirmation, ReminderLog


@dataclass(frozen=True)
class _Everything:
    """The reader of the reminder task: it sees what the secretariat sees."""

    is_authenticated: bool = True
    is_active: bool = True
    is_secretariat: bool = True


EVERYTHING = _Everything()


class Status:
    CURRENT = "current"
    STALE = "stale"
    ESCALATED = "escalated"


@dataclass
class StateFreshness:
    state: State
    groups: list[RegionalGroup]
    last_updated: dt.datetime | None
    last_confirmed: dt.datetime | None
    first_focal_point: dt.datetime | None  # when its longest-serving focal point was named
    stale: bool
    reminders: int = 0  # rounds of reminders in the current period
    escalated: bool = False
    last_reminder: dt.datetime | None = None
    answered: int = 0  # earlier periods with reminders that ended in an update or confirmation

    @property
    def has_focal_point(self) -> bool:
        return self.first_focal_point is not None

    @property
    def period_start(self) -> dt.datetime | None:
        """Since when the entries are unchanged and unconfirmed (reminders count from here)."""
        dates = [d for d in (self.last_updated, self.last_confirmed) if d is not None]
        return max(dates) if dates else self.first_focal_point

    @property
    def status(self) -> str:
        if not self.stale:
            return Status.CURRENT
        return Status.ESCALATED if self.escalated else Status.STALE


def stale_after() -> dt.timedelta:
    return dt.timedelta(days=settings.PALERMO_STALE_AFTER_DAYS)


def _latest(qs: QuerySet[Any], state: str, kind: str, date: Any) -> QuerySet[Any]:
    """(state id, kind, date) rows, one per State: a part of one UNION query."""
    return (qs.order_by().annotate(a_state=F(state)).values("a_state")
            .annotate(b_kind=Value(kind, output_field=CharField()), c_at=date))


def _union(parts: list[QuerySet[Any]], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of several ``values()`` queries in one UNION ALL query, columns by name.

    Django 5.2 may list a values query's annotations in another order than they were given,
    and an ORM UNION matches columns by position, so each part is wrapped and its columns are
    selected by their names.
    """
    connection = connections[parts[0].db]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sqls: list[str] = []
    params: list[Any] = []
    for number, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        # Django compiled ``sql`` with its parameters apart; the names are ours, quoted.
        sqls.append(f"SELECT {quoted} FROM ({sql}) part{number}")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sqls), params)
        return list(cursor.fetchall())


def _aware(value: Any) -> dt.datetime:
    """A date read by raw SQL: aware from PostgreSQL, text in UTC from SQLite."""
    moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not a date: {value!r}")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def activity_by_state(reader: Any) -> dict[int, dict[str, dt.datetime]]:
    """State id → {"updated", "confirmed", "focal"} → date, in one query."""
    parts = [
        _latest(access.authorities_visible_to(reader), "state", "updated", Max("updated_at")),
        _latest(access.contacts_visible_to(reader), "authority__state", "updated",
                Max("updated_at")),
        _latest(Designation.objects.filter(authority__in=access.authorities_visible_to(reader)),
                "authority__state", "updated", Max("updated_at")),
        _latest(access.profile_sections_visible_to(reader), "state", "updated",
                Max("updated_at")),
        _latest(Confirmation.objects.all(), "state", "confirmed", Max("confirmed_at")),
        _latest(account_access.memberships_visible_to(reader)
                .filter(role=Membership.Role.FOCAL_POINT, user__is_active=True),
                "state", "focal", Min("created_at")),
    ]
    result: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for state_id, kind, raw in _union(parts, ("a_state", "b_kind", "c_at")):
        at = _aware(raw)
        known = result[state_id].get(kind)
        if known is None or (at > known if kind != "focal" else at < known):
            result[state_id][kind] = at
    return result


@dataclass
class PeriodReminders:
    rounds: int = 0  # reminders to the focal points (the highest number of that kind)
    escalated: bool = False
    last: dt.datetime | None = None


def reminders_by_period() -> dict[tuple[int, dt.datetime], PeriodReminders]:
    """(State id, period start) → the reminders claimed in that period, in one query."""
    rows = (ReminderLog.objects.order_by().values("state_id", "period_start", "kind")
            .annotate(rounds=Max("sequence"), last=Max("claimed_at")))
    result: dict[tuple[int, dt.datetime], PeriodReminders] = defaultdict(PeriodReminders)
    for row in rows:
        entry = result[(row["state_id"], row["period_start"])]
        if row["kind"] == ReminderLog.Kind.ESCALATION:
            entry.escalated = True  # the last round of a period: nothing is sent after it
        else:
            entry.rounds = max(entry.rounds, row["rounds"])
        entry.last = max(d for d in (entry.last, row["last"]) if d is not None)
    return result


def state_freshness(reader: Any, *, now: dt.datetime, states: list[State] | None = None,
                    data: DashboardData | None = None) -> list[StateFreshness]:
    """Every State's freshness: two queries, and two more to read the States unless given;
    none when the dashboard's ``data`` (read for a reader who sees everything) are given."""
    if states is None:
        states = list(State.objects.prefetch_related("regional_groups"))
    activity = activity_by_state(reader) if data is None else data.activity
    reminders = reminders_by_period() if data is None else data.reminders
    periods = Counter(state_id for state_id, _ in reminders)
    result = []
    for state in states:
        dates = activity.get(state.pk, {})
        entry = StateFreshness(
            state=state, groups=list(state.regional_groups.all()),
            last_updated=dates.get("updated"), last_confirmed=dates.get("confirmed"),
            first_focal_point=dates.get("focal"), stale=True,
        )
        start = entry.period_start
        entry.stale = start is None or now - start >= stale_after()
        entry.answered = periods[state.pk] - ((state.pk, start) in reminders)
        if start is not None and entry.stale:
            period = reminders.get((state.pk, start), PeriodReminders())
            entry.reminders, entry.escalated = period.rounds, period.escalated
            entry.last_reminder = period.last
        result.append(entry)
    return result


def last_confirmed(state: State) -> dt.datetime | None:
    """The newest confirmation of a State's entries (one query)."""
    return (Confirmation.objects.filter(state=state).order_by("-confirmed_at")
            .values_list("confirmed_at", flat=True).first())


def may_confirm(user: Any, state: State) -> bool:
    """The secretariat, and the State's own focal points."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_secretariat or state.pk in account_access.focal_point_state_ids(user))


@dataclass
class DueRound:
    """The next round of mails for one stale State."""

    state: State
    period_start: dt.datetime
    sequence: int
    kind: str
    freshness: StateFreshness
    recipients: list[User] = field(default_factory=list)


def due_rounds(*, now: dt.datetime) -> list[DueRound]:
    """What the reminder task must send now: for each stale State with a focal point, the next
    reminder when the interval since the last one has passed, then one escalation."""
    every = dt.timedelta(days=settings.PALERMO_REMINDER_EVERY_DAYS)
    limit = settings.PALERMO_REMINDERS_BEFORE_ESCALATION
    rounds = []
    for entry in state_freshness(EVERYTHING, now=now):
        start = entry.period_start
        if not entry.stale or start is None or entry.escalated:
            continue
        if entry.last_reminder is not None and now < entry.last_reminder + every:
            continue
        sequence = entry.reminders + 1
        kind = ReminderLog.Kind.REMINDER if sequence <= limit else ReminderLog.Kind.ESCALATION
        rounds.append(DueRound(state=entry.state, period_start=start, sequence=sequence,
                               kind=kind, freshness=entry))
    _add_recipients(rounds)
    return [due for due in rounds if due.recipients]


def _add_recipients(rounds: list[DueRound]) -> None:
    """Focal points for reminders, the secretariat for escalations (two queries at most)."""
    reminded = {due.state.pk for due in rounds if due.kind == ReminderLog.Kind.REMINDER}
    focal: dict[int, list[User]] = defaultdict(list)
    if reminded:
        for membership in (Membership.objects.filter(
                state_id__in=reminded, role=Membership.Role.FOCAL_POINT, user__is_active=True)
                .exclude(user__email="").select_related("user").order_by("user__email")):
            focal[membership.state_id].append(membership.user)
    secretariat: list[User] = []
    if any(due.kind == ReminderLog.Kind.ESCALATION for due in rounds):
        secretariat = list(User.objects.filter(is_secretariat=True, is_active=True)
                           .exclude(email="").order_by("email"))
    for due in rounds:
        due.recipients = (focal[due.state.pk] if due.kind == ReminderLog.Kind.REMINDER
                          else secretariat)


def parties_without_designation(reader: Any, coverage: list[InstrumentCoverage],
                                states: list[State]) -> dict[int, list[State]]:
    """Provision id → the recorded parties to its instrument that designated no authority
    under it, for the provisions of :func:`palermo.directory.selectors.coverage` (one query;
    ``states`` are every State, already read)."""
    designations = (Designation.objects.filter(authority__in=access.authorities_visible_to(reader))
                    .order_by().annotate(kind=Value("d", output_field=CharField()),
                                         key=F("provision_id"),
                                         state_pk=F("authority__state_id"))
                    .values("kind", "key", "state_pk").distinct())
    participations = (Participation.objects.filter(consent_on__isnull=False).order_by()
                      .annotate(kind=Value("p", output_field=CharField()),
                                key=F("instrument_id"), state_pk=F("state_id"))
                      .values("kind", "key", "state_pk"))
    designating: dict[int, set[int]] = defaultdict(set)
    parties: dict[int, set[int]] = defaultdict(set)
    for kind, key, state_id in _union([designations, participations],
                                      ("kind", "key", "state_pk")):
        (designating if kind == "d" else parties)[key].add(state_id)
    by_id = {state.pk: state for state in states}
    result: dict[int, list[State]] = {}
    for entry in coverage:
        for row in entry.provisions:
            missing = (parties.get(entry.instrument.pk, set())
                       - designating.get(row.provision.pk, set()))
            result[row.provision.pk] = sorted((by_id[pk] for pk in missing if pk in by_id),
                                              key=lambda s: sort_key(s.name))
    return result


def pending_invitations(reader: Any) -> list[Any]:
    """The invitations still open (not accepted, revoked or expired), oldest to expire first,
    read through accounts' selectors (one query)."""
    return sorted(account_selectors.pending_invitations(reader),
                  key=lambda i: (i.expires_at, i.pk))


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # the first day of the month
    end: dt.datetime  # the moment the figures are taken: the month's end, or now
    covered: int  # States with at least one designation in force
    stale: int  # States whose entries were neither updated nor confirmed in time


HISTORY_MONTHS = 24


def _month(moment: dt.datetime) -> dt.date:
    moment = moment.astimezone(dt.UTC)
    return dt.date(moment.year, moment.month, 1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _history_model(name: str) -> Any:
    return apps.get_model("directory", name)


@dataclass
class DashboardData:
    """What the dashboard reads in one query: the activity and reminders behind the staleness
    table (as :func:`activity_by_state` and :func:`reminders_by_period` for a reader who sees
    everything) and the monthly figures of the chart."""

    activity: dict[int, dict[str, dt.datetime]]
    reminders: dict[tuple[int, dt.datetime], PeriodReminders]
    history: list[MonthFigures]


COLUMNS = ("a_state", "b_kind", "c_at", "d_end", "e_number")


def _dashboard_parts() -> list[QuerySet[Any]]:
    """The parts of the one UNION query behind :func:`dashboard_data`: rows of (State id, kind,
    date, end, number). Kinds: "in force" (current designations: the earliest per State),
    "deleted" (deleted designations: per State, the months they were created and deleted),
    "updated" (the newest ``updated_at`` of current entries, per State), "changed" (the
    newest change in the history) and "confirmed" (the newest confirmation), both per State
    and month,
    "focal" (its longest-serving focal point) and the reminders of each period."""
    no_date = Cast(Value(None), DateTimeField())
    no_number = Cast(Value(None), IntegerField())
    historical_authority = _history_model("HistoricalAuthority")
    state_of_authority = Subquery(historical_authority.objects.filter(
        id=OuterRef("authority_id")).order_by().values("state_id")[:1])

    def kind(name: str) -> Value:
        return Value(name, output_field=CharField())

    def monthly(qs: QuerySet[Any], name: str, state: Any, date: str) -> QuerySet[Any]:
        return (qs.order_by().annotate(a_state=state, month=TruncMonth(date, tzinfo=dt.UTC))
                .values("a_state", "month")
                .annotate(b_kind=kind(name), c_at=Max(date), d_end=no_date,
                          e_number=no_number))

    def latest(qs: QuerySet[Any], name: str, state: Any, date: str) -> QuerySet[Any]:
        return (qs.order_by().annotate(a_state=state).values("a_state")
                .annotate(b_kind=kind(name), c_at=Max(date), d_end=no_date,
                          e_number=no_number))

    designation_history = _history_model("HistoricalDesignation")
    contact_history = _history_model("HistoricalContactPerson")
    profile_history = _history_model("HistoricalProfileSection")
    return [
        Designation.objects.order_by().annotate(a_state=F("authority__state_id"))
        .values("a_state").annotate(b_kind=kind("in force"), c_at=Min("created_at"),
                                    d_end=no_date, e_number=no_number),
        designation_history.objects.filter(history_type="-").order_by()
        .annotate(a_state=state_of_authority,
                  created=TruncMonth("created_at", tzinfo=dt.UTC),
                  deleted=TruncMonth("history_date", tzinfo=dt.UTC))
        .values("a_state", "created", "deleted")
        .annotate(b_kind=kind("deleted"), c_at=Min("created_at"), d_end=Max("history_date"),
                  e_number=no_number),
        monthly(historical_authority.objects.all(), "changed", F("state_id"), "history_date"),
        monthly(profile_history.objects.all(), "changed", F("state_id"), "history_date"),
        monthly(designation_history.objects.all(), "changed", state_of_authority,
                "history_date"),
        monthly(contact_history.objects.all(), "changed", state_of_authority, "history_date"),
        # The newest ``updated_at`` per State, for the staleness table; in the chart it
        # also counts a change made without a trace in the history (a data fix), but only
        # the newest one (per month, these four parts would double the time of the query).
        latest(Authority.objects.all(), "updated", F("state_id"), "updated_at"),
        latest(Designation.objects.all(), "updated", F("authority__state_id"), "updated_at"),
        latest(ContactPerson.objects.all(), "updated", F("authority__state_id"), "updated_at"),
        latest(ProfileSection.objects.all(), "updated", F("state_id"), "updated_at"),
        monthly(Confirmation.objects.all(), "confirmed", F("state_id"), "confirmed_at"),
        Membership.objects.filter(role=Membership.Role.FOCAL_POINT, user__is_active=True)
        .order_by().annotate(a_state=F("state_id")).values("a_state")
        .annotate(b_kind=kind("focal"), c_at=Min("created_at"), d_end=no_date,
                  e_number=no_number),
        ReminderLog.objects.order_by().annotate(a_state=F("state_id"), b_kind=F("kind"))
        .values("a_state", "b_kind", "period_start")
        .annotate(c_at=Min("period_start"), d_end=Max("claimed_at"), e_number=Max("sequence")),
    ]


def _first_month(current: dt.date, months: int) -> dt.date:
    first = current
    for _ in range(months - 1):
        first = dt.date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return first


def dashboard_data(*, now: dt.datetime, state_ids: list[int],
                   months: int = HISTORY_MONTHS) -> DashboardData:
    """The staleness table's activity and reminders, and the coverage and staleness at the end
    of each month over the last ``months`` months or since the first data, the current month
    taken at ``now`` (one query).

    A designation is in force from its creation to its deletion, as recorded in the history.
    A State is stale when neither its entries (a change in the history, or the newest
    ``updated_at``) nor a confirmation are as recent as the stale period at that moment —
    unless it never had any and its first focal point was named less long ago, as in the
    staleness table. Focal points who left are not in the history, so they do not count.
    """
    since: dict[int, dt.datetime] = {}  # State → its earliest designation still in force
    spans: list[tuple[int, dt.datetime, dt.datetime]] = []  # deleted designations
    activity: dict[int, list[dt.datetime]] = defaultdict(list)
    latest: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    reminders: dict[tuple[int, dt.datetime], PeriodReminders] = defaultdict(PeriodReminders)
    for state_id, kind, raw_at, raw_end, number in _union(_dashboard_parts(), COLUMNS):
        if state_id is None or raw_at is None:
            continue
        at = _aware(raw_at)
        if kind in ReminderLog.Kind.values:
            entry = reminders[(state_id, at)]
            if kind == ReminderLog.Kind.ESCALATION:
                entry.escalated = True
            else:
                entry.rounds = max(entry.rounds, number)
            last = _aware(raw_end)
            entry.last = last if entry.last is None else max(entry.last, last)
        elif kind == "in force":
            since[state_id] = min(at, since.get(state_id, at))
        elif kind == "deleted":
            spans.append((state_id, at, _aware(raw_end)))
        elif kind == "focal":
            latest[state_id]["focal"] = min(at, latest[state_id].get("focal", at))
        else:
            activity[state_id].append(at)
            if kind != "changed":
                known = latest[state_id].get(kind)
                latest[state_id][kind] = at if known is None else max(at, known)
    focal = {state_id: dates["focal"] for state_id, dates in latest.items() if "focal" in dates}
    dates = [*since.values(), *(span[1] for span in spans), *focal.values(),
             *(at for ats in activity.values() for at in ats)]
    current = _month(now)
    first = _first_month(current, months)
    if dates:
        first = max(first, min(current, min(_month(d) for d in dates)))
    for ats in activity.values():
        ats.sort()
    limit = stale_after()
    history = []
    month = first
    while month <= current:
        following = _next_month(month)
        end = now if month == current else dt.datetime(following.year, following.month, 1,
                                                       tzinfo=dt.UTC)
        covered = {state for state, start in since.items() if start < end}
        covered.update(state for state, start, stop in spans if start < end <= stop)
        stale = 0
        for state_id in state_ids:
            ats = activity.get(state_id, [])
            seen = (bisect.bisect_right(ats, end) if month == current
                    else bisect.bisect_left(ats, end))
            start = ats[seen - 1] if seen else None
            if start is None and focal.get(state_id, end) < end:
                start = focal[state_id]
            stale += start is None or end - start >= limit
        history.append(MonthFigures(month=month, end=end, covered=len(covered), stale=stale))
        month = following
    return DashboardData(activity=dict(latest), reminders=reminders, history=history)
