"""The fan-out: one delivery row per recipient per channel, created set-based, then sent in batches.

Rows are created with one `INSERT INTO dissemination_delivery … SELECT … ON CONFLICT DO NOTHING`
per channel, straight from the audience query: no member is loaded into Python. The unique
constraint (bulletin, member, channel) makes re-running a fan-out (a retried task, a worker killed
half-way) create nothing twice. Send tasks then carry batches of delivery ids.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from sikim.dissemination import selectors
from sikim.dissemination.models import (
    MESSAGING_CHANNELS,
    Bulletin,
    Delivery,
    DeliveryStatus,
    FanOutRun,
    FanOutStatus,
)
from sikim.kim.models import Kim, KimMember

BATCH_SIZE = 500


def _audience_sql(queryset: QuerySet[KimMember]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.annotate(audience_member_id=F("pk")).values("audience_member_id").query.sql_with_params()
    return sql, tuple(params)


def deliveries_create_for_channel(*, bulletin: Bulletin, channel: str, audience: QuerySet[KimMember]) -> int:
    """Insert the deliveries of one channel for everyone in `audience` who may get it. Returns rows added."""
    member_sql, params = _audience_sql(audience.filter(selectors.CHANNEL_Q[channel]))
    table = Delivery._meta.db_table
    # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
    # The table name comes from the model and the member SQL from the ORM (values stay parameters).
    sql = (
        f'INSERT INTO "{table}" ("bulletin_id", "member_id", "channel") '  # noqa: S608
        f'SELECT %s, "audience"."audience_member_id", %s FROM ({member_sql}) AS "audience" WHERE 1 = 1 '
        f'ON CONFLICT ("bulletin_id", "member_id", "channel") DO NOTHING'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (bulletin.pk, channel, *params))
        return max(cursor.rowcount, 0)


def deliveries_copy_from(*, bulletin: Bulletin, original: Bulletin) -> int:
    """A correction goes to exactly the members and channels the original went to."""
    table = Delivery._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ("bulletin_id", "member_id", "channel") '  # noqa: S608
        f'SELECT %s, "member_id", "channel" FROM "{table}" WHERE "bulletin_id" = %s '
        f'ON CONFLICT ("bulletin_id", "member_id", "channel") DO NOTHING'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (bulletin.pk, original.pk))
        return max(cursor.rowcount, 0)


def _run_deliveries(run: FanOutRun) -> QuerySet[Delivery]:
    qs = Delivery.objects.filter(bulletin_id=run.bulletin_id)
    if run.kim_id is not None:
        qs = qs.filter(member__kim_id=run.kim_id)
    return qs


def fanout_create_deliveries(*, run: FanOutRun) -> int:
    """Create the run's deliveries (idempotent); returns how many rows were added now."""
    bulletin = run.bulletin
    added = 0
    with transaction.atomic():
        if bulletin.corrects_id and run.kim_id is None:
            assert bulletin.corrects is not None
            added = deliveries_copy_from(bulletin=bulletin, original=bulletin.corrects)
        else:
            kim: Kim | None = run.kim
            audience = selectors.audience_for(bulletin, kim=kim) if kim else selectors.direct_audience_for(bulletin)
            for channel in MESSAGING_CHANNELS:
                added += deliveries_create_for_channel(bulletin=bulletin, channel=channel, audience=audience)
    total = _run_deliveries(run).count()
    FanOutRun.objects.filter(pk=run.pk).update(total=total, created=total, status=FanOutStatus.SENDING)
    return added


def queued_batches(run: FanOutRun, size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """The run's queued delivery ids in batches, read by keyset over the primary key."""
    qs = _run_deliveries(run).filter(status=DeliveryStatus.QUEUED, next_attempt_at__isnull=True)
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def fanout_execute(*, run_id: int, enqueue: Callable[[list[int]], object]) -> FanOutRun:
    """Create the deliveries of a run and hand them to the senders in batches. Safe to re-run."""
    run = FanOutRun.objects.select_related("bulletin__corrects", "kim").get(pk=run_id)
    FanOutRun.objects.filter(pk=run.pk).update(status=FanOutStatus.CREATING)
    fanout_create_deliveries(run=run)
    batches = 0
    for ids in queued_batches(run):
        enqueue(ids)
        batches += 1
    FanOutRun.objects.filter(pk=run.pk).update(batches=batches, status=FanOutStatus.SENDING)
    if not _run_deliveries(run).filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists():
        FanOutRun.objects.filter(pk=run.pk).update(status=FanOutStatus.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run
