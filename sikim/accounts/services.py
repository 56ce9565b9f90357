"""Writes for accounts: registering people, their profile and password, API tokens, role grants.

Every function here is keyword-only, runs in one transaction and leaves an audit event.
Passwords and token hashes never reach the audit log.
"""

from datetime import datetime, timedelta
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikim.accounts import authz
from sikim.accounts.authz import Action
from sikim.accounts.models import (
    ORGANISATION_SCOPED_ROLES,
    REGION_SCOPED_ROLES,
    ApiToken,
    ApiTokenScope,
    Role,
    RoleGrant,
    User,
)
from sikim.accounts.phone import normalize_phone
from sikim.accounts.tokens import generate_token, hash_token
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.intake_limit import limit_reached
from sikim.wilayah.models import Region, RegionLevel

# The fields a person may change on their own profile, and the ones the audit log shows.
PROFILE_FIELDS: Final = ["full_name", "email", "phone", "home_region", "preferred_language"]
ADMIN_FIELDS: Final = [*PROFILE_FIELDS, "is_active", "is_staff", "is_superuser"]
FULL_NAME_MAX_LENGTH: Final = 150
MAX_ACTIVE_TOKENS: Final = 50
# Roles only a national administrator may hand out; a pembina grants the roles below theirs.
ROLES_ONLY_NATIONAL_ADMIN_GRANTS: Final = frozenset({Role.NATIONAL_ADMIN, Role.PEMBINA})


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


# --- Checking what people type ------------------------------------------------------------


def _clean_full_name(full_name: Any) -> str:
    if not isinstance(full_name, str) or not full_name.strip():
        raise ValidationError({"full_name": _("Enter your full name.")})
    full_name = " ".join(full_name.split())
    if len(full_name) > FULL_NAME_MAX_LENGTH:
        raise ValidationError(
            {"full_name": _("A name can be at most %(max)d characters long.") % {"max": FULL_NAME_MAX_LENGTH}}
        )
    return full_name


def _clean_email(email: Any) -> str | None:
    if email is None or (isinstance(email, str) and not email.strip()):
        return None
    if not isinstance(email, str) or len(email) > 254:
        raise ValidationError({"email": _("Enter a valid email address.")})
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    return email


def _clean_phone(phone: Any) -> str | None:
    if phone is None or (isinstance(phone, str) and not phone.strip()):
        return None
    normalized = normalize_phone(phone) if isinstance(phone, str) else None
    if normalized is None:
        raise ValidationError(
            {"phone": _("Enter an Indonesian phone number, for example 0812-3456-7890 or +62 812 3456 7890.")}
        )
    return normalized


def _clean_home_region(home_region: Region | None) -> Region | None:
    if home_region is not None and home_region.level != RegionLevel.DESA_KELURAHAN:
        raise ValidationError({"home_region": _("Choose a village (desa or kelurahan), not a larger region.")})
    return home_region


def _check_unique_login(*, email: str | None, phone: str | None, exclude_pk: int | None = None) -> None:
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    errors: dict[str, Any] = {}
    if email and others.filter(email=email).exists():
        errors["email"] = _("An account with this email address already exists. Log in or reset your password.")
    if phone and others.filter(phone=phone).exists():
        errors["phone"] = _("An account with this phone number already exists. Log in instead.")
    if errors:
        raise ValidationError(errors)


