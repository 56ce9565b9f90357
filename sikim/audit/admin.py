from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sikim.accounts.authz import Action, can
from sikim.audit.models import AuditEvent
from sikim.audit.selectors import audit_events_visible_to


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services and never edited."""

    list_display = ["created_at", "actor_label", "action", "object_repr", "region", "channel", "ip_address"]
    list_filter = ["channel"]
    search_fields = ["action", "object_repr", "actor_label", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["region"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return audit_events_visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff and can(request.user, Action.AUDIT_VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_staff and can(request.user, Action.AUDIT_VIEW, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
