"""/api/v1/dissemination/: bulletins (CRUD of drafts, publish, correct), audience preview,
deliveries, reach (per channel, per region, per region over a period) and offline reports.

Every call needs an account. A bulletin outside the caller's scope answers 404; an action
their role does not allow, or a target outside the publisher's area, 403; bad input 422
(an empty audience too).
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sikim.accounts import authz
from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.core.api_schemas import JsonObject
from sikim.dissemination import selectors
from sikim.dissemination.models import (
    OFFLINE_MAX_PEOPLE,
    Bulletin,
    BulletinCategory,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    OfflinePlaceType,
    OfflineReport,
    Priority,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.selectors_reach import (
    FIRST_DAY,
    LAST_DAY,
    REGION_CODE_RE,
    ReachPeriod,
    RegionReach,
    bulletin_region_reach,
    default_period,
    offline_reports_for,
    reach_region_for,
    region_dashboard,
)
from sikim.dissemination.services.bulletins import (
    Publisher,
    bulletin_correct,
    bulletin_create,
    bulletin_publish,
    bulletin_update,
)
from sikim.dissemination.services.offline import bulletin_reached_kim, offline_report_record
from sikim.forums.models import KimForum
from sikim.kim.models import DisseminationGroup, Kim, PembinaOffice

router = Router()


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SegmentsIn(JsonObject):
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


class PublishIn(JsonObject):
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


# --- offline reports and reach per region --------------------------------------------------
class OfflineReportIn(Schema):
    kim: str = Field(min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$", description="The KIM's slug.")
    place_type: OfflinePlaceType
    place_name: str = Field(min_length=1, max_length=200)
    held_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    people_reached: int = Field(ge=1, le=OFFLINE_MAX_PEOPLE)
    notes: str = Field("", max_length=2000)


class OfflineReportFilters(Schema):
    kim: str | None = Field(None, max_length=100, description="A KIM's slug: only its reports.")


class RegionReachFilters(Schema):
    date_from: date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Default: 29 days before date_to.")
    date_to: date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Default: today.")
    category: BulletinCategory | None = None


class OfflineReportOut(Schema):
    id: int
    bulletin_id: int
    kim: str
    place_type: str
    place_name: str
    held_on: date
    people_reached: int
    notes: str
    has_photo: bool
    created_at: datetime

    @staticmethod
    def of(report: OfflineReport) -> "OfflineReportOut":
        return OfflineReportOut(
            id=report.pk,
            bulletin_id=report.bulletin_id,
            kim=report.kim.slug,
            place_type=report.place_type,
            place_name=report.place_name,
            held_on=report.held_on,
            people_reached=report.people_reached,
            notes=report.notes,
            has_photo=bool(report.photo),
            created_at=report.created_at,
        )


class FiguresOut(Schema):
    statuses: dict[str, int] = Field(description="Deliveries per status, queued to failed.")
    deliveries: int
    reached_online: int = Field(description="Deliveries sent, delivered or read.")
    offline_reports: int
    offline_people: int
    total_reached: int = Field(description="reached_online + offline_people.")


class RegionReachOut(Schema):
    code: str
    name: str
    figures: FiguresOut


class BulletinReachOut(Schema):
    id: int
    title: str
    category: str
    published_at: datetime | None
    figures: FiguresOut


class RegionDashboardOut(Schema):
    region_code: str
    region_name: str
    date_from: date
    date_to: date
    category: str
    bulletin_count: int
    channels: dict[str, dict[str, int]]
    totals: FiguresOut
    regions: list[RegionReachOut]
    bulletins: list[BulletinReachOut] = Field(description="The latest 200 bulletins of the period.")


def _region_rows(rows: list[RegionReach]) -> list[RegionReachOut]:
    return [RegionReachOut(code=r.code, name=r.name, figures=FiguresOut(**r.figures.as_dict())) for r in rows]


def _reached_bulletin(request: HttpRequest, pk: int, kim: Kim) -> Bulletin:
    """A bulletin that reached a KIM the caller works for (as the offline report page)."""
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None or not bulletin_reached_kim(bulletin, kim):
        raise Http404
    return bulletin


@router.get(
    "/bulletins/{pk}/offline-reports",
    response={200: list[OfflineReportOut], **ERRORS},
    summary="Offline dissemination reports (paginated)",
)
@paginate(BoundedPagination, page_size=50)
def offline_report_list(request: HttpRequest, pk: int, filters: Query[OfflineReportFilters]) -> list[OfflineReportOut]:
    """All reports of a bulletin the caller manages, or, with `kim`, the reports of one KIM the
    caller works for (its pengurus, its pembina) on a bulletin that reached it."""
    if filters.kim:
        worked = selectors.inbox_kim_for(request.user, filters.kim)
        bulletin = _reached_bulletin(request, pk, worked)
        reports = offline_reports_for(bulletin).filter(kim=worked)
    else:
        bulletin = selectors.bulletin_for_manage(request.user, pk)
        authz.require(request.user, DisseminationAction.VIEW_REACH, bulletin)
        reports = offline_reports_for(bulletin)
    return [OfflineReportOut.of(report) for report in reports[:5000]]


@router.post(
    "/bulletins/{pk}/offline-reports",
    response={201: OfflineReportOut, **ERRORS},
    summary="Record an offline dissemination (a photo only through the page)",
)
def offline_report_create(request: HttpRequest, pk: int, payload: OfflineReportIn) -> Status[OfflineReportOut]:
    kim = selectors.inbox_kim_for(request.user, payload.kim)
    bulletin = _reached_bulletin(request, pk, kim)
    report = offline_report_record(
        actor=request.user,
        bulletin=bulletin,
        kim=kim,
        place_type=str(payload.place_type),
        place_name=payload.place_name,
        held_on=payload.held_on,
        people_reached=payload.people_reached,
        notes=payload.notes,
    )
    return Status(201, OfflineReportOut.of(report))


@router.get(
    "/bulletins/{pk}/reach/regions",
    response={200: list[RegionReachOut], **ERRORS},
    summary="Reach per region one level below the publisher's",
)
def bulletin_reach_regions(request: HttpRequest, pk: int) -> list[RegionReachOut]:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    authz.require(request.user, DisseminationAction.VIEW_REACH, bulletin)
    return _region_rows(bulletin_region_reach(bulletin))


@router.get(
    "/reach/regions/{code}",
    response={200: RegionDashboardOut, **ERRORS},
    summary="Reach inside a region over a period (the region dashboard)",
)
def region_reach(request: HttpRequest, code: str, filters: Query[RegionReachFilters]) -> RegionDashboardOut:
    """Deliveries to the members of the region's KIMs and its KIMs' offline reports, for bulletins
    published in the period; for the region's pembina and the national admin."""
    if not REGION_CODE_RE.fullmatch(code):
        raise ApiError(404, "not_found", "No such region.")
    region = reach_region_for(request.user, code)
    date_to = filters.date_to or default_period()[1]
    date_from = filters.date_from or max(FIRST_DAY, date_to - timedelta(days=29))
    if date_from > date_to:
        raise ApiError(422, "invalid", "date_from must not be after date_to.")
    period = ReachPeriod(region=region, date_from=date_from, date_to=date_to, category=str(filters.category or ""))
    dashboard = region_dashboard(period)
    return RegionDashboardOut(
        region_code=period.code,
        region_name=region.name if region else "Indonesia",
        date_from=date_from,
        date_to=date_to,
        category=period.category,
        bulletin_count=dashboard.bulletin_count,
        channels=dashboard.channels,
        totals=FiguresOut(**dashboard.totals.as_dict()),
        regions=_region_rows(dashboard.regions),
        bulletins=[
            BulletinReachOut(
                id=item.bulletin.pk,
                title=item.bulletin.title,
                category=item.bulletin.category,
                published_at=item.bulletin.published_at,
                figures=FiguresOut(**item.figures.as_dict()),
            )
            for item in dashboard.bulletins
        ],
    )
