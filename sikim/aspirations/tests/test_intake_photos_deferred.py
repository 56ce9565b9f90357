"""Photos sent by message are fetched by a task after the webhook answered: retried after a
failure, given up after MAX_ATTEMPTS, fetched by one worker only, and picked up again by the
sweep when a worker died mid-fetch (`services.intake_photos`)."""

# ruff: noqa: F811 — the fake-server fixtures are imported, then taken as test arguments by name

from datetime import timedelta

import pytest
from django.utils import timezone

from sikim.aspirations.models import Aspiration, PendingMessagePhoto
from sikim.aspirations.services.intake import IntakeResult, telegram_photo_intake
from sikim.aspirations.services.intake_photos import (
    CLAIM_SECONDS,
    FETCH_BACKOFF,
    MAX_ATTEMPTS,
    message_photos_fetch,
    message_photos_sweep,
)
from sikim.aspirations.tests.test_intake_photos import (  # noqa: F401 (fixtures)
    _media,
    jpeg_with_gps,
    linked_member,
    telegram_update,
)
from sikim.dissemination.tests.conftest import (  # noqa: F401 (fixtures)
    fake_telegram,
    short_client_timeout,
)
from sikim.dissemination.tests.fakes import Failure

pytestmark = pytest.mark.django_db


def _time_passes(delta: timedelta) -> None:
    """As if `delta` went by: every pending photo's next try comes that much nearer."""
    for row in PendingMessagePhoto.objects.all():
        PendingMessagePhoto.objects.filter(pk=row.pk).update(next_attempt_at=row.next_attempt_at - delta)


@pytest.fixture
def pending(fake_telegram, linked_member) -> PendingMessagePhoto:
    """A photo aspiration made by the webhook, its commit hooks (the fetch) not run."""
    file_id = fake_telegram.add_file(jpeg_with_gps())
    outcome = telegram_photo_intake(update=telegram_update(777, file_id))
    assert outcome is not None and outcome.result == IntakeResult.CREATED
    return PendingMessagePhoto.objects.get()


def test_the_webhook_makes_the_aspiration_without_waiting_for_the_photo(fake_telegram, pending):
    assert fake_telegram.requests_to("/getFile") == []  # nothing fetched while the webhook ran
    aspiration = Aspiration.objects.get()
    assert (pending.aspiration, pending.provider, pending.attempts) == (aspiration, "telegram", 0)
    assert aspiration.photos.count() == 0

    assert message_photos_fetch(aspiration_id=aspiration.pk) == 1
    assert aspiration.photos.count() == 1
    assert not PendingMessagePhoto.objects.exists()
    assert message_photos_fetch(aspiration_id=aspiration.pk) == 0  # run twice: nothing more
    assert len(fake_telegram.requests_to("/file/")) == 1


def test_a_failed_fetch_is_tried_again_by_the_sweep(fake_telegram, pending):
    fake_telegram.fail_next_download(Failure("server_error"))
    now = timezone.now()
    assert message_photos_fetch(aspiration_id=pending.aspiration_id, now=now) == 0
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.next_attempt_at == now + FETCH_BACKOFF
    assert message_photos_sweep(now=now) == 0  # not yet due

    # The sweep enqueues it once due; the tests' immediate task backend runs the fetch at once.
    _time_passes(FETCH_BACKOFF + timedelta(seconds=1))
    assert message_photos_sweep() == 1
    assert Aspiration.objects.get().photos.count() == 1
    assert not PendingMessagePhoto.objects.exists()


def test_after_max_attempts_the_aspiration_stays_without_the_photo(fake_telegram, pending, caplog):
    fake_telegram.fail_next_download(Failure("server_error"), times=MAX_ATTEMPTS)
    now = timezone.now()
    for attempt in range(MAX_ATTEMPTS):
        assert message_photos_fetch(aspiration_id=pending.aspiration_id, now=now) == 0
        now += FETCH_BACKOFF * (attempt + 1)
    assert not PendingMessagePhoto.objects.exists()
    assert Aspiration.objects.get().photos.count() == 0
    assert f"not fetched after {MAX_ATTEMPTS} attempts" in caplog.text
    assert len(fake_telegram.requests_to("/file/")) == MAX_ATTEMPTS


def test_a_photo_claimed_by_another_worker_is_left_to_it_until_the_claim_runs_out(fake_telegram, pending):
    now = timezone.now()
    # Another worker claimed it, then died mid-fetch: its claim holds the row CLAIM_SECONDS ahead.
    PendingMessagePhoto.objects.filter(pk=pending.pk).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    assert message_photos_fetch(aspiration_id=pending.aspiration_id, now=now) == 0
    assert message_photos_sweep(now=now) == 0
    assert fake_telegram.requests_to("/getFile") == []

    _time_passes(timedelta(seconds=CLAIM_SECONDS + 1))
    assert message_photos_sweep() == 1
    assert Aspiration.objects.get().photos.count() == 1
    assert len(fake_telegram.requests_to("/getFile")) == 1


def test_a_deleted_aspiration_takes_its_pending_photo_along(pending):
    Aspiration.objects.all().delete()
    assert not PendingMessagePhoto.objects.exists()
