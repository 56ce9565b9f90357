"""The KIM registry: pembina offices, KIMs and their formation, board, members and sub-groups.

A KIM (Kelompok Informasi Masyarakat) is formed by, from and for the community at
desa/kelurahan level and fostered by the Dinas Kominfo (pembina office) of its
kabupaten/kota. Every KIM points at its village by Kemendagri code, so "all KIMs in
Kota Banjarbaru" is one range over `region_id` (see `sikim.wilayah.models.subtree_q`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel

VILLAGE_CODE_REGEX = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
PHONE_E164_REGEX = r"^\+62[0-9]{8,13}$"


class Sector(models.TextChoices):
    """Sectors a KIM serves and members work in."""

    PERTANIAN = "pertanian", _("Agriculture")
    PERKEBUNAN = "perkebunan", _("Plantations")
    PERIKANAN = "perikanan", _("Fisheries")
    PETERNAKAN = "peternakan", _("Livestock")
    UMKM = "umkm", _("Small business (UMKM)")
    PARIWISATA = "pariwisata", _("Tourism")
    KESEHATAN = "kesehatan", _("Health")
    PENDIDIKAN = "pendidikan", _("Education")
    LINGKUNGAN = "lingkungan", _("Environment")
    TEKNOLOGI = "teknologi", _("Information technology")
    SOSIAL_BUDAYA = "sosial_budaya", _("Social and culture")
    PEMERINTAHAN = "pemerintahan", _("Government")
    LAINNYA = "lainnya", _("Other")


class PembinaOffice(TimeStampedModel):
    """A Dinas Kominfo of a province or a kabupaten/kota, fostering the KIMs of its region."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    region = models.OneToOneField(
        "wilayah.Region",
        verbose_name=_("region fostered"),
        on_delete=models.PROTECT,
        related_name="pembina_office",
        limit_choices_to={"level__lte": 2},
        help_text=_("The province or kabupaten/kota this office fosters."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("pembina office (Dinas Kominfo)")
        verbose_name_plural = _("pembina offices (Dinas Kominfo)")

    def __str__(self) -> str:
        return self.name

    @property
    def authz_region_code(self) -> str:
        return self.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(PembinaOffice).pk, self.pk)]

    def clean(self) -> None:
        if self.region_id and self.region_id.count(".") > 1:
            raise ValidationError({"region": _("A Dinas Kominfo fosters a province or a kabupaten/kota.")})


class KimStatus(models.TextChoices):
    DIUSULKAN = "diusulkan", _("Proposed")
    DIBENTUK = "dibentuk", _("Formed")
    TERDAFTAR = "terdaftar", _("Registered")
    AKTIF = "aktif", _("Active")
    TIDAK_AKTIF = "tidak_aktif", _("Inactive")
    DIBUBARKAN = "dibubarkan", _("Dissolved")


# The lifecycle: which status may follow which. Who may make each move is decided in
# sikim.kim.services.lifecycle through sikim.accounts.authz.
KIM_TRANSITIONS: dict[str, set[str]] = {
    KimStatus.DIUSULKAN: {KimStatus.DIBENTUK, KimStatus.DIBUBARKAN},
    KimStatus.DIBENTUK: {KimStatus.TERDAFTAR, KimStatus.DIBUBARKAN},
    KimStatus.TERDAFTAR: {KimStatus.AKTIF, KimStatus.TIDAK_AKTIF, KimStatus.DIBUBARKAN},
    KimStatus.AKTIF: {KimStatus.TIDAK_AKTIF, KimStatus.DIBUBARKAN},
    KimStatus.TIDAK_AKTIF: {KimStatus.AKTIF, KimStatus.DIBUBARKAN},
    KimStatus.DIBUBARKAN: set(),
}

# Statuses in which a KIM shows in the public directory.
PUBLIC_STATUSES = [KimStatus.DIBENTUK, KimStatus.TERDAFTAR, KimStatus.AKTIF, KimStatus.TIDAK_AKTIF]


