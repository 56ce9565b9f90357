"""Bulletins, their targets, the cascade through KIM inboxes and one delivery per recipient per channel.

Proof of reach lives in `Delivery`: the unique constraint on (bulletin, member, channel) is what
makes a second send impossible, however often a fan-out or a worker is re-run.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel


class BulletinCategory(models.TextChoices):
    PEMERINTAHAN = "pemerintahan", _("Government")
    PEMBANGUNAN = "pembangunan", _("Development")
    KESEHATAN = "kesehatan", _("Health")
    PERTANIAN = "pertanian", _("Agriculture")
    PENDIDIKAN = "pendidikan", _("Education")
    EKONOMI = "ekonomi", _("Economy")
    BENCANA_DARURAT = "bencana_darurat", _("Disaster and emergency")
    SOSIAL_BUDAYA = "sosial_budaya", _("Social and culture")
    LAINNYA = "lainnya", _("Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")


# Which status may follow which. A published bulletin is never edited: it is corrected by a new one.
BULLETIN_TRANSITIONS: dict[str, set[str]] = {
    BulletinStatus.DRAFT: {BulletinStatus.SCHEDULED, BulletinStatus.PUBLISHED},
    BulletinStatus.SCHEDULED: {BulletinStatus.DRAFT, BulletinStatus.PUBLISHED},
    BulletinStatus.PUBLISHED: {BulletinStatus.EXPIRED},
    BulletinStatus.EXPIRED: set(),
}


class Bulletin(TimeStampedModel):
    """A bulletin published by exactly one of: a Dinas Kominfo office, a KIM, a Forum KIM."""

    pembina_office = models.ForeignKey(
        "kim.PembinaOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="bulletins"
    )
    kim = models.ForeignKey("kim.Kim", null=True, blank=True, on_delete=models.PROTECT, related_name="bulletins")
    forum = models.ForeignKey(
        "forums.KimForum", null=True, blank=True, on_delete=models.PROTECT, related_name="bulletins"
    )
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("body (Markdown)"), max_length=20000)
    # Rendered and sanitised by the services; templates may output it as safe.
    body_html = models.TextField(_("body (HTML)"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=BulletinCategory.choices, default=BulletinCategory.PEMERINTAHAN
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    # The publisher's region: the scope a target must stay inside.
    region_code = models.CharField(_("region code"), max_length=13, db_index=True)
    # Segment filters, applied (AND) to everyone the targets reach; empty means "everyone".
    segment_sectors = models.JSONField(_("sectors"), default=list, blank=True)
    segment_occupations = models.JSONField(_("occupations"), default=list, blank=True)
    segment_genders = models.JSONField(_("genders"), default=list, blank=True)
    segment_age_groups = models.JSONField(_("age groups"), default=list, blank=True)
    attachment = models.FileField(_("attachment (PDF)"), upload_to="dissemination/attachments/", blank=True)
    image = models.ImageField(_("image"), upload_to="dissemination/images/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        indexes = [models.Index(fields=["status", "published_at"], name="bulletin_status_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pembina_office__isnull=False, kim__isnull=True, forum__isnull=True)
                | Q(pembina_office__isnull=True, kim__isnull=False, forum__isnull=True)
                | Q(pembina_office__isnull=True, kim__isnull=True, forum__isnull=False),
                name="bulletin_exactly_one_publisher",
            ),
            models.CheckConstraint(condition=Q(status__in=BulletinStatus.values), name="bulletin_status_valid"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="bulletin_priority_valid"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="bulletin_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status=BulletinStatus.SCHEDULED) | Q(publish_at__isnull=False),
                name="bulletin_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BulletinStatus.PUBLISHED, BulletinStatus.EXPIRED])
                | Q(published_at__isnull=False),
                name="bulletin_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def publisher(self) -> models.Model:
        publisher = self.pembina_office or self.kim or self.forum
        assert publisher is not None
        return publisher

    @property
    def authz_region_code(self) -> str | None:
        return self.region_code or None  # a national forum's bulletins have no region

    def authz_organisations(self) -> list[tuple[int, int]]:
        publisher = self.publisher
        return [(ContentType.objects.get_for_model(type(publisher)).pk, publisher.pk)]

    @property
    def is_editable(self) -> bool:
        return self.status in (BulletinStatus.DRAFT, BulletinStatus.SCHEDULED)

    def can_move_to(self, status: str) -> bool:
        return status in BULLETIN_TRANSITIONS.get(self.status, set())


class BulletinTarget(models.Model):
    """One place a bulletin goes to: a region subtree, a KIM or a kelompok desiminasi."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey("wilayah.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kim = models.ForeignKey("kim.Kim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "kim.DisseminationGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, kim__isnull=True, group__isnull=True)
                | Q(region__isnull=True, kim__isnull=False, group__isnull=True)
                | Q(region__isnull=True, kim__isnull=True, group__isnull=False),
                name="bulletin_target_exactly_one",
            ),
            models.UniqueConstraint(fields=["bulletin", "region"], name="bulletin_target_unique_region"),
            models.UniqueConstraint(fields=["bulletin", "kim"], name="bulletin_target_unique_kim"),
            models.UniqueConstraint(fields=["bulletin", "group"], name="bulletin_target_unique_group"),
        ]

    def __str__(self) -> str:
        return str(self.region_id or self.kim_id or self.group_id)


