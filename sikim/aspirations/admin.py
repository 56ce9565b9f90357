"""Aspirations in the admin, for back-office staff, scoped like every other page.

Staff see the aspirations their role reaches (`selectors.access.aspirations_for_action`): a
pembina their region, an officer their office's cases, a pengurus their KIM's. Nothing of a
case is edited here except hiding it (moderators): the text, the state and the timeline are
read-only, and the author shows only as `author_display` allows — a confidential author's
identity never appears. Routing rules and service levels are kept here by the pembina.
Abuse reports are listed read-only for moderators (without who reported); they are handled in
the moderation queue (/aspirasi/moderasi/).
"""

from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikim.accounts import authz
from sikim.aspirations.models import (
    AbuseReport,
    Aspiration,
    AspirationCorrection,
    AspirationEvent,
    AspirationPhoto,
    RoutingRule,
    ServiceLevel,
)
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.access import aspirations_for_action
from sikim.aspirations.selectors.identity import author_contact, author_display
from sikim.aspirations.selectors.moderation import aspirations_moderated_by, is_moderator
from sikim.aspirations.selectors.routing import routing_rules_for_admin, service_levels_for_admin
from sikim.aspirations.services.moderation import aspiration_hide, aspiration_unhide
from sikim.aspirations.services.routing import routing_rule_delete, routing_rule_save, service_level_save
from sikim.core.admin_permissions import NoWritesMixin, staff_can

# The user viewing a change page, for the identity columns (a ModelAdmin is shared by all requests).
_viewer: ContextVar[Any] = ContextVar("aspiration_admin_viewer", default=None)


