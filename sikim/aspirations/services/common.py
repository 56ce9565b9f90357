"""Helpers shared by the aspiration services: locking, checking text, the timeline, the audit."""

from datetime import datetime
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sikim.accounts.models import User
from sikim.aspirations.models import (
    ASPIRATION_TRANSITIONS,
    Aspiration,
    AspirationEvent,
    AspirationState,
    Visibility,
)
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.locking import lock_row
from sikim.offices.models import GovernmentOffice

# Audited fields: never the author or the contact details (the audit log is read by pembina,
# who must not learn a confidential author's identity from it).
AUDIT_FIELDS: Final = [
    "code",
    "kim",
    "region",
    "category",
    "visibility",
    "state",
    "reject_reason",
    "office",
    "channel",
    "verify_due",
    "followup_due",
    "autoclose_at",
    "rating",
    "reopened_count",
    "is_hidden",
]


def lock(aspiration: Aspiration) -> Aspiration:
    """Lock the aspiration's row for this transaction and bring the caller's copy up to date."""
    return lock_row(aspiration, gone_message=_("This aspiration no longer exists."))


def state_label(state: str) -> str:
    return str(AspirationState(state).label) if state in AspirationState.values else state


def clean_text(value: Any, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    """Trimmed text within `max_length`, or a ValidationError saying what to do."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: label or _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _(
                    "At most %(max)s characters, please (this has %(length)s). Shorten it; "
                    "you can add details later as a correction."
                )
                % {"max": f"{max_length:,}".replace(",", "."), "length": f"{len(value):,}".replace(",", ".")}
            }
        )
    return value


def snapshot(aspiration: Aspiration) -> dict[str, Any]:
    return model_snapshot(aspiration, AUDIT_FIELDS)


def audit(*, actor: Any, action: str, aspiration: Aspiration, before: dict[str, Any] | None) -> None:
    """Audit a change. A confidential author's own actions are recorded without their name: the
    audit log is read by the pembina, who must not learn who wrote a confidential aspiration."""
    if (
        aspiration.visibility == Visibility.CONFIDENTIAL
        and getattr(actor, "pk", None) is not None
        and actor.pk == aspiration.author_id
    ):
        actor = None
    audit_record(actor=actor, action=f"aspirations.{action}", obj=aspiration, before=before, after=snapshot(aspiration))


def record_event(
    aspiration: Aspiration,
    *,
    kind: str,
    actor: Any,
    now: datetime,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    is_public: bool = True,
    office: GovernmentOffice | None = None,
) -> AspirationEvent:
    return AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor if isinstance(actor, User) else None,
        office=office,
        note=note,
        is_public=is_public,
        created_at=now,
    )


def move(
    aspiration: Aspiration,
    to_state: str,
    *,
    kind: str,
    actor: Any,
    now: datetime,
    note: str = "",
    is_public: bool = True,
    office: GovernmentOffice | None = None,
) -> AspirationEvent:
    """Change the state (in memory; the caller saves) and write the timeline event.

    An impossible move raises a ValidationError that says what the state is now.
    """
    transition_check(aspiration, to_state)
    from_state = aspiration.state
    aspiration.state = to_state
    return record_event(
        aspiration,
        kind=kind,
        actor=actor,
        now=now,
        from_state=from_state,
        to_state=to_state,
        note=note,
        is_public=is_public,
        office=office,
    )


def transition_check(aspiration: Aspiration, to_state: str) -> None:
    """Raise the same error as `move` without changing anything."""
    if to_state not in ASPIRATION_TRANSITIONS.get(aspiration.state, set()):
        raise ValidationError(
            _("This aspiration is “%(current)s”; it cannot become “%(wanted)s” now.")
            % {"current": state_label(aspiration.state), "wanted": state_label(to_state)},
            code="illegal_transition",
        )
