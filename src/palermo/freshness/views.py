"""Confirming a State's entries, and the secretariat's dashboard (decision 3/2 h)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from palermo.accounts.guards import second_factor_required
from palermo.directory.selectors import coverage
from palermo.reference.models import RegionalGroup, State
from palermo.reference.selectors import sort_key

from . import selectors, services
from .chart import history_chart
from .forms import STATUS_CHOICES, StalenessFilterForm
from .selectors import StateFreshness


@require_POST
@second_factor_required
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(State, code=code.upper())
    if not request.user.is_authenticated:
        return redirect_to_login(state_page(state))
    if not selectors.may_confirm(request.user, state):
        raise Http404  # as everywhere: what one may not do answers like what does not exist
    services.state_confirm(state=state, user=request.user)
    messages.success(request, _("Thank you. The entries of %(state)s are confirmed as accurate "
                                "today.") % {"state": state.name})
    return redirect(state_page(state))


def state_page(state: State) -> str:
    return reverse("directory:state", kwargs={"code": state.code.lower()})


def _secretariat_only(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_active and getattr(user, "is_secretariat", False)):
        raise Http404


def _groups(states: list[State]) -> list[RegionalGroup]:
    groups = {g.pk: g for state in states for g in state.regional_groups.all()}
    return sorted(groups.values(), key=lambda g: g.position)


_FAR_PAST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _sorted(rows: list[StateFreshness], sort: str) -> list[StateFreshness]:
    field = sort.lstrip("-") or "state"
    keys: dict[str, Any] = {
        "state": lambda r: sort_key(r.state.name),
        "updated": lambda r: r.last_updated or _FAR_PAST,
        "confirmed": lambda r: r.last_confirmed or _FAR_PAST,
        "reminders": lambda r: (r.reminders, r.escalated),
    }
    return sorted(rows, key=keys[field], reverse=sort.startswith("-"))


def _staleness(request: HttpRequest, states: list[State],
               data: selectors.DashboardData | None = None,
               ) -> tuple[StalenessFilterForm, list[StateFreshness]]:
    form = StalenessFilterForm(request.GET or None, groups=_groups(states))
    rows = selectors.state_freshness(request.user, now=timezone.now(), states=states,
                                     data=data)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("group"):
        rows = [r for r in rows if any(g.code == filters["group"] for g in r.groups)]
    if filters.get("status"):
        rows = [r for r in rows if r.status == filters["status"]]
    return form, _sorted(rows, filters.get("sort") or "state")


COLUMNS = [
    ("state", _lazy("State")), ("", _lazy("Regional group")), ("updated", _lazy("Last updated")),
    ("confirmed", _lazy("Last confirmed")), ("", _lazy("Focal point")), ("", _lazy("Status")),
    ("reminders", _lazy("Reminders sent")), ("", _lazy("Reminders answered")),
]


def _headers(form: StalenessFilterForm) -> list[dict[str, Any]]:
    """Column headings; a sortable one links to the table sorted by it, the other way round
    when it is the current order."""
    valid = form.is_bound and form.is_valid()
    current = (form.cleaned_data.get("sort") if valid else "") or "state"
    kept = {name: form.cleaned_data[name] for name in ("group", "status")
            if valid and form.cleaned_data.get(name)}
    headers = []
    for key, label in COLUMNS:
        if not key:
            headers.append({"label": label, "href": "", "aria": ""})
            continue
        reverse_order = current == key
        query = urlencode({**kept, "sort": f"-{key}" if reverse_order else key})
        aria = {key: "ascending", f"-{key}": "descending"}.get(current, "")
        headers.append({"label": label, "href": f"?{query}", "aria": aria})
    return headers


def _all_states() -> list[State]:
    return list(State.objects.prefetch_related("regional_groups"))


def dashboard(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    states = _all_states()
    instruments = coverage(request.user)
    gaps = selectors.parties_without_designation(request.user, instruments, states)
    data = selectors.dashboard_data(now=timezone.now(), state_ids=[s.pk for s in states])
    form, rows = _staleness(request, states, data)
    return render(request, "freshness/dashboard.html", {
        "invitations": selectors.pending_invitations(request.user),
        "history": data.history, "chart": history_chart(data.history),
        "coverage": [(entry, [(row, gaps.get(row.provision.pk, [])) for row in entry.provisions])
                     for entry in instruments],
        "form": form, "rows": rows, "status_labels": dict(STATUS_CHOICES),
        "query": request.GET.urlencode(), "headers": _headers(form),
        "stale_after_days": selectors.stale_after().days,
    })


def staleness_csv(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    form, rows = _staleness(request, _all_states())
    if form.is_bound and not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(str(e) for e in errors)}"
                             for name, errors in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="palermo-staleness.csv"'
    labels = dict(STATUS_CHOICES)
    writer = csv.writer(response)
    writer.writerow(["code", "state", "regional_groups", "last_updated", "last_confirmed",
                     "focal_point", "status", "reminders", "escalated", "last_reminder",
                     "reminders_answered"])
    for row in rows:
        writer.writerow([
            row.state.code, row.state.name, " ".join(g.code for g in row.groups),
            _iso(row.last_updated), _iso(row.last_confirmed),
            "yes" if row.has_focal_point else "no", labels[row.status], row.reminders,
            "yes" if row.escalated else "no", _iso(row.last_reminder), row.answered,
        ])
    return response


def coverage_csv(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    states = list(State.objects.all())
    instruments = coverage(request.user)
    gaps = selectors.parties_without_designation(request.user, instruments, states)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="palermo-coverage.csv"'
    writer = csv.writer(response)
    writer.writerow(["instrument", "provision", "citation", "parties", "parties_designating",
                     "states_designating", "parties_without"])
    for entry in instruments:
        for row in entry.provisions:
            writer.writerow([
                entry.instrument.code, row.provision.code, row.provision.localized_citation,
                row.parties, row.designated_parties, row.designating,
                " ".join(state.code for state in gaps.get(row.provision.pk, [])),
            ])
    return response


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def invitations_csv(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="palermo-pending-invitations.csv"'
    writer = csv.writer(response)
    writer.writerow(["state_code", "state", "role", "email", "invited_by", "sent", "expires"])
    for invitation in selectors.pending_invitations(request.user):
        state = invitation.state
        writer.writerow([
            state.code if state else "", state.name if state else "",
            invitation.role, invitation.email,
            invitation.invited_by.email if invitation.invited_by else "",
            _iso(invitation.created_at), _iso(invitation.expires_at),
        ])
    return response


def history_csv(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    state_ids = list(State.objects.values_list("pk", flat=True))
    history = selectors.dashboard_data(now=timezone.now(), state_ids=state_ids).history
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="palermo-coverage-staleness.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", "taken_at", "states_with_designation", "stale_states"])
    for month in history:
        writer.writerow([month.month.strftime("%Y-%m"), _iso(month.end), month.covered,
                         month.stale])
    return response
