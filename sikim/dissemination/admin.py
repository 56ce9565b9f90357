"""A read-only admin overview of dissemination for staff, scoped through the selectors.

Bulletins are written on the pages (/diseminasi/kelola/) and through the API, which go through
the services; the admin only shows them, with the channel status (which channels are switched off).
"""

from typing import Any
from urllib.parse import urlsplit

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikim.accounts import authz
from sikim.core.admin_permissions import NoWritesMixin
from sikim.dissemination import selectors
from sikim.dissemination.models import Bulletin, Delivery, FanOutRun, KimInboxItem, PushSubscription
from sikim.kim.permissions import KimAction


class ReadOnlyAdmin(NoWritesMixin, admin.ModelAdmin):
    pass


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "priority", "category", "region_code", "published_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["title"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bulletin]:
        return selectors.bulletins_for_user(request.user)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        try:
            from sikim.dissemination.channels.registry import channel_status

            statuses = channel_status()
        except ImportError:  # pragma: no cover - the registry ships with the app
            statuses = []
        from django.contrib import messages

        for status in statuses:
            if status.warning:
                messages.warning(request, status.warning)
        return super().changelist_view(request, extra_context)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "member", "channel", "status", "attempts", "provider_id", "error"]
    list_filter = ["channel", "status"]
    raw_id_fields = ["bulletin", "member"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        if authz.is_national_admin(request.user):
            return Delivery.objects.select_related("bulletin", "member")
        return Delivery.objects.filter(bulletin__in=selectors.bulletins_for_user(request.user)).select_related(
            "bulletin", "member"
        )


@admin.register(KimInboxItem)
class KimInboxItemAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "kim", "status", "received_at", "redisseminated_at"]
    list_filter = ["status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KimInboxItem]:
        return KimInboxItem.objects.filter(bulletin__in=selectors.bulletins_for_user(request.user)).select_related(
            "bulletin", "kim"
        )


@admin.register(FanOutRun)
class FanOutRunAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "kim", "status", "total", "batches", "started_at", "finished_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FanOutRun]:
        return FanOutRun.objects.filter(bulletin__in=selectors.bulletins_for_user(request.user))


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadOnlyAdmin):
    """Which members receive web push, on how many browsers (members add and remove them themselves)."""

    list_display = ["member", "push_service", "user_agent", "created_at", "last_success_at"]
    raw_id_fields = ["member"]
    search_fields = ["member__name"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PushSubscription]:
        return selectors.push_subscriptions_visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff) and authz.can(user, KimAction.VIEW_PERSONAL_DATA)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        kim = obj.member.kim if isinstance(obj, PushSubscription) else None
        return bool(user.is_active and user.is_staff) and authz.can(user, KimAction.VIEW_PERSONAL_DATA, kim)

    @admin.display(description=_("push service"))
    def push_service(self, obj: PushSubscription) -> str:
        return urlsplit(obj.endpoint).hostname or ""
