"""Photos of aspirations sent by Telegram or WhatsApp, fetched from the provider by a task.

The webhook answers at once: `aspiration_intake` makes the aspiration from the caption and, in
the same transaction, leaves a durable task per picture the provider holds (`message_photos_hold`,
`sikim.core.durable`). After the commit `aspiration_message_photo_fetch` fetches it
(`intake_media.media_fetch`: bounded in size, time and hosts) and stores it through
`submission.aspiration_add_message_photo`, the same checks as a web upload. So no web worker
waits on Telegram or Meta, and a repeated delivery of the message (which makes no aspiration)
fetches nothing.

A failed fetch is tried again later, and a worker killed mid-fetch leaves its claim to run out,
both by the durable task's retry and sweep. The photo is a bonus to the text: when it cannot be
had after the durable task's last attempt, the aspiration stays without it.
"""

import logging

from django.core.exceptions import ValidationError
from django.tasks import task

from sikim.aspirations.models import Aspiration
from sikim.aspirations.services.intake_media import MediaRef, MediaUnavailable, media_fetch
from sikim.aspirations.services.submission import MAX_PHOTOS, aspiration_add_message_photo
from sikim.core.durable import TryAgainLater, enqueue_after_commit

logger = logging.getLogger(__name__)


def message_photos_hold(*, aspiration: Aspiration, media: tuple[MediaRef, ...]) -> None:
    """Inside the transaction that made `aspiration`: fetch its photos after the commit."""
    for ref in list(dict.fromkeys(media))[:MAX_PHOTOS]:
        enqueue_after_commit(aspiration_message_photo_fetch, aspiration.pk, ref.provider, ref.media_id, ref.size)


@task()
def aspiration_message_photo_fetch(aspiration_id: int, provider: str, media_id: str, size: int | None) -> bool:
    """Fetch one photo sent with an aspiration by Telegram or WhatsApp and store it; True when stored."""
    if not Aspiration.objects.filter(pk=aspiration_id).exists():
        return False  # deleted meanwhile: nothing to fetch for
    try:
        upload = media_fetch(MediaRef(provider, media_id, size))  # no transaction held while it runs
    except MediaUnavailable as error:
        # The reason is safe to log (never a token or a URL); the provider's own error is not kept.
        logger.warning("Aspiration %s %s photo not fetched: %s", aspiration_id, provider, error)
        raise TryAgainLater(f"photo not fetched: {error}") from None
    try:
        photo = aspiration_add_message_photo(aspiration_id=aspiration_id, upload=upload)
    except ValidationError:
        # Not a picture we accept (a renamed file, too many pixels…): the text still counts.
        logger.warning("Aspiration %s: photo refused, kept without it", aspiration_id)
        return False
    return photo is not None
