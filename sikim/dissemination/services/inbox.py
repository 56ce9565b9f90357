"""The cascade: a bulletin from above in a KIM's inbox, re-disseminated to the KIM's members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser, require
from sikim.audit.services import audit_record
from sikim.dissemination.models import (
    InboxStatus,
    KimDisseminationSetting,
    KimInboxItem,
    RedisseminationMode,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.services.bulletins import _start_fanout
from sikim.kim.models import Kim


@transaction.atomic
def kim_inbox_redisseminate(*, actor: AnyUser, item: KimInboxItem, local_note: str = "") -> KimInboxItem:
    """The pengurus (or pembina) passes a bulletin on to the KIM's members with a local note."""
    locked = KimInboxItem.objects.select_for_update().select_related("kim", "bulletin").get(pk=item.pk)
    require(actor, DisseminationAction.REDISSEMINATE, locked.kim)
    if locked.status == InboxStatus.REDISSEMINATED:
        raise ValidationError(_("This bulletin has already been re-disseminated."))
    if len(local_note) > 2000:
        raise ValidationError({"local_note": _("The local note is too long (2,000 characters at most).")})
    locked.status = InboxStatus.REDISSEMINATED
    locked.local_note = local_note.strip()
    locked.redisseminated_at = timezone.now()
    locked.redisseminated_by = actor if actor.is_authenticated else None
    locked.save(update_fields=["status", "local_note", "redisseminated_at", "redisseminated_by"])
    _start_fanout(locked.bulletin, locked.kim)
    audit_record(
        actor=actor, action="bulletin.redisseminate", obj=locked.bulletin, region_code=locked.kim.region_id,
        after={"kim": locked.kim_id, "local_note": locked.local_note},
    )  # fmt: skip
    return locked


@transaction.atomic
def kim_dissemination_setting_set(
    *, actor: AnyUser, kim: Kim, mode: str, default_note: str = ""
) -> KimDisseminationSetting:
    """Choose whether bulletins from above reach the KIM's members automatically or after approval."""
    require(actor, DisseminationAction.MANAGE_SETTINGS, kim)
    if mode not in RedisseminationMode.values:
        raise ValidationError({"mode": _("Unknown re-dissemination mode.")})
    setting, _created = KimDisseminationSetting.objects.update_or_create(
        kim=kim, defaults={"mode": mode, "default_note": default_note.strip()[:500]}
    )
    audit_record(actor=actor, action="kim.dissemination_setting", obj=kim, after={"mode": mode})
    return setting
