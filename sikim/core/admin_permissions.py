"""Permission pieces every app's Django admin uses: staff status plus the one authorization module."""

from typing import Any

from django.http import HttpRequest

from sikim.accounts import authz


def staff_can(request: HttpRequest, action: str, obj: Any = None) -> bool:
    """The admin shows and changes only what the same user may do through the pages and the API."""
    return bool(request.user.is_active and request.user.is_staff) and authz.can(request.user, action, obj)


class NoWritesMixin:
    """For admins and inlines that only show records (audit trails, timelines, deliveries)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
