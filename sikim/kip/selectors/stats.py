"""Statistics of information requests per body, per region and per year: counts, never people.

UU 14/2008 (and Perki 1/2021) expect each public body to publish its service figures every
year, so the figures here are public: `public_requests` covers every body. Nothing in them
comes from the requester: no name, contact, text, purpose, tracking code or date of a single
request, and regions are the *bodies'* jurisdictions, never where a requester lives. What is
left are counts of what the body did (received, decided how, how fast), which is the body's
conduct, not the requester's. `stats_by_body` / `stats_for_region` are the same figures
limited to what a reader may see inside SIKIM (`KipAction.VIEW_STATS`).

The year of a request is the year of its registration number (its receipt, in WIB); a request
not yet registered counts in the year it was submitted. The figures:

- received: every request of the year; registered: those with a registration number;
- decided: granted in full / in part, refused (per Pasal 17 ground), not held; undecided;
- on time: decided by the deadline in force (the extended one after an extension), of all
  decisions; overdue: undecided and past that deadline now;
- median working days from the day of receipt to the decision, on the KIP calendar
  (`sikim.core.workdays.WorkCalendar.working_days_between`), over at most `MEDIAN_SAMPLE` of
  the latest decisions (`median_sampled` says when there were more);
- objections filed (per Pasal 35 ground), answered, answered by their due date; Komisi
  Informasi disputes per outcome.

Bounded: one grouped aggregate query per table and one query for the decision dates.
"""

import statistics
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.http import Http404
from django.utils import timezone

from sikim.accounts.authz import AnyUser
from sikim.core.workdays import JAKARTA, WorkCalendar
from sikim.kip.models import (
    DisputeOutcome,
    ExemptionGround,
    InformationRequest,
    ObjectionGround,
    Outcome,
    RequestState,
)
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import requests_for_action
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.selectors.deadlines import overdue_q
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import Region, RegionLevel, subtree_q

MEDIAN_SAMPLE: Final = 20_000
# UU 14/2008 came into force on 30 April 2010: no statistics before that year.
FIRST_YEAR: Final = 2010
REGION_CODE_LENGTHS: Final = (2, 5, 8, 13)
BODY_LIST_MAX: Final = 100
SLUG_MAX_LENGTH: Final = 200


@dataclass
class RequestStats:
    received: int = 0
    requests: int = 0  # registered
    decided: int = 0
    granted_full: int = 0
    granted_partial: int = 0
    refused: int = 0
    not_held: int = 0
    undecided: int = 0
    on_time: int = 0
    extended: int = 0
    overdue: int = 0
    refused_by_ground: dict[str, int] = field(default_factory=dict)
    partial_by_ground: dict[str, int] = field(default_factory=dict)
    objections: int = 0
    objections_answered: int = 0
    objections_answered_on_time: int = 0
    objections_by_ground: dict[str, int] = field(default_factory=dict)
    disputes: int = 0
    disputes_by_outcome: dict[str, int] = field(default_factory=dict)
    working_days: list[int] | None = None
    median_sampled: bool = False

    @property
    def granted(self) -> int:
        return self.granted_full + self.granted_partial

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        """Share of decisions given by the deadline in force (0–1), None without decisions."""
        return self.on_time / self.decided if self.decided else None

    @property
    def on_time_percent(self) -> int | None:
        rate = self.on_time_rate
        return None if rate is None else round(100 * rate)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.working_days) if self.working_days else None


@dataclass(frozen=True)
class RegionLine:
    code: str
    name: str
    stats: RequestStats
    own_level: bool = False  # the bodies of the chosen region itself, not of a region below


@dataclass(frozen=True)
class BodyLine:
    body: GovernmentOffice
    stats: RequestStats


@dataclass(frozen=True)
class YearLine:
    year: int
    stats: RequestStats