class DeliveryChannel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    WEBPUSH = "webpush", _("Web push")


# The channels a fan-out creates deliveries for. The web feed is public and needs no delivery.
MESSAGING_CHANNELS = [
    DeliveryChannel.EMAIL,
    DeliveryChannel.TELEGRAM,
    DeliveryChannel.WHATSAPP,
    DeliveryChannel.SMS,
    DeliveryChannel.WEBPUSH,
]


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message of one bulletin to one member on one channel: the proof of reach.

    Rows are created set-based by the fan-out (`INSERT … SELECT … ON CONFLICT DO NOTHING`), so
    every column the insert leaves out has a database default.
    """

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey("kim.KimMember", on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
        db_default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, db_default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Set by the worker that claimed the delivery (status "sending"); see services.sending.
    claim_token = models.CharField(max_length=32, blank=True, default="", db_default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True, default="", db_default="")
    error = models.CharField(_("error"), max_length=500, blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "member", "channel"], name="delivery_one_per_channel"),
            models.CheckConstraint(condition=Q(channel__in=DeliveryChannel.values), name="delivery_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
        ]
        indexes = [
            models.Index(fields=["bulletin", "channel", "status"], name="delivery_reach_idx"),
            models.Index(fields=["status", "claimed_at"], name="delivery_status_claim_idx"),
            models.Index(fields=["channel", "provider_id"], name="delivery_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.member_id}/{self.channel}: {self.status}"


class EarlyReceipt(models.Model):
    """A provider receipt that came before its delivery's provider id was recorded.

    Successful sends of a batch are written a hundred at a time (services.sending), so a fast
    "delivered" can arrive while its delivery still has no provider id. It waits here and the
    minute sweep applies it once the id is known (`receipts.early_receipts_apply`). Receipts of
    messages that are not deliveries (replies, notices) never match and go after a day.
    """

    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    provider_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    at = models.DateTimeField()  # when the provider says it happened
    error = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("early receipt")
        verbose_name_plural = _("early receipts")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=DeliveryChannel.values), name="early_receipt_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="early_receipt_status_valid"),
            models.CheckConstraint(condition=~Q(provider_id=""), name="early_receipt_has_provider_id"),
        ]
        indexes = [models.Index(fields=["channel", "provider_id"], name="early_receipt_provider_idx")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_id} {self.status}"


class InboxStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPROVED = "approved", _("Approved")
    REDISSEMINATED = "redisseminated", _("Re-disseminated")


class KimInboxItem(models.Model):
    """A bulletin from above as it lands in one KIM's inbox, waiting to be re-disseminated."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="inbox_items")
    kim = models.ForeignKey("kim.Kim", on_delete=models.CASCADE, related_name="bulletin_inbox")
    status = models.CharField(_("status"), max_length=15, choices=InboxStatus.choices, default=InboxStatus.RECEIVED)
    local_note = models.TextField(_("local note"), blank=True, max_length=2000)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    redisseminated_at = models.DateTimeField(_("re-disseminated at"), null=True, blank=True)
    redisseminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("KIM inbox item")
        verbose_name_plural = _("KIM inbox items")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "kim"], name="kim_inbox_unique"),
            models.CheckConstraint(condition=Q(status__in=InboxStatus.values), name="kim_inbox_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kim_id}: {self.bulletin_id}"

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return self.kim.authz_organisations()


class RedisseminationMode(models.TextChoices):
    APPROVAL = "approval", _("After approval by the pengurus")
    AUTOMATIC = "automatic", _("Automatically")


class KimDisseminationSetting(models.Model):
    """How a KIM passes bulletins from above on to its members. No row means "after approval"."""

    kim = models.OneToOneField("kim.Kim", on_delete=models.CASCADE, related_name="dissemination_setting")
    mode = models.CharField(
        _("re-dissemination"), max_length=10, choices=RedisseminationMode.choices, default=RedisseminationMode.APPROVAL
    )
    default_note = models.CharField(_("default local note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("KIM dissemination setting")
        verbose_name_plural = _("KIM dissemination settings")

    def __str__(self) -> str:
        return f"{self.kim_id}: {self.mode}"


class TelegramLink(TimeStampedModel):
    """A member's Telegram chat, linked through the bot's /start deep link."""

    member = models.OneToOneField("kim.KimMember", on_delete=models.CASCADE, related_name="telegram_link")
    chat_id = models.CharField(_("chat id"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("Telegram link")
        verbose_name_plural = _("Telegram links")

    def __str__(self) -> str:
        return f"{self.member_id} → {self.chat_id}"


class PushSubscription(models.Model):
    """One browser of a member that accepted web push notifications (the subscription is the consent).

    `endpoint` is the push service URL the browser gave; `p256dh` and `auth` are its keys (base64url)
    the payload is encrypted to. A member may have several (phone and laptop); the push service
    answering 404/410 means the browser dropped it, and the row is deleted.
    """

    member = models.ForeignKey("kim.KimMember", on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key (p256dh)"), max_length=100)
    auth = models.CharField(_("authentication secret"), max_length=40)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.member_id} → {self.endpoint[:60]}"


class FanOutStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CREATING = "creating", _("Creating deliveries")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class FanOutRun(models.Model):
    """One fan-out of a bulletin (to the publisher's audience, or to one KIM's members): its progress."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="fanout_runs")
    # Set when a KIM re-disseminates: the run covers that KIM's part of the audience only.
    kim = models.ForeignKey("kim.Kim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=FanOutStatus.choices, default=FanOutStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin"], condition=Q(kim__isnull=True), name="fanout_one_direct_run"),
            models.UniqueConstraint(
                fields=["bulletin", "kim"], condition=Q(kim__isnull=False), name="fanout_one_run_per_kim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.kim_id or '*'}: {self.status}"


class OfflinePlaceType(models.TextChoices):
    MEETING = "meeting", _("Village meeting")
    MOSQUE = "mosque", _("Mosque")
    CHURCH = "church", _("Church")
    POSYANDU = "posyandu", _("Posyandu")
    NOTICE_BOARD = "notice_board", _("Notice board")
    OTHER = "other", _("Other")


OFFLINE_MAX_PEOPLE = 100_000


class OfflineReport(TimeStampedModel):
    """A KIM's report that it passed a bulletin on in person (a meeting, a sermon, a notice board);
    the people reached count in the bulletin's reach."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="offline_reports")
    kim = models.ForeignKey("kim.Kim", on_delete=models.CASCADE, related_name="offline_reports")
    place_type = models.CharField(_("kind of place"), max_length=15, choices=OfflinePlaceType.choices)
    place_name = models.CharField(_("place"), max_length=200)
    held_on = models.DateField(_("held on"))
    people_reached = models.PositiveIntegerField(_("people reached"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    photo = models.ImageField(_("photo proof"), upload_to="dissemination/offline/", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("offline dissemination report")
        verbose_name_plural = _("offline dissemination reports")
        indexes = [models.Index(fields=["bulletin", "kim"], name="offline_report_bulletin_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_reached__gte=1, people_reached__lte=OFFLINE_MAX_PEOPLE),
                name="offline_report_people_range",
            ),
            models.CheckConstraint(
                condition=Q(place_type__in=OfflinePlaceType.values), name="offline_report_place_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.kim_id}: {self.place_name} ({self.people_reached})"
