"""Forms for accounts. They check and tidy what people type; services do the writing."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from sikim.accounts import services
from sikim.accounts.models import ApiTokenScope, User
from sikim.accounts.phone import looks_like_phone, normalize_phone
from sikim.accounts.selectors import village_by_code
from sikim.core.middleware import client_ip
from sikim.wilayah.models import Region

FULL_NAME_MAX_LENGTH = 150


def canonical_login(identifier: str) -> str:
    """The one spelling of an email or phone number, so that "0812…" and "+62812…"
    count as the same login for the lockout after too many failed attempts."""
    identifier = (identifier or "").strip()
    if looks_like_phone(identifier):
        return normalize_phone(identifier) or identifier
    return identifier.lower()


class VillageCodeField(forms.CharField):
    """A desa/kelurahan typed as its Kemendagri code, e.g. 63.72.05.1004."""

    default_error_messages = {
        "not_village": _(
            "Enter the code of a village (desa or kelurahan), e.g. 63.72.05.1004. Look it up on the Regions page."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Home village code"))
        kwargs.setdefault(
            "help_text", _("Optional. The Kemendagri code of your desa or kelurahan, e.g. 63.72.05.1004.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "63.72.05.1004"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Region):
            return value.code
        return super().prepare_value(value)

    def clean(self, value: Any) -> Region | None:  # type: ignore[override]
        code = super().clean(value)
        if not code:
            return None
        region = village_by_code(code)
        if region is None:
            raise ValidationError(self.error_messages["not_village"], code="not_village")
        return region


class LoginForm(AuthenticationForm):
    """Log in with an email address or an Indonesian phone number."""

    error_messages = {
        "invalid_login": _(
            "The email or phone number and the password do not match an account. Check them and try again."
        ),
        "inactive": _("This account has been switched off. Ask your administrator."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email or phone number")
        username.help_text = _("For example nama@contoh.id or 0812-3456-7890.")
        username.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        # AuthenticationForm sets max_length after the field is built, so no validator checks it:
        # a 10,000-character "login" would reach the lockout log (a 255-character column).
        username.validators.append(MaxLengthValidator(254))

    def clean_username(self) -> str:
        return canonical_login(self.cleaned_data.get("username") or "")

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # django-axes finds the login in the credentials under the user model's USERNAME_FIELD
            # ("email"), so it is passed there too (our backend ignores it): failed attempts are
            # then counted per person, whichever spelling of the phone number is typed.
            self.user_cache = authenticate(self.request, username=username, password=password, email=username)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


PHONE_FORMAT_ERROR = _("Enter an Indonesian phone number, for example 0812-3456-7890 or +62 812 3456 7890.")


def clean_optional_phone(value: str | None) -> str:
    """Shown next to the other mistakes at once (the service checks it again)."""
    if not value or not value.strip():
        return ""
    normalized = normalize_phone(value)
    if normalized is None:
        raise ValidationError(PHONE_FORMAT_ERROR, code="invalid_phone")
    return normalized


class PasswordFieldsMixin(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_confirm")
        if first and second and first != second:
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return cleaned


class SignupForm(PasswordFieldsMixin, forms.Form):
    """The service checks the rest (phone format, duplicates, password strength)."""

    field_order = ["full_name", "email", "phone", "password", "password_confirm", "home_region"]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=FULL_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Email or phone number: fill in at least one."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "0812-3456-7890"}),
    )
    home_region = VillageCodeField()

    def clean_phone(self) -> str:
        return clean_optional_phone(self.cleaned_data.get("phone"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not {"email", "phone"} & self.errors.keys():
            self.add_error("email", _("Enter an email address or a phone number (or both)."))
        return cleaned


class ProfileForm(forms.Form):
    """A person's own details. Changing the email or phone number needs the current password."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=FULL_NAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "0812-3456-7890"}),
    )
    home_region = VillageCodeField()
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only when you change your email or phone number."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "email": user.email or "",
                "phone": user.phone or "",
                "home_region": user.home_region_id or "",
                "preferred_language": user.preferred_language,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        return clean_optional_phone(self.cleaned_data.get("phone"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email_changed = "email" in cleaned and (cleaned["email"] or "").lower() != (self.user.email or "")
        phone_changed = "phone" in cleaned and cleaned["phone"] != (self.user.phone or "")
        needs_password = (email_changed or phone_changed) and self.user.has_usable_password()
        if needs_password and not self.user.check_password(cleaned.get("current_password") or ""):
            self.add_error(
                "current_password",
                _("Enter your current password to change your email or phone number."),
            )
        return cleaned


class ApiTokenCreateForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("never", _("Never (revoke it yourself)")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Kecamatan dashboard”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiTokenScope.choices, initial=ApiTokenScope.READ, widget=forms.RadioSelect
    )
    expires_in = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, initial="90")

    def expiry_days(self) -> int | None:
        value = self.cleaned_data["expires_in"]
        return None if value == "never" else int(value)


class SikimPasswordResetForm(PasswordResetForm):
    """Django's reset form, for an email address or a phone number: the link goes by email or
    by SMS (`services.password_reset_sms_request`). The answer is the same whether an account
    has that address or number or not."""

    email = forms.CharField(
        label=_("Email address or phone number of your account"),
        max_length=254,
        help_text=_("We send the link by email, or by SMS to a phone number."),
    )

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        if looks_like_phone(value):
            phone = normalize_phone(value)
            if not phone:
                raise ValidationError(PHONE_FORMAT_ERROR)
            return phone
        return forms.EmailField().clean(value)

    def save(self, **options: Any) -> None:  # type: ignore[override]
        """PasswordResetView passes Django's email options; a phone number needs only the request."""
        request = options.get("request")
        client_address = (client_ip(request) if request is not None else None) or "unknown"
        if not services.password_reset_allowed(client_address=client_address):
            return  # the same answer as a sent link: a flood learns nothing
        value = self.cleaned_data["email"]
        if value.startswith("+"):
            services.password_reset_sms_request(phone=value)
        else:
            super().save(**options)
