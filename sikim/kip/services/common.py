"""Helpers shared by the KIP services: locking, checking text, the audit (never personal data)."""

from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sikim.audit.services import audit_record, model_snapshot
from sikim.core.locking import lock_row
from sikim.kip.models import InformationRequest, RequestState

# Audited fields of a request: never the requester's identity (the audit log is read by pembina).
REQUEST_AUDIT_FIELDS: Final = [
    "registration_number",
    "tracking_code",
    "body",
    "state",
    "access_form",
    "copy_format",
    "delivery",
    "submitted_at",
    "registered_at",
    "received_at",
    "decision_due",
    "extended",
    "extended_at",
    "extended_due",
]


def lock(request: InformationRequest) -> InformationRequest:
    """Lock the request's row for this transaction and bring the caller's copy up to date
    (its decision and objection are read afresh too)."""
    return lock_row(request, gone_message=_("This information request no longer exists."))


def clean_text(value: Any, *, field: str, max_length: int, required: bool = False, message: str = "") -> str:
    """Trimmed text within `max_length`, or a ValidationError saying what to do."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)s characters, please (this has %(length)s).")
                % {"max": max_length, "length": len(value)}
            }
        )
    return value


def state_label(state: str) -> str:
    return str(RequestState(state).label) if state in RequestState.values else state


def transition_check(request: InformationRequest, to_state: str) -> None:
    if not request.can_move_to(to_state):
        raise ValidationError(
            _("This request is “%(current)s”; it cannot become “%(wanted)s” now.")
            % {"current": state_label(request.state), "wanted": state_label(to_state)},
            code="illegal_transition",
        )


def audit(
    *, actor: Any, action: str, obj: models.Model, before: dict[str, Any] | None, fields: list[str] | None = None
) -> None:
    if isinstance(obj, InformationRequest):
        fields = REQUEST_AUDIT_FIELDS
    audit_record(actor=actor, action=f"kip.{action}", obj=obj, before=before, after=model_snapshot(obj, fields))


def request_snapshot(request: InformationRequest) -> dict[str, Any]:
    return model_snapshot(request, REQUEST_AUDIT_FIELDS)
