"""Government offices in the admin, scoped like every other page.

A national administrator sees and manages every office; a pembina (with staff access) the
offices whose jurisdiction lies inside their region subtree; an officer sees their own office.
Changes go through `sikim.offices.services`, so they leave the same audit trail.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikim.accounts import authz
from sikim.core.admin_permissions import staff_can
from sikim.offices.models import GovernmentOffice
from sikim.offices.permissions import OfficeAction
from sikim.offices.selectors import offices_for_admin
from sikim.offices.services import office_save


class GovernmentOfficeAdminForm(forms.ModelForm):
    """Refuses, on the form, a jurisdiction outside the staff member's own region subtree."""

    actor: Any = None

    class Meta:
        model = GovernmentOffice
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "region",
            "email",
            "phone",
            "address",
            "website",
            "is_active",
            "head",
        ]

    def clean_region(self) -> Any:
        region = self.cleaned_data.get("region")
        if region is not None and not authz.can(self.actor, OfficeAction.MANAGE, region):
            raise ValidationError(_("You may only manage offices inside your own region."))
        return region


@admin.register(GovernmentOffice)
class GovernmentOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "slug", "region__name", "region__code"]
    list_select_related = ["region"]
    raw_id_fields = ["region", "head"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    form = GovernmentOfficeAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[GovernmentOffice]:
        return offices_for_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, OfficeAction.VIEW_INTERNAL)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, OfficeAction.VIEW_INTERNAL, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, OfficeAction.MANAGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, OfficeAction.MANAGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an office is deactivated (is_active), never deleted: its cases keep pointing at it

    def save_model(self, request: HttpRequest, obj: GovernmentOffice, form: Any, change: bool) -> None:
        office_save(actor=request.user, office=obj)
