from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every SIKIM model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class QueueProbe(models.Model):
    """Written by a task so that /healthz and the tests can see a worker really ran it."""

    token = models.CharField(max_length=64, unique=True)
    worker_pid = models.PositiveIntegerField()
    executed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.token} by pid {self.worker_pid}"


class AnonymousSubmissionCount(models.Model):
    """How many anonymous submissions one client address made in one hour (`core.intake_limit`).

    In the database, so every web process (three gunicorn workers on a laptop, many machines at
    scale) counts against the same limit. The address is stored only as a keyed hash.
    """

    scope = models.CharField(max_length=20)  # "aspiration", "kip", …
    address_hash = models.CharField(max_length=64)  # HMAC-SHA-256 (hex) of the client address
    hour = models.PositiveIntegerField()  # hours since the Unix epoch
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "address_hash", "hour"], name="anonymous_count_once_per_hour"),
        ]
        indexes = [models.Index(fields=["hour"], name="anonymous_count_hour_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.address_hash[:8]} @{self.hour}: {self.count}"


class DurableTask(models.Model):
    """A task whose work must happen even when the worker running it dies: a notice to a citizen,
    the reply with a ticket code (`core.durable`).

    Written in the transaction of the change it belongs to, so it exists exactly when the change
    does; after the commit its run is enqueued. A worker claims the row (`claimed_until`) before it
    runs the task. The row is deleted when the task has run, or kept until `finished_at` is a week
    old when it has a `once_key`, which makes a second enqueue of the same key do nothing.
    `next_attempt_at` is when the sweep enqueues it again: after a failure, after a claim that ran
    out (the worker died), or when the queue was unreachable at the commit.
    """

    task_path = models.CharField(max_length=200)  # the module path of a django.tasks Task
    arguments = models.JSONField(default=list)
    keyword_arguments = models.JSONField(default=dict)
    once_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(task_path=""), name="durable_task_has_path"),
            models.CheckConstraint(condition=~models.Q(once_key=""), name="durable_task_once_key_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} #{self.pk}"
