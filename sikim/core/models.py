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