def _save_user(user: User) -> None:
    """Save, turning a lost race on a unique email or phone into a clear message."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        _check_unique_login(email=user.email, phone=user.phone, exclude_pk=user.pk)
        raise


def _require_self_or_national_admin(actor: Any, user: User) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if actor.pk != user.pk and not authz.is_national_admin(actor):
        raise PermissionDenied


# --- People ---------------------------------------------------------------------------


@transaction.atomic
def user_register(
    *,
    full_name: str,
    email: str | None = None,
    phone: str | None = None,
    password: str,
    home_region: Region | None = None,
    actor: User | None = None,
) -> User:
    """Create an account that logs in with `email` or `phone` (at least one).

    `actor` is the administrator creating the account for someone; None when people sign up.
    """
    full_name = _clean_full_name(full_name)
    email = _clean_email(email)
    phone = _clean_phone(phone)
    home_region = _clean_home_region(home_region)
    if not email and not phone:
        raise ValidationError({"email": _("Enter an email address or a phone number (or both).")})
    _check_unique_login(email=email, phone=phone)
    user = User(full_name=full_name, email=email, phone=phone, home_region=home_region)
    if not isinstance(password, str) or not password:
        raise ValidationError({"password": _("Choose a password.")})
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    _save_user(user)
    audit_record(
        actor=actor or user,
        action="accounts.user_register",
        obj=user,
        region_code=user.home_region_id,
        after=model_snapshot(user, PROFILE_FIELDS),
    )
    return user


@transaction.atomic
def user_update_profile(
    *,
    actor: User,
    user: User,
    full_name: str | _Unset = UNSET,
    email: str | None | _Unset = UNSET,
    phone: str | None | _Unset = UNSET,
    home_region: Region | None | _Unset = UNSET,
    preferred_language: str | _Unset = UNSET,
) -> User:
    """Change a person's own details. Only they (or a national administrator) may."""
    _require_self_or_national_admin(actor, user)
    before = model_snapshot(user, PROFILE_FIELDS)
    if not isinstance(full_name, _Unset):
        user.full_name = _clean_full_name(full_name)
    if not isinstance(email, _Unset):
        user.email = _clean_email(email)
    if not isinstance(phone, _Unset):
        user.phone = _clean_phone(phone)
    if not isinstance(home_region, _Unset):
        user.home_region = _clean_home_region(home_region)
    if not isinstance(preferred_language, _Unset):
        if preferred_language not in dict(User._meta.get_field("preferred_language").choices or []):
            raise ValidationError({"preferred_language": _("Choose one of the offered languages.")})
        user.preferred_language = preferred_language
    if not user.email and not user.phone:
        raise ValidationError({"email": _("Keep an email address or a phone number so you can log in.")})
    _check_unique_login(email=user.email, phone=user.phone, exclude_pk=user.pk)
    after = model_snapshot(user, PROFILE_FIELDS)
    if after == before:
        return user
    _save_user(user)
    audit_record(
        actor=actor,
        action="accounts.user_update_profile",
        obj=user,
        region_code=user.home_region_id,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str | None) -> User:
    """Set a new password (None: password login is switched off, e.g. by an administrator).

    Callers have already checked the old password or the reset link and validated the new one.
    """
    _require_self_or_national_admin(actor, user)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="accounts.user_set_password" if password is not None else "accounts.user_disable_password",
        obj=user,
        region_code=user.home_region_id,
    )
    return user


@transaction.atomic
def user_save_by_admin(*, actor: User, user: User) -> User:
    """Save the changes a national administrator made to an existing account in the admin."""
    if not authz.is_national_admin(actor):
        raise PermissionDenied
    stored = User.objects.get(pk=user.pk)
    if not actor.is_superuser and user.is_superuser != stored.is_superuser:
        raise PermissionDenied
    before = model_snapshot(stored, ADMIN_FIELDS)
    user.full_name = _clean_full_name(user.full_name)
    user.email = _clean_email(user.email)
    user.phone = _clean_phone(user.phone)
    _clean_home_region(user.home_region)
    _check_unique_login(email=user.email, phone=user.phone, exclude_pk=user.pk)
    _save_user(user)
    after = model_snapshot(user, ADMIN_FIELDS)
    audit_record(
        actor=actor,
        action="accounts.user_admin_change",
        obj=user,
        region_code=user.home_region_id,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
    )
    return user


# --- Personal API tokens -------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User, name: str, scope: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `actor`. The plain token is returned here once and never stored."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"name": _("Give the token a name, e.g. the program that will use it.")})
    name = " ".join(name.split())
    if len(name) > 100:
        raise ValidationError({"name": _("A token name can be at most 100 characters long.")})
    if scope not in ApiTokenScope.values:
        raise ValidationError({"scope": _("Choose read or write.")})
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise ValidationError({"expires_at": _("Give the expiry date with a time zone.")})
        if expires_at <= timezone.now() + timedelta(minutes=1):
            raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("You have %(count)d tokens. Revoke one you no longer use first.") % {"count": active}}
        )
    plain = generate_token()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=plain[:12],
        token_hash=hash_token(plain),
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="accounts.api_token_create",
        obj=token,
        after=model_snapshot(token, ["name", "prefix", "scope", "expires_at"]),
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens. Revoking twice changes nothing."""
    if not getattr(actor, "is_authenticated", False) or token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action="accounts.api_token_revoke",
        obj=token,
        after={"name": token.name, "prefix": token.prefix, "revoked_at": token.revoked_at.isoformat()},
    )
    return token


@transaction.atomic
def api_token_revoke_by_admin(*, actor: User, token: ApiToken) -> ApiToken:
    """A national administrator revokes someone's token (e.g. one that leaked)."""
    if not authz.is_national_admin(actor):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action="accounts.api_token_revoke",
        obj=token,
        after={"name": token.name, "prefix": token.prefix, "owner": token.user_id},
    )
    return token


# --- Role grants --------------------------------------------------------------------------


def _organisation_region_code(organisation: models.Model | None) -> str | None:
    return getattr(organisation, "authz_region_code", None) if organisation is not None else None


def _require_may_grant(actor: Any, role: str, scope_object: Any) -> None:
    """National admins grant anything; a pembina grants lesser roles inside their subtree."""
    if authz.is_national_admin(actor):
        return
    if role in ROLES_ONLY_NATIONAL_ADMIN_GRANTS or scope_object is None:
        raise PermissionDenied
    authz.require(actor, Action.ROLE_GRANT, scope_object)


