from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sikim.accounts.authz import Action, require
from sikim.audit.selectors import audit_events_filtered
from sikim.core.api_pagination import BoundedPagination

router = Router()


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str | None = Field(None, alias="region_id")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ip_address: str | None
    channel: str


class AuditFilters(Schema):
    action: str = Field("", max_length=80)
    region: str = Field("", max_length=13, description="Region code: events in this region and below")
    date_from: date | None = None
    date_to: date | None = None


@router.get("/events", response=list[AuditEventOut], summary="Audit events in the caller's scope")
@paginate(BoundedPagination, page_size=50)
def list_events(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    """Who did what, to which object, when and from where. A pembina sees their region only."""
    require(request.user, Action.AUDIT_VIEW)
    return audit_events_filtered(
        request.user,
        action=filters.action,
        region_code=filters.region,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
