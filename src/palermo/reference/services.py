"""Writes to reference data: the secretariat's participation import.

An import is validated whole first and applied all-or-nothing: one bad row and nothing changes;
every error is reported with its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from palermo.core import pagecache

from .models import Instrument, Participation, Source, State

COLUMNS = ["state", "instrument", "signature_date", "consent_date", "action", "source", "note"]
REQUIRED_COLUMNS = ["state", "instrument", "source"]
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


@dataclass
class RowError:
    row: int  # 1 is the header line; data starts at 2, as in a spreadsheet
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    state: State
    instrument: Instrument
    values: dict[str, Any]


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    return dt.date.fromisoformat(value)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValueError(_("The file is larger than 2 MB."))
    if b"\x00" in data:
        raise ValueError(_("This is not a text (CSV) file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The file is not encoded in UTF-8.")) from exc


def _check_row(line: int, raw: dict[str, str], lookups: dict[str, dict[str, Any]],
               errors: list[RowError]) -> _Row | None:
    before = len(errors)

    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    cells = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    for name in REQUIRED_COLUMNS:
        if not cells[name]:
            error(name, _("This column is required."))
    state = lookups["state"].get(cells["state"].upper())
    if cells["state"] and state is None:
        error("state", _("No State or organization has the code “%(code)s”.")
              % {"code": cells["state"]})
    instrument = lookups["instrument"].get(cells["instrument"].lower())
    if cells["instrument"] and instrument is None:
        error("instrument", _("No instrument has the code “%(code)s”.")
              % {"code": cells["instrument"]})
    source = lookups["source"].get(cells["source"])
    if cells["source"] and source is None:
        error("source", _("No source has the tag “%(tag)s”; add the source first.")
              % {"tag": cells["source"]})
    dates: dict[str, dt.date | None] = {}
    for column in ("signature_date", "consent_date"):
        try:
            dates[column] = _parse_date(cells[column])
        except ValueError:
            error(column, _("“%(value)s” is not a date in the form YYYY-MM-DD.")
                  % {"value": cells[column]})
    if cells["action"] and cells["action"] not in Participation.Action.values:
        error("action", _("The action must be one of: %(choices)s.")
              % {"choices": ", ".join(Participation.Action.values)})
    if len(cells["note"]) > 500:
        error("note", _("The note is longer than 500 characters."))
    values = {
        "signed_on": dates.get("signature_date"), "consent_on": dates.get("consent_date"),
        "action": cells["action"], "source": source, "note": cells["note"],
    }
    if instrument is not None and len(dates) == 2:
        # The model's own rules: dates in order, not in the future, an action with a date.
        try:
            Participation(instrument=instrument, **values).clean()
        except ValidationError as exc:
            names = {"signed_on": "signature_date", "consent_on": "consent_date"}
            for name, messages in exc.message_dict.items():
                for message in messages:
                    error(names.get(name, name), message)
    if len(errors) > before or state is None or instrument is None:
        return None
    return _Row(line, state, instrument, values)


def participation_validate(data: bytes) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    try:
        text = _decode(data)
    except ValueError as exc:
        return [], [RowError(0, "", str(exc))]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [RowError(1, name, _("The header has no column “%(name)s”.") % {"name": name})
                    for name in missing]
    unknown = [name for name in header if name not in COLUMNS]
    for name in unknown:
        errors.append(RowError(1, name, _("Unknown column “%(name)s”.") % {"name": name}))
    lookups: dict[str, dict[str, Any]] = {
        "state": {state.code: state for state in State.objects.all()},
        "instrument": {i.code: i for i in Instrument.objects.all()},
        "source": {source.tag: source for source in Source.objects.all()},
    }
    rows: list[_Row] = []
    seen: dict[tuple[int, int], int] = {}
    for index, raw in enumerate(reader):
        line = index + 2
        if index >= MAX_ROWS:
            errors.append(RowError(line, "", _("A file may hold at most %(max)d rows.")
                                   % {"max": MAX_ROWS}))
            break
        if None in raw:
            errors.append(RowError(line, "", _("This row has more cells than the header.")))
            continue
        row = _check_row(line, raw, lookups, errors)
        if row is None:
            continue
        key = (row.state.pk, row.instrument.pk)
        if key in seen:
            errors.append(RowError(line, "state", _(
                "This State and instrument are already in row %(row)d.") % {"row": seen[key]}))
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "", _("The file has no rows.")))
    return rows, errors


@transaction.atomic
def participation_import(*, data: bytes, reason: str = "") -> ImportResult:
    """Validate the whole file, then apply it; any error and nothing is changed."""
    rows, errors = participation_validate(data)
    result = ImportResult(errors=errors)
    if errors:
        return result
    existing = {
        (p.state_id, p.instrument_id): p
        for p in Participation.objects.select_related("source")
    }
    with pagecache.changes_deferred():
        _apply(rows, existing, result, reason)
    return result


def _apply(rows: list[_Row], existing: dict[tuple[int, int], Participation],
           result: ImportResult, reason: str) -> None:
    for row in rows:
        record = existing.get((row.state.pk, row.instrument.pk))
        if record is None:
            record = Participation(state=row.state, instrument=row.instrument, **row.values)
            result.created += 1
        elif all(getattr(record, name) == value for name, value in row.values.items()):
            result.unchanged += 1
            continue
        else:
            for name, value in row.values.items():
                setattr(record, name, value)
            result.updated += 1
        # Uniqueness was checked across the file and against the existing rows above.
        record.full_clean(validate_unique=False, validate_constraints=False)
        record.save()
        if reason:
            update_change_reason(record, reason[:100])
