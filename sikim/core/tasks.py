"""Platform tasks. Every task runs through `django.tasks`, which hands it to Huey."""

import os

from django.tasks import task

from sikim.core.models import QueueProbe


@task()
def record_queue_probe(token: str) -> int:
    """Write down which process ran this task, so a test or an operator can see a worker is alive.

    Idempotent like every task (a queue may deliver twice): the first run wins.
    Returns the id of the process that recorded the probe.
    """
    probe, _created = QueueProbe.objects.get_or_create(token=token, defaults={"worker_pid": os.getpid()})
    return probe.worker_pid
