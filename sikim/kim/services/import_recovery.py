"""Picking up member imports whose worker died, and forgetting previews nobody confirmed.

Huey takes a task off the queue when a worker starts it, so a worker killed in the middle of
an import (a restart, a power cut) loses the task while the import stays "running" and its
transaction rolls back. The periodic `member_imports_resume` task finds such imports and
queues them again; applying is idempotent, so a duplicate run does nothing.

An uploaded file holds members' NIK, phone numbers and addresses. It is deleted once applied;
a preview left unconfirmed is deleted with its file after PREVIEW_KEPT (nothing was imported
from it, so nothing is lost but the upload).
"""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from sikim.kim import tasks as kim_tasks
from sikim.kim.models import ImportStatus, MemberImport

# An import of the largest allowed file (20,000 rows) takes well under a minute.
STALLED_AFTER = timedelta(minutes=10)
PREVIEW_KEPT = timedelta(days=2)


def _enqueue(member_import_id: int, actor_id: int | None) -> None:
    kim_tasks.member_import_run.enqueue(member_import_id, actor_id)


def member_imports_resume_stalled(*, now: datetime | None = None) -> int:
    """Queue again every import left "running" for longer than STALLED_AFTER; returns how many."""
    moment = now or timezone.now()
    resumed = 0
    stalled = MemberImport.objects.filter(status=ImportStatus.RUNNING, updated_at__lt=moment - STALLED_AFTER)
    for member_import in stalled.only("pk", "uploaded_by_id"):
        with transaction.atomic():
            # Touch it so the next sweep waits another STALLED_AFTER before trying again.
            claimed = MemberImport.objects.filter(
                pk=member_import.pk, status=ImportStatus.RUNNING, updated_at__lt=moment - STALLED_AFTER
            ).update(updated_at=moment)
            if claimed:
                transaction.on_commit(partial(_enqueue, member_import.pk, member_import.uploaded_by_id))
                resumed += 1
    return resumed


def member_imports_expire_previews(*, now: datetime | None = None) -> int:
    """Delete the previews (and their files) older than PREVIEW_KEPT; returns how many."""
    moment = now or timezone.now()
    expired = 0
    old = MemberImport.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=moment - PREVIEW_KEPT)
    for member_import in old.only("pk", "file"):
        with transaction.atomic():
            # Only if it is still a preview: a confirmation at this very moment wins.
            deleted, _ = MemberImport.objects.filter(pk=member_import.pk, status=ImportStatus.PREVIEW).delete()
            if deleted:
                name = member_import.file.name
                if name:
                    storage = member_import.file.storage
                    transaction.on_commit(partial(storage.delete, name))
                expired += 1
    return expired
