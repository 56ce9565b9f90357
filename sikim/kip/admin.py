"""Information requests in the admin, for back-office staff, scoped like every other page.

- Requests: read-only, for the body's PPID (their body) and the pembina (bodies of their region).
  The requester's identity shows whole only to the body's PPID (`selectors.identity`); everyone
  else sees the name masked and no contact at all. Decisions and objections are made through
  the services (the pages of the next step), not edited here.
- Daftar Informasi Publik: kept by the body's PPID, saved through `register_entry_save`
  (summary redacted, PDF checked).
- Atasan PPID: appointed by the pembina of the body's region (`atasan_appoint`).
- KIP calendar (cuti bersama, added and removed dates): national administrators only.
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
from sikim.core.admin_permissions import NoWritesMixin, staff_can
from sikim.core.uploads import clean_pdf
from sikim.kip.models import (
    AtasanPpid,
    CalendarOverride,
    CalendarSettings,
    Decision,
    InformationRequest,
    Objection,
    RegisterEntry,
)
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import requests_for_action
from sikim.kip.selectors.identity import requester_display, requester_identity
from sikim.kip.selectors.register import atasan_for_action, register_entries_for_action
from sikim.kip.services.register import register_entry_save
from sikim.kip.services.settings import (
    atasan_appoint,
    calendar_override_delete,
    calendar_override_save,
    calendar_settings_save,
)

REQUEST_ADMIN_FIELDS: tuple[str, ...] = (
    "registration_number",
    "tracking_code",
    "body",
    "requester_shown",
    "identity_shown",
    "information",
    "purpose",
    "access_form",
    "copy_format",
    "delivery",
    "state",
    "submitted_at",
    "registered_at",
    "received_at",
    "decision_due",
    "extended",
    "extension_reason",
    "extended_at",
    "extended_due",
)

_viewer: ContextVar[Any] = ContextVar("kip_admin_viewer", default=None)


class _ReadOnlyInline(NoWritesMixin, admin.StackedInline):
    extra = 0
    can_delete = False


class DecisionInline(_ReadOnlyInline):
    model = Decision
    fields = readonly_fields = (
        "outcome",
        "exemption_ground",
        "consequence_test",
        "response_text",
        "cost",
        "decided_at",
    )


class ObjectionInline(_ReadOnlyInline):
    model = Objection
    fields = readonly_fields = (
        "grounds",
        "statement",
        "filed_at",
        "window_closes",
        "answer_due",
        "answer",
        "answered_at",
    )


@admin.register(InformationRequest)
class InformationRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "requester_shown", "state", "received_at", "decision_due", "extended"]
    list_filter = ["state", "extended", "access_form", "delivery"]
    search_fields = ["registration_number", "tracking_code"]
    list_select_related = ["body"]
    date_hierarchy = "submitted_at"
    inlines = [DecisionInline, ObjectionInline]
    readonly_fields = REQUEST_ADMIN_FIELDS
    fields = REQUEST_ADMIN_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[InformationRequest]:
        return requests_for_action(request.user, KipAction.VIEW_INTERNAL)

    def _as_viewer(self, request: HttpRequest, view: Any, *args: Any, **kwargs: Any) -> Any:
        token = _viewer.set(request.user)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _viewer.reset(token)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        return self._as_viewer(request, super().changelist_view, extra_context)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return self._as_viewer(request, super().changeform_view, *args, **kwargs)

    @admin.display(description=_("requester"))
    def requester_shown(self, obj: InformationRequest) -> str:
        return requester_display(obj, _viewer.get())

    @admin.display(description=_("identity and contact"))
    def identity_shown(self, obj: InformationRequest) -> str:
        identity = requester_identity(obj, _viewer.get())
        if identity is None:
            return "—"
        parts = (identity.name, identity.id_number, identity.address, identity.phone, identity.email)
        return " · ".join(part for part in parts if part)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.VIEW_INTERNAL)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KipAction.VIEW_INTERNAL, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come in through the services (pages and API)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a request is a legal record


class RegisterEntryForm(forms.ModelForm):
    actor: Any = None

    class Meta:
        model = RegisterEntry
        fields = [
            "body",
            "category",
            "title",
            "summary",
            "exemption_ground",
            "exemption_reason",
            "document",
            "year",
            "is_published",
        ]

    def clean_body(self) -> Any:
        body = self.cleaned_data.get("body")
        if body is not None and not authz.can(self.actor, KipAction.MANAGE_REGISTER, RegisterEntry(body=body)):
            raise ValidationError(_("You may only keep the register of your own public body."))
        return body

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):  # a new upload
            clean_pdf(document)
        return document


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    form = RegisterEntryForm
    list_display = ["title", "body", "category", "year", "is_published"]
    list_filter = ["category", "is_published", "year"]
    search_fields = ["title", "summary", "body__name"]
    list_select_related = ["body"]
    raw_id_fields = ["body"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegisterEntry]:
        return register_entries_for_action(request.user, KipAction.MANAGE_REGISTER)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.MANAGE_REGISTER)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KipAction.MANAGE_REGISTER, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.MANAGE_REGISTER)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KipAction.MANAGE_REGISTER, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unpublish instead: the register keeps its history

    def save_model(self, request: HttpRequest, obj: RegisterEntry, form: Any, change: bool) -> None:
        register_entry_save(actor=request.user, entry=obj)


class AtasanPpidForm(forms.ModelForm):
    actor: Any = None

    class Meta:
        model = AtasanPpid
        fields = ["body", "user", "position"]

    def clean_body(self) -> Any:
        body = self.cleaned_data.get("body")
        if body is not None and not authz.can(self.actor, KipAction.MANAGE_ATASAN, body):
            raise ValidationError(_("You may only appoint the atasan PPID of bodies in your own region."))
        return body


@admin.register(AtasanPpid)
class AtasanPpidAdmin(admin.ModelAdmin):
    form = AtasanPpidForm
    list_display = ["user", "body", "position", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["body__name", "user__full_name", "user__email"]
    list_select_related = ["body", "user"]
    raw_id_fields = ["body", "user"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[AtasanPpid]:
        return atasan_for_action(request.user, KipAction.MANAGE_ATASAN)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.MANAGE_ATASAN)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KipAction.MANAGE_ATASAN, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.MANAGE_ATASAN)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # appoint someone else instead (the previous appointment is revoked)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AtasanPpid, form: Any, change: bool) -> None:
        saved = atasan_appoint(actor=request.user, body=obj.body, user=obj.user, position=obj.position)
        obj.pk = saved.pk


class _CalendarAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KipAction.MANAGE_CALENDAR)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(_CalendarAdmin):
    list_display = ["__str__", "cuti_bersama_off", "updated_at"]
    fields = ["cuti_bersama_off"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and not CalendarSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarSettings, form: Any, change: bool) -> None:
        saved = calendar_settings_save(actor=request.user, cuti_bersama_off=obj.cuti_bersama_off)
        obj.pk = saved.pk


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_CalendarAdmin):
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    fields = ["date", "kind", "reason"]
    date_hierarchy = "date"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        calendar_override_save(actor=request.user, override=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            calendar_override_delete(actor=request.user, override=override)