class Kim(TimeStampedModel):
    """A Kelompok Informasi Masyarakat of one desa/kelurahan."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="kims",
        # Django cannot express "the referenced region is a village" as a check constraint on
        # a foreign key; services and clean() refuse anything else with a clear message.
        limit_choices_to={"level": 4},
    )
    pembina_office = models.ForeignKey(
        PembinaOffice,
        verbose_name=_("pembina office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kims",
    )
    status = models.CharField(_("status"), max_length=12, choices=KimStatus.choices, default=KimStatus.DIUSULKAN)
    # Given by the pembina when the KIM is registered, e.g. "KIM-63.72-0001".
    registration_number = models.CharField(_("registration number"), max_length=40, null=True, blank=True, unique=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    about = models.TextField(_("about"), blank=True, max_length=5000)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("public phone"), max_length=30, blank=True)
    email = models.EmailField(_("public email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social media links"), default=dict, blank=True)
    logo = models.ImageField(_("logo"), upload_to="kim/logos/", blank=True)
    # A sectoral group (a kelompok tani…) that is itself the KIM, e.g. Kelompok Tani Kakao
    # Merta Abadi, the KIM of Desa Ekasari.
    run_by_group = models.CharField(_("run by group"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposer_name = models.CharField(_("proposer's name"), max_length=150, blank=True)
    proposer_contact = models.CharField(_("proposer's phone or email"), max_length=150, blank=True)
    # Several KIMs in one village are allowed; the pembina is warned when it happens.
    has_village_sibling = models.BooleanField(_("another KIM in the same village"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("KIM")
        verbose_name_plural = _("KIMs")
        indexes = [
            models.Index(fields=["region", "status"], name="kim_region_status_idx"),
            models.Index(fields=["status", "name"], name="kim_status_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=KimStatus.values), name="kim_status_valid"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-11.5, latitude__lte=6.5, longitude__gte=94.5, longitude__lte=141.5),
                name="kim_point_inside_indonesia",
            ),
            models.CheckConstraint(
                condition=Q(registration_number__isnull=True)
                | ~Q(status__in=[KimStatus.DIUSULKAN, KimStatus.DIBENTUK]),
                name="kim_number_only_when_registered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def authz_region_code(self) -> str:
        return self.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(Kim).pk, self.pk)]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in KIM_TRANSITIONS.get(self.status, set())

    def clean(self) -> None:
        if self.region_id and self.region_id.count(".") != 3:
            raise ValidationError({"region": _("A KIM belongs to a desa or kelurahan, not to a larger region.")})


class KimSector(models.Model):
    """A sector a KIM serves (a row per sector, so the directory can filter on an index)."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="sectors")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kim", "sector"], name="kim_sector_unique")]
        indexes = [models.Index(fields=["sector", "kim"], name="kim_sector_sector_idx")]

    def __str__(self) -> str:
        return self.get_sector_display()


