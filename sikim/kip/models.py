"""Requests for public information under UU 14/2008 (Keterbukaan Informasi Publik).

    diajukan ──register──▶ diterima ──extend (once)──▶ diperpanjang
                              │                          │
                              └──────decide──────────────┴──▶ diputuskan
    diterima / diperpanjang (deadline passed) / diputuskan ──objection──▶ keberatan
    keberatan ──atasan PPID answers──▶ keberatan_dijawab
    keberatan / keberatan_dijawab ──dispute at the Komisi Informasi──▶ sengketa

The stored state says what has happened; whether the body is late is computed from the dates
(`sikim.kip.selectors.deadlines.time_state`: waiting, overdue, long overdue, as Alaveteli does).
Deadlines are working days on the KIP calendar (`CalendarSettings`, `CalendarOverride`), fixed
when each step happens (see `sikim.kip.deadlines`).

The requester's identity (name, ID number, address, phone, email) is personal data: only the
body's PPID reads it, through `sikim.kip.selectors.identity`.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel
from sikim.offices.models import GovernmentOffice

TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 150


class RequestState(models.TextChoices):
    DIAJUKAN = "diajukan", _("Submitted, not yet registered")
    DITERIMA = "diterima", _("Registered")
    DIPERPANJANG = "diperpanjang", _("Deadline extended")
    DIPUTUSKAN = "diputuskan", _("Decided")
    KEBERATAN = "keberatan", _("Objection filed")
    KEBERATAN_DIJAWAB = "keberatan_dijawab", _("Objection answered")
    SENGKETA = "sengketa", _("Dispute at the Information Commission")


S = RequestState
# Waiting for the body's decision (the statutory clock runs).
AWAITING_DECISION = [S.DITERIMA, S.DIPERPANJANG]
REGISTERED_STATES = [s for s in S.values if s != S.DIAJUKAN]
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    S.DIAJUKAN: {S.DITERIMA},
    S.DITERIMA: {S.DIPERPANJANG, S.DIPUTUSKAN, S.KEBERATAN},
    S.DIPERPANJANG: {S.DIPUTUSKAN, S.KEBERATAN},
    S.DIPUTUSKAN: {S.KEBERATAN},
    S.KEBERATAN: {S.KEBERATAN_DIJAWAB, S.SENGKETA},
    S.KEBERATAN_DIJAWAB: {S.SENGKETA},
    S.SENGKETA: set(),
}


class AccessForm(models.TextChoices):
    """How the requester wants the information (Pasal 22 ayat (3) UU 14/2008)."""

    MELIHAT = "melihat", _("See or read it")
    SALINAN = "salinan", _("Get a copy")


class CopyFormat(models.TextChoices):
    NONE = "", _("No copy")
    SOFTCOPY = "softcopy", _("Softcopy (electronic file)")
    HARDCOPY = "hardcopy", _("Hardcopy (paper)")


class Delivery(models.TextChoices):
    AMBIL = "ambil", _("Collect in person")
    EMAIL = "email", _("Email")
    POS = "pos", _("Post")


class InformationRequest(TimeStampedModel):
    """One request for public information to one public body (badan publik)."""

    # "PPID-0042-2026-000123": the body, the year of receipt (WIB) and a sequence per body and
    # year (`services.requests.next_registration_number`); empty until registration.
    registration_number = models.CharField(_("registration number"), max_length=30, unique=True, null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # "KIP-2026-7K3QFM": the public tracking code (random; reveals nothing about the requester).
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    body = models.ForeignKey(
        GovernmentOffice, verbose_name=_("public body"), on_delete=models.PROTECT, related_name="information_requests"
    )
    # Personal data: read only through sikim.kip.selectors.identity.
    requester_name = models.CharField(_("requester's name"), max_length=NAME_MAX_LENGTH)
    requester_id_number = models.CharField(
        _("NIK or other identity number"),
        max_length=30,
        blank=True,
        help_text=_("KTP (NIK), passport, or the legal entity's deed number."),
    )
    requester_address = models.CharField(_("address"), max_length=300)
    requester_phone = models.CharField(_("phone"), max_length=16, blank=True)
    requester_email = models.EmailField(_("email"), blank=True)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="information_requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by (KIM pengurus)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    information = models.TextField(_("information requested"), max_length=TEXT_MAX_LENGTH)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX_LENGTH)
    access_form = models.CharField(_("form"), max_length=10, choices=AccessForm.choices, default=AccessForm.MELIHAT)
    copy_format = models.CharField(_("copy"), max_length=10, choices=CopyFormat.choices, blank=True, default="")
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.AMBIL)
    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices, default=S.DIAJUKAN)
    submitted_at = models.DateTimeField(_("submitted at"))
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # When the request counts as received (the statutory clock starts from here).
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decision_due = models.DateTimeField(_("decision due"), null=True, blank=True)
    extended = models.BooleanField(_("deadline extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), max_length=REASON_MAX_LENGTH, blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extended_due = models.DateTimeField(_("extended decision due"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        indexes = [
            models.Index(fields=["body", "state"], name="kip_request_body_state_idx"),
            models.Index(fields=["state", "decision_due"], name="kip_request_due_idx"),
            models.Index(fields=["body", "year"], name="kip_request_body_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RequestState.values), name="kip_request_state_valid"),
            models.CheckConstraint(condition=Q(access_form__in=AccessForm.values), name="kip_request_form_valid"),
            models.CheckConstraint(condition=Q(copy_format__in=CopyFormat.values), name="kip_request_copy_valid"),
            models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="kip_request_delivery_valid"),
            models.CheckConstraint(condition=~Q(requester_name=""), name="kip_request_has_requester_name"),
            models.CheckConstraint(
                condition=Q(access_form=AccessForm.MELIHAT, copy_format="")
                | Q(access_form=AccessForm.SALINAN, copy_format__in=[CopyFormat.SOFTCOPY, CopyFormat.HARDCOPY]),
                name="kip_request_copy_iff_salinan",
            ),
            # Registered ⇔ a number, a receipt date and a due date; never before submission.
            models.CheckConstraint(
                condition=Q(
                    state=S.DIAJUKAN,
                    registration_number__isnull=True,
                    registered_at__isnull=True,
                    received_at__isnull=True,
                    decision_due__isnull=True,
                )
                | Q(
                    ~Q(state=S.DIAJUKAN),
                    registration_number__isnull=False,
                    sequence__isnull=False,
                    year__isnull=False,
                    registered_at__isnull=False,
                    received_at__isnull=False,
                    decision_due__gt=F("received_at"),
                ),
                name="kip_request_registered_has_number_and_due",
            ),
            # One extension only, with a written reason, to a later date.
            models.CheckConstraint(
                condition=Q(extended=False, extension_reason="", extended_at__isnull=True, extended_due__isnull=True)
                | Q(
                    ~Q(extension_reason=""),
                    extended=True,
                    extended_at__isnull=False,
                    extended_due__gt=F("decision_due"),
                ),
                name="kip_request_extension_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state=S.DIPERPANJANG) | Q(extended=True), name="kip_request_diperpanjang_is_extended"
            ),
            models.UniqueConstraint(fields=["body", "year", "sequence"], name="kip_request_unique_sequence"),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.tracking_code

    @property
    def authz_region_code(self) -> str:
        return self.body.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(GovernmentOffice).pk, self.body_id)]

    @property
    def is_registered(self) -> bool:
        return self.state != S.DIAJUKAN

    @property
    def due_at(self) -> datetime | None:
        """The deadline in force: the extended one after an extension."""
        return self.extended_due if self.extended else self.decision_due

    def can_move_to(self, state: str) -> bool:
        return state in REQUEST_TRANSITIONS.get(self.state, set())


class Outcome(models.TextChoices):
    """The written notice of Pasal 22 ayat (7) UU 14/2008."""

    GRANTED_FULL = "granted_full", _("Granted in full")
    GRANTED_PARTIAL = "granted_partial", _("Granted in part")
    REFUSED = "refused", _("Refused (exempted information)")
    NOT_HELD = "not_held", _("Information not held by this body")


# Outcomes that withhold something and so need a Pasal 17 ground and the consequence test.
WITHHOLDING_OUTCOMES = [Outcome.GRANTED_PARTIAL, Outcome.REFUSED]
GRANTED_OUTCOMES = [Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL]


class ExemptionGround(models.TextChoices):
    """Pasal 17 UU 14/2008: information that may be withheld if disclosing it would…"""

    A = "a", _("a. hinder law enforcement")
    B = "b", _("b. harm intellectual property or fair competition")
    C = "c", _("c. endanger national defence and security")
    D = "d", _("d. reveal Indonesia's natural wealth")
    E = "e", _("e. harm national economic resilience")
    F = "f", _("f. harm foreign relations")
    G = "g", _("g. reveal a private authentic deed, last will or testament")
    H = "h", _("h. reveal personal secrets")
    I = "i", _("i. reveal memoranda or letters between or within public bodies that are confidential by nature")  # noqa: E741
    J = "j", _("j. information that may not be disclosed under a law")


class Decision(TimeStampedModel):
    """The body's written decision on a request (one per request)."""

    request = models.OneToOneField(
        InformationRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    exemption_ground = models.CharField(
        _("exemption ground (Pasal 17)"), max_length=1, choices=ExemptionGround.choices, blank=True
    )
    consequence_test = models.TextField(
        _("consequence test"),
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Why disclosing would cause harm, and why withholding serves a greater public interest (Pasal 19)."
        ),
    )
    response_text = models.TextField(_("response"), max_length=TEXT_MAX_LENGTH, blank=True)
    cost = models.PositiveIntegerField(_("cost of copies (Rp)"), default=0)
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="kip_decision_outcome_valid"),
            models.CheckConstraint(
                condition=Q(exemption_ground="") | Q(exemption_ground__in=ExemptionGround.values),
                name="kip_decision_ground_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=WITHHOLDING_OUTCOMES, exemption_ground__in=ExemptionGround.values)
                & ~Q(consequence_test="")
                | Q(~Q(outcome__in=WITHHOLDING_OUTCOMES), exemption_ground=""),
                name="kip_decision_refusal_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.outcome}"

    @property
    def authz_region_code(self) -> str:
        return self.request.authz_region_code

    def authz_organisations(self) -> list[tuple[int, int]]:
        return self.request.authz_organisations()


def _response_document_path(instance: "ResponseDocument", filename: str) -> str:
    return f"kip/responses/{instance.decision_id}/{filename}"


class ResponseDocument(TimeStampedModel):
    """A PDF sent with the decision (checked by `sikim.core.uploads.clean_pdf`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("document (PDF)"), upload_to=_response_document_path)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("response document")
        verbose_name_plural = _("response documents")

    def __str__(self) -> str:
        return self.title


class ObjectionGround(models.TextChoices):
    """Pasal 35 ayat (1) UU 14/2008."""

    A = "a", _("a. refusal on an exemption ground (Pasal 17)")
    B = "b", _("b. periodic information not published (Pasal 9)")
    C = "c", _("c. request not answered")
    D = "d", _("d. answered other than what was asked")
    E = "e", _("e. request not met")
    F = "f", _("f. unreasonable cost")
    G = "g", _("g. information given later than the law allows")


# Stored as letters in the order of the law, separated by commas: "a,c,g".
GROUNDS_REGEX = r"^[a-g](,[a-g]){0,6}$"


class Objection(TimeStampedModel):
    """Keberatan to the atasan PPID (Pasal 35–36 UU 14/2008); one per request."""

    request = models.OneToOneField(
        InformationRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="objection"
    )
    grounds = models.CharField(_("grounds (Pasal 35)"), max_length=13)
    statement = models.TextField(_("the objection"), max_length=TEXT_MAX_LENGTH)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    window_closes = models.DateTimeField(_("objection window closed at"))
    answer_due = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("atasan PPID's answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(condition=Q(grounds__regex=GROUNDS_REGEX), name="kip_objection_grounds_valid"),
            models.CheckConstraint(condition=Q(filed_at__lte=F("window_closes")), name="kip_objection_within_window"),
            models.CheckConstraint(condition=Q(answer_due__gt=F("filed_at")), name="kip_objection_answer_due_after"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(~Q(answer=""), answered_at__isnull=False, answered_at__gte=F("filed_at")),
                name="kip_objection_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.grounds}"

    @property
    def ground_list(self) -> list[str]:
        return [g for g in self.grounds.split(",") if g]

    @property
    def authz_region_code(self) -> str:
        return self.request.authz_region_code

    def authz_organisations(self) -> list[tuple[int, int]]:
        return self.request.authz_organisations()


class DisputeOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    MEDIATED = "mediated", _("Settled by mediation")
    GRANTED = "granted", _("Request upheld (information to be given)")
    GRANTED_PARTIAL = "granted_partial", _("Request partly upheld")
    REJECTED = "rejected", _("Request rejected (body upheld)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class KiDispute(TimeStampedModel):
    """A dispute the requester filed with the Komisi Informasi (Pasal 37 UU 14/2008)."""

    objection = models.OneToOneField(
        Objection, verbose_name=_("objection"), on_delete=models.CASCADE, related_name="dispute"
    )
    filed_at = models.DateTimeField(_("filed at"))
    window_closes = models.DateTimeField(_("filing window closed at"))
    commission = models.CharField(
        _("Information Commission"), max_length=150, help_text=_("e.g. Komisi Informasi Provinsi Bali")
    )
    reference_number = models.CharField(_("register number at the Commission"), max_length=80, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=DisputeOutcome.choices, default=DisputeOutcome.PENDING
    )
    outcome_at = models.DateTimeField(_("outcome on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Information Commission dispute")
        verbose_name_plural = _("Information Commission disputes")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=DisputeOutcome.values), name="kip_dispute_outcome_valid"),
            models.CheckConstraint(condition=Q(filed_at__lte=F("window_closes")), name="kip_dispute_within_window"),
            models.CheckConstraint(
                condition=Q(outcome=DisputeOutcome.PENDING, outcome_at__isnull=True)
                | Q(~Q(outcome=DisputeOutcome.PENDING), outcome_at__isnull=False),
                name="kip_dispute_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.reference_number or str(self.objection)

    @property
    def authz_region_code(self) -> str:
        return self.objection.authz_region_code

    def authz_organisations(self) -> list[tuple[int, int]]:
        return self.objection.authz_organisations()


class AtasanPpid(TimeStampedModel):
    """The PPID's superior at a body, who answers objections (one active per body).

    The accounts app has no role for it: an atasan PPID is the head of the body or an official
    they appoint, and holds no other powers in SIKIM, so the appointment lives here.
    """

    body = models.ForeignKey(
        GovernmentOffice, verbose_name=_("public body"), on_delete=models.CASCADE, related_name="atasan_ppid"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("atasan PPID"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.CharField(_("position"), max_length=150, blank=True, help_text=_("e.g. Perbekel Desa Ekasari"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("atasan PPID")
        verbose_name_plural = _("atasan PPID")
        constraints = [
            models.UniqueConstraint(
                fields=["body"], condition=Q(revoked_at__isnull=True), name="kip_atasan_one_active_per_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.body}"

    @property
    def authz_region_code(self) -> str:
        return self.body.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(GovernmentOffice).pk, self.body_id)]


class RegisterCategory(models.TextChoices):
    """The Daftar Informasi Publik (Pasal 9–11 and 17 UU 14/2008)."""

    BERKALA = "berkala", _("Published periodically (berkala)")
    SERTA_MERTA = "serta_merta", _("Published immediately (serta-merta)")
    SETIAP_SAAT = "setiap_saat", _("Available at any time (setiap saat)")
    DIKECUALIKAN = "dikecualikan", _("Exempted (dikecualikan)")


def _register_document_path(instance: "RegisterEntry", filename: str) -> str:
    return f"kip/register/{instance.body_id}/{filename}"


class RegisterEntry(TimeStampedModel):
    """One line of a body's Daftar Informasi Publik, with its document (never for exempted information)."""

    body = models.ForeignKey(
        GovernmentOffice, verbose_name=_("public body"), on_delete=models.CASCADE, related_name="register_entries"
    )
    category = models.CharField(_("category"), max_length=20, choices=RegisterCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    exemption_ground = models.CharField(
        _("exemption ground (Pasal 17)"), max_length=1, choices=ExemptionGround.choices, blank=True
    )
    exemption_reason = models.TextField(_("reason for the exemption"), max_length=TEXT_MAX_LENGTH, blank=True)
    document = models.FileField(_("document (PDF)"), upload_to=_register_document_path, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A response published from a decided request (its text redacted of personal data).
    source_decision = models.ForeignKey(
        Decision,
        verbose_name=_("from the decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["body_id", "category", "-year", "title"]
        verbose_name = _("register entry")
        verbose_name_plural = _("Daftar Informasi Publik")
        indexes = [models.Index(fields=["body", "is_published", "category"], name="kip_register_body_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=RegisterCategory.values), name="kip_register_category_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=1945, year__lte=2200), name="kip_register_year_plausible"),
            models.CheckConstraint(
                condition=Q(
                    ~Q(exemption_reason=""),
                    category=RegisterCategory.DIKECUALIKAN,
                    exemption_ground__in=ExemptionGround.values,
                    document="",
                )
                | Q(~Q(category=RegisterCategory.DIKECUALIKAN), exemption_ground="", exemption_reason=""),
                name="kip_register_exempted_has_reason_no_document",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False), name="kip_register_published_dated"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def authz_region_code(self) -> str:
        return self.body.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(GovernmentOffice).pk, self.body_id)]


class CalendarSettings(TimeStampedModel):
    """The KIP working-day calendar's settings: one row (pk 1), kept by a national administrator."""

    SINGLETON_PK = 1

    cuti_bersama_off = models.BooleanField(
        _("cuti bersama are days off"),
        default=True,
        help_text=_("Count the government's joint leave days (cuti bersama) as non-working days in KIP deadlines."),
    )

    class Meta:
        verbose_name = _("KIP calendar settings")
        verbose_name_plural = _("KIP calendar settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="kip_calendar_settings_singleton")]

    def __str__(self) -> str:
        return str(_("KIP calendar settings"))


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Add a day off")
    WORKING_DAY = "working_day", _("Remove a holiday (a working day)")


class CalendarOverride(TimeStampedModel):
    """A date an administrator adds to the KIP holidays or takes off them."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("change"), max_length=12, choices=OverrideKind.choices)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("KIP calendar change")
        verbose_name_plural = _("KIP calendar changes")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OverrideKind.values), name="kip_override_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="kip_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class RegistrationCounter(models.Model):
    """The last registration sequence issued per body and year (locked while issuing the next)."""

    body = models.ForeignKey(GovernmentOffice, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="kip_counter_unique_body_year")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"
