"""Forum KIM in the admin: a pembina sees the forums of their region; only a national admin
changes them here (everyone else uses the forum's management pages, which go through the
services and the audit log)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sikim.accounts import authz
from sikim.forums.models import ForumBoardPosition, ForumMembership, KimForum
from sikim.forums.selectors import forums_manageable_by


class ForumMembershipInline(admin.TabularInline):
    model = ForumMembership
    extra = 0
    raw_id_fields = ["kim"]


class ForumBoardPositionInline(admin.TabularInline):
    model = ForumBoardPosition
    extra = 0
    raw_id_fields = ["from_kim"]


@admin.register(KimForum)
class KimForumAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "formed_on"]
    list_filter = ["level"]
    search_fields = ["name", "slug", "region__name"]
    raw_id_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ForumMembershipInline, ForumBoardPositionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KimForum]:
        return forums_manageable_by(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return authz.is_national_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return authz.is_national_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return authz.is_national_admin(request.user)
