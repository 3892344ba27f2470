"""The exchange format, defined once: record types, their fields, and how values are written.

Every file type (CSV, XLSX, JSON) carries the same records with the same field names. A
translated field ``name`` becomes one field per language (``name_en``, ``name_fr`` …); a list
is written as ``;``-separated codes in CSV and XLSX and as a list in JSON. docs/directory-
exchange.md describes the same thing for people; the tests check that the two agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

FORMAT_NAME = "palermo-directory"
FORMAT_VERSION = 1
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}


def languages() -> list[str]:
    return list(settings.MODELTRANSLATION_LANGUAGES)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, code, ref, list, bool, date, time, int, weekday
    required: bool = False
    translated: bool = False

    def columns(self) -> list[str]:
        if not self.translated:
            return [self.name]
        return [build_localized_fieldname(self.name, code) for code in languages()]


@dataclass(frozen=True)
class RecordType:
    name: str  # the value of the ``record`` column, the XLSX sheet's name
    fields: tuple[Field, ...]
    parent: str | None = None  # the record type it is nested under in JSON
    json_key: str = ""  # the key of its list in JSON

    def columns(self) -> list[str]:
        return [column for field in self.fields for column in field.columns()]


STATE = Field("state", "code", required=True)
AUTHORITY_REF = Field("authority_ref", "ref", required=True)
MEASURE = Field("measure", "code", required=True)
VISIBILITY = Field("visibility", "code", required=True)

AUTHORITY = RecordType("authority", (
    STATE, AUTHORITY_REF, Field("parent_ref", "ref"), Field("kind", "code", required=True),
    Field("name", translated=True), Field("acronym"), Field("street_address"),
    Field("postal_address"), Field("city"), Field("postal_code"),
    Field("time_zone", "code", required=True), Field("website"), Field("email"),
    Field("phone"), Field("fax"), Field("channels", "list"),
    Field("originals_required", "bool"), Field("urgent_channel", "code"),
    Field("urgent_contact"), Field("accepted_languages", "list"), VISIBILITY,
), json_key="authorities")
OFFICE_HOURS = RecordType("office_hours", (
    STATE, AUTHORITY_REF, Field("weekday", "weekday", required=True),
    Field("opens", "time", required=True), Field("closes", "time", required=True),
), parent="authority", json_key="office_hours")
DESIGNATION = RecordType("designation", (
    STATE, AUTHORITY_REF, Field("instrument", "code", required=True),
    Field("provision", "code", required=True), Field("function", "code", required=True),
    Field("scope_note", translated=True), Field("notified_on", "date"), Field("source"),
), parent="authority", json_key="designations")
CONTACT = RecordType("contact", (
    STATE, AUTHORITY_REF, Field("contact_ref", "ref", required=True),
    Field("name", required=True), Field("position"), Field("languages", "list"),
    Field("phone"), Field("email"), VISIBILITY,
), parent="authority", json_key="contacts")
PROFILE_SECTION = RecordType("profile_section", (
    STATE, MEASURE, Field("untoc_legal_basis", "code"), Field("dual_criminality", "code"),
    Field("languages", "list"), Field("channels", "list"),
    Field("summary", translated=True), Field("treaties", translated=True),
    Field("alternative_arrangements", translated=True),
    Field("urgent_procedure", translated=True), Field("costs", translated=True), VISIBILITY,
), json_key="profile_sections")
CHECKLIST_ITEM = RecordType("checklist_item", (
    STATE, MEASURE, Field("order", "int", required=True), Field("text", translated=True),
), parent="profile_section", json_key="checklist")
LAW_LINK = RecordType("law_link", (
    STATE, MEASURE, Field("title", required=True), Field("url", required=True),
), parent="profile_section", json_key="laws")

RECORD_TYPES: dict[str, RecordType] = {
    record.name: record for record in
    (AUTHORITY, OFFICE_HOURS, DESIGNATION, CONTACT, PROFILE_SECTION, CHECKLIST_ITEM, LAW_LINK)
}


def csv_columns() -> list[str]:
    """One CSV file holds every record type: ``record`` first, then every field once."""
    columns = ["record"]
    for record in RECORD_TYPES.values():
        columns += [column for column in record.columns() if column not in columns]
    return columns


def field_of(record: RecordType, column: str) -> Field | None:
    return _fields_by_column(record.name).get(column)


@cache
def _fields_by_column(record_name: str) -> dict[str, Field]:
    record = RECORD_TYPES[record_name]
    return {column: field for field in record.fields for column in field.columns()}


def to_cell(value: Any) -> str:
    """A value as text, for CSV and XLSX."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, dt.datetime):  # a spreadsheet's date cell is a datetime at midnight
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]