@dataclass
class StatsPage:
    """The public statistics of one region (None: Indonesia) or one body, for one year (None: all)."""

    year: int | None
    region: Region | None = None
    body: GovernmentOffice | None = None
    total: RequestStats = field(default_factory=RequestStats)
    regions: list[RegionLine] = field(default_factory=list)
    bodies: list[BodyLine] = field(default_factory=list)
    bodies_count: int = 0
    years: list[YearLine] = field(default_factory=list)
    generated_at: datetime | None = None

    @property
    def name(self) -> str:
        if self.body is not None:
            return self.body.name
        return self.region.name if self.region is not None else "Indonesia"

    @property
    def region_code(self) -> str:
        return self.region.code if self.region is not None else ""


# --- the requests counted ------------------------------------------------------------------------------
def year_range(today: date | None = None) -> range:
    """The years anyone may ask for: from UU 14/2008's first year to this year (WIB)."""
    today = today or timezone.now().astimezone(JAKARTA).date()
    return range(FIRST_YEAR, today.year + 1)


def current_year() -> int:
    return timezone.now().astimezone(JAKARTA).year


def _in_year(requests: QuerySet[InformationRequest], year: int | None) -> QuerySet[InformationRequest]:
    if year is None:
        return requests
    return requests.filter(Q(year=year) | Q(state=RequestState.DIAJUKAN, submitted_at__year=year))


def public_requests(
    *, year: int | None = None, region_code: str = "", body: GovernmentOffice | None = None
) -> QuerySet[InformationRequest]:
    """Every body's requests of `year` (None: all years), inside a region or of one body."""
    requests = InformationRequest.objects.all()
    if body is not None:
        requests = requests.filter(body=body)
    if region_code:
        requests = requests.filter(subtree_q("body__region_id", region_code[:13]))
    return _in_year(requests, year)


# --- the figures ---------------------------------------------------------------------------------------------
def _on_time_q() -> Q:
    return Q(extended=False, decision__decided_at__lte=F("decision_due")) | Q(
        extended=True, decision__decided_at__lte=F("extended_due")
    )


def _aggregates(now: datetime) -> dict[str, Any]:
    outcome = "decision__outcome"
    ground = "decision__exemption_ground"
    figures: dict[str, Any] = {
        "n_received": Count("id"),
        "n_requests": Count("id", filter=~Q(state=RequestState.DIAJUKAN)),
        "n_decided": Count("id", filter=Q(decision__isnull=False)),
        "n_granted_full": Count("id", filter=Q(**{outcome: Outcome.GRANTED_FULL})),
        "n_granted_partial": Count("id", filter=Q(**{outcome: Outcome.GRANTED_PARTIAL})),
        "n_refused": Count("id", filter=Q(**{outcome: Outcome.REFUSED})),
        "n_not_held": Count("id", filter=Q(**{outcome: Outcome.NOT_HELD})),
        "n_undecided": Count("id", filter=~Q(state=RequestState.DIAJUKAN) & Q(decision__isnull=True)),
        "n_on_time": Count("id", filter=_on_time_q()),
        "n_extended": Count("id", filter=Q(extended=True)),
        "n_overdue": Count("id", filter=overdue_q(now)),
        "n_objections": Count("id", filter=Q(objection__isnull=False)),
        "n_objections_answered": Count("id", filter=Q(objection__answered_at__isnull=False)),
        "n_objections_answered_on_time": Count("id", filter=Q(objection__answered_at__lte=F("objection__answer_due"))),
        "n_disputes": Count("id", filter=Q(objection__dispute__isnull=False)),
    }
    for letter in ExemptionGround.values:
        figures[f"n_refused_{letter}"] = Count("id", filter=Q(**{outcome: Outcome.REFUSED, ground: letter}))
        figures[f"n_partial_{letter}"] = Count("id", filter=Q(**{outcome: Outcome.GRANTED_PARTIAL, ground: letter}))
    for letter in ObjectionGround.values:  # single letters a–g in "a,c,g": contains is exact
        figures[f"n_objection_{letter}"] = Count("id", filter=Q(objection__grounds__contains=letter))
    for value in DisputeOutcome.values:
        figures[f"n_dispute_{value}"] = Count("id", filter=Q(objection__dispute__outcome=value))
    return figures


