"""Forms of cycles, answering and clarifications. The section form is built from the
questions a State sees: one field per question, by type, and a "confidential" box."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import RegionalGroup
from palermo.reporting.models import Answer, AnswerFile, Question, Response, TableColumn

from . import selectors
from .services import SectionInput

# Largest file an answer can attach (bytes); PALERMO_ANSWER_FILE_MAX_BYTES overrides it.
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

YES_NO_PARTLY_CHOICES = [("yes", pgettext_lazy("answer", "Yes")),
                         ("no", pgettext_lazy("answer", "No")),
                         ("partly", pgettext_lazy("answer", "Partly"))]
YES_NO_CHOICES = [("", "—"), ("yes", pgettext_lazy("answer", "Yes")),
                  ("no", pgettext_lazy("answer", "No"))]


def max_file_bytes() -> int:
    return int(getattr(settings, "PALERMO_ANSWER_FILE_MAX_BYTES", DEFAULT_MAX_FILE_BYTES))


# Cycles ---------------------------------------------------------------------------------------

class CycleForm(forms.Form):
    questionnaire_version = forms.ModelChoiceField(
        label=_("Questionnaire version"), queryset=selectors.publishable_versions())
    parties_on = forms.DateField(
        label=_("States parties on"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The States that are parties to the questionnaire's instrument on this "
                    "date are asked to answer."))
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Deadline"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    remind_days_before = forms.IntegerField(label=_("Reminder, days before the deadline"),
                                            min_value=0, max_value=365, initial=14)
    remind_days_after = forms.IntegerField(label=_("Reminder, days after the deadline"),
                                           min_value=0, max_value=365, initial=7)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire_version"].label_from_instance = (  # type: ignore[attr-defined]
            lambda v: f"{v.questionnaire.localized_title} — {v.number}")
        for code, name in settings.LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, max_length=300,
                required=code == "en")

    def titles(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"title_{code}"].strip()
                for code, _name in settings.LANGUAGES
                if self.cleaned_data.get(f"title_{code}", "").strip()}


class CycleFilterForm(forms.Form):
    group: forms.ModelChoiceField[RegionalGroup] = forms.ModelChoiceField(
        label=_("Regional group"), required=False, queryset=RegionalGroup.objects.all(),
        empty_label=_("All groups"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Every status")), *Response.Status.choices])


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New deadline for this State"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Leave empty to withdraw the extension."))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the response reopened?"), max_length=100)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the expert"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, required=False,
        help_text=_("For a person who has no account yet; an account's own language wins."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()


class ClarificationForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        label=_("Answers to clarify"), queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(label=_("Message to the State"), widget=forms.Textarea,
                           max_length=10000)

    def __init__(self, *args: Any, response: Response, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: Any = self.fields["questions"]
        questions.queryset = Question.objects.filter(
            questionnaire_version=response.questionnaire_version).order_by(
            "section__position", "position", "pk")
        questions.label_from_instance = lambda q: f"{q.code} — {q.localized_text}"


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea, max_length=10000)


# Answering ------------------------------------------------------------------------------------

def _cell_field(column: TableColumn) -> forms.Field:
    label = column.localized_label
    if column.type == TableColumn.Type.NUMBER:
        return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=6,
                                  widget=forms.NumberInput(attrs={"step": "any"}))
    if column.type == TableColumn.Type.DATE:
        return forms.DateField(label=label, required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    if column.type == TableColumn.Type.YES_NO:
        return forms.ChoiceField(label=label, required=False, choices=YES_NO_CHOICES)
    return forms.CharField(label=label, required=False, max_length=2000)


def _answer_field(question: Question) -> forms.Field:
    label = question.localized_text
    kind = question.type
    if kind == Question.Type.YES_NO_PARTLY:
        return forms.ChoiceField(label=label, required=False, choices=YES_NO_PARTLY_CHOICES,
                                 widget=forms.RadioSelect)
    if kind in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        choices = [(c.code, c.localized_label) for c in question.choices.all()]
        if kind == Question.Type.SINGLE:
            return forms.ChoiceField(label=label, required=False, choices=choices,
                                     widget=forms.RadioSelect)
        return forms.MultipleChoiceField(label=label, required=False, choices=choices,
                                         widget=forms.CheckboxSelectMultiple)
    if kind == Question.Type.NUMBER:
        return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=6,
                                  widget=forms.NumberInput(attrs={"step": "any"}))
    if kind == Question.Type.DATE:
        return forms.DateField(label=label, required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    if kind == Question.Type.FILE:
        return forms.FileField(label=label, required=False)
    return forms.CharField(label=label, required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 4}))


def _stored(value: Any) -> Any:
    """A cleaned form value as JSON stores it (None for no answer)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return value or None
    return value


def _initial(question: Question, value: Any) -> Any:
    if question.type == Question.Type.MULTIPLE:
        return value if isinstance(value, list) else []
    return value


