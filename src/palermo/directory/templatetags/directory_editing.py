"""Whether to offer editing links: the rule of :func:`palermo.directory.access.may_edit_state`."""

from __future__ import annotations

from typing import Any

from django import template

from palermo.directory import access

register = template.Library()


@register.filter
def may_edit(user: Any, state: Any) -> bool:
    """``{% if user|may_edit:state %}``: the user may change this State's entries."""
    return access.may_edit_state(user, state)
