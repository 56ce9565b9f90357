"""States that the time computes, not the database (Alaveteli's "waiting", "overdue", "very overdue").

A registered, undecided request is:

- waiting: before the end of its deadline in force (the extended one after an extension);
- overdue: after it;
- long overdue: still undecided 10 working days after it (`deadlines.LONG_OVERDUE_DAYS`).

A decided request is "decided on time" or "decided late". Nothing here is stored: pages and
statistics compute it at the moment they are read.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikim.core.workdays import WorkCalendar
from sikim.kip.deadlines import long_overdue_from
from sikim.kip.models import AWAITING_DECISION, InformationRequest
from sikim.kip.selectors.calendar import kip_calendar


class TimeState(models.TextChoices):
    NOT_REGISTERED = "not_registered", _("Not yet registered")
    WAITING = "waiting", _("Waiting for the decision")
    OVERDUE = "overdue", _("Overdue")
    LONG_OVERDUE = "long_overdue", _("Long overdue")
    DECIDED_ON_TIME = "decided_on_time", _("Decided on time")
    DECIDED_LATE = "decided_late", _("Decided late")
    NOT_DECIDED = "not_decided", _("Not decided (objection filed)")


def time_state(
    request: InformationRequest, now: datetime | None = None, calendar: WorkCalendar | None = None
) -> TimeState:
    now = now or timezone.now()
    due = request.due_at
    if not request.is_registered or due is None:
        return TimeState.NOT_REGISTERED
    decision = getattr(request, "decision", None)  # None when there is no decision
    if decision is not None:
        return TimeState.DECIDED_ON_TIME if decision.decided_at <= due else TimeState.DECIDED_LATE
    if request.state not in AWAITING_DECISION:
        return TimeState.NOT_DECIDED
    if now <= due:
        return TimeState.WAITING
    if now <= long_overdue_from(calendar or kip_calendar(), due):
        return TimeState.OVERDUE
    return TimeState.LONG_OVERDUE


def overdue_q(now: datetime) -> Q:
    return Q(state__in=AWAITING_DECISION) & (
        Q(extended=False, decision_due__lt=now) | Q(extended=True, extended_due__lt=now)
    )


def requests_overdue(within: QuerySet[InformationRequest], now: datetime | None = None) -> QuerySet[InformationRequest]:
    """Undecided requests past their deadline (overdue and long overdue), the oldest first."""
    return within.filter(overdue_q(now or timezone.now())).order_by("decision_due", "id")


def requests_long_overdue(
    within: QuerySet[InformationRequest], now: datetime | None = None
) -> list[InformationRequest]:
    now = now or timezone.now()
    calendar = kip_calendar()
    return [r for r in requests_overdue(within, now) if time_state(r, now, calendar) == TimeState.LONG_OVERDUE]