COUNTS: Final = (
    "received",
    "requests",
    "decided",
    "granted_full",
    "granted_partial",
    "refused",
    "not_held",
    "undecided",
    "on_time",
    "extended",
    "overdue",
    "objections",
    "objections_answered",
    "objections_answered_on_time",
    "disputes",
)


def _stats_of(row: dict[str, Any]) -> RequestStats:
    stats = RequestStats()
    for name in COUNTS:
        setattr(stats, name, int(row.get(f"n_{name}") or 0))
    stats.refused_by_ground = {g: int(row.get(f"n_refused_{g}") or 0) for g in ExemptionGround.values}
    stats.partial_by_ground = {g: int(row.get(f"n_partial_{g}") or 0) for g in ExemptionGround.values}
    stats.objections_by_ground = {g: int(row.get(f"n_objection_{g}") or 0) for g in ObjectionGround.values}
    stats.disputes_by_outcome = {o: int(row.get(f"n_dispute_{o}") or 0) for o in DisputeOutcome.values}
    return stats


class WorkingDayCounter:
    """`WorkCalendar.working_days_between` for many requests at once: the working days of the
    whole span are listed once and each request is two binary searches."""

    def __init__(self, calendar: WorkCalendar, moments: Iterable[tuple[datetime, datetime]]) -> None:
        self.calendar = calendar
        pairs = list(moments)
        self.days: list[date] = []
        if not pairs:
            return
        first = min(calendar.day_of_receipt(start) for start, _ in pairs)
        last = max(end.astimezone(JAKARTA).date() for _, end in pairs)
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def between(self, start: datetime, end: datetime) -> int:
        first = self.calendar.day_of_receipt(start)
        last = end.astimezone(JAKARTA).date()
        return max(0, bisect_right(self.days, last) - bisect_right(self.days, first))


def _working_days(
    requests: QuerySet[InformationRequest], key: Any, calendar: WorkCalendar
) -> tuple[dict[Any, list[int]], bool]:
    """Working days from receipt to decision per group `key` (an expression; None: all in group 0)."""
    decided = requests.filter(decision__isnull=False, received_at__isnull=False).order_by(
        "-decision__decided_at", "-id"
    )
    key = key if key is not None else Value(0)
    rows = list(
        decided.annotate(group_key=key).values_list("group_key", "received_at", "decision__decided_at")[
            : MEDIAN_SAMPLE + 1
        ]
    )
    sampled = len(rows) > MEDIAN_SAMPLE
    moments = [(group, received, at) for group, received, at in rows[:MEDIAN_SAMPLE] if received is not None]
    counter = WorkingDayCounter(calendar, [(received, at) for _, received, at in moments])
    days: dict[Any, list[int]] = defaultdict(list)
    for group, received, decided_at in moments:
        days[group].append(counter.between(received, decided_at))
    return days, sampled


def figures(requests: QuerySet[InformationRequest], now: datetime | None = None) -> RequestStats:
    """The figures of all `requests` together."""
    now = now or timezone.now()
    stats = _stats_of(requests.order_by().aggregate(**_aggregates(now)))
    days, sampled = _working_days(requests, None, kip_calendar())
    stats.working_days = days.get(0) or None
    stats.median_sampled = sampled
    return stats


def figures_by(
    requests: QuerySet[InformationRequest], key: Any, now: datetime | None = None
) -> dict[Any, RequestStats]:
    """The figures per group: `key` a field name or an expression (grouped in one query)."""
    now = now or timezone.now()
    grouped = requests.order_by().annotate(group_key=key) if not isinstance(key, str) else requests.order_by()
    name = "group_key" if not isinstance(key, str) else key
    out: dict[Any, RequestStats] = {}
    for row in grouped.values(name).annotate(**_aggregates(now)):
        out[row[name]] = _stats_of(row)
    days, sampled = _working_days(requests, F(key) if isinstance(key, str) else key, kip_calendar())
    for group, stats in out.items():
        stats.working_days = days.get(group) or None
        stats.median_sampled = sampled
    return out


# --- the public pages ------------------------------------------------------------------------------------------
def stats_region(code: str) -> Region | None:
    """The region asked for ("" = Indonesia), or 404."""
    if not code:
        return None
    region = Region.objects.filter(pk=code[:13]).first()
    if region is None:
        raise Http404
    return region


