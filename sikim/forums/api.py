"""/api/v1/forums/: Forum KIM. Reads are public; writes are for the pembina of the forum's region."""

import re
from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from sikim.accounts.models import User
from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.forums import selectors, services
from sikim.forums.models import KimForum
from sikim.kim.models import Kim
from sikim.wilayah.models import REGION_CODE_PATTERN

router = Router()

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")
Level = Literal["kecamatan", "kabupaten_kota", "provinsi", "nasional"]
NO_NUL = r"^[^\x00]*$"


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, str]]


class ForumFilters(Schema):
    level: Level | None = None
    wilayah: str | None = Field(
        None, pattern=REGION_CODE_PATTERN, description="Forums of this region, inside it and above it."
    )


class ForumOut(Schema):
    slug: str
    name: str
    level: str
    level_label: str
    region_code: str | None
    region_name: str | None
    kim_count: int
    url: str

    @staticmethod
    def resolve_level_label(obj: KimForum) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_region_code(obj: KimForum) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: KimForum) -> str | None:
        return obj.region.full_name if obj.region else None

    @staticmethod
    def resolve_kim_count(obj: KimForum) -> int:
        count = getattr(obj, "kim_count", None)
        return count if count is not None else selectors.forum_member_kims(obj).count()

    @staticmethod
    def resolve_url(obj: KimForum) -> str:
        return reverse("forums:detail", args=[obj.slug])


class BoardSeatOut(Schema):
    person_name: str
    position: str
    from_kim: str | None = Field(description="Slug of the KIM the person comes from.")
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_from_kim(obj: Any) -> str | None:
        return obj.from_kim.slug if obj.from_kim else None


class ForumDetailOut(ForumOut):
    about: str
    formed_on: date | None
    formation_place: str
    formation_notes: str
    decree_number: str
    board: list[BoardSeatOut]

    @staticmethod
    def resolve_board(obj: KimForum) -> list[Any]:
        return selectors.forum_current_board(obj)


class ForumKimOut(Schema):
    slug: str
    name: str
    status: str
    region_code: str
    village_name: str
    url: str

    @staticmethod
    def resolve_region_code(obj: Kim) -> str:
        return obj.region_id

    @staticmethod
    def resolve_village_name(obj: Kim) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_url(obj: Kim) -> str:
        return reverse("kim:profile", args=[obj.slug])


def _forum(slug: str) -> KimForum:
    if not SLUG_RE.match(slug):
        raise Http404
    return selectors.forum_public_by_slug(slug)


def _forum_with_count(slug: str) -> KimForum:
    forum = selectors.forums_public().filter(slug=slug[:220]).first() if SLUG_RE.match(slug) else None
    if forum is None:
        raise Http404
    return forum