@dataclass
class QuestionBlock:
    """What the section template shows of one question."""

    question: Question
    answer: Answer | None
    input: Any = None
    confidential: Any = None
    columns: list[TableColumn] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    rows_field: Any = None
    files: list[AnswerFile] = field(default_factory=list)
    remove: Any = None


class SectionForm(forms.Form):
    """The shown questions of one section. ``rows`` asks for that many table rows at least
    (one more than saved when the person pressed "add a row")."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, questions: list[Question], answers: dict[int, Answer],
                 add_row_to: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.answers = answers
        self.blocks: list[QuestionBlock] = []
        self.row_counts: dict[int, int] = {}
        for question in questions:
            self._add_question(question, answers.get(question.pk), add_row_to)

    def _add_question(self, question: Question, answer: Answer | None,
                      add_row_to: int | None) -> None:
        name = f"q{question.pk}"
        value = answer.value if answer is not None else None
        block = QuestionBlock(question=question, answer=answer)
        self.fields[f"{name}-confidential"] = forms.BooleanField(
            label=_("Confidential: seen only by my State's people and the secretariat"),
            required=False, initial=bool(answer and answer.confidential))
        if question.type == Question.Type.TABLE:
            self._add_table(question, name, value, extra=question.pk == add_row_to)
        else:
            self.fields[name] = _answer_field(question)
            self.fields[name].initial = _initial(question, value)
            if question.type == Question.Type.FILE and answer is not None:
                block.files = list(answer.files.all())
                if block.files:
                    self.fields[f"{name}-remove"] = forms.MultipleChoiceField(
                        label=_("Remove"), required=False, widget=forms.CheckboxSelectMultiple,
                        choices=[(str(f.pk), f.name) for f in block.files])
        self.blocks.append(block)

    def _add_table(self, question: Question, name: str, value: Any, *, extra: bool) -> None:
        saved_rows = value if isinstance(value, list) else []
        count = max(len(saved_rows) + (1 if extra else 0), 1)
        if self.is_bound:
            with contextlib.suppress(TypeError, ValueError):
                count = max(count, min(int(self.data.get(f"{name}-rows", 0)), 500))
        self.row_counts[question.pk] = count
        self.fields[f"{name}-rows"] = forms.IntegerField(widget=forms.HiddenInput,
                                                         initial=count, required=False)
        for index in range(count):
            row = saved_rows[index] if index < len(saved_rows) else {}
            for column in question.columns.all():
                cell = _cell_field(column)
                cell.initial = row.get(column.code) if isinstance(row, dict) else None
                self.fields[f"{name}-{index}-{column.code}"] = cell

    def bind_blocks(self) -> list[QuestionBlock]:
        """The blocks with their bound fields, for the template."""
        for block in self.blocks:
            name = f"q{block.question.pk}"
            block.confidential = self[f"{name}-confidential"]
            if block.question.type == Question.Type.TABLE:
                block.columns = list(block.question.columns.all())
                block.rows_field = self[f"{name}-rows"]
                block.rows = [[self[f"{name}-{i}-{c.code}"] for c in block.columns]
                              for i in range(self.row_counts[block.question.pk])]
            else:
                block.input = self[name]
                if f"{name}-remove" in self.fields:
                    block.remove = self[f"{name}-remove"]
        return self.blocks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = max_file_bytes()
        for question in self.questions:
            upload = data.get(f"q{question.pk}") if question.type == Question.Type.FILE else None
            if upload is not None and upload.size > limit:
                self.add_error(f"q{question.pk}", _(
                    "The file is larger than %(megabytes)s MB.") % {
                        "megabytes": round(limit / (1024 * 1024), 1)})
        return data

    def section_input(self) -> SectionInput:
        data = self.cleaned_data
        values: dict[int, Any] = {}
        uploads: dict[int, list[Any]] = {}
        removed: set[int] = set()
        confidential = {q.pk for q in self.questions if data.get(f"q{q.pk}-confidential")}
        for question in self.questions:
            name = f"q{question.pk}"
            if question.type == Question.Type.TABLE:
                values[question.pk] = self._table_value(question, name)
            elif question.type == Question.Type.FILE:
                values[question.pk] = None
                if data.get(name):
                    uploads[question.pk] = [data[name]]
                removed |= {int(pk) for pk in data.get(f"{name}-remove") or []}
            else:
                values[question.pk] = _stored(data.get(name))
        return SectionInput(values=values, confidential=confidential, uploads=uploads,
                            removed_files=removed)

    def _table_value(self, question: Question, name: str) -> list[dict[str, Any]] | None:
        rows = []
        index = 0
        columns = list(question.columns.all())
        while columns and f"{name}-{index}-{columns[0].code}" in self.cleaned_data:
            row = {c.code: _stored(self.cleaned_data.get(f"{name}-{index}-{c.code}"))
                   for c in columns}
            if any(v is not None for v in row.values()):
                rows.append(row)
            index += 1
        return rows or None