def stats_body(slug: str) -> GovernmentOffice:
    """The public body asked for by its slug, or 404."""
    body = GovernmentOffice.objects.select_related("region").filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if body is None:
        raise Http404
    return body


def _child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=RegionLevel.PROVINSI).order_by("code"))
    return list(Region.objects.filter(parent_id=region.code).order_by("code"))


def _years(requests: QuerySet[InformationRequest], now: datetime) -> list[YearLine]:
    """A line per year: the year of registration, or of submission while not yet registered."""
    by_year = figures_by(requests, Coalesce("year", ExtractYear("submitted_at"), output_field=IntegerField()), now)
    return [YearLine(int(year), stats) for year, stats in sorted(by_year.items(), reverse=True)]


def region_stats(
    region: Region | None, year: int | None, now: datetime | None = None, *, body_limit: int | None = BODY_LIST_MAX
) -> StatsPage:
    """A region's figures (None: Indonesia), a line per region one level down, per body (the
    `body_limit` with the most requests; None: all) and per year."""
    now = now or timezone.now()
    code = region.code if region is not None else ""
    page = StatsPage(year=year, region=region, generated_at=now)
    requests = public_requests(year=year, region_code=code)
    page.total = figures(requests, now)
    if region is None or not region.is_village:
        length = REGION_CODE_LENGTHS[len(code.split(".")) if code else 0]
        by_child = figures_by(requests, Substr("body__region_id", 1, length), now)
        if code and code in by_child:
            page.regions.append(RegionLine(code, region.name if region else code, by_child[code], own_level=True))
        page.regions += [
            RegionLine(child.code, child.name, by_child.get(child.code, RequestStats()))
            for child in _child_regions(region)
        ]
    by_body = figures_by(requests, "body_id", now)
    page.bodies_count = len(by_body)
    chosen = sorted(by_body.items(), key=lambda item: (-item[1].received, item[0]))[:body_limit]
    offices = GovernmentOffice.objects.select_related("region").in_bulk([pk for pk, _ in chosen])
    page.bodies = [BodyLine(offices[pk], stats) for pk, stats in chosen if pk in offices]
    page.years = _years(public_requests(region_code=code), now)
    return page


def body_stats(body: GovernmentOffice, year: int | None, now: datetime | None = None) -> StatsPage:
    """One body's figures for a year, and its line per year."""
    now = now or timezone.now()
    page = StatsPage(year=year, body=body, region=body.region, generated_at=now)
    page.total = figures(public_requests(year=year, body=body), now)
    page.bodies = [BodyLine(body, page.total)]
    page.bodies_count = 1
    page.years = _years(public_requests(body=body), now)
    return page


# --- inside SIKIM, in the reader's scope -----------------------------------------------------------------------
def _stats_requests(user: AnyUser, year: int | None) -> QuerySet[InformationRequest]:
    return _in_year(requests_for_action(user, KipAction.VIEW_STATS), year)


def stats_by_body(
    user: AnyUser, *, year: int | None = None, region_code: str = ""
) -> list[tuple[GovernmentOffice, RequestStats]]:
    """One line per body with requests, in the reader's scope (and inside `region_code` if given)."""
    requests = _stats_requests(user, year).filter(~Q(state=RequestState.DIAJUKAN))
    if region_code:
        requests = requests.filter(subtree_q("body__region_id", region_code[:13]))
    by_body = figures_by(requests, "body_id")
    bodies = GovernmentOffice.objects.in_bulk(list(by_body))
    return sorted(((bodies[pk], stats) for pk, stats in by_body.items()), key=lambda line: line[0].name)


def stats_for_region(user: AnyUser, region_code: str, *, year: int | None = None) -> RequestStats:
    """All bodies acting inside `region_code` together (a pembina's view of their kabupaten)."""
    requests = _stats_requests(user, year).filter(~Q(state=RequestState.DIAJUKAN))
    return figures(requests.filter(subtree_q("body__region_id", region_code[:13])))
