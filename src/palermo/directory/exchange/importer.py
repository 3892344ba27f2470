"""Import of directory data: the whole file is validated first, then applied all-or-nothing.

Every error is reported with its record type, row (or JSON path) and column. Nothing is
deleted: entries that the file does not mention are left as they are. Writes go in bulk, so an
import runs a few dozen queries for a thousand records, not some for every record (SQLite's
limit on the parameters of one query splits the inserts into batches of a few dozen rows), and
each changed authority, contact and profile section gets a history record naming the user
and the reason, and a new version number.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.fields import TranslationFieldDescriptor
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from palermo.core import pagecache
from palermo.directory.models import (
    Authority,
    ChecklistItem,
    ContactPerson,
    Designation,
    LawLink,
    OfficeHours,
    ProfileSection,
)
from palermo.directory.search import index as search_index
from palermo.reference.models import Language, Provision, State

from .formats import FormatError, ReadError, Record, read
from .models import AuthorityKey, ContactKey
from .schema import (
    FALSE_WORDS,
    RECORD_TYPES,
    REF_PATTERN,
    TRUE_WORDS,
    WEEKDAYS,
    RecordType,
    split_list,
)

ExchangeError = ReadError
DEFAULT_AUTHORITY_REF = re.compile(r"^A([1-9]\d*)$")
DEFAULT_CONTACT_REF = re.compile(r"^C([1-9]\d*)$")
CHUNK = 5000  # ids per IN (…) list: SQLite limits the parameters of one query


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    errors: list[ExchangeError] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())


@dataclass
class Row:
    record: Record
    state: State
    values: dict[str, Any]  # model attributes
    languages: list[int] | None = None  # ids, for the many-to-many field
    extra: dict[str, Any] = field(default_factory=dict)  # refs, measure, provision …
    entry: Any = None  # the values as validated (an _Entry), reused to write a new row


# Kinds whose typed value depends on the text alone and cannot be changed afterwards (not
# lists): typed once per distinct text (see _Checker.parse).
TYPED_KEPT = frozenset({"code", "ref", "weekday", "time", "date", "bool", "int"})
MISSING = object()
TIME = re.compile(r"(\d{1,2}):(\d{2})(:00)?")
BOOL_WORDS = TRUE_WORDS | FALSE_WORDS


def _parse_time(raw: str) -> dt.time:
    match = TIME.fullmatch(raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(_("Write the time as HH:MM, for example 09:30."))
    return dt.time(int(match[1]), int(match[2]))


def _same(a: Any, b: Any) -> bool:
    """Equal, counting an empty translation (None) and empty text as the same."""
    return a == b or (a in (None, "") and b in (None, ""))


def _in_chunks(queryset: Any, lookup: str, ids: Any) -> list[Any]:
    """``queryset.filter(<lookup>__in=ids)``, a few thousand ids per query."""
    ids = sorted(ids)
    return [item for start in range(0, len(ids), CHUNK)
            for item in queryset.filter(**{f"{lookup}__in": ids[start:start + CHUNK]})]


def _snapshots(model: type[models.Model], lookup: str, ids: Any) -> list[Any]:
    """The rows whose ``lookup`` is one of ``ids``, as :class:`_Entry` objects holding what a
    model instance would give (every column, and a translated field's own name giving the
    active language's text, as modeltranslation's descriptor does), read as plain values:
    comparing a file with the directory reads every row, and building a model instance for
    each costs more than the comparison."""
    names = [f.attname for f in model._meta.concrete_fields]
    pk_name = model._meta.pk.attname
    translated = _translated(model)
    # A plain QuerySet: modeltranslation's would read "name" as "name_<language>".
    rows: Any = models.QuerySet(model=model).order_by().values_list(*names)
    found = []
    for values in _in_chunks(rows, lookup, ids):
        entry = _Entry(dict(zip(names, values, strict=True)))
        for name, descriptor in translated:
            entry.__dict__[name] = descriptor.__get__(entry, model)
        entry.pk = entry.__dict__[pk_name]
        found.append(entry)
    return found


def _instances(model: type[models.Model], pks: list[Any]) -> dict[Any, Any]:
    """Model instances by id, a few thousand ids per query."""
    return {instance.pk: instance for instance in _in_chunks(model._default_manager.all(),
                                                             "pk", pks)}


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class _Entry:
    """A row as the attributes a model instance would have, without building the instance
    (whose construction, with the translated fields, costs more than the rest of the work)."""

    pk: Any

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.__dict__.update(attributes)


@cache
def _concrete_defaults(model: type[models.Model]) -> tuple[tuple[str, Any, bool], ...]:
    """(attname, default, callable?) of every column, as a new instance would hold them."""
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.has_default() and callable(model_field.default):
            found.append((model_field.attname, model_field.get_default, True))
        else:
            found.append((model_field.attname, model_field.get_default(), False))
    return tuple(found)


@cache
def _translated(model: type[models.Model]) -> tuple[tuple[str, Any], ...]:
    """The translated fields' own names and descriptors: ``name`` reads ``name_<language>``
    of the active language, then the fallback language, as modeltranslation does."""
    return tuple((name, model.__dict__[name]) for name in
                 (f.name for f in model._meta.concrete_fields)
                 if isinstance(model.__dict__.get(name), TranslationFieldDescriptor))


def _entry(model: type[models.Model], values: dict[str, Any], **relations: Any) -> Any:
    fixed, made, related_fields, pk_name = _entry_plan(model)
    attributes = dict(fixed)
    for name, make in made:
        attributes[name] = make()
    attributes.update(values)
    for name, related in relations.items():
        attributes[name] = related
        attributes[f"{name}_id"] = None if related is None else related.pk
    for name, attname in related_fields:  # a relation not given reads as None, as on a model
        if name not in attributes and attributes[attname] is None:
            attributes[name] = None
    entry = _Entry({})
    entry.__dict__ = attributes
    for name, descriptor in _translated(model):
        attributes[name] = descriptor.__get__(entry, model)
    entry.pk = attributes[pk_name]
    return entry


@cache
def _entry_plan(model: type[models.Model]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...],
                                                    tuple[tuple[str, str], ...], str]:
    """A new row's fixed defaults, its defaults made anew each time, its relations, its id."""
    fixed = {name: default for name, default, is_callable in _concrete_defaults(model)
             if not is_callable}
    made = tuple((name, default) for name, default, is_callable in _concrete_defaults(model)
                 if is_callable)
    related = tuple((f.name, f.attname) for f in model._meta.concrete_fields if f.is_relation)
    return fixed, made, related, model._meta.pk.attname


