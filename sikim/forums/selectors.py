"""Reads of the Forum KIM: public lists and pages, and what a pembina may manage.

Forums are public (their names, regions, member KIMs and boards); managing one is for the
pembina whose region contains the forum's region, and for national forums the national admin.
"""

from dataclasses import dataclass
from datetime import date
from typing import Final

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.forums.models import ForumBoardPosition, ForumLevel, ForumMembership, KimForum
from sikim.kim.models import PUBLIC_STATUSES, Kim
from sikim.kim.permissions import KimAction
from sikim.wilayah.models import Region, RegionLevel, subtree_q

SLUG_MAX_LENGTH: Final = 220
# The region level each forum level sits at (a national forum has no region).
REGION_LEVEL_FOR: Final[dict[str, int | None]] = {
    ForumLevel.KECAMATAN: RegionLevel.KECAMATAN,
    ForumLevel.KABUPATEN_KOTA: RegionLevel.KABUPATEN_KOTA,
    ForumLevel.PROVINSI: RegionLevel.PROVINSI,
    ForumLevel.NASIONAL: None,
}
LEVEL_ORDER: Final = [ForumLevel.NASIONAL, ForumLevel.PROVINSI, ForumLevel.KABUPATEN_KOTA, ForumLevel.KECAMATAN]


def _public_kim_count() -> Count:
    return Count("memberships", filter=Q(memberships__kim__status__in=PUBLIC_STATUSES))


def forums_public(*, level: str = "", region_code: str = "") -> QuerySet[KimForum]:
    """Every forum, with its number of (public) member KIMs; narrowed by level and region.

    A region narrows to forums whose region lies inside it *or* contains it, so "Kota
    Banjarbaru" lists its kecamatan forums and also the Kalimantan Selatan and national ones.
    """
    forums = KimForum.objects.select_related("region").annotate(kim_count=_public_kim_count())
    if level in ForumLevel.values:
        forums = forums.filter(level=level)
    if region_code:
        above = Region(code=region_code).ancestor_codes()
        forums = forums.filter(
            subtree_q("region_id", region_code) | Q(region_id__in=above) | Q(level=ForumLevel.NASIONAL)
        )
    return forums.order_by("level", "region_id", "name")


def forum_public_by_slug(slug: str) -> KimForum:
    forum = KimForum.objects.select_related("region").filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if forum is None:
        raise Http404
    return forum


def forum_member_kims(forum: KimForum) -> QuerySet[Kim]:
    """The forum's KIMs the public may see (proposed or dissolved KIMs are left out)."""
    return (
        Kim.objects.filter(forum_memberships__forum=forum, status__in=PUBLIC_STATUSES)
        .select_related("region")
        .order_by("region_id", "name")
    )


def forum_current_board(forum: KimForum, today: date | None = None) -> list[ForumBoardPosition]:
    today = today or timezone.localdate()
    return list(
        forum.board.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("from_kim")
        .order_by("id")
    )


def forum_board_for_edit(forum: KimForum) -> list[ForumBoardPosition]:
    """Seats that have not ended (current and future ones): what the board form edits."""
    today = timezone.localdate()
    return list(
        forum.board.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related("from_kim").order_by("id")
    )


@dataclass
class ForumPage:
    forum: KimForum
    kims: list[Kim]
    board: list[ForumBoardPosition]


def forum_public_page(slug: str) -> ForumPage:
    forum = forum_public_by_slug(slug)
    return ForumPage(forum=forum, kims=list(forum_member_kims(forum)), board=forum_current_board(forum))


# --- Management -----------------------------------------------------------------------------


def forums_manageable_by(user: AnyUser) -> QuerySet[KimForum]:
    """Forums `user` may manage: inside their region grants; every forum for a national admin."""
    if authz.is_national_admin(user):
        return KimForum.objects.select_related("region")
    scope = authz.region_scope_q(user, KimAction.MANAGE_FORUM, "region_id")
    return KimForum.objects.filter(scope).select_related("region")


def forum_for_manage(user: AnyUser, slug: str) -> KimForum:
    """A forum the user may manage, or 404."""
    forum = forums_manageable_by(user).filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if forum is None:
        raise Http404
    return forum


def forum_memberships(forum: KimForum) -> QuerySet[ForumMembership]:
    """Every membership, whatever the KIM's status (the pembina sees dissolved ones too)."""
    return forum.memberships.select_related("kim", "kim__region").order_by("kim__region_id", "kim__name")


def kims_joinable(forum: KimForum, *, q: str = "", limit: int = 500) -> list[Kim]:
    """Public KIMs inside the forum's region that are not members yet (for the "add" select)."""
    kims = Kim.objects.filter(status__in=PUBLIC_STATUSES).exclude(forum_memberships__forum=forum)
    if forum.region_id:
        kims = kims.filter(subtree_q("region_id", forum.region_id))
    for word in q.split()[:5]:
        kims = kims.filter(Q(name__icontains=word) | Q(region__name__icontains=word))
    return list(kims.select_related("region").order_by("region_id", "name")[:limit])


def forum_regions_for(user: AnyUser) -> list[Region]:
    """Regions the user may found a forum in (province, kabupaten/kota and kecamatan levels).

    A pembina: their region and everything below it down to kecamatan. A national admin:
    provinces and kabupaten/kota (a kecamatan forum is founded by its kabupaten's pembina).
    """
    if authz.is_national_admin(user):
        return list(Region.objects.filter(level__lte=RegionLevel.KABUPATEN_KOTA).order_by("code"))
    codes = authz.granted_region_codes(user, KimAction.MANAGE_FORUM) or []
    if not codes:
        return []
    q = Q(pk__in=[])
    for code in codes:
        q |= subtree_q("code", code)
    return list(Region.objects.filter(q, level__lte=RegionLevel.KECAMATAN).order_by("code")[:3000])
