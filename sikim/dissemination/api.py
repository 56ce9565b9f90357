"""/api/v1/dissemination/: bulletins (CRUD of drafts, publish, correct), audience preview,
deliveries and reach.

Every call needs an account. A bulletin outside the caller's scope answers 404; an action
their role does not allow, or a target outside the publisher's area, 403; bad input 422
(an empty audience too).
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from sikim.accounts import authz
from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.dissemination import selectors
from sikim.dissemination.models import Bulletin, BulletinCategory, Delivery, DeliveryChannel, DeliveryStatus, Priority
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.services.bulletins import (
    Publisher,
    bulletin_correct,
    bulletin_create,
    bulletin_publish,
    bulletin_update,
)
from sikim.forums.models import KimForum
from sikim.kim.models import DisseminationGroup, Kim, PembinaOffice

router = Router()


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SegmentsIn(Schema):
    sectors: list[str] = []
    occupations: list[str] = []
    genders: list[str] = []
    age_groups: list[str] = []


class BulletinIn(Schema):
    title: str = Field(max_length=200)
    body_markdown: str = Field(max_length=20000, description="Markdown; sanitised when saved.")
    category: BulletinCategory = BulletinCategory.PEMERINTAHAN
    priority: Priority = Priority.NORMAL
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    regions: list[str] = Field(default=[], description="Region codes: each targets its whole subtree.")
    kim_slugs: list[str] = []
    group_ids: list[int] = []
    segments: SegmentsIn = SegmentsIn()


class BulletinCreateIn(BulletinIn):
    publisher_type: str = Field(description='"office" (Dinas Kominfo), "kim" or "forum".')
    publisher_id: int


class BulletinOut(Schema):
    id: int
    title: str
    body_html: str
    category: str
    priority: str
    status: str
    publisher: str
    region_code: str
    valid_from: datetime | None
    valid_until: datetime | None
    publish_at: datetime | None
    published_at: datetime | None
    corrects_id: int | None
    targets: list[dict[str, Any]]

    @staticmethod
    def of(bulletin: Bulletin) -> "BulletinOut":
        return BulletinOut(
            id=bulletin.pk,
            title=bulletin.title,
            body_html=bulletin.body_html,
            category=bulletin.category,
            priority=bulletin.priority,
            status=bulletin.status,
            publisher=str(bulletin.publisher),
            region_code=bulletin.region_code,
            valid_from=bulletin.valid_from,
            valid_until=bulletin.valid_until,
            publish_at=bulletin.publish_at,
            published_at=bulletin.published_at,
            corrects_id=bulletin.corrects_id,
            targets=[{"region": t.region_id, "kim": t.kim_id, "group": t.group_id} for t in bulletin.targets.all()],
        )


class PublishIn(Schema):
    publish_at: datetime | None = None


class CorrectionIn(Schema):
    title: str = Field(max_length=200)
    body_markdown: str = Field(max_length=20000)


class DeliveryOut(Schema):
    id: int
    member_id: int
    channel: str
    status: str
    attempts: int
    provider_id: str
    error: str
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None


def _publisher(kind: str, pk: int) -> Publisher:
    model: type[PembinaOffice] | type[Kim] | type[KimForum]
    if kind == "office":
        model = PembinaOffice
    elif kind == "kim":
        model = Kim
    elif kind == "forum":
        model = KimForum
    else:
        raise ApiError(422, "invalid", "publisher_type must be office, kim or forum.")
    return get_object_or_404(model, pk=pk)  # type: ignore[return-value]


def _targets(payload: BulletinIn) -> dict[str, Any]:
    kims = list(Kim.objects.filter(slug__in=payload.kim_slugs))
    if len(kims) != len(set(payload.kim_slugs)):
        raise ApiError(422, "invalid", "Unknown KIM in kim_slugs.")
    groups = list(DisseminationGroup.objects.filter(pk__in=payload.group_ids).select_related("kim"))
    if len(groups) != len(set(payload.group_ids)):
        raise ApiError(422, "invalid", "Unknown dissemination group in group_ids.")
    return {
        "title": payload.title,
        "body_markdown": payload.body_markdown,
        "category": str(payload.category),
        "priority": str(payload.priority),
        "valid_from": payload.valid_from,
        "valid_until": payload.valid_until,
        "regions": payload.regions,
        "kims": kims,
        "groups": groups,
        "segments": {
            "segment_sectors": payload.segments.sectors,
            "segment_occupations": payload.segments.occupations,
            "segment_genders": payload.segments.genders,
            "segment_age_groups": payload.segments.age_groups,
        },
    }


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS}, summary="Bulletins the caller may manage")
@paginate(BoundedPagination, page_size=25)
def bulletin_list(request: HttpRequest) -> list[BulletinOut]:
    return [BulletinOut.of(b) for b in selectors.bulletins_for_user(request.user).prefetch_related("targets")[:2500]]


@router.post("/bulletins", response={201: BulletinOut, **ERRORS}, summary="Create a draft bulletin")
def bulletin_create_api(request: HttpRequest, payload: BulletinCreateIn) -> Status[BulletinOut]:
    publisher = _publisher(payload.publisher_type, payload.publisher_id)
    bulletin = bulletin_create(actor=request.user, publisher=publisher, **_targets(payload))
    return Status(201, BulletinOut.of(bulletin))


@router.get("/bulletins/{pk}", response={200: BulletinOut, **ERRORS}, summary="One bulletin")
def bulletin_get(request: HttpRequest, pk: int) -> BulletinOut:
    return BulletinOut.of(selectors.bulletin_for_manage(request.user, pk))


@router.put("/bulletins/{pk}", response={200: BulletinOut, **ERRORS}, summary="Change a draft")
def bulletin_put(request: HttpRequest, pk: int, payload: BulletinIn) -> BulletinOut:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    return BulletinOut.of(bulletin_update(actor=request.user, bulletin=bulletin, **_targets(payload)))


@router.delete("/bulletins/{pk}", response={204: None, **ERRORS}, summary="Delete a draft")
def bulletin_delete_api(request: HttpRequest, pk: int) -> Status[None]:
    from sikim.dissemination.services.bulletins import bulletin_delete

    bulletin_delete(actor=request.user, bulletin=selectors.bulletin_for_manage(request.user, pk))
    return Status(204, None)


@router.get("/bulletins/{pk}/audience", response={200: dict[str, int], **ERRORS}, summary="Audience per channel")
def bulletin_audience(request: HttpRequest, pk: int) -> dict[str, int]:
    """How many members the targets reach, in all and per channel (consent and address needed)."""
    return selectors.audience_preview(selectors.bulletin_for_manage(request.user, pk))


@router.post("/bulletins/{pk}/publish", response={200: BulletinOut, **ERRORS}, summary="Publish now or schedule")
def bulletin_publish_api(request: HttpRequest, pk: int, payload: PublishIn) -> BulletinOut:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    return BulletinOut.of(bulletin_publish(actor=request.user, bulletin=bulletin, publish_at=payload.publish_at))


@router.post("/bulletins/{pk}/correct", response={201: BulletinOut, **ERRORS}, summary="Publish a correction")
def bulletin_correct_api(request: HttpRequest, pk: int, payload: CorrectionIn) -> Status[BulletinOut]:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    correction = bulletin_correct(
        actor=request.user, bulletin=bulletin, title=payload.title, body_markdown=payload.body_markdown
    )
    return Status(201, BulletinOut.of(correction))


@router.get(
    "/bulletins/{pk}/reach",
    response={200: dict[str, dict[str, int]], **ERRORS},
    summary="Deliveries per channel and status",
)
def bulletin_reach(request: HttpRequest, pk: int) -> dict[str, dict[str, int]]:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    authz.require(request.user, DisseminationAction.VIEW_REACH, bulletin)
    return selectors.reach_for(bulletin)


@router.get("/bulletins/{pk}/deliveries", response={200: list[DeliveryOut], **ERRORS}, summary="Deliveries (paginated)")
@paginate(BoundedPagination, page_size=50)
def bulletin_deliveries(
    request: HttpRequest, pk: int, channel: DeliveryChannel | None = None, status: DeliveryStatus | None = None
) -> Any:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    authz.require(request.user, DisseminationAction.VIEW_REACH, bulletin)
    qs = Delivery.objects.filter(bulletin=bulletin).order_by("pk")
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    return qs
