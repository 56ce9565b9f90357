"""/api/v1/kim/{slug}/members, /board, /groups: a KIM's members, board and kelompok desiminasi.

A KIM the caller neither belongs to nor fosters answers 404. The member list is for the KIM's
pengurus and pembina (anggota get 403 and may read `/members/counts`); `phone`, `email` and the
consents are null unless the caller may see personal data.
"""

from datetime import date
from typing import Literal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from sikim.accounts.authz import can
from sikim.core.api_errors import ApiError
from sikim.kim.models import BoardTerm, DisseminationGroup, Kim, KimMember, MemberImport
from sikim.kim.permissions import KimAction
from sikim.kim.selectors import members as selectors
from sikim.kim.services import board as board_services
from sikim.kim.services import groups as group_services
from sikim.kim.services import member_import as import_services
from sikim.kim.services import members as member_services

router = Router()

PAGE_SIZE = 50


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, str]]


# --- Schemas ---------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    kind: str
    name: str
    organisation_type: str
    gender: str
    age_group: str
    occupation: str
    sector: str
    preferred_channel: str
    joined_on: date | None
    is_active: bool
    phone: str | None = Field(description="+62…; null unless the caller may see personal data.")
    email: str | None = Field(description="Null unless the caller may see personal data.")
    consent_email: bool | None
    consent_sms: bool | None
    consent_whatsapp: bool | None
    consent_telegram: bool | None


class MemberPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[MemberOut]


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=300)
    kind: str = Field("person", max_length=20, description="person or organisation")
    organisation_type: str = Field("", max_length=30)
    phone: str | None = Field(None, max_length=40, description="Any Indonesian format; stored as +62…")
    email: str | None = Field(None, max_length=254)
    gender: str = Field("", max_length=2, description="l or p")
    age_group: str = Field("", max_length=10)
    occupation: str = Field("", max_length=300)
    sector: str = Field("", max_length=30)
    preferred_channel: str = Field("web", max_length=20)
    consent_email: bool = False
    consent_sms: bool = False
    consent_whatsapp: bool = False
    consent_telegram: bool = False
    joined_on: date | None = None


class MemberPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=300)
    kind: str | None = Field(None, max_length=20)
    organisation_type: str | None = Field(None, max_length=30)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    gender: str | None = Field(None, max_length=2)
    age_group: str | None = Field(None, max_length=10)
    occupation: str | None = Field(None, max_length=300)
    sector: str | None = Field(None, max_length=30)
    preferred_channel: str | None = Field(None, max_length=20)
    consent_email: bool | None = None
    consent_sms: bool | None = None
    consent_whatsapp: bool | None = None
    consent_telegram: bool | None = None
    joined_on: date | None = None
    is_active: bool | None = None


class MemberFilters(Schema):
    q: str = Field("", max_length=100)
    sector: str = Field("", max_length=30)
    kind: str = Field("", max_length=20)
    active: bool | None = True
    page: int = Field(1, ge=1, le=100_000)


class SectorCountOut(Schema):
    sector: str
    label: str
    count: int


class MemberCountsOut(Schema):
    total: int
    people: int
    organisations: int
    by_sector: list[SectorCountOut]


class PositionOut(Schema):
    position: str
    position_label: str
    section_name: str
    member_id: int
    member_name: str


class TermOut(Schema):
    id: int
    starts_on: date
    ends_on: date | None
    decree_number: str
    positions: list[PositionOut]


class BoardOut(Schema):
    current: TermOut | None
    terms: list[TermOut]


class PositionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    position: Literal["ketua", "wakil_ketua", "sekretaris", "bendahara", "seksi"]
    member_id: int
    section_name: str = Field("", max_length=100)


class BoardTermIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_on: date
    ends_on: date | None = None
    decree_number: str = Field("", max_length=100)
    positions: list[PositionIn] = Field(max_length=board_services.MAX_POSITIONS)


class GroupOut(Schema):
    id: int
    name: str
    member_count: int
    coordinator_id: int | None = Field(description="Null for callers who may not list the members.")
    coordinator_name: str | None
    member_ids: list[int] | None


class GroupIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=300)
    coordinator_id: int | None = None
    member_ids: list[int] = Field(default_factory=list, max_length=group_services.MAX_GROUP_MEMBERS)


class RowErrorOut(Schema):
    row: int
    errors: list[str]


class RowActionOut(Schema):
    row: int
    name: str
    phone: str
    action: str = Field(description="create, merge_existing or merge_row")
    target: str


class MemberImportOut(Schema):
    id: int
    status: str
    original_name: str
    total_rows: int
    valid_rows: int
    processed_rows: int
    created_count: int = Field(description="While previewing: how many will be created.")
    merged_count: int = Field(description="While previewing: how many rows will be merged.")
    row_errors: list[RowErrorOut]
    error_message: str
    preview_rows: list[RowActionOut] = Field(description="The first rows and what will happen to each.")
    ignored_columns: list[str]


# --- Helpers ---------------------------------------------------------------------------------


def _kim(request: HttpRequest, slug: str) -> Kim:
    return selectors.kim_for_internal_pages(request.user, slug)


def _require(request: HttpRequest, action: str, kim: Kim) -> None:
    if not can(request.user, action, kim):
        raise ApiError(403, "forbidden", _("You may not do this."))


def _require_list(request: HttpRequest, kim: Kim) -> None:
    if not selectors.can_list_members(request.user, kim):
        raise ApiError(403, "forbidden", _("The member list is for the pengurus and the pembina; see /members/counts."))


def _member_out(member: KimMember, personal: bool) -> MemberOut:
    return MemberOut(
        id=member.pk,
        kind=member.kind,
        name=member.name,
        organisation_type=member.organisation_type,
        gender=member.gender,
        age_group=member.age_group,
        occupation=member.occupation,
        sector=member.sector,
        preferred_channel=member.preferred_channel,
        joined_on=member.joined_on,
        is_active=member.is_active,
        phone=member.phone if personal else None,
        email=member.email if personal else None,
        consent_email=member.consent_email if personal else None,
        consent_sms=member.consent_sms if personal else None,
        consent_whatsapp=member.consent_whatsapp if personal else None,
        consent_telegram=member.consent_telegram if personal else None,
    )


def _term_out(term: BoardTerm) -> TermOut:
    return TermOut(
        id=term.pk,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        decree_number=term.decree_number,
        positions=[
            PositionOut(
                position=seat.position,
                position_label=str(seat.get_position_display()),
                section_name=seat.section_name,
                member_id=seat.member_id,
                member_name=seat.member.name,
            )
            for seat in term.ordered_positions  # type: ignore[attr-defined]
        ],
    )


def _group_out(group: DisseminationGroup, with_members: bool) -> GroupOut:
    return GroupOut(
        id=group.pk,
        name=group.name,
        member_count=group.member_count,  # type: ignore[attr-defined]
        coordinator_id=group.coordinator_id if with_members else None,
        coordinator_name=group.coordinator.name if with_members and group.coordinator else None,
        member_ids=[member.pk for member in group.members.all()] if with_members else None,
    )


def _kim_members_by_id(kim: Kim, ids: list[int]) -> dict[int, KimMember]:
    """This KIM's members with these ids; an id from elsewhere is "not found", never revealed."""
    found = {member.pk: member for member in KimMember.objects.filter(kim=kim, pk__in=ids)}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ApiError(
            422,
            "invalid",
            _("No member of this KIM has the id %(ids)s.") % {"ids": ", ".join(str(pk) for pk in missing[:10])},
        )
    return found


def _import_out(member_import: MemberImport) -> MemberImportOut:
    preview = import_services.member_import_preview_rows(member_import)
    return MemberImportOut(
        id=member_import.pk,
        status=member_import.status,
        original_name=member_import.original_name,
        total_rows=member_import.total_rows,
        valid_rows=member_import.valid_rows,
        processed_rows=member_import.processed_rows,
        created_count=member_import.created_count,
        merged_count=member_import.merged_count,
        row_errors=[RowErrorOut(**item) for item in member_import.row_errors],
        error_message=member_import.error_message,
        preview_rows=[RowActionOut(**vars(action)) for action in preview.actions] if preview else [],
        ignored_columns=preview.ignored_columns if preview else [],
    )


