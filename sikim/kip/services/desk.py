"""Writes the PPID desk needs beyond the request services: publishing a response only once."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.kip.models import Decision, RegisterEntry
from sikim.kip.permissions import KipAction
from sikim.kip.services.common import lock
from sikim.kip.services.register import register_publish_response


@transaction.atomic
def decision_publish_once(*, actor: Any, decision: Decision, title: str, now: datetime | None = None) -> RegisterEntry:
    """`register_publish_response`, refused when this decision's response is already in the register."""
    if not authz.can(actor, KipAction.MANAGE_REGISTER, decision.request):
        raise PermissionDenied
    lock(decision.request)
    existing = RegisterEntry.objects.filter(source_decision=decision).first()
    if existing is not None:
        raise ValidationError(
            _("This response is already in the register as “%(title)s”.") % {"title": existing.title},
            code="already_published",
        )
    return register_publish_response(actor=actor, decision=decision, title=title, now=now)
