"""Cases past their deadline, and cases whose waiting period after the answer is over.

Overdue: still waiting for the KIM or the pembina after `verify_due` (diajukan, diverifikasi),
or for the office after `followup_due` (diteruskan, ditindaklanjuti). The periodic task escalates
them and lists them in the daily digest; dashboards count them.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from sikim.aspirations.models import AWAITING_OFFICE, AWAITING_VERIFICATION, Aspiration, AspirationState


def overdue_q(now: datetime) -> Q:
    return Q(state__in=AWAITING_VERIFICATION, verify_due__lt=now) | Q(state__in=AWAITING_OFFICE, followup_due__lt=now)


def aspirations_overdue(
    now: datetime | None = None, within: QuerySet[Aspiration] | None = None
) -> QuerySet[Aspiration]:
    """Overdue cases, the longest overdue first; `within` narrows to a reader's scope."""
    now = now or timezone.now()
    aspirations = within if within is not None else Aspiration.objects.all()
    return aspirations.filter(overdue_q(now)).select_related("region", "kim", "office").order_by("verify_due", "id")


def is_overdue(aspiration: Aspiration, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if aspiration.state in AWAITING_VERIFICATION:
        return aspiration.verify_due < now
    if aspiration.state in AWAITING_OFFICE:
        return aspiration.followup_due is not None and aspiration.followup_due < now
    return False


def aspirations_due_for_autoclose(now: datetime | None = None) -> QuerySet[Aspiration]:
    """Answered cases whose waiting period is over (the auto-close task closes them)."""
    now = now or timezone.now()
    return Aspiration.objects.filter(state=AspirationState.DIJAWAB, autoclose_at__lte=now).order_by(
        "autoclose_at", "id"
    )