def _clean(model: type[models.Model], entry: Any, values: dict[str, Any],
           relations: dict[str, Any]) -> None:
    """The model's clean() on the values; on a real instance if it reads more than they have."""
    try:
        model.clean(entry)
    except AttributeError:
        model(**values, **relations).clean()


# Verdicts kept per field: enough for the values that repeat (kinds, time zones, hours); a
# field whose values are all different (names, telephone numbers) stops being remembered.
VERDICTS_KEPT = 5000
NO_ERRORS: list[ValidationError] = []  # shared, never changed


def _field_errors(model_field: Any, raw: Any, entry: Any) -> list[ValidationError]:
    """``field.clean`` of a value: the errors it raises (none for most)."""
    try:
        model_field.clean(raw, entry)
    except ValidationError as exc:
        return list(exc.error_list)
    return NO_ERRORS


@cache
def _text_fields(model: type[models.Model]) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.fields
                 if isinstance(f, models.TextField) and f.max_length)


@cache
def _cleaned_fields(model: type[models.Model], exclude: tuple[str, ...]) -> tuple[Any, ...]:
    """The fields ``full_clean(exclude=...)`` checks, in its order."""
    return tuple(f for f in model._meta.fields
                 if f.name not in exclude and not getattr(f, "generated", False))


# Writing new rows in bulk. Django's bulk_create prepares every value of every row through
# the compiler (most of an import's time); here each table gets one INSERT statement, run
# for thousands of rows at once, with the values adapted only where the database needs it.

_AS_IS = frozenset({"CharField", "TextField", "EmailField", "URLField", "SlugField",
                    "IntegerField", "BigIntegerField", "SmallIntegerField",
                    "PositiveIntegerField", "PositiveSmallIntegerField",
                    "PositiveBigIntegerField", "BooleanField", "ForeignKey", "OneToOneField",
                    "AutoField", "BigAutoField", "SmallAutoField"})
INSERT_BATCH = 2000


def _adapter(model_field: Any) -> Any:
    """None where a str, int or bool goes to the database as it is; else the field's own
    preparation (dates, times, JSON)."""
    if model_field.get_internal_type() in _AS_IS:
        return None
    return partial(model_field.get_db_prep_save, connection=connection)


@cache
def _insert_fields(model: type[models.Model], with_pk: bool) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.local_concrete_fields
                 if with_pk or not f.primary_key or not isinstance(f, models.AutoField))


@cache
def _timestamps(model: type[models.Model]) -> tuple[str, ...]:
    """Fields Django sets on save (auto_now, auto_now_add): the import's time here."""
    return tuple(f.attname for f in model._meta.concrete_fields
                 if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _needs_ids(model: type[models.Model]) -> bool:
    """Rows others point at, or that get history: their ids are known before they are written."""
    return model in (Authority, ContactPerson, ProfileSection, Designation)


def _getter(names: tuple[str, ...]) -> Any:
    """A function giving the tuple of these keys' values (one or many)."""
    if len(names) == 1:
        return lambda mapping: (mapping[names[0]],)
    return itemgetter(*names)


def _insert(model: type[models.Model], names: tuple[str, ...], rows: Any) -> None:
    """INSERT rows (sequences of values, in the order of ``names``, attribute names)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    adapters = [_adapter(f) for f in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the models, quoted; the values are parameters.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    # Most prepared values repeat (the import's time, opening hours, lists of channels):
    # each distinct one is prepared once.
    adapted: list[tuple[int, Any, dict[Any, Any]]] = [
        (index, adapt, {}) for index, adapt in enumerate(adapters) if adapt is not None]

    def prepare(adapt: Any, known: dict[Any, Any], value: Any) -> Any:
        if value is None:
            return value
        key = (type(value), tuple(value) if isinstance(value, list) else value)
        try:
            return known[key]
        except KeyError:
            known[key] = result = adapt(value)
            return result
        except TypeError:  # not hashable
            return adapt(value)

    with connection.cursor() as cursor:
        batch: list[Any] = []
        for row in rows:
            if adapted:
                row = list(row)
                for index, adapt, known in adapted:
                    row[index] = prepare(adapt, known, row[index])
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _new_ids(model: type[models.Model], count: int) -> list[int] | None:
    """``count`` new ids of the table, reserved; None on a database where we cannot."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Take the write lock first (inside the import's transaction), so that no other
            # connection inserts into the table between reading its highest id and writing.
            cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)  # AUTOINCREMENT: never reused
            return list(range(highest + 1, highest + 1 + count))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
    return None


