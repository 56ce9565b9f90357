"""Reads for accounts, already limited to what the viewer may see."""

from django.db.models import QuerySet

from sikim.accounts import authz
from sikim.accounts.authz import Action, AnyUser
from sikim.accounts.models import ApiToken, RoleGrant, User
from sikim.wilayah.models import Region, RegionLevel


def role_grants_of(user: AnyUser) -> QuerySet[RoleGrant]:
    """A person's own active role grants, with what they apply to, for their profile."""
    if not user.is_authenticated:
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("region", "organisation_type")
        .prefetch_related("organisation")
        .order_by("role", "region_id", "organisation_id")
    )


def role_grants_visible_to(actor: AnyUser) -> QuerySet[RoleGrant]:
    """Role grants an administrator may look at: everything for a national admin,
    grants inside their region subtree for someone who may grant roles there."""
    return (
        RoleGrant.objects.filter(authz.region_scope_q(actor, Action.ROLE_GRANT, "region"))
        .select_related("user", "region", "organisation_type", "granted_by")
        .prefetch_related("organisation")
    )


def users_visible_to_admin(actor: AnyUser) -> QuerySet[User]:
    """Accounts shown in the admin: all of them for a national admin, none for anyone else."""
    if not authz.is_national_admin(actor):
        return User.objects.none()
    return User.objects.select_related("home_region")


def api_tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """A person's own tokens that are not revoked (expired ones included, marked as such)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def api_token_of(user: AnyUser, token_id: int) -> ApiToken | None:
    """One of the person's own tokens; None for someone else's (callers answer 404)."""
    if not user.is_authenticated:
        return None
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def village_by_code(code: str) -> Region | None:
    """The desa/kelurahan with this Kemendagri code, or None."""
    code = (code or "").strip()
    if not code or len(code) > 13:
        return None
    return Region.objects.filter(code=code, level=RegionLevel.DESA_KELURAHAN).first()


def api_tokens_visible_to_admin(actor: AnyUser) -> QuerySet[ApiToken]:
    """Every token (never its hash) for a national admin; none for anyone else."""
    if not authz.is_national_admin(actor):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user")
