"""Dissemination background work. Tasks only call services and are safe to run twice: the unique
delivery per (bulletin, member, channel) and the claim on each delivery make re-runs send nothing twice."""

from django.tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sikim.dissemination.services import fanout, sending


@task()
def fanout_run(run_id: int) -> int:
    """Create a fan-out's deliveries and enqueue them in batches; returns the number of batches."""
    run = fanout.fanout_execute(run_id=run_id, enqueue=lambda ids: deliveries_send_batch.enqueue(ids))
    return run.batches


@task()
def deliveries_send_batch(delivery_ids: list[int]) -> int:
    """Send one batch of deliveries (about 500); returns how many were sent now."""
    return sending.deliveries_send(delivery_ids=delivery_ids).sent


# Every minute: release claims of workers that died, apply receipts that came before their
# delivery's provider id, re-enqueue retries that are due, publish scheduled bulletins and
# expire old ones. Huey schedules it; it only calls services.
@db_periodic_task(crontab(minute="*"))
def dissemination_sweep() -> None:
    from sikim.dissemination.services.bulletins import bulletins_publish_due
    from sikim.dissemination.services.receipts import early_receipts_apply

    bulletins_publish_due()
    sending.deliveries_release_stale()
    early_receipts_apply()
    due = sending.deliveries_due()
    for start in range(0, len(due), fanout.BATCH_SIZE):
        deliveries_send_batch.enqueue(due[start : start + fanout.BATCH_SIZE])
