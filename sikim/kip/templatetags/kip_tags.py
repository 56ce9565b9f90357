"""Template helpers of the KIP pages: the atasan PPID's menu link (an appointment, not a role)."""

from typing import Any

from django import template

from sikim.kip.selectors.access import atasan_body_ids

register = template.Library()


@register.filter
def is_atasan_ppid(user: Any) -> bool:
    """True for a user appointed atasan PPID of at least one body."""
    return bool(user.is_authenticated and atasan_body_ids(user))
