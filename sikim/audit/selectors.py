from datetime import date

from django.db.models import QuerySet

from sikim.accounts.authz import Action, AnyUser, region_scope_q
from sikim.audit.models import AuditEvent
from sikim.wilayah.models import subtree_q


def audit_events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    """Events a user may read: a national admin all, a pembina those inside their region."""
    return (
        AuditEvent.objects.filter(region_scope_q(user, Action.AUDIT_VIEW, "region_id"))
        .select_related("region")
        .order_by("-created_at", "-id")
    )


def audit_events_filtered(
    user: AnyUser,
    *,
    action: str = "",
    region_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """`audit_events_visible_to` narrowed by the filters people use on the log page and API."""
    events = audit_events_visible_to(user)
    if action:
        events = events.filter(action__startswith=action)
    if region_code:
        events = events.filter(subtree_q("region_id", region_code))
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events
