"""Editing pages. Thin: find the entry the user may edit (or answer 404), bind the form, call
the service, render. Every page is behind the second factor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.guards import second_factor_required
from palermo.reference.models import State
from palermo.reference.selectors import sort_key

from .. import access, services
from ..models import DESIGNATION_RELATED, Authority, Designation, Measure, ProfileSection, Resource
from .forms import DeleteForm
from .kinds import KINDS, Kind, Names, display, want_names

# --- finding what the user may edit ------------------------------------------------------------


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _state(user: Any, code: str | None) -> State | None:
    """The State named in the address, if the user may edit it; else 404 (as if missing)."""
    if code is None:
        if not access.may_edit_state(user, None):
            raise Http404
        return None
    state = State.objects.filter(code=code.upper()).first()
    if state is None or not access.may_edit_state(user, state):
        raise Http404
    return state


def _entry(user: Any, kind: Kind, code: str | None, pk: int,
           *, prefetch: bool = True) -> tuple[State | None, Any]:
    """The entry and its State, when the user may edit that State; else 404."""
    if (kind.state_path is None) != (code is None):
        raise Http404
    queryset: Any = kind.model._default_manager.select_related(*kind.select_related)
    if prefetch:
        queryset = queryset.prefetch_related(*kind.prefetch)
    if kind.state_path is not None:
        queryset = queryset.filter(**{f"{kind.state_path}__code": str(code).upper()})
    entry = queryset.filter(pk=pk).first()
    if entry is None:
        if code is None:
            _state(user, None)  # the same answer, whether or not the user may edit
        raise Http404
    state = kind.state_of(entry)
    if not access.may_edit_state(user, state):
        raise Http404
    return state, entry


def _manage_url(state: State | None) -> str:
    if state is None:
        return reverse("directory:manage_resources")
    return reverse("directory:manage_state", kwargs={"code": state.code.lower()})


def _entry_url(name: str, kind: Kind, state: State | None, pk: int, **extra: Any) -> str:
    if state is None:
        return reverse(f"directory:manage_resource_{name}", kwargs={"pk": pk, **extra})
    return reverse(f"directory:manage_entry_{name}",
                   kwargs={"code": state.code.lower(), "kind": kind.slug, "pk": pk, **extra})


# --- the forms of an entry ---------------------------------------------------------------------


def _child_initial(kind: Kind, entry: Any) -> dict[str, list[dict[str, Any]]]:
    if entry.pk is None:
        return {child.related_name: [] for child in kind.children}
    return {
        child.related_name: [{name: getattr(row, name) for name in child.fields}
                             for row in getattr(entry, child.related_name).all()]
        for child in kind.children
    }


def _forms(kind: Kind, state: State | None, entry: Any,
           data: Any = None) -> tuple[Any, list[tuple[Any, Any]]]:
    form = kind.form(data, instance=entry)
    if "authority" in form.fields:
        form.fields["authority"].queryset = (  # type: ignore[attr-defined]
            Authority.objects.filter(state=state).only("pk", "name", "name_en", "state_id"))
    initial = _child_initial(kind, entry)
    formsets = [
        (child, child.formset(data, prefix=child.related_name,
                              initial=None if data is not None else initial[child.related_name]))
        for child in kind.children
    ]
    return form, formsets


def _rows(formset: Any) -> list[dict[str, Any]]:
    return [
        {name: value for name, value in f.cleaned_data.items() if name != "DELETE"}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _save(request: HttpRequest, kind: Kind, entry: Any, form: Any,
          formsets: Sequence[tuple[Any, Any]]) -> Any:
    return services.entry_save(
        user=request.user, instance=form.instance,
        token=form.cleaned_data.get("version") or None if entry.pk else None,
        m2m={name: form.cleaned_data[name] for name in kind.m2m},
        children={child.related_name: _rows(formset) for child, formset in formsets},
    )


def _show_errors(form: Any, error: ValidationError) -> None:
    """The service's validation messages, beside their fields where the form has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@dataclass