COMMON = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- Members ---------------------------------------------------------------------------------


@router.get("/{slug}/members", response={200: MemberPageOut, **COMMON}, summary="A KIM's members (pengurus, pembina)")
def member_list(request: HttpRequest, slug: str, filters: Query[MemberFilters]) -> MemberPageOut:
    kim = _kim(request, slug)
    _require_list(request, kim)
    members = selectors.members_filtered(
        request.user, kim, search=filters.q, sector=filters.sector, kind=filters.kind, active=filters.active
    )
    page = Paginator(members, PAGE_SIZE).get_page(filters.page)
    personal = selectors.personal_data_visible(request.user, kim)
    return MemberPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        items=[_member_out(member, personal) for member in page],
    )


@router.get("/{slug}/members/counts", response={200: MemberCountsOut, **COMMON}, summary="Active members by sector")
def member_counts(request: HttpRequest, slug: str) -> MemberCountsOut:
    counts = selectors.member_counts(_kim(request, slug))
    return MemberCountsOut(
        total=counts.total,
        people=counts.people,
        organisations=counts.organisations,
        by_sector=[SectorCountOut(sector=row.sector, label=row.label, count=row.count) for row in counts.by_sector],
    )


@router.post("/{slug}/members", response={201: MemberOut, **COMMON, 422: ErrorOut}, summary="Add a member")
def member_create(request: HttpRequest, slug: str, payload: MemberIn) -> Status[MemberOut]:
    kim = _kim(request, slug)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    data = payload.model_dump()
    name = data.pop("name")
    member = member_services.member_add(actor=request.user, kim=kim, name=name, **data)
    return Status(201, _member_out(member, selectors.personal_data_visible(request.user, kim)))


@router.get("/{slug}/members/{int:member_id}", response={200: MemberOut, **COMMON}, summary="One member")
def member_detail(request: HttpRequest, slug: str, member_id: int) -> MemberOut:
    kim = _kim(request, slug)
    member = selectors.member_get(request.user, kim, member_id)
    return _member_out(member, selectors.personal_data_visible(request.user, kim))


@router.patch(
    "/{slug}/members/{int:member_id}", response={200: MemberOut, **COMMON, 422: ErrorOut}, summary="Change a member"
)
def member_patch(request: HttpRequest, slug: str, member_id: int, payload: MemberPatch) -> MemberOut:
    kim = _kim(request, slug)
    member = selectors.member_get(request.user, kim, member_id)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    changes = payload.model_dump(exclude_unset=True)
    for required in ("name", "kind", "preferred_channel", "is_active") + tuple(
        key for key in changes if key.startswith("consent_")
    ):
        if required in changes and changes[required] is None:
            raise ApiError(422, "invalid", _("%(field)s cannot be null.") % {"field": required})
    for blankable in ("organisation_type", "gender", "age_group", "occupation", "sector"):
        if blankable in changes and changes[blankable] is None:
            changes[blankable] = ""
    member = member_services.member_update(actor=request.user, member=member, **changes)
    return _member_out(member, selectors.personal_data_visible(request.user, kim))


@router.delete(
    "/{slug}/members/{int:member_id}",
    response={204: None, **COMMON},
    summary="Mark a member as no longer a member (the record is kept)",
)
def member_delete(request: HttpRequest, slug: str, member_id: int) -> Status[None]:
    kim = _kim(request, slug)
    member = selectors.member_get(request.user, kim, member_id)
    member_services.member_deactivate(actor=request.user, member=member)
    return Status(204, None)


