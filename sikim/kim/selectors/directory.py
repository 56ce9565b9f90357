"""Public reads of the KIM registry: the directory, the map, the profile page and region pages.

Everything here is for anyone, logged in or not, so it shows only KIMs in a public status
(dibentuk, terdaftar, aktif, tidak aktif) and never a member's personal data: people appear
by name only where they hold a public office (the board), and members only as counts.

Region filters are one range over `region_id` (`subtree_q`): the index answers them without
walking the region tree.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.forums.models import KimForum
from sikim.kim.models import (
    PUBLIC_STATUSES,
    BoardPosition,
    BoardPositionKind,
    BoardTerm,
    DisseminationGroup,
    DocumentKind,
    Formation,
    Kim,
    KimDocument,
    KimMember,
    KimSector,
    KimStatus,
    MemberKind,
    Sector,
)
from sikim.wilayah.models import Region, RegionKind, RegionLevel, subtree_q

PAGE_SIZE: Final = 25
# Beyond this many KIMs the map gets one point per region instead (see kim_map_features).
MAP_MAX_POINTS: Final = 1500
SEARCH_MAX_LENGTH: Final = 100
SEARCH_MAX_WORDS: Final = 5
REGION_CODE_RE: Final = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
# The order officers are listed in; seksi come last, in the order they were added.
BOARD_ORDER: Final[dict[str, int]] = {
    BoardPositionKind.KETUA: 0,
    BoardPositionKind.WAKIL_KETUA: 1,
    BoardPositionKind.SEKRETARIS: 2,
    BoardPositionKind.BENDAHARA: 3,
    BoardPositionKind.SEKSI: 4,
}


def is_region_code(code: str) -> bool:
    return bool(code) and len(code) <= 13 and REGION_CODE_RE.match(code) is not None


@dataclass(frozen=True)
class DirectoryFilters:
    """What a visitor narrowed the directory to (already checked: codes are well formed)."""

    region_code: str = ""
    status: str = ""
    sector: str = ""
    q: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.region_code or self.status or self.sector or self.q)


def public_kims() -> QuerySet[Kim]:
    """Every KIM the public may see."""
    return Kim.objects.filter(status__in=PUBLIC_STATUSES)


def _search_q(text: str) -> Q:
    """Every word must appear in the name, the about text or the village's name or path."""
    q = Q()
    for word in text.split()[:SEARCH_MAX_WORDS]:
        q &= (
            Q(name__icontains=word)
            | Q(region__name__icontains=word)
            | Q(region__parent_path__icontains=word)
            | Q(about__icontains=word)
        )
    return q


def _filtered(filters: DirectoryFilters, *, with_status: bool = True) -> QuerySet[Kim]:
    kims = public_kims()
    if filters.region_code and is_region_code(filters.region_code):
        kims = kims.filter(subtree_q("region_id", filters.region_code))
    if with_status and filters.status in PUBLIC_STATUSES:
        kims = kims.filter(status=filters.status)
    if filters.sector in Sector.values:
        kims = kims.filter(pk__in=KimSector.objects.filter(sector=filters.sector).values("kim_id"))
    if filters.q.strip():
        kims = kims.filter(_search_q(filters.q[:SEARCH_MAX_LENGTH]))
    return kims


def kim_directory(filters: DirectoryFilters) -> QuerySet[Kim]:
    """The directory list: public KIMs matching the filters, by name, ready for a page of 25."""
    return (
        _filtered(filters)
        .select_related("region")
        .prefetch_related(Prefetch("sectors", queryset=KimSector.objects.order_by("sector")))
        .order_by("name", "pk")
    )


def label_directory_page(kims: list[Kim]) -> list[Kim]:
    """Give each KIM of a page `status_label` and `sector_labels`, translated once per page.

    `get_FOO_display()` hashes every (lazy, translated) choice label on each call; on a page
    of 25 KIMs with their sectors that was a good part of the rendering time.
    """
    statuses = {value: str(label) for value, label in KimStatus.choices}
    sectors = {value: str(label) for value, label in Sector.choices}
    kinds = {value: str(label) for value, label in RegionKind.choices}
    for kim in kims:
        kim.kind_label = kinds.get(kim.region.kind, "")  # type: ignore[attr-defined]
        kim.status_label = statuses.get(kim.status, kim.status)  # type: ignore[attr-defined]
        kim.sector_labels = [sectors.get(s.sector, s.sector) for s in kim.sectors.all()]  # type: ignore[attr-defined]
    return kims


def kim_directory_status_counts(filters: DirectoryFilters) -> dict[str, int]:
    """How many KIMs match the filters in each public status (the status filter itself aside)."""
    rows = _filtered(filters, with_status=False).values_list("status").annotate(n=Count("pk")).order_by()
    counts: dict[str, int] = {str(status): 0 for status in PUBLIC_STATUSES}
    counts.update(dict(rows))
    return counts


