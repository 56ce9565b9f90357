"""Forum Komunikasi KIM: KIMs of a kecamatan, kabupaten/kota, province or the nation together.

A forum is where KIMs exchange views and experience, and a market network for their
members' products.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sikim.core.models import TimeStampedModel


class ForumLevel(models.TextChoices):
    KECAMATAN = "kecamatan", _("Kecamatan")
    KABUPATEN_KOTA = "kabupaten_kota", _("Kabupaten/kota")
    PROVINSI = "provinsi", _("Province")
    NASIONAL = "nasional", _("National")


class KimForum(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    level = models.CharField(_("level"), max_length=15, choices=ForumLevel.choices)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kim_forums",
    )
    about = models.TextField(_("about"), blank=True, max_length=5000)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    formation_place = models.CharField(_("formation place"), max_length=300, blank=True)
    formation_notes = models.TextField(_("formation record"), blank=True, max_length=20000)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    kims = models.ManyToManyField("kim.Kim", through="ForumMembership", related_name="forums")

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("Forum KIM")
        verbose_name_plural = _("Forum KIM")
        constraints = [
            # The region's level must match the forum's (checked in services: Django cannot
            # put a check constraint across a foreign key). National forums have no region.
            models.CheckConstraint(
                condition=Q(level="nasional", region__isnull=True) | (~Q(level="nasional") & Q(region__isnull=False)),
                name="kim_forum_region_present_unless_national",
            ),
            models.UniqueConstraint(
                fields=["level", "region"], condition=Q(region__isnull=False), name="kim_forum_one_per_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def authz_region_code(self) -> str | None:
        return self.region_id


class ForumMembership(models.Model):
    forum = models.ForeignKey(KimForum, on_delete=models.CASCADE, related_name="memberships")
    kim = models.ForeignKey("kim.Kim", on_delete=models.CASCADE, related_name="forum_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["forum", "kim"], name="forum_membership_unique")]

    def __str__(self) -> str:
        return f"{self.kim} in {self.forum}"


class ForumBoardPosition(TimeStampedModel):
    """A seat on a forum's board, held by someone from one of its KIMs."""

    forum = models.ForeignKey(KimForum, on_delete=models.CASCADE, related_name="board")
    person_name = models.CharField(_("name"), max_length=150)
    from_kim = models.ForeignKey(
        "kim.Kim", verbose_name=_("from KIM"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.CharField(_("position"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")), name="forum_board_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.person_name}"
