from typing import Any

from django import template

from sikim.accounts import authz

register = template.Library()


@register.filter
def can(user: Any, action: str) -> bool:
    """`{% if user|can:"audit.view" %}`: the same answer the views and API give."""
    return authz.can(user, action)