def kim_map_features(filters: DirectoryFilters, *, max_points: int = MAP_MAX_POINTS) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the matching KIMs that have a point (the others are left out).

    Up to `max_points` KIMs come one by one. Beyond that (all of Indonesia at once) the answer
    stays small for a phone on 3G: one point per region one level below the filter (per
    province, per kabupaten/kota…) at the mean position of its KIMs, with their number
    (`"cluster": true, "count": n, "region": code`).
    """
    located = _filtered(filters).filter(latitude__isnull=False, longitude__isnull=False)
    total = located.count()
    if total <= max_points:
        rows = located.order_by("pk").values_list("slug", "name", "status", "latitude", "longitude", "region__name")
        features = [
            {
                "type": "Feature",
                # GeoJSON is longitude first.
                "geometry": {"type": "Point", "coordinates": [_coordinate(lng), _coordinate(lat)]},
                "properties": {"slug": slug, "name": name, "status": status, "village": village},
            }
            for slug, name, status, lat, lng, village in rows
        ]
        return {"type": "FeatureCollection", "features": features}
    return {"type": "FeatureCollection", "features": _region_clusters(located, filters.region_code)}


def _region_clusters(located: QuerySet[Kim], region_code: str) -> list[dict[str, Any]]:
    # Code lengths per level: "63" → "63.72" → "63.72.05" → "63.72.05.1004".
    lengths = [2, 5, 8, 13]
    current = len(region_code) if region_code else 0
    length = next((n for n in lengths if n > current), 13)
    rows = list(
        located.annotate(area=Substr("region_id", 1, length))
        .values("area")
        .annotate(n=Count("pk"), lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by("area")
    )
    names = dict(Region.objects.filter(code__in=[row["area"] for row in rows]).values_list("code", "name"))
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [_coordinate(row["lng"]), _coordinate(row["lat"])]},
            "properties": {
                "cluster": True,
                "count": row["n"],
                "region": row["area"],
                "name": names.get(row["area"], row["area"]),
            },
        }
        for row in rows
    ]


def _coordinate(value: Decimal | float | None) -> float:
    return round(float(value or 0), 6)


# --- Region choices for the directory filter ---------------------------------------------


def provinces() -> list[tuple[str, str]]:
    """(code, name) of every province."""
    # "No parent" rather than "level 1": SQLite's planner answers it from the parent index
    # instead of walking all 90,000 regions in code order.
    return list(
        Region.objects.filter(parent__isnull=True, level=RegionLevel.PROVINSI)
        .order_by("code")
        .values_list("code", "name")
    )


def region_children(code: str) -> list[tuple[str, str]]:
    """(code, name) of the regions directly below `code` (the kabupaten/kota of a province…)."""
    if not is_region_code(code):
        return []
    return list(Region.objects.filter(parent_id=code).order_by("code").values_list("code", "name"))


def region_by_code(code: str) -> Region | None:
    if not is_region_code(code):
        return None
    return Region.objects.filter(code=code).first()


# --- Region pages ------------------------------------------------------------------------


@dataclass
class RegionKims:
    """The KIMs inside one region, for the region page (a first few and how many in all)."""

    region_code: str
    kims: list[Kim]
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.kims)


def kims_in_region(code: str, limit: int = 10) -> RegionKims:
    """Public KIMs in `code` and below: the first `limit` by name and the total (two queries)."""
    if not is_region_code(code):
        return RegionKims(region_code=code, kims=[], total=0)
    kims = public_kims().filter(subtree_q("region_id", code))
    total = kims.count()
    first = list(kims.select_related("region").order_by("name", "pk")[: max(limit, 0)]) if total else []
    return RegionKims(region_code=code, kims=first, total=total)


# --- The profile page --------------------------------------------------------------------


@dataclass(frozen=True)
class BoardSeat:
    position: str
    position_label: str
    section_name: str
    name: str


@dataclass(frozen=True)
class SectorCount:
    sector: str
    label: str
    count: int


@dataclass(frozen=True)
class GroupSummary:
    name: str
    member_count: int


@dataclass
class KimProfile:
    """Everything the public page of a KIM shows. No phone number or email of any member."""

    kim: Kim
    region_path: list[Region]
    sectors: list[str]
    board_term: BoardTerm | None
    board: list[BoardSeat]
    groups: list[GroupSummary]
    members_by_kind: dict[str, int]
    members_by_sector: list[SectorCount]
    member_total: int
    formation: Formation | None
    facilitators: list[str]
    show_decree: bool
    documents: list[KimDocument]
    forums: list[KimForum]
    social_links: list[tuple[str, str]] = field(default_factory=list)


def public_kim_by_slug(slug: str) -> Kim:
    """A KIM in a public status, or 404 (a proposed or dissolved KIM is not public)."""
    kim = public_kims().select_related("region", "pembina_office").filter(slug=slug[:220]).first()
    if kim is None:
        raise Http404
    return kim


def public_document(kim: Kim, document_id: int) -> KimDocument:
    """A public document of a public KIM, or 404 (internal documents never leave the KIM)."""
    document = kim.documents.filter(pk=document_id, is_public=True).first()
    if document is None or not document.file:
        raise Http404
    return document


def current_board_term(kim: Kim, today: date | None = None) -> BoardTerm | None:
    """The term running today (terms never overlap), or None between terms (one query)."""
    today = today or timezone.localdate()
    return (
        kim.board_terms.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-starts_on")
        .first()
    )


def _current_board(kim: Kim) -> tuple[BoardTerm | None, list[BoardSeat]]:
    """The running term and its seats, officers first (one query when the term has seats)."""
    today = timezone.localdate()
    positions = list(
        BoardPosition.objects.filter(term__kim=kim, term__starts_on__lte=today)
        .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=today))
        .select_related("term", "member")
        .order_by("-term__starts_on", "id")
    )
    if not positions:
        return current_board_term(kim, today), []
    term = positions[0].term
    labels = {value: str(label) for value, label in BoardPositionKind.choices}
    seats = [
        BoardSeat(
            position=p.position,
            position_label=labels.get(p.position, p.position),
            section_name=p.section_name,
            name=p.member.name,
        )
        for p in positions
        if p.term_id == term.pk
    ]
    return term, sorted(seats, key=lambda seat: BOARD_ORDER.get(seat.position, 9))


def _public_links(raw: Any) -> list[tuple[str, str]]:
    """Social media links that are real web addresses (a stored `javascript:` is never a link)."""
    if not isinstance(raw, dict):
        return []
    links = []
    for label, url in raw.items():
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")) and len(url) <= 500:
            links.append((str(label)[:40], url))
    return links


def kim_public_profile(slug: str) -> KimProfile:
    """The public profile of a KIM, or 404. A bounded number of queries, whatever the KIM's size."""
    kim = (
        public_kims()
        .select_related("region", "pembina_office", "formation")
        .prefetch_related(Prefetch("sectors", queryset=KimSector.objects.order_by("sector")))
        .filter(slug=slug[:220])
        .first()
    )
    if kim is None:
        raise Http404
    region = kim.region
    ancestors = {r.code: r for r in Region.objects.filter(code__in=region.ancestor_codes())}
    region_path = [ancestors[code] for code in region.ancestor_codes() if code in ancestors] + [region]

    term, board = _current_board(kim)
    groups = [
        GroupSummary(name=g.name, member_count=g.n)
        for g in DisseminationGroup.objects.filter(kim=kim)
        .annotate(n=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    ]

    by_kind: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    rows = (
        KimMember.objects.filter(kim=kim, is_active=True)
        .values_list("kind", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, sector, n in rows:
        by_kind[kind] += n
        by_sector[sector] += n
    sector_labels = dict(Sector.choices)
    members_by_sector = sorted(
        (
            SectorCount(sector=sector, label=str(sector_labels.get(sector, sector)), count=n)
            for sector, n in by_sector.items()
            if sector
        ),
        key=lambda item: (-item.count, item.label),
    )
    if by_sector.get(""):
        members_by_sector.append(SectorCount(sector="", label=str(_("Sector not given")), count=by_sector[""]))

    try:
        formation: Formation | None = kim.formation
    except Formation.DoesNotExist:
        formation = None
    facilitators: list[str] = []
    if formation is not None:
        facilitators = [u.full_name for u in formation.facilitators.order_by("full_name") if u.full_name]
        facilitators += [n.strip() for n in formation.facilitator_names.split(";") if n.strip()]

    # Public documents, and the SK documents whatever their visibility: the decree (SK) number
    # and date are shown unless the KIM keeps its decree internal (an SK exists, none public).
    candidates = list(
        kim.documents.filter(Q(is_public=True) | Q(kind=DocumentKind.SK)).order_by("kind", "-created_at", "-id")
    )
    documents = [d for d in candidates if d.is_public]
    sk_visibility = {d.is_public for d in candidates if d.kind == DocumentKind.SK}
    show_decree = not sk_visibility or True in sk_visibility

    forums = list(KimForum.objects.filter(memberships__kim=kim).select_related("region").order_by("level", "name"))

    return KimProfile(
        kim=kim,
        region_path=region_path,
        sectors=[str(s.get_sector_display()) for s in kim.sectors.all()],
        board_term=term,
        board=board,
        groups=groups,
        members_by_kind={
            MemberKind.PERSON: by_kind.get(MemberKind.PERSON, 0),
            MemberKind.ORGANISATION: by_kind.get(MemberKind.ORGANISATION, 0),
        },
        members_by_sector=members_by_sector,
        member_total=sum(by_kind.values()),
        formation=formation,
        facilitators=facilitators,
        show_decree=show_decree,
        documents=documents,
        forums=forums,
        social_links=_public_links(kim.social_links),
    )
