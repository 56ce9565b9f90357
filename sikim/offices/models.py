"""Government offices (instansi/OPD) that answer the community: dinas, badan, kantor, kecamatan…

An office acts for a region subtree (its jurisdiction): a dinas of Kota Banjarbaru for all of
Kota Banjarbaru, a kantor kecamatan for its kecamatan, a provincial dinas for its province.
Officers are users holding a `petugas_instansi` role grant whose organisation is the office
(`sikim.accounts.models.RoleGrant`). The same offices serve later as the public bodies of
information requests (UU KIP), so the model stays general.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel
from sikim.wilayah.models import RegionLevel, code_in_subtree


class OfficeKind(models.TextChoices):
    DINAS = "dinas", _("Dinas (department)")
    BADAN = "badan", _("Badan (agency)")
    KANTOR = "kantor", _("Kantor (office)")
    SEKRETARIAT = "sekretariat", _("Secretariat (sekretariat daerah/DPRD)")
    INSPEKTORAT = "inspektorat", _("Inspectorate")
    RSUD = "rsud", _("Regional hospital (RSUD)")
    INSTANSI_VERTIKAL = "instansi_vertikal", _("Central government office in the region (instansi vertikal)")
    BUMD = "bumd", _("Regional state enterprise (BUMD)")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    KELURAHAN = "kelurahan", _("Kelurahan office")
    DESA = "desa", _("Village government (pemerintah desa)")
    LAINNYA = "lainnya", _("Other")


# The region level an office of each kind acts for; kinds not listed act for a province or a
# kabupaten/kota.
REGION_LEVEL_FOR_KIND: dict[str, int] = {
    OfficeKind.KECAMATAN: RegionLevel.KECAMATAN,
    OfficeKind.KELURAHAN: RegionLevel.DESA_KELURAHAN,
    OfficeKind.DESA: RegionLevel.DESA_KELURAHAN,
}


class GovernmentOffice(TimeStampedModel):
    """An instansi/OPD acting for the region subtree of `region`."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices, default=OfficeKind.DINAS)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="government_offices",
        help_text=_("The office acts for this region and everything inside it."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("government office")
        verbose_name_plural = _("government offices")
        indexes = [models.Index(fields=["region", "is_active"], name="office_region_active_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OfficeKind.values), name="office_kind_valid"),
            models.UniqueConstraint(fields=["region", "name"], name="office_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def authz_region_code(self) -> str:
        return self.region_id

    def authz_organisations(self) -> list[tuple[int, int]]:
        return [(ContentType.objects.get_for_model(GovernmentOffice).pk, self.pk)]

    def covers(self, region_code: str) -> bool:
        """Whether `region_code` lies inside the office's jurisdiction."""
        return code_in_subtree(region_code, self.region_id)

    def clean(self) -> None:
        if not self.region_id:
            return
        level = self.region_id.count(".") + 1
        wanted = REGION_LEVEL_FOR_KIND.get(self.kind)
        if wanted is not None and level != wanted:
            raise ValidationError({"region": _("This kind of office acts for a region of another level.")})
        if wanted is None and level > RegionLevel.KABUPATEN_KOTA:
            raise ValidationError({"region": _("This kind of office acts for a province or a kabupaten/kota.")})
