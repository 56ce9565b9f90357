"""Dashboards of aspirations per office and per region: counts by state, time to answer, on-time
rate, the overdue list and a row per region one level down.

Bounded: one grouped query for the states, one aggregate for the totals, one grouped query for
the child regions, at most `MEDIAN_SAMPLE` rows for the median and `OVERDUE_LIST_MAX` overdue
cases. Time to answer is in calendar hours, from submission to the office's (latest) answer.
On time: answered no later than the office's follow-up deadline.

Who may see which: an office's dashboard its officers, the pembina of its region and the
national admin; a region's dashboard its pembina and the national admin (`VIEW_INTERNAL`,
region or office grant). Nothing here names an author: the overdue list carries the ticket code,
masked title, category, village, state and deadline.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.aspirations.models import AWAITING_OFFICE, Aspiration, AspirationState
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.access import public_title
from sikim.aspirations.selectors.deadlines import aspirations_overdue, overdue_q
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import Region, RegionLevel, subtree_q

MEDIAN_SAMPLE: Final = 5000
OVERDUE_LIST_MAX: Final = 100
REGION_CODE_LENGTHS: Final = (2, 5, 8, 13)
SLUG_MAX_LENGTH: Final = 200


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    total: int
    overdue: int
    answered: int


@dataclass(frozen=True)
class OverdueRow:
    code: str
    title: str
    category: str
    category_label: str
    state: str
    state_label: str
    region_code: str
    village: str
    office: str
    due: datetime | None


@dataclass
class Dashboard:
    scope: str  # "office" or "region"
    key: str  # the office's slug or the region's code ("" for Indonesia)
    name: str
    total: int = 0
    by_state: list[StateCount] = field(default_factory=list)
    overdue_count: int = 0
    answered_count: int = 0
    on_time_count: int = 0
    median_hours_to_answer: float | None = None
    on_time_rate: float | None = None
    regions: list[RegionRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    generated_at: datetime | None = None


# --- who may see which -------------------------------------------------------------------------------
def dashboard_office_for(user: AnyUser, slug: str) -> GovernmentOffice:
    """The office whose dashboard `user` asks for: 404 unknown, 403 not theirs."""
    office = GovernmentOffice.objects.select_related("region").filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if office is None:
        raise Http404
    if not authz.can(user, AspirationAction.VIEW_INTERNAL, office):
        raise PermissionDenied
    return office


def dashboard_region_for(user: AnyUser, code: str) -> Region | None:
    """The region whose dashboard `user` asks for ("" = Indonesia, for the national admin):
    404 for no such region, 403 outside the user's scope."""
    if not code:
        if authz.granted_region_codes(user, AspirationAction.VIEW_INTERNAL) is None and authz.can(
            user, AspirationAction.VIEW_INTERNAL
        ):
            return None
        raise PermissionDenied
    region = Region.objects.filter(pk=code[:13]).first()
    if region is None:
        raise Http404
    if not authz.can(user, AspirationAction.VIEW_INTERNAL, region):
        raise PermissionDenied
    return region


def dashboard_regions_of(user: AnyUser) -> list[Region] | None:
    """The regions of the user's grants (None: all of Indonesia, the national admin)."""
    codes = authz.granted_region_codes(user, AspirationAction.VIEW_INTERNAL)
    if codes is None:
        return None if authz.can(user, AspirationAction.VIEW_INTERNAL) else []
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def dashboard_offices_of(user: AnyUser) -> list[GovernmentOffice]:
    """The offices the user works for (an officer grant naming the office)."""
    ids = authz.organisation_ids(
        user, AspirationAction.VIEW_INTERNAL, ContentType.objects.get_for_model(GovernmentOffice).pk
    )
    return list(GovernmentOffice.objects.filter(pk__in=ids).order_by("name"))


def child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=RegionLevel.PROVINSI).order_by("code"))
    return list(Region.objects.filter(parent_id=region.code).order_by("code"))


# --- figures -----------------------------------------------------------------------------------------------
def _state_label(state: str) -> str:
    return str(AspirationState(state).label) if state in AspirationState.values else state


def _fill(dashboard: Dashboard, cases: QuerySet[Aspiration], now: datetime) -> Dashboard:
    cases = cases.order_by()
    counts = dict(cases.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    dashboard.by_state = [StateCount(s, _state_label(s), counts.get(s, 0)) for s in AspirationState.values]
    totals = cases.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue_q(now)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count(
            "id", filter=Q(answered_at__isnull=False, followup_due__isnull=False, answered_at__lte=F("followup_due"))
        ),
    )
    dashboard.total = totals["total"]
    dashboard.overdue_count = totals["overdue"]
    dashboard.answered_count = totals["answered"]
    dashboard.on_time_count = totals["on_time"]
    if dashboard.answered_count:
        dashboard.on_time_rate = round(dashboard.on_time_count / dashboard.answered_count, 4)
    sample = cases.filter(answered_at__isnull=False).order_by("-answered_at").values_list("submitted_at", "answered_at")
    hours = [
        (answered - submitted).total_seconds() / 3600
        for submitted, answered in sample[:MEDIAN_SAMPLE]
        if answered is not None
    ]
    if hours:
        dashboard.median_hours_to_answer = round(statistics.median(hours), 1)
    dashboard.overdue = [
        OverdueRow(
            code=a.code,
            title=public_title(a),
            category=a.category,
            category_label=str(a.get_category_display()),
            state=a.state,
            state_label=_state_label(a.state),
            region_code=a.region_id,
            village=a.region.name,
            office=a.office.display_name if a.office is not None else "",
            due=a.followup_due if a.state in AWAITING_OFFICE else a.verify_due,
        )
        for a in aspirations_overdue(now, within=cases)[:OVERDUE_LIST_MAX]
    ]
    dashboard.generated_at = now
    return dashboard


def office_dashboard(office: GovernmentOffice, now: datetime | None = None) -> Dashboard:
    """The cases an office holds now (callers checked access with `dashboard_office_for`)."""
    now = now or timezone.now()
    dashboard = Dashboard(scope="office", key=office.slug, name=office.name)
    return _fill(dashboard, Aspiration.objects.filter(office=office), now)


def region_dashboard(region: Region | None, now: datetime | None = None) -> Dashboard:
    """Every aspiration from villages in `region` (None: Indonesia), and a row per child region."""
    now = now or timezone.now()
    code = region.code if region is not None else ""
    cases = Aspiration.objects.filter(subtree_q("region_id", code)) if code else Aspiration.objects.all()
    dashboard = _fill(Dashboard(scope="region", key=code, name=region.name if region else "Indonesia"), cases, now)
    if region is not None and region.is_village:
        return dashboard
    length = REGION_CODE_LENGTHS[len(code.split(".")) if code else 0]
    rows = (
        cases.order_by()
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=overdue_q(now)),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
        )
    )
    grouped: dict[str, tuple[int, int, int]] = {
        str(row["child"]): (int(row["total"]), int(row["overdue"]), int(row["answered"])) for row in rows
    }
    dashboard.regions = [
        RegionRow(child.code, child.name, *grouped.get(child.code, (0, 0, 0))) for child in child_regions(region)
    ]
    return dashboard
