"""Writes for the Dinas Kominfo offices (pembina offices) and which office fosters a KIM.

National administrators manage the offices (in the admin); every change is audited.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.audit.services import audit_record, model_snapshot
from sikim.kim.models import Kim, PembinaOffice
from sikim.kim.permissions import KimAction
from sikim.kim.services.lifecycle import _lock
from sikim.wilayah.models import code_in_subtree


def _require_national_admin(actor: Any) -> None:
    authz.require(actor, KimAction.MANAGE_PEMBINA_OFFICE)
    if not authz.is_national_admin(actor):
        raise PermissionDenied


@transaction.atomic
def pembina_office_save(*, actor: Any, office: PembinaOffice) -> PembinaOffice:
    """Create or change a Dinas Kominfo office (national administrators only)."""
    _require_national_admin(actor)
    creating = office.pk is None
    before = None if creating else model_snapshot(PembinaOffice.objects.get(pk=office.pk))
    office.full_clean()
    office.save()
    audit_record(
        actor=actor,
        action="kim.pembina_office.create" if creating else "kim.pembina_office.update",
        obj=office,
        before=before,
        after=model_snapshot(office),
    )
    return office


@transaction.atomic
def pembina_office_delete(*, actor: Any, office: PembinaOffice) -> None:
    _require_national_admin(actor)
    if office.kims.exists():
        raise ValidationError(_("This office still fosters KIMs; move them to another office first."))
    before = model_snapshot(office)
    region_code = office.region_id
    audit_record(actor=actor, action="kim.pembina_office.delete", obj=office, region_code=region_code, before=before)
    office.delete()


@transaction.atomic
def kim_set_pembina_office(*, actor: Any, kim: Kim, office: PembinaOffice | None) -> Kim:
    """Put a KIM under a Dinas Kominfo office whose region contains it (national administrators)."""
    _require_national_admin(actor)
    kim = _lock(kim)
    if office is not None and not code_in_subtree(kim.region_id, office.region_id):
        raise ValidationError({"pembina_office": _("This office does not foster the KIM's region.")})
    if kim.pembina_office_id == (office.pk if office else None):
        return kim
    before = {"pembina_office": kim.pembina_office_id}
    kim.pembina_office = office
    kim.save(update_fields=["pembina_office", "updated_at"])
    audit_record(
        actor=actor,
        action="kim.set_pembina_office",
        obj=kim,
        before=before,
        after={"pembina_office": kim.pembina_office_id},
    )
    return kim
