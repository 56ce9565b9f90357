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


def _office_name(region_name: str, kind: str) -> str:
    if kind == "provinsi":
        return f"Dinas Komunikasi dan Informatika Provinsi {region_name}"
    # Kabupaten/kota names in the Kemendagri data already say "Kabupaten …" or "Kota …".
    return f"Dinas Komunikasi dan Informatika {region_name}"


@transaction.atomic
def pembina_offices_create_all(*, actor: Any = None) -> int:
    """Create the Dinas Kominfo of every province and kabupaten/kota that has none yet.

    Run by `manage.py create_pembina_offices` (and `make run`); idempotent. Offices that
    exist keep their name and contacts. KIMs without an office get the nearest one.
    """
    from django.utils.text import slugify

    from sikim.wilayah.models import Region, RegionLevel

    existing = set(PembinaOffice.objects.values_list("region_id", flat=True))
    taken_slugs = set(PembinaOffice.objects.values_list("slug", flat=True))
    new_offices = []
    for region in Region.objects.filter(level__lte=RegionLevel.KABUPATEN_KOTA).exclude(code__in=existing):
        name = _office_name(region.name, region.kind)
        slug = slugify(f"diskominfo-{region.name}")[:200]
        if slug in taken_slugs:
            slug = slugify(f"diskominfo-{region.name}-{region.code}")[:200]
        taken_slugs.add(slug)
        new_offices.append(PembinaOffice(name=name, slug=slug, region=region))
    PembinaOffice.objects.bulk_create(new_offices, batch_size=1000)
    # The office of a KIM is its kabupaten/kota's, or else its province's.
    offices = dict(PembinaOffice.objects.values_list("region_id", "pk"))
    orphans = list(Kim.objects.filter(pembina_office__isnull=True).only("pk", "region_id"))
    for kim in orphans:
        parts = kim.region_id.split(".")
        kim.pembina_office_id = offices.get(".".join(parts[:2])) or offices.get(parts[0])
    Kim.objects.bulk_update(orphans, ["pembina_office"], batch_size=1000)
    if new_offices:
        audit_record(actor=actor, action="kim.pembina_office.create_all", after={"created": len(new_offices)})
    return len(new_offices)
