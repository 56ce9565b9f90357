"""KIM background work. Tasks only call services and are safe to run twice (queues deliver at
least once): re-running an import that is already done does nothing."""

from django.tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sikim.kim.services import member_import


@task()
def member_import_run(member_import_id: int, actor_id: int | None) -> str:
    """Apply a confirmed member import in one transaction; returns its final status."""
    return member_import.member_import_apply_by_id(member_import_id=member_import_id, actor_id=actor_id)


# Every five minutes on a worker running periodic tasks (`run_huey` does by default; see
# docs/deploy.md for running them on one worker only). Huey schedules it; it only calls a service.
@db_periodic_task(crontab(minute="*/5"))
def member_imports_resume() -> None:
    from sikim.kim.services.import_recovery import member_imports_expire_previews, member_imports_resume_stalled

    member_imports_resume_stalled()
    member_imports_expire_previews()
