"""/api/v1/kim/ public reads: the directory, the map (GeoJSON) and every KIM's public profile.

No login needed. Only KIMs in a public status, and never a member's personal data: the same
answers as the public pages (`sikim.kim.selectors.directory`).
"""

import re
from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sikim.core.api_pagination import BoundedPagination
from sikim.kim.models import Kim
from sikim.kim.selectors import directory
from sikim.kim.selectors.directory import DirectoryFilters
from sikim.kim.urls_public import KimSlugConverter  # noqa: F401  (registers the kimslug converter)

router = Router()

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
PublicStatus = Literal["dibentuk", "terdaftar", "aktif", "tidak_aktif"]
SectorCode = Literal[
    "pertanian",
    "perkebunan",
    "perikanan",
    "peternakan",
    "umkm",
    "pariwisata",
    "kesehatan",
    "pendidikan",
    "lingkungan",
    "teknologi",
    "sosial_budaya",
    "pemerintahan",
    "lainnya",
]


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, str]]


class DirectoryQuery(Schema):
    wilayah: str | None = Field(
        None,
        pattern=REGION_CODE_PATTERN,
        description="Region code (province, kabupaten/kota, kecamatan or desa): KIMs in it and below.",
    )
    status: PublicStatus | None = Field(None, description="Only KIMs in this status.")
    sector: SectorCode | None = Field(None, description="Only KIMs serving this sector.")
    q: str | None = Field(
        None,
        max_length=directory.SEARCH_MAX_LENGTH,
        pattern=r"^[^\x00]*$",
        description="Words in the KIM's name, about text, or its village, kecamatan or kabupaten names.",
    )

    def to_filters(self) -> DirectoryFilters:
        return DirectoryFilters(
            region_code=self.wilayah or "", status=self.status or "", sector=self.sector or "", q=(self.q or "").strip()
        )


class KimFields(Schema):
    slug: str
    name: str
    status: str
    status_label: str
    registration_number: str | None
    region_code: str
    village_name: str
    region_path: str = Field(description="The village's kecamatan, kabupaten/kota and province, nearest first.")
    sectors: list[str]
    latitude: float | None
    longitude: float | None
    url: str = Field(description="The KIM's public page.")


def _kim_fields(kim: Kim) -> dict[str, Any]:
    return {
        "slug": kim.slug,
        "name": kim.name,
        "status": kim.status,
        "status_label": str(kim.get_status_display()),
        "registration_number": kim.registration_number,
        "region_code": kim.region_id,
        "village_name": kim.region.name,
        "region_path": kim.region.parent_path,
        "sectors": [s.sector for s in kim.sectors.all()],
        "latitude": float(kim.latitude) if kim.latitude is not None else None,
        "longitude": float(kim.longitude) if kim.longitude is not None else None,
        "url": reverse("kim:profile", args=[kim.slug]),
    }


class KimListOut(KimFields):
    """One KIM of the directory (read from the model through the resolvers below)."""

    @staticmethod
    def resolve_status_label(obj: Kim) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_region_code(obj: Kim) -> str:
        return obj.region_id

    @staticmethod
    def resolve_village_name(obj: Kim) -> str:
        return obj.region.name

    @staticmethod
    def resolve_region_path(obj: Kim) -> str:
        return obj.region.parent_path

    @staticmethod
    def resolve_sectors(obj: Kim) -> list[str]:
        return [s.sector for s in obj.sectors.all()]

    @staticmethod
    def resolve_url(obj: Kim) -> str:
        return reverse("kim:profile", args=[obj.slug])


