"""The admin for people, role grants and API tokens.

Who may see what is decided by `sikim.accounts.authz`, as everywhere else: accounts and
tokens are for national administrators; role grants also for a staff member who may grant
roles (a pembina, inside their region). Every change goes through the services, so the
admin leaves the same audit trail as the rest of SIKIM.
"""

from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sikim.accounts import authz, selectors, services
from sikim.accounts.authz import Action
from sikim.accounts.models import ApiToken, RoleGrant, User
from sikim.accounts.phone import normalize_phone

# Apps whose models are never the organisation a role is for.
NOT_ORGANISATION_APPS = ["admin", "auth", "contenttypes", "sessions", "accounts", "audit", "axes", "wilayah", "core"]

# Who is changing a password in the admin, for the audit log (Django's view gives the
# form no request). A ContextVar is per request, so concurrent requests do not mix.
_password_actor: ContextVar[User | None] = ContextVar("sikim_admin_password_actor", default=None)


def _is_staff_national_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_staff) and authz.is_national_admin(request.user)


class NationalAdminOnly:
    """Admin permissions for data only national administrators manage."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff_national_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_national_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_national_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_national_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are switched off (is_active), never deleted: the audit log points at them


# --- Forms ------------------------------------------------------------------------------


class _LoginFieldsMixin(forms.ModelForm):
    """Email lowercased, phone normalised to +62… before uniqueness is checked."""

    def clean_email(self) -> str | None:
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else None

    def clean_phone(self) -> str | None:
        phone = self.cleaned_data.get("phone")
        if not phone:
            return None
        normalized = normalize_phone(phone)
        if normalized is None:
            raise ValidationError(_("Enter an Indonesian phone number, for example 0812-3456-7890."))
        return normalized

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
            self.add_error("email", _("Enter an email address or a phone number (or both)."))
        return cleaned


class UserAddForm(_LoginFieldsMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "phone", "home_region")


class UserEditForm(_LoginFieldsMixin, UserChangeForm):
    class Meta:
        model = User
        fields = [
            "full_name",
            "email",
            "phone",
            "password",
            "home_region",
            "preferred_language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        ]


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        actor = _password_actor.get()
        if actor is None:
            raise PermissionDenied
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        return services.user_set_password(actor=actor, user=self.user, password=password)


class RoleGrantForm(forms.ModelForm):
    """Checks a new grant with the same rules as `services.role_grant`."""

    actor: User | None = None  # set on the per-request form class by the admin

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "region", "organisation_type", "organisation_id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "organisation_type" in self.fields:
            field = self.fields["organisation_type"]
            field.queryset = ContentType.objects.exclude(app_label__in=NOT_ORGANISATION_APPS)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or self.instance.pk is not None or not self.has_changed():
            return cleaned
        organisation = None
        organisation_type, organisation_id = cleaned.get("organisation_type"), cleaned.get("organisation_id")
        if (organisation_type is None) != (organisation_id is None):
            raise ValidationError(_("Give both the organisation type and its id, or neither."))
        if organisation_type is not None:
            try:
                organisation = organisation_type.get_object_for_this_type(pk=organisation_id)
            except (ObjectDoesNotExist, ValueError, TypeError):
                raise ValidationError({"organisation_id": _("No such organisation.")}) from None
        cleaned["organisation"] = organisation
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        if self.actor is None or user is None:
            raise ValidationError(_("Choose the user to give the role to."))
        try:
            services.role_grant_check(
                actor=self.actor,
                user=user,
                role=cleaned["role"],
                region=cleaned.get("region"),
                organisation=organisation,
            )
        except PermissionDenied:
            raise ValidationError(_("You may not give this role here.")) from None
        return cleaned

    def _post_clean(self) -> None:
        # The model's own checks run on the service's save; the checks above cover them.
        pass


def _form_for(form_class: type[forms.ModelForm], request: HttpRequest) -> type[forms.ModelForm]:
    """A subclass of the admin's form class that knows who is granting, for this request only."""
    return type(form_class.__name__, (form_class,), {"actor": request.user})


def _grant_from_form(actor: User, form: RoleGrantForm, user: User | None = None) -> RoleGrant:
    data = form.cleaned_data
    return services.role_grant(
        actor=actor,
        user=user or data["user"],
        role=data["role"],
        region=data.get("region"),
        organisation=data.get("organisation"),
    )


# --- Role grants -----------------------------------------------------------------------