class _Context:
    """Everything validation and application look up, read once for the States in the file."""

    def __init__(self, codes: set[str]) -> None:
        self.states = {s.code: s for s in State.objects.filter(code__in=codes)}
        ids = [s.pk for s in self.states.values()]
        self.provisions = {(p.instrument.code, p.code): p
                           for p in Provision.objects.select_related("instrument")}
        self.instruments = {code for code, _ in self.provisions}
        self.languages = dict(Language.objects.values_list("code", "pk"))
        self.authority_keys = {(state_id, ref): pk for pk, state_id, ref in
                               AuthorityKey.objects.filter(state_id__in=ids)
                               .values_list("authority_id", "state_id", "ref")}
        self.keyed_authorities = set(self.authority_keys.values())
        self.authority_states = dict(Authority.objects.filter(state_id__in=ids)
                                     .values_list("pk", "state_id"))
        self.contact_keys = {(state_id, ref): pk for pk, state_id, ref in
                             ContactKey.objects.filter(state_id__in=ids)
                             .values_list("contact_id", "state_id", "ref")}
        self.keyed_contacts = set(self.contact_keys.values())
        self.contact_states = dict(ContactPerson.objects.filter(authority__state_id__in=ids)
                                   .values_list("pk", "authority__state_id"))
        self.sections = {(state_id, measure): pk for pk, state_id, measure in
                         ProfileSection.objects.filter(state_id__in=ids)
                         .values_list("pk", "state_id", "measure")}

    def existing_authority(self, state: State, ref: str) -> int | None:
        pk = self.authority_keys.get((state.pk, ref))
        if pk is not None:
            return pk
        match = DEFAULT_AUTHORITY_REF.match(ref)
        if match and self.authority_states.get(int(match[1])) == state.pk \
                and int(match[1]) not in self.keyed_authorities:
            return int(match[1])
        return None

    def existing_contact(self, state: State, ref: str) -> int | None:
        pk = self.contact_keys.get((state.pk, ref))
        if pk is not None:
            return pk
        match = DEFAULT_CONTACT_REF.match(ref)
        if match and self.contact_states.get(int(match[1])) == state.pk \
                and int(match[1]) not in self.keyed_contacts:
            return int(match[1])
        return None


class _Checker:
    def __init__(self, context: _Context, allowed: set[int] | None) -> None:
        self.context = context
        self.allowed = allowed  # State ids the importer may write, None for any
        self.errors: list[ExchangeError] = []
        self.rows: dict[str, list[Row]] = defaultdict(list)
        # (record type, row) -> the (row, column) pairs already reported, as model_errors
        # reads them; and each field's verdict on each value seen (see _field_errors).
        self.reported: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.field_cache: dict[str, dict[Any, list[ValidationError]]] = {}
        self.plans: dict[Any, list[Any]] = {}
        self.last_entry: Any = None
        self.typed_cache: dict[tuple[str, bool, str], Any] = {}
        # Whether a cell may hold a NUL character (see validate); if not, none is looked for.
        self.nul_possible = True

    def error(self, record: Record, column: str, message: str) -> None:
        self.errors.append(ExchangeError(record.type, record.row, column, message))
        self.reported.setdefault((record.type, record.row), set()).add((record.row, column))

    def parse(self, record: Record) -> tuple[State | None, dict[str, Any]]:
        """The record's values typed by the schema (an empty value where one is wrong)."""
        typed: dict[str, Any] = {}
        values = record.values
        if self.nul_possible:
            for column, raw in values.items():
                if "\x00" in raw:  # databases refuse it in text; it is never meant
                    self.error(record, column, _("This cell holds a NUL character."))
                    values[column] = raw.replace("\x00", "")
        for name, kind, required, columns in _parse_plan(record.type):
            if columns:  # a translated field: its text in each language, as it is
                for column in columns:
                    typed[column] = values.get(column, "")
                continue
            raw = values.get(name, "")
            if required and not raw:
                self.error(record, name, _("This field is required."))
            if kind == "text":  # most fields: the text as it is ("" when empty)
                typed[name] = raw
            elif kind in TYPED_KEPT:  # codes, references, days, times: each text typed once
                key = (kind, name == "state", raw)
                value = self.typed_cache.get(key, MISSING)
                if value is MISSING:
                    value = self._typed(record, name, kind, raw)
                    if value is not None or not raw:  # not an error (errors are per record)
                        self.typed_cache[key] = value
                typed[name] = value
            else:
                typed[name] = self._typed(record, name, kind, raw)
        state = self.context.states.get(typed.get("state") or "")
        if typed.get("state") and state is None:
            self.error(record, "state", _("No State or organization has the code “%(code)s”.")
                       % {"code": typed["state"]})
        elif state is not None and self.allowed is not None and state.pk not in self.allowed:
            self.error(record, "state", _(
                "This record belongs to %(code)s; this import is for another State.")
                % {"code": state.code})
        return state, typed

    def _typed(self, record: Record, column: str, kind: str, raw: str) -> Any:
        try:
            if kind == "list":
                return split_list(raw)
            if kind == "bool":
                if raw.lower() not in BOOL_WORDS:
                    raise ValueError(_("Write true or false."))
                return raw.lower() in TRUE_WORDS
            if not raw:
                return "" if kind in ("text", "code", "ref") else None
            if kind == "date":
                return dt.date.fromisoformat(raw) if raw else None
            if kind == "time":
                return _parse_time(raw)
            if kind == "int":
                if not raw.isdigit():
                    raise ValueError(_("Write a whole number, such as 1."))
                return int(raw)
            if kind == "weekday":
                if raw.lower() not in WEEKDAYS:
                    raise ValueError(_("Write the day as one of: %(days)s.")
                                     % {"days": ", ".join(WEEKDAYS)})
                return WEEKDAYS.index(raw.lower())
            if kind == "ref" and raw and not REF_PATTERN.match(raw):
                raise ValueError(_("A reference has 1 to 64 letters, digits, dots, hyphens "
                                   "or underscores, and starts with a letter or digit."))
            if kind == "code" and column == "state":
                return raw.upper()
            return raw
        except ValueError as exc:
            message = str(exc) if kind != "date" else _(
                "“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": raw}
            self.error(record, column, message)
            return None

    def language_ids(self, record: Record, column: str, codes: list[str]) -> list[int]:
        ids = []
        for code in codes:
            pk = self.context.languages.get(code.lower())
            if pk is None:
                self.error(record, column, _("No language has the code “%(code)s”.")
                           % {"code": code})
            else:
                ids.append(pk)
        return ids

    def model_errors(self, record: Record, model: type[models.Model], values: dict[str, Any],
                     exclude: list[str], columns: dict[str, str] | None = None,
                     **relations: Any) -> None:
        """The model's own rules (choices, lengths, e-mail, URL, E.164, order of times).

        What ``full_clean`` (without unique checks and constraints) would say of the instance
        built from ``values``, in the same words, without building one: each field's validation
        is done once per distinct value and remembered for the rest of the file.
        """
        entry = self.last_entry = _entry(model, values, **relations)
        for model_field in _text_fields(model):
            # Django checks the length of a TextField only in forms: check it here too.
            value = getattr(entry, model_field.attname, None)
            if isinstance(value, str) and len(value) > model_field.max_length:
                self.error(record, (columns or {}).get(model_field.name, model_field.name),
                           ngettext("At most %(max)d character; this has %(length)d.",
                                    "At most %(max)d characters; this has %(length)d.",
                                    model_field.max_length)
                           % {"max": model_field.max_length, "length": len(value)})
        errors: dict[str, list[ValidationError]] = {}
        attributes = entry.__dict__
        for attname, blank, empty, model_field, known in self._cleaned(model, tuple(exclude)):
            raw = attributes[attname]
            if blank and raw in empty:
                continue
            try:  # the field's verdict on this value, if it was seen before
                key = raw if type(raw) is str else (
                    type(raw), tuple(raw) if isinstance(raw, list) else raw)
                problems = known.get(key)
            except TypeError:  # a value that cannot be remembered: check it every time
                key, problems = None, None
            if problems is None:
                problems = _field_errors(model_field, raw, entry)
                if key is not None and len(known) < VERDICTS_KEPT:
                    known[key] = problems
            if problems:
                errors[model_field.name] = list(problems)  # clean() may add to it
        if model.clean is not models.Model.clean:  # the model's own clean(), on the values
            try:
                _clean(model, entry, values, relations)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if not errors:
            return
        reported = set(self.reported.get((record.type, record.row), ()))
        for name, messages in ValidationError(errors).message_dict.items():
            column = (columns or {}).get(name, name if name != "__all__" else "")
            if (record.row, column) in reported:
                continue  # already said, in the words of the format
            for message in messages:
                self.error(record, column, message)

    def _cleaned(self, model: type[models.Model], exclude: tuple[str, ...]) -> list[Any]:
        """The fields full_clean checks, each with its verdicts on the values seen so far:
        (attname, blank, empty values, field, verdicts)."""
        plan = self.plans.get((model, exclude))
        if plan is None:
            plan = self.plans[(model, exclude)] = [
                (model_field.attname, model_field.blank, model_field.empty_values, model_field,
                 self.field_cache.setdefault(f"{model._meta.label}.{model_field.attname}", {}))
                for model_field in _cleaned_fields(model, exclude)]
        return plan

    def names_present(self, record: Record, typed: dict[str, Any], name: str) -> None:
        if not any(typed.get(column) for column in _record_columns(record.type)
                   if column.startswith(f"{name}_")):
            self.error(record, f"{name}_en", _("Give the %(field)s in at least one language.")
                       % {"field": name})


