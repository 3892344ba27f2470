"""The writer's forms: one per step, each turning its input into the draft's columns and
content keys (``changes()``), and rows of persons, accounts, items and annexes as formsets."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from palermo.directory import access as directory_access
from palermo.directory.models import Authority
from palermo.reference.models import Instrument, Language, State

from . import steps
from .models import Draft, Kind

LONG = 20000
SHORT = 500

TEXTAREA = forms.Textarea(attrs={"rows": 5})
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 2})


def _text(label: Any, *, long: bool = True, help_text: Any = "",
          small: bool = False) -> forms.CharField:
    widget = (SMALL_TEXTAREA if small else TEXTAREA) if long else forms.TextInput
    return forms.CharField(label=label, required=False, max_length=LONG if long else SHORT,
                           widget=widget, help_text=help_text, strip=True)


class NewDraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=Kind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Your reference"), max_length=200,
                            help_text=_("For you and your colleagues, such as a case number; it "
                                        "is printed on the request as your reference."))
    requesting_state: forms.ModelChoiceField[State] = forms.ModelChoiceField(
        label=_("Requesting State"), queryset=State.objects.none())
    requested_state: forms.ModelChoiceField[State] = forms.ModelChoiceField(
        label=_("Requested State"), queryset=State.objects.none(), required=False)

    def __init__(self, *args: Any, states: QuerySet[State], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requesting_state"].queryset = states  # type: ignore[attr-defined]
        self.fields["requested_state"].queryset = State.objects.all()  # type: ignore[attr-defined]
        if len(states) == 1:
            self.fields["requesting_state"].initial = states[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requested_state") and data.get("requested_state") == data.get(
                "requesting_state"):
            self.add_error("requested_state", _("The requested State must differ from the "
                                                "requesting State."))
        return data


class StepForm(forms.Form):
    """A step's form; ``changes()`` returns (model fields, content keys)."""

    model_fields: ClassVar[tuple[str, ...]] = ()
    content_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, draft: Draft, user: Any, **kwargs: Any) -> None:
        self.draft = draft
        self.user = user
        initial = {name: getattr(draft, name) for name in self.model_fields}
        initial.update({name: draft.content.get(name, "") for name in self.content_fields})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = self.cleaned_data
        return ({name: data[name] for name in self.model_fields if name in data},
                {name: data[name] for name in self.content_fields if name in data})


