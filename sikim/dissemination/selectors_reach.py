"""Reach reads: deliveries per channel and status, offline reports, the breakdown by region and
the region dashboard.

Everything is a grouped query: a bulletin may have a million deliveries, so no delivery row is
ever loaded into Python. A member's region is its KIM's region code, and the region one level
down is a prefix of that code, so "per kecamatan" is a GROUP BY over `substr(code, 1, 8)`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.dissemination.models import (
    MESSAGING_CHANNELS,
    Bulletin,
    BulletinStatus,
    Delivery,
    DeliveryStatus,
    FanOutRun,
    FanOutStatus,
    KimInboxItem,
    OfflineReport,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.selectors import reach_for
from sikim.kim.models import Kim
from sikim.wilayah.models import Region, RegionLevel, code_in_subtree, subtree_q

# A delivery "reached" its member once the provider took it.
REACHED_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)
PENDING_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
REGION_CODE_RE = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")
# Length of a child region's code, by the length of its parent's ("" is all of Indonesia).
CHILD_CODE_LENGTH = {0: 2, 2: 5, 5: 8, 8: 13}
DASHBOARD_BULLETIN_LIMIT = 200
# Periods start and end inside these years, so no date arithmetic can overflow.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def offline_reports_for(bulletin: Bulletin) -> QuerySet[OfflineReport]:
    return (
        OfflineReport.objects.filter(bulletin=bulletin).select_related("kim", "reported_by").order_by("-held_on", "-pk")
    )


def reach_with_offline(bulletin: Bulletin) -> dict[str, Any]:
    """Per-channel delivery counts (as `reach_for`) plus offline totals, in two grouped queries."""
    totals = OfflineReport.objects.filter(bulletin=bulletin).aggregate(
        reports=Count("pk"), people=Sum("people_reached"), kims=Count("kim", distinct=True)
    )
    channels = reach_for(bulletin)
    reached_online = sum(sum(c.get(s, 0) for s in REACHED_STATUSES) for c in channels.values())
    offline = {"reports": totals["reports"], "people": totals["people"] or 0, "kims": totals["kims"]}
    return {
        "channels": channels,
        "offline": offline,
        "reached_online": reached_online,
        "total_reached": reached_online + offline["people"],
    }


@dataclass
class ReachFigures:
    """Deliveries per status and offline reports of one slice (a region, a bulletin, a total)."""

    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DeliveryStatus.values, 0))
    offline_reports: int = 0
    offline_people: int = 0

    @property
    def deliveries(self) -> int:
        return sum(self.statuses.values())

    @property
    def status_values(self) -> list[int]:
        """The counts in the order of `DeliveryStatus` (for table columns)."""
        return [self.statuses[s] for s in DeliveryStatus.values]

    @property
    def reached_online(self) -> int:
        return sum(self.statuses[s] for s in REACHED_STATUSES)

    @property
    def total_reached(self) -> int:
        return self.reached_online + self.offline_people

    def add_statuses(self, row: Mapping[str, Any]) -> None:
        for status in DeliveryStatus.values:
            self.statuses[status] += int(row.get(status) or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "statuses": dict(self.statuses),
            "deliveries": self.deliveries,
            "reached_online": self.reached_online,
            "offline_reports": self.offline_reports,
            "offline_people": self.offline_people,
            "total_reached": self.total_reached,
        }


@dataclass
class RegionReach:
    code: str
    name: str
    figures: ReachFigures


def _status_counts() -> dict[str, Any]:
    return {str(status): Count("pk", filter=Q(status=status)) for status in DeliveryStatus.values}


def child_code_length(code: str) -> int:
    """The code length one level below `code`; a village has no children, so itself."""
    return CHILD_CODE_LENGTH.get(len(code), len(code))


def _child_regions(code: str) -> list[Region]:
    if not code:
        return list(Region.objects.filter(level=RegionLevel.PROVINSI).order_by("code"))
    if len(code) == max(CHILD_CODE_LENGTH.values()):
        return list(Region.objects.filter(pk=code))
    return list(Region.objects.filter(parent_id=code).order_by("code"))


def region_breakdown(
    parent_code: str, deliveries: QuerySet[Delivery], reports: QuerySet[OfflineReport]
) -> list[RegionReach]:
    """Figures per region one level below `parent_code` (three grouped queries and one for names).

    Every child region is listed, reached or not; a delivery outside the parent's subtree (which
    targeting never creates) would show under its own code."""
    length = child_code_length(parent_code)
    rows: dict[str, RegionReach] = {
        region.code: RegionReach(region.code, region.name, ReachFigures()) for region in _child_regions(parent_code)
    }
    grouped = (
        deliveries.values(prefix=Substr("member__kim__region_id", 1, length)).annotate(**_status_counts()).order_by()
    )
    for row in grouped:
        rows.setdefault(row["prefix"], RegionReach(row["prefix"], row["prefix"], ReachFigures()))
        rows[row["prefix"]].figures.add_statuses(row)
    offline = (
        reports.values(prefix=Substr("kim__region_id", 1, length))
        .annotate(reports=Count("pk"), people=Sum("people_reached"))
        .order_by()
    )
    for row in offline:
        region = rows.setdefault(row["prefix"], RegionReach(row["prefix"], row["prefix"], ReachFigures()))
        region.figures.offline_reports = row["reports"]
        region.figures.offline_people = row["people"] or 0
    return sorted(rows.values(), key=lambda r: r.code)


def bulletin_region_reach(bulletin: Bulletin) -> list[RegionReach]:
    """The bulletin's reach per region one level below its publisher's region."""
    return region_breakdown(
        bulletin.region_code,
        Delivery.objects.filter(bulletin=bulletin),
        OfflineReport.objects.filter(bulletin=bulletin),
    )


def _sum_figures(rows: list[RegionReach]) -> ReachFigures:
    total = ReachFigures()
    for row in rows:
        total.add_statuses(row.figures.statuses)
        total.offline_reports += row.figures.offline_reports
        total.offline_people += row.figures.offline_people
    return total


# --- the live fan-out progress -------------------------------------------------------------
def fanout_live(bulletin: Bulletin) -> dict[str, Any]:
    """The fan-out runs of a bulletin and its deliveries per status (two aggregate queries).

    Running means a run has not created its deliveries yet, or a delivery still waits to be sent."""
    runs = FanOutRun.objects.filter(bulletin=bulletin).aggregate(
        runs=Count("pk"),
        opening=Count("pk", filter=Q(status__in=[FanOutStatus.PENDING, FanOutStatus.CREATING])),
        created=Sum("created"),
        total=Sum("total"),
    )
    statuses = Delivery.objects.filter(bulletin=bulletin).aggregate(**_status_counts())
    figures = ReachFigures()
    figures.add_statuses(statuses)
    pending = sum(figures.statuses[s] for s in PENDING_STATUSES)
    deliveries = figures.deliveries
    handled = deliveries - pending
    return {
        "runs": runs["runs"],
        "created": runs["created"] or 0,
        "total": runs["total"] or 0,
        "statuses": figures.statuses,
        "deliveries": deliveries,
        "handled": handled,
        "percent": round(100 * handled / deliveries) if deliveries else 100,
        "running": bool(runs["opening"]) or pending > 0,
    }


# --- the region dashboard ------------------------------------------------------------------
def reach_region_for(user: AnyUser, code: str | None) -> Region | None:
    """The region whose reach `user` asks for: by default their own (a pembina's office region; all
    of Indonesia, None, for the national admin). Http404 for a code that is no region,
    PermissionDenied for a region outside the user's scope."""
    if not code:
        codes = authz.granted_region_codes(user, DisseminationAction.VIEW_REACH)
        if codes is None:
            return None
        if not codes:
            raise PermissionDenied
        code = codes[0]
    if not REGION_CODE_RE.fullmatch(code):
        raise Http404
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise Http404
    if not authz.can(user, DisseminationAction.VIEW_REACH, region):
        raise PermissionDenied
    return region