def _may_grant(request: HttpRequest, obj: Any = None) -> bool:
    if not request.user.is_staff:
        return False
    scope = None
    if isinstance(obj, RoleGrant):
        scope = obj.region if obj.region_id else None
    return authz.can(request.user, Action.ROLE_GRANT, scope)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    form = RoleGrantForm
    extra = 0
    fields = ["role", "region", "organisation_type", "organisation_id", "granted_by", "created_at", "revoked_at"]
    readonly_fields = ["granted_by", "created_at", "revoked_at"]
    raw_id_fields = ["region"]
    verbose_name_plural = _("role grants (revoke them on the role grants page)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return selectors.role_grants_visible_to(request.user).order_by("revoked_at", "-created_at")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)
        formset.form = _form_for(formset.form, request)
        return formset

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_grant(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_grant(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # grants are not edited: revoke and grant anew

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    list_display = ["user", "role", "region", "organisation_type", "organisation_id", "granted_by", "created_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__email", "user__phone", "region__code", "region__name"]
    list_select_related = ["user", "region", "organisation_type", "granted_by"]
    raw_id_fields = ["user", "region"]
    readonly_fields = ["granted_by", "created_at", "revoked_at"]
    actions = ["revoke_selected"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        fields = ["user", "role", "region", "organisation_type", "organisation_id"]
        return fields if obj is None else [*fields, "granted_by", "created_at", "revoked_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return selectors.role_grants_visible_to(request.user)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        return _form_for(super().get_form(request, obj, change=change, **kwargs), request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_grant(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_grant(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_grant(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> RoleGrant:
        assert isinstance(request.user, User)
        return _grant_from_form(request.user, form)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        pass  # saved by the service in save_form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass

    @admin.action(description=_("Revoke the selected role grants"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        assert isinstance(request.user, User)
        revoked = refused = 0
        for grant in queryset.filter(revoked_at__isnull=True):
            try:
                services.role_revoke(actor=request.user, grant=grant)
                revoked += 1
            except PermissionDenied:
                refused += 1
        if revoked:
            messages.success(
                request, ngettext("%(n)d role grant revoked.", "%(n)d role grants revoked.", revoked) % {"n": revoked}
            )
        if refused:
            messages.error(
                request,
                ngettext(
                    "%(n)d role grant is not yours to revoke.", "%(n)d role grants are not yours to revoke.", refused
                )
                % {"n": refused},
            )


# --- People ---------------------------------------------------------------------------


@admin.register(User)
class UserAdmin(NationalAdminOnly, DjangoUserAdmin):  # type: ignore[misc]
    form = UserEditForm
    add_form = UserAddForm
    change_password_form = AuditedPasswordChangeForm
    add_form_template = None
    inlines = [RoleGrantInline]
    list_display = ["full_name", "email", "phone", "home_region", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "preferred_language", "date_joined"]
    search_fields = ["full_name", "email", "phone"]
    ordering = ["full_name"]
    raw_id_fields = ["home_region"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("full_name", "email", "phone", "password")}),
        (_("Personal details"), {"fields": ("home_region", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("full_name", "email", "phone", "home_region")}),
        (_("Password"), {"classes": ("wide",), "fields": ("password1", "password2")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return selectors.users_visible_to_admin(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "groups"]
        return fields

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [RoleGrantInline] if obj is not None else []

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> User:
        assert isinstance(request.user, User)
        if change:
            return form.save(commit=False)
        data = form.cleaned_data
        return services.user_register(
            actor=request.user,
            full_name=data["full_name"],
            email=data.get("email"),
            phone=data.get("phone"),
            password=data["password1"],
            home_region=data.get("home_region"),
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        if change:
            services.user_save_by_admin(actor=request.user, user=obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleGrant:
            formset.save()
            return
        assert isinstance(request.user, User)
        # What Django's formset.save() would leave behind, for the admin's change message.
        formset.new_objects = [
            _grant_from_form(request.user, grant_form, user=form.instance)
            for grant_form in formset.extra_forms
            if grant_form.has_changed() and grant_form.is_valid()
        ]
        formset.changed_objects = []
        formset.deleted_objects = []

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        token = _password_actor.set(request.user if isinstance(request.user, User) else None)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)


# --- API tokens -----------------------------------------------------------------------


TOKEN_ADMIN_FIELDS = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(NationalAdminOnly, admin.ModelAdmin):  # type: ignore[misc]
    """Read only, and never the hash: a national administrator can only revoke."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__full_name", "user__email", "user__phone"]
    list_select_related = ["user"]
    fields = tuple(TOKEN_ADMIN_FIELDS)
    readonly_fields = TOKEN_ADMIN_FIELDS
    actions = ["revoke_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return selectors.api_tokens_visible_to_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        assert isinstance(request.user, User)
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke_by_admin(actor=request.user, token=token)
            count += 1
        messages.success(request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count})
