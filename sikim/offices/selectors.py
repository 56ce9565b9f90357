"""Reads of government offices: which offices act for a place, who works for which office.

Office names, kinds and jurisdictions are public; the officers behind them are not.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.accounts.models import Role, RoleGrant, User
from sikim.offices.models import GovernmentOffice
from sikim.offices.permissions import OfficeAction
from sikim.wilayah.models import Region, subtree_q

SLUG_MAX_LENGTH = 200
# Roles that work for an office (their grant names the office as its organisation).
OFFICER_ROLES = (Role.PETUGAS_INSTANSI, Role.PPID)


def covering_codes(region_code: str) -> list[str]:
    """The region and every region above it: "63", "63.72", "63.72.05", "63.72.05.1004"."""
    return [*Region(code=region_code).ancestor_codes(), region_code]


def offices_covering(region_code: str) -> QuerySet[GovernmentOffice]:
    """Active offices whose jurisdiction contains `region_code` (the nearest first)."""
    return (
        GovernmentOffice.objects.filter(region_id__in=covering_codes(region_code), is_active=True)
        .select_related("region")
        .order_by("-region__level", "name")
    )


def offices_in(region_code: str) -> QuerySet[GovernmentOffice]:
    """Active offices whose jurisdiction lies inside `region_code` (the region's own offices)."""
    return (
        GovernmentOffice.objects.filter(subtree_q("region_id", region_code), is_active=True)
        .select_related("region")
        .order_by("region_id", "name")
    )


def office_public_by_slug(slug: str) -> GovernmentOffice:
    office = GovernmentOffice.objects.select_related("region").filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if office is None:
        raise Http404
    return office


def _office_type_id() -> int:
    return ContentType.objects.get_for_model(GovernmentOffice).pk


def office_ids_for(user: AnyUser, roles: Iterable[str] = OFFICER_ROLES) -> set[int]:
    """Primary keys of the offices `user` works for (active grants naming the office)."""
    type_id = _office_type_id()
    wanted = set(roles)
    return {
        g.organisation_id
        for g in authz.active_grants(user)
        if g.role in wanted and g.organisation_type_id == type_id and g.organisation_id is not None
    }


def offices_of_user(user: AnyUser, roles: Iterable[str] = OFFICER_ROLES) -> QuerySet[GovernmentOffice]:
    """The offices `user` works for, as petugas instansi (or PPID)."""
    return GovernmentOffice.objects.filter(pk__in=office_ids_for(user, roles)).select_related("region").order_by("name")


def officers_of(office: GovernmentOffice, roles: Iterable[str] = (Role.PETUGAS_INSTANSI,)) -> QuerySet[User]:
    """Active users holding an officer grant for this office."""
    user_ids = RoleGrant.objects.filter(
        role__in=list(roles),
        revoked_at__isnull=True,
        organisation_type_id=_office_type_id(),
        organisation_id=office.pk,
    ).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


def offices_for_action(user: AnyUser, action: str) -> QuerySet[GovernmentOffice]:
    """Offices `user` may do `action` to: a pembina their subtree, an officer their own office."""
    offices = GovernmentOffice.objects.select_related("region", "head")
    if authz.is_national_admin(user):
        return offices
    scope = authz.region_scope_q(user, action, "region_id")
    own = authz.organisation_ids(user, action, _office_type_id())
    if own:
        scope |= Q(pk__in=own)
    return offices.filter(scope)


def offices_for_admin(user: AnyUser) -> QuerySet[GovernmentOffice]:
    return offices_for_action(user, OfficeAction.VIEW_INTERNAL)
