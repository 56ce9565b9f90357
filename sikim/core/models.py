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