class StartForm(StepForm):
    model_fields = ("kind", "title", "requested_state", "urgent", "needed_by")
    kind = forms.ChoiceField(label=_("Kind of request"), choices=Kind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Your reference"), max_length=200)
    requested_state: forms.ModelChoiceField[State] = forms.ModelChoiceField(
        label=_("Requested State"), queryset=State.objects.all(), required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    needed_by = forms.DateField(label=_("Result needed by"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        requested = data.get("requested_state")
        if requested is not None and requested.pk == self.draft.requesting_state_id:
            self.add_error("requested_state", _("The requested State must differ from the "
                                                "requesting State."))
        return data


class PartiesForm(StepForm):
    model_fields = ("requesting_authority", "central_authority", "requested_authority",
                    "legal_bases", "drafting_language", "output_language",
                    "second_output_language")
    requesting_authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        label=_("Authority making the request"), queryset=Authority.objects.none(),
        required=False)
    central_authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        label=_("Central authority that reviews and transmits the request"),
        queryset=Authority.objects.none(), required=False)
    requested_authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        label=_("Authority the request is addressed to"), queryset=Authority.objects.none(),
        required=False)
    legal_bases = forms.MultipleChoiceField(label=_("Legal basis"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    drafting_language: forms.ModelChoiceField[Language] = forms.ModelChoiceField(
        label=_("Language the request is written in"), required=False,
        queryset=Language.objects.all())
    output_language = forms.ChoiceField(label=_("Language of the fixed text of the document"),
                                        choices=settings.LANGUAGES)
    second_output_language = forms.ChoiceField(
        label=_("Second language, side by side (optional)"), required=False,
        choices=[("", "—"), *settings.LANGUAGES])

    def __init__(self, *args: Any, bases: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = directory_access.authorities_visible_to(self.user).select_related("state")
        own = visible.filter(state_id=self.draft.requesting_state_id)
        self.fields["requesting_authority"].queryset = own  # type: ignore[attr-defined]
        self.fields["central_authority"].queryset = own.filter(  # type: ignore[attr-defined]
            kind=Authority.Kind.CENTRAL)
        self.fields["requested_authority"].queryset = visible.filter(  # type: ignore[attr-defined]
            state_id=self.draft.requested_state_id or 0)
        self.fields["legal_bases"].choices = bases or [  # type: ignore[attr-defined]
            (i.code, i.short_name) for i in Instrument.objects.filter(parent__isnull=True)]


def _rows_formset(fields: dict[str, forms.Field]) -> type[forms.BaseFormSet]:
    form = type("RowForm", (forms.Form,), dict(fields))
    return formset_factory(form, extra=0)


PersonRows = _rows_formset({
    "name": forms.CharField(label=_("Name"), max_length=SHORT, required=False),
    "role": forms.ChoiceField(label=_("Role"), choices=steps.PERSON_ROLES, required=False),
    "birth_date": forms.CharField(label=_("Date of birth"), max_length=40, required=False),
    "nationality": forms.CharField(label=_("Nationality"), max_length=120, required=False),
    "location": forms.CharField(label=_("Known location"), max_length=SHORT, required=False),
    "details": forms.CharField(label=_("Other identifying details"), max_length=5000,
                               required=False, widget=SMALL_TEXTAREA),
})
AccountRows = _rows_formset({
    "institution": forms.CharField(label=_("Bank or institution"), max_length=SHORT,
                                   required=False),
    "number": forms.CharField(label=_("Account number or IBAN"), max_length=120,
                              required=False),
    "holder": forms.CharField(label=_("Holder"), max_length=SHORT, required=False),
    "period": forms.CharField(label=_("Period concerned"), max_length=120, required=False),
    "details": forms.CharField(label=_("Details"), max_length=5000, required=False,
                               widget=SMALL_TEXTAREA),
})
ItemRows = _rows_formset({
    "description": forms.CharField(label=_("Item or place"), max_length=5000, required=False,
                                   widget=SMALL_TEXTAREA),
    "location": forms.CharField(label=_("Where"), max_length=SHORT, required=False),
    "details": forms.CharField(label=_("Details"), max_length=5000, required=False,
                               widget=SMALL_TEXTAREA),
})
AnnexRows = _rows_formset({
    "title": forms.CharField(label=_("Annex"), max_length=SHORT, required=False),
    "description": forms.CharField(label=_("Description"), max_length=5000, required=False,
                                   widget=SMALL_TEXTAREA),
})

# content key → (formset class, label, the field that makes a row worth keeping)
ROW_SETS: dict[str, tuple[type[forms.BaseFormSet], Any, str]] = {
    "persons": (PersonRows, _("Persons concerned"), "name"),
    "accounts": (AccountRows, _("Bank accounts"), "number"),
    "items": (ItemRows, _("Items and places"), "description"),
    "annexes": (AnnexRows, _("Annexes"), "title"),
}
BLANK_ROWS = 2


def row_formsets(step: str, draft: Draft, data: Any = None,
                 more: bool = False) -> list[tuple[str, Any, forms.BaseFormSet]]:
    """The formsets of a step, with the saved rows and blank ones to fill."""
    keys = {"persons": ["persons", "accounts", "items"], "contact": ["annexes"]}.get(step, [])
    found = []
    for key in keys:
        formset_class, label, _keep = ROW_SETS[key]
        rows = draft.rows(key)
        initial = [*rows, *([{}] * (BLANK_ROWS + (BLANK_ROWS if more else 0)))]
        if data is not None:
            formset = formset_class(data, prefix=key, initial=initial)
        else:
            formset = formset_class(prefix=key, initial=initial)
            formset.extra = 0
        found.append((key, label, formset))
    return found


def rows_of(key: str, formset: forms.BaseFormSet) -> list[dict[str, str]]:
    _cls, _label, keep = ROW_SETS[key]
    return [{name: str(value) for name, value in form.cleaned_data.items()}
            for form in formset.forms
            if form.cleaned_data and str(form.cleaned_data.get(keep, "")).strip()]


class MeasuresForm(StepForm):
    model_fields = ("measures",)
    measures = forms.MultipleChoiceField(label=_("Measures requested"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = [  # type: ignore[attr-defined]
            (code, steps.measure_label(code)) for code in steps.measures_for(self.draft.kind)]


class CaseForm(StepForm):
    content_fields = ("subject_matter", "conducting_authority", "facts", "offences", "law_text",
                      "penalty")
    subject_matter = _text(_("Subject matter and nature of the investigation, prosecution or "
                             "judicial proceeding (art. 18(15)(b))"))
    conducting_authority = _text(_("Name and functions of the authority conducting it "
                                   "(art. 18(15)(b))"), small=True)
    facts = forms.CharField(label=_("Summary of the relevant facts (art. 18(15)(c))"),
                            required=False, max_length=LONG, strip=True,
                            widget=forms.Textarea(attrs={"rows": 12}),
                            help_text=_("Who did what, when and where, and how it is linked to "
                                        "the requested State."))
    offences = _text(_("Offences"), small=True)
    law_text = _text(_("Text of the applicable law"),
                     help_text=_("Quote the provisions that define the offences and their "
                                 "penalties."))
    penalty = _text(_("Penalty the law provides"), small=True)


class PersonsForm(StepForm):
    content_fields = ("no_persons",)
    no_persons = forms.BooleanField(
        label=_("No person concerned is known (art. 18(15)(e) asks for them where possible)"),
        required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["no_persons"] = self.draft.text("no_persons") == "yes"

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {}, {"no_persons": "yes" if self.cleaned_data.get("no_persons") else ""}


class AssistanceForm(StepForm):
    """Per measure, what is asked and how it relates to the facts; for extradition, transfer
    and confiscation, what those requests need besides."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draft = self.draft
        details = draft.content.get("measure_details", {})
        details = details if isinstance(details, dict) else {}
        self.measure_codes = [code for code in draft.measures
                              if code in steps.measures_for(draft.kind)]
        for code in self.measure_codes:
            label = steps.measure_label(code)
            saved = details.get(code, {}) if isinstance(details.get(code), dict) else {}
            self.fields[f"md__{code}__description"] = _text(
                _("Assistance sought: %(measure)s (art. 18(15)(d))") % {"measure": label})
            self.fields[f"md__{code}__link"] = _text(
                _("How this measure relates to the facts: %(measure)s") % {"measure": label},
                small=True)
            self.initial[f"md__{code}__description"] = saved.get("description", "")
            self.initial[f"md__{code}__link"] = saved.get("link", "")
        extra: dict[str, forms.Field] = {}
        if draft.kind == Kind.EXTRADITION:
            extra = {
                "extradition_purpose": forms.ChoiceField(
                    label=_("Extradition is sought for"), required=False,
                    widget=forms.RadioSelect, choices=[
                        ("prosecution", _("Prosecution")),
                        ("enforcement", _("Enforcement of a sentence"))]),
                "warrant": _text(_("Warrant of arrest or judgment (court, date, reference)")),
                "sentence": _text(_("Sentence imposed and part remaining to be served "
                                    "(for enforcement)"), small=True),
            }
        elif draft.kind == Kind.TRANSFER:
            extra = {
                "sentence": _text(_("Judgment and sentence imposed")),
                "sentence_remaining": _text(_("Part of the sentence remaining to be served"),
                                            small=True),
                "consent": forms.ChoiceField(
                    label=_("Consent of the sentenced person"), required=False,
                    widget=forms.RadioSelect, choices=[
                        ("given", _("Given")), ("refused", _("Refused")),
                        ("not_required", _("Not required by the applicable arrangement"))]),
            }
        elif draft.kind == Kind.CONFISCATION:
            extra = {
                "property": _text(_("Description of the property (art. 13(3)(a))")),
                "confiscation_order": _text(_("Order of confiscation: court, date, reference; "
                                              "attach a legally admissible copy "
                                              "(art. 13(3)(b))")),
                "execution_extent": _text(_("Extent to which execution of the order is "
                                            "requested (art. 13(3)(b))"), small=True),
            }
        for name, field in extra.items():
            self.fields[name] = field
            self.initial[name] = draft.text(name)

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = self.cleaned_data
        content: dict[str, Any] = {
            name: value for name, value in data.items() if not name.startswith("md__")}
        if self.measure_codes:
            details = dict(self.draft.content.get("measure_details", {}) or {})
            for code in self.measure_codes:
                details[code] = {"description": data.get(f"md__{code}__description", ""),
                                 "link": data.get(f"md__{code}__link", "")}
            content["measure_details"] = details
        return {}, content


class ProcedureForm(StepForm):
    content_fields = ("purpose", "procedure", "confidentiality", "urgency_reason")
    purpose = _text(_("Purpose for which the evidence, information or action is sought "
                      "(art. 18(15)(f))"))
    procedure = _text(_("Particular procedure to follow (art. 18(17))"),
                      help_text=_("For example certification of documents, the presence of "
                                  "the parties, the form of a statement."))
    confidential = forms.BooleanField(
        label=_("Keep the request and its substance confidential (art. 18(20))"), required=False)
    confidentiality = _text(_("What must be kept confidential, and why"), small=True)
    urgency_reason = _text(_("Why the request is urgent"), small=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["confidential"] = self.draft.text("confidential") == "yes"
        if not self.draft.urgent:
            del self.fields["urgency_reason"]
        if self.draft.kind not in (Kind.MLA, Kind.CONFISCATION):
            self.fields["purpose"].label = _("Purpose of the request")

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        _fields, content = super().changes()
        content["confidential"] = "yes" if self.cleaned_data.get("confidential") else ""
        return {}, content


class ContactForm(StepForm):
    content_fields = ("contact_name", "contact_function", "contact_phone", "contact_email",
                      "checklist_confirmed")
    contact_name = forms.CharField(label=_("Person to contact for follow-up"), required=False,
                                   max_length=SHORT)
    contact_function = forms.CharField(label=_("Function"), required=False, max_length=SHORT)
    contact_phone = forms.CharField(label=_("Telephone"), required=False, max_length=40)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    checklist_confirmed = forms.MultipleChoiceField(
        label=_("What the requested State requires: tick what the request contains"),
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, checklist: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = list(checklist or [])
        if items:
            keys = {key for key, _text in items}
            saved = self.draft.content.get("checklist_confirmed", [])
            saved = saved if isinstance(saved, list) else []
            self.fields["checklist_confirmed"].choices = items  # type: ignore[attr-defined]
            self.initial["checklist_confirmed"] = [key for key in saved if key in keys]
        else:
            del self.fields["checklist_confirmed"]


STEP_FORMS: dict[str, type[StepForm]] = {
    "start": StartForm, "parties": PartiesForm, "measures": MeasuresForm, "case": CaseForm,
    "persons": PersonsForm, "assistance": AssistanceForm, "procedure": ProcedureForm,
    "contact": ContactForm,
}


class ShareForm(forms.Form):
    colleagues: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Colleagues who may read and edit this draft"), required=False,
        queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleagues"].queryset = queryset  # type: ignore[attr-defined]
