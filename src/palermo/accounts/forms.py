from __future__ import annotations

from types import EllipsisType
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from palermo.directory.access import authorities_visible_to
from palermo.directory.models import Authority
from palermo.reference.models import State
from palermo.reference.selectors import sort_key

from . import access
from .models import Invitation, User


def _state_choices(states: QuerySet[State], empty: str) -> list[tuple[str, str]]:
    ordered = sorted(states, key=lambda state: sort_key(state.name))
    return [("", empty), *((state.code, state.name) for state in ordered)]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"))
    state: forms.ModelChoiceField[State] = forms.ModelChoiceField(
        queryset=State.objects.none(), to_field_name="code", required=False,
        label=_("State"),
    )
    authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        queryset=Authority.objects.none(), required=False, label=_("Authority"),
        help_text=_("Optional: the authority of the State the person will work at. Colleagues "
                    "share request drafts within it, and a reviewer reviews the requests it "
                    "sends."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES,
        help_text=_("For a person who has no account yet; an account's own language wins."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = access.invitable_roles(user)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Invitation.Role.choices
                        if value in roles]
        states = access.invitable_states(user)
        state = self.fields["state"]
        assert isinstance(state, forms.ModelChoiceField)
        state.queryset = states
        if user.is_secretariat:
            state.choices = _state_choices(states, str(_("None (secretariat)")))
        else:
            state.choices = [(s.code, s.name) for s in states]
        self.fields["language"].initial = get_language()
        self._authority_choices(user, states)

    def _authority_choices(self, user: User, states: QuerySet[State]) -> None:
        """The list offers the authorities the user sees of the chosen State (of the user's
        States when none is chosen yet: a focal point's; the secretariat first chooses the
        State, then asks for its authorities). Any authority the user sees is accepted, and
        ``clean`` says plainly when it is not of the chosen State."""
        field = self.fields["authority"]
        assert isinstance(field, forms.ModelChoiceField)
        visible = authorities_visible_to(user)
        field.queryset = visible
        chosen = self._chosen_state_code()
        if chosen:
            offered = visible.filter(state__in=states, state__code=chosen)
        elif user.is_secretariat:
            offered = visible.none()
            field.help_text = _("Optional: choose the State above, then “Show its "
                                "authorities”, to pick the authority the person will work at.")
        else:
            offered = visible.filter(state__in=states)
        by_state: dict[State, list[tuple[int, str]]] = {}
        for authority in offered.select_related("state").order_by("state__code", "name"):
            by_state.setdefault(authority.state, []).append((authority.pk, authority.name))
        empty = ("", str(_("None")))
        if len(by_state) <= 1:
            field.choices = [empty, *(next(iter(by_state.values())) if by_state else [])]
        else:
            ordered = sorted(by_state.items(), key=lambda item: sort_key(item[0].name))
            field.choices = [empty, *((state.name, names) for state, names in ordered)]

    def _chosen_state_code(self) -> str:
        raw = self.data.get("state") if self.is_bound else self.initial.get("state")
        code = getattr(raw, "code", raw)
        return code if isinstance(code, str) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, state, authority = data.get("role"), data.get("state"), data.get("authority")
        if role == Invitation.Role.SECRETARIAT and state is not None:
            self.add_error("state", _("The secretariat belongs to no State; leave this empty."))
        elif role and role != Invitation.Role.SECRETARIAT and state is None \
                and "state" not in self.errors:
            self.add_error("state", _("Choose the State of this role."))
        if authority is not None:
            if role == Invitation.Role.SECRETARIAT:
                self.add_error("authority", _(
                    "The secretariat works at no authority of a State; leave this empty."))
            elif state is not None and authority.state_id != state.pk:
                self.add_error("authority", _(
                    "%(authority)s is not an authority of %(state)s: choose one of the State "
                    "of this role.") % {"authority": authority.name, "state": state.name})
        return data


class MembershipAuthorityForm(forms.Form):
    """The authority a member works at; empty clears it. Its State is checked by the service."""

    authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        queryset=Authority.objects.none(), required=False, label=_("Authority"),
        error_messages={"invalid_choice": _(
            "This authority does not exist, or you may not see it. Nothing was changed.")},
    )

    # The authority as the page showed it (empty: none), to refuse a change made meanwhile.
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authorities_visible_to(user).select_related("state")

    def clean_shown(self) -> int | EllipsisType | None:
        """``...`` when the form did not say (then nothing is compared)."""
        if "shown" not in self.data:
            return ...
        value: str = self.cleaned_data["shown"]
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(_("The form was damaged; nothing was changed."))
        return int(value)


class AcceptInvitationForm(forms.Form):
    """A new account's name and password."""

    first_name = forms.CharField(label=_("First name"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            # The validators compare the password with the person's name and address.
            person = User(email=self.email, first_name=data.get("first_name", ""),
                          last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(password1, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class StateFilterForm(forms.Form):
    """Narrow a secretariat list to one State."""

    state: forms.ModelChoiceField[State] = forms.ModelChoiceField(
        queryset=State.objects.none(), to_field_name="code", required=False,
        label=_("State"),
    )

    def __init__(self, *args: Any, states: QuerySet[State], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = states
        field.choices = _state_choices(states, str(_("All States")))

    def selected_state(self) -> State | None:
        if not self.is_bound or not self.is_valid():
            return None
        state: State | None = self.cleaned_data.get("state")
        return state
