"""Row locks for services that change one object under concurrent requests and tasks."""

from django.core.exceptions import ValidationError
from django.db import models


def lock_row[M: models.Model](instance: M, *, gone_message: str) -> M:
    """Lock the instance's row for this transaction and bring the caller's copy up to date.

    Call inside `transaction.atomic`. A row deleted meanwhile is a ValidationError with
    `gone_message`. Related objects cached on the copy (one-to-one reverses, foreign keys) are
    dropped, so the next access reads them under the lock too.
    """
    if not type(instance)._default_manager.select_for_update().filter(pk=instance.pk).exists():
        raise ValidationError(gone_message)
    instance.refresh_from_db()
    instance._state.fields_cache.clear()
    return instance