class ConflictRow:
    label: str
    yours: str
    theirs: str
    differs: bool


def _conflict(kind: Kind, form: Any, formsets: Sequence[tuple[Any, Any]],
              current: Any) -> list[ConflictRow]:
    """What the user typed beside what is saved now, field by field."""
    model = kind.model
    names = Names()
    yours = dict(form.cleaned_data)
    theirs: dict[str, Any] = {}
    for name in kind.plain_fields:
        f: Any = model._meta.get_field(name)
        theirs[name] = getattr(current, f.attname)
    for name in kind.m2m:
        theirs[name] = [item.pk for item in getattr(current, name).all()]
        yours[name] = [item.pk for item in yours.get(name, [])]
    fields = [*kind.plain_fields, *kind.m2m]
    want_names(model, names, fields, [yours, theirs])
    names.load()
    rows = []
    for name in fields:
        mine, saved = (display(model, name, yours.get(name), names),
                       display(model, name, theirs.get(name), names))
        rows.append(ConflictRow(str(form.fields[name].label), mine, saved, mine != saved))
    for child, formset in formsets:
        mine = "; ".join(" ".join(str(v) for v in row.values()) for row in _rows(formset))
        saved = "; ".join(" ".join(str(getattr(row, n)) for n in child.fields)
                          for row in getattr(current, child.related_name).all())
        rows.append(ConflictRow(str(child.label), mine or "—", saved or "—", mine != saved))
    return rows


def _edit_page(request: HttpRequest, kind: Kind, state: State | None, entry: Any) -> HttpResponse:
    creating = entry.pk is None
    conflict: list[ConflictRow] | None = None
    if request.method == "POST":
        form, formsets = _forms(kind, state, entry, request.POST)
        if form.is_valid() and all(formset.is_valid() for _child, formset in formsets):
            try:
                saved = _save(request, kind, entry, form, formsets)
            except services.StaleEntry as stale:
                if stale.current is None:
                    messages.error(request, _("Someone else deleted this entry in the "
                                              "meantime. Nothing was saved."))
                    return HttpResponseRedirect(_manage_url(state))
                current = kind.model._default_manager.prefetch_related(*kind.prefetch).get(
                    pk=stale.current.pk)
                conflict = _conflict(kind, form, formsets, current)
                data = request.POST.copy()
                data["version"] = services.version_token(current)
                form, formsets = _forms(kind, state, entry, data)
                form.is_valid()
            except services.EditNotAllowed as exc:
                raise Http404 from exc
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Saved: %(entry)s.") % {"entry": saved})
                return HttpResponseRedirect(_manage_url(state))
    else:
        form, formsets = _forms(kind, state, entry)
    return render(request, "directory/manage/edit.html", {
        "kind": kind, "state": state, "entry": entry, "creating": creating, "form": form,
        "formsets": formsets, "conflict": conflict,
        "history_url": (_entry_url("history", kind, state, entry.pk)
                        if not creating and kind.has_history else None),
        "delete_url": None if creating else _entry_url("delete", kind, state, entry.pk),
        "manage_url": _manage_url(state),
    }, status=409 if conflict else 200)


# --- pages -------------------------------------------------------------------------------------


@second_factor_required
def manage_home(request: HttpRequest) -> HttpResponse:
    """Which State's directory to manage: the user's own, or for the secretariat any."""
    user: Any = request.user
    if not user.is_authenticated:
        raise Http404
    if user.is_secretariat:
        code = request.GET.get("state", "").strip().upper()
        if code:
            if State.objects.filter(code=code).exists():
                return HttpResponseRedirect(
                    reverse("directory:manage_state", kwargs={"code": code.lower()}))
            messages.error(request, _("There is no State with the code %(code)s.")
                           % {"code": code[:3]})
        states = sorted(State.objects.all(),
                        key=lambda s: sort_key(s.name))
    else:
        states = sorted({m.state for m in user.memberships.select_related("state")
                         if access.may_edit_state(user, m.state)},
                        key=lambda s: sort_key(s.name))
        if not states:
            raise Http404
        if len(states) == 1:
            return HttpResponseRedirect(
                reverse("directory:manage_state", kwargs={"code": states[0].code.lower()}))
    return render(request, "directory/manage/home.html", {
        "states": states, "secretariat": user.is_secretariat})


