"""Photos of aspirations sent by Telegram or WhatsApp, fetched from the provider by a task.

The webhook answers at once: `aspiration_intake` makes the aspiration from the caption and, in
the same transaction, leaves each picture the provider holds as a PendingMessagePhoto
(`message_photos_hold`). After the commit the task `aspiration_message_photos_fetch` fetches
them (`intake_media.media_fetch`: bounded in size, time and hosts) and stores each through
`submission.aspiration_add_message_photo`, the same checks as a web upload. So no web worker
waits on Telegram or Meta, and a repeated delivery of the message (which makes no aspiration)
fetches nothing.

Safe to run twice and across a worker restart: a worker claims a row by moving its
`next_attempt_at` forward (a conditional UPDATE only one worker wins) before it fetches, and
deletes it once the photo is stored. A failed fetch is tried again later (FETCH_BACKOFF per
attempt, MAX_ATTEMPTS in all); a worker killed mid-fetch leaves a claim that runs out after
CLAIM_SECONDS. `message_photos_sweep` (every five minutes) enqueues the rows that are due. The
photo is a bonus to the text: when it cannot be had, the aspiration stays without it and a
warning is logged.
"""

import logging
from datetime import datetime, timedelta
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from sikim.aspirations.models import Aspiration, PendingMessagePhoto
from sikim.aspirations.services.intake_media import MediaRef, MediaUnavailable, media_fetch
from sikim.aspirations.services.submission import MAX_PHOTOS, aspiration_add_message_photo

logger = logging.getLogger(__name__)

# Longer than a fetch can take (SIKIM_CHANNEL_TIMEOUT per request, two requests).
CLAIM_SECONDS: Final = 10 * 60
MAX_ATTEMPTS: Final = 3
FETCH_BACKOFF: Final = timedelta(minutes=5)  # times the number of failed attempts


def message_photos_hold(*, aspiration: Aspiration, media: tuple[MediaRef, ...], now: datetime) -> None:
    """Inside the transaction that made `aspiration`: note its photos, fetch them after the commit."""
    refs = list(dict.fromkeys(media))[:MAX_PHOTOS]
    if not refs:
        return
    PendingMessagePhoto.objects.bulk_create(
        PendingMessagePhoto(
            aspiration=aspiration,
            provider=ref.provider,
            media_id=ref.media_id,
            size=ref.size,
            next_attempt_at=now,
            created_at=now,
        )
        for ref in refs
    )
    aspiration_id = aspiration.pk
    transaction.on_commit(lambda: _enqueue(aspiration_id))


def _enqueue(aspiration_id: int) -> None:
    try:
        aspiration_message_photos_fetch.enqueue(aspiration_id)
    except Exception:  # noqa: BLE001 — the aspiration is saved; the sweep fetches the photo later
        logger.exception("Could not queue the photo fetch of aspiration %s", aspiration_id)


def _claim(pending: PendingMessagePhoto, now: datetime) -> bool:
    """Only one worker wins a due row: the claim moves it CLAIM_SECONDS ahead."""
    claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    won = PendingMessagePhoto.objects.filter(pk=pending.pk, next_attempt_at__lte=now).update(
        next_attempt_at=claimed_until
    )
    return won == 1


def _give_up_or_retry(pending: PendingMessagePhoto, reason: str, now: datetime) -> None:
    attempts = pending.attempts + 1
    where = f"aspiration {pending.aspiration_id} {pending.provider}"
    if attempts >= MAX_ATTEMPTS:
        logger.warning("Aspiration photo not fetched after %d attempts (%s): %s", attempts, where, reason)
        PendingMessagePhoto.objects.filter(pk=pending.pk).delete()
        return
    logger.warning("Aspiration photo not fetched (%s), tried again later: %s", where, reason)
    PendingMessagePhoto.objects.filter(pk=pending.pk).update(
        attempts=attempts, next_attempt_at=now + FETCH_BACKOFF * attempts
    )


def message_photos_fetch(*, aspiration_id: int, now: datetime | None = None) -> int:
    """Fetch and store the due photos of one aspiration; returns how many were stored."""
    stored = 0
    due = PendingMessagePhoto.objects.filter(aspiration_id=aspiration_id, next_attempt_at__lte=now or timezone.now())
    for pending in list(due):
        moment = now or timezone.now()
        if not _claim(pending, moment):
            continue  # another worker has it
        ref = MediaRef(pending.provider, pending.media_id, pending.size)
        try:
            upload = media_fetch(ref)  # outside any transaction: no connection held while it runs
        except MediaUnavailable as error:
            _give_up_or_retry(pending, str(error), now or timezone.now())
            continue
        try:
            photo = aspiration_add_message_photo(aspiration_id=aspiration_id, upload=upload)
        except ValidationError:
            # Not a picture we accept (a renamed file, too many pixels…): the text still counts.
            logger.warning("Aspiration %s: photo refused, kept without it", aspiration_id)
            photo = None
        PendingMessagePhoto.objects.filter(pk=pending.pk).delete()
        stored += photo is not None
    return stored


@task()
def aspiration_message_photos_fetch(aspiration_id: int) -> int:
    """Fetch the photos sent with an aspiration by Telegram or WhatsApp; returns how many were stored."""
    return message_photos_fetch(aspiration_id=aspiration_id)


def message_photos_sweep(*, now: datetime | None = None) -> int:
    """Enqueue a fetch for every aspiration with a photo due (a retry, or a claim that ran out)."""
    due = (
        PendingMessagePhoto.objects.filter(next_attempt_at__lte=now or timezone.now())
        .values_list("aspiration_id", flat=True)
        .distinct()
    )
    aspiration_ids = sorted(set(due))
    for aspiration_id in aspiration_ids:
        _enqueue(aspiration_id)
    return len(aspiration_ids)