def _caller(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise ApiError(401, "unauthenticated", _("Log in or send a valid API token."))
    return user


@router.get("/", response={200: list[ForumOut], 422: ErrorOut}, auth=None, summary="Every Forum KIM (public)")
@paginate(BoundedPagination, page_size=50)
def forum_list(request: HttpRequest, filters: Query[ForumFilters]) -> Any:
    return selectors.forums_public(level=filters.level or "", region_code=filters.wilayah or "")


@router.get("/{slug}", response={200: ForumDetailOut, 404: ErrorOut}, auth=None, summary="One Forum KIM (public)")
def forum_detail(request: HttpRequest, slug: str) -> KimForum:
    return _forum_with_count(slug)


@router.get(
    "/{slug}/kims",
    response={200: list[ForumKimOut], 404: ErrorOut},
    auth=None,
    summary="The forum's member KIMs (public ones only)",
)
@paginate(BoundedPagination, page_size=100)
def forum_kims(request: HttpRequest, slug: str) -> Any:
    return selectors.forum_member_kims(_forum(slug))


class ForumIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    level: Level
    region: str | None = Field(None, pattern=REGION_CODE_PATTERN, description="Empty for a national forum.")
    about: str = Field("", max_length=5000, pattern=NO_NUL)
    formed_on: date | None = None
    formation_place: str = Field("", max_length=300, pattern=NO_NUL)
    formation_notes: str = Field("", max_length=20000, pattern=NO_NUL)
    decree_number: str = Field("", max_length=100, pattern=NO_NUL)


@router.post(
    "/",
    response={201: ForumDetailOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Found a forum (pembina of the region; national forums: national admin)",
)
def forum_create(request: HttpRequest, payload: ForumIn) -> Status:
    forum = services.forum_create(
        actor=_caller(request),
        name=payload.name,
        level=payload.level,
        region_code=payload.region,
        about=payload.about,
        formed_on=payload.formed_on,
        formation_place=payload.formation_place,
        formation_notes=payload.formation_notes,
        decree_number=payload.decree_number,
    )
    return Status(201, _forum_with_count(forum.slug))


class ForumKimIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kim: str = Field(min_length=1, max_length=220, pattern=r"^[-a-zA-Z0-9_]+$", description="The KIM's slug.")
    joined_on: date | None = None


def _managed_forum(request: HttpRequest, slug: str) -> tuple[User, KimForum]:
    """The forum (404 if unknown) and the caller, who must be allowed to manage it (403)."""
    user = _caller(request)
    forum = _forum(slug)
    if not selectors.forums_manageable_by(user).filter(pk=forum.pk).exists():
        raise PermissionDenied
    return user, forum


@router.post(
    "/{slug}/kims",
    response={201: ForumKimOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a KIM of the forum's region to the forum",
)
def forum_kim_add(request: HttpRequest, slug: str, payload: ForumKimIn) -> Status:
    user, forum = _managed_forum(request, slug)
    kim = Kim.objects.select_related("region").filter(slug=payload.kim).first()
    if kim is None:
        raise ApiError(422, "invalid", _("There is no KIM with this slug."), [{"field": "kim", "message": payload.kim}])
    services.forum_add_kim(actor=user, forum=forum, kim=kim, joined_on=payload.joined_on)
    return Status(201, kim)


@router.delete(
    "/{slug}/kims/{kim_slug}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Take a KIM out of the forum",
)
def forum_kim_remove(request: HttpRequest, slug: str, kim_slug: str) -> Status:
    user, forum = _managed_forum(request, slug)
    kim = Kim.objects.filter(slug=kim_slug[:220]).first() if SLUG_RE.match(kim_slug) else None
    if kim is None:
        raise Http404
    services.forum_remove_kim(actor=user, forum=forum, kim=kim)
    return Status(204, None)


class BoardSeatIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_name: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    position: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    from_kim: str | None = Field(None, max_length=220, pattern=r"^[-a-zA-Z0-9_]+$", description="A member KIM's slug.")
    starts_on: date
    ends_on: date | None = None


class BoardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    seats: list[BoardSeatIn] = Field(max_length=services.BOARD_MAX_SEATS)


@router.put(
    "/{slug}/board",
    response={200: list[BoardSeatOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Replace the forum's current board",
)
def forum_board_set(request: HttpRequest, slug: str, payload: BoardIn) -> list[Any]:
    user, forum = _managed_forum(request, slug)
    slugs = {seat.from_kim for seat in payload.seats if seat.from_kim}
    kims = {kim.slug: kim for kim in Kim.objects.filter(slug__in=slugs)}
    if missing := sorted(slugs - set(kims)):
        raise ApiError(
            422, "invalid", _("Unknown KIM."), [{"field": "seats.from_kim", "message": slug} for slug in missing]
        )
    services.forum_set_board(
        actor=user,
        forum=forum,
        seats=[
            services.BoardSeatInput(
                person_name=seat.person_name,
                position=seat.position,
                starts_on=seat.starts_on,
                ends_on=seat.ends_on,
                from_kim=kims.get(seat.from_kim) if seat.from_kim else None,
            )
            for seat in payload.seats
        ],
    )
    return selectors.forum_board_for_edit(forum)