@second_factor_required
def manage_state(request: HttpRequest, code: str) -> HttpResponse:
    """Every entry of a State, with links to edit it and to its history."""
    state = _state(request.user, code)
    assert state is not None
    authorities = sorted(
        Authority.objects.filter(state=state).prefetch_related(
            "contacts",
            Prefetch("designations",
                     queryset=Designation.objects.select_related(*DESIGNATION_RELATED))),
        key=lambda a: sort_key(a.name))
    sections = sorted(ProfileSection.objects.filter(state=state),
                      key=lambda s: Measure.values.index(s.measure))
    return render(request, "directory/manage/state.html", {
        "state": state, "authorities": authorities, "sections": sections,
        "missing_measures": [m for m in Measure if m.value not in {s.measure for s in sections}],
    })


@second_factor_required
def manage_resources(request: HttpRequest) -> HttpResponse:
    _state(request.user, None)
    return render(request, "directory/manage/resources.html", {
        "resources": Resource.objects.all()})


@second_factor_required
def entry_create(request: HttpRequest, kind: str, code: str | None = None) -> HttpResponse:
    entry_kind = _kind(kind)
    if (entry_kind.state_path is None) != (code is None):
        raise Http404
    state = _state(request.user, code)
    entry: Any = entry_kind.model()
    if entry_kind.state_path == "state":
        entry.state = state
    measure = request.GET.get("measure")
    if isinstance(entry, ProfileSection) and measure in Measure.values:
        entry.measure = measure
    authority = request.GET.get("authority", "")
    if "authority" in entry_kind.plain_fields and authority.isdigit():
        entry.authority = Authority.objects.filter(state=state, pk=int(authority)).first()
    return _edit_page(request, entry_kind, state, entry)


@second_factor_required
def entry_edit(request: HttpRequest, kind: str, pk: int, code: str | None = None) -> HttpResponse:
    entry_kind = _kind(kind)
    state, entry = _entry(request.user, entry_kind, code, pk)
    return _edit_page(request, entry_kind, state, entry)


@second_factor_required
def entry_delete(request: HttpRequest, kind: str, pk: int,
                 code: str | None = None) -> HttpResponse:
    entry_kind = _kind(kind)
    state, entry = _entry(request.user, entry_kind, code, pk, prefetch=False)
    stale = False
    if request.method == "POST":
        form = DeleteForm(request.POST)
        if form.is_valid():
            try:
                services.entry_delete(user=request.user, instance=entry,
                                      token=form.cleaned_data["version"])
            except services.EditNotAllowed as exc:
                raise Http404 from exc
            except services.StaleEntry as error:
                if error.current is None:
                    return HttpResponseRedirect(_manage_url(state))
                stale = True
                entry = error.current
            else:
                messages.success(request, _("Deleted: %(entry)s.") % {"entry": entry})
                return HttpResponseRedirect(_manage_url(state))
    form = DeleteForm(initial={"version": services.version_token(entry)})
    return render(request, "directory/manage/delete.html", {
        "kind": entry_kind, "state": state, "entry": entry, "form": form, "stale": stale,
        "edit_url": _entry_url("edit", entry_kind, state, entry.pk),
        "manage_url": _manage_url(state)}, status=409 if stale else 200)


# --- history -----------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: Any
    changes: list[Change]
    is_current: bool


def _m2m_of_records(kind: Kind, records: list[Any]) -> dict[str, dict[int, list[int]]]:
    """The many-to-many values kept with each historical record: one query per field."""
    result: dict[str, dict[int, list[int]]] = {}
    for name in kind.m2m:
        by_record: dict[int, list[int]] = {record.history_id: [] for record in records}
        if records:
            rows = getattr(records[0], name).model  # the table of this field's history
            target: Any = kind.model._meta.get_field(name).related_model
            column = f"{target._meta.model_name}_id"
            for history_id, key in rows.objects.filter(history__in=records).values_list(
                    "history_id", column):
                by_record[history_id].append(key)
        result[name] = {key: sorted(values) for key, values in by_record.items()}
    return result


