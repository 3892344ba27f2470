"""What the State's directory page shows about freshness: one query for anonymous visitors."""

from __future__ import annotations

from typing import Any

from django import template

from palermo.reference.models import State

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def state_confirmation(context: template.Context, state: State) -> dict[str, Any]:
    user = context.get("user")
    return {
        # The directory's State page reads it with the State (no query here).
        "last_confirmed": (state.last_confirmed_at if hasattr(state, "last_confirmed_at")
                           else selectors.last_confirmed(state)),
        "may_confirm": selectors.may_confirm(user, state),
    }