class _ReadOnlyInline(NoWritesMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class AspirationEventInline(_ReadOnlyInline):
    model = AspirationEvent
    fields = readonly_fields = ("created_at", "kind", "from_state", "to_state", "office", "note", "is_public")
    ordering = ["created_at", "id"]


class AspirationCorrectionInline(_ReadOnlyInline):
    model = AspirationCorrection
    fields = readonly_fields = ("created_at", "text")


class AspirationPhotoInline(_ReadOnlyInline):
    model = AspirationPhoto
    fields = readonly_fields = ("image", "caption", "created_at")


class AspirationAdminForm(forms.ModelForm):
    class Meta:
        model = Aspiration
        fields = ["is_hidden", "hidden_reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("is_hidden") and not (cleaned.get("hidden_reason") or "").strip():
            raise ValidationError({"hidden_reason": _("Give a reason.")})
        return cleaned


@admin.register(Aspiration)
class AspirationAdmin(admin.ModelAdmin):
    form = AspirationAdminForm
    list_display = ["code", "title", "state", "category", "region", "office", "verify_due", "is_hidden"]
    list_filter = ["state", "category", "visibility", "is_hidden", "channel"]
    search_fields = ["code", "title"]
    list_select_related = ["region", "office"]
    date_hierarchy = "submitted_at"
    inlines = [AspirationEventInline, AspirationCorrectionInline, AspirationPhotoInline]
    readonly_fields = [
        "code",
        "author_shown",
        "contact_shown",
        "kim",
        "region",
        "latitude",
        "longitude",
        "category",
        "title",
        "text",
        "visibility",
        "state",
        "reject_reason",
        "office",
        "channel",
        "submitted_at",
        "verified_at",
        "forwarded_at",
        "answered_at",
        "closed_at",
        "verify_due",
        "followup_due",
        "autoclose_at",
        "answer",
        "rating",
        "rating_comment",
        "reopened_count",
        "support_count",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Aspiration]:
        return aspirations_for_action(request.user, AspirationAction.VIEW_INTERNAL)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if self.has_change_permission(request, obj):
            return self.readonly_fields
        return [*self.readonly_fields, "is_hidden", "hidden_reason"]

    @admin.display(description=_("author"))
    def author_shown(self, obj: Aspiration) -> str:
        return author_display(obj, _viewer.get())

    @admin.display(description=_("contact"))
    def contact_shown(self, obj: Aspiration) -> str:
        contact = author_contact(obj, _viewer.get())
        if contact is None:
            return "—"
        return " · ".join(part for part in (contact.name, contact.phone, contact.email) if part)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        token = _viewer.set(request.user)
        try:
            response = super().changeform_view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _viewer.reset(token)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, AspirationAction.VIEW_INTERNAL)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, AspirationAction.VIEW_INTERNAL, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # aspirations come in through the form and the channels

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, AspirationAction.MODERATE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record stays; a moderator hides it from the public instead

    def save_model(self, request: HttpRequest, obj: Aspiration, form: Any, change: bool) -> None:
        if "is_hidden" not in form.changed_data and "hidden_reason" not in form.changed_data:
            return
        # The form changed the instance in memory; the services work from the stored row.
        if form.cleaned_data["is_hidden"]:
            aspiration_hide(actor=request.user, aspiration=obj, reason=form.cleaned_data["hidden_reason"])
        else:
            aspiration_unhide(actor=request.user, aspiration=obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # the inlines are read-only: nothing to save
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class _ScopedRuleForm(forms.ModelForm):
    actor: Any = None

    def clean_region(self) -> Any:
        region = self.cleaned_data.get("region")
        if region is not None and not authz.can(self.actor, AspirationAction.MANAGE_ROUTING, region):
            raise ValidationError(_("You may only set this for your own region."))
        return region


class RoutingRuleForm(_ScopedRuleForm):
    class Meta:
        model = RoutingRule
        fields = ["category", "region", "office", "priority", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        office, region = cleaned.get("office"), cleaned.get("region")
        if office is not None and region is not None and not office.covers(region.code):
            raise ValidationError({"office": _("This office does not act for the rule's region.")})
        return cleaned


class ServiceLevelForm(_ScopedRuleForm):
    class Meta:
        model = ServiceLevel
        fields = ["region", "verify_days", "followup_days", "autoclose_days"]

    def clean_region(self) -> Any:
        region = self.cleaned_data.get("region")
        if region is None and not authz.is_national_admin(self.actor):
            raise ValidationError(_("Only a national administrator sets the national default."))
        return super().clean_region()


class _ScopedSettingsAdmin(admin.ModelAdmin):
    raw_id_fields = ["region"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, AspirationAction.MANAGE_ROUTING)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.region_id is None:
            return authz.is_national_admin(request.user) and self.has_module_permission(request)
        return staff_can(request, AspirationAction.MANAGE_ROUTING, obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(_ScopedSettingsAdmin):
    form = RoutingRuleForm
    list_display = ["region", "category", "office", "priority", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["region__name", "region__code", "office__name"]
    list_select_related = ["region", "office"]
    raw_id_fields = ["region", "office"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoutingRule]:
        return routing_rules_for_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        routing_rule_save(actor=request.user, rule=obj)

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        routing_rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            routing_rule_delete(actor=request.user, rule=rule)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(_ScopedSettingsAdmin):
    form = ServiceLevelForm
    list_display = ["__str__", "verify_days", "followup_days", "autoclose_days"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceLevel]:
        return service_levels_for_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ServiceLevel, form: Any, change: bool) -> None:
        service_level_save(actor=request.user, level=obj)


@admin.register(AbuseReport)
class AbuseReportAdmin(NoWritesMixin, admin.ModelAdmin):
    """Read-only: reports are resolved in the moderation queue. The reporter is never shown."""

    list_display = ("aspiration", "reason", "created_at", "outcome", "resolved_at")
    list_filter = ("reason", "outcome")
    list_select_related = ("aspiration",)
    search_fields = ("aspiration__code",)
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "aspiration",
        "correction",
        "reason",
        "note",
        "created_at",
        "resolved_at",
        "resolved_by",
        "outcome",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[AbuseReport]:
        moderated = aspirations_moderated_by(request.user).values("pk")
        return AbuseReport.objects.filter(aspiration__in=moderated).select_related("aspiration", "resolved_by")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff) and is_moderator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)
