"""Writes for government offices: creating and changing them, and naming their officers.

Who: a national administrator anywhere; a pembina for offices whose jurisdiction lies inside
their region subtree (`OfficeAction.MANAGE`). Every change is audited.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.services import role_grant
from sikim.audit.services import audit_record, model_snapshot
from sikim.offices.models import GovernmentOffice
from sikim.offices.permissions import OfficeAction
from sikim.offices.selectors import OFFICER_ROLES


def office_unique_slug(name: str) -> str:
    base = (slugify(name) or "instansi")[:190]
    slug, n = base, 2
    while GovernmentOffice.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def office_save(*, actor: Any, office: GovernmentOffice) -> GovernmentOffice:
    """Create or change an office inside the actor's region subtree."""
    creating = office.pk is None
    if not creating:
        # The office as it is now must be theirs too: no moving someone else's office in.
        authz.require(actor, OfficeAction.MANAGE, GovernmentOffice.objects.get(pk=office.pk))
    authz.require(actor, OfficeAction.MANAGE, office)
    before = None if creating else model_snapshot(GovernmentOffice.objects.get(pk=office.pk))
    if not office.slug:
        office.slug = office_unique_slug(office.name)
    office.full_clean()
    office.save()
    audit_record(
        actor=actor,
        action="offices.office.create" if creating else "offices.office.update",
        obj=office,
        before=before,
        after=model_snapshot(office),
    )
    return office


@transaction.atomic
def office_set_active(*, actor: Any, office: GovernmentOffice, is_active: bool) -> GovernmentOffice:
    authz.require(actor, OfficeAction.MANAGE, office)
    if office.is_active == is_active:
        return office
    office.is_active = is_active
    office.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="offices.office.activate" if is_active else "offices.office.deactivate",
        obj=office,
        before={"is_active": not is_active},
        after={"is_active": is_active},
    )
    return office


def office_officer_add(
    *, actor: User, office: GovernmentOffice, user: User, role: str = Role.PETUGAS_INSTANSI
) -> RoleGrant:
    """Make `user` an officer of `office` (a role grant naming the office; audited there)."""
    if role not in OFFICER_ROLES:
        raise ValidationError({"role": _("An office officer is a petugas instansi or a PPID.")})
    return role_grant(actor=actor, user=user, role=role, organisation=office)