def reach_region_choices(user: AnyUser, region: Region | None) -> dict[str, list[Region]]:
    """Where the user may go from `region`: the regions of their grants, the way up inside their
    scope and the regions one level down (two queries)."""
    granted = authz.granted_region_codes(user, DisseminationAction.VIEW_REACH)
    national = granted is None
    roots = [] if national else list(granted or [])
    ancestors = region.ancestor_codes() if region else []
    up = [c for c in ancestors if national or any(code_in_subtree(c, root) for root in roots)]
    by_code = {r.code: r for r in Region.objects.filter(code__in=[*roots, *up])}
    return {
        "roots": [by_code[c] for c in roots if c in by_code],
        "ancestors": [by_code[c] for c in up if c in by_code],
        "children": [] if region is not None and region.is_village else _child_regions(region.code if region else ""),
    }


@dataclass
class ReachPeriod:
    region: Region | None
    date_from: date
    date_to: date
    category: str = ""

    @property
    def code(self) -> str:
        return self.region.code if self.region else ""

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(max(self.date_from, FIRST_DAY), time.min))
        end = timezone.make_aware(datetime.combine(min(self.date_to, LAST_DAY) + timedelta(days=1), time.min))
        return start, end


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 30 days, today included."""
    today = today or timezone.localdate()
    return today - timedelta(days=29), today


def _period_bulletin_q(period: ReachPeriod, prefix: str = "") -> Q:
    start, end = period.bounds()
    q = Q(
        **{
            f"{prefix}status__in": [BulletinStatus.PUBLISHED, BulletinStatus.EXPIRED],
            f"{prefix}published_at__gte": start,
            f"{prefix}published_at__lt": end,
        }
    )
    if period.category:
        q &= Q(**{f"{prefix}category": period.category})
    return q


def _in_region(field_name: str, code: str) -> Q:
    return subtree_q(field_name, code) if code else Q()


def region_bulletins(period: ReachPeriod) -> QuerySet[Bulletin]:
    """Bulletins of the period that were published inside the region or landed in one of its KIMs."""
    qs = Bulletin.objects.filter(_period_bulletin_q(period))
    if period.code:
        landed = KimInboxItem.objects.filter(subtree_q("kim__region_id", period.code)).values("bulletin_id")
        qs = qs.filter(subtree_q("region_code", period.code) | Q(pk__in=landed))
    return qs


@dataclass
class BulletinReach:
    bulletin: Bulletin
    figures: ReachFigures


@dataclass
class RegionDashboard:
    period: ReachPeriod
    bulletin_count: int
    channels: dict[str, dict[str, int]]
    totals: ReachFigures
    regions: list[RegionReach]
    bulletins: list[BulletinReach]

    @property
    def bulletins_cut(self) -> bool:
        return self.bulletin_count > len(self.bulletins)


def region_dashboard(period: ReachPeriod, *, bulletin_limit: int = DASHBOARD_BULLETIN_LIMIT) -> RegionDashboard:
    """Reach inside a region over a period: deliveries to members of its KIMs and its KIMs' offline
    reports, for bulletins published in the period. A fixed number of grouped queries."""
    deliveries = Delivery.objects.filter(
        _period_bulletin_q(period, "bulletin__"), _in_region("member__kim__region_id", period.code)
    )
    reports = OfflineReport.objects.filter(
        _period_bulletin_q(period, "bulletin__"), _in_region("kim__region_id", period.code)
    )
    channels: dict[str, dict[str, int]] = {
        str(channel): dict.fromkeys(DeliveryStatus.values, 0) | {"total": 0} for channel in MESSAGING_CHANNELS
    }
    for row in deliveries.values("channel", "status").annotate(n=Count("pk")).order_by():
        per_channel = channels.setdefault(row["channel"], dict.fromkeys(DeliveryStatus.values, 0) | {"total": 0})
        per_channel[row["status"]] += row["n"]
        per_channel["total"] += row["n"]
    regions = region_breakdown(period.code, deliveries, reports)
    bulletin_qs = region_bulletins(period)
    listed = list(
        bulletin_qs.select_related("pembina_office", "kim", "forum").order_by("-published_at", "-pk")[:bulletin_limit]
    )
    per_bulletin = {b.pk: BulletinReach(b, ReachFigures()) for b in listed}
    ids = list(per_bulletin)
    grouped = deliveries.filter(bulletin_id__in=ids).values("bulletin_id").annotate(**_status_counts()).order_by()
    for counted in grouped:
        per_bulletin[counted["bulletin_id"]].figures.add_statuses(counted)
    offline = (
        reports.filter(bulletin_id__in=ids)
        .values("bulletin_id")
        .annotate(reports=Count("pk"), people=Sum("people_reached"))
        .order_by()
    )
    for summed in offline:
        figures = per_bulletin[summed["bulletin_id"]].figures
        figures.offline_reports, figures.offline_people = summed["reports"], summed["people"] or 0
    return RegionDashboard(
        period=period,
        bulletin_count=bulletin_qs.count(),
        channels=channels,
        totals=_sum_figures(regions),
        regions=regions,
        bulletins=list(per_bulletin.values()),
    )


# --- the KIM inbox -------------------------------------------------------------------------
def inbox_reach(kim: Kim, bulletin_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per bulletin: how many of the KIM's members a message reached, and the people its offline
    reports reached (two grouped queries for a page of inbox items)."""
    result = {pk: {"members": 0, "offline_people": 0} for pk in bulletin_ids}
    reached = (
        Delivery.objects.filter(bulletin_id__in=bulletin_ids, member__kim_id=kim.pk, status__in=REACHED_STATUSES)
        .values("bulletin_id")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
    )
    for row in reached:
        result[row["bulletin_id"]]["members"] = row["n"]
    offline = (
        OfflineReport.objects.filter(bulletin_id__in=bulletin_ids, kim=kim)
        .values("bulletin_id")
        .annotate(people=Sum("people_reached"))
        .order_by()
    )
    for summed in offline:
        result[summed["bulletin_id"]]["offline_people"] = summed["people"] or 0
    return result
