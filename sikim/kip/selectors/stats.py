"""Statistics of information requests per body and per region: no personal data at all.

For the bodies the reader may see statistics of (`KipAction.VIEW_STATS`: the body's PPID, a
pembina for the bodies of their region subtree, a national administrator for all):

- requests registered in the year (by the year of the registration number);
- decided, granted (in full or in part), refused, not held, still undecided;
- on-time rate: decisions given by the deadline in force, of all decisions;
- median working days from receipt to decision.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from sikim.accounts.authz import AnyUser
from sikim.core.workdays import WorkCalendar
from sikim.kip.models import REGISTERED_STATES, InformationRequest, Outcome
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import requests_for_action
from sikim.kip.selectors.calendar import kip_calendar
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import subtree_q


@dataclass
class RequestStats:
    requests: int = 0
    decided: int = 0
    granted_full: int = 0
    granted_partial: int = 0
    refused: int = 0
    not_held: int = 0
    undecided: int = 0
    on_time: int = 0
    objections: int = 0
    disputes: int = 0
    working_days: list[int] | None = None

    @property
    def granted(self) -> int:
        return self.granted_full + self.granted_partial

    @property
    def on_time_rate(self) -> float | None:
        """Share of decisions given by the deadline in force (0–1), None without decisions."""
        return self.on_time / self.decided if self.decided else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.working_days) if self.working_days else None


def _add(stats: RequestStats, request: InformationRequest, calendar: WorkCalendar) -> None:
    stats.requests += 1
    decision = getattr(request, "decision", None)
    objection = getattr(request, "objection", None)
    if objection is not None:
        stats.objections += 1
        if getattr(objection, "dispute", None) is not None:
            stats.disputes += 1
    if decision is None:
        stats.undecided += 1
        return
    stats.decided += 1
    field = {
        Outcome.GRANTED_FULL: "granted_full",
        Outcome.GRANTED_PARTIAL: "granted_partial",
        Outcome.REFUSED: "refused",
        Outcome.NOT_HELD: "not_held",
    }[Outcome(decision.outcome)]
    setattr(stats, field, getattr(stats, field) + 1)
    due = request.due_at
    if due is not None and decision.decided_at <= due:
        stats.on_time += 1
    if request.received_at is not None:
        if stats.working_days is None:
            stats.working_days = []
        stats.working_days.append(calendar.working_days_between(request.received_at, decision.decided_at))


def _stats_requests(user: AnyUser, year: int | None) -> QuerySet[InformationRequest]:
    requests = requests_for_action(user, KipAction.VIEW_STATS).filter(state__in=REGISTERED_STATES)
    return requests.filter(year=year) if year is not None else requests


def stats_by_body(
    user: AnyUser, *, year: int | None = None, region_code: str = ""
) -> list[tuple[GovernmentOffice, RequestStats]]:
    """One line per body with requests, in the reader's scope (and inside `region_code` if given)."""
    requests = _stats_requests(user, year)
    if region_code:
        requests = requests.filter(subtree_q("body__region_id", region_code[:13]))
    calendar = kip_calendar()
    lines: dict[int, RequestStats] = defaultdict(RequestStats)
    bodies: dict[int, GovernmentOffice] = {}
    for request in requests.order_by("body_id", "id"):
        bodies[request.body_id] = request.body
        _add(lines[request.body_id], request, calendar)
    return [(bodies[pk], lines[pk]) for pk in sorted(bodies, key=lambda pk: bodies[pk].name)]


def stats_for_region(user: AnyUser, region_code: str, *, year: int | None = None) -> RequestStats:
    """All bodies acting inside `region_code` together (a pembina's view of their kabupaten)."""
    total = RequestStats()
    calendar = kip_calendar()
    requests = _stats_requests(user, year).filter(subtree_q("body__region_id", region_code[:13]))
    for request in requests.order_by("id"):
        _add(total, request, calendar)
    return total
