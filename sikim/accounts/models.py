"""People who log in, the roles they hold, and their personal API tokens."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel

PHONE_E164_REGEX = r"^\+62[0-9]{8,13}$"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self,
        email: str | None = None,
        password: str | None = None,
        *,
        phone: str | None = None,
        full_name: str = "",
        **extra: object,
    ) -> "User":
        user = self.model(
            email=self.normalize_email(email).lower() if email else None,
            phone=phone or None,
            full_name=full_name,
            **extra,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("full_name", "Administrator")
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)  # type: ignore[arg-type]


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They log in with their email or their Indonesian phone number."""

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    # Always stored as +62…; see sikim.accounts.phone.normalize_phone.
    phone = models.CharField(_("phone number"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    home_region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("home village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
    )
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (may use the admin)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__regex=PHONE_E164_REGEX),
                name="user_phone_is_e164_indonesian",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def login_name(self) -> str:
        return self.email or self.phone or ""


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    PEMBINA = "pembina", _("Pembina (Dinas Kominfo officer)")
    PENGURUS_KIM = "pengurus_kim", _("KIM board member (pengurus)")
    ANGGOTA_KIM = "anggota_kim", _("KIM member (anggota)")
    WARGA = "warga", _("Citizen (warga)")
    PETUGAS_INSTANSI = "petugas_instansi", _("Office officer (petugas instansi)")
    PPID = "ppid", _("PPID officer")


# Roles whose grant must name the region subtree they act in.
REGION_SCOPED_ROLES = {Role.PEMBINA}
# Roles whose grant must name the one organisation they act for (a KIM, an office, a public body).
ORGANISATION_SCOPED_ROLES = {Role.PENGURUS_KIM, Role.ANGGOTA_KIM, Role.PETUGAS_INSTANSI, Role.PPID}


class RoleGrant(TimeStampedModel):
    """A role held by a user, scoped to a region subtree or to one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The role applies to this region and everything inside it."),
    )
    organisation_type = models.ForeignKey(
        ContentType, verbose_name=_("organisation type"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation_id = models.PositiveBigIntegerField(_("organisation id"), null=True, blank=True)
    organisation = GenericForeignKey("organisation_type", "organisation_id")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation_type__isnull=True, organisation_id__isnull=True)
                    | Q(organisation_type__isnull=False, organisation_id__isnull=False)
                ),
                name="role_grant_organisation_complete",
            ),
            models.CheckConstraint(
                condition=~Q(role="national_admin") | Q(region__isnull=True, organisation_id__isnull=True),
                name="role_grant_national_admin_unscoped",
            ),
            models.CheckConstraint(
                condition=~Q(role="pembina") | Q(region__isnull=False),
                name="role_grant_pembina_has_region",
            ),
            models.CheckConstraint(
                # sorted: a set's order changes between runs and makemigrations would see a change.
                condition=~Q(role__in=sorted(r.value for r in ORGANISATION_SCOPED_ROLES))
                | Q(organisation_id__isnull=False),
                name="role_grant_organisation_role_has_organisation",
            ),
            # One active grant per user, role and scope. Coalesce because NULLs never collide
            # in a unique index (and SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                F("user"),
                F("role"),
                Coalesce("region", Value("")),
                Coalesce("organisation_type", Value(0)),
                Coalesce("organisation_id", Value(0)),
                condition=Q(revoked_at__isnull=True),
                name="role_grant_unique_active",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region or self.organisation or _("everywhere")
        return f"{self.user} — {self.get_role_display()} — {scope}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(TimeStampedModel):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters, shown so a person can tell their tokens apart.
    prefix = models.CharField(_("prefix"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
