from django.db.models import QuerySet

from sikim.accounts.authz import Action, AnyUser, region_scope_q
from sikim.audit.models import AuditEvent


def audit_events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    """Events a user may read: a national admin all, a pembina those inside their region."""
    return (
        AuditEvent.objects.filter(region_scope_q(user, Action.AUDIT_VIEW, "region_id"))
        .select_related("region")
        .order_by("-created_at", "-id")
    )
