"""Tasks that must run at least once, even when the worker running them dies.

Huey takes a task off the queue before it runs it, so a worker killed outright (SIGKILL, power
loss) loses the task it was running, and a queue that is unreachable at the commit loses the task
enqueued then. Most work does not mind: periodic work comes round again, and member imports and
fan-outs have sweeps of their own. A notice to a citizen, the reply that carries their ticket
code, or the photo they sent with it must not be lost that way.

`enqueue_after_commit(task, *args, **kwargs)`, called inside the transaction of the change,
writes a DurableTask row; after the commit it enqueues `durable_task_run(row id)`, which claims
the row (a conditional UPDATE only one worker wins), runs the task in the worker and deletes the
row. An exception counts as a failed attempt, tried again later (RETRY_BACKOFF times the attempts,
MAX_ATTEMPTS in all); a task raises TryAgainLater for a failure it expects (a provider down).
`durable_tasks_sweep`, every five minutes, enqueues the rows whose time has come: a failure's
retry, a claim that ran out because its worker died, a row nobody enqueued.

At least once, not exactly once: a worker killed after a send but before it deletes the row sends
again. That is why the notices carry keys (SMS `reference`, email Message-ID) by which the gateway
and the mail reader recognise a repeat.

A `once_key` makes the enqueue itself happen once: a second call with the same key, from any
process, within KEEP_FINISHED of the first, does nothing (the help reply to a message that the
provider delivers again).
"""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final

from django.db import transaction
from django.db.models import Q
from django.tasks import Task, task
from django.utils import timezone
from django.utils.module_loading import import_string

from sikim.core.models import DurableTask

logger = logging.getLogger(__name__)

# Longer than any of these tasks takes (a notice: a few sends of SIKIM_CHANNEL_TIMEOUT each).
CLAIM_SECONDS: Final = 10 * 60
# How long an enqueued run may wait in a busy queue before the sweep enqueues the row again.
QUEUE_GRACE: Final = timedelta(minutes=10)
RETRY_BACKOFF: Final = timedelta(minutes=5)  # times the number of failed attempts
MAX_ATTEMPTS: Final = 5
# Finished rows with a once_key, and rows given up on, are kept this long, then deleted.
KEEP_FINISHED: Final = timedelta(days=7)
SWEEP_BATCH: Final = 1000


class TryAgainLater(Exception):
    """Raised by a durable task for an expected failure (a provider that does not answer): logged
    as a warning with its message alone, no traceback, and tried again later like any failure."""


def enqueue_after_commit(task_to_run: Task, *args: Any, once_key: str | None = None, **kwargs: Any) -> bool:
    """Inside the transaction of a change: run `task_to_run(*args, **kwargs)` in a worker after
    the commit, at least once. The arguments must be JSON values. Returns False when a row with
    `once_key` already exists (nothing is enqueued)."""
    now = timezone.now()
    fields = {
        "task_path": task_to_run.module_path,
        "arguments": list(args),
        "keyword_arguments": kwargs,
        "next_attempt_at": now + QUEUE_GRACE,
        "created_at": now,
    }
    if once_key is None:
        row = DurableTask.objects.create(**fields)
    else:
        row, created = DurableTask.objects.get_or_create(once_key=once_key, defaults=fields)
        if not created:
            return False
    transaction.on_commit(partial(_enqueue, row.pk))
    return True


def _enqueue(row_id: int) -> None:
    try:
        durable_task_run.enqueue(row_id)
    except Exception:  # noqa: BLE001 — the row is saved; the sweep enqueues it later
        logger.exception("Could not queue durable task %s; the sweep will", row_id)


def _claim(row_id: int, now: datetime) -> bool:
    """Only one worker wins an unfinished row that nobody holds: the claim holds it CLAIM_SECONDS."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    won = (
        DurableTask.objects.filter(free, pk=row_id, finished_at__isnull=True)
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )  # fmt: skip
    return won == 1


def _failed(row: DurableTask, error: Exception, now: datetime) -> None:
    attempts = row.attempts + 1
    text = f"{error.__class__.__name__}: {error}"[:500]
    if attempts >= MAX_ATTEMPTS:
        logger.error("Durable task %s (%s) given up after %d attempts: %s", row.pk, row.task_path, attempts, text)
        DurableTask.objects.filter(pk=row.pk).update(
            attempts=attempts, last_error=text, claimed_until=None, finished_at=now
        )
        return
    logger.warning("Durable task %s (%s) failed, tried again later: %s", row.pk, row.task_path, text)
    DurableTask.objects.filter(pk=row.pk).update(
        attempts=attempts, last_error=text, claimed_until=None, next_attempt_at=now + RETRY_BACKOFF * attempts
    )


def durable_run(*, row_id: int, now: datetime | None = None) -> bool:
    """Claim and run one durable task; True when it ran to its end here."""
    if not _claim(row_id, now or timezone.now()):
        return False  # finished, gone, or another worker has it
    row = DurableTask.objects.get(pk=row_id)
    try:
        target = import_string(row.task_path)
        target.call(*row.arguments, **row.keyword_arguments)
    except TryAgainLater as error:
        _failed(row, error, now or timezone.now())
        return False
    except Exception as error:  # noqa: BLE001 — any failure is an attempt, tried again by the sweep
        logger.exception("Durable task %s (%s) raised", row.pk, row.task_path)
        _failed(row, error, now or timezone.now())
        return False
    if row.once_key is None:
        DurableTask.objects.filter(pk=row.pk).delete()
    else:
        DurableTask.objects.filter(pk=row.pk).update(claimed_until=None, finished_at=now or timezone.now())
    return True


@task()
def durable_task_run(row_id: int) -> bool:
    """Run one durable task (see the module docstring); safe to run twice."""
    return durable_run(row_id=row_id)


def durable_tasks_sweep(*, now: datetime | None = None) -> int:
    """Enqueue the unfinished rows whose time has come, and delete the finished ones kept long
    enough. Returns how many rows were enqueued."""
    now = now or timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = list(
        DurableTask.objects.filter(free, finished_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    # Not again at the next sweep while this run waits in the queue.
    DurableTask.objects.filter(pk__in=due).update(next_attempt_at=now + QUEUE_GRACE)
    for row_id in due:
        _enqueue(row_id)
    DurableTask.objects.filter(finished_at__lt=now - KEEP_FINISHED).delete()
    return len(due)