@router.get(
    "/{slug}/members/export",
    response={200: None, **COMMON},
    summary="Download every member with personal data (CSV or XLSX; pengurus and pembina; audited)",
)
def member_export(request: HttpRequest, slug: str, format: Literal["csv", "xlsx"] = "csv") -> HttpResponse:  # noqa: A002
    kim = _kim(request, slug)
    export = member_services.member_export(actor=request.user, kim=kim, file_format=format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Import ----------------------------------------------------------------------------------


@router.post(
    "/{slug}/members/import",
    response={201: MemberImportOut, **COMMON, 422: ErrorOut},
    summary="Upload a CSV or XLSX member list: checked and previewed, nothing imported yet",
)
def member_import_upload(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Status[MemberImportOut]:
    kim = _kim(request, slug)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    member_import = import_services.member_import_preview(actor=request.user, kim=kim, upload=file)
    return Status(201, _import_out(member_import))


@router.get(
    "/{slug}/members/import/{int:import_id}",
    response={200: MemberImportOut, **COMMON},
    summary="An import's preview or progress",
)
def member_import_detail(request: HttpRequest, slug: str, import_id: int) -> MemberImportOut:
    kim = _kim(request, slug)
    return _import_out(selectors.member_import_get(request.user, kim, import_id))


@router.post(
    "/{slug}/members/import/{int:import_id}/confirm",
    response={202: MemberImportOut, **COMMON, 422: ErrorOut},
    summary="Start the import (in the background, all or nothing); confirming twice imports once",
)
def member_import_confirm(request: HttpRequest, slug: str, import_id: int) -> Status[MemberImportOut]:
    kim = _kim(request, slug)
    member_import = selectors.member_import_get(request.user, kim, import_id)
    member_import = import_services.member_import_confirm(actor=request.user, member_import=member_import)
    member_import.refresh_from_db()
    return Status(202, _import_out(member_import))


# --- Board -----------------------------------------------------------------------------------


@router.get("/{slug}/board", response={200: BoardOut, **COMMON}, summary="The current board and past terms")
def board(request: HttpRequest, slug: str) -> BoardOut:
    kim = _kim(request, slug)
    terms = selectors.board_terms(kim)
    current = selectors.board_current_term(terms)
    return BoardOut(current=_term_out(current) if current else None, terms=[_term_out(term) for term in terms])


@router.post(
    "/{slug}/board/terms",
    response={201: TermOut, **COMMON, 422: ErrorOut},
    summary="Record a new board term (terms never overlap; one ketua)",
)
def board_term_create(request: HttpRequest, slug: str, payload: BoardTermIn) -> Status[TermOut]:
    kim = _kim(request, slug)
    _require(request, KimAction.MANAGE_BOARD, kim)
    members = _kim_members_by_id(kim, [seat.member_id for seat in payload.positions])
    term = board_services.board_term_create(
        actor=request.user,
        kim=kim,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        decree_number=payload.decree_number,
        positions=[
            board_services.PositionSpec(
                position=seat.position, member=members[seat.member_id], section_name=seat.section_name
            )
            for seat in payload.positions
        ],
    )
    created = next(item for item in selectors.board_terms(kim) if item.pk == term.pk)
    return Status(201, _term_out(created))


# --- Kelompok desiminasi -----------------------------------------------------------------------


@router.get("/{slug}/groups", response={200: list[GroupOut], **COMMON}, summary="The KIM's kelompok desiminasi")
def group_list(request: HttpRequest, slug: str) -> list[GroupOut]:
    kim = _kim(request, slug)
    with_members = selectors.can_list_members(request.user, kim)
    return [_group_out(group, with_members) for group in selectors.dissemination_groups(kim, with_members=with_members)]


@router.post(
    "/{slug}/groups", response={201: GroupOut, **COMMON, 422: ErrorOut}, summary="Create a kelompok desiminasi"
)
def group_create(request: HttpRequest, slug: str, payload: GroupIn) -> Status[GroupOut]:
    kim = _kim(request, slug)
    _require(request, KimAction.MANAGE_GROUPS, kim)
    ids = list(payload.member_ids)
    if payload.coordinator_id is not None:
        ids.append(payload.coordinator_id)
    members = _kim_members_by_id(kim, ids)
    group = group_services.dissemination_group_create(
        actor=request.user,
        kim=kim,
        name=payload.name,
        coordinator=members[payload.coordinator_id] if payload.coordinator_id is not None else None,
        members=[members[pk] for pk in payload.member_ids],
    )
    created = selectors.dissemination_groups(kim, with_members=True).get(pk=group.pk)
    return Status(201, _group_out(created, True))