TRANSLATED_EXCLUDE = {
    "authority": ["state", "parent", "name", "accepted_languages", "time_zone"],
    "contact": ["authority", "languages"],
    "profile_section": ["state", "languages"],
}


def _model_values(schema: RecordType, typed: dict[str, Any], skip: set[str],
                  renames: dict[str, str] | None = None) -> dict[str, Any]:
    plan = _values_plan(schema.name, frozenset(skip), tuple((renames or {}).items()))
    return {name: typed[column] for column, name in plan}


@cache
def _values_plan(record_type: str, skip: frozenset[str],
                 renames: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(column, model attribute) of the columns a record type gives its model."""
    names = dict(renames)
    return tuple((column, names.get(column, column))
                 for schema_field in RECORD_TYPES[record_type].fields
                 for column in _field_columns(schema_field)
                 if schema_field.name not in skip and column not in skip)


@cache
def _parse_plan(record_type: str) -> tuple[tuple[str, str, bool, tuple[str, ...]], ...]:
    """(name, kind, required, columns of a translated field or ()) of each field."""
    return tuple((f.name, f.kind, f.required, _field_columns(f) if f.translated else ())
                 for f in RECORD_TYPES[record_type].fields)


@cache
def _field_columns(schema_field: Any) -> tuple[str, ...]:
    return tuple(schema_field.columns())


@cache
def _record_columns(record_type: str) -> tuple[str, ...]:
    return tuple(RECORD_TYPES[record_type].columns())


@cache
def _nullable(model: type[models.Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.fields if f.null)


def _nullify(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Empty translations are stored as NULL, as modeltranslation stores them."""
    nullable = _nullable(model)
    for name, value in values.items():
        if value == "" and name in nullable:
            values[name] = None
    return values


def _check_authority(checker: _Checker, record: Record, state: State | None,
                     typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    checker.names_present(record, typed, "name")
    if typed["time_zone"] and typed["time_zone"] not in _time_zones():
        checker.error(record, "time_zone", _(
            "“%(value)s” is not a time zone of the IANA database, such as Europe/Vienna.")
            % {"value": typed["time_zone"]})
    language_ids = checker.language_ids(record, "accepted_languages",
                                        typed["accepted_languages"])
    values = _nullify(Authority, _model_values(RECORD_TYPES["authority"], typed,
                           {"state", "authority_ref", "parent_ref", "accepted_languages"}))
    values["name"] = typed.get("name_en") or next(
        (typed[c] for c in _record_columns("authority") if c.startswith("name_")
         and typed[c]), "")
    checker.model_errors(record, Authority, values, TRANSLATED_EXCLUDE["authority"],
                         state=state)
    if typed["parent_ref"] and typed["parent_ref"] == typed["authority_ref"]:
        checker.error(record, "parent_ref", _("An authority cannot be part of itself."))
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, language_ids,
               {"ref": typed["authority_ref"], "parent_ref": typed["parent_ref"]})


def _check_office_hours(checker: _Checker, record: Record, state: State | None,
                        typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    values = {"weekday": typed["weekday"], "opens": typed["opens"], "closes": typed["closes"]}
    if None not in values.values():
        checker.model_errors(record, OfficeHours, values, ["authority"])
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, None, {"ref": typed["authority_ref"]})


def _check_designation(checker: _Checker, record: Record, state: State | None,
                       typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    instrument = typed["instrument"].lower()
    provision = checker.context.provisions.get((instrument, typed["provision"].lower()))
    if not instrument or not typed["provision"]:
        provision = None  # already reported as required
    elif instrument not in checker.context.instruments:
        checker.error(record, "instrument", _("No instrument has the code “%(code)s”.")
                      % {"code": typed["instrument"]})
    elif provision is None:
        checker.error(record, "provision", _(
            "The instrument %(instrument)s has no provision with the code “%(code)s”.")
            % {"instrument": instrument, "code": typed["provision"]})
    values = _nullify(Designation, _model_values(RECORD_TYPES["designation"], typed,
                           {"state", "authority_ref", "instrument", "provision"}))
    checker.model_errors(record, Designation, values, ["authority", "provision"])
    if len(checker.errors) > before or provision is None or state is None:
        return None
    return Row(record, state, values, None, {"ref": typed["authority_ref"],
                                             "provision": provision.pk})


def _check_contact(checker: _Checker, record: Record, state: State | None,
                   typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    language_ids = checker.language_ids(record, "languages", typed["languages"])
    values = _nullify(ContactPerson, _model_values(RECORD_TYPES["contact"], typed,
                           {"state", "authority_ref", "contact_ref", "languages"}))
    checker.model_errors(record, ContactPerson, values, TRANSLATED_EXCLUDE["contact"])
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, language_ids,
               {"ref": typed["authority_ref"], "contact_ref": typed["contact_ref"]})


def _check_section(checker: _Checker, record: Record, state: State | None,
                   typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    language_ids = checker.language_ids(record, "languages", typed["languages"])
    values = _nullify(ProfileSection, _model_values(RECORD_TYPES["profile_section"], typed,
                                                     {"state", "languages"}))
    checker.model_errors(record, ProfileSection, values,
                         TRANSLATED_EXCLUDE["profile_section"], state=state)
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, language_ids, {"measure": typed["measure"]})


def _check_checklist(checker: _Checker, record: Record, state: State | None,
                     typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    checker.names_present(record, typed, "text")
    values = _nullify(ChecklistItem, _model_values(
        RECORD_TYPES["checklist_item"], typed, {"state", "measure"}, {"order": "position"}))
    checker.model_errors(record, ChecklistItem, values, ["section", "text"],
                         {"position": "order"})
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, None, {"measure": typed["measure"]})


def _check_law(checker: _Checker, record: Record, state: State | None,
               typed: dict[str, Any]) -> Row | None:
    before = len(checker.errors)
    values = {"title": typed["title"], "url": typed["url"]}
    checker.model_errors(record, LawLink, values, ["section"])
    if len(checker.errors) > before or state is None:
        return None
    return Row(record, state, values, None, {"measure": typed["measure"]})


CHECKS = {
    "authority": _check_authority, "office_hours": _check_office_hours,
    "designation": _check_designation, "contact": _check_contact,
    "profile_section": _check_section, "checklist_item": _check_checklist,
    "law_link": _check_law,
}


def _key(row: Row) -> tuple[Any, ...]:
    """What identifies a record within its State: two records with one key are an error."""
    record, extra, values = row.record.type, row.extra, row.values
    if record == "authority":
        return (extra["ref"],)
    if record == "office_hours":
        return (extra["ref"], values["weekday"], values["opens"])
    if record == "designation":
        return (extra["ref"], extra["provision"], values["function"])
    if record == "contact":
        return (extra["contact_ref"],)
    if record == "profile_section":
        return (extra["measure"],)
    if record == "checklist_item":
        return (extra["measure"], values["position"])
    return (extra["measure"], values["url"])


DECLARING = {"authority": "authority_ref", "profile_section": "measure"}


def _declared(record: Record) -> tuple[str, str]:
    """(State code, key) of an authority or profile section, correct or not: a record that
    refers to one with errors of its own gets no second error for it."""
    values = record.values
    return (values.get("state", "").strip().upper(),
            values.get(DECLARING[record.type], "").strip())


def _check_references(checker: _Checker, in_file: set[tuple[str, str]],
                      sections: set[tuple[str, str]]) -> None:
    context = checker.context

    def authority_known(row: Row, ref: str) -> bool:
        return (row.state.code, ref) in in_file or \
            context.existing_authority(row.state, ref) is not None

    for row in checker.rows["authority"]:
        parent = row.extra["parent_ref"]
        if parent and not authority_known(row, parent):
            checker.error(row.record, "parent_ref", _(
                "No authority of %(state)s has the reference “%(ref)s”.")
                % {"state": row.state.code, "ref": parent})
    _check_cycles(checker)
    for record_type in ("office_hours", "designation", "contact"):
        for row in checker.rows[record_type]:
            if not authority_known(row, row.extra["ref"]):
                checker.error(row.record, "authority_ref", _(
                    "No authority of %(state)s has the reference “%(ref)s”.")
                    % {"state": row.state.code, "ref": row.extra["ref"]})
    for record_type in ("checklist_item", "law_link"):
        for row in checker.rows[record_type]:
            if (row.state.code, row.extra["measure"]) not in sections and \
                    (row.state.pk, row.extra["measure"]) not in context.sections:
                checker.error(row.record, "measure", _(
                    "%(state)s has no profile section for the measure “%(measure)s”; add a "
                    "profile_section record for it.")
                    % {"state": row.state.code, "measure": row.extra["measure"]})


def _check_cycles(checker: _Checker) -> None:
    parents = {(row.state.pk, row.extra["ref"]): row.extra["parent_ref"]
               for row in checker.rows["authority"]}
    for row in checker.rows["authority"]:
        seen = {row.extra["ref"]}
        ref = row.extra["parent_ref"]
        while ref and (row.state.pk, ref) in parents:
            if ref in seen:
                checker.error(row.record, "parent_ref", _(
                    "These authorities are each part of the other."))
                break
            seen.add(ref)
            ref = parents[(row.state.pk, ref)]


def validate(records: list[Record], *, allowed: set[int] | None,
             read_errors: list[ExchangeError] | None = None,
             nul_possible: bool = True) -> tuple[_Checker, _Context]:
    """``nul_possible`` False: the file holds no NUL character, so no cell is searched for one."""
    codes = {r.values.get("state", "").strip().upper() for r in records}
    context = _Context(codes)
    checker = _Checker(context, allowed)
    checker.nul_possible = nul_possible
    for read_error in read_errors or []:
        checker.errors.append(read_error)
        checker.reported.setdefault((read_error.record, read_error.row), set()).add(
            (read_error.row, read_error.column))
    seen: dict[tuple[Any, ...], str] = {}
    declared: dict[str, set[tuple[str, str]]] = {name: set() for name in DECLARING}
    for record in records:
        before = len(checker.errors)
        checker.last_entry = None
        state, typed = checker.parse(record)
        if record.type in DECLARING:
            declared[record.type].add(_declared(record))
        row = CHECKS[record.type](checker, record, state, typed)
        record.values = {}  # read: what is kept is typed in the row (memory for large files)
        if row is not None:
            row.entry = checker.last_entry
        if row is None or state is None or len(checker.errors) > before:
            continue
        key = (record.type, state.pk, *_key(row))
        if key in seen:
            checker.error(record, "", _("This record repeats the one in row %(row)s.")
                          % {"row": seen[key]})
            continue
        seen[key] = record.row
        checker.rows[record.type].append(row)
    _check_references(checker, declared["authority"], declared["profile_section"])
    if not records and not checker.errors:
        checker.errors.append(ExchangeError("", "", "", _("The file holds no records.")))
    return checker, context


def import_file(*, data: bytes, fmt: str, user: Any, state: State | None, reason: str,
                dry_run: bool = False, max_bytes: int | None = None) -> ImportResult:
    """Validate the whole file and apply it; any error and nothing changes.

    ``state`` is the State imported for; None (the secretariat only) takes each record's own.
    With ``dry_run`` the changes are made and rolled back, to show what would change.
    ``max_bytes`` is the largest file taken (by default the import page's limit,
    PALERMO_IMPORT_MAX_BYTES; ``palermo import_directory`` takes larger ones).
    """
    with _collector_paused():
        return _import(data=data, fmt=fmt, user=user, state=state, reason=reason,
                       dry_run=dry_run, max_bytes=max_bytes)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is imported: the import makes millions of
    small objects that live until it ends, and the collector would go through all of them
    again and again (a quarter of the time of a large import). Memory is freed as usual
    meanwhile; only reference cycles wait until the collector runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(*, data: bytes, fmt: str, user: Any, state: State | None, reason: str,
            dry_run: bool, max_bytes: int | None) -> ImportResult:
    try:
        records, read_errors = read(fmt, data, max_bytes=max_bytes)
    except FormatError as exc:
        return ImportResult(errors=[ExchangeError("", "", "", str(exc))])
    allowed = None if state is None else {state.pk}
    with transaction.atomic():
        # A NUL character comes as itself in CSV, as \u0000 in JSON; XLSX is compressed.
        nul_possible = fmt not in ("csv", "json") or b"\x00" in data or b"\\u0000" in data
        checker, context = validate(records, allowed=allowed, read_errors=read_errors,
                                    nul_possible=nul_possible)
        result = ImportResult(errors=checker.errors)
        if result.errors:
            return result
        with pagecache.changes_deferred(), search_index.indexing_deferred():
            _Applier(checker, context, user, reason or _("import"), result).run()
        result.applied = not dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result


class _Applier:
    def __init__(self, checker: _Checker, context: _Context, user: Any, reason: str,
                 result: ImportResult) -> None:
        self.rows = checker.rows
        self.context = context
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.reason = reason[:100]
        self.result = result
        self.now = timezone.now()
        self.authority_ids: dict[tuple[int, str], int] = {}
        self.touched: set[int] = set()
        self.created: set[tuple[str, int]] = set()
        self.written: dict[str, list[Any]] = defaultdict(list)  # created or updated

    def counts(self, record_type: str) -> Counts:
        return self.result.counts.setdefault(record_type, Counts())

    def run(self) -> None:
        self.authorities()
        self.office_hours()
        self.designations()
        self.contacts()
        self.sections()
        search_index.schedule(self.touched)

    def authority_id(self, state_id: int, ref: str) -> int:
        if (state_id, ref) not in self.authority_ids:
            state = next(s for s in self.context.states.values() if s.pk == state_id)
            pk = self.context.existing_authority(state, ref)
            assert pk is not None  # references were checked
            self.authority_ids[(state_id, ref)] = pk
        return self.authority_ids[(state_id, ref)]

    def new(self, model: type[models.Model], row: Row, values: dict[str, Any],
            **relations: Any) -> Any:
        """A row to create, as attributes (see :class:`_Entry`); written by :meth:`insert`.
        The entry made when the row was validated is completed (the same values, with the
        ids of what it belongs to)."""
        if row.entry is not None:
            entry = row.entry
            entry.__dict__.update(values)
        else:
            entry = _entry(model, values, **relations)
        for name in _timestamps(model):
            entry.__dict__[name] = self.now
        return entry

    def insert(self, model: type[models.Model], entries: list[Any], history: bool) -> None:
        """Create rows in bulk with their history records: one prepared INSERT per table,
        run for many rows at once, the ids taken from the table's sequence first."""
        ids = _new_ids(model, len(entries)) if history or _needs_ids(model) else []
        if ids is None:  # a database without a known way to reserve ids: Django's bulk_create
            instances = [model(**{name: entry.__dict__[name] for name, _, _ in
                                  _concrete_defaults(model)}) for entry in entries]
            self.save(model, instances, [], [], history)
            for entry, instance in zip(entries, instances, strict=True):
                entry.pk = entry.__dict__[model._meta.pk.attname] = instance.pk
            return
        for entry, pk in zip(entries, ids, strict=False):
            entry.pk = entry.__dict__[model._meta.pk.attname] = pk
        names = tuple(f.attname for f in _insert_fields(model, with_pk=bool(ids)))
        values = _getter(names)
        _insert(model, names, (values(entry.__dict__) for entry in entries))
        if history:
            self.history(model, entries)

    def history(self, model: type[models.Model], entries: list[Any]) -> None:
        """The history record of each created row, as simple_history's bulk_history_create
        writes it (history type "+", the importing user, the reason, one date)."""
        historical = model.history.model  # type: ignore[attr-defined]
        user = self.user or historical.get_default_history_user(entries[0])
        special = {"history_date": self.now, "history_change_reason": self.reason,
                   "history_type": "+", "history_user_id": getattr(user, "pk", None)}
        tracked = tuple(f.attname for f in _insert_fields(historical, with_pk=False)
                        if f.attname not in special)
        values, added = _getter(tracked), tuple(special.values())
        _insert(historical, tracked + tuple(special), (
            values(entry.__dict__) + added for entry in entries))

    def save(self, model: type[models.Model], created: list[Any], updated: list[Any],
             fields: list[str], history: bool) -> None:
        if created and isinstance(created[0], _Entry):
            self.insert(model, created, history)
        elif created:
            if history:
                bulk_create_with_history(created, model, batch_size=500, default_user=self.user,
                                         default_change_reason=self.reason,
                                         default_date=self.now)
            else:
                model._default_manager.bulk_create(created, batch_size=500)
        if updated:
            if history:
                bulk_update_with_history(updated, model, fields, batch_size=500,
                                         default_user=self.user,
                                         default_change_reason=self.reason,
                                         default_date=self.now)
            else:
                model._default_manager.bulk_update(updated, fields, batch_size=500)

    def upsert(self, record_type: str, model: type[models.Model], rows: list[Row],
               existing: dict[Any, Any], key: Any, build: Any, history: bool,
               versioned: bool) -> list[tuple[Row, Any]]:
        """Create the rows not found, update those that differ; (row, instance) pairs."""
        counts = self.counts(record_type)
        created: list[Any] = []
        updated: list[Any] = []
        pairs: list[tuple[Row, Any]] = []
        fields: set[str] = set()
        differing: list[tuple[int, list[str]]] = []
        for row in rows:
            instance = existing.get(key(row))
            if instance is None:
                instance = build(row)
                created.append(instance)
                counts.created += 1
            else:
                changed = [n for n, v in row.values.items() if not _same(getattr(instance, n), v)]
                if changed:
                    differing.append((len(pairs), changed))
            pairs.append((row, instance))
        # Existing rows are read as snapshots (see _snapshots); the few that change are read
        # again as model instances, changed and saved with their history.
        instances = _instances(model, [pairs[index][1].pk for index, _ in differing])
        for index, changed in differing:
            row, instance = pairs[index][0], instances[pairs[index][1].pk]
            for name in changed:
                setattr(instance, name, row.values[name])
            fields.update(changed)
            updated.append(instance)
            pairs[index] = (row, instance)
        if updated and versioned:
            for instance in updated:
                instance.version += 1
                instance.updated_at = self.now
            fields |= {"version", "updated_at"}
        elif updated and hasattr(model, "updated_at"):
            for instance in updated:
                instance.updated_at = self.now
            fields.add("updated_at")
        self.save(model, created, updated, sorted(fields), history)
        self.created |= {(record_type, instance.pk) for instance in created}
        self.written[record_type] += created + updated
        counts.updated += len(updated)
        counts.unchanged += len(rows) - len(created) - len(updated)
        return pairs

    def languages(self, through_field: str, model: type[models.Model], owner: str,
                  pairs: list[tuple[Row, Any]], record_type: str) -> set[int]:
        """Set a many-to-many field of many entries at once; the ids whose set changed."""
        through = getattr(model, through_field).through
        new = {pk for kind, pk in self.created if kind == record_type}  # none in the table
        ids = [instance.pk for _, instance in pairs if instance.pk not in new]
        current: dict[int, set[int]] = defaultdict(set)
        pairs_in_db = through.objects.values_list(f"{owner}_id", "language_id")
        for owner_id, language_id in _in_chunks(pairs_in_db, f"{owner}_id", ids):
            current[owner_id].add(language_id)
        changed = {instance.pk for row, instance in pairs
                   if set(row.languages or []) != current[instance.pk]}
        if changed:
            changed_ids = sorted(changed - new)
            for start in range(0, len(changed_ids), CHUNK):
                through.objects.filter(**{f"{owner}_id__in": changed_ids[start:start + CHUNK]}
                                       ).delete()
            _insert(through, (f"{owner}_id", "language_id"), [
                (instance.pk, language_id)
                for row, instance in pairs if instance.pk in changed
                for language_id in row.languages or []])
        return changed

    def bump(self, model: type[models.Model], ids: set[int], pairs: list[tuple[Row, Any]],
             record_type: str) -> None:
        """Entries whose only change is their languages: a new version and history too."""
        counts = self.counts(record_type)
        instances = [i for _, i in pairs if i.pk in ids and i.updated_at != self.now
                     and (record_type, i.pk) not in self.created]
        found = _instances(model, [i.pk for i in instances if isinstance(i, _Entry)])
        instances = [found.get(i.pk, i) for i in instances]
        for instance in instances:
            instance.version += 1
            instance.updated_at = self.now
        if instances:
            self.save(model, [], instances, ["version", "updated_at"], history=True)
            counts.updated += len(instances)
            counts.unchanged -= len(instances)

    def authorities(self) -> None:
        rows = self.rows["authority"]
        for row in rows:
            pk = self.context.existing_authority(row.state, row.extra["ref"])
            if pk is not None:
                self.authority_ids[(row.state.pk, row.extra["ref"])] = pk
        existing = {a.pk: a for a in _snapshots(Authority, "pk",
                                                 set(self.authority_ids.values()))}
        by_key = {key: existing[pk] for key, pk in self.authority_ids.items()}
        # Parents first: an authority is created once the one it is part of has an id.
        pending, pairs = list(rows), []
        while pending:
            ready = [row for row in pending if not row.extra["parent_ref"]
                     or (row.state.pk, row.extra["parent_ref"]) in by_key
                     or self.context.existing_authority(row.state, row.extra["parent_ref"])]
            if not ready:  # validation refuses cycles; never loop forever
                raise RuntimeError("authorities form a cycle")
            for row in ready:
                parent, state_id = row.extra["parent_ref"], row.state.pk
                row.values["parent_id"] = None if not parent else (
                    by_key[(state_id, parent)].pk if (state_id, parent) in by_key
                    else self.authority_id(state_id, parent))
            done = self.upsert(
                "authority", Authority, ready, by_key,
                lambda row: (row.state.pk, row.extra["ref"]),
                lambda row: self.new(Authority, row, row.values, state=row.state), True, True)
            for row, instance in done:
                by_key[(row.state.pk, row.extra["ref"])] = instance
                self.authority_ids[(row.state.pk, row.extra["ref"])] = instance.pk
            pairs += done
            done_ids = {id(row) for row in ready}
            pending = [row for row in pending if id(row) not in done_ids]
        _insert(AuthorityKey, ("authority_id", "state_id", "ref"), [
            (instance.pk, row.state.pk, row.extra["ref"])
            for row, instance in pairs if instance.pk not in self.context.keyed_authorities])
        changed = self.languages("accepted_languages", Authority, "authority", pairs,
                                 "authority")
        self.bump(Authority, changed, pairs, "authority")
        # The search index holds names, languages and designations: refresh what changed.
        self.touched |= {instance.pk for instance in self.written["authority"]} | changed

    def office_hours(self) -> None:
        rows = self.rows["office_hours"]
        ids = {self.authority_id(r.state.pk, r.extra["ref"]) for r in rows}
        existing = {(h.authority_id, h.weekday, h.opens): h
                    for h in _snapshots(OfficeHours, "authority_id", ids)}

        def key(row: Row) -> tuple[int, int, dt.time]:
            return (self.authority_id(row.state.pk, row.extra["ref"]), row.values["weekday"],
                    row.values["opens"])

        self.upsert("office_hours", OfficeHours, rows, existing, key,
                    lambda row: self.new(OfficeHours, row, {
                        "authority_id": self.authority_id(row.state.pk, row.extra["ref"]),
                        **row.values}),
                    False, False)

    def designations(self) -> None:
        rows = self.rows["designation"]
        ids = {self.authority_id(r.state.pk, r.extra["ref"]) for r in rows}
        existing = {(d.authority_id, d.provision_id, d.function): d
                    for d in _snapshots(Designation, "authority_id", ids)}

        def key(row: Row) -> tuple[int, int, str]:
            return (self.authority_id(row.state.pk, row.extra["ref"]), row.extra["provision"],
                    row.values["function"])

        self.upsert(
            "designation", Designation, rows, existing, key,
            lambda row: self.new(Designation, row, {"authority_id": key(row)[0],
                                               "provision_id": row.extra["provision"],
                                               **row.values}),
            True, False)
        self.touched |= {instance.authority_id for instance in self.written["designation"]}

    def contacts(self) -> None:
        rows = self.rows["contact"]
        found = {}
        for row in rows:
            pk = self.context.existing_contact(row.state, row.extra["contact_ref"])
            if pk is not None:
                found[(row.state.pk, row.extra["contact_ref"])] = pk
            row.values["authority_id"] = self.authority_id(row.state.pk, row.extra["ref"])
        existing_by_pk = {c.pk: c for c in _snapshots(ContactPerson, "pk",
                                                       set(found.values()))}
        existing = {key: existing_by_pk[pk] for key, pk in found.items()}
        pairs = self.upsert(
            "contact", ContactPerson, rows, existing,
            lambda row: (row.state.pk, row.extra["contact_ref"]),
            lambda row: self.new(ContactPerson, row, row.values), True, True)
        _insert(ContactKey, ("contact_id", "state_id", "ref"), [
            (instance.pk, row.state.pk, row.extra["contact_ref"])
            for row, instance in pairs if instance.pk not in self.context.keyed_contacts])
        changed = self.languages("languages", ContactPerson, "contactperson", pairs,
                                 "contact")
        self.bump(ContactPerson, changed, pairs, "contact")

    def sections(self) -> None:
        rows = self.rows["profile_section"]
        existing = {s.pk: s for s in _snapshots(ProfileSection, "pk",
                                                 set(self.context.sections.values()))}
        by_key = {key: existing[pk] for key, pk in self.context.sections.items()}
        pairs = self.upsert(
            "profile_section", ProfileSection, rows, by_key,
            lambda row: (row.state.pk, row.extra["measure"]),
            lambda row: self.new(ProfileSection, row, row.values, state=row.state), True, True)
        changed = self.languages("languages", ProfileSection, "profilesection", pairs,
                                 "profile_section")
        self.bump(ProfileSection, changed, pairs, "profile_section")
        section_ids = {key: s.pk for key, s in by_key.items()}
        section_ids |= {(row.state.pk, row.extra["measure"]): s.pk for row, s in pairs}

        def section(row: Row) -> int:
            return section_ids[(row.state.pk, row.extra["measure"])]

        items = self.rows["checklist_item"]
        laws = self.rows["law_link"]
        wanted = {section(row) for row in items + laws}
        existing_items = {(i.section_id, i.position): i
                          for i in _snapshots(ChecklistItem, "section_id", wanted)}
        self.upsert("checklist_item", ChecklistItem, items, existing_items,
                    lambda row: (section(row), row.values["position"]),
                    lambda row: self.new(ChecklistItem, row, {"section_id": section(row),
                                                         **row.values}),
                    False, False)
        existing_laws = {(law.section_id, law.url): law
                         for law in _snapshots(LawLink, "section_id", wanted)}
        self.upsert("law_link", LawLink, laws, existing_laws,
                    lambda row: (section(row), row.values["url"]),
                    lambda row: self.new(LawLink, row, {"section_id": section(row), **row.values}),
                    False, False)