def _record_values(kind: Kind, record: Any, m2m: dict[str, dict[int, list[int]]]
                   ) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in kind.plain_fields:
        f: Any = kind.model._meta.get_field(name)
        values[name] = getattr(record, f.attname)
    for name in kind.m2m:
        values[name] = m2m[name][record.history_id]
    return values


def _versions(kind: Kind, entry: Any) -> list[Version]:
    records = list(entry.history.select_related("history_user")
                   .order_by("history_date", "history_id"))
    m2m = _m2m_of_records(kind, records)
    values = [_record_values(kind, record, m2m) for record in records]
    names = Names()
    want_names(kind.model, names, [*kind.plain_fields, *kind.m2m], values)
    names.load()
    labels = {name: str(kind.form.base_fields[name].label or name)
              for name in [*kind.plain_fields, *kind.m2m]}
    from .forms import field_label

    versions: list[Version] = []
    previous: dict[str, Any] = {}
    for index, (record, current) in enumerate(zip(records, values, strict=True)):
        changes = []
        for name, value in current.items():
            before = previous.get(name)
            if index and value == before:
                continue
            if not index and value in (None, "", [], False):
                continue
            changes.append(Change(
                field_label(kind.model, name) if name in kind.plain_fields else labels[name],
                display(kind.model, name, before, names) if index else "—",
                display(kind.model, name, value, names)))
        versions.append(Version(record, changes, is_current=index == len(records) - 1))
        previous = current
    versions.reverse()
    return versions


@second_factor_required
def entry_history(request: HttpRequest, kind: str, pk: int, code: str | None = None,
                  *, error: str = "") -> HttpResponse:
    """Who changed what and when, field by field, with a way back to each earlier version.

    Only for those who may edit the State (decisions.md: history shows values from times an
    entry was restricted, so it is never shown to anyone who could not see those).
    """
    entry_kind = _kind(kind)
    if not entry_kind.has_history:
        raise Http404
    state, entry = _entry(request.user, entry_kind, code, pk, prefetch=False)
    return render(request, "directory/manage/history.html", {
        "kind": entry_kind, "state": state, "entry": entry,
        "versions": _versions(entry_kind, entry),
        "token": services.version_token(entry), "error": error,
        "edit_url": _entry_url("edit", entry_kind, state, entry.pk),
        "manage_url": _manage_url(state),
    }, status=409 if error else 200)


@require_POST
@second_factor_required
def entry_revert(request: HttpRequest, kind: str, pk: int, history_id: int,
                 code: str | None = None) -> HttpResponse:
    entry_kind = _kind(kind)
    if not entry_kind.has_history:
        raise Http404
    state, entry = _entry(request.user, entry_kind, code, pk, prefetch=False)
    record = entry.history.filter(history_id=history_id).first()
    if record is None:
        raise Http404
    try:
        services.entry_revert(user=request.user, instance=entry, record=record,
                              token=request.POST.get("version", ""),
                              fields=entry_kind.plain_fields, m2m=entry_kind.m2m)
    except services.EditNotAllowed as exc:
        raise Http404 from exc
    except services.StaleEntry:
        return entry_history(request, kind, pk, code, error=_(
            "Someone else changed this entry since you opened its history; nothing was "
            "reverted. Look at the latest changes below, then revert again if you still want "
            "to."))
    except ValidationError as problem:
        return entry_history(request, kind, pk, code, error=" ".join(problem.messages))
    messages.success(request, _("Reverted %(entry)s to the version of %(date)s.") % {
        "entry": entry, "date": record.history_date.strftime("%Y-%m-%d %H:%M")})
    return HttpResponseRedirect(_entry_url("history", entry_kind, state, entry.pk))

