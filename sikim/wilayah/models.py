"""Indonesia's administrative regions (wilayah) with their Kemendagri codes.

The code is the primary key. Codes are hierarchical ("63" → "63.72" → "63.72.05" →
"63.72.05.1004"), so "everything inside Kota Banjarbaru" is a range over one index
(see `subtree_q`) instead of a walk down the tree.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel

# A Kemendagri code at any level: 63, 63.72, 63.72.05, 63.72.05.1004.
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN_KOTA = 2, _("Regency/city")
    KECAMATAN = 3, _("District")
    DESA_KELURAHAN = 4, _("Village")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    # Papua's provinces call their kecamatan "distrik".
    DISTRIK = "distrik", _("Distrik")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


KINDS_BY_LEVEL = {
    RegionLevel.PROVINSI: {RegionKind.PROVINSI},
    RegionLevel.KABUPATEN_KOTA: {RegionKind.KABUPATEN, RegionKind.KOTA},
    RegionLevel.KECAMATAN: {RegionKind.KECAMATAN, RegionKind.DISTRIK},
    RegionLevel.DESA_KELURAHAN: {RegionKind.DESA, RegionKind.KELURAHAN},
}


def subtree_q(field: str, code: str) -> Q:
    """Rows whose region `field` (a region code or FK) is `code` or anywhere below it.

    "/" is the character after "." so the range `[code + ".", code + "/")` holds exactly the
    descendants; both SQLite and PostgreSQL answer it from the index on the code.
    """
    return Q(**{field: code}) | Q(**{f"{field}__gte": f"{code}.", f"{field}__lt": f"{code}/"})


def code_in_subtree(code: str, ancestor_code: str) -> bool:
    return code == ancestor_code or code.startswith(f"{ancestor_code}.")


class Region(TimeStampedModel):
    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan": the ancestors' names,
    # nearest first, kept here so a search answer needs no joins.
    parent_path = models.CharField(_("parent path"), max_length=400, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=REGION_CODE_PATTERN),
                name="region_code_format",
            ),
            models.CheckConstraint(
                condition=(Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False)),
                name="region_parent_matches_level",
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=1, kind="provinsi")
                    | Q(level=2, kind__in=["kabupaten", "kota"])
                    | Q(level=3, kind__in=["kecamatan", "distrik"])
                    | Q(level=4, kind__in=["desa", "kelurahan"])
                ),
                name="region_kind_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """ "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"."""
        return f"{self.name} — {self.parent_path}" if self.parent_path else self.name

    @property
    def is_village(self) -> bool:
        return self.level == RegionLevel.DESA_KELURAHAN

    @property
    def authz_region_code(self) -> str:
        return self.code

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to the parent: "63", "63.72", "63.72.05"."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]


class RegionSearchTerm(models.Model):
    """One row per word-start of a region's name, so "paikat" finds "Guntung Paikat".

    A search is a prefix range over `term`, which one index answers on every database.
    """

    # db_index also gives PostgreSQL its pattern index for the prefix (LIKE 'x%') search.
    term = models.CharField(max_length=120, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="search_terms")
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "region"], name="region_search_term_unique")]

    def __str__(self) -> str:
        return self.term
