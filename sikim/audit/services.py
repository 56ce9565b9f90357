"""Writing the audit log. Only services call `audit_record`, inside their own transaction."""

from typing import Any

from django.db import models

from sikim.audit.models import AuditEvent
from sikim.core.request_context import current_origin


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's concrete fields, for "before" and "after"."""
    snapshot: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "token_hash"}:
            continue
        value = field.value_from_object(obj)
        snapshot[field.attname] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return snapshot


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    region_code: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`. Where from is taken from the request."""
    origin = current_origin()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if region_code is None and obj is not None:
        region_code = getattr(obj, "authz_region_code", None)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor)[:200] if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        region_id=region_code,
        before=before,
        after=after,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        channel=origin.channel,
    )
