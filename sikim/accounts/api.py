"""/api/v1/accounts/: who am I, and my personal API tokens."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from sikim.accounts import selectors, services
from sikim.accounts.models import ApiToken, RoleGrant, User
from sikim.core.api_errors import ApiError

router = Router()


class RoleGrantOut(Schema):
    role: str
    role_label: str
    region_code: str | None
    region_name: str | None
    organisation_type: str | None
    organisation_id: int | None
    organisation_name: str | None

    @staticmethod
    def from_grant(grant: RoleGrant) -> "RoleGrantOut":
        organisation = grant.organisation if grant.organisation_id is not None else None
        return RoleGrantOut(
            role=grant.role,
            role_label=str(grant.get_role_display()),
            region_code=grant.region_id,
            region_name=grant.region.full_name if grant.region else None,
            organisation_type=grant.organisation_type.model if grant.organisation_type else None,
            organisation_id=grant.organisation_id,
            organisation_name=str(organisation) if organisation is not None else None,
        )


class MeOut(Schema):
    id: int
    full_name: str
    email: str | None
    phone: str | None = Field(description="Always +62…")
    home_region_code: str | None
    home_region_name: str | None
    preferred_language: str
    date_joined: datetime
    roles: list[RoleGrantOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    scope: Literal["read", "write"]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="The token itself. Shown only in this answer: store it now.")


class ApiTokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="What the token is for.")
    scope: Literal["read", "write"] = "read"
    expires_at: AwareDatetime | None = Field(default=None, description="When it stops working; none: never.")


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, str]]


def _caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):  # the API's auth always sets a User; this is a safety net
        raise ApiError(401, "unauthenticated", _("Log in or send a valid API token."))
    return user


def _token_out(token: ApiToken) -> ApiTokenOut:
    return ApiTokenOut.model_validate(token, from_attributes=True)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The caller's own profile and roles")
def me(request: HttpRequest) -> MeOut:
    user = _caller(request)
    return MeOut(
        id=user.pk,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        home_region_code=user.home_region_id,
        home_region_name=user.home_region.full_name if user.home_region else None,
        preferred_language=user.preferred_language,
        date_joined=user.date_joined,
        roles=[RoleGrantOut.from_grant(grant) for grant in selectors.role_grants_of(user)],
    )


@router.get("/tokens", response={200: list[ApiTokenOut], 401: ErrorOut}, summary="The caller's unrevoked tokens")
def token_list(request: HttpRequest) -> list[ApiTokenOut]:
    return [_token_out(token) for token in selectors.api_tokens_of(_caller(request))]


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, 401: ErrorOut, 422: ErrorOut},
    summary="Create a token (needs a session or a write token); the token is in this answer only",
)
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[ApiTokenCreatedOut]:
    token, plain = services.api_token_create(
        actor=_caller(request), name=payload.name, scope=payload.scope, expires_at=payload.expires_at
    )
    return Status(201, ApiTokenCreatedOut(**_token_out(token).model_dump(), token=plain))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    summary="Revoke one of the caller's tokens",
)
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user = _caller(request)
    token = selectors.api_token_of(user, token_id)
    if token is None:
        raise ApiError(404, "not_found", _("No such token."))
    services.api_token_revoke(actor=user, token=token)
    return Status(204, None)
