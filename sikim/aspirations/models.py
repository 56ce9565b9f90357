"""Aspirations (aspirasi): what citizens ask of government, carried by their KIM to an office.

    diajukan ──verify──▶ diverifikasi ──forward──▶ diteruskan ──▶ ditindaklanjuti ──▶ dijawab ──▶ selesai
       │                  │    ▲                    │    │                                │  ▲         │
       └──reject──▶ ditolak ◀┘    └─"bukan wewenang"──┘    └──────────answer──────────────▶┘  │         │
                                                                                              │         │
    confirm (citizen) or auto-close: dijawab ──▶ selesai;   reopen once: dijawab/selesai ──▶ diteruskan

The allowed moves are `ASPIRATION_TRANSITIONS`; who may make each is decided in
`sikim.aspirations.services.workflow` through `sikim.accounts.authz`. Every move writes an
`AspirationEvent` (the public timeline). The citizen's text never changes after submission;
corrections are appended (`AspirationCorrection`).

Personal data (the author, the contact name/phone/email) is read only through
`sikim.aspirations.selectors.identity.author_display` and `author_contact`: a confidential
author is seen by the verifying KIM's pengurus and nobody else.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel
from sikim.kim.models import Kim
from sikim.offices.models import GovernmentOffice

TEXT_MAX_LENGTH = 5000
TITLE_MAX_LENGTH = 200
CORRECTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 5000
MAX_REOPENS = 1
PHONE_E164_REGEX = r"^\+62[0-9]{8,13}$"


class Category(models.TextChoices):
    INFRASTRUKTUR = "infrastruktur", _("Roads, bridges and drainage")
    TRANSPORTASI = "transportasi", _("Transport and traffic")
    KESEHATAN = "kesehatan", _("Health")
    PENDIDIKAN = "pendidikan", _("Education")
    LINGKUNGAN = "lingkungan", _("Environment and waste")
    AIR_LISTRIK = "air_listrik", _("Clean water and electricity")
    ADMINDUK = "adminduk", _("Population records (KTP, KK, certificates)")
    SOSIAL = "sosial", _("Social assistance")
    EKONOMI = "ekonomi", _("Economy, small business and jobs")
    PERTANIAN = "pertanian", _("Agriculture and fisheries")
    KEAMANAN = "keamanan", _("Public order and safety")
    PELAYANAN = "pelayanan", _("Public services")
    LAINNYA = "lainnya", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PUBLIC_ANONYMOUS = "public_anonymous", _("Public, without my name")
    CONFIDENTIAL = "confidential", _("Confidential")


class AspirationState(models.TextChoices):
    DIAJUKAN = "diajukan", _("Submitted")
    DIVERIFIKASI = "diverifikasi", _("Verified")
    DITOLAK = "ditolak", _("Rejected")
    DITERUSKAN = "diteruskan", _("Forwarded to an office")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Being followed up")
    DIJAWAB = "dijawab", _("Answered")
    SELESAI = "selesai", _("Closed")


S = AspirationState
ASPIRATION_TRANSITIONS: dict[str, set[str]] = {
    S.DIAJUKAN: {S.DIVERIFIKASI, S.DITOLAK},
    # From diverifikasi a case is forwarded (or, after "bukan wewenang" everywhere, rejected).
    S.DIVERIFIKASI: {S.DITERUSKAN, S.DITOLAK},
    # diteruskan → diteruskan: a pembina moves the case to another office.
    S.DITERUSKAN: {S.DITERUSKAN, S.DITINDAKLANJUTI, S.DIJAWAB, S.DIVERIFIKASI},
    S.DITINDAKLANJUTI: {S.DITERUSKAN, S.DIJAWAB, S.DIVERIFIKASI},
    S.DIJAWAB: {S.SELESAI, S.DITERUSKAN},
    S.SELESAI: {S.DITERUSKAN},
    S.DITOLAK: set(),
}
# States in which an office holds the case (an office is required there).
OFFICE_STATES = [S.DITERUSKAN, S.DITINDAKLANJUTI, S.DIJAWAB, S.SELESAI]
# States after verification: the ones the public lists show.
PUBLIC_STATES = [S.DIVERIFIKASI, S.DITERUSKAN, S.DITINDAKLANJUTI, S.DIJAWAB, S.SELESAI]
# Waiting for the KIM or the pembina (verify_due), and for the office (followup_due).
AWAITING_VERIFICATION = [S.DIAJUKAN, S.DIVERIFIKASI]
AWAITING_OFFICE = [S.DITERUSKAN, S.DITINDAKLANJUTI]


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam or abuse")
    DUPLIKAT = "duplikat", _("Duplicate of another aspiration")
    DI_LUAR_KEWENANGAN = "di_luar_kewenangan", _("Outside the government's remit")
    LAINNYA = "lainnya", _("Other")


class IntakeChannel(models.TextChoices):
    WEB = "web", _("Web")
    OFFLINE = "offline", _("In person (filed by the KIM)")
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    API = "api", _("API")


def _aspiration_photo_path(instance: "AspirationPhoto", filename: str) -> str:
    return f"aspirations/{instance.aspiration_id}/{filename}"


class Aspiration(TimeStampedModel):
    """One aspiration or complaint, from submission to its closing."""

    # "ASP-2026-7K3QFM": the public tracking code (see services.submission.new_ticket_code).
    code = models.CharField(_("ticket code"), max_length=20, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aspirations",
    )
    # Personal data: for citizens without an account (or filed on their behalf).
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by (KIM pengurus)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("received by"), max_length=10, choices=IntakeChannel.choices, default="web")
    # The message id of the channel (a Telegram update, a WhatsApp message…): one aspiration
    # per message, however often a webhook delivers it.
    source_ref = models.CharField(_("source reference"), max_length=120, null=True, blank=True)
    kim = models.ForeignKey(Kim, verbose_name=_("verifying KIM"), on_delete=models.PROTECT, related_name="aspirations")
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="aspirations",
        limit_choices_to={"level": 4},
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    state = models.CharField(_("state"), max_length=16, choices=AspirationState.choices, default=S.DIAJUKAN)
    reject_reason = models.CharField(_("reason for rejection"), max_length=20, choices=RejectReason.choices, blank=True)
    office = models.ForeignKey(
        GovernmentOffice,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aspirations",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    verify_due = models.DateTimeField(_("verify and forward by"))
    followup_due = models.DateTimeField(_("office follow-up by"), null=True, blank=True)
    autoclose_at = models.DateTimeField(_("closes automatically at"), null=True, blank=True)
    # The office's latest official answer (also in the timeline).
    answer = models.TextField(_("official answer"), max_length=NOTE_MAX_LENGTH, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the answer"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("aspiration")
        verbose_name_plural = _("aspirations")
        indexes = [
            models.Index(fields=["region", "state"], name="aspiration_region_state_idx"),
            models.Index(fields=["region", "category", "submitted_at"], name="aspiration_similar_idx"),
            models.Index(fields=["office", "state"], name="aspiration_office_state_idx"),
            models.Index(fields=["kim", "state"], name="aspiration_kim_state_idx"),
            models.Index(fields=["state", "verify_due"], name="aspiration_verify_due_idx"),
            models.Index(fields=["state", "followup_due"], name="aspiration_followup_due_idx"),
            models.Index(fields=["state", "autoclose_at"], name="aspiration_autoclose_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=AspirationState.values), name="aspiration_state_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="aspiration_category_valid"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="aspiration_visibility_valid"),
            models.CheckConstraint(condition=Q(channel__in=IntakeChannel.values), name="aspiration_channel_valid"),
            models.CheckConstraint(
                condition=Q(state=S.DITOLAK, reject_reason__in=RejectReason.values)
                | (~Q(state=S.DITOLAK) & Q(reject_reason="")),
                name="aspiration_reject_reason_iff_rejected",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=OFFICE_STATES) | Q(office__isnull=False),
                name="aspiration_office_when_forwarded",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="aspiration_rating_1_to_5"
            ),
            models.CheckConstraint(condition=Q(reopened_count__lte=MAX_REOPENS), name="aspiration_reopen_at_most_once"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH), name="aspiration_text_max_length"
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False)
                | Q(filed_by__isnull=False)
                | ~Q(contact_phone="")
                | ~Q(contact_email=""),
                name="aspiration_has_someone_to_answer",
            ),
            models.CheckConstraint(
                condition=Q(contact_phone="") | Q(contact_phone__regex=PHONE_E164_REGEX),
                name="aspiration_contact_phone_e164",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-11.5, latitude__lte=6.5, longitude__gte=94.5, longitude__lte=141.5),
                name="aspiration_point_inside_indonesia",
            ),
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=Q(source_ref__isnull=False),
                name="aspiration_unique_source_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def authz_region_code(self) -> str:
        return self.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        """The verifying KIM, and the office holding the case (if any)."""
        organisations = [(ContentType.objects.get_for_model(Kim).pk, self.kim_id)]
        if self.office_id is not None:
            organisations.append((ContentType.objects.get_for_model(GovernmentOffice).pk, self.office_id))
        return organisations

    @property
    def is_public(self) -> bool:
        """Shown in public lists and on the map (confidential cases never are)."""
        return self.visibility != Visibility.CONFIDENTIAL and not self.is_hidden and self.state in PUBLIC_STATES

    def can_move_to(self, state: str) -> bool:
        return state in ASPIRATION_TRANSITIONS.get(self.state, set())

    def clean(self) -> None:
        if self.region_id and self.region_id.count(".") != 3:
            raise ValidationError({"region": _("An aspiration belongs to a desa or kelurahan.")})


class AspirationEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified by the KIM")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded to an office")
    REROUTED = "rerouted", _("Moved to another office")
    NOT_OUR_REMIT = "not_our_remit", _("Not this office's remit")
    FOLLOWED_UP = "followed_up", _("Followed up by the office")
    ANSWERED = "answered", _("Answered by the office")
    CONFIRMED = "confirmed", _("Confirmed closed by the citizen")
    AUTO_CLOSED = "auto_closed", _("Closed automatically")
    REOPENED = "reopened", _("Reopened by the citizen")
    RATED = "rated", _("Answer rated")
    CORRECTED = "corrected", _("Correction added")
    HIDDEN = "hidden", _("Hidden by a moderator")
    UNHIDDEN = "unhidden", _("Shown again by a moderator")


class AspirationEvent(models.Model):
    """One line of an aspiration's timeline: a state change or another thing that happened."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=16, choices=AspirationEventKind.choices)
    from_state = models.CharField(_("from"), max_length=16, choices=AspirationState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=AspirationState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The office acting (shown in public instead of the officer's name).
    office = models.ForeignKey(
        "offices.GovernmentOffice",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("aspiration event")
        verbose_name_plural = _("aspiration timeline")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AspirationEventKind.values), name="aspiration_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspiration_id}: {self.kind}"


class AspirationCorrection(models.Model):
    """Text the author adds after submitting (the original text never changes)."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="corrections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("correction"), max_length=CORRECTION_MAX_LENGTH)
    created_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.aspiration_id}: {self.text[:40]}"


class AspirationPhoto(TimeStampedModel):
    """A photo of the problem, re-encoded on upload (metadata and GPS stripped: sikim.core.uploads)."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_aspiration_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("aspiration photo")
        verbose_name_plural = _("aspiration photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class AspirationSupport(models.Model):
    """A "dukung": one per person (an account, or a hashed key of a device or contact)."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # SHA-256 (hex) of a device cookie or a phone number, for supporters without an account.
    supporter_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["aspiration", "user"], condition=Q(user__isnull=False), name="aspiration_support_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["aspiration", "supporter_key"],
                condition=~Q(supporter_key=""),
                name="aspiration_support_one_per_key",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(supporter_key=""), name="aspiration_support_has_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspiration_id} ← {self.user_id or self.supporter_key[:8]}"


class RoutingRule(TimeStampedModel):
    """Aspirations of `category` (or any) in `region`'s subtree go to `office`.

    The most specific rule wins: a named category over "any" (a fallback), then the deepest
    region, then the higher priority (see `sikim.aspirations.selectors.routing.route_for`).
    """

    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, blank=True, help_text=_("Empty: any category.")
    )
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The rule applies to this region and everything inside it."),
    )
    office = models.ForeignKey(
        "offices.GovernmentOffice", verbose_name=_("office"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Higher wins among equally specific rules.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region_id", "category", "-priority"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(category="") | Q(category__in=Category.values), name="routing_rule_category_valid"
            ),
            models.UniqueConstraint(fields=["region", "category", "office"], name="routing_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display() or '*'} @ {self.region_id} → {self.office}"

    @property
    def authz_region_code(self) -> str:
        return self.region_id


class ServiceLevel(TimeStampedModel):
    """Deadlines in working days, for all of Indonesia (no region) or for a region's subtree.

    The most specific setting covering an aspiration's village applies; without any, the
    defaults below (LAPOR! SP4N's rhythm: 3, 5 and 10 working days).
    """

    DEFAULT_VERIFY_DAYS = 3
    DEFAULT_FOLLOWUP_DAYS = 5
    DEFAULT_AUTOCLOSE_DAYS = 10

    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the national default."),
    )
    verify_days = models.PositiveSmallIntegerField(_("working days to verify and forward"), default=DEFAULT_VERIFY_DAYS)
    followup_days = models.PositiveSmallIntegerField(_("working days for the office"), default=DEFAULT_FOLLOWUP_DAYS)
    autoclose_days = models.PositiveSmallIntegerField(
        _("working days before closing after the answer"), default=DEFAULT_AUTOCLOSE_DAYS
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.CheckConstraint(
                condition=Q(verify_days__gte=1, verify_days__lte=60)
                & Q(followup_days__gte=1, followup_days__lte=60)
                & Q(autoclose_days__gte=1, autoclose_days__lte=60),
                name="service_level_days_1_to_60",
            ),
            # One setting per region and one national default: Coalesce because NULLs never collide.
            models.UniqueConstraint(Coalesce("region", Value("")), name="service_level_one_per_region"),
        ]

    def __str__(self) -> str:
        return str(self.region or _("National default"))

    @property
    def authz_region_code(self) -> str | None:
        return self.region_id


REPORT_NOTE_MAX_LENGTH = 1000


class AbuseReason(models.TextChoices):
    PERSONAL_DATA = "data_pribadi", _("It shows someone's personal data")
    INSULT = "penghinaan", _("Insults, hate or threats")
    FALSE = "hoaks", _("False or misleading")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "lainnya", _("Something else")


class AbuseReportOutcome(models.TextChoices):
    HIDDEN = "hidden", _("Text hidden")
    DISMISSED = "dismissed", _("Dismissed")


class AbuseReport(models.Model):
    """A citizen's report that a public text (an aspiration, or one of its corrections) is abusive.

    One open report per reporter and aspiration: an account, or a keyed hash of a device cookie
    (like `AspirationSupport`). A moderator resolves it by hiding the text or dismissing it.
    """

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="abuse_reports")
    correction = models.ForeignKey(
        AspirationCorrection,
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="abuse_reports",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=AbuseReason.choices)
    note = models.TextField(_("note"), max_length=REPORT_NOTE_MAX_LENGTH, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # HMAC-SHA-256 (hex) of a device cookie, for reporters without an account.
    reporter_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("reported at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=AbuseReportOutcome.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        indexes = [models.Index(fields=["resolved_at", "aspiration"], name="abuse_report_open_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=AbuseReason.values), name="abuse_report_reason_valid"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, outcome="")
                | Q(resolved_at__isnull=False, outcome__in=AbuseReportOutcome.values),
                name="abuse_report_outcome_iff_resolved",
            ),
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | ~Q(reporter_key=""), name="abuse_report_has_reporter"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), REPORT_NOTE_MAX_LENGTH), name="abuse_report_note_max_length"
            ),
            models.UniqueConstraint(
                fields=["aspiration", "reporter"],
                condition=Q(reporter__isnull=False, resolved_at__isnull=True),
                name="abuse_report_one_open_per_user",
            ),
            models.UniqueConstraint(
                fields=["aspiration", "reporter_key"],
                condition=~Q(reporter_key="") & Q(resolved_at__isnull=True),
                name="abuse_report_one_open_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspiration_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def authz_region_code(self) -> str:
        return self.aspiration.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return self.aspiration.authz_organisations()