class KimStatusChange(models.Model):
    """The lifecycle history of a KIM: every transition, who made it and why."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=KimStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=KimStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.kim}: {self.from_status} → {self.to_status}"


class Formation(TimeStampedModel):
    """The formation (pembentukan) of a KIM: the meeting, its facilitators and the decree (SK)."""

    kim = models.OneToOneField(Kim, on_delete=models.CASCADE, related_name="formation")
    held_on = models.DateField(_("date of the formation meeting"))
    place = models.CharField(_("place"), max_length=300)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators (Dinas Kominfo officers present)"),
        blank=True,
        related_name="+",
    )
    facilitator_names = models.CharField(_("other facilitators"), max_length=500, blank=True)
    attendees_count = models.PositiveIntegerField(_("number of attendees"))
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_issued_by = models.CharField(_("decree issued by (kepala desa/lurah)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        constraints = [
            models.CheckConstraint(condition=Q(attendees_count__lte=100000), name="formation_attendees_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.kim} — {self.held_on}"

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id


class FormationPhoto(TimeStampedModel):
    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="photos")
    # Re-encoded on upload (metadata and GPS stripped): see sikim.core.uploads.
    image = models.ImageField(_("photo"), upload_to="kim/formation/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class DocumentKind(models.TextChoices):
    SK = "sk", _("Decree (SK)")
    AD_ART = "ad_art", _("Statutes (AD/ART)")
    OTHER = "other", _("Other")


class KimDocument(TimeStampedModel):
    """A KIM's documents (the SK, the AD/ART…): PDFs, public or internal."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file (PDF)"), upload_to="kim/documents/")
    is_public = models.BooleanField(_("public"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-created_at"]
        verbose_name = _("KIM document")
        verbose_name_plural = _("KIM documents")

    def __str__(self) -> str:
        return self.title

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id


class MemberKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Member organisation")


class Gender(models.TextChoices):
    FEMALE = "p", _("Female")
    MALE = "l", _("Male")


class AgeGroup(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_59 = "45_59", _("45–59")
    AGE_60_PLUS = "60plus", _("60 and over")


class OrganisationType(models.TextChoices):
    KELOMPOK_TANI = "kelompok_tani", _("Farmers' group (kelompok tani)")
    NELAYAN = "nelayan", _("Fishers' group")
    UMKM = "umkm", _("Small business (UMKM)")
    PROFESI = "profesi", _("Professional group")
    PKK = "pkk", _("PKK")
    KARANG_TARUNA = "karang_taruna", _("Karang taruna")
    LAINNYA = "lainnya", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class KimMember(TimeStampedModel):
    """A member of a KIM: a person or a member organisation (a sectoral group).

    Personal data (phone, email) is visible only to the KIM's pengurus and its pembina:
    read it through `sikim.kim.selectors`, never on public pages.
    """

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=12, choices=MemberKind.choices, default=MemberKind.PERSON)
    name = models.CharField(_("name"), max_length=150)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kim_memberships",
    )
    phone = models.CharField(_("phone"), max_length=16, null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=6, choices=AgeGroup.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    consent_email = models.BooleanField(_("agrees to email"), default=False)
    consent_sms = models.BooleanField(_("agrees to SMS"), default=False)
    consent_whatsapp = models.BooleanField(_("agrees to WhatsApp"), default=False)
    consent_telegram = models.BooleanField(_("agrees to Telegram"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("KIM member")
        verbose_name_plural = _("KIM members")
        indexes = [
            models.Index(fields=["kim", "sector"], name="kim_member_kim_sector_idx"),
        ]
        constraints = [
            # One member per phone number in a KIM: imports merge duplicates on it.
            models.UniqueConstraint(
                fields=["kim", "phone"], condition=Q(phone__isnull=False), name="kim_member_unique_phone"
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__regex=PHONE_E164_REGEX), name="kim_member_phone_e164"
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation") | Q(organisation_type=""), name="kim_member_org_type_for_orgs"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(Kim).pk, self.kim_id)]


class BoardPositionKind(models.TextChoices):
    KETUA = "ketua", _("Chair (ketua)")
    WAKIL_KETUA = "wakil_ketua", _("Vice chair (wakil ketua)")
    SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
    BENDAHARA = "bendahara", _("Treasurer (bendahara)")
    SEKSI = "seksi", _("Section (seksi/bidang)")


class BoardTerm(TimeStampedModel):
    """One term of a KIM's board. Past terms are kept as history; terms never overlap."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="board_terms")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")), name="board_term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["kim", "starts_on"], name="board_term_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.kim} {self.starts_on}–{self.ends_on or '…'}"

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id


class BoardPosition(models.Model):
    term = models.ForeignKey(BoardTerm, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(KimMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=12, choices=BoardPositionKind.choices)
    section_name = models.CharField(_("section (for seksi/bidang)"), max_length=100, blank=True)

    class Meta:
        ordering = ["term", "position", "id"]
        constraints = [
            # One ketua, wakil ketua, sekretaris and bendahara per term; many seksi.
            models.UniqueConstraint(
                fields=["term", "position"],
                condition=~Q(position="seksi"),
                name="board_position_single_officer",
            ),
            models.UniqueConstraint(fields=["term", "member", "position"], name="board_position_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.member}"


class DisseminationGroup(TimeStampedModel):
    """A kelompok desiminasi at dusun/RW level, part of its KIM (names are free text)."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="dissemination_groups")
    name = models.CharField(_("name (dusun/RW)"), max_length=150)
    coordinator = models.ForeignKey(
        KimMember,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(KimMember, verbose_name=_("members"), blank=True, related_name="groups")

    class Meta:
        ordering = ["name"]
        verbose_name = _("dissemination group")
        verbose_name_plural = _("dissemination groups")
        constraints = [models.UniqueConstraint(fields=["kim", "name"], name="dissemination_group_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class MemberImport(TimeStampedModel):
    """A CSV/XLSX member import: previewed first, applied all at once (never half)."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="member_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="kim/imports/")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "errors": ["…"]}]: shown to the pengurus in Indonesian.
    row_errors = models.JSONField(default=list, blank=True)
    error_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kim}: {self.original_name}"

    @property
    def authz_region_code(self) -> str:
        return self.kim.region_id
