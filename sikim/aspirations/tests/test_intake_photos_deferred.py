"""Photos sent by message are fetched by a durable task after the webhook answered: retried after
a failure, given up after the last attempt, fetched by one worker only, and picked up again by the
sweep when a worker died mid-fetch (`services.intake_photos`, `sikim.core.durable`)."""

# ruff: noqa: F811 — the fake-server fixtures are imported, then taken as test arguments by name

from datetime import timedelta

import pytest
from django.utils import timezone

from sikim.aspirations.models import Aspiration
from sikim.aspirations.services.intake import IntakeResult, telegram_photo_intake
from sikim.aspirations.tests.test_intake_photos import (  # noqa: F401 (fixtures)
    _media,
    jpeg_with_gps,
    linked_member,
    telegram_update,
)
from sikim.core import durable
from sikim.core.durable import CLAIM_SECONDS, MAX_ATTEMPTS, RETRY_BACKOFF
from sikim.core.models import DurableTask
from sikim.dissemination.tests.conftest import (  # noqa: F401 (fixtures)
    fake_telegram,
    short_client_timeout,
)
from sikim.dissemination.tests.fakes import Failure

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(fake_telegram, linked_member) -> DurableTask:
    """A photo aspiration made by the webhook, its commit hooks (the enqueue of the fetch) not run."""
    file_id = fake_telegram.add_file(jpeg_with_gps())
    outcome = telegram_photo_intake(update=telegram_update(777, file_id))
    assert outcome is not None and outcome.result == IntakeResult.CREATED
    photo = DurableTask.objects.get(task_path__endswith="aspiration_message_photo_fetch")
    for other in DurableTask.objects.exclude(pk=photo.pk):  # the receipt and the notice go first
        assert durable.durable_run(row_id=other.pk) is True
    return photo


def test_the_webhook_makes_the_aspiration_without_waiting_for_the_photo(fake_telegram, pending):
    assert fake_telegram.requests_to("/getFile") == []  # nothing fetched while the webhook ran
    aspiration = Aspiration.objects.get()
    assert pending.arguments[:2] == [aspiration.pk, "telegram"] and pending.attempts == 0
    assert aspiration.photos.count() == 0

    assert durable.durable_run(row_id=pending.pk) is True
    assert aspiration.photos.count() == 1
    assert not DurableTask.objects.filter(pk=pending.pk).exists()
    assert durable.durable_run(row_id=pending.pk) is False  # run twice: nothing more
    assert len(fake_telegram.requests_to("/file/")) == 1


def test_a_failed_fetch_is_tried_again_by_the_sweep(fake_telegram, pending, caplog):
    fake_telegram.fail_next_download(Failure("server_error"))
    assert durable.durable_run(row_id=pending.pk) is False
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.last_error.startswith("TryAgainLater: photo not fetched")
    assert "Traceback" not in caplog.text  # an expected failure: a warning, no traceback
    assert durable.durable_tasks_sweep() == 0  # not yet due

    # The sweep enqueues it once due; the tests' immediate task backend runs the fetch at once.
    assert durable.durable_tasks_sweep(now=timezone.now() + RETRY_BACKOFF + timedelta(seconds=1)) == 1
    assert Aspiration.objects.get().photos.count() == 1
    assert not DurableTask.objects.filter(pk=pending.pk).exists()


def test_after_the_last_attempt_the_aspiration_stays_without_the_photo(fake_telegram, pending, caplog):
    fake_telegram.fail_next_download(Failure("server_error"), times=MAX_ATTEMPTS)
    assert durable.durable_run(row_id=pending.pk) is False
    moment = timezone.now()
    for _attempt in range(MAX_ATTEMPTS - 1):
        moment += timedelta(hours=1)
        assert durable.durable_tasks_sweep(now=moment) == 1
    pending.refresh_from_db()
    assert pending.finished_at is not None and pending.attempts == MAX_ATTEMPTS
    assert Aspiration.objects.get().photos.count() == 0
    assert f"given up after {MAX_ATTEMPTS} attempts" in caplog.text
    assert len(fake_telegram.requests_to("/file/")) == MAX_ATTEMPTS
    assert durable.durable_tasks_sweep(now=moment + timedelta(days=1)) == 0


def test_a_photo_claimed_by_another_worker_is_left_to_it_until_the_claim_runs_out(fake_telegram, pending):
    now = timezone.now()
    assert durable._claim(pending.pk, now)  # another worker claimed it, then died mid-fetch
    assert durable.durable_run(row_id=pending.pk) is False
    assert durable.durable_tasks_sweep(now=now + timedelta(seconds=CLAIM_SECONDS - 1)) == 0
    assert fake_telegram.requests_to("/getFile") == []

    ran_out = now - timedelta(seconds=1)
    DurableTask.objects.filter(pk=pending.pk).update(claimed_until=ran_out, next_attempt_at=ran_out)
    assert durable.durable_tasks_sweep() == 1
    assert Aspiration.objects.get().photos.count() == 1
    assert len(fake_telegram.requests_to("/getFile")) == 1


def test_a_deleted_aspiration_fetches_nothing(fake_telegram, pending):
    Aspiration.objects.all().delete()
    assert durable.durable_run(row_id=pending.pk) is True
    assert fake_telegram.requests_to("/getFile") == []
    assert not DurableTask.objects.exists()
