"""Durable tasks: run after the commit, at least once, whatever happens to the worker or the queue.

The suite's queue runs tasks at once, in this process; a worker that died is the state it leaves
in the database: a row claimed by nobody alive, or never run.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from sikim.core import durable
from sikim.core.durable import CLAIM_SECONDS, KEEP_FINISHED, MAX_ATTEMPTS, QUEUE_GRACE, enqueue_after_commit
from sikim.core.models import DurableTask, QueueProbe
from sikim.core.tasks import record_queue_probe

pytestmark = pytest.mark.django_db


class ProviderDown(Exception):
    pass


@task()
def always_fails(token: str) -> None:
    raise ProviderDown(f"no answer for {token}")


def _probed(token: str) -> bool:
    return QueueProbe.objects.filter(token=token).exists()


def test_the_task_runs_after_the_commit_and_its_row_goes(django_capture_on_commit_callbacks):
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert enqueue_after_commit(record_queue_probe, token) is True
        assert DurableTask.objects.get().task_path == "sikim.core.tasks.record_queue_probe"
        assert not _probed(token)  # nothing is sent before the change is committed
    assert _probed(token)
    assert not DurableTask.objects.exists()


def test_a_rolled_back_change_leaves_nothing_to_run(django_capture_on_commit_callbacks):
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(record_queue_probe, token)
        raise RuntimeError("the change fails")
    assert not DurableTask.objects.exists()
    assert not _probed(token)


def test_a_run_lost_at_the_commit_is_enqueued_by_the_sweep(django_capture_on_commit_callbacks):
    """The queue was unreachable, or the process died, between the commit and the enqueue."""
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue never happens
        enqueue_after_commit(record_queue_probe, token)
    now = timezone.now()

    # A run may still be waiting in a busy queue: the sweep leaves it alone for a while.
    assert durable.durable_tasks_sweep(now=now + QUEUE_GRACE - timedelta(seconds=1)) == 0
    assert durable.durable_tasks_sweep(now=now + QUEUE_GRACE + timedelta(seconds=1)) == 1
    assert _probed(token)
    assert not DurableTask.objects.exists()


def test_a_worker_that_died_mid_task_is_replaced_once_its_claim_runs_out(django_capture_on_commit_callbacks):
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_after_commit(record_queue_probe, token)
    row = DurableTask.objects.get()
    started = timezone.now() - timedelta(minutes=30)
    assert durable._claim(row.pk, started)  # a worker took it half an hour ago, then was killed
    DurableTask.objects.filter(pk=row.pk).update(next_attempt_at=started + QUEUE_GRACE)

    # While the claim holds, neither the sweep nor a second run touches it.
    holding = started + timedelta(seconds=CLAIM_SECONDS - 1)
    assert durable.durable_tasks_sweep(now=holding) == 0
    assert durable.durable_run(row_id=row.pk, now=holding) is False
    assert not _probed(token)

    assert durable.durable_tasks_sweep() == 1  # the claim ran out: another worker runs it
    assert _probed(token)
    assert not DurableTask.objects.exists()


def test_one_row_runs_once_however_often_it_is_enqueued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_after_commit(record_queue_probe, uuid.uuid4().hex)
    row_id = DurableTask.objects.get().pk
    assert durable.durable_run(row_id=row_id) is True
    assert durable.durable_run(row_id=row_id) is False  # a repeated queue delivery: the row is gone


def test_a_failure_is_tried_again_later_then_given_up(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(always_fails, "sms-1")
    row = DurableTask.objects.get()
    assert (row.attempts, row.claimed_until, row.finished_at) == (1, None, None)
    assert row.last_error == "ProviderDown: no answer for sms-1"
    assert row.next_attempt_at > timezone.now()

    moment = timezone.now()
    for attempt in range(2, MAX_ATTEMPTS + 1):
        moment += timedelta(hours=1)
        assert durable.durable_tasks_sweep(now=moment) == 1
        assert DurableTask.objects.get().attempts == attempt
    row = DurableTask.objects.get()
    assert row.finished_at is not None
    assert "given up after 5 attempts" in caplog.text
    assert durable.durable_tasks_sweep(now=moment + timedelta(days=1)) == 0  # never again
    durable.durable_tasks_sweep(now=row.finished_at + KEEP_FINISHED + timedelta(seconds=1))
    assert not DurableTask.objects.exists()  # kept a week for whoever looks into it, then deleted


def test_a_once_key_enqueues_once_until_a_week_after(django_capture_on_commit_callbacks):
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_after_commit(record_queue_probe, first, once_key="help-gw-1") is True
        assert enqueue_after_commit(record_queue_probe, second, once_key="help-gw-1") is False
    assert _probed(first) and not _probed(second)
    row = DurableTask.objects.get()
    assert row.finished_at is not None  # kept, so that the key keeps holding

    durable.durable_tasks_sweep(now=row.finished_at + KEEP_FINISHED + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_after_commit(record_queue_probe, second, once_key="help-gw-1") is True
    assert _probed(second)


def test_a_task_that_no_longer_exists_counts_as_a_failure(django_capture_on_commit_callbacks):
    """A row written by an older release whose task was renamed: an error to see, not a crash."""
    now = timezone.now()
    row = DurableTask.objects.create(task_path="sikim.core.tasks.renamed_long_ago", next_attempt_at=now, created_at=now)
    assert durable.durable_run(row_id=row.pk) is False
    row.refresh_from_db()
    assert row.attempts == 1 and row.last_error.startswith("ImportError")
