"""The admin for the KIM registry: an overview for staff, scoped like every other page.

Who sees what is decided by `sikim.accounts.authz`: a national administrator everything, a
pembina (with staff access) the KIMs of their region subtree. Changes go through the services
so the admin leaves the same audit trail as the rest of SIKIM; the lifecycle (formation,
registration, status) and the profile are changed on the management pages (/kim/kelola/),
which check every rule.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikim.accounts import authz
from sikim.accounts.models import User
from sikim.core.admin_permissions import staff_can
from sikim.kim.models import (
    Formation,
    FormationPhoto,
    Kim,
    KimDocument,
    KimMember,
    KimSector,
    KimStatusChange,
    PembinaOffice,
)
from sikim.kim.permissions import KimAction
from sikim.kim.selectors.registry import (
    kim_documents_for_admin,
    kim_members_for_admin,
    kims_for_action,
    pembina_offices_for_admin,
)
from sikim.kim.services.documents import kim_document_delete
from sikim.kim.services.offices import kim_set_pembina_office, pembina_office_delete, pembina_office_save
from sikim.wilayah.models import code_in_subtree


def _kim_of(obj: Any) -> Any:
    return obj if obj is None or isinstance(obj, Kim) else obj.kim


class ScopedReadOnly:
    """Visible to staff who may do `view_action` to the object's KIM; never added or changed here."""

    view_action: str = KimAction.VIEW_INTERNAL

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, self.view_action)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, self.view_action, _kim_of(obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Pembina offices ---------------------------------------------------------------------------


@admin.register(PembinaOffice)
class PembinaOfficeAdmin(admin.ModelAdmin):
    """Dinas Kominfo offices: managed by national administrators, seen by the pembina of their region."""

    list_display = ["name", "region", "email", "phone"]
    search_fields = ["name", "region__name", "region__code"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[PembinaOffice]:
        return pembina_offices_for_admin(request.user)

    def _national(self, request: HttpRequest) -> bool:
        return staff_can(request, KimAction.MANAGE_PEMBINA_OFFICE) and authz.is_national_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._national(request) or staff_can(request, KimAction.VIEW_INTERNAL)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._national(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request)

    def save_model(self, request: HttpRequest, obj: PembinaOffice, form: Any, change: bool) -> None:
        pembina_office_save(actor=request.user, office=obj)

    def delete_model(self, request: HttpRequest, obj: PembinaOffice) -> None:
        try:
            pembina_office_delete(actor=request.user, office=obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PembinaOffice]) -> None:
        for office in queryset:
            self.delete_model(request, office)


# --- KIMs ------------------------------------------------------------------------------------------


class KimSectorInline(ScopedReadOnly, admin.TabularInline):
    model = KimSector
    extra = 0
    fields = ["sector"]
    readonly_fields = ["sector"]


class KimStatusChangeInline(ScopedReadOnly, admin.TabularInline):
    model = KimStatusChange
    extra = 0
    fields = readonly_fields = ("changed_at", "from_status", "to_status", "actor", "note")
    ordering = ["-changed_at", "-id"]
    verbose_name = _("status change")
    verbose_name_plural = _("status history")


class KimDocumentInline(ScopedReadOnly, admin.TabularInline):
    model = KimDocument
    extra = 0
    fields = readonly_fields = ("kind", "title", "is_public", "created_at")


class KimAdminForm(forms.ModelForm):
    class Meta:
        model = Kim
        fields = ["pembina_office"]

    def clean_pembina_office(self) -> PembinaOffice | None:
        office = self.cleaned_data.get("pembina_office")
        if office is not None and not code_in_subtree(self.instance.region_id, office.region_id):
            raise ValidationError(_("This office does not foster the KIM's region."))
        return office


@admin.register(Kim)
class KimAdmin(admin.ModelAdmin):
    """KIMs of the viewer's region. Only the pembina office is assigned here (national administrators)."""

    form = KimAdminForm
    list_display = ["name", "region", "status", "registration_number", "pembina_office", "has_village_sibling"]
    list_filter = ["status", "has_village_sibling"]
    search_fields = ["name", "slug", "registration_number", "region__name", "region__code"]
    list_select_related = ["region", "pembina_office"]
    inlines = [KimSectorInline, KimStatusChangeInline, KimDocumentInline]
    readonly_fields = [
        "name",
        "slug",
        "region",
        "status",
        "registration_number",
        "registered_at",
        "about",
        "address",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "social_links",
        "logo",
        "run_by_group",
        "proposed_by",
        "proposer_name",
        "proposer_contact",
        "has_village_sibling",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Kim]:
        return kims_for_action(request.user, KimAction.VIEW_INTERNAL)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if self.has_change_permission(request, obj):
            return self.readonly_fields
        return [*self.readonly_fields, "pembina_office"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(request, KimAction.VIEW_INTERNAL)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KimAction.VIEW_INTERNAL, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # KIMs are proposed at /kim/usulkan/

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KimAction.MANAGE_PEMBINA_OFFICE) and authz.is_national_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a KIM is dissolved, never deleted: its history stays

    def save_model(self, request: HttpRequest, obj: Kim, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        if "pembina_office" in form.changed_data:
            kim_set_pembina_office(actor=request.user, kim=obj, office=form.cleaned_data["pembina_office"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # the inlines are read-only: nothing to save
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


# --- Formation, documents, members ----------------------------------------------------------------


class FormationPhotoInline(ScopedReadOnly, admin.TabularInline):
    model = FormationPhoto
    extra = 0
    fields = readonly_fields = ("image", "caption")


@admin.register(Formation)
class FormationAdmin(ScopedReadOnly, admin.ModelAdmin):
    list_display = ["kim", "held_on", "place", "decree_number", "decree_date"]
    search_fields = ["kim__name", "decree_number", "place"]
    list_select_related = ["kim"]
    date_hierarchy = "held_on"
    inlines = [FormationPhotoInline]
    readonly_fields = [
        "kim",
        "held_on",
        "place",
        "facilitators",
        "facilitator_names",
        "attendees_count",
        "minutes",
        "decree_number",
        "decree_date",
        "decree_issued_by",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Formation]:
        kims = kims_for_action(request.user, KimAction.VIEW_INTERNAL)
        return Formation.objects.filter(kim__in=kims.values("pk")).select_related("kim")


@admin.register(KimDocument)
class KimDocumentAdmin(ScopedReadOnly, admin.ModelAdmin):
    """Documents are uploaded on the KIM's documents page; staff may delete them here."""

    view_action = KimAction.MANAGE_DOCUMENTS
    list_display = ["title", "kim", "kind", "is_public", "created_at"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "kim__name"]
    list_select_related = ["kim"]
    readonly_fields = ["kim", "kind", "title", "file", "is_public", "uploaded_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KimDocument]:
        return kim_documents_for_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(request, KimAction.MANAGE_DOCUMENTS, _kim_of(obj))

    def delete_model(self, request: HttpRequest, obj: KimDocument) -> None:
        try:
            kim_document_delete(actor=request.user, document=obj)
        except PermissionDenied:
            messages.error(request, _("“%(title)s” is not yours to delete.") % {"title": obj.title})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[KimDocument]) -> None:
        for document in queryset:
            self.delete_model(request, document)


@admin.register(KimMember)
class KimMemberAdmin(ScopedReadOnly, admin.ModelAdmin):
    """Members with their contact details: for staff allowed to see personal data, in their scope."""

    view_action = KimAction.VIEW_PERSONAL_DATA
    list_display = ["name", "kim", "kind", "sector", "phone", "email", "is_active"]
    list_filter = ["kind", "sector", "is_active", "preferred_channel"]
    search_fields = ["name", "phone", "email", "kim__name"]
    list_select_related = ["kim"]
    readonly_fields = [
        "kim",
        "kind",
        "name",
        "organisation_type",
        "user",
        "phone",
        "email",
        "gender",
        "age_group",
        "occupation",
        "sector",
        "preferred_channel",
        "consent_email",
        "consent_sms",
        "consent_whatsapp",
        "consent_telegram",
        "joined_on",
        "is_active",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KimMember]:
        return kim_members_for_admin(request.user)
