from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import State
from palermo.reference.selectors import sort_key

from .finder import measure_choices


class MeasureSelect(forms.Select):
    """The measures of art. 18(3) are quoted in the treaty's English: say so to the browser."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if str(option["value"]).startswith("mla-"):
            option["attrs"] = {**option["attrs"], "lang": "en", "dir": "ltr"}
        return option


if TYPE_CHECKING:
    _StateChoiceField = forms.ModelChoiceField[State]
else:
    _StateChoiceField = forms.ModelChoiceField


class StateField(_StateChoiceField):
    """A State by its code, looked up among the States the form has already read."""

    states: dict[str, State]

    def to_python(self, value: Any) -> State | None:
        if value in self.empty_values:
            return None
        state = getattr(self, "states", {}).get(str(value))
        if state is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice", params={"value": value})
        return state


class FinderForm(forms.Form):
    requesting = StateField(
        queryset=State.objects.all(), to_field_name="code", label=_("Requesting State"),
        empty_label=_("Choose a State"),
    )
    requested = StateField(
        queryset=State.objects.all(), to_field_name="code", label=_("Requested State"),
        empty_label=_("Choose a State"),
    )
    measure = forms.ChoiceField(label=_("What is requested"), widget=MeasureSelect)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure_choices = dict(measure_choices())
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ChoiceField)
        measure.choices = [("", _("Choose what you need")), *self.measure_choices.items()]
        states = sorted(State.objects.all(), key=lambda state: sort_key(state.name))
        for name in ("requesting", "requested"):
            field = self.fields[name]
            assert isinstance(field, StateField)
            field.states = {state.code: state for state in states}
            field.choices = [("", field.empty_label or ""),
                             *((state.code, state.name) for state in states)]

    def measure_label(self) -> str:
        return self.measure_choices.get(self.cleaned_data["measure"], "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requesting") and data.get("requesting") == data.get("requested"):
            self.add_error("requested", _("The requested State must differ from the "
                                          "requesting State."))
        return data
