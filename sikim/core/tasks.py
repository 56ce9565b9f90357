"""Platform tasks. Every task runs through `django.tasks`, which hands it to Huey."""

import os

from django.tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sikim.core.durable import durable_task_run, durable_tasks_sweep
from sikim.core.models import QueueProbe

__all__ = ["core_durable_sweep", "durable_task_run", "record_queue_probe"]


@task()
def record_queue_probe(token: str) -> int:
    """Write down which process ran this task, so a test or an operator can see a worker is alive.

    Idempotent like every task (a queue may deliver twice): the first run wins.
    Returns the id of the process that recorded the probe.
    """
    probe, _created = QueueProbe.objects.get_or_create(token=token, defaults={"worker_pid": os.getpid()})
    return probe.worker_pid


# Every five minutes: durable tasks (notices, replies) that failed, lost their worker or were
# never enqueued (`sikim.core.durable`).
@db_periodic_task(crontab(minute="*/5"))
def core_durable_sweep() -> None:
    durable_tasks_sweep()
