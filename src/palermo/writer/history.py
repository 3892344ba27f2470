"""A request as people read it: its sections as text, and what changed between its versions.

The review page shows each step's content readably, and the history page shows, for each
version kept by simple-history, the fields that changed with a word-by-word diff. Both read
a draft (or a historical record of one) through :func:`snapshot`, which turns every column
and every key of ``Draft.content`` into a labelled text; names of States, authorities,
languages and instruments are read once for all versions (:class:`Names`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.directory import access as directory_access
from palermo.reference.models import Instrument, Language, State

from . import steps
from .models import Draft, Event, Kind, Status, TranslationStatus

# Columns the steps write, by step (the keys of ``content`` are in each step's content_keys).
STEP_COLUMNS: dict[str, tuple[str, ...]] = {
    "start": ("kind", "title", "requested_state", "urgent", "needed_by"),
    "parties": ("requesting_authority", "central_authority", "requested_authority",
                "legal_bases", "drafting_language", "output_language",
                "second_output_language"),
    "measures": ("measures",),
}
# Columns no step writes: the review's own.
REVIEW_COLUMNS = ("status", "translation_status")

LABELS: dict[str, Promise] = {
    "kind": _("Kind of request"),
    "title": _("Your reference"),
    "requested_state": _("Requested State"),
    "urgent": _("Urgent"),
    "needed_by": _("Result needed by"),
    "requesting_authority": _("Requesting authority"),
    "central_authority": _("Central authority that reviews and transmits it"),
    "requested_authority": _("Requested authority"),
    "legal_bases": _("Legal bases"),
    "drafting_language": _("Language the request is written in"),
    "output_language": _("Language of the fixed text"),
    "second_output_language": _("Second language, side by side"),
    "measures": _("Measures requested"),
    "status": _("Status"),
    "translation_status": _("Translation"),
    "subject_matter": _("Subject matter and nature of the proceedings"),
    "conducting_authority": _("Authority conducting the proceedings"),
    "facts": _("Summary of the facts"),
    "offences": _("Offences"),
    "law_text": _("Text of the applicable law"),
    "penalty": _("Penalty"),
    "persons": _("Persons concerned"),
    "no_persons": _("No person concerned is known"),
    "accounts": _("Accounts"),
    "items": _("Items and places"),
    "measure_details": _("Measures: what is asked and how it relates to the facts"),
    "extradition_purpose": _("Extradition sought for"),
    "warrant": _("Warrant of arrest or judgment"),
    "sentence": _("Sentence imposed"),
    "sentence_remaining": _("Part of the sentence remaining"),
    "consent": _("Consent of the sentenced person"),
    "property": _("Property to be confiscated"),
    "confiscation_order": _("Order of confiscation"),
    "execution_extent": _("Extent of execution requested"),
    "purpose": _("Purpose"),
    "procedure": _("Procedure to follow"),
    "confidential": _("Confidential"),
    "confidentiality": _("What must be kept confidential, and why"),
    "urgency_reason": _("Why it is urgent"),
    "contact_name": _("Contact person"),
    "contact_function": _("Function"),
    "contact_phone": _("Telephone"),
    "contact_email": _("E-mail"),
    "annexes": _("Annexes"),
    "checklist_confirmed": _("Requested State's checklist, confirmed"),
}

ROW_CELLS: dict[str, tuple[tuple[str, Promise], ...]] = {
    "persons": (("name", _("Name")), ("role", _("Role")), ("birth_date", _("Born")),
                ("nationality", _("Nationality")), ("location", _("Location")),
                ("details", _("Details"))),
    "accounts": (("institution", _("Institution")), ("number", _("Number")),
                 ("holder", _("Holder")), ("period", _("Period")), ("details", _("Details"))),
    "items": (("description", _("Description")), ("location", _("Location")),
              ("details", _("Details"))),
    "annexes": (("title", _("Title")), ("description", _("Description"))),
}

CHOICES: dict[str, dict[str, Promise]] = {
    "extradition_purpose": {"prosecution": _("Prosecution"),
                            "enforcement": _("Enforcement of a sentence")},
    "consent": {"given": _("Given"), "refused": _("Refused"), "not_required": _("Not required")},
    "confidential": {"yes": _("Yes")},
    "no_persons": {"yes": _("Yes")},
}

FOREIGN_KEYS = {"requested_state": "state", "requesting_authority": "authority",
                "central_authority": "authority", "requested_authority": "authority",
                "drafting_language": "language"}


def step_of(key: str) -> str:
    """The step where a column or content key is written ("" for the review's own)."""
    name = key.split(".")[0]
    for step_id, columns in STEP_COLUMNS.items():
        if name in columns:
            return step_id
    for step in steps.STEPS:
        if name in step.content_keys:
            return step.identifier
    return ""


def step_title(identifier: str) -> str:
    step = steps.get_step(identifier)
    return str(step.title) if step is not None else identifier


class Names:
    """Names of the States, authorities, languages and instruments a set of drafts or versions
    refers to, read in one query per kind (authorities as ``user`` may see them)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.wanted: dict[str, set[Any]] = {"state": set(), "authority": set(),
                                            "language": set(), "instrument": set(),
                                            "checklist": set()}
        self.known: dict[str, dict[Any, str]] = {kind: {} for kind in self.wanted}

    def want(self, values: dict[str, Any]) -> None:
        for name, kind in FOREIGN_KEYS.items():
            if values.get(name):
                self.wanted[kind].add(values[name])
        self.wanted["instrument"].update(_codes(values.get("legal_bases")))
        content = values.get("content")
        content = content if isinstance(content, dict) else {}
        self.wanted["checklist"].update(
            int(key) for key in _codes(content.get("checklist_confirmed")) if key.isdigit())

    def load(self) -> None:
        if self.wanted["state"]:
            self.known["state"] = {
                state.pk: state.name for state in State.objects.filter(pk__in=self.wanted["state"])}
        if self.wanted["authority"]:
            authorities = directory_access.authorities_visible_to(self.user).filter(
                pk__in=self.wanted["authority"])
            self.known["authority"] = {a.pk: str(a) for a in authorities}
        if self.wanted["language"]:
            self.known["language"] = {
                language.pk: language.name
                for language in Language.objects.filter(pk__in=self.wanted["language"])}
        if self.wanted["instrument"]:
            self.known["instrument"] = {
                instrument.code: instrument.short_name or instrument.name
                for instrument in Instrument.objects.filter(code__in=self.wanted["instrument"])}

        if self.wanted["checklist"]:
            from palermo.directory.models import ChecklistItem

            sections = directory_access.profile_sections_visible_to(self.user)
            self.known["checklist"] = {
                str(item.pk): item.text for item in ChecklistItem.objects.filter(
                    pk__in=self.wanted["checklist"], section__in=sections)}

    def name(self, kind: str, key: Any) -> str:
        return self.known[kind].get(key, gettext("(not shown)"))


def _codes(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def values_of(obj: Any) -> dict[str, Any]:
    """The raw values of a draft or of a historical record of one."""
    values = {name: getattr(obj, f"{name}_id" if name in FOREIGN_KEYS else name)
              for columns in STEP_COLUMNS.values() for name in columns}
    values.update(status=obj.status, translation_status=obj.translation_status)
    values["content"] = obj.content if isinstance(obj.content, dict) else {}
    return values


def _choice(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _language_label(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code)) if code else ""


def _column_text(name: str, value: Any, names: Names) -> str:
    if name in FOREIGN_KEYS:
        return names.name(FOREIGN_KEYS[name], value) if value else ""
    if name == "kind":
        return _choice(Kind, value)
    if name == "status":
        return _choice(Status, value)
    if name == "translation_status":
        return _choice(TranslationStatus, value)
    if name == "urgent":
        return gettext("Yes") if value else gettext("No")
    if name == "needed_by":
        return formats.date_format(value, "DATE_FORMAT") if value else ""
    if name in ("output_language", "second_output_language"):
        return _language_label(value)
    if name == "legal_bases":
        return "\n".join(names.name("instrument", code) for code in _codes(value))
    if name == "measures":
        return "\n".join(steps.measure_label(code) for code in _codes(value))
    return _text(value) if isinstance(value, str) else str(value or "")


def _row_text(key: str, row: dict[str, Any]) -> str:
    roles = {code: str(label) for code, label in steps.PERSON_ROLES}
    cells = []
    for cell, label in ROW_CELLS[key]:
        value = _text(row.get(cell))
        if key == "persons" and cell == "role":
            value = roles.get(value, value)
        if value:
            cells.append(f"{label}: {value}")
    return "; ".join(cells)


def _content_texts(content: dict[str, Any], names: Names) -> dict[str, str]:
    texts: dict[str, str] = {}
    for step in steps.STEPS:
        for key in step.content_keys:
            value = content.get(key)
            if key in ROW_CELLS:
                rows = value if isinstance(value, list) else []
                texts[key] = "\n".join(filter(None, (_row_text(key, row) for row in rows
                                                     if isinstance(row, dict))))
            elif key == "measure_details":
                details = value if isinstance(value, dict) else {}
                for code, detail in details.items():
                    detail = detail if isinstance(detail, dict) else {}
                    texts[f"measure_details.{code}"] = "\n".join(filter(None, (
                        _text(detail.get("description")),
                        _text(detail.get("link")) and "{}: {}".format(
                            gettext("How it relates to the facts"), _text(detail.get("link"))),
                    )))
            elif key == "checklist_confirmed":
                texts[key] = "\n".join(names.name("checklist", code) for code in _codes(value))
            elif key in CHOICES:
                raw = _text(value)
                texts[key] = str(CHOICES[key].get(raw, raw))
            else:
                texts[key] = _text(value)
    return texts


def snapshot(values: dict[str, Any], names: Names) -> dict[str, str]:
    """Every field as readable text, keyed by column, content key or
    ``measure_details.<code>``, in the order of the steps."""
    texts = {name: _column_text(name, values[name], names)
             for columns in STEP_COLUMNS.values() for name in columns}
    texts.update(_content_texts(values["content"], names))
    texts.update({name: _column_text(name, values[name], names) for name in REVIEW_COLUMNS})
    return texts


def label_of(key: str) -> str:
    name, _dot, code = key.partition(".")
    if name == "measure_details" and code:
        return steps.measure_label(code)
    return str(LABELS.get(name, name))


# --- the review page: the request section by section ---------------------------------------


@dataclass
class Line:
    key: str
    label: str
    text: str


@dataclass
class Section:
    step: str
    title: str
    lines: list[Line] = field(default_factory=list)


def sections(draft: Draft, *, user: Any) -> list[Section]:
    """The written content of each applicable step (blank fields left out)."""
    names = Names(user)
    values = values_of(draft)
    names.want(values)
    names.load()
    texts = snapshot(values, names)
    found = {step.identifier: Section(step.identifier, str(step.title))
             for step in steps.applicable_steps(draft) if step.identifier != "check"}
    for key, text in texts.items():
        section = found.get(step_of(key))
        if section is not None and text:
            section.lines.append(Line(key, label_of(key), text))
    return list(found.values())


# --- the history page: events and versions ---------------------------------------------------


@dataclass
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass
class Change:
    key: str
    label: str
    section: str
    old: str
    new: str
    segments: list[Segment]


@dataclass
class Version:
    record: Any
    changes: list[Change]
    is_current: bool


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# Below this share of words in common, a text reads better struck whole and written anew.
REWRITTEN = 0.5


def word_diff(old: str, new: str) -> list[Segment]:
    """The words removed and added between two texts, with what they share."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []

    def add(kind: str, tokens: Iterable[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1].text += text
        else:
            segments.append(Segment(kind, text))

    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        add("removed", before)
        add("added", after)
        return segments
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", before[a1:a2])
            continue
        add("removed", before[a1:a2])
        add("added", after[b1:b2])
    return segments


def versions(draft: Draft, *, user: Any) -> list[Version]:
    """The draft's versions, newest first, each with what changed from the one before."""
    records = list(draft.history.select_related("history_user")
                   .order_by("history_date", "history_id"))
    names = Names(user)
    values = [values_of(record) for record in records]
    for item in values:
        names.want(item)
    names.load()
    found: list[Version] = []
    previous: dict[str, str] = {}
    for index, (record, item) in enumerate(zip(records, values, strict=True)):
        texts = snapshot(item, names)
        changes = []
        for key in [*texts, *(key for key in previous if key not in texts)]:
            old, new = previous.get(key, ""), texts.get(key, "")
            if old == new or (not index and not new):
                continue
            if not index and key in REVIEW_COLUMNS:
                continue
            section = step_of(key)
            changes.append(Change(key, label_of(key), step_title(section) if section else "",
                                  old, new, word_diff(old, new)))
        found.append(Version(record, changes, is_current=index == len(records) - 1))
        previous = texts
    found.reverse()
    return found


def events(draft: Draft) -> list[Event]:
    """The request's history as people did it, oldest first, each with its section's title."""
    found = list(draft.events.select_related("actor").order_by("at", "pk"))
    for event in found:
        event.section_title = step_title(event.section) if event.section else ""  # type: ignore[attr-defined]
    return found