def role_grant_check(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region | None = None,
    organisation: models.Model | None = None,
) -> None:
    """Raise what `role_grant` would raise (ValidationError, PermissionDenied); write nothing.

    Forms (the admin) call it while validating, so a refusal shows on the form.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if region is not None and organisation is not None:
        raise ValidationError(_("A role applies to a region or to an organisation, not both."))
    if role == Role.NATIONAL_ADMIN and (region is not None or organisation is not None):
        raise ValidationError(_("A national administrator acts everywhere: leave region and organisation empty."))
    if role in REGION_SCOPED_ROLES and region is None:
        raise ValidationError({"region": _("This role needs the region it applies to.")})
    if role in ORGANISATION_SCOPED_ROLES and organisation is None:
        raise ValidationError(_("This role needs the organisation it applies to."))
    if organisation is not None and organisation.pk is None:
        raise ValidationError(_("The organisation does not exist."))
    _require_may_grant(actor, role, organisation if organisation is not None else region)
    organisation_type = ContentType.objects.get_for_model(organisation) if organisation is not None else None
    duplicate = RoleGrant.objects.filter(
        user=user,
        role=role,
        region=region,
        organisation_type=organisation_type,
        organisation_id=organisation.pk if organisation is not None else None,
        revoked_at__isnull=True,
    )
    if duplicate.exists():
        raise ValidationError(_("%(user)s already holds this role here.") % {"user": user})


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region | None = None,
    organisation: models.Model | None = None,
) -> RoleGrant:
    """Give `user` the `role`, within `region`'s subtree or for one `organisation`.

    A national administrator grants any role; a pembina grants the roles below theirs,
    inside their own region subtree only.
    """
    role_grant_check(actor=actor, user=user, role=role, region=region, organisation=organisation)
    grant = RoleGrant(user=user, role=role, region=region, granted_by=actor)
    if organisation is not None:
        grant.organisation_type = ContentType.objects.get_for_model(organisation)
        grant.organisation_id = organisation.pk
    grant.save()
    authz.forget_grants(user)
    audit_record(
        actor=actor,
        action="accounts.role_grant",
        obj=grant,
        region_code=region.code if region is not None else _organisation_region_code(organisation),
        after=model_snapshot(grant, ["user", "role", "region", "organisation_type", "organisation_id"]),
    )
    return grant


@transaction.atomic
def role_revoke(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """End a role grant. The row stays, with the moment it was revoked, for the record."""
    organisation = grant.organisation if grant.organisation_id is not None else None
    _require_may_grant(actor, grant.role, organisation if organisation is not None else grant.region)
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at", "updated_at"])
    authz.forget_grants(grant.user)
    audit_record(
        actor=actor,
        action="accounts.role_revoke",
        obj=grant,
        region_code=grant.region_id or _organisation_region_code(organisation),
        before={"role": grant.role, "region_id": grant.region_id, "revoked_at": None},
        after={"revoked_at": grant.revoked_at.isoformat()},
    )
    return grant


# --- password reset by SMS -------------------------------------------------------------------
# An SMS costs money and lands on someone's phone: at most this many reset links per phone
# number, and this many reset requests per client address, per hour.
RESET_SMS_PER_PHONE_PER_HOUR: Final = 3
RESET_REQUESTS_PER_ADDRESS_PER_HOUR: Final = 10


def password_reset_allowed(*, client_address: str) -> bool:
    """Count one reset request (email or SMS) from this client address; False over the limit."""
    return not limit_reached(scope="reset-address", key=client_address, per_hour=RESET_REQUESTS_PER_ADDRESS_PER_HOUR)


def password_reset_sms_request(*, phone: str) -> bool:
    """Someone asked for a reset link for `phone` (normalised +62…): queue an SMS to it when an
    active account with a usable password has that number. Returns whether one was queued; the
    page never tells (it would say which numbers have accounts).

    Like Django's email reset, an account whose password was switched off gets no link.
    """
    if limit_reached(scope="reset-sms", key=phone, per_hour=RESET_SMS_PER_PHONE_PER_HOUR):
        return False
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    password_reset_sms_send.enqueue(user.pk)
    return True


@task()
def password_reset_sms_send(user_id: int) -> bool:
    """Send the reset link by SMS. The token is made here, so it never waits in the queue."""
    # Imported here: the channels build on accounts, not the other way round.
    from sikim.dissemination.channels.base import OutgoingMessage
    from sikim.dissemination.services.notices import send_notice

    user = User.objects.filter(pk=user_id, is_active=True).exclude(phone=None).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext("SIKIM: to choose a new password open this link. Not you? Ignore this SMS.")
    message = OutgoingMessage(address=str(user.phone), subject="", text=text, link=f"{settings.SITE_URL}{path}")
    return send_notice("sms", message, topic="Password reset SMS")
