"""The one place that answers "may this user do this to this object?".

Views, the API, the admin and selectors all ask here; nothing else decides permissions.

A user holds role grants (`RoleGrant`). Each role may perform a fixed set of actions
(`ROLE_ACTIONS`). A grant covers an object when the object lies inside the grant's region
subtree, or belongs to the grant's organisation. Objects describe where they are by
offering one or both of:

- `authz_region_code`: the Kemendagri code of the region the object sits in;
- `authz_organisations()`: `(content_type_id, pk)` pairs of the organisations it belongs to.

Selectors use `region_scope_q` / `organisation_scope_q` to filter querysets the same way.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from sikim.accounts.models import Role, RoleGrant, User
from sikim.wilayah.models import code_in_subtree, subtree_q


class Action(StrEnum):
    # Platform
    AUDIT_VIEW = "audit.view"
    ROLE_GRANT = "role.grant"
    REGION_EDIT = "region.edit"
    USER_VIEW_PERSONAL_DATA = "user.view_personal_data"


ALL_ACTIONS = frozenset(Action)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: ALL_ACTIONS,
    Role.PEMBINA: frozenset({Action.AUDIT_VIEW, Action.ROLE_GRANT, Action.USER_VIEW_PERSONAL_DATA}),
    Role.PENGURUS_KIM: frozenset(),
    Role.ANGGOTA_KIM: frozenset(),
    Role.WARGA: frozenset(),
    Role.PETUGAS_INSTANSI: frozenset(),
    Role.PPID: frozenset(),
}


def register_role_actions(role: str, actions: Iterable[str]) -> None:
    """Lets a domain app add its own actions to a role (called from its AppConfig.ready)."""
    ROLE_ACTIONS[role] = ROLE_ACTIONS[role] | frozenset(actions)
    if role != Role.NATIONAL_ADMIN:
        ROLE_ACTIONS[Role.NATIONAL_ADMIN] = ROLE_ACTIONS[Role.NATIONAL_ADMIN] | frozenset(actions)


class Scoped(Protocol):
    @property
    def authz_region_code(self) -> str | None: ...


AnyUser = User | AnonymousUser

_GRANTS_CACHE = "_sikim_active_grants"


def active_grants(user: AnyUser) -> list[RoleGrant]:
    """The user's unrevoked grants, read once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _GRANTS_CACHE, None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user, revoked_at__isnull=True).select_related("region"))
        setattr(user, _GRANTS_CACHE, cached)
    return cached


def forget_grants(user: AnyUser) -> None:
    """Called by services that change a user's grants."""
    if hasattr(user, _GRANTS_CACHE):
        delattr(user, _GRANTS_CACHE)


def is_national_admin(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or any(g.role == Role.NATIONAL_ADMIN for g in active_grants(user))


def has_role(user: AnyUser, *roles: str) -> bool:
    return any(g.role in roles for g in active_grants(user))


def _object_organisations(obj: Any) -> set[tuple[int, int]]:
    getter = getattr(obj, "authz_organisations", None)
    return set(getter()) if getter else set()


def grant_covers(grant: RoleGrant, obj: Any) -> bool:
    """Whether one grant reaches `obj` (None means "the action in general")."""
    if grant.role == Role.NATIONAL_ADMIN:
        return True
    if obj is None:
        return True
    if grant.region_id is not None:
        code = getattr(obj, "authz_region_code", None)
        if code and code_in_subtree(code, grant.region_id):
            return True
    return grant.organisation_id is not None and (
        grant.organisation_type_id,
        grant.organisation_id,
    ) in _object_organisations(obj)


def can(user: AnyUser, action: str, obj: Any = None) -> bool:
    """May `user` perform `action` on `obj`? With `obj=None`: on anything at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for grant in active_grants(user):
        if action in ROLE_ACTIONS.get(grant.role, frozenset()) and grant_covers(grant, obj):
            return True
    return False


def require(user: AnyUser, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


def _grants_for_action(user: AnyUser, action: str) -> list[RoleGrant]:
    return [g for g in active_grants(user) if action in ROLE_ACTIONS.get(g.role, frozenset())]


NOTHING = Q(pk__in=[])


def region_scope_q(user: AnyUser, action: str, field: str) -> Q:
    """A filter for rows whose region `field` lies inside the user's grants for `action`.

    `Q()` (everything) for a national admin; a filter that matches nothing for a user
    without such a grant.
    """
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    q = NOTHING
    for grant in _grants_for_action(user, action):
        if grant.role == Role.NATIONAL_ADMIN:
            return Q()
        if grant.region_id is not None:
            q |= subtree_q(field, grant.region_id)
    return q


def organisation_ids(user: AnyUser, action: str, content_type_id: int) -> set[int]:
    """Primary keys of the organisations of one type the user may act for with `action`."""
    return {
        g.organisation_id
        for g in _grants_for_action(user, action)
        if g.organisation_type_id == content_type_id and g.organisation_id is not None
    }


def granted_region_codes(user: AnyUser, action: str) -> list[str] | None:
    """The region codes the user's grants for `action` cover; None means all of Indonesia."""
    if is_national_admin(user):
        return None
    return sorted({g.region_id for g in _grants_for_action(user, action) if g.region_id})
