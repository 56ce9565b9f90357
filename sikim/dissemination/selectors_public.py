"""Reads for the public side of dissemination: the web feed, the RSS/Atom feeds and the printout.

Everything here is public, so nothing is scoped to a reader: what is public is decided by the
bulletin alone (published, and not past its validity). Each selector is one query (plus the
paginator's count), whatever the number of bulletins, targets or inboxes.
"""

from dataclasses import dataclass
from typing import Final

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sikim.dissemination.models import Bulletin, BulletinCategory, BulletinStatus, BulletinTarget, KimInboxItem
from sikim.kim.models import Kim
from sikim.kim.selectors.directory import public_kim_by_slug
from sikim.wilayah.models import Region, subtree_q

# How many bulletins a page's feed box shows, and how many an RSS/Atom feed carries.
FEED_BOX_SIZE: Final = 5
FEED_ITEMS: Final = 30
FEED_PAGE_SIZE: Final = 20


def public_bulletin_pages() -> QuerySet[Bulletin]:
    """Bulletins that have a public page: published (a correction does not unpublish the original)."""
    return Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).select_related(
        "pembina_office", "kim", "forum", "corrects"
    )


def public_bulletins(*, category: str = "") -> QuerySet[Bulletin]:
    """The public feed: published, already valid, not past `valid_until`; newest first.

    Drafts, scheduled and expired bulletins never appear. `category` (a BulletinCategory value)
    narrows it; an empty one means all categories.
    """
    now = timezone.now()
    qs = (
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, published_at__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .select_related("pembina_office", "kim", "forum")
        .order_by("-published_at", "-id")
    )
    if category:
        qs = qs.filter(category=category)
    return qs


def public_bulletins_for_kim(kim: Kim, *, category: str = "") -> QuerySet[Bulletin]:
    """What this village was told: the KIM's own bulletins plus those that reached its inbox
    (the cascade from a Dinas Kominfo or a forum, whether re-disseminated yet or not)."""
    inbox = KimInboxItem.objects.filter(kim=kim).values("bulletin_id")
    return public_bulletins(category=category).filter(Q(kim=kim) | Q(pk__in=inbox))


def public_bulletins_for_region(code: str, *, category: str = "") -> QuerySet[Bulletin]:
    """The bulletins that concern a region: those published inside it, and those aimed at it.

    A bulletin is in the feed of region C when
      - its publisher sits inside C (a KIM, office or forum whose region is C or below it), or
      - one of its region targets is C, an ancestor of C ("all of Kalimantan Selatan" concerns
        Kota Banjarbaru) or a region inside C ("one kecamatan" concerns its kabupaten), or
      - one of its KIM targets, or the KIM of one of its kelompok desiminasi targets, is inside C.
    The KIMs whose inboxes a bulletin reached are derived from those same targets, so they need
    no separate test. Region codes nest, so each test is an index range (`subtree_q`) or an IN
    over at most four ancestor codes: one query, no recursion.
    """
    ancestors_and_self = [".".join(code.split(".")[:i]) for i in range(1, code.count(".") + 2)]
    targets = BulletinTarget.objects.filter(
        Q(region_id__in=ancestors_and_self)
        | subtree_q("region_id", code)
        | subtree_q("kim__region_id", code)
        | subtree_q("group__kim__region_id", code)
    ).values("bulletin_id")
    return public_bulletins(category=category).filter(subtree_q("region_code", code) | Q(pk__in=targets))


def feed_box(bulletins: QuerySet[Bulletin]) -> dict[str, object]:
    """The latest few bulletins for a page's feed box, and whether there are more (one query)."""
    latest = list(bulletins[: FEED_BOX_SIZE + 1])
    return {"bulletins": latest[:FEED_BOX_SIZE], "has_more": len(latest) > FEED_BOX_SIZE}


@dataclass(frozen=True)
class FeedScope:
    """What one RSS/Atom feed or feed page covers: everything, a KIM, a region or a category."""

    kind: str  # "all", "kim", "region", "category"
    key: str = ""
    name: str = ""
    kim: Kim | None = None
    region: Region | None = None

    def bulletins(self) -> QuerySet[Bulletin]:
        if self.kim is not None:
            return public_bulletins_for_kim(self.kim)
        if self.region is not None:
            return public_bulletins_for_region(self.region.code)
        return public_bulletins(category=self.key if self.kind == "category" else "")


def feed_scope(kind: str, key: str = "") -> FeedScope:
    """The scope of a feed URL, or Http404 for an unknown (or non-public) KIM, region or category."""
    if kind == "kim":
        kim = public_kim_by_slug(key)
        return FeedScope(kind, kim.slug, kim.name, kim=kim)
    if kind == "region":
        region = get_object_or_404(Region, pk=key[:13])
        return FeedScope(kind, region.code, region.name, region=region)
    if kind == "category":
        if key not in BulletinCategory.values:
            raise Http404
        return FeedScope(kind, key, str(BulletinCategory(key).label))
    return FeedScope("all")
