"""Aspiration background work. Tasks only call services and are safe to run twice: the
auto-close checks each case again under its row lock, and escalations and digests are recorded
in the audit log (per case and deadline, per office and day) before they are sent.

The notices to citizens and offices (`services.notifications.aspiration_notify`, escalations,
digests) and the fetch of photos sent by Telegram or WhatsApp
(`services.intake_photos.aspiration_message_photo_fetch`) are durable tasks (`sikim.core.durable`),
written in the transaction of their change and run after it commits: the core sweep enqueues them
again when a try failed or a worker died.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sikim.aspirations.services.intake_photos import aspiration_message_photo_fetch
from sikim.aspirations.services.notifications import (
    aspiration_digest_send,
    aspiration_escalation_send,
    aspiration_notify,
    aspirations_daily_digest,
    aspirations_escalate,
)
from sikim.aspirations.services.workflow import aspirations_autoclose

__all__ = [
    "aspiration_digest_send",
    "aspiration_escalation_send",
    "aspiration_message_photo_fetch",
    "aspiration_notify",
    "aspirations_hourly",
]


def aspirations_hourly_work() -> dict[str, int]:
    """Close answered cases whose waiting period is over, escalate overdue cases (once per
    deadline), and from 07:00 WIB send the day's digests (once a day)."""
    return {
        "closed": aspirations_autoclose(),
        "escalated": aspirations_escalate(),
        "digests": aspirations_daily_digest(),
    }


# Every hour at :07 (Huey's crontab runs in UTC; the digest checks the hour in WIB itself, so a
# worker that was down at 07:00 WIB still sends the day's digest at its next run).
@db_periodic_task(crontab(minute="7"))
def aspirations_hourly() -> None:
    aspirations_hourly_work()