@router.get(
    "/",
    response={200: list[KimListOut], 422: ErrorOut},
    auth=None,
    summary="The KIM directory: public KIMs, filtered and paginated (25 a page)",
)
@paginate(BoundedPagination, page_size=directory.PAGE_SIZE)
def kim_directory(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    """Same filters as the /kim/ page. `page` beyond the last gives an empty `items`."""
    return directory.kim_directory(filters.to_filters())


class PointOut(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="[longitude, latitude]")


class FeaturePropertiesOut(Schema):
    name: str
    slug: str | None = Field(None, description="A KIM's slug (absent on region points).")
    status: str | None = None
    village: str | None = None
    cluster: bool = Field(False, description="True on a region point standing for `count` KIMs.")
    count: int | None = None
    region: str | None = Field(None, description="The region code of a region point.")


class FeatureOut(Schema):
    type: Literal["Feature"]
    geometry: PointOut
    properties: FeaturePropertiesOut


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[FeatureOut]


@router.get(
    "/map",
    response={200: FeatureCollectionOut, 422: ErrorOut},
    auth=None,
    summary="The directory's KIMs that have a point, as a GeoJSON FeatureCollection",
    description=(
        "Up to 1,500 KIMs come one by one; beyond that, one point per region one level below the "
        "filter (province, kabupaten/kota…) with `cluster: true` and the number of KIMs in `count`."
    ),
)
def kim_map(request: HttpRequest, filters: Query[DirectoryQuery]) -> dict[str, Any]:
    return directory.kim_map_features(filters.to_filters())


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str


class BoardSeatOut(Schema):
    position: str
    position_label: str
    section_name: str
    name: str


class BoardOut(Schema):
    starts_on: date
    ends_on: date | None
    seats: list[BoardSeatOut]


class GroupOut(Schema):
    name: str
    member_count: int


class SectorCountOut(Schema):
    sector: str
    label: str
    count: int


class MemberCountsOut(Schema):
    total: int
    people: int
    organisations: int
    by_sector: list[SectorCountOut]


class FormationOut(Schema):
    held_on: date
    place: str
    facilitators: list[str]
    attendees_count: int
    decree_number: str
    decree_date: date | None
    decree_issued_by: str


class DocumentOut(Schema):
    title: str
    kind: str
    url: str


class ForumRefOut(Schema):
    slug: str
    name: str
    level: str
    url: str


class KimProfileOut(KimFields):
    about: str
    run_by_group: str
    address: str
    phone: str = Field(description="The KIM's public phone (never a member's).")
    email: str = Field(description="The KIM's public email (never a member's).")
    website: str
    social_links: dict[str, str]
    pembina_office: str | None
    region_ancestors: list[RegionOut] = Field(description="From the province down to the village.")
    board: BoardOut | None = Field(description="The current term: names and positions only.")
    dissemination_groups: list[GroupOut]
    members: MemberCountsOut = Field(description="Counts only: no member's name or contact.")
    formation: FormationOut | None
    documents: list[DocumentOut]
    forums: list[ForumRefOut]


@router.get(
    "/{kimslug:slug}",
    response={200: KimProfileOut, 404: ErrorOut},
    auth=None,
    summary="A KIM's public profile (404 for unknown, proposed or dissolved KIMs)",
)
def kim_profile(request: HttpRequest, slug: str) -> KimProfileOut:
    if not SLUG_RE.match(slug):
        raise Http404
    profile = directory.kim_public_profile(slug)
    kim = profile.kim
    formation = profile.formation
    return KimProfileOut(
        **_kim_fields(kim),
        about=kim.about,
        run_by_group=kim.run_by_group,
        address=kim.address,
        phone=kim.phone,
        email=kim.email,
        website=kim.website,
        social_links=dict(profile.social_links),
        pembina_office=kim.pembina_office.name if kim.pembina_office else None,
        region_ancestors=[RegionOut(code=r.code, name=r.name, level=r.level, kind=r.kind) for r in profile.region_path],
        board=(
            BoardOut(
                starts_on=profile.board_term.starts_on,
                ends_on=profile.board_term.ends_on,
                seats=[BoardSeatOut(**seat.__dict__) for seat in profile.board],
            )
            if profile.board_term
            else None
        ),
        dissemination_groups=[GroupOut(name=g.name, member_count=g.member_count) for g in profile.groups],
        members=MemberCountsOut(
            total=profile.member_total,
            people=profile.members_by_kind["person"],
            organisations=profile.members_by_kind["organisation"],
            by_sector=[SectorCountOut(**item.__dict__) for item in profile.members_by_sector],
        ),
        formation=(
            FormationOut(
                held_on=formation.held_on,
                place=formation.place,
                facilitators=profile.facilitators,
                attendees_count=formation.attendees_count,
                decree_number=formation.decree_number if profile.show_decree else "",
                decree_date=formation.decree_date if profile.show_decree else None,
                decree_issued_by=formation.decree_issued_by if profile.show_decree else "",
            )
            if formation
            else None
        ),
        documents=[
            DocumentOut(title=d.title, kind=d.kind, url=reverse("kim:public_document", args=[kim.slug, d.pk]))
            for d in profile.documents
        ],
        forums=[
            ForumRefOut(slug=f.slug, name=f.name, level=f.level, url=reverse("forums:detail", args=[f.slug]))
            for f in profile.forums
        ],
    )
